/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-optim.c: optimisers, schedules, clipping and loss scaling. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "wl-error.h"
#include "compute/wl-ops.h"
#include "models/wl-optim.h"

/* The rows a lazy step updates. */
typedef struct
{
  const WlBuffer *ids;
  gsize           n;
  gsize           dim;
} Rows;

struct _WlOptimizer
{
  WlBackend       *backend;
  WlOptimSettings  settings;
  gsize            n;
  WlBuffer       **first;    /* SGD velocity, Adam's first moment or Adadelta's E[g²];
                              * NULL entries for plain SGD */
  WlBuffer       **second;   /* Adam's second moment or Adadelta's E[Δw²] */
  Rows            *rows;     /* per weight; ids NULL = dense */
  WlBuffer        *compact;  /* a lazy gradient's rows, for its norm */
  WlBuffer        *sum;      /* 1: one gradient's Σ g² */
  WlBuffer        *sums;     /* n: every gradient's Σ g² */
  guint64          steps;
};

void
wl_optim_settings_init (WlOptimSettings     *settings,
                        const WlModelConfig *model)
{
  g_return_if_fail (model->optimizer != WL_OPTIMIZER_AUTO);
  g_return_if_fail (model->schedule != WL_SCHEDULE_AUTO);

  settings->kind = model->optimizer;
  settings->lr = model->lr;
  settings->momentum = MAX (model->momentum, 0.0);
  settings->beta1 = 0.9;
  settings->beta2 = 0.999;
  settings->rho = 0.95;
  settings->eps = model->optimizer == WL_OPTIMIZER_ADADELTA ? 1e-6 : 1e-8;
  settings->weight_decay = MAX (model->weight_decay, 0.0);
  settings->schedule = model->schedule;
  settings->warmup = CLAMP (model->warmup, 0.0, 1.0);
  settings->clip = MAX (model->clip, 0.0);
}

double
wl_schedule_factor (WlScheduleKind kind,
                    double         warmup,
                    guint64        step,
                    guint64        n_steps)
{
  guint64 warmup_steps = (guint64) ceil (CLAMP (warmup, 0.0, 1.0) * n_steps);
  double progress;

  if (step < warmup_steps)
    return (step + 1.0) / warmup_steps;
  if (n_steps <= warmup_steps)
    return 1.0;
  progress = MIN ((double) (step - warmup_steps) / (n_steps - warmup_steps), 1.0);
  switch (kind)
    {
    case WL_SCHEDULE_LINEAR:
      return 1.0 - progress;
    case WL_SCHEDULE_COSINE:
      return 0.5 * (1.0 + cos (G_PI * progress));
    case WL_SCHEDULE_CONSTANT:
    case WL_SCHEDULE_AUTO:
    default:
      return 1.0;
    }
}

WlOptimizer *
wl_optimizer_new (WlBackend             *backend,
                  const WlOptimSettings *settings,
                  WlBuffer * const      *weights,
                  gsize                  n,
                  GError               **error)
{
  g_autoptr(WlOptimizer) optimizer = g_new0 (WlOptimizer, 1);
  /* Adam and Adadelta keep two tables per weight; SGD one, for momentum. */
  gboolean two = settings->kind != WL_OPTIMIZER_SGD;

  g_return_val_if_fail (backend != NULL && settings != NULL, NULL);
  g_return_val_if_fail (settings->kind != WL_OPTIMIZER_AUTO, NULL);
  g_return_val_if_fail (n > 0, NULL);

  optimizer->backend = backend;
  optimizer->settings = *settings;
  optimizer->n = n;
  optimizer->first = g_new0 (WlBuffer *, n);
  optimizer->second = g_new0 (WlBuffer *, n);
  optimizer->rows = g_new0 (Rows, n);
  for (gsize i = 0; i < n; i++)
    {
      gsize n_weights = weights[i]->n;

      if ((two || settings->momentum > 0) &&
          !(optimizer->first[i] = wl_buffer_new (backend, WL_DTYPE_F32, n_weights, error)))
        return NULL;
      if (two && !(optimizer->second[i] = wl_buffer_new (backend, WL_DTYPE_F32, n_weights, error)))
        return NULL;
    }
  if (!(optimizer->sum = wl_buffer_new (backend, WL_DTYPE_F32, 1, error)) ||
      !(optimizer->sums = wl_buffer_new (backend, WL_DTYPE_F32, n, error)))
    return NULL;
  return g_steal_pointer (&optimizer);
}

void
wl_optimizer_free (WlOptimizer *optimizer)
{
  if (optimizer == NULL)
    return;

  for (gsize i = 0; i < optimizer->n; i++)
    {
      wl_buffer_free (optimizer->first[i]);
      wl_buffer_free (optimizer->second[i]);
    }
  g_free (optimizer->first);
  g_free (optimizer->second);
  g_free (optimizer->rows);
  wl_buffer_free (optimizer->compact);
  wl_buffer_free (optimizer->sum);
  wl_buffer_free (optimizer->sums);
  g_free (optimizer);
}

gboolean
wl_optimizer_set_rows (WlOptimizer     *optimizer,
                       gsize            i,
                       const WlBuffer  *ids,
                       gsize            n,
                       gsize            dim,
                       GError         **error)
{
  g_return_val_if_fail (i < optimizer->n, FALSE);
  g_return_val_if_fail (ids == NULL || (n > 0 && dim > 0), FALSE);

  optimizer->rows[i] = (Rows) { ids, n, dim };
  if (ids == NULL || (optimizer->compact != NULL && optimizer->compact->n >= n * dim))
    return TRUE;
  g_clear_pointer (&optimizer->compact, wl_buffer_free);
  if (!(optimizer->compact = wl_buffer_new (optimizer->backend, WL_DTYPE_F32, 2 * n * dim,
                                            error)))
    {
      optimizer->rows[i].ids = NULL;
      return FALSE;
    }
  return TRUE;
}

gboolean
wl_optimizer_grad_norm (WlOptimizer      *optimizer,
                        WlBuffer * const *grads,
                        double           *sum_squares,
                        GError          **error)
{
  WlBackend *be = optimizer->backend;
  g_autofree float *sums = g_new (float, optimizer->n);
  double total = 0.0;

  for (gsize i = 0; i < optimizer->n; i++)
    {
      const Rows *rows = &optimizer->rows[i];

      /* A lazy weight's gradient is zero outside its rows. */
      if (rows->ids != NULL)
        {
          wl_op_gather (be, rows->n, rows->dim, grads[i], rows->ids, optimizer->compact);
          wl_op_sum_squares (be, rows->n * rows->dim, optimizer->compact, optimizer->sum);
        }
      else
        wl_op_sum_squares (be, grads[i]->n, grads[i], optimizer->sum);
      wl_op_copy (be, optimizer->sum, 0, optimizer->sums, i, 1);
    }
  if (!wl_buffer_read (optimizer->sums, 0, sums, optimizer->n, error))
    return FALSE;
  for (gsize i = 0; i < optimizer->n; i++)
    total += sums[i];
  *sum_squares = total;
  return TRUE;
}

/* The update rule on @n elements. */
static void
update (WlOptimizer *optimizer,
        gsize        n,
        WlBuffer    *w,
        WlBuffer    *g,
        WlBuffer    *first,
        WlBuffer    *second,
        double       lr)
{
  const WlOptimSettings *s = &optimizer->settings;

  if (s->kind == WL_OPTIMIZER_SGD)
    wl_op_sgd_step (optimizer->backend, n, w, g, first, (float) lr, (float) s->momentum,
                    (float) s->weight_decay);
  else if (s->kind == WL_OPTIMIZER_ADADELTA)
    wl_op_adadelta_step (optimizer->backend, n, w, g, first, second, (float) lr,
                         (float) s->rho, (float) s->eps, (float) s->weight_decay);
  else
    wl_op_adam_step (optimizer->backend, n, w, g, first, second, (float) lr, (float) s->beta1,
                     (float) s->beta2, (float) s->eps, (float) s->weight_decay,
                     s->kind == WL_OPTIMIZER_ADAMW, optimizer->steps);
}

/* A lazy step on weight @i's rows, which also clears their gradient for
 * the next batch. */
static void
update_rows (WlOptimizer *optimizer,
             gsize        i,
             WlBuffer    *w,
             WlBuffer    *g,
             double       lr,
             double       grad_scale)
{
  const WlOptimSettings *s = &optimizer->settings;
  const Rows *rows = &optimizer->rows[i];

  if (s->kind == WL_OPTIMIZER_SGD)
    wl_op_sgd_rows (optimizer->backend, rows->n, rows->dim, rows->ids, w, g,
                    optimizer->first[i], (float) grad_scale, (float) lr, (float) s->momentum,
                    (float) s->weight_decay);
  else if (s->kind == WL_OPTIMIZER_ADADELTA)
    wl_op_adadelta_rows (optimizer->backend, rows->n, rows->dim, rows->ids, w, g,
                         optimizer->first[i], optimizer->second[i], (float) grad_scale,
                         (float) lr, (float) s->rho, (float) s->eps, (float) s->weight_decay);
  else
    wl_op_adam_rows (optimizer->backend, rows->n, rows->dim, rows->ids, w, g,
                     optimizer->first[i], optimizer->second[i], (float) grad_scale, (float) lr,
                     (float) s->beta1, (float) s->beta2, (float) s->eps,
                     (float) s->weight_decay, s->kind == WL_OPTIMIZER_ADAMW, optimizer->steps);
}

void
wl_optimizer_step (WlOptimizer      *optimizer,
                   WlBuffer * const *weights,
                   WlBuffer * const *grads,
                   double            lr,
                   double            grad_scale)
{
  optimizer->steps++;
  for (gsize i = 0; i < optimizer->n; i++)
    {
      WlBuffer *w = weights[i], *g = grads[i];

      if (optimizer->rows[i].ids != NULL)
        {
          update_rows (optimizer, i, w, g, lr, grad_scale);
          continue;
        }
      if (grad_scale != 1.0)
        wl_op_axpby (optimizer->backend, g->n, 0.f, g, (float) grad_scale, g);
      update (optimizer, w->n, w, g, optimizer->first[i], optimizer->second[i], lr);
    }
}

guint64
wl_optimizer_get_steps (const WlOptimizer *optimizer)
{
  return optimizer->steps;
}

/* Checkpoints.  Layout: u32 kind, u64 steps, u32 n, then per weight
 * u64 elements and, for each of its two moments, u32 present and the
 * floats. */

static gboolean
write_moment (const WlBuffer  *moment,
              gsize            n,
              WlModelWriter   *writer,
              GError         **error)
{
  g_autofree float *host = NULL;

  wl_model_writer_put_u32 (writer, moment != NULL);
  if (moment == NULL)
    return TRUE;
  host = g_try_new (float, n);
  if (host == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("Not enough memory to save the optimiser's state"));
      return FALSE;
    }
  if (!wl_buffer_read (moment, 0, host, n, error))
    return FALSE;
  wl_model_writer_put_f32s (writer, host, n);
  return TRUE;
}

gboolean
wl_optimizer_write_state (WlOptimizer    *optimizer,
                          WlModelWriter  *writer,
                          GError        **error)
{
  g_return_val_if_fail (optimizer != NULL && writer != NULL, FALSE);

  wl_model_writer_put_u32 (writer, optimizer->settings.kind);
  wl_model_writer_put_u64 (writer, optimizer->steps);
  wl_model_writer_put_u32 (writer, optimizer->n);
  for (gsize i = 0; i < optimizer->n; i++)
    {
      gsize n = optimizer->first[i] != NULL ? optimizer->first[i]->n : 0;

      wl_model_writer_put_u64 (writer, n);
      if (!write_moment (optimizer->first[i], n, writer, error) ||
          !write_moment (optimizer->second[i], n, writer, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
mismatch (GError **error)
{
  g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
               _("the checkpoint's optimiser state does not match the model's settings; "
                 "start a new run"));
  return FALSE;
}

static gboolean
read_moment (WlBuffer       *moment,
             gsize           n,
             WlModelReader  *reader,
             GError        **error)
{
  g_autofree float *host = NULL;
  guint32 present;

  if (!wl_model_reader_get_u32 (reader, &present, error))
    return FALSE;
  if ((present != 0) != (moment != NULL))
    return mismatch (error);
  if (moment == NULL)
    return TRUE;
  if (!wl_model_reader_expect (reader, n, sizeof (float), error))
    return FALSE;
  host = g_new (float, n);
  return wl_model_reader_get_f32s (reader, host, n, error) &&
         wl_buffer_write (moment, 0, host, n, error);
}

gboolean
wl_optimizer_read_state (WlOptimizer    *optimizer,
                         WlModelReader  *reader,
                         GError        **error)
{
  guint32 kind, n;
  guint64 steps;

  g_return_val_if_fail (optimizer != NULL && reader != NULL, FALSE);

  if (!wl_model_reader_get_u32 (reader, &kind, error) ||
      !wl_model_reader_get_u64 (reader, &steps, error) ||
      !wl_model_reader_get_u32 (reader, &n, error))
    return FALSE;
  if (kind != optimizer->settings.kind || n != optimizer->n)
    return mismatch (error);
  for (gsize i = 0; i < optimizer->n; i++)
    {
      gsize expected = optimizer->first[i] != NULL ? optimizer->first[i]->n : 0;
      guint64 elements;

      if (!wl_model_reader_get_u64 (reader, &elements, error))
        return FALSE;
      if (elements != expected)
        return mismatch (error);
      if (!read_moment (optimizer->first[i], expected, reader, error) ||
          !read_moment (optimizer->second[i], expected, reader, error))
        return FALSE;
    }
  optimizer->steps = steps;
  return TRUE;
}

void
wl_loss_scaler_init (WlLossScaler *scaler,
                     gboolean      enabled)
{
  scaler->enabled = enabled;
  scaler->scale = enabled ? WL_LOSS_SCALE_INITIAL : 1.0;
  scaler->clean_steps = 0;
}

gboolean
wl_loss_scaler_update (WlLossScaler *scaler,
                       gboolean      finite)
{
  if (!scaler->enabled)
    return finite;
  if (!finite)
    {
      scaler->scale = MAX (scaler->scale / 2, 1.0);
      scaler->clean_steps = 0;
      return FALSE;
    }
  if (++scaler->clean_steps >= WL_LOSS_SCALE_INTERVAL)
    {
      scaler->scale *= 2;
      scaler->clean_steps = 0;
    }
  return TRUE;
}

void
wl_loss_scaler_write (const WlLossScaler *scaler,
                      WlModelWriter      *writer)
{
  wl_model_writer_put_f64 (writer, scaler->scale);
  wl_model_writer_put_u32 (writer, scaler->clean_steps);
}

gboolean
wl_loss_scaler_read (WlLossScaler   *scaler,
                     WlModelReader  *reader,
                     GError        **error)
{
  double scale;
  guint32 clean_steps;

  if (!wl_model_reader_get_f64 (reader, &scale, error) ||
      !wl_model_reader_get_u32 (reader, &clean_steps, error))
    return FALSE;
  if (!(scale >= 1.0) || (!scaler->enabled && scale != 1.0))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("the checkpoint's loss scale (%g) does not fit the model's precision; "
                     "start a new run"), scale);
      return FALSE;
    }
  scaler->scale = scale;
  scaler->clean_steps = clean_steps;
  return TRUE;
}
