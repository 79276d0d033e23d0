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

WlMetrics *
wl_metrics_new (guint n_labels)
{
  WlMetrics *metrics;

  g_return_val_if_fail (n_labels > 0, NULL);

  metrics = g_new0 (WlMetrics, 1);
  metrics->n_labels = n_labels;
  metrics->confusion = g_new0 (guint64, (gsize) n_labels * n_labels);
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

  g_free (metrics->confusion);
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
  memset (metrics->confusion, 0, (gsize) K * K * sizeof (guint64));
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

  metrics->confusion[(gsize) truth * metrics->n_labels + predicted]++;
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
      guint64 tp = metrics->confusion[(gsize) k * K + k];
      guint64 support = 0, predicted = 0;

      for (guint j = 0; j < K; j++)
        {
          support += metrics->confusion[(gsize) k * K + j];
          predicted += metrics->confusion[(gsize) j * K + k];
        }
      correct += tp;
      metrics->support[k] = support;
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
