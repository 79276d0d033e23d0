/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-gpu.c: the GPUs of the machine, NVIDIA ones first, then AMD ones. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "monitor/wl-gpu-private.h"

#define DEFAULT_NVML_LIBRARY "libnvidia-ml.so.1"

struct _WlGpuProbe
{
  WlNvml    *nvml;      /* NULL without NVIDIA GPUs */
  guint      n_nvml;
  GPtrArray *amd;       /* WlAmdGpu * */
  char      *status;    /* why there is none, or NULL */
};

WlGpuProbe *
wl_gpu_probe_new (const char *sysfs_root,
                  const char *nvml_library)
{
  WlGpuProbe *probe = g_new0 (WlGpuProbe, 1);
  g_autofree char *nvml_why = NULL;
  g_autofree char *drm = NULL;

  if (sysfs_root == NULL)
    sysfs_root = "/sys";
  if (nvml_library == NULL)
    nvml_library = DEFAULT_NVML_LIBRARY;

  probe->nvml = wl_nvml_open (nvml_library, &nvml_why);
  probe->n_nvml = probe->nvml != NULL ? wl_nvml_get_n_devices (probe->nvml) : 0;
  probe->amd = wl_amd_gpus_find (sysfs_root);

  if (probe->n_nvml + probe->amd->len == 0)
    {
      drm = g_build_filename (sysfs_root, "class", "drm", NULL);
      /* Translators: the first %s says why NVML failed ("the NVIDIA driver
       * library libnvidia-ml.so.1 is not installed"); the second is a
       * folder. */
      probe->status = g_strdup_printf (_("No GPU counters were found: %s, and no card in %s "
                                         "reports gpu_busy_percent (AMD)."),
                                       nvml_why, drm);
    }
  return probe;
}

void
wl_gpu_probe_free (WlGpuProbe *probe)
{
  if (probe == NULL)
    return;
  wl_nvml_close (probe->nvml);
  g_ptr_array_unref (probe->amd);
  g_free (probe->status);
  g_free (probe);
}

guint
wl_gpu_probe_get_n_gpus (WlGpuProbe *probe)
{
  g_return_val_if_fail (probe != NULL, 0);
  return probe->n_nvml + probe->amd->len;
}

const char *
wl_gpu_probe_get_status (WlGpuProbe *probe)
{
  g_return_val_if_fail (probe != NULL, NULL);
  return probe->status;
}

void
wl_gpu_probe_sample (WlGpuProbe  *probe,
                     WlGpuSample *samples)
{
  g_return_if_fail (probe != NULL);
  g_return_if_fail (samples != NULL || wl_gpu_probe_get_n_gpus (probe) == 0);

  for (guint i = 0; i < probe->n_nvml; i++)
    wl_nvml_sample (probe->nvml, i, &samples[i]);
  for (guint i = 0; i < probe->amd->len; i++)
    wl_amd_gpu_sample (g_ptr_array_index (probe->amd, i), &samples[probe->n_nvml + i]);
}
