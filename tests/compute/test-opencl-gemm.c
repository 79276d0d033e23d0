/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-opencl-gemm.c: both gemm flavours of the OpenCL backend (local-memory
 * tiles for GPUs, gemm_vector for CPUs) on the first OpenCL device, against
 * products computed here in double.  The conformance test runs only the
 * device's own flavour; here each runs in a subprocess that picks it with
 * WL_OPENCL_GEMM. */
#include "config.h"

#include <math.h>

#include "compute/wl-backend-opencl-private.h"
#include "compute/wl-host.h"
#include "compute/wl-ops.h"

typedef struct
{
  gboolean trans_a, trans_b;
  gsize    m, n, k, count;
  WlDtype  ab_dtype, c_dtype;
  float    beta;
} Case;

/* @n values in [−1, 1) as @dtype in a new buffer, and the same values
 * (after rounding to @dtype) in @host. */
static WlBuffer *
random_buffer (WlBackend *backend,
               GRand     *rand,
               WlDtype    dtype,
               gsize      n,
               float     *host)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint16 *half = g_new (guint16, n);
  WlBuffer *buffer = wl_buffer_new (backend, dtype, n, &error);

  g_assert_no_error (error);
  for (gsize i = 0; i < n; i++)
    host[i] = (float) g_rand_double_range (rand, -1.0, 1.0);
  if (dtype == WL_DTYPE_F32)
    wl_buffer_write (buffer, 0, host, n, &error);
  else
    {
      wl_dtype_from_f32 (dtype, host, half, n);
      wl_dtype_to_f32 (dtype, half, host, n);
      wl_buffer_write (buffer, 0, half, n, &error);
    }
  g_assert_no_error (error);
  return buffer;
}

static void
run_case (WlBackend  *backend,
          GRand      *rand,
          const Case *t)
{
  g_autoptr(GError) error = NULL;
  /* leading dimensions wider than the rows, products apart by a stride */
  gsize lda = (t->trans_a ? t->m : t->k) + 1, ldb = (t->trans_b ? t->k : t->n) + 2;
  gsize ldc = t->n + 3;
  gsize a_stride = (t->trans_a ? t->k : t->m) * lda + 1;
  gsize b_stride = (t->trans_b ? t->n : t->k) * ldb, c_stride = t->m * ldc + 5;
  g_autofree float *a = g_new (float, a_stride * t->count);
  g_autofree float *b = g_new (float, b_stride * t->count);
  g_autofree float *c = g_new (float, c_stride * t->count);
  g_autofree float *got = g_new (float, c_stride * t->count);
  g_autofree guint16 *raw = g_new (guint16, c_stride * t->count);
  WlBuffer *a_buf = random_buffer (backend, rand, t->ab_dtype, a_stride * t->count, a);
  WlBuffer *b_buf = random_buffer (backend, rand, t->ab_dtype, b_stride * t->count, b);
  WlBuffer *c_buf = random_buffer (backend, rand, t->c_dtype, c_stride * t->count, c);
  double tolerance = t->c_dtype == WL_DTYPE_F32 ? 1e-5 : 1e-2;

  /* beta = 0 must not read C */
  if (t->beta == 0.0f)
    wl_op_fill (backend, c_buf, 0, c_stride * t->count, NAN);
  wl_op_gemm_batched (backend, t->trans_a, t->trans_b, t->m, t->n, t->k, 0.5f,
                      a_buf, a_stride, lda, b_buf, b_stride, ldb, t->beta, c_buf, c_stride, ldc,
                      t->count);
  if (t->c_dtype == WL_DTYPE_F32)
    wl_buffer_read (c_buf, 0, got, c_stride * t->count, &error);
  else
    {
      wl_buffer_read (c_buf, 0, raw, c_stride * t->count, &error);
      wl_dtype_to_f32 (t->c_dtype, raw, got, c_stride * t->count);
    }
  g_assert_no_error (error);

  for (gsize p = 0; p < t->count; p++)
    for (gsize i = 0; i < t->m; i++)
      for (gsize j = 0; j < t->n; j++)
        {
          const float *ap = a + p * a_stride, *bp = b + p * b_stride;
          gsize at = p * c_stride + i * ldc + j;
          double want = 0.0;

          for (gsize l = 0; l < t->k; l++)
            want += (double) (t->trans_a ? ap[l * lda + i] : ap[i * lda + l])
                    * (t->trans_b ? bp[j * ldb + l] : bp[l * ldb + j]);
          want = 0.5 * want + (t->beta != 0.0f ? t->beta * (double) c[at] : 0.0);
          if (!(fabs (got[at] - want) <= tolerance * (1.0 + fabs (want))))
            g_error ("gemm %c%c %zux%zux%zu count %zu %s/%s beta %g: C[%zu, %zu, %zu] = %g, not %g",
                     t->trans_a ? 'T' : 'N', t->trans_b ? 'T' : 'N', t->m, t->n, t->k, t->count,
                     wl_dtype_to_string (t->ab_dtype), wl_dtype_to_string (t->c_dtype), t->beta,
                     p, i, j, got[at], want);
        }
  wl_buffer_free (a_buf);
  wl_buffer_free (b_buf);
  wl_buffer_free (c_buf);
}

static void
run_flavour (const char *flavour)
{
  /* whole tiles of either flavour on pocl, ragged edges, a single element */
  static const gsize shapes[][3] = { { 64, 64, 32 }, { 33, 17, 65 }, { 1, 1, 1 }, { 9, 40, 7 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GPtrArray) devices = NULL;
  WlBackend *backend;

  g_setenv ("WL_OPENCL_GEMM", flavour, TRUE);
  devices = wl_backend_opencl_class.list_devices (&error);
  g_assert_no_error (error);
  backend = wl_backend_open (((WlDeviceInfo *) g_ptr_array_index (devices, 0))->id, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (WL_OPENCL_BACKEND (backend)->device->tuning->gemm_vw > 0, ==,
                   g_str_equal (flavour, "vector"));

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (guint tr = 0; tr < 4; tr++)
      {
        Case t = { tr & 1, tr & 2, shapes[s][0], shapes[s][1], shapes[s][2], 1 + s % 2,
                   WL_DTYPE_F32, WL_DTYPE_F32, s % 2 ? 0.0f : 0.75f };

        run_case (backend, rand, &t);
      }
  for (guint tr = 0; tr < 4; tr++)
    {
      Case half = { tr & 1, tr & 2, 32, 64, 16, 2, WL_DTYPE_F16, WL_DTYPE_F32, 1.0f };
      Case bf16 = { tr & 1, tr & 2, 19, 23, 37, 1, WL_DTYPE_BF16, WL_DTYPE_BF16, 0.0f };
      Case mixed = { tr & 1, tr & 2, 16, 16, 16, 1, WL_DTYPE_F32, WL_DTYPE_F16, 0.5f };

      run_case (backend, rand, &half);
      run_case (backend, rand, &bf16);
      run_case (backend, rand, &mixed);
    }
  g_assert_true (wl_backend_finish (backend, &error));
  wl_backend_close (backend);
}

static void
test_flavour (gconstpointer flavour)
{
  if (g_test_subprocess ())
    {
      run_flavour (flavour);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/opencl/gemm/tiles", "tiles", test_flavour);
  g_test_add_data_func ("/opencl/gemm/vector", "vector", test_flavour);
  return g_test_run ();
}
