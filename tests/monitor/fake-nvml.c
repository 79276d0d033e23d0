/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fake-nvml.c: a stand-in for libnvidia-ml.so.1 with two GPUs, so the
 * NVML path of wl-gpu-nvml.c is tested without NVIDIA hardware. */
#include <stdio.h>
#include <string.h>

typedef struct
{
  unsigned int gpu;
  unsigned int memory;
} Utilization;

typedef struct
{
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
} Memory;

static int started;

int nvmlInit_v2 (void) { started = 1; return 0; }
int nvmlShutdown (void) { started = 0; return 0; }

int
nvmlDeviceGetCount_v2 (unsigned int *count)
{
  *count = 2;
  return started ? 0 : 1;
}

int
nvmlDeviceGetHandleByIndex_v2 (unsigned int index, void **device)
{
  *device = (void *) (unsigned long) (index + 1);
  return index < 2 ? 0 : 2;
}

int
nvmlDeviceGetName (void *device, char *name, unsigned int length)
{
  snprintf (name, length, "Fake GPU %lu", (unsigned long) device - 1);
  return 0;
}

int
nvmlDeviceGetUtilizationRates (void *device, Utilization *utilization)
{
  /* The second GPU cannot report its utilisation. */
  if ((unsigned long) device == 2)
    return 3;
  utilization->gpu = 37;
  utilization->memory = 12;
  return 0;
}

int
nvmlDeviceGetMemoryInfo (void *device, Memory *memory)
{
  memory->total = 8ull << 30;
  memory->used = (unsigned long long) device << 30;
  memory->free = memory->total - memory->used;
  return 0;
}

const char *
nvmlErrorString (int result)
{
  return result == 3 ? "Not Supported" : "Unknown Error";
}
