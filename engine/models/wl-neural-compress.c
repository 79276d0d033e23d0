/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-neural-compress.c: the neural models' embedding table in int8.
 *
 * The table (one row per word and one for the unknown word) is by far
 * their largest tensor.  Quantising stores each row as int8 with one scale
 * (wl_quantize_row()) and drops the fp32 table, on the host and on the
 * device: a batch's rows are gathered on the host from the int8 table,
 * scaled, and written to the device as the gather op would have made them.
 * The dense layers (hidden, convolution, recurrent, output) stay fp32.
 *
 * Pruning drops the words whose embedding rows have the smallest L2 norms:
 * they leave the vocabulary (they become the unknown word, whose row 0
 * stays) and their rows are not stored.  The dense layers are not pruned.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wl-error.h"
#include "compute/wl-host.h"
#include "compute/wl-ops.h"
#include "models/wl-neural-private.h"

guint32
wl_neural_storage (const WlModel *model)
{
  const WlNeural *self = (const WlNeural *) model;

  return (self->embedding_q != NULL ? WL_MODEL_STORAGE_INT8 : 0) |
         (self->pruned ? WL_MODEL_STORAGE_PRUNED : 0);
}

/* Row 0 is the unknown word; row id + 1 is word id's. */
static gboolean
prune_locked (WlNeural  *self,
              double     sparsity,
              GError   **error)
{
  WlParam *table = &self->params[self->embedding];
  gsize dim = table->cols, n = table->rows - 1, kept, m = 1;
  g_autofree guint8 *keep = g_try_malloc0 (MAX (n, 1));
  g_autofree float *host = NULL;
  g_autoptr(WlVocab) vocab = NULL;

  kept = MAX (n - (gsize) floor (sparsity * n), MIN (n, 1));
  host = g_try_new (float, (kept + 1) * dim);
  if (keep == NULL || host == NULL ||
      !wl_keep_largest_rows (table->host + dim, n, dim, kept, keep))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory to prune %zu embeddings"), n);
      return FALSE;
    }
  vocab = wl_vocab_subset (self->vocab, keep);
  if (vocab == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory to prune the vocabulary"));
      return FALSE;
    }
  /* The subset keeps the words' order. */
  memcpy (host, table->host, dim * sizeof (float));
  for (gsize id = 0; id < n; id++)
    if (keep[id])
      memcpy (host + m++ * dim, table->host + (id + 1) * dim, dim * sizeof (float));

  /* The device's buffers have the old size: the next use opens them again. */
  wl_neural_release_device (self);
  g_clear_pointer (&self->vocab, wl_vocab_unref);
  self->vocab = g_steal_pointer (&vocab);
  g_free (table->host);
  table->host = g_steal_pointer (&host);
  table->rows = self->n_rows = (guint32) m;
  self->pruned = TRUE;
  self->state->generation++;
  return TRUE;
}

gboolean
wl_neural_prune (WlModel  *model,
                 double    sparsity,
                 GError  **error)
{
  WlNeural *self = (WlNeural *) model;
  gboolean ok;

  g_return_val_if_fail (self->vocab != NULL, FALSE);

  g_mutex_lock (&self->state->lock);
  ok = wl_neural_sync_host (self, error) && prune_locked (self, sparsity, error);
  g_mutex_unlock (&self->state->lock);
  return ok;
}

gboolean
wl_neural_quantize (WlModel  *model,
                    GError  **error)
{
  WlNeural *self = (WlNeural *) model;
  WlParam *table = &self->params[self->embedding];
  gsize rows = table->rows, dim = table->cols;
  gint8 *q;
  float *scale;

  g_return_val_if_fail (self->vocab != NULL, FALSE);

  g_mutex_lock (&self->state->lock);
  if (!wl_neural_sync_host (self, error))
    {
      g_mutex_unlock (&self->state->lock);
      return FALSE;
    }
  q = g_try_malloc (MAX (rows * dim, 1));
  scale = g_try_new (float, MAX (rows, 1));
  if (q == NULL || scale == NULL)
    {
      g_free (q);
      g_free (scale);
      g_mutex_unlock (&self->state->lock);
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory to quantise %zu embeddings"), rows);
      return FALSE;
    }
  for (gsize r = 0; r < rows; r++)
    wl_quantize_row (table->host + r * dim, dim, q + r * dim, &scale[r]);
  /* The device's copy goes too; the next prediction opens it again. */
  wl_neural_release_device (self);
  g_clear_pointer (&table->host, g_free);
  self->embedding_q = q;
  self->embedding_scale = scale;
  self->state->generation++;
  g_mutex_unlock (&self->state->lock);
  return TRUE;
}

gboolean
wl_neural_gather_embedding (WlNeural        *self,
                            const gint32    *host_ids,
                            gsize            n,
                            const WlBuffer  *ids,
                            WlBuffer        *out,
                            GError         **error)
{
  const WlParam *table = &self->params[self->embedding];
  gsize dim = table->cols;
  g_autofree float *x = NULL;

  if (self->embedding_q == NULL)
    {
      wl_op_gather (self->backend, n, dim, table->w, ids, out);
      return TRUE;
    }
  x = g_try_new (float, MAX (n * dim, 1));
  if (x == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory for the embeddings of %zu tokens"), n);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    {
      float *row = x + i * dim;

      if (host_ids[i] < 0)     /* padding gathers zeros */
        {
          memset (row, 0, dim * sizeof (float));
          continue;
        }
      for (gsize d = 0; d < dim; d++)
        row[d] = self->embedding_q[(gsize) host_ids[i] * dim + d] * self->embedding_scale[host_ids[i]];
    }
  return wl_buffer_write (out, 0, x, n * dim, error);
}

void
wl_neural_write_embedding (const WlNeural *self,
                           WlModelWriter  *writer)
{
  const WlParam *table = &self->params[self->embedding];
  gsize rows = table->rows;
  guint8 *p = wl_model_writer_put_raw (writer, rows * 2);

  for (gsize r = 0; p != NULL && r < rows; r++)
    {
      guint16 scale = GUINT16_TO_LE (wl_bf16_from_float (self->embedding_scale[r]));

      memcpy (p + 2 * r, &scale, 2);
    }
  wl_model_writer_put_bytes (writer, self->embedding_q, rows * table->cols);
}

gboolean
wl_neural_read_embedding (WlNeural       *self,
                          WlModelReader  *reader,
                          GError        **error)
{
  WlParam *table = &self->params[self->embedding];
  gsize rows = table->rows, dim = table->cols;
  const guint8 *scales;

  if (!wl_model_reader_expect (reader, (guint64) rows * (2 + dim), 1, error))
    return FALSE;
  scales = wl_model_reader_get_raw (reader, rows * 2, error);
  g_clear_pointer (&table->host, g_free);
  self->embedding_scale = g_try_new (float, MAX (rows, 1));
  self->embedding_q = g_try_malloc (MAX (rows * dim, 1));
  if (self->embedding_scale == NULL || self->embedding_q == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory to load %zu embeddings"), rows);
      return FALSE;
    }
  for (gsize r = 0; r < rows; r++)
    {
      guint16 scale;

      memcpy (&scale, scales + 2 * r, 2);
      self->embedding_scale[r] = wl_bf16_to_float (GUINT16_FROM_LE (scale));
    }
  return wl_model_reader_get_bytes (reader, self->embedding_q, rows * dim, error);
}
