/* SPDX-License-Identifier: MIT */
/* The invariant checker accepts a consistent view and names the clause each broken one fails. */
#include "check.h"
#include "geometry.h"
#include "invariants.h"
#include "state.h"

static struct ptd_config cfg;
static struct ptd_state st;
static struct ptd_checker checker;

static void set_slot(uint64_t i, uint64_t rc, enum ptd_usage usage)
{
	int live = rc != PTD_RC_UNUSED;
	st.view.slots[i] = (struct ptd_slot_view){ .rc = rc,
						   .usage = (uint8_t)usage,
						   .storage_init = (uint8_t)live,
						   .vtable_init = (uint8_t)live };
}

static void add_path(uint64_t slot, uint32_t depth, uint64_t va)
{
	st.view.paths[st.view.npaths++] =
		(struct ptd_path_view){ .slot = slot,
					.pos = { .vs = 1, .depth = depth, .va = va } };
}

/* vs1 with a root (slot 64) and L3/L2/L1 nodes (65-67) over va 0; frame slot 5 mapped at
 * 0x1000 and held by handle f1 (rc 2 = H 1 + P 1); cursor c1 over [0, 0x4000) at 0x1000. */
static void baseline(void)
{
	for (uint64_t i = 0; i < st.view.nslots; i++)
		set_slot(i, PTD_RC_UNUSED, PTD_USAGE_UNUSED);
	st.view.npaths = 0;
	set_slot(5, 2, PTD_USAGE_FRAME);
	add_path(5, 4, 0x1000);
	for (uint32_t d = 0; d < 4; d++) {
		set_slot(64 + d, 1, PTD_USAGE_PAGE_TABLE);
		add_path(64 + d, d, 0);
	}
	st.view.nmaps = 1;
	st.view.maps[0] =
		(struct ptd_mapping_view){ .vs = 1, .tracked = 1, .va = 0x1000, .pa = 0x5000 };
	st.view.nvmspaces = 1;
	st.view.vmspaces[0] = 1;
	st.view.ncursors = 1;
	st.view.cursors[0] = (struct ptd_cursor_view){
		.id = 1, .vs = 1, .kind = 1, .start = 0, .end = 0x4000, .va = 0x1000
	};
	st.view.nframes = 1;
	st.view.frames[0] = (struct ptd_frame_view){ .id = 1, .paddr = 0x5000 };
	st.view.nsegments = st.view.nuniques = st.view.nios = st.view.ncontents = 0;
}

static const char *clause(void)
{
	struct ptd_inv_failure f = { 0 };
	return ptd_check_invariants(&checker, &st.view, &f) ? f.clause : "ok";
}

static void setup(void)
{
	cfg = ptd_fuzz_config();
	if (!st.view.slots) {
		ptd_state_init(&st, cfg.nframes, 64);
		ptd_checker_init(&checker, &cfg);
	}
	baseline();
}

#define CHECK_CLAUSE(want) CHECK(!strcmp(clause(), want))

TEST(consistent_view_passes)
{
	setup();
	CHECK_CLAUSE("ok");
}

TEST(slot_invariant_clauses)
{
	setup();
	st.view.slots[5].storage_init = 0;
	CHECK_CLAUSE("slot-shared");
	setup();
	st.view.slots[7].rc = PTD_RC_MAX + 1;
	CHECK_CLAUSE("slot-rc-range");
	setup();
	st.view.slots[7].rc = 0;
	CHECK_CLAUSE("slot-rc-range");
	setup();
	st.view.slots[7].in_list = 3;
	CHECK_CLAUSE("slot-in-list");
	setup();
	st.view.slots[7].storage_init = 1;
	CHECK_CLAUSE("slot-unused");
	setup();
	set_slot(7, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	st.view.slots[7].vtable_init = 0;
	CHECK_CLAUSE("slot-unique");
}

TEST(accounting_clauses)
{
	setup();
	st.view.slots[5].rc = 3; /* H 1 + P 1 != 3 */
	CHECK_CLAUSE("accounting");
	setup();
	set_slot(9, 1, PTD_USAGE_FRAME); /* live Frame slot nobody holds */
	CHECK_CLAUSE("accounting-orphan");
	setup();
	st.view.frames[0].paddr = 0x40000; /* a handle at a page-table node */
	CHECK_CLAUSE("frame-handle");
}

TEST(tree_and_mapping_clauses)
{
	setup();
	st.view.slots[64].rc = 2; /* a node has exactly one reference */
	CHECK_CLAUSE("pt-node");
	setup();
	st.view.vmspaces[0] = 2; /* vs2 has no root, and vs1's nodes are orphans */
	st.view.cursors[0].vs = 2;
	st.view.maps[0].vs = 2;
	CHECK_CLAUSE("pt-root");
	setup();
	st.view.maps[0].va = 0x2000; /* the mapping the frame's position names is gone */
	CHECK_CLAUSE("mapping-path");
	setup();
	st.view.maps[0].va = 0x40000000; /* no level-1 node over 1 GiB */
	CHECK_CLAUSE("pt-leaf-node");
	setup();
	st.view.maps[0].tracked = 0;
	CHECK_CLAUSE("mapping-iomem");
	setup();
	st.view.maps[0].pa = 0x6000; /* slot 6 is free */
	CHECK_CLAUSE("mapping-frame");
}

TEST(segment_and_unique_clauses)
{
	setup(); /* a segment over slots 8-9 (rc 1 each) and a unique frame at slot 10 pass */
	set_slot(8, 1, PTD_USAGE_FRAME);
	set_slot(9, 1, PTD_USAGE_FRAME);
	set_slot(10, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	st.view.nsegments = 1;
	st.view.segments[0] = (struct ptd_segment_view){ .id = 1, .start = 0x8000, .end = 0xa000 };
	st.view.nuniques = 1;
	st.view.uniques[0] = (struct ptd_unique_view){ .id = 1, .paddr = 0xa000 };
	CHECK_CLAUSE("ok");
	st.view.slots[9].rc = 2; /* C 1, nothing else holds it */
	CHECK_CLAUSE("accounting");
	st.view.slots[9].rc = 1;
	st.view.segments[0].end = 0xb000; /* now also covers the unique frame's slot */
	CHECK_CLAUSE("accounting");
	st.view.segments[0].end = 0x9800;
	CHECK_CLAUSE("segment-range");
	st.view.segments[0].end = 0xa000;
	st.view.nuniques = 0;
	CHECK_CLAUSE("unique-orphan");
	st.view.nuniques = 1;
	st.view.uniques[0].paddr = 0x5000; /* a shared, mapped frame */
	CHECK_CLAUSE("unique-slot");
	setup();
	st.view.nsegments = 1; /* a segment over a free slot */
	st.view.segments[0] = (struct ptd_segment_view){ .id = 1, .start = 0xb000, .end = 0xc000 };
	CHECK_CLAUSE("segment-frame");
}

TEST(reader_writer_clauses)
{
	setup();
	st.view.nios = 1;
	st.view.ios[0] = (struct ptd_io_view){ .id = 1,
					       .vs = 1,
					       .kind = PTD_IO_READER,
					       .start = 0x800,
					       .cursor = 0x900,
					       .end = 0x2000 };
	CHECK_CLAUSE("ok");
	st.view.ios[0].cursor = 0x2001; /* past its end */
	CHECK_CLAUSE("reader-writer");
	st.view.ios[0].cursor = 0x900;
	st.view.ios[0].vs = 9; /* a dead address space */
	CHECK_CLAUSE("reader-writer");
}

/* The clauses about what an op touched (incremental checking): a broken slot fails only when
 * it is among the touched slots, a broken part only when the op may change that part. */
static const char *touched_clause(const uint64_t *slots, uint32_t parts)
{
	struct ptd_inv_failure f = { 0 };
	return ptd_check_invariants_touched(&checker, &st.view, slots, parts, &f) ? f.clause : "ok";
}

TEST(touched_clauses)
{
	uint64_t none[4] = { 0 }, slot5[4] = { 1u << 5 }, slot9[4] = { 1u << 9 },
		 slot10[4] = { 1u << 10 };
	setup();
	CHECK(!strcmp(touched_clause(slot5, PTD_PART_BIT_ALL), "ok"));
	set_slot(9, 1, PTD_USAGE_FRAME); /* a live Frame slot nobody holds */
	CHECK(!strcmp(touched_clause(slot9, 0), "accounting-orphan"));
	CHECK(!strcmp(touched_clause(slot5, PTD_PART_BIT_ALL), "ok")); /* the full check's */
	setup();
	st.view.slots[5].rc = 3; /* H 1 (the handle list) + P 1 (its paths) != 3 */
	CHECK(!strcmp(touched_clause(slot5, 0), "accounting"));
	CHECK(!strcmp(touched_clause(none, 0), "ok"));
	setup(); /* C counted from the segments covering the slot */
	set_slot(8, 1, PTD_USAGE_FRAME);
	set_slot(9, 2, PTD_USAGE_FRAME);
	st.view.nsegments = 1;
	st.view.segments[0] = (struct ptd_segment_view){ .id = 1, .start = 0x8000, .end = 0xa000 };
	CHECK(!strcmp(touched_clause(slot9, 0), "accounting"));
	st.view.slots[9].rc = 1;
	CHECK(!strcmp(touched_clause(slot9, PTD_PART_BIT_SEGMENTS), "ok"));
	st.view.segments[0].end = 0x9800; /* a handle list's own clause */
	CHECK(!strcmp(touched_clause(none, PTD_PART_BIT_SEGMENTS), "segment-range"));
	CHECK(!strcmp(touched_clause(none, PTD_PART_BIT_CURSORS), "ok"));
	setup();
	set_slot(10, PTD_RC_UNIQUE, PTD_USAGE_FRAME);
	CHECK(!strcmp(touched_clause(slot10, 0), "unique-orphan"));
	setup();
	st.view.cursors[0].va = 0x5000;
	CHECK(!strcmp(touched_clause(none, PTD_PART_BIT_CURSORS), "cursor"));
	CHECK(!strcmp(touched_clause(none, PTD_PART_BIT_FRAMES), "ok"));
	setup();
	st.view.maps[0].pa = 0x6000; /* slot 5's position now maps slot 6 */
	CHECK(!strcmp(touched_clause(slot5, 0), "mapping-stale-path"));
	CHECK(!strcmp(touched_clause(none, PTD_PART_BIT_IOS), "ok"));
	setup();
	st.view.slots[64].usage = PTD_USAGE_FRAME; /* the root's slot */
	CHECK(!strcmp(touched_clause((uint64_t[4]){ 0, 1 }, 0), "pt-node"));
	setup(); /* the counters a touched check fills are left clear for the full check */
	CHECK_CLAUSE("ok");
}

TEST(cursor_clauses)
{
	setup();
	st.view.cursors[0].va = 0x5000;
	CHECK_CLAUSE("cursor");
	setup();
	st.view.ncursors = 2;
	st.view.cursors[1] = st.view.cursors[0];
	st.view.cursors[1].id = 2;
	CHECK_CLAUSE("cursor-exclusive"); /* the same range */
	/* Disjoint ranges under one level-1 node share that guard. */
	st.view.cursors[0].start = 0, st.view.cursors[0].end = 0x1000, st.view.cursors[0].va = 0;
	st.view.cursors[1].start = 0x3000, st.view.cursors[1].end = 0x4000;
	st.view.cursors[1].va = 0x3000;
	CHECK_CLAUSE("cursor-exclusive");
	/* [0, 4 MiB): its level-2 guard covers the other's level-1 guard, inside its range. */
	st.view.cursors[1].start = 0, st.view.cursors[1].end = 0x400000;
	st.view.cursors[1].va = 0x200000;
	CHECK_CLAUSE("cursor-exclusive");
	/* [6 MiB, 6 MiB + 4 KiB): a level-1 guard below the other's level-2 guard, outside
	 * its range; and one in the next 1 GiB. Both hold nothing in common. */
	st.view.cursors[0].start = 0x600000, st.view.cursors[0].end = 0x601000;
	st.view.cursors[0].va = 0x600000;
	CHECK_CLAUSE("ok");
	st.view.cursors[0].start = 0x40000000, st.view.cursors[0].end = 0x40001000;
	st.view.cursors[0].va = 0x40000000;
	CHECK_CLAUSE("ok");
	ptd_state_fini(&st);
	ptd_checker_fini(&checker);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(consistent_view_passes), PTD_TEST_ENTRY(slot_invariant_clauses),
	      PTD_TEST_ENTRY(accounting_clauses), PTD_TEST_ENTRY(tree_and_mapping_clauses),
	      PTD_TEST_ENTRY(segment_and_unique_clauses), PTD_TEST_ENTRY(reader_writer_clauses),
	      PTD_TEST_ENTRY(touched_clauses), PTD_TEST_ENTRY(cursor_clauses))
