/* SPDX-License-Identifier: MIT */
/* Incremental checking: what each backend reports as touched (backend.h, struct ptd_touched),
 * where the per-op check first sees a broken invariant, and the fuzz targets' choice of mode
 * from PTDIFF_CHECK (runner.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "decode.h"
#include "geometry.h"
#include "ptdiff/backend.h"
#include "rawop_text.h"
#include "runner.h"
#include "state.h"

static uint64_t bits[(PTD_FUZZ_NFRAMES + 63) / 64];

static int nr_touched(const struct ptd_backend *be, void *self)
{
	struct ptd_touched t = { .slots = bits };
	int n = 0;
	memset(bits, 0, sizeof bits);
	be->touched(self, &t);
	for (unsigned i = 0; i < PTD_FUZZ_NFRAMES; i++)
		n += ptd_bit_test(bits, i);
	return n;
}

static void check_backend(const struct ptd_backend *be)
{
	struct ptd_config cfg = ptd_fuzz_config();
	void *self = be->create(&cfg);
	struct ptd_result res;
	struct ptd_op op;
	CHECK(self != NULL);
	CHECK(be->touched && be->view_slots);
	be->reset(self);
	CHECK(nr_touched(be, self) == 0);
	memset(&op, 0, sizeof op);
	op.kind = PTD_OP_FRAME_FROM_UNUSED;
	op.paddr = 5 * PTD_PAGE_SIZE;
	op.new_id = 1;
	memset(&res, 0, sizeof res);
	be->apply(self, &op, &res);
	CHECK(res.status == PTD_OK);
	CHECK(nr_touched(be, self) == 1 && ptd_bit_test(bits, 5));
	CHECK(nr_touched(be, self) == 0); /* reported once */
	memset(&op, 0, sizeof op);
	op.kind = PTD_OP_NEW_VM_SPACE;
	op.new_id = 2;
	be->apply(self, &op, &res);
	CHECK(nr_touched(be, self) == 1 && ptd_bit_test(bits, PTD_FUZZ_POOL_START)); /* the root */
	be->reset(self);
	CHECK(nr_touched(be, self) == 0); /* nothing stale after reset */
	be->destroy(self);
}

TEST(core_touched)
{
	check_backend(&ptd_core_backend);
}

TEST(oracle_touched)
{
	check_backend(&ptd_oracle_backend);
}

/* Applies op; then every touched slot's paths in the partial view (with `parts`) are exactly its
 * paths in the whole view, and the partial view lists no others.  Returns the touched count. */
static int partial_paths_agree(const struct ptd_backend *be, void *self, struct ptd_op op,
			       uint32_t parts)
{
	static struct ptd_state whole, part;
	struct ptd_result res = { 0 };
	size_t listed = 0;
	int n;
	if (!whole.view.slots) {
		CHECK(ptd_state_init(&whole, PTD_FUZZ_NFRAMES, 256) == 0);
		CHECK(ptd_state_init(&part, PTD_FUZZ_NFRAMES, 256) == 0);
	}
	be->apply(self, &op, &res);
	CHECK_EQ(res.status, PTD_OK);
	n = nr_touched(be, self);
	CHECK(ptd_state_capture_part(&part, be, self, bits, parts) == 0);
	CHECK(ptd_state_capture(&whole, be, self) == 0);
	for (unsigned i = 0; i < PTD_FUZZ_NFRAMES; i++) {
		size_t a, b, c, d;
		if (!ptd_bit_test(bits, i))
			continue;
		ptd_state_slot_paths(&part.view, i, &a, &b);
		ptd_state_slot_paths(&whole.view, i, &c, &d);
		CHECK_EQ(b - a, d - c);
		CHECK(b - a != d - c || !memcmp(&part.view.paths[a], &whole.view.paths[c],
						(b - a) * sizeof *part.view.paths));
		listed += b - a;
	}
	CHECK_EQ(part.view.npaths, listed);
	return n;
}

/* Touched page-table nodes alone (NewVmSpace, opening a cursor): core lists their positions
 * from their metadata, not from a walk; with a frame or the mappings asked for, it walks. */
static void check_partial_paths(const struct ptd_backend *be)
{
	struct ptd_config cfg = ptd_fuzz_config();
	void *self = be->create(&cfg);
	const ptd_vaddr_t va = 0x40000000;
	CHECK(self != NULL);
	be->reset(self);
	(void)nr_touched(be, self);
	CHECK(partial_paths_agree(be, self,
				  (struct ptd_op){ .kind = PTD_OP_NEW_VM_SPACE, .new_id = 1 },
				  0) == 1);
	CHECK(partial_paths_agree(be, self,
				  (struct ptd_op){ .kind = PTD_OP_FRAME_FROM_UNUSED,
						   .paddr = 5 * PTD_PAGE_SIZE,
						   .new_id = 2 },
				  0) == 1);
	CHECK(partial_paths_agree(be, self,
				  (struct ptd_op){ .kind = PTD_OP_OPEN_CURSOR_MUT,
						   .vs = 1,
						   .va = va,
						   .end = va + 4 * PTD_PAGE_SIZE,
						   .new_id = 3 },
				  0) >= 0);
	CHECK(partial_paths_agree(be, self,
				  (struct ptd_op){ .kind = PTD_OP_MAP, .cursor = 3, .frame = 2 },
				  PTD_PART_BIT_MAPS) >= 1); /* frame 5 and maybe new nodes */
	CHECK(partial_paths_agree(be, self,
				  (struct ptd_op){ .kind = PTD_OP_NEW_VM_SPACE, .new_id = 4 },
				  0) == 1);
	CHECK(partial_paths_agree(be, self,
				  (struct ptd_op){ .kind = PTD_OP_FRAME_FROM_IN_USE,
						   .paddr = 5 * PTD_PAGE_SIZE,
						   .new_id = 5 },
				  0) == 1); /* a mapped frame */
	be->destroy(self);
}

TEST(core_partial_paths)
{
	check_partial_paths(&ptd_core_backend);
}

TEST(oracle_partial_paths)
{
	check_partial_paths(&ptd_oracle_backend);
}

/* Mode chosen with PTDIFF_CHECK=value, the runner's field set to `incremental` before; returns
 * the call's result. */
/* Both sides the oracle, with one wrong count in every view of slot 5: they agree, and only the
 * invariants (rc accounting) can see it. */
static void bend(struct ptd_view *v)
{
	if (v->slots[5].rc != PTD_RC_UNUSED)
		v->slots[5].rc++;
}

static void bent_view(void *self, struct ptd_view *out)
{
	ptd_oracle_backend.view(self, out);
	bend(out);
}

static void bent_view_slots(void *self, struct ptd_view *out, const uint64_t *slots, uint32_t parts)
{
	ptd_oracle_backend.view_slots(self, out, slots, parts);
	if (ptd_bit_test(slots, 5))
		bend(out);
}

/* An invariant the per-op check finds is recorded as seen there, at its op, as every other
 * per-op finding is (what ptdiff-replay --incremental reports). */
TEST(invariant_seen_by_the_per_op_check)
{
	static struct ptd_runner r; /* large: not on the stack */
	static const char *const text[] = { "FrameFromUnused paddr=0x5000",
					    "FrameFromUnused paddr=0x1" };
	struct ptd_backend bent = ptd_oracle_backend;
	uint8_t bytes[64];
	size_t n = 0;
	char err[128];
	FILE *devnull = fopen("/dev/null", "w");

	bent.view = bent_view;
	bent.view_slots = bent_view_slots;
	for (size_t k = 0; k < sizeof text / sizeof text[0]; k++) {
		struct ptd_raw_op op;
		CHECK(ptd_raw_op_parse(text[k], &op, err, sizeof err) == 1);
		n += ptd_encode_op(&op, bytes + n, sizeof bytes - n);
	}
	CHECK(devnull != NULL);
	CHECK(ptd_runner_init(&r, &bent, &bent) == 0);
	r.report = devnull;
	r.incremental = 1;
	CHECK(ptd_runner_run(&r, bytes, n) == 1);
	CHECK_EQ(r.incr_at, 0);
	CHECK(!r.incr_by_full);
	CHECK(strstr(r.signature, "invariant") != NULL);
	ptd_runner_fini(&r);
	fclose(devnull);
}

static int mode_from(const char *value, int incremental, int *out)
{
	static struct ptd_runner r; /* large: not on the stack */
	int rc;
	r.incremental = incremental;
	if (value)
		setenv("PTDIFF_CHECK", value, 1);
	else
		unsetenv("PTDIFF_CHECK");
	rc = ptd_runner_mode_from_env(&r, "test");
	*out = r.incremental;
	return rc;
}

TEST(mode_from_environment)
{
	int inc = -1;
	CHECK(mode_from("incremental", 0, &inc) == 0 && inc == 1);
	CHECK(mode_from("full", 1, &inc) == 0 && inc == 0);
	CHECK(mode_from(NULL, 0, &inc) == 0 && inc == 1); /* the fuzz targets' default */
	CHECK(mode_from("", 0, &inc) == 0 && inc == 1);
	CHECK(mode_from("Incremental", 0, &inc) == -1); /* exact words only */
	CHECK(mode_from("fast", 0, &inc) == -1);
	unsetenv("PTDIFF_CHECK");
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(core_touched), PTD_TEST_ENTRY(oracle_touched),
	      PTD_TEST_ENTRY(core_partial_paths), PTD_TEST_ENTRY(oracle_partial_paths),
	      PTD_TEST_ENTRY(invariant_seen_by_the_per_op_check),
	      PTD_TEST_ENTRY(mode_from_environment))
