/* SPDX-License-Identifier: MIT */
/*
 * Reader and writer operations: NewReader, NewWriter, NewKernelReader, NewKernelWriter, IoRead,
 * IoWrite, IoFillZeros, IoSkip, IoLimit, IoDrop, IoCopy, ReaderReadVal, ReaderCollect,
 * WriterWriteVal, ReaderQuery, WriterQuery (vostd `specs/mm/embedding/io.rs`,
 * docs/CONTRACTS.md#io; the VmIoEntry registry of docs/CONTRACTS.md#store; docs/POLICY.md "Readers
 * and writers").
 *
 * What the contract models: a VmIoEntry {vm_space, kind, vaddr, len} is created iff
 * vaddr + len <= MAX_USERSPACE_VADDR (`vm_space_reader_embedded` / `vm_space_writer_embedded`),
 * the methods keep its identity fields (`vm_io_method_step`), drop removes it
 * (`drop_vm_io_step`), and none of them touches `regions`.  So no op here changes a slot.
 *
 * What the contract leaves open, closed by POLICY.md: the contract's read/write steps do not
 * model bytes at all (the handle's cursor is a MODEL GAP, `read_val`/`collect`/`write_val` are
 * no-ops on the store).  POLICY.md gives frames contents, gives the handle a cursor and an end,
 * and defines each byte move: a byte is readable when its page is mapped to a tracked frame and
 * writable when that mapping also has PTD_PF_W; the move stops at the first byte that is not,
 * with ERR_FAULT and the partial count.  IoWrite's bytes are the op's own bytes, repeated from
 * where it begins, or else come from ptd_io_byte(); IoRead returns the XXH3-64 hash of what it
 * read, and ReaderReadVal of a value of at most 8 bytes the value too.
 *
 * Kernel readers/writers (NewKernelReader/NewKernelWriter, `from_kernel_space`) cover offsets
 * into the store's PTD_KERNEL_BYTES of kernel memory, every byte readable and writable; IoCopy
 * (the contract's Read, generalised to any reader/writer pair) moves bytes from a reader's
 * cursor to a writer's, one byte read then written at a time.
 *
 * Naive on purpose: bytes move one at a time.  Whether a byte is readable or writable depends
 * only on the mapping of its 4 KiB page, so a page's mapping is looked up once for the run of
 * its bytes a move reaches, not once per byte: the same bytes move, in the same order.
 */
#include "moved_hash.h"
#include "ops.h"

/* What a byte move does with each byte. */
enum io_move { IO_MOVE_READ, IO_MOVE_WRITE, IO_MOVE_ZEROS };

/**
 * page_slot() - POLICY.md "Readers and writers": the slot of the frame that holds the page of
 * user address @a of address space @vs_id, if its bytes are readable (the page is mapped to a
 * tracked frame) and, with @need_write, writable (that mapping also has PTD_PF_W).
 * Return: the slot index, or -1 (unmapped page, I/O mapping, or read-only for a write).
 */
static long page_slot(struct oracle *o, ptd_id_t vs_id, ptd_vaddr_t a, bool need_write)
{
	struct oracle_vmspace *vs = oracle_vmspace_get(o, vs_id);
	long m = oracle_mapping_find(vs, a - a % PTD_PAGE_SIZE);
	const struct oracle_mapping *map;

	if (m < 0) {
		return -1; /* unmapped page */
	}
	map = &vs->maps[m];
	if (!map->tracked) {
		return -1; /* I/O memory: no slot, no contents */
	}
	if (need_write && !(map->prop.flags & PTD_PF_W)) {
		return -1; /* read-only mapping */
	}
	/* A tracked mapping holds a reference: its frame is in use. */
	ORACLE_BUG_ON(oracle_slot_of(o, map->pa)->rc == PTD_RC_UNUSED);
	return (long)(map->pa / PTD_PAGE_SIZE);
}

/**
 * run_len() - How many bytes from address (offset) @a on lie in a's 4 KiB page, at most @max.
 */
static uint64_t run_len(uint64_t a, uint64_t max)
{
	const uint64_t in_page = PTD_PAGE_SIZE - a % PTD_PAGE_SIZE;

	return max < in_page ? max : in_page;
}

/**
 * read_run() - The bytes of @io from address (user) or offset (kernel) @a to the end of a's
 * page, at most @max of them (*@len).  POLICY.md: a kernel byte is always readable; a user byte
 * when its page is mapped to a tracked frame (page_slot()).
 * Return: where the byte at @a is (frame contents or kernel memory), or NULL when the page is
 * not readable.
 */
static const uint8_t *read_run(struct oracle *o, const struct oracle_io *io, uint64_t a,
			       uint64_t max, uint64_t *len)
{
	long slot;

	*len = run_len(a, max);
	if (io->kernel) {
		return oracle_kernel_bytes(o) + a;
	}
	slot = page_slot(o, io->vs, a, false);
	if (slot < 0) {
		return NULL;
	}
	return oracle_frame_bytes(o, (uint64_t)slot) + a % PTD_PAGE_SIZE;
}

/**
 * write_run() - As read_run(), for writing every one of the *@len bytes.  POLICY.md: a kernel
 * byte is always writable; a user byte when its page is mapped to a tracked frame with
 * PTD_PF_W.
 * Return: where the byte at @a is, or NULL when the page is not writable.
 */
static uint8_t *write_run(struct oracle *o, const struct oracle_io *io, uint64_t a, uint64_t max,
			  uint64_t *len)
{
	long slot;

	*len = run_len(a, max);
	if (io->kernel) {
		return oracle_kernel_bytes_for_write(o, a, *len) + a;
	}
	slot = page_slot(o, io->vs, a, true);
	if (slot < 0) {
		return NULL;
	}
	return oracle_frame_bytes_for_write(o, (uint64_t)slot, *len) + a % PTD_PAGE_SIZE;
}

/**
 * written_byte() - POLICY.md IoWrite / WriterWriteVal: the byte the write @op puts at address
 * (offset) @a of @io, whose cursor was @first when the write began.  With bytes (op.h), byte
 * (a - first) mod nbytes of them: the string from its first byte on at the first byte written.
 * Else ptd_io_byte(seed, a - start): k counts from the writer's start.
 */
static uint8_t written_byte(const struct ptd_op *op, const struct oracle_io *io, uint64_t first,
			    uint64_t a)
{
	ORACLE_BUG_ON(op->nbytes > PTD_OP_BYTES_MAX);
	if (op->nbytes) {
		return op->bytes[(a - first) % op->nbytes];
	}
	return ptd_io_byte(op->seed, a - io->start);
}

/**
 * move_bytes() - POLICY.md IoRead/IoWrite/IoFillZeros: n = min(@len, end - cursor); move bytes
 * from the cursor on, one at a time, while they are readable (@how READ) or writable, at most n;
 * cursor += the count moved.  Result: count, OK if all n moved else ERR_FAULT, and for a read the
 * XXH3-64 of the bytes read, in order.  User or kernel alike (read_run()/write_run()).  @op:
 * the write whose data IO_MOVE_WRITE writes (written_byte()); unused otherwise.
 */
static void move_bytes(struct oracle *o, struct oracle_io *io, uint64_t len, enum io_move how,
		       const struct ptd_op *op, struct ptd_result *res)
{
	const uint64_t left = io->end - io->cursor;
	const uint64_t n = len < left ? len : left;
	uint64_t count = 0;
	XXH3_state_t hash;

	XXH3_64bits_reset(&hash);
	ORACLE_BUG_ON(io->start > io->cursor || io->cursor > io->end);
	while (count < n) {
		const uint64_t a = io->cursor + count;
		uint64_t run;

		if (how == IO_MOVE_READ) {
			const uint8_t *p = read_run(o, io, a, n - count, &run);

			if (!p) {
				break; /* the op stops here with the partial count */
			}
			XXH3_64bits_update(&hash, p, run);
		} else {
			uint8_t *p = write_run(o, io, a, n - count, &run);

			if (!p) {
				break;
			}
			/* IoWrite: written_byte() (the cursor moves only once the loop ends, so
			 * io->cursor is still where the write began); IoFillZeros: 0. */
			for (uint64_t k = 0; k < run; k++)
				p[k] = how == IO_MOVE_WRITE
					       ? written_byte(op, io, io->cursor, a + k)
					       : 0;
		}
		count += run;
	}
	io->cursor += count;
	res->status = count == n ? PTD_OK : PTD_ERR_FAULT;
	res->count = count;
	if (how == IO_MOVE_READ) {
		/* Of the bytes read: the hash of no bytes when none was. */
		res->hash = XXH3_64bits_digest(&hash);
	}
}

/**
 * new_vm_io() - NewReader/NewWriter: `new_vm_io_step` over `vm_space_reader_embedded` /
 * `vm_space_writer_embedded` (docs/CONTRACTS.md#io).  Contract: an entry exists only if
 * vaddr + len <= MAX_USERSPACE_VADDR; the exec also needs the space activated, which POLICY.md
 * does not model, so success is exactly that bound (step 1, no overflow: len is checked alone
 * first).  The entry's vm_space is @op->vs; no slot changes.
 */
static void new_vm_io(struct oracle *o, const struct ptd_op *op, enum ptd_io_kind kind,
		      struct ptd_result *res)
{
	/* The handle resolves: the runner passes a live address space. */
	(void)oracle_vmspace_get(o, op->vs);
	/* 1. Not (va + len <= MAX_USERSPACE_VADDR) -> ERR_BAD_RANGE. */
	if (op->len > PTD_MAX_USERSPACE_VADDR || op->va > PTD_MAX_USERSPACE_VADDR - op->len) {
		res->status = PTD_ERR_BAD_RANGE;
		return;
	}
	/* 2. start = cursor = va, end = va + len (len 0 allowed). */
	oracle_io_register(o, op->new_id, op->vs, kind, op->va, op->va + op->len);
	res->status = PTD_OK;
	res->new_id = op->new_id;
}

/*
 * NewReader — `vm_space_reader_embedded` (docs/CONTRACTS.md#io, io.rs; VmSpace::reader).  POLICY.md
 * "NewReader / NewWriter".
 */
void oracle_new_reader(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	new_vm_io(o, op, PTD_IO_READER, res);
}

/*
 * NewWriter — `vm_space_writer_embedded` (docs/CONTRACTS.md#io, io.rs; VmSpace::writer).  POLICY.md
 * "NewReader / NewWriter".
 */
void oracle_new_writer(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	new_vm_io(o, op, PTD_IO_WRITER, res);
}

/*
 * IoRead — VmReader<Fallible> `read_fallible` / `read_val` / `collect` (docs/CONTRACTS.md#io): a
 * no-op on the store in the contract (identity fields kept, `regions` untouched).  POLICY.md IoRead
 * closes the rest: the bytes, the cursor, the partial count and ERR_FAULT, and the hash of what was
 * read.
 */
void oracle_io_read(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_io *io = &o->ios[oracle_io_get(o, op->io)];

	/* The runner passes a reader (op.h). */
	ORACLE_BUG_ON(io->kind != PTD_IO_READER);
	/* 1-2. Copy while readable, at most min(len, end - cursor); OK iff all of them. */
	move_bytes(o, io, op->len, IO_MOVE_READ, NULL, res);
}

/*
 * IoWrite — VmWriter<Fallible> `write_fallible` / `write_val` (docs/CONTRACTS.md#io): a no-op on
 * the store in the contract.  POLICY.md IoWrite: as IoRead with "writable"; the byte at address a
 * becomes written_byte(): the op's bytes repeated from the cursor, or ptd_io_byte(seed,
 * a - start).  No hash.
 */
void oracle_io_write(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_io *io = &o->ios[oracle_io_get(o, op->io)];

	/* The runner passes a writer (op.h). */
	ORACLE_BUG_ON(io->kind != PTD_IO_WRITER);
	move_bytes(o, io, op->len, IO_MOVE_WRITE, op, res);
}

/*
 * IoFillZeros — `vm_writer_fill_zeros_embedded` (docs/CONTRACTS.md#io): the contract keeps the
 * entry's range and mem_view and says nothing of bytes.  POLICY.md IoFillZeros: as IoWrite, writing
 * zeros.
 */
void oracle_io_fill_zeros(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_io *io = &o->ios[oracle_io_get(o, op->io)];

	/* The runner passes a writer (op.h). */
	ORACLE_BUG_ON(io->kind != PTD_IO_WRITER);
	move_bytes(o, io, op->len, IO_MOVE_ZEROS, NULL, res);
}

/*
 * IoSkip — `vm_reader_skip_embedded` / `lemma_vm_writer_skip_embedded` (docs/CONTRACTS.md#io):
 * owner unchanged; the exec's `nbytes <= remain` precondition is a MODEL GAP there
 * (handle-derived).  POLICY.md IoSkip turns it into ERR_WOULD_PANIC (OSTD asserts) and otherwise
 * moves the cursor.
 */
void oracle_io_skip(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_io *io = &o->ios[oracle_io_get(o, op->io)];

	/* 1. len > end - cursor -> ERR_WOULD_PANIC. */
	if (op->len > io->end - io->cursor) {
		res->status = PTD_ERR_WOULD_PANIC;
		return;
	}
	/* 2. cursor += len. */
	io->cursor += op->len;
	res->status = PTD_OK;
}

/*
 * IoLimit — `vm_reader_limit_embedded` / `lemma_vm_writer_limit_embedded` (docs/CONTRACTS.md#io):
 * owner unchanged (the exec only lowers the handle's end).  POLICY.md IoLimit: end = cursor +
 * min(len, end - cursor); it never fails.
 */
void oracle_io_limit(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_io *io = &o->ios[oracle_io_get(o, op->io)];
	const uint64_t left = io->end - io->cursor;

	io->end = io->cursor + (op->len < left ? op->len : left);
	res->status = PTD_OK;
}

/*
 * IoDrop — `drop_vm_io_step` (docs/CONTRACTS.md#io, DropReader/DropWriter): the entry is removed;
 * no slot changes.  POLICY.md IoDrop.
 */
void oracle_io_drop(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	oracle_io_unregister(o, oracle_io_get(o, op->io));
	res->status = PTD_OK;
}

/**
 * new_kernel_io() - NewKernelReader/NewKernelWriter (POLICY.md "Kernel memory"): offset in
 * @op->va.  The contract always creates the entry; POLICY.md bounds kernel memory, so step 1 is
 * len > PTD_KERNEL_BYTES or offset > PTD_KERNEL_BYTES - len -> ERR_BAD_RANGE (no overflow), and
 * step 2 registers [offset, offset + len) with address space 0.
 */
static void new_kernel_io(struct oracle *o, const struct ptd_op *op, enum ptd_io_kind kind,
			  struct ptd_result *res)
{
	/* 1. Out of kernel memory -> ERR_BAD_RANGE. */
	if (op->len > PTD_KERNEL_BYTES || op->va > PTD_KERNEL_BYTES - op->len) {
		res->status = PTD_ERR_BAD_RANGE;
		return;
	}
	/* 2. start = cursor = offset, end = offset + len, vs 0 (len 0 allowed). */
	oracle_io_register_kernel(o, op->new_id, kind, op->va, op->va + op->len);
	res->status = PTD_OK;
	res->new_id = op->new_id;
}

/* NewKernelReader — `VmReader::from_kernel_space` (docs/CONTRACTS.md#io).  POLICY.md "Kernel
 * memory". */
void oracle_new_kernel_reader(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	new_kernel_io(o, op, PTD_IO_READER, res);
}

/* NewKernelWriter — `VmWriter::from_kernel_space` (docs/CONTRACTS.md#io).  POLICY.md "Kernel
 * memory". */
void oracle_new_kernel_writer(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	new_kernel_io(o, op, PTD_IO_WRITER, res);
}

/*
 * IoCopy — `VmReader::read(&mut VmWriter)` / `read_fallible` (the contract's Read,
 * docs/CONTRACTS.md#io).  POLICY.md IoCopy, literally: n = min(len, reader's remainder, writer's
 * remainder); byte by byte, read the reader's next byte (stop if unreadable), write it at the
 * writer's next byte (stop if unwritable); count and XXH3-64 of the bytes copied; both cursors
 * advance by count; OK iff count == n, else ERR_FAULT.  Each byte is written before the next is
 * read, so an overlapping copy sees its own writes.
 */
void oracle_io_copy(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_io *rd = &o->ios[oracle_io_get(o, op->io)];
	struct oracle_io *wr = &o->ios[oracle_io_get(o, op->io2)];
	const uint64_t rleft = rd->end - rd->cursor;
	const uint64_t wleft = wr->end - wr->cursor;
	uint64_t n = op->len;
	uint64_t count = 0;
	XXH3_state_t hash;

	XXH3_64bits_reset(&hash);
	/* The runner passes a reader in io and a writer in io2 (op.h). */
	ORACLE_BUG_ON(rd->kind != PTD_IO_READER || wr->kind != PTD_IO_WRITER);
	ORACLE_BUG_ON(rd->start > rd->cursor || rd->cursor > rd->end);
	ORACLE_BUG_ON(wr->start > wr->cursor || wr->cursor > wr->end);
	/* 1. n = min(len, reader.end - reader.cursor, writer.end - writer.cursor). */
	if (rleft < n) {
		n = rleft;
	}
	if (wleft < n) {
		n = wleft;
	}
	/* 2. One byte at a time: read, then write, then the next; a run of bytes that lie in one
	 * page of the reader and one page of the writer at a time. */
	while (count < n) {
		uint64_t rrun, wrun;
		const uint8_t *src = read_run(o, rd, rd->cursor + count, n - count, &rrun);
		uint8_t *dst;

		if (!src) {
			break; /* source byte unreadable */
		}
		dst = write_run(o, wr, wr->cursor + count, rrun, &wrun);
		if (!dst) {
			break; /* destination byte unwritable: this byte is not copied */
		}
		/* src and dst may be the same bytes (memory is one array): each byte is read after
		 * the one before it was written. */
		for (uint64_t k = 0; k < wrun; k++)
			dst[k] = src[k];
		/* The bytes copied, in order: each byte of dst[0 .. wrun) was written once. */
		XXH3_64bits_update(&hash, dst, wrun);
		count += wrun;
	}
	rd->cursor += count;
	wr->cursor += count;
	res->status = count == n ? PTD_OK : PTD_ERR_FAULT;
	res->count = count;
	res->hash = XXH3_64bits_digest(&hash);
}

/**
 * move_value() - POLICY.md ReaderReadVal / ReaderCollect / WriterWriteVal: the exec specs of
 * `read_val`, `collect` and `write_val` (ostd/src/mm/io.rs) ensure `final(self).end ==
 * old(self).end` and `r is Err ==> *final(self) == *old(self)`.  So: move @len bytes as IoRead /
 * IoWrite would; if they did not all move, put the cursor back and report only ERR_FAULT (the
 * value is not returned; bytes a write_val already wrote stay written: the handle is restored,
 * memory is not).  @len <= end - cursor (checked by the caller).
 */
static void move_value(struct oracle *o, struct oracle_io *io, uint64_t len, enum io_move how,
		       const struct ptd_op *op, struct ptd_result *res)
{
	const ptd_vaddr_t before = io->cursor;

	ORACLE_BUG_ON(len > io->end - io->cursor);
	move_bytes(o, io, len, how, op, res);
	if (res->status != PTD_OK) {
		io->cursor = before;
		res->count = 0;
		res->hash = 0;
	}
}

/*
 * ReaderReadVal — VmReader<Fallible> `read_val::<T>` (docs/CONTRACTS.md#io: a no-op on the store),
 * with size_of::<T>() = len.  POLICY.md ReaderReadVal: 1. len > end - cursor -> ERR_INVALID_ARGS
 * (`if self.remain() < size_of::<T>()`), nothing moves.  2. move_value().  3. If it read a value
 * of 1 to PTD_VALUE_BYTES_MAX bytes, the value: its bytes read again, one at a time, from where
 * the reader was (op.h: byte j in bits 8j..8j+7).
 */
void oracle_reader_read_val(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_io *io = &o->ios[oracle_io_get(o, op->io)];

	ORACLE_BUG_ON(io->kind != PTD_IO_READER);
	if (op->len > io->end - io->cursor) {
		res->status = PTD_ERR_INVALID_ARGS;
		return;
	}
	move_value(o, io, op->len, IO_MOVE_READ, NULL, res);
	if (res->status != PTD_OK || op->len > PTD_VALUE_BYTES_MAX) {
		return;
	}
	for (uint64_t j = 0; j < op->len; j++) {
		uint64_t run;
		const uint8_t *p = read_run(o, io, io->cursor - op->len + j, 1, &run);

		ORACLE_BUG_ON(!p); /* it was just read */
		res->value |= (uint64_t)*p << (8 * j);
	}
}

/*
 * ReaderCollect — VmReader<Fallible> `collect` (docs/CONTRACTS.md#io: a no-op on the store): a
 * buffer of remain() bytes, then read_fallible into it.  POLICY.md ReaderCollect: move_value() of
 * end - cursor bytes.
 */
void oracle_reader_collect(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_io *io = &o->ios[oracle_io_get(o, op->io)];

	ORACLE_BUG_ON(io->kind != PTD_IO_READER);
	move_value(o, io, io->end - io->cursor, IO_MOVE_READ, NULL, res);
}

/*
 * WriterWriteVal — VmWriter<Fallible> `write_val::<T>` (docs/CONTRACTS.md#io: a no-op on the
 * store), with size_of::<T>() = len and the value's bytes written_byte(): the op's bytes from the
 * cursor on, or ptd_io_byte(seed, a - start).  POLICY.md WriterWriteVal: 1. len > end - cursor ->
 * ERR_INVALID_ARGS.  2. move_value().
 */
void oracle_writer_write_val(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	struct oracle_io *io = &o->ios[oracle_io_get(o, op->io)];

	ORACLE_BUG_ON(io->kind != PTD_IO_WRITER);
	if (op->len > io->end - io->cursor) {
		res->status = PTD_ERR_INVALID_ARGS;
		return;
	}
	move_value(o, io, op->len, IO_MOVE_WRITE, op, res);
}

/**
 * query_handle() - ReaderQuery / WriterQuery (docs/CONTRACTS.md#io: "pure-read methods ... handled
 * directly by the dispatcher", no step): `remain`/`avail` = end - cursor, `has_remain`/`has_avail`
 * = (that > 0), `cursor`.  Nothing changes.
 */
static void query_handle(struct oracle *o, const struct ptd_op *op, enum ptd_io_kind kind,
			 struct ptd_result *res)
{
	const struct oracle_io *io = &o->ios[oracle_io_get(o, op->io)];

	ORACLE_BUG_ON(io->kind != kind);
	res->count = io->end - io->cursor;
	res->found = io->end > io->cursor;
	res->va = io->cursor;
	res->status = PTD_OK;
}

/* ReaderQuery — VmReader `remain`, `has_remain`, `cursor`.  POLICY.md ReaderQuery. */
void oracle_reader_query(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	query_handle(o, op, PTD_IO_READER, res);
}

/* WriterQuery — VmWriter `avail`, `has_avail`, `cursor`.  POLICY.md WriterQuery. */
void oracle_writer_query(struct oracle *o, const struct ptd_op *op, struct ptd_result *res)
{
	query_handle(o, op, PTD_IO_WRITER, res);
}
