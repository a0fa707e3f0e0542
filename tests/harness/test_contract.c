/* SPDX-License-Identifier: MIT */
/*
 * The contract checker, on hand-made views: it accepts a step that keeps a contract and names
 * the clause a step that breaks it fails, one check per clause (docs/CONTRACTS.md names them op
 * by op).  The reader/writer contracts are the exec specs of ostd/src/mm/io.rs (`read_val`,
 * `collect`, `write_val`: `final(self).end == old(self).end`, `r is Err ==> *final(self) ==
 * *old(self)`; the pure queries change nothing); the slot contracts are the `_embedded` axioms
 * of vostd's ostd/specs/mm/embedding/ (cursor.rs, frame.rs, segment.rs, unique.rs,
 * vm_space.rs); the handle clauses are the store steps of its mod.rs; a refusal needs the reason
 * docs/POLICY.md gives its status; and each exemption (a departure docs/POLICY.md makes on
 * purpose) is admitted, except under strict.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "contract.h"
#include "geometry.h"
#include "state.h"

static struct ptd_config cfg;
static struct ptd_state pre, post;
static struct ptd_contract_checker checker;

/* Slot 5 a Frame held by handle f1 (rc 1), reader io1 over [0x1000, 0x1100) at 0x1010. */
static void baseline(struct ptd_view *v)
{
	for (uint64_t i = 0; i < v->nslots; i++)
		v->slots[i] = (struct ptd_slot_view){ .rc = PTD_RC_UNUSED };
	v->slots[5] = (struct ptd_slot_view){
		.rc = 1, .usage = PTD_USAGE_FRAME, .storage_init = 1, .vtable_init = 1
	};
	ptd_view_clear_lists(v);
	v->nframes = 1;
	v->frames[0] = (struct ptd_frame_view){ .id = 1, .paddr = 5 * PTD_PAGE_SIZE };
	v->nios = 1;
	v->ios[0] = (struct ptd_io_view){ .id = 1,
					  .vs = 1,
					  .kind = PTD_IO_READER,
					  .start = 0x1000,
					  .cursor = 0x1010,
					  .end = 0x1100 };
}

static void setup(void)
{
	cfg = ptd_fuzz_config();
	if (!pre.view.slots) {
		ptd_state_init(&pre, cfg.nframes, 64);
		ptd_state_init(&post, cfg.nframes, 64);
		ptd_contract_init(&checker, &cfg);
	}
	baseline(&pre.view);
	baseline(&post.view);
}

/* The clause the step pre -> post with result res breaks, or "ok". */
static const char *clause(enum ptd_op_kind kind, uint64_t len, struct ptd_result res)
{
	struct ptd_op op = { .kind = kind, .io = 1, .len = len };
	struct ptd_contract_failure f = { 0 };
	return ptd_check_contract(&checker, &pre.view, &post.view, &op, &res, &f) ? f.clause : "ok";
}

static struct ptd_result status(enum ptd_status st, uint64_t count)
{
	return (struct ptd_result){ .status = st, .count = count };
}

#define CHECK_CLAUSE(kind, len, res, want) CHECK(!strcmp(clause(kind, len, res), want))

TEST(read_val_and_write_val)
{
	setup();
	post.view.ios[0].cursor = 0x1018;
	CHECK_CLAUSE(PTD_OP_READER_READ_VAL, 8, status(PTD_OK, 8), "ok");
	CHECK_CLAUSE(PTD_OP_WRITER_WRITE_VAL, 8, status(PTD_OK, 8), "ok");
	/* Advanced by other than the value's size, or a count that disagrees. */
	CHECK_CLAUSE(PTD_OP_READER_READ_VAL, 4, status(PTD_OK, 4), "ok-advances");
	CHECK_CLAUSE(PTD_OP_READER_READ_VAL, 8, status(PTD_OK, 4), "ok-advances");
	/* An error that moved the cursor (no rollback). */
	CHECK_CLAUSE(PTD_OP_WRITER_WRITE_VAL, 8, status(PTD_ERR_FAULT, 0), "err-unchanged");
	post.view.ios[0].cursor = 0x1010;
	CHECK_CLAUSE(PTD_OP_WRITER_WRITE_VAL, 8, status(PTD_ERR_FAULT, 0), "ok");
	CHECK_CLAUSE(PTD_OP_READER_READ_VAL, 0x100, status(PTD_ERR_INVALID_ARGS, 0), "ok");
	/* The end moved. */
	post.view.ios[0].end = 0x1080;
	CHECK_CLAUSE(PTD_OP_READER_READ_VAL, 8, status(PTD_ERR_FAULT, 0), "end-kept");
	/* A slot changed. */
	setup();
	post.view.slots[5].rc = 2;
	CHECK_CLAUSE(PTD_OP_READER_READ_VAL, 8, status(PTD_ERR_FAULT, 0), "others-unchanged");
	/* The handle vanished. */
	setup();
	post.view.nios = 0;
	CHECK_CLAUSE(PTD_OP_READER_READ_VAL, 8, status(PTD_ERR_FAULT, 0), "handle");
}

TEST(collect_takes_everything_left)
{
	setup();
	post.view.ios[0].cursor = 0x1100;
	CHECK_CLAUSE(PTD_OP_READER_COLLECT, 0, status(PTD_OK, 0xf0), "ok");
	post.view.ios[0].cursor = 0x10f0;
	CHECK_CLAUSE(PTD_OP_READER_COLLECT, 0, status(PTD_OK, 0xe0), "ok-advances");
}

TEST(queries_change_nothing_and_report_the_handle)
{
	struct ptd_result r = { .status = PTD_OK, .found = 1, .va = 0x1010, .count = 0xf0 };
	setup();
	CHECK_CLAUSE(PTD_OP_READER_QUERY, 0, r, "ok");
	r.count = 0xef;
	CHECK_CLAUSE(PTD_OP_READER_QUERY, 0, r, "reports-handle");
	r.count = 0xf0;
	r.found = 0;
	CHECK_CLAUSE(PTD_OP_WRITER_QUERY, 0, r, "reports-handle");
	r.found = 1;
	post.view.ios[0].cursor = 0x1011;
	CHECK_CLAUSE(PTD_OP_READER_QUERY, 0, r, "handle-unchanged");
}

/* The seed: Some(pa) => rc + 1 at pa's slot, nothing else, and a new FrameEntry at pa. */
TEST(cursor_query_embedded)
{
	struct ptd_result r = {
		.status = PTD_OK, .found = 1, .tracked = 1, .paddr = 5 * PTD_PAGE_SIZE, .new_id = 2
	};
	setup();
	post.view.slots[5].rc = 2;
	post.view.nframes = 2;
	post.view.frames[1] = (struct ptd_frame_view){ .id = 2, .paddr = 5 * PTD_PAGE_SIZE };
	CHECK_CLAUSE(PTD_OP_QUERY, 0, r, "ok");
	post.view.slots[5].rc = 3;
	CHECK_CLAUSE(PTD_OP_QUERY, 0, r, "rc-plus-one");
	post.view.slots[5].rc = 2;
	post.view.slots[6].rc = 1;
	CHECK_CLAUSE(PTD_OP_QUERY, 0, r, "others-unchanged");
	post.view.slots[6].rc = PTD_RC_UNUSED;
	post.view.slots[5].in_list = 1;
	CHECK_CLAUSE(PTD_OP_QUERY, 0, r, "rest-unchanged");
	post.view.slots[5].in_list = 0;
	post.view.nframes = 1;
	CHECK_CLAUSE(PTD_OP_QUERY, 0, r, "frame-entry");
	post.view.nframes = 2;
	pre.view.slots[5].usage = post.view.slots[5].usage = PTD_USAGE_PAGE_TABLE;
	CHECK_CLAUSE(PTD_OP_QUERY, 0, r, "was-frame");
	r.paddr = 5 * PTD_PAGE_SIZE + 1;
	CHECK_CLAUSE(PTD_OP_QUERY, 0, r, "paddr-valid");
}

/* The whole check passes over unchanged slots a block at a time: a change to any one field of
 * any one slot, at either end of a block or of the view, is still found, and named. */
TEST(whole_scan_sees_every_slot_and_field)
{
	struct ptd_result r = { .status = PTD_OK, .found = 1, .va = 0x1010, .count = 0xf0 };
	struct ptd_contract_failure f = { 0 };
	struct ptd_op op = { .kind = PTD_OP_READER_QUERY, .io = 1 };
	char want[64];
	setup();
	for (uint64_t i = 0; i < post.view.nslots; i++) {
		struct ptd_slot_view *s = &post.view.slots[i], keep = *s;
		for (int field = 0; field < 5; field++) {
			*s = keep;
			switch (field) {
			case 0:
				s->rc ^= 1;
				break;
			case 1:
				s->in_list = 1;
				break;
			case 2:
				s->usage ^= 1;
				break;
			case 3:
				s->storage_init ^= 1;
				break;
			default:
				s->vtable_init ^= 1;
				break;
			}
			snprintf(want, sizeof want, "slot %" PRIu64 " changed", i);
			CHECK(ptd_check_contract(&checker, &pre.view, &post.view, &op, &r, &f));
			CHECK(!strcmp(f.clause, "others-unchanged"));
			CHECK(strstr(f.detail, want) != NULL);
		}
		*s = keep;
	}
	CHECK_CLAUSE(PTD_OP_READER_QUERY, 0, r, "ok");
}

/* Incremental checking (checker.only): "others unchanged" compares the records and paths of the
 * slots in only, each slot's paths looked up alone; slots outside only are taken as equal. */
TEST(others_unchanged_within_only)
{
	struct ptd_result r = { .status = PTD_OK, .found = 1, .va = 0x1010, .count = 0xf0 };
	uint64_t only[(PTD_FUZZ_NFRAMES + 63) / 64] = { 0 };
	setup();
	pre.view.npaths = post.view.npaths = 1; /* slot 5 mapped at one leaf position */
	pre.view.paths[0] = post.view.paths[0] =
		(struct ptd_path_view){ .slot = 5,
					.pos = { .vs = 1, .depth = PTD_LEAF_DEPTH, .va = 0x1000 } };
	post.view.npaths = 2; /* and slot 7 gains one */
	post.view.paths[1] =
		(struct ptd_path_view){ .slot = 7,
					.pos = { .vs = 1, .depth = PTD_LEAF_DEPTH, .va = 0x2000 } };
	CHECK_CLAUSE(PTD_OP_READER_QUERY, 0, r, "others-unchanged"); /* the whole scan */
	checker.only = only;
	ptd_bit_set(only, 7);
	ptd_bit_set(only, 5);
	CHECK_CLAUSE(PTD_OP_READER_QUERY, 0, r, "others-unchanged");
	memset(only, 0, sizeof only);
	ptd_bit_set(only, 5); /* slot 7 left out: not compared */
	CHECK_CLAUSE(PTD_OP_READER_QUERY, 0, r, "ok");
	post.view.paths[0].pos.va = 0x3000; /* slot 5's one position moves */
	CHECK_CLAUSE(PTD_OP_READER_QUERY, 0, r, "others-unchanged");
	checker.only = NULL;
}

/* Incremental checking (checker.parts): a list in a part the op did not touch is the same copy
 * in pre and post, so one the step leaves as it was is not compared; one the step changes (the
 * FrameEntry a Query adds) is compared all the same. */
TEST(untouched_parts_within_only)
{
	struct ptd_result q = {
		.status = PTD_OK, .found = 1, .tracked = 1, .paddr = 5 * PTD_PAGE_SIZE, .new_id = 2
	};
	struct ptd_result rq = { .status = PTD_OK, .found = 1, .va = 0x1010, .count = 0xf0 };
	uint64_t only[(PTD_FUZZ_NFRAMES + 63) / 64] = { 0 };
	setup();
	checker.only = only;
	checker.parts = 0;
	ptd_bit_set(only, 5);
	post.view.slots[5].rc = 2; /* the new FrameEntry missing from Frames, an untouched part */
	CHECK_CLAUSE(PTD_OP_QUERY, 0, q, "frame-entry");
	post.view.nframes = 2;
	post.view.frames[1] = (struct ptd_frame_view){ .id = 2, .paddr = 5 * PTD_PAGE_SIZE };
	CHECK_CLAUSE(PTD_OP_QUERY, 0, q, "ok");
	setup();
	post.view.frames[0].paddr += PTD_PAGE_SIZE; /* a ReaderQuery keeps the Frames list */
	CHECK_CLAUSE(PTD_OP_READER_QUERY, 0, rq, "ok");
	checker.parts = PTD_PART_BIT_FRAMES;
	CHECK_CLAUSE(PTD_OP_READER_QUERY, 0, rq, "frame-entry");
	checker.only = NULL;
	checker.parts = 0;
}

/* ---- the slot and handle contracts: both views built alike, then the post view made as the
 * step would leave it (or as it must not) ---- */

#define PAGE PTD_PAGE_SIZE

static void slot(struct ptd_view *v, uint64_t i, uint64_t rc, enum ptd_usage usage)
{
	int live = rc != PTD_RC_UNUSED;
	v->slots[i] = (struct ptd_slot_view){
		.rc = rc, .usage = usage, .storage_init = live, .vtable_init = live
	};
}

static int path_cmp(const void *a, const void *b)
{
	const struct ptd_path_view *x = a, *y = b;
	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	return ptd_pos_cmp(&x->pos, &y->pos);
}

/* Slot i gains (add) or loses (!add) the position (vs, depth, va); the list stays canonical. */
static void path(struct ptd_view *v, int add, uint64_t i, ptd_id_t vs, uint32_t depth,
		 ptd_vaddr_t va)
{
	struct ptd_path_view p = { .slot = i, .pos = { .vs = vs, .depth = depth, .va = va } };
	if (add) {
		v->paths[v->npaths++] = p;
	} else {
		for (size_t k = 0; k < v->npaths; k++)
			if (!path_cmp(&v->paths[k], &p)) {
				v->paths[k] = v->paths[--v->npaths];
				break;
			}
	}
	qsort(v->paths, v->npaths, sizeof *v->paths, path_cmp);
}

/* Handle lists, kept in id order: tests add ids in ascending order and remove with unlist(). */
static void unlist(void *items, size_t *n, size_t size, ptd_id_t id)
{
	unsigned char *a = items;
	for (size_t k = 0; k < *n; k++) {
		ptd_id_t got;
		memcpy(&got, a + k * size, sizeof got);
		if (got == id) {
			memmove(a + k * size, a + (k + 1) * size, (*n - k - 1) * size);
			--*n;
			return;
		}
	}
}

#define UNLIST(v, name, id) unlist((v)->name, &(v)->n##name, sizeof *(v)->name, id)

static void frame(struct ptd_view *v, ptd_id_t id, ptd_paddr_t pa)
{
	v->frames[v->nframes++] = (struct ptd_frame_view){ .id = id, .paddr = pa };
}

static void segment(struct ptd_view *v, ptd_id_t id, ptd_paddr_t start, ptd_paddr_t end)
{
	v->segments[v->nsegments++] =
		(struct ptd_segment_view){ .id = id, .start = start, .end = end };
}

static void unique(struct ptd_view *v, ptd_id_t id, ptd_paddr_t pa)
{
	v->uniques[v->nuniques++] = (struct ptd_unique_view){ .id = id, .paddr = pa };
}

static void mapping(struct ptd_view *v, ptd_vaddr_t va, ptd_paddr_t pa)
{
	v->maps[v->nmaps++] = (struct ptd_mapping_view){
		.vs = 1, .va = va, .pa = pa, .tracked = 1, .prop = { .flags = PTD_PF_W }
	};
}

/* On both views, as the state before and the unchanged part of the state after. */
#define BOTH(fn, ...) (fn(&pre.view, __VA_ARGS__), fn(&post.view, __VA_ARGS__))

/*
 * Address space vs1: root at slot 64 (the pool's first), level-3 node 65 and level-2 node 66
 * over [0, 1 GiB), level-1 node 67 over [0, 2 MiB); mutable cursor c1 over [0, 4 MiB) at va 0
 * (guard level 2, so the level-1 node lies wholly inside its range).
 */
static void space(void)
{
	setup();
	for (int s = 0; s < 2; s++) {
		struct ptd_view *v = s ? &post.view : &pre.view;
		ptd_view_clear_lists(v);
		slot(v, 5, PTD_RC_UNUSED, PTD_USAGE_UNUSED);
		for (uint32_t d = 0; d < 4; d++) {
			slot(v, 64 + d, 1, PTD_USAGE_PAGE_TABLE);
			path(v, 1, 64 + d, 1, d, 0);
		}
		v->vmspaces[v->nvmspaces++] = 1;
		v->cursors[v->ncursors++] = (struct ptd_cursor_view){ .id = 1,
								      .vs = 1,
								      .kind = PTD_CURSOR_MUTABLE,
								      .start = 0,
								      .end = 0x400000,
								      .va = 0 };
	}
}

static const char *check_op(struct ptd_op op, struct ptd_result res)
{
	struct ptd_contract_failure f = { 0 };
	return ptd_check_contract(&checker, &pre.view, &post.view, &op, &res, &f) ? f.clause : "ok";
}

#define CHECK_OP(op, res, want) CHECK(!strcmp(check_op(op, res), want))
#define OK ((struct ptd_result){ .status = PTD_OK })
#define ERR(st) ((struct ptd_result){ .status = (st) })
#define NEW(id) ((struct ptd_result){ .status = PTD_OK, .new_id = (id) })

static void strict(int on)
{
	checker.strict = on;
}

/* cursor_mut_map_embedded: the frame's rc kept and its paths one more, the cursor's; other live
 * slots unchanged; new slots only non-Frame nodes; the FrameEntry consumed. */
TEST(map_clauses)
{
	struct ptd_op op = {
		.kind = PTD_OP_MAP, .cursor = 1, .frame = 1, .prop = { .flags = PTD_PF_W }
	};
	space();
	BOTH(slot, 5, 1, PTD_USAGE_FRAME);
	BOTH(slot, 6, 1, PTD_USAGE_FRAME);
	BOTH(frame, 1, 5 * PAGE);
	BOTH(frame, 2, 6 * PAGE);
	UNLIST(&post.view, frames, 1);
	path(&post.view, 1, 5, 1, PTD_LEAF_DEPTH, 0);
	mapping(&post.view, 0, 5 * PAGE);
	post.view.cursors[0].va = PAGE;
	CHECK_OP(op, OK, "ok");
	frame(&post.view, 1, 5 * PAGE); /* the handle survives */
	CHECK_OP(op, OK, "frame-entry");
	UNLIST(&post.view, frames, 1);
	post.view.slots[5].rc = 2;
	CHECK_OP(op, OK, "frame-gains-path");
	post.view.slots[5].rc = 1;
	path(&post.view, 0, 5, 1, PTD_LEAF_DEPTH, 0);
	CHECK_OP(op, OK, "frame-gains-path");
	path(&post.view, 1, 5, 1, PTD_LEAF_DEPTH, 0);
	post.view.slots[5].storage_init = 0;
	CHECK_OP(op, OK, "frame-kept");
	post.view.slots[5].storage_init = 1;
	post.view.slots[6].rc = 2;
	CHECK_OP(op, OK, "others-unchanged");
	post.view.slots[6].rc = 1;
	slot(&post.view, 100, 1, PTD_USAGE_FRAME); /* a new slot must be a node */
	CHECK_OP(op, OK, "new-node");
	slot(&post.view, 100, 1, PTD_USAGE_PAGE_TABLE);
	CHECK_OP(op, OK, "ok");
	slot(&post.view, 100, PTD_RC_UNUSED, PTD_USAGE_UNUSED);
	post.view.cursors[0].end = 0x200000;
	CHECK_OP(op, OK, "cursor-entry");
	post.view.cursors[0].end = 0x400000;
	op.frame = 9;
	CHECK_OP(op, OK, "handles");
}

/* Map over a mapped page (exemption map-replace-release) and a frame mapped at one va in two
 * spaces (exemption path-multiset: as written, a set of tree paths cannot grow). */
TEST(map_exemptions)
{
	struct ptd_op op = { .kind = PTD_OP_MAP, .cursor = 1, .frame = 1 };
	space();
	BOTH(slot, 5, 1, PTD_USAGE_FRAME);
	BOTH(slot, 6, 1, PTD_USAGE_FRAME);
	BOTH(frame, 1, 5 * PAGE);
	BOTH(path, 1, 6, 1, PTD_LEAF_DEPTH, 0);
	BOTH(mapping, 0, 6 * PAGE);
	UNLIST(&post.view, frames, 1);
	path(&post.view, 1, 5, 1, PTD_LEAF_DEPTH, 0);
	post.view.maps[0].pa = 5 * PAGE;
	path(&post.view, 0, 6, 1, PTD_LEAF_DEPTH, 0); /* the old frame released: torn down */
	slot(&post.view, 6, PTD_RC_UNUSED, PTD_USAGE_FRAME);
	CHECK_OP(op, OK, "ok");
	strict(1);
	CHECK_OP(op, OK, "map-replace-release");
	strict(0);
	/* Frame 5 already mapped at va 0 of vs2 (rc 2: that mapping and f1), now in vs1 too. */
	space();
	BOTH(slot, 5, 2, PTD_USAGE_FRAME);
	BOTH(frame, 1, 5 * PAGE);
	BOTH(path, 1, 5, 2, PTD_LEAF_DEPTH, 0);
	UNLIST(&post.view, frames, 1);
	path(&post.view, 1, 5, 1, PTD_LEAF_DEPTH, 0);
	mapping(&post.view, 0, 5 * PAGE);
	CHECK_OP(op, OK, "ok");
	strict(1);
	CHECK_OP(op, OK, "path-multiset");
	strict(0);
}

/* cursor_mut_unmap_embedded: rc and |paths| drop together at Frame slots; usage, in_list,
 * vtable kept everywhere; no new UNIQUE; roots untouched; teardown and node freeing only as
 * the exemptions unmap-release and unmap-free-node. */
TEST(unmap_clauses)
{
	struct ptd_op op = { .kind = PTD_OP_UNMAP, .cursor = 1, .len = PAGE };
	space();
	BOTH(slot, 5, 2, PTD_USAGE_FRAME); /* f1 and the mapping at va 0 */
	BOTH(frame, 1, 5 * PAGE);
	BOTH(path, 1, 5, 1, PTD_LEAF_DEPTH, 0);
	mapping(&pre.view, 0, 5 * PAGE);
	path(&post.view, 0, 5, 1, PTD_LEAF_DEPTH, 0);
	post.view.slots[5].rc = 1;
	post.view.cursors[0].va = PAGE;
	CHECK_OP(op, OK, "ok");
	path(&post.view, 1, 5, 1, PTD_LEAF_DEPTH, 0); /* a reference less, the position kept */
	CHECK_OP(op, OK, "rc-paths-together");
	path(&post.view, 0, 5, 1, PTD_LEAF_DEPTH, 0);
	post.view.slots[5].rc = 2; /* the position gone, the reference kept */
	CHECK_OP(op, OK, "others-unchanged");
	post.view.slots[5].rc = PTD_RC_UNIQUE;
	CHECK_OP(op, OK, "no-new-unique");
	post.view.slots[5].rc = 1;
	post.view.slots[5].usage = PTD_USAGE_PAGE_TABLE;
	CHECK_OP(op, OK, "frame-kept");
	post.view.slots[5].usage = PTD_USAGE_FRAME;
	post.view.slots[64].rc = 2;
	CHECK_OP(op, OK, "root-kept");
	post.view.slots[64].rc = 1;
	post.view.slots[67].vtable_init = 0;
	CHECK_OP(op, OK, "node-kept");
	post.view.slots[67].vtable_init = 1;
	/* The frame's only reference was the mapping: torn down. */
	UNLIST(&pre.view, frames, 1);
	UNLIST(&post.view, frames, 1);
	pre.view.slots[5].rc = 1;
	slot(&post.view, 5, PTD_RC_UNUSED, PTD_USAGE_FRAME);
	CHECK_OP(op, OK, "ok");
	strict(1);
	CHECK_OP(op, OK, "unmap-release");
	strict(0);
	post.view.slots[5].storage_init = 1;
	CHECK_OP(op, OK, "teardown");
	/* The whole 2 MiB, nothing mapped: the level-1 node, wholly inside the range, is freed. */
	space();
	op.len = 0x200000;
	post.view.cursors[0].va = 0x200000;
	slot(&post.view, 67, PTD_RC_UNUSED, PTD_USAGE_PAGE_TABLE);
	path(&post.view, 0, 67, 1, 3, 0);
	CHECK_OP(op, OK, "ok");
	strict(1);
	CHECK_OP(op, OK, "unmap-free-node");
	strict(0);
	post.view.slots[67].vtable_init = 1; /* not torn down */
	CHECK_OP(op, OK, "node-free");
	post.view.slots[67].vtable_init = 0;
	op.len = 0x1000; /* a node not wholly inside the range */
	post.view.cursors[0].va = PAGE;
	CHECK_OP(op, OK, "node-free");
}

/* TakeNext: vostd exec take_next's ensures on the fragment, and Unmap's slot clauses on its
 * range (docs/CONTRACTS.md#take-next). */
TEST(take_next_clauses)
{
	struct ptd_op op = { .kind = PTD_OP_TAKE_NEXT, .cursor = 1, .len = PAGE };
	struct ptd_result frag = { .status = PTD_OK,
				   .found = PTD_FRAG_MAPPED,
				   .va = 0,
				   .va_end = PAGE,
				   .paddr = 5 * PAGE,
				   .tracked = 1,
				   .prop = { .flags = PTD_PF_W } };
	struct ptd_result r;
	space();
	BOTH(slot, 5, 2, PTD_USAGE_FRAME); /* f1 and the mapping at va 0 */
	BOTH(frame, 1, 5 * PAGE);
	BOTH(path, 1, 5, 1, PTD_LEAF_DEPTH, 0);
	mapping(&pre.view, 0, 5 * PAGE);
	path(&post.view, 0, 5, 1, PTD_LEAF_DEPTH, 0);
	post.view.slots[5].rc = 1;
	post.view.cursors[0].va = PAGE;
	CHECK_OP(op, frag, "ok");
	r = frag;
	r.prop.flags = 0; /* not the item that was mapped */
	CHECK_OP(op, r, "frag-item");
	r = frag;
	r.va = PAGE, r.va_end = 2 * PAGE; /* past va + len */
	CHECK_OP(op, r, "frag-in-range");
	post.view.cursors[0].va = 0;
	CHECK_OP(op, frag, "cursor-moved");
	post.view.cursors[0].va = PAGE;
	path(&post.view, 1, 5, 1, PTD_LEAF_DEPTH, 0); /* a reference less, the position kept */
	CHECK_OP(op, frag, "rc-paths-together");
	path(&post.view, 0, 5, 1, PTD_LEAF_DEPTH, 0);
	mapping(&post.view, 0, 5 * PAGE); /* the mapping still there */
	CHECK_OP(op, frag, "frag-removed");
	post.view.nmaps = 0;
	/* A fragment after a mapping it skipped; nothing found over a mapped page. */
	op.len = 2 * PAGE;
	r = frag;
	r.va = PAGE, r.va_end = 2 * PAGE;
	CHECK_OP(op, r, "frag-first");
	CHECK_OP(op, OK, "none-empty");
	/* Nothing in [va, va + len): None, everything kept, the cursor at va + len. */
	BOTH(path, 0, 5, 1, PTD_LEAF_DEPTH, 0);
	BOTH(path, 1, 5, 1, PTD_LEAF_DEPTH, 2 * PAGE);
	BOTH(slot, 5, 2, PTD_USAGE_FRAME);
	pre.view.maps[0].va = 2 * PAGE;
	mapping(&post.view, 2 * PAGE, 5 * PAGE);
	post.view.cursors[0].va = 2 * PAGE;
	CHECK_OP(op, OK, "ok");
	post.view.cursors[0].va = PAGE;
	CHECK_OP(op, OK, "cursor-moved");
	post.view.cursors[0].va = 2 * PAGE;
	post.view.nmaps = 0;
	CHECK_OP(op, OK, "frag-removed");
	/* The level-1 node over [0, 2 MiB), with the only reference of frame 5 at va 0: a stray
	 * sub-tree, num_frames 1; node and frame both go. */
	space();
	op.len = 0x400000;
	BOTH(slot, 5, 1, PTD_USAGE_FRAME);
	path(&pre.view, 1, 5, 1, PTD_LEAF_DEPTH, 0);
	mapping(&pre.view, 0, 5 * PAGE);
	slot(&post.view, 5, PTD_RC_UNUSED, PTD_USAGE_FRAME);
	slot(&post.view, 67, PTD_RC_UNUSED, PTD_USAGE_PAGE_TABLE);
	path(&post.view, 0, 67, 1, 3, 0);
	post.view.cursors[0].va = 0x200000;
	frag = (struct ptd_result){ .status = PTD_OK,
				    .found = PTD_FRAG_STRAY,
				    .va = 0,
				    .va_end = 0x200000,
				    .paddr = 67 * PAGE,
				    .count = 1 };
	CHECK_OP(op, frag, "ok");
	r = frag;
	r.count = 2;
	CHECK_OP(op, r, "num-frames");
	r = frag;
	r.paddr = 66 * PAGE; /* the level-2 node: it spans 1 GiB */
	CHECK_OP(op, r, "stray-node");
	strict(1);
	CHECK_OP(op, frag, "unmap-release");
	strict(0);
	/* The same node empty: only the node goes, the exemption unmap-free-node. */
	space();
	op.len = 0x400000;
	slot(&post.view, 67, PTD_RC_UNUSED, PTD_USAGE_PAGE_TABLE);
	path(&post.view, 0, 67, 1, 3, 0);
	post.view.cursors[0].va = 0x200000;
	frag.count = 0;
	CHECK_OP(op, frag, "ok");
	strict(1);
	CHECK_OP(op, frag, "unmap-free-node");
	strict(0);
	post.view.slots[67].vtable_init = 1; /* not torn down */
	CHECK_OP(op, frag, "node-free");
	/* Refusals: through a mutable cursor only a bad length; read-only, through a read-only
	 * cursor. */
	space();
	CHECK_OP(op, ERR(PTD_ERR_WOULD_PANIC), "refusal-reason");
	op.len = PAGE + 1;
	CHECK_OP(op, ERR(PTD_ERR_WOULD_PANIC), "ok");
	op.len = PAGE;
	CHECK_OP(op, ERR(PTD_ERR_READ_ONLY), "refusal-reason");
	pre.view.cursors[0].kind = post.view.cursors[0].kind = PTD_CURSOR_READ_ONLY;
	CHECK_OP(op, ERR(PTD_ERR_READ_ONLY), "ok");
}

/* lemma_step_drop_vm_space: slots unchanged, admitted as drop-vmspace-release; the space goes. */
TEST(drop_vm_space_clauses)
{
	struct ptd_op op = { .kind = PTD_OP_DROP_VM_SPACE, .vs = 1 };
	space();
	BOTH(UNLIST, cursors, 1);
	UNLIST(&post.view, vmspaces, 1);
	for (uint32_t d = 0; d < 4; d++) {
		slot(&post.view, 64 + d, PTD_RC_UNUSED, PTD_USAGE_PAGE_TABLE);
		path(&post.view, 0, 64 + d, 1, d, 0);
	}
	CHECK_OP(op, OK, "ok");
	strict(1);
	CHECK_OP(op, OK, "drop-vmspace-release");
	strict(0);
	post.view.vmspaces[post.view.nvmspaces++] = 1;
	CHECK_OP(op, OK, "vm-space-entry");
}

/* vm_space_new_embedded and vm_space_cursor_mut_embedded: only UNUSED slots become nodes
 * (PageTable ones for a new space, with its root among them); the entries registered. */
TEST(new_vm_space_and_cursor_clauses)
{
	struct ptd_op op = { .kind = PTD_OP_NEW_VM_SPACE };
	space();
	post.view.vmspaces[post.view.nvmspaces++] = 2;
	slot(&post.view, 70, 1, PTD_USAGE_PAGE_TABLE);
	path(&post.view, 1, 70, 2, 0, 0);
	CHECK_OP(op, NEW(2), "ok");
	post.view.slots[70].usage = PTD_USAGE_META;
	CHECK_OP(op, NEW(2), "new-node");
	post.view.slots[70].usage = PTD_USAGE_PAGE_TABLE;
	path(&post.view, 0, 70, 2, 0, 0);
	CHECK_OP(op, NEW(2), "root");
	path(&post.view, 1, 70, 2, 0, 0);
	post.view.nvmspaces = 1;
	CHECK_OP(op, NEW(2), "vm-space-entry");

	op = (struct ptd_op){
		.kind = PTD_OP_OPEN_CURSOR_MUT, .vs = 1, .va = 0x400000, .end = 0x401000
	};
	space();
	post.view.cursors[post.view.ncursors++] =
		(struct ptd_cursor_view){ .id = 2,
					  .vs = 1,
					  .kind = PTD_CURSOR_MUTABLE,
					  .start = 0x400000,
					  .end = 0x401000,
					  .va = 0x400000 };
	slot(&post.view, 70, 1, PTD_USAGE_PAGE_TABLE);
	path(&post.view, 1, 70, 1, 3, 0x400000);
	CHECK_OP(op, NEW(2), "ok");
	post.view.slots[70].usage = PTD_USAGE_FRAME;
	CHECK_OP(op, NEW(2), "new-node");
	post.view.slots[70].usage = PTD_USAGE_PAGE_TABLE;
	post.view.cursors[1].kind = PTD_CURSOR_READ_ONLY;
	CHECK_OP(op, NEW(2), "cursor-entry");
}

/* frame_from_unused_embedded and frame_from_in_use_embedded (get_from_unused_spec,
 * get_from_in_use_success and the axiom's "usage Frame"). */
TEST(frame_from_clauses)
{
	struct ptd_op op = { .kind = PTD_OP_FRAME_FROM_UNUSED, .paddr = 6 * PAGE };
	space();
	slot(&post.view, 6, 1, PTD_USAGE_FRAME);
	frame(&post.view, 2, 6 * PAGE);
	CHECK_OP(op, NEW(2), "ok");
	post.view.slots[6].vtable_init = 0;
	CHECK_OP(op, NEW(2), "claimed");
	post.view.slots[6].vtable_init = 1;
	post.view.nframes = 0;
	CHECK_OP(op, NEW(2), "frame-entry");
	op.paddr = 6 * PAGE + 1;
	CHECK_OP(op, NEW(2), "paddr-valid");
	op.paddr = 64 * PAGE; /* the root's slot is not parked: the step is a no-op */
	CHECK_OP(op, NEW(2), "unparked-no-op");

	op = (struct ptd_op){ .kind = PTD_OP_FRAME_FROM_IN_USE, .paddr = 5 * PAGE };
	space();
	BOTH(slot, 5, 1, PTD_USAGE_FRAME);
	BOTH(frame, 1, 5 * PAGE);
	post.view.slots[5].rc = 2;
	frame(&post.view, 2, 5 * PAGE);
	CHECK_OP(op, NEW(2), "ok");
	post.view.slots[5].rc = 3;
	CHECK_OP(op, NEW(2), "rc-plus-one");
	post.view.slots[5].rc = 2;
	post.view.slots[5].in_list = 1;
	CHECK_OP(op, NEW(2), "rest-unchanged");
	/* OSTD's count-only check: a Frame handle to the level-1 node. */
	space();
	post.view.slots[67].rc = 2;
	frame(&post.view, 2, 67 * PAGE);
	op.paddr = 67 * PAGE;
	CHECK_OP(op, NEW(2), "is-frame");
	op.paddr = 67 * PAGE + 1;
	CHECK_OP(op, NEW(2), "paddr-valid");
	op.paddr = 64 * PAGE;
	CHECK_OP(op, NEW(2), "unparked-no-op");
}

/* frame_drop_embedded: one reference less; op_pre's "no segment covers it" is the exemption
 * frame-drop-covered; at rc 1 the frame is unmapped (drop_requires). */
TEST(frame_drop_clauses)
{
	struct ptd_op op = { .kind = PTD_OP_FRAME_DROP, .frame = 2 };
	space();
	BOTH(slot, 5, 2, PTD_USAGE_FRAME);
	BOTH(frame, 1, 5 * PAGE);
	BOTH(frame, 2, 5 * PAGE);
	post.view.slots[5].rc = 1;
	UNLIST(&post.view, frames, 2);
	CHECK_OP(op, OK, "ok");
	post.view.slots[5].rc = 2;
	CHECK_OP(op, OK, "drop-one");
	post.view.slots[5].rc = 1;
	frame(&post.view, 2, 5 * PAGE);
	CHECK_OP(op, OK, "frame-entry");
	UNLIST(&post.view, frames, 2);
	BOTH(segment, 1, 5 * PAGE, 6 * PAGE);
	pre.view.slots[5].rc = 3;
	post.view.slots[5].rc = 2;
	CHECK_OP(op, OK, "ok");
	strict(1);
	CHECK_OP(op, OK, "frame-drop-covered");
	strict(0);
	/* rc 1 but mapped: outside drop_requires. */
	space();
	BOTH(slot, 5, 1, PTD_USAGE_FRAME);
	BOTH(frame, 2, 5 * PAGE);
	BOTH(path, 1, 5, 1, PTD_LEAF_DEPTH, 0);
	UNLIST(&post.view, frames, 2);
	CHECK_OP(op, OK, "drop-pre");
}

/* segment_from_unused_embedded, lemma_segment_drop_embedded, segment_clone_embedded (clone and
 * slice), and the store steps of split and next. */
TEST(segment_clauses)
{
	struct ptd_op op = { .kind = PTD_OP_SEGMENT_FROM_UNUSED,
			     .paddr = 8 * PAGE,
			     .len = 2 * PAGE };
	space();
	slot(&post.view, 8, 1, PTD_USAGE_FRAME);
	slot(&post.view, 9, 1, PTD_USAGE_FRAME);
	segment(&post.view, 1, 8 * PAGE, 10 * PAGE);
	CHECK_OP(op, NEW(1), "ok");
	post.view.slots[9].rc = 2;
	CHECK_OP(op, NEW(1), "claimed");
	post.view.slots[9].rc = 1;
	post.view.segments[0].end = 9 * PAGE;
	CHECK_OP(op, NEW(1), "segment-entry");
	op.len = 0;
	CHECK_OP(op, NEW(1), "range-valid");

	/* Drop: each covered page one reference less. */
	op = (struct ptd_op){ .kind = PTD_OP_SEGMENT_DROP, .segment = 1 };
	space();
	BOTH(slot, 8, 1, PTD_USAGE_FRAME);
	BOTH(slot, 9, 1, PTD_USAGE_FRAME);
	BOTH(segment, 1, 8 * PAGE, 10 * PAGE);
	slot(&post.view, 8, PTD_RC_UNUSED, PTD_USAGE_FRAME);
	slot(&post.view, 9, PTD_RC_UNUSED, PTD_USAGE_FRAME);
	post.view.nsegments = 0;
	CHECK_OP(op, OK, "ok");
	post.view.slots[9].usage = PTD_USAGE_UNUSED;
	CHECK_OP(op, OK, "drop-one");

	/* Clone: rc + 1 on every page, every other field kept, a segment over the same range. */
	op = (struct ptd_op){ .kind = PTD_OP_SEGMENT_CLONE, .segment = 1 };
	space();
	BOTH(slot, 8, 1, PTD_USAGE_FRAME);
	BOTH(slot, 9, 1, PTD_USAGE_FRAME);
	BOTH(segment, 1, 8 * PAGE, 10 * PAGE);
	post.view.slots[8].rc = post.view.slots[9].rc = 2;
	segment(&post.view, 2, 8 * PAGE, 10 * PAGE);
	CHECK_OP(op, NEW(2), "ok");
	post.view.slots[9].rc = 3;
	CHECK_OP(op, NEW(2), "rc-plus-one");
	post.view.slots[9].rc = 2;
	post.view.slots[8].vtable_init = 0;
	CHECK_OP(op, NEW(2), "rest-unchanged");
	post.view.slots[8].vtable_init = 1;
	post.view.segments[1].start = 9 * PAGE;
	CHECK_OP(op, NEW(2), "segment-entry");

	/* Slice: the same over the sub-range. */
	op = (struct ptd_op){
		.kind = PTD_OP_SEGMENT_SLICE, .segment = 1, .paddr = 9 * PAGE, .len = PAGE
	};
	post.view.slots[8].rc = 1;
	post.view.segments[1].start = 9 * PAGE;
	CHECK_OP(op, NEW(2), "ok");
	post.view.segments[1].start = 8 * PAGE;
	CHECK_OP(op, NEW(2), "segment-entry");
	op.paddr = 7 * PAGE;
	CHECK_OP(op, NEW(2), "range-valid");

	/* Split: the segment replaced by its two halves, slots unchanged. */
	op = (struct ptd_op){ .kind = PTD_OP_SEGMENT_SPLIT, .segment = 1, .len = PAGE };
	space();
	BOTH(slot, 8, 1, PTD_USAGE_FRAME);
	BOTH(slot, 9, 1, PTD_USAGE_FRAME);
	BOTH(segment, 1, 8 * PAGE, 10 * PAGE);
	post.view.nsegments = 0;
	segment(&post.view, 2, 8 * PAGE, 9 * PAGE);
	segment(&post.view, 3, 9 * PAGE, 10 * PAGE);
	CHECK_OP(op, ((struct ptd_result){ .status = PTD_OK, .new_id = 2, .new_id2 = 3 }), "ok");
	post.view.segments[0].end = 10 * PAGE;
	CHECK_OP(op, ((struct ptd_result){ .status = PTD_OK, .new_id = 2, .new_id2 = 3 }),
		 "segment-entry");

	/* Next: a FrameEntry at the front page, the segment one page shorter. */
	op = (struct ptd_op){ .kind = PTD_OP_SEGMENT_NEXT, .segment = 1 };
	space();
	BOTH(slot, 8, 1, PTD_USAGE_FRAME);
	BOTH(slot, 9, 1, PTD_USAGE_FRAME);
	BOTH(segment, 1, 8 * PAGE, 10 * PAGE);
	post.view.segments[0].start = 9 * PAGE;
	frame(&post.view, 2, 8 * PAGE);
	CHECK_OP(op, NEW(2), "ok");
	post.view.frames[0].paddr = 9 * PAGE;
	CHECK_OP(op, NEW(2), "frame-entry");
	post.view.frames[0].paddr = 8 * PAGE;
	post.view.segments[0].start = 8 * PAGE;
	CHECK_OP(op, NEW(2), "segment-entry");
}

/* unique_from_unused_embedded, unique_drop_embedded, from_unique_embedded,
 * try_from_shared_embedded. */
TEST(unique_clauses)
{
	struct ptd_op op = { .kind = PTD_OP_UNIQUE_FROM_UNUSED, .paddr = 6 * PAGE };
	space();
	slot(&post.view, 6, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	unique(&post.view, 1, 6 * PAGE);
	CHECK_OP(op, NEW(1), "ok");
	post.view.slots[6].in_list = 1;
	CHECK_OP(op, NEW(1), "claimed");
	post.view.slots[6].in_list = 0;
	post.view.nuniques = 0;
	CHECK_OP(op, NEW(1), "unique-entry");
	unique(&post.view, 1, 6 * PAGE);
	pre.view.slots[6].usage = PTD_USAGE_FRAME; /* used before: usage is sticky */
	CHECK_OP(op, NEW(1), "fresh-to-unique");
	op.paddr = 6 * PAGE + 1;
	CHECK_OP(op, NEW(1), "paddr-valid");
	op.paddr = 64 * PAGE;
	CHECK_OP(op, NEW(1), "unparked-no-op");

	op = (struct ptd_op){ .kind = PTD_OP_UNIQUE_DROP, .unique = 1 };
	space();
	BOTH(slot, 6, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	BOTH(unique, 1, 6 * PAGE);
	slot(&post.view, 6, PTD_RC_UNUSED, PTD_USAGE_FRAME);
	post.view.nuniques = 0;
	CHECK_OP(op, OK, "ok");
	post.view.slots[6].usage = PTD_USAGE_UNUSED;
	CHECK_OP(op, OK, "drop-one");
	op.unique = 9;
	CHECK_OP(op, OK, "handles");

	op = (struct ptd_op){ .kind = PTD_OP_FROM_UNIQUE, .unique = 1 };
	slot(&post.view, 6, 1, PTD_USAGE_FRAME);
	frame(&post.view, 2, 6 * PAGE);
	CHECK_OP(op, NEW(2), "ok");
	post.view.slots[6].rc = 2;
	CHECK_OP(op, NEW(2), "transition");
	post.view.slots[6].rc = 1;
	post.view.slots[6].storage_init = 0;
	CHECK_OP(op, NEW(2), "rest-unchanged");
	post.view.slots[6].storage_init = 1;
	post.view.nframes = 0;
	CHECK_OP(op, NEW(2), "frame-entry");
	op.unique = 9;
	CHECK_OP(op, NEW(2), "handles");

	op = (struct ptd_op){ .kind = PTD_OP_TRY_FROM_SHARED, .frame = 1 };
	space();
	BOTH(slot, 6, 1, PTD_USAGE_FRAME);
	BOTH(frame, 1, 6 * PAGE);
	post.view.slots[6].rc = PTD_RC_UNIQUE;
	post.view.nframes = 0;
	unique(&post.view, 2, 6 * PAGE);
	CHECK_OP(op, NEW(2), "ok");
	post.view.slots[6].in_list = 1;
	CHECK_OP(op, NEW(2), "rest-unchanged");
	post.view.slots[6].in_list = 0;
	post.view.nuniques = 0;
	CHECK_OP(op, NEW(2), "unique-entry");
	unique(&post.view, 2, 6 * PAGE);
	pre.view.slots[6].rc = 2; /* another holder: the step changes nothing */
	CHECK_OP(op, NEW(2), "transition");
	op.frame = 9;
	CHECK_OP(op, NEW(2), "handles");
}

/* A refusal changes nothing and has the reason docs/POLICY.md gives its status, holding before
 * the op; a call the contract lets succeed is not refused for no reason. */
TEST(refusal_clauses)
{
	struct ptd_op op = { .kind = PTD_OP_FRAME_FROM_UNUSED, .paddr = 5 * PAGE };
	space();
	BOTH(slot, 5, 1, PTD_USAGE_FRAME);
	BOTH(frame, 1, 5 * PAGE);
	CHECK_OP(op, ERR(PTD_ERR_IN_USE), "ok");
	op.paddr = 6 * PAGE; /* a free slot */
	CHECK_OP(op, ERR(PTD_ERR_IN_USE), "refusal-reason");
	CHECK_OP(op, ERR(PTD_ERR_BUSY), "refusal-reason");
	op.paddr = 6 * PAGE + 8;
	CHECK_OP(op, ERR(PTD_ERR_NOT_ALIGNED), "ok");
	op.paddr = 5 * PAGE;
	post.view.slots[5].rc = 2; /* a refusal that changes a slot */
	CHECK_OP(op, ERR(PTD_ERR_IN_USE), "others-unchanged");
	post.view.slots[5].rc = 1;
	frame(&post.view, 2, 5 * PAGE); /* or registers a handle */
	CHECK_OP(op, ERR(PTD_ERR_IN_USE), "frame-entry");
	post.view.nframes = 1;

	op = (struct ptd_op){ .kind = PTD_OP_UNIQUE_FROM_UNUSED, .paddr = 6 * PAGE };
	CHECK_OP(op, ERR(PTD_ERR_NOT_FRESH), "refusal-reason");
	BOTH(slot, 6, PTD_RC_UNUSED, PTD_USAGE_FRAME);
	CHECK_OP(op, ERR(PTD_ERR_NOT_FRESH), "ok");

	op = (struct ptd_op){ .kind = PTD_OP_TRY_FROM_SHARED, .frame = 1 };
	CHECK_OP(op, ERR(PTD_ERR_SHARED), "refusal-reason"); /* rc 1: the step succeeds */
	BOTH(slot, 5, 2, PTD_USAGE_FRAME);
	CHECK_OP(op, ERR(PTD_ERR_SHARED), "ok");

	op = (struct ptd_op){ .kind = PTD_OP_SEGMENT_FROM_UNUSED,
			      .paddr = 6 * PAGE,
			      .len = 2 * PAGE };
	CHECK_OP(op, ERR(PTD_ERR_IN_USE), "refusal-reason");
	BOTH(slot, 7, 1, PTD_USAGE_FRAME);
	BOTH(frame, 2, 7 * PAGE);
	CHECK_OP(op, ERR(PTD_ERR_IN_USE), "ok");

	op = (struct ptd_op){ .kind = PTD_OP_MAP, .cursor = 1, .frame = 1 };
	CHECK_OP(op, ERR(PTD_ERR_READ_ONLY), "refusal-reason");   /* c1 is mutable */
	CHECK_OP(op, ERR(PTD_ERR_WOULD_PANIC), "refusal-reason"); /* va 0 < end, nodes there */
	BOTH(slot, 67, PTD_RC_UNUSED, PTD_USAGE_PAGE_TABLE);
	BOTH(path, 0, 67, 1, 3, 0);
	for (uint64_t i = 68; i < PTD_FUZZ_NFRAMES; i++) /* no free pool slot for that node */
		BOTH(slot, i, 1, PTD_USAGE_FRAME);
	pre.view.slots[67].rc = post.view.slots[67].rc = 1;
	pre.view.slots[67].usage = post.view.slots[67].usage = PTD_USAGE_FRAME;
	CHECK_OP(op, ERR(PTD_ERR_WOULD_PANIC), "ok");

	op = (struct ptd_op){ .kind = PTD_OP_NEW_VM_SPACE };
	CHECK_OP(op, ERR(PTD_ERR_WOULD_PANIC), "ok");
	space();
	CHECK_OP(op, ERR(PTD_ERR_WOULD_PANIC), "refusal-reason");

	op = (struct ptd_op){ .kind = PTD_OP_DROP_VM_SPACE, .vs = 1 };
	CHECK_OP(op, ERR(PTD_ERR_BUSY), "ok"); /* c1 is on vs1 */
	BOTH(UNLIST, cursors, 1);
	CHECK_OP(op, ERR(PTD_ERR_BUSY), "refusal-reason");

	/* A user reader over [0, 0x2000): its first page mapped, the second not. */
	op = (struct ptd_op){ .kind = PTD_OP_IO_READ, .io = 1, .len = 0x2000 };
	space();
	BOTH(slot, 5, 1, PTD_USAGE_FRAME);
	BOTH(path, 1, 5, 1, PTD_LEAF_DEPTH, 0);
	BOTH(mapping, 0, 5 * PAGE);
	for (int s = 0; s < 2; s++)
		(s ? &post.view : &pre.view)->ios[0] = (struct ptd_io_view){
			.id = 1, .vs = 1, .kind = PTD_IO_READER, .end = 0x2000
		};
	pre.view.nios = post.view.nios = 1;
	post.view.ios[0].cursor = PAGE;
	CHECK_OP(op, ((struct ptd_result){ .status = PTD_ERR_FAULT, .count = PAGE }), "ok");
	post.view.ios[0].cursor = 0;
	CHECK_OP(op, ERR(PTD_ERR_FAULT), "refusal-reason"); /* the byte at 0 is readable */
}

/* The store effects of ops that touch no slot: mappings, cursors, readers and writers. */
TEST(store_clauses)
{
	struct ptd_op op = { .kind = PTD_OP_FRAME_FROM_UNUSED, .paddr = 6 * PAGE };
	space();
	slot(&post.view, 6, 1, PTD_USAGE_FRAME);
	frame(&post.view, 2, 6 * PAGE);
	mapping(&post.view, 0, 6 * PAGE);
	CHECK_OP(op, NEW(2), "mappings-unchanged");

	op = (struct ptd_op){ .kind = PTD_OP_JUMP, .cursor = 1, .va = PAGE };
	space();
	post.view.cursors[0].va = PAGE;
	CHECK_OP(op, OK, "ok");
	post.view.cursors[0].start = PAGE;
	CHECK_OP(op, OK, "cursor-entry");

	op = (struct ptd_op){ .kind = PTD_OP_IO_SKIP, .io = 1, .len = 0x10 };
	setup();
	post.view.ios[0].cursor = 0x1020;
	CHECK_OP(op, OK, "ok");
	post.view.ios[0].cursor = 0x1000; /* backwards */
	CHECK_OP(op, OK, "io-entry");
	post.view.ios[0].cursor = 0x1020;
	post.view.ios[0].vs = 2;
	CHECK_OP(op, OK, "io-entry");
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(read_val_and_write_val), PTD_TEST_ENTRY(collect_takes_everything_left),
	      PTD_TEST_ENTRY(queries_change_nothing_and_report_the_handle),
	      PTD_TEST_ENTRY(cursor_query_embedded),
	      PTD_TEST_ENTRY(whole_scan_sees_every_slot_and_field),
	      PTD_TEST_ENTRY(others_unchanged_within_only),
	      PTD_TEST_ENTRY(untouched_parts_within_only), PTD_TEST_ENTRY(map_clauses),
	      PTD_TEST_ENTRY(map_exemptions), PTD_TEST_ENTRY(unmap_clauses),
	      PTD_TEST_ENTRY(take_next_clauses), PTD_TEST_ENTRY(drop_vm_space_clauses),
	      PTD_TEST_ENTRY(new_vm_space_and_cursor_clauses), PTD_TEST_ENTRY(frame_from_clauses),
	      PTD_TEST_ENTRY(frame_drop_clauses), PTD_TEST_ENTRY(segment_clauses),
	      PTD_TEST_ENTRY(unique_clauses), PTD_TEST_ENTRY(refusal_clauses),
	      PTD_TEST_ENTRY(store_clauses))
