/* SPDX-License-Identifier: MIT */
/*
 * The oracle's store: a naive model of vostd's `VmStore` (docs/CONTRACTS.md#store), written from
 * the contracts and docs/POLICY.md, sharing nothing with core/ but include/ptdiff/.
 *
 * Everything is a flat array: the slot owners (§2, with an explicit `paths_in_pt` multiset of
 * (vs, depth, va) per slot, docs/CONTRACTS.md#paths), the live address spaces (each with a flat
 * list of 4 KiB mappings), the page-table nodes (vs, level, base, slot), the cursors, the Frame
 * handles (FrameEntry), the segments (SegmentEntry), the unique frames (UniqueEntry) and the
 * readers and writers (VmIoEntry), docs/CONTRACTS.md#store.  There is no radix tree and no PTE
 * encoding: "the level-L node covering va exists" is a search of the node list (only the view
 * encodes a mapping's prop, pte_encoding.c).  The lists that
 * are searched by key on every op (each space's mappings by va, the nodes) are kept sorted by it
 * and searched by bisection; the others are searched by a loop.
 *
 * Frame contents (POLICY.md "Readers and writers") are physical memory: one array of nframes *
 * 4096 bytes, frame i at offset i * 4096, all zero after reset.  They belong to the physical
 * frame, not to its owner: claiming, tearing down or reusing a slot never touches them, only
 * reset does.
 *
 * The shared definitions of POLICY.md §2 (claim, tear down, release, node allocate/free, pool
 * exhaustion) live in store.c.  Outside them `rc` changes only in the "+1" of Query,
 * FrameFromInUse, SegmentClone and SegmentSlice and in the UNIQUE <-> 1 moves of FromUnique and
 * TryFromShared (and UniqueFromUnused's claim).
 *
 * Levels: 1 = leaf table (its entries map 4 KiB pages) ... 4 = root.  A level-L node with base b
 * covers [b, b + PTD_ENTRY_SPAN(L + 1)) and sits at position (vs, 4 - L, b); a 4 KiB mapping at va
 * sits at (vs, PTD_LEAF_DEPTH, va).
 */
#ifndef PTDIFF_ORACLE_STORE_H
#define PTDIFF_ORACLE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptdiff/backend.h"

/*
 * ORACLE_BUG_ON() - the model's own invariant broke (an "oracle bug"), or the harness
 * broke its promise (an id that does not resolve).  Always on; never a divergence.
 */
#define ORACLE_BUG_ON(cond)                                    \
	do {                                                   \
		if (cond)                                      \
			oracle_bug(__FILE__, __LINE__, #cond); \
	} while (0)

/**
 * oracle_bug() - Print "ptdiff oracle-bug" with @file, @line and @what to stderr and abort().
 */
_Noreturn void oracle_bug(const char *file, int line, const char *what);

/* Kernel memory in 4 KiB pages, the last one possibly short. */
#define ORACLE_KERNEL_PAGES ((PTD_KERNEL_BYTES + PTD_PAGE_SIZE - 1) / PTD_PAGE_SIZE)

/* One slot owner (MetaSlotOwner, docs/CONTRACTS.md#slot-owner), field for field. */
struct oracle_slot {
	uint64_t rc;
	uint64_t in_list;     /* always 0 here */
	enum ptd_usage usage; /* only allocation writes it: docs/CONTRACTS.md#usage-sticky */
	bool storage_init;
	bool vtable_init;
	struct ptd_pos *paths; /* paths_in_pt, a multiset: docs/CONTRACTS.md#paths */
	size_t nr_paths, paths_cap;
	uint64_t writes; /* bytes written since reset (incremental checking, touched.c) */
	/* The view's contents entry as of `writes` == hashed_writes: whether a byte is not zero,
	 * and the contents hash (oracle_frame_contents()).  A frame is hashed once per change. */
	uint64_t hashed_writes;
	bool nonzero;
	uint64_t hash;
};

/*
 * A copy of a slot as it was at the last incremental report (touched.c): a slot the store
 * handed out since then and that differs from its copy is reported as touched.
 */
struct oracle_shadow {
	uint64_t rc, in_list;
	enum ptd_usage usage;
	bool storage_init, vtable_init;
	uint64_t writes;
	struct ptd_pos *paths;
	size_t nr_paths, paths_cap;
};

/* One 4 KiB mapping of an address space: va -> pa with prop; tracked = a frame with a slot. */
struct oracle_mapping {
	ptd_vaddr_t va;
	ptd_paddr_t pa;
	bool tracked;
	struct ptd_prop prop;
};

/* A live address space (VmSpaceOwner) and its mappings, in increasing va order (so that a va is
 * found by binary search, store.c). */
struct oracle_vmspace {
	ptd_id_t id;
	struct oracle_mapping *maps;
	size_t nr_maps, maps_cap;
};

/* A mapping array kept for reuse (struct oracle.spare_maps). */
struct oracle_maps_room {
	struct oracle_mapping *maps;
	size_t cap;
};

/* A live page-table node: level 1..4, base aligned to its span, and the slot it occupies. */
struct oracle_node {
	ptd_id_t vs;
	unsigned level;
	ptd_vaddr_t base;
	uint64_t slot;
};

/* A live cursor (CursorEntry): locked range [start, end), position va, guard node. */
struct oracle_cursor {
	ptd_id_t id;
	ptd_id_t vs;
	enum ptd_cursor_kind kind;
	ptd_vaddr_t start, end;
	ptd_vaddr_t va;
	unsigned guard_level;   /* POLICY.md OpenCursor step 3 */
	ptd_vaddr_t guard_base; /* base of the guard node */
};

/* A live Frame handle (FrameEntry). */
struct oracle_frame {
	ptd_id_t id;
	ptd_paddr_t paddr;
};

/* A live Segment (SegmentEntry, docs/CONTRACTS.md#store): one reference to every frame of [start,
 * end). */
struct oracle_segment {
	ptd_id_t id;
	ptd_paddr_t start, end; /* page-aligned, start < end */
};

/* A live UniqueFrame (UniqueEntry, docs/CONTRACTS.md#store): its slot has rc UNIQUE. */
struct oracle_unique {
	ptd_id_t id;
	ptd_paddr_t paddr;
};

/*
 * A live reader or writer (VmIoEntry, docs/CONTRACTS.md#store: {vm_space, kind, vaddr, len}): the
 * range [start, end) it was created over (IoLimit lowers end) and its cursor, start <= cursor <=
 * end.  A user one covers user addresses of address space vs; a kernel one (kernel = true, vs = 0,
 * POLICY.md "Kernel memory") covers offsets into o->kernel.
 */
struct oracle_io {
	ptd_id_t id;
	ptd_id_t vs;
	bool kernel;
	enum ptd_io_kind kind;
	ptd_vaddr_t start, cursor, end;
};

struct oracle {
	struct ptd_config cfg;
	struct oracle_slot *slots; /* cfg.nframes of them */
	uint8_t *mem; /* physical memory: cfg.nframes * PTD_PAGE_SIZE bytes, frame i at i * 4096 */
	struct oracle_shadow *shadow; /* cfg.nframes of them (touched.c) */
	/* Slots handed out since the last report (oracle_slot_of() and the store's own writes): the only ones
	 * oracle_touched() compares with their copy.  A write that bypassed it would be missed per
	 * op and found by the runner's periodic full check. */
	uint64_t *accessed;
	/*
	 * Slots that may differ from their initial state (every slot the store handed out since
	 * the last reset, a superset of o->accessed), listed once each: oracle_reset() puts back
	 * only these, so that a reset costs what the last input touched, not physical memory.
	 */
	uint64_t *reset_list;
	size_t nr_reset_list;
	uint64_t *on_reset_list; /* bitmap: slot i is in reset_list */

	/* Positions in all the slots' paths, and slots written since reset (the view's room). */
	size_t nr_paths_all, nr_written;

	struct oracle_vmspace *vmspaces;
	size_t nr_vmspaces, vmspaces_cap;
	/* Mapping arrays of address spaces that are gone, for the next ones: memory is taken
	 * from the allocator only when an input needs more than any before it. */
	struct oracle_maps_room *spare_maps;
	size_t nr_spare_maps, spare_maps_cap;

	/* In increasing (vs, level, base) order: a node is found by binary search (store.c). */
	struct oracle_node *nodes;
	size_t nr_nodes, nodes_cap;

	struct oracle_cursor *cursors;
	size_t nr_cursors, cursors_cap;

	struct oracle_frame *frames;
	size_t nr_frames, frames_cap;

	struct oracle_segment *segments;
	size_t nr_segments, segments_cap;

	struct oracle_unique *uniques;
	size_t nr_uniques, uniques_cap;

	struct oracle_io *ios;
	size_t nr_ios, ios_cap;

	/*
	 * Kernel memory (POLICY.md "Kernel memory"): PTD_KERNEL_BYTES plain bytes, byte k =
	 * ptd_kernel_byte(k) after reset, in ORACLE_KERNEL_PAGES pages of 4 KiB.  The view's
	 * kernel_hash is the XXH3-64 of the pages' XXH3-64 hashes (include/ptdiff/view.h):
	 * kernel_page_hash[p] is page p's, valid while kernel_page_stale[p] is false; every write
	 * through oracle_kernel_bytes_for_write() marks the pages it covers stale.
	 */
	uint8_t kernel[PTD_KERNEL_BYTES];
	uint64_t kernel_page_hash[ORACLE_KERNEL_PAGES];
	bool kernel_page_stale[ORACLE_KERNEL_PAGES];
	/* The bytes after reset and their page hashes, computed once at creation; the pages
	 * written since the last reset, which reset copies back. */
	uint8_t kernel_initial[PTD_KERNEL_BYTES];
	uint64_t kernel_initial_page_hash[ORACLE_KERNEL_PAGES];
	bool kernel_page_written[ORACLE_KERNEL_PAGES];

	/* Node allocation hint for the op being applied (backend.h alloc_hint): slots the nodes
	 * it allocates should take, in order, when they are free; cleared after the op. */
	uint64_t alloc_hint[PTD_GROUP_NODE_ALLOCS];
	unsigned nr_alloc_hint, next_alloc_hint;
};

/* ---- lifetime (store.c) ---- */

/**
 * oracle_create() - A store in the initial state of POLICY.md §1 for @cfg.
 * Return: the store, or NULL when memory runs out.
 */
struct oracle *oracle_create(const struct ptd_config *cfg);
/**
 * oracle_destroy() - Free @o and everything it holds.
 */
void oracle_destroy(struct oracle *o);
/**
 * oracle_reset() - Back to the initial state: every slot UNUSED/Unused with no paths and all-zero
 * contents, no address space, cursor, node, Frame handle, segment, unique frame, reader or
 * writer, and kernel memory byte k = ptd_kernel_byte(k).  Costs what the last input touched:
 * the slots on o->reset_list, the live address spaces, the kernel pages written.
 */
void oracle_reset(struct oracle *o);

/**
 * oracle_touched() - OR into @t->slots every slot that differs from its shadow copy (rc,
 * in_list, usage, storage, vtable, paths, bytes written), and refresh those copies.
 */
void oracle_touched(struct oracle *o, struct ptd_touched *t);
/**
 * oracle_shadow_reset() - The shadow copy of slot @i back to the initial slot, @i no longer
 * accessed (oracle_reset(), oracle_create()).
 */
void oracle_shadow_reset(struct oracle *o, uint64_t i);

/* ---- slots and the shared definitions of POLICY.md §2 (store.c) ---- */

/**
 * oracle_slot_of() - The slot owner of physical address @paddr (index paddr / 4096).
 * The caller has checked that @paddr is a valid frame paddr.
 */
struct oracle_slot *oracle_slot_of(struct oracle *o, ptd_paddr_t paddr);
/**
 * oracle_path_add() - Add @pos to the paths_in_pt multiset of @s.
 */
void oracle_path_add(struct oracle *o, struct oracle_slot *s, struct ptd_pos pos);
/**
 * oracle_path_remove() - Remove one copy of @pos from the paths_in_pt multiset of @s; it must be
 * there.
 */
void oracle_path_remove(struct oracle *o, struct oracle_slot *s, struct ptd_pos pos);
/**
 * oracle_slot_claim_frame() - POLICY.md §2 "Claim slot s as Frame": rc 1, usage Frame, storage
 * and vtable initialised, in_list 0, paths unchanged.
 */
void oracle_slot_claim_frame(struct oracle_slot *s);
/**
 * oracle_slot_tear_down() - POLICY.md §2 "Tear down slot s": rc UNUSED, storage and vtable
 * uninitialised, in_list 0, usage kept (sticky, docs/CONTRACTS.md#usage-sticky).
 */
void oracle_slot_tear_down(struct oracle_slot *s);
/**
 * oracle_slot_release() - POLICY.md §2 "Release a reference" to the Frame slot @s: tear it down
 * when rc == 1, else rc - 1.  The caller has already taken any position out of its paths.
 */
void oracle_slot_release(struct oracle_slot *s);

/* ---- page-table nodes (store.c) ---- */

/**
 * oracle_node_span() - Bytes of VA covered by a node of level @level (1..4).
 */
uint64_t oracle_node_span(unsigned level);
/**
 * oracle_node_pos() - The position (vs, 4 - level, base) of a node.
 */
struct ptd_pos oracle_node_pos(ptd_id_t vs, unsigned level, ptd_vaddr_t base);
/**
 * oracle_node_find() - The live node of address space @vs at @level with base @base.
 * Return: its index in o->nodes, or -1 when there is none.
 */
long oracle_node_find(const struct oracle *o, ptd_id_t vs, unsigned level, ptd_vaddr_t base);
/**
 * oracle_pool_can_alloc() - POLICY.md §2 "Pool exhaustion": whether at least @need slots of
 * [pt_pool_start, nframes) have rc UNUSED (any usage).  Every op that allocates nodes asks this
 * for its whole count, as its last check, so allocation itself never runs dry.
 */
bool oracle_pool_can_alloc(const struct oracle *o, uint64_t need);
/**
 * oracle_node_alloc() - POLICY.md §2: allocate a node of @level at @base in @vs from the lowest
 * slot of [pt_pool_start, nframes) whose rc is UNUSED (any usage).  The caller has checked the
 * pool (oracle_pool_can_alloc()); an empty pool here is an oracle bug.
 */
void oracle_node_alloc(struct oracle *o, ptd_id_t vs, unsigned level, ptd_vaddr_t base);
/**
 * oracle_node_ensure() - Allocate the node (@vs, @level, @base) unless it exists.
 */
void oracle_node_ensure(struct oracle *o, ptd_id_t vs, unsigned level, ptd_vaddr_t base);
/**
 * oracle_node_free() - POLICY.md §2 "Freeing a node": remove its position, tear its slot down
 * (usage stays PageTable) and drop it from the node list.  Its sub-tree must already be gone:
 * callers free mappings and child nodes themselves (they free whole sets of nodes).
 */
void oracle_node_free(struct oracle *o, size_t idx);
/**
 * oracle_path_to_leaf_table_missing() - How many of the nodes of levels 3, 2, 1 covering @va in
 * @vs are absent: what oracle_path_to_leaf_table() would allocate.
 */
uint64_t oracle_path_to_leaf_table_missing(const struct oracle *o, ptd_id_t vs, ptd_vaddr_t va);
/**
 * oracle_path_to_leaf_table() - Make the nodes of levels 3, 2, 1 covering @va exist in @vs,
 * allocating missing ones top-down (POLICY.md Map step 3).
 */
void oracle_path_to_leaf_table(struct oracle *o, ptd_id_t vs, ptd_vaddr_t va);

/* ---- address spaces and their mappings (store.c) ---- */

/**
 * oracle_vmspace_register() - Register address space @id, with no mapping.
 */
void oracle_vmspace_register(struct oracle *o, ptd_id_t id);
/**
 * oracle_vmspace_unregister() - Remove the address space @vs, which maps nothing any more.
 */
void oracle_vmspace_unregister(struct oracle *o, struct oracle_vmspace *vs);
/**
 * oracle_vmspace_get() - The live address space @id; the harness only passes live ids.
 */
struct oracle_vmspace *oracle_vmspace_get(struct oracle *o, ptd_id_t id);
/**
 * oracle_mapping_find() - Index in @vs->maps of the mapping at @va, or -1.
 */
long oracle_mapping_find(const struct oracle_vmspace *vs, ptd_vaddr_t va);
/**
 * oracle_mapping_lowest() - Index of the mapping with the lowest va in [@start, @end), or -1.
 */
long oracle_mapping_lowest(const struct oracle_vmspace *vs, ptd_vaddr_t start, ptd_vaddr_t end);
/**
 * oracle_mapping_install() - Add the mapping @va -> @pa.  The caller has removed any mapping at
 * @va.  A tracked one adds (vs, 4, va) to the frame's paths; the caller moves the reference.
 */
void oracle_mapping_install(struct oracle *o, struct oracle_vmspace *vs, ptd_vaddr_t va,
			    ptd_paddr_t pa, bool tracked, struct ptd_prop prop);
/**
 * oracle_mapping_drop() - Take mapping @idx out of @vs's list, and do nothing else.
 */
void oracle_mapping_drop(struct oracle_vmspace *vs, size_t idx);
/**
 * oracle_mapping_remove() - Remove mapping @idx of @vs.  Tracked: remove its position from the
 * frame's paths and release one reference (POLICY.md §2, policy R); untracked: nothing else.
 */
void oracle_mapping_remove(struct oracle *o, struct oracle_vmspace *vs, size_t idx);

/* ---- cursor, Frame, Segment and UniqueFrame registries (store.c) ---- */

/**
 * oracle_cursor_get() - The live cursor @id.
 */
struct oracle_cursor *oracle_cursor_get(struct oracle *o, ptd_id_t id);
/**
 * oracle_frame_get() - Index in o->frames of the live Frame handle @id.
 */
size_t oracle_frame_get(const struct oracle *o, ptd_id_t id);
/**
 * oracle_frame_register() - Register Frame handle @id at @paddr.
 */
void oracle_frame_register(struct oracle *o, ptd_id_t id, ptd_paddr_t paddr);
/**
 * oracle_frame_unregister() - Remove the Frame handle at index @idx (no slot change).
 */
void oracle_frame_unregister(struct oracle *o, size_t idx);

/**
 * oracle_segment_get() - Index in o->segments of the live segment @id.
 */
size_t oracle_segment_get(const struct oracle *o, ptd_id_t id);
/**
 * oracle_segment_register() - Register segment @id = [@start, @end) (no slot change).
 */
void oracle_segment_register(struct oracle *o, ptd_id_t id, ptd_paddr_t start, ptd_paddr_t end);
/**
 * oracle_segment_unregister() - Remove the segment at index @idx (no slot change).
 */
void oracle_segment_unregister(struct oracle *o, size_t idx);

/**
 * oracle_unique_get() - Index in o->uniques of the live unique frame @id.
 */
size_t oracle_unique_get(const struct oracle *o, ptd_id_t id);
/**
 * oracle_unique_register() - Register unique frame @id at @paddr (no slot change).
 */
void oracle_unique_register(struct oracle *o, ptd_id_t id, ptd_paddr_t paddr);
/**
 * oracle_unique_unregister() - Remove the unique frame at index @idx (no slot change).
 */
void oracle_unique_unregister(struct oracle *o, size_t idx);

/**
 * oracle_io_get() - Index in o->ios of the live reader or writer @id.
 */
size_t oracle_io_get(const struct oracle *o, ptd_id_t id);
/**
 * oracle_io_register() - Register reader/writer @id of @kind over [@start, @end) of address
 * space @vs, cursor at @start (no slot change).
 */
void oracle_io_register(struct oracle *o, ptd_id_t id, ptd_id_t vs, enum ptd_io_kind kind,
			ptd_vaddr_t start, ptd_vaddr_t end);
/**
 * oracle_io_register_kernel() - Register kernel reader/writer @id of @kind over offsets
 * [@start, @end) of kernel memory (vs 0), cursor at @start.
 */
void oracle_io_register_kernel(struct oracle *o, ptd_id_t id, enum ptd_io_kind kind, uint64_t start,
			       uint64_t end);
/**
 * oracle_io_unregister() - Remove the reader/writer at index @idx (no slot change).
 */
void oracle_io_unregister(struct oracle *o, size_t idx);

/* ---- frame contents (store.c) ---- */

/*
 * Bytes are read and written through pointers into physical memory (kernel memory), one 4 KiB
 * page at a time at most: the caller looks the page up once and then moves its bytes one by
 * one (io.c).
 */

/**
 * oracle_frame_bytes() - The PTD_PAGE_SIZE bytes of the contents of slot @slot, to read.
 */
const uint8_t *oracle_frame_bytes(const struct oracle *o, uint64_t slot);
/**
 * oracle_frame_bytes_for_write() - The bytes of slot @slot, to write @n of them (n <= 4096):
 * counted in the slot's writes, the slot marked as handed out (touched.c, reset).
 */
uint8_t *oracle_frame_bytes_for_write(struct oracle *o, uint64_t slot, uint64_t n);
/**
 * oracle_frame_contents() - POLICY.md §4: whether the contents of slot @slot have a byte that
 * is not zero, and then their contents hash (oracle_contents_hash()) in *@hash.  Computed from
 * the bytes when they were written since the last call, else remembered.
 */
bool oracle_frame_contents(struct oracle *o, uint64_t slot, uint64_t *hash);

/* ---- kernel memory (store.c) ---- */

/**
 * oracle_kernel_bytes() - The PTD_KERNEL_BYTES bytes of kernel memory, to read.
 */
const uint8_t *oracle_kernel_bytes(const struct oracle *o);
/**
 * oracle_kernel_bytes_for_write() - Kernel memory, to write its bytes [@k, @k + @n): the
 * cached hash is stale, and reset puts the pages written back.
 */
uint8_t *oracle_kernel_bytes_for_write(struct oracle *o, uint64_t k, uint64_t n);
/**
 * oracle_kernel_hash() - The contents hash (oracle_contents_hash()) of all PTD_KERNEL_BYTES of
 * kernel memory, in order, recomputed from the bytes when a byte was set since the last
 * computation.
 */
uint64_t oracle_kernel_hash(struct oracle *o);

/**
 * oracle_contents_hash() - The hash the view gives memory contents by (view.h: a frame's 4096
 * bytes, kernel memory): XXH3-64 with seed 0 of the @n bytes at @bytes.
 */
uint64_t oracle_contents_hash(const uint8_t *bytes, size_t n);

/**
 * oracle_grow() - Make the array @arr of @size-byte elements hold at least @need elements,
 * doubling *@cap as needed.  Aborts when memory runs out (apply cannot fail).
 * Return: the (possibly moved) array.
 */
void *oracle_grow(void *arr, size_t *cap, size_t need, size_t size);

#endif /* PTDIFF_ORACLE_STORE_H */
