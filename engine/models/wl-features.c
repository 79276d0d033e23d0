/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-features.c: documents to sparse rows, in parallel and in order.
 *
 * The workers featurize blocks of documents into buffers of their own,
 * kept from one block to the next, and append each block to the matrix as
 * soon as the blocks before it are in: no second copy of the whole matrix,
 * and little memory that is new to the process (fresh pages cost a fault
 * each).
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "exec/wl-parallel.h"
#include "models/wl-model-private.h"

/* Documents per block. */
#define BLOCK_SIZE 256

typedef struct
{
  GArray  *ids;
  GArray  *values;
  guint32  lengths[BLOCK_SIZE];   /* row length of each document of the block */
} Buffer;

typedef struct
{
  const WlModel      *model;
  const WlTokenList  *docs;
  gsize               n_docs;
  gboolean            weighted;
  WlFeaturizeFunc     func;
  gpointer          (*new_scratch) (const WlModel *model);
  gpointer           *scratch;    /* per worker */
  Buffer             *buffers;    /* per worker */

  GMutex              mutex;
  GCond               cond;
  gsize               next_block; /* the next block to append */
  gsize               allocated;  /* room in features->ids and ->values */
  guint64             tokens;     /* in all the documents */
  guint64             tokens_in;  /* in the blocks appended */
  gboolean            failed;     /* out of memory */
  WlFeatures         *features;
} Job;

/* Gives the matrix room for @n entries in all. */
static gboolean
grow (Job   *job,
      gsize  n)
{
  WlFeatures *features = job->features;
  gsize allocated = MAX (n, 2 * job->allocated);
  guint32 *ids;
  float *values;

  ids = g_try_realloc_n (features->ids, MAX (allocated, 1), sizeof (guint32));
  if (ids == NULL)
    return FALSE;
  features->ids = ids;
  if (job->weighted)
    {
      values = g_try_realloc_n (features->values, MAX (allocated, 1), sizeof (float));
      if (values == NULL)
        return FALSE;
      features->values = values;
    }
  job->allocated = allocated;
  return TRUE;
}

/* How many entries the matrix will need, from the @n entries of the
 * blocks in so far, with some to spare: growing it again would copy it,
 * while pages never written cost nothing. */
static gsize
estimate_size (const Job *job,
               gsize      n)
{
  double per_token = (double) n / MAX (job->tokens_in, 1);

  return (gsize) MIN (per_token * job->tokens * 1.25 + BLOCK_SIZE, (double) G_MAXSIZE / 8);
}

/* Appends block @b from @buffer once the blocks before it are in. */
static void
append_block (Job    *job,
              gsize   b,
              Buffer *buffer)
{
  WlFeatures *features = job->features;
  gsize first = b * BLOCK_SIZE;
  gsize n = MIN ((gsize) BLOCK_SIZE, job->n_docs - first);
  gsize pos, len = buffer->ids->len;

  g_mutex_lock (&job->mutex);
  /* The blocks are handed out in order and each is being worked on, so
   * the one before comes. */
  while (job->next_block != b)
    g_cond_wait (&job->cond, &job->mutex);

  for (gsize i = 0; i < n; i++)
    job->tokens_in += job->docs[first + i].n_tokens;
  pos = features->offsets[first];
  if (pos + len > job->allocated && !grow (job, MAX (pos + len, estimate_size (job, pos + len))))
    job->failed = TRUE;
  if (job->failed)
    len = 0;
  else
    {
      if (len > 0)
        memcpy (features->ids + pos, buffer->ids->data, len * sizeof (guint32));
      if (job->weighted && len > 0)
        memcpy (features->values + pos, buffer->values->data, len * sizeof (float));
    }
  for (gsize i = 0; i < n; i++)
    {
      features->offsets[first + i + 1] = features->offsets[first + i] +
                                         (job->failed ? 0 : buffer->lengths[i]);
      features->n_tokens[first + i] = job->docs[first + i].n_tokens;
    }

  job->next_block++;
  g_cond_broadcast (&job->cond);
  g_mutex_unlock (&job->mutex);
}

static void
featurize_blocks (gsize    begin,
                  gsize    end,
                  gpointer user_data,
                  guint    worker)
{
  Job *job = user_data;
  Buffer *buffer = &job->buffers[worker];

  if (job->scratch[worker] == NULL && job->new_scratch != NULL)
    job->scratch[worker] = job->new_scratch (job->model);
  if (buffer->ids == NULL)
    {
      buffer->ids = g_array_new (FALSE, FALSE, sizeof (guint32));
      buffer->values = job->weighted ? g_array_new (FALSE, FALSE, sizeof (float)) : NULL;
    }

  for (gsize b = begin; b < end; b++)
    {
      gsize first = b * BLOCK_SIZE;
      gsize last = MIN (first + BLOCK_SIZE, job->n_docs);

      g_array_set_size (buffer->ids, 0);
      if (buffer->values != NULL)
        g_array_set_size (buffer->values, 0);
      for (gsize d = first; d < last; d++)
        {
          guint before = buffer->ids->len;

          job->func (job->model, &job->docs[d], buffer->ids, buffer->values,
                     job->scratch[worker]);
          buffer->lengths[d - first] = buffer->ids->len - before;
        }
      append_block (job, b, buffer);
    }
}

WlFeatures *
wl_features_build (const WlModel      *model,
                   const WlTokenList  *docs,
                   gsize               n_docs,
                   guint               n_threads,
                   gboolean            weighted,
                   WlFeaturizeFunc     func,
                   gpointer          (*new_scratch) (const WlModel *model),
                   GDestroyNotify      free_scratch)
{
  gsize n_blocks = (n_docs + BLOCK_SIZE - 1) / BLOCK_SIZE;
  WlFeatures *features = g_new0 (WlFeatures, 1);
  Job job = {
    .model = model,
    .docs = docs,
    .n_docs = n_docs,
    .weighted = weighted,
    .func = func,
    .new_scratch = new_scratch,
    .features = features,
  };

  features->n_docs = n_docs;
  features->offsets = g_try_new (gsize, n_docs + 1);
  features->n_tokens = g_try_new (guint32, MAX (n_docs, 1));
  if (features->offsets == NULL || features->n_tokens == NULL || !grow (&job, 0))
    {
      wl_features_free (features);
      return NULL;
    }
  features->offsets[0] = 0;
  for (gsize d = 0; d < n_docs; d++)
    job.tokens += docs[d].n_tokens;

  n_threads = wl_parallel_resolve_threads (n_threads);
  job.scratch = g_new0 (gpointer, n_threads);
  job.buffers = g_new0 (Buffer, n_threads);
  g_mutex_init (&job.mutex);
  g_cond_init (&job.cond);

  /* No cancellable: the loop always runs to the end. */
  wl_parallel_for (n_blocks, 1, n_threads, featurize_blocks, &job, NULL, NULL);

  for (guint w = 0; w < n_threads; w++)
    {
      if (job.scratch[w] != NULL && free_scratch != NULL)
        free_scratch (job.scratch[w]);
      if (job.buffers[w].ids != NULL)
        g_array_unref (job.buffers[w].ids);
      if (job.buffers[w].values != NULL)
        g_array_unref (job.buffers[w].values);
    }
  g_mutex_clear (&job.mutex);
  g_cond_clear (&job.cond);
  g_free (job.scratch);
  g_free (job.buffers);
  if (job.failed)
    g_clear_pointer (&features, wl_features_free);
  return features;
}

void
wl_features_free (WlFeatures *features)
{
  if (features == NULL)
    return;
  if (features->on_disk)
    {
      close (features->fd);
      wl_packed_clear (&features->starts);
    }

  g_free (features->offsets);
  g_free (features->n_tokens);
  g_free (features->ids);
  g_free (features->values);
  g_free (features);
}
