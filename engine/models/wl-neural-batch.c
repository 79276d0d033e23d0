/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-neural-batch.c: a batch of the neural models, assembled on the host
 * (its documents longest first, their labels, the embedding rows they
 * touch) and then put on the backend.
 *
 * The two halves are apart so that training can assemble the next batch
 * on a prefetch thread while the current one steps (wl-neural-train.c):
 * wl_neural_batch_assemble() reads only the features and writes only the
 * WlBatchHost it is given and the row stamps, which nothing else touches
 * while training; wl_neural_batch_upload() then takes state->host on the
 * training thread.  Predicting does both at once (wl_neural_batch_fill()).
 */
#include "config.h"

#include "models/wl-neural-private.h"

typedef struct
{
  const WlFeatures *features;
  const guint32    *docs;
} SortData;

static gsize
doc_length (const WlFeatures *features,
            guint32           doc)
{
  return features->offsets[doc + 1] - features->offsets[doc];
}

/* Longest first, then in the given order (positions into docs). */
static gint
compare_longest (gconstpointer a,
                 gconstpointer b,
                 gpointer      data)
{
  const SortData *sort = data;
  guint32 i = *(const guint32 *) a, j = *(const guint32 *) b;
  gsize li = doc_length (sort->features, sort->docs[i]);
  gsize lj = doc_length (sort->features, sort->docs[j]);

  if (li != lj)
    return li > lj ? -1 : 1;
  return i < j ? -1 : i > j;
}

void
wl_neural_sort_longest (const WlFeatures *features,
                        const guint32    *docs,
                        guint32          *positions,
                        gsize             n)
{
  SortData sort = { features, docs };

  for (gsize j = 0; j < n; j++)
    positions[j] = (guint32) j;
  g_qsort_with_data (positions, (gint) n, sizeof (guint32), compare_longest, &sort);
}

void
wl_batch_host_clear (WlBatchHost *host)
{
  g_free (host->docs);
  g_free (host->tokens);
  g_free (host->lengths);
  g_free (host->positions);
  g_free (host->labels);
  g_free (host->rows);
  *host = (WlBatchHost) { 0 };
}

static void
reserve (WlBatchHost *host,
         gsize        n)
{
  if (host->capacity >= n)
    return;
  host->capacity = MAX (n, 2 * host->capacity);
  host->docs = g_renew (guint32, host->docs, host->capacity);
  host->tokens = g_renew (const guint32 *, host->tokens, host->capacity);
  host->lengths = g_renew (guint32, host->lengths, host->capacity);
  host->positions = g_renew (guint32, host->positions, host->capacity);
  host->labels = g_renew (gint32, host->labels, host->capacity);
}

/* The embedding rows the batch's tokens touch, each once. */
static void
collect_rows (WlNeural    *self,
              WlBatchHost *host)
{
  WlNeuralState *state = self->state;

  if (state->stamps == NULL || ++state->stamp == 0)
    {
      g_free (state->stamps);
      state->stamps = g_new0 (guint32, self->n_rows);
      state->stamp = 1;
    }
  host->n_rows = 0;
  for (gsize j = 0; j < host->n; j++)
    for (guint32 t = 0; t < host->lengths[j]; t++)
      {
        guint32 id = host->tokens[j][t];

        if (state->stamps[id] == state->stamp)
          continue;
        state->stamps[id] = state->stamp;
        if (host->n_rows == host->rows_size)
          {
            host->rows_size = MAX (1024, 2 * host->rows_size);
            host->rows = g_renew (gint32, host->rows, host->rows_size);
          }
        host->rows[host->n_rows++] = (gint32) id;
      }
}

void
wl_neural_batch_assemble (WlNeural         *self,
                          WlBatchHost      *host,
                          const WlFeatures *features,
                          const guint32    *labels,
                          const guint32    *docs,
                          gsize             n,
                          gboolean          train)
{
  reserve (host, n);
  wl_neural_sort_longest (features, docs, host->positions, n);
  host->n = n;
  host->n_tokens = 0;
  for (gsize j = 0; j < n; j++)
    {
      guint32 doc = docs[host->positions[j]];

      host->docs[j] = doc;
      host->tokens[j] = features->ids + features->offsets[doc];
      host->lengths[j] = (guint32) doc_length (features, doc);
      host->n_tokens += host->lengths[j];
      host->labels[j] = labels != NULL ? (gint32) labels[doc] : -1;
    }
  host->n_rows = 0;
  if (train)
    collect_rows (self, host);
}

gboolean
wl_neural_batch_upload (WlNeural  *self,
                        gboolean   train,
                        guint64    seed,
                        GError   **error)
{
  WlNeuralState *state = self->state;
  const WlBatchHost *host = &state->host;
  WlBatch *batch = &state->batch;
  guint K = self->parent.n_labels;
  gsize n = host->n;

  g_return_val_if_fail (n > 0, FALSE);

  batch->n = n;
  batch->n_tokens = host->n_tokens;
  batch->docs = host->docs;
  batch->tokens = host->tokens;
  batch->lengths = host->lengths;
  batch->max_len = host->lengths[0];
  batch->train = train;
  batch->seed = seed;
  if (train)
    state->n_rows = host->n_rows;

  return wl_neural_upload_ids (self, &batch->labels, host->labels, n, error) &&
         (!train || wl_neural_upload_ids (self, &state->rows, host->rows, host->n_rows, error)) &&
         wl_neural_reserve (self, &batch->logits, WL_DTYPE_F32, n * K, error) &&
         wl_neural_reserve (self, &batch->d_logits, WL_DTYPE_F32, n * K, error) &&
         wl_neural_reserve (self, &state->probs, WL_DTYPE_F32, n * K, error) &&
         wl_neural_reserve (self, &state->loss, WL_DTYPE_F32, n, error) &&
         wl_neural_reserve (self, &state->loss_sum, WL_DTYPE_F32, 1, error);
}

gboolean
wl_neural_batch_fill (WlNeural          *self,
                      const WlFeatures  *features,
                      const guint32     *labels,
                      const guint32     *docs,
                      gsize              n,
                      gboolean           train,
                      guint64            seed,
                      GError           **error)
{
  g_return_val_if_fail (n > 0, FALSE);

  wl_neural_batch_assemble (self, &self->state->host, features, labels, docs, n, train);
  return wl_neural_batch_upload (self, train, seed, error);
}
