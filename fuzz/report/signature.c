/* SPDX-License-Identifier: MIT */
/*
 * Signature ids: the signature (at most 127 characters of it) with every character outside
 * [A-Za-z0-9_-] replaced by '_', then '-' and the 16 hex digits of XXH3-64 of the whole
 * signature as it was, so an id is a safe file name and the same divergence always gets the
 * same one.
 */
#include "signature.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

uint64_t ptd_signature_hash(const char *sig)
{
	return XXH3_64bits(sig, strlen(sig));
}

void ptd_signature_id(const char *sig, char *out, size_t n)
{
	char safe[128];
	size_t i;
	for (i = 0; sig[i] && i + 1 < sizeof safe; i++) {
		char ch = sig[i];
		int ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
			 (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
		safe[i] = ok ? ch : '_';
	}
	safe[i] = 0;
	snprintf(out, n, "%s-%016" PRIx64, safe, ptd_signature_hash(sig));
}
