/* SPDX-License-Identifier: MIT */
/* xxHash's functions for moved_hash.h, under the prefix moved_hash.h gives them. */
#define XXH_IMPLEMENTATION
#include "moved_hash.h"
