/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-opencl.h: the OpenCL backend (every platform's devices; pocl on the CPU).
 *
 * Device ids are "opencl:P:D" (platform P, device D, in the order the
 * OpenCL loader lists them).  Kernels come from kernels/NAME.cl, built once
 * per device for the life of the process; kernel times come from
 * profiling events (take_busy_seconds).
 */
#pragma once

#include "compute/wl-backend.h"

G_BEGIN_DECLS

extern const WlBackendClass wl_backend_opencl_class;

G_END_DECLS
