/* SPDX-License-Identifier: MIT */
/*
 * The oracle's own x86-64 leaf PTE encoding (pte_encoding.c): the bits a 4 KiB user leaf
 * mapping a page with a given prop must hold, for the `pte` field of the view's mappings
 * (docs/POLICY.md §4, "Leaf PTE bits").  The store keeps no PTEs: the view encodes each mapping's
 * prop when it lists it.
 */
#ifndef PTDIFF_ORACLE_PTE_ENCODING_H
#define PTDIFF_ORACLE_PTE_ENCODING_H

#include <stdint.h>

#include "ptdiff/types.h"

/**
 * oracle_leaf_pte() - The compared bits (PTD_LEAF_PTE_COMPARED, include/ptdiff/view.h) of the
 * 4 KiB user leaf that maps a page with @prop: flags within PTD_PF_ALL, cache below
 * PTD_CACHE_COUNT.  The frame's address and the bits the policy leaves free are 0.
 */
uint64_t oracle_leaf_pte(struct ptd_prop prop);

#endif /* PTDIFF_ORACLE_PTE_ENCODING_H */
