/* SPDX-License-Identifier: MIT */
/* A fixed-seed xorshift generator, so randomised tests are reproducible. */
#ifndef PTDIFF_TESTS_PRNG_H
#define PTDIFF_TESTS_PRNG_H

#include <stdint.h>

static inline uint64_t prng_next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

#endif
