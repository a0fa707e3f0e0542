/* SPDX-License-Identifier: MIT */
/*
 * Core's side of FrameDrop (tests/backend/test_frame.c has the behaviour both sides share):
 * teardown at the last reference also clears the slot's typed storage, which the view does
 * not show.
 */
#include "core_tb.h"

TEST(frame_drop_clears_storage)
{
	struct tb t;
	ptd_id_t a, b;

	tb_init(&t, &ptd_core_backend);
	a = tb_frame(&t, 0x5000).new_id;
	b = tb_from_in_use(&t, 0x5000).new_id;
	CHECK_EQ(tb_frame_drop(&t, a).status, PTD_OK);
	CHECK_EQ(tb_frame_drop(&t, b).status, PTD_OK);
	CHECK_SLOT_FREE(&t, 5, PTD_USAGE_FRAME);
	CHECK_EQ(tb_core(&t)->slots[5].storage.pt.level, 0);
	tb_fini(&t);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(frame_drop_clears_storage))
