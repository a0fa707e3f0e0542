/* SPDX-License-Identifier: MIT */
/* Signature ids: the signature made file-safe, then its XXH3-64 in 16 hex digits. */
#include <stdio.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>
#include "check.h"
#include "signature.h"

TEST(id_is_signature_and_hash)
{
	char id[160], want[160];
	snprintf(want, sizeof want, "Query-slot-rc-%016llx",
		 (unsigned long long)XXH3_64bits("Query-slot-rc", 13));
	ptd_signature_id("Query-slot-rc", id, sizeof id);
	CHECK(!strcmp(id, want));
	CHECK_EQ(strlen(id), strlen("Query-slot-rc-") + 16);
	/* The hash is XXH3-64 of exactly the signature's characters. */
	CHECK_EQ(ptd_signature_hash("Query-slot-rc"), XXH3_64bits("Query-slot-rc", 13));
}

TEST(ids_tell_signatures_apart_and_are_file_safe)
{
	char a[160], b[160], c[160];
	ptd_signature_id("Unmap-result-count", a, sizeof a);
	ptd_signature_id("Unmap-result-va", b, sizeof b);
	ptd_signature_id("Unmap-result-count", c, sizeof c);
	CHECK(strcmp(a, b) != 0);
	CHECK(!strcmp(a, c));
	ptd_signature_id("Op-x/y z:w", a, sizeof a);
	CHECK(!strncmp(a, "Op-x_y_z_w-", 11));
	/* Different signatures that sanitise alike still get different ids. */
	ptd_signature_id("Op-x_y_z_w", b, sizeof b);
	CHECK(strcmp(a, b) != 0);
	/* A short buffer is truncated, not overrun. */
	ptd_signature_id("Query-slot-rc", c, 8);
	CHECK_EQ(strlen(c), 7);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(id_is_signature_and_hash),
	      PTD_TEST_ENTRY(ids_tell_signatures_apart_and_are_file_safe))
