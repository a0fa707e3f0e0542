/* SPDX-License-Identifier: MIT */
/*
 * The deterministic scheduler of concurrent cursor ops (docs/CONCURRENCY.md).  A group of up to
 * CORE_SCHED_MAX_TASKS ops runs as that many coroutines on their own stacks (context.h).
 * Each op yields at every step another CPU could interleave with in OSTD: a lock-free PTE read
 * on the walk to the guard node, each lock acquired, waited for or released, each PTE stored,
 * each node freed.  At every yield the scheduler picks the next task from the schedule word, so
 * the same input replays the same interleaving.
 *
 * Outside a group (core->sched NULL or not running) every hook is a no-op, and a lock held by
 * another cursor can never be released while the op waits: the op is refused at once.
 *
 * Threads (ptd_config.group_threads, ptdiff-stress; scheduler_threads.c): the same tasks run on
 * POSIX threads instead, interleaved by the operating system.  The hooks keep their meaning
 * (wait, give up, defer, grace periods), steps are not recorded, and core's bookkeeping outside
 * the page tables (slot metadata, the node pool, handle registries, the retired list) is
 * serialised by one lock, core_book_lock(); PTEs and node locks are atomics, so a page-table
 * access the protocol does not order is a data race ThreadSanitizer reports.
 */
#ifndef PTDIFF_CORE_SCHEDULER_H
#define PTDIFF_CORE_SCHEDULER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "context.h"
#include "ptdiff/group.h"
#include "ptdiff/types.h"

struct core;

#define CORE_SCHED_MAX_TASKS PTD_GROUP_MEMBERS
/* DEFERRED: gave up on a lock and waits until every other task has ended or is deferred. */
enum core_task_state { CORE_TASK_READY = 0, CORE_TASK_WAITING, CORE_TASK_DEFERRED, CORE_TASK_DONE };

struct core_task {
	struct core_context ctx;
	void *stack;
	enum core_task_state state;
	int begun;            /* has taken its first step */
	ptd_paddr_t waits_on; /* CORE_TASK_WAITING: the node whose lock it needs */
	int give_up;          /* the scheduler decided nobody will release waits_on */
	int atomic;           /* resumed after deferral: runs to its end, never yields or waits */
	void (*fn)(struct core *k, unsigned task, void *arg);
	void *arg;
	void *fake_stack; /* AddressSanitizer's fiber bookkeeping */
	ptd_id_t acting;  /* core->acting while this task runs */
};

struct core_sched {
	struct core_context main;
	const void *main_stack_bottom;
	size_t main_stack_size;
	void *main_fake_stack;

	struct core_task tasks[CORE_SCHED_MAX_TASKS];
	unsigned ntasks;
	unsigned current;
	int running; /* inside core_sched_run() */

	/* The schedule word: each decision takes its low 2 bits (0: keep the current task if it
	 * can run, k: the k-th other runnable task), then shifts; 0 = run each op to its end in
	 * order. */
	uint64_t schedule;
	/* The task a step picked on its own stack to run next (another one: yield_step()), for
	 * the scheduler loop to switch to instead of picking again. */
	unsigned picked;
	int has_pick;

	/* What the group did: steps, order of completion, nodes allocated (include/ptdiff/group.h). */
	struct ptd_group_log *log;

	/* Threads (scheduler_threads.c): task states, the log's order and the bookkeeping of core are
	 * guarded by mu (core_book_lock(), which nests). */
	int threads;
	int in_turn; /* schedule 0: each task begins when the earlier ones cannot go on */
	pthread_mutex_t mu;
};

/*
 * The task a thread runs in threaded mode (NULL on every other thread, and always in the
 * coroutine mode): its scheduler, its index, the cursor it acts for.
 */
struct core_task_thread {
	struct core *k;
	unsigned task;
	ptd_id_t acting;
	uint64_t rng;        /* xorshift state for the random yields of core_sched_step() */
	uint64_t steps;      /* steps taken, added to the log at the end */
	unsigned book_depth; /* core_book_lock() calls not yet matched by an unlock */
};
extern _Thread_local struct core_task_thread *core_task_thread;

/**
 * core_sched_create() - Scheduler with CORE_SCHED_MAX_TASKS stacks, or (@threads) one that
 * runs groups on POSIX threads; NULL when memory runs out.
 */
struct core_sched *core_sched_create(int threads);
void core_sched_destroy(struct core_sched *s);

/**
 * core_sched_run() - Run @n tasks, task i calling @fn(@k, i, @arg), interleaved by @schedule,
 * until every task has returned.  Records in *@log the steps, the order in which tasks
 * finished and the nodes each allocated.
 */
void core_sched_run(struct core *k, unsigned n,
		    void (*fn)(struct core *k, unsigned task, void *arg), void *arg,
		    uint64_t schedule, struct ptd_group_log *log);

/**
 * core_sched_defer() - The current task gave up on a lock (core_sched_wait() returned 0) and
 * released what it held: inside a group it is deferred until every other task has ended or is
 * deferred too, then resumed to run to its end without yielding or waiting, so that its retry
 * sees the state after the others, as a sequential order with it last would.
 * Return: 1 when the caller should retry (resumed), 0 outside a group or when already atomic.
 */
int core_sched_defer(struct core *k);

/** core_sched_note_alloc() - The current task allocated the node at slot @idx (no-op outside). */
void core_sched_note_alloc(struct core *k, uint64_t idx);

/**
 * core_sched_step() - Record a step of the current task and let the scheduler switch tasks.
 * A no-op outside core_sched_run().
 */
void core_sched_step(struct core *k, enum ptd_step_kind kind, unsigned level, ptd_paddr_t node,
		     unsigned index);

/**
 * core_sched_wait() - The current task needs the lock of @node (level @level), which another
 * cursor holds.
 * Return: 1 when the task should try again (it was resumed after the scheduler saw the lock
 * free), 0 when nothing can release the lock (outside a group, or every other task is done or
 * waiting too): the caller gives up.
 */
int core_sched_wait(struct core *k, ptd_paddr_t node, unsigned level);

/**
 * core_sched_others_running() - Bit t set for every task other than the current one that has
 * begun its op and not ended it (0 outside a group).
 */
unsigned core_sched_others_running(const struct core *k);

/** core_sched_self_running() - Bit of the current task if it is running its op, else 0. */
unsigned core_sched_self_running(const struct core *k);

/**
 * core_acting() - The cursor whose op the calling task runs (0 outside cursor ops): pt_lock.h
 * checks its stores against the locks it holds.  core_set_acting() changes it.
 */
void core_set_acting(struct core *k, ptd_id_t id); /* core_acting() is in core.h */

/*
 * core_book_lock() / core_book_unlock() - Serialise core's bookkeeping outside the page tables
 * (slot metadata, node pool, registries, retired nodes) between the threads of a threaded
 * group; no-ops on any other thread.  They nest.
 */
void core_book_lock_slow(struct core_task_thread *self);
void core_book_unlock_slow(struct core_task_thread *self);

static inline void core_book_lock(void)
{
	if (core_task_thread) {
		core_book_lock_slow(core_task_thread);
	}
}

static inline void core_book_unlock(void)
{
	if (core_task_thread) {
		core_book_unlock_slow(core_task_thread);
	}
}

/** core_sched_acts_for() - Whether an unfinished task acts for cursor @id (it may release
 * that cursor's locks). */
int core_sched_acts_for(const struct core_sched *s, ptd_id_t id);

/** core_sched_note_running() - A task began: update the log's max_running. */
void core_sched_note_running(struct core_sched *s);

/* The threaded mode's halves of the hooks above (scheduler_threads.c); scheduler.c dispatches. */
/* core_sched_threads_run() - Run the tasks core_sched_run() set up, on threads. */
void core_sched_threads_run(struct core *k);
int core_sched_threads_wait(struct core *k, ptd_paddr_t node);
int core_sched_threads_defer(struct core *k);
void core_sched_threads_step(void);

#endif /* PTDIFF_CORE_SCHEDULER_H */
