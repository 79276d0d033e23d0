/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-trainer.c: the epoch loop with validation, early stopping and best weights. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "eval/wl-metrics.h"
#include "train/wl-run-private.h"
#include "train/wl-trainer.h"
#include "train/wl-trainer-dist.h"
#include "dist/wl-dist.h"
#include "wl-error.h"
#include "wl-settings.h"

/* Ends a run whose numbers stopped being finite during @epoch (0-based):
 * no epoch after it is of use; the recorder's checkpoints (taken at most
 * once per epoch, maybe less often) are all of good epochs, and stay. */
static gboolean
diverged (guint    epoch,
          GError **error)
{
  if (epoch == 0)
    g_set_error (error, WL_ERROR, WL_ERROR_DIVERGED,
                 _("Training diverged in epoch 1: the loss or the weights are no longer finite numbers, "
                   "and no epoch finished, so there is no checkpoint; lower the learning rate "
                   "(or clip the gradients) and train again"));
  else
    g_set_error (error, WL_ERROR, WL_ERROR_DIVERGED,
                 _("Training diverged in epoch %u: the loss or the weights are no longer finite numbers; "
                   "a recorded run keeps its last checkpoint, of epoch %u at the latest, the last good "
                   "one; lower the learning rate (or clip the gradients) and train again"),
                 epoch + 1, epoch);
  return FALSE;
}

guint
wl_early_stop_last_epoch (const WlEarlyStopState *stop,
                          guint                   patience,
                          guint                   n_epochs,
                          gboolean                validating)
{
  guint64 last;

  g_return_val_if_fail (stop != NULL, n_epochs);

  if (patience == 0 || !validating)
    return n_epochs;
  /* The first epoch validated is always the best so far. */
  if (stop->best_epoch == 0)
    last = (guint64) stop->epochs_done + 1 + patience;
  else
    last = (guint64) stop->epochs_done + patience - MIN (stop->since_best, patience);
  return (guint) MIN (last, n_epochs);
}

/* Progress, called from the model's threads. */
typedef struct
{
  WlRun         *run;
  const WlModel *model;
  GMutex         mutex;
  guint          epoch;          /* 0-based */
  guint          n_epochs;
  guint          stop_epoch;     /* wl_early_stop_last_epoch() after the epochs done */
  guint          first_epoch;    /* a resumed run's: the ETA counts from it */
  gint64         train_start;
  gint64         epoch_start;
  double         last_epoch_seconds;  /* the last whole epoch, validation included; 0: none yet */
  WlVerdictMeter *meter;
  gint64         next_verdict;
} Progress;

/* A verdict every few seconds of training: long enough to average over
 * many steps, short enough to follow a change. */
#define VERDICT_INTERVAL_US (3 * G_USEC_PER_SEC)

/* Emits the meter's verdict on the span since the last one (or, @whole,
 * on all of training), if the threads trained in it. */
static void
emit_verdict (Progress *progress,
              gboolean  whole)
{
  WlVerdict verdict;
  WlEvent *event;

  const double *stages = wl_run_get_summary (progress->run)->stage_seconds;
  double preprocess = stages[WL_STAGE_CLEAN] + stages[WL_STAGE_FEATURIZE];
  double run = stages[WL_STAGE_LOAD] + preprocess +
               (g_get_monotonic_time () - progress->train_start) / (double) G_USEC_PER_SEC;

  if (!wl_verdict_meter_take (progress->meter, whole, &verdict))
    return;
  /* The stages before training ended with their timings. */
  verdict.preprocess_share = run > 0 ? preprocess / run : 0;
  event = wl_event_new (WL_EVENT_VERDICT);
  event->stage = WL_STAGE_TRAIN;
  event->verdict = verdict;
  wl_run_emit (progress->run, event);
}

static WlVerdictInput
input_of (const WlModel    *model,
          const WlFeatures *features)
{
  if (wl_model_features_on_disk (features))
    return WL_VERDICT_INPUT_WINDOWS;
  switch (model->config->model.type)
    {
    case WL_MODEL_MLP:
    case WL_MODEL_TEXTCNN:
    case WL_MODEL_LSTM:
    case WL_MODEL_GRU:
      return WL_VERDICT_INPUT_BATCHES;
    default:
      return WL_VERDICT_INPUT_MEMORY;
    }
}

/* Where training stands: @position epochs done (fractions included).
 * The pace is the last whole epoch's (validation included): the first
 * epoch carries one-time costs that an average would spread over every
 * estimate; before an epoch ended, the pace so far.  The fraction counts
 * towards the likely end. */
static void
set_outlook (WlEvent        *event,
             const Progress *progress,
             double          position,
             gint64          now)
{
  double done = position - progress->first_epoch;
  double pace;

  event->n_epochs = progress->n_epochs;
  event->stop_epoch = progress->stop_epoch;
  event->fraction = MIN (position / MAX (progress->stop_epoch, 1u), 1.0);
  if (progress->last_epoch_seconds > 0)
    pace = progress->last_epoch_seconds;
  else if (done > 0)
    pace = (now - progress->train_start) / (double) G_USEC_PER_SEC / done;
  else
    return;
  event->eta = pace * MAX (progress->stop_epoch - position, 0.0);
  /* At the epoch where early stopping ends it, nothing is left. */
  event->eta_max = position >= progress->stop_epoch ? 0.0
                   : pace * MAX (progress->n_epochs - position, 0.0);
}

static void
on_epoch_progress (guint64  done,
                   guint64  total,
                   guint64  tokens,
                   double   mean_loss,
                   gpointer data)
{
  Progress *progress = data;
  gint64 now = g_get_monotonic_time ();
  gint64 paused;
  WlEvent *event;

  g_mutex_lock (&progress->mutex);
  /* The other training threads queue on the mutex meanwhile. */
  paused = wl_run_wait_while_paused (progress->run);
  progress->epoch_start += paused;
  progress->train_start += paused;
  now += paused;
  if (now >= progress->next_verdict)
    {
      progress->next_verdict = now + VERDICT_INTERVAL_US;
      emit_verdict (progress, FALSE);
    }
  if (!wl_run_should_report_progress (progress->run, done >= total))
    {
      g_mutex_unlock (&progress->mutex);
      return;
    }

  event = wl_event_new (WL_EVENT_PROGRESS);
  event->stage = WL_STAGE_TRAIN;
  event->epoch = progress->epoch + 1;
  set_outlook (event, progress, progress->epoch + (total ? (double) done / total : 1.0), now);
  event->train_loss = mean_loss;
  event->lr = wl_model_get_lr (progress->model);
  if (now > progress->epoch_start)
    event->tokens_per_s = tokens / ((now - progress->epoch_start) / (double) G_USEC_PER_SEC);
  wl_run_emit (progress->run, event);
  g_mutex_unlock (&progress->mutex);
}

static gboolean
validate (WlRun             *run,
          const WlModel     *model,
          const WlTrainPart *valid,
          WlMetrics         *metrics,
          GError           **error)
{
  g_autofree float *probs = NULL;
  guint n_labels = model->n_labels;

  probs = g_try_new (float, valid->n * n_labels);
  if (probs == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("Not enough memory to score the validation part"));
      return FALSE;
    }
  if (!wl_model_predict_all (model, valid->features, valid->n,
                             wl_config_get_threads (model->config), probs,
                             wl_run_get_cancellable (run), error))
    return FALSE;

  wl_metrics_reset (metrics);
  for (gsize i = 0; i < valid->n; i++)
    {
      const float *p = probs + i * n_labels;
      wl_metrics_add (metrics, valid->labels[i], wl_argmax (p, n_labels), p);
    }
  wl_metrics_finish (metrics);
  return TRUE;
}

/* One pass over @part: the model's epoch, then the ranks' averaging.
 * FALSE with @error set, or unset when the loss is no longer a finite
 * number.  @progress and @clock may be NULL. */
static gboolean
train_pass (WlRun             *run,
            WlModel           *model,
            const WlTrainPart *part,
            guint              epoch,
            guint              n_epochs,
            gboolean           lr_to_zero,
            Progress          *progress,
            WlStepClock       *clock,
            double            *loss,
            GError           **error)
{
  const WlConfig *config = model->config;
  WlTrainContext ctx = {
    .epoch = epoch,
    .n_epochs = n_epochs,
    .lr_to_zero = lr_to_zero,
    .n_threads = wl_config_get_threads (config),
    .seed = config->data.seed,
    .cancellable = wl_run_get_cancellable (run),
    .progress = progress != NULL ? on_epoch_progress : NULL,
    .progress_data = progress,
    .rank = wl_dist_rank (),
    .n_ranks = wl_dist_size (),
    .clock = clock,
  };

  return wl_model_train_epoch (model, part->features, part->labels, &ctx, loss, error) &&
         wl_trainer_dist_after_pass (model, loss, error) &&
         isfinite (*loss);
}

gboolean
wl_trainer_fit (WlRun             *run,
                WlModel           *model,
                const WlTrainPart *train,
                const WlTrainPart *valid,
                GError           **error)
{
  const WlConfig *config = model->config;
  WlRunSummary *summary = wl_run_get_summary_mutable (run);
  WlMetric metric = config->model.early_stop_metric;
  g_autoptr(WlMetrics) metrics = wl_metrics_new (model->n_labels);
  g_autoptr(WlModel) best = NULL;
  guint n_epochs = config->model.epochs;
  WlEarlyStopState stop = { .best_metric = NAN };
  Progress progress = { .run = run, .model = model, .n_epochs = n_epochs };
  WlResumePoint *resume = wl_run_get_resume_point (run);
  guint first_epoch = 0;
  double comm_seconds;
  guint64 comm_calls;
  gboolean ok = TRUE;

  WlStepClock clock = { 0 };
  g_autoptr(WlVerdictMeter) meter = NULL;

  g_mutex_init (&progress.mutex);
  progress.train_start = g_get_monotonic_time ();
  progress.next_verdict = progress.train_start + VERDICT_INTERVAL_US;
  meter = wl_verdict_meter_new (&clock, input_of (model, train->features),
                                wl_config_get_threads (config),
                                config->model.device != NULL &&
                                g_str_has_prefix (config->model.device, "opencl"),
                                /* The settings table says which models have a device. */
                                !wl_setting_applies_to (wl_settings_find ("model", "device"),
                                                        config->model.type));
  progress.meter = meter;

  if (resume != NULL)
    {
      /* Go on from the checkpoint; a run that had stopped early goes
       * straight to the evaluation. */
      stop = resume->stop;
      first_epoch = MIN (stop.epochs_done, n_epochs);
      summary->epochs_run = first_epoch;
      if (config->model.patience > 0 && stop.since_best >= config->model.patience)
        {
          summary->stopped_early = first_epoch < n_epochs;
          first_epoch = n_epochs;
        }
      if (valid->n > 0)
        best = g_steal_pointer (&resume->best);
      summary->best_epoch = stop.best_epoch;
      summary->best_metric = stop.best_metric;
    }

  progress.first_epoch = first_epoch;
  progress.stop_epoch = wl_early_stop_last_epoch (&stop, config->model.patience, n_epochs, valid->n > 0);
  wl_trainer_dist_describe (run, model);
  comm_seconds = wl_dist_comm_seconds ();
  comm_calls = wl_dist_comm_calls ();
  for (guint epoch = first_epoch; epoch < n_epochs; epoch++)
    {
      WlEpochVerdict verdict = { .valid_loss = NAN, .valid_accuracy = NAN, .valid_macro_f1 = NAN };
      g_autoptr(GError) local_error = NULL;
      WlEvent *event;
      double loss = NAN;
      double seconds;
      gint64 now;

      progress.epoch = epoch;
      progress.epoch_start = g_get_monotonic_time ();
      if (!train_pass (run, model, train, epoch, n_epochs, FALSE, &progress, &clock, &loss, &local_error))
        {
          if (local_error == NULL || g_error_matches (local_error, WL_ERROR, WL_ERROR_DIVERGED))
            diverged (epoch, error);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
          break;
        }
      now = g_get_monotonic_time ();
      seconds = (now - progress.epoch_start) / (double) G_USEC_PER_SEC;

      event = wl_event_new (WL_EVENT_EPOCH);
      event->stage = WL_STAGE_TRAIN;
      event->epoch = epoch + 1;
      event->train_loss = loss;
      event->lr = wl_model_get_lr (model);
      event->tokens_per_s = seconds > 0 ? train->n_tokens / seconds : 0;
      summary->epochs_run = epoch + 1;
      stop.epochs_done = epoch + 1;

      /* Rank 0 validates and decides; the other ranks follow its verdict. */
      if (valid->n > 0 && wl_dist_rank () == 0)
        {
          double value;

          if (!validate (run, model, valid, metrics, error))
            {
              wl_event_free (event);
              ok = FALSE;
              break;
            }
          /* Weights that are no longer finite numbers give a loss that is not. */
          if (!isfinite (metrics->loss))
            {
              wl_event_free (event);
              diverged (epoch, error);
              ok = FALSE;
              break;
            }
          verdict.valid_loss = metrics->loss;
          verdict.valid_accuracy = metrics->accuracy;
          verdict.valid_macro_f1 = metrics->macro_f1;
          value = wl_metrics_get (metrics, metric);
          verdict.is_best = wl_metric_is_better (metric, value, stop.best_metric);
          if (verdict.is_best)
            {
              stop.best_metric = value;
              stop.best_epoch = epoch + 1;
              stop.since_best = 0;
            }
          else
            stop.since_best++;
        }
      if (valid->n > 0)
        {
          verdict.stop = stop;
          if (!wl_trainer_dist_share (&verdict, error))
            {
              wl_event_free (event);
              ok = FALSE;
              break;
            }
          stop = verdict.stop;
          event->valid_loss = verdict.valid_loss;
          event->valid_accuracy = verdict.valid_accuracy;
          event->valid_macro_f1 = verdict.valid_macro_f1;
          event->is_best = verdict.is_best;
          if (event->is_best)
            {
              summary->best_epoch = epoch + 1;
              summary->best_metric = stop.best_metric;
              if (best == NULL)
                best = wl_model_clone (model);
              else
                wl_model_copy_weights (best, model);
            }
        }
      else
        {
          /* Nothing to validate on: the last epoch is the best. */
          event->is_best = TRUE;
          stop.best_epoch = epoch + 1;
          summary->best_epoch = epoch + 1;
        }
      /* This epoch's outcome settles where training will likely end. */
      g_mutex_lock (&progress.mutex);
      now = g_get_monotonic_time ();
      progress.stop_epoch = wl_early_stop_last_epoch (&stop, config->model.patience, n_epochs,
                                                      valid->n > 0);
      progress.last_epoch_seconds = MAX ((now - progress.epoch_start) / (double) G_USEC_PER_SEC, 1e-6);
      set_outlook (event, &progress, epoch + 1, now);
      g_mutex_unlock (&progress.mutex);
      if (!wl_run_checkpoint (run, model, best, event, &stop, error))
        {
          wl_event_free (event);
          ok = FALSE;
          break;
        }
      wl_run_emit (run, event);

      if (config->model.patience > 0 && stop.since_best >= config->model.patience &&
          epoch + 1 < n_epochs)
        {
          summary->stopped_early = TRUE;
          wl_run_emit_message (run, WL_STAGE_TRAIN,
                               _("Stopped early after epoch %u: no improvement of the validation %s for %u epochs; keeping epoch %u"),
                               epoch + 1, wl_metric_to_string (metric),
                               config->model.patience, summary->best_epoch);
          break;
        }
    }

  if (ok)
    emit_verdict (&progress, TRUE);
  if (ok)
    wl_trainer_dist_report_cost (run, wl_dist_comm_seconds () - comm_seconds,
                                 wl_dist_comm_calls () - comm_calls,
                                 summary->epochs_run - first_epoch);
  if (ok && best != NULL)
    wl_model_copy_weights (model, best);
  if (ok && !wl_trainer_dist_check_same (run, model, error))
    ok = FALSE;
  g_mutex_clear (&progress.mutex);
  return ok;
}

#define REFIT_MIN_EPOCHS 4

guint
wl_trainer_refit_epochs (const WlConfig *config,
                         gsize           n_valid,
                         guint           best_epoch)
{
  if (!config->model.refit || n_valid == 0 || best_epoch == 0 ||
      !wl_setting_applies_to (wl_settings_find ("model", "refit"), config->model.type))
    return 0;
  return MIN (MAX (best_epoch, REFIT_MIN_EPOCHS), config->model.epochs);
}

gboolean
wl_trainer_refit (WlRun             *run,
                  WlModel           *model,
                  const WlTrainPart *all,
                  guint              n_epochs,
                  GError           **error)
{
  for (guint epoch = 0; epoch < n_epochs; epoch++)
    {
      g_autoptr(GError) local_error = NULL;
      double loss = NAN;

      /* No progress events: the run's epochs and their outlook are the
       * validated training's. */
      if (!train_pass (run, model, all, epoch, n_epochs, TRUE, NULL, NULL, &loss, &local_error))
        {
          if (local_error == NULL || g_error_matches (local_error, WL_ERROR, WL_ERROR_DIVERGED))
            g_set_error (error, WL_ERROR, WL_ERROR_DIVERGED,
                         _("Training diverged in epoch %u of the training again on the training and "
                           "validation rows: turn off Refit on All Rows to keep the best epoch's model, "
                           "or lower the learning rate"), epoch + 1);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  return wl_trainer_dist_check_same (run, model, error);
}
