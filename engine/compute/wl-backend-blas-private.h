/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-blas-private.h: what the blas backend's files share: f32
 * products on host arrays through OpenBLAS (loaded by wl-backend-blas.c
 * before any backend member runs). */
#pragma once

#include "compute/wl-backend-cpu-private.h"

G_BEGIN_DECLS

/* C[m×n] = alpha · op(A) · op(B) + beta · C, row-major (as WlBackendClass.gemm). */
typedef struct
{
  gboolean     trans_a;
  gboolean     trans_b;
  gsize        m;
  gsize        n;
  gsize        k;
  float        alpha;
  const float *a;
  gsize        lda;
  const float *b;
  gsize        ldb;
  float        beta;
  float       *c;
  gsize        ldc;
} WlSgemm;

/* On the calling thread. */
void wl_blas_sgemm_one (const WlSgemm *product);
/* Split among @n_threads threads when it is large enough. */
void wl_blas_sgemm     (guint          n_threads,
                        const WlSgemm *product);

/* An f32 view of an operand: its own data when it is f32, else a
 * converted copy of the @extent elements from @offset, which *@owned then
 * holds (NULL when out of memory, which becomes the backend's sticky
 * error). */
float *wl_blas_f32_view (WlBackend      *backend,
                         const WlBuffer *buffer,
                         gsize           offset,
                         gsize           extent,
                         float         **owned);

void  wl_blas_lstm_forward  (WlBackend *backend, gsize steps, const gsize *active, gsize hidden,
                             const WlBuffer *w_hh, WlBuffer *gates, WlBuffer *c, WlBuffer *h,
                             WlBuffer *h_prev);
void  wl_blas_lstm_backward (WlBackend *backend, gsize steps, const gsize *active, gsize hidden,
                             const WlBuffer *w_hh, const WlBuffer *gates, const WlBuffer *c,
                             WlBuffer *dh, WlBuffer *d_gates);

void  wl_blas_gru_forward  (WlBackend *backend, gsize steps, const gsize *active, gsize hidden,
                            const WlBuffer * const *w_hh, const WlBuffer *b_hn,
                            WlBuffer * const *gates, WlBuffer *hn, WlBuffer *h,
                            WlBuffer *h_prev);
void  wl_blas_gru_backward (WlBackend *backend, gsize steps, const gsize *active, gsize hidden,
                            const WlBuffer * const *w_hh, const WlBuffer * const *gates,
                            const WlBuffer *hn, const WlBuffer *h_prev, WlBuffer *dh,
                            WlBuffer * const *d_gates, WlBuffer *d_hn);

/* wl-backend-blas-ops.c: the cpu backend's host ops, split among the
 * threads when they are large enough. */
void  wl_blas_fill      (WlBackend *backend, WlBuffer *x, gsize offset, gsize n, float value);
void  wl_blas_add_bias  (WlBackend *backend, gsize rows, gsize cols, WlBuffer *x,
                         const WlBuffer *bias);
void  wl_blas_sum_rows  (WlBackend *backend, gsize rows, gsize cols, const WlBuffer *x,
                         WlBuffer *sum, gboolean accumulate);
void  wl_blas_gather    (WlBackend *backend, gsize n, gsize dim, const WlBuffer *table,
                         const WlBuffer *ids, WlBuffer *out);
void  wl_blas_scatter_add (WlBackend *backend, gsize n, gsize dim, const WlBuffer *d_out,
                           const WlBuffer *ids, WlBuffer *grad);
void  wl_blas_adam_step (WlBackend *backend, gsize n, WlBuffer *w, const WlBuffer *g,
                         WlBuffer *m, WlBuffer *v, float lr, float beta1, float beta2,
                         float eps, float weight_decay, gboolean decoupled, guint64 step);
void  wl_blas_adam_rows (WlBackend *backend, gsize n, gsize dim, const WlBuffer *ids,
                         WlBuffer *w, WlBuffer *g, WlBuffer *m, WlBuffer *v, float grad_scale,
                         float lr, float beta1, float beta2, float eps, float weight_decay,
                         gboolean decoupled, guint64 step);
void  wl_blas_adadelta_step (WlBackend *backend, gsize n, WlBuffer *w, const WlBuffer *g,
                             WlBuffer *sq, WlBuffer *acc, float lr, float rho, float eps,
                             float weight_decay);
void  wl_blas_adadelta_rows (WlBackend *backend, gsize n, gsize dim, const WlBuffer *ids,
                             WlBuffer *w, WlBuffer *g, WlBuffer *sq, WlBuffer *acc,
                             float grad_scale, float lr, float rho, float eps,
                             float weight_decay);

#define WL_BLAS_THREADED_MEMBERS \
  .fill = wl_blas_fill, \
  .add_bias = wl_blas_add_bias, \
  .sum_rows = wl_blas_sum_rows, \
  .gather = wl_blas_gather, \
  .scatter_add = wl_blas_scatter_add, \
  .adam_step = wl_blas_adam_step, \
  .adam_rows = wl_blas_adam_rows, \
  .adadelta_step = wl_blas_adadelta_step, \
  .adadelta_rows = wl_blas_adadelta_rows,

G_END_DECLS
