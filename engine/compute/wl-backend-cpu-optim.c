/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-cpu-optim.c: the cpu backend's (and blas's) optimiser steps,
 * on whole tables or on some of their rows, and the sum of squares.  One
 * loop per rule serves both: a row is a short table. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "compute/wl-backend-cpu-private.h"
#include "compute/wl-host-math.h"

#define F32(buffer) ((float *) (buffer)->data)
#define I32(buffer) ((gint32 *) (buffer)->data)

/* g′ = scale · g + weight_decay · w;  v = momentum · v + g′;  w −= lr · v
 * (no velocity: w −= lr · g′).  scale 1 leaves g as it is. */
G_ALWAYS_INLINE static inline void
sgd_update (float       *restrict ws,
            const float *restrict gs,
            float       *restrict vs,
            gsize                 n,
            float                 scale,
            float                 lr,
            float                 momentum,
            float                 weight_decay)
{
  if (vs == NULL)
    {
      for (gsize i = 0; i < n; i++)
        ws[i] -= lr * (gs[i] * scale + weight_decay * ws[i]);
      return;
    }
  for (gsize i = 0; i < n; i++)
    {
      vs[i] = momentum * vs[i] + gs[i] * scale + weight_decay * ws[i];
      ws[i] -= lr * vs[i];
    }
}

/* Adam's constants for one step. */
typedef struct
{
  float beta1;
  float beta2;
  float eps;
  float step_size;
  float inv_sqrt_bc2;
  float coupled_decay;
  float shrink;
} Adam;

static Adam
adam_init (float    lr,
           float    beta1,
           float    beta2,
           float    eps,
           float    weight_decay,
           gboolean decoupled,
           guint64  step)
{
  /* PyTorch's form: w −= lr/bc1 · m / (√v/√bc2 + eps). */
  return (Adam) {
    .beta1 = beta1, .beta2 = beta2, .eps = eps,
    .step_size = (float) (lr / (1.0 - pow (beta1, (double) step))),
    .inv_sqrt_bc2 = (float) (1.0 / sqrt (1.0 - pow (beta2, (double) step))),
    .coupled_decay = decoupled ? 0.0f : weight_decay,
    .shrink = decoupled ? 1.0f - lr * weight_decay : 1.0f,
  };
}

G_ALWAYS_INLINE static inline void
adam_update (float       *restrict ws,
             const float *restrict gs,
             float       *restrict ms,
             float       *restrict vs,
             gsize                 n,
             float                 scale,
             const Adam           *k)
{
  for (gsize i = 0; i < n; i++)
    {
      float grad = gs[i] * scale + k->coupled_decay * ws[i];

      ms[i] = k->beta1 * ms[i] + (1.0f - k->beta1) * grad;
      vs[i] = k->beta2 * vs[i] + (1.0f - k->beta2) * grad * grad;
      ws[i] = ws[i] * k->shrink - k->step_size * ms[i] / (sqrtf (vs[i]) * k->inv_sqrt_bc2 + k->eps);
    }
}

/* Adadelta (PyTorch's form): g′ = scale · g + weight_decay · w;
 * sq = rho · sq + (1 − rho) · g′²;  Δ = √(acc + eps) / √(sq + eps) · g′;
 * acc = rho · acc + (1 − rho) · Δ²;  w −= lr · Δ. */
G_ALWAYS_INLINE static inline void
adadelta_update (float       *restrict ws,
                 const float *restrict gs,
                 float       *restrict sqs,
                 float       *restrict accs,
                 gsize                 n,
                 float                 scale,
                 float                 lr,
                 float                 rho,
                 float                 eps,
                 float                 weight_decay)
{
  for (gsize i = 0; i < n; i++)
    {
      float grad = gs[i] * scale + weight_decay * ws[i];
      float sq = rho * sqs[i] + (1.0f - rho) * grad * grad;
      float delta = sqrtf (accs[i] + eps) / sqrtf (sq + eps) * grad;

      sqs[i] = sq;
      accs[i] = rho * accs[i] + (1.0f - rho) * delta * delta;
      ws[i] -= lr * delta;
    }
}

WL_VECTOR_CLONES void
wl_cpu_sgd_step (WlBackend      *backend,
                 gsize           n,
                 WlBuffer       *w,
                 const WlBuffer *g,
                 WlBuffer       *velocity,
                 float           lr,
                 float           momentum,
                 float           weight_decay)
{
  sgd_update (F32 (w), F32 (g), velocity ? F32 (velocity) : NULL, n, 1.0f, lr, momentum,
              weight_decay);
}

WL_VECTOR_CLONES void
wl_cpu_adam_step (WlBackend      *backend,
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
  Adam k = adam_init (lr, beta1, beta2, eps, weight_decay, decoupled, step);

  adam_update (F32 (w), F32 (g), F32 (m), F32 (v), n, 1.0f, &k);
}

WL_VECTOR_CLONES void
wl_cpu_adadelta_step (WlBackend      *backend,
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
  adadelta_update (F32 (w), F32 (g), F32 (sq), F32 (acc), n, 1.0f, lr, rho, eps, weight_decay);
}

/* Row @i of the step's ids as an offset into the tables, or −1. */
static inline gssize
row_at (const WlBuffer *ids,
        gsize           i,
        gsize           dim,
        gsize           n_weights)
{
  gint32 id = I32 (ids)[i];

  return id >= 0 && (gsize) id < n_weights / dim ? (gssize) ((gsize) id * dim) : -1;
}

WL_VECTOR_CLONES void
wl_cpu_sgd_rows (WlBackend      *backend,
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
  for (gsize i = 0; i < n; i++)
    {
      gssize at = row_at (ids, i, dim, w->n);

      if (at < 0)
        continue;
      sgd_update (F32 (w) + at, F32 (g) + at, velocity ? F32 (velocity) + at : NULL, dim,
                  grad_scale, lr, momentum, weight_decay);
      memset (F32 (g) + at, 0, dim * sizeof (float));
    }
}

WL_VECTOR_CLONES void
wl_cpu_adam_rows (WlBackend      *backend,
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
  Adam k = adam_init (lr, beta1, beta2, eps, weight_decay, decoupled, step);

  for (gsize i = 0; i < n; i++)
    {
      gssize at = row_at (ids, i, dim, w->n);

      if (at < 0)
        continue;
      adam_update (F32 (w) + at, F32 (g) + at, F32 (m) + at, F32 (v) + at, dim, grad_scale, &k);
      memset (F32 (g) + at, 0, dim * sizeof (float));
    }
}

WL_VECTOR_CLONES void
wl_cpu_adadelta_rows (WlBackend      *backend,
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
  for (gsize i = 0; i < n; i++)
    {
      gssize at = row_at (ids, i, dim, w->n);

      if (at < 0)
        continue;
      adadelta_update (F32 (w) + at, F32 (g) + at, F32 (sq) + at, F32 (acc) + at, dim,
                       grad_scale, lr, rho, eps, weight_decay);
      memset (F32 (g) + at, 0, dim * sizeof (float));
    }
}

void
wl_cpu_sum_squares (WlBackend      *backend,
                    gsize           n,
                    const WlBuffer *x,
                    WlBuffer       *sum)
{
  const float *restrict xs = F32 (x);
  double total = 0.0;

  for (gsize i = 0; i < n; i++)
    total += (double) xs[i] * xs[i];
  F32 (sum)[0] = (float) total;
}
