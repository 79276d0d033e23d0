/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-int8-predict MODEL.wlm FILE [ROUNDS [THREADS]]: int8 against fp32
 * prediction.
 *
 * Loads an fp32 model, makes its int8 variant, and predicts every text of
 * the labelled FILE with each in turn, ROUNDS times (default 7), alternating
 * which goes first so that a loaded machine slows both alike: one text at
 * a time on one thread (as a service would), then the whole file in one
 * call on THREADS threads (default 1; 0: all cores), in batches as the
 * deployment card's texts per second.  Prints the medians of each and
 * int8 / fp32 time (goal: <= 1 for both).
 */
#include <stdlib.h>

#include "train/wl-deploy-card.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
ms_per_text (const WlClassifier *classifier,
             const WlDataset    *data,
             float              *probs)
{
  gsize n = wl_dataset_get_n_rows (data);
  gint64 start = g_get_monotonic_time ();

  for (gsize i = 0; i < n; i++)
    {
      const char *text = wl_dataset_get_text (data, i);

      g_assert_true (wl_classifier_predict (classifier, &text, 1, 1, probs, NULL, NULL));
    }
  return (g_get_monotonic_time () - start) / 1000.0 / n;
}

/* Milliseconds per text of the whole file predicted in one call. */
static double
ms_per_text_batched (const WlClassifier *classifier,
                     const WlDataset    *data,
                     guint               n_threads,
                     float              *probs)
{
  gsize n = wl_dataset_get_n_rows (data);
  g_autofree const char **texts = g_new (const char *, n);
  gint64 start;

  for (gsize i = 0; i < n; i++)
    texts[i] = wl_dataset_get_text (data, i);
  start = g_get_monotonic_time ();
  g_assert_true (wl_classifier_predict (classifier, texts, n, n_threads, probs, NULL, NULL));
  return (g_get_monotonic_time () - start) / 1000.0 / n;
}

/* Times @rounds rounds of @measure on each model, alternating which goes
 * first; the medians into *@fp32_ms and *@int8_ms. */
typedef double (*MeasureFunc) (const WlClassifier *, const WlDataset *, guint, float *);

static void
medians (MeasureFunc         measure,
         const WlClassifier *fp32,
         const WlClassifier *int8,
         const WlDataset    *data,
         guint               n_threads,
         guint               rounds,
         float              *probs,
         double             *fp32_ms,
         double             *int8_ms)
{
  g_autofree double *t32 = g_new (double, rounds), *t8 = g_new (double, rounds);

  for (guint r = 0; r < rounds; r++)
    {
      if (r % 2 == 0)
        {
          t32[r] = measure (fp32, data, n_threads, probs);
          t8[r] = measure (int8, data, n_threads, probs);
        }
      else
        {
          t8[r] = measure (int8, data, n_threads, probs);
          t32[r] = measure (fp32, data, n_threads, probs);
        }
    }
  qsort (t32, rounds, sizeof (double), compare_doubles);
  qsort (t8, rounds, sizeof (double), compare_doubles);
  *fp32_ms = t32[rounds / 2];
  *int8_ms = t8[rounds / 2];
}

static double
one_at_a_time (const WlClassifier *classifier,
               const WlDataset    *data,
               guint               n_threads,
               float              *probs)
{
  return ms_per_text (classifier, data, probs);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WlClassifier) fp32 = NULL;
  g_autoptr(WlClassifier) int8 = NULL;
  g_autoptr(WlDataset) data = NULL;
  WlLoadOptions options = { 0 };
  WlVariant variant = { .int8 = TRUE };
  guint rounds = argc > 3 ? (guint) atoi (argv[3]) : 7;
  guint n_threads = argc > 4 ? (guint) atoi (argv[4]) : 1;
  double one32, one8, all32, all8;
  g_autofree float *probs = NULL;

  if (argc < 3 || rounds == 0)
    {
      g_printerr ("usage: bench-int8-predict MODEL.wlm FILE [ROUNDS [THREADS]]\n");
      return 2;
    }
  fp32 = wl_classifier_load (argv[1], &error);
  if (fp32 != NULL)
    int8 = wl_classifier_new_variant (fp32, &variant, NULL, NULL, &error);
  if (int8 != NULL)
    {
      options.quotes = wl_classifier_get_model (fp32)->config->data.quotes;
      options.label_optional = TRUE;
      data = wl_dataset_load (argv[2], &options, NULL, NULL, NULL, &error);
    }
  if (data == NULL)
    {
      g_printerr ("bench-int8-predict: %s\n", error->message);
      return 1;
    }
  probs = g_new (float, wl_dataset_get_n_rows (data) * wl_classifier_get_n_labels (fp32));
  medians (one_at_a_time, fp32, int8, data, 1, rounds, probs, &one32, &one8);
  medians (ms_per_text_batched, fp32, int8, data, n_threads, rounds, probs, &all32, &all8);
  g_print ("texts %zu, rounds %u, threads %u\n"
           "one at a time: fp32 %.4f ms/text, int8 %.4f ms/text, int8 / fp32 %.3f\n"
           "whole file:    fp32 %.0f texts/s, int8 %.0f texts/s, int8 / fp32 time %.3f\n",
           wl_dataset_get_n_rows (data), rounds, n_threads, one32, one8, one8 / one32,
           1000.0 / all32, 1000.0 / all8, all8 / all32);
  return 0;
}
