/* SPDX-License-Identifier: MIT */
/*
 * The operation algebra (docs/CONTRACTS.md#ops, the vostd `Op` list) as both backends see it: every
 * handle already resolved to a live harness id, every argument a concrete value.  The decoder's raw
 * form (selectors and value modes) lives in fuzz/input/rawop.h; fuzz/run/resolve.c resolves it
 * into this struct.
 */
#ifndef PTDIFF_OP_H
#define PTDIFF_OP_H

#include "ptdiff/op_table.h"
#include "ptdiff/types.h"

/* The X-macro line ends without a comma clang-format can see: it would indent the count. */
/* clang-format off */
enum ptd_op_kind {
#define PTD_OP_ENUM(e, n, ...) PTD_OP_##e,
	PTD_OP_TABLE(PTD_OP_ENUM)
#undef PTD_OP_ENUM
	PTD_OP_COUNT
};
/* clang-format on */

/*
 * The longest byte string a write can carry (struct ptd_op bytes): a u128 or two u64 words in
 * one WriterWriteVal, and the most that keeps an encoded op within the decoder's 31-byte budget
 * (fuzz/input/decode.h: a write's kind, writer, count and 3 + 16 bytes of data).
 */
#define PTD_OP_BYTES_MAX 16

/* ReaderReadVal reports the value it read (struct ptd_result value) when it is at most this
 * many bytes: a u64 or smaller, size_of::<T>() of any scalar read_val. */
#define PTD_VALUE_BYTES_MAX 8

/*
 * One resolved operation.  Fields an op does not use are zero.
 *   vs      NewVmSpace: unused; DropVmSpace, OpenCursor*: the address space
 *   cursor  Query ... ProtectNext, TakeNext, DropCursor: the cursor
 *   frame   Map, FrameDrop, TryFromShared: the Frame handle
 *   segment SegmentDrop/Split/Next/Clone/Slice: the Segment handle
 *   unique  UniqueDrop, FromUnique: the UniqueFrame handle
 *   io      IoRead/IoWrite/IoFillZeros/IoSkip/IoLimit/IoDrop, ReaderReadVal/ReaderCollect/
 *           WriterWriteVal/ReaderQuery/WriterQuery: the reader or writer; IoCopy: the reader
 *   io2     IoCopy: the writer
 *   new_id  id to register for a handle the op creates (NewVmSpace, OpenCursor*, Query on a
 *           tracked frame, FrameFromUnused, FrameFromInUse, Segment*: the new segment or, for
 *           SegmentNext, the new frame; SegmentSplit: the left half; UniqueFromUnused,
 *           TryFromShared: the unique handle; FromUnique: the frame); assigned by the harness
 *   new_id2 SegmentSplit: the id of the right half
 *   paddr   MapIoMem, FrameFromUnused, FrameFromInUse, UniqueFromUnused; SegmentFromUnused,
 *           SegmentSlice: physical start of the (sub)range
 *   va      OpenCursor*: range start; Jump: target; NewReader/NewWriter: user address;
 *           NewKernelReader/NewKernelWriter: offset in kernel memory
 *   end     OpenCursor*: range end (exclusive)
 *   len     FindNext, Unmap, TakeNext, ProtectNext: byte length; SegmentFromUnused,
 *           SegmentSlice: byte length of the (sub)range; SegmentSplit: byte offset of the
 *           split; NewReader, NewWriter: length of the user range; Io*: byte count;
 *           ReaderReadVal, WriterWriteVal: size of the value (size_of::<T>())
 *   seed    IoWrite, WriterWriteVal with nbytes 0: the byte written at address a is
 *           ptd_io_byte(seed, a - start), start = the writer's range start
 *   nbytes, bytes  IoWrite, WriterWriteVal with nbytes 1..PTD_OP_BYTES_MAX: the input's own bytes,
 *           repeated from the first byte the op writes: the byte at address a is
 *           bytes[(a - c) % nbytes], c = the writer's cursor when the op begins (seed is 0)
 *           (docs/POLICY.md "Readers and writers")
 *   prop    Map, MapIoMem
 *   change  ProtectNext
 */
struct ptd_op {
	enum ptd_op_kind kind;
	ptd_id_t vs;
	ptd_id_t cursor;
	ptd_id_t frame;
	ptd_id_t segment;
	ptd_id_t unique;
	ptd_id_t io;
	ptd_id_t io2;
	ptd_id_t new_id;
	ptd_id_t new_id2;
	ptd_paddr_t paddr;
	ptd_vaddr_t va;
	ptd_vaddr_t end;
	uint64_t len;
	uint64_t seed;
	struct ptd_prop prop;
	struct ptd_prop_change change;
	uint8_t nbytes;
	uint8_t bytes[PTD_OP_BYTES_MAX];
};

/* Kernel memory that kernel readers and writers cover (docs/POLICY.md). */
#define PTD_KERNEL_BYTES 16384u

/* The byte at offset k of kernel memory in the initial state. */
static inline uint8_t ptd_kernel_byte(uint64_t k)
{
	return (uint8_t)(k * 131 + 7 + (k >> 8));
}

/* The byte IoWrite writes at offset k of its writer's range when it carries no bytes. */
static inline uint8_t ptd_io_byte(uint64_t seed, uint64_t k)
{
	return (uint8_t)((seed * 0x9e3779b97f4a7c15ull + k * 0x3b) >> 8);
}

/*
 * What an op returns.  The runner zeroes it before each apply; a backend sets only the fields
 * its op determines (docs/POLICY.md), so the whole struct is compared.
 *   status   enum ptd_status
 *   found    Query: an item is mapped at va; FindNext/ProtectNext: something was found;
 *            TakeNext: the fragment taken, PTD_FRAG_MAPPED or PTD_FRAG_STRAY (0: none);
 *            ReaderQuery/WriterQuery: has_remain / has_avail
 *   tracked  Query, TakeNext (mapped): the item is a tracked frame (1) or an I/O-memory leaf (0)
 *   new_id   the id registered (= op.new_id) when a handle was created, else 0
 *   new_id2  SegmentSplit: the id registered for the right half (= op.new_id2)
 *   paddr    Query, TakeNext (mapped): physical address of the item; TakeNext (stray): the
 *            physical address of the sub-tree's top node; SegmentNext: the frame taken
 *   va, va_end  Query: the va range of the entry the walk stopped at, the item's or, when
 *            nothing is mapped, the absent entry's (OSTD `query`'s range); ProtectNext: the
 *            item's va range; TakeNext: the fragment's range; FindNext: va found (va_end 0);
 *            VirtAddr: the cursor's va; ReaderQuery/WriterQuery: the handle's cursor
 *   count    Unmap: number of 4 KiB mappings removed; TakeNext (stray): the sub-tree's
 *            num_frames (4 KiB mappings in it); IoRead/IoWrite/IoFillZeros/IoCopy,
 *            ReaderReadVal/ReaderCollect/WriterWriteVal (OK only): bytes moved;
 *            ReaderQuery/WriterQuery: remain / avail
 *   hash     IoRead, IoCopy, ReaderReadVal/ReaderCollect (OK only): XXH3-64 (seed 0) of the
 *            bytes read, in order (docs/POLICY.md)
 *   value    ReaderReadVal (OK only, len <= PTD_VALUE_BYTES_MAX): the bytes read, byte j in bits
 *            8j..8j+7 (a little-endian value); the trace prints them
 *   prop     Query, TakeNext (mapped): the item's property
 */
struct ptd_result {
	int32_t status;
	uint8_t found;
	uint8_t tracked;
	ptd_id_t new_id;
	ptd_id_t new_id2;
	ptd_paddr_t paddr;
	ptd_vaddr_t va;
	ptd_vaddr_t va_end;
	uint64_t count;
	uint64_t hash;
	uint64_t value;
	struct ptd_prop prop;
};

/* TakeNext's fragment kinds (result `found`): OSTD's PageTableFrag::Mapped and
 * PageTableFrag::StrayPageTable (ostd/src/mm/page_table/cursor/mod.rs). */
#define PTD_FRAG_MAPPED 1
#define PTD_FRAG_STRAY 2

#endif /* PTDIFF_OP_H */
