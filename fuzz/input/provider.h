/* SPDX-License-Identifier: MIT */
/*
 * A byte provider for the decoder: reads from the front and yields zeros once the input is used
 * up, so every byte string decodes (the decoder is total).
 */
#ifndef PTDIFF_FUZZ_PROVIDER_H
#define PTDIFF_FUZZ_PROVIDER_H

#include <stddef.h>
#include <stdint.h>

struct ptd_provider {
	const uint8_t *data;
	size_t size;
	size_t pos;
};

static inline int ptd_provider_empty(const struct ptd_provider *p)
{
	return p->pos >= p->size;
}

static inline uint8_t ptd_provider_u8(struct ptd_provider *p)
{
	return p->pos < p->size ? p->data[p->pos++] : 0;
}

/* Little-endian, missing bytes read as zero. */
static inline uint64_t ptd_provider_u64(struct ptd_provider *p, unsigned nbytes)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < nbytes; i++)
		v |= (uint64_t)ptd_provider_u8(p) << (8 * i);
	return v;
}

#endif
