/* SPDX-License-Identifier: MIT */
/* Execution contexts (context.h): the x86-64 switch, or POSIX ucontext. */
#include "context.h"

#include <stdint.h>

#include "diag.h"

#ifdef CORE_CONTEXT_ASM

/*
 * What core_context_switch() leaves on the stack it switches away from, lowest address first:
 * the SSE and x87 control words, then the callee-saved registers of the System V ABI in the
 * reverse order of their pushes, then the switch's return address.  A new context is this
 * frame built by hand, returning to its entry function.
 */
struct switch_frame {
	uint32_t mxcsr;
	uint16_t fpu_cw;
	uint16_t unused;
	uint64_t r15, r14, r13, r12, rbx, rbp;
	void (*resume)(void);
	void *entry_return; /* the entry function's own return address: it never returns */
};

_Static_assert(sizeof(struct switch_frame) == 72, "the frame the switch pushes and pops");

void core_context_make(struct core_context *c, void *stack, size_t size, void (*entry)(void))
{
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	struct switch_frame *f = (struct switch_frame *)(top - sizeof *f);

	/* At a function's first instruction the stack pointer is 8 below a multiple of 16 (the
	 * call pushed the return address): entry starts with it on entry_return. */
	CORE_BUG_ON(((uintptr_t)&f->entry_return & 15) != 8);
	*f = (struct switch_frame){
		.mxcsr = 0x1f80, /* the ABI's initial values: round to nearest, exceptions masked */
		.fpu_cw = 0x037f,
		.resume = entry,
	};
	c->sp = f;
}

/* from in %rdi, to in %rsi.  Naked: the compiler adds no prologue, so the pushes below are the
 * whole frame, and no sanitizer or coverage instrumentation. */
__attribute__((naked, noinline)) void core_context_switch(struct core_context *from
							  __attribute__((unused)),
							  struct core_context *to
							  __attribute__((unused)))
{
	__asm__("pushq %rbp\n\t"
		"pushq %rbx\n\t"
		"pushq %r12\n\t"
		"pushq %r13\n\t"
		"pushq %r14\n\t"
		"pushq %r15\n\t"
		"subq $8, %rsp\n\t"
		"stmxcsr (%rsp)\n\t"
		"fnstcw 4(%rsp)\n\t"
		"movq %rsp, (%rdi)\n\t"
		"movq (%rsi), %rsp\n\t"
		"ldmxcsr (%rsp)\n\t"
		"fldcw 4(%rsp)\n\t"
		"addq $8, %rsp\n\t"
		"popq %r15\n\t"
		"popq %r14\n\t"
		"popq %r13\n\t"
		"popq %r12\n\t"
		"popq %rbx\n\t"
		"popq %rbp\n\t"
		"ret\n\t");
}

#else /* POSIX ucontext */

void core_context_make(struct core_context *c, void *stack, size_t size, void (*entry)(void))
{
	CORE_BUG_ON(getcontext(&c->uc) != 0);
	c->uc.uc_stack.ss_sp = stack;
	c->uc.uc_stack.ss_size = size;
	c->uc.uc_link = NULL;
	makecontext(&c->uc, entry, 0);
#ifdef CORE_ASAN
	/*
	 * AddressSanitizer's swapcontext interceptor clears the shadow of the target context's
	 * whole stack (uc_stack) at every switch: for a task, 512 KiB of stack, an mmap of 64 KiB
	 * of shadow and the page faults that refill it at every resume, which took a quarter of
	 * the main job's time; it would also forget the redzones of the suspended task's live
	 * frames.  makecontext() has already put the stack pointer into the context, and
	 * swapcontext() reads only the saved registers, so uc_stack is emptied after it: the
	 * interceptor then clears nothing.  The scheduler keeps the shadow right itself
	 * (scheduler.c, switch_to_main()).
	 */
	c->uc.uc_stack.ss_sp = NULL;
	c->uc.uc_stack.ss_size = 0;
#endif
}

void core_context_switch(struct core_context *from, struct core_context *to)
{
	CORE_BUG_ON(swapcontext(&from->uc, &to->uc) != 0);
}

#endif
