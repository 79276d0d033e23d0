/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-cpu-ops.c: the host ops of the cpu backend (also blas's):
 * plain loops over host memory the compiler can vectorise; reductions in
 * double.  The semantics are documented in wl-ops.h; the optimisers are in
 * wl-backend-cpu-optim.c. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "compute/wl-backend-cpu-private.h"
#include "compute/wl-host.h"
#include "compute/wl-host-math.h"

#define F32(buffer) ((float *) (buffer)->data)
#define I32(buffer) ((gint32 *) (buffer)->data)

void
wl_cpu_fill (WlBackend *backend,
             WlBuffer  *x,
             gsize      offset,
             gsize      n,
             float      value)
{
  /* Zero is all bits clear in every dtype. */
  if (value == 0.0f && !signbit (value))
    {
      memset ((char *) x->data + offset * wl_dtype_size (x->dtype), 0,
              n * wl_dtype_size (x->dtype));
      return;
    }
  switch (x->dtype)
    {
    case WL_DTYPE_F32:
      for (gsize i = 0; i < n; i++)
        F32 (x)[offset + i] = value;
      break;
    case WL_DTYPE_I32:
      for (gsize i = 0; i < n; i++)
        I32 (x)[offset + i] = (gint32) value;
      break;
    case WL_DTYPE_F16:
    case WL_DTYPE_BF16:
      {
        guint16 half = x->dtype == WL_DTYPE_F16 ? wl_half_from_float (value)
                                                : wl_bf16_from_float (value);
        guint16 *data = x->data;

        for (gsize i = 0; i < n; i++)
          data[offset + i] = half;
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

void
wl_cpu_copy (WlBackend      *backend,
             const WlBuffer *src,
             gsize           src_offset,
             WlBuffer       *dst,
             gsize           dst_offset,
             gsize           n)
{
  gsize size = wl_dtype_size (src->dtype);

  memcpy ((char *) dst->data + dst_offset * size, (const char *) src->data + src_offset * size,
          n * size);
}

WL_VECTOR_CLONES void
wl_cpu_axpby (WlBackend      *backend,
              gsize           n,
              float           alpha,
              const WlBuffer *x,
              float           beta,
              WlBuffer       *y)
{
  const float *xs = F32 (x);
  float *ys = F32 (y);

  if (beta == 0.0f)
    for (gsize i = 0; i < n; i++)
      ys[i] = alpha * xs[i];
  else
    for (gsize i = 0; i < n; i++)
      ys[i] = alpha * xs[i] + beta * ys[i];
}

WL_VECTOR_CLONES void
wl_cpu_mul (WlBackend      *backend,
            gsize           n,
            const WlBuffer *x,
            WlBuffer       *y)
{
  const float *xs = F32 (x);
  float *ys = F32 (y);

  for (gsize i = 0; i < n; i++)
    ys[i] *= xs[i];
}

WL_VECTOR_CLONES void
wl_cpu_unary (WlBackend      *backend,
              WlUnaryOp       op,
              gsize           n,
              const WlBuffer *x,
              WlBuffer       *y)
{
  const float *xs = F32 (x);
  float *ys = F32 (y);

  switch (op)
    {
    case WL_UNARY_TANH:
      for (gsize i = 0; i < n; i++)
        ys[i] = wl_tanh_approx (xs[i]);
      break;
    case WL_UNARY_SIGMOID:
      for (gsize i = 0; i < n; i++)
        ys[i] = wl_sigmoid_approx (xs[i]);
      break;
    case WL_UNARY_RELU:
      for (gsize i = 0; i < n; i++)
        ys[i] = xs[i] > 0.0f ? xs[i] : 0.0f;
      break;
    default:
      g_assert_not_reached ();
    }
}

WL_VECTOR_CLONES void
wl_cpu_unary_backward (WlBackend      *backend,
                       WlUnaryOp       op,
                       gsize           n,
                       const WlBuffer *y,
                       const WlBuffer *dy,
                       WlBuffer       *dx)
{
  const float *ys = F32 (y);
  const float *dys = F32 (dy);
  float *dxs = F32 (dx);

  switch (op)
    {
    case WL_UNARY_TANH:
      for (gsize i = 0; i < n; i++)
        dxs[i] = dys[i] * (1.0f - ys[i] * ys[i]);
      break;
    case WL_UNARY_SIGMOID:
      for (gsize i = 0; i < n; i++)
        dxs[i] = dys[i] * ys[i] * (1.0f - ys[i]);
      break;
    case WL_UNARY_RELU:
      for (gsize i = 0; i < n; i++)
        dxs[i] = ys[i] > 0.0f ? dys[i] : 0.0f;
      break;
    default:
      g_assert_not_reached ();
    }
}

WL_VECTOR_CLONES void
wl_cpu_add_bias (WlBackend      *backend,
                 gsize           rows,
                 gsize           cols,
                 WlBuffer       *x,
                 const WlBuffer *bias)
{
  const float *restrict bs = F32 (bias);

  for (gsize r = 0; r < rows; r++)
    {
      float *restrict row = F32 (x) + r * cols;

      for (gsize j = 0; j < cols; j++)
        row[j] += bs[j];
    }
}

void
wl_cpu_sum_rows_columns (gsize           rows,
                         gsize           cols,
                         const WlBuffer *x,
                         WlBuffer       *sum,
                         gboolean        accumulate,
                         gsize           first,
                         gsize           count)
{
  g_autofree double *acc = g_new (double, count);
  float *restrict out = F32 (sum) + first;

  for (gsize j = 0; j < count; j++)
    acc[j] = accumulate ? out[j] : 0.0;
  for (gsize r = 0; r < rows; r++)
    {
      const float *restrict row = F32 (x) + r * cols + first;

      for (gsize j = 0; j < count; j++)
        acc[j] += row[j];
    }
  for (gsize j = 0; j < count; j++)
    out[j] = (float) acc[j];
}

void
wl_cpu_sum_rows (WlBackend      *backend,
                 gsize           rows,
                 gsize           cols,
                 const WlBuffer *x,
                 WlBuffer       *sum,
                 gboolean        accumulate)
{
  wl_cpu_sum_rows_columns (rows, cols, x, sum, accumulate, 0, cols);
}

void
wl_cpu_gather (WlBackend      *backend,
               gsize           n,
               gsize           dim,
               const WlBuffer *table,
               const WlBuffer *ids,
               WlBuffer       *out)
{
  gsize rows = table->n / dim;

  for (gsize i = 0; i < n; i++)
    {
      gint32 id = I32 (ids)[i];
      float *row = F32 (out) + i * dim;

      if (id >= 0 && (gsize) id < rows)
        memcpy (row, F32 (table) + (gsize) id * dim, dim * sizeof (float));
      else
        memset (row, 0, dim * sizeof (float));
    }
}

WL_VECTOR_CLONES void
wl_cpu_scatter_add_columns (gsize           n,
                            gsize           dim,
                            const WlBuffer *d_out,
                            const WlBuffer *ids,
                            WlBuffer       *grad,
                            gsize           first,
                            gsize           count)
{
  gsize rows = grad->n / dim;

  for (gsize i = 0; i < n; i++)
    {
      gint32 id = I32 (ids)[i];
      const float *restrict src = F32 (d_out) + i * dim + first;
      float *restrict dst;

      if (id < 0 || (gsize) id >= rows)
        continue;
      dst = F32 (grad) + (gsize) id * dim + first;
      for (gsize j = 0; j < count; j++)
        dst[j] += src[j];
    }
}

void
wl_cpu_scatter_add (WlBackend      *backend,
                    gsize           n,
                    gsize           dim,
                    const WlBuffer *d_out,
                    const WlBuffer *ids,
                    WlBuffer       *grad)
{
  wl_cpu_scatter_add_columns (n, dim, d_out, ids, grad, 0, dim);
}

void
wl_cpu_softmax_xent (WlBackend      *backend,
                     gsize           rows,
                     gsize           cols,
                     const WlBuffer *logits,
                     const WlBuffer *labels,
                     float           scale,
                     WlBuffer       *probs,
                     WlBuffer       *d_logits,
                     WlBuffer       *loss)
{
  for (gsize r = 0; r < rows; r++)
    {
      const float *restrict x = F32 (logits) + r * cols;
      float *restrict p = F32 (probs) + r * cols;
      gint32 label = I32 (labels)[r];
      gboolean valid = label >= 0 && (gsize) label < cols;
      float max = x[0];
      double total = 0.0;

      for (gsize j = 1; j < cols; j++)
        max = MAX (max, x[j]);
      for (gsize j = 0; j < cols; j++)
        {
          p[j] = expf (x[j] - max);
          total += p[j];
        }
      for (gsize j = 0; j < cols; j++)
        p[j] = (float) (p[j] / total);

      if (loss != NULL)
        F32 (loss)[r] = valid ? (float) (log (total) - (x[label] - max)) : 0.0f;
      if (d_logits != NULL)
        {
          float *restrict d = F32 (d_logits) + r * cols;

          for (gsize j = 0; j < cols; j++)
            d[j] = valid ? (p[j] - ((gsize) label == j ? 1.0f : 0.0f)) * scale : 0.0f;
        }
    }
}

void
wl_cpu_dropout (WlBackend *backend,
                gsize      n,
                float      p,
                guint64    seed,
                WlBuffer  *x,
                WlBuffer  *mask)
{
  float *restrict xs = F32 (x);
  float *restrict ms = F32 (mask);
  float keep_scale = 1.0f / (1.0f - p);

  for (gsize i = 0; i < n; i++)
    {
      ms[i] = wl_dropout_uniform (seed, i) >= p ? keep_scale : 0.0f;
      xs[i] *= ms[i];
    }
}

void
wl_cpu_im2col (WlBackend      *backend,
               gsize           batch,
               gsize           time,
               gsize           channels,
               gsize           width,
               const WlBuffer *x,
               WlBuffer       *cols)
{
  gsize out_time = time - width + 1;
  gsize row = width * channels;

  /* A window of width steps is contiguous in x. */
  for (gsize b = 0; b < batch; b++)
    for (gsize t = 0; t < out_time; t++)
      memcpy (F32 (cols) + (b * out_time + t) * row, F32 (x) + (b * time + t) * channels,
              row * sizeof (float));
}

WL_VECTOR_CLONES void
wl_cpu_col2im (WlBackend      *backend,
               gsize           batch,
               gsize           time,
               gsize           channels,
               gsize           width,
               const WlBuffer *d_cols,
               WlBuffer       *dx)
{
  gsize out_time = time - width + 1;
  gsize row = width * channels;

  memset (dx->data, 0, batch * time * channels * sizeof (float));
  for (gsize b = 0; b < batch; b++)
    for (gsize t = 0; t < out_time; t++)
      {
        const float *restrict src = F32 (d_cols) + (b * out_time + t) * row;
        float *restrict dst = F32 (dx) + (b * time + t) * channels;

        for (gsize j = 0; j < row; j++)
          dst[j] += src[j];
      }
}

void
wl_cpu_max_over_time (WlBackend      *backend,
                      gsize           batch,
                      gsize           time,
                      gsize           channels,
                      const WlBuffer *x,
                      const WlBuffer *lengths,
                      WlBuffer       *y,
                      WlBuffer       *argmax)
{
  for (gsize b = 0; b < batch; b++)
    {
      gint32 length = lengths ? I32 (lengths)[b] : (gint32) MIN (time, G_MAXINT32);
      gsize steps = length > 0 ? MIN ((gsize) length, time) : 0;
      float *restrict best = F32 (y) + b * channels;
      gint32 *restrict arg = I32 (argmax) + b * channels;

      for (gsize ch = 0; ch < channels; ch++)
        {
          best[ch] = steps > 0 ? F32 (x)[b * time * channels + ch] : 0.0f;
          arg[ch] = steps > 0 ? 0 : -1;
        }
      for (gsize t = 1; t < steps; t++)
        {
          const float *restrict step = F32 (x) + (b * time + t) * channels;

          for (gsize ch = 0; ch < channels; ch++)
            if (step[ch] > best[ch])
              {
                best[ch] = step[ch];
                arg[ch] = (gint32) t;
              }
        }
    }
}

void
wl_cpu_max_over_time_backward (WlBackend      *backend,
                               gsize           batch,
                               gsize           time,
                               gsize           channels,
                               const WlBuffer *dy,
                               const WlBuffer *argmax,
                               WlBuffer       *dx)
{
  memset (dx->data, 0, batch * time * channels * sizeof (float));
  for (gsize b = 0; b < batch; b++)
    for (gsize ch = 0; ch < channels; ch++)
      {
        gint32 t = I32 (argmax)[b * channels + ch];

        if (t >= 0 && (gsize) t < time)
          F32 (dx)[(b * time + (gsize) t) * channels + ch] = F32 (dy)[b * channels + ch];
      }
}

/* dst[0 .. n) += a · src[0 .. n) */
G_ALWAYS_INLINE static inline void
add_scaled (float       *restrict dst,
            const float *restrict src,
            float                 a,
            gsize                 n)
{
  for (gsize i = 0; i < n; i++)
    dst[i] += a * src[i];
}

/* Filter by filter, so that the rows touched are contiguous: wᵀ's row f
 * is filter f's weights, dwᵀ's row f its gradient, each as long as a
 * window (width·channels), which is contiguous in x. */
WL_VECTOR_CLONES void
wl_cpu_conv_max_backward (WlBackend      *backend,
                          gsize           batch,
                          gsize           time,
                          gsize           channels,
                          gsize           width,
                          gsize           filters,
                          const WlBuffer *x,
                          const WlBuffer *w,
                          const WlBuffer *argmax,
                          const WlBuffer *dy,
                          WlBuffer       *dw,
                          WlBuffer       *dx)
{
  gsize span = width * channels;
  g_autofree float *w_t = g_new (float, filters * span);
  g_autofree float *dw_t = g_new0 (float, filters * span);

  for (gsize r = 0; r < span; r++)
    for (gsize f = 0; f < filters; f++)
      w_t[f * span + r] = F32 (w)[r * filters + f];
  for (gsize b = 0; b < batch; b++)
    for (gsize f = 0; f < filters; f++)
      {
        gint32 a = I32 (argmax)[b * filters + f];
        float g = F32 (dy)[b * filters + f];
        gsize at;

        if (a < 0 || (gsize) a + width > time || g == 0.0f)
          continue;
        at = (b * time + (gsize) a) * channels;
        add_scaled (dw_t + f * span, F32 (x) + at, g, span);
        add_scaled (F32 (dx) + at, w_t + f * span, g, span);
      }
  for (gsize r = 0; r < span; r++)
    for (gsize f = 0; f < filters; f++)
      F32 (dw)[r * filters + f] += dw_t[f * span + r];
}

void
wl_cpu_lstm_cell (WlBackend      *backend,
                  gsize           batch,
                  gsize           hidden,
                  WlBuffer       *gates,
                  const WlBuffer *c_prev,
                  gsize           c_prev_offset,
                  WlBuffer       *c,
                  gsize           c_offset,
                  WlBuffer       *h,
                  gsize           h_offset)
{
  wl_host_lstm_cell (batch, hidden, F32 (gates), F32 (c_prev) + c_prev_offset,
                     F32 (c) + c_offset, F32 (h) + h_offset);
}

void
wl_cpu_lstm_cell_backward (WlBackend      *backend,
                           gsize           batch,
                           gsize           hidden,
                           const WlBuffer *gates,
                           const WlBuffer *c_prev,
                           gsize           c_prev_offset,
                           const WlBuffer *c,
                           gsize           c_offset,
                           const WlBuffer *dh,
                           gsize           dh_offset,
                           WlBuffer       *dc,
                           gsize           dc_offset,
                           WlBuffer       *d_gates,
                           WlBuffer       *dc_prev,
                           gsize           dc_prev_offset)
{
  wl_host_lstm_cell_backward (batch, hidden, F32 (gates), F32 (c_prev) + c_prev_offset,
                              F32 (c) + c_offset, F32 (dh) + dh_offset, F32 (dc) + dc_offset,
                              F32 (d_gates), F32 (dc_prev) + dc_prev_offset);
}

void
wl_cpu_convert (WlBackend      *backend,
                gsize           n,
                const WlBuffer *src,
                WlBuffer       *dst)
{
  gsize src_size = wl_dtype_size (src->dtype);
  gsize dst_size = wl_dtype_size (dst->dtype);
  float chunk[1024];

  for (gsize i = 0; i < n; i += G_N_ELEMENTS (chunk))
    {
      gsize count = MIN (G_N_ELEMENTS (chunk), n - i);

      wl_dtype_to_f32 (src->dtype, (const char *) src->data + i * src_size, chunk, count);
      wl_dtype_from_f32 (dst->dtype, chunk, (char *) dst->data + i * dst_size, count);
    }
}
