/* SPDX-License-Identifier: MIT */
/*
 * The contract checker, on hand-made views: it accepts a step that keeps a contract and names
 * the clause a step that breaks it fails.  The reader/writer contracts are the exec specs of
 * ostd/src/mm/io.rs (`read_val`, `collect`, `write_val`: `final(self).end == old(self).end`,
 * `r is Err ==> *final(self) == *old(self)`; the pure queries change nothing); the seed,
 * `cursor_query_embedded`, is here for its "only ref_count changes, by one, at the returned
 * frame".
 */
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
	v->slots[5] = (struct ptd_slot_view){ .rc = 1, .usage = PTD_USAGE_FRAME,
					      .storage_init = 1, .vtable_init = 1 };
	ptd_view_clear_lists(v);
	v->nframes = 1;
	v->frames[0] = (struct ptd_frame_view){ .id = 1, .paddr = 5 * PTD_PAGE_SIZE };
	v->nios = 1;
	v->ios[0] = (struct ptd_io_view){ .id = 1, .vs = 1, .kind = PTD_IO_READER,
					  .start = 0x1000, .cursor = 0x1010, .end = 0x1100 };
}

static void setup(void)
{
	cfg = ptd_fuzz_config();
	if (!pre.view.slots) {
		ptd_state_init(&pre, cfg.nframes, 64);
		ptd_state_init(&post, cfg.nframes, 64);
		ptd_contract_init(&checker, cfg.nframes);
	}
	baseline(&pre.view);
	baseline(&post.view);
}

/* The clause the step pre -> post with result res breaks, or "ok". */
static const char *clause(enum ptd_op_kind kind, uint64_t len, struct ptd_result res)
{
	struct ptd_op op = { .kind = kind, .io = 1, .len = len };
	struct ptd_contract_failure f = { 0 };
	return ptd_check_contract(&checker, &pre.view, &post.view, &op, &res, &f) ? f.clause
										  : "ok";
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
	struct ptd_result r = { .status = PTD_OK, .found = 1, .tracked = 1,
				.paddr = 5 * PTD_PAGE_SIZE, .new_id = 2 };
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
	post.view.nframes = 1;
	CHECK_CLAUSE(PTD_OP_QUERY, 0, r, "frame-entry");
}

/* Incremental checking (checker.only): "others unchanged" compares the records and paths of the
 * slots in only, each slot's paths looked up alone; slots outside only are taken as equal. */
TEST(others_unchanged_within_only)
{
	struct ptd_result r = { .status = PTD_OK, .found = 1, .va = 0x1010, .count = 0xf0 };
	uint64_t only[(PTD_FUZZ_NFRAMES + 63) / 64] = { 0 };
	setup();
	pre.view.npaths = post.view.npaths = 1; /* slot 5 mapped at one leaf position */
	pre.view.paths[0] = post.view.paths[0] = (struct ptd_path_view){
		.slot = 5, .pos = { .vs = 1, .depth = PTD_LEAF_DEPTH, .va = 0x1000 } };
	post.view.npaths = 2; /* and slot 7 gains one */
	post.view.paths[1] = (struct ptd_path_view){
		.slot = 7, .pos = { .vs = 1, .depth = PTD_LEAF_DEPTH, .va = 0x2000 } };
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

PTD_TEST_MAIN(PTD_TEST_ENTRY(read_val_and_write_val), PTD_TEST_ENTRY(collect_takes_everything_left),
	      PTD_TEST_ENTRY(queries_change_nothing_and_report_the_handle),
	      PTD_TEST_ENTRY(cursor_query_embedded), PTD_TEST_ENTRY(others_unchanged_within_only))
