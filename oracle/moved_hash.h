/* SPDX-License-Identifier: MIT */
/*
 * POLICY.md "Readers and writers": the `hash` of a read or a copy is the XXH3-64, seed 0, of the
 * bytes moved, in the order they moved.  io.c feeds it the bytes a run at a time through
 * xxHash's streaming interface (XXH3_64bits_reset, _update, _digest), declared here.
 *
 * Their code is compiled in moved_hash.c alone, under the prefix below: a hash function is not
 * what the fuzzer should be steered by, and that file is off the coverage list
 * (fuzz/coverage-ignorelist.txt).
 */
#ifndef PTDIFF_ORACLE_MOVED_HASH_H
#define PTDIFF_ORACLE_MOVED_HASH_H

#define XXH_NAMESPACE oracle_moved_
#define XXH_STATIC_LINKING_ONLY /* XXH3_state_t's layout: io.c keeps one on the stack */
#include <xxhash.h>

#endif /* PTDIFF_ORACLE_MOVED_HASH_H */
