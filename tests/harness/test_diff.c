/* SPDX-License-Identifier: MIT */
/*
 * The report's listing of a differing handle list, frame contents, kernel memory or mapping
 * (fuzz/check/diff.c): one line per side with every entry in the side's own words, and the label
 * the signature takes.  The text is what reports have always printed, so triage that reads it
 * and signatures that group crashes stay as they are.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "diff.h"

static const char *const names[2] = { "core", "oracle" };
static struct ptd_state a, b;

/* The listing of a against b, in a buffer the caller frees; *label gets the first label. */
static char *listing(const char **label)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (!out)
		abort();
	*label = ptd_diff_states(out, &a, &b, names, 8);
	fclose(out);
	return text;
}

/* Two views with one entry of every handle kind, frame contents and kernel memory each. */
static void two_views(void)
{
	CHECK(ptd_state_init(&a, 16, 4) == 0);
	CHECK(ptd_state_init(&b, 16, 4) == 0);
	a.view.nvmspaces = 1;
	a.view.vmspaces[0] = 1;
	b.view.nvmspaces = 2;
	b.view.vmspaces[0] = 1;
	b.view.vmspaces[1] = 2;
	a.view.ncursors = b.view.ncursors = 1;
	a.view.cursors[0] = (struct ptd_cursor_view){ .id = 3,
						      .vs = 1,
						      .kind = PTD_CURSOR_MUTABLE,
						      .start = 0x1000,
						      .end = 0x3000,
						      .va = 0x2000 };
	b.view.cursors[0] = a.view.cursors[0];
	b.view.cursors[0].kind = PTD_CURSOR_READ_ONLY;
	a.view.nframes = 1;
	a.view.frames[0] = (struct ptd_frame_view){ .id = 4, .paddr = 0x5000 };
	a.view.nsegments = b.view.nsegments = 1;
	a.view.segments[0] = (struct ptd_segment_view){ .id = 5, .start = 0x6000, .end = 0x8000 };
	b.view.segments[0] = (struct ptd_segment_view){ .id = 5, .start = 0x6000, .end = 0x7000 };
	b.view.nuniques = 1;
	b.view.uniques[0] = (struct ptd_unique_view){ .id = 6, .paddr = 0x9000 };
	a.view.nios = b.view.nios = 1;
	a.view.ios[0] = (struct ptd_io_view){
		.id = 7, .vs = 0, .kind = PTD_IO_READER, .start = 0x10, .cursor = 0x18, .end = 0x20
	};
	b.view.ios[0] = (struct ptd_io_view){
		.id = 7, .vs = 2, .kind = PTD_IO_WRITER, .start = 0x10, .cursor = 0x18, .end = 0x20
	};
	a.view.ncontents = 1;
	a.view.contents[0] = (struct ptd_content_view){ .slot = 9, .hash = 0xabcdef };
	a.view.kernel_hash = 0x1234;
	b.view.kernel_hash = 0x5678;
}

TEST(every_handle_list_and_the_kernel_hash_listed)
{
	const char *label;
	char *text;
	two_views();
	/* Only the digests say which parts differ: all of these do, slots and mappings not. */
	for (int p = PTD_PART_VMSPACES; p < PTD_PART_COUNT; p++)
		b.digest[p] = 1;
	text = listing(&label);
	CHECK(!strcmp(text, "    vmspaces differ\n"
			    "      core    vs1\n"
			    "      oracle  vs1 vs2\n"
			    "    cursors differ\n"
			    "      core    c3(vs1 mut [0x1000,0x3000) va 0x2000)\n"
			    "      oracle  c3(vs1 ro [0x1000,0x3000) va 0x2000)\n"
			    "    frame-handles differ\n"
			    "      core    f4=0x5000\n"
			    "      oracle \n"
			    "    segments differ\n"
			    "      core    s5=[0x6000,0x8000)\n"
			    "      oracle  s5=[0x6000,0x7000)\n"
			    "    unique-handles differ\n"
			    "      core   \n"
			    "      oracle  u6=0x9000\n"
			    "    readers-writers differ\n"
			    "      core    io7(kernel0 reader [0x10,0x20) at 0x18)\n"
			    "      oracle  io7(vs2 writer [0x10,0x20) at 0x18)\n"
			    "    frame-contents differ\n"
			    "      core    slot9:0000000000abcdef\n"
			    "      oracle \n"
			    "    kernel-memory differ\n"
			    "      core    kernel memory hash 0000000000001234\n"
			    "      oracle  kernel memory hash 0000000000005678\n"));
	CHECK(label && !strcmp(label, "vmspaces"));
	free(text);
	ptd_state_fini(&a);
	ptd_state_fini(&b);
}

TEST(only_the_parts_whose_digests_differ_listed)
{
	const char *label;
	char *text;
	two_views();
	b.digest[PTD_PART_IOS] = 1;
	text = listing(&label);
	CHECK(!strcmp(text, "    readers-writers differ\n"
			    "      core    io7(kernel0 reader [0x10,0x20) at 0x18)\n"
			    "      oracle  io7(vs2 writer [0x10,0x20) at 0x18)\n"));
	CHECK(label && !strcmp(label, "readers-writers"));
	free(text);
	b.digest[PTD_PART_IOS] = 0;
	text = listing(&label);
	CHECK(!strcmp(text, "") && label == NULL);
	free(text);
	ptd_state_fini(&a);
	ptd_state_fini(&b);
}

/* Mappings: a difference in the leaf PTE bits alone (the props agree: an encoding both sides
 * read back alike, docs/POLICY.md §4) is labelled mapping-pte; any other is mapping. */
TEST(mapping_leaf_bits_alone_labelled_mapping_pte)
{
	const struct ptd_mapping_view m = {
		.vs = 1,
		.tracked = 1,
		.prop = { .flags = PTD_PF_W, .cache = PTD_CACHE_UC },
		.va = 0x3000,
		.pa = 0x5000,
		.pte = 0x800000000000001f,
	};
	const char *label;
	char *text;
	CHECK(ptd_state_init(&a, 16, 4) == 0);
	CHECK(ptd_state_init(&b, 16, 4) == 0);
	a.view.nmaps = b.view.nmaps = 1;
	a.view.maps[0] = b.view.maps[0] = m;
	a.view.maps[0].pte = 0x8000000000000017; /* PCD without PWT */
	b.digest[PTD_PART_MAPS] = 1;
	text = listing(&label);
	CHECK(!strcmp(text,
		      "    mapping leaf PTE bits differ\n"
		      "      core    vs1 0x3000 -> frame 0x5000 W/UC pte 0x8000000000000017\n"
		      "      oracle  vs1 0x3000 -> frame 0x5000 W/UC pte 0x800000000000001f\n"));
	CHECK(label && !strcmp(label, "mapping-pte"));
	free(text);
	a.view.maps[0].prop.cache = PTD_CACHE_WC; /* now the props differ too */
	text = listing(&label);
	CHECK(!strncmp(text, "    mapping differs\n", 20));
	CHECK(label && !strcmp(label, "mapping"));
	free(text);
	ptd_state_fini(&a);
	ptd_state_fini(&b);
}

PTD_TEST_MAIN(PTD_TEST_ENTRY(every_handle_list_and_the_kernel_hash_listed),
	      PTD_TEST_ENTRY(only_the_parts_whose_digests_differ_listed),
	      PTD_TEST_ENTRY(mapping_leaf_bits_alone_labelled_mapping_pte))
