/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-private.h: what the dispatcher and the backends share. */
#pragma once

#include "compute/wl-backend.h"

G_BEGIN_DECLS

/* The backend classes; wl-backend.c lists them. */
extern const WlBackendClass wl_backend_cpu_class;
extern const WlBackendClass wl_backend_blas_class;
#ifdef WL_HAVE_OPENCL
extern const WlBackendClass wl_backend_opencl_class;
#endif

WlDeviceInfo *wl_device_info_copy       (const WlDeviceInfo *info);

/* Records a failure of a host-side default on @backend; the first one is
 * kept and reported by the next wl_backend_finish() or wl_buffer_read(). */
void          wl_backend_take_error     (WlBackend          *backend,
                                         GError             *error);

G_END_DECLS
