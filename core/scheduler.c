/* SPDX-License-Identifier: MIT */
/*
 * Coroutines for concurrent cursor ops (scheduler.h).  One context (context.h) per task on its own
 * stack; the scheduler runs on the caller's stack and regains control at every step.  Under
 * AddressSanitizer every switch is announced (__sanitizer_start/finish_switch_fiber), so stack
 * accesses on a task's stack are not taken for overflows of the caller's.
 */
#include "scheduler.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "diag.h"
#include "locking.h"
#include "pt_lock.h"

#ifdef CORE_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define CORE_TASK_STACK (512u * 1024u) /* instrumented frames are large */
/* Below switch_to_main()'s frame address: its own frame and what it calls (the switch). */
#define CORE_TASK_FRAME_SLACK 4096
#else
#define CORE_TASK_STACK (128u * 1024u)
#endif

struct core_sched *core_sched_create(int threads)
{
	struct core_sched *s = calloc(1, sizeof *s);

	if (!s) {
		return NULL;
	}
	if (threads) {
		s->threads = 1;
		CORE_BUG_ON(pthread_mutex_init(&s->mu, NULL) != 0);
		return s; /* threads bring their own stacks */
	}
	for (unsigned i = 0; i < CORE_SCHED_MAX_TASKS; i++) {
		s->tasks[i].stack = malloc(CORE_TASK_STACK);
		if (!s->tasks[i].stack) {
			core_sched_destroy(s);
			return NULL;
		}
	}
	return s;
}

void core_sched_destroy(struct core_sched *s)
{
	if (!s) {
		return;
	}
	if (s->threads) {
		pthread_mutex_destroy(&s->mu);
	}
	for (unsigned i = 0; i < CORE_SCHED_MAX_TASKS; i++) {
		free(s->tasks[i].stack);
	}
	free(s);
}

/* The scheduler whose tasks are running (the deterministic mode runs one group at a time, on
 * one thread; a context's entry takes no argument, as makecontext cannot pass a pointer
 * portably). */
static struct core *running_core;

/* Switch from the scheduler to task t, and back when it yields. */
static void switch_to_task(struct core_sched *s, unsigned t)
{
	s->current = t;
#ifdef CORE_ASAN
	__sanitizer_start_switch_fiber(&s->main_fake_stack, s->tasks[t].stack, CORE_TASK_STACK);
#endif
	core_context_switch(&s->main, &s->tasks[t].ctx);
#ifdef CORE_ASAN
	__sanitizer_finish_switch_fiber(s->main_fake_stack, NULL, NULL);
#endif
}

/* Switch from the current task back to the scheduler; @finished: it never resumes. */
static void switch_to_main(struct core_sched *s, int finished)
{
	struct core_task *t = &s->tasks[s->current];

#ifdef CORE_ASAN
	/* The frames from here to the stack's top never return, so their redzones stay poisoned:
	 * clear them, or the next task on this stack meets them.  Every other frame on a task's
	 * stack clears its shadow when it returns, so each task starts on clean shadow (nothing
	 * else clears it: core_context_make()). */
	if (finished) {
		char *top = (char *)t->stack + CORE_TASK_STACK;
		char *from = (char *)__builtin_frame_address(0) - CORE_TASK_FRAME_SLACK;

		if (from < (char *)t->stack) {
			from = t->stack;
		}
		__asan_unpoison_memory_region(from, (size_t)(top - from));
	}
	__sanitizer_start_switch_fiber(finished ? NULL : &t->fake_stack, s->main_stack_bottom,
				       s->main_stack_size);
#else
	(void)finished;
#endif
	core_context_switch(&t->ctx, &s->main);
#ifdef CORE_ASAN
	__sanitizer_finish_switch_fiber(t->fake_stack, &s->main_stack_bottom, &s->main_stack_size);
#endif
}

void core_sched_note_running(struct core_sched *s)
{
	unsigned n = 0;

	for (unsigned t = 0; t < s->ntasks; t++) {
		n += s->tasks[t].begun && s->tasks[t].state != CORE_TASK_DONE;
	}
	if (n > s->log->max_running) {
		s->log->max_running = n;
	}
}

static void task_entry(void)
{
	struct core *k = running_core;
	struct core_sched *s = k->sched;
	unsigned t = s->current;

#ifdef CORE_ASAN
	__sanitizer_finish_switch_fiber(NULL, &s->main_stack_bottom, &s->main_stack_size);
#endif
	s->tasks[t].begun = 1;
	core_sched_note_running(s);
	core_sched_step(k, PTD_STEP_BEGIN, 0, 0, 0);
	s->tasks[t].fn(k, t, s->tasks[t].arg);
	core_sched_step(k, PTD_STEP_END, 0, 0, 0);
	s->tasks[t].state = CORE_TASK_DONE;
	s->log->order[s->log->ndone++] = (uint8_t)t;
	switch_to_main(s, 1);
	CORE_BUG_ON(1); /* a finished task is never resumed */
}

static int runnable(struct core *k, const struct core_task *t)
{
	if (t->state == CORE_TASK_WAITING) {
		return core_pt_lock_free(k, t->waits_on);
	}
	return t->state == CORE_TASK_READY;
}

int core_sched_acts_for(const struct core_sched *s, ptd_id_t id)
{
	for (unsigned t = 0; t < s->ntasks; t++) {
		if (s->tasks[t].state != CORE_TASK_DONE && s->tasks[t].acting == id) {
			return 1;
		}
	}
	return 0;
}

/*
 * The next task to run: decision d = the schedule's low 2 bits; 0 keeps the current task when
 * it can run, d > 0 takes the d-th runnable task after it (cyclically).  When no task can run,
 * every unfinished task waits for a lock that only a cursor outside the running ops (or a task
 * that waits too) holds: the lowest such task gives up.
 */
static unsigned pick(struct core *k, struct core_sched *s)
{
	unsigned d = (unsigned)(s->schedule & 3u);
	unsigned n = s->ntasks, t = s->current;

	s->schedule >>= 2;
	for (unsigned step = 0; step < n; step++, t = (t + 1) % n) {
		if (!runnable(k, &s->tasks[t])) {
			continue;
		}
		if (!d) {
			return t;
		}
		d--;
	}
	/* d ran past the runnable tasks: wrap to the first runnable one after the current. */
	for (unsigned step = 1; step <= n; step++) {
		t = (s->current + step) % n;
		if (runnable(k, &s->tasks[t])) {
			return t;
		}
	}
	/* Nobody can run: a task waiting for a cursor that no unfinished task acts for waits
	 * forever (OSTD would block until that cursor is dropped): it gives up.  A task waiting
	 * for another waiting task waits on, since that one may give up and release. */
	for (t = 0; t < n; t++) {
		if (s->tasks[t].state == CORE_TASK_WAITING &&
		    !core_sched_acts_for(s, core_pt_lock_owner(k, s->tasks[t].waits_on))) {
			s->tasks[t].give_up = 1;
			return t;
		}
	}
	/* Nobody else can run or give up: the deferred tasks go on, lowest first, each to its end
	 * without yielding (core_sched_defer()). */
	for (t = 0; t < n; t++) {
		if (s->tasks[t].state == CORE_TASK_DEFERRED) {
			s->tasks[t].state = CORE_TASK_READY;
			s->tasks[t].atomic = 1;
			return t;
		}
	}
	/* Every waiting task waits for another: the protocol's lock order was broken. */
	core_protocol_violation(k, "deadlock",
				"every unfinished cursor op waits for a lock another "
				"one holds (first: task %u on node 0x%" PRIx64 ")",
				s->current, s->tasks[s->current].waits_on);
}

/* Task t runs next: a waiting task it was picked for may take its lock now (unless it was
 * picked to give up); core acts for t's cursor. */
static void resume_as(struct core *k, struct core_sched *s, unsigned t)
{
	if (s->tasks[t].state == CORE_TASK_WAITING && !s->tasks[t].give_up) {
		s->tasks[t].state = CORE_TASK_READY;
	}
	k->acting = s->tasks[t].acting;
}

/*
 * The decision after a step, taken on the running task's stack: the same pick() the scheduler
 * loop would make, in the same order, so a schedule means what it did.  When it picks this
 * task again (most steps: after its few early switches a schedule runs each member until it
 * waits) the task goes on without the round trip through the scheduler, two context switches
 * that were most of a group's cost; otherwise the scheduler switches to the picked one.
 */
static void yield_step(struct core *k, struct core_sched *s)
{
	unsigned cur = s->current, t;

	s->tasks[cur].acting = k->acting;
	t = pick(k, s);
	if (t == cur) {
		resume_as(k, s, t);
		return;
	}
	s->picked = t;
	s->has_pick = 1;
	switch_to_main(s, 0);
}

void core_sched_run(struct core *k, unsigned n,
		    void (*fn)(struct core *k, unsigned task, void *arg), void *arg,
		    uint64_t schedule, struct ptd_group_log *log)
{
	struct core_sched *s = k->sched;

	CORE_BUG_ON(!s || s->running || n == 0 || n > CORE_SCHED_MAX_TASKS);
	s->ntasks = n;
	s->current = 0;
	s->schedule = schedule;
	memset(log, 0, sizeof *log);
	s->log = log;
	for (unsigned i = 0; i < n; i++) {
		struct core_task *t = &s->tasks[i];

		t->state = CORE_TASK_READY;
		t->begun = 0;
		t->waits_on = 0;
		t->give_up = 0;
		t->atomic = 0;
		t->fn = fn;
		t->arg = arg;
		t->acting = 0;
	}
	if (s->threads) {
		core_sched_threads_run(k);
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		struct core_task *t = &s->tasks[i];

		t->fake_stack = NULL;
		core_context_make(&t->ctx, t->stack, CORE_TASK_STACK, task_entry);
	}
	running_core = k;
	s->running = 1;
	s->has_pick = 0;
	while (log->ndone < n) {
		unsigned t = s->has_pick ? s->picked : pick(k, s);

		s->has_pick = 0;
		resume_as(k, s, t);
		switch_to_task(s, t);
		s->tasks[t].acting = k->acting;
		if (s->tasks[t].state == CORE_TASK_DONE) {
			core_lock_grace(k); /* its end may close a grace period */
		}
	}
	k->acting = 0;
	s->running = 0;
	running_core = NULL;
}

/* The task the caller runs: its thread's in threaded mode, else the one switched to. */
static unsigned current_task(const struct core_sched *s)
{
	return core_task_thread ? core_task_thread->task : s->current;
}

unsigned core_sched_others_running(const struct core *k)
{
	const struct core_sched *s = k->sched;
	unsigned mask = 0, cur;

	if (!s || !s->running) {
		return 0;
	}
	core_book_lock(); /* threaded: task states change under the lock */
	cur = current_task(s);
	for (unsigned t = 0; t < s->ntasks; t++) {
		if (t != cur && s->tasks[t].begun && s->tasks[t].state != CORE_TASK_DONE) {
			mask |= 1u << t;
		}
	}
	core_book_unlock();
	return mask;
}

unsigned core_sched_self_running(const struct core *k)
{
	const struct core_sched *s = k->sched;
	unsigned cur, mask;

	if (!s || !s->running) {
		return 0;
	}
	core_book_lock();
	cur = current_task(s);
	mask = s->tasks[cur].state == CORE_TASK_DONE ? 0 : 1u << cur;
	core_book_unlock();
	return mask;
}

void core_set_acting(struct core *k, ptd_id_t id)
{
	if (core_task_thread) {
		/* Other tasks read it (core_sched_acts_for()) to decide whether a lock can be released. */
		core_book_lock();
		core_task_thread->acting = id;
		k->sched->tasks[core_task_thread->task].acting = id;
		core_book_unlock();
		return;
	}
	k->acting = id;
}

void core_sched_step(struct core *k, enum ptd_step_kind kind, unsigned level, ptd_paddr_t node,
		     unsigned index)
{
	struct core_sched *s = k->sched;

	if (!s || !s->running) {
		return;
	}
	if (s->threads) {
		core_sched_threads_step();
		return;
	}
	if (s->log->nsteps < PTD_GROUP_STEPS) {
		s->log->steps[s->log->nsteps++] = (struct ptd_group_step){
			.member = (uint8_t)s->current,
			.kind = (uint8_t)kind,
			.level = (uint8_t)level,
			.index = index,
			.node = node,
		};
	}
	s->log->total_steps++;
	if (kind != PTD_STEP_END && !s->tasks[s->current].atomic) {
		yield_step(k, s);
	}
}

int core_sched_defer(struct core *k)
{
	struct core_sched *s = k->sched;
	struct core_task *t;

	if (!s || !s->running) {
		return 0;
	}
	if (s->threads) {
		return core_sched_threads_defer(k);
	}
	if (s->tasks[s->current].atomic) {
		return 0;
	}
	t = &s->tasks[s->current];
	t->state = CORE_TASK_DEFERRED;
	switch_to_main(s, 0);
	return 1;
}

void core_sched_note_alloc(struct core *k, uint64_t idx)
{
	struct core_sched *s = k->sched;
	struct ptd_group_log *log;
	unsigned t;

	if (!s || !s->running) {
		return;
	}
	/* Threaded: each task writes only its own row. */
	log = s->log;
	t = current_task(s);
	CORE_BUG_ON(log->nallocs[t] >= PTD_GROUP_NODE_ALLOCS);
	log->allocs[t][log->nallocs[t]++] = idx;
}

int core_sched_wait(struct core *k, ptd_paddr_t node, unsigned level)
{
	struct core_sched *s = k->sched;
	struct core_task *t;

	if (!s || !s->running) {
		return 0;
	}
	if (s->threads) {
		return core_sched_threads_wait(k, node);
	}
	t = &s->tasks[s->current];
	if (t->atomic) {
		return 0; /* a deferred retry never waits */
	}
	t->state = CORE_TASK_WAITING;
	t->waits_on = node;
	core_sched_step(k, PTD_STEP_WAIT, level, node, 0);
	if (t->give_up) {
		t->give_up = 0;
		t->state = CORE_TASK_READY;
		core_sched_step(k, PTD_STEP_GIVE_UP, level, node, 0);
		return 0;
	}
	return 1;
}
