/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-models.c: what every model must do, and each model's gradients. */
#include <math.h>
#include <string.h>

#include "wl-error.h"
#include "eval/wl-metrics.h"
#include "models/wl-embedding-bag-private.h"
#include "models/wl-linear-private.h"
#include "models/wl-model-file.h"
#include "models-test-util.h"

typedef struct
{
  WlModelType type;
  TestData    train;
  TestData    test;
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  fx->type = GPOINTER_TO_INT (data);
  test_data_generate (&fx->train, 600, 11);
  test_data_generate (&fx->test, 300, 12);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  test_data_clear (&fx->train);
  test_data_clear (&fx->test);
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

/* Trains with the defaults (but @n_threads), returns the model. */
static WlModel *
train_with_threads (Fixture *fx,
                    guint    n_threads)
{
  g_autoptr(WlConfig) config = test_config_new (fx->type);
  g_autoptr(GError) error = NULL;
  WlModel *model = NULL;
  WlFeatures *features;
  WlTrainContext ctx = { .n_threads = n_threads, .seed = 3 };

  /* A fixed count: the default is a maximum for early stopping (test-run). */
  config->model.epochs = 10;
  model = wl_model_new (config, N_CLASSES);
  double first_loss = 0.0;

  g_assert_true (wl_model_build (model, fx->train.docs, fx->train.labels, fx->train.n,
                                 n_threads, &error));
  features = wl_model_featurize (model, fx->train.docs, fx->train.n, n_threads);
  ctx.n_epochs = model->config->model.epochs;
  for (ctx.epoch = 0; ctx.epoch < ctx.n_epochs; ctx.epoch++)
    {
      double loss;

      g_assert_true (wl_model_train_epoch (model, features, fx->train.labels, &ctx, &loss, &error));
      g_assert_no_error (error);
      if (ctx.epoch == 0)
        first_loss = loss;
      else if (ctx.epoch == ctx.n_epochs - 1)
        g_assert_cmpfloat (loss, <, first_loss);
    }
  wl_model_features_free (model, features);
  return model;
}

static void
test_learns (Fixture       *fx,
             gconstpointer  data)
{
  for (guint n_threads = 1; n_threads <= 2; n_threads++)
    {
      g_autoptr(WlModel) model = train_with_threads (fx, n_threads);
      double acc = accuracy (model, &fx->test);

      g_test_message ("%s, %u threads: accuracy %.3f", model->klass->name, n_threads, acc);
      g_assert_cmpfloat (acc, >, 0.95);
    }
}

static void
test_resolve (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(WlConfig) config = test_config_new (fx->type);
  g_autoptr(WlModel) model = NULL;

  config->model.epochs = 3;
  config->model.lr = 0.25;
  model = wl_model_new (config, N_CLASSES);
  g_assert_cmpuint (model->config->model.epochs, ==, 3);
  g_assert_cmpfloat (model->config->model.lr, ==, 0.25);
  g_assert_cmpuint (model->config->model.word_ngrams, ==, 2);
  g_assert_cmpuint (model->config->model.min_count, >=, 1);
  /* Neither uses a batch size; only linear has an L2 weight: unused
   * settings stay unset, so the stored config says only what ran. */
  g_assert_cmpuint (model->config->model.batch_size, ==, 0);
  if (fx->type == WL_MODEL_LINEAR)
    g_assert_cmpfloat (model->config->model.l2, >=, 0.0);
  else
    g_assert_cmpfloat (model->config->model.l2, ==, -1.0);
  g_assert_cmpstr (model->config->model.device, ==, "cpu");
  /* The caller's config is left alone. */
  g_assert_cmpuint (config->model.word_ngrams, ==, 0);

  wl_model_resolve_config (config);
  g_assert_cmpuint (config->model.epochs, ==, 3);
  g_assert_cmpuint (config->model.word_ngrams, ==, 2);
}

static void
predict_all (const WlModel    *model,
             const WlFeatures *features,
             gsize             n,
             float            *probs)
{
  for (gsize i = 0; i < n; i++)
    wl_model_predict (model, features, i, probs + i * N_CLASSES);
}

static void
test_copy_weights (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(WlModel) model = test_model_train (fx->type, &fx->train, 1);
  g_autoptr(WlModel) best = wl_model_clone (model);
  g_autoptr(GError) error = NULL;
  WlFeatures *features = wl_model_featurize (model, fx->test.docs, fx->test.n, 1);
  gsize size = fx->test.n * N_CLASSES * sizeof (float);
  g_autofree float *before = g_malloc (size);
  g_autofree float *after = g_malloc (size);
  g_autofree float *restored = g_malloc (size);
  WlTrainContext ctx = { .epoch = 1, .n_epochs = 3, .n_threads = 1, .seed = 1 };

  predict_all (model, features, fx->test.n, before);
  /* The clone predicts alike on its own, shared features. */
  predict_all (best, features, fx->test.n, after);
  g_assert_cmpmem (before, size, after, size);

  g_assert_true (wl_model_train_epoch (model, features, fx->test.labels, &ctx, NULL, &error));
  g_assert_no_error (error);
  predict_all (model, features, fx->test.n, after);
  g_assert_true (memcmp (before, after, size) != 0);
  predict_all (best, features, fx->test.n, restored);
  g_assert_cmpmem (before, size, restored, size);

  wl_model_copy_weights (model, best);
  predict_all (model, features, fx->test.n, restored);
  g_assert_cmpmem (before, size, restored, size);
  g_assert_cmpuint (wl_model_n_parameters (best), ==, wl_model_n_parameters (model));
  wl_model_features_free (model, features);
}

static void
test_predict_threads (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(WlModel) model = test_model_train (fx->type, &fx->train, 2);
  WlFeatures *features = wl_model_featurize (model, fx->test.docs, fx->test.n, 2);
  gsize size = fx->test.n * N_CLASSES * sizeof (float);
  g_autofree float *serial = g_malloc (size);
  g_autofree float *probs = g_malloc (size);

  predict_all (model, features, fx->test.n, serial);
  g_assert_true (wl_model_predict_all (model, features, fx->test.n, 2, probs, NULL, NULL));
  g_assert_cmpmem (serial, size, probs, size);
  for (gsize i = 0; i < fx->test.n; i++)
    {
      float sum = 0.f;

      for (guint k = 0; k < N_CLASSES; k++)
        sum += serial[i * N_CLASSES + k];
      g_assert_cmpfloat_with_epsilon (sum, 1.f, 1e-5);
    }
  wl_model_features_free (model, features);
}

/* Featurizing on threads gives the rows of one thread, in order. */
static void
test_featurize_threads (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(WlModel) model = test_model_train (fx->type, &fx->train, 1);
  WlFeatures *one = wl_model_featurize (model, fx->train.docs, fx->train.n, 1);
  gsize nnz = one->offsets[one->n_docs];

  for (guint n_threads = 2; n_threads <= 5; n_threads += 3)
    {
      WlFeatures *many = wl_model_featurize (model, fx->train.docs, fx->train.n, n_threads);

      g_assert_cmpuint (many->n_docs, ==, fx->train.n);
      g_assert_cmpmem (many->offsets, (fx->train.n + 1) * sizeof (gsize),
                       one->offsets, (fx->train.n + 1) * sizeof (gsize));
      g_assert_cmpmem (many->n_tokens, fx->train.n * sizeof (guint32),
                       one->n_tokens, fx->train.n * sizeof (guint32));
      g_assert_cmpmem (many->ids, nnz * sizeof (guint32), one->ids, nnz * sizeof (guint32));
      g_assert_true ((many->values == NULL) == (one->values == NULL));
      if (one->values != NULL)
        g_assert_cmpmem (many->values, nnz * sizeof (float), one->values, nnz * sizeof (float));
      wl_model_features_free (model, many);
    }
  wl_model_features_free (model, one);
}

static void
test_unknown_words (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(WlModel) model = test_model_train (fx->type, &fx->train, 1);
  const char *unknown[] = { "zzz", "never", "seen", NULL };
  WlTokenList docs[2] = { { 0 } };
  WlFeatures *features;

  test_token_list_set (&docs[0], unknown);
  test_token_list_set (&docs[1], NULL);
  features = wl_model_featurize (model, docs, 2, 1);
  for (gsize i = 0; i < 2; i++)
    {
      float probs[N_CLASSES], sum = 0.f;

      wl_model_predict (model, features, i, probs);
      for (guint k = 0; k < N_CLASSES; k++)
        {
          g_assert_true (isfinite (probs[k]));
          sum += probs[k];
        }
      g_assert_cmpfloat_with_epsilon (sum, 1.f, 1e-5);
      g_free (docs[i].buf);
      g_free (docs[i].offsets);
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
cancel_on_progress (guint64  done,
                    guint64  total,
                    guint64  tokens,
                    double   mean_loss,
                    gpointer data)
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
             gconstpointer  data)
{
  g_autoptr(WlConfig) config = test_config_new (fx->type);
  g_autoptr(WlModel) model = wl_model_new (config, N_CLASSES);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CancelState state = { .cancellable = cancellable };
  WlTrainContext ctx = {
    .n_epochs = 2, .n_threads = 1, .seed = 1, .cancellable = cancellable,
    .progress = cancel_on_progress, .progress_data = &state,
  };
  WlFeatures *features;

  g_assert_true (wl_model_build (model, fx->train.docs, fx->train.labels, fx->train.n, 1, &error));
  features = wl_model_featurize (model, fx->train.docs, fx->train.n, 1);

  /* Cancelled from inside the epoch: it stops at the next check. */
  g_assert_false (wl_model_train_epoch (model, features, fx->train.labels, &ctx, NULL, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_CANCELLED);
  g_assert_cmpuint (state.calls, ==, 1);
  g_assert_cmpuint (state.done, <, state.total);
  g_assert_cmpuint (state.total, ==, fx->train.n);
  g_clear_error (&error);

  /* Already cancelled: nothing runs. */
  ctx.progress = NULL;
  g_assert_false (wl_model_train_epoch (model, features, fx->train.labels, &ctx, NULL, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_CANCELLED);
  wl_model_features_free (model, features);
}

static void
test_diverged (Fixture       *fx,
               gconstpointer  data)
{
  const double bad_lr[] = { NAN, 1e30 };

  for (guint b = 0; b < G_N_ELEMENTS (bad_lr); b++)
    {
      g_autoptr(WlConfig) config = test_config_new (fx->type);
      g_autoptr(WlModel) model = NULL;
      g_autoptr(GError) error = NULL;
      WlTrainContext ctx = { .n_epochs = 3, .n_threads = 1, .seed = 1 };
      WlFeatures *features;
      double loss = -1.0;

      config->model.lr = bad_lr[b];
      model = wl_model_new (config, N_CLASSES);
      g_assert_true (wl_model_build (model, fx->train.docs, fx->train.labels, fx->train.n, 1, &error));
      features = wl_model_featurize (model, fx->train.docs, fx->train.n, 1);
      for (ctx.epoch = 0; ctx.epoch < ctx.n_epochs && error == NULL; ctx.epoch++)
        wl_model_train_epoch (model, features, fx->train.labels, &ctx, &loss, &error);
      g_assert_error (error, WL_ERROR, WL_ERROR_DIVERGED);
      g_assert_cmpstr (error->message, ==, "training diverged at epoch 1: lower the learning rate");
      g_assert_cmpfloat (loss, ==, -1.0);
      wl_model_features_free (model, features);
    }
}

/* Gradients */

static WlModel *
small_model (WlModelType     type,
             const TestData *data,
             WlFeatures    **features)
{
  g_autoptr(WlConfig) config = test_config_new (type);
  g_autoptr(GError) error = NULL;
  WlModel *model;
  WlTrainContext ctx = { .n_epochs = 2, .n_threads = 1, .seed = 5 };

  config->model.l2 = 0.05;
  config->model.dim = 6;
  config->model.buckets = 64;
  config->model.lr = 0.2;
  model = wl_model_new (config, N_CLASSES);
  g_assert_true (wl_model_build (model, data->docs, data->labels, data->n, 1, &error));
  *features = wl_model_featurize (model, data->docs, data->n, 1);
  /* Away from the starting point, so that every gradient is non-zero. */
  g_assert_true (wl_model_train_epoch (model, *features, data->labels, &ctx, NULL, &error));
  g_assert_no_error (error);
  return model;
}

typedef double (*LossFunc) (WlModel *model, const WlFeatures *features, const guint32 *labels,
                            gsize n, gpointer grads);

/* Central differences of @loss with respect to @w against @analytic. */
static void
check_weight (WlModel          *model,
              const WlFeatures *features,
              const guint32    *labels,
              gsize             n,
              LossFunc          loss,
              gpointer          scratch_grads,
              float            *w,
              float             analytic)
{
  const float eps = 1e-2f;
  float saved = *w;
  double plus, minus, numeric;

  *w = saved + eps;
  plus = loss (model, features, labels, n, scratch_grads);
  *w = saved - eps;
  minus = loss (model, features, labels, n, scratch_grads);
  *w = saved;
  numeric = (plus - minus) / (2 * eps);
  if (fabs (numeric - analytic) > 2e-4 + 1e-2 * fabs (analytic))
    g_error ("gradient %g, finite differences %g", analytic, numeric);
}

typedef struct
{
  float *weights;
  float *bias;
} LinearGrads;

static double
linear_loss (WlModel *model, const WlFeatures *features, const guint32 *labels, gsize n,
             gpointer grads)
{
  LinearGrads *g = grads;

  return wl_linear_loss_and_grad (model, features, labels, n, g->weights, g->bias);
}

static void
test_linear_gradient (void)
{
  TestData data;
  WlFeatures *features;
  g_autoptr(WlModel) model = NULL;
  guint32 n_features;
  float *bias, *weights;
  LinearGrads grad, scratch;
  const guint32 *ids;
  gsize len, n = 30;

  test_data_generate (&data, 80, 21);
  model = small_model (WL_MODEL_LINEAR, &data, &features);
  weights = wl_linear_get_weights (model, &n_features, &bias);
  grad.weights = g_new (float, n_features * N_CLASSES);
  grad.bias = g_new (float, N_CLASSES);
  scratch.weights = g_new (float, n_features * N_CLASSES);
  scratch.bias = g_new (float, N_CLASSES);
  linear_loss (model, features, data.labels, n, &grad);

  len = wl_features_row (features, 0, &ids, NULL);
  g_assert_cmpuint (len, >, 2);
  for (gsize j = 0; j < 3; j++)
    for (guint k = 0; k < N_CLASSES; k++)
      {
        gsize at = (gsize) ids[j] * N_CLASSES + k;

        g_assert_cmpfloat (fabsf (grad.weights[at]), >, 0.f);
        check_weight (model, features, data.labels, n, linear_loss, &scratch,
                      &weights[at], grad.weights[at]);
      }
  for (guint k = 0; k < N_CLASSES; k++)
    check_weight (model, features, data.labels, n, linear_loss, &scratch, &bias[k], grad.bias[k]);

  g_free (grad.weights);
  g_free (grad.bias);
  g_free (scratch.weights);
  g_free (scratch.bias);
  wl_model_features_free (model, features);
  test_data_clear (&data);
}

static double
embedding_bag_loss (WlModel *model, const WlFeatures *features, const guint32 *labels, gsize n,
                    gpointer grads)
{
  return wl_embedding_bag_loss_and_grad (model, features, labels, n, grads);
}

static void
embedding_bag_grads_init (WlModel               *model,
                          WlEmbeddingBagWeights *grads)
{
  wl_embedding_bag_get_weights (model, grads);
  grads->input = g_new (float, (gsize) grads->n_rows * grads->dim);
  grads->output = g_new (float, N_CLASSES * grads->dim);
  grads->bias = g_new (float, N_CLASSES);
}

static void
embedding_bag_grads_clear (WlEmbeddingBagWeights *grads)
{
  g_free (grads->input);
  g_free (grads->output);
  g_free (grads->bias);
}

static void
test_embedding_bag_gradient (void)
{
  TestData data;
  WlFeatures *features;
  g_autoptr(WlModel) model = NULL;
  WlEmbeddingBagWeights w, grad, scratch;
  const guint32 *ids;
  gsize len, n = 30;

  test_data_generate (&data, 80, 22);
  model = small_model (WL_MODEL_EMBEDDING_BAG, &data, &features);
  wl_embedding_bag_get_weights (model, &w);
  g_assert_cmpuint (w.dim, ==, 6);
  embedding_bag_grads_init (model, &grad);
  embedding_bag_grads_init (model, &scratch);
  embedding_bag_loss (model, features, data.labels, n, &grad);

  len = wl_features_row (features, 0, &ids, NULL);
  g_assert_cmpuint (len, >, 2);
  for (gsize j = 0; j < len; j += 2)   /* words and n-gram buckets */
    for (guint d = 0; d < w.dim; d += 2)
      {
        gsize at = (gsize) ids[j] * w.dim + d;

        check_weight (model, features, data.labels, n, embedding_bag_loss, &scratch,
                      &w.input[at], grad.input[at]);
      }
  for (guint k = 0; k < N_CLASSES; k++)
    {
      for (guint d = 0; d < w.dim; d++)
        check_weight (model, features, data.labels, n, embedding_bag_loss, &scratch,
                      &w.output[k * w.dim + d], grad.output[k * w.dim + d]);
      check_weight (model, features, data.labels, n, embedding_bag_loss, &scratch,
                    &w.bias[k], grad.bias[k]);
    }

  embedding_bag_grads_clear (&grad);
  embedding_bag_grads_clear (&scratch);
  wl_model_features_free (model, features);
  test_data_clear (&data);
}

/* One SGD step on one example moves every weight by -lr times the
 * gradient of that example's objective. */
static void
assert_stepped (const float *before,
                const float *after,
                const float *grad,
                gsize        n,
                float        lr)
{
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (after[i], before[i] - lr * grad[i], 1e-6);
}

static void
one_step (WlModel              *model,
          const WlFeatures     *one,
          guint32               label,
          const WlTrainContext *ctx)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wl_model_train_epoch (model, one, &label, ctx, NULL, &error));
  g_assert_no_error (error);
}

/* One SGD step on the first training row, in the epoch and schedule of
 * @ctx, moves every weight by exactly @rate × its gradient: @rate is the
 * model's lr as the schedule has it at the start of that epoch. */
static void
check_step (Fixture              *fx,
            const WlTrainContext *ctx,
            double                rate)
{
  WlFeatures *features, *one;
  g_autoptr(WlModel) model = small_model (fx->type, &fx->train, &features);
  float lr = (float) (model->config->model.lr * rate);
  guint32 label = fx->train.labels[0];

  one = wl_model_featurize (model, fx->train.docs, 1, 1);
  if (fx->type == WL_MODEL_LINEAR)
    {
      guint32 n_features;
      float *bias, *weights = wl_linear_get_weights (model, &n_features, &bias);
      gsize n = (gsize) n_features * N_CLASSES;
      g_autofree float *w0 = g_memdup2 (weights, n * sizeof (float));
      g_autofree float *b0 = g_memdup2 (bias, N_CLASSES * sizeof (float));
      g_autofree float *gw = g_new (float, n);
      float gb[N_CLASSES];

      wl_linear_loss_and_grad (model, one, &label, 1, gw, gb);
      one_step (model, one, label, ctx);
      assert_stepped (w0, weights, gw, n, lr);
      assert_stepped (b0, bias, gb, N_CLASSES, lr);
    }
  else
    {
      WlEmbeddingBagWeights w, g;
      gsize n_in;
      g_autofree float *in0 = NULL;
      g_autofree float *out0 = NULL;
      g_autofree float *b0 = NULL;

      wl_embedding_bag_get_weights (model, &w);
      n_in = (gsize) w.n_rows * w.dim;
      in0 = g_memdup2 (w.input, n_in * sizeof (float));
      out0 = g_memdup2 (w.output, N_CLASSES * w.dim * sizeof (float));
      b0 = g_memdup2 (w.bias, N_CLASSES * sizeof (float));
      embedding_bag_grads_init (model, &g);
      wl_embedding_bag_loss_and_grad (model, one, &label, 1, &g);
      one_step (model, one, label, ctx);
      assert_stepped (in0, w.input, g.input, n_in, lr);
      assert_stepped (out0, w.output, g.output, N_CLASSES * w.dim, lr);
      assert_stepped (b0, w.bias, g.bias, N_CLASSES, lr);
      embedding_bag_grads_clear (&g);
    }
  g_assert_cmpfloat_with_epsilon (wl_model_get_lr (model), lr, 1e-6);
  wl_model_features_free (model, one);
  wl_model_features_free (model, features);
}

static void
test_sgd_step (Fixture       *fx,
               gconstpointer  data)
{
  WlTrainContext ctx = { .epoch = 0, .n_epochs = 1, .n_threads = 1 };

  check_step (fx, &ctx, 1.0);
}

/* The rate's two schedules, at the start of the second of 4 epochs: lr / (1
 * + epochs done) while early stopping may end the run after any epoch, and
 * a linear fall to 0 over the epochs when their number is known (the
 * refit). */
static void
test_sgd_schedule (Fixture       *fx,
                   gconstpointer  data)
{
  WlTrainContext ctx = { .epoch = 1, .n_epochs = 4, .n_threads = 1 };

  check_step (fx, &ctx, 1.0 / 2.0);
  ctx.lr_to_zero = TRUE;
  check_step (fx, &ctx, 3.0 / 4.0);
  ctx.epoch = 3;
  check_step (fx, &ctx, 1.0 / 4.0);
}

/* Model-specific settings */

static void
test_linear_min_count (Fixture       *fx,
                       gconstpointer  data)
{
  g_autoptr(WlConfig) config = test_config_new (WL_MODEL_LINEAR);
  g_autoptr(WlModel) all = wl_model_new (config, N_CLASSES);
  g_autoptr(WlModel) some = NULL;
  g_autoptr(WlModel) none = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (wl_model_build (all, fx->train.docs, fx->train.labels, fx->train.n, 1, &error));
  config->model.min_count = 5;
  some = wl_model_new (config, N_CLASSES);
  g_assert_true (wl_model_build (some, fx->train.docs, fx->train.labels, fx->train.n, 1, &error));
  g_assert_cmpuint (wl_model_n_parameters (some), <, wl_model_n_parameters (all));
  g_assert_cmpuint (wl_model_n_parameters (some), >, N_CLASSES);

  config->model.min_count = 100000;
  none = wl_model_new (config, N_CLASSES);
  g_assert_false (wl_model_build (none, fx->train.docs, fx->train.labels, fx->train.n, 1, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_NO_DATA);
}

static void
test_linear_char_ngrams (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(WlConfig) config = test_config_new (WL_MODEL_LINEAR);
  g_autoptr(WlModel) words = test_model_train (WL_MODEL_LINEAR, &fx->train, 1);
  g_autoptr(WlModel) chars = NULL;
  g_autoptr(GError) error = NULL;
  WlTrainContext ctx = { .n_epochs = 4, .n_threads = 1, .seed = 1 };
  WlFeatures *features;

  config->model.char_ngrams = TRUE;
  chars = wl_model_new (config, N_CLASSES);
  g_assert_true (wl_model_build (chars, fx->train.docs, fx->train.labels, fx->train.n, 1, &error));
  g_assert_cmpuint (wl_model_n_parameters (chars), >, wl_model_n_parameters (words));
  features = wl_model_featurize (chars, fx->train.docs, fx->train.n, 1);
  for (ctx.epoch = 0; ctx.epoch < ctx.n_epochs; ctx.epoch++)
    g_assert_true (wl_model_train_epoch (chars, features, fx->train.labels, &ctx, NULL, &error));
  g_assert_cmpfloat (accuracy (chars, &fx->test), >, 0.95);
  wl_model_features_free (chars, features);
}

static void
test_embedding_bag_buckets (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(WlConfig) config = test_config_new (WL_MODEL_EMBEDDING_BAG);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) bigrams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const guint buckets[] = { 0, 1000, 0 };
  const guint ngrams[] = { 2, 2, 1 };

  for (gsize i = 0; i < fx->train.n; i++)
    for (guint32 t = 0; t + 1 < fx->train.docs[i].n_tokens; t++)
      g_hash_table_add (bigrams, g_strconcat (wl_token_list_get (&fx->train.docs[i], t), " ",
                                              wl_token_list_get (&fx->train.docs[i], t + 1), NULL));

  for (guint c = 0; c < G_N_ELEMENTS (buckets); c++)
    {
      g_autoptr(WlModel) model = NULL;
      guint got;

      config->model.buckets = buckets[c];
      config->model.word_ngrams = ngrams[c];
      model = wl_model_new (config, N_CLASSES);
      g_assert_true (wl_model_build (model, fx->train.docs, fx->train.labels, fx->train.n, 1, &error));
      got = model->config->model.buckets;
      if (ngrams[c] == 1)
        g_assert_cmpuint (got, ==, 0);
      else if (buckets[c] != 0)
        g_assert_cmpuint (got, ==, buckets[c]);
      else
        {
          /* Sized from the data: a power of two, about four times the bigrams. */
          g_assert_cmpuint (got & (got - 1), ==, 0);
          g_assert_cmpuint (got, >=, 3.6 * g_hash_table_size (bigrams));
          g_assert_cmpuint (got, <=, 8.8 * g_hash_table_size (bigrams));
        }
    }
}

/* @n documents of random words from one list, labelled by their length
 * alone: 0 for 2 or 3 words, 1 for 12 to 16. */
static void
length_data_generate (TestData *data,
                      gsize     n,
                      guint32   seed)
{
  GRand *rand = g_rand_new_with_seed (seed);

  data->n = n;
  data->docs = g_new0 (WlTokenList, n);
  data->labels = g_new (guint32, n);
  for (gsize i = 0; i < n; i++)
    {
      guint32 label = g_rand_int_range (rand, 0, 2);
      guint len = label == 0 ? g_rand_int_range (rand, 2, 4) : g_rand_int_range (rand, 12, 17);
      g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);

      for (guint t = 0; t < len; t++)
        g_ptr_array_add (tokens, g_strdup_printf ("w%d", g_rand_int_range (rand, 0, 30)));
      g_ptr_array_add (tokens, NULL);
      test_token_list_set (&data->docs[i], (const char * const *) tokens->pdata);
      data->labels[i] = label;
    }
  g_rand_free (rand);
}

/* Every text ends with fastText's "</s>": a word of the vocabulary whose
 * share of the mean tells short texts from long ones, which a mean of
 * words alike cannot.  A file of format 2 is read without it. */
static void
test_embedding_bag_end_of_text (Fixture       *fx,
                                gconstpointer  data)
{
  g_autoptr(WlConfig) config = test_config_new (WL_MODEL_EMBEDDING_BAG);
  g_autoptr(GError) error = NULL;
  g_autoptr(WlModel) model = NULL;
  g_autoptr(WlModel) old = NULL;
  g_autoptr(WlModel) resaved = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree guint8 *copy = NULL;
  const char *words[] = { "w1", "w2", NULL };
  WlTokenList doc = { 0 };
  TestData train, test;
  WlFeatures *features;
  WlTrainContext ctx = { .n_threads = 1, .seed = 5, .n_epochs = 10 };
  const guint32 *ids;
  guint64 eos_key, checksum, size;
  guint32 eos_hash;
  gsize len, n, right = 0;

  length_data_generate (&train, 600, 21);
  length_data_generate (&test, 300, 22);
  config->model.buckets = 1024;
  model = wl_model_new (config, 2);
  g_assert_true (wl_model_build (model, train.docs, train.labels, train.n, 1, &error));
  g_assert_no_error (error);
  wl_hash_token ("</s>", &eos_hash, &eos_key);
  g_assert_cmpuint (wl_vocab_lookup (((WlEmbeddingBag *) model)->vocab, eos_key), !=, WL_VOCAB_NONE);

  /* "w1 w2": the words, "</s>", and the bigrams "w1 w2" and "w2 </s>". */
  test_token_list_set (&doc, words);
  features = wl_model_featurize (model, &doc, 1, 1);
  n = wl_features_row (features, 0, &ids, NULL);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpuint (ids[2], ==, wl_vocab_lookup (((WlEmbeddingBag *) model)->vocab, eos_key));
  wl_model_features_free (model, features);

  features = wl_model_featurize (model, train.docs, train.n, 1);
  for (ctx.epoch = 0; ctx.epoch < ctx.n_epochs; ctx.epoch++)
    g_assert_true (wl_model_train_epoch (model, features, train.labels, &ctx, NULL, &error));
  wl_model_features_free (model, features);
  features = wl_model_featurize (model, test.docs, test.n, 1);
  for (gsize i = 0; i < test.n; i++)
    {
      float probs[2];

      wl_model_predict (model, features, i, probs);
      right += wl_argmax (probs, 2) == test.labels[i];
    }
  g_assert_cmpfloat ((double) right / test.n, >=, 0.9);
  wl_model_features_free (model, features);

  bytes = wl_model_file_to_bytes (model, test_label_names, 2, &error);
  g_assert_no_error (error);
  len = g_bytes_get_size (bytes);
  /* A format 2 file: no end-of-text flag (the u32 before the empty
   * training state and the checksum), its size and checksum made again. */
  copy = g_memdup2 (g_bytes_get_data (bytes, NULL), len);
  g_assert_cmpuint (copy[len - 20], ==, 1);
  memmove (copy + len - 20, copy + len - 16, 8);
  len -= 4;
  copy[8] = 2;
  size = GUINT64_TO_LE ((guint64) len);
  memcpy (copy + WL_MODEL_FILE_SIZE_OFFSET, &size, 8);
  checksum = GUINT64_TO_LE (wl_model_file_checksum (copy, len - 8));
  memcpy (copy + len - 8, &checksum, 8);
  old = wl_model_file_from_bytes (copy, len, "old.wlm", NULL, &error);
  g_assert_no_error (error);
  features = wl_model_featurize (old, &doc, 1, 1);
  g_assert_cmpuint (wl_features_row (features, 0, &ids, NULL), ==, 3);
  wl_model_features_free (old, features);

  /* Saved again (as the current format), it still reads texts without it. */
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = wl_model_file_to_bytes (old, test_label_names, 2, &error);
  g_assert_no_error (error);
  resaved = wl_model_file_from_bytes (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                      "resaved.wlm", NULL, &error);
  g_assert_no_error (error);
  features = wl_model_featurize (resaved, &doc, 1, 1);
  g_assert_cmpuint (wl_features_row (features, 0, &ids, NULL), ==, 3);
  wl_model_features_free (resaved, features);

  g_free (doc.buf);
  g_free (doc.offsets);
  test_data_clear (&train);
  test_data_clear (&test);
}

static void
add_typed (const char  *name,
           WlModelType  type,
           void       (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strdup_printf ("/models/%s/%s", wl_model_type_to_string (type), name);

  g_test_add (path, Fixture, GINT_TO_POINTER (type), fixture_set_up, func, fixture_tear_down);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* The sparse models; the neural ones have test-neural.c. */
  for (WlModelType type = 0; type <= WL_MODEL_EMBEDDING_BAG; type++)
    {
      add_typed ("learns", type, test_learns);
      add_typed ("resolve", type, test_resolve);
      add_typed ("copy-weights", type, test_copy_weights);
      add_typed ("predict-threads", type, test_predict_threads);
      add_typed ("featurize-threads", type, test_featurize_threads);
      add_typed ("unknown-words", type, test_unknown_words);
      add_typed ("cancel", type, test_cancel);
      add_typed ("diverged", type, test_diverged);
      add_typed ("sgd-step", type, test_sgd_step);
      add_typed ("sgd-schedule", type, test_sgd_schedule);
    }
  g_test_add_func ("/models/linear/gradient", test_linear_gradient);
  g_test_add_func ("/models/embedding-bag/gradient", test_embedding_bag_gradient);
  add_typed ("min-count", WL_MODEL_LINEAR, test_linear_min_count);
  add_typed ("char-ngrams", WL_MODEL_LINEAR, test_linear_char_ngrams);
  add_typed ("buckets", WL_MODEL_EMBEDDING_BAG, test_embedding_bag_buckets);
  add_typed ("end-of-text", WL_MODEL_EMBEDDING_BAG, test_embedding_bag_end_of_text);

  return g_test_run ();
}
