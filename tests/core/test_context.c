/* SPDX-License-Identifier: MIT */
/*
 * Execution contexts (core/context.h), the primitive under the scheduler's coroutines: a new
 * context runs its entry on its own stack, ABI-aligned; every switch comes back to where it left
 * with its locals and callee-saved registers intact; each context keeps its own SSE and x87
 * control words (rounding modes).  Run with the x86-64 switch and, in the build matrix, with
 * POSIX ucontext (-DPTDIFF_UCONTEXT=ON).
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "context.h"

#define STACK_SIZE (256u * 1024u)

static struct core_context main_ctx, task_ctx;
static unsigned char *task_stack;

/* What the task saw, for the test on the main stack to check. */
static struct {
	uintptr_t local_addr;
	int aligned;
	unsigned rounds;
	uint64_t sum;
	int sum_kept;
#ifdef __x86_64__
	uint32_t mxcsr_at_start, mxcsr_after;
	uint16_t fpu_cw_at_start, fpu_cw_after;
#endif
} seen;

static void new_task(void (*entry)(void))
{
	task_stack = malloc(STACK_SIZE);
	CHECK(task_stack != NULL);
	seen = (__typeof__(seen)){ 0 };
	core_context_make(&task_ctx, task_stack, STACK_SIZE, entry);
}

/* Back to the test for good: a context's entry never returns.  Not declared _Noreturn: under
 * AddressSanitizer a call to a noreturn function first clears the whole stack's shadow, which
 * it refuses (with a warning) on a stack it was not told of, as the scheduler tells it. */
static void task_exit(void)
{
	core_context_switch(&task_ctx, &main_ctx);
	abort(); /* never resumed */
}

static void end_task(void)
{
	free(task_stack);
	task_stack = NULL;
}

static void where_entry(void)
{
	/* The ABI's 16-byte alignment: the compiler places this without realigning the stack. */
	_Alignas(16) volatile unsigned char local[16] = { 1 };

	seen.local_addr = (uintptr_t)local;
	seen.aligned = ((uintptr_t)local & 15) == 0 && local[0] == 1;
	task_exit();
}

TEST(context_runs_its_entry_on_its_own_stack_aligned)
{
	new_task(where_entry);
	core_context_switch(&main_ctx, &task_ctx);
	CHECK(seen.local_addr >= (uintptr_t)task_stack);
	CHECK(seen.local_addr < (uintptr_t)task_stack + STACK_SIZE);
	CHECK(seen.aligned);
	end_task();
}

#define ROUNDS 1000u

/* Sums 1..ROUNDS in a local, switching back after each step, and checks the local survived. */
static void ping_entry(void)
{
	uint64_t sum = 0;
	volatile uint64_t twin = 0; /* in memory, on this stack */

	for (unsigned i = 1; i <= ROUNDS; i++) {
		sum += i;
		twin += i;
		seen.rounds = i;
		core_context_switch(&task_ctx, &main_ctx);
	}
	seen.sum = sum;
	seen.sum_kept = sum == twin;
	task_exit();
}

TEST(context_switches_back_and_forth_keeping_both_sides_locals)
{
	volatile uint64_t mine = 0x5eed;
	uint64_t reg = 7;

	new_task(ping_entry);
	for (unsigned i = 1; i <= ROUNDS; i++) {
		core_context_switch(&main_ctx, &task_ctx);
		CHECK_EQ(seen.rounds, i);
		reg = reg * 31 +
		      i; /* live across the switches, likely in a callee-saved register */
		mine += i;
	}
	core_context_switch(&main_ctx, &task_ctx); /* the task finishes */
	CHECK_EQ(seen.sum, (uint64_t)ROUNDS * (ROUNDS + 1) / 2);
	CHECK(seen.sum_kept);
	CHECK_EQ(mine, 0x5eed + (uint64_t)ROUNDS * (ROUNDS + 1) / 2);
	{
		uint64_t want = 7;

		for (unsigned i = 1; i <= ROUNDS; i++)
			want = want * 31 + i;
		CHECK_EQ(reg, want);
	}
	end_task();
}

#ifdef __x86_64__
#include <xmmintrin.h>

static uint16_t fpu_cw(void)
{
	uint16_t cw;

	__asm__ volatile("fnstcw %0" : "=m"(cw));
	return cw;
}

static void set_fpu_cw(uint16_t cw)
{
	__asm__ volatile("fldcw %0" : : "m"(cw));
}

#define ROUND_MASK_SSE 0x6000u /* MXCSR bits 13-14 */
#define ROUND_MASK_X87 0x0c00u /* control word bits 10-11 */

/* Starts with the modes it was made with, then sets its own and checks they stay its own. */
static void rounding_entry(void)
{
	seen.mxcsr_at_start = _mm_getcsr();
	seen.fpu_cw_at_start = fpu_cw();
	_mm_setcsr((_mm_getcsr() & ~ROUND_MASK_SSE) | 0x2000u); /* toward -infinity */
	set_fpu_cw((uint16_t)((fpu_cw() & ~ROUND_MASK_X87) | 0x0400u));
	core_context_switch(&task_ctx, &main_ctx);
	seen.mxcsr_after = _mm_getcsr();
	seen.fpu_cw_after = fpu_cw();
	task_exit();
}

TEST(context_keeps_each_sides_rounding_modes)
{
	uint32_t csr = _mm_getcsr();
	uint16_t cw = fpu_cw();

	new_task(rounding_entry);
	/* The test's own modes change only after the task was made: toward +infinity. */
	_mm_setcsr((csr & ~ROUND_MASK_SSE) | 0x4000u);
	set_fpu_cw((uint16_t)((cw & ~ROUND_MASK_X87) | 0x0800u));
	core_context_switch(&main_ctx, &task_ctx);
	CHECK_EQ(seen.mxcsr_at_start & ROUND_MASK_SSE, 0); /* to nearest, as made */
	CHECK_EQ(seen.fpu_cw_at_start & ROUND_MASK_X87, 0);
	CHECK_EQ(_mm_getcsr() & ROUND_MASK_SSE, 0x4000u); /* the task's modes stayed with it */
	CHECK_EQ(fpu_cw() & ROUND_MASK_X87, 0x0800u);
	core_context_switch(&main_ctx, &task_ctx);
	CHECK_EQ(seen.mxcsr_after & ROUND_MASK_SSE, 0x2000u);
	CHECK_EQ(seen.fpu_cw_after & ROUND_MASK_X87, 0x0400u);
	CHECK_EQ(_mm_getcsr() & ROUND_MASK_SSE, 0x4000u);
	_mm_setcsr(csr);
	set_fpu_cw(cw);
	end_task();
}
#define ROUNDING_TEST PTD_TEST_ENTRY(context_keeps_each_sides_rounding_modes),
#else
#define ROUNDING_TEST
#endif

PTD_TEST_MAIN(PTD_TEST_ENTRY(context_runs_its_entry_on_its_own_stack_aligned),
	      PTD_TEST_ENTRY(context_switches_back_and_forth_keeping_both_sides_locals),
	      ROUNDING_TEST)
