/* SPDX-License-Identifier: MIT */
/*
 * Bytes -> raw ops.  Total: every byte string is a valid stream of at most max_ops ops (the
 * remaining bytes are ignored once the cap is hit).
 *
 * Byte format of one op: a kind byte (the kind by the op table's weights, byte % their sum;
 * where that kind would find no handle, a byte other than the kind's canonical one,
 * ptd_kind_byte(), may be read as NewVmSpace or an open instead, from the ops decoded before:
 * decode.c), then for each argument of the kind (rawop.h) in order:
 *   selector  1 byte (the k-th live handle, modulo the number live)
 *   number    1 mode byte; mode = byte & 15.  Mode 15 ("explicit") is followed by a base byte
 *             and an 8-byte little-endian signed offset; modes 0-14 are followed by 1 or 2
 *             payload bytes and pick interesting values per argument type (decode.c; an
 *             open's start may be placed next to the last open's).
 *             A write's data (the SEED argument) in explicit mode whose base byte is
 *             PTD_NUM_BASE_BYTES is instead a byte string: a length byte, n = 1 + byte % 16
 *             (PTD_OP_BYTES_MAX), then the n bytes (any other base byte: an 8-byte seed).
 *   prop      1 byte: flags = b & 15, cache = (b >> 4) % 5
 *   change    2 bytes: set = b0 & 15, clear = b0 >> 4; cache = b1 % 6 (5 = keep)
 */
#ifndef PTDIFF_FUZZ_DECODE_H
#define PTDIFF_FUZZ_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include "rawop.h"

#define PTD_NUM_MODE_EXPLICIT 15u
/*
 * The base byte that makes an explicit SEED a byte string ('b').  A seed is absolute, so its
 * base byte meant nothing before and canonical bytes write 0 there: of the inputs shipped
 * (corpus/, bench/long, docs/findings) none has this byte there, so none changes meaning.
 */
#define PTD_NUM_BASE_BYTES 0x62u
/* The most bytes ptd_encode_op() writes for one op: a write with PTD_OP_BYTES_MAX bytes of
 * data (1 kind + 1 writer + 10 count + 3 + 16), as long as three explicit numbers (1 + 3 * 10). */
#define PTD_ENCODED_OP_MAX 31u

size_t ptd_decode(const uint8_t *data, size_t size, struct ptd_raw_op *ops, size_t max_ops);

/* One op from the front of data, decoded as in the middle of a stream where any handle may be
 * live, without the guesses ptd_decode() makes from the ops before (the op-level mutator's
 * fresh ops). */
void ptd_decode_one(const uint8_t *data, size_t size, struct ptd_raw_op *op);

/* The op kind a kind byte selects by the weights alone, and the smallest byte that selects a
 * kind: its canonical byte, which selects it in every context. */
enum ptd_op_kind ptd_decode_kind(uint8_t byte);
uint8_t ptd_kind_byte(enum ptd_op_kind kind);

/* The inverse of ptd_decode for one op, using the explicit number mode: decoding the bytes
 * gives back *op exactly.  Returns the number of bytes written, 0 if cap is too small. */
size_t ptd_encode_op(const struct ptd_raw_op *op, uint8_t *buf, size_t cap);

#endif
