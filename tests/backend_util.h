/* SPDX-License-Identifier: MIT */
/*
 * Test helpers that drive one backend through its public interface: apply an op, look at the
 * resulting view.  Used by the unit tests of core and of oracle alike (each test links one side).
 */
#ifndef PTDIFF_TESTS_BACKEND_UTIL_H
#define PTDIFF_TESTS_BACKEND_UTIL_H

#include "ptdiff/backend.h"

/* A small machine: 64 frames, page-table pool = frames 32..63, I/O window at 1 GiB. */
#define TB_NFRAMES 64u
#define TB_POOL_START 32u
#define TB_IOMEM_BASE 0x40000000ull
#define TB_IOMEM_PAGES 16u

struct tb {
	const struct ptd_backend *be;
	void *self;
	struct ptd_view view;
	ptd_id_t next_id;
};

void tb_init(struct tb *t, const struct ptd_backend *be);
void tb_fini(struct tb *t);
/* Apply op, return its result; then refresh t->view. */
struct ptd_result tb_apply(struct tb *t, struct ptd_op op);
ptd_id_t tb_fresh_id(struct tb *t);

/* Shorthands returning the result (new ids come from tb_fresh_id). */
struct ptd_result tb_new_vs(struct tb *t);
struct ptd_result tb_open(struct tb *t, ptd_id_t vs, uint64_t start, uint64_t end, int mut);
struct ptd_result tb_frame(struct tb *t, uint64_t paddr);

/* One shorthand per op; ops that create a handle take a fresh id. */
struct ptd_result tb_drop_vs(struct tb *t, ptd_id_t vs);
struct ptd_result tb_drop_cursor(struct tb *t, ptd_id_t c);
struct ptd_result tb_query(struct tb *t, ptd_id_t c);
struct ptd_result tb_find_next(struct tb *t, ptd_id_t c, uint64_t len);
struct ptd_result tb_jump(struct tb *t, ptd_id_t c, uint64_t va);
struct ptd_result tb_virt_addr(struct tb *t, ptd_id_t c);
struct ptd_result tb_map(struct tb *t, ptd_id_t c, ptd_id_t frame, struct ptd_prop prop);
struct ptd_result tb_map_iomem(struct tb *t, ptd_id_t c, uint64_t paddr, struct ptd_prop prop);
struct ptd_result tb_unmap(struct tb *t, ptd_id_t c, uint64_t len);
struct ptd_result tb_take_next(struct tb *t, ptd_id_t c, uint64_t len);
struct ptd_result tb_protect(struct tb *t, ptd_id_t c, uint64_t len, struct ptd_prop_change change);
struct ptd_result tb_from_in_use(struct tb *t, uint64_t paddr);
struct ptd_result tb_frame_drop(struct tb *t, ptd_id_t frame);

/* Segments and unique frames (ids from tb_fresh_id; SegmentSplit takes two, left first). */
struct ptd_result tb_segment(struct tb *t, uint64_t paddr, uint64_t len);
struct ptd_result tb_segment_drop(struct tb *t, ptd_id_t seg);
struct ptd_result tb_segment_split(struct tb *t, ptd_id_t seg, uint64_t offset);
struct ptd_result tb_segment_next(struct tb *t, ptd_id_t seg);
struct ptd_result tb_segment_clone(struct tb *t, ptd_id_t seg);
struct ptd_result tb_segment_slice(struct tb *t, ptd_id_t seg, uint64_t paddr, uint64_t len);
struct ptd_result tb_unique(struct tb *t, uint64_t paddr);
struct ptd_result tb_unique_drop(struct tb *t, ptd_id_t unique);
struct ptd_result tb_from_unique(struct tb *t, ptd_id_t unique);
struct ptd_result tb_try_from_shared(struct tb *t, ptd_id_t frame);
const struct ptd_segment_view *tb_segment_view(const struct tb *t, ptd_id_t id);
const struct ptd_unique_view *tb_unique_view(const struct tb *t, ptd_id_t id);

/* Readers and writers: tb_new_io creates one (writer != 0: a writer); tb_io applies IoRead,
 * IoWrite, IoFillZeros, IoSkip, IoLimit or IoDrop (seed only for IoWrite). */
struct ptd_result tb_new_io(struct tb *t, ptd_id_t vs, uint64_t va, uint64_t len, int writer);
struct ptd_result tb_io(struct tb *t, enum ptd_op_kind kind, ptd_id_t io, uint64_t len,
			uint64_t seed);
/* Kernel readers/writers over [offset, offset + len) of kernel memory, and IoCopy. */
struct ptd_result tb_new_kernel_io(struct tb *t, uint64_t offset, uint64_t len, int writer);
struct ptd_result tb_io_copy(struct tb *t, ptd_id_t reader, ptd_id_t writer, uint64_t len);
const struct ptd_io_view *tb_io_view(const struct tb *t, ptd_id_t id);
/* Whether slot's contents are not all zero in the view, and then their hash. */
int tb_content(const struct tb *t, uint64_t slot, uint64_t *hash);
/* The hash of the bytes an op moved, as POLICY.md defines it: XXH3-64, seed 0, of them in order
 * (for expectations computed from the bytes the test expects). */
uint64_t tb_moved_hash(const uint8_t *bytes, size_t n);
/* The view's contents hash of a frame or of kernel memory: XXH3-64, seed 0 (view.h). */
uint64_t tb_contents_hash(const uint8_t *bytes, size_t n);
/* The view's kernel_hash of the PTD_KERNEL_BYTES at @kernel: the contents hash of its 4 KiB
 * pages' contents hashes, as 64-bit words in page order (view.h). */
uint64_t tb_kernel_hash(const uint8_t *kernel);

const struct ptd_slot_view *tb_slot(const struct tb *t, uint64_t idx);
/* Number of positions in slot idx's paths; with pos != NULL, whether pos is among them. */
size_t tb_paths(const struct tb *t, uint64_t idx);
int tb_has_path(const struct tb *t, uint64_t idx, ptd_id_t vs, uint32_t depth, uint64_t va);
const struct ptd_mapping_view *tb_mapping(const struct tb *t, ptd_id_t vs, uint64_t va);
const struct ptd_cursor_view *tb_cursor(const struct tb *t, ptd_id_t id);
/* Number of slots in the page-table pool that hold a live node. */
size_t tb_live_nodes(const struct tb *t);
/* Number of slots in the page-table pool whose rc is UNUSED (what node allocation may take). */
size_t tb_free_pool_slots(const struct tb *t);

/* Re-read the view without applying an op (after reset, or after a test wrote a backend's
 * state directly). */
void tb_refresh(struct tb *t);

/* Whether the handle id is live: a Frame at paddr, a space, a segment over [start, end), a
 * unique frame at paddr. */
int tb_has_frame(const struct tb *t, ptd_id_t id, uint64_t paddr);
int tb_has_vs(const struct tb *t, ptd_id_t id);
int tb_has_segment(const struct tb *t, ptd_id_t id, uint64_t start, uint64_t end);
int tb_has_unique(const struct tb *t, ptd_id_t id, uint64_t paddr);

/* Every field of r but status, count and hash is zero. */
int tb_result_rest_zero(struct ptd_result r);

/*
 * Accounting invariant (docs/POLICY.md §3 "Segments" and "Unique frames") and the handle
 * clauses of the structural invariant, from the view.  Per slot i: H = Frame handles at i,
 * P = |paths(i)|, C = live segments covering i, U = unique frames at i.
 *   rc UNUSED => H = P = C = U = 0.
 *   rc UNIQUE => U == 1, usage Frame, in_list 0, storage initialised, H = P = C = 0.
 *   usage Frame, rc neither UNUSED nor UNIQUE => rc == H + P + C > 0, storage initialised, U 0.
 *   any other usage => U = H = C = 0.
 * Returns the number of slots that break it (printing each).
 */
int tb_accounting_violations(const struct tb *t);

/* A copy of the whole view, to prove that an op changed nothing. */
struct tb_snap {
	struct ptd_view v;
};

struct tb_snap tb_snap_take(const struct tb *t);
void tb_snap_free(struct tb_snap *s);
/* The view equals the snapshot: every slot, every list in the same order (an op that changes
 * nothing leaves the order as it was) and kernel_hash. */
int tb_snap_same(const struct tb *t, const struct tb_snap *s);
/* The same but for ios[] and contents[] (what a reader or writer may change). */
int tb_snap_same_but_io(const struct tb *t, const struct tb_snap *s);

#endif
