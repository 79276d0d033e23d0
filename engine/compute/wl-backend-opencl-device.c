/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-opencl-device.c: OpenCL platforms and devices, their properties, error names. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "compute/wl-backend-opencl-private.h"
#include "wl-error.h"

/* What the ICD loader says when no driver is installed (cl_khr_icd). */
#ifndef CL_PLATFORM_NOT_FOUND_KHR
#define CL_PLATFORM_NOT_FOUND_KHR -1001
#endif

const char *
wl_opencl_error_name (cl_int code)
{
#define NAME(c) case c: return #c
  switch (code)
    {
    NAME (CL_SUCCESS);
    NAME (CL_DEVICE_NOT_FOUND);
    NAME (CL_DEVICE_NOT_AVAILABLE);
    NAME (CL_COMPILER_NOT_AVAILABLE);
    NAME (CL_MEM_OBJECT_ALLOCATION_FAILURE);
    NAME (CL_OUT_OF_RESOURCES);
    NAME (CL_OUT_OF_HOST_MEMORY);
    NAME (CL_PROFILING_INFO_NOT_AVAILABLE);
    NAME (CL_MEM_COPY_OVERLAP);
    NAME (CL_BUILD_PROGRAM_FAILURE);
    NAME (CL_MAP_FAILURE);
    NAME (CL_MISALIGNED_SUB_BUFFER_OFFSET);
    NAME (CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
    NAME (CL_COMPILE_PROGRAM_FAILURE);
    NAME (CL_LINKER_NOT_AVAILABLE);
    NAME (CL_LINK_PROGRAM_FAILURE);
    NAME (CL_INVALID_VALUE);
    NAME (CL_INVALID_DEVICE_TYPE);
    NAME (CL_INVALID_PLATFORM);
    NAME (CL_INVALID_DEVICE);
    NAME (CL_INVALID_CONTEXT);
    NAME (CL_INVALID_QUEUE_PROPERTIES);
    NAME (CL_INVALID_COMMAND_QUEUE);
    NAME (CL_INVALID_HOST_PTR);
    NAME (CL_INVALID_MEM_OBJECT);
    NAME (CL_INVALID_BINARY);
    NAME (CL_INVALID_BUILD_OPTIONS);
    NAME (CL_INVALID_PROGRAM);
    NAME (CL_INVALID_PROGRAM_EXECUTABLE);
    NAME (CL_INVALID_KERNEL_NAME);
    NAME (CL_INVALID_KERNEL_DEFINITION);
    NAME (CL_INVALID_KERNEL);
    NAME (CL_INVALID_ARG_INDEX);
    NAME (CL_INVALID_ARG_VALUE);
    NAME (CL_INVALID_ARG_SIZE);
    NAME (CL_INVALID_KERNEL_ARGS);
    NAME (CL_INVALID_WORK_DIMENSION);
    NAME (CL_INVALID_WORK_GROUP_SIZE);
    NAME (CL_INVALID_WORK_ITEM_SIZE);
    NAME (CL_INVALID_GLOBAL_OFFSET);
    NAME (CL_INVALID_EVENT_WAIT_LIST);
    NAME (CL_INVALID_EVENT);
    NAME (CL_INVALID_OPERATION);
    NAME (CL_INVALID_BUFFER_SIZE);
    NAME (CL_INVALID_GLOBAL_WORK_SIZE);
    NAME (CL_INVALID_PROPERTY);
    NAME (CL_PLATFORM_NOT_FOUND_KHR);
    default:
      return "CL_UNKNOWN_ERROR";
    }
#undef NAME
}

/* The platforms, or an error a user can act on when there are none. */
static cl_platform_id *
get_platforms (cl_uint  *n_platforms,
               GError  **error)
{
  g_autofree cl_platform_id *platforms = NULL;
  cl_int status;

  status = clGetPlatformIDs (0, NULL, n_platforms);
  if (status == CL_PLATFORM_NOT_FOUND_KHR || (status == CL_SUCCESS && *n_platforms == 0))
    {
      g_set_error_literal (error, WL_ERROR, WL_ERROR_FAILED,
                           _("No OpenCL platform found: install an OpenCL driver (for example "
                             "pocl-opencl-icd, or your GPU vendor's) to train on a GPU; training "
                             "on the CPU still works"));
      return NULL;
    }
  if (status == CL_SUCCESS)
    {
      platforms = g_new (cl_platform_id, *n_platforms);
      status = clGetPlatformIDs (*n_platforms, platforms, NULL);
    }
  if (status != CL_SUCCESS)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("Could not list the OpenCL platforms (%s); reinstall the OpenCL driver, "
                     "or train on the CPU"), wl_opencl_error_name (status));
      return NULL;
    }
  return g_steal_pointer (&platforms);
}

/* A platform's devices; none (not an error) when it has none. */
static cl_device_id *
get_devices (cl_platform_id  platform,
             cl_uint        *n_devices)
{
  cl_device_id *devices;

  if (clGetDeviceIDs (platform, CL_DEVICE_TYPE_ALL, 0, NULL, n_devices) != CL_SUCCESS
      || *n_devices == 0)
    {
      *n_devices = 0;
      return NULL;
    }
  devices = g_new (cl_device_id, *n_devices);
  if (clGetDeviceIDs (platform, CL_DEVICE_TYPE_ALL, *n_devices, devices, NULL) != CL_SUCCESS)
    {
      *n_devices = 0;
      g_clear_pointer (&devices, g_free);
    }
  return devices;
}

char *
wl_opencl_device_string (cl_device_id   device,
                         cl_device_info param)
{
  g_autofree char *value = NULL;
  gsize size = 0;

  if (clGetDeviceInfo (device, param, 0, NULL, &size) != CL_SUCCESS || size == 0)
    return g_strdup ("");
  value = g_malloc0 (size + 1);
  if (clGetDeviceInfo (device, param, size, value, NULL) != CL_SUCCESS)
    return g_strdup ("");
  return g_strstrip (g_steal_pointer (&value));
}

gboolean
wl_opencl_device_has_extension (cl_device_id  device,
                                const char   *extension)
{
  g_autofree char *extensions = wl_opencl_device_string (device, CL_DEVICE_EXTENSIONS);
  g_auto(GStrv) names = g_strsplit_set (extensions, " \t", -1);

  return g_strv_contains ((const char *const *) names, extension);
}

static WlDeviceKind
device_kind (cl_device_type type)
{
  if (type & CL_DEVICE_TYPE_GPU)
    return WL_DEVICE_GPU;
  if (type & CL_DEVICE_TYPE_CPU)
    return WL_DEVICE_CPU;
  if (type & CL_DEVICE_TYPE_ACCELERATOR)
    return WL_DEVICE_ACCELERATOR;
  return WL_DEVICE_OTHER;
}

static WlDeviceInfo *
device_info_new (cl_device_id device,
                 guint        platform_index,
                 guint        device_index)
{
  WlDeviceInfo *info = g_new0 (WlDeviceInfo, 1);
  g_autofree char *driver = wl_opencl_device_string (device, CL_DRIVER_VERSION);
  g_autofree char *version = wl_opencl_device_string (device, CL_DEVICE_VERSION);
  cl_device_type type = CL_DEVICE_TYPE_DEFAULT;
  cl_ulong memory = 0;
  cl_uint units = 0;

  clGetDeviceInfo (device, CL_DEVICE_TYPE, sizeof type, &type, NULL);
  clGetDeviceInfo (device, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof memory, &memory, NULL);
  clGetDeviceInfo (device, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units, NULL);

  info->id = g_strdup_printf ("opencl:%u:%u", platform_index, device_index);
  info->backend = g_strdup ("opencl");
  info->name = wl_opencl_device_string (device, CL_DEVICE_NAME);
  info->vendor = wl_opencl_device_string (device, CL_DEVICE_VENDOR);
  info->version = g_strdup_printf ("%s, driver %s", version, driver);
  info->kind = device_kind (type);
  info->memory = memory;
  info->compute_units = units;
  info->fp16 = wl_opencl_device_has_extension (device, "cl_khr_fp16");
  /* No standard bf16 extension: only Intel's conversions say so. */
  info->bf16 = wl_opencl_device_has_extension (device, "cl_intel_bfloat16_conversions");
  return info;
}

GPtrArray *
wl_opencl_list_devices (GError **error)
{
  g_autoptr(GPtrArray) infos = NULL;
  g_autofree cl_platform_id *platforms = NULL;
  cl_uint n_platforms = 0;

  if ((platforms = get_platforms (&n_platforms, error)) == NULL)
    return NULL;
  infos = g_ptr_array_new_with_free_func ((GDestroyNotify) wl_device_info_free);
  for (cl_uint p = 0; p < n_platforms; p++)
    {
      cl_uint n_devices = 0;
      g_autofree cl_device_id *devices = get_devices (platforms[p], &n_devices);

      for (cl_uint d = 0; d < n_devices; d++)
        g_ptr_array_add (infos, device_info_new (devices[d], p, d));
    }
  if (infos->len == 0)
    {
      g_set_error_literal (error, WL_ERROR, WL_ERROR_FAILED,
                           _("The OpenCL platforms here have no devices: check the OpenCL "
                             "driver's installation, or train on the CPU"));
      return NULL;
    }
  return g_steal_pointer (&infos);
}

gboolean
wl_opencl_find_device (const char      *device_id,
                       cl_platform_id  *platform,
                       cl_device_id    *device,
                       GError         **error)
{
  g_autofree cl_platform_id *platforms = NULL;
  g_autofree cl_device_id *devices = NULL;
  cl_uint n_platforms = 0, n_devices = 0;
  guint p, d;
  char end;

  if (sscanf (device_id, "opencl:%u:%u%c", &p, &d, &end) != 2)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("“%s” is not an OpenCL device id; they look like opencl:0:0 "
                     "(see “wordloom-cli devices”)"), device_id);
      return FALSE;
    }
  if ((platforms = get_platforms (&n_platforms, error)) == NULL)
    return FALSE;
  if (p < n_platforms)
    devices = get_devices (platforms[p], &n_devices);
  if (d >= n_devices)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("There is no OpenCL device %s here (see “wordloom-cli devices”)"),
                   device_id);
      return FALSE;
    }
  *platform = platforms[p];
  *device = devices[d];
  return TRUE;
}
