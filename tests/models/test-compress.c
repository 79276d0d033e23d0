/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-compress.c: int8 quantisation and pruning of the embedding bag and
 * of the linear model; the neural models' int8 embedding table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wl-error.h"
#include "models/wl-model-file.h"
#include "models/wl-embedding-bag-private.h"
#include "models/wl-linear-private.h"
#include "models/wl-neural.h"
#include "models-test-util.h"

#define DIM     64
#define BUCKETS 4096

typedef struct
{
  TestData train;
  TestData test;
  WlModel *model;      /* fp32, trained */
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(WlConfig) config = test_config_new (WL_MODEL_EMBEDDING_BAG);
  g_autoptr(GError) error = NULL;
  WlTrainContext ctx = { .n_epochs = 10, .n_threads = 1, .seed = 7 };
  WlFeatures *features;

  test_data_generate (&fx->train, 600, 1);
  test_data_generate (&fx->test, 300, 2);
  config->model.dim = DIM;
  config->model.buckets = BUCKETS;
  fx->model = wl_model_new (config, N_CLASSES);
  g_assert_true (wl_model_build (fx->model, fx->train.docs, fx->train.labels, fx->train.n, 1, &error));
  features = wl_model_featurize (fx->model, fx->train.docs, fx->train.n, 1);
  for (ctx.epoch = 0; ctx.epoch < ctx.n_epochs; ctx.epoch++)
    {
      double loss;

      g_assert_true (wl_model_train_epoch (fx->model, features, fx->train.labels, &ctx, &loss, &error));
      g_assert_no_error (error);
    }
  wl_model_features_free (fx->model, features);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  test_data_clear (&fx->train);
  test_data_clear (&fx->test);
  wl_model_free (fx->model);
}

/* Probabilities of the test documents (n x N_CLASSES). */
static float *
predict_test (const WlModel  *model,
              const TestData *data)
{
  WlFeatures *features = wl_model_featurize (model, data->docs, data->n, 1);
  float *probs = g_new (float, data->n * N_CLASSES);

  g_assert_true (wl_model_predict_all (model, features, data->n, 1, probs, NULL, NULL));
  wl_model_features_free (model, features);
  return probs;
}

static guint
argmax (const float *p)
{
  guint best = 0;

  for (guint k = 1; k < N_CLASSES; k++)
    if (p[k] > p[best])
      best = k;
  return best;
}

static double
accuracy (const float    *probs,
          const TestData *data)
{
  gsize right = 0;

  for (gsize i = 0; i < data->n; i++)
    right += argmax (probs + i * N_CLASSES) == data->labels[i];
  return (double) right / data->n;
}

static GBytes *
to_bytes (const WlModel *model)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = wl_model_file_to_bytes (model, test_label_names, N_CLASSES, &error);

  g_assert_no_error (error);
  return bytes;
}

static WlModel *
from_bytes (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  WlModel *model = wl_model_file_from_bytes (data, len, "m.wlm", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (model);
  return model;
}

typedef struct
{
  guint         n_tensors;
  WlTensorView  embedding;
  float        *norms;     /* of the embedding's rows */
} Tensors;

static void
collect_tensor (const WlTensorView *tensor,
                gpointer            user_data)
{
  Tensors *t = user_data;

  t->n_tensors++;
  if (!g_str_equal (tensor->name, "embedding"))
    return;
  t->embedding = *tensor;
  t->norms = g_new (float, tensor->shape[0]);
  for (gint64 r = 0; r < tensor->shape[0]; r++)
    {
      double sum = 0.0;

      for (gint64 d = 0; d < tensor->shape[1]; d++)
        {
          double v = tensor->dtype == WL_DTYPE_I8
                       ? ((const gint8 *) tensor->data)[r * tensor->shape[1] + d] * (double) tensor->row_scales[r]
                       : ((const float *) tensor->data)[r * tensor->shape[1] + d];
          sum += v * v;
        }
      t->norms[r] = (float) sqrt (sum);
    }
}

static int
compare_desc (const void *a,
              const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return x > y ? -1 : x < y;
}

static void
test_int8_round_trip (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WlModel) q = wl_model_clone (fx->model);
  g_autoptr(WlModel) loaded = NULL;
  g_autoptr(GBytes) fp32_bytes = to_bytes (fx->model);
  g_autoptr(GBytes) int8_bytes = NULL;
  g_autofree float *p32 = predict_test (fx->model, &fx->test);
  g_autofree float *p8 = NULL;
  Tensors tensors = { 0 };
  gsize agree = 0;
  float max_diff = 0.f;

  g_assert_cmpuint (wl_model_get_storage (fx->model), ==, 0);
  g_assert_true (wl_model_quantize (q, &error));
  g_assert_no_error (error);
  int8_bytes = to_bytes (q);
  /* 64 int8 values and a two-byte scale per row instead of 64 floats. */
  g_assert_cmpfloat ((double) g_bytes_get_size (fp32_bytes) / g_bytes_get_size (int8_bytes), >=, 3.5);

  loaded = from_bytes (int8_bytes);
  g_assert_cmpuint (wl_model_get_storage (loaded), ==, WL_MODEL_STORAGE_INT8);
  wl_model_foreach_tensor (loaded, collect_tensor, &tensors);
  g_assert_cmpuint (tensors.n_tensors, ==, 3);
  g_assert_cmpint (tensors.embedding.dtype, ==, WL_DTYPE_I8);
  g_assert_nonnull (tensors.embedding.row_scales);
  /* It predicts from int8 rows: it holds no fp32 copy of them. */
  g_assert_null (((WlEmbeddingBag *) loaded)->input);
  g_assert_nonnull (((WlEmbeddingBag *) loaded)->input_q);

  /* Within a stated tolerance: each probability within 0.02 of fp32's,
   * and the same label for at least 99 % of the documents. */
  p8 = predict_test (loaded, &fx->test);
  /* What is stored is what ran: the model read back predicts exactly as
   * the quantised one did. */
  {
    g_autofree float *pq = predict_test (q, &fx->test);

    g_assert_cmpmem (pq, fx->test.n * N_CLASSES * sizeof (float), p8, fx->test.n * N_CLASSES * sizeof (float));
  }
  for (gsize i = 0; i < fx->test.n; i++)
    {
      agree += argmax (p8 + i * N_CLASSES) == argmax (p32 + i * N_CLASSES);
      for (guint k = 0; k < N_CLASSES; k++)
        max_diff = MAX (max_diff, fabsf (p8[i * N_CLASSES + k] - p32[i * N_CLASSES + k]));
    }
  g_assert_cmpfloat (max_diff, <, 0.02f);
  g_assert_cmpfloat ((double) agree / fx->test.n, >=, 0.99);
  g_assert_cmpfloat (accuracy (p32, &fx->test), >, 0.9);

  /* An int8 model is not trained further. */
  {
    WlTrainContext ctx = { .n_epochs = 1, .n_threads = 1 };
    WlFeatures *features = wl_model_featurize (loaded, fx->train.docs, fx->train.n, 1);
    double loss;

    g_assert_false (wl_model_train_epoch (loaded, features, fx->train.labels, &ctx, &loss, &error));
    g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
    g_clear_error (&error);
    wl_model_features_free (loaded, features);
  }
  /* Nor pruned: prune the fp32 model first. */
  g_assert_false (wl_model_prune (loaded, 0.5, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_free (tensors.norms);
}

static void
test_prune (Fixture       *fx,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WlModel) pruned = wl_model_clone (fx->model);
  g_autoptr(WlModel) loaded = NULL;
  g_autoptr(GBytes) fp32_bytes = to_bytes (fx->model);
  g_autoptr(GBytes) pruned_bytes = NULL;
  g_autofree float *p32 = predict_test (fx->model, &fx->test);
  g_autofree float *pp = NULL, *pl = NULL;
  Tensors before = { 0 }, after = { 0 };
  gint64 n_rows, kept;

  wl_model_foreach_tensor (fx->model, collect_tensor, &before);
  n_rows = before.embedding.shape[0];
  g_assert_true (wl_model_prune (pruned, 0.9, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wl_model_get_storage (pruned), ==, WL_MODEL_STORAGE_PRUNED);
  wl_model_foreach_tensor (pruned, collect_tensor, &after);
  kept = after.embedding.shape[0];
  g_assert_cmpint (kept, ==, n_rows - (gint64) floor (0.9 * n_rows));

  /* The rows kept are those with the largest norms, unchanged. */
  qsort (before.norms, n_rows, sizeof (float), compare_desc);
  qsort (after.norms, kept, sizeof (float), compare_desc);
  for (gint64 r = 0; r < kept; r++)
    g_assert_cmpfloat (after.norms[r], ==, before.norms[r]);

  /* The file really shrinks: the dropped rows are not stored. */
  pruned_bytes = to_bytes (pruned);
  g_assert_cmpuint (g_bytes_get_size (pruned_bytes), <, g_bytes_get_size (fp32_bytes) / 5);

  /* The words that tell the classes apart stay: the accuracy holds, and
   * the loaded model predicts as the pruned one did. */
  pp = predict_test (pruned, &fx->test);
  g_assert_cmpfloat (accuracy (pp, &fx->test), >=, accuracy (p32, &fx->test) - 0.02);
  loaded = from_bytes (pruned_bytes);
  pl = predict_test (loaded, &fx->test);
  g_assert_cmpmem (pl, fx->test.n * N_CLASSES * sizeof (float), pp, fx->test.n * N_CLASSES * sizeof (float));

  /* Pruned then quantised: both, and smaller still. */
  g_assert_true (wl_model_quantize (loaded, &error));
  g_assert_cmpuint (wl_model_get_storage (loaded), ==, WL_MODEL_STORAGE_PRUNED | WL_MODEL_STORAGE_INT8);
  {
    g_autoptr(GBytes) both = to_bytes (loaded);
    g_autoptr(WlModel) again = from_bytes (both);
    g_autofree float *pb = predict_test (again, &fx->test);

    g_assert_cmpuint (g_bytes_get_size (both), <, g_bytes_get_size (pruned_bytes) / 2);
    g_assert_cmpfloat (accuracy (pb, &fx->test), >=, accuracy (p32, &fx->test) - 0.03);
  }
  g_free (before.norms);
  g_free (after.norms);
}

static void
test_prune_range (Fixture       *fx,
                  gconstpointer  data)
{
  const double bad[] = { -0.1, 0.995, 1.0, NAN };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (wl_model_prune (fx->model, bad[i], &error));
      g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "from 0 to 0.99"));
    }
  g_assert_cmpuint (wl_model_get_storage (fx->model), ==, 0);
}

/* The linear model: its weight matrix (features x labels) in int8 with a
 * scale per feature, its features pruned by the norms of their rows. */

typedef struct
{
  WlTensorView idf;
  WlTensorView weight;
} LinearTensors;

static void
collect_linear (const WlTensorView *tensor,
                gpointer            user_data)
{
  LinearTensors *t = user_data;

  if (g_str_equal (tensor->name, "idf"))
    t->idf = *tensor;
  else if (g_str_equal (tensor->name, "fc.weight"))
    t->weight = *tensor;
}

static void
test_linear_int8 (void)
{
  TestData train = { 0 }, test = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlModel) model = NULL;
  g_autoptr(WlModel) q = NULL;
  g_autoptr(WlModel) loaded = NULL;
  g_autoptr(GBytes) fp32_bytes = NULL;
  g_autoptr(GBytes) int8_bytes = NULL;
  g_autofree float *p32 = NULL, *pq = NULL, *p8 = NULL;
  LinearTensors t = { 0 };
  gsize F, agree = 0;
  float max_diff = 0.f;

  test_data_generate (&train, 600, 1);
  test_data_generate (&test, 300, 2);
  model = test_model_train (WL_MODEL_LINEAR, &train, 5);
  p32 = predict_test (model, &test);
  fp32_bytes = to_bytes (model);
  F = ((WlLinear *) model)->n_features;

  q = wl_model_clone (model);
  g_assert_true (wl_model_quantize (q, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wl_model_get_storage (q), ==, WL_MODEL_STORAGE_INT8);
  int8_bytes = to_bytes (q);
  /* Each feature's row: N_CLASSES int8 and a two-byte scale instead of
   * N_CLASSES floats; nothing else changes. */
  g_assert_cmpuint (g_bytes_get_size (fp32_bytes) - g_bytes_get_size (int8_bytes), ==,
                    F * (4 * N_CLASSES - (N_CLASSES + 2)));

  loaded = from_bytes (int8_bytes);
  g_assert_cmpuint (wl_model_get_storage (loaded), ==, WL_MODEL_STORAGE_INT8);
  wl_model_foreach_tensor (loaded, collect_linear, &t);
  g_assert_cmpint (t.weight.dtype, ==, WL_DTYPE_I8);
  g_assert_cmpint (t.weight.shape[0], ==, (gint64) F);
  g_assert_nonnull (t.weight.row_scales);
  /* It predicts from the int8 rows: no fp32 copy of them. */
  g_assert_null (((WlLinear *) loaded)->weights);
  g_assert_nonnull (((WlLinear *) loaded)->weights_q);

  pq = predict_test (q, &test);
  p8 = predict_test (loaded, &test);
  g_assert_cmpmem (pq, test.n * N_CLASSES * sizeof (float), p8, test.n * N_CLASSES * sizeof (float));
  for (gsize i = 0; i < test.n; i++)
    {
      agree += argmax (p8 + i * N_CLASSES) == argmax (p32 + i * N_CLASSES);
      for (guint k = 0; k < N_CLASSES; k++)
        max_diff = MAX (max_diff, fabsf (p8[i * N_CLASSES + k] - p32[i * N_CLASSES + k]));
    }
  g_assert_cmpfloat (max_diff, <, 0.02f);
  g_assert_cmpfloat ((double) agree / test.n, >=, 0.99);
  g_assert_cmpfloat (accuracy (p32, &test), >, 0.9);

  /* An int8 model is not trained further. */
  {
    WlTrainContext ctx = { .n_epochs = 1, .n_threads = 1 };
    WlFeatures *features = wl_model_featurize (loaded, train.docs, train.n, 1);
    double loss;

    g_assert_false (wl_model_train_epoch (loaded, features, train.labels, &ctx, &loss, &error));
    g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
    g_clear_error (&error);
    wl_model_features_free (loaded, features);
  }
  test_data_clear (&train);
  test_data_clear (&test);
}

static double
row_norm (const float *w)
{
  double sum = 0.0;

  for (guint k = 0; k < N_CLASSES; k++)
    sum += (double) w[k] * w[k];
  return sqrt (sum);
}

static void
test_linear_prune (void)
{
  TestData train = { 0 }, test = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlModel) model = NULL;
  g_autoptr(WlModel) pruned = NULL;
  g_autoptr(WlModel) loaded = NULL;
  g_autoptr(GBytes) fp32_bytes = NULL;
  g_autoptr(GBytes) pruned_bytes = NULL;
  g_autofree float *p32 = NULL, *pp = NULL, *pl = NULL;
  LinearTensors before = { 0 }, after = { 0 };
  gint64 n, kept, m = 0;
  double smallest_kept = G_MAXDOUBLE, largest_dropped = 0.0;

  test_data_generate (&train, 600, 1);
  test_data_generate (&test, 300, 2);
  model = test_model_train (WL_MODEL_LINEAR, &train, 5);
  p32 = predict_test (model, &test);
  fp32_bytes = to_bytes (model);
  pruned = wl_model_clone (model);
  g_assert_true (wl_model_prune (pruned, 0.8, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wl_model_get_storage (pruned), ==, WL_MODEL_STORAGE_PRUNED);

  wl_model_foreach_tensor (model, collect_linear, &before);
  wl_model_foreach_tensor (pruned, collect_linear, &after);
  n = before.weight.shape[0];
  kept = after.weight.shape[0];
  g_assert_cmpint (kept, ==, n - (gint64) floor (0.8 * n));
  g_assert_cmpint (after.idf.shape[0], ==, kept);
  g_assert_cmpuint (wl_vocab_size (((WlLinear *) pruned)->vocab), ==, kept);

  /* The features kept, in their order, are those with the largest rows,
   * each with its own IDF and weights unchanged. */
  for (gint64 f = 0; f < n; f++)
    {
      const float *w = (const float *) before.weight.data + f * N_CLASSES;
      const float *idf = before.idf.data;

      if (m < kept &&
          memcmp (w, (const float *) after.weight.data + m * N_CLASSES, N_CLASSES * sizeof (float)) == 0 &&
          idf[f] == ((const float *) after.idf.data)[m])
        {
          smallest_kept = MIN (smallest_kept, row_norm (w));
          m++;
        }
      else
        largest_dropped = MAX (largest_dropped, row_norm (w));
    }
  g_assert_cmpint (m, ==, kept);
  g_assert_cmpfloat (largest_dropped, <=, smallest_kept);

  /* The file really shrinks, and the accuracy holds. */
  pruned_bytes = to_bytes (pruned);
  g_assert_cmpuint (g_bytes_get_size (pruned_bytes), <, g_bytes_get_size (fp32_bytes) / 4);
  pp = predict_test (pruned, &test);
  g_assert_cmpfloat (accuracy (pp, &test), >=, accuracy (p32, &test) - 0.02);
  loaded = from_bytes (pruned_bytes);
  g_assert_cmpuint (wl_model_get_storage (loaded), ==, WL_MODEL_STORAGE_PRUNED);
  pl = predict_test (loaded, &test);
  g_assert_cmpmem (pl, test.n * N_CLASSES * sizeof (float), pp, test.n * N_CLASSES * sizeof (float));

  /* Pruned then quantised: both, and the file smaller still. */
  g_assert_true (wl_model_quantize (loaded, &error));
  g_assert_cmpuint (wl_model_get_storage (loaded), ==, WL_MODEL_STORAGE_PRUNED | WL_MODEL_STORAGE_INT8);
  {
    g_autoptr(GBytes) both = to_bytes (loaded);
    g_autoptr(WlModel) again = from_bytes (both);
    g_autofree float *pb = predict_test (again, &test);

    g_assert_cmpuint (wl_model_get_storage (again), ==, WL_MODEL_STORAGE_PRUNED | WL_MODEL_STORAGE_INT8);
    g_assert_cmpuint (g_bytes_get_size (both), <, g_bytes_get_size (pruned_bytes));
    g_assert_cmpfloat (accuracy (pb, &test), >=, accuracy (p32, &test) - 0.03);
  }
  test_data_clear (&train);
  test_data_clear (&test);
}

/* The neural models: their embedding table in int8, a scale per row. */
static void
test_neural_int8 (gconstpointer data)
{
  WlModelType type = GPOINTER_TO_INT (data);
  TestData train = { 0 }, test = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlModel) model = NULL;
  g_autoptr(WlModel) q = NULL;
  g_autoptr(WlModel) loaded = NULL;
  g_autoptr(GBytes) fp32_bytes = NULL;
  g_autoptr(GBytes) int8_bytes = NULL;
  g_autofree float *p32 = NULL, *pq = NULL, *p8 = NULL;
  Tensors tensors = { 0 };
  const WlParam *table;
  gsize agree = 0;
  float max_diff = 0.f;

  test_data_generate (&train, 400, 1);
  test_data_generate (&test, 200, 2);
  model = test_model_train (type, &train, 6);
  p32 = predict_test (model, &test);
  fp32_bytes = to_bytes (model);
  table = &((WlNeural *) model)->params[((WlNeural *) model)->embedding];

  q = wl_model_clone (model);
  g_assert_true (wl_model_quantize (q, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wl_model_get_storage (q), ==, WL_MODEL_STORAGE_INT8);
  int8_bytes = to_bytes (q);
  /* Each embedding row: dim int8 and a two-byte scale instead of dim
   * floats; the other weights stay as they were. */
  g_assert_cmpuint (g_bytes_get_size (fp32_bytes) - g_bytes_get_size (int8_bytes), ==,
                    (gsize) table->rows * (4 * table->cols - (table->cols + 2)));

  loaded = from_bytes (int8_bytes);
  g_assert_cmpuint (wl_model_get_storage (loaded), ==, WL_MODEL_STORAGE_INT8);
  wl_model_foreach_tensor (loaded, collect_tensor, &tensors);
  g_assert_cmpint (tensors.embedding.dtype, ==, WL_DTYPE_I8);
  g_assert_cmpint (tensors.embedding.shape[0], ==, table->rows);
  g_assert_nonnull (tensors.embedding.row_scales);
  /* It predicts from the int8 table: no fp32 copy of it. */
  g_assert_null (((WlNeural *) loaded)->params[((WlNeural *) loaded)->embedding].host);
  g_assert_nonnull (((WlNeural *) loaded)->embedding_q);

  pq = predict_test (q, &test);
  p8 = predict_test (loaded, &test);
  g_assert_cmpmem (pq, test.n * N_CLASSES * sizeof (float), p8, test.n * N_CLASSES * sizeof (float));
  for (gsize i = 0; i < test.n; i++)
    {
      agree += argmax (p8 + i * N_CLASSES) == argmax (p32 + i * N_CLASSES);
      for (guint k = 0; k < N_CLASSES; k++)
        max_diff = MAX (max_diff, fabsf (p8[i * N_CLASSES + k] - p32[i * N_CLASSES + k]));
    }
  g_assert_cmpfloat (max_diff, <, 0.02f);
  g_assert_cmpfloat ((double) agree / test.n, >=, 0.98);

  {
    WlTrainContext ctx = { .n_epochs = 1, .n_threads = 1 };
    WlFeatures *features = wl_model_featurize (loaded, train.docs, train.n, 1);
    double loss;

    g_assert_false (wl_model_train_epoch (loaded, features, train.labels, &ctx, &loss, &error));
    g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
    g_clear_error (&error);
    wl_model_features_free (loaded, features);
  }
  g_free (tensors.norms);
  test_data_clear (&train);
  test_data_clear (&test);
}

/* The neural models' words pruned by the norms of their embedding rows. */
static void
test_neural_prune (gconstpointer data)
{
  WlModelType type = GPOINTER_TO_INT (data);
  TestData train = { 0 }, test = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlModel) model = NULL;
  g_autoptr(WlModel) pruned = NULL;
  g_autoptr(WlModel) loaded = NULL;
  g_autoptr(GBytes) fp32_bytes = NULL;
  g_autoptr(GBytes) pruned_bytes = NULL;
  g_autofree float *p32 = NULL, *pp = NULL, *pl = NULL;
  Tensors before = { 0 }, after = { 0 };
  gint64 words, kept;

  test_data_generate (&train, 400, 1);
  test_data_generate (&test, 200, 2);
  model = test_model_train (type, &train, 6);
  p32 = predict_test (model, &test);
  fp32_bytes = to_bytes (model);
  pruned = wl_model_clone (model);
  g_assert_true (wl_model_prune (pruned, 0.3, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wl_model_get_storage (pruned), ==, WL_MODEL_STORAGE_PRUNED);

  wl_model_foreach_tensor (model, collect_tensor, &before);
  wl_model_foreach_tensor (pruned, collect_tensor, &after);
  words = before.embedding.shape[0] - 1;     /* row 0: the unknown word */
  kept = after.embedding.shape[0] - 1;
  g_assert_cmpint (kept, ==, words - (gint64) floor (0.3 * words));
  g_assert_cmpuint (wl_vocab_size (((WlNeural *) pruned)->vocab), ==, kept);
  /* The unknown word's row stays; the words kept have the largest rows. */
  g_assert_cmpfloat (after.norms[0], ==, before.norms[0]);
  qsort (before.norms + 1, words, sizeof (float), compare_desc);
  qsort (after.norms + 1, kept, sizeof (float), compare_desc);
  for (gint64 r = 1; r <= kept; r++)
    g_assert_cmpfloat (after.norms[r], ==, before.norms[r]);

  pruned_bytes = to_bytes (pruned);
  g_assert_cmpuint (g_bytes_get_size (pruned_bytes) + (gsize) (words - kept) * before.embedding.shape[1] * 4, <=,
                    g_bytes_get_size (fp32_bytes));
  pp = predict_test (pruned, &test);
  /* These models are tiny (dim 8) and a third of their words go: the
   * recurrent ones lose the most. */
  g_assert_cmpfloat (accuracy (pp, &test), >=, accuracy (p32, &test) - 0.1);
  /* Pruning nothing renumbers nothing: the same probabilities. */
  {
    g_autoptr(WlModel) all = wl_model_clone (model);
    g_autofree float *pa = NULL;

    g_assert_true (wl_model_prune (all, 0.0, &error));
    pa = predict_test (all, &test);
    g_assert_cmpmem (pa, test.n * N_CLASSES * sizeof (float), p32, test.n * N_CLASSES * sizeof (float));
  }
  loaded = from_bytes (pruned_bytes);
  g_assert_cmpuint (wl_model_get_storage (loaded), ==, WL_MODEL_STORAGE_PRUNED);
  pl = predict_test (loaded, &test);
  g_assert_cmpmem (pl, test.n * N_CLASSES * sizeof (float), pp, test.n * N_CLASSES * sizeof (float));

  g_assert_true (wl_model_quantize (loaded, &error));
  {
    g_autoptr(GBytes) both = to_bytes (loaded);
    g_autoptr(WlModel) again = from_bytes (both);

    g_assert_cmpuint (wl_model_get_storage (again), ==, WL_MODEL_STORAGE_PRUNED | WL_MODEL_STORAGE_INT8);
    g_assert_cmpuint (g_bytes_get_size (both), <, g_bytes_get_size (pruned_bytes));
  }
  g_free (before.norms);
  g_free (after.norms);
  test_data_clear (&train);
  test_data_clear (&test);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/compress/int8-round-trip", Fixture, NULL, fixture_set_up, test_int8_round_trip, fixture_tear_down);
  g_test_add ("/compress/prune", Fixture, NULL, fixture_set_up, test_prune, fixture_tear_down);
  g_test_add ("/compress/prune-range", Fixture, NULL, fixture_set_up, test_prune_range, fixture_tear_down);
  g_test_add_func ("/compress/linear-int8", test_linear_int8);
  g_test_add_func ("/compress/linear-prune", test_linear_prune);
  g_test_add_data_func ("/compress/neural-int8/mlp", GINT_TO_POINTER (WL_MODEL_MLP), test_neural_int8);
  g_test_add_data_func ("/compress/neural-int8/textcnn", GINT_TO_POINTER (WL_MODEL_TEXTCNN), test_neural_int8);
  g_test_add_data_func ("/compress/neural-int8/lstm", GINT_TO_POINTER (WL_MODEL_LSTM), test_neural_int8);
  g_test_add_data_func ("/compress/neural-int8/gru", GINT_TO_POINTER (WL_MODEL_GRU), test_neural_int8);
  g_test_add_data_func ("/compress/neural-prune/mlp", GINT_TO_POINTER (WL_MODEL_MLP), test_neural_prune);
  g_test_add_data_func ("/compress/neural-prune/textcnn", GINT_TO_POINTER (WL_MODEL_TEXTCNN), test_neural_prune);
  g_test_add_data_func ("/compress/neural-prune/lstm", GINT_TO_POINTER (WL_MODEL_LSTM), test_neural_prune);
  g_test_add_data_func ("/compress/neural-prune/gru", GINT_TO_POINTER (WL_MODEL_GRU), test_neural_prune);
  return g_test_run ();
}
