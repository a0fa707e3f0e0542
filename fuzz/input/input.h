/* SPDX-License-Identifier: MIT */
/*
 * Reading inputs: a file as bytes or, for *.ops, as text assembled to bytes; the text form's
 * assembler line by line; the inputs under a folder in a fixed order; and output files that
 * are never overwritten unless asked.  Every failure is a message, never a crash.
 */
#ifndef PTDIFF_FUZZ_INPUT_H
#define PTDIFF_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include "geometry.h"

/* Inputs larger than this are refused: an input is at most PTD_MAX_OPS ops of a few dozen
 * bytes, so anything this big is not an op stream. */
#define PTD_INPUT_MAX (1u << 24)

/* Reads a whole regular file into a malloc'ed buffer.  Returns 0, or -1 with errno-style text
 * in err. */
int ptd_read_file(const char *path, uint8_t **data, size_t *size, char *err, size_t errlen);

/* Reads one input as the bytes the fuzz targets run: a file named *.ops is the text form of an
 * op stream (rawop_text.h, as ptdiff-asm reads it) and is assembled; any other file is the bytes
 * themselves.  The suffix decides, as in corpus/ (ops/NAME.ops beside bin/NAME).  Returns 0, or
 * -1 with a message in err (a text line that does not parse is named by file and line). */
int ptd_read_input(const char *path, uint8_t **data, size_t *size, char *err, size_t errlen);

/* Assembles the text form line by line: out[0..cap) receives the bytes, len how many so far. */
struct ptd_assembler {
	const char *name; /* for messages */
	uint8_t *out;
	size_t cap, len;
	unsigned lineno, nops;
	/* The last Together: its line, its count as written, its members (the count, at most
	 * PTD_GROUP_MEMBERS) and how many of them are still to come. */
	uint64_t group_count;
	unsigned group_line, group_size, group_due;
};

/*
 * Adds one line (with or without its '\n').  Returns 0, or -1 with "NAME:LINE: why" in err.
 * Inside a Together's count only ops that can be members (ptd_op_is_member()) are accepted:
 * in bytes any other op there would decode as some member op, so the text would not say what
 * the bytes mean.
 */
int ptd_assemble_line(struct ptd_assembler *as, const char *line, char *err, size_t errlen);

/* After the last line: -1 with "NAME:LINE: why" in err when a Together's count runs past the
 * end of the text (it names the Together's line), else 0. */
int ptd_assemble_end(const struct ptd_assembler *as, char *err, size_t errlen);

/* Room for the bytes of any stream the assembler accepts (PTD_MAX_OPS ops). */
#define PTD_ASSEMBLED_MAX (PTD_MAX_OPS * 64u)

/* Calls fn for every input under path: path itself if it is not a folder, else every regular
 * file in the folder and, recursively, in its sub-folders (depth first, each folder's entries
 * in byte order of their names, so the order does not depend on the file system; names
 * starting with '.' are skipped, files and folders alike).  Returns -1 with err set if path
 * or a folder under it cannot be read, or when a folder holds no file at all (a mistyped or
 * empty corpus must not pass as "every input agreed"); else the first non-zero value fn
 * returned, or 0.  fn is not called at all when -1 is returned for a folder. */
int ptd_for_each_input(const char *path, int (*fn)(const char *file, void *arg), void *arg,
		       char *err, size_t errlen);

/* Opens path for writing, refusing (NULL, message in err) if it exists and force is 0: no tool
 * overwrites what a user gave it unless told to. */
#include <stdio.h>
FILE *ptd_create_output(const char *path, int force, char *err, size_t errlen);

#endif
