/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target with structure-aware mutation (fuzz/input/mutate.h): the same differential run
 * as ptdiff-fuzz, but mutants are edited op by op.  Half of the mutations still go through
 * libFuzzer's own byte mutator, so byte-level changes remain possible.
 */
#include <stddef.h>
#include <stdint.h>
#include "mutate.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out_size,
				 unsigned int seed);

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	if (seed % 2)
		return LLVMFuzzerMutate(data, size, max_size);
	return ptd_mutate_ops(data, size, max_size, seed);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
				 size_t size2, uint8_t *out, size_t max_out_size, unsigned int seed)
{
	return ptd_crossover_ops(data1, size1, data2, size2, out, max_out_size, seed);
}
