/* SPDX-License-Identifier: MIT */
/*
 * The hash of the bytes an op moved (IoRead, IoCopy, ReaderReadVal, ReaderCollect: the result's
 * `hash`, POLICY §3): XXH3-64 with seed 0 of the bytes in the order moved.  An op moves its
 * bytes a page run at a time, so the hash is streamed, one update per run.  FNV-1a, which this
 * replaced, has a multiply per byte on its critical path: it was a tenth of incremental
 * checking's time on the seeds, both sides counted (docs/PERFORMANCE.md#moved-bytes-hash).
 *
 * The xxHash functions are compiled once, in moved_hash.c, under their own prefix: that file is
 * off the fuzzing coverage list (fuzz/coverage-ignorelist.txt), so the hash's internal branches
 * (input length classes, buffer refills) give the fuzzer no features, while MSan still sees
 * every byte (nothing is called in an uninstrumented shared library).
 */
#ifndef PTDIFF_CORE_MOVED_HASH_H
#define PTDIFF_CORE_MOVED_HASH_H

#include <stddef.h>
#include <stdint.h>

#define XXH_NAMESPACE core_moved_
#define XXH_STATIC_LINKING_ONLY /* the state's layout, so that it can live on the stack */
#include <xxhash.h>

struct core_moved_hash {
	XXH3_state_t state;
};

static inline void core_moved_hash_init(struct core_moved_hash *h)
{
	XXH3_64bits_reset(&h->state);
}

/** core_moved_hash_bytes() - Continue over the @n bytes at @p. */
static inline void core_moved_hash_bytes(struct core_moved_hash *h, const uint8_t *p, size_t n)
{
	XXH3_64bits_update(&h->state, p, n);
}

static inline uint64_t core_moved_hash_value(const struct core_moved_hash *h)
{
	return XXH3_64bits_digest(&h->state);
}

#endif /* PTDIFF_CORE_MOVED_HASH_H */
