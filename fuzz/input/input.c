/* SPDX-License-Identifier: MIT */
/*
 * Reading inputs: whole files with clear errors, the text form (*.ops) assembled to bytes, and
 * the files under a folder walked recursively in a fixed order.
 */
#define _POSIX_C_SOURCE 200809L
#include "input.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "decode.h"
#include "rawop.h"
#include "rawop_text.h"

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
			 S_ISREG(st.st_mode) ? "too large to be an op stream"
					     : "not a regular file");
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

int ptd_assemble_line(struct ptd_assembler *as, const char *line, char *err, size_t errlen)
{
	struct ptd_raw_op op;
	char why[256];
	size_t n;
	int rc = ptd_raw_op_parse(line, &op, why, sizeof why);

	as->lineno++;
	if (rc == 0)
		return 0;
	if (rc < 0 || ++as->nops > PTD_MAX_OPS) {
		snprintf(err, errlen, "%s:%u: %s", as->name, as->lineno,
			 rc < 0 ? why : "more ops than an input can hold");
		return -1;
	}
	if (as->group_due && !ptd_op_is_member(op.kind)) {
		snprintf(err, errlen,
			 "%s:%u: %s cannot be member %u of the Together on line %u (ops=%" PRIu64
			 "): only opens and ops on a cursor can run in a group, and in bytes any "
			 "other op there would be read as one that can; lower the Together's count "
			 "to end the group before it",
			 as->name, as->lineno, ptd_op_name(op.kind),
			 as->group_size - as->group_due + 1, as->group_line, as->group_count);
		return -1;
	}
	n = ptd_encode_op(&op, as->out + as->len, as->cap - as->len);
	if (!n) {
		snprintf(err, errlen, "%s:%u: the stream does not fit in %zu bytes", as->name,
			 as->lineno, as->cap);
		return -1;
	}
	as->len += n;
	if (as->group_due) {
		as->group_due--;
	} else if (op.kind == PTD_OP_TOGETHER) {
		as->group_line = as->lineno;
		as->group_count = op.num[0].off;
		as->group_size = as->group_due = ptd_group_size(&op);
	}
	return 0;
}

int ptd_assemble_end(const struct ptd_assembler *as, char *err, size_t errlen)
{
	if (!as->group_due)
		return 0;
	/* The decoder would run the group with the ops there are; the text would claim more. */
	snprintf(err, errlen,
		 "%s:%u: this Together has ops=%" PRIu64 " but the text ends after %u of its "
		 "members; lower its count to the ops that follow it",
		 as->name, as->group_line, as->group_count, as->group_size - as->group_due);
	return -1;
}

static int is_text_form(const char *path)
{
	size_t n = strlen(path);
	return n > 4 && !strcmp(path + n - 4, ".ops");
}

int ptd_read_input(const char *path, uint8_t **data, size_t *size, char *err, size_t errlen)
{
	struct ptd_assembler as = { .name = path, .cap = PTD_ASSEMBLED_MAX };
	uint8_t *text;
	size_t len, pos = 0;
	char line[1024];
	int rc = 0;

	if (!is_text_form(path))
		return ptd_read_file(path, data, size, err, errlen);
	if (ptd_read_file(path, &text, &len, err, errlen))
		return -1;
	if (!(as.out = malloc(as.cap))) {
		snprintf(err, errlen, "'%s': out of memory", path);
		free(text);
		return -1;
	}
	/* Line by line as ptdiff-asm reads its input with fgets, so both give the same bytes. */
	while (!rc && pos < len) {
		const uint8_t *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		if (n >= sizeof line || memchr(text + pos, '\0', n)) {
			snprintf(err, errlen, "%s:%u: %s", path, as.lineno + 1,
				 n >= sizeof line ? "line too long" : "NUL byte in a text line");
			rc = -1;
			break;
		}
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos += n + 1;
		rc = ptd_assemble_line(&as, line, err, errlen);
	}
	if (!rc)
		rc = ptd_assemble_end(&as, err, errlen);
	free(text);
	if (rc) {
		free(as.out);
		*data = NULL;
		*size = 0;
		return -1;
	}
	*data = as.out;
	*size = as.len;
	return 0;
}

/* The files found under a folder, in the order fn is called. */
struct file_list {
	char **names;
	size_t n, cap;
};

/* The folders being listed, innermost first: a symbolic link back to one of them would
 * otherwise be followed forever. */
struct folder_chain {
	dev_t dev;
	ino_t ino;
	const struct folder_chain *up;
};

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int push(char ***names, size_t *n, size_t *cap, char *name)
{
	if (*n == *cap) {
		size_t grown_cap = *cap ? *cap * 2 : 64;
		char **grown = realloc(*names, grown_cap * sizeof **names);
		if (!grown)
			return -1;
		*names = grown;
		*cap = grown_cap;
	}
	(*names)[(*n)++] = name;
	return 0;
}

/* Appends the regular files under the folder path (whose stat is st) to list, depth first in
 * name order.  Entries that vanish or are neither files nor folders (FIFOs, sockets, dangling
 * links) are skipped, as a folder of inputs may hold such things by accident. */
static int list_folder(const char *path, const struct stat *st, const struct folder_chain *up,
		       struct file_list *list, char *err, size_t errlen)
{
	struct folder_chain here = { st->st_dev, st->st_ino, up };
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *dir;
	int rc = 0;

	for (const struct folder_chain *c = up; c; c = c->up)
		if (c->dev == st->st_dev && c->ino == st->st_ino)
			return 0; /* a link back up: its files are listed already */
	if (!(dir = opendir(path))) {
		snprintf(err, errlen, "cannot read folder '%s': %s", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(dir))) {
		char *full;
		if (de->d_name[0] == '.')
			continue;
		full = malloc(strlen(path) + strlen(de->d_name) + 2);
		if (!full || push(&names, &n, &cap, full)) {
			free(full);
			snprintf(err, errlen, "'%s': out of memory", path);
			rc = -1;
			break;
		}
		/* "dir/" given on the command line: no "dir//name" in messages. */
		sprintf(full, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", de->d_name);
	}
	closedir(dir);
	/* Same prefix for all, so this is the byte order of the names themselves. */
	if (!rc && n)
		qsort(names, n, sizeof *names, cmp_names);
	for (i = 0; i < n && !rc; i++) {
		struct stat est;
		if (stat(names[i], &est))
			continue;
		if (S_ISDIR(est.st_mode)) {
			rc = list_folder(names[i], &est, &here, list, err, errlen);
		} else if (S_ISREG(est.st_mode)) {
			if (push(&list->names, &list->n, &list->cap, names[i])) {
				snprintf(err, errlen, "'%s': out of memory", path);
				rc = -1;
				break;
			}
			names[i] = NULL; /* owned by list now */
		}
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int ptd_for_each_input(const char *path, int (*fn)(const char *file, void *arg), void *arg,
		       char *err, size_t errlen)
{
	struct file_list list = { 0 };
	struct stat st;
	int rc;

	if (stat(path, &st)) {
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return fn(path, arg);
	rc = list_folder(path, &st, NULL, &list, err, errlen);
	if (!rc && !list.n) {
		snprintf(err, errlen,
			 "folder '%s' holds no input (no file in it or in its sub-folders; names "
			 "starting with '.' are skipped)",
			 path);
		rc = -1;
	}
	for (size_t i = 0; i < list.n; i++) {
		if (!rc)
			rc = fn(list.names[i], arg);
		free(list.names[i]);
	}
	free(list.names);
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
