/* SPDX-License-Identifier: MIT */
/*
 * ptd_core_backend: the adapter from struct ptd_backend to core.  It resolves each op's handles
 * (a dead id is a harness error), checks that props are inside the model, dispatches the op
 * kind to its function, and reports the new id of every handle an op registered.  Nothing else
 * in core knows about struct ptd_op or struct ptd_backend.
 */
#include "ptdiff/backend.h"

#include "core.h"
#include "diag.h"
#include "frame.h"
#include "io.h"
#include "segment.h"
#include "unique.h"

static void *backend_create(const struct ptd_config *cfg)
{
	return core_create(cfg);
}

static void backend_destroy(void *self)
{
	core_destroy(self);
}

static void backend_reset(void *self)
{
	core_reset(self);
}

static void backend_view(void *self, struct ptd_view *out)
{
	core_view(self, out);
}

/* Incremental checking: the slots meta.c, pt_node.c and io.c marked since the last report.
 * Non-slot parts are not tracked here: the runner flags them by op kind. */
static void backend_touched(void *self, struct ptd_touched *t)
{
	struct core *k = self;
	size_t words = (k->cfg.nframes + 63) / 64;

	for (size_t w = 0; w < words; w++) {
		t->slots[w] |= k->touched[w];
		k->touched[w] = 0;
	}
}

static void backend_view_slots(void *self, struct ptd_view *out, const uint64_t *slots,
			       uint32_t parts)
{
	core_view_slots(self, out, slots, parts);
}

/** Props the decoder promises (types.h): PTEs encode nothing else. */
static void check_prop(struct ptd_prop prop)
{
	CORE_HARNESS_CHECK(!(prop.flags & ~PTD_PF_ALL) && prop.cache < PTD_CACHE_COUNT, "bad-prop",
			   "prop flags 0x%x cache %u outside the model", prop.flags, prop.cache);
}

static void check_change(struct ptd_prop_change change)
{
	CORE_HARNESS_CHECK(change.cache == PTD_CACHE_KEEP || change.cache < PTD_CACHE_COUNT,
			   "bad-prop", "prop change cache %u outside the model", change.cache);
}

/** Ops that create a handle report its id on success. */
static enum ptd_status created(enum ptd_status st, ptd_id_t new_id, struct ptd_result *res)
{
	if (st == PTD_OK) {
		res->new_id = new_id;
	}
	return st;
}

/* The live cursor @id, now the acting one: its stores are checked against its locks. */
static struct core_cursor *acting(struct core *k, ptd_id_t id)
{
	struct core_cursor *c = core_cursor_get(k, id);

	core_set_acting(k, id);
	return c;
}

/*
 * One adapter per handler stem of the op table (include/ptdiff/op_table.h): unpack the op's
 * fields into the core call.  OpenCursor/OpenCursorMut, NewReader/NewWriter and the kernel pair
 * share an adapter that reads the op kind.
 */
typedef enum ptd_status (*core_op_fn)(struct core *k, const struct ptd_op *op,
				      struct ptd_result *res);

static enum ptd_status op_new_vmspace(struct core *k, const struct ptd_op *op,
				      struct ptd_result *res)
{
	return created(core_vm_space_new(k, op->new_id), op->new_id, res);
}

static enum ptd_status op_drop_vmspace(struct core *k, const struct ptd_op *op,
				       struct ptd_result *res)
{
	(void)res;
	return core_vm_space_drop(k, op->vs);
}

static enum ptd_status op_open_cursor(struct core *k, const struct ptd_op *op,
				      struct ptd_result *res)
{
	return created(core_cursor_open(k, op->vs, op->va, op->end,
					op->kind == PTD_OP_OPEN_CURSOR_MUT, op->new_id),
		       op->new_id, res);
}

static enum ptd_status op_drop_cursor(struct core *k, const struct ptd_op *op,
				      struct ptd_result *res)
{
	(void)res;
	core_set_acting(k, op->cursor);
	return core_cursor_drop(k, op->cursor);
}

static enum ptd_status op_cursor_query(struct core *k, const struct ptd_op *op,
				       struct ptd_result *res)
{
	return core_cursor_query(k, acting(k, op->cursor), op->new_id, res);
}

static enum ptd_status op_cursor_find_next(struct core *k, const struct ptd_op *op,
					   struct ptd_result *res)
{
	return core_cursor_find_next(k, acting(k, op->cursor), op->len, res);
}

static enum ptd_status op_cursor_jump(struct core *k, const struct ptd_op *op,
				      struct ptd_result *res)
{
	(void)res;
	return core_cursor_jump(acting(k, op->cursor), op->va);
}

static enum ptd_status op_cursor_virt_addr(struct core *k, const struct ptd_op *op,
					   struct ptd_result *res)
{
	res->va = acting(k, op->cursor)->va;
	return PTD_OK;
}

static enum ptd_status op_cursor_map(struct core *k, const struct ptd_op *op,
				     struct ptd_result *res)
{
	(void)res;
	check_prop(op->prop);
	return core_cursor_map(k, acting(k, op->cursor), op->frame, op->prop);
}

static enum ptd_status op_cursor_map_iomem(struct core *k, const struct ptd_op *op,
					   struct ptd_result *res)
{
	(void)res;
	check_prop(op->prop);
	return core_cursor_map_iomem(k, acting(k, op->cursor), op->paddr, op->prop);
}

static enum ptd_status op_cursor_unmap(struct core *k, const struct ptd_op *op,
				       struct ptd_result *res)
{
	return core_cursor_unmap(k, acting(k, op->cursor), op->len, res);
}

static enum ptd_status op_cursor_take_next(struct core *k, const struct ptd_op *op,
					   struct ptd_result *res)
{
	return core_cursor_take_next(k, acting(k, op->cursor), op->len, res);
}

static enum ptd_status op_cursor_protect_next(struct core *k, const struct ptd_op *op,
					      struct ptd_result *res)
{
	check_change(op->change);
	return core_cursor_protect_next(k, acting(k, op->cursor), op->len, op->change, res);
}

static enum ptd_status op_frame_from_unused(struct core *k, const struct ptd_op *op,
					    struct ptd_result *res)
{
	return created(core_frame_from_unused(k, op->paddr, op->new_id), op->new_id, res);
}

static enum ptd_status op_frame_from_in_use(struct core *k, const struct ptd_op *op,
					    struct ptd_result *res)
{
	return created(core_frame_from_in_use(k, op->paddr, op->new_id), op->new_id, res);
}

static enum ptd_status op_frame_drop(struct core *k, const struct ptd_op *op,
				     struct ptd_result *res)
{
	(void)res;
	return core_frame_drop(k, op->frame);
}

static enum ptd_status op_segment_from_unused(struct core *k, const struct ptd_op *op,
					      struct ptd_result *res)
{
	return created(core_segment_from_unused(k, op->paddr, op->len, op->new_id), op->new_id,
		       res);
}

static enum ptd_status op_segment_drop(struct core *k, const struct ptd_op *op,
				       struct ptd_result *res)
{
	(void)res;
	return core_segment_drop(k, op->segment);
}

static enum ptd_status op_segment_split(struct core *k, const struct ptd_op *op,
					struct ptd_result *res)
{
	enum ptd_status st = core_segment_split(k, op->segment, op->len, op->new_id, op->new_id2);

	if (st == PTD_OK)
		res->new_id2 = op->new_id2;
	return created(st, op->new_id, res);
}

static enum ptd_status op_segment_next(struct core *k, const struct ptd_op *op,
				       struct ptd_result *res)
{
	/* Always succeeds: res->paddr is the page the new Frame holds. */
	return created(core_segment_next(k, op->segment, op->new_id, &res->paddr), op->new_id, res);
}

static enum ptd_status op_segment_clone(struct core *k, const struct ptd_op *op,
					struct ptd_result *res)
{
	return created(core_segment_clone(k, op->segment, op->new_id), op->new_id, res);
}

static enum ptd_status op_segment_slice(struct core *k, const struct ptd_op *op,
					struct ptd_result *res)
{
	return created(core_segment_slice(k, op->segment, op->paddr, op->len, op->new_id),
		       op->new_id, res);
}

static enum ptd_status op_unique_from_unused(struct core *k, const struct ptd_op *op,
					     struct ptd_result *res)
{
	return created(core_unique_from_unused(k, op->paddr, op->new_id), op->new_id, res);
}

static enum ptd_status op_unique_drop(struct core *k, const struct ptd_op *op,
				      struct ptd_result *res)
{
	(void)res;
	return core_unique_drop(k, op->unique);
}

static enum ptd_status op_from_unique(struct core *k, const struct ptd_op *op,
				      struct ptd_result *res)
{
	return created(core_unique_into_frame(k, op->unique, op->new_id), op->new_id, res);
}

static enum ptd_status op_try_from_shared(struct core *k, const struct ptd_op *op,
					  struct ptd_result *res)
{
	return created(core_unique_try_from_shared(k, op->frame, op->new_id), op->new_id, res);
}

static enum ptd_status op_new_reader(struct core *k, const struct ptd_op *op,
				     struct ptd_result *res)
{
	return created(core_io_new(k, op->vs, op->va, op->len, op->kind == PTD_OP_NEW_WRITER,
				   op->new_id),
		       op->new_id, res);
}
#define op_new_writer op_new_reader

static enum ptd_status op_io_read(struct core *k, const struct ptd_op *op, struct ptd_result *res)
{
	return core_io_read(k, op->io, op->len, res);
}

/* What IoWrite and WriterWriteVal write: the op's seed or its bytes (op.h). */
static struct core_io_data io_data(const struct ptd_op *op)
{
	return (struct core_io_data){ .seed = op->seed, .bytes = op->bytes, .nbytes = op->nbytes };
}

static enum ptd_status op_io_write(struct core *k, const struct ptd_op *op, struct ptd_result *res)
{
	struct core_io_data data = io_data(op);

	return core_io_write(k, op->io, op->len, &data, op->kind == PTD_OP_IO_FILL_ZEROS, res);
}
#define op_io_fill_zeros op_io_write

static enum ptd_status op_io_skip(struct core *k, const struct ptd_op *op, struct ptd_result *res)
{
	(void)res;
	return core_io_skip(k, op->io, op->len);
}

static enum ptd_status op_io_limit(struct core *k, const struct ptd_op *op, struct ptd_result *res)
{
	(void)res;
	return core_io_limit(k, op->io, op->len);
}

static enum ptd_status op_io_drop(struct core *k, const struct ptd_op *op, struct ptd_result *res)
{
	(void)res;
	return core_io_drop(k, op->io);
}

static enum ptd_status op_new_kernel_reader(struct core *k, const struct ptd_op *op,
					    struct ptd_result *res)
{
	return created(core_io_new_kernel(k, op->va, op->len, op->kind == PTD_OP_NEW_KERNEL_WRITER,
					  op->new_id),
		       op->new_id, res);
}
#define op_new_kernel_writer op_new_kernel_reader

static enum ptd_status op_io_copy(struct core *k, const struct ptd_op *op, struct ptd_result *res)
{
	return core_io_copy(k, op->io, op->io2, op->len, res);
}

static enum ptd_status op_reader_read_val(struct core *k, const struct ptd_op *op,
					  struct ptd_result *res)
{
	return core_io_value(k, op->io, op->len, NULL, res);
}

static enum ptd_status op_reader_collect(struct core *k, const struct ptd_op *op,
					 struct ptd_result *res)
{
	return core_io_collect(k, op->io, res);
}

static enum ptd_status op_writer_write_val(struct core *k, const struct ptd_op *op,
					   struct ptd_result *res)
{
	struct core_io_data data = io_data(op);

	return core_io_value(k, op->io, op->len, &data, res);
}

static enum ptd_status op_reader_query(struct core *k, const struct ptd_op *op,
				       struct ptd_result *res)
{
	return core_io_query(k, op->io, op->kind == PTD_OP_WRITER_QUERY, res);
}
#define op_writer_query op_reader_query

/* Together is a group marker the harness runs through apply_group, never through apply. */
static enum ptd_status op_together(struct core *k, const struct ptd_op *op, struct ptd_result *res)
{
	(void)k, (void)op, (void)res;
	core_harness_error("bad-op", "Together applied as an op (groups run through apply_group)");
}

/* The dispatch table: the op table's handler column. */
static const core_op_fn handlers[PTD_OP_COUNT] = {
#define PTD_OP_HANDLER(e, n, stem, ...) [PTD_OP_##e] = op_##stem,
	PTD_OP_TABLE(PTD_OP_HANDLER)
#undef PTD_OP_HANDLER
};

static void backend_apply(void *self, const struct ptd_op *op, struct ptd_result *res)
{
	CORE_HARNESS_CHECK((unsigned)op->kind < PTD_OP_COUNT, "bad-op", "unknown op kind %d",
			   (int)op->kind);
	res->status = (int32_t)handlers[op->kind](self, op, res);
	core_set_acting(self, 0);
}

/* One group: the members' ops and where their results go (apply_group's arguments). */
struct group_run {
	const struct ptd_op *ops;
	struct ptd_result *res;
};

static void group_task(struct core *k, unsigned task, void *arg)
{
	struct group_run *g = arg;

	backend_apply(k, &g->ops[task], &g->res[task]);
}

/*
 * Run @n cursor ops at the same time, one coroutine each, interleaved at their steps by
 * @schedule (scheduler.h); each op's locks, PTE stores and node frees follow OSTD's protocol
 * (locking.h, pt_lock.h), so a member that needs a lock another holds waits for it.
 */
static void backend_apply_group(void *self, const struct ptd_op *ops, unsigned n, uint64_t schedule,
				struct ptd_result *res, struct ptd_group_log *log)
{
	struct core *k = self;
	struct group_run g = { ops, res };

	CORE_HARNESS_CHECK(n >= 1 && n <= CORE_SCHED_MAX_TASKS, "bad-op",
			   "a group of %u ops (1 to %u)", n, CORE_SCHED_MAX_TASKS);
	for (unsigned i = 0; i < n; i++) {
		CORE_HARNESS_CHECK((unsigned)ops[i].kind < PTD_OP_COUNT &&
					   ops[i].kind != PTD_OP_TOGETHER,
				   "bad-op", "group member %u: op kind %d", i, (int)ops[i].kind);
	}
	core_sched_run(k, n, group_task, &g, schedule, log);
}

const struct ptd_backend ptd_core_backend = {
	.name = "core",
	.create = backend_create,
	.destroy = backend_destroy,
	.reset = backend_reset,
	.apply = backend_apply,
	.view = backend_view,
	.touched = backend_touched,
	.view_slots = backend_view_slots,
	.apply_group = backend_apply_group,
};
