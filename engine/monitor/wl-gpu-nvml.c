/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-gpu-nvml.c: NVIDIA GPU counters through NVML, loaded at run time. */
#include "config.h"

#include <gmodule.h>
#include <glib/gi18n-lib.h>

#include "monitor/wl-gpu-private.h"

/* The few NVML types and calls used, as nvml.h declares them (the header is
 * not needed to build: the library is opened with g_module_open). */
typedef int nvmlReturn_t;            /* NVML_SUCCESS == 0 */
typedef struct nvmlDevice_st *nvmlDevice_t;
typedef struct
{
  unsigned int gpu;                  /* percent of time a kernel ran */
  unsigned int memory;
} nvmlUtilization_t;
typedef struct
{
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
} nvmlMemory_t;

#define NVML_SUCCESS 0
#define NVML_NAME_SIZE 96            /* NVML_DEVICE_NAME_V2_BUFFER_SIZE */

typedef struct
{
  nvmlReturn_t (*init)            (void);
  nvmlReturn_t (*shutdown)        (void);
  nvmlReturn_t (*get_count)       (unsigned int *count);
  nvmlReturn_t (*get_handle)      (unsigned int index, nvmlDevice_t *device);
  nvmlReturn_t (*get_name)        (nvmlDevice_t device, char *name, unsigned int length);
  nvmlReturn_t (*get_utilization) (nvmlDevice_t device, nvmlUtilization_t *utilization);
  nvmlReturn_t (*get_memory)      (nvmlDevice_t device, nvmlMemory_t *memory);
  const char * (*error_string)    (nvmlReturn_t result);   /* optional */
} NvmlCalls;

static const struct
{
  const char *symbol;
  gsize       offset;
} nvml_symbols[] = {
  { "nvmlInit_v2",                   G_STRUCT_OFFSET (NvmlCalls, init) },
  { "nvmlShutdown",                  G_STRUCT_OFFSET (NvmlCalls, shutdown) },
  { "nvmlDeviceGetCount_v2",         G_STRUCT_OFFSET (NvmlCalls, get_count) },
  { "nvmlDeviceGetHandleByIndex_v2", G_STRUCT_OFFSET (NvmlCalls, get_handle) },
  { "nvmlDeviceGetName",             G_STRUCT_OFFSET (NvmlCalls, get_name) },
  { "nvmlDeviceGetUtilizationRates", G_STRUCT_OFFSET (NvmlCalls, get_utilization) },
  { "nvmlDeviceGetMemoryInfo",       G_STRUCT_OFFSET (NvmlCalls, get_memory) },
};

struct _WlNvml
{
  GModule      *module;
  NvmlCalls     calls;
  guint         n_devices;
  nvmlDevice_t *devices;
  char        **names;
};

static char *
result_to_string (WlNvml       *nvml,
                  nvmlReturn_t  result)
{
  if (nvml->calls.error_string != NULL)
    return g_strdup_printf ("%s (%d)", nvml->calls.error_string (result), result);
  return g_strdup_printf ("NVML error %d", result);
}

WlNvml *
wl_nvml_open (const char  *library,
              char       **why)
{
  g_autofree char *problem = NULL;
  WlNvml *nvml;
  nvmlReturn_t result;
  unsigned int count = 0;

  g_return_val_if_fail (library != NULL, NULL);
  g_return_val_if_fail (why != NULL && *why == NULL, NULL);

  nvml = g_new0 (WlNvml, 1);
  nvml->module = g_module_open (library, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (nvml->module == NULL)
    {
      /* Translators: %s is a library file name */
      *why = g_strdup_printf (_("the NVIDIA driver library %s is not installed"), library);
      g_free (nvml);
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (nvml_symbols); i++)
    if (!g_module_symbol (nvml->module, nvml_symbols[i].symbol,
                          (gpointer *) G_STRUCT_MEMBER_P (&nvml->calls, nvml_symbols[i].offset)))
      {
        *why = g_strdup_printf (_("%s lacks %s; the NVIDIA driver is too old"),
                                library, nvml_symbols[i].symbol);
        g_module_close (nvml->module);
        g_free (nvml);
        return NULL;
      }
  g_module_symbol (nvml->module, "nvmlErrorString", (gpointer *) &nvml->calls.error_string);

  result = nvml->calls.init ();
  if (result != NVML_SUCCESS)
    {
      problem = result_to_string (nvml, result);
      *why = g_strdup_printf (_("the NVIDIA driver library did not start: %s"), problem);
      g_module_close (nvml->module);
      g_free (nvml);
      return NULL;
    }
  result = nvml->calls.get_count (&count);
  if (result != NVML_SUCCESS)
    problem = result_to_string (nvml, result);

  nvml->devices = g_new0 (nvmlDevice_t, count);
  nvml->names = g_new0 (char *, count + 1);
  for (unsigned int i = 0; i < count && problem == NULL; i++)
    {
      char name[NVML_NAME_SIZE] = "";

      result = nvml->calls.get_handle (i, &nvml->devices[nvml->n_devices]);
      if (result != NVML_SUCCESS)
        continue;   /* a GPU the driver cannot talk to: leave it out */
      if (nvml->calls.get_name (nvml->devices[nvml->n_devices], name, sizeof name) != NVML_SUCCESS
          || name[0] == '\0')
        g_snprintf (name, sizeof name, _("NVIDIA GPU %u"), i);
      nvml->names[nvml->n_devices++] = g_strdup (name);
    }
  if (nvml->n_devices == 0)
    {
      *why = problem != NULL
        ? g_strdup_printf (_("the NVIDIA driver cannot count its GPUs: %s"), problem)
        : g_strdup (_("the NVIDIA driver sees no GPU"));
      wl_nvml_close (nvml);
      return NULL;
    }
  return nvml;
}

void
wl_nvml_close (WlNvml *nvml)
{
  if (nvml == NULL)
    return;
  nvml->calls.shutdown ();
  g_module_close (nvml->module);
  g_free (nvml->devices);
  g_strfreev (nvml->names);
  g_free (nvml);
}

guint
wl_nvml_get_n_devices (WlNvml *nvml)
{
  g_return_val_if_fail (nvml != NULL, 0);
  return nvml->n_devices;
}

void
wl_nvml_sample (WlNvml      *nvml,
                guint        index,
                WlGpuSample *sample)
{
  nvmlUtilization_t utilization;
  nvmlMemory_t memory;

  g_return_if_fail (nvml != NULL && index < nvml->n_devices);

  sample->name = nvml->names[index];
  sample->vendor = WL_GPU_VENDOR_NVIDIA;
  sample->busy_percent = -1.0;
  sample->memory_used = sample->memory_total = 0;
  if (nvml->calls.get_utilization (nvml->devices[index], &utilization) == NVML_SUCCESS)
    sample->busy_percent = MIN (utilization.gpu, 100u);
  if (nvml->calls.get_memory (nvml->devices[index], &memory) == NVML_SUCCESS)
    {
      sample->memory_used = memory.used;
      sample->memory_total = memory.total;
    }
}
