/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-ops-host.c: the wrappers whose default runs on the host (the LSTM
 * cell, precision conversion), for backends without their own. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "compute/wl-backend-private.h"
#include "compute/wl-host.h"
#include "compute/wl-ops.h"
#include "wl-error.h"

/* [offset, offset + n) of an F32 buffer on @backend. */
static gboolean
holds_block (WlBackend      *backend,
             const WlBuffer *buffer,
             gsize           offset,
             gsize           n)
{
  return buffer != NULL && buffer->backend == backend && buffer->dtype == WL_DTYPE_F32 &&
         offset <= buffer->n && n <= buffer->n - offset;
}

/* Two blocks of @n elements that do not overlap. */
static gboolean
disjoint (const WlBuffer *x,
          gsize           x_offset,
          const WlBuffer *y,
          gsize           y_offset,
          gsize           n)
{
  return x != y || x_offset + n <= y_offset || y_offset + n <= x_offset;
}

/* Host staging for the defaults: a failure becomes the backend's sticky
 * error and the op stops there. */
static float *
stage_new (WlBackend *backend,
           gsize      n_bytes)
{
  float *host = g_try_malloc (n_bytes);

  if (host == NULL)
    wl_backend_take_error (backend, g_error_new (WL_ERROR, WL_ERROR_FAILED,
                                                 _("Not enough memory for %zu bytes of host staging"), n_bytes));
  return host;
}

static gboolean
stage_read (WlBackend      *backend,
            const WlBuffer *buffer,
            gsize           offset,
            void           *host,
            gsize           n)
{
  GError *error = NULL;

  if (backend->klass->read (backend, buffer, offset, host, n, &error))
    return TRUE;
  wl_backend_take_error (backend, error);
  return FALSE;
}

static gboolean
stage_write (WlBackend  *backend,
             WlBuffer   *buffer,
             gsize       offset,
             const void *host,
             gsize       n)
{
  GError *error = NULL;

  if (backend->klass->write (backend, buffer, offset, host, n, &error))
    return TRUE;
  wl_backend_take_error (backend, error);
  return FALSE;
}

static void
lstm_cell_on_host (WlBackend      *backend,
                   gsize           batch,
                   gsize           hidden,
                   WlBuffer       *gates,
                   const WlBuffer *c_prev,
                   gsize           c_prev_offset,
                   WlBuffer       *c,
                   gsize           c_offset,
                   WlBuffer       *h,
                   gsize           h_offset)
{
  gsize n_state = batch * hidden;
  g_autofree float *host = stage_new (backend, 7 * n_state * sizeof (float));
  float *host_gates = host;
  float *host_c_prev = host + 4 * n_state;
  float *host_c = host_c_prev + n_state;
  float *host_h = host_c + n_state;

  if (host == NULL ||
      !stage_read (backend, gates, 0, host_gates, 4 * n_state) ||
      !stage_read (backend, c_prev, c_prev_offset, host_c_prev, n_state))
    return;
  wl_host_lstm_cell (batch, hidden, host_gates, host_c_prev, host_c, host_h);
  if (stage_write (backend, gates, 0, host_gates, 4 * n_state) &&
      stage_write (backend, c, c_offset, host_c, n_state))
    stage_write (backend, h, h_offset, host_h, n_state);
}

void
wl_op_lstm_cell (WlBackend      *backend,
                 gsize           batch,
                 gsize           hidden,
                 WlBuffer       *gates,
                 const WlBuffer *c_prev,
                 gsize           c_prev_offset,
                 WlBuffer       *c,
                 gsize           c_offset,
                 WlBuffer       *h,
                 gsize           h_offset)
{
  gsize n_state = batch * hidden;

  g_return_if_fail (backend != NULL);
  g_return_if_fail (holds_block (backend, gates, 0, 4 * n_state));
  g_return_if_fail (holds_block (backend, c_prev, c_prev_offset, n_state) && c_prev != gates);
  g_return_if_fail (holds_block (backend, c, c_offset, n_state) && c != gates &&
                    disjoint (c, c_offset, c_prev, c_prev_offset, n_state));
  g_return_if_fail (holds_block (backend, h, h_offset, n_state) && h != gates &&
                    disjoint (h, h_offset, c, c_offset, n_state) &&
                    disjoint (h, h_offset, c_prev, c_prev_offset, n_state));

  if (n_state == 0)
    return;
  if (backend->klass->lstm_cell != NULL)
    backend->klass->lstm_cell (backend, batch, hidden, gates, c_prev, c_prev_offset,
                               c, c_offset, h, h_offset);
  else
    lstm_cell_on_host (backend, batch, hidden, gates, c_prev, c_prev_offset,
                       c, c_offset, h, h_offset);
}

static void
lstm_cell_backward_on_host (WlBackend      *backend,
                            gsize           batch,
                            gsize           hidden,
                            const WlBuffer *gates,
                            const WlBuffer *c_prev,
                            gsize           c_prev_offset,
                            const WlBuffer *c,
                            gsize           c_offset,
                            const WlBuffer *dh,
                            gsize           dh_offset,
                            WlBuffer       *dc,
                            gsize           dc_offset,
                            WlBuffer       *d_gates,
                            WlBuffer       *dc_prev,
                            gsize           dc_prev_offset)
{
  gsize n_state = batch * hidden;
  g_autofree float *host = stage_new (backend, 13 * n_state * sizeof (float));
  float *host_gates = host;
  float *host_c_prev = host + 4 * n_state;
  float *host_c = host_c_prev + n_state;
  float *host_dh = host_c + n_state;
  float *host_dc = host_dh + n_state;
  float *host_d_gates = host_dc + n_state;
  float *host_dc_prev = host_d_gates + 4 * n_state;

  if (host == NULL ||
      !stage_read (backend, gates, 0, host_gates, 4 * n_state) ||
      !stage_read (backend, c_prev, c_prev_offset, host_c_prev, n_state) ||
      !stage_read (backend, c, c_offset, host_c, n_state) ||
      !stage_read (backend, dh, dh_offset, host_dh, n_state) ||
      !stage_read (backend, dc, dc_offset, host_dc, n_state))
    return;
  wl_host_lstm_cell_backward (batch, hidden, host_gates, host_c_prev, host_c, host_dh, host_dc,
                              host_d_gates, host_dc_prev);
  if (stage_write (backend, d_gates, 0, host_d_gates, 4 * n_state))
    stage_write (backend, dc_prev, dc_prev_offset, host_dc_prev, n_state);
}

void
wl_op_lstm_cell_backward (WlBackend      *backend,
                          gsize           batch,
                          gsize           hidden,
                          const WlBuffer *gates,
                          const WlBuffer *c_prev,
                          gsize           c_prev_offset,
                          const WlBuffer *c,
                          gsize           c_offset,
                          const WlBuffer *dh,
                          gsize           dh_offset,
                          WlBuffer       *dc,
                          gsize           dc_offset,
                          WlBuffer       *d_gates,
                          WlBuffer       *dc_prev,
                          gsize           dc_prev_offset)
{
  gsize n_state = batch * hidden;

  g_return_if_fail (backend != NULL);
  g_return_if_fail (holds_block (backend, gates, 0, 4 * n_state));
  g_return_if_fail (holds_block (backend, c_prev, c_prev_offset, n_state));
  g_return_if_fail (holds_block (backend, c, c_offset, n_state));
  g_return_if_fail (holds_block (backend, dh, dh_offset, n_state));
  g_return_if_fail (holds_block (backend, dc, dc_offset, n_state));
  g_return_if_fail (holds_block (backend, d_gates, 0, 4 * n_state) && d_gates != gates &&
                    d_gates != dh && d_gates != dc);
  g_return_if_fail (holds_block (backend, dc_prev, dc_prev_offset, n_state) &&
                    dc_prev != gates && dc_prev != d_gates &&
                    disjoint (dc_prev, dc_prev_offset, dh, dh_offset, n_state) &&
                    disjoint (dc_prev, dc_prev_offset, c_prev, c_prev_offset, n_state) &&
                    disjoint (dc_prev, dc_prev_offset, c, c_offset, n_state) &&
                    (dc_prev_offset == dc_offset || disjoint (dc_prev, dc_prev_offset, dc, dc_offset, n_state)));

  if (n_state == 0)
    return;
  if (backend->klass->lstm_cell_backward != NULL)
    backend->klass->lstm_cell_backward (backend, batch, hidden, gates, c_prev, c_prev_offset,
                                        c, c_offset, dh, dh_offset, dc, dc_offset,
                                        d_gates, dc_prev, dc_prev_offset);
  else
    lstm_cell_backward_on_host (backend, batch, hidden, gates, c_prev, c_prev_offset,
                                c, c_offset, dh, dh_offset, dc, dc_offset,
                                d_gates, dc_prev, dc_prev_offset);
}

static void
convert_on_host (WlBackend      *backend,
                 gsize           n,
                 const WlBuffer *src,
                 WlBuffer       *dst)
{
  g_autofree float *f32 = stage_new (backend, n * sizeof (float));
  g_autofree void *raw = stage_new (backend, n * MAX (wl_dtype_size (src->dtype),
                                                      wl_dtype_size (dst->dtype)));

  if (f32 == NULL || raw == NULL || !stage_read (backend, src, 0, raw, n))
    return;
  wl_dtype_to_f32 (src->dtype, raw, f32, n);
  wl_dtype_from_f32 (dst->dtype, f32, raw, n);
  stage_write (backend, dst, 0, raw, n);
}

void
wl_op_convert (WlBackend      *backend,
               gsize           n,
               const WlBuffer *src,
               WlBuffer       *dst)
{
  g_return_if_fail (backend != NULL);
  g_return_if_fail (src != NULL && wl_dtype_is_float (src->dtype) && src->backend == backend &&
                    n <= src->n);
  g_return_if_fail (dst != NULL && wl_dtype_is_float (dst->dtype) && dst->backend == backend &&
                    n <= dst->n && dst != src);

  if (n == 0)
    return;
  if (src->dtype == dst->dtype)
    backend->klass->copy (backend, src, 0, dst, 0, n);
  else if (backend->klass->convert != NULL)
    backend->klass->convert (backend, n, src, dst);
  else
    convert_on_host (backend, n, src, dst);
}
