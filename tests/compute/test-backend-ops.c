/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-backend-ops.c: every op on every device wl_backend_list_devices()
 * reports (blas, each OpenCL device), against the cpu reference by
 * normalised mean squared error.  Each case draws its inputs from a seed,
 * so the reference and the device see the same numbers. */
#include "config.h"

#include <math.h>

#include "compute/wl-host.h"
#include "compute/wl-ops.h"

#define TOL_F32  1e-6   /* NMSE for f32 results */
#define TOL_HALF 1e-5   /* results stored as f16/bf16 */
#define EXACT    0.0    /* integer results, masks */

typedef struct
{
  char   *name;
  double *values;
  gsize   n;
  double  tolerance;
} Output;

typedef struct
{
  WlBackend *backend;
  GRand     *rand;
  GArray    *outputs;   /* of Output */
  GPtrArray *buffers;   /* freed after the case */
} Run;

static void
output_clear (Output *output)
{
  g_free (output->name);
  g_free (output->values);
}

/* A buffer of @dtype with uniform values in [lo, hi) (I32: integers). */
static WlBuffer *
random_buffer (Run     *run,
               WlDtype  dtype,
               gsize    n,
               double   lo,
               double   hi)
{
  g_autoptr(GError) error = NULL;
  g_autofree float *values = g_new (float, n);
  g_autofree void *raw = g_malloc (n * 4);
  WlBuffer *buffer = wl_buffer_new (run->backend, dtype, n, &error);

  g_assert_no_error (error);
  if (dtype == WL_DTYPE_I32)
    for (gsize i = 0; i < n; i++)
      ((gint32 *) raw)[i] = g_rand_int_range (run->rand, (gint32) lo, (gint32) hi);
  else
    {
      for (gsize i = 0; i < n; i++)
        values[i] = (float) g_rand_double_range (run->rand, lo, hi);
      wl_dtype_from_f32 (dtype, values, raw, n);
    }
  wl_buffer_write (buffer, 0, raw, n, &error);
  g_assert_no_error (error);
  g_ptr_array_add (run->buffers, buffer);
  return buffer;
}

static WlBuffer *
f32_buffer (Run    *run,
            gsize   n,
            double  lo,
            double  hi)
{
  return random_buffer (run, WL_DTYPE_F32, n, lo, hi);
}

static WlBuffer *
i32_buffer_from (Run          *run,
                 const gint32 *values,
                 gsize         n)
{
  g_autoptr(GError) error = NULL;
  WlBuffer *buffer = wl_buffer_new (run->backend, WL_DTYPE_I32, n, &error);

  g_assert_no_error (error);
  wl_buffer_write (buffer, 0, values, n, &error);
  g_assert_no_error (error);
  g_ptr_array_add (run->buffers, buffer);
  return buffer;
}

/* Reads @buffer back as one of the case's results. */
static void G_GNUC_PRINTF (4, 5)
record (Run            *run,
        const WlBuffer *buffer,
        double          tolerance,
        const char     *format,
        ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree void *raw = g_malloc (buffer->n * 4);
  g_autofree float *f32 = g_new (float, buffer->n);
  Output output = { NULL, g_new (double, buffer->n), buffer->n, tolerance };
  va_list args;

  va_start (args, format);
  output.name = g_strdup_vprintf (format, args);
  va_end (args);
  wl_buffer_read (buffer, 0, raw, buffer->n, &error);
  g_assert_no_error (error);
  if (buffer->dtype == WL_DTYPE_I32)
    for (gsize i = 0; i < buffer->n; i++)
      output.values[i] = ((gint32 *) raw)[i];
  else
    {
      wl_dtype_to_f32 (buffer->dtype, raw, f32, buffer->n);
      for (gsize i = 0; i < buffer->n; i++)
        output.values[i] = f32[i];
    }
  g_array_append_val (run->outputs, output);
}

static void
gemm_case (Run      *run,
           WlDtype   ab_dtype,
           WlDtype   c_dtype,
           gboolean  trans_a,
           gboolean  trans_b,
           gsize     m,
           gsize     n,
           gsize     k,
           float     beta)
{
  /* Offsets and leading dimensions wider than the rows. */
  gsize lda = (trans_a ? m : k) + 3, ldb = (trans_b ? k : n) + 1, ldc = n + 2;
  gsize a_offset = 5, b_offset = 2, c_offset = 7;
  WlBuffer *a = random_buffer (run, ab_dtype, a_offset + (trans_a ? k : m) * lda, -1, 1);
  WlBuffer *b = random_buffer (run, ab_dtype, b_offset + (trans_b ? n : k) * ldb, -1, 1);
  WlBuffer *c = random_buffer (run, c_dtype, c_offset + m * ldc, -1, 1);

  /* beta = 0 must not read C: NaN there may not leak through. */
  if (beta == 0.0f)
    for (gsize i = 0; i < m; i++)
      wl_op_fill (run->backend, c, c_offset + i * ldc, n, NAN);
  wl_op_gemm (run->backend, trans_a, trans_b, m, n, k, 0.75f, a, a_offset, lda,
              b, b_offset, ldb, beta, c, c_offset, ldc);
  record (run, c, c_dtype == WL_DTYPE_F32 ? TOL_F32 : TOL_HALF,
          "gemm %s/%s %c%c %zux%zux%zu beta %g", wl_dtype_to_string (ab_dtype),
          wl_dtype_to_string (c_dtype), trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', m, n, k, beta);
}

static void
case_gemm (Run *run)
{
  static const gsize shapes[][3] = {
    { 1, 1, 1 }, { 7, 5, 3 }, { 33, 17, 65 }, { 64, 64, 64 }, { 130, 3, 257 }, { 5, 129, 31 },
    { 200, 150, 96 },
  };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (guint t = 0; t < 4; t++)
      gemm_case (run, WL_DTYPE_F32, WL_DTYPE_F32, t & 1, t & 2, shapes[s][0], shapes[s][1],
                 shapes[s][2], s % 2 ? 0.0f : 1.25f);
}

static void
case_gemm_half (Run *run)
{
  for (guint t = 0; t < 4; t++)
    {
      gemm_case (run, WL_DTYPE_F16, WL_DTYPE_F32, t & 1, t & 2, 19, 23, 37, 0.5f);
      gemm_case (run, WL_DTYPE_F16, WL_DTYPE_F16, t & 1, t & 2, 16, 9, 70, 0.0f);
      gemm_case (run, WL_DTYPE_BF16, WL_DTYPE_F32, t & 1, t & 2, 8, 31, 12, 1.0f);
      gemm_case (run, WL_DTYPE_BF16, WL_DTYPE_BF16, t & 1, t & 2, 3, 4, 5, 0.0f);
    }
}

static void
case_gemm_batched (Run *run)
{
  for (guint t = 0; t < 4; t++)
    {
      gboolean ta = t & 1, tb = t & 2;
      gsize m = 9, n = 14, k = 11, count = 4;
      gsize lda = ta ? m : k, ldb = tb ? k : n, ldc = n + 1;
      gsize a_stride = m * k + 3, b_stride = k * n, c_stride = m * ldc + 2;
      WlBuffer *a = f32_buffer (run, a_stride * count, -1, 1);
      WlBuffer *b = f32_buffer (run, b_stride * count, -1, 1);
      WlBuffer *c = f32_buffer (run, c_stride * count, -1, 1);

      wl_op_gemm_batched (run->backend, ta, tb, m, n, k, 1.5f, a, a_stride, lda, b, b_stride,
                          ldb, t == 3 ? 0.0f : 0.5f, c, c_stride, ldc, count);
      record (run, c, TOL_F32, "gemm_batched %c%c", ta ? 'T' : 'N', tb ? 'T' : 'N');
    }
}

static void
case_fill_copy_convert (Run *run)
{
  static const WlDtype dtypes[] = { WL_DTYPE_F32, WL_DTYPE_F16, WL_DTYPE_BF16, WL_DTYPE_I32 };

  for (guint i = 0; i < G_N_ELEMENTS (dtypes); i++)
    {
      WlBuffer *x = random_buffer (run, dtypes[i], 1000, -100, 100);
      WlBuffer *y = random_buffer (run, dtypes[i], 1003, -100, 100);

      wl_op_fill (run->backend, x, 17, 301, -2.5f);
      wl_op_copy (run->backend, x, 3, y, 500, 499);
      wl_op_copy (run->backend, x, 600, x, 0, 400);
      record (run, x, EXACT, "fill+copy %s x", wl_dtype_to_string (dtypes[i]));
      record (run, y, EXACT, "fill+copy %s y", wl_dtype_to_string (dtypes[i]));
    }
  for (guint i = 0; i < 3; i++)
    for (guint j = 0; j < 3; j++)
      {
        WlBuffer *src = random_buffer (run, dtypes[i], 777, -60000, 60000);
        WlBuffer *dst = random_buffer (run, dtypes[j], 800, -1, 1);

        wl_op_convert (run->backend, 777, src, dst);
        record (run, dst, EXACT, "convert %s → %s", wl_dtype_to_string (dtypes[i]),
                wl_dtype_to_string (dtypes[j]));
      }
}

static void
case_elementwise (Run *run)
{
  static const gsize sizes[] = { 1, 7, 1000, 4099 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      gsize n = sizes[s];
      WlBuffer *x = f32_buffer (run, n, -3, 3);
      WlBuffer *y = f32_buffer (run, n + 5, -3, 3);
      WlBuffer *z = f32_buffer (run, n, -3, 3);

      wl_op_axpby (run->backend, n, 0.5f, x, -1.5f, y);
      record (run, y, TOL_F32, "axpby %zu", n);
      wl_op_axpby (run->backend, n, 2.0f, x, 0.0f, z);
      record (run, z, TOL_F32, "axpby beta 0 %zu", n);
      wl_op_axpby (run->backend, n, 0.25f, z, 3.0f, z);
      record (run, z, TOL_F32, "axpby in place %zu", n);
      wl_op_mul (run->backend, n, x, y);
      record (run, y, TOL_F32, "mul %zu", n);
      wl_op_mul (run->backend, n, x, x);
      record (run, x, TOL_F32, "mul in place %zu", n);

      for (WlUnaryOp op = WL_UNARY_TANH; op <= WL_UNARY_RELU; op++)
        {
          WlBuffer *in = f32_buffer (run, n, -6, 6);
          WlBuffer *out = f32_buffer (run, n, -1, 1);
          WlBuffer *dy = f32_buffer (run, n, -1, 1);
          WlBuffer *dx = f32_buffer (run, n, -1, 1);

          wl_op_unary (run->backend, op, n, in, out);
          record (run, out, TOL_F32, "unary %d %zu", op, n);
          wl_op_unary_backward (run->backend, op, n, out, dy, dx);
          record (run, dx, TOL_F32, "unary_backward %d %zu", op, n);
          wl_op_unary_backward (run->backend, op, n, out, dy, dy);
          record (run, dy, TOL_F32, "unary_backward in place %d %zu", op, n);
          wl_op_unary (run->backend, op, n, in, in);
          record (run, in, TOL_F32, "unary in place %d %zu", op, n);
        }
    }
}

static void
case_rows (Run *run)
{
  static const gsize shapes[][2] = { { 1, 1 }, { 3, 70 }, { 129, 5 }, { 64, 256 } };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      gsize rows = shapes[s][0], cols = shapes[s][1];
      WlBuffer *x = f32_buffer (run, rows * cols, -2, 2);
      WlBuffer *bias = f32_buffer (run, cols, -1, 1);
      WlBuffer *sum = f32_buffer (run, cols, -1, 1);
      WlBuffer *squares = f32_buffer (run, 1, -1, 1);

      wl_op_add_bias (run->backend, rows, cols, x, bias);
      record (run, x, TOL_F32, "add_bias %zux%zu", rows, cols);
      wl_op_sum_rows (run->backend, rows, cols, x, sum, TRUE);
      record (run, sum, TOL_F32, "sum_rows accumulate %zux%zu", rows, cols);
      wl_op_sum_rows (run->backend, rows, cols, x, sum, FALSE);
      record (run, sum, TOL_F32, "sum_rows %zux%zu", rows, cols);
      wl_op_sum_squares (run->backend, rows * cols, x, squares);
      record (run, squares, TOL_F32, "sum_squares %zu", rows * cols);
    }
}

static void
case_embeddings (Run *run)
{
  static const gsize dims[] = { 1, 3, 64, 100 };
  const gsize rows = 50;

  for (guint d = 0; d < G_N_ELEMENTS (dims); d++)
    {
      gsize dim = dims[d], n = 300;
      g_autofree gint32 *ids = g_new (gint32, n);
      WlBuffer *table, *out, *d_out, *grad, *id_buffer;

      /* Mostly a few hot rows (repeats), plus padding (−1) and out of range. */
      for (gsize i = 0; i < n; i++)
        ids[i] = i % 17 == 0 ? -1 : i % 23 == 0 ? (gint32) rows + 4 : g_rand_int_range (run->rand, 0, 8 + (i % 3) * 20);
      id_buffer = i32_buffer_from (run, ids, n);
      table = f32_buffer (run, rows * dim, -1, 1);
      out = f32_buffer (run, n * dim, -1, 1);
      d_out = f32_buffer (run, n * dim, -1, 1);
      grad = f32_buffer (run, rows * dim, -1, 1);

      wl_op_gather (run->backend, n, dim, table, id_buffer, out);
      record (run, out, TOL_F32, "gather dim %zu", dim);
      wl_op_scatter_add (run->backend, n, dim, d_out, id_buffer, grad);
      record (run, grad, TOL_F32, "scatter_add dim %zu", dim);
    }
}

static void
case_softmax_xent (Run *run)
{
  static const gsize shapes[][2] = { { 1, 1 }, { 4, 2 }, { 33, 7 }, { 128, 300 } };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      gsize rows = shapes[s][0], cols = shapes[s][1];
      g_autofree gint32 *labels = g_new (gint32, rows);
      WlBuffer *logits, *probs, *d_logits, *loss, *label_buffer;

      for (gsize r = 0; r < rows; r++)
        labels[r] = r % 5 == 4 ? -1 : g_rand_int_range (run->rand, 0, (gint32) cols);
      label_buffer = i32_buffer_from (run, labels, rows);
      /* Large logits: the softmax must subtract the maximum. */
      logits = f32_buffer (run, rows * cols, -60, 90);
      probs = f32_buffer (run, rows * cols, -1, 1);
      d_logits = f32_buffer (run, rows * cols, -1, 1);
      loss = f32_buffer (run, rows, -1, 1);

      wl_op_softmax_xent (run->backend, rows, cols, logits, label_buffer, 0.125f, probs,
                          d_logits, loss);
      record (run, probs, TOL_F32, "softmax_xent probs %zux%zu", rows, cols);
      record (run, d_logits, TOL_F32, "softmax_xent d_logits %zux%zu", rows, cols);
      record (run, loss, TOL_F32, "softmax_xent loss %zux%zu", rows, cols);

      logits = f32_buffer (run, rows * cols, -3, 3);
      wl_op_softmax_xent (run->backend, rows, cols, logits, label_buffer, 1.0f, probs, NULL, NULL);
      record (run, probs, TOL_F32, "softmax_xent probs only %zux%zu", rows, cols);
    }
}

static void
case_dropout (Run *run)
{
  static const float ps[] = { 0.0f, 0.3f, 0.9f };
  static const gsize sizes[] = { 1, 333, 10000 };

  for (guint i = 0; i < G_N_ELEMENTS (ps); i++)
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
      {
        WlBuffer *x = f32_buffer (run, sizes[s], -1, 1);
        WlBuffer *mask = f32_buffer (run, sizes[s], -1, 1);
        guint64 seed = G_GUINT64_CONSTANT (0x123456789) * (i + 1) + s;

        wl_op_dropout (run->backend, sizes[s], ps[i], seed, x, mask);
        record (run, mask, EXACT, "dropout mask p %g n %zu", ps[i], sizes[s]);
        record (run, x, TOL_F32, "dropout x p %g n %zu", ps[i], sizes[s]);
      }
}

static void
case_convolution (Run *run)
{
  static const gsize shapes[][4] = {   /* batch, time, channels, width */
    { 1, 1, 1, 1 }, { 2, 9, 3, 3 }, { 5, 20, 16, 5 }, { 3, 4, 7, 6 }, { 4, 31, 1, 2 },
  };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      gsize batch = shapes[s][0], time = shapes[s][1], channels = shapes[s][2], width = shapes[s][3];
      gsize out_time = time >= width ? time - width + 1 : 0;
      gsize n_cols = MAX (batch * out_time * width * channels, 1);
      WlBuffer *x = f32_buffer (run, batch * time * channels, -1, 1);
      WlBuffer *cols = f32_buffer (run, n_cols, -1, 1);
      WlBuffer *d_cols = f32_buffer (run, n_cols, -1, 1);
      WlBuffer *dx = f32_buffer (run, batch * time * channels, -1, 1);

      wl_op_im2col (run->backend, batch, time, channels, width, x, cols);
      record (run, cols, TOL_F32, "im2col %zu/%zu/%zu/%zu", batch, time, channels, width);
      wl_op_col2im (run->backend, batch, time, channels, width, d_cols, dx);
      record (run, dx, TOL_F32, "col2im %zu/%zu/%zu/%zu", batch, time, channels, width);
    }
}

static void
case_conv_max_backward (Run *run)
{
  static const gsize shapes[][5] = {   /* batch, time, channels, width, filters */
    { 1, 1, 1, 1, 1 }, { 3, 9, 4, 3, 5 }, { 5, 20, 16, 5, 7 }, { 4, 12, 8, 4, 100 },
  };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      gsize batch = shapes[s][0], time = shapes[s][1], channels = shapes[s][2];
      gsize width = shapes[s][3], filters = shapes[s][4];
      g_autofree gint32 *steps = g_new (gint32, batch * filters);
      WlBuffer *x = f32_buffer (run, batch * time * channels, -1, 1);
      WlBuffer *w = f32_buffer (run, width * channels * filters, -1, 1);
      WlBuffer *dy = f32_buffer (run, batch * filters, -1, 1);
      WlBuffer *dw = f32_buffer (run, width * channels * filters, -1, 1);
      WlBuffer *dx = f32_buffer (run, batch * time * channels, -1, 1);
      WlBuffer *argmax;

      /* Every step a window can start at, and −1 (an empty sequence). */
      for (gsize i = 0; i < batch * filters; i++)
        steps[i] = g_rand_int_range (run->rand, -1, (gint32) (time - width + 1));
      argmax = i32_buffer_from (run, steps, batch * filters);
      wl_op_conv_max_backward (run->backend, batch, time, channels, width, filters, x, w,
                               argmax, dy, dw, dx);
      record (run, dw, TOL_F32, "conv_max_backward dw %u", s);
      record (run, dx, TOL_F32, "conv_max_backward dx %u", s);
    }
}

static void
case_max_over_time (Run *run)
{
  static const gsize shapes[][3] = { { 1, 1, 1 }, { 3, 8, 5 }, { 6, 40, 100 } };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    for (guint with_lengths = 0; with_lengths < 2; with_lengths++)
      {
        gsize batch = shapes[s][0], time = shapes[s][1], channels = shapes[s][2];
        g_autofree gint32 *lengths = g_new (gint32, batch);
        WlBuffer *x = f32_buffer (run, batch * time * channels, -5, 5);
        WlBuffer *y = f32_buffer (run, batch * channels, -1, 1);
        WlBuffer *argmax = random_buffer (run, WL_DTYPE_I32, batch * channels, 0, 9);
        WlBuffer *dy = f32_buffer (run, batch * channels, -1, 1);
        WlBuffer *dx = f32_buffer (run, batch * time * channels, -1, 1);
        WlBuffer *length_buffer = NULL;

        /* Full, shorter, empty and longer-than-time sequences. */
        for (gsize b = 0; b < batch; b++)
          lengths[b] = b % 4 == 0 ? (gint32) time : b % 4 == 1 ? (gint32) (time + 1) / 2 :
                       b % 4 == 2 ? 0 : (gint32) time + 9;
        if (with_lengths)
          length_buffer = i32_buffer_from (run, lengths, batch);
        wl_op_max_over_time (run->backend, batch, time, channels, x, length_buffer, y, argmax);
        record (run, y, TOL_F32, "max_over_time y %zu/%zu/%zu%s", batch, time, channels,
                with_lengths ? " lengths" : "");
        record (run, argmax, EXACT, "max_over_time argmax %zu/%zu/%zu%s", batch, time, channels,
                with_lengths ? " lengths" : "");
        wl_op_max_over_time_backward (run->backend, batch, time, channels, dy, argmax, dx);
        record (run, dx, TOL_F32, "max_over_time_backward %zu/%zu/%zu%s", batch, time, channels,
                with_lengths ? " lengths" : "");
      }
}

static void
case_optimisers (Run *run)
{
  gsize n = 1029;
  WlBuffer *w = f32_buffer (run, n, -1, 1);
  WlBuffer *w_plain = f32_buffer (run, n, -1, 1);
  WlBuffer *velocity = f32_buffer (run, n, 0, 0);
  WlBuffer *w_adam = f32_buffer (run, n, -1, 1);
  WlBuffer *w_adamw = f32_buffer (run, n, -1, 1);
  WlBuffer *m[2] = { f32_buffer (run, n, 0, 0), f32_buffer (run, n, 0, 0) };
  WlBuffer *v[2] = { f32_buffer (run, n, 0, 0), f32_buffer (run, n, 0, 0) };
  WlBuffer *w_adadelta = f32_buffer (run, n, -1, 1);
  WlBuffer *sq = f32_buffer (run, n, 0, 0), *acc = f32_buffer (run, n, 0, 0);

  for (guint64 step = 1; step <= 5; step++)
    {
      WlBuffer *g = f32_buffer (run, n, -(double) step, (double) step);

      wl_op_sgd_step (run->backend, n, w, g, velocity, 0.1f, 0.9f, 0.01f);
      wl_op_sgd_step (run->backend, n, w_plain, g, NULL, 0.05f, 0.0f, 0.001f);
      wl_op_adam_step (run->backend, n, w_adam, g, m[0], v[0], 1e-3f, 0.9f, 0.999f, 1e-8f,
                       0.01f, FALSE, step);
      wl_op_adam_step (run->backend, n, w_adamw, g, m[1], v[1], 1e-2f, 0.8f, 0.99f, 1e-6f,
                       0.1f, TRUE, step);
      wl_op_adadelta_step (run->backend, n, w_adadelta, g, sq, acc, 1.0f, 0.95f, 1e-6f, 0.01f);
    }
  record (run, w, TOL_F32, "sgd momentum w");
  record (run, velocity, TOL_F32, "sgd momentum velocity");
  record (run, w_plain, TOL_F32, "sgd plain w");
  record (run, w_adam, TOL_F32, "adam w");
  record (run, m[0], TOL_F32, "adam m");
  record (run, v[0], TOL_F32, "adam v");
  record (run, w_adamw, TOL_F32, "adamw w");
  record (run, w_adadelta, TOL_F32, "adadelta w");
  record (run, sq, TOL_F32, "adadelta sq");
  record (run, acc, TOL_F32, "adadelta acc");
}

/* The steps on some rows of 37-row tables: the rows listed change and
 * their gradients become zero, the others keep everything; an id past
 * the table is skipped. */
static void
case_optimiser_rows (Run *run)
{
  static const gint32 ids[] = { 5, 0, 36, 17, 40, 9 };
  gsize rows = 37, dim = 13, n = rows * dim;
  WlBuffer *id_buffer = i32_buffer_from (run, ids, G_N_ELEMENTS (ids));
  WlBuffer *w[5], *g[5], *state[7];

  for (guint k = 0; k < 5; k++)
    w[k] = f32_buffer (run, n, -1, 1);
  for (guint k = 0; k < 7; k++)
    state[k] = f32_buffer (run, n, 0, 0.5);
  for (guint64 step = 1; step <= 3; step++)
    {
      for (guint k = 0; k < 5; k++)
        g[k] = f32_buffer (run, n, -(double) step, (double) step);
      wl_op_sgd_rows (run->backend, G_N_ELEMENTS (ids), dim, id_buffer, w[0], g[0], state[0],
                      0.5f, 0.1f, 0.9f, 0.01f);
      wl_op_sgd_rows (run->backend, G_N_ELEMENTS (ids), dim, id_buffer, w[1], g[1], NULL,
                      1.0f, 0.05f, 0.0f, 0.0f);
      wl_op_adam_rows (run->backend, G_N_ELEMENTS (ids), dim, id_buffer, w[2], g[2], state[1],
                       state[2], 1.0f, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, FALSE, step);
      wl_op_adam_rows (run->backend, G_N_ELEMENTS (ids), dim, id_buffer, w[3], g[3], state[3],
                       state[4], 0.25f, 1e-2f, 0.8f, 0.99f, 1e-6f, 0.1f, TRUE, step);
      wl_op_adadelta_rows (run->backend, G_N_ELEMENTS (ids), dim, id_buffer, w[4], g[4],
                           state[5], state[6], 0.5f, 1.0f, 0.95f, 1e-6f, 0.01f);
    }
  for (guint k = 0; k < 5; k++)
    {
      record (run, w[k], TOL_F32, "rows step %u w", k);
      record (run, g[k], EXACT, "rows step %u g", k);
    }
  for (guint k = 0; k < 7; k++)
    record (run, state[k], TOL_F32, "rows step state %u", k);
}

static void
case_lstm_cell (Run *run)
{
  static const gsize shapes[][2] = { { 1, 1 }, { 3, 17 }, { 32, 64 } };

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      gsize batch = shapes[s][0], hidden = shapes[s][1], n_state = batch * hidden;
      /* States sit at offsets inside longer buffers (one block per step). */
      WlBuffer *gates = f32_buffer (run, 4 * n_state, -3, 3);
      WlBuffer *c_all = f32_buffer (run, 3 * n_state, -1, 1);
      WlBuffer *h_all = f32_buffer (run, 3 * n_state, -1, 1);
      WlBuffer *dh = f32_buffer (run, 2 * n_state, -1, 1);
      WlBuffer *dc = f32_buffer (run, 2 * n_state + 1, -1, 1);
      WlBuffer *d_gates = f32_buffer (run, 4 * n_state, -1, 1);
      WlBuffer *dc_prev = f32_buffer (run, n_state, -1, 1);

      wl_op_lstm_cell (run->backend, batch, hidden, gates, c_all, 0, c_all, n_state, h_all, 2 * n_state);
      record (run, gates, TOL_F32, "lstm_cell gates %zux%zu", batch, hidden);
      record (run, c_all, TOL_F32, "lstm_cell c %zux%zu", batch, hidden);
      record (run, h_all, TOL_F32, "lstm_cell h %zux%zu", batch, hidden);

      wl_op_lstm_cell_backward (run->backend, batch, hidden, gates, c_all, 0, c_all, n_state,
                                dh, n_state, dc, 1, d_gates, dc_prev, 0);
      record (run, d_gates, TOL_F32, "lstm_cell_backward d_gates %zux%zu", batch, hidden);
      record (run, dc_prev, TOL_F32, "lstm_cell_backward dc_prev %zux%zu", batch, hidden);
      /* dc_prev over dc itself, as a model chaining the steps does. */
      wl_op_lstm_cell_backward (run->backend, batch, hidden, gates, c_all, 0, c_all, n_state,
                                dh, 0, dc, 1, d_gates, dc, 1);
      record (run, dc, TOL_F32, "lstm_cell_backward in place %zux%zu", batch, hidden);
    }
}

/* Whole LSTM layers over packed batches: steps that shrink, one that
 * keeps its size, a single sequence; W_hh in f32 and f16. */
static void
case_lstm_layer (Run *run)
{
  static const gsize batch_a[] = { 5, 5, 4, 2, 2, 1 };
  static const gsize batch_b[] = { 1, 1, 1 };
  static const gsize batch_c[] = { 32, 32, 30, 17, 16, 16, 3 };
  static const struct
  {
    const gsize *active;
    gsize        steps;
    gsize        hidden;
    WlDtype      w_dtype;
  } layers[] = {
    { batch_a, G_N_ELEMENTS (batch_a), 3, WL_DTYPE_F32 },
    { batch_a, G_N_ELEMENTS (batch_a), 17, WL_DTYPE_F16 },
    { batch_b, G_N_ELEMENTS (batch_b), 8, WL_DTYPE_F32 },
    { batch_c, G_N_ELEMENTS (batch_c), 64, WL_DTYPE_F32 },
  };

  for (guint l = 0; l < G_N_ELEMENTS (layers); l++)
    {
      gsize H = layers[l].hidden, R = 0;
      WlBuffer *w_hh = random_buffer (run, layers[l].w_dtype, H * 4 * H, -0.5, 0.5);
      WlBuffer *gates, *c, *h, *h_prev, *dh, *d_gates;

      for (gsize t = 0; t < layers[l].steps; t++)
        R += layers[l].active[t];
      gates = f32_buffer (run, R * 4 * H, -2, 2);
      c = f32_buffer (run, R * H, -1, 1);
      h = f32_buffer (run, R * H, -1, 1);
      h_prev = f32_buffer (run, R * H, -1, 1);
      dh = f32_buffer (run, R * H, -1, 1);
      d_gates = f32_buffer (run, R * 4 * H, -1, 1);

      wl_op_lstm_forward (run->backend, layers[l].steps, layers[l].active, H, w_hh, gates, c,
                          h, h_prev);
      record (run, gates, TOL_F32, "lstm_forward gates %u", l);
      record (run, c, TOL_F32, "lstm_forward c %u", l);
      record (run, h, TOL_F32, "lstm_forward h %u", l);
      record (run, h_prev, TOL_F32, "lstm_forward h_prev %u", l);
      wl_op_lstm_backward (run->backend, layers[l].steps, layers[l].active, H, w_hh, gates, c,
                           dh, d_gates);
      record (run, dh, TOL_F32, "lstm_backward dh %u", l);
      record (run, d_gates, TOL_F32, "lstm_backward d_gates %u", l);
    }
}

/* Whole GRU layers over the same packed batches. */
static void
case_gru_layer (Run *run)
{
  static const gsize batch_a[] = { 5, 5, 4, 2, 2, 1 };
  static const gsize batch_c[] = { 32, 32, 30, 17, 16, 16, 3 };
  static const struct
  {
    const gsize *active;
    gsize        steps;
    gsize        hidden;
    WlDtype      w_dtype;
  } layers[] = {
    { batch_a, G_N_ELEMENTS (batch_a), 3, WL_DTYPE_F32 },
    { batch_a, G_N_ELEMENTS (batch_a), 17, WL_DTYPE_BF16 },
    { batch_c, G_N_ELEMENTS (batch_c), 64, WL_DTYPE_F32 },
  };

  for (guint l = 0; l < G_N_ELEMENTS (layers); l++)
    {
      gsize H = layers[l].hidden, R = 0;
      const WlBuffer *w_hh[3];
      WlBuffer *gates[3], *d_gates[3], *b_hn, *hn, *h, *h_prev, *dh, *d_hn;

      for (gsize t = 0; t < layers[l].steps; t++)
        R += layers[l].active[t];
      for (guint g = 0; g < 3; g++)
        {
          w_hh[g] = random_buffer (run, layers[l].w_dtype, H * H, -0.5, 0.5);
          gates[g] = f32_buffer (run, R * H, -2, 2);
          d_gates[g] = f32_buffer (run, R * H, -1, 1);
        }
      b_hn = f32_buffer (run, H, -0.5, 0.5);
      hn = f32_buffer (run, R * H, -1, 1);
      h = f32_buffer (run, R * H, -1, 1);
      h_prev = f32_buffer (run, R * H, -1, 1);
      dh = f32_buffer (run, R * H, -1, 1);
      d_hn = f32_buffer (run, R * H, -1, 1);

      wl_op_gru_forward (run->backend, layers[l].steps, layers[l].active, H, w_hh, b_hn, gates,
                         hn, h, h_prev);
      for (guint g = 0; g < 3; g++)
        record (run, gates[g], TOL_F32, "gru_forward gate %u %u", g, l);
      record (run, hn, TOL_F32, "gru_forward hn %u", l);
      record (run, h, TOL_F32, "gru_forward h %u", l);
      record (run, h_prev, TOL_F32, "gru_forward h_prev %u", l);
      wl_op_gru_backward (run->backend, layers[l].steps, layers[l].active, H, w_hh,
                          (const WlBuffer * const *) gates, hn, h_prev, dh, d_gates, d_hn);
      for (guint g = 0; g < 3; g++)
        record (run, d_gates[g], TOL_F32, "gru_backward d_gate %u %u", g, l);
      record (run, d_hn, TOL_F32, "gru_backward d_hn %u", l);
      record (run, dh, TOL_F32, "gru_backward dh %u", l);
    }
}

/* Ops large enough for a backend to split them among threads (blas does
 * past 2¹⁷ elements touched): the blocks must meet exactly. */
static void
case_large_ops (Run *run)
{
  gsize n = 300007, rows = 2101, cols = 70, n_ids = 3001, dim = 64, table_rows = 500;
  g_autofree gint32 *ids = g_new (gint32, n_ids);
  g_autofree gint32 *distinct = g_new (gint32, 300);
  WlBuffer *x = f32_buffer (run, n, -1, 1);
  WlBuffer *matrix = f32_buffer (run, rows * cols, -1, 1);
  WlBuffer *bias = f32_buffer (run, cols, -1, 1);
  WlBuffer *sum = f32_buffer (run, cols, -1, 1);
  WlBuffer *table = f32_buffer (run, table_rows * dim, -1, 1);
  WlBuffer *gathered = f32_buffer (run, n_ids * dim, -1, 1);
  WlBuffer *grad = f32_buffer (run, table_rows * dim, -1, 1);
  WlBuffer *w = f32_buffer (run, 20011, -1, 1), *g = f32_buffer (run, 20011, -1, 1);
  WlBuffer *m = f32_buffer (run, 20011, -0.1, 0.1), *v = f32_buffer (run, 20011, 0, 0.1);
  WlBuffer *rw = f32_buffer (run, 1000 * dim, -1, 1), *rg = f32_buffer (run, 1000 * dim, -1, 1);
  WlBuffer *rm = f32_buffer (run, 1000 * dim, -0.1, 0.1);
  WlBuffer *rv = f32_buffer (run, 1000 * dim, 0, 0.1);
  WlBuffer *sq = f32_buffer (run, 20011, 0, 0.1), *acc = f32_buffer (run, 20011, 0, 0.1);
  WlBuffer *rsq = f32_buffer (run, 1000 * dim, 0, 0.1);
  WlBuffer *racc = f32_buffer (run, 1000 * dim, 0, 0.1);
  WlBuffer *id_buffer, *distinct_buffer;

  /* Repeated ids (the scatter adds them up), padding, distinct rows. */
  for (gsize i = 0; i < n_ids; i++)
    ids[i] = g_rand_int_range (run->rand, -1, (gint32) table_rows);
  for (gsize i = 0; i < 300; i++)
    distinct[i] = (gint32) ((i * 7 + 3) % 1000);
  id_buffer = i32_buffer_from (run, ids, n_ids);
  distinct_buffer = i32_buffer_from (run, distinct, 300);

  wl_op_fill (run->backend, x, 3, n - 5, 0.25f);
  record (run, x, EXACT, "large fill");
  wl_op_add_bias (run->backend, rows, cols, matrix, bias);
  record (run, matrix, TOL_F32, "large add_bias");
  wl_op_sum_rows (run->backend, rows, cols, matrix, sum, TRUE);
  record (run, sum, TOL_F32, "large sum_rows");
  wl_op_gather (run->backend, n_ids, dim, table, id_buffer, gathered);
  record (run, gathered, EXACT, "large gather");
  wl_op_scatter_add (run->backend, n_ids, dim, gathered, id_buffer, grad);
  record (run, grad, TOL_F32, "large scatter_add");
  wl_op_adam_step (run->backend, 20011, w, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.0f, FALSE, 3);
  record (run, w, TOL_F32, "large adam_step");
  wl_op_adam_rows (run->backend, 300, dim, distinct_buffer, rw, rg, rm, rv, 0.5f, 1e-3f, 0.9f,
                   0.999f, 1e-8f, 0.01f, TRUE, 2);
  record (run, rw, TOL_F32, "large adam_rows w");
  record (run, rg, EXACT, "large adam_rows g");
  wl_op_adadelta_step (run->backend, 20011, w, g, sq, acc, 1.0f, 0.95f, 1e-6f, 0.0f);
  record (run, w, TOL_F32, "large adadelta_step");
  g = f32_buffer (run, 1000 * dim, -1, 1);
  wl_op_adadelta_rows (run->backend, 300, dim, distinct_buffer, rw, g, rsq, racc, 0.5f, 1.0f,
                       0.95f, 1e-6f, 0.01f);
  record (run, rw, TOL_F32, "large adadelta_rows w");
  record (run, g, EXACT, "large adadelta_rows g");
}

static const struct
{
  const char *name;
  void      (*run) (Run *run);
} cases[] = {
  { "gemm", case_gemm },
  { "gemm-half", case_gemm_half },
  { "gemm-batched", case_gemm_batched },
  { "fill-copy-convert", case_fill_copy_convert },
  { "elementwise", case_elementwise },
  { "rows", case_rows },
  { "embeddings", case_embeddings },
  { "softmax-xent", case_softmax_xent },
  { "dropout", case_dropout },
  { "convolution", case_convolution },
  { "max-over-time", case_max_over_time },
  { "conv-max-backward", case_conv_max_backward },
  { "optimisers", case_optimisers },
  { "optimiser-rows", case_optimiser_rows },
  { "lstm-cell", case_lstm_cell },
  { "lstm-layer", case_lstm_layer },
  { "gru-layer", case_gru_layer },
  { "large-ops", case_large_ops },
};

static GArray *
run_case (WlBackend *backend,
          guint      index)
{
  g_autoptr(GError) error = NULL;
  Run run = {
    .backend = backend,
    .rand = g_rand_new_with_seed (g_str_hash (cases[index].name)),
    .outputs = g_array_new (FALSE, FALSE, sizeof (Output)),
    .buffers = g_ptr_array_new_with_free_func ((GDestroyNotify) wl_buffer_free),
  };

  g_array_set_clear_func (run.outputs, (GDestroyNotify) output_clear);
  cases[index].run (&run);
  wl_backend_finish (backend, &error);
  g_assert_no_error (error);
  g_rand_free (run.rand);
  g_ptr_array_unref (run.buffers);
  return run.outputs;
}

/* Σ(device − reference)² / Σ reference²; NaN when either has NaN. */
static double
nmse (const Output *reference,
      const Output *device)
{
  double error = 0.0, norm = 0.0;

  for (gsize i = 0; i < reference->n; i++)
    {
      double diff = device->values[i] - reference->values[i];

      error += diff * diff;
      norm += reference->values[i] * reference->values[i];
    }
  return error == 0.0 ? 0.0 : error / MAX (norm, 1e-30);
}

static void
test_device (gconstpointer data)
{
  const char *device_id = data;
  g_autoptr(GError) error = NULL;
  WlBackend *reference = wl_backend_open ("cpu", 1, &error);
  WlBackend *device;
  double worst = 0.0;
  g_autofree char *worst_name = g_strdup ("-");
  guint n_outputs = 0;

  g_assert_no_error (error);
  device = wl_backend_open (device_id, 2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (device);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GArray) expected = run_case (reference, c);
      g_autoptr(GArray) got = run_case (device, c);

      g_assert_cmpuint (got->len, ==, expected->len);
      for (guint i = 0; i < expected->len; i++)
        {
          const Output *want = &g_array_index (expected, Output, i);
          const Output *have = &g_array_index (got, Output, i);
          double e = nmse (want, have);

          g_assert_cmpstr (have->name, ==, want->name);
          if (!(e <= want->tolerance))
            g_error ("%s: %s: NMSE %g above %g", device_id, want->name, e, want->tolerance);
          if (e > worst)
            {
              worst = e;
              g_free (worst_name);
              worst_name = g_strdup (want->name);
            }
          n_outputs++;
        }
    }
  g_test_message ("%s (%s): %u op families, %u results match the reference; worst NMSE %.3g (%s)",
                  device_id, device->device->name, (guint) G_N_ELEMENTS (cases), n_outputs,
                  worst, worst_name);
  wl_backend_close (device);
  wl_backend_close (reference);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) devices = NULL;

  g_test_init (&argc, &argv, NULL);

  /* One test per device but the reference itself, which
   * test-backend-reference checks against naive code: none is left out. */
  devices = wl_backend_list_devices (&notes);
  for (guint i = 0; i < notes->len; i++)
    g_test_message ("note: %s", (const char *) g_ptr_array_index (notes, i));
  for (guint i = 0; i < devices->len; i++)
    {
      const WlDeviceInfo *info = g_ptr_array_index (devices, i);
      g_autofree char *path = NULL;

      if (g_str_equal (info->id, "cpu"))
        continue;
      path = g_strdup_printf ("/backend-ops/%s", info->id);

      g_test_add_data_func_full (path, g_strdup (info->id), test_device, g_free);
    }
  return g_test_run ();
}
