/* wl-metrics.h: classification metrics from predictions. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint     n_labels;
  guint64   n;             /* examples counted */
  guint64  *confusion;     /* n_labels x n_labels, row = true label */
  double    loss_sum;      /* sum of -log p(true) */
  /* Filled by wl_metrics_finish(): */
  double    accuracy;
  double    macro_f1;
  double    loss;          /* mean cross-entropy */
  double   *precision;     /* per label; 0 when undefined */
  double   *recall;
  double   *f1;
  guint64  *support;       /* true examples per label */
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

/* Index of the largest value. */
guint32    wl_argmax             (const float      *v,
                                  guint             n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlMetrics, wl_metrics_free)

G_END_DECLS
