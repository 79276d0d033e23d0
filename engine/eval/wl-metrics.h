/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-metrics.h: classification metrics from predictions.
 *
 * Memory grows with the number of labels and with the number of distinct
 * mistakes, never with labels × labels: the diagonal and the per-label
 * counts are arrays, the off-diagonal cells of the confusion matrix a hash
 * table, so 100,000 labels cost a few megabytes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint     n_labels;
  guint64   n;             /* examples counted */
  guint64  *correct;       /* per label: the diagonal of the confusion matrix */
  guint64  *predicted;     /* per label: how often it was predicted */
  GHashTable *errors;      /* (truth << 32 | predicted) -> count, off-diagonal only */
  guint64  *support;       /* per label: true examples */
  double    loss_sum;      /* sum of -log p(true) */
  /* Filled by wl_metrics_finish(): */
  double    accuracy;
  double    macro_f1;
  double    loss;          /* mean cross-entropy */
  double   *precision;     /* per label; 0 when undefined */
  double   *recall;
  double   *f1;
} WlMetrics;

WlMetrics *wl_metrics_new        (guint             n_labels);
void       wl_metrics_free       (WlMetrics        *metrics);
void       wl_metrics_reset      (WlMetrics        *metrics);
/* @probs may be NULL (no loss counted). */
void       wl_metrics_add        (WlMetrics        *metrics,
                                  guint32           truth,
                                  guint32           predicted,
                                  const float      *probs);
void       wl_metrics_finish     (WlMetrics        *metrics);
double     wl_metrics_get        (const WlMetrics  *metrics,
                                  int               metric); /* WlMetric */
/* Whether @value of @metric (WlMetric) beats @best (NAN: none yet). */
gboolean   wl_metric_is_better   (int               metric,
                                  double            value,
                                  double            best);
/* One cell of the confusion matrix (row = true label). */
guint64    wl_metrics_get_cell   (const WlMetrics  *metrics,
                                  guint32           truth,
                                  guint32           predicted);
typedef void (*WlMetricsCellFunc) (guint32  truth,
                                   guint32  predicted,
                                   guint64  count,
                                   gpointer user_data);
/* Every non-zero off-diagonal cell, in no particular order. */
void       wl_metrics_foreach_error (const WlMetrics *metrics,
                                  WlMetricsCellFunc func,
                                  gpointer          user_data);

/* Index of the largest value. */
guint32    wl_argmax             (const float      *v,
                                  guint             n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlMetrics, wl_metrics_free)

G_END_DECLS
