/* SPDX-License-Identifier: MIT */
/*
 * Address-space lifecycle (see vm_space.h).  Dropping a space follows OSTD fc9f47a01
 * (docs/CONTRACTS.md#drop-vm-space): the root's destructor drops every child node recursively and
 * one reference of every mapped frame, synchronously (policy R, docs/CONTRACTS.md#policy-release).
 */
#include "vm_space.h"

#include "core.h"
#include "planted.h"
#include "pt_node.h"

struct core_vm_space *core_vm_space_get(struct core *k, ptd_id_t id)
{
	core_registry_check(&k->vm_space_ids, id);
	return &k->vm_spaces[id];
}

enum ptd_status core_vm_space_new(struct core *k, ptd_id_t new_id)
{
	if (!core_pt_pool_has_free(&k->pool, 1)) {
		return PTD_ERR_WOULD_PANIC; /* step 1: the root node (POLICY §2 "Pool exhaustion") */
	}
	core_registry_add(&k->vm_space_ids, new_id);
	k->vm_spaces[new_id].root = core_pt_node_alloc(k, PTD_NR_LEVELS, new_id, 0);
	k->vm_spaces[new_id].nr_cursors = 0;
	k->vm_spaces[new_id].nr_io = 0;
	return PTD_OK;
}

enum ptd_status core_vm_space_drop(struct core *k, ptd_id_t id)
{
	struct core_vm_space *s = core_vm_space_get(k, id);

#if PTDIFF_PLANT_DROP_VMSPACE_RO_CURSOR
	/* planted: only a mutable cursor taken to pin the space */
	for (uint32_t n = 0; n < k->cursor_ids.nr_live; n++) {
		const struct core_cursor *c = &k->cursors[k->cursor_ids.ids[n]];

		if (c->vs == id && c->is_mut) {
			return PTD_ERR_BUSY;
		}
	}
#else
	if (s->nr_cursors) {
		return PTD_ERR_BUSY;
	}
#endif
	if (s->nr_io) {
		return PTD_ERR_BUSY; /* a live reader or writer, checked after the cursor */
	}
	(void)core_pt_node_free_tree(k, s->root);
	core_registry_remove(&k->vm_space_ids, id);
	return PTD_OK;
}
