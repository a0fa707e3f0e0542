/* SPDX-License-Identifier: MIT */
/*
 * The comparable view (include/ptdiff/view.h) read straight off the store: slot fields, the
 * explicit paths_in_pt multisets (node slots included), each address space's mappings (with the
 * leaf PTE bits their prop encodes to, pte_encoding.c), and the registries (cursors, Frame
 * handles, segments, unique frames, readers and writers), and the frames whose contents are not
 * all zero with the contents hash of their bytes (XXH3-64, oracle_frame_contents(): computed
 * again only after the frame was written), and the contents hash of kernel memory (cached by
 * the store, recomputed after any kernel byte changed: oracle_kernel_hash()).  Order is the
 * store's, which keeps every list in the view's canonical order but the cursors' (store.h), so
 * the runner's sort finds them sorted.
 * A view too small for the store is left empty and marked overflowed (view_fits()).
 */
#include "ops.h"
#include "pte_encoding.h"

/**
 * next_slot() - The first slot from @i on that the view lists: @i itself for the whole view
 * (@only NULL), else the next one set in @only; cfg.nframes when there is none.  A partial view
 * is taken after every op, so it visits the set bits only, not every slot.
 */
static uint64_t next_slot(const struct oracle *o, const uint64_t *only, uint64_t i)
{
	while (only && i < o->cfg.nframes) {
		uint64_t rest = only[i / 64] >> (i % 64);

		if (rest)
			return i + (uint64_t)__builtin_ctzll(rest);
		i = (i / 64 + 1) * 64;
	}
	return i < o->cfg.nframes ? i : o->cfg.nframes;
}

/**
 * view_fits() - Whether every list of @out has room for the paths and contents of every slot,
 * every mapping when @parts has the mappings, and every handle.  (A partial view may need
 * fewer; asking for room for all of them keeps this one check simple.)  When it does not fit,
 * the view is only marked overflowed: the runner reports that as a harness error, never as a
 * divergence.
 */
static bool view_fits(const struct oracle *o, const struct ptd_view *out, uint32_t parts)
{
	size_t need[PTD_VIEW_NLISTS] = {
		[PTD_VIEW_VMSPACES] = o->nr_vmspaces,
		[PTD_VIEW_CURSORS] = o->nr_cursors,
		[PTD_VIEW_FRAMES] = o->nr_frames,
		[PTD_VIEW_SEGMENTS] = o->nr_segments,
		[PTD_VIEW_UNIQUES] = o->nr_uniques,
		[PTD_VIEW_IOS] = o->nr_ios,
		/* Every position of every slot; a contents entry at most per frame written. */
		[PTD_VIEW_PATHS] = o->nr_paths_all,
		[PTD_VIEW_CONTENTS] = o->nr_written,
	};

	if (out->nslots != o->cfg.nframes)
		return false;
	for (size_t v = 0; (parts & PTD_PART_BIT_MAPS) && v < o->nr_vmspaces; v++)
		need[PTD_VIEW_MAPS] += o->vmspaces[v].nr_maps;
	for (enum ptd_view_list_id l = 0; l < PTD_VIEW_NLISTS; l++)
		if (need[l] > ptd_view_list(out, l).cap)
			return false;
	return true;
}

/*
 * The whole view (@only NULL, @parts all), or the partial one of oracle_view_slots(): records,
 * paths and contents of the slots set in @only, and the parts in @parts.
 */
static void view_impl(struct oracle *o, struct ptd_view *out, const uint64_t *only, uint32_t parts)
{
	ptd_view_clear_lists(out);
	out->overflow = !view_fits(o, out, parts);
	if (out->overflow)
		return;

	/* Counts and arrays in locals: the byte-wide fields written below may alias anything, so
	 * members of *out and *o would be read again after every slot. */
	const struct oracle_slot *slots = o->slots;
	const uint64_t nframes = o->cfg.nframes;
	struct ptd_slot_view *slot_out = out->slots;
	struct ptd_path_view *paths = out->paths;
	size_t npaths = 0;

	for (uint64_t i = only ? next_slot(o, only, 0) : 0; i < nframes;
	     i = only ? next_slot(o, only, i + 1) : i + 1) {
		const struct oracle_slot *s = &slots[i];
		uint64_t hash;

		slot_out[i] = (struct ptd_slot_view){
			.rc = s->rc,
			.in_list = s->in_list,
			.usage = (uint8_t)s->usage,
			.storage_init = s->storage_init,
			.vtable_init = s->vtable_init,
		};
		for (size_t p = 0; p < s->nr_paths; p++)
			paths[npaths++] = (struct ptd_path_view){ .slot = i, .pos = s->paths[p] };
		if (s->writes != 0 && oracle_frame_contents(o, i, &hash)) /* else all zero */
			out->contents[out->ncontents++] = (struct ptd_content_view){
				.slot = i,
				.hash = hash,
			};
	}
	out->npaths = npaths;

	for (size_t v = 0;
	     (parts & (PTD_PART_BIT_VMSPACES | PTD_PART_BIT_MAPS)) && v < o->nr_vmspaces; v++) {
		const struct oracle_vmspace *vs = &o->vmspaces[v];
		if (parts & PTD_PART_BIT_VMSPACES)
			out->vmspaces[out->nvmspaces++] = vs->id;
		for (size_t m = 0; (parts & PTD_PART_BIT_MAPS) && m < vs->nr_maps; m++)
			out->maps[out->nmaps++] = (struct ptd_mapping_view){
				.vs = vs->id,
				.tracked = vs->maps[m].tracked,
				.prop = vs->maps[m].prop,
				.va = vs->maps[m].va,
				.pa = vs->maps[m].pa,
				.pte = oracle_leaf_pte(vs->maps[m].prop),
			};
	}

	for (size_t i = 0; (parts & PTD_PART_BIT_CURSORS) && i < o->nr_cursors; i++) {
		const struct oracle_cursor *c = &o->cursors[i];
		out->cursors[out->ncursors++] = (struct ptd_cursor_view){
			.id = c->id,
			.vs = c->vs,
			.kind = c->kind,
			.start = c->start,
			.end = c->end,
			.va = c->va,
		};
	}

	for (size_t i = 0; (parts & PTD_PART_BIT_FRAMES) && i < o->nr_frames; i++)
		out->frames[out->nframes++] =
			(struct ptd_frame_view){ .id = o->frames[i].id,
						 .paddr = o->frames[i].paddr };

	for (size_t i = 0; (parts & PTD_PART_BIT_SEGMENTS) && i < o->nr_segments; i++)
		out->segments[out->nsegments++] = (struct ptd_segment_view){
			.id = o->segments[i].id,
			.start = o->segments[i].start,
			.end = o->segments[i].end,
		};

	for (size_t i = 0; (parts & PTD_PART_BIT_UNIQUES) && i < o->nr_uniques; i++)
		out->uniques[out->nuniques++] = (struct ptd_unique_view){
			.id = o->uniques[i].id,
			.paddr = o->uniques[i].paddr,
		};

	for (size_t i = 0; (parts & PTD_PART_BIT_IOS) && i < o->nr_ios; i++) {
		const struct oracle_io *io = &o->ios[i];
		out->ios[out->nios++] = (struct ptd_io_view){
			.id = io->id,
			.vs = io->vs,
			.kind = io->kind,
			.start = io->start,
			.cursor = io->cursor,
			.end = io->end,
		};
	}

	if (parts & PTD_PART_BIT_KERNEL)
		out->kernel_hash = oracle_kernel_hash(o);
}

void oracle_view(struct oracle *o, struct ptd_view *out)
{
	view_impl(o, out, NULL, PTD_PART_BIT_ALL);
}

void oracle_view_slots(struct oracle *o, struct ptd_view *out, const uint64_t *slots,
		       uint32_t parts)
{
	view_impl(o, out, slots, parts);
}
