/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-metrics.c: classification metrics from predictions.
 *
 * Definitions follow scikit-learn: precision, recall and F1 of a label are
 * 0 where they are 0/0, and macro-F1 is the mean F1 over the labels that
 * occur in the truth or in the predictions (f1_score (average='macro')).
 * The loss is the mean of -log p(true), with p clipped to 1e-15 like
 * sklearn's log_loss.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "wl-config.h"
#include "eval/wl-metrics.h"

#define MIN_PROB 1e-15

/* g_int64_hash() keeps the low 32 bits only (the predicted label), so every
 * mistake towards one label would collide: mix both halves. */
static guint
hash_cell (gconstpointer key)
{
  guint64 x = *(const guint64 *) key;

  x ^= x >> 33;
  x *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  x ^= x >> 33;
  return (guint) x;
}

WlMetrics *
wl_metrics_new (guint n_labels)
{
  WlMetrics *metrics;

  g_return_val_if_fail (n_labels > 0, NULL);

  metrics = g_new0 (WlMetrics, 1);
  metrics->n_labels = n_labels;
  metrics->correct = g_new0 (guint64, n_labels);
  metrics->predicted = g_new0 (guint64, n_labels);
  metrics->errors = g_hash_table_new_full (hash_cell, g_int64_equal, g_free, g_free);
  metrics->precision = g_new0 (double, n_labels);
  metrics->recall = g_new0 (double, n_labels);
  metrics->f1 = g_new0 (double, n_labels);
  metrics->support = g_new0 (guint64, n_labels);
  return metrics;
}

void
wl_metrics_free (WlMetrics *metrics)
{
  if (metrics == NULL)
    return;

  g_free (metrics->correct);
  g_free (metrics->predicted);
  g_hash_table_unref (metrics->errors);
  g_free (metrics->precision);
  g_free (metrics->recall);
  g_free (metrics->f1);
  g_free (metrics->support);
  g_free (metrics);
}

void
wl_metrics_reset (WlMetrics *metrics)
{
  guint K;

  g_return_if_fail (metrics != NULL);

  K = metrics->n_labels;
  metrics->n = 0;
  metrics->loss_sum = 0.0;
  metrics->accuracy = metrics->macro_f1 = metrics->loss = 0.0;
  memset (metrics->correct, 0, K * sizeof (guint64));
  memset (metrics->predicted, 0, K * sizeof (guint64));
  g_hash_table_remove_all (metrics->errors);
  memset (metrics->precision, 0, K * sizeof (double));
  memset (metrics->recall, 0, K * sizeof (double));
  memset (metrics->f1, 0, K * sizeof (double));
  memset (metrics->support, 0, K * sizeof (guint64));
}

void
wl_metrics_add (WlMetrics   *metrics,
                guint32      truth,
                guint32      predicted,
                const float *probs)
{
  g_return_if_fail (metrics != NULL);
  g_return_if_fail (truth < metrics->n_labels && predicted < metrics->n_labels);

  metrics->support[truth]++;
  metrics->predicted[predicted]++;
  if (truth == predicted)
    metrics->correct[truth]++;
  else
    {
      gint64 key = (gint64) truth << 32 | predicted;
      guint64 *count = g_hash_table_lookup (metrics->errors, &key);

      if (count == NULL)
        {
          count = g_new0 (guint64, 1);
          g_hash_table_insert (metrics->errors, g_memdup2 (&key, sizeof key), count);
        }
      (*count)++;
    }
  metrics->n++;
  if (probs != NULL)
    metrics->loss_sum -= log (CLAMP ((double) probs[truth], MIN_PROB, 1.0));
}

static double
ratio (guint64 a,
       guint64 b)
{
  return b > 0 ? (double) a / b : 0.0;
}

void
wl_metrics_finish (WlMetrics *metrics)
{
  guint K;
  guint64 correct = 0;
  guint n_present = 0;
  double f1_sum = 0.0;

  g_return_if_fail (metrics != NULL);

  K = metrics->n_labels;
  for (guint k = 0; k < K; k++)
    {
      guint64 tp = metrics->correct[k];
      guint64 support = metrics->support[k], predicted = metrics->predicted[k];

      correct += tp;
      metrics->precision[k] = ratio (tp, predicted);
      metrics->recall[k] = ratio (tp, support);
      /* 2 tp / (2 tp + fp + fn), which is 0 when precision + recall is 0. */
      metrics->f1[k] = ratio (2 * tp, support + predicted);
      if (support > 0 || predicted > 0)
        {
          f1_sum += metrics->f1[k];
          n_present++;
        }
    }
  metrics->accuracy = ratio (correct, metrics->n);
  metrics->macro_f1 = n_present > 0 ? f1_sum / n_present : 0.0;
  metrics->loss = metrics->n > 0 ? metrics->loss_sum / metrics->n : 0.0;
}

double
wl_metrics_get (const WlMetrics *metrics,
                int              metric)
{
  g_return_val_if_fail (metrics != NULL, 0.0);

  switch ((WlMetric) metric)
    {
    case WL_METRIC_ACCURACY:
      return metrics->accuracy;
    case WL_METRIC_MACRO_F1:
      return metrics->macro_f1;
    case WL_METRIC_LOSS:
      return metrics->loss;
    default:
      g_return_val_if_reached (0.0);
    }
}

gboolean
wl_metric_is_better (int    metric,
                     double value,
                     double best)
{
  if (isnan (best))
    return TRUE;
  return (WlMetric) metric == WL_METRIC_LOSS ? value < best : value > best;
}

guint64
wl_metrics_get_cell (const WlMetrics *metrics,
                     guint32          truth,
                     guint32          predicted)
{
  gint64 key = (gint64) truth << 32 | predicted;
  const guint64 *count;

  g_return_val_if_fail (metrics != NULL, 0);
  g_return_val_if_fail (truth < metrics->n_labels && predicted < metrics->n_labels, 0);

  if (truth == predicted)
    return metrics->correct[truth];
  count = g_hash_table_lookup (metrics->errors, &key);
  return count != NULL ? *count : 0;
}

void
wl_metrics_foreach_error (const WlMetrics   *metrics,
                          WlMetricsCellFunc  func,
                          gpointer           user_data)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (metrics != NULL && func != NULL);

  g_hash_table_iter_init (&iter, metrics->errors);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 cell = *(const gint64 *) key;

      func ((guint32) (cell >> 32), (guint32) (cell & 0xffffffff), *(const guint64 *) value, user_data);
    }
}

guint32
wl_argmax (const float *v,
           guint        n)
{
  guint32 best = 0;

  g_return_val_if_fail (v != NULL && n > 0, 0);

  for (guint i = 1; i < n; i++)
    if (v[i] > v[best])
      best = i;
  return best;
}
