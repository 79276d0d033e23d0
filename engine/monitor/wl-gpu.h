/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-gpu.h: utilisation and memory of the GPUs that expose counters.
 *
 * NVIDIA: the driver's NVML library (libnvidia-ml.so.1), loaded at run time,
 * so Wordloom neither links to it nor needs it; without it there is simply
 * no NVIDIA GPU.  AMD: the amdgpu driver's sysfs files
 * ROOT/class/drm/cardN/device/{gpu_busy_percent,mem_info_vram_used,
 * mem_info_vram_total}.  Both roots are parameters so tests can use fakes.
 *
 * A probe is made, sampled and freed on one thread (the monitor's).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  WL_GPU_VENDOR_NVIDIA,
  WL_GPU_VENDOR_AMD,
} WlGpuVendor;

typedef struct
{
  char        *name;          /* "NVIDIA H100 80GB HBM3", "AMD Radeon RX 7900 XT" */
  WlGpuVendor  vendor;
  double       busy_percent;  /* 0..100; < 0 when it could not be read */
  guint64      memory_used;   /* bytes */
  guint64      memory_total;  /* bytes; 0 when it could not be read */
} WlGpuSample;

typedef struct _WlGpuProbe WlGpuProbe;

/* Looks for GPUs.  @sysfs_root: NULL for "/sys"; @nvml_library: NULL for
 * "libnvidia-ml.so.1".  Never fails: a machine may have no GPU. */
WlGpuProbe *wl_gpu_probe_new        (const char   *sysfs_root,
                                     const char   *nvml_library);
void        wl_gpu_probe_free       (WlGpuProbe   *probe);
guint       wl_gpu_probe_get_n_gpus (WlGpuProbe   *probe);
/* Why no GPU was found, for the user ("No GPU counters were found: …");
 * NULL when there is at least one. */
const char *wl_gpu_probe_get_status (WlGpuProbe   *probe);
/* Fills @samples[0 .. n_gpus - 1]; their names belong to the probe. */
void        wl_gpu_probe_sample     (WlGpuProbe   *probe,
                                     WlGpuSample  *samples);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlGpuProbe, wl_gpu_probe_free)

G_END_DECLS
