/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-compress.c: int8 quantisation and pruning of every model, driven
 * by one table of what each must give. */
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

/* A model built from @config and trained for @epochs on @train. */
static WlModel *
train_with (const WlConfig *config,
            const TestData *train,
            guint           epochs)
{
  g_autoptr(GError) error = NULL;
  WlTrainContext ctx = { .n_epochs = epochs, .n_threads = 1, .seed = 7 };
  WlModel *model = wl_model_new (config, N_CLASSES);
  WlFeatures *features;

  g_assert_true (wl_model_build (model, train->docs, train->labels, train->n, 1, &error));
  features = wl_model_featurize (model, train->docs, train->n, 1);
  for (ctx.epoch = 0; ctx.epoch < ctx.n_epochs; ctx.epoch++)
    {
      double loss;

      g_assert_true (wl_model_train_epoch (model, features, train->labels, &ctx, &loss, &error));
      g_assert_no_error (error);
    }
  wl_model_features_free (model, features);
  return model;
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
  const char   *name;      /* the tensor whose rows to look at */
  guint         n_tensors;
  WlTensorView  rows;
  float        *norms;     /* of its rows */
} Tensors;

static void
collect_tensor (const WlTensorView *tensor,
                gpointer            user_data)
{
  Tensors *t = user_data;

  t->n_tensors++;
  if (!g_str_equal (tensor->name, t->name))
    return;
  t->rows = *tensor;
  t->norms = g_new (float, tensor->shape[0]);
  for (gint64 r = 0; r < tensor->shape[0]; r++)
    {
      double sum = 0.0;

      for (gint64 d = 0; d < tensor->shape[1]; d++)
        {
          double v = tensor->dtype == WL_DTYPE_I8
                       ? ((const gint8 *) tensor->data)[r * tensor->shape[1] + d] *
                           (double) tensor->scales[tensor->scale_axis == 0 ? r : d]
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

/* One model of each kind, and what quantising and pruning it must give. */
typedef struct
{
  const char  *name;
  WlModelType  type;
  const char  *rows;         /* the tensor whose rows are quantised and pruned */
  gint64       n_fixed;      /* its first rows, never pruned (the unknown word) */
  guint        dim;          /* 0: the test default */
  guint        buckets;
  gsize        n_train;
  guint        epochs;
  double       int8_ratio;   /* fp32 file size / int8 file size, at least */
  double       agree;        /* int8 gives fp32's label this often, at least */
  double       sparsity;
  double       prune_loss;   /* accuracy pruning may lose */
  double       prune_ratio;  /* fp32 file size / pruned file size, at least */
} Case;

static const Case cases[] = {
  { "embedding-bag", WL_MODEL_EMBEDDING_BAG, "embedding", 0, DIM, BUCKETS, 600, 10,
    3.5, 0.99, 0.9, 0.02, 5.0 },
  { "linear", WL_MODEL_LINEAR, "fc.weight", 0, 0, 0, 600, 5,
    3.5, 0.99, 0.8, 0.02, 4.0 },
  /* Every weight matrix of mlp and textcnn is int8: 64-wide embeddings
   * make the weights, not the settings and the vocabulary, most of the
   * file.  The recurrent models' W_hh stays fp32. */
  { "mlp", WL_MODEL_MLP, "embedding", 1, DIM, 0, 400, 6, 3.5, 0.98, 0.3, 0.1, 1.0 },
  { "textcnn", WL_MODEL_TEXTCNN, "embedding", 1, DIM, 0, 400, 6, 3.5, 0.98, 0.3, 0.1, 1.0 },
  { "lstm", WL_MODEL_LSTM, "embedding", 1, 0, 0, 400, 6, 1.1, 0.98, 0.3, 0.1, 1.0 },
  { "gru", WL_MODEL_GRU, "embedding", 1, 0, 0, 400, 6, 1.1, 0.98, 0.3, 0.1, 1.0 },
};

typedef struct
{
  const Case *c;
  TestData    train;
  TestData    test;
  WlModel    *model;     /* fp32, trained */
  float      *p32;       /* its probabilities on the test documents */
} CaseFixture;

static void
case_set_up (CaseFixture   *fx,
             gconstpointer  data)
{
  const Case *c = data;

  fx->c = c;
  test_data_generate (&fx->train, c->n_train, 1);
  test_data_generate (&fx->test, c->n_train / 2, 2);
  if (c->dim == 0)
    fx->model = test_model_train (c->type, &fx->train, c->epochs);
  else
    {
      g_autoptr(WlConfig) config = test_config_new (c->type);

      config->model.dim = c->dim;
      config->model.buckets = c->buckets;
      fx->model = train_with (config, &fx->train, c->epochs);
    }
  fx->p32 = predict_test (fx->model, &fx->test);
}

static void
case_tear_down (CaseFixture   *fx,
                gconstpointer  data)
{
  test_data_clear (&fx->train);
  test_data_clear (&fx->test);
  wl_model_free (fx->model);
  g_free (fx->p32);
}

/* The tensors of @model, and the L2 norms of the rows of @name. */
static void
collect (WlModel    *model,
         const char *name,
         Tensors    *t)
{
  memset (t, 0, sizeof *t);
  t->name = name;
  wl_model_foreach_tensor (model, collect_tensor, t);
  g_assert_nonnull (t->norms);
}

/* Whether @model holds an fp32 copy of a tensor it has in int8. */
static gboolean
holds_fp32_copy (WlModel     *model,
                 WlModelType  type)
{
  switch (type)
    {
    case WL_MODEL_EMBEDDING_BAG:
      return ((WlEmbeddingBag *) model)->input != NULL || ((WlEmbeddingBag *) model)->input_q == NULL;
    case WL_MODEL_LINEAR:
      return ((WlLinear *) model)->weights != NULL || ((WlLinear *) model)->weights_q == NULL;
    default:
      {
        WlNeural *neural = (WlNeural *) model;

        /* Every weight matrix but the recurrent W_hh (the recurrent ops
         * take it whole in fp32) and the embedding table. */
        for (guint p = 0; p < neural->n_params; p++)
          {
            const WlParam *param = &neural->params[p];

            if (param->kind != WL_PARAM_VECTOR && !param->whole &&
                (param->host != NULL || param->w != NULL || param->q == NULL))
              return TRUE;
          }
        return FALSE;
      }
    }
}

static void
assert_not_trainable (WlModel        *model,
                      const TestData *train)
{
  g_autoptr(GError) error = NULL;
  WlTrainContext ctx = { .n_epochs = 1, .n_threads = 1 };
  WlFeatures *features = wl_model_featurize (model, train->docs, train->n, 1);
  double loss;

  g_assert_false (wl_model_train_epoch (model, features, train->labels, &ctx, &loss, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  wl_model_features_free (model, features);
}

static void
assert_same_probs (const float    *a,
                   const float    *b,
                   const TestData *test)
{
  g_assert_cmpmem (a, test->n * N_CLASSES * sizeof (float), b, test->n * N_CLASSES * sizeof (float));
}

static void
test_int8 (CaseFixture   *fx,
           gconstpointer  data)
{
  const Case *c = fx->c;
  const TestData *test = &fx->test;
  g_autoptr(GError) error = NULL;
  g_autoptr(WlModel) q = wl_model_clone (fx->model);
  g_autoptr(WlModel) loaded = NULL;
  g_autoptr(GBytes) fp32_bytes = to_bytes (fx->model);
  g_autoptr(GBytes) int8_bytes = NULL;
  g_autofree float *pq = NULL, *p8 = NULL;
  Tensors tensors;
  gsize agree = 0;
  float max_diff = 0.f;

  g_assert_cmpuint (wl_model_get_storage (fx->model), ==, 0);
  g_assert_true (wl_model_quantize (q, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wl_model_get_storage (q), ==, WL_MODEL_STORAGE_INT8);
  int8_bytes = to_bytes (q);
  g_test_message ("%s: fp32 %zu bytes, int8 %zu bytes", c->name, g_bytes_get_size (fp32_bytes),
                  g_bytes_get_size (int8_bytes));
  g_assert_cmpfloat ((double) g_bytes_get_size (fp32_bytes) / g_bytes_get_size (int8_bytes), >=,
                     c->int8_ratio);

  loaded = from_bytes (int8_bytes);
  g_assert_cmpuint (wl_model_get_storage (loaded), ==, WL_MODEL_STORAGE_INT8);
  collect (loaded, c->rows, &tensors);
  g_assert_cmpint (tensors.rows.dtype, ==, WL_DTYPE_I8);
  g_assert_nonnull (tensors.rows.scales);
  g_free (tensors.norms);
  /* It predicts from the int8 weights: it holds no fp32 copy of them. */
  g_assert_false (holds_fp32_copy (loaded, c->type));

  /* What is stored is what ran: the model read back predicts exactly as
   * the quantised one did; within a stated tolerance of fp32: each
   * probability within 0.02, and mostly the same label. */
  pq = predict_test (q, test);
  p8 = predict_test (loaded, test);
  assert_same_probs (pq, p8, test);
  for (gsize i = 0; i < test->n; i++)
    {
      agree += argmax (p8 + i * N_CLASSES) == argmax (fx->p32 + i * N_CLASSES);
      for (guint k = 0; k < N_CLASSES; k++)
        max_diff = MAX (max_diff, fabsf (p8[i * N_CLASSES + k] - fx->p32[i * N_CLASSES + k]));
    }
  g_assert_cmpfloat (max_diff, <, 0.02f);
  g_assert_cmpfloat ((double) agree / test->n, >=, c->agree);

  /* An int8 model is not trained further, nor pruned: prune the fp32
   * model first. */
  assert_not_trainable (loaded, &fx->train);
  g_assert_false (wl_model_prune (loaded, 0.5, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
}

static void
test_prune (CaseFixture   *fx,
            gconstpointer  data)
{
  const Case *c = fx->c;
  const TestData *test = &fx->test;
  g_autoptr(GError) error = NULL;
  g_autoptr(WlModel) pruned = wl_model_clone (fx->model);
  g_autoptr(WlModel) loaded = NULL;
  g_autoptr(GBytes) fp32_bytes = to_bytes (fx->model);
  g_autoptr(GBytes) pruned_bytes = NULL;
  g_autofree float *pp = NULL, *pl = NULL;
  Tensors before, after;
  gint64 n, kept;

  g_assert_true (wl_model_prune (pruned, c->sparsity, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wl_model_get_storage (pruned), ==, WL_MODEL_STORAGE_PRUNED);

  collect (fx->model, c->rows, &before);
  collect (pruned, c->rows, &after);
  n = before.rows.shape[0] - c->n_fixed;
  kept = after.rows.shape[0] - c->n_fixed;
  g_assert_cmpint (kept, ==, n - (gint64) floor (c->sparsity * n));
  /* The fixed rows stay; the rows kept are those with the largest norms,
   * unchanged. */
  for (gint64 r = 0; r < c->n_fixed; r++)
    g_assert_cmpfloat (after.norms[r], ==, before.norms[r]);
  qsort (before.norms + c->n_fixed, n, sizeof (float), compare_desc);
  qsort (after.norms + c->n_fixed, kept, sizeof (float), compare_desc);
  for (gint64 r = c->n_fixed; r < c->n_fixed + kept; r++)
    g_assert_cmpfloat (after.norms[r], ==, before.norms[r]);
  g_assert_cmpint (after.n_tensors, ==, before.n_tensors);
  /* The vocabulary (and linear's IDF) shrinks with the rows. */
  if (c->type == WL_MODEL_LINEAR)
    {
      g_assert_cmpuint (wl_vocab_size (((WlLinear *) pruned)->vocab), ==, kept);
      g_assert_cmpuint (((WlLinear *) pruned)->n_features, ==, kept);
    }
  else if (c->type != WL_MODEL_EMBEDDING_BAG)
    g_assert_cmpuint (wl_vocab_size (((WlNeural *) pruned)->vocab), ==, kept);

  /* The file really shrinks: the dropped rows are not stored (the kept
   * rows may need an index each). */
  pruned_bytes = to_bytes (pruned);
  g_assert_cmpuint (g_bytes_get_size (pruned_bytes) + (gsize) (n - kept) * before.rows.shape[1] * 4, <=,
                    g_bytes_get_size (fp32_bytes) + (gsize) kept * 4);
  g_assert_cmpfloat ((double) g_bytes_get_size (fp32_bytes) / g_bytes_get_size (pruned_bytes), >=,
                     c->prune_ratio);

  /* The rows that tell the classes apart stay: the accuracy holds, and
   * the loaded model predicts as the pruned one did. */
  pp = predict_test (pruned, test);
  g_assert_cmpfloat (accuracy (pp, test), >=, accuracy (fx->p32, test) - c->prune_loss);
  loaded = from_bytes (pruned_bytes);
  g_assert_cmpuint (wl_model_get_storage (loaded), ==, WL_MODEL_STORAGE_PRUNED);
  pl = predict_test (loaded, test);
  assert_same_probs (pl, pp, test);
  /* Pruning nothing renumbers nothing: the same probabilities. */
  {
    g_autoptr(WlModel) all = wl_model_clone (fx->model);
    g_autofree float *pa = NULL;

    g_assert_true (wl_model_prune (all, 0.0, &error));
    pa = predict_test (all, test);
    assert_same_probs (pa, fx->p32, test);
  }

  /* Pruned then quantised: both, and smaller still. */
  g_assert_true (wl_model_quantize (loaded, &error));
  g_assert_cmpuint (wl_model_get_storage (loaded), ==, WL_MODEL_STORAGE_PRUNED | WL_MODEL_STORAGE_INT8);
  {
    g_autoptr(GBytes) both = to_bytes (loaded);
    g_autoptr(WlModel) again = from_bytes (both);
    g_autofree float *pb = predict_test (again, test);

    g_assert_cmpuint (wl_model_get_storage (again), ==, WL_MODEL_STORAGE_PRUNED | WL_MODEL_STORAGE_INT8);
    g_assert_cmpuint (g_bytes_get_size (both), <, g_bytes_get_size (pruned_bytes));
    g_assert_cmpfloat (accuracy (pb, test), >=, accuracy (fx->p32, test) - c->prune_loss - 0.01);
  }
  g_free (before.norms);
  g_free (after.norms);
}

static void
test_prune_range (CaseFixture   *fx,
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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *int8 = g_strconcat ("/compress/int8/", cases[i].name, NULL);
      g_autofree char *prune = g_strconcat ("/compress/prune/", cases[i].name, NULL);

      g_test_add (int8, CaseFixture, &cases[i], case_set_up, test_int8, case_tear_down);
      g_test_add (prune, CaseFixture, &cases[i], case_set_up, test_prune, case_tear_down);
    }
  g_test_add ("/compress/prune-range", CaseFixture, &cases[0], case_set_up, test_prune_range,
              case_tear_down);
  return g_test_run ();
}
