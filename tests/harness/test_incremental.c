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
	      PTD_TEST_ENTRY(mode_from_environment))
