/* SPDX-License-Identifier: MIT */
/* Incremental checking: what each backend reports as touched (backend.h, struct ptd_touched),
 * and the fuzz targets' choice of mode from PTDIFF_CHECK (runner.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "geometry.h"
#include "ptdiff/backend.h"
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
	      PTD_TEST_ENTRY(mode_from_environment))
