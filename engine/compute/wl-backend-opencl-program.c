/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-opencl-program.c: per-device contexts, tuning values and the program cache.
 *
 * A device's context and its built programs live for the whole process:
 * the first backend opened on a device creates them, later ones (another
 * run, another test) reuse them, so each kernels/NAME.cl is compiled once
 * per device (its build options are the device's).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "compute/wl-backend-opencl-private.h"
#include "wl-error.h"

/* From kernels/wordloom-kernels.gresource.xml (generated source, built
 * with --manual-register). */
void       wl_kernels_register_resource (void);
GResource *wl_kernels_get_resource      (void);

#define KERNELS_PATH "/org/wordloom/Wordloom/kernels/"

/* Tuning, first match wins: a device by name, then a vendor, then a kind
 * of device, then the default.  See kernels/gemm.cl for the gemm values.
 * WL_OPENCL_GEMM=tiles or =vector in the environment picks only entries
 * of that gemm flavour (tests run both on pocl; tuning by hand). */
typedef struct
{
  const char     *platform;   /* part of the platform name, or NULL for any */
  const char     *vendor;     /* part of the device vendor, or NULL */
  const char     *device;     /* part of the device name, or NULL */
  cl_device_type  type;       /* 0 for any */
  WlOpenclTuning  tuning;
} TuningEntry;

static const TuningEntry tuning_table[] = {
  /* CPUs (pocl, Intel's CPU runtime): barriers and local memory are slow
   * there; gemm_vector's 8 × 16 blocks fill the AVX-512 registers (two
   * AVX2 registers per vector elsewhere). */
  { .type = CL_DEVICE_TYPE_CPU,
    .tuning = { .gemm_vw = 16, .gemm_wm = 8, .group_size = 64, .reduce_groups = 16 } },
  { .vendor = "NVIDIA",
    .tuning = { .gemm_tm = 64, .gemm_tn = 64, .gemm_tk = 16, .gemm_wm = 4, .gemm_wn = 4,
                .group_size = 256, .reduce_groups = 256 } },
  { .vendor = "Advanced Micro Devices", .type = CL_DEVICE_TYPE_GPU,
    .tuning = { .gemm_tm = 64, .gemm_tn = 64, .gemm_tk = 16, .gemm_wm = 4, .gemm_wn = 4,
                .group_size = 256, .reduce_groups = 256 } },
  { .vendor = "Intel", .type = CL_DEVICE_TYPE_GPU,
    .tuning = { .gemm_tm = 32, .gemm_tn = 64, .gemm_tk = 16, .gemm_wm = 4, .gemm_wn = 4,
                .group_size = 128, .reduce_groups = 64 } },
  { .type = CL_DEVICE_TYPE_GPU,
    .tuning = { .gemm_tm = 64, .gemm_tn = 64, .gemm_tk = 16, .gemm_wm = 4, .gemm_wn = 4,
                .group_size = 256, .reduce_groups = 128 } },
  { .type = 0,
    .tuning = { .gemm_tm = 32, .gemm_tn = 32, .gemm_tk = 16, .gemm_wm = 4, .gemm_wn = 4,
                .group_size = 64, .reduce_groups = 32 } },
  { .type = 0,
    .tuning = { .gemm_vw = 8, .gemm_wm = 8, .group_size = 64, .reduce_groups = 32 } },
};

/* For devices whose work-groups or local memory are too small for the
 * table's values: 16 work-items, 1 KiB of local memory. */
static const WlOpenclTuning tuning_small = {
  .gemm_tm = 8, .gemm_tn = 8, .gemm_tk = 8, .gemm_wm = 2, .gemm_wn = 2,
  .group_size = 16, .reduce_groups = 8,
};

static gboolean
contains (const char *haystack,
          const char *needle)
{
  return needle == NULL || strstr (haystack, needle) != NULL;
}

static gboolean
tuning_fits (const WlOpenclTuning *tuning,
             gsize                 max_group,
             cl_ulong              local_memory)
{
  gsize gemm_group = 1;
  cl_ulong tiles = 0;

  if (tuning->gemm_vw == 0)
    {
      gemm_group = (tuning->gemm_tm / tuning->gemm_wm) * (tuning->gemm_tn / tuning->gemm_wn);
      tiles = (cl_ulong) tuning->gemm_tk * (tuning->gemm_tm + tuning->gemm_tn + 2) * 4;
    }
  return gemm_group <= max_group && tuning->group_size <= max_group && tiles <= local_memory;
}

static const WlOpenclTuning *
find_tuning (cl_platform_id platform,
             cl_device_id   device)
{
  g_autofree char *platform_name = NULL;
  g_autofree char *vendor = wl_opencl_device_string (device, CL_DEVICE_VENDOR);
  g_autofree char *name = wl_opencl_device_string (device, CL_DEVICE_NAME);
  const char *flavour = g_getenv ("WL_OPENCL_GEMM");
  gboolean tiles = g_strcmp0 (flavour, "tiles") == 0, vector = g_strcmp0 (flavour, "vector") == 0;
  cl_device_type type = 0;
  cl_ulong local_memory = 0;
  gsize max_group = 0, size = 0;

  clGetDeviceInfo (device, CL_DEVICE_TYPE, sizeof type, &type, NULL);
  clGetDeviceInfo (device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof max_group, &max_group, NULL);
  clGetDeviceInfo (device, CL_DEVICE_LOCAL_MEM_SIZE, sizeof local_memory, &local_memory, NULL);
  clGetPlatformInfo (platform, CL_PLATFORM_NAME, 0, NULL, &size);
  platform_name = g_malloc0 (size + 1);
  clGetPlatformInfo (platform, CL_PLATFORM_NAME, size, platform_name, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (tuning_table); i++)
    {
      const TuningEntry *entry = &tuning_table[i];

      if ((tiles && entry->tuning.gemm_vw > 0) || (vector && entry->tuning.gemm_vw == 0))
        continue;
      if (contains (platform_name, entry->platform) && contains (vendor, entry->vendor)
          && contains (name, entry->device) && (entry->type == 0 || (entry->type & type)))
        return tuning_fits (&entry->tuning, max_group, local_memory) ? &entry->tuning
                                                                      : &tuning_small;
    }
  g_return_val_if_reached (&tuning_small);
}

static GMutex cache_lock;
static GHashTable *devices;      /* device id → WlOpenclDevice, for the process */
static guint n_builds;

static WlOpenclDevice *
device_new (const char  *device_id,
            GError     **error)
{
  g_autofree WlOpenclDevice *device = g_new0 (WlOpenclDevice, 1);
  g_autofree char *gemm = NULL;
  const WlOpenclTuning *t;
  cl_int status;

  if (!wl_opencl_find_device (device_id, &device->platform, &device->id, error))
    return NULL;
  device->name = wl_opencl_device_string (device->id, CL_DEVICE_NAME);
  device->context = clCreateContext (NULL, 1, &device->id, NULL, NULL, &status);
  if (status != CL_SUCCESS)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("Could not open the OpenCL device %s (%s): %s; choose another device "
                     "or train on the CPU"),
                   device_id, device->name, wl_opencl_error_name (status));
      g_free (device->name);
      return NULL;
    }
  device->fp16 = wl_opencl_device_has_extension (device->id, "cl_khr_fp16");
  device->tuning = t = find_tuning (device->platform, device->id);
  if (t->gemm_vw > 0)
    gemm = g_strdup_printf ("-DVW=%u -DWM=%u", t->gemm_vw, t->gemm_wm);
  else
    gemm = g_strdup_printf ("-DTM=%u -DTN=%u -DTK=%u -DWM=%u -DWN=%u", t->gemm_tm, t->gemm_tn,
                            t->gemm_tk, t->gemm_wm, t->gemm_wn);
  device->options = g_strdup_printf ("-cl-std=CL1.2 %s -DREDUCE_WG=%u%s", gemm, t->group_size,
                                     device->fp16 ? " -DWL_HAVE_FP16" : "");
  device->programs = g_hash_table_new (g_str_hash, g_str_equal);
  return g_steal_pointer (&device);
}

WlOpenclDevice *
wl_opencl_device_get (const char  *device_id,
                      GError     **error)
{
  WlOpenclDevice *device;

  g_mutex_lock (&cache_lock);
  if (devices == NULL)
    devices = g_hash_table_new (g_str_hash, g_str_equal);
  device = g_hash_table_lookup (devices, device_id);
  if (device == NULL && (device = device_new (device_id, error)) != NULL)
    g_hash_table_insert (devices, g_strdup (device_id), device);
  g_mutex_unlock (&cache_lock);
  return device;
}

static GResource *
kernels_resource (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      wl_kernels_register_resource ();
      g_once_init_leave (&registered, 1);
    }
  return wl_kernels_get_resource ();
}

static char *
load_source (const char  *file,
             GError     **error)
{
  g_autofree char *path = g_strconcat (KERNELS_PATH, file, NULL);
  g_autoptr(GBytes) bytes = g_resource_lookup_data (kernels_resource (), path,
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, error);

  if (bytes == NULL)
    return NULL;
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static char *
build_log (WlOpenclDevice *device,
           cl_program      program)
{
  g_autofree char *log = NULL;
  gsize size = 0;

  if (clGetProgramBuildInfo (program, device->id, CL_PROGRAM_BUILD_LOG, 0, NULL, &size)
      != CL_SUCCESS || size == 0)
    return g_strdup ("");
  log = g_malloc0 (size + 1);
  clGetProgramBuildInfo (program, device->id, CL_PROGRAM_BUILD_LOG, size, log, NULL);
  return g_strstrip (g_steal_pointer (&log));
}

/* Builds common.cl + @file with the device's options. */
static cl_program
build_program (WlOpenclDevice  *device,
               const char      *file,
               GError         **error)
{
  g_autofree char *common = load_source ("common.cl", error);
  g_autofree char *source = common ? load_source (file, error) : NULL;
  const char *sources[2] = { common, source };
  cl_program program;
  cl_int status;

  if (source == NULL)
    return NULL;
  program = clCreateProgramWithSource (device->context, 2, sources, NULL, &status);
  if (status != CL_SUCCESS)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("Could not load the OpenCL kernels %s on %s: %s"),
                   file, device->name, wl_opencl_error_name (status));
      return NULL;
    }
  n_builds++;
  status = clBuildProgram (program, 1, &device->id, device->options, NULL, NULL);
  if (status != CL_SUCCESS)
    {
      g_autofree char *log = build_log (device, program);

      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("Could not build the OpenCL kernels %s for %s (%s, options “%s”); the "
                     "driver may be too old, try another device or the CPU. Build log:\n%s"),
                   file, device->name, wl_opencl_error_name (status), device->options, log);
      clReleaseProgram (program);
      return NULL;
    }
  return program;
}

/* @file's program for @device, built on first use. */
cl_program
wl_opencl_program_get (WlOpenclDevice  *device,
                       const char      *file,
                       GError         **error)
{
  cl_program program;

  g_mutex_lock (&cache_lock);
  program = g_hash_table_lookup (device->programs, file);
  if (program == NULL && (program = build_program (device, file, error)) != NULL)
    g_hash_table_insert (device->programs, g_strdup (file), program);
  g_mutex_unlock (&cache_lock);
  return program;
}

/* How many programs this process has built (tests: the cache works). */
guint
wl_opencl_program_build_count (void)
{
  guint count;

  g_mutex_lock (&cache_lock);
  count = n_builds;
  g_mutex_unlock (&cache_lock);
  return count;
}

