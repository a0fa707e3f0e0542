/* SPDX-License-Identifier: MIT */
/*
 * Execution contexts for the scheduler's coroutines (scheduler.c): a context is a stack pointer
 * and the registers a call preserves, so switching is a function call that returns on another
 * stack.  On x86-64 the switch is a dozen instructions (context.c); POSIX ucontext is the
 * fallback elsewhere, or with -DPTDIFF_UCONTEXT=ON.  glibc's swapcontext() saves and restores
 * the signal mask with a system call at every switch, which cost 6 % of the main job's time
 * (docs/PERFORMANCE.md); no ptdiff code changes the signal mask or the floating-point
 * environment between switches, and the x86-64 switch saves both control words regardless.
 *
 * Not thread-safe in the sense that a context belongs to the one thread that switches to it;
 * the threaded mode (scheduler_threads.c) uses no contexts.
 */
#ifndef PTDIFF_CORE_CONTEXT_H
#define PTDIFF_CORE_CONTEXT_H

#include <stddef.h>

/* Whether AddressSanitizer instruments this build (gcc defines the macro, clang the feature):
 * it must be told of every change of stacks (scheduler.c) and kept from clearing a task's
 * shadow at every ucontext switch (context.c). */
#if defined(__SANITIZE_ADDRESS__)
#define CORE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORE_ASAN 1
#endif
#endif

#if defined(__x86_64__) && !defined(PTDIFF_UCONTEXT)
#define CORE_CONTEXT_ASM 1
struct core_context {
	void *sp; /* the saved registers are on the stack it points into */
};
#else
#include <ucontext.h>
struct core_context {
	ucontext_t uc;
};
#endif

/* Prepares @c to run @entry on [stack, stack + size) at the first switch to it.  @entry must
 * never return: it ends by switching away for good. */
void core_context_make(struct core_context *c, void *stack, size_t size, void (*entry)(void));

/* Saves the running context into @from and resumes @to; returns when something switches back
 * to @from. */
void core_context_switch(struct core_context *from, struct core_context *to);

#endif
