/* SPDX-License-Identifier: MIT */
/*
 * Readers and writers (see io.h).  One loop, io_move(), serves IoRead, IoWrite and
 * IoFillZeros: per page it translates the page through the page table (core_walk_leaf), stops
 * at the first page whose bytes cannot be moved, and otherwise moves the part of the request
 * that lies in that page.  The ops never touch a slot or the tree; only the handle's cursor and,
 * for writes, frame contents change.
 */
#include "io.h"

#include "core.h"
#include "diag.h"
#include "phys_mem.h"
#include "pte.h"
#include "walk.h"

enum io_mode { IO_READ, IO_WRITE, IO_ZEROS };

/**
 * io_get() - The live reader or writer @id; a handle of the other kind is a harness error (the
 * runner passes IoRead a reader, IoWrite/IoFillZeros a writer).
 * @want_writer: 1 writer, 0 reader, -1 either.
 */
static struct core_io *io_get(struct core *k, ptd_id_t id, int want_writer)
{
	struct core_io *io;

	core_registry_check(&k->io_ids, id);
	io = &k->ios[id];
	if (want_writer >= 0 && io->is_writer != want_writer) {
		core_harness_error("bad-io-kind", "%s id %u is not a %s",
				   io->is_writer ? "writer" : "reader", id,
				   want_writer ? "writer" : "reader");
	}
	return io;
}

enum ptd_status core_io_new(struct core *k, ptd_id_t vs, ptd_vaddr_t va, uint64_t len,
			    int is_writer, ptd_id_t new_id)
{
	struct core_vm_space *space = core_vm_space_get(k, vs);
	struct core_io *io;

	/* Step 1: the contract's `vaddr + len <= MAX_USERSPACE_VADDR`, without overflow.  OSTD's
	 * "the space is activated" condition is not modelled (C§4.9). */
	if (len > PTD_MAX_USERSPACE_VADDR || va > PTD_MAX_USERSPACE_VADDR - len) {
		return PTD_ERR_BAD_RANGE;
	}
	core_registry_add(&k->io_ids, new_id);
	io = &k->ios[new_id];
	io->vs = vs;
	io->is_writer = (uint8_t)(is_writer != 0);
	io->start = va;
	io->cursor = va;
	io->end = va + len; /* len == 0 is allowed: an empty reader/writer */
	space->nr_io++;
	return PTD_OK;
}

/** Bytes left before the end: what an Io* count is capped at (POLICY: n = min(len, ...)). */
static uint64_t io_remain(const struct core_io *io)
{
	return io->end - io->cursor;
}

/**
 * io_move() - Move up to @n bytes at io->cursor and advance the cursor by the bytes moved.
 * Stops at the first page that is unmapped, an I/O (untracked) mapping or, unless reading,
 * mapped without PTD_PF_W.  Reading continues *@hash over the bytes read.
 * Return: the number of bytes moved.
 */
static uint64_t io_move(struct core *k, struct core_io *io, uint64_t n, enum io_mode mode,
			uint64_t seed, uint64_t *hash)
{
	ptd_paddr_t root = core_vm_space_get(k, io->vs)->root;
	uint64_t done = 0;

	while (done < n) {
		ptd_vaddr_t a = io->cursor + done; /* < end <= MAX_USERSPACE_VADDR: no overflow */
		uint64_t off = a % PTD_PAGE_SIZE;
		uint64_t chunk = PTD_PAGE_SIZE - off;
		core_pte_t pte = core_walk_leaf(k, root, a);
		uint64_t idx;

		if (chunk > n - done) {
			chunk = n - done;
		}
		if (!core_pte_present(pte) || !core_pte_tracked(pte)) {
			break; /* unmapped, or I/O memory: neither readable nor writable */
		}
		if (mode != IO_READ && !(core_pte_prop(pte).flags & PTD_PF_W)) {
			break; /* read-only mapping: not writable */
		}
		idx = core_pte_paddr(pte) / PTD_PAGE_SIZE;
		CORE_BUG_ON(idx >= k->cfg.nframes);
		if (mode == IO_READ) {
			const uint8_t *bytes = core_phys_mem_peek(&k->mem, idx);

			*hash = bytes ? core_fnv1a(*hash, bytes + off, chunk)
				      : core_fnv1a_zeros(*hash, chunk);
		} else if (mode == IO_WRITE) {
			uint8_t *bytes = core_phys_mem_for_write(&k->mem, idx);
			uint64_t k0 = a - io->start; /* offset of byte a in the writer's range */

			for (uint64_t j = 0; j < chunk; j++) {
				bytes[off + j] = ptd_io_byte(seed, k0 + j);
			}
		} else if (core_phys_mem_peek(&k->mem, idx)) {
			/* Fill zeros: a frame never written is already all zero; no page needed. */
			uint8_t *bytes = core_phys_mem_for_write(&k->mem, idx);

			for (uint64_t j = 0; j < chunk; j++) {
				bytes[off + j] = 0;
			}
		}
		done += chunk;
	}
	io->cursor += done;
	return done;
}

enum ptd_status core_io_read(struct core *k, ptd_id_t id, uint64_t len, struct ptd_result *res)
{
	struct core_io *io = io_get(k, id, 0);
	uint64_t n = len < io_remain(io) ? len : io_remain(io);
	uint64_t hash = CORE_FNV_BASIS;

	res->count = io_move(k, io, n, IO_READ, 0, &hash);
	res->hash = hash; /* also on a fault: the partial copy OSTD reports */
	return res->count == n ? PTD_OK : PTD_ERR_FAULT;
}

enum ptd_status core_io_write(struct core *k, ptd_id_t id, uint64_t len, uint64_t seed,
			      int zeros, struct ptd_result *res)
{
	struct core_io *io = io_get(k, id, 1);
	uint64_t n = len < io_remain(io) ? len : io_remain(io);

	res->count = io_move(k, io, n, zeros ? IO_ZEROS : IO_WRITE, seed, NULL);
	return res->count == n ? PTD_OK : PTD_ERR_FAULT;
}

enum ptd_status core_io_skip(struct core *k, ptd_id_t id, uint64_t len)
{
	struct core_io *io = io_get(k, id, -1);

	if (len > io_remain(io)) {
		return PTD_ERR_WOULD_PANIC; /* OSTD: assert!(nbytes <= self.remain()) */
	}
	io->cursor += len;
	return PTD_OK;
}

enum ptd_status core_io_limit(struct core *k, ptd_id_t id, uint64_t len)
{
	struct core_io *io = io_get(k, id, -1);

	if (len < io_remain(io)) {
		io->end = io->cursor + len;
	}
	return PTD_OK;
}

enum ptd_status core_io_drop(struct core *k, ptd_id_t id)
{
	struct core_io *io = io_get(k, id, -1);
	struct core_vm_space *space = core_vm_space_get(k, io->vs);

	CORE_BUG_ON(space->nr_io == 0);
	space->nr_io--;
	core_registry_remove(&k->io_ids, id);
	return PTD_OK;
}
