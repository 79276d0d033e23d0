/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-neural-dist.c: the neural models' gradients summed over the ranks of
 * a distributed run, before every optimiser step.
 *
 * The dense parameters (biases, matrices) and the batch's loss go in one
 * allreduce.  The embedding table's gradient is sparse: each rank's batch
 * touched some rows, so the ranks first gather every rank's row ids (their
 * union is what the step then updates, on every rank alike), gather those
 * rows of the gradient on the device, sum them over the ranks and put the
 * sums back.  Putting back adds −local then the sum (x + −x is exactly 0),
 * so every rank ends with the same bits.
 */
#include "config.h"

#include <stdlib.h>

#include "dist/wl-dist.h"
#include "models/wl-neural-private.h"

static float *
host_floats (WlNeuralState *state,
             gsize          n)
{
  if (state->dist_host_size < n)
    {
      g_free (state->dist_host);
      state->dist_host = g_new (float, n);
      state->dist_host_size = n;
    }
  return state->dist_host;
}

static gboolean
allreduce_dense (WlNeural  *self,
                 float     *batch_loss,
                 GError   **error)
{
  gsize n = 1, at = 0;
  float *host;

  for (guint p = 0; p < self->n_params; p++)
    if (self->params[p].kind != WL_PARAM_ROWS)
      n += self->params[p].g->n;
  host = host_floats (self->state, n);
  for (guint p = 0; p < self->n_params; p++)
    if (self->params[p].kind != WL_PARAM_ROWS)
      {
        if (!wl_buffer_read (self->params[p].g, 0, host + at, self->params[p].g->n, error))
          return FALSE;
        at += self->params[p].g->n;
      }
  host[at] = *batch_loss;
  if (!wl_dist_allreduce_float (host, n, error))
    return FALSE;
  at = 0;
  for (guint p = 0; p < self->n_params; p++)
    if (self->params[p].kind != WL_PARAM_ROWS)
      {
        if (!wl_buffer_write (self->params[p].g, 0, host + at, self->params[p].g->n, error))
          return FALSE;
        at += self->params[p].g->n;
      }
  *batch_loss = host[at];
  return TRUE;
}

static int
compare_ids (const void *a,
             const void *b)
{
  gint32 x = *(const gint32 *) a, y = *(const gint32 *) b;

  return (x > y) - (x < y);
}

/* state->rows becomes the sorted union of every rank's rows. */
static gboolean
unite_rows (WlNeural  *self,
            GError   **error)
{
  WlNeuralState *state = self->state;
  guint n_ranks = wl_dist_size ();
  gint64 most = (gint64) state->n_rows;
  gsize n = 0, total;
  gint32 *local;

  if (!wl_dist_allreduce_max_int64 (&most, 1, error))
    return FALSE;
  total = (gsize) most * (n_ranks + 1);
  if (state->dist_ids_size < total)
    {
      g_free (state->dist_ids);
      state->dist_ids = g_new (gint32, MAX (total, 1));
      state->dist_ids_size = total;
    }
  /* This rank's rows, padded with −1, after room for everyone's. */
  local = state->dist_ids + (gsize) most * n_ranks;
  for (gsize i = 0; i < (gsize) most; i++)
    local[i] = i < state->n_rows ? state->host.rows[i] : -1;
  if (most > 0 &&
      !wl_dist_allgather (local, (gsize) most * sizeof (gint32), state->dist_ids, error))
    return FALSE;
  qsort (state->dist_ids, (gsize) most * n_ranks, sizeof (gint32), compare_ids);
  for (gsize i = 0; i < (gsize) most * n_ranks; i++)
    if (state->dist_ids[i] >= 0 && (n == 0 || state->dist_ids[i] != state->host.rows[n - 1]))
      {
        if (n == state->host.rows_size)
          {
            state->host.rows_size = MAX (1024, 2 * state->host.rows_size);
            state->host.rows = g_renew (gint32, state->host.rows, state->host.rows_size);
          }
        state->host.rows[n++] = state->dist_ids[i];
      }
  state->n_rows = n;
  return n == 0 || wl_neural_upload_ids (self, &state->rows, state->host.rows, n, error);
}

static gboolean
allreduce_rows (WlNeural  *self,
                WlParam   *param,
                GError   **error)
{
  WlNeuralState *state = self->state;
  gsize n = state->n_rows * param->cols;
  float *host = host_floats (state, 2 * n);
  float *minus = host + n;

  if (n == 0)
    return TRUE;
  if (!wl_neural_reserve (self, &state->dist_rows, WL_DTYPE_F32, n, error))
    return FALSE;
  wl_op_gather (self->backend, state->n_rows, param->cols, param->g, state->rows, state->dist_rows);
  if (!wl_buffer_read (state->dist_rows, 0, host, n, error))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    minus[i] = -host[i];
  if (!wl_buffer_write (state->dist_rows, 0, minus, n, error))
    return FALSE;
  wl_op_scatter_add (self->backend, state->n_rows, param->cols, state->dist_rows, state->rows,
                     param->g);
  if (!wl_dist_allreduce_float (host, n, error) ||
      !wl_buffer_write (state->dist_rows, 0, host, n, error))
    return FALSE;
  wl_op_scatter_add (self->backend, state->n_rows, param->cols, state->dist_rows, state->rows,
                     param->g);
  return TRUE;
}

gboolean
wl_neural_allreduce_grads (WlNeural  *self,
                           float     *batch_loss,
                           GError   **error)
{
  gboolean has_rows = FALSE;

  if (wl_dist_size () <= 1)
    return TRUE;
  if (!allreduce_dense (self, batch_loss, error))
    return FALSE;
  for (guint p = 0; p < self->n_params; p++)
    has_rows |= self->params[p].kind == WL_PARAM_ROWS;
  if (has_rows && !unite_rows (self, error))
    return FALSE;
  for (guint p = 0; p < self->n_params; p++)
    if (self->params[p].kind == WL_PARAM_ROWS && !allreduce_rows (self, &self->params[p], error))
      return FALSE;
  return TRUE;
}
