/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-neural-features.c: the neural models' vocabulary and token-id features. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdatomic.h>
#include <string.h>

#include "wl-error.h"
#include "models/wl-neural-private.h"

typedef struct
{
  GArray *keys;   /* guint64 per token */
  GArray *ids;    /* guint32 per token */
} Scratch;

static gpointer
scratch_new (const WlModel *model)
{
  Scratch *scratch = g_new0 (Scratch, 1);

  scratch->keys = g_array_new (FALSE, FALSE, sizeof (guint64));
  scratch->ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  return scratch;
}

static void
scratch_free (gpointer data)
{
  Scratch *scratch = data;

  g_array_unref (scratch->keys);
  g_array_unref (scratch->ids);
  g_free (scratch);
}

/* The keys of the first max_length tokens of @doc. */
static guint32
hash_doc (const WlModel     *model,
          const WlTokenList *doc,
          Scratch           *scratch)
{
  guint32 n = MIN (doc->n_tokens, model->config->model.max_length);

  g_array_set_size (scratch->keys, n);
  for (guint32 t = 0; t < n; t++)
    {
      guint32 h32;

      wl_hash_token (wl_token_list_get (doc, t), &h32, &g_array_index (scratch->keys, guint64, t));
    }
  return n;
}

static gboolean
count_words (const WlTokenList *docs,
             gsize              n_docs,
             guint              part,
             WlVocab           *vocab,
             gpointer           data)
{
  const WlModel *model = data;
  Scratch *scratch = scratch_new (model);
  gboolean ok = TRUE;

  for (gsize d = 0; d < n_docs && ok; d++)
    {
      guint32 n = hash_doc (model, &docs[d], scratch);

      for (guint32 t = 0; t < n && ok; t++)
        {
          guint64 key = g_array_index (scratch->keys, guint64, t);
          guint32 id = wl_vocab_lookup (vocab, key);

          if (id == WL_VOCAB_NONE)
            {
              const char *text = wl_token_list_get (&docs[d], t);

              id = wl_vocab_insert (vocab, key, text, strlen (text));
              ok = id != WL_VOCAB_NONE;
            }
          if (ok)
            wl_vocab_count_in_doc (vocab, id, d);
        }
    }
  scratch_free (scratch);
  return ok;
}

gboolean
wl_neural_build (WlModel            *model,
                 const WlTokenList  *docs,
                 const guint32      *labels,
                 gsize               n_docs,
                 guint               n_threads,
                 GError            **error)
{
  WlNeural *self = (WlNeural *) model;
  guint32 min_count = model->config->model.min_count;

  g_return_val_if_fail (self->vocab == NULL, FALSE);

  self->vocab = wl_vocab_count (docs, n_docs, n_threads, count_words, model);
  if (self->vocab == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory for the vocabulary: raise min_count"));
      return FALSE;
    }
  wl_vocab_prune (self->vocab, min_count);
  if (wl_vocab_size (self->vocab) == 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA,
                   _("no word occurs %u or more times in the training documents: lower "
                     "min_count or check the cleaning settings"), min_count);
      return FALSE;
    }
  if (wl_vocab_size (self->vocab) >= G_MAXINT32)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("%u words are too many: raise min_count"), wl_vocab_size (self->vocab));
      return FALSE;
    }
  self->n_rows = wl_vocab_size (self->vocab) + 1;
  if (!wl_neural_alloc_params (self, error))
    return FALSE;
  wl_neural_init_params (self);
  self->state->device_stale = TRUE;
  return TRUE;
}

static void
featurize_doc (const WlModel     *model,
               const WlTokenList *doc,
               GArray            *ids,
               GArray            *values,
               gpointer           data)
{
  const WlNeural *self = (const WlNeural *) model;
  Scratch *scratch = data;
  guint32 n = hash_doc (model, doc, scratch);

  g_array_set_size (scratch->ids, n);
  wl_vocab_lookup_many (self->vocab, (const guint64 *) scratch->keys->data, n,
                        (guint32 *) scratch->ids->data);
  for (guint32 t = 0; t < n; t++)
    {
      guint32 id = g_array_index (scratch->ids, guint32, t);

      id = id == WL_VOCAB_NONE ? WL_NEURAL_UNK : id + 1;
      g_array_append_val (ids, id);
    }
  /* Every sequence has a step: an empty text reads as one unknown word. */
  if (n == 0)
    {
      guint32 unknown = WL_NEURAL_UNK;

      g_array_append_val (ids, unknown);
    }
}

WlFeatures *
wl_neural_featurize (const WlModel     *model,
                     const WlTokenList *docs,
                     gsize              n_docs,
                     guint              n_threads)
{
  static atomic_uint_fast64_t serial = 1;
  WlNeuralFeatures *features;
  WlFeatures *built;

  g_return_val_if_fail (((const WlNeural *) model)->vocab != NULL, NULL);

  built = wl_features_build (model, docs, n_docs, n_threads, FALSE, featurize_doc,
                             scratch_new, scratch_free);
  if (built == NULL)
    return NULL;
  /* Same pointer for wl_features_free(): base is the first member. */
  features = g_new0 (WlNeuralFeatures, 1);
  features->base = *built;
  features->serial = atomic_fetch_add (&serial, 1);
  g_free (built);
  return &features->base;
}
