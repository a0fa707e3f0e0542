/* SPDX-License-Identifier: MIT */
/*
 * Structure-aware mutation: edits an input as a stream of ops instead of bytes — insert a new
 * op, delete, duplicate or swap ops, tweak one argument toward interesting values, splice two
 * streams — so every mutant is a well-formed stream of at most PTD_MAX_OPS ops.  Used by the
 * libFuzzer custom mutator (ptdiff-fuzz-ops) and usable by an AFL++ custom mutator.
 * Deterministic in its seed.
 */
#ifndef PTDIFF_FUZZ_MUTATE_H
#define PTDIFF_FUZZ_MUTATE_H

#include <stddef.h>
#include <stdint.h>

/* Mutates data[0..size) in place (capacity max_size); returns the new size (<= max_size). */
size_t ptd_mutate_ops(uint8_t *data, size_t size, size_t max_size, unsigned seed);

/* Writes into out a stream made of a prefix of a's ops and a suffix of b's; returns its size. */
size_t ptd_crossover_ops(const uint8_t *a, size_t asize, const uint8_t *b, size_t bsize,
			 uint8_t *out, size_t max_out, unsigned seed);

#endif
