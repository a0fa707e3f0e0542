/* SPDX-License-Identifier: MIT */
/*
 * The two ways core/ stops a run, kept apart:
 *   CORE_BUG_ON(cond)       an impossible state inside core (rc underflow, a PTE at the wrong
 *                           level, a corrupt node): a bug in the code under test.
 *   core_harness_error()    (or CORE_HARNESS_CHECK(cond, ...)) the caller broke the interface (dead or out-of-range handle id,
 *                           a prop outside the model, no memory for node storage): never a
 *                           divergence.  (An exhausted page-table pool is no longer one:
 *                           POLICY §2 makes it ERR_WOULD_PANIC, checked before any change.)
 * Both print a readable line, then one stable "ASSERTION FAILURE:" signature, and abort().
 * Neither is assert(): NDEBUG must not remove them.
 */
#ifndef PTDIFF_CORE_DIAG_H
#define PTDIFF_CORE_DIAG_H

#if defined(__GNUC__) || defined(__clang__)
#define CORE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CORE_PRINTF(f, a)
#endif

/**
 * core_bug() - Report an impossible state inside core and abort.
 * @func: function that detected it (part of the signature line)
 * @file, @line: where
 * @cond: the failed condition as text
 */
_Noreturn void core_bug(const char *func, const char *file, int line, const char *cond);

/**
 * core_harness_error() - Report that the harness broke core's interface, and abort.
 * @what: short stable name for the signature line ("dead-handle", "bad-prop", ...)
 * @fmt: printf-style details for the human-readable line
 */
_Noreturn void core_harness_error(const char *what, const char *fmt, ...) CORE_PRINTF(2, 3);

/**
 * core_protocol_violation() - A cursor broke the page-table locking protocol (it changed a node
 * it has not locked, reached a freed node, released a lock it does not hold): a core bug with
 * the signature "protocol-@what", and abort.  Inside a concurrent group the steps taken so far
 * are printed first.
 */
struct core;
_Noreturn void core_protocol_violation(const struct core *k, const char *what, const char *fmt, ...)
	CORE_PRINTF(3, 4);

#define CORE_BUG_ON(cond)                                              \
	do {                                                           \
		if (cond)                                              \
			core_bug(__func__, __FILE__, __LINE__, #cond); \
	} while (0)

/* CORE_HARNESS_CHECK(cond, what, fmt, ...) - core_harness_error() unless @cond holds. */
#define CORE_HARNESS_CHECK(cond, ...)                    \
	do {                                             \
		if (!(cond))                             \
			core_harness_error(__VA_ARGS__); \
	} while (0)

/* CORE_PROTOCOL_CHECK(k, cond, what, fmt, ...) - core_protocol_violation() unless @cond holds. */
#define CORE_PROTOCOL_CHECK(k, cond, ...)                          \
	do {                                                       \
		if (!(cond))                                       \
			core_protocol_violation((k), __VA_ARGS__); \
	} while (0)

#endif /* PTDIFF_CORE_DIAG_H */
