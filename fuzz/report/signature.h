/* SPDX-License-Identifier: MIT */
/*
 * Divergence signatures.  A signature "<Op>-<what>" names the op kind that diverged and what
 * diverged: a result field (Query-result-paddr), a slot field (Query-slot-rc), an invariant
 * (Map-invariant-accounting) or a contract clause (Unmap-contract-rc-paths-together).  It is
 * the last line of every report (ASSERTION FAILURE: ptdiff <signature>) and what the minimiser
 * keeps.  Its id, "<signature>-<16 hex digits of XXH3-64 of the signature>", names crash and
 * regression files and groups duplicate crashes: two inputs with the same id are the same bug
 * as far as the harness can tell, without the file names depending on the input's bytes.
 */
#ifndef PTDIFF_FUZZ_SIGNATURE_H
#define PTDIFF_FUZZ_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>

/* XXH3-64 of the signature's characters. */
uint64_t ptd_signature_hash(const char *sig);

/* Writes the id of sig into out (n bytes, truncated if shorter): the signature with every
 * character outside [A-Za-z0-9_-] replaced by '_', then '-' and the hash in 16 hex digits. */
void ptd_signature_id(const char *sig, char *out, size_t n);

#endif
