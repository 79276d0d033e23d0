/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-opencl-queue.c: the OpenCL backend's program cache, sticky errors,
 * allocation failures and profiling, on the first OpenCL device (pocl). */
#include "config.h"

#include <string.h>

#include "compute/wl-backend-opencl-private.h"
#include "compute/wl-ops.h"
#include "wl-error.h"
#include "wl-format.h"

static char *
first_device_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = wl_backend_opencl_class.list_devices (&error);

  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, >, 0);
  return g_strdup (((WlDeviceInfo *) g_ptr_array_index (devices, 0))->id);
}

static WlBackend *
open_first (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = first_device_id ();
  WlBackend *backend = wl_backend_open (id, 1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (backend);
  return backend;
}

static WlBuffer *
buffer_with (WlBackend   *backend,
             const float *values,
             gsize        n)
{
  g_autoptr(GError) error = NULL;
  WlBuffer *buffer = wl_buffer_new (backend, WL_DTYPE_F32, n, &error);

  g_assert_no_error (error);
  wl_buffer_write (buffer, 0, values, n, &error);
  g_assert_no_error (error);
  return buffer;
}

/* y = 2x + y on a fresh backend, checked. */
static void
run_axpby (WlBackend *backend)
{
  static const float x[] = { 1, 2, 3 }, y[] = { 10, 20, 30 };
  g_autoptr(WlBuffer) xb = buffer_with (backend, x, 3);
  g_autoptr(WlBuffer) yb = buffer_with (backend, y, 3);
  g_autoptr(GError) error = NULL;
  float out[3];

  wl_op_axpby (backend, 3, 2.0f, xb, 1.0f, yb);
  g_assert_true (wl_buffer_read (yb, 0, out, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (out[0], ==, 12.0f);
  g_assert_cmpfloat (out[2], ==, 36.0f);
}

/* A second backend on the device (and a second one open at the same
 * time) reuses the programs the first built. */
static void
test_program_cache (void)
{
  WlBackend *first = open_first (), *second, *third;
  guint builds;

  run_axpby (first);
  builds = wl_opencl_program_build_count ();
  g_assert_cmpuint (builds, >, 0);
  wl_backend_close (first);

  second = open_first ();
  third = open_first ();
  run_axpby (second);
  run_axpby (third);
  g_assert_cmpuint (wl_opencl_program_build_count (), ==, builds);
  wl_backend_close (second);
  wl_backend_close (third);
}

/* A failed command is kept, skips the ops after it, and is reported once
 * by the next finish() or read(); the backend then works again. */
static void
test_sticky_error (void)
{
  static const float zeros[4] = { 0 };
  WlBackend *backend = open_first ();
  WlBuffer *x = buffer_with (backend, zeros, 4);
  g_autoptr(GError) error = NULL;
  float out[4];

  wl_opencl_inject_error (backend, CL_OUT_OF_RESOURCES);
  wl_op_unary (backend, WL_UNARY_SIGMOID, 4, x, x);
  wl_op_axpby (backend, 4, 1.0f, x, 1.0f, x);     /* skipped */
  g_assert_false (wl_backend_finish (backend, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "CL_OUT_OF_RESOURCES"));
  g_assert_nonnull (strstr (error->message, "unary"));
  g_assert_nonnull (strstr (error->message, backend->device->name));
  g_clear_error (&error);

  g_assert_true (wl_backend_finish (backend, &error));
  g_assert_no_error (error);
  g_assert_true (wl_buffer_read (x, 0, out, 4, &error));
  g_assert_cmpfloat (out[0], ==, 0.0f);          /* neither op ran */

  /* Reported by a read, too. */
  wl_opencl_inject_error (backend, CL_MEM_OBJECT_ALLOCATION_FAILURE);
  wl_op_mul (backend, 4, x, x);
  g_assert_false (wl_buffer_read (x, 0, out, 4, &error));
  g_assert_nonnull (strstr (error->message, "CL_MEM_OBJECT_ALLOCATION_FAILURE"));
  g_assert_nonnull (strstr (error->message, "mul"));
  g_clear_error (&error);

  wl_op_unary (backend, WL_UNARY_SIGMOID, 4, x, x);
  g_assert_true (wl_buffer_read (x, 0, out, 4, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (out[3], 0.5f, 1e-6);
  wl_buffer_free (x);
  wl_backend_close (backend);
}

/* A buffer larger than the device can hold fails at once, with the sizes. */
static void
test_huge_buffer (void)
{
  WlBackend *backend = open_first ();
  g_autoptr(GError) error = NULL;
  WlBuffer *huge = wl_buffer_new (backend, WL_DTYPE_F32, G_GUINT64_CONSTANT (1) << 42, &error);
  g_autofree char *size = wl_format_size (G_GUINT64_CONSTANT (1) << 44);

  g_assert_null (huge);
  g_assert_error (error, WL_ERROR, WL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, size));
  g_assert_nonnull (strstr (error->message, backend->device->name));
  g_clear_error (&error);
  run_axpby (backend);
  g_assert_true (wl_backend_finish (backend, &error));
  wl_backend_close (backend);
}

/* Kernel times add up from the profiling events, also past the number of
 * events read at once, and are taken once. */
static void
test_profiling (void)
{
  WlBackend *backend = open_first ();
  WlOpenclBackend *self = WL_OPENCL_BACKEND (backend);
  g_autoptr(GError) error = NULL;
  WlBuffer *a = wl_buffer_new (backend, WL_DTYPE_F32, 64 * 64, &error);
  WlBuffer *c = wl_buffer_new (backend, WL_DTYPE_F32, 64 * 64, &error);
  double busy;

  g_assert_no_error (error);
  wl_backend_take_busy_seconds (backend);
  wl_op_fill (backend, a, 0, 64 * 64, 0.5f);
  wl_op_gemm (backend, FALSE, TRUE, 64, 64, 64, 1.0f, a, 0, 64, a, 0, 64, 0.0f, c, 0, 64);
  g_assert_true (wl_backend_finish (backend, &error));
  busy = wl_backend_take_busy_seconds (backend);
  g_assert_cmpfloat (busy, >, 0.0);
  g_assert_cmpfloat (busy, <, 10.0);
  g_assert_cmpfloat (wl_backend_take_busy_seconds (backend), ==, 0.0);

  /* The host waits rather than keep more than 1024 events. */
  for (guint i = 0; i < 1500; i++)
    wl_op_axpby (backend, 64, 1.0f, a, 0.5f, c);
  g_assert_cmpuint (self->events->len, <, 1024);
  g_assert_true (wl_backend_finish (backend, &error));
  g_assert_cmpuint (self->events->len, ==, 0);
  g_assert_cmpfloat (wl_backend_take_busy_seconds (backend), >, 0.0);
  wl_buffer_free (a);
  wl_buffer_free (c);
  wl_backend_close (backend);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/opencl/queue/program-cache", test_program_cache);
  g_test_add_func ("/opencl/queue/sticky-error", test_sticky_error);
  g_test_add_func ("/opencl/queue/huge-buffer", test_huge_buffer);
  g_test_add_func ("/opencl/queue/profiling", test_profiling);
  return g_test_run ();
}
