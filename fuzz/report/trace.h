/* SPDX-License-Identifier: MIT */
/*
 * Readable form of resolved ops and their results, for traces and reports: op names, handle
 * names (vs1, c2, f3) and addresses, never bytes.
 */
#ifndef PTDIFF_FUZZ_TRACE_H
#define PTDIFF_FUZZ_TRACE_H

#include <stdio.h>
#include "ptdiff/op.h"

const char *ptd_status_name(int status);
/* "Map(c1, f2, prop=W/WB)"; va_before is the cursor's va before the op (printed for cursor
 * ops), frame_pa the paddr of op->frame (0 if none). */
void ptd_op_print(FILE *out, const struct ptd_op *op, uint64_t va_before, uint64_t frame_pa);
/* The fields the op determines, e.g. "OK found frame 0x5000 [0x1000,0x2000) W/WB -> f3". */
void ptd_result_print(FILE *out, enum ptd_op_kind kind, const struct ptd_result *res);

#endif
