/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-neural-compress.c: the neural models' weights in int8.
 *
 * Quantising stores the embedding table with one scale per row (a word's)
 * and every weight matrix (hidden, convolution, the recurrent layers'
 * input weights, output) with one scale per column (an output's), and
 * drops their fp32 copies, on the host and on the device.  A batch's
 * embedding rows are gathered on the host from the int8 table and scaled
 * (on the engine's threads) as the gather op would have made them: in the
 * batch's buffer itself on the host backends, else written to the device.  A product with an int8 matrix is weight-only
 * quantisation (as ggml does): on the host backends, the backend's
 * gemm_i8 turns the weights into fp32 in registers (wl-int8-gemm.c); on
 * an OpenCL device, a tile of the matrix's rows at a time is turned into
 * fp32 in a scratch buffer and multiplied by, so no fp32 copy of the
 * matrix is ever whole.  The recurrent weights W_hh, which the recurrent ops take
 * whole in fp32 at each step, and the biases stay fp32.
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
#include "exec/wl-parallel.h"
#include "models/wl-model-file.h"
#include "models/wl-neural-private.h"

/* Whether quantising turns @param into int8 (format 2 files: only the
 * embedding table). */
static gboolean
quantized_param (const WlParam *param,
                 guint32        version)
{
  return param->kind == WL_PARAM_ROWS ||
         (version >= 3 && param->kind == WL_PARAM_MATRIX && !param->whole);
}

/* The number of scales of int8 @param: one per row of a table, per column
 * of a matrix. */
static gsize
n_scales (const WlParam *param)
{
  return param->kind == WL_PARAM_ROWS ? param->rows : param->cols;
}

guint32
wl_neural_storage (const WlModel *model)
{
  const WlNeural *self = (const WlNeural *) model;

  return (self->params[self->embedding].q != NULL ? WL_MODEL_STORAGE_INT8 : 0) |
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
  gboolean ok = TRUE;

  g_return_val_if_fail (self->vocab != NULL, FALSE);

  g_mutex_lock (&self->state->lock);
  ok = wl_neural_sync_host (self, error);
  for (guint p = 0; ok && p < self->n_params; p++)
    {
      WlParam *param = &self->params[p];

      if (quantized_param (param, WL_MODEL_FILE_VERSION))
        ok = wl_int8_quantize (param->host, param->rows, param->cols,
                               param->kind == WL_PARAM_MATRIX, &param->q, &param->q_scale, error);
    }
  /* The fp32 copies go, on the device too; the next use opens it again.
   * Out of memory, the model stays fp32. */
  wl_neural_release_device (self);
  for (guint p = 0; p < self->n_params; p++)
    if (!ok)
      {
        g_clear_pointer (&self->params[p].q, g_free);
        g_clear_pointer (&self->params[p].q_scale, g_free);
      }
    else if (self->params[p].q != NULL)
      g_clear_pointer (&self->params[p].host, g_free);
  self->state->generation++;
  g_mutex_unlock (&self->state->lock);
  return ok;
}

typedef struct
{
  const WlParam  *table;
  const gint32   *ids;
  gsize           dim;
  float          *x;
} Gather;

/* Rows @begin .. @end - 1 of the batch from the int8 table (a
 * WlParallelFunc). */
static void
gather_rows (gsize    begin,
             gsize    end,
             gpointer data,
             guint    worker)
{
  const Gather *job = data;
  gsize dim = job->dim;

  for (gsize i = begin; i < end; i++)
    {
      float *restrict row = job->x + i * dim;
      const gint8 *restrict q;
      float scale;

      if (job->ids[i] < 0)     /* padding gathers zeros */
        {
          memset (row, 0, dim * sizeof (float));
          continue;
        }
      q = job->table->q + (gsize) job->ids[i] * dim;
      scale = job->table->q_scale[job->ids[i]];
      for (gsize d = 0; d < dim; d++)
        row[d] = q[d] * scale;
    }
}

/* The model's host scratch of at least @n floats (kept: predicting runs
 * under the model's lock, and allocating large arrays on every batch
 * costs page faults); NULL when memory runs out. */
static float *
host_scratch (WlNeural *self,
              gsize     n)
{
  WlNeuralState *state = self->state;

  if (n > state->host_f32_len)
    {
      g_free (state->host_f32);
      state->host_f32_len = 0;
      state->host_f32 = g_try_new (float, n);
      if (state->host_f32 == NULL)
        return NULL;
      state->host_f32_len = n;
    }
  return state->host_f32;
}

/* Tokens per chunk of the parallel gather: enough to be worth a thread. */
#define GATHER_CHUNK 2048

gboolean
wl_neural_gather_embedding (WlNeural        *self,
                            const gint32    *host_ids,
                            gsize            n,
                            const WlBuffer  *ids,
                            WlBuffer        *out,
                            GError         **error)
{
  const WlParam *table = &self->params[self->embedding];
  Gather job = { table, host_ids, table->cols, NULL };
  gboolean in_place;

  if (table->q == NULL)
    {
      wl_op_gather (self->backend, n, job.dim, table->w, ids, out);
      return TRUE;
    }
  /* Into the batch's buffer itself where it is host memory, else
   * through a scratch array. */
  job.x = wl_buffer_host_f32 (out, 0, n * job.dim);
  in_place = job.x != NULL;
  if (!in_place)
    job.x = host_scratch (self, MAX (n * job.dim, 1));
  if (job.x == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory for the embeddings of %zu tokens"), n);
      return FALSE;
    }
  /* On the engine's threads, as the backends gather an fp32 table. */
  if (!wl_parallel_for (n, GATHER_CHUNK, wl_config_get_threads (self->parent.config), gather_rows,
                        &job, NULL, error))
    return FALSE;
  return in_place || wl_buffer_write (out, 0, job.x, n * job.dim, error);
}

/* Without the backend's gemm_i8: rows of an int8 matrix turned into fp32
 * at a time, a tile of at most this many values (whole rows, so that X is
 * read once and only C, which is narrow, again for each tile). */
#define TILE_VALUES 65536

gboolean
wl_neural_weight_gemm (WlNeural        *self,
                       gsize            m,
                       gsize            k,
                       const WlBuffer  *x,
                       gsize            x_offset,
                       gsize            ldx,
                       guint            weight,
                       gsize            row,
                       float            beta,
                       WlBuffer        *c,
                       gsize            c_offset,
                       gsize            ldc,
                       GError         **error)
{
  const WlParam *w = &self->params[weight];
  gsize cols = w->cols, tile = MAX (MIN (k, TILE_VALUES / MAX (cols, 1)), 1);
  float *host;

  g_return_val_if_fail (row + k <= w->rows, FALSE);

  if (w->q == NULL)
    {
      wl_neural_gemm (self, FALSE, FALSE, m, cols, k, 1.f, x, x_offset, ldx, w->w, row * cols, cols,
                      beta, c, c_offset, ldc);
      return TRUE;
    }
  if (wl_op_gemm_i8 (self->backend, m, cols, k, x, x_offset, ldx, w->q + row * cols, cols,
                     w->q_scale, beta, c, c_offset, ldc))
    return TRUE;
  host = host_scratch (self, tile * cols);
  if (host == NULL || !wl_neural_reserve (self, &self->state->tile, WL_DTYPE_F32, tile * cols, error))
    {
      if (host == NULL)
        g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                     _("not enough memory for the int8 weights “%s”"), w->name);
      return FALSE;
    }
  /* C = Σ over the tiles of X[:, r0 .. r1) · W[r0 .. r1, :]. */
  for (gsize r0 = 0; r0 < k; r0 += tile)
    {
      gsize n = MIN (tile, k - r0);

      for (gsize r = 0; r < n; r++)
        {
          const gint8 *restrict q = w->q + (row + r0 + r) * cols;
          const float *restrict scale = w->q_scale;
          float *restrict out = host + r * cols;

          for (gsize j = 0; j < cols; j++)
            out[j] = q[j] * scale[j];
        }
      if (!wl_buffer_write (self->state->tile, 0, host, n * cols, error))
        return FALSE;
      wl_op_gemm (self->backend, FALSE, FALSE, m, cols, n, 1.f, x, x_offset + r0, ldx,
                  self->state->tile, 0, cols, r0 > 0 ? 1.f : beta, c, c_offset, ldc);
    }
  return TRUE;
}

/* The weights of @param in the model file: int8 (see wl_int8_write()) or
 * fp32. */
void
wl_neural_write_param (const WlParam *param,
                       WlModelWriter *writer)
{
  if (param->q != NULL)
    wl_int8_write (writer, param->q, param->q_scale, n_scales (param), wl_param_size (param));
  else
    wl_model_writer_put_f32s (writer, param->host, wl_param_size (param));
}

gboolean
wl_neural_read_param (WlParam        *param,
                      WlModelReader  *reader,
                      GError        **error)
{
  if (!(wl_model_reader_get_flags (reader) & WL_MODEL_STORAGE_INT8) ||
      !quantized_param (param, wl_model_reader_get_version (reader)))
    return wl_model_reader_get_weights (reader, param->host, wl_param_size (param), error);
  g_clear_pointer (&param->host, g_free);
  return wl_int8_read (reader, n_scales (param), wl_param_size (param), &param->q, &param->q_scale,
                       error);
}
