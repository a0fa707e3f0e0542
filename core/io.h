/* SPDX-License-Identifier: MIT */
/*
 * Readers and writers over a user address space (OSTD ostd/src/mm/io.rs VmReader/VmWriter of
 * a VmSpace; contract vostd `embedding/io.rs`, docs/CONTRACTS.md#io; semantics POLICY §3
 * "Readers and writers").  A handle is a user range [start, end) of one address space and a
 * cursor; it moves bytes at the cursor through the space's page table one page at a time
 * (core_walk_leaf(): O(levels) per page, not per byte), to or from simulated physical memory
 * (phys_mem.h).  A byte is readable when its page maps a tracked frame, writable when that
 * mapping also has PTD_PF_W; an unmapped page or an I/O (untracked) mapping is neither.  None
 * of these ops changes a slot (docs/CONTRACTS.md#io: `regions` untouched); a live handle keeps its
 * address space from being dropped (DropVmSpace ERR_BUSY).
 */
#ifndef PTDIFF_CORE_IO_H
#define PTDIFF_CORE_IO_H

#include <stdint.h>

#include "ptdiff/op.h"

struct core;

/*
 * struct core_io - one live reader or writer, stored at its harness id.
 * @vs:        the address space it reads or writes (its nr_io counts this handle), or 0 for a
 *             kernel reader/writer (then start, cursor and end are kernel memory offsets).
 * @is_writer: VmWriter (1) or VmReader (0).
 * @start:     first byte of the range it was created over (IoWrite's byte k is at start + k).
 * @cursor:    next byte it moves; start <= cursor <= end.
 * @end:       one past the last byte it may move (IoLimit lowers it, never below cursor).
 */
struct core_io {
	ptd_id_t vs;
	uint8_t is_writer;
	ptd_vaddr_t start, cursor, end;
};

/*
 * struct core_io_data - what a write writes (POLICY IoWrite; the op's seed or bytes, op.h).
 * @nbytes: 0: the byte at address a is ptd_io_byte(@seed, a - start); else @bytes[0..@nbytes),
 *          repeated from the cursor at which the write begins.
 */
struct core_io_data {
	uint64_t seed;
	const uint8_t *bytes;
	unsigned nbytes;
};

/**
 * core_io_new() - POLICY NewReader / NewWriter (contract: io.rs:64-118, 240-273,
 * docs/CONTRACTS.md#io): register @new_id over [@va, @va + @len) of live space @vs.
 * Return: PTD_OK, or PTD_ERR_BAD_RANGE unless @va + @len <= MAX_USERSPACE_VADDR.
 */
enum ptd_status core_io_new(struct core *k, ptd_id_t vs, ptd_vaddr_t va, uint64_t len,
			    int is_writer, ptd_id_t new_id);

/**
 * core_io_new_kernel() - POLICY NewKernelReader / NewKernelWriter (contract: from_kernel_space,
 * docs/CONTRACTS.md#io): register @new_id over kernel memory offsets [@offset, @offset + @len),
 * with vs 0.  Return: PTD_OK, or PTD_ERR_BAD_RANGE unless @offset + @len <= PTD_KERNEL_BYTES.
 */
enum ptd_status core_io_new_kernel(struct core *k, uint64_t offset, uint64_t len, int is_writer,
				   ptd_id_t new_id);

/** core_io_is_kernel() - @io reads or writes kernel memory (its vs is 0: no address space). */
static inline int core_io_is_kernel(const struct core_io *io)
{
	return io->vs == 0;
}

/**
 * core_io_read() - POLICY IoRead (`read_fallible`): move up to min(@len, end - cursor) bytes
 * from the cursor while they are readable.  Sets res->count (bytes read) and res->hash
 * (moved_hash.h: XXH3-64 of them; of no bytes when none), advances the cursor by count.
 * @id: a live reader.
 * Return: PTD_OK when every byte asked for (capped at the end) was read, else PTD_ERR_FAULT.
 */
enum ptd_status core_io_read(struct core *k, ptd_id_t id, uint64_t len, struct ptd_result *res);

/**
 * core_io_write() - POLICY IoWrite (`write_fallible`) and, with @zeros, IoFillZeros: write up
 * to min(@len, end - cursor) bytes at the cursor while they are writable: @data (struct
 * core_io_data), or 0 with @zeros.  Sets res->count, advances the cursor.
 * @id: a live writer.
 * Return: PTD_OK when all were written, else PTD_ERR_FAULT.
 */
enum ptd_status core_io_write(struct core *k, ptd_id_t id, uint64_t len,
			      const struct core_io_data *data, int zeros, struct ptd_result *res);

/**
 * core_io_skip() - POLICY IoSkip (`skip`): cursor += @len.
 * Return: PTD_OK, or PTD_ERR_WOULD_PANIC when @len > end - cursor (OSTD asserts).
 */
enum ptd_status core_io_skip(struct core *k, ptd_id_t id, uint64_t len);

/** core_io_limit() - POLICY IoLimit (`limit`): end = cursor + min(@len, end - cursor). */
enum ptd_status core_io_limit(struct core *k, ptd_id_t id, uint64_t len);

/** core_io_drop() - POLICY IoDrop: unregister @id.  Return: PTD_OK. */
enum ptd_status core_io_drop(struct core *k, ptd_id_t id);

/**
 * core_io_copy() - POLICY IoCopy (`VmReader::read(&mut VmWriter)`): copy up to
 * n = min(@len, both remainders) bytes from @reader's cursor to @writer's cursor, byte by byte,
 * stopping at the first unreadable source or unwritable destination byte.  Sets res->count and
 * res->hash (moved_hash.h: XXH3-64 of the bytes copied); both cursors advance by count.
 * Return: PTD_OK when count == n, else PTD_ERR_FAULT.
 */
enum ptd_status core_io_copy(struct core *k, ptd_id_t reader, ptd_id_t writer, uint64_t len,
			     struct ptd_result *res);

/**
 * core_io_value() - POLICY ReaderReadVal / WriterWriteVal (`read_val`, `write_val` of
 * VmReader/VmWriter<Fallible>): move exactly @len bytes (the value's size) at the cursor (a
 * read with @data NULL, else a write of @data), all or nothing for the handle: a fault puts the
 * cursor back where it was (bytes already written stay written).  On PTD_OK sets res->count =
 * len and, for a read, res->hash and, when @len <= PTD_VALUE_BYTES_MAX, res->value.
 * Return: PTD_OK, PTD_ERR_INVALID_ARGS when @len > end - cursor (nothing moves), or
 * PTD_ERR_FAULT.
 */
enum ptd_status core_io_value(struct core *k, ptd_id_t id, uint64_t len,
			      const struct core_io_data *data, struct ptd_result *res);

/**
 * core_io_collect() - POLICY ReaderCollect (`collect`): a read of everything that remains as
 * core_io_value() reads (never PTD_ERR_INVALID_ARGS), without res->value.
 */
enum ptd_status core_io_collect(struct core *k, ptd_id_t id, struct ptd_result *res);

/**
 * core_io_query() - POLICY ReaderQuery / WriterQuery (`remain`/`avail`, `has_remain`/
 * `has_avail`, `cursor`): res->count = end - cursor, res->found = (count > 0), res->va = cursor.
 * Nothing changes.  @want_writer: the kind the runner passes (1 writer, 0 reader).
 * Return: PTD_OK.
 */
enum ptd_status core_io_query(struct core *k, ptd_id_t id, int want_writer, struct ptd_result *res);

#endif /* PTDIFF_CORE_IO_H */
