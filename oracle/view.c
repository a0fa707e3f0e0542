/* SPDX-License-Identifier: MIT */
/*
 * The comparable view (include/ptdiff/view.h) read straight off the store: slot fields, the
 * explicit paths_in_pt multisets (node slots included), each address space's mappings, and the
 * registries (cursors, Frame handles, segments, unique frames).  Order is the store's; the
 * runner sorts.  A full array sets overflow and the view keeps what fitted.
 */
#include "ops.h"

void oracle_view(const struct oracle *o, struct ptd_view *out)
{
	uint64_t nslots = out->nslots < o->cfg.nframes ? out->nslots : o->cfg.nframes;

	out->overflow = out->nslots != o->cfg.nframes;
	out->npaths = out->nmaps = out->nvmspaces = out->ncursors = out->nframes = 0;
	out->nsegments = out->nuniques = 0;

	for (uint64_t i = 0; i < nslots; i++) {
		const struct oracle_slot *s = &o->slots[i];
		out->slots[i] = (struct ptd_slot_view){
			.rc = s->rc,
			.in_list = s->in_list,
			.usage = (uint8_t)s->usage,
			.storage_init = s->storage_init,
			.vtable_init = s->vtable_init,
		};
		for (size_t p = 0; p < s->nr_paths; p++) {
			if (out->npaths == out->paths_cap) {
				out->overflow = 1;
				break;
			}
			out->paths[out->npaths++] = (struct ptd_path_view){ .slot = i,
									    .pos = s->paths[p] };
		}
	}

	for (size_t v = 0; v < o->nr_vmspaces; v++) {
		const struct oracle_vmspace *vs = &o->vmspaces[v];
		if (out->nvmspaces == out->vmspaces_cap) {
			out->overflow = 1;
		} else {
			out->vmspaces[out->nvmspaces++] = vs->id;
		}
		for (size_t m = 0; m < vs->nr_maps; m++) {
			if (out->nmaps == out->maps_cap) {
				out->overflow = 1;
				break;
			}
			out->maps[out->nmaps++] = (struct ptd_mapping_view){
				.vs = vs->id,
				.tracked = vs->maps[m].tracked,
				.prop = vs->maps[m].prop,
				.va = vs->maps[m].va,
				.pa = vs->maps[m].pa,
			};
		}
	}

	for (size_t i = 0; i < o->nr_cursors; i++) {
		const struct oracle_cursor *c = &o->cursors[i];
		if (out->ncursors == out->cursors_cap) {
			out->overflow = 1;
			break;
		}
		out->cursors[out->ncursors++] = (struct ptd_cursor_view){
			.id = c->id,
			.vs = c->vs,
			.kind = c->kind,
			.start = c->start,
			.end = c->end,
			.va = c->va,
		};
	}

	for (size_t i = 0; i < o->nr_frames; i++) {
		if (out->nframes == out->frames_cap) {
			out->overflow = 1;
			break;
		}
		out->frames[out->nframes++] = (struct ptd_frame_view){ .id = o->frames[i].id,
								       .paddr = o->frames[i].paddr };
	}

	for (size_t i = 0; i < o->nr_segments; i++) {
		if (out->nsegments == out->segments_cap) {
			out->overflow = 1;
			break;
		}
		out->segments[out->nsegments++] = (struct ptd_segment_view){
			.id = o->segments[i].id,
			.start = o->segments[i].start,
			.end = o->segments[i].end,
		};
	}

	for (size_t i = 0; i < o->nr_uniques; i++) {
		if (out->nuniques == out->uniques_cap) {
			out->overflow = 1;
			break;
		}
		out->uniques[out->nuniques++] = (struct ptd_unique_view){
			.id = o->uniques[i].id,
			.paddr = o->uniques[i].paddr,
		};
	}
}
