/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-no-opencl.c: a build without OpenCL (-Dopencl=disabled) lists cpu
 * and blas, says in the device notes that it has no OpenCL, and refuses an
 * OpenCL device by name with a message that says why.  Built instead of
 * the OpenCL tests when OpenCL is off (tests/compute/meson.build). */
#include "config.h"

#include <string.h>

#include "compute/wl-backend.h"
#include "wl-error.h"

static void
test_list (void)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) devices = wl_backend_list_devices (&notes);
  gboolean noted = FALSE;

  g_assert_cmpuint (devices->len, ==, 2);
  g_assert_cmpstr (((WlDeviceInfo *) devices->pdata[0])->id, ==, "cpu");
  g_assert_cmpstr (((WlDeviceInfo *) devices->pdata[1])->id, ==, "blas");
  for (guint i = 0; i < notes->len; i++)
    noted |= strstr (g_ptr_array_index (notes, i), "no OpenCL support") != NULL;
  g_assert_true (noted);
}

static void
test_open (void)
{
  const char *ids[] = { "opencl", "opencl:0:0", "opencl:1:2" };

  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (wl_backend_open (ids[i], 1, &error));
      g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, ids[i]));
      g_assert_nonnull (strstr (error->message, "no OpenCL support"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/no-opencl/list", test_list);
  g_test_add_func ("/compute/no-opencl/open", test_open);
  return g_test_run ();
}
