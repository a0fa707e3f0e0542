/* SPDX-License-Identifier: MIT */
/*
 * Address-space operations: NewVmSpace and DropVmSpace (vostd `specs/mm/embedding/vm_space.rs`,
 * docs/CONTRACTS.md#new-vm-space, #drop-vm-space).  An address space owns its root node, every node
 * below it and one reference per tracked mapping; dropping it gives all of them back (policy R, a
 * deliberate departure from the contract, which leaks them).
 */
#include <stdlib.h>

#include "ops.h"
#include "planted.h"

/*
 * NewVmSpace — `vm_space_new_embedded` (docs/CONTRACTS.md#new-vm-space): exactly one UNUSED slot
 * becomes the PageTable root (rc 1); which slot is the contract's open point, closed by POLICY.md
 * §2 (lowest UNUSED slot of the pool).  The contract cannot fail (docs/CONTRACTS.md#inc-15); OSTD
 * panics when no node can be allocated, which POLICY.md §2 "Pool exhaustion" turns into
 * ERR_WOULD_PANIC, nothing changed.
 */
void oracle_new_vmspace(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	ORACLE_BUG_ON(op->new_id == 0);
	/* 1. No UNUSED pool slot for the root -> ERR_WOULD_PANIC. */
	if (!oracle_pool_can_alloc(o, 1)) {
		res->status = PTD_ERR_WOULD_PANIC;
		return;
	}
	/* 2. Root: level 4, base 0, position (vs, 0, 0). */
	oracle_node_alloc(o, op->new_id, PTD_NR_LEVELS, 0);
	oracle_vmspace_register(o, op->new_id);
	res->status = PTD_OK;
	res->new_id = op->new_id;
}

/*
 * DropVmSpace — docs/CONTRACTS.md#drop-vm-space.  The contract's op_pre demands no cursor and no
 * VmIo (reader or writer, docs/CONTRACTS.md#io) on the space; POLICY.md step 1 turns each into
 * ERR_BUSY, the cursor check first.  The contract then leaves every slot unchanged (a documented
 * model gap: vostd exec has no Drop for the page table); POLICY.md follows the code instead (policy
 * R, docs/CONTRACTS.md#policy-release): every mapping is released and every node, root included, is
 * freed.
 */
void oracle_drop_vmspace(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_vmspace *vs = oracle_vmspace_get(o, op->vs);

	/* 1. A live cursor on vs -> ERR_BUSY. */
	for (size_t i = 0; i < o->nr_cursors; i++) {
		if (o->cursors[i].vs == op->vs) {
			res->status = PTD_ERR_BUSY;
			return;
		}
	}
	/* 1. A live (user) reader or writer on vs -> ERR_BUSY.  Kernel ones belong to no space. */
#if PTDIFF_PLANT_ORACLE_DROP_VMSPACE_READER
	/* planted: the VmIo half of op_pre forgotten */
#else
	for (size_t i = 0; i < o->nr_ios; i++) {
		if (!o->ios[i].kernel && o->ios[i].vs == op->vs) {
			res->status = PTD_ERR_BUSY;
			return;
		}
	}
#endif

	/* 2. Release every mapping (tracked: position out, one reference released). */
	while (vs->nr_maps > 0)
		oracle_mapping_remove(o, vs, vs->nr_maps - 1);
	/* Free every node of vs, root included (their mappings are gone already). */
	for (size_t i = 0; i < o->nr_nodes;) {
		if (o->nodes[i].vs == op->vs) {
			oracle_node_free(o, i);
		} else {
			i++;
		}
	}
	/* Unregister vs. */
	oracle_vmspace_unregister(o, vs);
	res->status = PTD_OK;
}
