/* SPDX-License-Identifier: MIT */
/*
 * Readers and writers (see io.h).  One loop, io_move(), serves IoRead, IoWrite and
 * IoFillZeros (and, all or nothing for the handle, ReaderReadVal, ReaderCollect and
 * WriterWriteVal): per page it translates the page (io_translate(): through the page table with
 * core_walk_leaf for a user handle, directly for a kernel one), stops at the first page whose
 * bytes cannot be moved, and otherwise moves the part of the request that lies in that page.
 * IoCopy translates its two pages once per run that crosses neither page boundary.  The ops
 * never touch a slot or the tree; only the handle's cursor and, for writes, frame contents
 * change.  A read's result hash is streamed over the runs it moves (moved_hash.h).
 */
#include "io.h"

#include <string.h>

#include "core.h"
#include "diag.h"
#include "moved_hash.h"
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
	CORE_HARNESS_CHECK(want_writer < 0 || io->is_writer == want_writer, "bad-io-kind",
			   "%s id %u is not a %s", io->is_writer ? "writer" : "reader", id,
			   want_writer ? "writer" : "reader");
	return io;
}

enum ptd_status core_io_new(struct core *k, ptd_id_t vs, ptd_vaddr_t va, uint64_t len,
			    int is_writer, ptd_id_t new_id)
{
	struct core_vm_space *space = core_vm_space_get(k, vs);
	struct core_io *io;

	/* Step 1: the contract's `vaddr + len <= MAX_USERSPACE_VADDR`, without overflow.  OSTD's
	 * "the space is activated" condition is not modelled (docs/CONTRACTS.md#io). */
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

enum ptd_status core_io_new_kernel(struct core *k, uint64_t offset, uint64_t len, int is_writer,
				   ptd_id_t new_id)
{
	struct core_io *io;

	/* Step 1: the range lies inside kernel memory, without overflow. */
	if (len > PTD_KERNEL_BYTES || offset > PTD_KERNEL_BYTES - len) {
		return PTD_ERR_BAD_RANGE;
	}
	core_registry_add(&k->io_ids, new_id);
	io = &k->ios[new_id];
	io->vs = 0; /* no address space: no nr_io to count */
	io->is_writer = (uint8_t)(is_writer != 0);
	io->start = offset;
	io->cursor = offset;
	io->end = offset + len;
	return PTD_OK;
}

/** Bytes left before the end: what an Io* count is capped at (POLICY: n = min(len, ...)). */
static uint64_t io_remain(const struct core_io *io)
{
	return io->end - io->cursor;
}

/*
 * struct io_page - where the page holding one byte of a handle's range lives.
 * @ok:     the page's bytes can be moved in the direction asked (kernel pages always can).
 * @kernel: kernel memory, @idx its kernel page; else @idx is a frame.
 */
struct io_page {
	int ok;
	int kernel;
	uint64_t idx;
};

/**
 * io_translate() - The page of byte @a of @io.  A user page is movable when it maps a tracked
 * frame and, for @write, the mapping has PTD_PF_W; an unmapped page or an I/O (untracked)
 * mapping is neither readable nor writable.  O(levels) for a user page.
 */
static struct io_page io_translate(struct core *k, const struct core_io *io, ptd_vaddr_t a,
				   int write)
{
	struct io_page pg = { 0, 0, 0 };
	core_pte_t pte;

	if (core_io_is_kernel(io)) {
		pg.ok = 1;
		pg.kernel = 1;
		pg.idx = a / PTD_PAGE_SIZE;
		return pg;
	}
	pte = core_walk_leaf(k, core_vm_space_get(k, io->vs)->root, a);
	if (!core_pte_present(pte) || !core_pte_tracked(pte)) {
		return pg; /* unmapped, or I/O memory */
	}
	if (write && !(core_pte_prop(pte).flags & PTD_PF_W)) {
		return pg; /* read-only mapping: not writable */
	}
	pg.ok = 1;
	pg.idx = core_pte_paddr(pte) / PTD_PAGE_SIZE;
	CORE_BUG_ON(pg.idx >= k->cfg.nframes);
	return pg;
}

/* What a frame never written reads as (it has no page, phys_mem.h). */
static const uint8_t zero_page[PTD_PAGE_SIZE];

/** The bytes of a readable page, or NULL when it is a frame never written (all zero). */
static const uint8_t *io_page_peek(const struct core *k, const struct io_page *pg)
{
	return pg->kernel ? k->kmem->bytes + pg->idx * PTD_PAGE_SIZE
			  : core_phys_mem_peek(&k->mem, pg->idx);
}

/** The bytes of a writable page, to be written (allocated, marked dirty or stale). */
static uint8_t *io_page_for_write(struct core *k, const struct io_page *pg)
{
	if (pg->kernel) {
		return core_kernel_mem_for_write(k->kmem, pg->idx * PTD_PAGE_SIZE);
	}
	core_touch(k, pg->idx); /* its contents may change */
	return core_phys_mem_for_write(&k->mem, pg->idx);
}

/**
 * io_write_run() - Write @n bytes of @data at @dst: the first of them is byte @k0 of the
 * writer's range and, for a byte string, its byte *@rep, which moves on past the @n bytes
 * (wrapping to 0 at @data->nbytes), so that consecutive runs continue the string.
 */
static void io_write_run(uint8_t *dst, uint64_t n, const struct core_io_data *data, uint64_t k0,
			 unsigned *rep)
{
	if (!data->nbytes) {
		for (uint64_t j = 0; j < n; j++) {
			dst[j] = ptd_io_byte(data->seed, k0 + j);
		}
		return;
	}
	for (uint64_t j = 0; j < n; j++) {
		dst[j] = data->bytes[*rep];
		if (++*rep == data->nbytes) {
			*rep = 0;
		}
	}
}

/**
 * io_move() - Move up to @n bytes at io->cursor and advance the cursor by the bytes moved.
 * Stops at the first page whose bytes cannot be moved (io_translate()).  Reading continues
 * @hash over the bytes read and, with @copy (room for @n bytes), copies them there; writing
 * writes @data (its byte string from its first byte on at io->cursor).
 * Return: the number of bytes moved.
 */
static uint64_t io_move(struct core *k, struct core_io *io, uint64_t n, enum io_mode mode,
			const struct core_io_data *data, struct core_moved_hash *hash,
			uint8_t *copy)
{
	uint64_t done = 0;
	unsigned rep = 0; /* the byte of data's string the next byte written is */

	while (done < n) {
		ptd_vaddr_t a = io->cursor + done; /* < end: no overflow */
		uint64_t off = a % PTD_PAGE_SIZE;
		uint64_t chunk = PTD_PAGE_SIZE - off;
		struct io_page pg = io_translate(k, io, a, mode != IO_READ);

		if (chunk > n - done) {
			chunk = n - done;
		}
		if (!pg.ok) {
			break;
		}
		if (mode == IO_READ) {
			const uint8_t *bytes = io_page_peek(k, &pg);

			bytes = bytes ? bytes + off : zero_page;
			core_moved_hash_bytes(hash, bytes, chunk);
			if (copy) {
				memcpy(copy + done, bytes, chunk);
			}
		} else if (mode == IO_WRITE) {
			/* a - io->start: the offset of byte a in the writer's range */
			io_write_run(io_page_for_write(k, &pg) + off, chunk, data, a - io->start,
				     &rep);
		} else if (io_page_peek(k, &pg)) {
			/* Fill zeros: a frame never written is already all zero; no page needed. */
			uint8_t *bytes = io_page_for_write(k, &pg);

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
	struct core_moved_hash hash;

	core_moved_hash_init(&hash);
	res->count = io_move(k, io, n, IO_READ, NULL, &hash, NULL);
	/* Also on a fault: the partial copy OSTD reports. */
	res->hash = core_moved_hash_value(&hash);
	return res->count == n ? PTD_OK : PTD_ERR_FAULT;
}

/** io_data_check() - @data's string fits struct ptd_op bytes (the harness passes no more). */
static void io_data_check(const struct core_io_data *data)
{
	CORE_HARNESS_CHECK(data->nbytes <= PTD_OP_BYTES_MAX, "bad-io-bytes",
			   "a write of %u bytes of data (at most %u)", data->nbytes,
			   PTD_OP_BYTES_MAX);
}

enum ptd_status core_io_write(struct core *k, ptd_id_t id, uint64_t len,
			      const struct core_io_data *data, int zeros, struct ptd_result *res)
{
	struct core_io *io = io_get(k, id, 1);
	uint64_t n = len < io_remain(io) ? len : io_remain(io);

	io_data_check(data);
	res->count = io_move(k, io, n, zeros ? IO_ZEROS : IO_WRITE, data, NULL, NULL);
	return res->count == n ? PTD_OK : PTD_ERR_FAULT;
}

/**
 * io_move_all() - Move exactly @len (<= remain) bytes or none, for the handle (see io.h): a
 * write of @data, or a read when @data is NULL, which reports the value read when @value and
 * @len <= PTD_VALUE_BYTES_MAX.
 */
static enum ptd_status io_move_all(struct core *k, struct core_io *io, uint64_t len,
				   const struct core_io_data *data, int value,
				   struct ptd_result *res)
{
	ptd_vaddr_t from = io->cursor;
	struct core_moved_hash hash;
	uint8_t bytes[PTD_VALUE_BYTES_MAX];
	uint8_t *copy = !data && value && len <= PTD_VALUE_BYTES_MAX ? bytes : NULL;

	core_moved_hash_init(&hash);
	if (io_move(k, io, len, data ? IO_WRITE : IO_READ, data, &hash, copy) != len) {
		/* OSTD: `self.cursor = self.cursor.sub(copied_len)`; written bytes stay. */
		io->cursor = from;
		return PTD_ERR_FAULT;
	}
	res->count = len;
	if (!data) {
		res->hash = core_moved_hash_value(&hash);
	}
	if (copy) {
		for (uint64_t j = len; j-- > 0;) {
			res->value = res->value << 8 | copy[j]; /* byte j in bits 8j..8j+7 */
		}
	}
	return PTD_OK;
}

enum ptd_status core_io_value(struct core *k, ptd_id_t id, uint64_t len,
			      const struct core_io_data *data, struct ptd_result *res)
{
	struct core_io *io = io_get(k, id, data != NULL);

	if (data) {
		io_data_check(data);
	}
	if (len > io_remain(io)) {
		return PTD_ERR_INVALID_ARGS; /* OSTD checks remain()/avail() before moving */
	}
	return io_move_all(k, io, len, data, 1, res);
}

enum ptd_status core_io_collect(struct core *k, ptd_id_t id, struct ptd_result *res)
{
	struct core_io *io = io_get(k, id, 0);

	return io_move_all(k, io, io_remain(io), NULL, 0, res); /* a buffer of remain() bytes */
}

enum ptd_status core_io_query(struct core *k, ptd_id_t id, int want_writer, struct ptd_result *res)
{
	const struct core_io *io = io_get(k, id, want_writer);

	res->count = io_remain(io);
	res->found = res->count > 0;
	res->va = io->cursor;
	return PTD_OK;
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

	if (!core_io_is_kernel(io)) {
		struct core_vm_space *space = core_vm_space_get(k, io->vs);

		CORE_BUG_ON(space->nr_io == 0);
		space->nr_io--;
	}
	core_registry_remove(&k->io_ids, id);
	return PTD_OK;
}

/*
 * IoCopy, one run at a time: a run is the longest stretch in which neither the source nor the
 * destination crosses a page, so its two pages are translated once.  The destination page is
 * taken for writing before the source is peeked, so that a never-written frame copied onto
 * itself is read from the page just allocated; then the run is copied forward one byte at a
 * time, each byte written before the next is read, which is the byte-by-byte definition even
 * when the ranges overlap within one frame or one kernel page.
 */
enum ptd_status core_io_copy(struct core *k, ptd_id_t reader, ptd_id_t writer, uint64_t len,
			     struct ptd_result *res)
{
	struct core_io *r = io_get(k, reader, 0);
	struct core_io *w = io_get(k, writer, 1);
	uint64_t n = len < io_remain(r) ? len : io_remain(r);
	struct core_moved_hash hash;
	uint64_t done = 0;

	core_moved_hash_init(&hash);
	if (n > io_remain(w)) {
		n = io_remain(w);
	}
	while (done < n) {
		ptd_vaddr_t a = r->cursor + done, b = w->cursor + done;
		uint64_t soff = a % PTD_PAGE_SIZE, doff = b % PTD_PAGE_SIZE;
		uint64_t chunk = PTD_PAGE_SIZE - (soff > doff ? soff : doff);
		struct io_page sp = io_translate(k, r, a, 0);
		struct io_page dp;
		const uint8_t *src;
		uint8_t *dst;

		if (!sp.ok) {
			break; /* source byte unreadable */
		}
		dp = io_translate(k, w, b, 1);
		if (!dp.ok) {
			break; /* destination byte unwritable */
		}
		if (chunk > n - done) {
			chunk = n - done;
		}
		dst = io_page_for_write(k, &dp) + doff;
		src = io_page_peek(k, &sp);
		for (uint64_t j = 0; j < chunk; j++) {
			dst[j] = src ? src[soff + j] : 0;
		}
		/* The run's bytes as copied: each destination byte was written once. */
		core_moved_hash_bytes(&hash, dst, chunk);
		done += chunk;
	}
	r->cursor += done;
	w->cursor += done;
	res->count = done;
	res->hash = core_moved_hash_value(&hash);
	return done == n ? PTD_OK : PTD_ERR_FAULT;
}
