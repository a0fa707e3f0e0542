/* SPDX-License-Identifier: MIT */
/*
 * Concurrent cursor ops on POSIX threads (scheduler.h, "Threads"; ptdiff-stress).  A group's ops
 * run at the same time on real CPUs, so ThreadSanitizer sees every pair of accesses the
 * protocol leaves unordered, not only the interleavings a schedule word names.  The hooks keep
 * the coroutine mode's meaning:
 *   wait:  poll the node's lock; give up once no unfinished task acts for the cursor holding it;
 *   defer: an open that gave up waits until every other task has ended, is deferred, or waits
 *          for a lock only a waiting task's cursor holds, then (lowest first) retries alone,
 *          without waiting;
 *   grace: a task's end frees the retired nodes no running task can still reach.
 * Waits poll rather than sleep on a condition, so a lock release is one atomic store and
 * creates no extra ordering: between tasks, the only happens-before edges are the PTE and
 * node-lock atomics and the bookkeeping lock (core_book_lock()).
 */
#include "scheduler.h"

#include <inttypes.h>
#include <sched.h>
#include <string.h>

#include "core.h"
#include "diag.h"
#include "locking.h"
#include "pt_lock.h"

_Thread_local struct core_task_thread *core_task_thread;

void core_book_lock_slow(struct core_task_thread *self)
{
	if (self->book_depth++ == 0) {
		CORE_BUG_ON(pthread_mutex_lock(&self->k->sched->mu) != 0);
	}
}

void core_book_unlock_slow(struct core_task_thread *self)
{
	if (--self->book_depth == 0) {
		CORE_BUG_ON(pthread_mutex_unlock(&self->k->sched->mu) != 0);
	}
}

/* Task @t waits for a lock that only a cursor some unfinished task acts for can release.
 * Called under the bookkeeping lock, as every helper below. */
static int stuck(struct core *k, const struct core_sched *s, unsigned t)
{
	ptd_paddr_t node = s->tasks[t].waits_on;

	return s->tasks[t].state == CORE_TASK_WAITING && !core_pt_lock_free(k, node) &&
	       core_sched_acts_for(s, core_pt_lock_owner(k, node));
}

/* No task other than @self among the first @n runs: each has ended, is deferred, or is stuck
 * (a task not yet begun counts as running: it will). */
static int idle_below(struct core *k, const struct core_sched *s, unsigned self, unsigned n)
{
	for (unsigned t = 0; t < n; t++) {
		enum core_task_state st = s->tasks[t].state;

		if (t != self && st != CORE_TASK_DONE && st != CORE_TASK_DEFERRED &&
		    !stuck(k, s, t)) {
			return 0;
		}
	}
	return 1;
}

static int others_idle(struct core *k, const struct core_sched *s, unsigned self)
{
	return idle_below(k, s, self, s->ntasks);
}

/* The lowest deferred task, or ntasks when none is. */
static unsigned lowest_deferred(const struct core_sched *s)
{
	unsigned t = 0;

	while (t < s->ntasks && s->tasks[t].state != CORE_TASK_DEFERRED) {
		t++;
	}
	return t;
}

/* Let the other tasks run while the caller polls (it holds the bookkeeping lock once). */
static void poll_pause(void)
{
	core_book_unlock();
	sched_yield();
	core_book_lock();
}

struct thread_start {
	struct core *k;
	unsigned task;
	void (*fn)(struct core *k, unsigned task, void *arg);
	void *arg;
	uint64_t seed;
};

static void *task_main(void *p)
{
	const struct thread_start *st = p;
	struct core *k = st->k;
	struct core_sched *s = k->sched;
	struct core_task_thread self = { .k = k, .task = st->task, .rng = st->seed | 1 };

	core_task_thread = &self;
	core_book_lock();
	/* Members in turn: begin once every earlier member has ended or cannot go on (deferred,
	 * or waiting for a lock a later member's cursor holds), as the coroutine mode's
	 * schedule 0 runs them. */
	while (s->in_turn && !idle_below(k, s, self.task, self.task)) {
		poll_pause();
	}
	s->tasks[self.task].begun = 1;
	core_sched_note_running(s);
	core_book_unlock();
	st->fn(k, self.task, st->arg);
	core_book_lock();
	s->tasks[self.task].state = CORE_TASK_DONE;
	s->log->order[s->log->ndone++] = (uint8_t)self.task;
	s->log->total_steps += self.steps;
	core_lock_grace(k); /* its end may close a grace period */
	core_book_unlock();
	core_task_thread = NULL;
	return NULL;
}

static void start_task(pthread_t *th, struct thread_start *st)
{
	int rc = pthread_create(th, NULL, task_main, st);

	CORE_HARNESS_CHECK(rc == 0, "threads", "cannot start a thread: %s", strerror(rc));
}

void core_sched_threads_run(struct core *k)
{
	struct core_sched *s = k->sched;
	const unsigned n = s->ntasks;
	pthread_t th[CORE_SCHED_MAX_TASKS];
	struct thread_start st[CORE_SCHED_MAX_TASKS];

	for (unsigned i = 0; i < n; i++) {
		st[i] = (struct thread_start){ k, i, s->tasks[i].fn, s->tasks[i].arg,
					       s->schedule * 0x9e3779b97f4a7c15ull + i };
	}
	s->running = 1;
	/* The schedule word only seeds the random yields: the operating system interleaves.
	 * Where the node pool could run short under some interleaving (each op allocates at most
	 * one node per level below the root), the members run in turn (task_main()), as the
	 * harness then asks the coroutine mode to (fuzz/run/group.c). */
	s->in_turn = !core_pt_pool_has_free(&k->pool, (uint64_t)n * (PTD_NR_LEVELS - 1));
	for (unsigned i = 0; i < n; i++) {
		start_task(&th[i], &st[i]);
	}
	for (unsigned i = 0; i < n; i++) {
		CORE_BUG_ON(pthread_join(th[i], NULL) != 0);
	}
	s->running = 0;
}

void core_sched_threads_step(void)
{
	struct core_task_thread *self = core_task_thread;

	if (!self) {
		return;
	}
	self->steps++;
	if (self->k->sched->tasks[self->task].atomic) {
		return; /* a deferred retry runs alone */
	}
	/* Give the CPU away at one step in four (xorshift64), so that on a machine with fewer
	 * CPUs than tasks the ops still interleave in the middle, not only at their ends. */
	self->rng ^= self->rng << 13;
	self->rng ^= self->rng >> 7;
	self->rng ^= self->rng << 17;
	if ((self->rng & 3) == 0) {
		sched_yield();
	}
}

int core_sched_threads_wait(struct core *k, ptd_paddr_t node)
{
	struct core_sched *s = k->sched;
	struct core_task_thread *self = core_task_thread;
	struct core_task *t;
	int again;

	CORE_BUG_ON(!self);
	t = &s->tasks[self->task];
	if (t->atomic) {
		return 0; /* a deferred retry never waits */
	}
	core_book_lock();
	t->state = CORE_TASK_WAITING;
	t->waits_on = node;
	for (;;) {
		if (core_pt_lock_free(k, node)) {
			again = 1;
			break;
		}
		if (!core_sched_acts_for(s, core_pt_lock_owner(k, node))) {
			again = 0; /* held by a cursor no running op will drop: give up */
			break;
		}
		if (lowest_deferred(s) == s->ntasks && others_idle(k, s, self->task)) {
			core_protocol_violation(k, "deadlock",
						"every unfinished cursor op waits for a "
						"lock another one holds (task %u on node 0x%" PRIx64
						")",
						self->task, node);
		}
		poll_pause();
	}
	t->state = CORE_TASK_READY;
	t->waits_on = 0;
	core_book_unlock();
	return again;
}

int core_sched_threads_defer(struct core *k)
{
	struct core_sched *s = k->sched;
	struct core_task_thread *self = core_task_thread;
	struct core_task *t;

	CORE_BUG_ON(!self);
	t = &s->tasks[self->task];
	if (t->atomic) {
		return 0;
	}
	core_book_lock();
	t->state = CORE_TASK_DEFERRED;
	while (lowest_deferred(s) != self->task || !others_idle(k, s, self->task)) {
		poll_pause();
	}
	t->state = CORE_TASK_READY;
	t->atomic = 1;
	core_book_unlock();
	return 1;
}
