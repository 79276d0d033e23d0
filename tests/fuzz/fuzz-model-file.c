/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-model-file.c: libFuzzer target for the model file reader
 * (wl_model_file_from_bytes, what `predict`, `eval`, `inspect` and the app
 * load).
 *
 * Each input is read twice: as it is (magic, version, size and checksum
 * checks), and re-sealed (its size field and checksum rewritten) so that
 * mutations reach the parser behind the checksum.  A model that loads must
 * predict: probabilities that sum to 1 for two short texts. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "models/wl-model-file.h"
#include "train/wl-classifier.h"
#include "wl-error.h"

static void
load (const guint8 *data,
      gsize         size)
{
  const char *texts[] = { "the parcel never arrived", "我忘记了密码 again" };
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(WlClassifier) classifier = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *probs = NULL;
  WlModel *model;
  guint n_labels;

  model = wl_model_file_from_bytes (data, size, "fuzz.wlm", &labels, &error);
  if (model == NULL)
    {
      g_assert_true (error != NULL && error->domain == WL_ERROR && *error->message != '\0');
      return;
    }
  classifier = wl_classifier_new (model, g_steal_pointer (&labels), &error);
  if (classifier == NULL)
    {
      g_assert_true (error != NULL && *error->message != '\0');
      return;
    }
  n_labels = wl_classifier_get_n_labels (classifier);
  probs = g_new0 (float, G_N_ELEMENTS (texts) * n_labels);
  if (!wl_classifier_predict (classifier, texts, G_N_ELEMENTS (texts), 1, probs, NULL, &error))
    {
      g_assert_true (error != NULL && *error->message != '\0');
      return;
    }
  for (gsize t = 0; t < G_N_ELEMENTS (texts); t++)
    {
      double sum = 0.0;

      for (guint k = 0; k < n_labels; k++)
        sum += probs[t * n_labels + k];
      /* NaN weights may give NaN, never garbage. */
      g_assert_true (isnan (sum) || fabs (sum - 1.0) < 1e-3);
    }
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree guint8 *sealed = NULL;
  guint64 size_le, sum_le;
  gsize body;

  load (data, size);
  if (size < WL_MODEL_FILE_SIZE_OFFSET + 8 + WL_MODEL_FILE_CHECKSUM_LEN)
    return 0;
  sealed = g_memdup2 (data, size);
  body = size - WL_MODEL_FILE_CHECKSUM_LEN;
  size_le = GUINT64_TO_LE ((guint64) size);
  memcpy (sealed + WL_MODEL_FILE_SIZE_OFFSET, &size_le, 8);
  sum_le = GUINT64_TO_LE (wl_model_file_checksum (sealed, body));
  memcpy (sealed + body, &sum_le, 8);
  load (sealed, size);
  return 0;
}
