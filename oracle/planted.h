/* SPDX-License-Identifier: MIT */
/*
 * Bugs planted in BOTH sides (core/planted.h has the same switches), for the test that shows
 * the contract checker earns its keep: core and oracle then agree, the invariants hold, and
 * only the contract checker can see the mistake.  The build defines PTDIFF_PLANT_<NAME>=1 for
 * one of them (ptdiff_oracle_library(<target> PLANT <NAME>)); without a switch all are 0.
 *
 * PTDIFF_PLANT_BOTH_UNIQUE_FRESH (unique.c)
 *     UniqueFromUnused checks only the count, as the OSTD code does, and forgets the
 *     contract's "usage == Unused" (unique_from_unused_embedded).
 *
 * PTDIFF_PLANT_BOTH_TEARDOWN_USAGE (store.c, oracle_slot_tear_down)
 *     Tearing a slot down resets its usage to Unused; the contracts keep usage (sticky).
 *
 * PTDIFF_PLANT_BOTH_SEGMENT_ROLLBACK (segment.c)
 *     SegmentFromUnused, refused at a busy page, leaves usage = Frame on the free pages before
 *     it, as the OSTD code's claim-then-roll-back does; the contract changes nothing.
 *
 * Bugs planted in the oracle only (ORACLE_<NAME>): the oracle, not core, is wrong, and the
 * divergence shows it the same way.  The build plants them in the oracle alone.
 *
 * PTDIFF_PLANT_ORACLE_TRY_FROM_SHARED_HOLDER (unique.c, oracle_try_from_shared)
 *     TryFromShared looks only for a page-table holder (paths empty) instead of rc == 1, so a
 *     frame another Frame handle (or a segment) also holds is made unique.  Shows as a
 *     TryFromShared status divergence (core ERR_SHARED, oracle OK).
 *
 * PTDIFF_PLANT_ORACLE_UNMAP_GUARD (cursor_mut.c, remove_range, Unmap's steps 3-4)
 *     Unmap step 4 forgets the guard-node exception and frees the guard node too when the
 *     range covers its whole span (e.g. Unmap of a whole 2 MiB cursor range).  Shows as an
 *     Unmap slot rc divergence on the guard node's slot.
 *
 * PTDIFF_PLANT_ORACLE_LOWEST_END_INCLUSIVE (store.c, oracle_mapping_lowest)
 *     The search for the lowest mapping in [start, end) also accepts a mapping at end, so
 *     FindNext and ProtectNext find a mapping just past the range they were given.  Shows as a
 *     FindNext (or ProtectNext) found divergence.
 *
 * PTDIFF_PLANT_ORACLE_MAP_REPLACE_KEEP (cursor_mut.c, oracle_cursor_map)
 *     Map over an existing mapping follows the contract's "old frame unchanged" instead of
 *     POLICY's replace-and-release: the old mapping leaves the list, but its frame keeps the
 *     reference and the position.  Shows as a Map rc divergence on the replaced frame.
 *
 * PTDIFF_PLANT_ORACLE_SEGMENT_SLICE_RC (segment.c, oracle_segment_slice)
 *     SegmentSlice takes its references as SegmentClone does, on every page of the parent
 *     segment rather than on the sub-range.  Shows as a SegmentSlice rc divergence on a
 *     page outside the slice.
 *
 * PTDIFF_PLANT_ORACLE_NODE_ALLOC_FRESH (store.c, oracle_node_alloc)
 *     Node allocation prefers the lowest never-used pool slot (usage Unused) and takes a freed
 *     one only when none is left, instead of the lowest UNUSED slot whatever its usage.
 *     Shows as a slot divergence when a node is allocated after one was freed (NewVmSpace,
 *     DropVmSpace, NewVmSpace).
 *
 * PTDIFF_PLANT_ORACLE_DROP_VMSPACE_READER (vm_space.c, oracle_drop_vmspace)
 *     DropVmSpace checks only for a live cursor and forgets the op_pre's "no VmIo": a space
 *     with a live reader or writer is dropped.  Shows as a DropVmSpace status divergence
 *     (core ERR_BUSY, oracle OK).
 */
#ifndef PTDIFF_ORACLE_PLANTED_H
#define PTDIFF_ORACLE_PLANTED_H

#ifndef PTDIFF_PLANT_BOTH_UNIQUE_FRESH
#define PTDIFF_PLANT_BOTH_UNIQUE_FRESH 0
#endif
#ifndef PTDIFF_PLANT_BOTH_TEARDOWN_USAGE
#define PTDIFF_PLANT_BOTH_TEARDOWN_USAGE 0
#endif
#ifndef PTDIFF_PLANT_BOTH_SEGMENT_ROLLBACK
#define PTDIFF_PLANT_BOTH_SEGMENT_ROLLBACK 0
#endif

#ifndef PTDIFF_PLANT_ORACLE_TRY_FROM_SHARED_HOLDER
#define PTDIFF_PLANT_ORACLE_TRY_FROM_SHARED_HOLDER 0
#endif
#ifndef PTDIFF_PLANT_ORACLE_UNMAP_GUARD
#define PTDIFF_PLANT_ORACLE_UNMAP_GUARD 0
#endif
#ifndef PTDIFF_PLANT_ORACLE_LOWEST_END_INCLUSIVE
#define PTDIFF_PLANT_ORACLE_LOWEST_END_INCLUSIVE 0
#endif
#ifndef PTDIFF_PLANT_ORACLE_MAP_REPLACE_KEEP
#define PTDIFF_PLANT_ORACLE_MAP_REPLACE_KEEP 0
#endif
#ifndef PTDIFF_PLANT_ORACLE_SEGMENT_SLICE_RC
#define PTDIFF_PLANT_ORACLE_SEGMENT_SLICE_RC 0
#endif
#ifndef PTDIFF_PLANT_ORACLE_NODE_ALLOC_FRESH
#define PTDIFF_PLANT_ORACLE_NODE_ALLOC_FRESH 0
#endif
#ifndef PTDIFF_PLANT_ORACLE_DROP_VMSPACE_READER
#define PTDIFF_PLANT_ORACLE_DROP_VMSPACE_READER 0
#endif

#endif /* PTDIFF_ORACLE_PLANTED_H */
