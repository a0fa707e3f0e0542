/* SPDX-License-Identifier: MIT */
/*
 * The op table: everything ptdiff knows about each op kind, in one row per op.  Adding an op is
 * one row here, its two implementations (core/backend.c `op_<stem>`, oracle `oracle_<stem>`),
 * its contract check (fuzz/check/contract.c) and its tests; every other part of the harness
 * reads the row.
 *
 * PTD_OP_TABLE(X) calls X(ENUM, Name, stem, weight, a0, a1, a2, creates, nnew, consumes, parts,
 *                         result, contract, check) once per op, in the order of enum ptd_op_kind:
 *   ENUM      PTD_OP_<ENUM>
 *   Name      the op's name in traces, text inputs, stats and crash signatures
 *   stem      the handler each side dispatches to: core's `op_<stem>` (core/backend.c) and the
 *             oracle's `oracle_<stem>` (oracle/ops.h); two rows may share one handler
 *   weight    the decoder's relative frequency of the op (the kind byte is taken modulo the sum,
 *             which is part of the byte format: fuzz/input/decode.c asserts it).  An op's canonical
 *             kind byte, the one the corpus is written with, is the sum of the weights of the
 *             rows above it (ptd_kind_byte()), so a new row keeps every existing op's byte only
 *             when it takes its weight from the row just above it: TakeNext, the page-table
 *             half of Unmap (VmSpace::unmap is a loop of take_next), sits below Unmap and has
 *             one of Unmap's two; Unmap keeps its byte, the ops below keep theirs
 *   a0..a2    argument kinds, in byte and text order: PTD_ARG_<a> (fuzz/input/rawop.h), NONE
 *             ends the list
 *   creates   the kind of handle a successful op registers, PTD_H_<creates>, or NONE
 *   nnew      how many it registers (SegmentSplit: both halves)
 *   consumes  the kind of the argument handle a successful op uses up, or NONE
 *   parts     PTD_PARTS_<parts>: the non-slot parts of the state the op may change (incremental
 *             checking compares these lists after the op, docs/POLICY.md §4)
 *   result    PTD_RES_<result>: which result fields the trace prints (fuzz/report/trace.c)
 *   contract  the vostd contract the op's postcondition is checked against (docs/CONTRACTS.md)
 *   check     the function in fuzz/check/contract.c that states it
 *
 * Columns other than ENUM, Name and stem are tokens that only the harness expands; core and
 * oracle read nothing but the enum and their own handler.
 *
 * Together is not an op of either side but a group marker: the next GROUP_N ops (cursor ops
 * on distinct cursors) run at the same time, interleaved by SCHEDULE (fuzz/run/group.c,
 * docs/CONCURRENCY.md); its own handlers are never called.
 */
#ifndef PTDIFF_OP_TABLE_H
#define PTDIFF_OP_TABLE_H

/* clang-format off */
#define PTD_OP_TABLE(X)                                                                        \
	X(NEW_VM_SPACE, NewVmSpace, new_vmspace, 3, NONE, NONE, NONE,                          \
	  VS, 1, NONE, VMSPACES, NONE, "vm_space_new_embedded", vm_space_new_embedded)         \
	X(DROP_VM_SPACE, DropVmSpace, drop_vmspace, 1, VS, NONE, NONE,                         \
	  NONE, 0, VS, DROP_VMSPACE, NONE, "lemma_step_drop_vm_space", lemma_step_drop_vm_space) \
	X(OPEN_CURSOR, OpenCursor, open_cursor, 2, VS, START, END,                             \
	  CURSOR, 1, NONE, CURSORS, NONE, "vm_space_cursor_embedded", nodes_only)              \
	X(OPEN_CURSOR_MUT, OpenCursorMut, open_cursor, 4, VS, START, END,                      \
	  CURSOR, 1, NONE, CURSORS, NONE, "vm_space_cursor_mut_embedded", nodes_only)          \
	X(DROP_CURSOR, DropCursor, drop_cursor, 1, CURSOR, NONE, NONE,                         \
	  NONE, 0, CURSOR, CURSORS, NONE, "drop_cursor_step", slots_unchanged)                 \
	X(QUERY, Query, cursor_query, 3, CURSOR, NONE, NONE,                                   \
	  FRAME, 1, NONE, QUERY, QUERY, "cursor_query_embedded", cursor_query_embedded)        \
	X(FIND_NEXT, FindNext, cursor_find_next, 2, CURSOR, LEN, NONE,                         \
	  NONE, 0, NONE, CURSORS, FOUND_VA, "cursor_find_next_step", slots_unchanged)          \
	X(JUMP, Jump, cursor_jump, 2, CURSOR, TARGET, NONE,                                    \
	  NONE, 0, NONE, CURSORS, NONE, "lemma_cursor_jump_embedded", slots_unchanged)         \
	X(VIRT_ADDR, VirtAddr, cursor_virt_addr, 1, CURSOR, NONE, NONE,                        \
	  NONE, 0, NONE, CURSORS, VA, "virt_addr (no-op step)", slots_unchanged)               \
	X(MAP, Map, cursor_map, 4, CURSOR, FRAME, PROP,                                        \
	  NONE, 0, FRAME, MAPPING, NONE, "cursor_mut_map_embedded", cursor_mut_map_embedded)   \
	X(MAP_IOMEM, MapIoMem, cursor_map_iomem, 2, CURSOR, IOPADDR, PROP,                     \
	  NONE, 0, NONE, MAPPING, NONE, "cursor_map_iomem (map clauses)",                      \
	  cursor_mut_map_embedded)                                                             \
	X(UNMAP, Unmap, cursor_unmap, 1, CURSOR, LEN, NONE,                                    \
	  NONE, 0, NONE, MAPPING, PAGES, "cursor_mut_unmap_embedded", cursor_mut_unmap_embedded) \
	X(TAKE_NEXT, TakeNext, cursor_take_next, 1, CURSOR, LEN, NONE,                         \
	  NONE, 0, NONE, MAPPING, FRAG, "take_next (exec ensures; unmap clauses on the fragment)", \
	  cursor_mut_take_next)                                                                \
	X(PROTECT_NEXT, ProtectNext, cursor_protect_next, 2, CURSOR, LEN, CHANGE,              \
	  NONE, 0, NONE, MAPPING, RANGE, "cursor_protect_next_step", slots_unchanged)          \
	X(FRAME_FROM_UNUSED, FrameFromUnused, frame_from_unused, 2, PADDR, NONE, NONE,         \
	  FRAME, 1, NONE, FRAMES, NONE, "frame_from_unused_embedded", frame_from_unused_embedded) \
	X(FRAME_FROM_IN_USE, FrameFromInUse, frame_from_in_use, 1, PADDR, NONE, NONE,          \
	  FRAME, 1, NONE, FRAMES, NONE, "frame_from_in_use_embedded", frame_from_in_use_embedded) \
	X(FRAME_DROP, FrameDrop, frame_drop, 2, FRAME, NONE, NONE,                             \
	  NONE, 0, FRAME, FRAMES, NONE, "frame_drop_embedded", frame_drop_embedded)            \
	X(SEGMENT_FROM_UNUSED, SegmentFromUnused, segment_from_unused, 2, PADDR, SEG_LEN, NONE, \
	  SEGMENT, 1, NONE, SEGMENTS, NONE, "segment_from_unused_embedded",                    \
	  segment_from_unused_embedded)                                                        \
	X(SEGMENT_DROP, SegmentDrop, segment_drop, 1, SEGMENT, NONE, NONE,                     \
	  NONE, 0, SEGMENT, SEGMENTS, NONE, "lemma_segment_drop_embedded",                     \
	  lemma_segment_drop_embedded)                                                         \
	X(SEGMENT_SPLIT, SegmentSplit, segment_split, 1, SEGMENT, SPLIT_AT, NONE,              \
	  SEGMENT, 2, SEGMENT, SEGMENTS, NONE, "lemma_step_segment_split", slots_unchanged)    \
	X(SEGMENT_NEXT, SegmentNext, segment_next, 1, SEGMENT, NONE, NONE,                     \
	  FRAME, 1, NONE, SEGMENTS, FRAME, "segment_next_embedded", slots_unchanged)           \
	X(SEGMENT_CLONE, SegmentClone, segment_clone, 1, SEGMENT, NONE, NONE,                  \
	  SEGMENT, 1, NONE, SEGMENTS, NONE, "segment_clone_embedded", segment_clone_embedded)  \
	X(SEGMENT_SLICE, SegmentSlice, segment_slice, 1, SEGMENT, SUB_START, SUB_LEN,          \
	  SEGMENT, 1, NONE, SEGMENTS, NONE, "lemma_step_segment_slice", segment_clone_embedded) \
	X(UNIQUE_FROM_UNUSED, UniqueFromUnused, unique_from_unused, 1, PADDR, NONE, NONE,      \
	  UNIQUE, 1, NONE, UNIQUES, NONE, "unique_from_unused_embedded",                       \
	  unique_from_unused_embedded)                                                         \
	X(UNIQUE_DROP, UniqueDrop, unique_drop, 1, UNIQUE, NONE, NONE,                         \
	  NONE, 0, UNIQUE, UNIQUES, NONE, "unique_drop_embedded", unique_drop_embedded)        \
	X(FROM_UNIQUE, FromUnique, from_unique, 1, UNIQUE, NONE, NONE,                         \
	  FRAME, 1, UNIQUE, UNIQUES, NONE, "from_unique_embedded", from_unique_embedded)       \
	X(TRY_FROM_SHARED, TryFromShared, try_from_shared, 1, FRAME, NONE, NONE,               \
	  UNIQUE, 1, FRAME, UNIQUES, NONE, "try_from_shared_embedded", try_from_shared_embedded) \
	X(NEW_READER, NewReader, new_reader, 1, VS, IO_VA, IO_LEN,                             \
	  IO, 1, NONE, IO, NONE, "tracked_vm_space_reader_embedded", slots_unchanged)          \
	X(NEW_WRITER, NewWriter, new_writer, 1, VS, IO_VA, IO_LEN,                             \
	  IO, 1, NONE, IO, NONE, "tracked_vm_space_writer_embedded", slots_unchanged)          \
	X(IO_READ, IoRead, io_read, 1, READER, IO_COUNT, NONE,                                 \
	  NONE, 0, NONE, IO, BYTES_HASH, "tracked_vm_reader_read_embedded", slots_unchanged)   \
	X(IO_WRITE, IoWrite, io_write, 1, WRITER, IO_COUNT, SEED,                              \
	  NONE, 0, NONE, IO, BYTES, "lemma_step_write", slots_unchanged)                       \
	X(IO_FILL_ZEROS, IoFillZeros, io_fill_zeros, 1, WRITER, IO_COUNT, NONE,                \
	  NONE, 0, NONE, IO, BYTES, "lemma_step_vm_io_method (fill_zeros)", slots_unchanged)   \
	X(IO_SKIP, IoSkip, io_skip, 1, IO, IO_COUNT, NONE,                                     \
	  NONE, 0, NONE, IO, NONE, "lemma_vm_writer_skip_embedded", slots_unchanged)           \
	X(IO_LIMIT, IoLimit, io_limit, 1, IO, IO_COUNT, NONE,                                  \
	  NONE, 0, NONE, IO, NONE, "lemma_vm_writer_limit_embedded", slots_unchanged)          \
	X(IO_DROP, IoDrop, io_drop, 1, IO, NONE, NONE,                                         \
	  NONE, 0, IO, IO, NONE, "lemma_step_drop_vm_io", slots_unchanged)                     \
	X(NEW_KERNEL_READER, NewKernelReader, new_kernel_reader, 1, KOFF, IO_LEN, NONE,        \
	  IO, 1, NONE, IO, NONE, "tracked_vm_reader_from_kernel_space_embedded", slots_unchanged) \
	X(NEW_KERNEL_WRITER, NewKernelWriter, new_kernel_writer, 1, KOFF, IO_LEN, NONE,        \
	  IO, 1, NONE, IO, NONE, "tracked_vm_writer_from_kernel_space_embedded", slots_unchanged) \
	X(IO_COPY, IoCopy, io_copy, 2, READER, WRITER, IO_COUNT,                               \
	  NONE, 0, NONE, IO, BYTES_HASH, "lemma_step_read", slots_unchanged)                   \
	X(READER_READ_VAL, ReaderReadVal, reader_read_val, 1, READER, IO_COUNT, NONE,          \
	  NONE, 0, NONE, IO, VALUE_IF_OK, "VmReader::read_val", vm_io_fallible_value)          \
	X(READER_COLLECT, ReaderCollect, reader_collect, 1, READER, NONE, NONE,                \
	  NONE, 0, NONE, IO, BYTES_HASH_IF_OK, "VmReader::collect", vm_io_fallible_value)      \
	X(WRITER_WRITE_VAL, WriterWriteVal, writer_write_val, 1, WRITER, IO_COUNT, SEED,       \
	  NONE, 0, NONE, IO, BYTES_IF_OK, "VmWriter::write_val", vm_io_fallible_value)         \
	X(READER_QUERY, ReaderQuery, reader_query, 1, READER, NONE, NONE,                      \
	  NONE, 0, NONE, IO, IO_QUERY, "ReaderQuery (remain, has_remain, cursor)", vm_io_query) \
	X(WRITER_QUERY, WriterQuery, writer_query, 1, WRITER, NONE, NONE,                      \
	  NONE, 0, NONE, IO, IO_QUERY, "WriterQuery (avail, has_avail, cursor)", vm_io_query)   \
	X(TOGETHER, Together, together, 2, GROUP_N, SCHEDULE, NONE,                            \
	  NONE, 0, NONE, CURSORS, NONE, "(none: its members' contracts)", slots_unchanged)
/* clang-format on */

#endif /* PTDIFF_OP_TABLE_H */
