/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-backend-reference.c: the cpu backend, which test-backend-ops holds
 * every other device to, against naive implementations written here from
 * the contract in wl-ops.h (plain loops in double), on random inputs. */
#include "config.h"

#include <math.h>

#include "compute/wl-host.h"
#include "compute/wl-ops.h"

#define TOL 1e-5   /* relative to the result's largest magnitude */

typedef struct
{
  WlBackend *be;
  GRand     *rand;
  GPtrArray *buffers;
} Ref;

static void
ref_set_up (Ref *r)
{
  g_autoptr(GError) error = NULL;

  r->be = wl_backend_open ("cpu", 1, &error);
  g_assert_no_error (error);
  r->rand = g_rand_new_with_seed (11);
  r->buffers = g_ptr_array_new_with_free_func ((GDestroyNotify) wl_buffer_free);
}

static void
ref_tear_down (Ref *r)
{
  g_ptr_array_unref (r->buffers);
  g_rand_free (r->rand);
  wl_backend_close (r->be);
}

static float *
randoms (Ref    *r,
         gsize   n,
         double  lo,
         double  hi)
{
  float *v = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    v[i] = (float) g_rand_double_range (r->rand, lo, hi);
  return v;
}

static WlBuffer *
upload (Ref         *r,
        WlDtype      dtype,
        const void  *host,
        gsize        n)
{
  g_autoptr(GError) error = NULL;
  WlBuffer *b = wl_buffer_new (r->be, dtype, n, &error);

  g_assert_no_error (error);
  if (host != NULL)
    wl_buffer_write (b, 0, host, n, &error);
  g_assert_no_error (error);
  g_ptr_array_add (r->buffers, b);
  return b;
}

static float *
download (const WlBuffer *b)
{
  g_autoptr(GError) error = NULL;
  float *v = g_new (float, b->n);

  wl_buffer_read (b, 0, v, b->n, &error);
  g_assert_no_error (error);
  return v;
}

/* @got against @want, element by element, relative to want's largest. */
static void
assert_close (const char   *what,
              const float  *got,
              const double *want,
              gsize         n)
{
  double scale = 1e-30;

  for (gsize i = 0; i < n; i++)
    scale = MAX (scale, fabs (want[i]));
  for (gsize i = 0; i < n; i++)
    if (!(fabs (got[i] - want[i]) <= TOL * scale))
      g_error ("%s: element %zu is %.9g, the naive computation gives %.9g", what, i, got[i],
               want[i]);
}

/* Rounds to @bits significant bits, ties to even (fp16: 11, down to
 * 2^-24; bf16: 8). */
static double
round_bits (double x,
            int    bits,
            int    min_exp)
{
  int e;

  if (x == 0)
    return x;
  frexp (x, &e);
  e = MAX (e - bits, min_exp);
  return ldexp (nearbyint (ldexp (x, -e)), e);
}

static double
op_at (const float *x,
       gsize        offset,
       gsize        ld,
       gboolean     trans,
       gsize        i,
       gsize        j)
{
  return trans ? x[offset + j * ld + i] : x[offset + i * ld + j];
}

/* gemm in every transposition with offsets, wide leading dimensions,
 * alpha and beta (beta 0 ignores NaN in C), for f32, f16 and bf16
 * operands (the half ones: products of the rounded values). */
static void
test_gemm (void)
{
  static const struct { WlDtype dtype; int bits, min_exp; } dtypes[] = {
    { WL_DTYPE_F32, 24, -149 }, { WL_DTYPE_F16, 11, -24 }, { WL_DTYPE_BF16, 8, -149 },
  };
  Ref r;

  ref_set_up (&r);
  for (guint d = 0; d < G_N_ELEMENTS (dtypes); d++)
    for (guint t = 0; t < 8; t++)
      {
        gboolean ta = t & 1, tb = t & 2, beta0 = t & 4;
        gsize m = 13, n = 7, k = 29;
        gsize lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 3, ldc = n + 1;
        gsize ao = 3, bo = 1, co = 4;
        gsize na = ao + (ta ? k : m) * lda, nb = bo + (tb ? n : k) * ldb, nc = co + m * ldc;
        g_autofree float *a = randoms (&r, na, -1, 1);
        g_autofree float *b = randoms (&r, nb, -1, 1);
        g_autofree float *c = randoms (&r, nc, -1, 1);
        g_autofree void *a_raw = g_malloc (na * 4), *b_raw = g_malloc (nb * 4);
        g_autofree double *want = g_new (double, m * n);
        g_autofree float *got = NULL, *all = NULL;
        float alpha = 0.75f, beta = beta0 ? 0.0f : -1.5f;
        WlBuffer *ab, *bb, *cb;

        if (beta0)
          for (gsize i = 0; i < m; i++)
            c[co + i * ldc] = NAN;
        wl_dtype_from_f32 (dtypes[d].dtype, a, a_raw, na);
        wl_dtype_from_f32 (dtypes[d].dtype, b, b_raw, nb);
        ab = upload (&r, dtypes[d].dtype, a_raw, na);
        bb = upload (&r, dtypes[d].dtype, b_raw, nb);
        cb = upload (&r, WL_DTYPE_F32, c, nc);
        wl_op_gemm (r.be, ta, tb, m, n, k, alpha, ab, ao, lda, bb, bo, ldb, beta, cb, co, ldc);

        for (gsize i = 0; i < m; i++)
          for (gsize j = 0; j < n; j++)
            {
              double sum = 0;

              for (gsize p = 0; p < k; p++)
                sum += round_bits (op_at (a, ao, lda, ta, i, p), dtypes[d].bits, dtypes[d].min_exp) *
                       round_bits (op_at (b, bo, ldb, tb, p, j), dtypes[d].bits, dtypes[d].min_exp);
              want[i * n + j] = alpha * sum + (beta0 ? 0 : beta * c[co + i * ldc + j]);
            }
        all = download (cb);
        got = g_new (float, m * n);
        for (gsize i = 0; i < m; i++)
          for (gsize j = 0; j < n; j++)
            got[i * n + j] = all[co + i * ldc + j];
        assert_close (wl_dtype_to_string (dtypes[d].dtype), got, want, m * n);
      }
  ref_tear_down (&r);
}

static void
test_gemm_batched (void)
{
  gsize m = 5, n = 6, k = 7, count = 3, as = m * k + 2, bs = k * n + 1, cs = m * n + 3;
  Ref r;

  ref_set_up (&r);
  for (guint t = 0; t < 4; t++)
    {
      gboolean ta = t & 1, tb = t & 2;
      gsize lda = ta ? m : k, ldb = tb ? k : n;
      g_autofree float *a = randoms (&r, as * count, -1, 1);
      g_autofree float *b = randoms (&r, bs * count, -1, 1);
      g_autofree float *c = randoms (&r, cs * count, -1, 1);
      g_autofree double *want = g_new (double, cs * count);
      g_autofree float *got = NULL;
      WlBuffer *cb;

      for (gsize i = 0; i < cs * count; i++)
        want[i] = c[i];
      cb = upload (&r, WL_DTYPE_F32, c, cs * count);
      wl_op_gemm_batched (r.be, ta, tb, m, n, k, 2.0f, upload (&r, WL_DTYPE_F32, a, as * count),
                          as, lda, upload (&r, WL_DTYPE_F32, b, bs * count), bs, ldb, 0.5f, cb,
                          cs, n, count);
      for (gsize q = 0; q < count; q++)
        for (gsize i = 0; i < m; i++)
          for (gsize j = 0; j < n; j++)
            {
              double sum = 0;

              for (gsize p = 0; p < k; p++)
                sum += op_at (a, q * as, lda, ta, i, p) * op_at (b, q * bs, ldb, tb, p, j);
              want[q * cs + i * n + j] = 2.0 * sum + 0.5 * c[q * cs + i * n + j];
            }
      got = download (cb);
      assert_close ("gemm_batched", got, want, cs * count);
    }
  ref_tear_down (&r);
}

/* axpby, mul, the unary functions and their derivatives, add_bias,
 * sum_rows, sum_squares. */
static void
test_elementwise (void)
{
  enum { ROWS = 9, COLS = 11, N = ROWS * COLS };
  g_autofree float *x = NULL, *y = NULL, *bias = NULL, *got = NULL;
  double want[N];
  Ref r;

  ref_set_up (&r);
  x = randoms (&r, N, -3, 3);
  y = randoms (&r, N, -3, 3);
  bias = randoms (&r, COLS, -1, 1);

  {
    WlBuffer *yb = upload (&r, WL_DTYPE_F32, y, N);

    wl_op_axpby (r.be, N, 1.5f, upload (&r, WL_DTYPE_F32, x, N), -0.25f, yb);
    for (guint i = 0; i < N; i++)
      want[i] = 1.5 * x[i] - 0.25 * y[i];
    g_free (got);
    got = download (yb);
    assert_close ("axpby", got, want, N);
  }
  {
    WlBuffer *yb = upload (&r, WL_DTYPE_F32, y, N);

    wl_op_mul (r.be, N, upload (&r, WL_DTYPE_F32, x, N), yb);
    for (guint i = 0; i < N; i++)
      want[i] = (double) x[i] * y[i];
    g_free (got);
    got = download (yb);
    assert_close ("mul", got, want, N);
  }
  for (WlUnaryOp op = WL_UNARY_TANH; op <= WL_UNARY_RELU; op++)
    {
      WlBuffer *yb = upload (&r, WL_DTYPE_F32, NULL, N);
      WlBuffer *dx = upload (&r, WL_DTYPE_F32, NULL, N);
      double fy[N];

      wl_op_unary (r.be, op, N, upload (&r, WL_DTYPE_F32, x, N), yb);
      for (guint i = 0; i < N; i++)
        fy[i] = op == WL_UNARY_TANH ? tanh (x[i])
                : op == WL_UNARY_SIGMOID ? 1 / (1 + exp (-x[i]))
                : MAX (x[i], 0.0);
      g_free (got);
      got = download (yb);
      assert_close ("unary", got, fy, N);
      /* The derivative from y (as the backward passes have it) times dy. */
      wl_op_unary_backward (r.be, op, N, yb, upload (&r, WL_DTYPE_F32, y, N), dx);
      for (guint i = 0; i < N; i++)
        want[i] = y[i] * (op == WL_UNARY_TANH ? 1 - fy[i] * fy[i]
                          : op == WL_UNARY_SIGMOID ? fy[i] * (1 - fy[i])
                          : fy[i] > 0 ? 1.0 : 0.0);
      g_free (got);
      got = download (dx);
      assert_close ("unary_backward", got, want, N);
    }
  {
    WlBuffer *xb = upload (&r, WL_DTYPE_F32, x, N);

    wl_op_add_bias (r.be, ROWS, COLS, xb, upload (&r, WL_DTYPE_F32, bias, COLS));
    for (guint i = 0; i < N; i++)
      want[i] = (double) x[i] + bias[i % COLS];
    g_free (got);
    got = download (xb);
    assert_close ("add_bias", got, want, N);
  }
  for (guint accumulate = 0; accumulate < 2; accumulate++)
    {
      WlBuffer *sum = upload (&r, WL_DTYPE_F32, bias, COLS);

      wl_op_sum_rows (r.be, ROWS, COLS, upload (&r, WL_DTYPE_F32, x, N), sum, accumulate);
      for (guint j = 0; j < COLS; j++)
        {
          want[j] = accumulate ? bias[j] : 0;
          for (guint i = 0; i < ROWS; i++)
            want[j] += x[i * COLS + j];
        }
      g_free (got);
      got = download (sum);
      assert_close ("sum_rows", got, want, COLS);
    }
  {
    WlBuffer *sum = upload (&r, WL_DTYPE_F32, NULL, 1);

    wl_op_sum_squares (r.be, N, upload (&r, WL_DTYPE_F32, x, N), sum);
    want[0] = 0;
    for (guint i = 0; i < N; i++)
      want[0] += (double) x[i] * x[i];
    g_free (got);
    got = download (sum);
    assert_close ("sum_squares", got, want, 1);
  }
  ref_tear_down (&r);
}

/* gather (ids outside the table give zero rows) and scatter_add
 * (repeated ids add up, ids outside are skipped). */
static void
test_gather_scatter (void)
{
  enum { ROWS = 6, DIM = 5, N = 8 };
  static const gint32 ids[N] = { 2, 0, 5, -1, 2, 6, 3, 2 };
  g_autofree float *table = NULL, *d_out = NULL, *grad = NULL, *got = NULL;
  double want[ROWS * DIM > N * DIM ? ROWS * DIM : N * DIM];
  WlBuffer *idb, *out, *gb;
  Ref r;

  ref_set_up (&r);
  table = randoms (&r, ROWS * DIM, -1, 1);
  d_out = randoms (&r, N * DIM, -1, 1);
  grad = randoms (&r, ROWS * DIM, -1, 1);
  idb = upload (&r, WL_DTYPE_I32, ids, N);
  out = upload (&r, WL_DTYPE_F32, NULL, N * DIM);
  wl_op_gather (r.be, N, DIM, upload (&r, WL_DTYPE_F32, table, ROWS * DIM), idb, out);
  for (guint i = 0; i < N; i++)
    for (guint j = 0; j < DIM; j++)
      want[i * DIM + j] = ids[i] >= 0 && ids[i] < ROWS ? table[ids[i] * DIM + j] : 0;
  got = download (out);
  assert_close ("gather", got, want, N * DIM);

  gb = upload (&r, WL_DTYPE_F32, grad, ROWS * DIM);
  wl_op_scatter_add (r.be, N, DIM, upload (&r, WL_DTYPE_F32, d_out, N * DIM), idb, gb);
  for (guint i = 0; i < ROWS * DIM; i++)
    want[i] = grad[i];
  for (guint i = 0; i < N; i++)
    if (ids[i] >= 0 && ids[i] < ROWS)
      for (guint j = 0; j < DIM; j++)
        want[ids[i] * DIM + j] += d_out[i * DIM + j];
  g_free (got);
  got = download (gb);
  assert_close ("scatter_add", got, want, ROWS * DIM);
  ref_tear_down (&r);
}

/* softmax and cross-entropy: probabilities, the loss per row and the
 * gradient times @scale; a label outside the columns is ignored. */
static void
test_softmax_xent (void)
{
  enum { ROWS = 5, COLS = 7 };
  static const gint32 labels[ROWS] = { 3, 0, 6, -1, 2 };
  g_autofree float *logits = NULL, *got = NULL;
  double probs[ROWS * COLS], d[ROWS * COLS], loss[ROWS];
  WlBuffer *pb, *db, *lb;
  float scale = 0.5f;
  Ref r;

  ref_set_up (&r);
  logits = randoms (&r, ROWS * COLS, -4, 4);
  pb = upload (&r, WL_DTYPE_F32, NULL, ROWS * COLS);
  db = upload (&r, WL_DTYPE_F32, NULL, ROWS * COLS);
  lb = upload (&r, WL_DTYPE_F32, NULL, ROWS);
  wl_op_softmax_xent (r.be, ROWS, COLS, upload (&r, WL_DTYPE_F32, logits, ROWS * COLS),
                      upload (&r, WL_DTYPE_I32, labels, ROWS), scale, pb, db, lb);
  for (guint i = 0; i < ROWS; i++)
    {
      double sum = 0;
      gboolean valid = labels[i] >= 0 && labels[i] < COLS;

      for (guint j = 0; j < COLS; j++)
        sum += exp (logits[i * COLS + j]);
      for (guint j = 0; j < COLS; j++)
        {
          probs[i * COLS + j] = exp (logits[i * COLS + j]) / sum;
          d[i * COLS + j] = valid ? scale * (probs[i * COLS + j] - (j == (guint) labels[i])) : 0;
        }
      loss[i] = valid ? -log (probs[i * COLS + labels[i]]) : 0;
    }
  got = download (pb);
  assert_close ("softmax_xent probs", got, probs, ROWS * COLS);
  g_free (got);
  got = download (db);
  assert_close ("softmax_xent gradient", got, d, ROWS * COLS);
  g_free (got);
  got = download (lb);
  assert_close ("softmax_xent loss", got, loss, ROWS);
  ref_tear_down (&r);
}

/* im2col and max over time (first maximum; an empty sequence gives −1
 * and 0) and its backward pass. */
static void
test_convolution (void)
{
  enum { B = 3, T = 6, C = 4, W = 3, COLS_T = T - W + 1 };
  static const gint32 lengths[B] = { 6, 2, 0 };
  g_autofree float *x = NULL, *dy = NULL, *got = NULL, *arg = NULL;
  double want[B * T * C > B * COLS_T * W * C ? B * T * C : B * COLS_T * W * C];
  double max[B * C];
  gint32 argmax[B * C];
  WlBuffer *cols, *y, *am, *dx;
  Ref r;

  ref_set_up (&r);
  x = randoms (&r, B * T * C, -2, 2);
  dy = randoms (&r, B * C, -1, 1);
  cols = upload (&r, WL_DTYPE_F32, NULL, B * COLS_T * W * C);
  wl_op_im2col (r.be, B, T, C, W, upload (&r, WL_DTYPE_F32, x, B * T * C), cols);
  for (guint b = 0; b < B; b++)
    for (guint t = 0; t < COLS_T; t++)
      for (guint w = 0; w < W; w++)
        for (guint ch = 0; ch < C; ch++)
          want[(b * COLS_T + t) * W * C + w * C + ch] = x[(b * T + t + w) * C + ch];
  got = download (cols);
  assert_close ("im2col", got, want, B * COLS_T * W * C);

  y = upload (&r, WL_DTYPE_F32, NULL, B * C);
  am = upload (&r, WL_DTYPE_I32, NULL, B * C);
  wl_op_max_over_time (r.be, B, T, C, upload (&r, WL_DTYPE_F32, x, B * T * C),
                       upload (&r, WL_DTYPE_I32, lengths, B), y, am);
  for (guint b = 0; b < B; b++)
    for (guint ch = 0; ch < C; ch++)
      {
        gint32 best = -1;

        for (gint32 t = 0; t < MIN (lengths[b], T); t++)
          if (best < 0 || x[(b * T + t) * C + ch] > x[(b * T + best) * C + ch])
            best = t;
        argmax[b * C + ch] = best;
        max[b * C + ch] = best < 0 ? 0 : x[(b * T + best) * C + ch];
      }
  g_free (got);
  got = download (y);
  assert_close ("max_over_time", got, max, B * C);
  arg = download (am);
  for (guint i = 0; i < B * C; i++)
    g_assert_cmpint (((gint32 *) arg)[i], ==, argmax[i]);

  dx = upload (&r, WL_DTYPE_F32, x, B * T * C);
  wl_op_max_over_time_backward (r.be, B, T, C, upload (&r, WL_DTYPE_F32, dy, B * C), am, dx);
  for (guint i = 0; i < B * T * C; i++)
    want[i] = 0;
  for (guint b = 0; b < B; b++)
    for (guint ch = 0; ch < C; ch++)
      if (argmax[b * C + ch] >= 0)
        want[(b * T + argmax[b * C + ch]) * C + ch] = dy[b * C + ch];
  g_free (got);
  got = download (dx);
  assert_close ("max_over_time_backward", got, want, B * T * C);
  ref_tear_down (&r);
}

typedef struct
{
  float   lr, beta1, beta2, eps, weight_decay;
  gboolean decoupled;
  guint64 step;
} AdamSettings;

/* One Adam (AdamW when decoupled) step on one element, as PyTorch: the
 * new weight, and the moments in *m and *v. */
static double
naive_adam (const AdamSettings *s,
            double              w,
            double              g,
            double             *m,
            double             *v)
{
  double mh, vh;

  if (s->decoupled)
    w *= 1 - (double) s->lr * s->weight_decay;
  else
    g += (double) s->weight_decay * w;
  *m = s->beta1 * *m + (1 - (double) s->beta1) * g;
  *v = s->beta2 * *v + (1 - (double) s->beta2) * g * g;
  mh = *m / (1 - pow (s->beta1, s->step));
  vh = *v / (1 - pow (s->beta2, s->step));
  return w - s->lr * mh / (sqrt (vh) + s->eps);
}

/* One Adadelta step on one element, as PyTorch (lr, rho, eps and weight
 * decay from @s): the new weight, and the averages in *sq and *acc. */
static double
naive_adadelta (const AdamSettings *s,
                float               rho,
                double              w,
                double              g,
                double             *sq,
                double             *acc)
{
  double delta;

  g += (double) s->weight_decay * w;
  *sq = rho * *sq + (1 - (double) rho) * g * g;
  delta = sqrt (*acc + s->eps) / sqrt (*sq + s->eps) * g;
  *acc = rho * *acc + (1 - (double) rho) * delta * delta;
  return w - s->lr * delta;
}

/* SGD with momentum and weight decay; Adam and AdamW, bias-corrected;
 * Adadelta. */
static void
test_optimisers (void)
{
  enum { N = 50 };
  g_autofree float *w = NULL, *g = NULL, *m = NULL, *v = NULL, *got = NULL;
  double want_w[N], want_v[N];
  float lr = 0.1f, momentum = 0.9f, decay = 0.01f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
  guint64 step = 3;
  Ref r;

  ref_set_up (&r);
  w = randoms (&r, N, -1, 1);
  g = randoms (&r, N, -1, 1);
  m = randoms (&r, N, -0.1, 0.1);
  v = randoms (&r, N, 0, 0.01);
  {
    WlBuffer *wb = upload (&r, WL_DTYPE_F32, w, N), *vb = upload (&r, WL_DTYPE_F32, m, N);

    wl_op_sgd_step (r.be, N, wb, upload (&r, WL_DTYPE_F32, g, N), vb, lr, momentum, decay);
    for (guint i = 0; i < N; i++)
      {
        double gi = g[i] + (double) decay * w[i];

        want_v[i] = momentum * (double) m[i] + gi;
        want_w[i] = w[i] - lr * want_v[i];
      }
    got = download (wb);
    assert_close ("sgd_step w", got, want_w, N);
    g_free (got);
    got = download (vb);
    assert_close ("sgd_step velocity", got, want_v, N);
  }
  for (guint decoupled = 0; decoupled < 2; decoupled++)
    {
      WlBuffer *wb = upload (&r, WL_DTYPE_F32, w, N);
      WlBuffer *mb = upload (&r, WL_DTYPE_F32, m, N), *vb = upload (&r, WL_DTYPE_F32, v, N);

      AdamSettings s = { lr, b1, b2, eps, decay, decoupled, step };

      wl_op_adam_step (r.be, N, wb, upload (&r, WL_DTYPE_F32, g, N), mb, vb, lr, b1, b2, eps,
                       decay, decoupled, step);
      for (guint i = 0; i < N; i++)
        {
          double mi = m[i], vi = v[i];

          want_w[i] = naive_adam (&s, w[i], g[i], &mi, &vi);
        }
      g_free (got);
      got = download (wb);
      assert_close (decoupled ? "adamw_step" : "adam_step", got, want_w, N);
    }
  {
    g_autofree float *acc0 = randoms (&r, N, 0, 0.001);
    WlBuffer *wb = upload (&r, WL_DTYPE_F32, w, N);
    WlBuffer *sb = upload (&r, WL_DTYPE_F32, v, N), *ab = upload (&r, WL_DTYPE_F32, acc0, N);
    AdamSettings s = { 1.0f, 0, 0, 1e-6f, decay, FALSE, 1 };
    double want_sq[N], want_acc[N];

    wl_op_adadelta_step (r.be, N, wb, upload (&r, WL_DTYPE_F32, g, N), sb, ab, s.lr, 0.95f,
                         s.eps, s.weight_decay);
    for (guint i = 0; i < N; i++)
      {
        want_sq[i] = v[i];
        want_acc[i] = acc0[i];
        want_w[i] = naive_adadelta (&s, 0.95f, w[i], g[i], &want_sq[i], &want_acc[i]);
      }
    g_free (got);
    got = download (wb);
    assert_close ("adadelta_step w", got, want_w, N);
    g_free (got);
    got = download (sb);
    assert_close ("adadelta_step sq", got, want_sq, N);
    g_free (got);
    got = download (ab);
    assert_close ("adadelta_step acc", got, want_acc, N);
  }
  ref_tear_down (&r);
}

/* The lazy steps on a table's rows: only the listed rows (ids outside
 * the table skipped) change, with their gradient times @grad_scale, and
 * their gradient is cleared; the other rows keep everything. */
static void
test_optimiser_rows (void)
{
  enum { ROWS = 7, DIM = 4, N = ROWS * DIM, IDS = 4 };
  static const gint32 ids[IDS] = { 5, 1, 9, 3 };
  g_autofree float *w = NULL, *g = NULL, *m = NULL, *v = NULL, *got = NULL;
  double want_w[N], want_g[N], want_m[N];
  AdamSettings s = { 0.05f, 0.9f, 0.99f, 1e-8f, 0.01f, TRUE, 2 };
  float grad_scale = 0.5f, momentum = 0.8f;
  Ref r;

  ref_set_up (&r);
  w = randoms (&r, N, -1, 1);
  g = randoms (&r, N, -1, 1);
  m = randoms (&r, N, -0.1, 0.1);
  v = randoms (&r, N, 0, 0.01);
  for (guint adam = 0; adam < 2; adam++)
    {
      WlBuffer *wb = upload (&r, WL_DTYPE_F32, w, N), *gb = upload (&r, WL_DTYPE_F32, g, N);
      WlBuffer *mb = upload (&r, WL_DTYPE_F32, m, N), *vb = upload (&r, WL_DTYPE_F32, v, N);
      WlBuffer *idb = upload (&r, WL_DTYPE_I32, ids, IDS);

      if (adam)
        wl_op_adam_rows (r.be, IDS, DIM, idb, wb, gb, mb, vb, grad_scale, s.lr, s.beta1,
                         s.beta2, s.eps, s.weight_decay, s.decoupled, s.step);
      else
        wl_op_sgd_rows (r.be, IDS, DIM, idb, wb, gb, mb, grad_scale, s.lr, momentum,
                        s.weight_decay);
      for (guint i = 0; i < N; i++)
        {
          want_w[i] = w[i];
          want_g[i] = g[i];
          want_m[i] = m[i];
        }
      for (guint k = 0; k < IDS; k++)
        for (guint j = 0; ids[k] < ROWS && j < DIM; j++)
          {
            guint i = ids[k] * DIM + j;
            double gi = (double) g[i] * grad_scale, vi = v[i];

            if (adam)
              want_w[i] = naive_adam (&s, w[i], gi, &want_m[i], &vi);
            else
              {
                want_m[i] = momentum * (double) m[i] + gi + (double) s.weight_decay * w[i];
                want_w[i] = w[i] - s.lr * want_m[i];
              }
            want_g[i] = 0;
          }
      got = download (wb);
      assert_close (adam ? "adam_rows w" : "sgd_rows w", got, want_w, N);
      g_free (got);
      got = download (gb);
      assert_close (adam ? "adam_rows g" : "sgd_rows g", got, want_g, N);
      g_free (got);
      got = download (mb);
      assert_close (adam ? "adam_rows m" : "sgd_rows velocity", got, want_m, N);
      g_clear_pointer (&got, g_free);
    }
  ref_tear_down (&r);
}

/* col2im: dx is the sum of the columns' gradients; conv_max_backward: the
 * filters' and the input's gradients through each maximum only. */
static void
test_convolution_backward (void)
{
  enum { B = 2, T = 6, C = 3, W = 2, F = 4, CT = T - W + 1 };
  static const gint32 argmax[B * F] = { 0, 4, -1, 2, 3, 5, 1, 0 };
  g_autofree float *d_cols = NULL, *x = NULL, *w = NULL, *dy = NULL, *dw0 = NULL, *dx0 = NULL;
  g_autofree float *got = NULL;
  double want_dx[B * T * C], want_dw[W * C * F];
  WlBuffer *dx, *dw;
  Ref r;

  ref_set_up (&r);
  d_cols = randoms (&r, B * CT * W * C, -1, 1);
  dx = upload (&r, WL_DTYPE_F32, NULL, B * T * C);
  wl_op_col2im (r.be, B, T, C, W, upload (&r, WL_DTYPE_F32, d_cols, B * CT * W * C), dx);
  for (guint i = 0; i < B * T * C; i++)
    want_dx[i] = 0;
  for (guint b = 0; b < B; b++)
    for (guint t = 0; t < CT; t++)
      for (guint j = 0; j < W; j++)
        for (guint ch = 0; ch < C; ch++)
          want_dx[(b * T + t + j) * C + ch] += d_cols[(b * CT + t) * W * C + j * C + ch];
  got = download (dx);
  assert_close ("col2im", got, want_dx, B * T * C);

  x = randoms (&r, B * T * C, -1, 1);
  w = randoms (&r, W * C * F, -1, 1);
  dy = randoms (&r, B * F, -1, 1);
  dw0 = randoms (&r, W * C * F, -1, 1);
  dx0 = randoms (&r, B * T * C, -1, 1);
  dw = upload (&r, WL_DTYPE_F32, dw0, W * C * F);
  dx = upload (&r, WL_DTYPE_F32, dx0, B * T * C);
  wl_op_conv_max_backward (r.be, B, T, C, W, F, upload (&r, WL_DTYPE_F32, x, B * T * C),
                           upload (&r, WL_DTYPE_F32, w, W * C * F),
                           upload (&r, WL_DTYPE_I32, argmax, B * F),
                           upload (&r, WL_DTYPE_F32, dy, B * F), dw, dx);
  for (guint i = 0; i < W * C * F; i++)
    want_dw[i] = dw0[i];
  for (guint i = 0; i < B * T * C; i++)
    want_dx[i] = dx0[i];
  for (guint b = 0; b < B; b++)
    for (guint f = 0; f < F; f++)
      {
        gint32 a = argmax[b * F + f];

        if (a < 0 || a > T - W)
          continue;
        for (guint j = 0; j < W; j++)
          for (guint ch = 0; ch < C; ch++)
            {
              want_dw[(j * C + ch) * F + f] += dy[b * F + f] * (double) x[(b * T + a + j) * C + ch];
              want_dx[(b * T + a + j) * C + ch] += dy[b * F + f] * (double) w[(j * C + ch) * F + f];
            }
      }
  g_free (got);
  got = download (dw);
  assert_close ("conv_max_backward dw", got, want_dw, W * C * F);
  g_free (got);
  got = download (dx);
  assert_close ("conv_max_backward dx", got, want_dx, B * T * C);
  ref_tear_down (&r);
}

static double
sigmoid (double x)
{
  return 1 / (1 + exp (-x));
}

/* One LSTM step: the gates' activations, c and h. */
static void
test_lstm_cell (void)
{
  enum { B = 3, H = 5 };
  g_autofree float *gates = NULL, *c_prev = NULL, *got = NULL;
  double act[B * 4 * H], c[B * H], h[B * H];
  WlBuffer *gb, *cb, *hb;
  Ref r;

  ref_set_up (&r);
  gates = randoms (&r, B * 4 * H, -2, 2);
  c_prev = randoms (&r, 2 + B * H, -1, 1);
  gb = upload (&r, WL_DTYPE_F32, gates, B * 4 * H);
  cb = upload (&r, WL_DTYPE_F32, NULL, 1 + B * H);
  hb = upload (&r, WL_DTYPE_F32, NULL, B * H);
  wl_op_lstm_cell (r.be, B, H, gb, upload (&r, WL_DTYPE_F32, c_prev, 2 + B * H), 2, cb, 1, hb, 0);
  for (guint b = 0; b < B; b++)
    for (guint j = 0; j < H; j++)
      {
        const float *z = gates + b * 4 * H;
        double i = sigmoid (z[j]), f = sigmoid (z[H + j]), g = tanh (z[2 * H + j]);
        double o = sigmoid (z[3 * H + j]);

        act[b * 4 * H + j] = i;
        act[b * 4 * H + H + j] = f;
        act[b * 4 * H + 2 * H + j] = g;
        act[b * 4 * H + 3 * H + j] = o;
        c[b * H + j] = f * c_prev[2 + b * H + j] + i * g;
        h[b * H + j] = o * tanh (c[b * H + j]);
      }
  got = download (gb);
  assert_close ("lstm_cell gates", got, act, B * 4 * H);
  g_free (got);
  got = download (cb);
  assert_close ("lstm_cell c", got + 1, c, B * H);
  g_free (got);
  got = download (hb);
  assert_close ("lstm_cell h", got, h, B * H);
  ref_tear_down (&r);
}

/* The LSTM cell's backward pass from saved activations, c_prev and c. */
static void
test_lstm_cell_backward (void)
{
  enum { B = 2, H = 4 };
  g_autofree float *act = NULL, *c_prev = NULL, *c = NULL, *dh = NULL, *dc = NULL;
  g_autofree float *got = NULL;
  double want_dg[B * 4 * H], want_dcp[B * H];
  WlBuffer *dg, *dcp;
  Ref r;

  ref_set_up (&r);
  act = randoms (&r, B * 4 * H, 0.05, 0.95);   /* σ outputs; g in (0, 1) is a tanh output too */
  c_prev = randoms (&r, B * H, -1, 1);
  c = randoms (&r, B * H, -1, 1);
  dh = randoms (&r, B * H, -1, 1);
  dc = randoms (&r, B * H, -1, 1);
  dg = upload (&r, WL_DTYPE_F32, NULL, B * 4 * H);
  dcp = upload (&r, WL_DTYPE_F32, NULL, B * H);
  wl_op_lstm_cell_backward (r.be, B, H, upload (&r, WL_DTYPE_F32, act, B * 4 * H),
                            upload (&r, WL_DTYPE_F32, c_prev, B * H), 0,
                            upload (&r, WL_DTYPE_F32, c, B * H), 0,
                            upload (&r, WL_DTYPE_F32, dh, B * H), 0,
                            upload (&r, WL_DTYPE_F32, dc, B * H), 0, dg, dcp, 0);
  for (guint b = 0; b < B; b++)
    for (guint j = 0; j < H; j++)
      {
        const float *a = act + b * 4 * H;
        double i = a[j], f = a[H + j], g = a[2 * H + j], o = a[3 * H + j];
        double tc = tanh (c[b * H + j]), dct = dc[b * H + j] + dh[b * H + j] * o * (1 - tc * tc);

        want_dg[b * 4 * H + j] = dct * g * i * (1 - i);
        want_dg[b * 4 * H + H + j] = dct * c_prev[b * H + j] * f * (1 - f);
        want_dg[b * 4 * H + 2 * H + j] = dct * i * (1 - g * g);
        want_dg[b * 4 * H + 3 * H + j] = dh[b * H + j] * tc * o * (1 - o);
        want_dcp[b * H + j] = dct * f;
      }
  got = download (dg);
  assert_close ("lstm_cell_backward d_gates", got, want_dg, B * 4 * H);
  g_free (got);
  got = download (dcp);
  assert_close ("lstm_cell_backward dc_prev", got, want_dcp, B * H);
  ref_tear_down (&r);
}

/* A whole LSTM layer's recurrence over sequences sorted longest first:
 * step t has rows for its first active[t] sequences. */
static void
test_lstm_forward (void)
{
  enum { H = 3, STEPS = 3, R = 3 + 2 + 1 };
  static const gsize active[STEPS] = { 3, 2, 1 };
  g_autofree float *w = NULL, *gates = NULL, *got_h = NULL, *got_c = NULL;
  double h[R * H], c[R * H];
  gsize row = 0;
  WlBuffer *gb, *cb, *hb;
  Ref r;

  ref_set_up (&r);
  w = randoms (&r, H * 4 * H, -0.5, 0.5);
  gates = randoms (&r, R * 4 * H, -1, 1);
  gb = upload (&r, WL_DTYPE_F32, gates, R * 4 * H);
  cb = upload (&r, WL_DTYPE_F32, NULL, R * H);
  hb = upload (&r, WL_DTYPE_F32, NULL, R * H);
  wl_op_lstm_forward (r.be, STEPS, active, H, upload (&r, WL_DTYPE_F32, w, H * 4 * H), gb, cb,
                      hb, upload (&r, WL_DTYPE_F32, NULL, R * H));
  for (gsize t = 0; t < STEPS; t++)
    for (gsize b = 0; b < active[t]; b++, row++)
      {
        gsize p = row - active[t > 0 ? t - 1 : 0];   /* the sequence's row at t − 1 */

        for (gsize j = 0; j < H; j++)
          {
            double z[4];

            for (guint q = 0; q < 4; q++)
              {
                z[q] = gates[row * 4 * H + q * H + j];
                for (gsize k = 0; t > 0 && k < H; k++)
                  z[q] += h[p * H + k] * w[k * 4 * H + q * H + j];
              }
            c[row * H + j] = sigmoid (z[1]) * (t > 0 ? c[p * H + j] : 0) +
                             sigmoid (z[0]) * tanh (z[2]);
            h[row * H + j] = sigmoid (z[3]) * tanh (c[row * H + j]);
          }
      }
  got_h = download (hb);
  got_c = download (cb);
  assert_close ("lstm_forward h", got_h, h, R * H);
  assert_close ("lstm_forward c", got_c, c, R * H);
  ref_tear_down (&r);
}

/* fill (converting its value), copy between offsets, and convert
 * through f16 and bf16 (ties to even). */
static void
test_fill_copy_convert (void)
{
  enum { N = 40 };
  static const struct { WlDtype dtype; int bits, min_exp; } halves[] = {
    { WL_DTYPE_F16, 11, -24 }, { WL_DTYPE_BF16, 8, -149 },
  };
  g_autofree float *x = NULL, *got = NULL;
  double want[N];
  WlBuffer *a, *b;
  Ref r;

  ref_set_up (&r);
  x = randoms (&r, N, -100, 100);
  a = upload (&r, WL_DTYPE_F32, x, N);
  b = upload (&r, WL_DTYPE_F32, x, N);
  wl_op_fill (r.be, a, 3, 10, 2.5f);
  wl_op_copy (r.be, a, 0, b, 20, 15);
  for (guint i = 0; i < N; i++)
    want[i] = x[i];
  for (guint i = 0; i < 15; i++)
    want[20 + i] = i >= 3 && i < 13 ? 2.5 : x[i];
  got = download (b);
  assert_close ("fill and copy", got, want, N);

  for (guint h = 0; h < G_N_ELEMENTS (halves); h++)
    {
      WlBuffer *half = upload (&r, halves[h].dtype, NULL, N);
      WlBuffer *back = upload (&r, WL_DTYPE_F32, NULL, N);

      wl_op_convert (r.be, N, upload (&r, WL_DTYPE_F32, x, N), half);
      wl_op_convert (r.be, N, half, back);
      for (guint i = 0; i < N; i++)
        want[i] = round_bits (x[i], halves[h].bits, halves[h].min_exp);
      g_free (got);
      got = download (back);
      assert_close ("convert", got, want, N);
    }
  ref_tear_down (&r);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reference/gemm", test_gemm);
  g_test_add_func ("/reference/gemm-batched", test_gemm_batched);
  g_test_add_func ("/reference/elementwise", test_elementwise);
  g_test_add_func ("/reference/gather-scatter", test_gather_scatter);
  g_test_add_func ("/reference/softmax-xent", test_softmax_xent);
  g_test_add_func ("/reference/convolution", test_convolution);
  g_test_add_func ("/reference/optimisers", test_optimisers);
  g_test_add_func ("/reference/optimiser-rows", test_optimiser_rows);
  g_test_add_func ("/reference/convolution-backward", test_convolution_backward);
  g_test_add_func ("/reference/lstm-cell", test_lstm_cell);
  g_test_add_func ("/reference/lstm-cell-backward", test_lstm_cell_backward);
  g_test_add_func ("/reference/lstm-forward", test_lstm_forward);
  g_test_add_func ("/reference/fill-copy-convert", test_fill_copy_convert);
  return g_test_run ();
}
