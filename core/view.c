/* SPDX-License-Identifier: MIT */
/*
 * The abstraction function: from core's concrete state (MetaSlots, radix trees, registries) to
 * the comparable view of include/ptdiff/view.h, outside the hot path.  Handles (frames,
 * segments, unique frames, readers and writers) are listed from their registries in O(live
 * handles); frame contents from the written-frame list, with cached hashes (phys_mem.h).
 * Every present entry of every node reachable from a live space's root is visited (found
 * through the node's exact live_groups summary); nr_children, which the walks trust to skip
 * empty nodes, is not consulted, so a node whose count is wrong still shows its mappings.
 * paths_in_pt is derived, not stored: a node's position comes from where the walk found it
 * (and must agree with the level/space/base in its slot), a data frame's positions are the
 * leaf PTEs that map it.
 */
#include "core.h"
#include "pt_node.h"

/*
 * view_push() - Room for one more entry at the end of list @l of the view, or NULL when the list
 * is full: the view is then marked overflowed (a harness error the runner reports) and the
 * entry dropped.  Only named fields of an entry are assigned: the runner's arrays are zeroed
 * and `reserved` members are never written (view.h).
 */
static void *view_push(struct ptd_view *out, enum ptd_view_list_id l)
{
	struct ptd_view_list list = ptd_view_list(out, l);

	if (list.n == list.cap) {
		out->overflow = 1;
		return NULL;
	}
	*ptd_view_count(out, l) = list.n + 1;
	return (char *)list.items + list.n * list.size;
}

static void view_add_path(struct ptd_view *out, uint64_t slot, ptd_id_t vs, uint32_t depth,
			  ptd_vaddr_t va)
{
	struct ptd_path_view *p = view_push(out, PTD_VIEW_PATHS);

	if (!p) {
		return;
	}
	p->slot = slot;
	p->pos.vs = vs;
	p->pos.depth = depth;
	p->pos.va = va;
}

static void view_add_mapping(struct ptd_view *out, ptd_id_t vs, ptd_vaddr_t va, core_pte_t pte)
{
	struct ptd_mapping_view *m = view_push(out, PTD_VIEW_MAPS);

	if (!m) {
		return;
	}
	m->vs = vs;
	m->tracked = (uint8_t)core_pte_tracked(pte);
	m->prop = core_pte_prop(pte);
	m->va = va;
	m->pa = core_pte_paddr(pte);
	m->pte = pte & PTD_LEAF_PTE_COMPARED; /* the raw bits, so a wrong encoding shows */
}

/*
 * What one walk emits: the paths of the slots set in @only (NULL: every slot) and, when @maps,
 * every mapping.
 */
struct view_filter {
	const uint64_t *only;
	uint64_t nslots_limit;
	int maps;
};

static int wanted(const struct view_filter *f, uint64_t idx)
{
	return !f->only || (idx < f->nslots_limit && ptd_bit_test(f->only, idx));
}

/** Describe the node at @node, found as a level-@level node of @vs covering from @base. */
static void view_node(struct core *k, struct ptd_view *out, const struct view_filter *f,
		      ptd_id_t vs, ptd_paddr_t node, unsigned level, ptd_vaddr_t base)
{
	const struct core_pt_node_meta *m = core_pt_node_meta(k, node);
	const core_pte_t *ents = core_pt_node_entries(k, node);
	uint64_t span = PTD_ENTRY_SPAN(level);
	uint64_t nr_steps = 0; /* the view is not one of the walks the step counter measures */

	CORE_BUG_ON(m->level != level || m->vs != vs || m->base_va != base);
	CORE_BUG_ON(k->slots[node / PTD_PAGE_SIZE].ref_count != 1);
	if (wanted(f, node / PTD_PAGE_SIZE)) {
		view_add_path(out, node / PTD_PAGE_SIZE, vs, PTD_NR_LEVELS - level, base);
	}
	for (unsigned i = 0;; i++) {
		core_pte_t pte;
		ptd_vaddr_t va;

		i = core_pt_node_next_present(m, ents, i, PTD_NR_ENTRIES - 1, &nr_steps);
		if (i == PTD_NR_ENTRIES) {
			break;
		}
		pte = core_pte_load(&ents[i]);
		va = base + i * span;
		if (level > 1) {
			view_node(k, out, f, vs, core_pte_paddr(pte), level - 1, va);
			continue;
		}
		CORE_BUG_ON(core_pte_cache(pte) >= PTD_CACHE_COUNT);
		if (f->maps) {
			view_add_mapping(out, vs, va, pte);
		}
		if (core_pte_tracked(pte)) {
			uint64_t idx = core_pte_paddr(pte) / PTD_PAGE_SIZE;

			CORE_BUG_ON(idx >= k->cfg.nframes);
			if (wanted(f, idx)) {
				view_add_path(out, idx, vs, PTD_LEAF_DEPTH, va);
			}
		}
	}
}

/*
 * The first slot from @i on (below @n) that the view lists: @i for the whole view (@only NULL),
 * else the next bit set in @only; @n when there is none.  A partial view follows every op in
 * incremental checking, so it visits set bits, not every slot.
 */
static uint64_t next_slot(const uint64_t *only, uint64_t i, uint64_t n)
{
	while (only && i < n) {
		uint64_t rest = only[i / 64] >> (i % 64);

		if (rest) {
			i += (uint64_t)__builtin_ctzll(rest);
			break;
		}
		i = (i / 64 + 1) * 64;
	}
	return i < n ? i : n;
}

/* The whole view (@only NULL, @parts all) or the partial one of core_view_slots(). */
static void view_impl(struct core *k, struct ptd_view *out, const uint64_t *only, uint32_t parts)
{
	uint64_t nslots = out->nslots < k->cfg.nframes ? out->nslots : k->cfg.nframes;
	struct view_filter f = { .only = only,
				 .nslots_limit = nslots,
				 .maps = (parts & PTD_PART_BIT_MAPS) != 0 };
	int any_slot = !only, any_leaf_target = !only, walk;

	if (out->nslots != k->cfg.nframes) {
		out->overflow = 1;
	}
	const struct core_meta_slot *slots = k->slots;
	struct ptd_slot_view *slot_out = out->slots;

	ptd_view_clear_lists(out);
	/* Arrays in locals, one store per record: the byte-wide fields may alias anything, so
	 * k->slots and out->slots would be read again after every field. */
	for (uint64_t i = only ? next_slot(only, 0, nslots) : 0; i < nslots;
	     i = only ? next_slot(only, i + 1, nslots) : i + 1) {
		const struct core_meta_slot *s = &slots[i];

		any_slot = 1;
		any_leaf_target |= s->usage != PTD_USAGE_PAGE_TABLE ||
				   s->ref_count == PTD_RC_UNUSED;
		slot_out[i] = (struct ptd_slot_view){
			.rc = s->ref_count,
			.in_list = s->in_list,
			.usage = s->usage,
			.storage_init = s->storage_init,
			.vtable_init = s->vtable_init,
		};
	}
	/*
	 * A partial view whose slots are all live page-table nodes (what NewVmSpace and opening a
	 * cursor touch) takes each node's one position from its metadata: no tree is walked, so
	 * the cost does not grow with the number of address spaces.  Any other slot may be the
	 * target of leaf entries anywhere, which only a walk finds.  (A node the walk would not
	 * reach is a difference the next full check reports.)
	 */
	walk = f.maps || (any_slot && any_leaf_target);

	for (uint64_t i = next_slot(only, 0, nslots); !walk && i < nslots;
	     i = next_slot(only, i + 1, nslots)) {
		const struct core_pt_node_meta *m = &k->slots[i].storage.pt;

		view_add_path(out, i, m->vs, PTD_NR_LEVELS - m->level, m->base_va);
	}
	for (uint32_t n = 0;
	     (walk || (parts & PTD_PART_BIT_VMSPACES)) && n < k->vm_space_ids.nr_live; n++) {
		ptd_id_t vs = k->vm_space_ids.ids[n];

		if (walk) {
			view_node(k, out, &f, vs, k->vm_spaces[vs].root, PTD_NR_LEVELS, 0);
		}
		if (parts & PTD_PART_BIT_VMSPACES) {
			ptd_id_t *v = view_push(out, PTD_VIEW_VMSPACES);

			if (v) {
				*v = vs;
			}
		}
	}
	for (uint32_t n = 0; (parts & PTD_PART_BIT_CURSORS) && n < k->cursor_ids.nr_live; n++) {
		ptd_id_t id = k->cursor_ids.ids[n];
		const struct core_cursor *c = &k->cursors[id];
		struct ptd_cursor_view *v = view_push(out, PTD_VIEW_CURSORS);

		if (!v) {
			break;
		}
		v->id = id;
		v->vs = c->vs;
		v->kind = c->is_mut ? PTD_CURSOR_MUTABLE : PTD_CURSOR_READ_ONLY;
		v->start = c->start;
		v->end = c->end;
		v->va = c->va;
	}
	for (uint32_t n = 0; (parts & PTD_PART_BIT_FRAMES) && n < k->frame_ids.nr_live; n++) {
		ptd_id_t id = k->frame_ids.ids[n];
		struct ptd_frame_view *v = view_push(out, PTD_VIEW_FRAMES);

		if (!v) {
			break;
		}
		v->id = id;
		v->paddr = k->frames[id];
	}
	for (uint32_t n = 0; (parts & PTD_PART_BIT_SEGMENTS) && n < k->segment_ids.nr_live; n++) {
		ptd_id_t id = k->segment_ids.ids[n];
		struct ptd_segment_view *v = view_push(out, PTD_VIEW_SEGMENTS);

		if (!v) {
			break;
		}
		v->id = id;
		v->start = k->segments[id].start;
		v->end = k->segments[id].end;
	}
	for (uint32_t n = 0; (parts & PTD_PART_BIT_UNIQUES) && n < k->unique_ids.nr_live; n++) {
		ptd_id_t id = k->unique_ids.ids[n];
		struct ptd_unique_view *v = view_push(out, PTD_VIEW_UNIQUES);

		if (!v) {
			break;
		}
		v->id = id;
		v->paddr = k->uniques[id];
	}
	for (uint32_t n = 0; (parts & PTD_PART_BIT_IOS) && n < k->io_ids.nr_live; n++) {
		ptd_id_t id = k->io_ids.ids[n];
		const struct core_io *io = &k->ios[id];
		struct ptd_io_view *v = view_push(out, PTD_VIEW_IOS);

		if (!v) {
			break;
		}
		v->id = id;
		v->vs = io->vs;
		v->kind = io->is_writer ? PTD_IO_WRITER : PTD_IO_READER;
		v->start = io->start;
		v->cursor = io->cursor;
		v->end = io->end;
	}
	/* POLICY §4: every frame whose bytes are not all zero, with its XXH3-64 hash. */
	if (any_slot) {
		core_phys_mem_view_slots(&k->mem, out, only);
	}
	if (parts & PTD_PART_BIT_KERNEL) {
		out->kernel_hash = core_kernel_mem_hash(k->kmem);
	}
}

void core_view(struct core *k, struct ptd_view *out)
{
	view_impl(k, out, NULL, PTD_PART_BIT_ALL);
}

void core_view_slots(struct core *k, struct ptd_view *out, const uint64_t *slots, uint32_t parts)
{
	view_impl(k, out, slots, parts);
}
