/* SPDX-License-Identifier: MIT */
/* The code of the xxHash functions moved_hash.h declares. */
#define XXH_IMPLEMENTATION
#include "moved_hash.h"
