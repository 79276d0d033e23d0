/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-advise-burst.c: one candidate's measure: the model built on the
 * sample, a warm-up of two batches (which opens the device, builds its
 * kernels and fills its caches), then a burst of real training steps on
 * the sample, timed from the model's own progress reports until its time
 * is up, and scoring.
 *
 * The burst's rate is the examples done between the first progress report
 * (after the first batch) and the last, over the time between them; its
 * relative standard error comes from the rates of the intervals between
 * reports.  A burst that ends on its deadline is stopped through its own
 * cancellable, which the caller's cancels too, so a user's cancel lands
 * between two batches.  A burst runs at least one batch, however little
 * of the budget is left: a candidate is measured or found too slow, never
 * dropped for want of time.
 *
 * Early stopping's epochs are measured the same way (wl_advise_measure_epochs()):
 * the model trained on four fifths of the sample, the rest validated
 * after each epoch with the run's metric and patience. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "eval/wl-metrics.h"
#include "train/wl-advise-private.h"
#include "wl-error.h"

#define MAX_REPORTS 4096
#define MAX_EPOCHS  50     /* of the sample, in one burst */

typedef struct
{
  GCancellable *stop;
  gint64        start;
  gint64        deadline;
  guint64       base;      /* examples done in the burst's earlier epochs */
  guint         n;
  gint64        times[MAX_REPORTS];
  guint64       done[MAX_REPORTS];
} Burst;

static void
on_progress (guint64  done,
             guint64  total,
             guint64  tokens,
             double   mean_loss,
             gpointer data)
{
  Burst *burst = data;
  gint64 now = g_get_monotonic_time ();

  done += burst->base;
  /* Hogwild models report from several threads: keep the ones in order. */
  if (burst->n < MAX_REPORTS && (burst->n == 0 || done > burst->done[burst->n - 1]))
    {
      burst->times[burst->n] = now;
      burst->done[burst->n] = done;
      burst->n++;
    }
  if (now >= burst->deadline)
    g_cancellable_cancel (burst->stop);
}

static void
on_cancelled (GCancellable *cancellable,
              GCancellable *stop)
{
  g_cancellable_cancel (stop);
}

/* Seconds per example and its relative standard error, from @burst's
 * reports; FALSE when not one batch was done. */
static gboolean
burst_rate (const Burst *burst,
            gint64       end,
            guint64      end_done,
            double      *seconds,
            double      *rel_error)
{
  double sum = 0.0, sum2 = 0.0;
  guint k = 0;

  if (burst->n >= 2 && burst->done[burst->n - 1] > burst->done[0])
    {
      *seconds = (burst->times[burst->n - 1] - burst->times[0]) / (double) G_USEC_PER_SEC /
                 (double) (burst->done[burst->n - 1] - burst->done[0]);
      for (guint i = 1; i < burst->n; i++)
        {
          double r = (burst->times[i] - burst->times[i - 1]) / (double) G_USEC_PER_SEC /
                     (double) (burst->done[i] - burst->done[i - 1]);
          sum += r;
          sum2 += r * r;
          k++;
        }
    }
  else if (end_done > 0 || (burst->n == 1 && burst->done[0] > 0))
    {
      /* One report (a slow model: its time was up after a batch) or a
       * burst too short to report twice: from the burst's start. */
      gint64 until = end_done > 0 ? end : burst->times[0];
      guint64 done = end_done > 0 ? end_done : burst->done[0];

      *seconds = (until - burst->start) / (double) G_USEC_PER_SEC / (double) done;
      *rel_error = 0.5;
      return TRUE;
    }
  else
    return FALSE;
  if (k >= 2)
    {
      double mean = sum / k, var = MAX (sum2 / k - mean * mean, 0.0);

      *rel_error = sqrt (var / (k - 1)) / mean;
    }
  else
    *rel_error = 0.25;
  return TRUE;
}

static gboolean
train_burst (WlModel          *model,
             const WlFeatures *features,
             const guint32    *labels,
             guint             n_threads,
             guint64           seed,
             Burst            *burst,
             GCancellable     *cancellable,
             GError          **error)
{
  WlTrainContext ctx = {
    .n_epochs = 1, .n_threads = n_threads, .seed = seed, .cancellable = burst->stop,
    .progress = on_progress, .progress_data = burst,
  };
  g_autoptr(GError) local_error = NULL;
  double loss;
  gulong handler = cancellable == NULL ? 0
                   : g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                            g_object_ref (burst->stop), g_object_unref);
  gboolean ok = wl_model_train_epoch (model, features, labels, &ctx, &loss, &local_error);

  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);
  if (ok)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (g_cancellable_is_cancelled (burst->stop))
    return TRUE;   /* its time was up */
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
wl_advise_measure (const WlConfig      *config,
                   const WlAdviseSample *sample,
                   double               seconds,
                   GCancellable        *cancellable,
                   WlAdviseMeasure     *measure,
                   GError             **error)
{
  g_autoptr(WlModel) model = wl_model_new (config, sample->n_labels);
  WlFeatures *features = NULL, *warm = NULL;
  guint n_threads = wl_config_get_threads (config);
  gsize n_warm;
  gint64 start = g_get_monotonic_time (), t;
  Burst *burst = g_new0 (Burst, 1);
  gboolean ok = FALSE;
  double warm_seconds;

  if (!wl_model_build (model, sample->tokens, sample->labels, sample->n, n_threads, error))
    goto out;
  t = g_get_monotonic_time ();
  measure->build_seconds = (t - start) / (double) G_USEC_PER_SEC / sample->n;
  features = wl_model_featurize (model, sample->tokens, sample->n, n_threads);
  measure->featurize_seconds = (g_get_monotonic_time () - t) / (double) G_USEC_PER_SEC / sample->n;

  /* Warm-up: two batches (the linear models: a tenth of the sample). */
  n_warm = model->config->model.batch_size > 0 ? 2 * model->config->model.batch_size
                                               : sample->n / 10;
  n_warm = CLAMP (n_warm, 1, sample->n);
  warm = wl_model_featurize (model, sample->tokens, n_warm, n_threads);
  burst->stop = g_cancellable_new ();
  burst->start = g_get_monotonic_time ();
  burst->deadline = G_MAXINT64;
  if (!train_burst (model, warm, sample->labels, n_threads, config->data.seed, burst,
                    cancellable, error))
    goto out;
  warm_seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  /* The warm-up's steps, less what they cost once warm (below), are
   * what a run pays once. */
  measure->startup_seconds = (g_get_monotonic_time () - burst->start) / (double) G_USEC_PER_SEC;

  /* The burst: what is left of the time (at least a fifth of it), in
   * epochs over the sample until it is up. */
  g_clear_object (&burst->stop);
  burst->stop = g_cancellable_new ();
  burst->n = 0;
  burst->start = g_get_monotonic_time ();
  burst->deadline = burst->start +
                    (gint64) (MAX (seconds * 0.8 - warm_seconds, seconds * 0.2) * G_USEC_PER_SEC);
  for (guint epoch = 0; epoch < MAX_EPOCHS && !g_cancellable_is_cancelled (burst->stop) &&
                        (epoch == 0 || g_get_monotonic_time () < burst->deadline); epoch++)
    {
      if (!train_burst (model, features, sample->labels, n_threads, config->data.seed + 1 + epoch,
                        burst, cancellable, error))
        goto out;
      if (!g_cancellable_is_cancelled (burst->stop))
        burst->base += sample->n;
    }
  if (!burst_rate (burst, g_get_monotonic_time (), burst->base,
                   &measure->train_seconds, &measure->train_rel_error))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not one batch finished in %.1f s: this device is too slow for this model"),
                   seconds);
      goto out;
    }
  measure->startup_seconds = MAX (measure->startup_seconds - n_warm * measure->train_seconds, 0.0);

  /* Scoring, on as many examples as a tenth of the time allows (at least a
   * batch), featurized apart: a model may score whole blocks of the
   * features it is given. */
  {
    double guess = measure->train_seconds / 3.0;
    gsize n_score = (gsize) CLAMP (seconds * 0.1 / MAX (guess, 1e-9), n_warm, sample->n);
    g_autofree float *probs = g_new (float, n_score * sample->n_labels);
    WlFeatures *scored = wl_model_featurize (model, sample->tokens, n_score, n_threads);

    t = g_get_monotonic_time ();
    ok = wl_model_predict_all (model, scored, n_score, n_threads, probs, cancellable, error);
    measure->predict_seconds = (g_get_monotonic_time () - t) / (double) G_USEC_PER_SEC / n_score;
    wl_model_features_free (model, scored);
  }

out:
  g_clear_object (&burst->stop);
  g_free (burst);
  if (warm != NULL)
    wl_model_features_free (model, warm);
  if (features != NULL)
    wl_model_features_free (model, features);
  return ok;
}

/* The validation metric of @model on @n rows of @features. */
static gboolean
score (WlModel          *model,
       const WlFeatures *features,
       const guint32    *labels,
       gsize             n,
       guint             n_threads,
       WlMetrics        *metrics,
       GCancellable     *cancellable,
       GError          **error)
{
  guint K = model->n_labels;
  g_autofree float *probs = g_new (float, n * K);

  if (!wl_model_predict_all (model, features, n, n_threads, probs, cancellable, error))
    return FALSE;
  wl_metrics_reset (metrics);
  for (gsize i = 0; i < n; i++)
    wl_metrics_add (metrics, labels[i], wl_argmax (probs + i * K, K), probs + i * K);
  wl_metrics_finish (metrics);
  return TRUE;
}

gboolean
wl_advise_measure_epochs (const WlConfig       *config,
                          const WlAdviseSample *sample,
                          double                seconds,
                          GCancellable         *cancellable,
                          guint                *epochs,
                          GError              **error)
{
  const WlModelConfig *m = &config->model;
  gsize n_fit = sample->n * 4 / 5, n_check = sample->n - n_fit;
  g_autoptr(WlModel) model = wl_model_new (config, sample->n_labels);
  g_autoptr(WlMetrics) metrics = wl_metrics_new (sample->n_labels);
  WlFeatures *fit = NULL, *check = NULL;
  guint n_threads = wl_config_get_threads (config), since_best = 0;
  double best = NAN;
  Burst *burst = NULL;
  gboolean ok = FALSE;

  *epochs = 0;
  if (n_fit == 0 || n_check == 0 || m->patience == 0)
    return TRUE;
  if (!wl_model_build (model, sample->tokens, sample->labels, n_fit, n_threads, error))
    return FALSE;
  fit = wl_model_featurize (model, sample->tokens, n_fit, n_threads);
  check = wl_model_featurize (model, sample->tokens + n_fit, n_check, n_threads);
  burst = g_new0 (Burst, 1);
  burst->stop = g_cancellable_new ();
  burst->start = g_get_monotonic_time ();
  burst->deadline = burst->start + (gint64) (seconds * G_USEC_PER_SEC);
  for (guint epoch = 0; epoch < m->epochs; epoch++)
    {
      WlTrainContext ctx = {
        .n_epochs = m->epochs, .epoch = epoch, .n_threads = n_threads, .seed = config->data.seed,
        .cancellable = burst->stop, .progress = on_progress, .progress_data = burst,
      };
      g_autoptr(GError) local_error = NULL;
      gulong handler = cancellable == NULL ? 0
                       : g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                g_object_ref (burst->stop), g_object_unref);
      gboolean trained = wl_model_train_epoch (model, fit, sample->labels, &ctx, NULL,
                                               &local_error);
      double value;

      if (cancellable != NULL)
        g_cancellable_disconnect (cancellable, handler);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (!trained)
        {
          /* Its time was up in the epoch; or the model diverged: no measure either way. */
          ok = g_cancellable_is_cancelled (burst->stop);
          if (!ok)
            g_propagate_error (error, g_steal_pointer (&local_error));
          goto out;
        }
      if (!score (model, check, sample->labels + n_fit, n_check, n_threads, metrics, cancellable,
                  error))
        goto out;
      value = wl_metrics_get (metrics, m->early_stop_metric);
      if (wl_metric_is_better (m->early_stop_metric, value, best))
        {
          best = value;
          since_best = 0;
        }
      else if (++since_best >= m->patience)
        {
          *epochs = epoch + 1;
          break;
        }
      if (g_get_monotonic_time () >= burst->deadline)
        break;
    }
  ok = TRUE;

out:
  g_clear_object (&burst->stop);
  g_free (burst);
  wl_model_features_free (model, fit);
  wl_model_features_free (model, check);
  return ok;
}
