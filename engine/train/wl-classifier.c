/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-classifier.c: preprocessor + model + labels, loaded, saved and applied. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "models/wl-model-file.h"
#include "train/wl-classifier.h"
#include "wl-error.h"

#define PREDICT_CHUNK 65536   /* texts tokenised and featurised at a time */

struct _WlClassifier
{
  WlModel        *model;
  GPtrArray      *labels;
  WlPreprocessor *pp;
};

WlClassifier *
wl_classifier_new (WlModel    *model,
                   GPtrArray  *label_names,
                   GError    **error)
{
  WlClassifier *classifier;
  WlPreprocessor *pp;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (label_names != NULL && label_names->len == model->n_labels, NULL);

  pp = wl_preprocessor_new (&model->config->clean, &model->config->tokens, error);
  if (pp == NULL)
    {
      wl_model_free (model);
      g_ptr_array_unref (label_names);
      return NULL;
    }
  classifier = g_new0 (WlClassifier, 1);
  classifier->model = model;
  classifier->labels = label_names;
  classifier->pp = pp;
  return classifier;
}

WlClassifier *
wl_classifier_load (const char  *path,
                    GError     **error)
{
  GPtrArray *labels = NULL;
  WlModel *model;

  g_return_val_if_fail (path != NULL, NULL);

  model = wl_model_file_load (path, &labels, error);
  if (model == NULL)
    return NULL;
  return wl_classifier_new (model, labels, error);
}

gboolean
wl_classifier_save (const WlClassifier  *classifier,
                    const char          *path,
                    GError             **error)
{
  g_return_val_if_fail (classifier != NULL, FALSE);

  return wl_model_file_save (path, classifier->model,
                             (const char * const *) classifier->labels->pdata,
                             classifier->labels->len, error);
}

void
wl_classifier_free (WlClassifier *classifier)
{
  if (classifier == NULL)
    return;
  wl_model_free (classifier->model);
  g_ptr_array_unref (classifier->labels);
  wl_preprocessor_free (classifier->pp);
  g_free (classifier);
}

const WlModel *
wl_classifier_get_model (const WlClassifier *classifier)
{
  return classifier->model;
}

const WlPreprocessor *
wl_classifier_get_preprocessor (const WlClassifier *classifier)
{
  return classifier->pp;
}

guint
wl_classifier_get_n_labels (const WlClassifier *classifier)
{
  return classifier->labels->len;
}

const char *
wl_classifier_get_label (const WlClassifier *classifier,
                         guint               label)
{
  g_return_val_if_fail (label < classifier->labels->len, NULL);
  return g_ptr_array_index (classifier->labels, label);
}

int
wl_classifier_find_label (const WlClassifier *classifier,
                          const char         *name)
{
  guint index;

  if (g_ptr_array_find_with_equal_func (classifier->labels, name, g_str_equal, &index))
    return (int) index;
  return -1;
}

gboolean
wl_classifier_predict (const WlClassifier  *classifier,
                       const char * const  *texts,
                       gsize                n_texts,
                       guint                n_threads,
                       float               *probs,
                       GCancellable        *cancellable,
                       GError             **error)
{
  const WlModel *model = classifier->model;

  /* In chunks, so that a million texts never hold a million token lists. */
  for (gsize begin = 0; begin < n_texts; begin += PREDICT_CHUNK)
    {
      gsize n = MIN (PREDICT_CHUNK, n_texts - begin);
      WlTokenList *tokens = g_new0 (WlTokenList, n);
      WlFeatures *features;
      gboolean ok;

      if (!wl_preprocess_all (classifier->pp, texts + begin, n, n_threads, tokens, cancellable, error))
        {
          wl_token_lists_free (tokens, n);
          return FALSE;
        }
      features = wl_model_featurize (model, tokens, n, n_threads);
      wl_token_lists_free (tokens, n);
      ok = wl_model_predict_all (model, features, n, n_threads,
                                 probs + begin * model->n_labels, cancellable, error);
      wl_model_features_free (model, features);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

WlEvaluation *
wl_classifier_evaluate (const WlClassifier  *classifier,
                        const WlDataset     *dataset,
                        guint                n_threads,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint32 *truth = NULL;
  g_autofree float *probs = NULL;
  g_autofree guint32 *map = NULL;
  gsize n = wl_dataset_get_n_rows (dataset);
  guint n_model = classifier->labels->len;

  g_return_val_if_fail (dataset->labels->len == n, NULL);

  if (n == 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA, _("There are no labelled rows to evaluate on"));
      return NULL;
    }

  /* The model's labels first, then those only the data has. */
  for (guint i = 0; i < n_model; i++)
    g_ptr_array_add (names, g_strdup (g_ptr_array_index (classifier->labels, i)));
  map = g_new (guint32, wl_dataset_get_n_labels (dataset));
  for (guint i = 0; i < wl_dataset_get_n_labels (dataset); i++)
    {
      const char *name = g_ptr_array_index (dataset->label_names, i);
      int id = wl_classifier_find_label (classifier, name);

      if (id < 0)
        {
          id = names->len;
          g_ptr_array_add (names, g_strdup (name));
        }
      map[i] = id;
    }

  truth = g_new (guint32, n);
  for (gsize i = 0; i < n; i++)
    truth[i] = map[wl_dataset_get_label (dataset, i)];

  probs = g_try_new (float, n * n_model);
  if (probs == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED, _("Not enough memory to score %zu rows"), n);
      return NULL;
    }
  if (!wl_classifier_predict (classifier, (const char * const *) dataset->texts->pdata, n,
                              n_threads, probs, cancellable, error))
    return NULL;

  return wl_evaluation_new (names, n_model, probs, truth, NULL, n);
}
