/* SPDX-License-Identifier: MIT */
#include "registry.h"

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

enum ptd_handle_kind ptd_op_creates(enum ptd_op_kind kind)
{
	switch (kind) {
	case PTD_OP_NEW_VM_SPACE:
		return PTD_H_VS;
	case PTD_OP_OPEN_CURSOR:
	case PTD_OP_OPEN_CURSOR_MUT:
		return PTD_H_CURSOR;
	case PTD_OP_QUERY:
	case PTD_OP_FRAME_FROM_UNUSED:
	case PTD_OP_FRAME_FROM_IN_USE:
	case PTD_OP_SEGMENT_NEXT:
	case PTD_OP_FROM_UNIQUE:
		return PTD_H_FRAME;
	case PTD_OP_SEGMENT_FROM_UNUSED:
	case PTD_OP_SEGMENT_SPLIT:
	case PTD_OP_SEGMENT_CLONE:
	case PTD_OP_SEGMENT_SLICE:
		return PTD_H_SEGMENT;
	case PTD_OP_UNIQUE_FROM_UNUSED:
	case PTD_OP_TRY_FROM_SHARED:
		return PTD_H_UNIQUE;
	case PTD_OP_NEW_READER:
	case PTD_OP_NEW_WRITER:
	case PTD_OP_NEW_KERNEL_READER:
	case PTD_OP_NEW_KERNEL_WRITER:
		return PTD_H_IO;
	default:
		return PTD_H_COUNT;
	}
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
	reg->last_id[kind] = h.id;
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

static struct ptd_handle *find_mut(struct ptd_registry *reg, enum ptd_handle_kind kind,
				   ptd_id_t id)
{
	return (struct ptd_handle *)ptd_registry_find(reg, kind, id);
}

static struct ptd_handle range_handle(ptd_id_t id, uint64_t start, uint64_t end)
{
	return (struct ptd_handle){ .id = id, .start = start, .end = end };
}

static struct ptd_handle paddr_handle(ptd_id_t id, ptd_paddr_t paddr)
{
	return (struct ptd_handle){ .id = id, .paddr = paddr };
}

/* The handles each successful op creates and consumes (docs/POLICY.md §3). */
void ptd_registry_update(struct ptd_registry *reg, const struct ptd_op *op,
			 const struct ptd_result *res)
{
	struct ptd_handle *seg = find_mut(reg, PTD_H_SEGMENT, op->segment);
	const struct ptd_handle *h;
	if (res->status != PTD_OK)
		return;
	switch (op->kind) {
	case PTD_OP_NEW_VM_SPACE:
		add(reg, PTD_H_VS, (struct ptd_handle){ .id = op->new_id });
		break;
	case PTD_OP_DROP_VM_SPACE:
		remove_id(reg, PTD_H_VS, op->vs);
		break;
	case PTD_OP_OPEN_CURSOR:
	case PTD_OP_OPEN_CURSOR_MUT:
		add(reg, PTD_H_CURSOR, (struct ptd_handle){ .id = op->new_id, .vs = op->vs,
							    .start = op->va, .end = op->end });
		break;
	case PTD_OP_DROP_CURSOR:
		remove_id(reg, PTD_H_CURSOR, op->cursor);
		break;
	case PTD_OP_QUERY:
		if (res->new_id)
			add(reg, PTD_H_FRAME, paddr_handle(res->new_id, res->paddr));
		break;
	case PTD_OP_FRAME_FROM_UNUSED:
	case PTD_OP_FRAME_FROM_IN_USE:
		add(reg, PTD_H_FRAME, paddr_handle(op->new_id, op->paddr));
		break;
	case PTD_OP_MAP: /* the handle's reference moved into the page table */
	case PTD_OP_FRAME_DROP:
		remove_id(reg, PTD_H_FRAME, op->frame);
		break;
	case PTD_OP_SEGMENT_FROM_UNUSED:
	case PTD_OP_SEGMENT_SLICE:
		add(reg, PTD_H_SEGMENT, range_handle(op->new_id, op->paddr, op->paddr + op->len));
		break;
	case PTD_OP_SEGMENT_CLONE:
		add(reg, PTD_H_SEGMENT, range_handle(op->new_id, seg->start, seg->end));
		break;
	case PTD_OP_SEGMENT_SPLIT: {
		struct ptd_handle whole = *seg;
		remove_id(reg, PTD_H_SEGMENT, whole.id);
		add(reg, PTD_H_SEGMENT, range_handle(op->new_id, whole.start, whole.start + op->len));
		add(reg, PTD_H_SEGMENT, range_handle(op->new_id2, whole.start + op->len, whole.end));
		break;
	}
	case PTD_OP_SEGMENT_NEXT:
		add(reg, PTD_H_FRAME, paddr_handle(op->new_id, seg->start));
		seg->start += PTD_PAGE_SIZE;
		if (seg->start == seg->end)
			remove_id(reg, PTD_H_SEGMENT, seg->id);
		break;
	case PTD_OP_SEGMENT_DROP:
		remove_id(reg, PTD_H_SEGMENT, op->segment);
		break;
	case PTD_OP_UNIQUE_FROM_UNUSED:
		add(reg, PTD_H_UNIQUE, paddr_handle(op->new_id, op->paddr));
		break;
	case PTD_OP_UNIQUE_DROP:
		remove_id(reg, PTD_H_UNIQUE, op->unique);
		break;
	case PTD_OP_FROM_UNIQUE:
		h = ptd_registry_find(reg, PTD_H_UNIQUE, op->unique);
		add(reg, PTD_H_FRAME, paddr_handle(op->new_id, h->paddr));
		remove_id(reg, PTD_H_UNIQUE, op->unique);
		break;
	case PTD_OP_TRY_FROM_SHARED:
		h = ptd_registry_find(reg, PTD_H_FRAME, op->frame);
		add(reg, PTD_H_UNIQUE, paddr_handle(op->new_id, h->paddr));
		remove_id(reg, PTD_H_FRAME, op->frame);
		break;
	case PTD_OP_NEW_READER:
	case PTD_OP_NEW_WRITER:
	case PTD_OP_NEW_KERNEL_READER:
	case PTD_OP_NEW_KERNEL_WRITER: /* kernel ones: no address space, vs 0 */
		add(reg, PTD_H_IO, (struct ptd_handle){ .id = op->new_id, .vs = op->vs,
							.start = op->va, .end = op->va + op->len,
							.writer = op->kind == PTD_OP_NEW_WRITER ||
								  op->kind == PTD_OP_NEW_KERNEL_WRITER });
		break;
	case PTD_OP_IO_DROP:
		remove_id(reg, PTD_H_IO, op->io);
		break;
	default:
		break;
	}
}
