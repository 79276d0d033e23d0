/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model.c: the table of model classes and the calls that dispatch to them. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>

#include "wl-error.h"
#include "exec/wl-parallel.h"
#include "models/wl-model-private.h"
#include "models/wl-neural.h"
#include "text/wl-preprocess.h"

static const WlModelClass * const classes[WL_N_MODELS] = {
  [WL_MODEL_LINEAR] = &wl_linear_class,
  [WL_MODEL_EMBEDDING_BAG] = &wl_embedding_bag_class,
  [WL_MODEL_MLP] = &wl_mlp_class,
  [WL_MODEL_TEXTCNN] = &wl_textcnn_class,
  [WL_MODEL_LSTM] = &wl_lstm_class,
  [WL_MODEL_GRU] = &wl_gru_class,
};

const WlModelClass *
wl_model_class_for_type (WlModelType type)
{
  g_return_val_if_fail ((guint) type < WL_N_MODELS, NULL);

  return classes[type];
}

void
wl_model_resolve_config (WlConfig *config)
{
  const WlModelClass *klass;

  g_return_if_fail (config != NULL);

  klass = wl_model_class_for_type (config->model.type);
  g_return_if_fail (klass != NULL);

  if (config->model.device == NULL)
    config->model.device = g_strdup ("cpu");
  klass->resolve_config (config);
}

void
wl_model_resolve_text_config (WlConfig           *config,
                              const char * const *texts,
                              gsize               n_texts)
{
  g_return_if_fail (config != NULL);
  g_return_if_fail (texts != NULL || n_texts == 0);

  wl_model_resolve_config (config);
  wl_preprocess_resolve_config (&config->clean, &config->tokens, texts, n_texts);
}

void
wl_model_init (WlModel            *model,
               const WlModelClass *klass,
               const WlConfig     *config,
               guint               n_labels)
{
  model->klass = klass;
  model->config = wl_config_copy (config);
  model->n_labels = n_labels;
}

WlModel *
wl_model_new (const WlConfig *config,
              guint           n_labels)
{
  g_autoptr(WlConfig) resolved = NULL;
  const WlModelClass *klass;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (n_labels >= 2, NULL);

  klass = wl_model_class_for_type (config->model.type);
  g_return_val_if_fail (klass != NULL, NULL);

  resolved = wl_config_copy (config);
  wl_model_resolve_config (resolved);
  return klass->create (resolved, n_labels);
}

/* A model's free() releases its own data and the struct; the config is
 * released here. */
void
wl_model_free (WlModel *model)
{
  WlConfig *config;

  if (model == NULL)
    return;

  config = model->config;
  model->klass->free (model);
  wl_config_free (config);
}

/* The labels a model is built on: in range, and at least one. */
static gboolean
check_training_labels (const WlModel  *model,
                       const guint32  *labels,
                       gsize           n_docs,
                       GError        **error)
{
  for (gsize i = 0; i < n_docs; i++)
    g_return_val_if_fail (labels[i] < model->n_labels, FALSE);
  if (n_docs == 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA, _("there are no documents to train on"));
      return FALSE;
    }
  return TRUE;
}

gboolean
wl_model_build (WlModel            *model,
                const WlTokenList  *docs,
                const guint32      *labels,
                gsize               n_docs,
                guint               n_threads,
                GError            **error)
{
  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (docs != NULL || n_docs == 0, FALSE);
  g_return_val_if_fail (labels != NULL || n_docs == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return check_training_labels (model, labels, n_docs, error) &&
         model->klass->build (model, docs, labels, n_docs, n_threads, error);
}

WlFeatures *
wl_model_featurize (const WlModel     *model,
                    const WlTokenList *docs,
                    gsize              n_docs,
                    guint              n_threads)
{
  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (docs != NULL || n_docs == 0, NULL);

  return model->klass->featurize (model, docs, n_docs, n_threads);
}

gulong
wl_model_test_input_delay_us (void)
{
  const char *value = g_getenv ("WORDLOOM_TEST_INPUT_DELAY_US");

  return value != NULL ? (gulong) g_ascii_strtoull (value, NULL, 10) : 0;
}

gboolean
wl_model_features_on_disk (const WlFeatures *features)
{
  g_return_val_if_fail (features != NULL, FALSE);

  return features->on_disk;
}

gboolean
wl_model_type_builds_in_windows (WlModelType type)
{
  const WlModelClass *klass = wl_model_class_for_type (type);

  return klass != NULL && klass->build_add != NULL;
}

gboolean
wl_model_build_add (WlModel            *model,
                    const WlTokenList  *docs,
                    gsize               n_docs,
                    guint               n_threads,
                    GError            **error)
{
  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (model->klass->build_add != NULL, FALSE);
  g_return_val_if_fail (docs != NULL || n_docs == 0, FALSE);

  return model->klass->build_add (model, docs, n_docs, n_threads, error);
}

gboolean
wl_model_build_finish (WlModel        *model,
                       const guint32  *labels,
                       gsize           n_docs,
                       GError        **error)
{
  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (model->klass->build_finish != NULL, FALSE);
  g_return_val_if_fail (labels != NULL || n_docs == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return check_training_labels (model, labels, n_docs, error) &&
         model->klass->build_finish (model, labels, n_docs, error);
}

WlFeatures *
wl_model_features_new_on_disk (const WlModel  *model,
                               gsize           window,
                               GError        **error)
{
  g_return_val_if_fail (model != NULL, NULL);
  /* The models that build in windows share the CSR features. */
  g_return_val_if_fail (model->klass->build_add != NULL, NULL);

  return wl_features_new_on_disk (window, error);
}

gboolean
wl_model_featurize_more (const WlModel     *model,
                         WlFeatures        *features,
                         const WlTokenList *docs,
                         gsize              n_docs,
                         guint              n_threads,
                         GError           **error)
{
  g_autoptr(WlFeatures) more = NULL;

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (model->klass->build_add != NULL, FALSE);
  g_return_val_if_fail (features != NULL && features->on_disk, FALSE);

  more = wl_model_featurize (model, docs, n_docs, n_threads);
  if (more == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("Not enough memory for the features of %zu rows"), n_docs);
      return FALSE;
    }
  return wl_features_append_to_disk (features, more, error);
}

void
wl_model_features_free (const WlModel *model,
                        WlFeatures    *features)
{
  g_return_if_fail (model != NULL);

  if (features != NULL)
    model->klass->features_free (features);
}

gboolean
wl_model_train_epoch (WlModel              *model,
                      const WlFeatures     *features,
                      const guint32        *labels,
                      const WlTrainContext *ctx,
                      double               *loss,
                      GError              **error)
{
  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (features != NULL, FALSE);
  g_return_val_if_fail (labels != NULL || features->n_docs == 0, FALSE);
  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (gsize i = 0; i < features->n_docs; i++)
    g_return_val_if_fail (labels[i] < model->n_labels, FALSE);

  return model->klass->train_epoch (model, features, labels, ctx, loss, error);
}

void
wl_model_predict (const WlModel    *model,
                  const WlFeatures *features,
                  gsize             i,
                  float            *probs)
{
  g_return_if_fail (model != NULL);
  g_return_if_fail (features != NULL && i < features->n_docs);
  g_return_if_fail (probs != NULL);

  model->klass->predict (model, features, i, probs);
}

void
wl_model_copy_weights (WlModel       *dst,
                       const WlModel *src)
{
  g_return_if_fail (dst != NULL && src != NULL);
  g_return_if_fail (dst->klass == src->klass);
  g_return_if_fail (dst->n_labels == src->n_labels);

  src->klass->copy_weights (dst, src);
}

WlModel *
wl_model_clone (const WlModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);

  return model->klass->clone (model);
}

guint64
wl_model_n_parameters (const WlModel *model)
{
  g_return_val_if_fail (model != NULL, 0);

  return model->klass->n_parameters != NULL ? model->klass->n_parameters (model) : 0;
}

GBytes *
wl_model_save_state (const WlModel  *model,
                     GError        **error)
{
  g_autoptr(WlModelWriter) writer = NULL;
  GBytes *state;

  g_return_val_if_fail (model != NULL, NULL);

  if (model->klass->write_state == NULL)
    return NULL;
  writer = wl_model_writer_new ();
  if (!model->klass->write_state (model, writer, error))
    return NULL;
  if (wl_model_writer_get_size (writer) == 0)
    return NULL;
  state = wl_model_writer_steal (g_steal_pointer (&writer));
  if (state == NULL)
    g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                 _("Not enough memory to save the training state"));
  return state;
}

gboolean
wl_model_restore_state (WlModel     *model,
                        GBytes      *state,
                        const char  *name,
                        GError     **error)
{
  g_autoptr(WlModelReader) reader = NULL;
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (model != NULL && state != NULL, FALSE);

  if (model->klass->read_state == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("%s: the file is corrupted (training state for a %s model, which keeps none)"),
                   name, model->klass->name);
      return FALSE;
    }
  data = g_bytes_get_data (state, &len);
  reader = wl_model_reader_new (data, len, name);
  if (!model->klass->read_state (model, reader, error))
    return FALSE;
  if (wl_model_reader_remaining (reader) != 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("%s: the file is corrupted (its training state is longer than its settings make it)"),
                   name);
      return FALSE;
    }
  return TRUE;
}

double
wl_model_get_lr (const WlModel *model)
{
  g_return_val_if_fail (model != NULL, NAN);

  return model->klass->get_lr != NULL ? model->klass->get_lr (model) : NAN;
}

guint32
wl_model_get_storage (const WlModel *model)
{
  g_return_val_if_fail (model != NULL, 0);

  return model->klass->storage != NULL ? model->klass->storage (model) : 0;
}

gboolean
wl_model_prune (WlModel  *model,
                double    sparsity,
                GError  **error)
{
  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(sparsity >= 0.0 && sparsity <= WL_MODEL_MAX_SPARSITY))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("a pruning sparsity of %g is out of range: give a fraction of the rows "
                     "to drop from 0 to %.2f"), sparsity, WL_MODEL_MAX_SPARSITY);
      return FALSE;
    }
  if (model->klass->prune == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("%s models cannot be pruned: export it without pruning"), model->klass->name);
      return FALSE;
    }
  if (wl_model_get_storage (model) & WL_MODEL_STORAGE_INT8)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("this model is already quantised to int8: prune the fp32 model, "
                     "then quantise it"));
      return FALSE;
    }
  return model->klass->prune (model, sparsity, error);
}

gboolean
wl_model_quantize (WlModel  *model,
                   GError  **error)
{
  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (model->klass->quantize == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("%s models cannot be quantised to int8: export it in fp32"), model->klass->name);
      return FALSE;
    }
  if (wl_model_get_storage (model) & WL_MODEL_STORAGE_INT8)
    return TRUE;
  return model->klass->quantize (model, error);
}

double
wl_softmax (float   *scores,
            guint    n,
            guint32  label)
{
  float max = scores[0];
  float shifted = 0.f;
  double sum = 0.0;

  for (guint k = 1; k < n; k++)
    max = MAX (max, scores[k]);
  if (label < n)
    shifted = scores[label] - max;
  for (guint k = 0; k < n; k++)
    {
      scores[k] = expf (scores[k] - max);
      sum += scores[k];
    }
  for (guint k = 0; k < n; k++)
    scores[k] = (float) (scores[k] / sum);

  /* From the logits, so that a tiny p keeps its precision and NaN or
   * infinite scores give a NaN loss. */
  return label < n ? log (sum) - shifted : 0.0;
}

float *
wl_model_read_floats (WlModelReader  *reader,
                      guint64         n,
                      GError        **error)
{
  g_autofree float *v = NULL;

  if (!wl_model_reader_expect (reader, n, sizeof (float), error))
    return NULL;
  v = g_try_new (float, MAX (n, 1));
  if (v == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory to load %" PRIu64 " weights"), n);
      return NULL;
    }
  if (!wl_model_reader_get_weights (reader, v, n, error))
    return NULL;
  return g_steal_pointer (&v);
}

typedef struct
{
  const WlModel    *model;
  const WlFeatures *features;
  float            *probs;
} PredictJob;

static void
predict_range (gsize    begin,
               gsize    end,
               gpointer data,
               guint    worker)
{
  PredictJob *job = data;
  guint n_labels = job->model->n_labels;

  for (gsize i = begin; i < end; i++)
    wl_model_predict (job->model, job->features, i, job->probs + i * n_labels);
}

gboolean
wl_model_predict_all (const WlModel    *model,
                      const WlFeatures *features,
                      gsize             n,
                      guint             n_threads,
                      float            *probs,
                      GCancellable     *cancellable,
                      GError          **error)
{
  g_autoptr(WlFeatures) window = NULL;
  PredictJob job = { model, features, probs };

  if (!features->on_disk)
    return wl_parallel_for (n, 0, n_threads, predict_range, &job, cancellable, error);

  /* On disk: a window of rows at a time, read in order. */
  window = g_new0 (WlFeatures, 1);
  job.features = window;
  for (gsize first = 0; first < n; first += features->window)
    {
      gsize len = MIN (features->window, n - first);

      job.probs = probs + first * model->n_labels;
      if (!wl_features_read_rows (features, NULL, first, len, window, error) ||
          !wl_parallel_for (len, 0, n_threads, predict_range, &job, cancellable, error))
        return FALSE;
    }
  return TRUE;
}
