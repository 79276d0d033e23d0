/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-gpu-private.h: the two GPU sources behind wl-gpu.c. */
#pragma once

#include "monitor/wl-gpu.h"

G_BEGIN_DECLS

/* NVIDIA, through NVML loaded at run time (wl-gpu-nvml.c). */
typedef struct _WlNvml WlNvml;

/* NULL when the library is missing or does not start; @why then says so
 * in words for the user. */
WlNvml     *wl_nvml_open          (const char   *library,
                                   char        **why);
void        wl_nvml_close         (WlNvml       *nvml);
guint       wl_nvml_get_n_devices (WlNvml       *nvml);
void        wl_nvml_sample        (WlNvml       *nvml,
                                   guint         index,
                                   WlGpuSample  *sample);

/* AMD, through amdgpu's sysfs files (wl-gpu-amd.c). */
typedef struct _WlAmdGpu WlAmdGpu;

/* The cards under @sysfs_root/class/drm with gpu_busy_percent
 * (WlAmdGpu *, freed by the array). */
GPtrArray  *wl_amd_gpus_find      (const char   *sysfs_root);
void        wl_amd_gpu_sample     (WlAmdGpu     *gpu,
                                   WlGpuSample  *sample);

G_END_DECLS
