/* SPDX-License-Identifier: MIT */
/* Page-table node locks and the check that every cursor store holds one (see pt_lock.h). */
#include "pt_lock.h"

#include <inttypes.h>

#include "core.h"
#include "diag.h"
#include "pt_node.h"
#include "scheduler.h"

/* A node's metadata, or NULL once its slot is no longer a live page-table node. */
static struct core_pt_node_meta *node_meta(struct core *k, ptd_paddr_t node)
{
	struct core_meta_slot *s;

	if (!core_paddr_in_memory(k, node)) {
		return NULL;
	}
	s = core_meta_slot(k, node / PTD_PAGE_SIZE);
	if (s->usage != PTD_USAGE_PAGE_TABLE || s->ref_count == PTD_RC_UNUSED) {
		return NULL;
	}
	return &s->storage.pt;
}

/* A cursor reached a node that is no longer allocated: it was freed while reachable. */
static struct core_pt_node_meta *live_meta(struct core *k, ptd_paddr_t node, const char *what)
{
	struct core_pt_node_meta *m = node_meta(k, node);

	CORE_PROTOCOL_CHECK(k, m, "use-after-free",
			    "cursor %u %s node 0x%" PRIx64 " after it was freed", core_acting(k),
			    what, node);
	return m;
}

/* The lock word, read as other threads change it (threaded groups, scheduler.h). */
static ptd_id_t lock_word(const struct core_pt_node_meta *m)
{
	return __atomic_load_n(&m->lock, __ATOMIC_RELAXED);
}

int core_pt_lock(struct core *k, ptd_paddr_t node, ptd_id_t owner)
{
	for (;;) {
		struct core_pt_node_meta *m = live_meta(k, node, "locks");

		ptd_id_t free = 0;

		/* Acquire: pairs with the release in core_pt_unlock(), so the new holder sees
		 * every store the previous one made under the lock. */
		if (__atomic_compare_exchange_n(&m->lock, &free, owner, 0, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED)) {
			core_sched_step(k, PTD_STEP_LOCK, m->level, node, 0);
			return 0;
		}
		CORE_BUG_ON(free == owner); /* the protocol never locks a node twice */
		if (!core_sched_wait(k, node, m->level)) {
			return -1;
		}
	}
}

void core_pt_unlock(struct core *k, ptd_paddr_t node, ptd_id_t owner)
{
	struct core_pt_node_meta *m = live_meta(k, node, "unlocks");
	ptd_id_t holder = lock_word(m);

	CORE_PROTOCOL_CHECK(k, holder == owner, "unlock-not-held",
			    "cursor %u unlocks node 0x%" PRIx64 " held by %u", owner, node, holder);
	__atomic_store_n(&m->lock, 0, __ATOMIC_RELEASE);
	core_sched_step(k, PTD_STEP_UNLOCK, m->level, node, 0);
}

int core_pt_lock_free(struct core *k, ptd_paddr_t node)
{
	const struct core_pt_node_meta *m = node_meta(k, node);

	return !m || lock_word(m) == 0;
}

ptd_id_t core_pt_lock_owner(struct core *k, ptd_paddr_t node)
{
	const struct core_pt_node_meta *m = node_meta(k, node);

	return m ? lock_word(m) : 0;
}

void core_pt_lock_check(struct core *k, ptd_paddr_t node, const char *what)
{
	const struct core_pt_node_meta *m;
	ptd_id_t acting = core_acting(k), holder;

	if (!acting) {
		return;
	}
	m = live_meta(k, node, what);
	holder = lock_word(m);
	CORE_PROTOCOL_CHECK(k, holder == acting, "unlocked-store",
			    "cursor %u %s node 0x%" PRIx64 " (level %u) whose lock %s%u holds",
			    acting, what, node, m->level, holder ? "cursor " : "nobody ", holder);
}
