/* SPDX-License-Identifier: MIT */
/*
 * ptdiff-asm: the text form of an op stream (rawop_text.h; what `ptdiff-replay --print` writes)
 * to the bytes the fuzz targets read.  Never overwrites an existing file unless --force.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "input.h"

static int usage(FILE *out, int status)
{
	fputs("usage: ptdiff-asm [--force] IN.ops -o OUT\n"
	      "Assembles the text form of an op stream into fuzzer input bytes.\n",
	      out);
	return status;
}

int main(int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	int force = 0;
	char line[1024], err[512];
	static uint8_t bytes[PTD_ASSEMBLED_MAX];
	struct ptd_assembler as = { .out = bytes, .cap = sizeof bytes };
	FILE *fin, *fout;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--force"))
			force = 1;
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return usage(stdout, 0);
		else if (argv[i][0] != '-' && !in)
			in = argv[i];
		else
			return usage(stderr, 2);
	}
	if (!in || !out)
		return usage(stderr, 2);
	as.name = in;
	if (!(fin = fopen(in, "r"))) {
		fprintf(stderr, "ptdiff-asm: cannot open '%s': %s\n", in, strerror(errno));
		return 2;
	}
	/* Parse everything first: the output is written only for a valid stream. */
	while (fgets(line, sizeof line, fin)) {
		if (ptd_assemble_line(&as, line, err, sizeof err)) {
			fprintf(stderr, "%s\n", err);
			fclose(fin);
			return 1;
		}
	}
	fclose(fin);
	if (ptd_assemble_end(&as, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (!(fout = ptd_create_output(out, force, err, sizeof err))) {
		fprintf(stderr, "ptdiff-asm: %s\n", err);
		return 2;
	}
	if (fwrite(bytes, 1, as.len, fout) != as.len || fclose(fout)) {
		fprintf(stderr, "ptdiff-asm: cannot write '%s': %s\n", out, strerror(errno));
		return 2;
	}
	return 0;
}
