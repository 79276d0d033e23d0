/* wl-features.c: documents to sparse rows, in parallel and in order. */
#include "config.h"

#include <string.h>

#include "exec/wl-parallel.h"
#include "models/wl-model-private.h"

/* Documents per block: each block is featurized by one worker into its own
 * arrays, then the blocks are joined in order. */
#define BLOCK_SIZE 256

typedef struct
{
  GArray  *ids;
  GArray  *values;
  guint32 *lengths;    /* row length of each document of the block */
} Block;

typedef struct
{
  const WlModel      *model;
  const WlTokenList  *docs;
  gsize               n_docs;
  gboolean            weighted;
  WlFeaturizeFunc     func;
  gpointer          (*new_scratch) (const WlModel *model);
  Block              *blocks;
  gpointer           *scratch;   /* per worker */
} Job;

static void
featurize_blocks (gsize    begin,
                  gsize    end,
                  gpointer user_data,
                  guint    worker)
{
  Job *job = user_data;

  if (job->scratch[worker] == NULL && job->new_scratch != NULL)
    job->scratch[worker] = job->new_scratch (job->model);

  for (gsize b = begin; b < end; b++)
    {
      Block *block = &job->blocks[b];
      gsize first = b * BLOCK_SIZE;
      gsize last = MIN (first + BLOCK_SIZE, job->n_docs);

      block->ids = g_array_new (FALSE, FALSE, sizeof (guint32));
      block->values = job->weighted ? g_array_new (FALSE, FALSE, sizeof (float)) : NULL;
      block->lengths = g_new (guint32, last - first);
      for (gsize d = first; d < last; d++)
        {
          guint before = block->ids->len;

          job->func (job->model, &job->docs[d], block->ids, block->values, job->scratch[worker]);
          block->lengths[d - first] = block->ids->len - before;
        }
    }
}

static void
block_clear (Block *block)
{
  if (block->ids != NULL)
    g_array_unref (block->ids);
  if (block->values != NULL)
    g_array_unref (block->values);
  g_free (block->lengths);
}

/* Joins the blocks into one CSR matrix; NULL when memory runs out. */
static WlFeatures *
join_blocks (Job   *job,
             gsize  n_blocks)
{
  WlFeatures *features = g_new0 (WlFeatures, 1);
  gsize nnz = 0, pos = 0, doc = 0;

  for (gsize b = 0; b < n_blocks; b++)
    nnz += job->blocks[b].ids->len;

  features->n_docs = job->n_docs;
  features->offsets = g_try_new (gsize, job->n_docs + 1);
  features->n_tokens = g_try_new (guint32, MAX (job->n_docs, 1));
  features->ids = g_try_new (guint32, MAX (nnz, 1));
  features->values = job->weighted ? g_try_new (float, MAX (nnz, 1)) : NULL;
  if (features->offsets == NULL || features->n_tokens == NULL || features->ids == NULL ||
      (job->weighted && features->values == NULL))
    {
      wl_features_free (features);
      return NULL;
    }

  for (gsize b = 0; b < n_blocks; b++)
    {
      Block *block = &job->blocks[b];
      gsize n = MIN ((gsize) BLOCK_SIZE, job->n_docs - b * BLOCK_SIZE);

      if (block->ids->len > 0)
        memcpy (features->ids + pos, block->ids->data, block->ids->len * sizeof (guint32));
      if (job->weighted && block->values->len > 0)
        memcpy (features->values + pos, block->values->data, block->values->len * sizeof (float));
      for (gsize i = 0; i < n; i++)
        {
          features->offsets[doc++] = pos;
          pos += block->lengths[i];
        }
      block_clear (block);
      memset (block, 0, sizeof *block);
    }
  features->offsets[doc] = pos;
  for (gsize d = 0; d < job->n_docs; d++)
    features->n_tokens[d] = job->docs[d].n_tokens;
  return features;
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
  WlFeatures *features;
  Job job = {
    .model = model,
    .docs = docs,
    .n_docs = n_docs,
    .weighted = weighted,
    .func = func,
    .new_scratch = new_scratch,
  };

  n_threads = wl_parallel_resolve_threads (n_threads);
  job.blocks = g_new0 (Block, MAX (n_blocks, 1));
  job.scratch = g_new0 (gpointer, n_threads);

  /* No cancellable: the loop always runs to the end. */
  wl_parallel_for (n_blocks, 1, n_threads, featurize_blocks, &job, NULL, NULL);
  features = join_blocks (&job, n_blocks);

  for (gsize b = 0; b < n_blocks; b++)
    block_clear (&job.blocks[b]);
  for (guint w = 0; w < n_threads; w++)
    if (job.scratch[w] != NULL && free_scratch != NULL)
      free_scratch (job.scratch[w]);
  g_free (job.scratch);
  g_free (job.blocks);
  return features;
}

void
wl_features_free (WlFeatures *features)
{
  if (features == NULL)
    return;

  g_free (features->offsets);
  g_free (features->n_tokens);
  g_free (features->ids);
  g_free (features->values);
  g_free (features);
}
