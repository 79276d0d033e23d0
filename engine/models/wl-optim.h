/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-optim.h: optimisers, learning-rate schedules, gradient clipping and
 * loss scaling for the neural models.
 *
 * An optimiser updates a list of weight buffers on one backend from their
 * gradients, keeping its state (SGD's velocity, Adam's moments, Adadelta's
 * averages of squared gradients and steps) next to them on the device:
 *
 *   opt = wl_optimizer_new (backend, &settings, weights, n, &error);
 *   each batch:  (gradients into grads)
 *     lr = settings.lr · wl_schedule_factor (…, step, n_steps);
 *     wl_optimizer_grad_norm (opt, grads, &sum_sq, &error);   when clipping
 *     wl_optimizer_step (opt, weights, grads, lr, 1.0);
 */
#pragma once

#include "wl-config.h"
#include "compute/wl-backend.h"
#include "export/wl-model-io.h"

G_BEGIN_DECLS

typedef struct
{
  WlOptimizerKind kind;          /* SGD, ADAM, ADAMW or ADADELTA; never AUTO */
  double          lr;
  double          momentum;      /* SGD */
  double          beta1;         /* Adam */
  double          beta2;
  double          rho;           /* Adadelta */
  double          eps;           /* Adam, Adadelta */
  double          weight_decay;  /* L2 (SGD, Adam, Adadelta) or decoupled (AdamW) */
  WlScheduleKind  schedule;      /* never AUTO */
  double          warmup;        /* fraction of all steps, 0 .. 1 */
  double          clip;          /* largest global gradient norm; 0 = none */
} WlOptimSettings;

/* Takes the settings of a resolved model config (PyTorch's betas and eps
 * for Adam; Zeiler's rho 0.95 and eps 1e-6 for Adadelta, as Kim's). */
void         wl_optim_settings_init   (WlOptimSettings       *settings,
                                       const WlModelConfig   *model);

/* The multiplier of the base learning rate at @step (0-based) of
 * @n_steps: a linear rise over the first warmup · n_steps steps (from
 * 1 / warmup_steps to 1), then constant, a linear decay or a half cosine
 * down to 0 at n_steps. */
double       wl_schedule_factor       (WlScheduleKind         kind,
                                       double                 warmup,
                                       guint64                step,
                                       guint64                n_steps);

typedef struct _WlOptimizer WlOptimizer;

/* State for the @n weight buffers @weights (F32) on @backend. */
WlOptimizer *wl_optimizer_new         (WlBackend             *backend,
                                       const WlOptimSettings *settings,
                                       WlBuffer * const      *weights,
                                       gsize                  n,
                                       GError               **error);
void         wl_optimizer_free        (WlOptimizer           *optimizer);

/* Σ g² over all @grads (shaped like the weights), read back to the host:
 * the squared global norm, for clipping and overflow checks (NaN or
 * infinity when a gradient is not finite). */
gboolean     wl_optimizer_grad_norm   (WlOptimizer           *optimizer,
                                       WlBuffer * const      *grads,
                                       double                *sum_squares,
                                       GError               **error);

/* Makes the next steps update weight @i (a table of rows of @dim) only in
 * the @n rows listed in @ids (I32, distinct), lazily: the other rows keep
 * their values and optimiser state, as with PyTorch's SparseAdam.  Its
 * gradient must be zero outside those rows; the step sets them back to
 * zero.  For embedding tables, of which a batch touches a few rows.
 * @ids NULL: dense again. */
gboolean     wl_optimizer_set_rows    (WlOptimizer           *optimizer,
                                       gsize                  i,
                                       const WlBuffer        *ids,
                                       gsize                  n,
                                       gsize                  dim,
                                       GError               **error);

/* One update at learning rate @lr with the gradients first multiplied by
 * @grad_scale (clipping, loss scaling); the steps taken so far count
 * Adam's bias correction. */
void         wl_optimizer_step        (WlOptimizer           *optimizer,
                                       WlBuffer * const      *weights,
                                       WlBuffer * const      *grads,
                                       double                 lr,
                                       double                 grad_scale);
guint64      wl_optimizer_get_steps   (const WlOptimizer     *optimizer);

/* Checkpoints: the kind, the steps taken (Adam's bias correction) and
 * every weight's moments (Adadelta's two averages), read back from the device, so that training
 * goes on from a checkpoint exactly as it would have without the stop. */
gboolean     wl_optimizer_write_state (WlOptimizer           *optimizer,
                                       WlModelWriter         *writer,
                                       GError               **error);
/* Puts what wl_optimizer_write_state() wrote back into @optimizer, which
 * must have the same kind and weights of the same sizes. */
gboolean     wl_optimizer_read_state  (WlOptimizer           *optimizer,
                                       WlModelReader         *reader,
                                       GError               **error);

/* Dynamic loss scaling for half-precision training: the loss is scaled
 * up so that small gradients survive fp16; a step whose gradients
 * overflowed is skipped and the scale halved, and the scale doubles after
 * every WL_LOSS_SCALE_INTERVAL clean steps. */
#define WL_LOSS_SCALE_INITIAL  65536.0
#define WL_LOSS_SCALE_INTERVAL 500

typedef struct
{
  double scale;         /* 1 when disabled */
  guint  clean_steps;
  gboolean enabled;
} WlLossScaler;

void         wl_loss_scaler_init      (WlLossScaler          *scaler,
                                       gboolean               enabled);
/* Records a step whose gradients were @finite; returns whether to apply
 * it (always when @finite). */
gboolean     wl_loss_scaler_update    (WlLossScaler          *scaler,
                                       gboolean               finite);
/* Its scale and count of clean steps, for checkpoints. */
void         wl_loss_scaler_write     (const WlLossScaler    *scaler,
                                       WlModelWriter         *writer);
gboolean     wl_loss_scaler_read      (WlLossScaler          *scaler,
                                       WlModelReader         *reader,
                                       GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlOptimizer, wl_optimizer_free)

G_END_DECLS
