/* SPDX-License-Identifier: MIT */
/*
 * The readable text form of raw ops, one op per line:
 *
 *   OpenCursorMut vs=#0 start=0x1000 end=0x5000
 *   FrameFromUnused paddr=0x3000
 *   Map c=#0 f=#0 prop=WA/WB
 *   Jump c=#0 to=start+0x1000
 *   Unmap c=#0 len=rest
 *   ProtectNext c=#0 len=to2m change=+D-W/keep
 *
 *   SegmentFromUnused paddr=0x4000 len=0x3000
 *   SegmentSlice seg=#0 from=start+0x1000 len=0x1000
 *
 * `#k` selects the k-th live handle of that kind (modulo how many are live).  Numbers are hex,
 * absolute or relative to a base: start, end (the cursor's locked range, or the segment's
 * physical range for segment ops), rest (= end - va; for a segment, its size), to2m / to1g
 * (the distance from va to the next 2 MiB / 1 GiB boundary, at most rest).
 * prop = page flags W X A D (or -) / cache WB WT UC WC WP.  change = +set -clear / cache or keep.
 * A write's data is `seed=N` (bytes ptd_io_byte(N, k)) or `bytes=de:ad:be:ef`: 1 to 16 bytes, two
 * hex digits each, joined by ':', written repeated from the first byte the write moves (op.h).
 * `Together ops=N schedule=S` makes the next N ops (at most 4) one concurrent group; its count is
 * written in decimal.  The assembler (input.h) refuses an op inside the count that cannot be a
 * member (ptd_op_is_member()) and a count that runs past the end of the text.
 * `#` outside a selector starts a comment; blank lines are ignored.
 * Printing then parsing gives back the same raw op, and so the same bytes (decode.h).
 */
#ifndef PTDIFF_FUZZ_RAWOP_TEXT_H
#define PTDIFF_FUZZ_RAWOP_TEXT_H

#include <stddef.h>
#include <stdio.h>
#include "rawop.h"

void ptd_raw_op_print(FILE *out, const struct ptd_raw_op *op);

/* Parses one line.  Returns 1 for an op, 0 for a blank/comment line, -1 on error with a
 * message in err. */
int ptd_raw_op_parse(const char *line, struct ptd_raw_op *op, char *err, size_t errlen);

/* Shared pieces of the trace printer. */
void ptd_prop_print(FILE *out, struct ptd_prop prop);
/* n bytes as the text form writes a write's data: two hex digits each, joined by ':'. */
void ptd_bytes_print(FILE *out, const uint8_t *bytes, size_t n);
const char *ptd_cache_name(unsigned cache);

#endif
