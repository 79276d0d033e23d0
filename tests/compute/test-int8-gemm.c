/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-int8-gemm.c: the fp32 × int8 kernel (wl-int8-gemm.c) on each path
 * this processor runs, against plain loops in double, over odd shapes;
 * its threads; the WL_INT8_GEMM switch; and gemm_i8 on the host backends
 * through wl_op_gemm_i8(). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "compute/wl-int8-gemm.h"
#include "compute/wl-ops.h"

/* A product with room around it: leading dimensions wider than the
 * matrices, and C's spare columns set to a sentinel the kernel must keep. */
typedef struct
{
  WlInt8Gemm  p;
  float      *x;
  gint8      *q;
  float      *scale;
  float      *c;
  float      *c0;     /* C before the product */
} Case;

#define SENTINEL 12345.f

static void
case_init (Case   *self,
           GRand  *rand,
           gsize   m,
           gsize   n,
           gsize   k,
           float   beta)
{
  gsize ldx = k + 3, ldq = n + 5, ldc = n + 2;

  self->x = g_new (float, m * ldx);
  self->q = g_new (gint8, k * ldq);
  self->scale = g_new (float, n);
  self->c = g_new (float, m * ldc);
  self->c0 = g_new (float, m * ldc);
  for (gsize i = 0; i < m * ldx; i++)
    self->x[i] = (float) g_rand_double_range (rand, -1.0, 1.0);
  for (gsize i = 0; i < k * ldq; i++)
    self->q[i] = (gint8) g_rand_int_range (rand, -127, 128);
  for (gsize j = 0; j < n; j++)
    self->scale[j] = (float) g_rand_double_range (rand, 1e-3, 2e-2);
  for (gsize i = 0; i < m; i++)
    for (gsize j = 0; j < ldc; j++)
      /* beta = 0 must not read C: NaN there must not come through. */
      self->c0[i * ldc + j] = j >= n ? SENTINEL
                              : beta == 0.f ? NAN : (float) g_rand_double_range (rand, -1.0, 1.0);
  memcpy (self->c, self->c0, m * ldc * sizeof (float));
  self->p = (WlInt8Gemm) { m, n, k, self->x, ldx, self->q, ldq, self->scale, beta, self->c, ldc };
}

static void
case_clear (Case *self)
{
  g_free (self->x);
  g_free (self->q);
  g_free (self->scale);
  g_free (self->c);
  g_free (self->c0);
}

/* @c (rows p->ldc apart) against the definition, in double: each value
 * within fp32 rounding of the sum of its terms' magnitudes. */
static void
assert_product (const Case  *self,
                const float *c)
{
  const WlInt8Gemm *p = &self->p;

  for (gsize i = 0; i < p->m; i++)
    for (gsize j = 0; j < p->ldc; j++)
      {
        double sum = 0.0, magnitude = 0.0, expected;
        float got = c[i * p->ldc + j];

        if (j >= p->n)
          {
            g_assert_cmpfloat (got, ==, SENTINEL);
            continue;
          }
        for (gsize l = 0; l < p->k; l++)
          {
            double term = (double) p->x[i * p->ldx + l] * p->q[l * p->ldq + j] * p->scale[j];

            sum += term;
            magnitude += fabs (term);
          }
        expected = sum;
        if (p->beta != 0.f)
          {
            expected += (double) p->beta * self->c0[i * p->ldc + j];
            magnitude += fabs ((double) p->beta * self->c0[i * p->ldc + j]);
          }
        if (fabs (got - expected) > 1e-6 * magnitude + 1e-30)
          g_error ("m %zu n %zu k %zu beta %g: c[%zu][%zu] = %.9g, expected %.9g",
                   p->m, p->n, p->k, p->beta, i, j, got, expected);
      }
}

static const gsize ms[] = { 1, 3, 4, 17, 70 };
static const gsize ns[] = { 1, 3, 5, 8, 17, 31, 33, 100 };
static const gsize ks[] = { 1, 7, 33, 301 };

/* Every path this processor runs, on every shape, both betas. */
static void
test_paths (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint n_paths = 0;

  for (WlInt8GemmPath path = WL_INT8_GEMM_PORTABLE; path <= WL_INT8_GEMM_AVX512; path++)
    {
      if (!wl_int8_gemm_path_supported (path))
        {
          g_test_message ("path %s: this processor does not run it", wl_int8_gemm_path_name (path));
          continue;
        }
      n_paths++;
      for (guint a = 0; a < G_N_ELEMENTS (ms); a++)
        for (guint b = 0; b < G_N_ELEMENTS (ns); b++)
          for (guint d = 0; d < G_N_ELEMENTS (ks); d++)
            for (guint e = 0; e < 2; e++)
              {
                Case product;

                case_init (&product, rand, ms[a], ns[b], ks[d], e == 0 ? 0.f : 0.5f);
                wl_int8_gemm_on_path (path, &product.p);
                assert_product (&product, product.c);
                case_clear (&product);
              }
    }
  /* The portable path runs everywhere. */
  g_assert_true (wl_int8_gemm_path_supported (WL_INT8_GEMM_PORTABLE));
  g_assert_cmpuint (n_paths, >=, 1);
}

/* Large products are split among threads, by rows (many rows) or by
 * columns (few): the same values either way. */
static void
test_threads (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  const gsize shapes[][3] = { { 300, 70, 200 }, { 5, 333, 700 } };   /* m, n, k */

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (guint e = 0; e < 2; e++)
      {
        Case product;

        case_init (&product, rand, shapes[s][0], shapes[s][1], shapes[s][2],
                   e == 0 ? 0.f : -1.5f);
        wl_int8_gemm (4, &product.p);
        assert_product (&product, product.c);
        case_clear (&product);
      }
}

/* WL_INT8_GEMM forces a path; a name that is none is refused aloud. */
static void
test_forced_path (void)
{
  if (g_test_subprocess ())
    {
      g_print ("path %s\n", wl_int8_gemm_path_name (wl_int8_gemm_path ()));
      return;
    }
  g_setenv ("WL_INT8_GEMM", "portable", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("path portable\n");

  g_setenv ("WL_INT8_GEMM", "sse9", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();   /* G_DEBUG=fatal-warnings */
  g_test_trap_assert_stderr ("*WL_INT8_GEMM=sse9: not a path (avx512, avx2 or portable)*");
  g_unsetenv ("WL_INT8_GEMM");
}

/* gemm_i8 on the cpu and blas backends, from offsets into the buffers. */
static void
test_backends (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  const char *devices[] = { "cpu", "blas" };

  for (guint d = 0; d < G_N_ELEMENTS (devices); d++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WlBackend) backend = wl_backend_open (devices[d], 2, &error);
      Case product;
      g_autoptr(WlBuffer) x = NULL;
      g_autoptr(WlBuffer) c = NULL;
      g_autofree float *out = NULL;
      gsize nx, nc;

      g_assert_no_error (error);
      case_init (&product, rand, 9, 37, 45, 0.25f);
      nx = product.p.m * product.p.ldx;
      nc = product.p.m * product.p.ldc;
      x = wl_buffer_new (backend, WL_DTYPE_F32, nx + 3, &error);
      g_assert_no_error (error);
      c = wl_buffer_new (backend, WL_DTYPE_F32, nc + 2, &error);
      g_assert_no_error (error);
      g_assert_true (wl_buffer_write (x, 3, product.x, nx, &error));
      g_assert_true (wl_buffer_write (c, 2, product.c0, nc, &error));
      g_assert_true (wl_op_gemm_i8 (backend, product.p.m, product.p.n, product.p.k, x, 3,
                                    product.p.ldx, product.q, product.p.ldq, product.scale,
                                    product.p.beta, c, 2, product.p.ldc));
      out = g_new (float, nc);
      g_assert_true (wl_buffer_read (c, 2, out, nc, &error));
      g_assert_no_error (error);
      assert_product (&product, out);
      case_clear (&product);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* First: it sets the environment, before any thread runs. */
  g_test_add_func ("/int8-gemm/forced-path", test_forced_path);
  g_test_add_func ("/int8-gemm/paths", test_paths);
  g_test_add_func ("/int8-gemm/threads", test_threads);
  g_test_add_func ("/int8-gemm/backends", test_backends);
  return g_test_run ();
}
