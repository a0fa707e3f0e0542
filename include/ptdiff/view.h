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

/*
 * The bits of an x86-64 4 KiB leaf PTE that a mapping's `pte` holds (docs/POLICY.md §4, "Leaf
 * PTE bits"): the ones the policy determines from the mapping's prop.  Left out are the bits the
 * policy leaves free: 9..11 and 54..58, which the MMU ignores and OSTD
 * (ostd/src/arch/x86/mm/mod.rs) does not define (core keeps its "I/O memory" marker in bit 9;
 * `tracked` compares that), and 12..51, the frame's address (`pa` compares it).  Kept are 0..8
 * (P, R/W, U/S, PWT, PCD, A, D, PAT, G), 52..53 (OSTD's AVAIL1/AVAIL2, which no ptdiff prop
 * sets), 59..62 (the protection key, never set) and 63 (XD).
 */
#define PTD_LEAF_PTE_COMPARED UINT64_C(0xf8300000000001ff)

struct ptd_mapping_view {
	ptd_id_t vs;
	uint8_t tracked; /* 1: a tracked frame (has a slot); 0: I/O memory */
	uint8_t reserved;
	struct ptd_prop prop;
	ptd_vaddr_t va;
	ptd_paddr_t pa;
	uint64_t pte; /* the leaf PTE's bits & PTD_LEAF_PTE_COMPARED */
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

/*
 * The parts of a view besides the slots (and the paths and contents that go with them), as a
 * bit set: what an op may have changed (struct ptd_touched) and what a partial view lists
 * (struct ptd_backend.view_slots).
 */
enum {
	PTD_PART_BIT_MAPS = 1u << 0,
	PTD_PART_BIT_VMSPACES = 1u << 1,
	PTD_PART_BIT_CURSORS = 1u << 2,
	PTD_PART_BIT_FRAMES = 1u << 3,
	PTD_PART_BIT_SEGMENTS = 1u << 4,
	PTD_PART_BIT_UNIQUES = 1u << 5,
	PTD_PART_BIT_IOS = 1u << 6,
	PTD_PART_BIT_KERNEL = 1u << 7,
	PTD_PART_BIT_ALL = (1u << 8) - 1
};

/*
 * The view's lists, one row each, in the order of struct ptd_view and of the runner's digests
 * (fuzz/run/state.h): X(name, NAME, type, part, key).
 *   name  the array member; its count is n<name>, its capacity <name>_cap
 *   NAME  its index among the lists, PTD_VIEW_<NAME>
 *   type  an entry
 *   part  the PTD_PART_BIT_* under which a partial view lists it whole; 0 for the two lists
 *         that go with the slots (a partial view holds the entries of its slots), whose
 *         entries begin with the slot
 *   key   the canonical order the runner sorts it into: path (slot, then address space,
 *         depth, address), map (address space, then address), id (the handle id, which every
 *         handle entry begins with), slot
 * Code that treats every list alike expands this table (one statement per list, specialised
 * by the compiler: the runner's hot paths) or loops over the indexes with ptd_view_list().
 */
#define PTD_VIEW_LISTS(X)                                                         \
	X(paths, PATHS, struct ptd_path_view, 0, path)                            \
	X(maps, MAPS, struct ptd_mapping_view, PTD_PART_BIT_MAPS, map)            \
	X(vmspaces, VMSPACES, ptd_id_t, PTD_PART_BIT_VMSPACES, id)                \
	X(cursors, CURSORS, struct ptd_cursor_view, PTD_PART_BIT_CURSORS, id)     \
	X(frames, FRAMES, struct ptd_frame_view, PTD_PART_BIT_FRAMES, id)         \
	X(segments, SEGMENTS, struct ptd_segment_view, PTD_PART_BIT_SEGMENTS, id) \
	X(uniques, UNIQUES, struct ptd_unique_view, PTD_PART_BIT_UNIQUES, id)     \
	X(ios, IOS, struct ptd_io_view, PTD_PART_BIT_IOS, id)                     \
	X(contents, CONTENTS, struct ptd_content_view, 0, slot)

_Static_assert(offsetof(struct ptd_path_view, slot) == 0 &&
		       offsetof(struct ptd_content_view, slot) == 0,
	       "the entries that go with the slots begin with the slot");
_Static_assert(offsetof(struct ptd_cursor_view, id) == 0 &&
		       offsetof(struct ptd_frame_view, id) == 0 &&
		       offsetof(struct ptd_segment_view, id) == 0 &&
		       offsetof(struct ptd_unique_view, id) == 0 &&
		       offsetof(struct ptd_io_view, id) == 0,
	       "handle entries begin with the id they are sorted by");

/* The X-macro line ends without a comma clang-format can see: it would indent the count. */
/* clang-format off */
enum ptd_view_list_id {
#define PTD_VIEW_LIST_ID(name, NAME, type, part, key) PTD_VIEW_##NAME,
	PTD_VIEW_LISTS(PTD_VIEW_LIST_ID)
#undef PTD_VIEW_LIST_ID
	PTD_VIEW_NLISTS
};
/* clang-format on */

/*
 * Arrays and their capacities are the runner's; counts are written by the backend.  Each row
 * of PTD_VIEW_LISTS makes three members, `type *name; size_t n<name>, <name>_cap;`: paths,
 * npaths, paths_cap; maps, nmaps, maps_cap; ... contents, ncontents, contents_cap.
 */
struct ptd_view {
	uint64_t nslots; /* = config nframes; slots[] has exactly this many */
	struct ptd_slot_view *slots;

#define PTD_VIEW_LIST_MEMBERS(name, NAME, type, part, key) \
	type *name;                                        \
	size_t n##name, name##_cap;
	PTD_VIEW_LISTS(PTD_VIEW_LIST_MEMBERS)
#undef PTD_VIEW_LIST_MEMBERS

	/* The contents hash of the PTD_KERNEL_BYTES of kernel memory: the XXH3-64 (seed 0) of its
	 * 4 KiB pages' XXH3-64 hashes, in page order, as 64-bit words in memory order (so a
	 * write rehashes one page, not all of them). */
	uint64_t kernel_hash;

	/* Set by a backend that had more to write than a capacity allowed (a harness error). */
	int overflow;
};

/* One list of a view, whatever its entry type. */
struct ptd_view_list {
	void *items;   /* the array */
	size_t n, cap; /* entries in use, room */
	size_t size;   /* bytes per entry */
};

/* List @l of @v (a copy of its members: write the count with ptd_view_count()). */
static inline struct ptd_view_list ptd_view_list(const struct ptd_view *v, enum ptd_view_list_id l)
{
	switch (l) {
#define PTD_VIEW_LIST_GET(name, NAME, type, part, key) \
	case PTD_VIEW_##NAME:                          \
		return (struct ptd_view_list){ v->name, v->n##name, v->name##_cap, sizeof(type) };
		PTD_VIEW_LISTS(PTD_VIEW_LIST_GET)
#undef PTD_VIEW_LIST_GET
	default:
		break;
	}
	return (struct ptd_view_list){ 0 };
}

/* The count of list @l of @v. */
static inline size_t *ptd_view_count(struct ptd_view *v, enum ptd_view_list_id l)
{
	switch (l) {
#define PTD_VIEW_LIST_COUNT(name, NAME, type, part, key) \
	case PTD_VIEW_##NAME:                            \
		return &v->n##name;
		PTD_VIEW_LISTS(PTD_VIEW_LIST_COUNT)
#undef PTD_VIEW_LIST_COUNT
	default:
		break;
	}
	return NULL;
}

/* Gives list @l of @v the array @items of room @cap (allocated zeroed: see the top). */
static inline void ptd_view_set_array(struct ptd_view *v, enum ptd_view_list_id l, void *items,
				      size_t cap)
{
	switch (l) {
#define PTD_VIEW_LIST_SET(name, NAME, type, part, key) \
	case PTD_VIEW_##NAME:                          \
		v->name = items;                       \
		v->name##_cap = cap;                   \
		break;
		PTD_VIEW_LISTS(PTD_VIEW_LIST_SET)
#undef PTD_VIEW_LIST_SET
	default:
		break;
	}
}

/* Empties every list of @v (before a backend writes it). */
static inline void ptd_view_clear_lists(struct ptd_view *v)
{
#define PTD_VIEW_LIST_CLEAR(name, NAME, type, part, key) v->n##name = 0;
	PTD_VIEW_LISTS(PTD_VIEW_LIST_CLEAR)
#undef PTD_VIEW_LIST_CLEAR
}

#endif /* PTDIFF_VIEW_H */
