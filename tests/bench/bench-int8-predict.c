/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-int8-predict MODEL.wlm FILE [ROUNDS]: int8 against fp32 prediction.
 *
 * Loads an fp32 model, makes its int8 variant, and predicts every text of
 * the labelled FILE with each in turn, one text at a time on one thread
 * (as a service would), ROUNDS times (default 7), alternating which goes
 * first so that a loaded machine slows both alike.  Prints the median
 * milliseconds per text of each and their ratio (goal: int8 / fp32 <= 1).
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
  g_autofree double *t32 = NULL, *t8 = NULL;
  g_autofree float *probs = NULL;

  if (argc < 3 || rounds == 0)
    {
      g_printerr ("usage: bench-int8-predict MODEL.wlm FILE [ROUNDS]\n");
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
  probs = g_new (float, wl_classifier_get_n_labels (fp32));
  t32 = g_new (double, rounds);
  t8 = g_new (double, rounds);
  for (guint r = 0; r < rounds; r++)
    {
      if (r % 2 == 0)
        {
          t32[r] = ms_per_text (fp32, data, probs);
          t8[r] = ms_per_text (int8, data, probs);
        }
      else
        {
          t8[r] = ms_per_text (int8, data, probs);
          t32[r] = ms_per_text (fp32, data, probs);
        }
    }
  qsort (t32, rounds, sizeof (double), compare_doubles);
  qsort (t8, rounds, sizeof (double), compare_doubles);
  g_print ("texts %zu, rounds %u\nfp32 %.4f ms/text\nint8 %.4f ms/text\nint8 / fp32 %.3f\n",
           wl_dataset_get_n_rows (data), rounds, t32[rounds / 2], t8[rounds / 2],
           t8[rounds / 2] / t32[rounds / 2]);
  return 0;
}
