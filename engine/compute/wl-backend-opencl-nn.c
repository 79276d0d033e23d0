/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-opencl-nn.c: convolution parts, max over time and its
 * convolution's gradients, optimisers, the LSTM cell.
 *
 * The kernels are in kernels/conv.cl, optim.cl and rnn.cl; one work-item
 * per output element, but for the two-pass sum of squares.
 */
#include "config.h"

#include <math.h>

#include "compute/wl-backend-opencl-private.h"

/* conv.cl's kernels share their first arguments: (batch, time, channels). */
static gboolean
begin_conv (WlOpenclCall *call,
            WlBackend    *backend,
            const char   *name,
            gsize         batch,
            gsize         time,
            gsize         channels)
{
  if (!wl_opencl_call_begin (call, WL_OPENCL_BACKEND (backend), "conv.cl", name))
    return FALSE;
  wl_opencl_arg_u32 (call, batch);
  wl_opencl_arg_u32 (call, time);
  wl_opencl_arg_u32 (call, channels);
  return TRUE;
}

void
wl_opencl_im2col (WlBackend      *backend,
                  gsize           batch,
                  gsize           time,
                  gsize           channels,
                  gsize           width,
                  const WlBuffer *x,
                  WlBuffer       *cols)
{
  WlOpenclCall call;

  /* Shorter than a window: no columns. */
  if (time < width || !begin_conv (&call, backend, "im2col", batch, time, channels))
    return;
  wl_opencl_arg_u32 (&call, width);
  wl_opencl_arg_buffer (&call, x);
  wl_opencl_arg_buffer (&call, cols);
  wl_opencl_call_run_1d (&call, batch * (time - width + 1) * width * channels);
}

void
wl_opencl_col2im (WlBackend      *backend,
                  gsize           batch,
                  gsize           time,
                  gsize           channels,
                  gsize           width,
                  const WlBuffer *d_cols,
                  WlBuffer       *dx)
{
  WlOpenclCall call;

  if (time < width)
    {
      wl_opencl_fill (backend, dx, 0, batch * time * channels, 0.0f);
      return;
    }
  if (!begin_conv (&call, backend, "col2im", batch, time, channels))
    return;
  wl_opencl_arg_u32 (&call, width);
  wl_opencl_arg_buffer (&call, d_cols);
  wl_opencl_arg_buffer (&call, dx);
  wl_opencl_call_run_1d (&call, batch * time * channels);
}

void
wl_opencl_max_over_time (WlBackend      *backend,
                         gsize           batch,
                         gsize           time,
                         gsize           channels,
                         const WlBuffer *x,
                         const WlBuffer *lengths,
                         WlBuffer       *y,
                         WlBuffer       *argmax)
{
  WlOpenclCall call;

  if (!begin_conv (&call, backend, "max_over_time", batch, time, channels))
    return;
  wl_opencl_arg_buffer (&call, x);
  wl_opencl_arg_buffer (&call, lengths);
  wl_opencl_arg_buffer (&call, y);
  wl_opencl_arg_buffer (&call, argmax);
  wl_opencl_call_run_1d (&call, batch * channels);
}

void
wl_opencl_max_over_time_backward (WlBackend      *backend,
                                  gsize           batch,
                                  gsize           time,
                                  gsize           channels,
                                  const WlBuffer *dy,
                                  const WlBuffer *argmax,
                                  WlBuffer       *dx)
{
  WlOpenclCall call;

  if (!begin_conv (&call, backend, "max_over_time_backward", batch, time, channels))
    return;
  wl_opencl_arg_buffer (&call, dy);
  wl_opencl_arg_buffer (&call, argmax);
  wl_opencl_arg_buffer (&call, dx);
  wl_opencl_call_run_1d (&call, batch * time * channels);
}

void
wl_opencl_conv_max_backward (WlBackend      *backend,
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
  WlOpenclCall call;

  if (!begin_conv (&call, backend, "conv_max_backward_dw", batch, time, channels))
    return;
  wl_opencl_arg_u32 (&call, width);
  wl_opencl_arg_u32 (&call, filters);
  wl_opencl_arg_buffer (&call, x);
  wl_opencl_arg_buffer (&call, argmax);
  wl_opencl_arg_buffer (&call, dy);
  wl_opencl_arg_buffer (&call, dw);
  wl_opencl_call_run_1d (&call, width * channels * filters);

  if (!begin_conv (&call, backend, "conv_max_backward_dx", batch, time, channels))
    return;
  wl_opencl_arg_u32 (&call, width);
  wl_opencl_arg_u32 (&call, filters);
  wl_opencl_arg_buffer (&call, w);
  wl_opencl_arg_buffer (&call, argmax);
  wl_opencl_arg_buffer (&call, dy);
  wl_opencl_arg_buffer (&call, dx);
  wl_opencl_call_run_1d (&call, batch * time * channels);
}

void
wl_opencl_sgd_step (WlBackend      *backend,
                    gsize           n,
                    WlBuffer       *w,
                    const WlBuffer *g,
                    WlBuffer       *velocity,
                    float           lr,
                    float           momentum,
                    float           weight_decay)
{
  WlOpenclCall call;

  if (!wl_opencl_call_begin (&call, WL_OPENCL_BACKEND (backend), "optim.cl", "sgd_step"))
    return;
  wl_opencl_arg_u32 (&call, n);
  wl_opencl_arg_buffer (&call, w);
  wl_opencl_arg_buffer (&call, g);
  wl_opencl_arg_buffer (&call, velocity);
  wl_opencl_arg_f32 (&call, lr);
  wl_opencl_arg_f32 (&call, momentum);
  wl_opencl_arg_f32 (&call, weight_decay);
  wl_opencl_call_run_1d (&call, n);
}

/* adam_step's and adam_rows' last arguments: the hyper-parameters and the
 * bias corrections, in double. */
static void
adam_args (WlOpenclCall *call,
           float         lr,
           float         beta1,
           float         beta2,
           float         eps,
           float         weight_decay,
           gboolean      decoupled,
           guint64       step)
{
  wl_opencl_arg_f32 (call, lr);
  wl_opencl_arg_f32 (call, beta1);
  wl_opencl_arg_f32 (call, beta2);
  wl_opencl_arg_f32 (call, eps);
  wl_opencl_arg_f32 (call, weight_decay);
  wl_opencl_arg_i32 (call, decoupled);
  wl_opencl_arg_f32 (call, lr / (1.0 - pow (beta1, (double) step)));
  wl_opencl_arg_f32 (call, 1.0 / sqrt (1.0 - pow (beta2, (double) step)));
}

void
wl_opencl_adam_step (WlBackend      *backend,
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
  WlOpenclCall call;

  if (!wl_opencl_call_begin (&call, WL_OPENCL_BACKEND (backend), "optim.cl", "adam_step"))
    return;
  wl_opencl_arg_u32 (&call, n);
  wl_opencl_arg_buffer (&call, w);
  wl_opencl_arg_buffer (&call, g);
  wl_opencl_arg_buffer (&call, m);
  wl_opencl_arg_buffer (&call, v);
  adam_args (&call, lr, beta1, beta2, eps, weight_decay, decoupled, step);
  wl_opencl_call_run_1d (&call, n);
}

/* adadelta_step's and adadelta_rows' last arguments. */
static void
adadelta_args (WlOpenclCall *call,
               float         lr,
               float         rho,
               float         eps,
               float         weight_decay)
{
  wl_opencl_arg_f32 (call, lr);
  wl_opencl_arg_f32 (call, rho);
  wl_opencl_arg_f32 (call, eps);
  wl_opencl_arg_f32 (call, weight_decay);
}

void
wl_opencl_adadelta_step (WlBackend      *backend,
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
  WlOpenclCall call;

  if (!wl_opencl_call_begin (&call, WL_OPENCL_BACKEND (backend), "optim.cl", "adadelta_step"))
    return;
  wl_opencl_arg_u32 (&call, n);
  wl_opencl_arg_buffer (&call, w);
  wl_opencl_arg_buffer (&call, g);
  wl_opencl_arg_buffer (&call, sq);
  wl_opencl_arg_buffer (&call, acc);
  adadelta_args (&call, lr, rho, eps, weight_decay);
  wl_opencl_call_run_1d (&call, n);
}

/* The rows steps' first arguments: (n, dim, rows, ids, w, g). */
static gboolean
begin_rows (WlOpenclCall   *call,
            WlBackend      *backend,
            const char     *name,
            gsize           n,
            gsize           dim,
            const WlBuffer *ids,
            WlBuffer       *w,
            WlBuffer       *g)
{
  if (!wl_opencl_call_begin (call, WL_OPENCL_BACKEND (backend), "optim.cl", name))
    return FALSE;
  wl_opencl_arg_u32 (call, n);
  wl_opencl_arg_u32 (call, dim);
  wl_opencl_arg_u32 (call, w->n / dim);
  wl_opencl_arg_buffer (call, ids);
  wl_opencl_arg_buffer (call, w);
  wl_opencl_arg_buffer (call, g);
  return TRUE;
}

void
wl_opencl_sgd_rows (WlBackend      *backend,
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
  WlOpenclCall call;

  if (!begin_rows (&call, backend, "sgd_rows", n, dim, ids, w, g))
    return;
  wl_opencl_arg_buffer (&call, velocity);
  wl_opencl_arg_f32 (&call, grad_scale);
  wl_opencl_arg_f32 (&call, lr);
  wl_opencl_arg_f32 (&call, momentum);
  wl_opencl_arg_f32 (&call, weight_decay);
  wl_opencl_call_run_1d (&call, n * dim);
}

void
wl_opencl_adam_rows (WlBackend      *backend,
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
  WlOpenclCall call;

  if (!begin_rows (&call, backend, "adam_rows", n, dim, ids, w, g))
    return;
  wl_opencl_arg_buffer (&call, m);
  wl_opencl_arg_buffer (&call, v);
  wl_opencl_arg_f32 (&call, grad_scale);
  adam_args (&call, lr, beta1, beta2, eps, weight_decay, decoupled, step);
  wl_opencl_call_run_1d (&call, n * dim);
}

void
wl_opencl_adadelta_rows (WlBackend      *backend,
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
  WlOpenclCall call;

  if (!begin_rows (&call, backend, "adadelta_rows", n, dim, ids, w, g))
    return;
  wl_opencl_arg_buffer (&call, sq);
  wl_opencl_arg_buffer (&call, acc);
  wl_opencl_arg_f32 (&call, grad_scale);
  adadelta_args (&call, lr, rho, eps, weight_decay);
  wl_opencl_call_run_1d (&call, n * dim);
}

void
wl_opencl_sum_squares (WlBackend      *backend,
                       gsize           n,
                       const WlBuffer *x,
                       WlBuffer       *sum)
{
  WlOpenclBackend *self = WL_OPENCL_BACKEND (backend);
  const WlOpenclTuning *t = self->device->tuning;
  gsize groups = MIN (t->reduce_groups, (n + t->group_size - 1) / t->group_size);
  gsize global = groups * t->group_size, local = t->group_size, one = 1;
  WlOpenclCall call;

  if (!wl_opencl_call_begin (&call, self, "optim.cl", "sum_squares_partial"))
    return;
  wl_opencl_arg_u32 (&call, n);
  wl_opencl_arg_buffer (&call, x);
  wl_opencl_arg_mem (&call, self->partials);
  wl_opencl_call_run (&call, 1, &global, &local);

  if (!wl_opencl_call_begin (&call, self, "optim.cl", "sum_partials"))
    return;
  wl_opencl_arg_u32 (&call, groups);
  wl_opencl_arg_mem (&call, self->partials);
  wl_opencl_arg_buffer (&call, sum);
  wl_opencl_call_run (&call, 1, &one, &one);
}

void
wl_opencl_lstm_cell (WlBackend      *backend,
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
  WlOpenclCall call;

  if (!wl_opencl_call_begin (&call, WL_OPENCL_BACKEND (backend), "rnn.cl", "lstm_cell"))
    return;
  wl_opencl_arg_u32 (&call, batch);
  wl_opencl_arg_u32 (&call, hidden);
  wl_opencl_arg_buffer (&call, gates);
  wl_opencl_arg_buffer (&call, c_prev);
  wl_opencl_arg_u64 (&call, c_prev_offset);
  wl_opencl_arg_buffer (&call, c);
  wl_opencl_arg_u64 (&call, c_offset);
  wl_opencl_arg_buffer (&call, h);
  wl_opencl_arg_u64 (&call, h_offset);
  wl_opencl_call_run_1d (&call, batch * hidden);
}

void
wl_opencl_lstm_cell_backward (WlBackend      *backend,
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
  WlOpenclCall call;

  if (!wl_opencl_call_begin (&call, WL_OPENCL_BACKEND (backend), "rnn.cl",
                             "lstm_cell_backward"))
    return;
  wl_opencl_arg_u32 (&call, batch);
  wl_opencl_arg_u32 (&call, hidden);
  wl_opencl_arg_buffer (&call, gates);
  wl_opencl_arg_buffer (&call, c_prev);
  wl_opencl_arg_u64 (&call, c_prev_offset);
  wl_opencl_arg_buffer (&call, c);
  wl_opencl_arg_u64 (&call, c_offset);
  wl_opencl_arg_buffer (&call, dh);
  wl_opencl_arg_u64 (&call, dh_offset);
  wl_opencl_arg_buffer (&call, dc);
  wl_opencl_arg_u64 (&call, dc_offset);
  wl_opencl_arg_buffer (&call, d_gates);
  wl_opencl_arg_buffer (&call, dc_prev);
  wl_opencl_arg_u64 (&call, dc_prev_offset);
  wl_opencl_call_run_1d (&call, batch * hidden);
}
