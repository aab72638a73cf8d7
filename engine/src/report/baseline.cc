// SPDX-License-Identifier: Apache-2.0
// Placeholder.
#include "covmerge/exports.h"
