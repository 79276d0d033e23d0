/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-opencl-devices.c: OpenCL platforms and devices (pocl here), and the
 * error when no OpenCL driver is installed. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "compute/wl-backend-opencl-private.h"
#include "compute/wl-ops.h"
#include "wl-error.h"

static void
test_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = wl_backend_opencl_class.list_devices (&error);
  gboolean have_cpu = FALSE;

  g_assert_no_error (error);
  g_assert_nonnull (devices);
  g_assert_cmpuint (devices->len, >, 0);
  for (guint i = 0; i < devices->len; i++)
    {
      const WlDeviceInfo *info = g_ptr_array_index (devices, i);
      cl_platform_id platform;
      cl_device_id id;
      guint p, d;

      g_assert_cmpint (sscanf (info->id, "opencl:%u:%u", &p, &d), ==, 2);
      g_assert_cmpstr (info->backend, ==, "opencl");
      g_assert_cmpstr (info->name, !=, "");
      g_assert_cmpstr (info->vendor, !=, "");
      g_assert_true (g_str_has_prefix (info->version, "OpenCL "));
      g_assert_cmpuint (info->memory, >, 0);
      g_assert_cmpuint (info->compute_units, >, 0);
      g_assert_cmpint (info->kind, <=, WL_DEVICE_OTHER);
      have_cpu |= info->kind == WL_DEVICE_CPU;

      /* fp16 is the device's cl_khr_fp16, looked up again here */
      g_assert_true (wl_opencl_find_device (info->id, &platform, &id, &error));
      g_assert_no_error (error);
      g_assert_cmpint (info->fp16, ==, wl_opencl_device_has_extension (id, "cl_khr_fp16"));
      g_assert_cmpint (info->bf16, ==,
                       wl_opencl_device_has_extension (id, "cl_intel_bfloat16_conversions"));
    }
  /* pocl: the test machines have no GPU */
  g_assert_true (have_cpu);
}

/* The dispatcher lists the OpenCL devices with the others. */
static void
test_list_all (void)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) devices = wl_backend_list_devices (&notes);
  guint n_opencl = 0;

  for (guint i = 0; i < devices->len; i++)
    n_opencl += g_str_has_prefix (((WlDeviceInfo *) g_ptr_array_index (devices, i))->id,
                                  "opencl:");
  g_assert_cmpuint (n_opencl, >, 0);
  g_assert_cmpuint (notes->len, ==, 0);
}

static void
test_bad_ids (void)
{
  const char *ids[] = { "opencl:99:0", "opencl:0:99", "opencl:x", "opencl:0:0:0" };

  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GError) error = NULL;
      cl_platform_id platform;
      cl_device_id device;

      g_assert_false (wl_opencl_find_device (ids[i], &platform, &device, &error));
      g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, ids[i]));
    }
}

/* Without any OpenCL driver, listing fails with what to install, and
 * the CPU backends still work. */
static void
test_no_platform (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) devices = NULL;
      g_autoptr(GPtrArray) notes = NULL;
      WlBackend *backend;

      /* The ICD loader reads its drivers from here on its first call. */
      g_setenv ("OCL_ICD_VENDORS", "/nonexistent/wordloom-test", TRUE);
      devices = wl_backend_opencl_class.list_devices (&error);
      g_assert_null (devices);
      g_assert_error (error, WL_ERROR, WL_ERROR_FAILED);
      g_assert_cmpstr (error->message, ==,
                       "No OpenCL platform found: install an OpenCL driver (for example "
                       "pocl-opencl-icd, or your GPU vendor's) to train on a GPU; training on "
                       "the CPU still works");
      g_clear_error (&error);

      backend = wl_backend_open ("opencl:0:0", 1, &error);
      g_assert_null (backend);
      g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "No OpenCL platform found"));
      g_clear_error (&error);

      devices = wl_backend_list_devices (&notes);
      g_assert_cmpuint (devices->len, >, 0);
      g_assert_cmpuint (notes->len, ==, 1);
      g_assert_true (g_str_has_prefix (g_ptr_array_index (notes, 0),
                                       "opencl: No OpenCL platform found"));
      backend = wl_backend_open ("cpu", 1, &error);
      g_assert_no_error (error);
      wl_backend_close (backend);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/opencl/devices/list", test_list);
  g_test_add_func ("/opencl/devices/list-all", test_list_all);
  g_test_add_func ("/opencl/devices/bad-ids", test_bad_ids);
  g_test_add_func ("/opencl/devices/no-platform", test_no_platform);
  return g_test_run ();
}
