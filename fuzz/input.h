/* SPDX-License-Identifier: MIT */
/* Reading inputs from files and folders, with clear errors instead of crashes. */
#ifndef PTDIFF_FUZZ_INPUT_H
#define PTDIFF_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* Inputs larger than this are refused: an input is at most PTD_MAX_OPS ops of a few dozen
 * bytes, so anything this big is not an op stream. */
#define PTD_INPUT_MAX (1u << 24)

/* Reads a whole regular file into a malloc'ed buffer.  Returns 0, or -1 with errno-style text
 * in err. */
int ptd_read_file(const char *path, uint8_t **data, size_t *size, char *err, size_t errlen);

/* Calls fn for every regular file of path: path itself if it is a file, else the non-hidden
 * files of the folder in name order (not recursive).  Returns -1 with err set if path cannot be
 * read, else the first non-zero value fn returned, or 0. */
int ptd_for_each_input(const char *path, int (*fn)(const char *file, void *arg), void *arg,
		       char *err, size_t errlen);

/* Opens path for writing, refusing (NULL, message in err) if it exists and force is 0: no tool
 * overwrites what a user gave it unless told to. */
#include <stdio.h>
FILE *ptd_create_output(const char *path, int force, char *err, size_t errlen);

#endif
