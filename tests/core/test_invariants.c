/* SPDX-License-Identifier: MIT */
/*
 * Randomised property test of core alone (deterministic xorshift PRNG, fixed seed): many inputs
 * of random ops on a 1024-frame machine, with a reset between inputs.  Side-specific: its first
 * clause reads core's internals (node metadata, nr_children, live_groups, the pool's free set),
 * which the oracle does not have; the view clauses hold for the oracle too, which the fuzzer
 * holds to core's view after every op.  After every op:
 *   - internal consistency: every reachable node's nr_children and live_groups match its
 *     entries, its metadata matches its place in the tree, and the pool's free set holds
 *     exactly the pool slots whose rc is UNUSED;
 *   - the slot and accounting invariants (docs/CONTRACTS.md#invariants; rc == H + P + C for
 *     Frames: Frame handles, paths, covering segments; rc == UNIQUE iff exactly one
 *     UniqueFrame holds it);
 *   - the pool's free count equals the number of UNUSED pool slots (segments reaching into
 *     the pool make allocating ops run into POLICY §2 "Pool exhaustion" now and then);
 *   - a refused op (status != OK) left the whole view unchanged, except ERR_FAULT, the partial
 *     read or write of POLICY "Readers and writers" (it moves the cursor and writes bytes);
 *   - readers and writers: no such op changes a slot, a path or a mapping; every handle has
 *     start <= cursor <= end <= MAX_USERSPACE_VADDR; IoRead/IoWrite/IoFillZeros move exactly
 *     the bytes an independent page-by-page translation allows (count, hash, bytes written);
 *     kernel readers/writers and IoCopy likewise (IoCopy against a byte-by-byte model that
 *     sees its own writes); kernel_hash is the contents hash (XXH3-64) of kernel memory;
 *     contents[] lists exactly the non-zero written frames with their contents hash.
 * After every reset: every slot is initial and no handle is left, no frame has contents, kernel
 * memory is initial.
 */
#include <stdlib.h>
#include <string.h>
/* The hash of moved bytes (POLICY §3), from xxHash itself, a byte at a time. */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "backend_util.h"
#include "check.h"
#include "core.h"
#include "pt_node.h"

#define NF 1024u
#define POOL 512u
#define IOBASE 0x40000000ull
#define CAP 4096u
#define NR_INPUTS 550
#define NR_OPS 150

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t pick(uint64_t n)
{
	return rnd() % n;
}

/* Addresses near the interesting boundaries of the tree. */
static uint64_t rnd_va(void)
{
	static const uint64_t bases[] = { 0,          1ull << 21,
					  1ull << 22, 1ull << 30,
					  3ull << 30, 1ull << 39,
					  5ull << 39, (1ull << 47) - (1ull << 21) };
	uint64_t va = bases[pick(8)];
	int64_t off = (int64_t)pick(7) - 3;

	va += (uint64_t)(off * 4096);
	if (va >= (1ull << 47)) {
		va = 0;
	}
	return va;
}

static uint64_t rnd_len(void)
{
	static const uint64_t lens[] = { 0,          4096,       8192,
					 3 * 4096,   1ull << 21, (1ull << 21) + 4096,
					 1ull << 30, 1ull << 39, 1ull << 47 };
	uint64_t len = lens[pick(9)];

	if (pick(8) == 0) {
		len += 1; /* unaligned now and then */
	}
	return len;
}

struct model {
	struct core *k;
	struct ptd_view v;
	ptd_id_t next_id;
	ptd_id_t vss[CAP], curs[CAP], frames[CAP], segs[CAP], uniqs[CAP], ios[CAP];
	size_t nvs, ncur, nframes, nsegs, nuniqs, nios;
};

static void refresh(struct model *m)
{
	m->v.npaths = m->v.nmaps = m->v.nvmspaces = m->v.ncursors = m->v.nframes = 0;
	m->v.nsegments = m->v.nuniques = m->v.nios = m->v.ncontents = 0;
	m->v.overflow = 0;
	ptd_core_backend.view(m->k, &m->v);
	CHECK(!m->v.overflow);
}

/* The leaf PTE of @va in @vs, walked from the root without core's walk code; 0 if none. */
static core_pte_t leaf_of(struct core *k, ptd_id_t vs, ptd_vaddr_t va)
{
	ptd_paddr_t node = k->vm_spaces[vs].root;

	for (unsigned level = PTD_NR_LEVELS; level >= 1; level--) {
		core_pte_t pte = core_pt_node_entries(k, node)[core_pte_index(va, level)];

		if (!core_pte_present(pte) || level == 1) {
			return core_pte_present(pte) ? pte : 0;
		}
		node = core_pte_paddr(pte);
	}
	return 0;
}

/* Where byte @a of handle @io lives, if it can be moved (@write: written): a frame byte
 * idx * 4096 + offset, or NF * 4096 + offset for kernel memory.  Walked without core's code. */
#define KLOC ((uint64_t)NF * PTD_PAGE_SIZE)

static int io_loc(struct core *k, const struct core_io *io, ptd_vaddr_t a, int write, uint64_t *loc)
{
	core_pte_t pte;

	if (io->vs == 0) {
		*loc = KLOC + a;
		return a < PTD_KERNEL_BYTES;
	}
	pte = leaf_of(k, io->vs, a);
	if (!pte || !core_pte_tracked(pte) || (write && !(pte & CORE_PTE_WRITABLE))) {
		return 0;
	}
	*loc = core_pte_paddr(pte) + a % PTD_PAGE_SIZE;
	return 1;
}

/* The byte at @loc now. */
static uint8_t loc_byte(struct core *k, uint64_t loc)
{
	const uint8_t *bytes;

	if (loc >= KLOC) {
		return k->kmem->bytes[loc - KLOC];
	}
	bytes = core_phys_mem_peek(&k->mem, loc / PTD_PAGE_SIZE);
	return bytes ? bytes[loc % PTD_PAGE_SIZE] : 0;
}

/* Ops that read bytes into a buffer: IoRead and the fallible value reads. */
static int reads_bytes(enum ptd_op_kind kind)
{
	return kind == PTD_OP_IO_READ || kind == PTD_OP_READER_READ_VAL ||
	       kind == PTD_OP_READER_COLLECT;
}

/* The value ops (read_val, collect, write_val): all bytes or none, for the handle. */
static int moves_value(enum ptd_op_kind kind)
{
	return kind == PTD_OP_READER_READ_VAL || kind == PTD_OP_READER_COLLECT ||
	       kind == PTD_OP_WRITER_WRITE_VAL;
}

/* How many bytes an op that moves bytes through one handle asks for: min(len, remain) for
 * IoRead/IoWrite/IoFillZeros, everything that remains for collect, len for a value. */
static uint64_t io_want(const struct core *k, const struct ptd_op *op)
{
	const struct core_io *io = &k->ios[op->io];
	uint64_t remain = io->end - io->cursor;

	if (op->kind == PTD_OP_READER_COLLECT) {
		return remain;
	}
	if (moves_value(op->kind)) {
		return op->len;
	}
	return op->len < remain ? op->len : remain;
}

/* What an op that moves @n bytes through io handle op->io should do, byte by byte: how many
 * bytes can move before the first fault, and for a read the hash of those bytes and, when it
 * is ReaderReadVal of at most PTD_VALUE_BYTES_MAX bytes, their value (op.h). */
static void expect_io(struct core *k, const struct ptd_op *op, uint64_t n, uint64_t *count,
		      uint64_t *hash, uint64_t *value)
{
	const struct core_io *io = &k->ios[op->io];
	XXH3_state_t h;
	uint64_t c = 0;

	XXH3_64bits_reset(&h);
	*value = 0;
	for (; c < n; c++) {
		uint64_t loc = 0;

		if (!io_loc(k, io, io->cursor + c, !reads_bytes(op->kind), &loc)) {
			break;
		}
		XXH3_64bits_update(&h, (const uint8_t[]){ loc_byte(k, loc) }, 1);
		if (op->kind == PTD_OP_READER_READ_VAL && n <= PTD_VALUE_BYTES_MAX) {
			*value |= (uint64_t)loc_byte(k, loc) << (8 * c);
		}
	}
	*count = c;
	*hash = reads_bytes(op->kind) ? XXH3_64bits_digest(&h) : 0;
}

/* IoCopy's byte-by-byte definition, run before the op on an overlay of the bytes it writes
 * (so a copy that overlaps itself reads its own writes): count and hash; the overlay keeps the
 * final value of every destination byte for check_copied(). */
static uint32_t copy_stamp[NF * PTD_PAGE_SIZE + PTD_KERNEL_BYTES], copy_now;
static uint8_t copy_val[NF * PTD_PAGE_SIZE + PTD_KERNEL_BYTES];

static void expect_copy(struct core *k, const struct ptd_op *op, uint64_t *n, uint64_t *count,
			uint64_t *hash)
{
	const struct core_io *r = &k->ios[op->io], *w = &k->ios[op->io2];
	XXH3_state_t h;
	uint64_t c = 0;

	XXH3_64bits_reset(&h);

	*n = op->len < r->end - r->cursor ? op->len : r->end - r->cursor;
	*n = *n < w->end - w->cursor ? *n : w->end - w->cursor;
	copy_now++;
	for (; c < *n; c++) {
		uint64_t src = 0, dst = 0;
		uint8_t b;

		if (!io_loc(k, r, r->cursor + c, 0, &src) ||
		    !io_loc(k, w, w->cursor + c, 1, &dst)) {
			break;
		}
		b = copy_stamp[src] == copy_now ? copy_val[src] : loc_byte(k, src);
		copy_stamp[dst] = copy_now;
		copy_val[dst] = b;
		XXH3_64bits_update(&h, &b, 1);
	}
	*count = c;
	*hash = XXH3_64bits_digest(&h);
}

/* After the copy: every destination byte holds what expect_copy() left in the overlay. */
static void check_copied(struct core *k, const struct ptd_op *op, ptd_vaddr_t cursor,
			 uint64_t count)
{
	const struct core_io *w = &k->ios[op->io2];

	for (uint64_t c = 0; c < count; c++) {
		uint64_t dst = 0;
		int mapped = io_loc(k, w, cursor + c, 1, &dst);

		CHECK(mapped);
		if (!mapped) {
			return;
		}
		if (copy_stamp[dst] != copy_now || loc_byte(k, dst) != copy_val[dst]) {
			CHECK_EQ(loc_byte(k, dst), copy_val[dst]);
			return;
		}
	}
	CHECK(1);
}

/* After a write of @count bytes from @cursor: every byte is what POLICY says.  Walked from
 * the last byte down, and a byte of a frame mapped twice in the range is checked only for its
 * last write (stamp[] marks the frame bytes already checked in this call). */
static void check_written(struct core *k, const struct ptd_op *op, ptd_vaddr_t cursor,
			  uint64_t count)
{
	static uint32_t stamp[NF * PTD_PAGE_SIZE + PTD_KERNEL_BYTES], now;
	const struct core_io *io = &k->ios[op->io];

	now++;
	for (uint64_t c = count; c-- > 0;) {
		ptd_vaddr_t a = cursor + c;
		uint64_t loc = 0;
		uint8_t want = op->kind == PTD_OP_IO_FILL_ZEROS ? 0
			       : op->nbytes ? op->bytes[(a - cursor) % op->nbytes]
					    : ptd_io_byte(op->seed, a - io->start);
		uint8_t got;

		CHECK(io_loc(k, io, a, 1, &loc));
		got = loc_byte(k, loc);
		if (stamp[loc] == now) {
			continue;
		}
		stamp[loc] = now;
		if (got != want) {
			CHECK_EQ(got, want);
			return;
		}
	}
	CHECK(1);
}

/* Count present entries of a node and check its summaries; recurse. */
static void check_node(struct core *k, ptd_id_t vs, ptd_paddr_t node, unsigned level,
		       ptd_vaddr_t base, size_t *nr_nodes)
{
	const struct core_pt_node_meta *m = core_pt_node_meta(k, node);
	const core_pte_t *ents = core_pt_node_entries(k, node);
	unsigned present = 0;
	uint64_t groups = 0;

	(*nr_nodes)++;
	CHECK_EQ(m->level, level);
	CHECK_EQ(m->vs, vs);
	CHECK_EQ(m->base_va, base);
	for (unsigned i = 0; i < PTD_NR_ENTRIES; i++) {
		if (!core_pte_present(ents[i])) {
			CHECK_EQ(ents[i], 0);
			continue;
		}
		present++;
		groups |= 1ull << (i / 8);
		if (level > 1) {
			check_node(k, vs, core_pte_paddr(ents[i]), level - 1,
				   base + i * PTD_ENTRY_SPAN(level), nr_nodes);
		} else if (core_pte_tracked(ents[i])) {
			CHECK(core_pte_paddr(ents[i]) < NF * PTD_PAGE_SIZE);
		} else {
			CHECK(core_pte_paddr(ents[i]) >= IOBASE);
		}
	}
	CHECK_EQ(m->nr_children, present);
	CHECK_EQ(m->live_groups, groups);
}

/* Readers, writers and contents: handle ranges, nr_io per space, contents[] against the bytes
 * of every written frame (recomputed here, not taken from core's cache). */
static void check_io_state(struct model *m)
{
	struct core *k = m->k;
	size_t nonzero = 0;

	CHECK_EQ(m->v.nios, m->nios);
	for (size_t i = 0; i < m->v.nios; i++) {
		const struct ptd_io_view *v = &m->v.ios[i];

		CHECK(v->start <= v->cursor && v->cursor <= v->end &&
		      v->end <= (v->vs ? PTD_MAX_USERSPACE_VADDR : PTD_KERNEL_BYTES));
		CHECK(v->vs == 0 || core_registry_live(&k->vm_space_ids, v->vs));
	}
	for (uint32_t n = 0; n < k->vm_space_ids.nr_live; n++) {
		ptd_id_t vs = k->vm_space_ids.ids[n];
		uint32_t users = 0;

		for (size_t i = 0; i < m->v.nios; i++) {
			users += m->v.ios[i].vs == vs;
		}
		CHECK_EQ(k->vm_spaces[vs].nr_io, users);
	}
	for (uint64_t n = 0; n < k->mem.nr_written; n++) {
		uint64_t idx = k->mem.written[n];
		const uint8_t *bytes = core_phys_mem_peek(&k->mem, idx);
		uint8_t any = 0;
		int listed = 0;

		CHECK(bytes != NULL);
		if (!bytes) {
			continue;
		}
		for (size_t i = 0; i < PTD_PAGE_SIZE; i++) {
			any |= bytes[i];
		}
		for (size_t j = 0; j < m->v.ncontents; j++) {
			if (m->v.contents[j].slot == idx) {
				listed++;
				CHECK_EQ(m->v.contents[j].hash,
					 tb_contents_hash(bytes, PTD_PAGE_SIZE));
			}
		}
		CHECK_EQ(listed, any != 0);
		nonzero += any != 0;
	}
	CHECK_EQ(m->v.ncontents, nonzero);
}

static void check_state(struct model *m)
{
	struct core *k = m->k;
	size_t nr_nodes = 0, live_pt = 0;
	uint64_t lowest_unused = CORE_PT_POOL_NONE, pool_unused = 0;

	for (uint32_t n = 0; n < k->vm_space_ids.nr_live; n++) {
		ptd_id_t vs = k->vm_space_ids.ids[n];

		check_node(k, vs, k->vm_spaces[vs].root, PTD_NR_LEVELS, 0, &nr_nodes);
	}
	for (uint64_t i = 0; i < NF; i++) {
		const struct ptd_slot_view *s = &m->v.slots[i];
		size_t h = 0, p = 0, c = 0, u = 0;

		CHECK(s->rc == PTD_RC_UNUSED || s->rc == PTD_RC_UNIQUE ||
		      (s->rc >= 1 && s->rc <= PTD_RC_MAX));
		CHECK_EQ(s->in_list, 0);
		for (size_t j = 0; j < m->v.npaths; j++) {
			p += m->v.paths[j].slot == i;
		}
		for (size_t j = 0; j < m->v.nframes; j++) {
			h += m->v.frames[j].paddr == i * PTD_PAGE_SIZE;
		}
		for (size_t j = 0; j < m->v.nsegments; j++) {
			c += m->v.segments[j].start <= i * PTD_PAGE_SIZE &&
			     i * PTD_PAGE_SIZE < m->v.segments[j].end;
		}
		for (size_t j = 0; j < m->v.nuniques; j++) {
			u += m->v.uniques[j].paddr == i * PTD_PAGE_SIZE;
		}
		CHECK_EQ(u, s->rc == PTD_RC_UNIQUE);
		if (s->rc == PTD_RC_UNIQUE) {
			CHECK_EQ(s->usage, PTD_USAGE_FRAME);
			CHECK_EQ(p + h + c, 0);
		}
		if (s->rc == PTD_RC_UNUSED) {
			CHECK(!s->storage_init && !s->vtable_init);
			CHECK_EQ(p + h + c, 0);
			pool_unused += i >= POOL;
			if (i >= POOL && lowest_unused == CORE_PT_POOL_NONE) {
				lowest_unused = i;
			}
		} else {
			CHECK(s->storage_init && s->vtable_init);
		}
		if (s->usage == PTD_USAGE_FRAME && s->rc != PTD_RC_UNUSED &&
		    s->rc != PTD_RC_UNIQUE) {
			CHECK_EQ(s->rc, h + p + c); /* accounting invariant */
		}
		if (s->usage == PTD_USAGE_PAGE_TABLE && s->rc != PTD_RC_UNUSED) {
			CHECK_EQ(s->rc, 1);
			CHECK_EQ(p, 1);
			CHECK_EQ(h, 0);
			CHECK(i >= POOL);
			live_pt++;
		}
		if (i >= POOL) {
			uint64_t bit = (k->pool.free[0][(i - POOL) / 64] >> ((i - POOL) % 64)) & 1;

			CHECK_EQ(bit, s->rc == PTD_RC_UNUSED);
		}
	}
	CHECK_EQ(live_pt, nr_nodes);
	CHECK_EQ(core_pt_pool_lowest_free(&k->pool), lowest_unused);
	CHECK_EQ(k->pool.nr_free, pool_unused);
	check_io_state(m);
}

static void drop_from(ptd_id_t *arr, size_t *n, ptd_id_t id)
{
	for (size_t i = 0; i < *n; i++) {
		if (arr[i] == id) {
			arr[i] = arr[--*n];
			return;
		}
	}
}

/* Op kinds weighted so that spaces fill up before they are dropped. */
static enum ptd_op_kind pick_kind(void)
{
	static const unsigned weight[PTD_OP_COUNT] = {
		[PTD_OP_NEW_VM_SPACE] = 2,
		[PTD_OP_DROP_VM_SPACE] = 1,
		[PTD_OP_OPEN_CURSOR] = 3,
		[PTD_OP_OPEN_CURSOR_MUT] = 6,
		[PTD_OP_DROP_CURSOR] = 2,
		[PTD_OP_QUERY] = 6,
		[PTD_OP_FIND_NEXT] = 6,
		[PTD_OP_JUMP] = 6,
		[PTD_OP_VIRT_ADDR] = 1,
		[PTD_OP_MAP] = 14,
		[PTD_OP_MAP_IOMEM] = 4,
		[PTD_OP_UNMAP] = 5,
		[PTD_OP_TAKE_NEXT] = 4,
		[PTD_OP_PROTECT_NEXT] = 5,
		[PTD_OP_FRAME_FROM_UNUSED] = 12,
		[PTD_OP_FRAME_FROM_IN_USE] = 5,
		[PTD_OP_FRAME_DROP] = 3,
		[PTD_OP_SEGMENT_FROM_UNUSED] = 5,
		[PTD_OP_SEGMENT_DROP] = 2,
		[PTD_OP_SEGMENT_SPLIT] = 3,
		[PTD_OP_SEGMENT_NEXT] = 3,
		[PTD_OP_SEGMENT_CLONE] = 2,
		[PTD_OP_SEGMENT_SLICE] = 3,
		[PTD_OP_UNIQUE_FROM_UNUSED] = 4,
		[PTD_OP_UNIQUE_DROP] = 2,
		[PTD_OP_FROM_UNIQUE] = 2,
		[PTD_OP_TRY_FROM_SHARED] = 3,
		[PTD_OP_NEW_READER] = 2,
		[PTD_OP_NEW_WRITER] = 2,
		[PTD_OP_IO_READ] = 4,
		[PTD_OP_IO_WRITE] = 4,
		[PTD_OP_IO_FILL_ZEROS] = 2,
		[PTD_OP_IO_SKIP] = 1,
		[PTD_OP_IO_LIMIT] = 1,
		[PTD_OP_IO_DROP] = 3,
		[PTD_OP_NEW_KERNEL_READER] = 1,
		[PTD_OP_NEW_KERNEL_WRITER] = 1,
		[PTD_OP_IO_COPY] = 5,
		[PTD_OP_READER_READ_VAL] = 3,
		[PTD_OP_READER_COLLECT] = 2,
		[PTD_OP_WRITER_WRITE_VAL] = 3,
		[PTD_OP_READER_QUERY] = 1,
		[PTD_OP_WRITER_QUERY] = 1,
	};
	unsigned total = 0, w;
	int kind;

	for (kind = 0; kind < PTD_OP_COUNT; kind++) {
		total += weight[kind];
	}
	w = (unsigned)pick(total);
	for (kind = 0; w >= weight[kind]; kind++) {
		w -= weight[kind];
	}
	return (enum ptd_op_kind)kind;
}

/* Make one random op on live handles; returns 0 when no op of the chosen kind is possible. */
static int make_op(struct model *m, struct ptd_op *op)
{
	memset(op, 0, sizeof *op);
	op->kind = pick_kind();
	op->new_id = m->next_id;
	switch (op->kind) {
	case PTD_OP_NEW_VM_SPACE:
		return m->nvs < 6;
	case PTD_OP_DROP_VM_SPACE:
	case PTD_OP_OPEN_CURSOR:
	case PTD_OP_OPEN_CURSOR_MUT:
		if (!m->nvs) {
			return 0;
		}
		op->vs = m->vss[pick(m->nvs)];
		op->va = rnd_va();
		op->end = pick(4) ? op->va + rnd_len() : rnd_va();
		if (pick(2)) {
			op->end =
				op->va + (1 + pick(4)) * PTD_PAGE_SIZE; /* small: maps hit often */
		}
		return 1;
	case PTD_OP_FRAME_DROP:
	case PTD_OP_TRY_FROM_SHARED:
	case PTD_OP_MAP:
		if (!m->nframes) {
			return 0;
		}
		op->frame = m->frames[pick(m->nframes)];
		if (op->kind != PTD_OP_MAP) {
			return 1;
		}
		break;
	case PTD_OP_SEGMENT_FROM_UNUSED:
		/* Low frames (collide with frames), or a run into the pool (exhausts it). */
		op->paddr = pick(3) ? pick(16) * PTD_PAGE_SIZE
				    : (POOL + pick(NF - POOL + 2)) * PTD_PAGE_SIZE;
		op->len = pick(4) ? (1 + pick(4)) * PTD_PAGE_SIZE : pick(NF / 2) * PTD_PAGE_SIZE;
		if (pick(12) == 0 && core_pt_pool_lowest_free(&m->k->pool) != CORE_PT_POOL_NONE) {
			/* All of the pool from its lowest free frame on, but a page or two. */
			op->paddr = core_pt_pool_lowest_free(&m->k->pool) * PTD_PAGE_SIZE;
			op->len = NF * PTD_PAGE_SIZE - op->paddr - pick(3) * PTD_PAGE_SIZE;
		}
		if (pick(10) == 0) {
			op->len += pick(2) ? 1 : 0; /* unaligned now and then; empty above */
		}
		return 1;
	case PTD_OP_SEGMENT_DROP:
	case PTD_OP_SEGMENT_SPLIT:
	case PTD_OP_SEGMENT_NEXT:
	case PTD_OP_SEGMENT_CLONE:
	case PTD_OP_SEGMENT_SLICE: {
		const struct core_segment *seg;
		uint64_t pages;

		if (!m->nsegs) {
			return 0;
		}
		op->segment = m->segs[pick(m->nsegs)];
		seg = &m->k->segments[op->segment];
		pages = (seg->end - seg->start) / PTD_PAGE_SIZE;
		op->new_id2 = m->next_id + 1;
		op->len = pick(pages + 1) * PTD_PAGE_SIZE + (pick(8) == 0);
		op->paddr = seg->start + pick(pages + 1) * PTD_PAGE_SIZE;
		if (pick(8) == 0) {
			op->paddr -= PTD_PAGE_SIZE; /* below the segment */
		}
		return 1;
	}
	case PTD_OP_UNIQUE_DROP:
	case PTD_OP_FROM_UNIQUE:
		if (!m->nuniqs) {
			return 0;
		}
		op->unique = m->uniqs[pick(m->nuniqs)];
		return 1;
	case PTD_OP_UNIQUE_FROM_UNUSED:
	case PTD_OP_FRAME_FROM_UNUSED:
	case PTD_OP_FRAME_FROM_IN_USE:
		/* Mostly a few low frames, so frames get shared, mapped twice and reused. */
		op->paddr = pick(4)    ? pick(12) * PTD_PAGE_SIZE
			    : pick(16) ? pick(NF + 4) * PTD_PAGE_SIZE
				       : pick(NF * PTD_PAGE_SIZE);
		return 1;
	case PTD_OP_NEW_READER:
	case PTD_OP_NEW_WRITER:
		if (!m->nvs) {
			return 0;
		}
		if (m->ncur && pick(4)) {
			/* Around the first pages of a cursor's range, where the maps went. */
			const struct core_cursor *c = &m->k->cursors[m->curs[pick(m->ncur)]];

			op->vs = c->vs;
			op->va = c->start + pick(4 * PTD_PAGE_SIZE);
			op->len = pick(4) ? pick(3 * PTD_PAGE_SIZE) : pick(64);
			return 1;
		}
		op->vs = m->vss[pick(m->nvs)];
		op->va = pick(2) ? rnd_va() + pick(PTD_PAGE_SIZE)
				 : PTD_MAX_USERSPACE_VADDR - pick(3);
		op->len = pick(2) ? rnd_len() : pick(4); /* sometimes past the top */
		return 1;
	case PTD_OP_NEW_KERNEL_READER:
	case PTD_OP_NEW_KERNEL_WRITER:
		/* Small ranges, a few at the top; now and then past the end. */
		op->va = pick(4) ? pick(3 * PTD_PAGE_SIZE)
				 : PTD_KERNEL_BYTES - pick(2 * PTD_PAGE_SIZE);
		op->len = pick(4) ? pick(2 * PTD_PAGE_SIZE) : pick(2) ? pick(64) : rnd_len();
		return 1;
	case PTD_OP_IO_COPY: {
		ptd_id_t rd[CAP], wr[CAP];
		size_t nrd = 0, nwr = 0;
		uint64_t remain;

		for (size_t i = 0; i < m->nios; i++) {
			if (m->k->ios[m->ios[i]].is_writer) {
				wr[nwr++] = m->ios[i];
			} else {
				rd[nrd++] = m->ios[i];
			}
		}
		if (!nrd || !nwr) {
			return 0;
		}
		op->io = rd[pick(nrd)];
		op->io2 = wr[pick(nwr)];
		remain = m->k->ios[op->io].end - m->k->ios[op->io].cursor;
		op->len = pick(8) ? pick(remain + 2) : pick(2) ? UINT64_MAX : pick(64);
		return 1;
	}
	case PTD_OP_IO_READ:
	case PTD_OP_IO_WRITE:
	case PTD_OP_IO_FILL_ZEROS:
	case PTD_OP_IO_SKIP:
	case PTD_OP_IO_LIMIT:
	case PTD_OP_IO_DROP:
	case PTD_OP_READER_READ_VAL:
	case PTD_OP_READER_COLLECT:
	case PTD_OP_WRITER_WRITE_VAL:
	case PTD_OP_READER_QUERY:
	case PTD_OP_WRITER_QUERY: {
		ptd_id_t cand[CAP];
		size_t ncand = 0;
		const struct core_io *io;
		uint64_t remain;
		int readers = reads_bytes(op->kind) || op->kind == PTD_OP_READER_QUERY;
		int writers = op->kind == PTD_OP_IO_WRITE || op->kind == PTD_OP_IO_FILL_ZEROS ||
			      op->kind == PTD_OP_WRITER_WRITE_VAL ||
			      op->kind == PTD_OP_WRITER_QUERY;

		for (size_t i = 0; i < m->nios; i++) {
			int writer = m->k->ios[m->ios[i]].is_writer;

			if ((!readers || !writer) && (!writers || writer)) {
				cand[ncand++] = m->ios[i];
			}
		}
		if (!ncand) {
			return 0;
		}
		op->io = cand[pick(ncand)];
		io = &m->k->ios[op->io];
		remain = io->end - io->cursor;
		op->len = pick(8) ? pick(remain + 2) : pick(2) ? UINT64_MAX : pick(64);
		if (moves_value(op->kind) && !pick(4)) {
			op->len = 1 + pick(PTD_VALUE_BYTES_MAX); /* a scalar: read_val reports it */
		}
		op->seed = rnd();
		if (pick(2)) { /* the op's own bytes, repeated from the cursor (op.h) */
			op->nbytes = (uint8_t)(1 + pick(PTD_OP_BYTES_MAX));
			for (unsigned j = 0; j < op->nbytes; j++) {
				op->bytes[j] = (uint8_t)pick(256);
			}
		}
		return 1;
	}
	default:
		break;
	}
	if (!m->ncur) {
		return 0;
	}
	op->cursor = m->curs[pick(m->ncur)];
	/* Jump targets: mostly the first pages of the locked range, where the maps went. */
	op->va = pick(4) ? m->k->cursors[op->cursor].start + pick(3) * PTD_PAGE_SIZE : rnd_va();
	op->len = pick(2) ? rnd_len()
			  : (m->k->cursors[op->cursor].end - m->k->cursors[op->cursor].va) /
					    (1 + pick(3)) &
				    ~(PTD_PAGE_SIZE - 1);
	op->prop.flags = (uint8_t)pick(16);
	op->prop.cache = (uint8_t)pick(PTD_CACHE_COUNT);
	op->change.set = (uint8_t)pick(256);
	op->change.clear = (uint8_t)pick(256);
	op->change.cache = pick(6) == 5 ? PTD_CACHE_KEEP : (uint8_t)pick(PTD_CACHE_COUNT);
	op->paddr = pick(4) ? IOBASE + pick(20) * PTD_PAGE_SIZE : pick(1u << 31);
	return 1;
}

/* Keep the test's handle lists in step with what the op did. */
static void track(struct model *m, const struct ptd_op *op, const struct ptd_result *r)
{
	if (r->new_id) {
		CHECK_EQ(r->new_id, op->new_id);
		m->next_id++;
	}
	if (r->new_id2) {
		CHECK_EQ(r->new_id2, op->new_id2);
		m->next_id++;
	}
	if (r->status != PTD_OK) {
		return;
	}
	switch (op->kind) {
	case PTD_OP_NEW_VM_SPACE:
		m->vss[m->nvs++] = r->new_id;
		break;
	case PTD_OP_DROP_VM_SPACE:
		drop_from(m->vss, &m->nvs, op->vs);
		break;
	case PTD_OP_OPEN_CURSOR:
	case PTD_OP_OPEN_CURSOR_MUT:
		m->curs[m->ncur++] = r->new_id;
		break;
	case PTD_OP_DROP_CURSOR:
		drop_from(m->curs, &m->ncur, op->cursor);
		break;
	case PTD_OP_MAP:
	case PTD_OP_FRAME_DROP:
		drop_from(m->frames, &m->nframes, op->frame);
		break;
	case PTD_OP_QUERY:
	case PTD_OP_FRAME_FROM_UNUSED:
	case PTD_OP_FRAME_FROM_IN_USE:
		if (r->new_id) {
			m->frames[m->nframes++] = r->new_id;
		}
		break;
	case PTD_OP_SEGMENT_FROM_UNUSED:
	case PTD_OP_SEGMENT_CLONE:
	case PTD_OP_SEGMENT_SLICE:
		m->segs[m->nsegs++] = r->new_id;
		break;
	case PTD_OP_SEGMENT_DROP:
		drop_from(m->segs, &m->nsegs, op->segment);
		break;
	case PTD_OP_SEGMENT_SPLIT:
		drop_from(m->segs, &m->nsegs, op->segment);
		m->segs[m->nsegs++] = r->new_id;
		m->segs[m->nsegs++] = r->new_id2;
		break;
	case PTD_OP_SEGMENT_NEXT:
		m->frames[m->nframes++] = r->new_id;
		if (!core_registry_live(&m->k->segment_ids, op->segment)) {
			drop_from(m->segs, &m->nsegs, op->segment);
		}
		break;
	case PTD_OP_UNIQUE_FROM_UNUSED:
		m->uniqs[m->nuniqs++] = r->new_id;
		break;
	case PTD_OP_UNIQUE_DROP:
		drop_from(m->uniqs, &m->nuniqs, op->unique);
		break;
	case PTD_OP_FROM_UNIQUE:
		drop_from(m->uniqs, &m->nuniqs, op->unique);
		m->frames[m->nframes++] = r->new_id;
		break;
	case PTD_OP_TRY_FROM_SHARED:
		drop_from(m->frames, &m->nframes, op->frame);
		m->uniqs[m->nuniqs++] = r->new_id;
		break;
	case PTD_OP_NEW_READER:
	case PTD_OP_NEW_WRITER:
	case PTD_OP_NEW_KERNEL_READER:
	case PTD_OP_NEW_KERNEL_WRITER:
		m->ios[m->nios++] = r->new_id;
		break;
	case PTD_OP_IO_DROP:
		drop_from(m->ios, &m->nios, op->io);
		break;
	default:
		break;
	}
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p) {
		abort();
	}
	return p;
}

TEST(random_ops_keep_every_invariant)
{
	const struct ptd_config cfg = { .nframes = NF,
					.pt_pool_start = POOL,
					.iomem_base = IOBASE,
					.iomem_end = IOBASE + 16 * PTD_PAGE_SIZE,
					.max_handles = CAP };
	static struct model m;
	struct ptd_view before;
	size_t nr_ok = 0, nr_err = 0, nr_found = 0, nr_count = 0, nr_faults = 0, nr_moved = 0;
	size_t nr_values = 0; /* ReaderReadVal reported a non-zero value */
	size_t ok_by_kind[PTD_OP_COUNT] = { 0 };
	size_t nr_err_by_status[PTD_STATUS_COUNT] = { 0 };
	size_t k_pool_refusals = 0; /* WOULD_PANIC from NewVmSpace/OpenCursor*: the pool only */

	memset(&m, 0, sizeof m);
	m.k = ptd_core_backend.create(&cfg);
	CHECK(m.k != NULL);
	if (!m.k) {
		return;
	}
	m.v.nslots = NF;
	m.v.slots = xcalloc(NF, sizeof *m.v.slots);
	m.v.paths = xcalloc(CAP, sizeof *m.v.paths);
	m.v.paths_cap = CAP;
	m.v.maps = xcalloc(CAP, sizeof *m.v.maps);
	m.v.maps_cap = CAP;
	m.v.vmspaces = xcalloc(CAP, sizeof *m.v.vmspaces);
	m.v.vmspaces_cap = CAP;
	m.v.cursors = xcalloc(CAP, sizeof *m.v.cursors);
	m.v.cursors_cap = CAP;
	m.v.frames = xcalloc(CAP, sizeof *m.v.frames);
	m.v.frames_cap = CAP;
	m.v.segments = xcalloc(CAP, sizeof *m.v.segments);
	m.v.segments_cap = CAP;
	m.v.uniques = xcalloc(CAP, sizeof *m.v.uniques);
	m.v.uniques_cap = CAP;
	m.v.ios = xcalloc(CAP, sizeof *m.v.ios);
	m.v.ios_cap = CAP;
	m.v.contents = xcalloc(CAP, sizeof *m.v.contents);
	m.v.contents_cap = CAP;
	before = m.v;
	before.slots = xcalloc(NF, sizeof *m.v.slots);
	before.paths = xcalloc(CAP, sizeof *m.v.paths);
	before.maps = xcalloc(CAP, sizeof *m.v.maps);
	before.cursors = xcalloc(CAP, sizeof *m.v.cursors);
	before.frames = xcalloc(CAP, sizeof *m.v.frames);
	before.segments = xcalloc(CAP, sizeof *m.v.segments);
	before.uniques = xcalloc(CAP, sizeof *m.v.uniques);
	before.ios = xcalloc(CAP, sizeof *m.v.ios);
	before.contents = xcalloc(CAP, sizeof *m.v.contents);

	for (int input = 0; input < NR_INPUTS && !ptd_check_failures; input++) {
		ptd_core_backend.reset(m.k);
		m.nvs = m.ncur = m.nframes = m.nsegs = m.nuniqs = m.nios = 0;
		m.next_id = 1;
		refresh(&m);
		for (uint64_t i = 0; i < NF; i++) {
			CHECK(m.v.slots[i].rc == PTD_RC_UNUSED && m.v.slots[i].usage == 0);
		}
		CHECK_EQ(m.v.nvmspaces + m.v.ncursors + m.v.nframes + m.v.nsegments + m.v.nuniques +
				 m.v.nios + m.v.ncontents,
			 0);
		CHECK_EQ(m.k->mem.nr_written, 0);
		for (uint64_t i = 0; i < PTD_KERNEL_BYTES; i++) {
			if (m.k->kmem->bytes[i] != ptd_kernel_byte(i)) {
				CHECK_EQ(m.k->kmem->bytes[i], ptd_kernel_byte(i));
				break;
			}
		}
		CHECK_EQ(m.v.kernel_hash, tb_kernel_hash(m.k->kmem->bytes));
		CHECK_EQ(m.k->pool.nr_free, NF - POOL);
		for (int n = 0; n < NR_OPS && !ptd_check_failures; n++) {
			struct ptd_op op;
			struct ptd_result r;
			uint64_t want_count = 0, want_hash = 0, want_value = 0, io_n = 0;
			ptd_vaddr_t io_cursor = 0, io2_cursor = 0;
			int moves = 0;
			uint64_t kernel_hash = m.v.kernel_hash;

			if (!make_op(&m, &op)) {
				continue;
			}
			if (op.kind == PTD_OP_IO_READ || op.kind == PTD_OP_IO_WRITE ||
			    op.kind == PTD_OP_IO_FILL_ZEROS ||
			    (moves_value(op.kind) &&
			     io_want(m.k, &op) <= m.k->ios[op.io].end - m.k->ios[op.io].cursor)) {
				/* (A value larger than what remains is refused: the error path.) */
				moves = 1;
				io_cursor = m.k->ios[op.io].cursor;
				io_n = io_want(m.k, &op);
				expect_io(m.k, &op, io_n, &want_count, &want_hash, &want_value);
			} else if (op.kind == PTD_OP_IO_COPY) {
				moves = 1;
				io_cursor = m.k->ios[op.io].cursor;
				io2_cursor = m.k->ios[op.io2].cursor;
				expect_copy(m.k, &op, &io_n, &want_count, &want_hash);
			}
			memcpy(before.slots, m.v.slots, NF * sizeof *m.v.slots);
			memcpy(before.paths, m.v.paths, m.v.npaths * sizeof *m.v.paths);
			memcpy(before.maps, m.v.maps, m.v.nmaps * sizeof *m.v.maps);
			memcpy(before.cursors, m.v.cursors, m.v.ncursors * sizeof *m.v.cursors);
			memcpy(before.frames, m.v.frames, m.v.nframes * sizeof *m.v.frames);
			memcpy(before.segments, m.v.segments, m.v.nsegments * sizeof *m.v.segments);
			memcpy(before.uniques, m.v.uniques, m.v.nuniques * sizeof *m.v.uniques);
			memcpy(before.ios, m.v.ios, m.v.nios * sizeof *m.v.ios);
			memcpy(before.contents, m.v.contents, m.v.ncontents * sizeof *m.v.contents);
			before.nios = m.v.nios;
			before.ncontents = m.v.ncontents;
			before.nsegments = m.v.nsegments;
			before.nuniques = m.v.nuniques;
			before.npaths = m.v.npaths;
			before.nmaps = m.v.nmaps;
			before.ncursors = m.v.ncursors;
			before.nframes = m.v.nframes;
			before.nvmspaces = m.v.nvmspaces;
			memset(&r, 0, sizeof r);
			ptd_core_backend.apply(m.k, &op, &r);
			CHECK(r.status >= 0 && r.status < PTD_STATUS_COUNT);
			track(&m, &op, &r);
			refresh(&m);
			check_state(&m);
			if (moves && !reads_bytes(op.kind) &&
			    m.k->ios[op.kind == PTD_OP_IO_COPY ? op.io2 : op.io].vs == 0) {
				/* A kernel write: the hash, recomputed here, not core's cache. */
				CHECK_EQ(m.v.kernel_hash, tb_kernel_hash(m.k->kmem->bytes));
			} else {
				CHECK_EQ(m.v.kernel_hash, kernel_hash); /* no other op changes it */
			}
			if (op.kind >= PTD_OP_NEW_READER) {
				/* Readers and writers change no slot, path or mapping
				 * (docs/CONTRACTS.md#io). */
				CHECK(memcmp(before.slots, m.v.slots, NF * sizeof *m.v.slots) == 0);
				CHECK_EQ(before.npaths, m.v.npaths);
				CHECK_EQ(before.nmaps, m.v.nmaps);
				CHECK(memcmp(before.paths, m.v.paths,
					     m.v.npaths * sizeof *m.v.paths) == 0);
				CHECK(memcmp(before.maps, m.v.maps, m.v.nmaps * sizeof *m.v.maps) ==
				      0);
			}
			if (moves && moves_value(op.kind)) {
				/* All or nothing for the handle: on a fault the cursor is back, the
				 * result empty, and the bytes a write_val got to stay written. */
				int all = want_count == io_n;

				CHECK_EQ(r.status, all ? PTD_OK : PTD_ERR_FAULT);
				CHECK_EQ(r.count, all ? io_n : 0);
				CHECK_EQ(r.hash, all ? want_hash : 0);
				CHECK_EQ(r.value, all ? want_value : 0);
				nr_values += r.value != 0;
				CHECK_EQ(m.k->ios[op.io].cursor, io_cursor + r.count);
				if (!reads_bytes(op.kind)) {
					check_written(m.k, &op, io_cursor, want_count);
				} else {
					CHECK(memcmp(before.contents, m.v.contents,
						     m.v.ncontents * sizeof *m.v.contents) == 0);
				}
				nr_moved += r.count;
			} else if (op.kind == PTD_OP_READER_QUERY ||
				   op.kind == PTD_OP_WRITER_QUERY) {
				const struct core_io *io = &m.k->ios[op.io];

				CHECK_EQ(r.status, PTD_OK);
				CHECK_EQ(r.va, io->cursor);
				CHECK_EQ(r.count, io->end - io->cursor);
				CHECK_EQ(r.found, io->end > io->cursor);
				CHECK(memcmp(before.ios, m.v.ios, m.v.nios * sizeof *m.v.ios) == 0);
			} else if (moves) {
				CHECK_EQ(r.count, want_count);
				CHECK_EQ(r.hash, want_hash);
				CHECK_EQ(r.value, 0);
				CHECK_EQ(r.status, r.count == io_n ? PTD_OK : PTD_ERR_FAULT);
				CHECK_EQ(m.k->ios[op.io].cursor, io_cursor + r.count);
				if (op.kind == PTD_OP_IO_COPY) {
					CHECK_EQ(m.k->ios[op.io2].cursor, io2_cursor + r.count);
					check_copied(m.k, &op, io2_cursor, r.count);
				} else if (!reads_bytes(op.kind)) {
					check_written(m.k, &op, io_cursor, r.count);
				} else {
					CHECK(memcmp(before.contents, m.v.contents,
						     m.v.ncontents * sizeof *m.v.contents) == 0);
				}
				nr_moved += r.count;
			}
			if (r.status == PTD_ERR_FAULT) {
				nr_faults++;
				CHECK(moves);
				continue;
			}
			if (r.status == PTD_OK) {
				nr_ok++;
				ok_by_kind[op.kind]++;
				nr_found += r.found;
				nr_count += r.count;
				continue;
			}
			nr_err++;
			CHECK(memcmp(before.slots, m.v.slots, NF * sizeof *m.v.slots) == 0);
			CHECK_EQ(before.npaths, m.v.npaths);
			CHECK_EQ(before.nmaps, m.v.nmaps);
			CHECK_EQ(before.ncursors, m.v.ncursors);
			CHECK_EQ(before.nframes, m.v.nframes);
			CHECK_EQ(before.nvmspaces, m.v.nvmspaces);
			CHECK(memcmp(before.paths, m.v.paths, m.v.npaths * sizeof *m.v.paths) == 0);
			CHECK(memcmp(before.maps, m.v.maps, m.v.nmaps * sizeof *m.v.maps) == 0);
			CHECK(memcmp(before.cursors, m.v.cursors,
				     m.v.ncursors * sizeof *m.v.cursors) == 0);
			CHECK(memcmp(before.frames, m.v.frames, m.v.nframes * sizeof *m.v.frames) ==
			      0);
			CHECK_EQ(before.nsegments, m.v.nsegments);
			CHECK_EQ(before.nuniques, m.v.nuniques);
			CHECK(memcmp(before.segments, m.v.segments,
				     m.v.nsegments * sizeof *m.v.segments) == 0);
			CHECK(memcmp(before.uniques, m.v.uniques,
				     m.v.nuniques * sizeof *m.v.uniques) == 0);
			CHECK_EQ(before.nios, m.v.nios);
			CHECK_EQ(before.ncontents, m.v.ncontents);
			CHECK(memcmp(before.ios, m.v.ios, m.v.nios * sizeof *m.v.ios) == 0);
			CHECK(memcmp(before.contents, m.v.contents,
				     m.v.ncontents * sizeof *m.v.contents) == 0);
			CHECK_EQ(kernel_hash, m.v.kernel_hash);
			nr_err_by_status[r.status]++;
			k_pool_refusals += r.status == PTD_ERR_WOULD_PANIC &&
					   (op.kind == PTD_OP_NEW_VM_SPACE ||
					    op.kind == PTD_OP_OPEN_CURSOR ||
					    op.kind == PTD_OP_OPEN_CURSOR_MUT);
			CHECK_EQ(r.found + r.tracked + r.new_id + r.new_id2 + r.paddr + r.va +
					 r.va_end + r.count + r.hash + r.prop.flags + r.prop.cache,
				 0);
		}
	}
	/* Both outcomes were exercised plenty, every op kind succeeded, and searches found and
	 * unmaps removed things. */
	CHECK(nr_ok > 5000);
	CHECK(nr_err > 1000);
	for (int kind = 0; kind < PTD_OP_COUNT; kind++) {
		/* Together is no op of core's: groups run through apply_group (tests/harness). */
		if (kind != PTD_OP_TOGETHER && ok_by_kind[kind] < 20) {
			CHECK_EQ(kind + 1000 * ok_by_kind[kind], -1); /* names the kind */
		}
	}
	CHECK(nr_found > 150);
	CHECK(nr_count > 50);
	/* The new refusals happen too: segments into the pool exhaust it now and then. */
	CHECK(nr_err_by_status[PTD_ERR_WOULD_PANIC] > 100);
	CHECK(nr_err_by_status[PTD_ERR_SHARED] > 20);
	CHECK(nr_err_by_status[PTD_ERR_NOT_FRESH] > 20);
	CHECK(nr_err_by_status[PTD_ERR_UNIQUE] > 5);
	CHECK(k_pool_refusals > 5);
	/* Readers and writers: partial moves, refusals of their own, bytes moved. */
	CHECK(nr_faults > 100);
	CHECK(nr_moved > 50000);
	CHECK(nr_values > 20);
	CHECK(nr_err_by_status[PTD_ERR_BAD_RANGE] > 20);
	CHECK(nr_err_by_status[PTD_ERR_BUSY] > 20);
	CHECK_EQ(nr_err_by_status[PTD_ERR_FAULT], 0); /* counted in nr_faults */
	ptd_core_backend.destroy(m.k);
	free(m.v.slots);
	free(m.v.paths);
	free(m.v.maps);
	free(m.v.vmspaces);
	free(m.v.cursors);
	free(m.v.frames);
	free(m.v.segments);
	free(m.v.uniques);
	free(m.v.ios);
	free(m.v.contents);
	free(before.ios);
	free(before.contents);
	free(before.segments);
	free(before.uniques);
	free(before.slots);
	free(before.paths);
	free(before.maps);
	free(before.cursors);
	free(before.frames);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(random_ops_keep_every_invariant))
