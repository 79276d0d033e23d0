/* test-metrics.c: metrics against hand-computed (and scikit-learn) values. */
#include <math.h>

#include "wl-config.h"
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
      g_assert_cmpuint (m->confusion[k * 3 + k], ==, 2);
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
  g_assert_cmpuint (m->confusion[0 * 3 + 1], ==, 1);
  g_assert_cmpuint (m->confusion[1 * 3 + 2], ==, 1);
  g_assert_cmpuint (m->confusion[2 * 3 + 0], ==, 1);
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
  g_assert_cmpuint (m->confusion[0], ==, 0);
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

  return g_test_run ();
}
