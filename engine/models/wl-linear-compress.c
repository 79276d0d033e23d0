/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-linear-compress.c: the linear model made small for shipping.
 *
 * Pruning drops the features whose weight rows (one per feature, n_labels
 * wide) have the smallest L2 norms: such a feature moves no score much.
 * Dropped features leave the vocabulary, and with them their IDF and
 * weights; the features that stay keep their IDF, so a document's TF-IDF
 * row is normalised over the features the pruned model knows.
 *
 * Quantising stores each feature's weight row as int8 with one scale (the
 * row's largest magnitude / 127, rounded to bfloat16 as the embedding bag
 * does, so that the model in memory is the one in the file).  There are
 * far more features than labels, so the scales go along the features.
 * The scores add value * scale * q for each feature of a document: nothing
 * is turned back into fp32 when the model loads.  The IDF and the biases
 * stay fp32.
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

  if (!wl_int8_quantize (self->weights, self->n_features, model->n_labels, FALSE,
                         &self->weights_q, &self->weight_scale, error))
    return FALSE;
  g_clear_pointer (&self->weights, g_free);
  return TRUE;
}

/* idf [F], fc.weight [F × K] (int8 with a scale per feature, or fp32),
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
    .row_scales = self->weight_scale,
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
    wl_int8_write (writer, self->weights_q, self->weight_scale, n, n * K);
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
  return wl_int8_read (reader, n, n * K, &self->weights_q, &self->weight_scale, error);
}
