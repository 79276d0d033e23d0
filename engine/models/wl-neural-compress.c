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
#include "models/wl-compress.h"
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
  g_auto(WlPrunedRows) pruned = { 0 };

  if (!wl_pruned_rows_init (&pruned, table->host, 1, table->rows, table->cols, sparsity,
                            self->vocab, error))
    return FALSE;
  /* The device's buffers have the old size: the next use opens them again. */
  wl_neural_release_device (self);
  g_clear_pointer (&self->vocab, wl_vocab_unref);
  self->vocab = g_steal_pointer (&pruned.vocab);
  g_free (table->host);
  table->host = g_steal_pointer (&pruned.rows);
  table->rows = self->n_rows = (guint32) pruned.n_rows;
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

  g_return_val_if_fail (self->vocab != NULL, FALSE);

  g_mutex_lock (&self->state->lock);
  if (!wl_neural_sync_host (self, error))
    {
      g_mutex_unlock (&self->state->lock);
      return FALSE;
    }
  if (!wl_int8_quantize (table->host, table->rows, table->cols, FALSE, &self->embedding_q,
                         &self->embedding_scale, error))
    {
      g_mutex_unlock (&self->state->lock);
      return FALSE;
    }
  /* The device's copy goes too; the next prediction opens it again. */
  wl_neural_release_device (self);
  g_clear_pointer (&table->host, g_free);
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

  wl_int8_write (writer, self->embedding_q, self->embedding_scale, table->rows,
                 (gsize) table->rows * table->cols);
}

gboolean
wl_neural_read_embedding (WlNeural       *self,
                          WlModelReader  *reader,
                          GError        **error)
{
  WlParam *table = &self->params[self->embedding];

  g_clear_pointer (&table->host, g_free);
  return wl_int8_read (reader, table->rows, (gsize) table->rows * table->cols,
                       &self->embedding_q, &self->embedding_scale, error);
}
