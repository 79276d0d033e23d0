/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-cpu-private.h: the cpu backend's members, which the blas
 * backend reuses for everything but the matrix products. */
#pragma once

#include "compute/wl-backend-private.h"

G_BEGIN_DECLS

/* The host CPU as a device of backend @backend (also its id). */
WlDeviceInfo *wl_cpu_device_info (const char *backend,
                                  const char *version);
WlBackend    *wl_cpu_open        (const WlDeviceInfo *device, guint n_threads, GError **error);
void          wl_cpu_close       (WlBackend *backend);
gboolean      wl_cpu_buffer_init (WlBackend *backend, WlBuffer *buffer, GError **error);
void          wl_cpu_buffer_clear (WlBackend *backend, WlBuffer *buffer);
gboolean      wl_cpu_write       (WlBackend *backend, WlBuffer *dst, gsize offset,
                                  const void *src, gsize n, GError **error);
gboolean      wl_cpu_read        (WlBackend *backend, const WlBuffer *src, gsize offset,
                                  void *dst, gsize n, GError **error);
gboolean      wl_cpu_finish      (WlBackend *backend, GError **error);

void wl_cpu_fill        (WlBackend *backend, WlBuffer *x, gsize offset, gsize n, float value);
void wl_cpu_copy        (WlBackend *backend, const WlBuffer *src, gsize src_offset,
                         WlBuffer *dst, gsize dst_offset, gsize n);
void wl_cpu_axpby       (WlBackend *backend, gsize n, float alpha, const WlBuffer *x,
                         float beta, WlBuffer *y);
void wl_cpu_mul         (WlBackend *backend, gsize n, const WlBuffer *x, WlBuffer *y);
void wl_cpu_unary       (WlBackend *backend, WlUnaryOp op, gsize n, const WlBuffer *x,
                         WlBuffer *y);
void wl_cpu_unary_backward (WlBackend *backend, WlUnaryOp op, gsize n, const WlBuffer *y,
                            const WlBuffer *dy, WlBuffer *dx);
void wl_cpu_add_bias    (WlBackend *backend, gsize rows, gsize cols, WlBuffer *x,
                         const WlBuffer *bias);
void wl_cpu_sum_rows    (WlBackend *backend, gsize rows, gsize cols, const WlBuffer *x,
                         WlBuffer *sum, gboolean accumulate);
void wl_cpu_gather      (WlBackend *backend, gsize n, gsize dim, const WlBuffer *table,
                         const WlBuffer *ids, WlBuffer *out);
void wl_cpu_scatter_add (WlBackend *backend, gsize n, gsize dim, const WlBuffer *d_out,
                         const WlBuffer *ids, WlBuffer *grad);
void wl_cpu_softmax_xent (WlBackend *backend, gsize rows, gsize cols, const WlBuffer *logits,
                          const WlBuffer *labels, float scale, WlBuffer *probs,
                          WlBuffer *d_logits, WlBuffer *loss);
void wl_cpu_dropout     (WlBackend *backend, gsize n, float p, guint64 seed, WlBuffer *x,
                         WlBuffer *mask);
void wl_cpu_im2col      (WlBackend *backend, gsize batch, gsize time, gsize channels,
                         gsize width, const WlBuffer *x, WlBuffer *cols);
void wl_cpu_col2im      (WlBackend *backend, gsize batch, gsize time, gsize channels,
                         gsize width, const WlBuffer *d_cols, WlBuffer *dx);
void wl_cpu_max_over_time (WlBackend *backend, gsize batch, gsize time, gsize channels,
                           const WlBuffer *x, const WlBuffer *lengths, WlBuffer *y,
                           WlBuffer *argmax);
void wl_cpu_max_over_time_backward (WlBackend *backend, gsize batch, gsize time,
                                    gsize channels, const WlBuffer *dy,
                                    const WlBuffer *argmax, WlBuffer *dx);
void wl_cpu_conv_max_backward (WlBackend *backend, gsize batch, gsize time, gsize channels,
                               gsize width, gsize filters, const WlBuffer *x, const WlBuffer *w,
                               const WlBuffer *argmax, const WlBuffer *dy, WlBuffer *dw,
                               WlBuffer *dx);
void wl_cpu_sgd_step    (WlBackend *backend, gsize n, WlBuffer *w, const WlBuffer *g,
                         WlBuffer *velocity, float lr, float momentum, float weight_decay);
void wl_cpu_adam_step   (WlBackend *backend, gsize n, WlBuffer *w, const WlBuffer *g,
                         WlBuffer *m, WlBuffer *v, float lr, float beta1, float beta2,
                         float eps, float weight_decay, gboolean decoupled, guint64 step);
void wl_cpu_adadelta_step (WlBackend *backend, gsize n, WlBuffer *w, const WlBuffer *g,
                           WlBuffer *sq, WlBuffer *acc, float lr, float rho, float eps,
                           float weight_decay);
void wl_cpu_sgd_rows    (WlBackend *backend, gsize n, gsize dim, const WlBuffer *ids,
                         WlBuffer *w, WlBuffer *g, WlBuffer *velocity, float grad_scale,
                         float lr, float momentum, float weight_decay);
void wl_cpu_adam_rows   (WlBackend *backend, gsize n, gsize dim, const WlBuffer *ids,
                         WlBuffer *w, WlBuffer *g, WlBuffer *m, WlBuffer *v, float grad_scale,
                         float lr, float beta1, float beta2, float eps, float weight_decay,
                         gboolean decoupled, guint64 step);
void wl_cpu_adadelta_rows (WlBackend *backend, gsize n, gsize dim, const WlBuffer *ids,
                           WlBuffer *w, WlBuffer *g, WlBuffer *sq, WlBuffer *acc,
                           float grad_scale, float lr, float rho, float eps,
                           float weight_decay);
void wl_cpu_sum_squares (WlBackend *backend, gsize n, const WlBuffer *x, WlBuffer *sum);
void wl_cpu_lstm_cell   (WlBackend *backend, gsize batch, gsize hidden, WlBuffer *gates,
                         const WlBuffer *c_prev, gsize c_prev_offset, WlBuffer *c,
                         gsize c_offset, WlBuffer *h, gsize h_offset);
void wl_cpu_lstm_cell_backward (WlBackend *backend, gsize batch, gsize hidden,
                                const WlBuffer *gates, const WlBuffer *c_prev,
                                gsize c_prev_offset, const WlBuffer *c, gsize c_offset,
                                const WlBuffer *dh, gsize dh_offset, WlBuffer *dc,
                                gsize dc_offset, WlBuffer *d_gates, WlBuffer *dc_prev,
                                gsize dc_prev_offset);
/* gemm_i8 on @n_threads threads: the cpu backend runs it on one, the
 * blas backend on its own. */
void wl_cpu_gemm_i8     (guint n_threads, gsize m, gsize n, gsize k, const WlBuffer *x,
                         gsize x_offset, gsize ldx, const gint8 *q, gsize ldq,
                         const float *scale, float beta, WlBuffer *c, gsize c_offset,
                         gsize ldc);
void wl_cpu_convert     (WlBackend *backend, gsize n, const WlBuffer *src, WlBuffer *dst);

/* sum_rows and scatter_add on the columns [first, first + count) of every
 * row alone (the blas backend gives each thread some columns). */
void wl_cpu_sum_rows_columns    (gsize rows, gsize cols, const WlBuffer *x, WlBuffer *sum,
                                 gboolean accumulate, gsize first, gsize count);
void wl_cpu_scatter_add_columns (gsize n, gsize dim, const WlBuffer *d_out,
                                 const WlBuffer *ids, WlBuffer *grad, gsize first,
                                 gsize count);

/* The WlBackendClass members the cpu and blas classes share: all but
 * name, list_devices, open, gemm, the recurrent loops and the ops the blas
 * backend runs on its threads (WL_CPU_THREADED_MEMBERS). */
#define WL_CPU_CLASS_MEMBERS \
  .host_memory = TRUE, \
  .close = wl_cpu_close, \
  .buffer_init = wl_cpu_buffer_init, \
  .buffer_clear = wl_cpu_buffer_clear, \
  .write = wl_cpu_write, \
  .read = wl_cpu_read, \
  .finish = wl_cpu_finish, \
  .copy = wl_cpu_copy, \
  .axpby = wl_cpu_axpby, \
  .mul = wl_cpu_mul, \
  .unary = wl_cpu_unary, \
  .unary_backward = wl_cpu_unary_backward, \
  .softmax_xent = wl_cpu_softmax_xent, \
  .dropout = wl_cpu_dropout, \
  .im2col = wl_cpu_im2col, \
  .col2im = wl_cpu_col2im, \
  .max_over_time = wl_cpu_max_over_time, \
  .max_over_time_backward = wl_cpu_max_over_time_backward, \
  .conv_max_backward = wl_cpu_conv_max_backward, \
  .sgd_step = wl_cpu_sgd_step, \
  .sgd_rows = wl_cpu_sgd_rows, \
  .sum_squares = wl_cpu_sum_squares, \
  .lstm_cell = wl_cpu_lstm_cell, \
  .lstm_cell_backward = wl_cpu_lstm_cell_backward, \
  .convert = wl_cpu_convert,

/* The cpu class's own members for what the blas class splits among
 * threads (wl-backend-blas-ops.c). */
#define WL_CPU_THREADED_MEMBERS \
  .fill = wl_cpu_fill, \
  .add_bias = wl_cpu_add_bias, \
  .sum_rows = wl_cpu_sum_rows, \
  .gather = wl_cpu_gather, \
  .scatter_add = wl_cpu_scatter_add, \
  .adam_step = wl_cpu_adam_step, \
  .adam_rows = wl_cpu_adam_rows, \
  .adadelta_step = wl_cpu_adadelta_step, \
  .adadelta_rows = wl_cpu_adadelta_rows,

G_END_DECLS
