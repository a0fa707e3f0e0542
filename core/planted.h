/* SPDX-License-Identifier: MIT */
/*
 * Planted bugs: small, realistic slips in core's real code paths, each behind its own
 * compile-time switch, so tests can prove the differential harness catches them.  The build
 * turns one on with `ptdiff_core_library(<target> PLANT <NAME>)` (or -DPTDIFF_PLANT=<NAME>),
 * which defines PTDIFF_PLANT_<NAME>=1.  With no switch every macro below is 0 and the code is
 * correct.  Each switch lives in one file, named below; grep for its name.  A bug is only ever
 * an `#if PTDIFF_PLANT_<NAME>` block: one that adds statements, or one whose `#else` holds the
 * production statements it replaces, written exactly as they would be without plants.  The
 * shipped build does not even compile a bug (and coverage measures production code only), and
 * no production function has a parameter or a condition that exists for one.
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
 * PTDIFF_PLANT_FIND_NEXT_SKIP (walk.c, walk_find; core_walk_find records the start)
 *     The search for the next mapping, when it moves into a level-1 node after crossing a
 *     level-1 node boundary (the node starts above the search start), begins at that node's
 *     entry 1 instead of entry 0.  The search is shared by FindNext and ProtectNext, as OSTD's
 *     find_next_impl is, so both miss a mapping on the first page of a 2 MiB region.
 *
 * PTDIFF_PLANT_CURSOR_USER_END (cursor.c, cursor_range_ok)
 *     OpenCursor checks the range against MAX_USERSPACE_VADDR (2^47 - 4096, the bound of
 *     readers and writers) instead of 2^47, so a cursor whose range ends at the top of user
 *     space is refused.  Shows as an OpenCursor status divergence (ERR_BAD_RANGE vs OK).
 *
 * PTDIFF_PLANT_OPEN_GUARD_END (cursor.c, core_cursor_open)
 *     The guard-level descent compares the index of start with the index of end instead of
 *     end - 1, so a range ending exactly on a node boundary stops one level too high: the
 *     node below the real guard node is not allocated.  Shows as a slot divergence (a pool
 *     slot the oracle allocates stays UNUSED) on such an OpenCursor.
 *
 * PTDIFF_PLANT_DESCEND_COVER_END (cursor.c, cursor_descend)
 *     The lookup at va asks the cached path for a node covering [va, va] instead of
 *     [va, va + 4096): a cached level-1 node that ends exactly at va still "covers" it, and
 *     va's index wraps to that node's entry 0.  A Map at the first page of a 2 MiB region
 *     with the cache still in the previous node (two Maps across the boundary) writes the PTE
 *     2 MiB too low.  Shows as a slot paths divergence after that Map.
 *
 * PTDIFF_PLANT_QUERY_IOMEM_NONE (cursor.c, core_cursor_query)
 *     Query on an untracked (MapIoMem) leaf returns "nothing found", reading the contract's
 *     None (which only means "no Frame handle") as "no mapping".  Shows as a Query found
 *     divergence on an I/O mapping.
 *
 * PTDIFF_PLANT_FIND_NEXT_CACHED (cursor.c, cursor_find)
 *     The search starts at the cached node covering the cursor's page and is clipped to that
 *     node's span, as if a search could not leave the node the cursor sits in.  Once a lookup
 *     has left the cache at a level-1 node, FindNext and ProtectNext miss every mapping beyond
 *     that node.  Shows as a FindNext (or ProtectNext) found divergence.
 *
 * PTDIFF_PLANT_JUMP_END (cursor.c, core_cursor_jump)
 *     Jump checks the target against [start, end] instead of [start, end): a jump to the end
 *     of the locked range is accepted.  Shows as a Jump status divergence.
 *
 * PTDIFF_PLANT_MAP_RELEASE_NEW (cursor.c, cursor_install_leaf)
 *     Map (or MapIoMem) over an existing mapping releases the reference of the PTE it has just
 *     written instead of the one it replaced (old and new swapped): the replaced frame keeps
 *     its reference and the new frame loses the one its handle gave (torn down while mapped
 *     when that was its last).  Shows as a Map rc divergence on a remap.
 *
 * PTDIFF_PLANT_IOMEM_END_INCLUSIVE (cursor.c, core_cursor_map_iomem)
 *     The I/O-window check accepts paddr == iomem_end (the window's end taken as inside it).
 *     Shows as a MapIoMem status divergence (OK vs ERR_OUT_OF_BOUND).
 *
 * PTDIFF_PLANT_UNMAP_CACHE_LEVEL (cursor.c, core_cursor_unmap)
 *     Unmap starts its walk at the lowest cached node covering the range even when that node
 *     lies wholly inside it (the "not inside" condition dropped).  A walk never frees the node
 *     it starts at, so after a Map, an Unmap of that whole 2 MiB region empties the level-1
 *     node but does not free it.  Shows as a slot rc divergence (node slot 1 vs UNUSED).
 *
 * PTDIFF_PLANT_PROTECT_PAST_LEN (cursor.c, core_cursor_protect_next)
 *     ProtectNext searches up to the end of the locked range instead of va + len, so it finds
 *     (and changes) a mapping after the requested range.  Shows as a ProtectNext found
 *     divergence.
 *
 * PTDIFF_PLANT_PROTECT_ORDER (cursor.c, core_cursor_protect_next)
 *     ProtectNext applies the flags to set before the flags to clear, so a flag named in both
 *     ends up cleared instead of set.  Shows as a mapping divergence after such a ProtectNext.
 *
 * PTDIFF_PLANT_FIND_CHILD_FROM_BASE (walk.c, walk_find)
 *     A child node is searched from its own base instead of from where the search range enters
 *     it, so a search that starts part-way into a node, walked from a node above it, can
 *     return a mapping below its start.  Shows as a FindNext (or ProtectNext) divergence.
 *
 * PTDIFF_PLANT_UNMAP_FREE_PARTIAL (walk.c, core_walk_unmap)
 *     The "child wholly inside E" test compares only the child's end with E's end, so a child
 *     that starts before E and ends inside it is freed whole, with its mappings before E.
 *     Shows as an Unmap count divergence.
 *
 * PTDIFF_PLANT_UNMAP_NODE_END (walk.c, core_walk_unmap)
 *     When the walk recurses into a child partly inside E, the child's end is taken as its
 *     last page (an inclusive end used as exclusive): the last page of a node that the range
 *     enters part-way and leaves at its end is never looked at.  Shows as an Unmap count
 *     divergence for a range that starts mid-node and runs past the node's last page.
 *
 * PTDIFF_PLANT_LIVE_GROUPS_CLEAR (pt_node.c, core_pt_node_set_entry)
 *     The live_groups bit of the written entry's group follows that entry alone, not the
 *     whole group: clearing one entry hides the other present entries of its group (of 8)
 *     from every scan, the view's included.  Shows as a slot paths divergence after an Unmap
 *     of one of two neighbouring pages.
 *
 * PTDIFF_PLANT_RELEASE_NO_FREE (pt_node.c, core_pt_node_release_leaf)
 *     The reference a removed leaf held is dropped with a bare decrement instead of the put
 *     that tears the slot down at the last reference: a frame whose last reference was the
 *     PTE is left at rc 0, storage initialised.  Shows as a slot rc divergence on Unmap (or
 *     a replacing Map, or DropVmSpace).
 *
 * PTDIFF_PLANT_TEARDOWN_LAST_CHILD (pt_node.c, core_pt_node_free_tree)
 *     Freeing a tree counts nr_children down before dropping the child and stops at 0, so the
 *     last child of every node is leaked (a sub-tree's nodes, or a leaf's reference).  Shows
 *     as a slot rc divergence on DropVmSpace (or on an Unmap that frees a sub-tree).
 *
 * PTDIFF_PLANT_FROM_IN_USE_NODE (frame.c, core_frame_from_in_use)
 *     FrameFromInUse checks only the count, as OSTD's code does, and forgets POLICY's "usage
 *     must be Frame": a Frame handle to a live page-table node is handed out.  Shows as a
 *     FrameFromInUse status divergence (OK vs ERR_NOT_FRAME).
 *
 * PTDIFF_PLANT_FROM_UNUSED_OLD_NODE (frame.c, core_frame_from_unused)
 *     FrameFromUnused refuses a free slot whose sticky usage is still PageTable (a freed node),
 *     reading the usage as "still in use".  Shows as a FrameFromUnused status divergence
 *     (ERR_IN_USE vs OK) once a DropVmSpace or an Unmap has freed a node.
 *
 * PTDIFF_PLANT_SEGMENT_CLONE_RC (segment.c, core_segment_clone)
 *     SegmentClone passes the range's length where its end is expected, so the clone's
 *     references are taken on the wrong pages (none at all when the segment's length is at
 *     most its start address).  Shows as a SegmentClone rc divergence.
 *
 * PTDIFF_PLANT_SEGMENT_SPLIT_OVERLAP (segment.c, core_segment_split)
 *     SegmentSplit gives the left half one page too many, so both halves cover the page at
 *     the split point (one reference, two owners).  Shows as a segments divergence.
 *
 * PTDIFF_PLANT_SEGMENT_NEXT_END (segment.c, core_segment_next)
 *     SegmentNext asks "was that the last page?" after advancing, so a segment with two pages
 *     left is removed after the first of them: the last page's reference is leaked.  Shows as
 *     a segments divergence.
 *
 * PTDIFF_PLANT_SEGMENT_SLICE_END (segment.c, core_segment_slice)
 *     SegmentSlice refuses a sub-range that reaches the segment's end (len >= end - paddr
 *     instead of len > end - paddr).  Shows as a SegmentSlice status divergence.
 *
 * PTDIFF_PLANT_TRY_FROM_SHARED_LOSE (unique.c, core_unique_try_from_shared)
 *     TryFromShared refused with ERR_SHARED forgets the Frame handle instead of handing it
 *     back (OSTD returns Err(frame)), so its reference is leaked.  Shows as a frame-handles
 *     divergence.
 *
 * PTDIFF_PLANT_DROP_VMSPACE_RO_CURSOR (vm_space.c, core_vm_space_drop)
 *     DropVmSpace takes only a mutable cursor to pin the space: with a live read-only cursor
 *     the space is dropped under it.  Shows as a DropVmSpace status divergence (OK vs BUSY).
 *
 * PTDIFF_PLANT_PTE_CACHE_WP (pte.h, core_pte_cache)
 *     The PTE decoder reads PAT index 5 (PAT|PWT, write-protected) as index 4 (PAT,
 *     write-combining): a WP mapping reads back as WC.  Shows as a mapping divergence after
 *     a Map with cache WP.
 *
 * PTDIFF_PLANT_PTE_UC_PCD (pte.h, core_pte_cache_bits and core_pte_cache)
 *     Uncacheable is encoded as PCD alone (PAT index 2, which the MMU reads as UC-, overridable
 *     by WC in the MTRRs) instead of PCD|PWT (index 3, UC), and the decoder reads PCD alone back
 *     as Uncacheable: every prop round-trips, so results and props agree.  Shows only in the
 *     leaf's raw bits (docs/POLICY.md, "Leaf PTE bits"): a mapping-pte divergence after a Map,
 *     MapIoMem or ProtectNext with cache UC.
 *
 * PTDIFF_PLANT_TAKE_NEXT_FRAMES (cursor.c, core_cursor_take_next)
 *     TakeNext reports a stray sub-tree's num_frames as its top node's nr_children, which is
 *     right only for a level-1 node (OSTD's dfs_mark_stray_and_unlock stops there): for a
 *     higher sub-tree it counts child nodes, not mappings.  Shows as a TakeNext result-count
 *     divergence on a sub-tree of level 2 or more whose leaves are not one per child node.
 *
 * Concurrency bugs (docs/CONCURRENCY.md): slips in OSTD's page-table locking protocol
 * (ostd/src/mm/page_table/cursor/locking.rs), several after fixes in OSTD's history.  The first
 * five show only when cursor ops interleave (a Together group); the last four break the
 * protocol on every run, so one op after another shows them too.
 *
 * PTDIFF_PLANT_CONC_FREE_NO_GRACE (locking.c, core_lock_retire)
 *     A node detached by Unmap is freed at once instead of after every op that may have read
 *     a pointer to it without a lock has ended (OSTD frees after an RCU grace period).  A
 *     cursor op waiting for that node's lock then touches a freed node: protocol-use-after-free.
 *
 * PTDIFF_PLANT_CONC_GRACE_OWN_END (locking.c, core_lock_retire)
 *     The grace period of a detached node ends with the op that detached it, not with the
 *     other ops running when it was detached: the same use after free, a little later.
 *
 * PTDIFF_PLANT_CONC_NO_STRAY_CHECK (locking.c, core_lock_range)
 *     Having locked the node its lock-free walk reached as guard, the open does not check
 *     that the node is still in the tree (OSTD's stray check): a cursor opened while an Unmap
 *     detaches that node works on a detached sub-tree.
 *
 * PTDIFF_PLANT_CONC_STRAY_LEAF_ONLY (locking.c, core_lock_retire)
 *     Detaching a sub-tree marks only its level-1 nodes stray (the level test inverted), so a
 *     cursor whose guard is a detached level-2 or level-3 node does not retry.
 *
 * PTDIFF_PLANT_CONC_NO_RECHECK (locking.c, core_lock_range)
 *     After locking the node that holds an absent entry, the open does not read the entry
 *     again: when another cursor created the child meanwhile, a second child replaces it.
 *
 * PTDIFF_PLANT_CONC_DFS_SKIP_HELD (locking.c, dfs_acquire)
 *     Locking the guard's sub-tree skips a node another cursor holds instead of waiting for
 *     it: two cursors then hold overlapping ranges.  One op after another: an open succeeds
 *     that must be refused (OpenCursor status).
 *
 * PTDIFF_PLANT_CONC_GUARD_HIGH (locking.c, core_lock_range)
 *     The walk to the guard stops one level early when the entries on the way exist: a cursor
 *     inside one 2 MiB region whose level-1 node is missing takes the level-2 node as guard and
 *     never creates the level-1 node (an OpenCursor slot divergence).
 *
 * PTDIFF_PLANT_CONC_UNLOCK_BEFORE_LINK (locking.c, core_lock_range)
 *     Creating the missing nodes, the parent is unlocked before the new child's PTE is
 *     stored into it: protocol-unlocked-store.
 *
 * PTDIFF_PLANT_CONC_NEW_NODE_UNLOCKED (pt_node.c, core_pt_node_alloc)
 *     A new node is linked into the tree before it is locked ("lock before writing the PTE",
 *     OSTD node/entry.rs): the first store into it is protocol-unlocked-store.
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
#ifndef PTDIFF_PLANT_CURSOR_USER_END
#define PTDIFF_PLANT_CURSOR_USER_END 0
#endif
#ifndef PTDIFF_PLANT_OPEN_GUARD_END
#define PTDIFF_PLANT_OPEN_GUARD_END 0
#endif
#ifndef PTDIFF_PLANT_DESCEND_COVER_END
#define PTDIFF_PLANT_DESCEND_COVER_END 0
#endif
#ifndef PTDIFF_PLANT_QUERY_IOMEM_NONE
#define PTDIFF_PLANT_QUERY_IOMEM_NONE 0
#endif
#ifndef PTDIFF_PLANT_FIND_NEXT_CACHED
#define PTDIFF_PLANT_FIND_NEXT_CACHED 0
#endif
#ifndef PTDIFF_PLANT_JUMP_END
#define PTDIFF_PLANT_JUMP_END 0
#endif
#ifndef PTDIFF_PLANT_MAP_RELEASE_NEW
#define PTDIFF_PLANT_MAP_RELEASE_NEW 0
#endif
#ifndef PTDIFF_PLANT_IOMEM_END_INCLUSIVE
#define PTDIFF_PLANT_IOMEM_END_INCLUSIVE 0
#endif
#ifndef PTDIFF_PLANT_UNMAP_CACHE_LEVEL
#define PTDIFF_PLANT_UNMAP_CACHE_LEVEL 0
#endif
#ifndef PTDIFF_PLANT_PROTECT_PAST_LEN
#define PTDIFF_PLANT_PROTECT_PAST_LEN 0
#endif
#ifndef PTDIFF_PLANT_PROTECT_ORDER
#define PTDIFF_PLANT_PROTECT_ORDER 0
#endif
#ifndef PTDIFF_PLANT_FIND_CHILD_FROM_BASE
#define PTDIFF_PLANT_FIND_CHILD_FROM_BASE 0
#endif
#ifndef PTDIFF_PLANT_UNMAP_FREE_PARTIAL
#define PTDIFF_PLANT_UNMAP_FREE_PARTIAL 0
#endif
#ifndef PTDIFF_PLANT_UNMAP_NODE_END
#define PTDIFF_PLANT_UNMAP_NODE_END 0
#endif
#ifndef PTDIFF_PLANT_LIVE_GROUPS_CLEAR
#define PTDIFF_PLANT_LIVE_GROUPS_CLEAR 0
#endif
#ifndef PTDIFF_PLANT_RELEASE_NO_FREE
#define PTDIFF_PLANT_RELEASE_NO_FREE 0
#endif
#ifndef PTDIFF_PLANT_TEARDOWN_LAST_CHILD
#define PTDIFF_PLANT_TEARDOWN_LAST_CHILD 0
#endif
#ifndef PTDIFF_PLANT_FROM_IN_USE_NODE
#define PTDIFF_PLANT_FROM_IN_USE_NODE 0
#endif
#ifndef PTDIFF_PLANT_FROM_UNUSED_OLD_NODE
#define PTDIFF_PLANT_FROM_UNUSED_OLD_NODE 0
#endif
#ifndef PTDIFF_PLANT_SEGMENT_CLONE_RC
#define PTDIFF_PLANT_SEGMENT_CLONE_RC 0
#endif
#ifndef PTDIFF_PLANT_SEGMENT_SPLIT_OVERLAP
#define PTDIFF_PLANT_SEGMENT_SPLIT_OVERLAP 0
#endif
#ifndef PTDIFF_PLANT_SEGMENT_NEXT_END
#define PTDIFF_PLANT_SEGMENT_NEXT_END 0
#endif
#ifndef PTDIFF_PLANT_SEGMENT_SLICE_END
#define PTDIFF_PLANT_SEGMENT_SLICE_END 0
#endif
#ifndef PTDIFF_PLANT_TRY_FROM_SHARED_LOSE
#define PTDIFF_PLANT_TRY_FROM_SHARED_LOSE 0
#endif
#ifndef PTDIFF_PLANT_DROP_VMSPACE_RO_CURSOR
#define PTDIFF_PLANT_DROP_VMSPACE_RO_CURSOR 0
#endif
#ifndef PTDIFF_PLANT_PTE_CACHE_WP
#define PTDIFF_PLANT_PTE_CACHE_WP 0
#endif
#ifndef PTDIFF_PLANT_PTE_UC_PCD
#define PTDIFF_PLANT_PTE_UC_PCD 0
#endif
#ifndef PTDIFF_PLANT_TAKE_NEXT_FRAMES
#define PTDIFF_PLANT_TAKE_NEXT_FRAMES 0
#endif

#ifndef PTDIFF_PLANT_CONC_FREE_NO_GRACE
#define PTDIFF_PLANT_CONC_FREE_NO_GRACE 0
#endif
#ifndef PTDIFF_PLANT_CONC_GRACE_OWN_END
#define PTDIFF_PLANT_CONC_GRACE_OWN_END 0
#endif
#ifndef PTDIFF_PLANT_CONC_NO_STRAY_CHECK
#define PTDIFF_PLANT_CONC_NO_STRAY_CHECK 0
#endif
#ifndef PTDIFF_PLANT_CONC_STRAY_LEAF_ONLY
#define PTDIFF_PLANT_CONC_STRAY_LEAF_ONLY 0
#endif
#ifndef PTDIFF_PLANT_CONC_NO_RECHECK
#define PTDIFF_PLANT_CONC_NO_RECHECK 0
#endif
#ifndef PTDIFF_PLANT_CONC_DFS_SKIP_HELD
#define PTDIFF_PLANT_CONC_DFS_SKIP_HELD 0
#endif
#ifndef PTDIFF_PLANT_CONC_GUARD_HIGH
#define PTDIFF_PLANT_CONC_GUARD_HIGH 0
#endif
#ifndef PTDIFF_PLANT_CONC_UNLOCK_BEFORE_LINK
#define PTDIFF_PLANT_CONC_UNLOCK_BEFORE_LINK 0
#endif
#ifndef PTDIFF_PLANT_CONC_NEW_NODE_UNLOCKED
#define PTDIFF_PLANT_CONC_NEW_NODE_UNLOCKED 0
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
