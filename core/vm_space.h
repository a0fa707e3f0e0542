/* SPDX-License-Identifier: MIT */
/*
 * Address spaces (OSTD ostd/src/mm/vm_space.rs: VmSpace = one user page table).  A space owns a
 * level-4 root node and, through it, the whole radix tree; mappings persist across cursors
 * (SPEC §5 "Mappings persist").
 */
#ifndef PTDIFF_CORE_VM_SPACE_H
#define PTDIFF_CORE_VM_SPACE_H

#include "ptdiff/types.h"

struct core;

/*
 * struct core_vm_space - one live address space, stored at its harness id.
 * @root:   paddr of the level-4 root node (position (vs, 0, 0)).
 * @nr_cursors: live cursors on this space (any number on ranges whose locks do not meet,
 *          docs/POLICY.md "Several cursors"); the space cannot be dropped while one lives.
 * @nr_io:  live user readers and writers over this space (io.h; kernel ones have none);
 *          while non-zero the space cannot be dropped (POLICY §3 DropVmSpace step 1; the contract's
 *          op_pre, docs/CONTRACTS.md#io).
 */
struct core_vm_space {
	ptd_paddr_t root;
	uint32_t nr_cursors;
	uint32_t nr_io;
};

/**
 * core_vm_space_get() - The live address space @id (harness error if not live).
 */
struct core_vm_space *core_vm_space_get(struct core *k, ptd_id_t id);

/**
 * core_vm_space_new() - POLICY §3 NewVmSpace, docs/CONTRACTS.md#new-vm-space
 * `vm_space_new_embedded`: allocate the root node and register @new_id.
 * Return: PTD_OK, or PTD_ERR_WOULD_PANIC when no pool frame is UNUSED (POLICY §2 "Pool
 * exhaustion"; OSTD panics).
 */
enum ptd_status core_vm_space_new(struct core *k, ptd_id_t new_id);

/**
 * core_vm_space_drop() - POLICY §3 DropVmSpace, policy R (docs/CONTRACTS.md#policy-release): refuse
 * while a cursor, a reader or a writer is live on it, else release every mapping, free every node
 * and unregister @id.
 * Return: PTD_OK or PTD_ERR_BUSY.
 */
enum ptd_status core_vm_space_drop(struct core *k, ptd_id_t id);

#endif /* PTDIFF_CORE_VM_SPACE_H */
