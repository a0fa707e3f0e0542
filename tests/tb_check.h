/* SPDX-License-Identifier: MIT */
/*
 * CHECK macros over a struct tb (backend_util.h): the state of one slot, the result of an op,
 * a refused op that changed nothing, a reader or writer.  Macros rather than functions so that
 * a failure names the caller's line and prints what it got.
 */
#ifndef PTDIFF_TESTS_TB_CHECK_H
#define PTDIFF_TESTS_TB_CHECK_H

#include "backend_util.h"
#include "check.h"

#define PG PTD_PAGE_SIZE
#define KIB 0x400ull
#define MIB 0x100000ull
#define GIB 0x40000000ull

#define PROP_RW ((struct ptd_prop){ .flags = PTD_PF_W, .cache = PTD_CACHE_WB })
#define PROP_RO ((struct ptd_prop){ .flags = 0, .cache = PTD_CACHE_WB })

/* Slot idx is in use with rc, usage, storage and vtable initialised, in_list 0. */
#define CHECK_SLOT_LIVE(t, idx, want_rc, want_usage)                  \
	do {                                                          \
		const struct ptd_slot_view *s_ = tb_slot((t), (idx)); \
		CHECK_EQ(s_->rc, (want_rc));                          \
		CHECK_EQ(s_->usage, (want_usage));                    \
		CHECK_EQ(s_->storage_init, 1);                        \
		CHECK_EQ(s_->vtable_init, 1);                         \
		CHECK_EQ(s_->in_list, 0);                             \
	} while (0)

/* Slot idx is free (UNUSED, nothing initialised, no paths) and remembers usage; with usage
 * PTD_USAGE_UNUSED, exactly as in the initial state. */
#define CHECK_SLOT_FREE(t, idx, want_usage)                           \
	do {                                                          \
		const struct ptd_slot_view *s_ = tb_slot((t), (idx)); \
		CHECK_EQ(s_->rc, PTD_RC_UNUSED);                      \
		CHECK_EQ(s_->usage, (want_usage));                    \
		CHECK_EQ(s_->storage_init, 0);                        \
		CHECK_EQ(s_->vtable_init, 0);                         \
		CHECK_EQ(s_->in_list, 0);                             \
		CHECK_EQ(tb_paths((t), (idx)), 0);                    \
	} while (0)

/* A live page-table node at slot idx whose only path is (vs, depth, va). */
#define CHECK_NODE(t, idx, vs, depth, va)                             \
	do {                                                          \
		CHECK_SLOT_LIVE((t), (idx), 1, PTD_USAGE_PAGE_TABLE); \
		CHECK_EQ(tb_paths((t), (idx)), 1);                    \
		CHECK(tb_has_path((t), (idx), (vs), (depth), (va)));  \
	} while (0)

/* A result with status, count and hash, every other field zero (a byte move, or with count
 * and hash 0 an op whose result is only its status). */
#define CHECK_MOVE(r_expr, want_status, want_count, want_hash) \
	do {                                                   \
		struct ptd_result m_ = (r_expr);               \
		CHECK_EQ(m_.status, (want_status));            \
		CHECK_EQ(m_.count, (want_count));              \
		CHECK_EQ(m_.hash, (want_hash));                \
		CHECK(tb_result_rest_zero(m_));                \
	} while (0)

#define CHECK_ONLY_STATUS(r_expr, want_status) CHECK_MOVE((r_expr), (want_status), 0, 0)

/* A ReaderReadVal of at most PTD_VALUE_BYTES_MAX bytes that succeeded: count, hash and the
 * value read (include/ptdiff/op.h: byte j in bits 8j..8j+7), every other field zero. */
#define CHECK_READ_VAL(r_expr, want_count, want_hash, want_value)  \
	do {                                                       \
		struct ptd_result v_ = (r_expr);                   \
		CHECK_EQ(v_.value, (want_value));                  \
		v_.value = 0;                                      \
		CHECK_MOVE(v_, PTD_OK, (want_count), (want_hash)); \
	} while (0)

/* A successful op that creates one handle: status OK, new_id want_id, nothing else. */
#define CHECK_CREATED(r_expr, want_id)                                   \
	do {                                                             \
		struct ptd_result c_ = (r_expr);                         \
		CHECK_EQ(c_.status, PTD_OK);                             \
		CHECK_EQ(c_.new_id, (want_id));                          \
		c_.new_id = 0;                                           \
		CHECK(tb_result_rest_zero(c_) && !c_.count && !c_.hash); \
	} while (0)

/* A refused op (docs/POLICY.md §3): status want, every other result field zero, and the whole
 * view unchanged. */
#define CHECK_REFUSED(t, op_expr, want)                   \
	do {                                              \
		struct tb_snap before_ = tb_snap_take(t); \
		CHECK_ONLY_STATUS((op_expr), (want));     \
		CHECK(tb_snap_same((t), &before_));       \
		tb_snap_free(&before_);                   \
	} while (0)

/* Reader/writer id is live with exactly these fields. */
#define CHECK_IO(t, id, want_vs, want_kind, want_start, want_cursor, want_end) \
	do {                                                                   \
		const struct ptd_io_view *v_ = tb_io_view((t), (id));          \
		CHECK(v_ != NULL);                                             \
		if (v_) {                                                      \
			CHECK_EQ(v_->vs, (want_vs));                           \
			CHECK_EQ(v_->kind, (want_kind));                       \
			CHECK_EQ(v_->start, (want_start));                     \
			CHECK_EQ(v_->cursor, (want_cursor));                   \
			CHECK_EQ(v_->end, (want_end));                         \
		}                                                              \
	} while (0)

#endif /* PTDIFF_TESTS_TB_CHECK_H */
