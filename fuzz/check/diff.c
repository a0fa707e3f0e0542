/* SPDX-License-Identifier: MIT */
/*
 * What differs between the two sides.  Results: the first differing field, checked after every
 * op (NULL while they agree).  States, only once a digest says they differ: the slots with
 * their positions, the mappings by address ("mapping-pte" when only the leaf PTE bits differ)
 * and every handle list whose digest differs, printed side by side up to a limit.  The label
 * of the first difference ("result-paddr", "slot-rc", "frame-handles", ...) becomes the
 * signature's <what>.
 */
#include "diff.h"

#include <inttypes.h>
#include <string.h>
#include "rawop_text.h"

const char *ptd_diff_result(const struct ptd_result *a, const struct ptd_result *b)
{
	if (a->status != b->status)
		return "result-status";
	if (a->found != b->found)
		return "result-found";
	if (a->tracked != b->tracked)
		return "result-tracked";
	if (a->paddr != b->paddr)
		return "result-paddr";
	if (a->va != b->va)
		return "result-va";
	if (a->va_end != b->va_end)
		return "result-va-end";
	if (a->count != b->count)
		return "result-count";
	if (a->hash != b->hash)
		return "result-hash";
	if (a->value != b->value)
		return "result-value";
	if (a->prop.flags != b->prop.flags || a->prop.cache != b->prop.cache)
		return "result-prop";
	if (a->new_id != b->new_id)
		return "result-new-id";
	if (a->new_id2 != b->new_id2)
		return "result-new-id2";
	return NULL;
}

static const char *usage_name(unsigned u)
{
	static const char *const names[PTD_USAGE_COUNT] = { "Unused",    "Reserved", "Frame",
							    "PageTable", "Meta",     "Kernel",
							    "MMIO" };
	return u < PTD_USAGE_COUNT ? names[u] : "?";
}

static void rc_print(FILE *out, uint64_t rc)
{
	if (rc == PTD_RC_UNUSED)
		fputs("UNUSED", out);
	else if (rc == PTD_RC_UNIQUE)
		fputs("UNIQUE", out);
	else
		fprintf(out, "%" PRIu64, rc);
}

static void paths_print(FILE *out, const struct ptd_view *v, uint64_t slot)
{
	size_t a, b;
	ptd_state_slot_paths(v, slot, &a, &b);
	fputc('{', out);
	for (size_t i = a; i < b; i++)
		fprintf(out, "%s(vs%u,%u,0x%" PRIx64 ")", i > a ? " " : "", v->paths[i].pos.vs,
			v->paths[i].pos.depth, v->paths[i].pos.va);
	fputc('}', out);
}

static int paths_equal(const struct ptd_view *x, const struct ptd_view *y, uint64_t slot)
{
	size_t a, b, c, d;
	ptd_state_slot_paths(x, slot, &a, &b);
	ptd_state_slot_paths(y, slot, &c, &d);
	if (b - a != d - c)
		return 0;
	for (size_t i = 0; i < b - a; i++)
		if (ptd_pos_cmp(&x->paths[a + i].pos, &y->paths[c + i].pos))
			return 0;
	return 1;
}

static void slot_print(FILE *out, const char *name, const struct ptd_view *v, uint64_t i)
{
	const struct ptd_slot_view *s = &v->slots[i];
	fprintf(out, "      %-7s rc ", name);
	rc_print(out, s->rc);
	fprintf(out, ", usage %s, in_list %" PRIu64 ", storage %u, vtable %u, paths ",
		usage_name(s->usage), s->in_list, s->storage_init, s->vtable_init);
	paths_print(out, v, i);
	fputc('\n', out);
}

static const char *slot_label(const struct ptd_slot_view *x, const struct ptd_slot_view *y)
{
	if (x->rc != y->rc)
		return "slot-rc";
	if (x->usage != y->usage)
		return "slot-usage";
	if (x->in_list != y->in_list)
		return "slot-in-list";
	if (x->storage_init != y->storage_init)
		return "slot-storage";
	if (x->vtable_init != y->vtable_init)
		return "slot-vtable";
	return "slot-paths";
}

static const char *diff_slots(FILE *out, const struct ptd_view *x, const struct ptd_view *y,
			      const char *const names[2], unsigned limit)
{
	const char *first = NULL;
	unsigned shown = 0;
	for (uint64_t i = 0; i < x->nslots && shown < limit; i++) {
		if (!memcmp(&x->slots[i], &y->slots[i], sizeof x->slots[i]) && paths_equal(x, y, i))
			continue;
		if (!first)
			first = slot_label(&x->slots[i], &y->slots[i]);
		fprintf(out, "    slot %" PRIu64 " (paddr 0x%" PRIx64 "): %s differs\n", i,
			i * PTD_PAGE_SIZE, slot_label(&x->slots[i], &y->slots[i]));
		slot_print(out, names[0], x, i);
		slot_print(out, names[1], y, i);
		shown++;
	}
	return first;
}

static void mapping_print(FILE *out, const char *name, const struct ptd_mapping_view *m)
{
	if (!m) {
		fprintf(out, "      %-7s (none)\n", name);
		return;
	}
	fprintf(out, "      %-7s vs%u 0x%" PRIx64 " -> %s 0x%" PRIx64 " ", name, m->vs, m->va,
		m->tracked ? "frame" : "iomem", m->pa);
	ptd_prop_print(out, m->prop);
	fprintf(out, " pte 0x%016" PRIx64 "\n", m->pte);
}

/* Whether mappings @a and @b at the same address differ in their leaf PTE bits alone. */
static int only_pte_differs(const struct ptd_mapping_view *a, const struct ptd_mapping_view *b)
{
	struct ptd_mapping_view x = *a;

	x.pte = b->pte;
	return a->pte != b->pte && !memcmp(&x, b, sizeof x);
}

static int map_key_cmp(const struct ptd_mapping_view *a, const struct ptd_mapping_view *b)
{
	if (a->vs != b->vs)
		return a->vs < b->vs ? -1 : 1;
	return a->va < b->va ? -1 : a->va > b->va;
}

static const char *diff_maps(FILE *out, const struct ptd_view *x, const struct ptd_view *y,
			     const char *const names[2], unsigned limit)
{
	size_t i = 0, j = 0;
	unsigned shown = 0;
	const char *first = NULL;
	while ((i < x->nmaps || j < y->nmaps) && shown < limit) {
		const struct ptd_mapping_view *a = i < x->nmaps ? &x->maps[i] : NULL;
		const struct ptd_mapping_view *b = j < y->nmaps ? &y->maps[j] : NULL;
		int c = !a ? 1 : !b ? -1 : map_key_cmp(a, b), bits_only;
		if (c == 0 && !memcmp(a, b, sizeof *a)) {
			i++, j++;
			continue;
		}
		/* Same prop, different bits: an encoding both sides read back alike (POLICY §4). */
		bits_only = c == 0 && only_pte_differs(a, b);
		if (!first)
			first = bits_only ? "mapping-pte" : "mapping";
		fputs(bits_only ? "    mapping leaf PTE bits differ\n" : "    mapping differs\n",
		      out);
		mapping_print(out, names[0], c <= 0 ? a : NULL);
		mapping_print(out, names[1], c >= 0 ? b : NULL);
		i += c <= 0;
		j += c >= 0;
		shown++;
	}
	return first;
}

/* One entry of a list other than the paths and mappings (those diff_slots and diff_maps show). */
static void entry_print(FILE *out, enum ptd_view_list_id l, const void *e)
{
	const struct ptd_cursor_view *c = e;
	const struct ptd_frame_view *f = e;
	const struct ptd_segment_view *s = e;
	const struct ptd_unique_view *u = e;
	const struct ptd_io_view *io = e;
	const struct ptd_content_view *k = e;

	switch (l) {
	case PTD_VIEW_VMSPACES:
		fprintf(out, " vs%u", *(const ptd_id_t *)e);
		break;
	case PTD_VIEW_CURSORS:
		fprintf(out, " c%u(vs%u %s [0x%" PRIx64 ",0x%" PRIx64 ") va 0x%" PRIx64 ")", c->id,
			c->vs, c->kind == PTD_CURSOR_MUTABLE ? "mut" : "ro", c->start, c->end,
			c->va);
		break;
	case PTD_VIEW_FRAMES:
		fprintf(out, " f%u=0x%" PRIx64, f->id, f->paddr);
		break;
	case PTD_VIEW_SEGMENTS:
		fprintf(out, " s%u=[0x%" PRIx64 ",0x%" PRIx64 ")", s->id, s->start, s->end);
		break;
	case PTD_VIEW_UNIQUES:
		fprintf(out, " u%u=0x%" PRIx64, u->id, u->paddr);
		break;
	case PTD_VIEW_IOS:
		fprintf(out, " io%u(%s%u %s [0x%" PRIx64 ",0x%" PRIx64 ") at 0x%" PRIx64 ")",
			io->id, io->vs ? "vs" : "kernel", io->vs,
			io->kind == PTD_IO_WRITER ? "writer" : "reader", io->start, io->end,
			io->cursor);
		break;
	case PTD_VIEW_CONTENTS:
		fprintf(out, " slot%" PRIu64 ":%016" PRIx64, k->slot, k->hash);
		break;
	default:
		break;
	}
}

/* Part `part` (from the vmspaces on) of one side's view, on one line. */
static void handles_print(FILE *out, const char *name, const struct ptd_view *v,
			  enum ptd_state_part part)
{
	fprintf(out, "      %-7s", name);
	if (part == PTD_PART_KERNEL) {
		fprintf(out, " kernel memory hash %016" PRIx64, v->kernel_hash);
	} else {
		enum ptd_view_list_id l = (enum ptd_view_list_id)(part - PTD_PART_PATHS);
		struct ptd_view_list x = ptd_view_list(v, l);
		for (size_t i = 0; i < x.n; i++)
			entry_print(out, l, (const char *)x.items + i * x.size);
	}
	fputc('\n', out);
}

const char *ptd_diff_states(FILE *out, const struct ptd_state *a, const struct ptd_state *b,
			    const char *const names[2], unsigned limit)
{
	static const char *const part_label[PTD_PART_COUNT] = {
		[PTD_PART_VMSPACES] = "vmspaces",       [PTD_PART_CURSORS] = "cursors",
		[PTD_PART_FRAMES] = "frame-handles",    [PTD_PART_SEGMENTS] = "segments",
		[PTD_PART_UNIQUES] = "unique-handles",  [PTD_PART_IOS] = "readers-writers",
		[PTD_PART_CONTENTS] = "frame-contents", [PTD_PART_KERNEL] = "kernel-memory",
	};
	const char *first = NULL, *l;
	if ((a->digest[PTD_PART_SLOTS] != b->digest[PTD_PART_SLOTS] ||
	     a->digest[PTD_PART_PATHS] != b->digest[PTD_PART_PATHS]) &&
	    (l = diff_slots(out, &a->view, &b->view, names, limit)))
		first = l;
	if (a->digest[PTD_PART_MAPS] != b->digest[PTD_PART_MAPS] &&
	    (l = diff_maps(out, &a->view, &b->view, names, limit)) && !first)
		first = l;
	for (int p = PTD_PART_VMSPACES; p < PTD_PART_COUNT; p++) {
		if (a->digest[p] == b->digest[p])
			continue;
		fprintf(out, "    %s differ\n", part_label[p]);
		handles_print(out, names[0], &a->view, (enum ptd_state_part)p);
		handles_print(out, names[1], &b->view, (enum ptd_state_part)p);
		if (!first)
			first = part_label[p];
	}
	return first;
}
