/* SPDX-License-Identifier: MIT */
/*
 * The comparable state of one side (docs/CONTRACTS.md#state): every slot owner, every page-table
 * position that references a slot, every mapping of every address space, and the live handles.
 *
 * A backend fills a view whose arrays the runner allocated; the runner then puts it in canonical
 * order (it sorts paths, mappings and handles), so a backend may emit them in any order.  Only
 * slots[] is positional: slots[i] describes physical frame i.
 *
 * Every struct here is free of padding (explicit `reserved` members, which a backend never
 * writes), so the runner can hash the arrays as bytes: the arrays are allocated zeroed and a
 * backend assigns only named fields.
 */
#ifndef PTDIFF_VIEW_H
#define PTDIFF_VIEW_H

#include <stddef.h>
#include "ptdiff/types.h"

struct ptd_slot_view {
	uint64_t rc;      /* reference count, sentinels included */
	uint64_t in_list; /* free-list membership word */
	uint8_t usage;    /* enum ptd_usage */
	uint8_t storage_init;
	uint8_t vtable_init;
	uint8_t reserved[5];
};

/*
 * A page-table position (an element of a slot's paths_in_pt): the contract's tree path, made
 * unambiguous across address spaces by the address-space id.  depth = length of the path from
 * the root: root node 0, level-3 node 1, level-2 node 2, level-1 node 3, a leaf PTE 4.  va = the
 * first virtual address under that position (a node's base, a leaf's page).
 */
struct ptd_pos {
	ptd_id_t vs;
	uint32_t depth;
	ptd_vaddr_t va;
};

#define PTD_LEAF_DEPTH 4u

struct ptd_path_view {
	uint64_t slot; /* frame index whose paths_in_pt holds pos */
	struct ptd_pos pos;
};

struct ptd_mapping_view {
	ptd_id_t vs;
	uint8_t tracked; /* 1: a tracked frame (has a slot); 0: I/O memory */
	uint8_t reserved;
	struct ptd_prop prop;
	ptd_vaddr_t va;
	ptd_paddr_t pa;
};

enum ptd_cursor_kind { PTD_CURSOR_READ_ONLY = 0, PTD_CURSOR_MUTABLE = 1 };

struct ptd_cursor_view {
	ptd_id_t id;
	ptd_id_t vs;
	uint32_t kind; /* enum ptd_cursor_kind */
	uint32_t reserved;
	ptd_vaddr_t start, end; /* locked range */
	ptd_vaddr_t va;         /* current position */
};

struct ptd_frame_view {
	ptd_id_t id;
	uint32_t reserved;
	ptd_paddr_t paddr;
};

struct ptd_segment_view {
	ptd_id_t id;
	uint32_t reserved;
	ptd_paddr_t start, end; /* [start, end), page-aligned, non-empty */
};

struct ptd_unique_view {
	ptd_id_t id;
	uint32_t reserved;
	ptd_paddr_t paddr;
};

enum ptd_io_kind { PTD_IO_READER = 0, PTD_IO_WRITER = 1 };

struct ptd_io_view {
	ptd_id_t id;
	ptd_id_t vs;   /* 0: a kernel reader/writer (offsets into kernel memory) */
	uint32_t kind; /* enum ptd_io_kind */
	uint32_t reserved;
	ptd_vaddr_t start;  /* first byte of the range it was created over */
	ptd_vaddr_t cursor; /* next byte it moves */
	ptd_vaddr_t end;    /* one past the last byte it may move (limit lowers it) */
};

/*
 * A frame whose contents are not all zero, and the contents hash of its 4096 bytes: XXH3-64
 * with seed 0 (POLICY §4; a fast hash, since the incremental check rehashes after each write).
 */
struct ptd_content_view {
	uint64_t slot;
	uint64_t hash;
};

/* Arrays and their capacities are the runner's; counts are written by the backend. */
struct ptd_view {
	uint64_t nslots;              /* = config nframes; slots[] has exactly this many */
	struct ptd_slot_view *slots;

	struct ptd_path_view *paths;
	size_t npaths, paths_cap;

	struct ptd_mapping_view *maps;
	size_t nmaps, maps_cap;

	ptd_id_t *vmspaces;
	size_t nvmspaces, vmspaces_cap;

	struct ptd_cursor_view *cursors;
	size_t ncursors, cursors_cap;

	struct ptd_frame_view *frames;
	size_t nframes, frames_cap;

	struct ptd_segment_view *segments;
	size_t nsegments, segments_cap;

	struct ptd_unique_view *uniques;
	size_t nuniques, uniques_cap;

	struct ptd_io_view *ios;
	size_t nios, ios_cap;

	struct ptd_content_view *contents;
	size_t ncontents, contents_cap;

	/* The contents hash (XXH3-64, seed 0) of the PTD_KERNEL_BYTES of kernel memory. */
	uint64_t kernel_hash;

	/* Set by a backend that had more to write than a capacity allowed (a harness error). */
	int overflow;
};

#endif /* PTDIFF_VIEW_H */
