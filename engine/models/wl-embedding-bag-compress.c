/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-embedding-bag-compress.c: the embedding bag made small for shipping.
 *
 * Pruning drops the input rows (words and n-gram buckets) with the
 * smallest L2 norms, as fastText's `quantize -cutoff` does: a row with a
 * small norm moves the document's mean little, and the rows of buckets
 * that no training n-gram reached keep their small random start.  Dropped
 * words leave the vocabulary (they become unknown words); dropped buckets
 * are marked in bucket_rows.  Nothing dropped is stored.
 *
 * Quantising stores each input row as int8 with one scale (the row's
 * largest magnitude / 127, rounded to bfloat16 so that the file holds it
 * in two bytes and the model in memory is the one in the file; values
 * rounded to nearest), and the model predicts
 * from those rows directly: the mean of a bag adds scale * q for each of
 * its rows, so nothing is turned back into fp32 when the model loads.  The
 * output layer (n_labels x dim) stays fp32: it is a few hundred bytes.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wl-error.h"
#include "models/wl-compress.h"
#include "models/wl-embedding-bag-private.h"

guint32
wl_embedding_bag_storage (const WlModel *model)
{
  const WlEmbeddingBag *self = (const WlEmbeddingBag *) model;

  return (self->input_q != NULL ? WL_MODEL_STORAGE_INT8 : 0) |
         (self->bucket_rows != NULL ? WL_MODEL_STORAGE_PRUNED : 0);
}

/* Pruning */

gboolean
wl_embedding_bag_prune (WlModel  *model,
                        double    sparsity,
                        GError  **error)
{
  WlEmbeddingBag *self = (WlEmbeddingBag *) model;
  g_auto(WlPrunedRows) pruned = { 0 };
  g_autofree guint32 *bucket_rows = NULL;
  g_autofree guint32 *new_rows = NULL;   /* by old bucket row */
  guint32 n_words = 0, n_bucket_rows = 0;

  g_return_val_if_fail (self->vocab != NULL && self->input != NULL, FALSE);

  bucket_rows = g_try_new (guint32, MAX (self->buckets, 1));
  new_rows = g_try_new (guint32, MAX (self->n_bucket_rows, 1));
  if (bucket_rows == NULL || new_rows == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory to prune %u n-gram buckets"), self->buckets);
      return FALSE;
    }
  /* The rows are the words, then the buckets, each kept in their order. */
  if (!wl_pruned_rows_init (&pruned, self->input, 0, wl_embedding_bag_n_rows (self), self->dim,
                            sparsity, self->vocab, error))
    return FALSE;
  for (gsize row = 0; row < self->n_words; row++)
    n_words += pruned.keep[row];
  for (guint32 r = 0; r < self->n_bucket_rows; r++)
    new_rows[r] = pruned.keep[self->n_words + r] ? n_bucket_rows++ : WL_VOCAB_NONE;
  /* A model pruned before maps its buckets through bucket_rows. */
  for (guint32 b = 0; b < self->buckets; b++)
    {
      guint32 old = self->bucket_rows != NULL ? self->bucket_rows[b] : b;

      bucket_rows[b] = old != WL_VOCAB_NONE ? new_rows[old] : WL_VOCAB_NONE;
    }

  g_clear_pointer (&self->vocab, wl_vocab_unref);
  self->vocab = g_steal_pointer (&pruned.vocab);
  g_free (self->input);
  self->input = g_steal_pointer (&pruned.rows);
  g_free (self->bucket_rows);
  self->bucket_rows = g_steal_pointer (&bucket_rows);
  self->n_words = n_words;
  self->n_bucket_rows = n_bucket_rows;
  return TRUE;
}

/* Quantising */

gboolean
wl_embedding_bag_quantize (WlModel  *model,
                           GError  **error)
{
  WlEmbeddingBag *self = (WlEmbeddingBag *) model;

  g_return_val_if_fail (self->vocab != NULL && self->input != NULL, FALSE);

  if (!wl_int8_quantize (self->input, wl_embedding_bag_n_rows (self), self->dim, FALSE,
                         &self->input_q, &self->input_scale, error))
    return FALSE;
  g_clear_pointer (&self->input, g_free);
  return TRUE;
}

/* Tensors: "embedding" (rows: the vocabulary's words, then the buckets
 * that remain), "fc.weight" (n_labels x dim), "fc.bias". */
void
wl_embedding_bag_foreach_tensor (WlModel      *model,
                                 WlTensorFunc  func,
                                 gpointer      user_data)
{
  WlEmbeddingBag *self = (WlEmbeddingBag *) model;
  gint64 n = (gint64) wl_embedding_bag_n_rows (self);
  WlTensorView embedding = {
    .name = "embedding",
    .dtype = self->input_q != NULL ? WL_DTYPE_I8 : WL_DTYPE_F32,
    .n_dims = 2,
    .shape = { n, self->dim },
    .data = self->input_q != NULL ? (const void *) self->input_q : (const void *) self->input,
    .scales = self->input_scale,
  };
  WlTensorView weight = {
    .name = "fc.weight", .dtype = WL_DTYPE_F32, .n_dims = 2,
    .shape = { model->n_labels, self->dim }, .data = self->output,
  };
  WlTensorView bias = {
    .name = "fc.bias", .dtype = WL_DTYPE_F32, .n_dims = 1,
    .shape = { model->n_labels }, .data = self->bias,
  };

  func (&embedding, user_data);
  func (&weight, user_data);
  func (&bias, user_data);
}

/* The model file */

void
wl_embedding_bag_write_rows (const WlEmbeddingBag *self,
                             WlModelWriter        *writer)
{
  gsize n = wl_embedding_bag_n_rows (self);

  if (self->bucket_rows != NULL)
    {
      wl_model_writer_put_u32 (writer, self->n_bucket_rows);
      for (guint32 b = 0; b < self->buckets; b++)
        if (self->bucket_rows[b] != WL_VOCAB_NONE)
          wl_model_writer_put_u32 (writer, b);
    }
  if (self->input_q != NULL)
    wl_int8_write (writer, self->input_q, self->input_scale, n, n * self->dim);
  else
    wl_model_writer_put_f32s (writer, self->input, n * self->dim);
}

static gboolean
corrupted (GError **error)
{
  g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
               _("the model file is corrupted (its list of kept n-gram buckets is not valid)"));
  return FALSE;
}

static gboolean
read_bucket_rows (WlEmbeddingBag  *self,
                  WlModelReader   *reader,
                  GError         **error)
{
  guint32 n_kept, previous = 0;

  if (!wl_model_reader_get_u32 (reader, &n_kept, error))
    return FALSE;
  if (n_kept > self->buckets)
    return corrupted (error);
  if (!wl_model_reader_expect (reader, n_kept, sizeof (guint32), error))
    return FALSE;
  self->bucket_rows = g_try_new (guint32, MAX (self->buckets, 1));
  if (self->bucket_rows == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory to load %u n-gram buckets"), self->buckets);
      return FALSE;
    }
  for (guint32 b = 0; b < self->buckets; b++)
    self->bucket_rows[b] = WL_VOCAB_NONE;
  for (guint32 i = 0; i < n_kept; i++)
    {
      guint32 bucket;

      if (!wl_model_reader_get_u32 (reader, &bucket, error))
        return FALSE;
      if (bucket >= self->buckets || (i > 0 && bucket <= previous))
        return corrupted (error);
      self->bucket_rows[bucket] = i;
      previous = bucket;
    }
  self->n_bucket_rows = n_kept;
  return TRUE;
}

gboolean
wl_embedding_bag_read_rows (WlEmbeddingBag  *self,
                            WlModelReader   *reader,
                            GError         **error)
{
  guint32 flags = wl_model_reader_get_flags (reader);
  gsize n;

  if ((flags & WL_MODEL_STORAGE_PRUNED) && !read_bucket_rows (self, reader, error))
    return FALSE;
  n = wl_embedding_bag_n_rows (self);
  if (!(flags & WL_MODEL_STORAGE_INT8))
    return (self->input = wl_model_read_floats (reader, (guint64) n * self->dim, error)) != NULL;

  return wl_int8_read (reader, n, n * self->dim, &self->input_q, &self->input_scale, error);
}
