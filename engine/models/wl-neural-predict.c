/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-neural-predict.c: prediction of the neural models, a block of
 * documents at a time (see wl-neural.h), and the logits for tests. */
#include "config.h"

#include <string.h>

#include "wl-error.h"
#include "models/wl-neural-private.h"

#define PREDICT_BLOCK 256
#define PREDICT_BATCH 64

/* The probabilities of @docs (as a batch of at most PREDICT_BATCH) into
 * @probs, each at its document's row. */
static gboolean
predict_batch (WlNeural          *self,
               const WlFeatures  *features,
               const guint32     *docs,
               gsize              n,
               float             *probs,
               gsize              first_doc,
               GError           **error)
{
  WlNeuralState *state = self->state;
  guint K = self->parent.n_labels;
  float scores[PREDICT_BATCH * 64];
  g_autofree float *heap = n * K > G_N_ELEMENTS (scores) ? g_new (float, n * K) : NULL;
  float *out = heap != NULL ? heap : scores;

  if (!wl_neural_batch_fill (self, features, NULL, docs, n, FALSE, 0, error) ||
      !wl_neural_batch_run (self, FALSE, 1.0, error) ||
      !wl_buffer_read (state->probs, 0, out, n * K, error))
    return FALSE;
  for (gsize j = 0; j < n; j++)
    memcpy (probs + (state->batch.docs[j] - first_doc) * K, out + j * K, K * sizeof (float));
  return TRUE;
}

static gboolean
predict_block (WlNeural          *self,
               const WlFeatures  *features,
               gsize              block,
               GError           **error)
{
  WlNeuralState *state = self->state;
  gsize begin = block * PREDICT_BLOCK, end = MIN (begin + PREDICT_BLOCK, features->n_docs);
  guint32 docs[PREDICT_BLOCK], positions[PREDICT_BLOCK], sorted[PREDICT_BLOCK];

  if (self->backend == NULL)
    {
      g_autoptr(GError) local_error = NULL;
      guint n_threads = wl_config_get_threads (self->parent.config);

      /* A model from another machine: its device may not be here. */
      if (!wl_neural_open_device (self, n_threads, &local_error))
        {
          g_debug ("%s; predicting on blas", local_error->message);
          g_free (self->parent.config->model.device);
          self->parent.config->model.device = g_strdup ("blas");
          if (!wl_neural_open_device (self, n_threads, error))
            return FALSE;
        }
    }
  if (!wl_neural_sync_device (self, error))
    return FALSE;

  for (gsize d = begin; d < end; d++)
    docs[d - begin] = (guint32) d;
  wl_neural_sort_longest (features, docs, positions, end - begin);
  for (gsize j = 0; j < end - begin; j++)
    sorted[j] = docs[positions[j]];
  for (gsize j = 0; j < end - begin; j += PREDICT_BATCH)
    if (!predict_batch (self, features, sorted + j, MIN (PREDICT_BATCH, end - begin - j),
                        state->cache_probs + begin * self->parent.n_labels, begin, error))
      return FALSE;
  return TRUE;
}

void
wl_neural_predict (const WlModel    *model,
                   const WlFeatures *features,
                   gsize             i,
                   float            *probs)
{
  WlNeural *self = (WlNeural *) model;
  WlNeuralState *state = self->state;
  const WlNeuralFeatures *f = (const WlNeuralFeatures *) features;
  guint K = model->n_labels;
  gsize block = i / PREDICT_BLOCK;

  g_mutex_lock (&state->lock);
  if (state->cache_serial != f->serial || state->cache_generation != state->generation ||
      state->cache_n != features->n_docs)
    {
      gsize n_blocks = (features->n_docs + PREDICT_BLOCK - 1) / PREDICT_BLOCK;

      g_free (state->cache_probs);
      g_free (state->cache_done);
      state->cache_probs = g_new (float, features->n_docs * K);
      state->cache_done = g_new0 (guint8, n_blocks);
      state->cache_serial = f->serial;
      state->cache_generation = state->generation;
      state->cache_n = features->n_docs;
    }
  if (!state->cache_done[block])
    {
      g_autoptr(GError) error = NULL;

      if (!predict_block (self, features, block, &error))
        {
          g_warning ("%s: %s", model->klass->name, error->message);
          for (guint k = 0; k < K; k++)
            probs[k] = 1.f / K;
          g_mutex_unlock (&state->lock);
          return;
        }
      state->cache_done[block] = TRUE;
    }
  memcpy (probs, state->cache_probs + i * K, K * sizeof (float));
  g_mutex_unlock (&state->lock);
}

/* For tests */

gboolean
wl_neural_logits (WlModel           *model,
                  const WlFeatures  *features,
                  const guint32     *docs,
                  gsize              n,
                  float             *logits,
                  GError           **error)
{
  WlNeural *self = (WlNeural *) model;
  WlNeuralState *state = self->state;
  guint K = model->n_labels;
  g_autofree float *sorted = g_new (float, n * K);
  gboolean ok;

  g_mutex_lock (&state->lock);
  ok = wl_neural_open_device (self, 1, error) &&
       wl_neural_batch_fill (self, features, NULL, docs, n, FALSE, 0, error) &&
       self->nclass->forward (self, &state->batch, error) &&
       wl_buffer_read (state->batch.logits, 0, sorted, n * K, error);
  if (ok)
    for (gsize j = 0; j < n; j++)
      memcpy (logits + state->host.positions[j] * K, sorted + j * K, K * sizeof (float));
  g_mutex_unlock (&state->lock);
  return ok;
}
