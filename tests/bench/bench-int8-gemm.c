/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-int8-gemm [K N [ROUNDS]]: the int8-weight product (gemm_i8)
 * against the fp32 product of the same weights, on the blas backend and
 * one thread, for M = 1 to 4096 rows (one text's words to a batch's).
 *
 * Prints, for each M, the median over ROUNDS (default 7) of each product's
 * time, the two alternating, and int8 / fp32 (goal: <= 1; the fp32
 * product is also the lower bound of any path that turns the weights into
 * fp32 tiles first, so below 1 such a path never pays).  K N default to
 * 300 100 (a textcnn's width-3 convolution of 100-wide embeddings).
 */
#include "config.h"

#include <stdlib.h>

#include "compute/wl-ops.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Seconds per product: as many as take 20 ms, timed together. */
static double
time_product (WlBackend      *backend,
              gboolean        int8,
              gsize           m,
              gsize           n,
              gsize           k,
              const WlBuffer *x,
              const WlBuffer *w,
              const gint8    *q,
              const float    *scale,
              WlBuffer       *c)
{
  gint64 start = g_get_monotonic_time (), elapsed;
  guint reps = 0;

  do
    {
      if (int8)
        g_assert_true (wl_op_gemm_i8 (backend, m, n, k, x, 0, k, q, n, scale, 0.f, c, 0, n));
      else
        wl_op_gemm (backend, FALSE, FALSE, m, n, k, 1.f, x, 0, k, w, 0, n, 0.f, c, 0, n);
      reps++;
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < 20000);
  return elapsed / 1e6 / reps;
}

int
main (int    argc,
      char **argv)
{
  static const gsize ms[] = { 1, 4, 16, 64, 256, 1024, 4096 };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlBackend) backend = wl_backend_open ("blas", 1, &error);
  gsize k = argc > 2 ? (gsize) atoi (argv[1]) : 300, n = argc > 2 ? (gsize) atoi (argv[2]) : 100;
  guint rounds = argc > 3 ? (guint) atoi (argv[3]) : 7;
  gsize m_max = ms[G_N_ELEMENTS (ms) - 1];
  g_autoptr(WlBuffer) x = NULL;
  g_autoptr(WlBuffer) w = NULL;
  g_autoptr(WlBuffer) c = NULL;
  g_autofree float *values = NULL, *weights = NULL, *scale = NULL;
  g_autofree gint8 *q = NULL;
  g_autofree double *t32 = NULL, *t8 = NULL;

  if (backend == NULL || k == 0 || n == 0 || rounds == 0)
    {
      g_printerr ("usage: bench-int8-gemm [K N [ROUNDS]]%s%s\n", error ? ": " : "",
                  error ? error->message : "");
      return 2;
    }
  x = wl_buffer_new (backend, WL_DTYPE_F32, m_max * k, &error);
  w = wl_buffer_new (backend, WL_DTYPE_F32, k * n, &error);
  c = wl_buffer_new (backend, WL_DTYPE_F32, m_max * n, &error);
  g_assert_no_error (error);
  values = g_new (float, m_max * k);
  weights = g_new (float, k * n);
  q = g_new (gint8, k * n);
  scale = g_new (float, n);
  for (gsize i = 0; i < m_max * k; i++)
    values[i] = (float) ((i * 7919) % 1000) / 1000.f - 0.5f;
  for (gsize i = 0; i < k * n; i++)
    q[i] = (gint8) ((i * 104729) % 255 - 127);
  for (gsize j = 0; j < n; j++)
    scale[j] = 0.01f;
  for (gsize i = 0; i < k * n; i++)
    weights[i] = q[i] * scale[i % n];
  wl_buffer_write (x, 0, values, m_max * k, &error);
  wl_buffer_write (w, 0, weights, k * n, &error);
  g_assert_no_error (error);

  t32 = g_new (double, rounds);
  t8 = g_new (double, rounds);
  g_print ("K %zu, N %zu, one thread, medians of %u rounds\n"
           "%6s %12s %12s %12s\n", k, n, rounds, "M", "fp32 us", "int8 us", "int8 / fp32");
  for (guint s = 0; s < G_N_ELEMENTS (ms); s++)
    {
      for (guint r = 0; r < rounds; r++)
        {
          gboolean first8 = r % 2;

          if (first8)
            t8[r] = time_product (backend, TRUE, ms[s], n, k, x, w, q, scale, c);
          t32[r] = time_product (backend, FALSE, ms[s], n, k, x, w, q, scale, c);
          if (!first8)
            t8[r] = time_product (backend, TRUE, ms[s], n, k, x, w, q, scale, c);
        }
      qsort (t32, rounds, sizeof (double), compare_doubles);
      qsort (t8, rounds, sizeof (double), compare_doubles);
      g_print ("%6zu %12.2f %12.2f %12.3f\n", ms[s], t32[rounds / 2] * 1e6, t8[rounds / 2] * 1e6,
               t8[rounds / 2] / t32[rounds / 2]);
    }
  return 0;
}
