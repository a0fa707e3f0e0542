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

#endif /* PTDIFF_ORACLE_PLANTED_H */
