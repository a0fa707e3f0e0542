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
		return PTD_H_FRAME;
	default:
		return PTD_H_COUNT;
	}
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

void ptd_registry_update(struct ptd_registry *reg, const struct ptd_op *op,
			 const struct ptd_result *res)
{
	enum ptd_handle_kind created = ptd_op_creates(op->kind);
	if (res->status != PTD_OK)
		return;
	if (created != PTD_H_COUNT && res->new_id) {
		struct ptd_handle h = { .id = res->new_id };
		if (created == PTD_H_CURSOR) {
			h.vs = op->vs;
			h.start = op->va;
			h.end = op->end;
		} else if (created == PTD_H_FRAME) {
			h.paddr = op->kind == PTD_OP_QUERY ? res->paddr : op->paddr;
		}
		add(reg, created, h);
	}
	switch (op->kind) {
	case PTD_OP_DROP_VM_SPACE:
		remove_id(reg, PTD_H_VS, op->vs);
		break;
	case PTD_OP_DROP_CURSOR:
		remove_id(reg, PTD_H_CURSOR, op->cursor);
		break;
	case PTD_OP_MAP: /* the handle's reference moved into the page table */
	case PTD_OP_FRAME_DROP:
		remove_id(reg, PTD_H_FRAME, op->frame);
		break;
	default:
		break;
	}
}
