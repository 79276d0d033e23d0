/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-metrics.c: metrics against hand-computed (and scikit-learn) values. */
#include <math.h>

#include "wl-config.h"
#include "eval/wl-confusion-view.h"
#include "eval/wl-metrics.h"

#define EPS 1e-9

static WlMetrics *
metrics_from (guint          n_labels,
              const guint32 *truth,
              const guint32 *predicted,
              gsize          n)
{
  WlMetrics *metrics = wl_metrics_new (n_labels);

  for (gsize i = 0; i < n; i++)
    wl_metrics_add (metrics, truth[i], predicted[i], NULL);
  wl_metrics_finish (metrics);
  return metrics;
}

static void
test_perfect (void)
{
  const guint32 y[] = { 0, 1, 2, 0, 1, 2 };
  g_autoptr(WlMetrics) m = metrics_from (3, y, y, G_N_ELEMENTS (y));

  g_assert_cmpuint (m->n, ==, 6);
  g_assert_cmpfloat_with_epsilon (m->accuracy, 1.0, EPS);
  g_assert_cmpfloat_with_epsilon (m->macro_f1, 1.0, EPS);
  for (guint k = 0; k < 3; k++)
    {
      g_assert_cmpfloat_with_epsilon (m->precision[k], 1.0, EPS);
      g_assert_cmpfloat_with_epsilon (m->recall[k], 1.0, EPS);
      g_assert_cmpfloat_with_epsilon (m->f1[k], 1.0, EPS);
      g_assert_cmpuint (m->support[k], ==, 2);
      g_assert_cmpuint (wl_metrics_get_cell (m, k, k), ==, 2);
    }
}

static void
test_all_wrong (void)
{
  const guint32 truth[] = { 0, 1, 2 };
  const guint32 pred[] = { 1, 2, 0 };
  g_autoptr(WlMetrics) m = metrics_from (3, truth, pred, 3);

  g_assert_cmpfloat_with_epsilon (m->accuracy, 0.0, EPS);
  g_assert_cmpfloat_with_epsilon (m->macro_f1, 0.0, EPS);
  g_assert_cmpuint (wl_metrics_get_cell (m, 0, 1), ==, 1);
  g_assert_cmpuint (wl_metrics_get_cell (m, 1, 2), ==, 1);
  g_assert_cmpuint (wl_metrics_get_cell (m, 2, 0), ==, 1);
  for (guint k = 0; k < 3; k++)
    g_assert_cmpfloat_with_epsilon (m->f1[k], 0.0, EPS);
}

/* 8 of label 0 and 2 of label 1, everything predicted 0; label 2 never
 * occurs.  sklearn: f1_score ([0]*8 + [1]*2, [0]*10, average='macro')
 * = 0.4444…, label 2 does not count. */
static void
test_imbalance (void)
{
  guint32 truth[10], pred[10] = { 0 };
  g_autoptr(WlMetrics) m = NULL;

  for (guint i = 0; i < 10; i++)
    truth[i] = i < 8 ? 0 : 1;
  m = metrics_from (3, truth, pred, 10);

  g_assert_cmpfloat_with_epsilon (m->accuracy, 0.8, EPS);
  g_assert_cmpfloat_with_epsilon (m->precision[0], 0.8, EPS);
  g_assert_cmpfloat_with_epsilon (m->recall[0], 1.0, EPS);
  g_assert_cmpfloat_with_epsilon (m->f1[0], 16.0 / 18.0, EPS);
  /* Never predicted: precision 0/0 and F1 count as 0. */
  g_assert_cmpfloat_with_epsilon (m->precision[1], 0.0, EPS);
  g_assert_cmpfloat_with_epsilon (m->recall[1], 0.0, EPS);
  g_assert_cmpfloat_with_epsilon (m->f1[1], 0.0, EPS);
  g_assert_cmpuint (m->support[1], ==, 2);
  g_assert_cmpuint (m->support[2], ==, 0);
  g_assert_cmpfloat_with_epsilon (m->macro_f1, (16.0 / 18.0) / 2, EPS);
}

/* sklearn: f1_score ([0,0,1,1,2,2], [0,1,1,1,0,2], average=None)
 * = [0.5, 0.8, 0.6667], macro 0.65556. */
static void
test_macro_average (void)
{
  const guint32 truth[] = { 0, 0, 1, 1, 2, 2 };
  const guint32 pred[] = { 0, 1, 1, 1, 0, 2 };
  g_autoptr(WlMetrics) m = metrics_from (3, truth, pred, 6);

  g_assert_cmpfloat_with_epsilon (m->accuracy, 4.0 / 6.0, EPS);
  g_assert_cmpfloat_with_epsilon (m->precision[1], 2.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (m->recall[2], 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (m->f1[0], 0.5, EPS);
  g_assert_cmpfloat_with_epsilon (m->f1[1], 0.8, EPS);
  g_assert_cmpfloat_with_epsilon (m->f1[2], 2.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (m->macro_f1, (0.5 + 0.8 + 2.0 / 3.0) / 3, EPS);
  g_assert_cmpfloat_with_epsilon (wl_metrics_get (m, WL_METRIC_MACRO_F1), m->macro_f1, EPS);
  g_assert_cmpfloat_with_epsilon (wl_metrics_get (m, WL_METRIC_ACCURACY), m->accuracy, EPS);
}

/* A label predicted but never true counts in the macro average with F1 0:
 * sklearn f1_score ([0,0], [0,1], average='macro') = 1/3. */
static void
test_predicted_only (void)
{
  const guint32 truth[] = { 0, 0 };
  const guint32 pred[] = { 0, 1 };
  g_autoptr(WlMetrics) m = metrics_from (2, truth, pred, 2);

  g_assert_cmpfloat_with_epsilon (m->f1[0], 2.0 / 3.0, EPS);
  g_assert_cmpfloat_with_epsilon (m->f1[1], 0.0, EPS);
  g_assert_cmpfloat_with_epsilon (m->macro_f1, 1.0 / 3.0, EPS);
}

static void
test_loss (void)
{
  g_autoptr(WlMetrics) m = wl_metrics_new (2);
  const float a[] = { 0.5f, 0.5f }, b[] = { 0.75f, 0.25f }, zero[] = { 1.f, 0.f };

  wl_metrics_add (m, 0, 0, a);
  wl_metrics_add (m, 1, 0, b);
  wl_metrics_finish (m);
  g_assert_cmpfloat_with_epsilon (m->loss, (log (2.0) + log (4.0)) / 2, 1e-6);
  g_assert_cmpfloat_with_epsilon (wl_metrics_get (m, WL_METRIC_LOSS), m->loss, EPS);

  /* p = 0 is clipped, not infinite. */
  wl_metrics_reset (m);
  g_assert_cmpuint (m->n, ==, 0);
  wl_metrics_add (m, 1, 0, zero);
  wl_metrics_add (m, 0, 0, NULL);
  wl_metrics_finish (m);
  g_assert_cmpfloat_with_epsilon (m->loss, -log (1e-15) / 2, 1e-6);
  g_assert_cmpfloat_with_epsilon (m->accuracy, 0.5, EPS);
}

static void
test_reset (void)
{
  const guint32 y[] = { 0, 1 };
  g_autoptr(WlMetrics) m = metrics_from (2, y, y, 2);

  wl_metrics_reset (m);
  g_assert_cmpuint (wl_metrics_get_cell (m, 0, 0), ==, 0);
  g_assert_cmpuint (m->support[0] + m->support[1], ==, 0);
  wl_metrics_finish (m);
  g_assert_cmpfloat (m->accuracy, ==, 0.0);
  g_assert_cmpfloat (m->macro_f1, ==, 0.0);
  g_assert_cmpfloat (m->loss, ==, 0.0);
}

static void
test_argmax (void)
{
  const float v[] = { 0.1f, 0.7f, 0.2f, 0.7f };
  const float one[] = { -3.f };

  g_assert_cmpuint (wl_argmax (v, 4), ==, 1);   /* first of a tie */
  g_assert_cmpuint (wl_argmax (v, 1), ==, 0);
  g_assert_cmpuint (wl_argmax (one, 1), ==, 0);
}

/* 100,000 labels: a dense labels × labels matrix would need 80 GB.  Label
 * k has k % 7 + 1 rows; every third row is predicted as label 0. */
static void
test_many_labels (void)
{
  const guint K = 100000;
  g_autoptr(WlMetrics) m = wl_metrics_new (K);
  g_autoptr(WlConfusionView) view = NULL;
  guint64 n = 0, wrong = 0, total = 0, others_cell = 0;

  for (guint32 k = 0; k < K; k++)
    for (guint r = 0; r < k % 7 + 1; r++, n++)
      {
        guint32 predicted = n % 3 == 0 ? 0 : k;

        wrong += predicted != k;
        wl_metrics_add (m, k, predicted, NULL);
      }
  wl_metrics_finish (m);
  g_assert_cmpuint (m->n, ==, n);
  g_assert_cmpfloat_with_epsilon (m->accuracy, (double) (n - wrong) / n, EPS);
  g_assert_cmpuint (g_hash_table_size (m->errors), <=, K);
  g_assert_cmpuint (wl_metrics_get_cell (m, 6, 6) + wl_metrics_get_cell (m, 6, 0), ==, 7);
  g_assert_cmpuint (m->predicted[0], ==, wrong + m->correct[0]);

  view = wl_confusion_view_new (m, WL_CONFUSION_VIEW_MAX_LABELS);
  g_assert_cmpuint (view->n, ==, WL_CONFUSION_VIEW_MAX_LABELS);
  g_assert_cmpuint (view->n_shown, ==, WL_CONFUSION_VIEW_MAX_LABELS - 1);
  g_assert_cmpuint (view->n_others, ==, K - view->n_shown);
  /* Label 0 is predicted most; every label shown has at least as many rows
   * and predictions as any label summed up; they are in label order. */
  g_assert_cmpuint (view->label_ids[0], ==, 0);
  for (guint i = 1; i < view->n_shown; i++)
    g_assert_cmpuint (view->label_ids[i - 1], <, view->label_ids[i]);
  for (guint32 k = 0; k < K; k++)
    if (wl_confusion_view_index (view, k) == view->n_shown)
      for (guint i = 0; i < view->n_shown; i++)
        g_assert_cmpuint (m->support[view->label_ids[i]] + m->predicted[view->label_ids[i]], >=,
                          m->support[k] + m->predicted[k]);
  for (gsize c = 0; c < (gsize) view->n * view->n; c++)
    total += view->cells[c];
  g_assert_cmpuint (total, ==, n);
  g_assert_cmpuint (wl_confusion_view_index (view, view->label_ids[2]), ==, 2);
  g_assert_cmpuint (view->cells[1 * view->n + 1], ==,
                    wl_metrics_get_cell (m, view->label_ids[1], view->label_ids[1]));
  g_assert_cmpuint (view->cells[1 * view->n + 0], ==,
                    wl_metrics_get_cell (m, view->label_ids[1], 0));
  for (guint32 k = 0; k < K; k++)
    if (wl_confusion_view_index (view, k) == view->n_shown)
      others_cell += m->correct[k];
  g_assert_cmpuint (view->cells[(gsize) view->n_shown * view->n + view->n_shown], ==, others_cell);
}

/* Up to the cap, the view is the matrix itself. */
static void
test_view_small (void)
{
  const guint32 truth[] = { 0, 1, 2, 2 };
  const guint32 pred[] = { 1, 1, 2, 0 };
  g_autoptr(WlMetrics) m = metrics_from (3, truth, pred, 4);
  g_autoptr(WlConfusionView) view = wl_confusion_view_new (m, WL_CONFUSION_VIEW_MAX_LABELS);

  g_assert_cmpuint (view->n, ==, 3);
  g_assert_cmpuint (view->n_others, ==, 0);
  for (guint t = 0; t < 3; t++)
    for (guint p = 0; p < 3; p++)
      g_assert_cmpuint (view->cells[t * 3 + p], ==, wl_metrics_get_cell (m, t, p));
  g_assert_cmpuint (view->cells[0 * 3 + 1], ==, 1);
  g_assert_cmpuint (view->cells[2 * 3 + 0], ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/metrics/perfect", test_perfect);
  g_test_add_func ("/metrics/all-wrong", test_all_wrong);
  g_test_add_func ("/metrics/imbalance", test_imbalance);
  g_test_add_func ("/metrics/macro-average", test_macro_average);
  g_test_add_func ("/metrics/predicted-only", test_predicted_only);
  g_test_add_func ("/metrics/loss", test_loss);
  g_test_add_func ("/metrics/reset", test_reset);
  g_test_add_func ("/metrics/argmax", test_argmax);
  g_test_add_func ("/metrics/many-labels", test_many_labels);
  g_test_add_func ("/metrics/view-small", test_view_small);

  return g_test_run ();
}
