/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-resource-sample.c: a monitor's sample as the store keeps it. */
#include "config.h"

#include <math.h>

#include "store/wl-resource-sample.h"

void
wl_resource_sample_from_monitor (WlResourceSample      *sample,
                                 const WlMonitorSample *from)
{
  double busy_sum = 0;
  guint n_busy = 0;

  g_return_if_fail (sample != NULL);
  g_return_if_fail (from != NULL);

  *sample = (WlResourceSample) {
    .cpu_percent = from->n_cores > 0 ? from->cpu_busy * from->n_cores : NAN,
    .rss_bytes = from->memory.process_rss,
    .gpu_percent = NAN,
  };
  for (guint i = 0; i < from->n_gpus; i++)
    {
      const WlGpuSample *gpu = &from->gpus[i];

      if (gpu->busy_percent >= 0)
        {
          busy_sum += gpu->busy_percent;
          n_busy++;
        }
      sample->gpu_memory_bytes += gpu->memory_used;
    }
  if (n_busy > 0)
    sample->gpu_percent = busy_sum / n_busy;
}
