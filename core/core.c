/* SPDX-License-Identifier: MIT */
/*
 * Instance lifecycle (see core.h).  Create is O(nframes + max_handles) once; reset is
 * proportional to what was touched since the previous reset: slots on the reset list, live
 * handles and frames written.  Node memory is zeroed when a node is allocated, never on reset.
 */
#include "core.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pte.h"

/** Refuse a configuration core cannot represent (printed, then create returns NULL). */
static int config_ok(const struct ptd_config *cfg)
{
	const struct {
		int bad;
		const char *why;
	} rules[] = {
		{ cfg->nframes == 0 || cfg->nframes > CORE_PTE_PADDR_LIMIT / PTD_PAGE_SIZE,
		  "nframes must be in 1 .. 2^40 (PTE address bits 12..51)" },
		{ cfg->pt_pool_start > cfg->nframes, "pt_pool_start > nframes" },
		{ cfg->iomem_base % PTD_PAGE_SIZE || cfg->iomem_end % PTD_PAGE_SIZE ||
			  cfg->iomem_base > cfg->iomem_end || cfg->iomem_end > CORE_PTE_PADDR_LIMIT,
		  "I/O window must be page-aligned and below 2^52" },
		{ cfg->iomem_base < cfg->nframes * PTD_PAGE_SIZE &&
			  cfg->iomem_end > cfg->iomem_base,
		  "I/O window overlaps physical memory" },
		{ cfg->max_handles == 0 || cfg->max_handles == UINT32_MAX,
		  "max_handles must be in 1 .. 2^32 - 2" },
	};

	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		if (rules[i].bad) {
			fprintf(stderr, "ptdiff core: unusable config (nframes %" PRIu64 "): %s\n",
				cfg->nframes, rules[i].why);
			return 0;
		}
	}
	return 1;
}

struct core *core_create(const struct ptd_config *cfg)
{
	struct core *k;
	size_t nr_ids;

	if (!config_ok(cfg)) {
		return NULL;
	}
	k = calloc(1, sizeof *k);
	if (!k) {
		return NULL;
	}
	k->cfg = *cfg;
	nr_ids = (size_t)cfg->max_handles + 1;
	k->slots = malloc(cfg->nframes * sizeof *k->slots);
	k->reset_list = malloc(cfg->nframes * sizeof *k->reset_list);
	k->touched = calloc((cfg->nframes + 63) / 64, sizeof *k->touched);
	k->vm_spaces = calloc(nr_ids, sizeof *k->vm_spaces);
	k->cursors = calloc(nr_ids, sizeof *k->cursors);
	k->frames = calloc(nr_ids, sizeof *k->frames);
	k->segments = calloc(nr_ids, sizeof *k->segments);
	k->uniques = calloc(nr_ids, sizeof *k->uniques);
	k->ios = calloc(nr_ids, sizeof *k->ios);
	k->kmem = malloc(sizeof *k->kmem);
	k->sched = core_sched_create(cfg->group_threads);
	k->retired = malloc(cfg->nframes * sizeof *k->retired);
	if (!k->sched || !k->retired || !k->slots || !k->reset_list || !k->touched ||
	    !k->vm_spaces || !k->cursors || !k->frames || !k->segments || !k->uniques || !k->ios ||
	    !k->kmem || core_phys_mem_init(&k->mem, cfg->nframes) ||
	    core_pt_pool_init(&k->pool, cfg->pt_pool_start, cfg->nframes) ||
	    core_registry_init(&k->vm_space_ids, "address space", cfg->max_handles) ||
	    core_registry_init(&k->cursor_ids, "cursor", cfg->max_handles) ||
	    core_registry_init(&k->frame_ids, "frame", cfg->max_handles) ||
	    core_registry_init(&k->segment_ids, "segment", cfg->max_handles) ||
	    core_registry_init(&k->unique_ids, "unique frame", cfg->max_handles) ||
	    core_registry_init(&k->io_ids, "reader/writer", cfg->max_handles)) {
		core_destroy(k);
		return NULL;
	}
	core_meta_init(k);
	core_kernel_mem_init(k->kmem);
	return k;
}

void core_destroy(struct core *k)
{
	if (!k) {
		return;
	}
	core_registry_fini(&k->vm_space_ids);
	core_registry_fini(&k->cursor_ids);
	core_registry_fini(&k->frame_ids);
	core_registry_fini(&k->segment_ids);
	core_registry_fini(&k->unique_ids);
	core_registry_fini(&k->io_ids);
	core_pt_pool_fini(&k->pool);
	core_phys_mem_fini(&k->mem);
	core_sched_destroy(k->sched);
	free(k->retired);
	free(k->kmem);
	free(k->ios);
	free(k->uniques);
	free(k->segments);
	free(k->frames);
	free(k->cursors);
	free(k->vm_spaces);
	free(k->reset_list);
	free(k->touched);
	free(k->slots);
	free(k);
}

void core_reset(struct core *k)
{
	/* Trees need no walk: every node slot is on the reset list, and node memory is zeroed
	 * when the node is next allocated.  Segments and unique frames hold nothing but their
	 * slots' counts (every covered slot is on the reset list) and their registry entry, so
	 * clearing the registries is O(live handles) too.  Readers and writers hold nothing but
	 * their registry entry and their space's nr_io (rewritten when a space is created).
	 * Frame contents: only the frames written since the last reset are zeroed; kernel
	 * memory: only the kernel pages written since then are restored. */
	core_meta_reset(k);
	k->nr_retired = 0; /* every group ends with its retired nodes freed */
	core_registry_clear(&k->vm_space_ids);
	core_registry_clear(&k->cursor_ids);
	core_registry_clear(&k->frame_ids);
	core_registry_clear(&k->segment_ids);
	core_registry_clear(&k->unique_ids);
	core_registry_clear(&k->io_ids);
	core_phys_mem_reset(&k->mem);
	core_kernel_mem_reset(k->kmem);
	memset(k->touched, 0, (k->cfg.nframes + 63) / 64 * sizeof *k->touched);
}
