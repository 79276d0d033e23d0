/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-ops.c: the wl_op_*() wrappers: argument checks, then the backend's
 * member or the default for an optional one. */
#include "config.h"

#include "compute/wl-backend-private.h"
#include "compute/wl-host.h"
#include "compute/wl-ops.h"

/* @buffer is on @backend, of @dtype, and holds [offset, offset + n). */
static gboolean
holds (WlBackend      *backend,
       const WlBuffer *buffer,
       WlDtype         dtype,
       gsize           offset,
       gsize           n)
{
  return buffer != NULL && buffer->backend == backend && buffer->dtype == dtype &&
         offset <= buffer->n && n <= buffer->n - offset;
}

static gboolean
holds_f32 (WlBackend      *backend,
           const WlBuffer *buffer,
           gsize           n)
{
  return holds (backend, buffer, WL_DTYPE_F32, 0, n);
}

static gboolean
holds_i32 (WlBackend      *backend,
           const WlBuffer *buffer,
           gsize           n)
{
  return holds (backend, buffer, WL_DTYPE_I32, 0, n);
}

/* A gemm operand: op(X) is @rows × @cols (stored transposed when @trans)
 * with row stride @ld from @offset, in @count matrices @stride apart; any
 * float dtype. */
static gboolean
holds_matrices (WlBackend      *backend,
                const WlBuffer *buffer,
                gsize           offset,
                gboolean        trans,
                gsize           rows,
                gsize           cols,
                gsize           ld,
                gsize           stride,
                gsize           count)
{
  return buffer != NULL && wl_dtype_is_float (buffer->dtype) && ld >= (trans ? rows : cols) &&
         holds (backend, buffer, buffer->dtype, offset,
                (count - 1) * stride + wl_gemm_extent (trans, rows, cols, ld));
}

void
wl_op_gemm (WlBackend      *backend,
            gboolean        trans_a,
            gboolean        trans_b,
            gsize           m,
            gsize           n,
            gsize           k,
            float           alpha,
            const WlBuffer *a,
            gsize           a_offset,
            gsize           lda,
            const WlBuffer *b,
            gsize           b_offset,
            gsize           ldb,
            float           beta,
            WlBuffer       *c,
            gsize           c_offset,
            gsize           ldc)
{
  g_return_if_fail (backend != NULL);
  if (m == 0 || n == 0)
    return;
  g_return_if_fail (k > 0);
  g_return_if_fail (holds_matrices (backend, a, a_offset, trans_a, m, k, lda, 0, 1));
  g_return_if_fail (holds_matrices (backend, b, b_offset, trans_b, k, n, ldb, 0, 1));
  g_return_if_fail (holds_matrices (backend, c, c_offset, FALSE, m, n, ldc, 0, 1));

  backend->klass->gemm (backend, trans_a, trans_b, m, n, k, alpha, a, a_offset, lda,
                        b, b_offset, ldb, beta, c, c_offset, ldc);
}

gboolean
wl_op_gemm_i8 (WlBackend      *backend,
               gsize           m,
               gsize           n,
               gsize           k,
               const WlBuffer *x,
               gsize           x_offset,
               gsize           ldx,
               const gint8    *q,
               gsize           ldq,
               const float    *scale,
               float           beta,
               WlBuffer       *c,
               gsize           c_offset,
               gsize           ldc)
{
  g_return_val_if_fail (backend != NULL, FALSE);
  if (backend->klass->gemm_i8 == NULL)
    return FALSE;
  if (m == 0 || n == 0)
    return TRUE;
  g_return_val_if_fail (k > 0 && q != NULL && scale != NULL && ldq >= n, FALSE);
  g_return_val_if_fail (ldx >= k && holds (backend, x, WL_DTYPE_F32, x_offset,
                                            wl_gemm_extent (FALSE, m, k, ldx)), FALSE);
  g_return_val_if_fail (ldc >= n && holds (backend, c, WL_DTYPE_F32, c_offset,
                                            wl_gemm_extent (FALSE, m, n, ldc)), FALSE);

  backend->klass->gemm_i8 (backend, m, n, k, x, x_offset, ldx, q, ldq, scale, beta,
                           c, c_offset, ldc);
  return TRUE;
}

void
wl_op_gemm_batched (WlBackend      *backend,
                    gboolean        trans_a,
                    gboolean        trans_b,
                    gsize           m,
                    gsize           n,
                    gsize           k,
                    float           alpha,
                    const WlBuffer *a,
                    gsize           a_stride,
                    gsize           lda,
                    const WlBuffer *b,
                    gsize           b_stride,
                    gsize           ldb,
                    float           beta,
                    WlBuffer       *c,
                    gsize           c_stride,
                    gsize           ldc,
                    gsize           count)
{
  g_return_if_fail (backend != NULL);
  if (m == 0 || n == 0 || count == 0)
    return;
  g_return_if_fail (k > 0);
  g_return_if_fail (holds_matrices (backend, a, 0, trans_a, m, k, lda, a_stride, count));
  g_return_if_fail (holds_matrices (backend, b, 0, trans_b, k, n, ldb, b_stride, count));
  g_return_if_fail (holds_matrices (backend, c, 0, FALSE, m, n, ldc, c_stride, count));

  if (backend->klass->gemm_batched != NULL)
    {
      backend->klass->gemm_batched (backend, trans_a, trans_b, m, n, k, alpha, a, a_stride, lda,
                                    b, b_stride, ldb, beta, c, c_stride, ldc, count);
      return;
    }
  for (gsize i = 0; i < count; i++)
    backend->klass->gemm (backend, trans_a, trans_b, m, n, k, alpha, a, i * a_stride, lda,
                          b, i * b_stride, ldb, beta, c, i * c_stride, ldc);
}

void
wl_op_fill (WlBackend *backend,
            WlBuffer  *x,
            gsize      offset,
            gsize      n,
            float      value)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (x != NULL && holds (backend, x, x->dtype, offset, n));
  /* An i32 buffer takes the value cast (truncated) to an integer: NaN,
   * ±inf and values out of its range have no integer (the cast would be
   * undefined behaviour). */
  g_return_if_fail (x->dtype != WL_DTYPE_I32 ||
                    (value >= -2147483648.0f && value < 2147483648.0f));

  if (n > 0)
    backend->klass->fill (backend, x, offset, n, value);
}

void
wl_op_copy (WlBackend      *backend,
            const WlBuffer *src,
            gsize           src_offset,
            WlBuffer       *dst,
            gsize           dst_offset,
            gsize           n)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (src != NULL && holds (backend, src, src->dtype, src_offset, n));
  g_return_if_fail (holds (backend, dst, src->dtype, dst_offset, n));
  g_return_if_fail (src != dst || src_offset + n <= dst_offset || dst_offset + n <= src_offset);

  if (n > 0)
    backend->klass->copy (backend, src, src_offset, dst, dst_offset, n);
}

void
wl_op_axpby (WlBackend      *backend,
             gsize           n,
             float           alpha,
             const WlBuffer *x,
             float           beta,
             WlBuffer       *y)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (holds_f32 (backend, x, n));
  g_return_if_fail (holds_f32 (backend, y, n));

  if (n > 0)
    backend->klass->axpby (backend, n, alpha, x, beta, y);
}

void
wl_op_mul (WlBackend      *backend,
           gsize           n,
           const WlBuffer *x,
           WlBuffer       *y)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (holds_f32 (backend, x, n));
  g_return_if_fail (holds_f32 (backend, y, n));

  if (n > 0)
    backend->klass->mul (backend, n, x, y);
}

void
wl_op_unary (WlBackend      *backend,
             WlUnaryOp       op,
             gsize           n,
             const WlBuffer *x,
             WlBuffer       *y)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (op <= WL_UNARY_RELU);
  g_return_if_fail (holds_f32 (backend, x, n));
  g_return_if_fail (holds_f32 (backend, y, n));

  if (n > 0)
    backend->klass->unary (backend, op, n, x, y);
}

void
wl_op_unary_backward (WlBackend      *backend,
                      WlUnaryOp       op,
                      gsize           n,
                      const WlBuffer *y,
                      const WlBuffer *dy,
                      WlBuffer       *dx)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (op <= WL_UNARY_RELU);
  g_return_if_fail (holds_f32 (backend, y, n));
  g_return_if_fail (holds_f32 (backend, dy, n));
  g_return_if_fail (holds_f32 (backend, dx, n));

  if (n > 0)
    backend->klass->unary_backward (backend, op, n, y, dy, dx);
}

void
wl_op_add_bias (WlBackend      *backend,
                gsize           rows,
                gsize           cols,
                WlBuffer       *x,
                const WlBuffer *bias)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (holds_f32 (backend, x, rows * cols));
  g_return_if_fail (holds_f32 (backend, bias, cols));

  if (rows > 0 && cols > 0)
    backend->klass->add_bias (backend, rows, cols, x, bias);
}

void
wl_op_sum_rows (WlBackend      *backend,
                gsize           rows,
                gsize           cols,
                const WlBuffer *x,
                WlBuffer       *sum,
                gboolean        accumulate)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (holds_f32 (backend, x, rows * cols));
  g_return_if_fail (holds_f32 (backend, sum, cols));
  g_return_if_fail (x != sum);

  if (cols == 0)
    return;
  if (rows == 0)
    {
      if (!accumulate)
        backend->klass->fill (backend, sum, 0, cols, 0.0f);
      return;
    }
  backend->klass->sum_rows (backend, rows, cols, x, sum, accumulate);
}

void
wl_op_gather (WlBackend      *backend,
              gsize           n,
              gsize           dim,
              const WlBuffer *table,
              const WlBuffer *ids,
              WlBuffer       *out)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (dim > 0 && holds_f32 (backend, table, dim));
  g_return_if_fail (holds_i32 (backend, ids, n));
  g_return_if_fail (holds_f32 (backend, out, n * dim));

  if (n > 0)
    backend->klass->gather (backend, n, dim, table, ids, out);
}

void
wl_op_scatter_add (WlBackend      *backend,
                   gsize           n,
                   gsize           dim,
                   const WlBuffer *d_out,
                   const WlBuffer *ids,
                   WlBuffer       *grad)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (dim > 0 && holds_f32 (backend, grad, dim));
  g_return_if_fail (holds_i32 (backend, ids, n));
  g_return_if_fail (holds_f32 (backend, d_out, n * dim));
  g_return_if_fail (d_out != grad);

  if (n > 0)
    backend->klass->scatter_add (backend, n, dim, d_out, ids, grad);
}

void
wl_op_softmax_xent (WlBackend      *backend,
                    gsize           rows,
                    gsize           cols,
                    const WlBuffer *logits,
                    const WlBuffer *labels,
                    float           scale,
                    WlBuffer       *probs,
                    WlBuffer       *d_logits,
                    WlBuffer       *loss)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (cols > 0);
  g_return_if_fail (holds_f32 (backend, logits, rows * cols));
  g_return_if_fail (holds_i32 (backend, labels, rows));
  g_return_if_fail (holds_f32 (backend, probs, rows * cols) && probs != logits);
  g_return_if_fail (d_logits == NULL || (holds_f32 (backend, d_logits, rows * cols) &&
                                         d_logits != logits && d_logits != probs));
  g_return_if_fail (loss == NULL || holds_f32 (backend, loss, rows));

  if (rows > 0)
    backend->klass->softmax_xent (backend, rows, cols, logits, labels, scale, probs, d_logits, loss);
}

void
wl_op_dropout (WlBackend *backend,
               gsize      n,
               float      p,
               guint64    seed,
               WlBuffer  *x,
               WlBuffer  *mask)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (p >= 0.0f && p < 1.0f);
  g_return_if_fail (holds_f32 (backend, x, n));
  g_return_if_fail (holds_f32 (backend, mask, n) && mask != x);

  if (n > 0)
    backend->klass->dropout (backend, n, p, seed, x, mask);
}

/* im2col's columns: batch × out_time × (width·channels). */
static gsize
columns_size (gsize batch,
              gsize time,
              gsize channels,
              gsize width)
{
  return time >= width ? batch * (time - width + 1) * width * channels : 0;
}

void
wl_op_im2col (WlBackend      *backend,
              gsize           batch,
              gsize           time,
              gsize           channels,
              gsize           width,
              const WlBuffer *x,
              WlBuffer       *cols)
{
  gsize n_cols = columns_size (batch, time, channels, width);

  g_return_if_fail (backend != NULL);
  g_return_if_fail (width > 0);
  g_return_if_fail (holds_f32 (backend, x, batch * time * channels));
  g_return_if_fail (holds_f32 (backend, cols, n_cols));

  if (n_cols > 0)
    backend->klass->im2col (backend, batch, time, channels, width, x, cols);
}

void
wl_op_col2im (WlBackend      *backend,
              gsize           batch,
              gsize           time,
              gsize           channels,
              gsize           width,
              const WlBuffer *d_cols,
              WlBuffer       *dx)
{
  gsize n_cols = columns_size (batch, time, channels, width);
  gsize n_x = batch * time * channels;

  g_return_if_fail (backend != NULL);
  g_return_if_fail (width > 0);
  g_return_if_fail (holds_f32 (backend, d_cols, n_cols));
  g_return_if_fail (holds_f32 (backend, dx, n_x) && dx != d_cols);

  if (n_cols > 0)
    backend->klass->col2im (backend, batch, time, channels, width, d_cols, dx);
  else if (n_x > 0)
    backend->klass->fill (backend, dx, 0, n_x, 0.0f);
}

void
wl_op_max_over_time (WlBackend      *backend,
                     gsize           batch,
                     gsize           time,
                     gsize           channels,
                     const WlBuffer *x,
                     const WlBuffer *lengths,
                     WlBuffer       *y,
                     WlBuffer       *argmax)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (holds_f32 (backend, x, batch * time * channels));
  g_return_if_fail (lengths == NULL || holds_i32 (backend, lengths, batch));
  g_return_if_fail (holds_f32 (backend, y, batch * channels) && y != x);
  g_return_if_fail (holds_i32 (backend, argmax, batch * channels));

  if (batch > 0 && channels > 0)
    backend->klass->max_over_time (backend, batch, time, channels, x, lengths, y, argmax);
}

void
wl_op_max_over_time_backward (WlBackend      *backend,
                              gsize           batch,
                              gsize           time,
                              gsize           channels,
                              const WlBuffer *dy,
                              const WlBuffer *argmax,
                              WlBuffer       *dx)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (holds_f32 (backend, dy, batch * channels));
  g_return_if_fail (holds_i32 (backend, argmax, batch * channels));
  g_return_if_fail (holds_f32 (backend, dx, batch * time * channels) && dx != dy);

  if (batch > 0 && time > 0 && channels > 0)
    backend->klass->max_over_time_backward (backend, batch, time, channels, dy, argmax, dx);
}

void
wl_op_conv_max_backward (WlBackend      *backend,
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
  gsize n_x = batch * time * channels, n_w = width * channels * filters;

  g_return_if_fail (backend != NULL);
  g_return_if_fail (width > 0);
  g_return_if_fail (holds_f32 (backend, x, n_x));
  g_return_if_fail (holds_f32 (backend, w, n_w));
  g_return_if_fail (holds_i32 (backend, argmax, batch * filters));
  g_return_if_fail (holds_f32 (backend, dy, batch * filters));
  g_return_if_fail (holds_f32 (backend, dw, n_w) && dw != x && dw != w && dw != dy);
  g_return_if_fail (holds_f32 (backend, dx, n_x) && dx != x && dx != w && dx != dy && dx != dw);

  if (batch > 0 && time >= width && channels > 0 && filters > 0)
    backend->klass->conv_max_backward (backend, batch, time, channels, width, filters, x, w,
                                       argmax, dy, dw, dx);
}

void
wl_op_sgd_step (WlBackend      *backend,
                gsize           n,
                WlBuffer       *w,
                const WlBuffer *g,
                WlBuffer       *velocity,
                float           lr,
                float           momentum,
                float           weight_decay)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (holds_f32 (backend, w, n));
  g_return_if_fail (holds_f32 (backend, g, n) && g != w);
  g_return_if_fail (velocity == NULL ? momentum == 0.0f :
                    holds_f32 (backend, velocity, n) && velocity != w && velocity != g);

  if (n > 0)
    backend->klass->sgd_step (backend, n, w, g, velocity, lr, momentum, weight_decay);
}

void
wl_op_adam_step (WlBackend      *backend,
                 gsize           n,
                 WlBuffer       *w,
                 const WlBuffer *g,
                 WlBuffer       *m,
                 WlBuffer       *v,
                 float           lr,
                 float           beta1,
                 float           beta2,
                 float           eps,
                 float           weight_decay,
                 gboolean        decoupled,
                 guint64         step)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (step >= 1);
  g_return_if_fail (beta1 >= 0.0f && beta1 < 1.0f && beta2 >= 0.0f && beta2 < 1.0f);
  g_return_if_fail (holds_f32 (backend, w, n));
  g_return_if_fail (holds_f32 (backend, g, n) && g != w);
  g_return_if_fail (holds_f32 (backend, m, n) && m != w && m != g);
  g_return_if_fail (holds_f32 (backend, v, n) && v != w && v != g && v != m);

  if (n > 0)
    backend->klass->adam_step (backend, n, w, g, m, v, lr, beta1, beta2, eps, weight_decay,
                               decoupled, step);
}

void
wl_op_adadelta_step (WlBackend      *backend,
                     gsize           n,
                     WlBuffer       *w,
                     const WlBuffer *g,
                     WlBuffer       *sq,
                     WlBuffer       *acc,
                     float           lr,
                     float           rho,
                     float           eps,
                     float           weight_decay)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (rho > 0.0f && rho < 1.0f && eps > 0.0f);
  g_return_if_fail (holds_f32 (backend, w, n));
  g_return_if_fail (holds_f32 (backend, g, n) && g != w);
  g_return_if_fail (holds_f32 (backend, sq, n) && sq != w && sq != g);
  g_return_if_fail (holds_f32 (backend, acc, n) && acc != w && acc != g && acc != sq);

  if (n > 0)
    backend->klass->adadelta_step (backend, n, w, g, sq, acc, lr, rho, eps, weight_decay);
}

/* A step's tables: @x is shaped like @w, on @backend, F32, and neither
 * of @others. */
static gboolean
holds_table (WlBackend      *backend,
             const WlBuffer *x,
             const WlBuffer *w,
             const WlBuffer *other1,
             const WlBuffer *other2)
{
  return holds_f32 (backend, x, w->n) && x != w && x != other1 && x != other2;
}

void
wl_op_sgd_rows (WlBackend      *backend,
                gsize           n,
                gsize           dim,
                const WlBuffer *ids,
                WlBuffer       *w,
                WlBuffer       *g,
                WlBuffer       *velocity,
                float           grad_scale,
                float           lr,
                float           momentum,
                float           weight_decay)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (dim > 0 && holds_f32 (backend, w, dim));
  g_return_if_fail (holds_i32 (backend, ids, n));
  g_return_if_fail (holds_table (backend, g, w, NULL, NULL));
  g_return_if_fail (velocity == NULL ? momentum == 0.0f :
                    holds_table (backend, velocity, w, g, NULL));

  if (n > 0)
    backend->klass->sgd_rows (backend, n, dim, ids, w, g, velocity, grad_scale, lr, momentum,
                              weight_decay);
}

void
wl_op_adam_rows (WlBackend      *backend,
                 gsize           n,
                 gsize           dim,
                 const WlBuffer *ids,
                 WlBuffer       *w,
                 WlBuffer       *g,
                 WlBuffer       *m,
                 WlBuffer       *v,
                 float           grad_scale,
                 float           lr,
                 float           beta1,
                 float           beta2,
                 float           eps,
                 float           weight_decay,
                 gboolean        decoupled,
                 guint64         step)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (step >= 1);
  g_return_if_fail (beta1 >= 0.0f && beta1 < 1.0f && beta2 >= 0.0f && beta2 < 1.0f);
  g_return_if_fail (dim > 0 && holds_f32 (backend, w, dim));
  g_return_if_fail (holds_i32 (backend, ids, n));
  g_return_if_fail (holds_table (backend, g, w, NULL, NULL));
  g_return_if_fail (holds_table (backend, m, w, g, NULL));
  g_return_if_fail (holds_table (backend, v, w, g, m));

  if (n > 0)
    backend->klass->adam_rows (backend, n, dim, ids, w, g, m, v, grad_scale, lr, beta1, beta2,
                               eps, weight_decay, decoupled, step);
}

void
wl_op_adadelta_rows (WlBackend      *backend,
                     gsize           n,
                     gsize           dim,
                     const WlBuffer *ids,
                     WlBuffer       *w,
                     WlBuffer       *g,
                     WlBuffer       *sq,
                     WlBuffer       *acc,
                     float           grad_scale,
                     float           lr,
                     float           rho,
                     float           eps,
                     float           weight_decay)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (rho > 0.0f && rho < 1.0f && eps > 0.0f);
  g_return_if_fail (dim > 0 && holds_f32 (backend, w, dim));
  g_return_if_fail (holds_i32 (backend, ids, n));
  g_return_if_fail (holds_table (backend, g, w, NULL, NULL));
  g_return_if_fail (holds_table (backend, sq, w, g, NULL));
  g_return_if_fail (holds_table (backend, acc, w, g, sq));

  if (n > 0)
    backend->klass->adadelta_rows (backend, n, dim, ids, w, g, sq, acc, grad_scale, lr, rho,
                                   eps, weight_decay);
}

void
wl_op_sum_squares (WlBackend      *backend,
                   gsize           n,
                   const WlBuffer *x,
                   WlBuffer       *sum)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (holds_f32 (backend, x, n));
  g_return_if_fail (holds_f32 (backend, sum, 1) && sum != x);

  if (n > 0)
    backend->klass->sum_squares (backend, n, x, sum);
  else
    backend->klass->fill (backend, sum, 0, 1, 0.0f);
}
