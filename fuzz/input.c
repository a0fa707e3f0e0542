/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L
#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int ptd_read_file(const char *path, uint8_t **data, size_t *size, char *err, size_t errlen)
{
	struct stat st;
	FILE *f;
	*data = NULL;
	*size = 0;
	/* stat before open: opening a FIFO would block. */
	if (stat(path, &st)) {
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > PTD_INPUT_MAX) {
		snprintf(err, errlen, "'%s' is %s", path,
			 S_ISREG(st.st_mode) ? "too large to be an op stream" : "not a regular file");
		return -1;
	}
	if (!(f = fopen(path, "rb"))) {
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	*data = malloc((size_t)st.st_size + 1); /* + 1: malloc(0) may return NULL */
	if (!*data) {
		snprintf(err, errlen, "'%s': out of memory", path);
		fclose(f);
		return -1;
	}
	*size = fread(*data, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		free(*data);
		*data = NULL;
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ptd_for_each_input(const char *path, int (*fn)(const char *file, void *arg), void *arg,
		       char *err, size_t errlen)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (stat(path, &st)) {
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return fn(path, arg);
	if (!(dir = opendir(path))) {
		snprintf(err, errlen, "cannot read folder '%s': %s", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(dir))) {
		char *full;
		struct stat fst;
		if (de->d_name[0] == '.')
			continue;
		full = malloc(strlen(path) + strlen(de->d_name) + 2);
		if (!full)
			break;
		sprintf(full, "%s/%s", path, de->d_name);
		if (stat(full, &fst) || !S_ISREG(fst.st_mode)) {
			free(full);
			continue;
		}
		if (n == cap) {
			char **grown = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);
			if (!grown) {
				free(full);
				break;
			}
			names = grown;
		}
		names[n++] = full;
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		if (!rc)
			rc = fn(names[i], arg);
		free(names[i]);
	}
	free(names);
	return rc;
}

FILE *ptd_create_output(const char *path, int force, char *err, size_t errlen)
{
	struct stat st;
	FILE *f;
	if (!force && !stat(path, &st)) {
		snprintf(err, errlen, "'%s' exists; use --force to overwrite it", path);
		return NULL;
	}
	if (!(f = fopen(path, "wb")))
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
	return f;
}
