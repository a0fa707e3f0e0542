/* SPDX-License-Identifier: MIT */
/*
 * The text form of raw ops (format in rawop_text.h): printing one op per line, argument keys in
 * the op table's order, and parsing a line back into the same struct, with an error message
 * that names the bad token.
 */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include "rawop_text.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const cache_names[PTD_CACHE_COUNT] = { "WB", "WT", "UC", "WC", "WP" };
static const char flag_letters[] = "WXAD"; /* bit i of the flags is flag_letters[i] */
static const char *const base_names[PTD_NUM_BASE_COUNT] = { "",     "start", "end",
							    "rest", "to2m",  "to1g" };

/* The key of a write's data given as bytes rather than a seed (arg_key() is "seed"). */
#define BYTES_KEY "bytes"

static const char *arg_key(enum ptd_arg arg)
{
	switch (arg) {
	case PTD_ARG_VS:
		return "vs";
	case PTD_ARG_CURSOR:
		return "c";
	case PTD_ARG_FRAME:
		return "f";
	case PTD_ARG_START:
		return "start";
	case PTD_ARG_END:
		return "end";
	case PTD_ARG_TARGET:
		return "to";
	case PTD_ARG_LEN:
		return "len";
	case PTD_ARG_PADDR:
	case PTD_ARG_IOPADDR:
		return "paddr";
	case PTD_ARG_PROP:
		return "prop";
	case PTD_ARG_CHANGE:
		return "change";
	case PTD_ARG_SEGMENT:
		return "seg";
	case PTD_ARG_UNIQUE:
		return "u";
	case PTD_ARG_SEG_LEN:
	case PTD_ARG_SUB_LEN:
		return "len";
	case PTD_ARG_SPLIT_AT:
		return "at";
	case PTD_ARG_SUB_START:
		return "from";
	case PTD_ARG_READER:
		return "r";
	case PTD_ARG_WRITER:
		return "w";
	case PTD_ARG_IO:
		return "io";
	case PTD_ARG_IO_VA:
		return "va";
	case PTD_ARG_IO_LEN:
	case PTD_ARG_IO_COUNT:
		return "len";
	case PTD_ARG_SEED:
		return "seed";
	case PTD_ARG_KOFF:
		return "offset";
	case PTD_ARG_GROUP_N:
		return "ops";
	case PTD_ARG_SCHEDULE:
		return "schedule";
	default:
		return "?";
	}
}

const char *ptd_cache_name(unsigned cache)
{
	return cache < PTD_CACHE_COUNT ? cache_names[cache] : "keep";
}

static void flags_print(FILE *out, unsigned flags)
{
	for (unsigned i = 0; flag_letters[i]; i++)
		if (flags & (1u << i))
			fputc(flag_letters[i], out);
}

void ptd_prop_print(FILE *out, struct ptd_prop prop)
{
	if (!prop.flags)
		fputc('-', out);
	flags_print(out, prop.flags);
	fprintf(out, "/%s", ptd_cache_name(prop.cache));
}

void ptd_bytes_print(FILE *out, const uint8_t *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%02x", i ? ":" : "", bytes[i]);
}

static void num_print(FILE *out, enum ptd_arg arg, struct ptd_num n)
{
	if (arg == PTD_ARG_GROUP_N) { /* a count of ops: decimal, as one writes it */
		fprintf(out, "%" PRIu64, n.off);
		return;
	}
	if (n.base == PTD_NUM_ABS) {
		fprintf(out, "0x%" PRIx64, n.off);
		return;
	}
	fputs(base_names[n.base], out);
	if ((int64_t)n.off < 0)
		fprintf(out, "-0x%" PRIx64, -n.off);
	else if (n.off)
		fprintf(out, "+0x%" PRIx64, n.off);
}

void ptd_raw_op_print(FILE *out, const struct ptd_raw_op *op)
{
	fputs(ptd_op_name(op->kind), out);
	for (unsigned i = 0; i < PTD_MAX_ARGS; i++) {
		enum ptd_arg arg = ptd_op_args[op->kind][i];
		if (arg == PTD_ARG_NONE)
			break;
		if (arg == PTD_ARG_SEED && op->nbytes) {
			fputs(" " BYTES_KEY "=", out);
			ptd_bytes_print(out, op->bytes, op->nbytes);
			continue;
		}
		fprintf(out, " %s=", arg_key(arg));
		if (ptd_arg_is_selector(arg)) {
			fprintf(out, "#%u", op->sel[i]);
		} else if (ptd_arg_is_number(arg)) {
			num_print(out, arg, op->num[i]);
		} else if (arg == PTD_ARG_PROP) {
			ptd_prop_print(out, op->prop);
		} else {
			if (op->change.set) {
				fputc('+', out);
				flags_print(out, op->change.set);
			}
			if (op->change.clear) {
				fputc('-', out);
				flags_print(out, op->change.clear);
			}
			fprintf(out, "/%s", ptd_cache_name(op->change.cache));
		}
	}
	fputc('\n', out);
}

/* ---- parsing ---- */

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;
	if (!isdigit((unsigned char)*s))
		return -1;
	*v = strtoull(s, &end, 0);
	return *end ? -1 : 0;
}

static int parse_cache(const char *s, uint8_t *cache, int allow_keep)
{
	for (unsigned c = 0; c < PTD_CACHE_COUNT; c++)
		if (!strcmp(s, cache_names[c])) {
			*cache = (uint8_t)c;
			return 0;
		}
	if (allow_keep && !strcmp(s, "keep")) {
		*cache = PTD_CACHE_KEEP;
		return 0;
	}
	return -1;
}

static int flag_bit(char c)
{
	const char *p = c ? strchr(flag_letters, c) : NULL;
	return p ? 1 << (p - flag_letters) : 0;
}

static int parse_prop(const char *s, struct ptd_prop *prop)
{
	const char *slash = strchr(s, '/');
	if (!slash)
		return -1;
	prop->flags = 0;
	if (!(slash - s == 1 && *s == '-'))
		for (const char *c = s; c < slash; c++) {
			int bit = flag_bit(*c);
			if (!bit)
				return -1;
			prop->flags |= (uint8_t)bit;
		}
	return parse_cache(slash + 1, &prop->cache, 0);
}

static int parse_change(const char *s, struct ptd_prop_change *ch)
{
	uint8_t *mask = NULL;
	ch->set = ch->clear = 0;
	for (; *s && *s != '/'; s++) {
		int bit;
		if (*s == '+' || *s == '-') {
			mask = *s == '+' ? &ch->set : &ch->clear;
			continue;
		}
		bit = flag_bit(*s);
		if (!mask || !bit)
			return -1;
		*mask |= (uint8_t)bit;
	}
	return *s == '/' ? parse_cache(s + 1, &ch->cache, 1) : -1;
}

static int parse_num(const char *s, enum ptd_arg arg, struct ptd_num *n)
{
	n->base = PTD_NUM_ABS;
	if (ptd_arg_is_relative(arg))
		for (unsigned b = 1; b < PTD_NUM_BASE_COUNT; b++) {
			size_t len = strlen(base_names[b]);
			if (!strncmp(s, base_names[b], len) &&
			    (s[len] == 0 || s[len] == '+' || s[len] == '-')) {
				n->base = (uint8_t)b;
				s += len;
				break;
			}
		}
	if (n->base == PTD_NUM_ABS)
		return parse_u64(s, &n->off);
	if (!*s) {
		n->off = 0;
		return 0;
	}
	if (parse_u64(s + 1, &n->off))
		return -1;
	if (*s == '-')
		n->off = -n->off;
	return 0;
}

static int hex_digit(char c)
{
	const char *digits = "0123456789abcdef", *p = c ? strchr(digits, tolower(c)) : NULL;

	return p ? (int)(p - digits) : -1;
}

/* A write's data as bytes: 1 to PTD_OP_BYTES_MAX pairs of hex digits joined by ':'. */
static int parse_bytes(const char *s, struct ptd_raw_op *op)
{
	op->nbytes = 0;
	do {
		int hi = hex_digit(s[0]), lo = hi < 0 ? -1 : hex_digit(s[1]);

		if (lo < 0 || op->nbytes == PTD_OP_BYTES_MAX)
			return -1;
		op->bytes[op->nbytes++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	} while (*s++ == ':');
	return s[-1] ? -1 : 0;
}

static int parse_kind(const char *name, enum ptd_op_kind *kind)
{
	for (unsigned k = 0; k < PTD_OP_COUNT; k++)
		if (!strcmp(name, ptd_op_name((enum ptd_op_kind)k))) {
			*kind = (enum ptd_op_kind)k;
			return 0;
		}
	return -1;
}

static int parse_arg(const char *tok, enum ptd_arg arg, unsigned i, struct ptd_raw_op *op)
{
	size_t klen = strlen(arg_key(arg));
	const char *val = tok + klen + 1;
	uint64_t sel;
	if (arg == PTD_ARG_SEED && !strncmp(tok, BYTES_KEY "=", sizeof BYTES_KEY))
		return parse_bytes(tok + sizeof BYTES_KEY, op);
	if (strncmp(tok, arg_key(arg), klen) || tok[klen] != '=')
		return -1;
	if (ptd_arg_is_selector(arg)) {
		if (*val != '#' || parse_u64(val + 1, &sel) || sel > 255)
			return -1;
		op->sel[i] = (uint8_t)sel;
		return 0;
	}
	if (ptd_arg_is_number(arg))
		return parse_num(val, arg, &op->num[i]);
	if (arg == PTD_ARG_PROP)
		return parse_prop(val, &op->prop);
	return parse_change(val, &op->change);
}

int ptd_raw_op_parse(const char *line, struct ptd_raw_op *op, char *err, size_t errlen)
{
	char buf[512], *save = NULL, *tok;
	unsigned i = 0;
	if (strlen(line) >= sizeof buf) {
		snprintf(err, errlen, "line longer than %zu characters", sizeof buf - 1);
		return -1;
	}
	strcpy(buf, line);
	memset(op, 0, sizeof *op);
	tok = strtok_r(buf, " \t\r\n", &save);
	if (!tok || *tok == '#')
		return 0;
	if (parse_kind(tok, &op->kind)) {
		snprintf(err, errlen, "unknown op '%s'", tok);
		return -1;
	}
	while ((tok = strtok_r(NULL, " \t\r\n", &save)) && *tok != '#') {
		enum ptd_arg arg = i < PTD_MAX_ARGS ? ptd_op_args[op->kind][i] : PTD_ARG_NONE;
		if (arg == PTD_ARG_NONE) {
			snprintf(err, errlen, "%s takes no further argument ('%s')",
				 ptd_op_name(op->kind), tok);
			return -1;
		}
		if (parse_arg(tok, arg, i, op)) {
			snprintf(err, errlen, "bad argument '%s' (expected %s=...%s)", tok,
				 arg_key(arg),
				 arg == PTD_ARG_SEED ? " or " BYTES_KEY "=xx:xx:..., 1 to 16 bytes"
						     : "");
			return -1;
		}
		i++;
	}
	if (i < PTD_MAX_ARGS && ptd_op_args[op->kind][i] != PTD_ARG_NONE) {
		snprintf(err, errlen, "%s needs %s=...", ptd_op_name(op->kind),
			 arg_key(ptd_op_args[op->kind][i]));
		return -1;
	}
	return 1;
}
