/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-neural.c: the neural models (mlp, textcnn, lstm, gru): gradients,
 * learning, packing, checkpoints, files, optimisers and backends. */
#include <math.h>
#include <string.h>

#include "wl-error.h"
#include "compute/wl-ops.h"
#include "eval/wl-metrics.h"
#include "models/wl-model-file.h"
#include "models/wl-neural-private.h"
#include "models-test-util.h"

typedef struct
{
  const char  *name;
  WlModelType  type;
  guint        layers;
  gboolean     bidirectional;
  double       dropout;
  gboolean     basic;     /* the plain one of its model */
} Variant;

static const Variant variants[] = {
  { "mlp", WL_MODEL_MLP, 2, FALSE, 0.3, TRUE },
  { "textcnn", WL_MODEL_TEXTCNN, 0, FALSE, 0.3, TRUE },
  { "lstm", WL_MODEL_LSTM, 1, FALSE, 0.0, TRUE },
  { "lstm-2-bidirectional", WL_MODEL_LSTM, 2, TRUE, 0.2, FALSE },
  { "gru", WL_MODEL_GRU, 1, FALSE, 0.0, TRUE },
  { "gru-2-bidirectional", WL_MODEL_GRU, 2, TRUE, 0.2, FALSE },
};

/* A small model of @v's kind. */
static WlConfig *
variant_config (const Variant *v)
{
  WlConfig *config = test_config_new (v->type);

  config->model.dim = 6;
  config->model.hidden = 5;
  config->model.layers = v->layers;
  config->model.bidirectional = v->bidirectional;
  config->model.dropout = v->dropout;
  config->model.filter_widths = g_strdup ("2,3");
  config->model.filters = 4;
  config->model.batch_size = 8;
  config->model.lr = 0.02;
  return config;
}

static WlModel *
build (const WlConfig  *config,
       const TestData  *data,
       WlFeatures     **features)
{
  g_autoptr(GError) error = NULL;
  WlModel *model = wl_model_new (config, N_CLASSES);

  g_assert_true (wl_model_build (model, data->docs, data->labels, data->n, 1, &error));
  g_assert_no_error (error);
  if (features != NULL)
    *features = wl_model_featurize (model, data->docs, data->n, 1);
  return model;
}

static double
epoch (WlModel          *model,
       const WlFeatures *features,
       const guint32    *labels,
       guint             e,
       guint             n_epochs)
{
  g_autoptr(GError) error = NULL;
  WlTrainContext ctx = { .epoch = e, .n_epochs = n_epochs, .n_threads = 1, .seed = 3 };
  double loss = NAN;

  g_assert_true (wl_model_train_epoch (model, features, labels, &ctx, &loss, &error));
  g_assert_no_error (error);
  g_assert_true (isfinite (loss));
  return loss;
}

static double
accuracy (const WlModel  *model,
          const TestData *data)
{
  g_autoptr(WlMetrics) metrics = wl_metrics_new (N_CLASSES);
  WlFeatures *features = wl_model_featurize (model, data->docs, data->n, 1);

  for (gsize i = 0; i < data->n; i++)
    {
      float probs[N_CLASSES];

      wl_model_predict (model, features, i, probs);
      wl_metrics_add (metrics, data->labels[i], wl_argmax (probs, N_CLASSES), probs);
    }
  wl_model_features_free (model, features);
  wl_metrics_finish (metrics);
  return metrics->accuracy;
}

static void
predict_all (const WlModel    *model,
             const WlFeatures *features,
             float            *probs)
{
  for (gsize i = 0; i < features->n_docs; i++)
    wl_model_predict (model, features, i, probs + i * N_CLASSES);
}

static double
loss_of (WlModel          *model,
         const WlFeatures *features,
         const TestData   *data)
{
  g_autoptr(GError) error = NULL;
  double loss;

  g_assert_true (wl_neural_loss_and_grad (model, features, data->labels, data->n, &loss, &error));
  g_assert_no_error (error);
  return loss;
}

/* Gradients: central differences on the reference backend */

static void
check_weight (WlModel          *model,
              const WlFeatures *features,
              const TestData   *data,
              WlParam          *param,
              gsize             i,
              float             analytic)
{
  const float eps = 5e-3f;
  float saved = param->host[i];
  double plus, minus, numeric;

  param->host[i] = saved + eps;
  wl_neural_host_changed (model);
  plus = loss_of (model, features, data);
  param->host[i] = saved - eps;
  wl_neural_host_changed (model);
  minus = loss_of (model, features, data);
  param->host[i] = saved;
  wl_neural_host_changed (model);
  numeric = (plus - minus) / (2 * eps);
  if (fabs (numeric - analytic) > 1e-4 + 5e-3 * fabs (analytic))
    g_error ("%s[%" G_GSIZE_FORMAT "]: gradient %g, finite differences %g",
             param->name, i, analytic, numeric);
}

static void
test_gradient (gconstpointer user_data)
{
  const Variant *v = user_data;
  g_autoptr(WlConfig) config = variant_config (v);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  WlBackend *backend = wl_backend_open ("cpu", 1, &error);
  TestData data;
  WlFeatures *features;
  WlModel *model;
  WlParam *params;
  float *grads[WL_NEURAL_MAX_PARAMS];
  guint n_params, checked = 0;

  g_assert_no_error (error);
  test_data_generate (&data, 10, 21);
  model = build (config, &data, &features);
  wl_neural_set_backend (model, backend);
  /* Large embeddings, so that few pre-activations sit near a ReLU's kink
   * or tie for a maximum, where finite differences are meaningless. */
  params = wl_neural_get_params (model, &n_params);
  for (guint p = 0; p < n_params; p++)
    for (gsize i = 0; params[p].kind == WL_PARAM_ROWS && i < wl_param_size (&params[p]); i++)
      params[p].host[i] *= 10.f;
  wl_neural_host_changed (model);
  loss_of (model, features, &data);
  /* All the gradients first: checking a weight runs the model again. */
  for (guint p = 0; p < n_params; p++)
    {
      gsize n = (gsize) params[p].rows * params[p].cols;

      grads[p] = g_new (float, n);
      g_assert_true (wl_buffer_read (params[p].g, 0, grads[p], n, &error));
    }
  for (guint p = 0; p < n_params; p++)
    {
      WlParam *param = &params[p];
      gsize n = (gsize) param->rows * param->cols, top = 0;
      float *grad = grads[p];

      for (gsize i = 1; i < n; i++)
        if (fabsf (grad[i]) > fabsf (grad[top]))
          top = i;
      g_assert_cmpfloat (fabsf (grad[top]), >, 0.f);
      check_weight (model, features, &data, param, top, grad[top]);
      /* And two more, where the gradient is not zero. */
      for (guint k = 0, tries = 0; k < 2 && tries < 200; tries++)
        {
          gsize i = g_rand_int_range (rand, 0, (gint32) n);

          if (grad[i] != 0.f)
            {
              check_weight (model, features, &data, param, i, grad[i]);
              k++;
            }
        }
      checked++;
    }
  g_assert_cmpuint (checked, ==, n_params);
  for (guint p = 0; p < n_params; p++)
    g_free (grads[p]);
  wl_model_features_free (model, features);
  wl_model_free (model);
  wl_backend_close (backend);
  test_data_clear (&data);
}

/* Packing and padding change nothing: a batch scores each of its texts as
 * that text alone. */
static void
test_packing (gconstpointer user_data)
{
  const Variant *v = user_data;
  g_autoptr(WlConfig) config = variant_config (v);
  g_autoptr(GError) error = NULL;
  WlBackend *backend = wl_backend_open ("cpu", 1, &error);
  TestData data;
  WlFeatures *features;
  WlModel *model;
  guint32 docs[12];
  float all[12 * N_CLASSES], one[N_CLASSES];

  test_data_generate (&data, 12, 31);
  model = build (config, &data, &features);
  wl_neural_set_backend (model, backend);
  for (guint32 i = 0; i < 12; i++)
    docs[i] = 11 - i;
  g_assert_true (wl_neural_logits (model, features, docs, 12, all, &error));
  for (guint32 i = 0; i < 12; i++)
    {
      g_assert_true (wl_neural_logits (model, features, &docs[i], 1, one, &error));
      g_assert_no_error (error);
      for (guint k = 0; k < N_CLASSES; k++)
        g_assert_cmpfloat_with_epsilon (one[k], all[i * N_CLASSES + k], 1e-5);
    }
  wl_model_features_free (model, features);
  wl_model_free (model);
  wl_backend_close (backend);
  test_data_clear (&data);
}

/* Learning, checkpoints, files */

typedef struct
{
  TestData train;
  TestData test;
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  test_data_generate (&fx->train, 300, 11);
  test_data_generate (&fx->test, 150, 12);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  test_data_clear (&fx->train);
  test_data_clear (&fx->test);
}

static WlModel *
train (const Variant  *v,
       const TestData *data,
       guint           n_epochs)
{
  g_autoptr(WlConfig) config = variant_config (v);
  WlFeatures *features;
  WlModel *model;
  double first = 0.0, loss = 0.0;

  config->model.dim = 16;
  config->model.hidden = 16;
  config->model.filters = 8;
  config->model.lr = 0.01;
  model = build (config, data, &features);
  for (guint e = 0; e < n_epochs; e++)
    {
      loss = epoch (model, features, data->labels, e, n_epochs);
      if (e == 0)
        first = loss;
    }
  if (n_epochs > 1)
    g_assert_cmpfloat (loss, <, first);
  wl_model_features_free (model, features);
  return model;
}

static void
test_learns (Fixture       *fx,
             gconstpointer  user_data)
{
  const Variant *v = user_data;
  g_autoptr(WlModel) model = train (v, &fx->train, 6);
  double acc = accuracy (model, &fx->test);

  g_test_message ("%s: accuracy %.3f", v->name, acc);
  g_assert_cmpfloat (acc, >, 0.9);
}

static void
test_checkpoint (Fixture       *fx,
                 gconstpointer  user_data)
{
  const Variant *v = user_data;
  g_autoptr(WlModel) model = train (v, &fx->train, 1);
  g_autoptr(WlModel) best = wl_model_clone (model);
  WlFeatures *features = wl_model_featurize (model, fx->test.docs, fx->test.n, 1);
  gsize size = fx->test.n * N_CLASSES * sizeof (float);
  g_autofree float *before = g_malloc (size);
  g_autofree float *after = g_malloc (size);

  predict_all (model, features, before);
  predict_all (best, features, after);
  g_assert_cmpmem (before, size, after, size);
  g_assert_cmpuint (wl_model_n_parameters (best), ==, wl_model_n_parameters (model));

  epoch (model, features, fx->test.labels, 1, 3);
  predict_all (model, features, after);
  g_assert_true (memcmp (before, after, size) != 0);
  predict_all (best, features, after);
  g_assert_cmpmem (before, size, after, size);

  wl_model_copy_weights (model, best);
  predict_all (model, features, after);
  g_assert_cmpmem (before, size, after, size);
  wl_model_features_free (model, features);
}

static void
test_predict (Fixture       *fx,
              gconstpointer  user_data)
{
  g_autoptr(WlModel) model = train (user_data, &fx->train, 1);
  g_autoptr(WlModel) loaded = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *unknown[] = { "zzz", "never", "seen", NULL };
  WlTokenList odd[2] = { { 0 } };
  WlFeatures *features = wl_model_featurize (model, fx->test.docs, fx->test.n, 2);
  gsize size = fx->test.n * N_CLASSES * sizeof (float);
  g_autofree float *serial = g_malloc (size);
  g_autofree float *probs = g_malloc (size);

  /* In any order, on any number of threads: the same scores. */
  predict_all (model, features, serial);
  g_assert_true (wl_model_predict_all (model, features, fx->test.n, 2, probs, NULL, NULL));
  g_assert_cmpmem (serial, size, probs, size);
  for (gsize i = 0; i < fx->test.n; i++)
    {
      float sum = 0.f;

      for (guint k = 0; k < N_CLASSES; k++)
        sum += serial[i * N_CLASSES + k];
      g_assert_cmpfloat_with_epsilon (sum, 1.f, 1e-5);
    }

  /* Saved and loaded: the same scores. */
  bytes = wl_model_file_to_bytes (model, test_label_names, N_CLASSES, &error);
  g_assert_no_error (error);
  loaded = wl_model_file_from_bytes (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                     "m.wlm", NULL, &error);
  g_assert_no_error (error);
  predict_all (loaded, features, probs);
  g_assert_cmpmem (serial, size, probs, size);
  wl_model_features_free (model, features);

  /* Unknown words and empty texts. */
  test_token_list_set (&odd[0], unknown);
  test_token_list_set (&odd[1], NULL);
  features = wl_model_featurize (model, odd, 2, 1);
  for (gsize i = 0; i < 2; i++)
    {
      float probs[N_CLASSES], sum = 0.f;

      wl_model_predict (model, features, i, probs);
      for (guint k = 0; k < N_CLASSES; k++)
        sum += probs[k];
      g_assert_cmpfloat_with_epsilon (sum, 1.f, 1e-5);
      g_free (odd[i].buf);
      g_free (odd[i].offsets);
    }
  wl_model_features_free (model, features);
}

typedef struct
{
  GCancellable *cancellable;
  guint         calls;
  guint64       done;
  guint64       total;
} CancelState;

static void
cancel_on_progress (guint64 done, guint64 total, guint64 tokens, double mean_loss, gpointer data)
{
  CancelState *state = data;

  state->calls++;
  state->done = done;
  state->total = total;
  g_assert_cmpuint (tokens, >, 0);
  g_assert_true (isfinite (mean_loss));
  g_cancellable_cancel (state->cancellable);
}

static void
test_cancel (Fixture       *fx,
             gconstpointer  user_data)
{
  g_autoptr(WlConfig) config = variant_config (user_data);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CancelState state = { .cancellable = cancellable };
  WlTrainContext ctx = {
    .n_epochs = 2, .n_threads = 1, .seed = 1, .cancellable = cancellable,
    .progress = cancel_on_progress, .progress_data = &state,
  };
  WlFeatures *features;
  g_autoptr(WlModel) model = build (config, &fx->train, &features);

  g_assert_false (wl_model_train_epoch (model, features, fx->train.labels, &ctx, NULL, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_CANCELLED);
  g_assert_cmpuint (state.calls, ==, 1);
  g_assert_cmpuint (state.done, <, state.total);
  g_assert_cmpuint (state.total, ==, fx->train.n);
  wl_model_features_free (model, features);
}

static void
test_diverged (Fixture       *fx,
               gconstpointer  user_data)
{
  const double bad_lr[] = { NAN, 1e30 };

  for (guint b = 0; b < G_N_ELEMENTS (bad_lr); b++)
    {
      g_autoptr(WlConfig) config = variant_config (user_data);
      g_autoptr(WlModel) model = NULL;
      g_autoptr(GError) error = NULL;
      WlTrainContext ctx = { .n_epochs = 3, .n_threads = 1, .seed = 1 };
      WlFeatures *features;
      double loss = -1.0;

      config->model.lr = bad_lr[b];
      model = build (config, &fx->train, &features);
      for (ctx.epoch = 0; ctx.epoch < ctx.n_epochs && error == NULL; ctx.epoch++)
        wl_model_train_epoch (model, features, fx->train.labels, &ctx, &loss, &error);
      g_assert_error (error, WL_ERROR, WL_ERROR_DIVERGED);
      g_assert_cmpstr (error->message, ==, "training diverged at epoch 1: lower the learning rate");
      g_assert_cmpfloat (loss, ==, -1.0);
      wl_model_features_free (model, features);
    }
}

/* Settings */

static void
test_defaults (void)
{
  g_autoptr(WlConfig) config = test_config_new (WL_MODEL_LSTM);
  g_autoptr(WlModel) lstm = wl_model_new (config, 2);
  g_autoptr(WlModel) textcnn = NULL;
  const WlModelConfig *m = &lstm->config->model;

  /* The reference architecture: Embedding 128 → LSTM 64 → Linear, Adam. */
  g_assert_cmpuint (m->dim, ==, 128);
  g_assert_cmpuint (m->hidden, ==, 64);
  g_assert_cmpuint (m->layers, ==, 1);
  g_assert_false (m->bidirectional);
  g_assert_cmpint (m->optimizer, ==, WL_OPTIMIZER_ADAM);
  g_assert_cmpfloat (m->lr, ==, 1e-3);
  g_assert_cmpfloat (m->max_norm, ==, 0.0);   /* no constraint unless asked for */
  g_assert_cmpuint (m->batch_size, ==, 32);
  /* A generous maximum: early stopping ends training (test-run). */
  g_assert_cmpuint (m->epochs, ==, 50);
  g_assert_cmpint (m->schedule, !=, WL_SCHEDULE_AUTO);
  g_assert_cmpuint (m->max_length, >, 0);
  /* "cpu" means OpenBLAS for these models. */
  g_assert_cmpstr (m->device, ==, "blas");

  config->model.type = WL_MODEL_TEXTCNN;
  config->model.optimizer = WL_OPTIMIZER_ADAMW;
  textcnn = wl_model_new (config, 2);
  g_assert_cmpstr (textcnn->config->model.filter_widths, ==, "3,4,5");
  g_assert_cmpuint (textcnn->config->model.filters, ==, 100);
  g_assert_cmpfloat (textcnn->config->model.weight_decay, ==, 0.01);
  g_assert_cmpfloat (textcnn->config->model.dropout, ==, 0.5);
  /* Kim's (2014) sizes, its own rather than the other neural models'. */
  g_assert_cmpuint (textcnn->config->model.dim, ==, 300);
  g_assert_cmpuint (textcnn->config->model.batch_size, ==, 50);
  /* The caller's config is left alone. */
  g_assert_cmpuint (config->model.hidden, ==, 0);
}

/* A clipped step: plain SGD at learning rate 1 moves the weights by
 * exactly the clipping norm. */
static void
test_clipping (void)
{
  g_autoptr(GError) error = NULL;
  WlBackend *backend = wl_backend_open ("cpu", 1, &error);
  g_autoptr(WlConfig) config = variant_config (&variants[2]);
  WlModel *model;
  WlFeatures *features;
  WlParam *params;
  guint n_params;
  TestData data;
  GPtrArray *before = g_ptr_array_new_with_free_func (g_free);
  double moved = 0.0;

  config->model.optimizer = WL_OPTIMIZER_SGD;
  config->model.momentum = 0.0;
  config->model.lr = 1.0;
  config->model.clip = 1e-3;
  config->model.batch_size = 16;
  test_data_generate (&data, 16, 41);
  model = build (config, &data, &features);
  wl_neural_set_backend (model, backend);
  params = wl_neural_get_params (model, &n_params);
  for (guint p = 0; p < n_params; p++)
    g_ptr_array_add (before, g_memdup2 (params[p].host, wl_param_size (&params[p]) * sizeof (float)));
  epoch (model, features, data.labels, 0, 1);
  params = wl_neural_get_params (model, &n_params);
  for (guint p = 0; p < n_params; p++)
    for (gsize i = 0; i < wl_param_size (&params[p]); i++)
      {
        double d = params[p].host[i] - ((const float *) g_ptr_array_index (before, p))[i];

        moved += d * d;
      }
  g_assert_cmpfloat_with_epsilon (sqrt (moved), 1e-3, 1e-5);
  g_ptr_array_unref (before);
  wl_model_features_free (model, features);
  wl_model_free (model);
  wl_backend_close (backend);
  test_data_clear (&data);
}

/* The largest norm of the columns of "output.weight" (one per label), and
 * the smallest. */
static void
output_norms (WlModel *model,
              double  *largest,
              double  *smallest)
{
  guint n_params;
  WlParam *params = wl_neural_get_params (model, &n_params);

  *largest = 0.0;
  *smallest = INFINITY;
  for (guint p = 0; p < n_params; p++)
    if (g_str_equal (params[p].name, "output.weight"))
      for (guint k = 0; k < params[p].cols; k++)
        {
          double sum = 0.0;

          for (guint r = 0; r < params[p].rows; r++)
            sum += (double) params[p].host[r * params[p].cols + k] * params[p].host[r * params[p].cols + k];
          *largest = MAX (*largest, sqrt (sum));
          *smallest = MIN (*smallest, sqrt (sum));
        }
  g_assert_true (isfinite (*smallest));
}

/* Kim's max-norm constraint: after every step, a label's output weights
 * are no longer than max_norm, and those a step took above it are scaled
 * back to it exactly; without it they grow past. */
static void
test_max_norm (void)
{
  const double max_norm = 0.3;
  g_autoptr(WlConfig) config = variant_config (&variants[1]);
  TestData data;

  config->model.lr = 0.05;
  test_data_generate (&data, 40, 43);
  for (guint constrained = 0; constrained < 2; constrained++)
    {
      g_autoptr(GError) error = NULL;
      WlBackend *backend = wl_backend_open ("cpu", 1, &error);
      WlFeatures *features;
      WlModel *model;
      double largest, smallest;

      config->model.max_norm = constrained ? max_norm : 0.0;
      model = build (config, &data, &features);
      g_assert_cmpfloat (model->config->model.max_norm, ==, config->model.max_norm);
      wl_neural_set_backend (model, backend);
      for (guint e = 0; e < 3; e++)
        epoch (model, features, data.labels, e, 3);
      output_norms (model, &largest, &smallest);
      if (constrained)
        {
          g_assert_cmpfloat_with_epsilon (largest, max_norm, 1e-5);
          g_assert_cmpfloat (smallest, <=, max_norm + 1e-5);
        }
      else
        g_assert_cmpfloat (largest, >, max_norm + 0.01);
      wl_model_features_free (model, features);
      wl_model_free (model);
      wl_backend_close (backend);
    }
  test_data_clear (&data);
}

/* Backends and precision */

/* The same model trained for a few steps (dropout included) on every
 * backend scores alike. */
static void
test_backends (gconstpointer user_data)
{
  const Variant *v = user_data;
  g_autoptr(GPtrArray) devices = wl_backend_list_devices (NULL);
  g_autoptr(WlConfig) config = variant_config (v);
  TestData data;
  WlFeatures *features;
  WlModel *model;
  float ref[40 * N_CLASSES], got[40 * N_CLASSES];
  guint compared = 0;

  test_data_generate (&data, 40, 51);
  model = build (config, &data, &features);
  for (guint d = 0; d <= devices->len; d++)
    {
      /* First the reference, then every other device. */
      const char *id = d == 0 ? "cpu" : ((const WlDeviceInfo *) g_ptr_array_index (devices, d - 1))->id;
      g_autoptr(WlModel) copy = NULL;
      g_autoptr(GError) error = NULL;
      WlBackend *backend;

      if (d > 0 && g_str_equal (id, "cpu"))
        continue;
      backend = wl_backend_open (id, 1, &error);
      g_assert_no_error (error);
      copy = wl_model_clone (model);
      wl_neural_set_backend (copy, backend);
      epoch (copy, features, data.labels, 0, 2);
      epoch (copy, features, data.labels, 1, 2);
      predict_all (copy, features, d == 0 ? ref : got);
      g_clear_pointer (&copy, wl_model_free);
      wl_backend_close (backend);
      if (d == 0)
        continue;
      for (gsize i = 0; i < G_N_ELEMENTS (got); i++)
        if (fabsf (got[i] - ref[i]) > 1e-3f)
          g_error ("%s on %s: probability %g, reference %g", v->name, id, got[i], ref[i]);
      compared++;
    }
  g_test_message ("%s: %u devices against the reference", v->name, compared);
  g_assert_cmpuint (compared, >=, 1);   /* blas at least */
  wl_model_features_free (model, features);
  wl_model_free (model);
  test_data_clear (&data);
}

/* @x rounded to the nearest value with @bits significant bits (ties to
 * even, as the current rounding mode does) and no exponent below
 * @min_exp: fp16 is 11 bits down to 2^-24, bf16 8 bits (fp32's range).
 * Written from the formats' definitions, apart from the engine's. */
static float
round_to_bits (float x,
               int   bits,
               int   min_exp)
{
  int e;

  if (x == 0.0f)
    return x;
  frexp (x, &e);
  e = MAX (e - bits, min_exp);
  return (float) ldexp (nearbyint (ldexp (x, -e)), e);
}

static float
round_f16 (float x)
{
  return round_to_bits (x, 11, -24);
}

static float
round_bf16 (float x)
{
  return round_to_bits (x, 8, -149);
}

/* The products of the half precisions on the cpu backend carry their
 * rounding: C = A·B with A and B stored as fp16 (bf16) equals, to fp32
 * accumulation, A·B computed in double on A and B rounded to fp16 (bf16)
 * here, and differs from the product of the unrounded A and B by the
 * format's own order of magnitude (fp16 keeps 11 bits, bf16 8). */
static void
test_half_products (void)
{
  enum { M = 24, N = 20, K = 64 };
  static const struct { WlDtype dtype; float (*round) (float); double lo, hi; } formats[] = {
    { WL_DTYPE_F16, round_f16, 1e-5, 2e-3 },
    { WL_DTYPE_BF16, round_bf16, 2e-4, 2e-2 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  WlBackend *backend = wl_backend_open ("cpu", 1, &error);
  float a[M * K], b[K * N], c[M * N];

  g_assert_no_error (error);
  for (guint i = 0; i < M * K; i++)
    a[i] = (float) g_rand_double_range (rand, -1, 1);
  for (guint i = 0; i < K * N; i++)
    b[i] = (float) g_rand_double_range (rand, -1, 1);

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      WlBuffer *a32 = wl_buffer_new (backend, WL_DTYPE_F32, M * K, &error);
      WlBuffer *b32 = wl_buffer_new (backend, WL_DTYPE_F32, K * N, &error);
      WlBuffer *al = wl_buffer_new (backend, formats[f].dtype, M * K, &error);
      WlBuffer *bl = wl_buffer_new (backend, formats[f].dtype, K * N, &error);
      WlBuffer *cb = wl_buffer_new (backend, WL_DTYPE_F32, M * N, &error);
      double rounded_err = 0, exact_err = 0, norm = 0;

      g_assert_no_error (error);
      wl_buffer_write (a32, 0, a, M * K, &error);
      wl_buffer_write (b32, 0, b, K * N, &error);
      g_assert_no_error (error);
      /* The engine's own conversion, as mixed precision does it. */
      wl_op_convert (backend, M * K, a32, al);
      wl_op_convert (backend, K * N, b32, bl);
      wl_op_gemm (backend, FALSE, FALSE, M, N, K, 1.0f, al, 0, K, bl, 0, N, 0.0f, cb, 0, N);
      wl_buffer_read (cb, 0, c, M * N, &error);
      g_assert_no_error (error);

      for (guint i = 0; i < M; i++)
        for (guint j = 0; j < N; j++)
          {
            double rounded = 0, exact = 0;

            for (guint k = 0; k < K; k++)
              {
                rounded += (double) formats[f].round (a[i * K + k]) * formats[f].round (b[k * N + j]);
                exact += (double) a[i * K + k] * b[k * N + j];
              }
            rounded_err += (c[i * N + j] - rounded) * (c[i * N + j] - rounded);
            exact_err += (c[i * N + j] - exact) * (c[i * N + j] - exact);
            norm += exact * exact;
          }
      rounded_err = sqrt (rounded_err / norm);
      exact_err = sqrt (exact_err / norm);
      g_test_message ("%s products: relative error %.2e against the rounded inputs, "
                      "%.2e against fp32", wl_dtype_to_string (formats[f].dtype), rounded_err,
                      exact_err);
      g_assert_cmpfloat (rounded_err, <, 1e-6);
      g_assert_cmpfloat (exact_err, >, formats[f].lo);
      g_assert_cmpfloat (exact_err, <, formats[f].hi);
      wl_buffer_free (a32);
      wl_buffer_free (b32);
      wl_buffer_free (al);
      wl_buffer_free (bl);
      wl_buffer_free (cb);
    }
  wl_backend_close (backend);
}

/* fp16 and bf16 products with fp32 master weights (and loss scaling for
 * fp16) learn like fp32 but not to the same numbers, which a precision
 * that did nothing would give; a device without that precision is
 * refused. */
static void
test_mixed_precision (Fixture       *fx,
                      gconstpointer  user_data)
{
  g_autoptr(GPtrArray) devices = wl_backend_list_devices (NULL);
  g_autoptr(WlConfig) config = variant_config (&variants[0]);
  g_autoptr(GError) error = NULL;
  WlBackend *backend = wl_backend_open ("cpu", 1, &error);
  double losses[WL_PRECISION_BF16 + 1];

  for (WlPrecision precision = WL_PRECISION_FP32; precision <= WL_PRECISION_BF16; precision++)
    {
      WlFeatures *features;
      g_autoptr(WlModel) model = NULL;

      config->model.precision = precision;
      model = build (config, &fx->train, &features);
      wl_neural_set_backend (model, backend);
      for (guint e = 0; e < 3; e++)
        losses[precision] = epoch (model, features, fx->train.labels, e, 3);
      wl_model_features_free (model, features);
    }
  g_test_message ("loss after 3 epochs: fp32 %.7f, fp16 %.7f, bf16 %.7f", losses[0], losses[1],
                  losses[2]);
  for (WlPrecision precision = WL_PRECISION_FP16; precision <= WL_PRECISION_BF16; precision++)
    {
      g_assert_true (isfinite (losses[precision]));
      g_assert_cmpfloat (fabs (losses[precision] - losses[0]), <, 0.02 + 0.05 * losses[0]);
      g_assert_cmpfloat (losses[precision], !=, losses[0]);
    }
  g_assert_cmpfloat (losses[1], !=, losses[2]);
  wl_backend_close (backend);

  config->model.precision = WL_PRECISION_FP16;
  for (guint d = 0; d < devices->len; d++)
    {
      const WlDeviceInfo *info = g_ptr_array_index (devices, d);
      g_autoptr(WlModel) model = NULL;
      WlTrainContext ctx = { .n_epochs = 1, .n_threads = 1 };
      WlFeatures *features;

      if (info->fp16)
        continue;
      g_free (config->model.device);
      config->model.device = g_strdup (info->id);
      model = build (config, &fx->train, &features);
      g_assert_false (wl_model_train_epoch (model, features, fx->train.labels, &ctx, NULL, &error));
      g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, info->id));
      g_clear_error (&error);
      wl_model_features_free (model, features);
    }
}

static void
add_variant_tests (const char *name,
                   void      (*func) (gconstpointer),
                   gboolean    all)
{
  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *path = g_strdup_printf ("/neural/%s/%s", name, variants[i].name);

      if (all || variants[i].basic)
        g_test_add_data_func (path, &variants[i], func);
    }
}

static void
add_fixture_tests (const char *name,
                   void      (*func) (Fixture *, gconstpointer),
                   gboolean    all)
{
  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *path = g_strdup_printf ("/neural/%s/%s", name, variants[i].name);

      if (all || variants[i].basic)
        g_test_add (path, Fixture, &variants[i], fixture_set_up, func, fixture_tear_down);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  add_variant_tests ("gradient", test_gradient, TRUE);
  add_variant_tests ("packing", test_packing, TRUE);
  add_variant_tests ("backends", test_backends, TRUE);
  add_fixture_tests ("learns", test_learns, FALSE);
  add_fixture_tests ("checkpoint", test_checkpoint, FALSE);
  add_fixture_tests ("predict", test_predict, TRUE);
  add_fixture_tests ("cancel", test_cancel, FALSE);
  add_fixture_tests ("diverged", test_diverged, FALSE);
  g_test_add_func ("/neural/defaults", test_defaults);
  g_test_add_func ("/neural/clipping", test_clipping);
  g_test_add_func ("/neural/max-norm", test_max_norm);
  g_test_add_func ("/neural/half-products", test_half_products);
  g_test_add ("/neural/mixed-precision", Fixture, NULL, fixture_set_up, test_mixed_precision,
              fixture_tear_down);

  return g_test_run ();
}
