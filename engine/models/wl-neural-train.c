/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-neural-train.c: batches and the epoch loop of the neural models.
 *
 * An epoch shuffles the documents (seed + epoch), sorts windows of
 * BUCKET_BATCHES batches by length so that a batch holds texts of about
 * the same length (little padding for textcnn and mlp, short packed steps
 * for the recurrent models), cuts them into batches and shuffles the
 * batches.  Each batch runs forward and backward on the backend, then the
 * optimiser steps; its loss is read back, so a NaN stops the epoch at
 * once.  Cancellation is looked at before every batch.
 *
 * While a batch steps, the next one is assembled on the host (its
 * documents sorted, its labels and embedding rows gathered) on a prefetch
 * thread (exec/wl-prefetch.h, tf.data's prefetch(1)), so the training
 * thread only uploads it; what it waited for and the upload are the
 * input the step clock counts.  The batches are the same either way, so
 * is the model (WORDLOOM_PREFETCH=0 assembles each when it is needed).
 * A cancelled epoch waits for the one batch in flight.
 *
 * In a distributed run every rank plans the same epoch with batches of
 * n_ranks × batch_size (the global batch), runs its share of each and
 * sums the gradients with the others' before the step (wl-neural-dist.c):
 * N ranks with batch b train as one process with batch N·b does.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "exec/wl-prefetch.h"
#include "wl-error.h"
#include "models/wl-neural-private.h"

#define BUCKET_BATCHES     32
#define REPORT_INTERVAL_US (50 * 1000)
#define TEST_SEED          G_GUINT64_CONSTANT (0x5eed)
/* A batch whose mean loss is above this has exploded weights even when
 * the loss is finite (saturated recurrent cells keep it so): a model no
 * better than chance scores log (n_labels), one sure and wrong tens. */
#define DIVERGED_LOSS      1e4

/* Batches */

gboolean
wl_neural_batch_run (WlNeural  *self,
                     gboolean   grads,
                     double     loss_scale,
                     GError   **error)
{
  WlNeuralState *state = self->state;
  WlBatch *batch = &state->batch;
  guint K = self->parent.n_labels;

  if (!self->nclass->forward (self, batch, error))
    return FALSE;
  wl_op_softmax_xent (self->backend, batch->n, K, batch->logits, batch->labels,
                      (float) (loss_scale / batch->n), state->probs,
                      grads ? batch->d_logits : NULL, grads ? state->loss : NULL);
  if (!grads)
    return TRUE;
  wl_op_sum_rows (self->backend, batch->n, 1, state->loss, state->loss_sum, FALSE);
  wl_neural_clear_grads (self);
  self->nclass->backward (self, batch);
  state->rows_clean = FALSE;
  return TRUE;
}

void
wl_neural_clear_grads (WlNeural *self)
{
  WlNeuralState *state = self->state;

  for (guint p = 0; p < self->n_params; p++)
    if (self->params[p].kind != WL_PARAM_ROWS || !state->rows_clean)
      wl_op_fill (self->backend, self->params[p].g, 0, self->params[p].g->n, 0.f);
}

static void
shuffle (guint32 *v,
         gsize    n,
         guint64 *rng)
{
  for (gsize i = n; i > 1; i--)
    {
      gsize j = wl_rng_next (rng) % i;
      guint32 t = v[i - 1];

      v[i - 1] = v[j];
      v[j] = t;
    }
}

/* The epoch's documents in batch order; batch b is order[starts[b] ..
 * starts[b + 1] − 1] once the batches are put in the order of @batches. */
typedef struct
{
  guint32 *order;
  gsize   *starts;    /* n_batches + 1 */
  guint32 *batches;   /* shuffled batch numbers */
  gsize    n_batches;
} Plan;

static void
plan_clear (Plan *plan)
{
  g_free (plan->order);
  g_free (plan->starts);
  g_free (plan->batches);
}

gsize
wl_neural_count_batches (gsize n,
                         gsize batch_size)
{
  gsize window = batch_size * BUCKET_BATCHES, count = 0;

  g_return_val_if_fail (batch_size > 0, 0);

  for (gsize w = 0; w < n; w += window)
    count += (MIN (window, n - w) + batch_size - 1) / batch_size;
  return count;
}

static gboolean
plan_epoch (Plan             *plan,
            const WlFeatures *features,
            gsize             batch_size,
            guint64           seed,
            GError          **error)
{
  gsize n = features->n_docs, window = batch_size * BUCKET_BATCHES, b = 0;
  g_autofree guint32 *positions = NULL;
  guint64 rng = seed;

  plan->n_batches = wl_neural_count_batches (n, batch_size);
  plan->order = g_try_new (guint32, n);
  positions = g_try_new (guint32, MIN (window, n));
  if (plan->order == NULL || positions == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory to shuffle %zu examples"), n);
      return FALSE;
    }
  plan->starts = g_new (gsize, plan->n_batches + 1);
  plan->batches = g_new (guint32, plan->n_batches);

  for (gsize i = 0; i < n; i++)
    plan->order[i] = (guint32) i;
  shuffle (plan->order, n, &rng);
  for (gsize w = 0; w < n; w += window)
    {
      gsize len = MIN (window, n - w);
      g_autofree guint32 *docs = g_memdup2 (plan->order + w, len * sizeof (guint32));

      wl_neural_sort_longest (features, docs, positions, len);
      for (gsize j = 0; j < len; j++)
        plan->order[w + j] = docs[positions[j]];
      for (gsize j = 0; j < len; j += batch_size)
        plan->starts[b++] = w + j;
    }
  plan->starts[b] = n;
  for (gsize i = 0; i < plan->n_batches; i++)
    plan->batches[i] = (guint32) i;
  shuffle (plan->batches, plan->n_batches, &rng);
  return TRUE;
}

/* The epoch */

static gboolean
diverged (guint     epoch,
          GError  **error)
{
  g_set_error (error, WL_ERROR, WL_ERROR_DIVERGED,
               _("training diverged at epoch %u: lower the learning rate"), epoch + 1);
  return FALSE;
}

static gboolean
ensure_optimizer (WlNeural  *self,
                  GError   **error)
{
  WlNeuralState *state = self->state;
  WlBuffer *weights[WL_NEURAL_MAX_PARAMS];
  WlOptimSettings settings;

  if (state->optimizer != NULL)
    return TRUE;
  wl_optim_settings_init (&settings, &self->parent.config->model);
  for (guint p = 0; p < self->n_params; p++)
    weights[p] = self->params[p].w;
  state->optimizer = wl_optimizer_new (self->backend, &settings, weights, self->n_params, error);
  wl_loss_scaler_init (&state->scaler, state->low_dtype != WL_DTYPE_F32);
  return state->optimizer != NULL && wl_neural_apply_saved_state (self, error);
}

/* Kim's (2014) max-norm constraint: each label's weight vector in the
 * output layer (a column of "output.weight", inputs × labels) that a step
 * took above @max_norm is scaled back to that norm.  The layer is small,
 * so it is read back, scaled on the host and written again. */
static gboolean
constrain_output (WlNeural  *self,
                  double     max_norm,
                  GError   **error)
{
  const WlParam *out = NULL;
  g_autofree float *w = NULL;
  gboolean scaled = FALSE;
  gsize size;

  for (guint p = 0; p < self->n_params && out == NULL; p++)
    if (g_str_equal (self->params[p].name, "output.weight"))
      out = &self->params[p];
  g_return_val_if_fail (out != NULL, FALSE);

  size = wl_param_size (out);
  w = g_new (float, size);
  if (!wl_buffer_read (out->w, 0, w, size, error))
    return FALSE;
  for (guint k = 0; k < out->cols; k++)
    {
      double sum_squares = 0.0;

      for (guint r = 0; r < out->rows; r++)
        sum_squares += (double) w[(gsize) r * out->cols + k] * w[(gsize) r * out->cols + k];
      if (sum_squares <= max_norm * max_norm)
        continue;
      for (guint r = 0; r < out->rows; r++)
        w[(gsize) r * out->cols + k] *= (float) (max_norm / sqrt (sum_squares));
      scaled = TRUE;
    }
  return !scaled || wl_buffer_write (out->w, 0, w, size, error);
}

/* Clips, unscales and applies the gradients of one batch at @lr, then
 * keeps the output layer within the max-norm constraint. */
static gboolean
step (WlNeural  *self,
      double     lr,
      guint      epoch,
      GError   **error)
{
  WlNeuralState *state = self->state;
  const WlModelConfig *m = &self->parent.config->model;
  WlBuffer *weights[WL_NEURAL_MAX_PARAMS], *grads[WL_NEURAL_MAX_PARAMS];
  double grad_scale = 1.0 / state->scaler.scale;

  for (guint p = 0; p < self->n_params; p++)
    {
      weights[p] = self->params[p].w;
      grads[p] = self->params[p].g;
      if (self->params[p].kind == WL_PARAM_ROWS &&
          !wl_optimizer_set_rows (state->optimizer, p, state->rows, state->n_rows,
                                  self->params[p].cols, error))
        return FALSE;
    }
  if (m->clip > 0 || state->scaler.enabled)
    {
      double sum_squares, norm;

      if (!wl_optimizer_grad_norm (state->optimizer, grads, &sum_squares, error))
        return FALSE;
      if (!wl_loss_scaler_update (&state->scaler, isfinite (sum_squares)))
        return state->scaler.enabled ? TRUE : diverged (epoch, error);
      norm = sqrt (sum_squares) * grad_scale;
      if (m->clip > 0 && norm > m->clip)
        grad_scale *= m->clip / norm;
    }
  wl_optimizer_step (state->optimizer, weights, grads, lr, grad_scale);
  if (m->max_norm > 0 && !constrain_output (self, m->max_norm, error))
    return FALSE;
  wl_neural_convert_low (self);
  state->rows_clean = TRUE;
  return TRUE;
}

/* Batch @i of @plan: its documents from @begin (@n of them), and this
 * rank's share of them (all of them when alone) from @mine (@n_mine). */
static void
plan_share (const Plan           *plan,
            gsize                 i,
            const WlTrainContext *ctx,
            gsize                *n,
            gsize                *mine,
            gsize                *n_mine)
{
  guint n_ranks = MAX (ctx->n_ranks, 1);
  guint32 b = plan->batches[i];
  gsize begin = plan->starts[b];

  *n = plan->starts[b + 1] - begin;
  *mine = begin + *n * ctx->rank / n_ranks;
  *n_mine = begin + *n * (ctx->rank + 1) / n_ranks - *mine;
}

/* The next batch to assemble, for the prefetch thread. */
typedef struct
{
  WlNeural             *self;
  const WlFeatures     *features;
  const guint32        *labels;
  const Plan           *plan;
  const WlTrainContext *ctx;
  gulong                delay;   /* WORDLOOM_TEST_INPUT_DELAY_US */
  gsize                 next;    /* its index in the plan */
} Assembly;

static gboolean
assemble_next (gpointer   piece,
               gpointer   user_data,
               GError   **error)
{
  Assembly *job = user_data;
  gsize n, mine, n_mine;

  plan_share (job->plan, job->next, job->ctx, &n, &mine, &n_mine);
  if (job->delay > 0 && n_mine > 0)
    g_usleep (job->delay);
  wl_neural_batch_assemble (job->self, piece, job->features, job->labels,
                            job->plan->order + mine, n_mine, TRUE);
  return TRUE;
}

/* Starts assembling batch @i, when there is one, into state->ahead. */
static void
assemble_ahead (WlPrefetch *prefetch,
                Assembly   *job,
                gsize       i)
{
  if (i >= job->plan->n_batches)
    return;
  job->next = i;
  wl_prefetch_start (prefetch, &job->self->state->ahead);
}

typedef struct
{
  const WlTrainContext *ctx;
  guint64               done;
  guint64               total;
  guint64               tokens;
  double                loss;
  gint64                next_report;
} Progress;

static void
report (Progress *progress,
        gboolean  last)
{
  gint64 now = g_get_monotonic_time ();

  if (progress->ctx->progress == NULL || (!last && now < progress->next_report))
    return;
  progress->next_report = now + REPORT_INTERVAL_US;
  progress->ctx->progress (progress->done, progress->total, progress->tokens,
                           progress->loss / MAX (progress->done, 1),
                           progress->ctx->progress_data);
}

static gboolean
train_locked (WlNeural             *self,
              const WlFeatures     *features,
              const guint32        *labels,
              const WlTrainContext *ctx,
              double               *loss,
              GError              **error)
{
  WlNeuralState *state = self->state;
  const WlModelConfig *m = &self->parent.config->model;
  Progress progress = { ctx, 0, features->n_docs, 0, 0.0, g_get_monotonic_time () };
  Plan plan = { 0 };
  Assembly job = { self, features, labels, &plan, ctx, wl_model_test_input_delay_us (), 0 };
  g_autoptr(WlPrefetch) prefetch = NULL;
  guint n_ranks = MAX (ctx->n_ranks, 1);
  gboolean measures_busy = FALSE;
  gboolean ok = FALSE;

  if (!wl_neural_open_device (self, ctx->n_threads, error) ||
      !wl_neural_enable_low (self, error) || !ensure_optimizer (self, error) ||
      !plan_epoch (&plan, features, m->batch_size * n_ranks, ctx->seed + ctx->epoch, error))
    goto out;

  state->generation++;
  state->host_stale = TRUE;
  measures_busy = wl_backend_measures_busy (self->backend);
  if (ctx->clock != NULL && measures_busy)
    {
      wl_backend_take_busy_seconds (self->backend);   /* from this epoch on */
      atomic_store (&ctx->clock->device_measured, TRUE);
    }
  prefetch = wl_prefetch_new (assemble_next, &job);
  assemble_ahead (prefetch, &job, 0);
  for (gsize i = 0; i < plan.n_batches; i++)
    {
      gsize n, mine, n_mine;
      guint64 at = (guint64) ctx->epoch * plan.n_batches + i;
      double lr = m->lr * wl_schedule_factor (m->schedule, m->warmup, at,
                                              (guint64) MAX (ctx->n_epochs, 1) * plan.n_batches);
      WlBatchHost assembled;
      float batch_loss;
      gboolean ran;
      gint64 batch_start, filled;

      if (g_cancellable_is_cancelled (ctx->cancellable))
        {
          g_set_error (error, WL_ERROR, WL_ERROR_CANCELLED, _("training was cancelled"));
          goto out;
        }
      batch_start = g_get_monotonic_time ();
      plan_share (&plan, i, ctx, &n, &mine, &n_mine);
      if (!wl_prefetch_wait (prefetch, NULL, error))
        goto out;
      /* The batch assembled becomes the current one; the one before's
       * arrays take the next. */
      assembled = state->ahead;
      state->ahead = state->host;
      state->host = assembled;
      assemble_ahead (prefetch, &job, i + 1);
      if (n_mine > 0)
        {
          if (!wl_neural_batch_upload (self, TRUE,
                                       (ctx->seed + ctx->rank * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)) ^
                                       (at * G_GUINT64_CONSTANT (0x2545f4914f6cdd1d)),
                                       error))
            goto out;
          filled = g_get_monotonic_time ();
          state->mixed = state->low_dtype != WL_DTYPE_F32;
          /* The mean over the global batch: the ranks' gradients add up to it. */
          ran = wl_neural_batch_run (self, TRUE, state->scaler.scale * ((double) n_mine / n), error);
          state->mixed = FALSE;
          if (!ran || !wl_buffer_read (state->loss_sum, 0, &batch_loss, 1, error))
            goto out;
        }
      else
        {
          filled = g_get_monotonic_time ();
          wl_neural_clear_grads (self);
          state->n_rows = 0;
          batch_loss = 0.f;
        }
      state->lr = lr;
      if ((n_ranks > 1 && !wl_neural_allreduce_grads (self, &batch_loss, error)) ||
          !step (self, lr, ctx->epoch, error))
        goto out;
      if (!isfinite (batch_loss) || batch_loss > DIVERGED_LOSS * n)
        {
          diverged (ctx->epoch, error);
          goto out;
        }

      /* Waiting for the batch and uploading it is the input the step waited for. */
      wl_step_clock_add (ctx->clock, filled - batch_start, 1, g_get_monotonic_time () - batch_start);
      if (ctx->clock != NULL && measures_busy)
        atomic_fetch_add (&ctx->clock->device_busy_us,
                          (gint64) (wl_backend_take_busy_seconds (self->backend) * G_USEC_PER_SEC));
      progress.done += n;
      progress.loss += batch_loss;
      for (gsize j = 0; j < n_mine; j++)
        progress.tokens += features->n_tokens[plan.order[mine + j]];
      report (&progress, i + 1 == plan.n_batches);
    }
  if (loss != NULL)
    *loss = progress.loss / features->n_docs;
  ok = TRUE;

out:
  /* A batch still being assembled reads the plan: wait for it first. */
  g_clear_pointer (&prefetch, wl_prefetch_free);
  state->generation++;
  plan_clear (&plan);
  return ok;
}

gboolean
wl_neural_train_epoch (WlModel              *model,
                       const WlFeatures     *features,
                       const guint32        *labels,
                       const WlTrainContext *ctx,
                       double               *loss,
                       GError              **error)
{
  WlNeural *self = (WlNeural *) model;
  gboolean ok;

  g_return_val_if_fail (self->vocab != NULL, FALSE);

  if (wl_neural_storage (model) & WL_MODEL_STORAGE_INT8)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("an int8 model cannot be trained: fine-tune the fp32 model, "
                     "then quantise it"));
      return FALSE;
    }
  if (features->n_docs == 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA, _("there are no examples to train on"));
      return FALSE;
    }
  if (features->n_docs > G_MAXINT32)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("too many examples (%zu); the most is %d"),
                   features->n_docs, G_MAXINT32);
      return FALSE;
    }
  if (g_cancellable_is_cancelled (ctx->cancellable))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_CANCELLED, _("training was cancelled"));
      return FALSE;
    }
  g_mutex_lock (&self->state->lock);
  ok = train_locked (self, features, labels, ctx, loss, error);
  g_mutex_unlock (&self->state->lock);
  return ok;
}

/* The trainer asks from the training thread (in the progress callback or
 * between epochs), so the field needs no lock. */
double
wl_neural_get_lr (const WlModel *model)
{
  return ((const WlNeural *) model)->state->lr;
}

/* For tests */

gboolean
wl_neural_loss_and_grad (WlModel           *model,
                         const WlFeatures  *features,
                         const guint32     *labels,
                         gsize              n,
                         double            *loss,
                         GError           **error)
{
  WlNeural *self = (WlNeural *) model;
  WlNeuralState *state = self->state;
  g_autofree guint32 *docs = g_new (guint32, n);
  float sum;
  gboolean ok;

  for (gsize i = 0; i < n; i++)
    docs[i] = (guint32) i;
  g_mutex_lock (&state->lock);
  ok = wl_neural_open_device (self, 1, error) &&
       wl_neural_batch_fill (self, features, labels, docs, n, TRUE, TEST_SEED, error) &&
       wl_neural_batch_run (self, TRUE, 1.0, error) &&
       wl_buffer_read (state->loss_sum, 0, &sum, 1, error);
  g_mutex_unlock (&state->lock);
  if (ok)
    *loss = sum / n;
  return ok;
}
