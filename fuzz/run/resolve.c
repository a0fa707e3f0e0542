/* SPDX-License-Identifier: MIT */
/*
 * Resolving a raw op: selectors become the ids of live handles, relative numbers are added to
 * their base (the cursor's locked range and current va, the segment's physical range, the
 * distance to the next 2 MiB or 1 GiB boundary), and an op that creates handles gets the next
 * ids.  An op whose selector finds no live handle is not applied (ptd_resolve() returns 0).
 */
#include "resolve.h"

#include <string.h>

static uint64_t cursor_va(const struct ptd_view *view, const struct ptd_handle *c)
{
	for (size_t i = 0; i < view->ncursors; i++)
		if (view->cursors[i].id == c->id)
			return view->cursors[i].va;
	return c->start; /* not reached: a live cursor is in every agreed view */
}

/* A reader's or writer's current range [start, end) and cursor, from the agreed view. */
static struct ptd_handle io_now(const struct ptd_view *view, const struct ptd_handle *h,
				uint64_t *cursor)
{
	struct ptd_handle now = *h;
	*cursor = h->start;
	for (size_t i = 0; i < view->nios; i++)
		if (view->ios[i].id == h->id) {
			now.end = view->ios[i].end;
			*cursor = view->ios[i].cursor;
		}
	return now;
}

/* Distance from va to the next multiple of span, but no further than the end of the range. */
static uint64_t to_boundary(uint64_t va, uint64_t end, uint64_t span)
{
	uint64_t next = (va | (span - 1)) + 1;
	uint64_t rest = end - va;
	return next - va < rest ? next - va : rest;
}

/* c: the op's cursor or segment (its range), va: the cursor's va or the segment's start. */
static uint64_t number(struct ptd_num n, const struct ptd_handle *c, uint64_t va)
{
	uint64_t base = 0;
	if (c) {
		switch (n.base) {
		case PTD_NUM_START:
			base = c->start;
			break;
		case PTD_NUM_END:
			base = c->end;
			break;
		case PTD_NUM_REST:
			base = c->end - va;
			break;
		case PTD_NUM_TO_2M:
			base = to_boundary(va, c->end, PTD_ENTRY_SPAN(2));
			break;
		case PTD_NUM_TO_1G:
			base = to_boundary(va, c->end, PTD_ENTRY_SPAN(3));
			break;
		default:
			break;
		}
	}
	return base + n.off;
}

int ptd_resolve(const struct ptd_raw_op *raw, const struct ptd_registry *reg,
		const struct ptd_view *view, struct ptd_op *op)
{
	const struct ptd_handle *cursor = NULL; /* or segment: what relative numbers refer to */
	struct ptd_handle io;                   /* a reader or writer as it is now */
	uint64_t va = 0;
	enum ptd_handle_kind creates = ptd_op_creates(raw->kind);

	memset(op, 0, sizeof *op);
	op->kind = raw->kind;
	if (creates != PTD_H_COUNT)
		op->new_id = ptd_registry_next_id(reg, creates);
	if (ptd_op_new_ids(raw->kind) == 2)
		op->new_id2 = op->new_id + 1;
	for (unsigned i = 0; i < PTD_MAX_ARGS; i++) {
		enum ptd_arg arg = ptd_op_args[raw->kind][i];
		const struct ptd_handle *h;
		switch (arg) {
		case PTD_ARG_VS:
			if (!(h = ptd_registry_pick(reg, PTD_H_VS, raw->sel[i])))
				return 0;
			op->vs = h->id;
			break;
		case PTD_ARG_CURSOR:
			if (!(cursor = ptd_registry_pick(reg, PTD_H_CURSOR, raw->sel[i])))
				return 0;
			op->cursor = cursor->id;
			va = cursor_va(view, cursor);
			break;
		case PTD_ARG_FRAME:
			if (!(h = ptd_registry_pick(reg, PTD_H_FRAME, raw->sel[i])))
				return 0;
			op->frame = h->id;
			break;
		case PTD_ARG_SEGMENT:
			if (!(cursor = ptd_registry_pick(reg, PTD_H_SEGMENT, raw->sel[i])))
				return 0;
			op->segment = cursor->id;
			va = cursor->start;
			break;
		case PTD_ARG_UNIQUE:
			if (!(h = ptd_registry_pick(reg, PTD_H_UNIQUE, raw->sel[i])))
				return 0;
			op->unique = h->id;
			break;
		case PTD_ARG_READER:
		case PTD_ARG_WRITER:
		case PTD_ARG_IO:
			if (!(h = ptd_registry_pick_io(
				      reg, arg == PTD_ARG_IO ? -1 : arg == PTD_ARG_WRITER,
				      raw->sel[i])))
				return 0;
			if (cursor) { /* IoCopy's second handle: its writer */
				op->io2 = h->id;
				break;
			}
			op->io = h->id;
			io = io_now(view, h, &va);
			cursor = &io;
			break;
		case PTD_ARG_START:
		case PTD_ARG_TARGET:
		case PTD_ARG_IO_VA:
		case PTD_ARG_KOFF:
			op->va = number(raw->num[i], cursor, va);
			break;
		case PTD_ARG_SEED: /* a seed, or bytes (then the seed is 0) */
			op->nbytes = raw->nbytes;
			memcpy(op->bytes, raw->bytes, sizeof op->bytes);
			op->seed = number(raw->num[i], cursor, va);
			break;
		case PTD_ARG_SCHEDULE:
			op->seed = number(raw->num[i], cursor, va);
			break;
		case PTD_ARG_END:
			op->end = number(raw->num[i], cursor, va);
			break;
		case PTD_ARG_LEN:
		case PTD_ARG_SEG_LEN:
		case PTD_ARG_SPLIT_AT:
		case PTD_ARG_SUB_LEN:
		case PTD_ARG_IO_LEN:
		case PTD_ARG_IO_COUNT:
		case PTD_ARG_GROUP_N:
			op->len = number(raw->num[i], cursor, va);
			break;
		case PTD_ARG_PADDR:
		case PTD_ARG_IOPADDR:
		case PTD_ARG_SUB_START:
			op->paddr = number(raw->num[i], cursor, va);
			break;
		case PTD_ARG_PROP:
			op->prop = raw->prop;
			break;
		case PTD_ARG_CHANGE:
			op->change = raw->change;
			break;
		default:
			break;
		}
	}
	return 1;
}
