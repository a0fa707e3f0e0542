/* SPDX-License-Identifier: MIT */
/*
 * Oracle unit tests: the segment ops of docs/POLICY.md "Segments" (docs/CONTRACTS.md#segments) —
 * SegmentFromUnused (every error code in order, all-or-nothing), SegmentDrop, SegmentSplit,
 * SegmentNext, SegmentClone, SegmentSlice (every refusal), FrameDrop on a segment-covered slot,
 * the accounting invariant rc == H + P + C along a mixed sequence, reset and view overflow.
 * Saturation (rc >= MAX) is reached by writing the slot directly (white box).
 */
#include "oracle_util.h"
#include "store.h"

static struct oracle_slot *raw_slot(struct tb *t, uint64_t idx)
{
	return &((struct oracle *)t->self)->slots[idx];
}

/* The result of a successful op that creates one handle: only status and new_id set. */
#define CHECK_CREATED(op_expr, want_id)                                                   \
	do {                                                                              \
		struct ptd_result c_ = (op_expr);                                         \
		CHECK_EQ(c_.status, PTD_OK);                                              \
		CHECK_EQ(c_.new_id, (want_id));                                           \
		CHECK_EQ(c_.new_id2 + c_.found + c_.tracked + c_.paddr + c_.va +          \
				 c_.va_end + c_.count + c_.prop.flags + c_.prop.cache,    \
			 0);                                                              \
	} while (0)

/* Success: every covered slot claimed as Frame (rc 1, no paths), one segment, no frame handle. */
TEST(from_unused_claims_range)
{
	struct tb t;
	struct ptd_result r;
	tb_init(&t, &ptd_oracle_backend);
	r = tb_segment(&t, 4 * PG, 3 * PG);
	CHECK_CREATED(r, 1);
	for (uint64_t i = 4; i < 7; i++) {
		CHECK_SLOT_LIVE(&t, i, 1, PTD_USAGE_FRAME);
		CHECK_EQ(tb_paths(&t, i), 0);
	}
	CHECK_SLOT_FREE(&t, 3, PTD_USAGE_UNUSED);
	CHECK_SLOT_FREE(&t, 7, PTD_USAGE_UNUSED);
	CHECK_EQ(t.view.nsegments, 1);
	CHECK(ou_has_segment(&t, 1, 4 * PG, 7 * PG));
	CHECK_EQ(t.view.nframes, 0);
	CHECK_EQ(t.view.nuniques, 0);
	CHECK_EQ(ou_accounting_violations(&t), 0);

	/* The last frame alone; then everything else in one segment ending at nframes*4096. */
	CHECK_CREATED(tb_segment(&t, (TB_NFRAMES - 1) * PG, PG), 2);
	CHECK(ou_has_segment(&t, 2, (TB_NFRAMES - 1) * PG, TB_NFRAMES * PG));
	CHECK_CREATED(tb_segment(&t, 7 * PG, (TB_NFRAMES - 8) * PG), 3);
	CHECK_CREATED(tb_segment(&t, 0, 4 * PG), 4);
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		CHECK_SLOT_LIVE(&t, i, 1, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nsegments, 4);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Errors in POLICY.md's order: NOT_ALIGNED, OUT_OF_BOUND, WOULD_PANIC (empty), UNIQUE/IN_USE. */
TEST(from_unused_error_order)
{
	struct tb t;
	const uint64_t mem = TB_NFRAMES * PG;
	tb_init(&t, &ptd_oracle_backend);
	/* 1. NOT_ALIGNED, paddr or len; before every later check. */
	CHECK_REFUSED(&t, tb_segment(&t, 4 * PG + 8, PG), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_segment(&t, 4 * PG, PG + 1), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_segment(&t, 0, 1), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_segment(&t, mem + 8, PG), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_segment(&t, mem, 100 * PG + 3), PTD_ERR_NOT_ALIGNED);
	/* 2. OUT_OF_BOUND: past physical memory, without wrapping. */
	CHECK_REFUSED(&t, tb_segment(&t, mem, PG), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, mem - PG, 2 * PG), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, 0, mem + PG), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, TB_IOMEM_BASE, PG), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, UINT64_MAX & ~0xfffull, 2 * PG), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, PG, UINT64_MAX & ~0xfffull), PTD_ERR_OUT_OF_BOUND);
	/* paddr >= nframes*4096 is OUT_OF_BOUND even with len 0 (step 2 before step 3). */
	CHECK_REFUSED(&t, tb_segment(&t, mem, 0), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, mem + PG, 0), PTD_ERR_OUT_OF_BOUND);
	/* 3. Empty range: WOULD_PANIC. */
	CHECK_REFUSED(&t, tb_segment(&t, 4 * PG, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment(&t, 0, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment(&t, mem - PG, 0), PTD_ERR_WOULD_PANIC);

	/* 4. The lowest covered slot that is not UNUSED decides. */
	CHECK_EQ(tb_unique(&t, 5 * PG).status, PTD_OK); /* slot 5: UNIQUE */
	ou_frame(&t, 6);                                  /* slot 6: rc 1 */
	CHECK_REFUSED(&t, tb_segment(&t, 4 * PG, 3 * PG), PTD_ERR_UNIQUE);
	CHECK_REFUSED(&t, tb_segment(&t, 5 * PG, PG), PTD_ERR_UNIQUE);
	CHECK_REFUSED(&t, tb_segment(&t, 6 * PG, 4 * PG), PTD_ERR_IN_USE);
	ou_frame(&t, 9);                                  /* slot 9: rc 1 */
	CHECK_EQ(tb_unique(&t, 10 * PG).status, PTD_OK); /* slot 10: UNIQUE */
	CHECK_REFUSED(&t, tb_segment(&t, 7 * PG, 8 * PG), PTD_ERR_IN_USE);
	/* A live page-table node is in use too. */
	CHECK_EQ(tb_new_vs(&t).status, PTD_OK);          /* root at 32 */
	CHECK_REFUSED(&t, tb_segment(&t, 30 * PG, 4 * PG), PTD_ERR_IN_USE);
	/* Earlier checks win over a covered slot in use. */
	CHECK_REFUSED(&t, tb_segment(&t, 5 * PG + 1, PG), PTD_ERR_NOT_ALIGNED);
	CHECK_REFUSED(&t, tb_segment(&t, 6 * PG, mem), PTD_ERR_OUT_OF_BOUND);
	CHECK_REFUSED(&t, tb_segment(&t, 6 * PG, 0), PTD_ERR_WOULD_PANIC);
	/* All-or-nothing: the refusals above left slots 4, 7, 8 UNUSED and Unused. */
	CHECK_SLOT_FREE(&t, 4, PTD_USAGE_UNUSED);
	CHECK_SLOT_FREE(&t, 7, PTD_USAGE_UNUSED);
	CHECK_SLOT_FREE(&t, 8, PTD_USAGE_UNUSED);
	/* The free neighbours are claimed fine. */
	CHECK_CREATED(tb_segment(&t, 7 * PG, 2 * PG), t.next_id - 1);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* Usage before the call is not checked: freed frame, node and segment slots are claimed again. */
TEST(from_unused_reuses_freed_slots)
{
	struct tb t;
	ptd_id_t vs, f, s;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;                       /* root at 32 */
	CHECK_EQ(tb_drop_vs(&t, vs).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 32, PTD_USAGE_PAGE_TABLE);
	f = ou_frame(&t, 31);
	CHECK_EQ(tb_frame_drop(&t, f).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 31, PTD_USAGE_FRAME);
	s = tb_segment(&t, 31 * PG, 2 * PG).new_id;
	CHECK(s != 0);
	CHECK_SLOT_LIVE(&t, 31, 1, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 32, 1, PTD_USAGE_FRAME);
	CHECK_EQ(tb_segment_drop(&t, s).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 31, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 32, PTD_USAGE_FRAME);
	CHECK_EQ(tb_segment(&t, 30 * PG, 4 * PG).status, PTD_OK);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* SegmentDrop: one reference released per page; last ones torn down (usage stays Frame). */
TEST(drop_releases_each_page)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t s, h;
	tb_init(&t, &ptd_oracle_backend);
	s = tb_segment(&t, 4 * PG, 3 * PG).new_id;
	h = tb_from_in_use(&t, 5 * PG).new_id;         /* slot 5: H 1 + C 1 */
	CHECK_EQ(tb_slot(&t, 5)->rc, 2);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	r = tb_segment_drop(&t, s);
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.new_id + r.new_id2 + r.found + r.tracked + r.paddr + r.va + r.va_end + r.count,
		 0);
	CHECK_SLOT_FREE(&t, 4, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nsegments, 0);
	CHECK(ou_has_handle(&t, h, 5 * PG));
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_frame_drop(&t, h).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	tb_fini(&t);
}

/* SegmentDrop of a segment whose pages are also mapped: the mappings keep them alive. */
TEST(drop_while_mapped)
{
	struct tb t;
	ptd_id_t vs, c, s, k, f;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x4000, 1).new_id;
	s = tb_segment(&t, 4 * PG, 2 * PG).new_id;
	k = tb_segment_clone(&t, s).new_id;              /* rc 2 on 4, 5 */
	f = tb_segment_next(&t, s).new_id;               /* frame at 4; s = [5, 6) */
	CHECK_EQ(tb_map(&t, c, f, OU_PROP_RW).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 4)->rc, 2);                 /* P 1 + C 1 (k) */
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_segment_drop(&t, k).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 4, 1, PTD_USAGE_FRAME);      /* the mapping */
	CHECK(tb_has_path(&t, 4, vs, 4, 0));
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);      /* s */
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_segment_drop(&t, s).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	CHECK_EQ(tb_unmap(&t, c, PG).count, 1);
	CHECK_SLOT_FREE(&t, 4, PTD_USAGE_FRAME);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* SegmentSplit: left = new_id, right = new_id2, the old id gone, slots unchanged. */
TEST(split)
{
	struct tb t;
	struct ptd_result r;
	struct ou_snap before;
	ptd_id_t s, left, right;
	tb_init(&t, &ptd_oracle_backend);
	s = tb_segment(&t, 4 * PG, 4 * PG).new_id;
	before = ou_snap(&t);
	r = tb_segment_split(&t, s, 2 * PG);
	left = s + 1;
	right = s + 2;
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.new_id, left);
	CHECK_EQ(r.new_id2, right);
	CHECK_EQ(r.found + r.tracked + r.paddr + r.va + r.va_end + r.count, 0);
	CHECK(tb_segment_view(&t, s) == NULL);
	CHECK(ou_has_segment(&t, left, 4 * PG, 6 * PG));
	CHECK(ou_has_segment(&t, right, 6 * PG, 8 * PG));
	CHECK_EQ(t.view.nsegments, 2);
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		CHECK_EQ(tb_slot(&t, i)->rc, before.v.slots[i].rc);
	ou_snap_free(&before);
	CHECK_EQ(ou_accounting_violations(&t), 0);

	/* One page off either end. */
	r = tb_segment_split(&t, left, PG);
	CHECK_EQ(r.status, PTD_OK);
	CHECK(ou_has_segment(&t, r.new_id, 4 * PG, 5 * PG));
	CHECK(ou_has_segment(&t, r.new_id2, 5 * PG, 6 * PG));
	CHECK_EQ(t.view.nsegments, 3);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* SegmentSplit step 1: unaligned, 0, == size, > size -> WOULD_PANIC, nothing changes. */
TEST(split_refusals)
{
	struct tb t;
	ptd_id_t s, one;
	tb_init(&t, &ptd_oracle_backend);
	s = tb_segment(&t, 4 * PG, 3 * PG).new_id;
	one = tb_segment(&t, 10 * PG, PG).new_id;
	CHECK_REFUSED(&t, tb_segment_split(&t, s, PG + 1), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_split(&t, s, 8), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_split(&t, s, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_split(&t, s, 3 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_split(&t, s, 4 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_split(&t, s, UINT64_MAX & ~0xfffull), PTD_ERR_WOULD_PANIC);
	/* A one-page segment cannot be split at all. */
	CHECK_REFUSED(&t, tb_segment_split(&t, one, PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_split(&t, one, 0), PTD_ERR_WOULD_PANIC);
	/* The largest legal offset. */
	CHECK_EQ(tb_segment_split(&t, s, 2 * PG).status, PTD_OK);
	tb_fini(&t);
}

/* SegmentNext: the first page becomes a Frame handle, the segment shrinks, then goes. */
TEST(next_takes_first_page)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t s, f4, f5, f6;
	tb_init(&t, &ptd_oracle_backend);
	s = tb_segment(&t, 4 * PG, 3 * PG).new_id;
	r = tb_segment_next(&t, s);
	f4 = r.new_id;
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(f4, s + 1);
	CHECK_EQ(r.paddr, 4 * PG);
	CHECK_EQ(r.new_id2 + r.found + r.tracked + r.va + r.va_end + r.count, 0);
	CHECK(ou_has_handle(&t, f4, 4 * PG));
	CHECK(ou_has_segment(&t, s, 5 * PG, 7 * PG));    /* same id */
	for (uint64_t i = 4; i < 7; i++)
		CHECK_SLOT_LIVE(&t, i, 1, PTD_USAGE_FRAME);
	CHECK_EQ(ou_accounting_violations(&t), 0);

	r = tb_segment_next(&t, s);
	f5 = r.new_id;
	CHECK_EQ(r.paddr, 5 * PG);
	CHECK(ou_has_segment(&t, s, 6 * PG, 7 * PG));
	r = tb_segment_next(&t, s);                      /* last page: the segment is removed */
	f6 = r.new_id;
	CHECK_EQ(r.status, PTD_OK);
	CHECK_EQ(r.paddr, 6 * PG);
	CHECK(tb_segment_view(&t, s) == NULL);
	CHECK_EQ(t.view.nsegments, 0);
	CHECK_EQ(t.view.nframes, 3);
	CHECK(ou_has_handle(&t, f5, 5 * PG));
	CHECK(ou_has_handle(&t, f6, 6 * PG));
	for (uint64_t i = 4; i < 7; i++)
		CHECK_SLOT_LIVE(&t, i, 1, PTD_USAGE_FRAME);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_frame_drop(&t, f5).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	(void)f6;
	tb_fini(&t);
}

/* SegmentClone: same range under a new id, rc + 1 on every page; saturation refused. */
TEST(clone)
{
	struct tb t;
	ptd_id_t s, k;
	tb_init(&t, &ptd_oracle_backend);
	s = tb_segment(&t, 4 * PG, 2 * PG).new_id;
	k = tb_segment_clone(&t, s).new_id;
	CHECK_EQ(k, s + 1);
	CHECK(ou_has_segment(&t, s, 4 * PG, 6 * PG));
	CHECK(ou_has_segment(&t, k, 4 * PG, 6 * PG));
	CHECK_SLOT_LIVE(&t, 4, 2, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 5, 2, PTD_USAGE_FRAME);
	CHECK_SLOT_FREE(&t, 6, PTD_USAGE_UNUSED);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_segment_drop(&t, s).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 4, 1, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 5, 1, PTD_USAGE_FRAME);
	CHECK_EQ(ou_accounting_violations(&t), 0);

	/* Step 1: any page at MAX -> WOULD_PANIC, no page changes; MAX - 1 is fine. */
	raw_slot(&t, 5)->rc = PTD_RC_MAX;
	ou_refresh(&t);
	CHECK_REFUSED(&t, tb_segment_clone(&t, k), PTD_ERR_WOULD_PANIC);
	raw_slot(&t, 5)->rc = PTD_RC_MAX - 1;
	ou_refresh(&t);
	CHECK_EQ(tb_segment_clone(&t, k).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 4)->rc, 2);
	CHECK_EQ(tb_slot(&t, 5)->rc, PTD_RC_MAX);
	tb_fini(&t);
}

/* SegmentSlice: an absolute sub-range; rc + 1 on its pages only. */
TEST(slice)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t s, a;
	tb_init(&t, &ptd_oracle_backend);
	s = tb_segment(&t, 4 * PG, 6 * PG).new_id;      /* [4, 10) */
	r = tb_segment_slice(&t, s, 5 * PG, 2 * PG);
	a = r.new_id;
	CHECK_CREATED(r, s + 1);
	CHECK(ou_has_segment(&t, a, 5 * PG, 7 * PG));
	CHECK(ou_has_segment(&t, s, 4 * PG, 10 * PG));
	CHECK_SLOT_LIVE(&t, 4, 1, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 5, 2, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 6, 2, PTD_USAGE_FRAME);
	CHECK_SLOT_LIVE(&t, 7, 1, PTD_USAGE_FRAME);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	/* The whole range, the first page, the last page; a slice of a slice. */
	CHECK_EQ(tb_segment_slice(&t, s, 4 * PG, 6 * PG).status, PTD_OK);
	CHECK_EQ(tb_segment_slice(&t, s, 4 * PG, PG).status, PTD_OK);
	CHECK_EQ(tb_segment_slice(&t, s, 9 * PG, PG).status, PTD_OK);
	CHECK_EQ(tb_segment_slice(&t, a, 6 * PG, PG).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 4)->rc, 3);
	CHECK_EQ(tb_slot(&t, 5)->rc, 3);
	CHECK_EQ(tb_slot(&t, 6)->rc, 4);
	CHECK_EQ(tb_slot(&t, 8)->rc, 2);
	CHECK_EQ(tb_slot(&t, 9)->rc, 3);
	CHECK_EQ(t.view.nsegments, 6);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	/* Dropping the original leaves the slices' references. */
	CHECK_EQ(tb_segment_drop(&t, s).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 4)->rc, 2);
	CHECK_EQ(tb_slot(&t, 7)->rc, 1);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* SegmentSlice refusals: outside the contract's sub-range form, then saturation. */
TEST(slice_refusals)
{
	struct tb t;
	ptd_id_t s;
	tb_init(&t, &ptd_oracle_backend);
	s = tb_segment(&t, 4 * PG, 6 * PG).new_id;      /* [4, 10) */
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 5 * PG + 1, PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 5 * PG, PG + 1), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 5 * PG, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 4 * PG, 0), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 3 * PG, 2 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 3 * PG, PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 9 * PG, 2 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 4 * PG, 7 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 10 * PG, PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 20 * PG, PG), PTD_ERR_WOULD_PANIC);
	/* Offsets (the code's form) are not addresses here: [0, PG) is outside [4, 10). */
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 0, PG), PTD_ERR_WOULD_PANIC);
	/* paddr past end with a len that would wrap paddr + len back inside. */
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, UINT64_MAX & ~0xfffull, 6 * PG),
		      PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 5 * PG, UINT64_MAX & ~0xfffull),
		      PTD_ERR_WOULD_PANIC);
	/* 2. Saturation counts only the sub-range's pages. */
	raw_slot(&t, 7)->rc = PTD_RC_MAX;
	ou_refresh(&t);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 6 * PG, 2 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_REFUSED(&t, tb_segment_slice(&t, s, 4 * PG, 6 * PG), PTD_ERR_WOULD_PANIC);
	CHECK_EQ(tb_segment_slice(&t, s, 5 * PG, 2 * PG).status, PTD_OK);
	CHECK_EQ(tb_segment_slice(&t, s, 8 * PG, 2 * PG).status, PTD_OK);
	CHECK_EQ(tb_slot(&t, 7)->rc, PTD_RC_MAX);
	CHECK_EQ(tb_slot(&t, 6)->rc, 2);
	tb_fini(&t);
}

/* POLICY.md FrameDrop: a frame whose slot a live segment covers drops as a plain decrement. */
TEST(frame_drop_on_covered_slot)
{
	struct tb t;
	ptd_id_t s, k, f, h;
	tb_init(&t, &ptd_oracle_backend);
	s = tb_segment(&t, 4 * PG, 2 * PG).new_id;
	h = tb_from_in_use(&t, 4 * PG).new_id;           /* rc 2: H 1 + C 1 */
	CHECK_EQ(tb_frame_drop(&t, h).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 4, 1, PTD_USAGE_FRAME);
	CHECK(ou_has_segment(&t, s, 4 * PG, 6 * PG));
	CHECK_EQ(ou_accounting_violations(&t), 0);
	/* docs/CONTRACTS.md#inc-14: a frame taken by SegmentNext while a clone still covers the
	 * slot. */
	k = tb_segment_clone(&t, s).new_id;
	f = tb_segment_next(&t, s).new_id;               /* frame at 4; s = [5, 6) */
	CHECK_EQ(tb_slot(&t, 4)->rc, 2);
	CHECK_EQ(tb_frame_drop(&t, f).status, PTD_OK);
	CHECK_SLOT_LIVE(&t, 4, 1, PTD_USAGE_FRAME);      /* k */
	CHECK(ou_has_segment(&t, k, 4 * PG, 6 * PG));
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* rc == H + P + C after every step of a sequence that moves references every way. */
TEST(accounting_across_ops)
{
	struct tb t;
	struct ptd_result r;
	ptd_id_t vs, c, s, k, sl, f, q, left, right, f6, u;
	tb_init(&t, &ptd_oracle_backend);
	vs = tb_new_vs(&t).new_id;
	c = tb_open(&t, vs, 0, 0x10000, 1).new_id;
	s = tb_segment(&t, 4 * PG, 4 * PG).new_id;      /* [4, 8): rc 1 1 1 1 */
	CHECK_EQ(ou_accounting_violations(&t), 0);
	k = tb_segment_clone(&t, s).new_id;              /* rc 2 2 2 2 */
	sl = tb_segment_slice(&t, s, 5 * PG, 2 * PG).new_id; /* rc 2 3 3 2 */
	CHECK_EQ(tb_slot(&t, 5)->rc, 3);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	f = tb_segment_next(&t, s).new_id;               /* s = [5, 8); slot 4: H 1 C 1 */
	CHECK_EQ(tb_slot(&t, 4)->rc, 2);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_map(&t, c, f, OU_PROP_RW).status, PTD_OK); /* slot 4: P 1 C 1 */
	CHECK_EQ(tb_slot(&t, 4)->rc, 2);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_jump(&t, c, 0).status, PTD_OK);
	q = tb_query(&t, c).new_id;                      /* slot 4: H 1 P 1 C 1 */
	CHECK_EQ(tb_slot(&t, 4)->rc, 3);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_segment_drop(&t, k).status, PTD_OK); /* rc 2 2 2 1 */
	CHECK_EQ(tb_slot(&t, 4)->rc, 2);
	CHECK_EQ(tb_slot(&t, 5)->rc, 2);
	CHECK_EQ(tb_slot(&t, 7)->rc, 1);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	r = tb_segment_split(&t, s, PG);                 /* [5, 6) and [6, 8) */
	left = r.new_id;
	right = r.new_id2;
	CHECK_EQ(tb_segment_drop(&t, left).status, PTD_OK); /* slot 5: sl only */
	CHECK_EQ(tb_slot(&t, 5)->rc, 1);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_unmap(&t, c, PG).count, 1);          /* slot 4: q only */
	CHECK_EQ(tb_slot(&t, 4)->rc, 1);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_frame_drop(&t, q).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 4, PTD_USAGE_FRAME);
	f6 = tb_segment_next(&t, right).new_id;          /* right = [7, 8); slot 6: H 1 C 1 (sl) */
	CHECK_REFUSED(&t, tb_try_from_shared(&t, f6), PTD_ERR_SHARED);
	CHECK_EQ(tb_segment_drop(&t, sl).status, PTD_OK); /* slot 5 freed, slot 6: H 1 */
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	u = tb_try_from_shared(&t, f6).new_id;
	CHECK(ou_has_unique(&t, u, 6 * PG));
	CHECK_SLOT_LIVE(&t, 6, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_segment_drop(&t, right).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 7, PTD_USAGE_FRAME);
	f6 = tb_from_unique(&t, u).new_id;
	CHECK_SLOT_LIVE(&t, 6, 1, PTD_USAGE_FRAME);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	CHECK_EQ(tb_frame_drop(&t, f6).status, PTD_OK);
	for (uint64_t i = 4; i < 8; i++)
		CHECK_SLOT_FREE(&t, i, PTD_USAGE_FRAME);
	CHECK_EQ(t.view.nsegments + t.view.nframes + t.view.nuniques, 0);
	CHECK_EQ(ou_accounting_violations(&t), 0);
	tb_fini(&t);
}

/* reset forgets segments (and their usage); the view reports a small segments[] as overflow. */
TEST(reset_and_view_overflow)
{
	struct tb t;
	size_t cap;
	tb_init(&t, &ptd_oracle_backend);
	CHECK_EQ(tb_segment(&t, 4 * PG, 2 * PG).status, PTD_OK);
	CHECK_EQ(tb_segment(&t, 8 * PG, PG).status, PTD_OK);
	cap = t.view.segments_cap;
	t.view.segments_cap = 1;
	ou_refresh(&t);
	CHECK_EQ(t.view.overflow, 1);
	CHECK_EQ(t.view.nsegments, 0);
	t.view.segments_cap = 2;
	ou_refresh(&t);
	CHECK_EQ(t.view.overflow, 0);
	CHECK_EQ(t.view.nsegments, 2);
	t.view.segments_cap = cap;

	t.be->reset(t.self);
	ou_refresh(&t);
	CHECK_EQ(t.view.nsegments, 0);
	for (uint64_t i = 0; i < TB_NFRAMES; i++)
		CHECK_SLOT_FREE(&t, i, PTD_USAGE_UNUSED);
	/* Usage is forgotten too: slot 4 is fresh again for UniqueFromUnused. */
	CHECK_EQ(tb_unique(&t, 4 * PG).status, PTD_OK);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(from_unused_claims_range),
	      PTD_TEST_ENTRY(from_unused_error_order),
	      PTD_TEST_ENTRY(from_unused_reuses_freed_slots),
	      PTD_TEST_ENTRY(drop_releases_each_page),
	      PTD_TEST_ENTRY(drop_while_mapped),
	      PTD_TEST_ENTRY(split),
	      PTD_TEST_ENTRY(split_refusals),
	      PTD_TEST_ENTRY(next_takes_first_page),
	      PTD_TEST_ENTRY(clone),
	      PTD_TEST_ENTRY(slice),
	      PTD_TEST_ENTRY(slice_refusals),
	      PTD_TEST_ENTRY(frame_drop_on_covered_slot),
	      PTD_TEST_ENTRY(accounting_across_ops),
	      PTD_TEST_ENTRY(reset_and_view_overflow))
