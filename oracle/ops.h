/* SPDX-License-Identifier: MIT */
/*
 * One function per operation of the ptdiff op algebra (include/ptdiff/op.h), each named after the
 * vostd contract it implements and citing its docs/CONTRACTS.md section and docs/POLICY.md rule.
 * Every function receives the resolved op and a zeroed result and fills only the fields POLICY.md
 * lists for it.  Checks are made in POLICY.md's order; a failed check returns before any change.
 */
#ifndef PTDIFF_ORACLE_OPS_H
#define PTDIFF_ORACLE_OPS_H

#include "store.h"

/* vm_space.c */
/** oracle_new_vmspace() - NewVmSpace: `vm_space_new_embedded`, docs/CONTRACTS.md#new-vm-space. */
void oracle_new_vmspace(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_drop_vmspace() - DropVmSpace: docs/CONTRACTS.md#drop-vm-space under policy R
 * (docs/CONTRACTS.md#policy-release).
 */
void oracle_drop_vmspace(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);

/* cursor.c */
/**
 * oracle_open_cursor() - OpenCursor/OpenCursorMut: `vm_space_cursor_embedded`,
 * docs/CONTRACTS.md#open-cursor.
 */
void oracle_open_cursor(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_drop_cursor() - DropCursor: `drop_cursor_step`, docs/CONTRACTS.md#drop-cursor. */
void oracle_drop_cursor(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_cursor_query() - Query: `cursor_query_embedded` (the seed), docs/CONTRACTS.md#query. */
void oracle_cursor_query(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_cursor_find_next() - FindNext: `cursor_find_next_step`, docs/CONTRACTS.md#find-next. */
void oracle_cursor_find_next(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_cursor_next_mapping() - FindNext step 2, also ProtectNext step 3 (POLICY.md): the lowest
 * mapping (tracked or not) of @vs in [va, va + @len) of cursor @c, whose @len the caller has
 * checked (step 1).  Sets res->status to OK.  Return: its index in @vs->maps, or -1 when there is
 * none, the cursor then at exactly va + @len.
 */
long oracle_cursor_next_mapping(const struct oracle_vmspace *vs, struct oracle_cursor *c,
				uint64_t len, struct ptd_result *res);
/**
 * oracle_cursor_jump() - Jump: `lemma_cursor_jump_embedded`, docs/CONTRACTS.md#jump (current OSTD).
 */
void oracle_cursor_jump(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_cursor_virt_addr() - VirtAddr, docs/CONTRACTS.md#virt-addr. */
void oracle_cursor_virt_addr(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);

/* cursor_mut.c */
/**
 * oracle_cursor_map() - Map: `cursor_mut_map_embedded`, docs/CONTRACTS.md#map, replace-and-release.
 */
void oracle_cursor_map(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_cursor_map_iomem() - MapIoMem: OSTD `map_iomem` (not in the contract's Op list). */
void oracle_cursor_map_iomem(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_cursor_unmap() - Unmap: `cursor_mut_unmap_embedded`, docs/CONTRACTS.md#unmap, policy R.
 */
void oracle_cursor_unmap(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_cursor_take_next() - TakeNext: OSTD `CursorMut::take_next` and the fragment dropped
 * (vostd exec `take_next` ensures, Unmap's clauses on the fragment), docs/CONTRACTS.md#take-next.
 */
void oracle_cursor_take_next(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_cursor_protect_next() - ProtectNext: `cursor_protect_next_step`,
 * docs/CONTRACTS.md#protect-next.
 */
void oracle_cursor_protect_next(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);

/* frame.c */
/**
 * oracle_valid_frame_paddr_status() - `valid_frame_paddr` (docs/CONTRACTS.md#valid-frame-paddr)
 * with POLICY.md's codes: PTD_OK, or the first failing of ERR_NOT_ALIGNED (not 4096-aligned),
 * ERR_OUT_OF_BOUND (>= nframes*4096).
 */
enum ptd_status oracle_valid_frame_paddr_status(const struct oracle *o, ptd_paddr_t paddr);
/* FrameFromUnused's / UniqueFromUnused's shared checks 1-3 (frame.c). */
enum ptd_status oracle_unused_slot_status(struct oracle *o, ptd_paddr_t paddr,
					  struct oracle_slot **slot);
/**
 * oracle_frame_from_unused() - FrameFromUnused: `frame_from_unused_embedded`,
 * docs/CONTRACTS.md#frame-from-unused.
 */
void oracle_frame_from_unused(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_frame_from_in_use() - FrameFromInUse: `frame_from_in_use_embedded`,
 * docs/CONTRACTS.md#frame-from-in-use.
 */
void oracle_frame_from_in_use(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_frame_drop() - FrameDrop: `frame_drop_embedded`, docs/CONTRACTS.md#frame-drop. */
void oracle_frame_drop(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);

/* segment.c */
/**
 * oracle_segment_from_unused() - SegmentFromUnused: `segment_from_unused_embedded`,
 * docs/CONTRACTS.md#segment-from-unused.
 */
void oracle_segment_from_unused(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_segment_drop() - SegmentDrop: `lemma_segment_drop_embedded`,
 * docs/CONTRACTS.md#segment-drop.
 */
void oracle_segment_drop(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_segment_split() - SegmentSplit: docs/CONTRACTS.md#segment-split, store step
 * mod.rs:3526-3700.
 */
void oracle_segment_split(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_segment_next() - SegmentNext: docs/CONTRACTS.md#segment-next,
 * embedding/segment.rs:238-291.
 */
void oracle_segment_next(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_segment_clone() - SegmentClone: docs/CONTRACTS.md#segment-clone,
 * embedding/segment.rs:419-469.
 */
void oracle_segment_clone(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_segment_slice() - SegmentSlice: docs/CONTRACTS.md#segment-slice,
 * embedding/segment.rs:419-469.
 */
void oracle_segment_slice(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);

/* unique.c */
/**
 * oracle_unique_from_unused() - UniqueFromUnused: docs/CONTRACTS.md#unique-from-unused,
 * embedding/unique.rs:69-115.
 */
void oracle_unique_from_unused(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_unique_drop() - UniqueDrop: docs/CONTRACTS.md#unique-drop, embedding/unique.rs:117-160.
 */
void oracle_unique_drop(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_from_unique() - FromUnique: docs/CONTRACTS.md#from-unique, embedding/unique.rs:162-197.
 */
void oracle_from_unique(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_try_from_shared() - TryFromShared: docs/CONTRACTS.md#try-from-shared,
 * embedding/unique.rs:199-234.
 */
void oracle_try_from_shared(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);

/* io.c */
/** oracle_new_reader() - NewReader: `vm_space_reader_embedded`, docs/CONTRACTS.md#io. */
void oracle_new_reader(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_new_writer() - NewWriter: `vm_space_writer_embedded`, docs/CONTRACTS.md#io. */
void oracle_new_writer(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_io_read() - IoRead: VmReader `read_fallible`, docs/CONTRACTS.md#io; bytes per POLICY.md.
 */
void oracle_io_read(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_io_write() - IoWrite: VmWriter `write_fallible`, docs/CONTRACTS.md#io; bytes per
 * POLICY.md.
 */
void oracle_io_write(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_io_fill_zeros() - IoFillZeros: `vm_writer_fill_zeros_embedded`, docs/CONTRACTS.md#io. */
void oracle_io_fill_zeros(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_io_skip() - IoSkip: `vm_reader_skip_embedded` / writer skip, docs/CONTRACTS.md#io. */
void oracle_io_skip(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_io_limit() - IoLimit: `vm_reader_limit_embedded` / writer limit, docs/CONTRACTS.md#io. */
void oracle_io_limit(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_new_kernel_reader() - NewKernelReader: `VmReader::from_kernel_space`,
 * docs/CONTRACTS.md#io.
 */
void oracle_new_kernel_reader(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_new_kernel_writer() - NewKernelWriter: `VmWriter::from_kernel_space`,
 * docs/CONTRACTS.md#io.
 */
void oracle_new_kernel_writer(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_io_copy() - IoCopy: `VmReader::read(&mut VmWriter)` (the contract's Read),
 * docs/CONTRACTS.md#io.
 */
void oracle_io_copy(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_io_drop() - IoDrop: `drop_vm_io_step`, docs/CONTRACTS.md#io. */
void oracle_io_drop(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_reader_read_val() - ReaderReadVal: VmReader<Fallible> `read_val`, docs/CONTRACTS.md#io.
 */
void oracle_reader_read_val(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_reader_collect() - ReaderCollect: VmReader<Fallible> `collect`, docs/CONTRACTS.md#io. */
void oracle_reader_collect(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/**
 * oracle_writer_write_val() - WriterWriteVal: VmWriter<Fallible> `write_val`, docs/CONTRACTS.md#io.
 */
void oracle_writer_write_val(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_reader_query() - ReaderQuery: `remain`, `has_remain`, `cursor`, docs/CONTRACTS.md#io. */
void oracle_reader_query(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);
/** oracle_writer_query() - WriterQuery: `avail`, `has_avail`, `cursor`, docs/CONTRACTS.md#io. */
void oracle_writer_query(struct oracle *o, const struct ptd_op *op, struct ptd_result *res);

/* view.c */
/**
 * oracle_view() - Fill @out (include/ptdiff/view.h) from the store: every slot, every path of
 * every slot's multiset, every mapping, address space, cursor, Frame handle, segment, unique
 * frame, reader and writer, every frame whose contents are not all zero with their contents
 * hash, and the contents hash of kernel memory (oracle_contents_hash(); not const: the store
 * caches the kernel's).  Sets @out->overflow when an array of @out is too small.
 */
void oracle_view(struct oracle *o, struct ptd_view *out);
/**
 * oracle_view_slots() - The partial view of struct ptd_backend.view_slots: records, paths and
 * contents of the slots set in @slots, and each part in @parts (PTD_PART_BIT_*) whole.
 */
void oracle_view_slots(struct oracle *o, struct ptd_view *out, const uint64_t *slots,
		       uint32_t parts);

#endif /* PTDIFF_ORACLE_OPS_H */
