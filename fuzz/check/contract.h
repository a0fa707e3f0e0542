/* SPDX-License-Identifier: MIT */
/*
 * The contract checker: a third judge.  For every op, one predicate over (state before, state
 * after, result) that states the op's vostd `_embedded` postcondition as written
 * (ostd/specs/mm/embedding/, docs/CONTRACTS.md#ops), including the relational clauses neither side
 * needs to implement.  Two implementations that agree can still both be wrong; this catches
 * what both got wrong the same way.
 *
 * A refused call (any status but OK) must leave the store unchanged and have a reason: the
 * contract's precondition fails, or docs/POLICY.md names the reason and it holds in the state
 * before (e.g. ERR_IN_USE only at a slot in use).
 *
 * Where docs/POLICY.md deliberately departs from a contract (policy R releases references on
 * Unmap, Map-over-mapped and DropVmSpace; Unmap frees page-table nodes; FrameDrop of a
 * segment-covered frame; positions as a multiset), the checker admits exactly that departure
 * and names it (an "exemption", ptd_contract_exemptions); with strict = 1 it admits none, so
 * replaying with --strict-contract shows where ptdiff follows the code rather than the contract
 * (docs/FINDINGS.md).
 */
#ifndef PTDIFF_FUZZ_CONTRACT_H
#define PTDIFF_FUZZ_CONTRACT_H

#include <stddef.h>
#include "ptdiff/backend.h"

struct ptd_contract_failure {
	const char *contract; /* e.g. "cursor_query_embedded" */
	const char *clause;   /* short name used in the crash signature */
	char detail[256];
};

struct ptd_contract_checker {
	uint8_t *may_change; /* scratch: slots a contract lets change, checked one by one */
	uint64_t nslots;
	/* The machine, for the reasons of refusals: the page-table pool [pool_start, nslots)
	 * (pool exhaustion) and the I/O window [iomem_base, iomem_end) (MapIoMem). */
	uint64_t pool_start;
	ptd_paddr_t iomem_base, iomem_end;
	int strict; /* 1: no exemptions */
	/* Incremental checking: when set, a bitmap of slots outside which pre and post are known
	 * to be equal (records and paths); the scans over all slots then visit only its slots.
	 * NULL: scan every slot. */
	const uint64_t *only;
	/* With only: the parts (PTD_PART_BIT_*) outside which pre's and post's lists are known to
	 * be equal (the parts the op touched). */
	uint32_t parts;
};

int ptd_contract_init(struct ptd_contract_checker *c, const struct ptd_config *cfg);
void ptd_contract_fini(struct ptd_contract_checker *c);

/* The op's contract holds between the canonical views pre and post for result res: 0, or -1
 * with *f naming the contract and the clause that failed. */
int ptd_check_contract(struct ptd_contract_checker *c, const struct ptd_view *pre,
		       const struct ptd_view *post, const struct ptd_op *op,
		       const struct ptd_result *res, struct ptd_contract_failure *f);

/* The names of the exemptions (policy departures) the checker admits unless strict. */
extern const char *const ptd_contract_exemptions[];

#endif
