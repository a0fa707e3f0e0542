/* SPDX-License-Identifier: MIT */
/*
 * The live handles of one input, by kind in creation order, and the handle columns of the op
 * table (what an op creates, how many ids, what it consumes).  After each op both sides agree
 * on, the registry is updated from the op and the agreed view: a consumed handle goes, every
 * other handle the op names is read back (SegmentNext shrinks its segment), new ones are added.
 */
#include "registry.h"

#include "rawop.h"

#include <string.h>

void ptd_registry_reset(struct ptd_registry *reg)
{
	memset(reg->nlive, 0, sizeof reg->nlive);
	memset(reg->last_id, 0, sizeof reg->last_id);
}

const struct ptd_handle *ptd_registry_pick(const struct ptd_registry *reg,
					   enum ptd_handle_kind kind, uint8_t sel)
{
	size_t n = reg->nlive[kind];
	return n ? &reg->live[kind][sel % n] : NULL;
}

const struct ptd_handle *ptd_registry_pick_io(const struct ptd_registry *reg, int writer,
					      uint8_t sel)
{
	const struct ptd_handle *match[PTD_FUZZ_MAX_HANDLES];
	size_t n = 0;
	for (size_t i = 0; i < reg->nlive[PTD_H_IO]; i++)
		if (writer < 0 || reg->live[PTD_H_IO][i].writer == writer)
			match[n++] = &reg->live[PTD_H_IO][i];
	return n ? match[sel % n] : NULL;
}

const struct ptd_handle *ptd_registry_find(const struct ptd_registry *reg,
					   enum ptd_handle_kind kind, ptd_id_t id)
{
	for (size_t i = 0; i < reg->nlive[kind]; i++)
		if (reg->live[kind][i].id == id)
			return &reg->live[kind][i];
	return NULL;
}

ptd_id_t ptd_registry_next_id(const struct ptd_registry *reg, enum ptd_handle_kind kind)
{
	return reg->last_id[kind] + 1;
}

/* The creates, nnew and consumes columns of the op table (include/ptdiff/op_table.h). */
static const struct {
	enum ptd_handle_kind creates, consumes;
	unsigned nnew;
} op_handles[PTD_OP_COUNT] = {
#define PTD_OP_HANDLES(e, n, stem, w, a0, a1, a2, creates, nnew, consumes, ...) \
	[PTD_OP_##e] = { PTD_H_##creates, PTD_H_##consumes, nnew },
	PTD_OP_TABLE(PTD_OP_HANDLES)
#undef PTD_OP_HANDLES
};

enum ptd_handle_kind ptd_op_creates(enum ptd_op_kind kind)
{
	return (unsigned)kind < PTD_OP_COUNT ? op_handles[kind].creates : PTD_H_NONE;
}

unsigned ptd_op_new_ids(enum ptd_op_kind kind)
{
	return (unsigned)kind < PTD_OP_COUNT ? op_handles[kind].nnew : 0;
}

const char *ptd_handle_prefix(enum ptd_handle_kind kind)
{
	static const char *const prefix[PTD_H_COUNT] = { "vs", "c", "f", "s", "u", "io" };
	return (unsigned)kind < PTD_H_COUNT ? prefix[kind] : "?";
}

static void add(struct ptd_registry *reg, enum ptd_handle_kind kind, struct ptd_handle h)
{
	/* Ids are consumed in order and an input has at most PTD_MAX_OPS ops, so this fits. */
	reg->live[kind][reg->nlive[kind]++] = h;
	ptd_registry_reserve(reg, kind, h.id);
}

void ptd_registry_reserve(struct ptd_registry *reg, enum ptd_handle_kind kind, ptd_id_t id)
{
	/* Members of a group register in the order they ran, not in id order. */
	if (id > reg->last_id[kind])
		reg->last_id[kind] = id;
}

static void remove_id(struct ptd_registry *reg, enum ptd_handle_kind kind, ptd_id_t id)
{
	struct ptd_handle *v = reg->live[kind];
	for (size_t i = 0; i < reg->nlive[kind]; i++)
		if (v[i].id == id) {
			memmove(&v[i], &v[i + 1], (reg->nlive[kind] - i - 1) * sizeof *v);
			reg->nlive[kind]--;
			return;
		}
}

enum ptd_handle_kind ptd_arg_handle(int arg)
{
	switch (arg) {
	case PTD_ARG_VS:
		return PTD_H_VS;
	case PTD_ARG_CURSOR:
		return PTD_H_CURSOR;
	case PTD_ARG_FRAME:
		return PTD_H_FRAME;
	case PTD_ARG_SEGMENT:
		return PTD_H_SEGMENT;
	case PTD_ARG_UNIQUE:
		return PTD_H_UNIQUE;
	case PTD_ARG_READER:
	case PTD_ARG_WRITER:
	case PTD_ARG_IO:
		return PTD_H_IO;
	default:
		return PTD_H_NONE;
	}
}

/* The id of the op's argument handle of this kind; second: IoCopy's second I/O handle. */
static ptd_id_t arg_id(const struct ptd_op *op, enum ptd_handle_kind kind, int second)
{
	switch (kind) {
	case PTD_H_VS:
		return op->vs;
	case PTD_H_CURSOR:
		return op->cursor;
	case PTD_H_FRAME:
		return op->frame;
	case PTD_H_SEGMENT:
		return op->segment;
	case PTD_H_UNIQUE:
		return op->unique;
	case PTD_H_IO:
		return second ? op->io2 : op->io;
	default:
		return 0;
	}
}

/*
 * Handle id's record as the view lists it: the registry keeps what resolving needs (a cursor's
 * space and locked range, a segment's physical range, a frame's paddr, a reader's or writer's
 * range).  Returns 0 when the view does not list it.
 */
static int from_view(const struct ptd_view *v, enum ptd_handle_kind kind, ptd_id_t id,
		     struct ptd_handle *h)
{
	*h = (struct ptd_handle){ .id = id };
	switch (kind) {
	case PTD_H_VS:
		for (size_t i = 0; i < v->nvmspaces; i++)
			if (v->vmspaces[i] == id)
				return 1;
		return 0;
	case PTD_H_CURSOR:
		for (size_t i = 0; i < v->ncursors; i++)
			if (v->cursors[i].id == id) {
				h->vs = v->cursors[i].vs;
				h->start = v->cursors[i].start;
				h->end = v->cursors[i].end;
				return 1;
			}
		return 0;
	case PTD_H_FRAME:
		for (size_t i = 0; i < v->nframes; i++)
			if (v->frames[i].id == id) {
				h->paddr = v->frames[i].paddr;
				return 1;
			}
		return 0;
	case PTD_H_SEGMENT:
		for (size_t i = 0; i < v->nsegments; i++)
			if (v->segments[i].id == id) {
				h->start = v->segments[i].start;
				h->end = v->segments[i].end;
				return 1;
			}
		return 0;
	case PTD_H_UNIQUE:
		for (size_t i = 0; i < v->nuniques; i++)
			if (v->uniques[i].id == id) {
				h->paddr = v->uniques[i].paddr;
				return 1;
			}
		return 0;
	case PTD_H_IO:
		for (size_t i = 0; i < v->nios; i++)
			if (v->ios[i].id == id) {
				h->vs = v->ios[i].vs;
				h->start = v->ios[i].start;
				h->end = v->ios[i].end;
				h->writer = v->ios[i].kind == PTD_IO_WRITER;
				return 1;
			}
		return 0;
	default:
		return 0;
	}
}

/*
 * What a successful op did to the handles, read from the op table and the agreed state after
 * it (docs/POLICY.md §3): the handle it consumes goes, every other handle argument is read
 * back from the view (SegmentNext shrinks its segment, and removes it once empty), and each
 * handle it created is added in id order.
 */
void ptd_registry_update(struct ptd_registry *reg, const struct ptd_op *op,
			 const struct ptd_result *res, const struct ptd_view *post)
{
	enum ptd_handle_kind consumes, creates;
	struct ptd_handle h;

	if (res->status != PTD_OK || (unsigned)op->kind >= PTD_OP_COUNT)
		return;
	consumes = op_handles[op->kind].consumes;
	creates = op_handles[op->kind].creates;
	for (unsigned i = 0, ios = 0; i < PTD_MAX_ARGS; i++) {
		enum ptd_handle_kind kind = ptd_arg_handle(ptd_op_args[op->kind][i]);
		struct ptd_handle *live;
		ptd_id_t id = arg_id(op, kind, kind == PTD_H_IO && ios++);
		if (kind == PTD_H_NONE || kind == consumes ||
		    !(live = (struct ptd_handle *)ptd_registry_find(reg, kind, id)))
			continue;
		if (from_view(post, kind, live->id, &h))
			*live = h;
		else
			remove_id(reg, kind, h.id);
	}
	if (consumes != PTD_H_NONE)
		remove_id(reg, consumes, arg_id(op, consumes, 0));
	if (creates == PTD_H_NONE)
		return;
	/* Query registers a handle only for a tracked frame: res->new_id says whether. */
	if (res->new_id) {
		from_view(post, creates, res->new_id, &h);
		add(reg, creates, h);
	}
	if (res->new_id2) {
		from_view(post, creates, res->new_id2, &h);
		add(reg, creates, h);
	}
}
