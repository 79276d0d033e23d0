/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models-test-util.h: generated documents and configs for the model tests. */
#pragma once

#include <math.h>
#include <string.h>

#include "wl-config.h"
#include "text/wl-tokens.h"

#define N_CLASSES 3

typedef struct
{
  WlTokenList *docs;
  guint32     *labels;
  gsize        n;
} TestData;

/* Packs @tokens (NULL-terminated) into @list. */
static inline void
test_token_list_set (WlTokenList        *list,
                     const char * const *tokens)
{
  GString *buf = g_string_new (NULL);
  guint n = tokens != NULL ? g_strv_length ((char **) tokens) : 0;

  list->offsets = g_new (guint32, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      list->offsets[i] = buf->len;
      g_string_append_len (buf, tokens[i], strlen (tokens[i]) + 1);
    }
  list->n_tokens = n;
  list->buf_len = buf->len;
  list->buf = g_string_free (buf, FALSE);
}

static inline void
test_data_clear (TestData *data)
{
  for (gsize i = 0; i < data->n; i++)
    {
      g_free (data->docs[i].buf);
      g_free (data->docs[i].offsets);
    }
  g_clear_pointer (&data->docs, g_free);
  g_clear_pointer (&data->labels, g_free);
  data->n = 0;
}

/* @n documents of N_CLASSES classes, separable by their words: each has a
 * few words of its own class among words every class uses.  The same seed
 * gives the same documents. */
static inline void
test_data_generate (TestData *data,
                    gsize     n,
                    guint32   seed)
{
  GRand *rand = g_rand_new_with_seed (seed);

  data->n = n;
  data->docs = g_new0 (WlTokenList, n);
  data->labels = g_new (guint32, n);
  for (gsize i = 0; i < n; i++)
    {
      guint32 label = g_rand_int_range (rand, 0, N_CLASSES);
      guint len = g_rand_int_range (rand, 6, 14);
      GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);

      for (guint t = 0; t < len; t++)
        {
          if (g_rand_int_range (rand, 0, 3) == 0)
            g_ptr_array_add (tokens, g_strdup_printf ("c%u_w%d", label, g_rand_int_range (rand, 0, 12)));
          else
            g_ptr_array_add (tokens, g_strdup_printf ("common%d", g_rand_int_range (rand, 0, 40)));
        }
      /* At least one word of its class. */
      g_ptr_array_add (tokens, g_strdup_printf ("c%u_w%d", label, g_rand_int_range (rand, 0, 12)));
      g_ptr_array_add (tokens, NULL);
      test_token_list_set (&data->docs[i], (const char * const *) tokens->pdata);
      data->labels[i] = label;
      g_ptr_array_unref (tokens);
    }
  g_rand_free (rand);
}

static inline WlConfig *
test_config_new (WlModelType type)
{
  WlConfig *config = wl_config_new ();

  config->model.type = type;
  config->threads = 1;
  return config;
}

#include "models/wl-model.h"

/* A small model of @type built and trained for @epochs on @data. */
static inline WlModel *
test_model_train (WlModelType     type,
                  const TestData *data,
                  guint           epochs)
{
  g_autoptr(WlConfig) config = test_config_new (type);
  g_autoptr(GError) error = NULL;
  WlModel *model;
  WlFeatures *features;
  WlTrainContext ctx = { .n_epochs = epochs, .n_threads = 1, .seed = 7 };

  /* Only the settings the model uses: a model file keeps no others. */
  if (type != WL_MODEL_LINEAR)
    config->model.dim = 8;
  if (type == WL_MODEL_EMBEDDING_BAG)
    config->model.buckets = 128;
  model = wl_model_new (config, N_CLASSES);
  g_assert_true (wl_model_build (model, data->docs, data->labels, data->n, 1, &error));
  g_assert_no_error (error);
  features = wl_model_featurize (model, data->docs, data->n, 1);
  for (ctx.epoch = 0; ctx.epoch < epochs; ctx.epoch++)
    {
      double loss;

      g_assert_true (wl_model_train_epoch (model, features, data->labels, &ctx, &loss, &error));
      g_assert_no_error (error);
      g_assert_true (isfinite (loss));
    }
  wl_model_features_free (model, features);
  return model;
}

static const char * const test_label_names[N_CLASSES] = { "sport", "politique", "科技" };
