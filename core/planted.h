/* SPDX-License-Identifier: MIT */
/*
 * Planted bugs: small, realistic slips in core's real code paths, each behind its own
 * compile-time switch, so tests can prove the differential harness catches them.  The build
 * turns one on with `ptdiff_core_library(<target> PLANT <NAME>)` (or -DPTDIFF_PLANT=<NAME>),
 * which defines PTDIFF_PLANT_<NAME>=1.  With no switch every macro below is 0 and the code is
 * correct.  Each switch is read in exactly one place; grep for its name.
 *
 * PTDIFF_PLANT_QUERY_RC (cursor.c, core_cursor_query)
 *     Query on a tracked frame bumps the frame's ref count by 2 instead of 1 (the clone of the
 *     item is counted twice).  Shows as an rc divergence on the first Query hit.
 *
 * PTDIFF_PLANT_MAP_PATH (cursor.c, cursor_install_leaf)
 *     Map (and MapIoMem, which shares the install) forgets to increment the level-1 node's
 *     nr_children when it fills a previously empty entry of a level-1 node that this same call
 *     did not allocate (e.g. the guard node of a small cursor, or a node an earlier Map made).
 *     The PTE is written, so the mapping exists, but find_next/unmap/teardown trust
 *     nr_children == 0 to mean "empty node" and skip it.
 *
 * PTDIFF_PLANT_UNMAP_LEN (cursor.c, core_cursor_unmap)
 *     Unmap stops one page early: it works on [va, va + len - 4096) and never looks at the
 *     last page of [va, va + len) (the cursor still ends at va + len).
 *
 * PTDIFF_PLANT_FIND_NEXT_SKIP (walk.c, walk_find)
 *     The search for the next mapping, when it moves into a level-1 node after crossing a
 *     level-1 node boundary (the node starts above the search start), begins at that node's
 *     entry 1 instead of entry 0.  The search is shared by FindNext and ProtectNext, as OSTD's
 *     find_next_impl is, so both miss a mapping on the first page of a 2 MiB region.
 *
 * Bugs planted in BOTH sides (oracle/planted.h has the same three): core and oracle then
 * agree, the invariants hold, and only the contract checker can see them.
 *
 * PTDIFF_PLANT_BOTH_UNIQUE_FRESH (unique.c, core_unique_from_unused)
 *     UniqueFromUnused checks only the count, as OSTD's code does, and forgets the contract's
 *     "usage == Unused".
 *
 * PTDIFF_PLANT_BOTH_TEARDOWN_USAGE (meta.c, core_meta_teardown)
 *     Teardown resets the slot's usage to Unused; the contracts keep it (sticky).
 *
 * PTDIFF_PLANT_BOTH_SEGMENT_ROLLBACK (segment.c, core_segment_from_unused)
 *     SegmentFromUnused claims page by page and, at a busy page, rolls the claimed ones back,
 *     as OSTD's code does: they end UNUSED but with usage Frame; the contract changes nothing.
 */
#ifndef PTDIFF_CORE_PLANTED_H
#define PTDIFF_CORE_PLANTED_H

#ifndef PTDIFF_PLANT_QUERY_RC
#define PTDIFF_PLANT_QUERY_RC 0
#endif
#ifndef PTDIFF_PLANT_MAP_PATH
#define PTDIFF_PLANT_MAP_PATH 0
#endif
#ifndef PTDIFF_PLANT_UNMAP_LEN
#define PTDIFF_PLANT_UNMAP_LEN 0
#endif
#ifndef PTDIFF_PLANT_FIND_NEXT_SKIP
#define PTDIFF_PLANT_FIND_NEXT_SKIP 0
#endif

#ifndef PTDIFF_PLANT_BOTH_UNIQUE_FRESH
#define PTDIFF_PLANT_BOTH_UNIQUE_FRESH 0
#endif
#ifndef PTDIFF_PLANT_BOTH_TEARDOWN_USAGE
#define PTDIFF_PLANT_BOTH_TEARDOWN_USAGE 0
#endif
#ifndef PTDIFF_PLANT_BOTH_SEGMENT_ROLLBACK
#define PTDIFF_PLANT_BOTH_SEGMENT_ROLLBACK 0
#endif

#endif /* PTDIFF_CORE_PLANTED_H */
