/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-gemm [N…]: SGEMM speed (C = A·B, N×N, GFLOP/s) of the blas
 * backend and of every OpenCL device, at a few sizes (default 256 512
 * 1024), on all cores.  Each figure is the best of a few timed rounds of
 * at least 0.3 s, after a warm-up (kernel builds, thread start-up). */
#include "config.h"

#include <stdlib.h>

#include "compute/wl-ops.h"

static double
gflops (WlBackend *backend,
        gsize      n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WlBuffer) a = wl_buffer_new (backend, WL_DTYPE_F32, n * n, &error);
  g_autoptr(WlBuffer) b = wl_buffer_new (backend, WL_DTYPE_F32, n * n, &error);
  g_autoptr(WlBuffer) c = wl_buffer_new (backend, WL_DTYPE_F32, n * n, &error);
  g_autofree float *values = g_new (float, n * n);
  double best = 0.0;

  if (error != NULL)
    g_error ("%s", error->message);
  for (gsize i = 0; i < n * n; i++)
    values[i] = (float) ((i * 7919) % 1000) / 1000.0f - 0.5f;
  wl_buffer_write (a, 0, values, n * n, NULL);
  wl_buffer_write (b, 0, values, n * n, NULL);

  wl_op_gemm (backend, FALSE, FALSE, n, n, n, 1.0f, a, 0, n, b, 0, n, 0.0f, c, 0, n);
  if (!wl_backend_finish (backend, &error))
    g_error ("%s", error->message);
  for (guint round = 0; round < 3; round++)
    {
      gint64 start = g_get_monotonic_time ();
      double seconds;
      guint reps = 0;

      do
        {
          wl_op_gemm (backend, FALSE, FALSE, n, n, n, 1.0f, a, 0, n, b, 0, n, 0.0f, c, 0, n);
          reps++;
          if (!wl_backend_finish (backend, &error))
            g_error ("%s", error->message);
          seconds = (g_get_monotonic_time () - start) / 1e6;
        }
      while (seconds < 0.3);
      best = MAX (best, 2.0 * n * n * n * reps / seconds / 1e9);
    }
  return best;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) devices = wl_backend_list_devices (&notes);
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
  guint n_threads = g_get_num_processors ();

  for (int i = 1; i < argc; i++)
    {
      gsize n = strtoul (argv[i], NULL, 10);

      if (n == 0)
        {
          g_printerr ("usage: bench-gemm [N…]\n");
          return 2;
        }
      g_array_append_val (sizes, n);
    }
  if (sizes->len == 0)
    g_array_append_vals (sizes, (gsize[]) { 256, 512, 1024 }, 3);

  g_print ("SGEMM C = A*B (NxN, f32), GFLOP/s, %u threads\n%-12s", n_threads, "device");
  for (guint s = 0; s < sizes->len; s++)
    g_print ("  N=%-6zu", g_array_index (sizes, gsize, s));
  g_print ("  name\n");

  for (guint d = 0; d < devices->len; d++)
    {
      const WlDeviceInfo *info = g_ptr_array_index (devices, d);
      g_autoptr(GError) error = NULL;
      g_autoptr(WlBackend) backend = NULL;

      if (g_str_equal (info->backend, "cpu"))   /* the reference is not built for speed */
        continue;
      if ((backend = wl_backend_open (info->id, n_threads, &error)) == NULL)
        g_error ("%s", error->message);
      g_print ("%-12s", info->id);
      for (guint s = 0; s < sizes->len; s++)
        g_print ("  %8.1f", gflops (backend, g_array_index (sizes, gsize, s)));
      g_print ("  %s\n", info->name);
    }
  for (guint i = 0; i < notes->len; i++)
    g_print ("note: %s\n", (const char *) g_ptr_array_index (notes, i));
  return 0;
}
