/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-linear-compress.c: the linear model made small for shipping.
 *
 * Pruning drops the features whose weight rows (one per feature, n_labels
 * wide) have the smallest L2 norms: such a feature moves no score much.
 * Dropped features leave the vocabulary, and with them their IDF and
 * weights; the features that stay keep their IDF, so a document's TF-IDF
 * row is normalised over the features the pruned model knows.
 *
 * Quantising stores the weights as int8 with one scale per label column
 * (the column's largest magnitude / 127, rounded to bfloat16 as the
 * embedding bag does, so that the model in memory is the one in the
 * file): a row is only n_labels wide, so a scale per row would take as
 * many bytes as its weights.  The scores add value * q for each feature
 * of a document and multiply each label's sum by its scale: nothing is
 * turned back into fp32 when the model loads.  The biases stay fp32.
 *
 * With int8 weights the vocabulary and the IDF are most of the file: an
 * int8 or pruned file packs the vocabulary (wl_vocab_write_packed) and
 * writes the IDF as the number of training documents, from which it is
 * computed again with the vocabulary's document counts.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wl-error.h"
#include "models/wl-compress.h"
#include "models/wl-linear-private.h"

guint32
wl_linear_storage (const WlModel *model)
{
  const WlLinear *self = (const WlLinear *) model;

  return (self->weights_q != NULL ? WL_MODEL_STORAGE_INT8 : 0) |
         (self->pruned ? WL_MODEL_STORAGE_PRUNED : 0);
}

/* Pruning */

gboolean
wl_linear_prune (WlModel  *model,
                 double    sparsity,
                 GError  **error)
{
  WlLinear *self = (WlLinear *) model;
  guint K = model->n_labels;
  gsize n = self->n_features, m = 0;
  g_auto(WlPrunedRows) pruned = { 0 };
  g_autofree float *idf = NULL;

  g_return_val_if_fail (self->vocab != NULL && self->weights != NULL, FALSE);

  if (!wl_pruned_rows_init (&pruned, self->weights, 0, n, K, sparsity, self->vocab, error))
    return FALSE;
  idf = g_try_new (float, MAX (pruned.n_rows, 1));
  if (idf == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory to prune %zu features"), n);
      return FALSE;
    }
  /* The subset keeps the order of the entries: feature f becomes m. */
  for (gsize f = 0; f < n; f++)
    if (pruned.keep[f])
      idf[m++] = self->idf[f];

  g_clear_pointer (&self->vocab, wl_vocab_unref);
  self->vocab = g_steal_pointer (&pruned.vocab);
  g_free (self->idf);
  self->idf = g_steal_pointer (&idf);
  g_free (self->weights);
  self->weights = g_steal_pointer (&pruned.rows);
  self->n_features = (guint32) m;
  self->pruned = TRUE;
  return TRUE;
}

/* Quantising */

gboolean
wl_linear_quantize (WlModel  *model,
                    GError  **error)
{
  WlLinear *self = (WlLinear *) model;

  g_return_val_if_fail (self->vocab != NULL && self->weights != NULL, FALSE);

  if (!wl_int8_quantize (self->weights, self->n_features, model->n_labels, TRUE,
                         &self->weights_q, &self->weight_scale, error))
    return FALSE;
  g_clear_pointer (&self->weights, g_free);
  self->scale_per_label = TRUE;
  return TRUE;
}

/* idf [F], fc.weight [F × K] (int8 with a scale per label, or fp32),
 * fc.bias [K]. */
void
wl_linear_foreach_tensor (WlModel      *model,
                          WlTensorFunc  func,
                          gpointer      user_data)
{
  WlLinear *self = (WlLinear *) model;
  guint K = model->n_labels;
  WlTensorView idf = {
    .name = "idf", .dtype = WL_DTYPE_F32, .n_dims = 1,
    .shape = { self->n_features }, .data = self->idf,
  };
  WlTensorView weight = {
    .name = "fc.weight",
    .dtype = self->weights_q != NULL ? WL_DTYPE_I8 : WL_DTYPE_F32,
    .n_dims = 2,
    .shape = { self->n_features, K },
    .data = self->weights_q != NULL ? (const void *) self->weights_q : (const void *) self->weights,
    .scales = self->weight_scale,
    .scale_axis = self->scale_per_label ? 1 : 0,
  };
  WlTensorView bias = {
    .name = "fc.bias", .dtype = WL_DTYPE_F32, .n_dims = 1,
    .shape = { K }, .data = self->bias,
  };

  func (&idf, user_data);
  func (&weight, user_data);
  func (&bias, user_data);
}

/* The model file */

void
wl_linear_write_weights (const WlLinear *self,
                         WlModelWriter  *writer)
{
  gsize n = self->n_features, K = self->parent.n_labels;

  if (self->weights_q == NULL)
    wl_model_writer_put_f32s (writer, self->weights, n * K);
  else
    wl_int8_write (writer, self->weights_q, self->weight_scale, self->scale_per_label ? K : n, n * K);
}

gboolean
wl_linear_read_weights (WlLinear       *self,
                        WlModelReader  *reader,
                        GError        **error)
{
  gsize n = self->n_features, K = self->parent.n_labels;

  self->pruned = (wl_model_reader_get_flags (reader) & WL_MODEL_STORAGE_PRUNED) != 0;
  if (!(wl_model_reader_get_flags (reader) & WL_MODEL_STORAGE_INT8))
    return (self->weights = wl_model_read_floats (reader, (guint64) n * K, error)) != NULL;
  /* Format 2 had a scale per feature. */
  self->scale_per_label = wl_model_reader_get_version (reader) >= 3;
  return wl_int8_read (reader, self->scale_per_label ? K : n, n * K, &self->weights_q,
                       &self->weight_scale, error);
}

/* The number of training documents that gives every feature its IDF
 * from its document count, or 0 when none does. */
static guint64
idf_documents (const WlLinear *self)
{
  guint32 df = wl_vocab_get_count (self->vocab, 0);
  double guess = (1.0 + df) * exp ((double) self->idf[0] - 1.0) - 1.0;

  if (self->n_features == 0 || !(guess >= 0.5 && guess < (double) G_MAXUINT32))
    return 0;
  /* idf[0] is a float: the guess may be off by one. */
  for (guint64 n = (guint64) MAX (llround (guess), 2) - 1; n <= (guint64) llround (guess) + 1; n++)
    {
      guint32 f = 0;

      while (f < self->n_features && wl_linear_idf (n, wl_vocab_get_count (self->vocab, f)) == self->idf[f])
        f++;
      if (f == self->n_features)
        return n;
    }
  return 0;
}

void
wl_linear_write_idf (const WlLinear *self,
                     WlModelWriter  *writer)
{
  guint64 n_docs = idf_documents (self);

  wl_model_writer_put_u64 (writer, n_docs);
  if (n_docs == 0)
    wl_model_writer_put_f32s (writer, self->idf, self->n_features);
}

gboolean
wl_linear_read_idf (WlLinear       *self,
                    WlModelReader  *reader,
                    GError        **error)
{
  guint64 n_docs;

  if (!wl_model_reader_get_u64 (reader, &n_docs, error))
    return FALSE;
  if (n_docs == 0)
    return (self->idf = wl_model_read_floats (reader, self->n_features, error)) != NULL;
  self->idf = g_try_new (float, MAX (self->n_features, 1));
  if (self->idf == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory to load %u features"), self->n_features);
      return FALSE;
    }
  for (guint32 f = 0; f < self->n_features; f++)
    self->idf[f] = wl_linear_idf (n_docs, wl_vocab_get_count (self->vocab, f));
  return TRUE;
}
