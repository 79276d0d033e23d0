/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-fine-tune.c: a few more epochs for a pruned model.
 *
 * After pruning, the rows that stay were trained alongside those that
 * went; a short pass over the training data lets them take up the slack,
 * as fastText's `quantize -retrain` does.  The model trains as it did the
 * first time (its own optimiser and learning-rate schedule over
 * @n_epochs), on the rows it has now.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "train/wl-deploy-card.h"
#include "wl-error.h"

gboolean
wl_model_fine_tune (WlModel             *model,
                    const WlClassifier  *classifier,
                    const WlDataset     *train,
                    guint                n_epochs,
                    GCancellable        *cancellable,
                    GError             **error)
{
  gsize n = wl_dataset_get_n_rows (train);
  g_autofree guint32 *labels = NULL;
  WlTokenList *tokens;
  WlFeatures *features;
  WlTrainContext ctx = {
    .n_epochs = n_epochs,
    .n_threads = model->config->threads,
    .seed = model->config->data.seed,
    .cancellable = cancellable,
  };
  gboolean ok = TRUE;

  if (n == 0 || train->labels->len != n)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA,
                   _("fine-tuning needs the labelled training rows: give the training file"));
      return FALSE;
    }
  labels = g_new (guint32, n);
  for (gsize i = 0; i < n; i++)
    {
      const char *name = g_ptr_array_index (train->label_names, wl_dataset_get_label (train, i));
      int id = wl_classifier_find_label (classifier, name);

      if (id < 0)
        {
          g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                       _("the training rows have the label “%s”, which the model does not "
                         "know: fine-tune on the file the model was trained on"), name);
          return FALSE;
        }
      labels[i] = id;
    }

  tokens = g_new0 (WlTokenList, n);
  if (!wl_preprocess_all (wl_classifier_get_preprocessor (classifier),
                          (const char * const *) train->texts->pdata, n, ctx.n_threads, tokens,
                          cancellable, error))
    {
      wl_token_lists_free (tokens, n);
      return FALSE;
    }
  features = wl_model_featurize (model, tokens, n, ctx.n_threads);
  wl_token_lists_free (tokens, n);
  for (ctx.epoch = 0; ok && ctx.epoch < n_epochs; ctx.epoch++)
    {
      double loss;

      ok = wl_model_train_epoch (model, features, labels, &ctx, &loss, error);
    }
  wl_model_features_free (model, features);
  return ok;
}
