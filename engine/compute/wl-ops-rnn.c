/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-ops-rnn.c: the recurrent layers' time loops (lstm_forward and
 * lstm_backward, gru_forward and gru_backward): argument checks, and their
 * defaults composed from the other ops, one step after another, for
 * backends without their own. */
#include "config.h"

#include "compute/wl-backend-private.h"
#include "compute/wl-host.h"
#include "compute/wl-ops.h"

/* The rows of a packed batch (Σ active); FALSE when a step grows. */
static gboolean
packed_rows (gsize        steps,
             const gsize *active,
             gsize       *rows)
{
  *rows = 0;
  for (gsize t = 0; t < steps; t++)
    {
      if (t > 0 && active[t] > active[t - 1])
        return FALSE;
      *rows += active[t];
    }
  return TRUE;
}

static gboolean
holds_f32 (WlBackend      *backend,
           const WlBuffer *buffer,
           gsize           n)
{
  return buffer != NULL && buffer->backend == backend && buffer->dtype == WL_DTYPE_F32 &&
         n <= buffer->n;
}

static gboolean
holds_weights (WlBackend      *backend,
               const WlBuffer *buffer,
               gsize           n)
{
  return buffer != NULL && buffer->backend == backend && wl_dtype_is_float (buffer->dtype) &&
         n <= buffer->n;
}

/* A temporary F32 buffer for a default; NULL (and the backend's sticky
 * error) when it cannot be had. */
static WlBuffer *
scratch_new (WlBackend *backend,
             gsize      n)
{
  GError *error = NULL;
  WlBuffer *buffer = wl_buffer_new (backend, WL_DTYPE_F32, n, &error);

  if (buffer == NULL)
    wl_backend_take_error (backend, error);
  return buffer;
}

/* Each step's first row. */
static gsize *
step_offsets (gsize        steps,
              const gsize *active)
{
  gsize *offsets = g_new (gsize, steps + 1);

  offsets[0] = 0;
  for (gsize t = 0; t < steps; t++)
    offsets[t + 1] = offsets[t] + active[t];
  return offsets;
}

/* The cell runs on a step's gates copied to offset 0 and back. */
static void
lstm_forward_composed (WlBackend      *backend,
                       gsize           steps,
                       const gsize    *active,
                       gsize           H,
                       const WlBuffer *w_hh,
                       WlBuffer       *gates,
                       WlBuffer       *c,
                       WlBuffer       *h,
                       WlBuffer       *h_prev)
{
  g_autofree gsize *offsets = step_offsets (steps, active);
  g_autoptr(WlBuffer) step_gates = scratch_new (backend, active[0] * 4 * H);
  g_autoptr(WlBuffer) zeros = scratch_new (backend, active[0] * H);

  if (step_gates == NULL || zeros == NULL)
    return;
  wl_op_fill (backend, zeros, 0, active[0] * H, 0.f);
  wl_op_fill (backend, h_prev, 0, active[0] * H, 0.f);
  for (gsize t = 0; t < steps; t++)
    {
      gsize n = active[t], at = offsets[t], prev = t > 0 ? offsets[t - 1] : 0;

      if (t > 0)
        {
          wl_op_copy (backend, h, prev * H, h_prev, at * H, n * H);
          wl_op_gemm (backend, FALSE, FALSE, n, 4 * H, H, 1.f, h_prev, at * H, H,
                      w_hh, 0, 4 * H, 1.f, gates, at * 4 * H, 4 * H);
        }
      wl_op_copy (backend, gates, at * 4 * H, step_gates, 0, n * 4 * H);
      wl_op_lstm_cell (backend, n, H, step_gates, t > 0 ? c : zeros, prev * H,
                       c, at * H, h, at * H);
      wl_op_copy (backend, step_gates, 0, gates, at * 4 * H, n * 4 * H);
    }
}

void
wl_op_lstm_forward (WlBackend      *backend,
                    gsize           steps,
                    const gsize    *active,
                    gsize           hidden,
                    const WlBuffer *w_hh,
                    WlBuffer       *gates,
                    WlBuffer       *c,
                    WlBuffer       *h,
                    WlBuffer       *h_prev)
{
  gsize R;

  g_return_if_fail (backend != NULL);
  g_return_if_fail (steps == 0 || active != NULL);
  g_return_if_fail (packed_rows (steps, active, &R));
  g_return_if_fail (holds_weights (backend, w_hh, hidden * 4 * hidden));
  g_return_if_fail (holds_f32 (backend, gates, R * 4 * hidden));
  g_return_if_fail (holds_f32 (backend, c, R * hidden) && c != gates);
  g_return_if_fail (holds_f32 (backend, h, R * hidden) && h != gates && h != c);
  g_return_if_fail (holds_f32 (backend, h_prev, R * hidden) && h_prev != gates &&
                    h_prev != c && h_prev != h);

  if (R == 0 || hidden == 0)
    return;
  if (backend->klass->lstm_forward != NULL)
    backend->klass->lstm_forward (backend, steps, active, hidden, w_hh, gates, c, h, h_prev);
  else
    lstm_forward_composed (backend, steps, active, hidden, w_hh, gates, c, h, h_prev);
}

static void
lstm_backward_composed (WlBackend      *backend,
                        gsize           steps,
                        const gsize    *active,
                        gsize           H,
                        const WlBuffer *w_hh,
                        const WlBuffer *gates,
                        const WlBuffer *c,
                        WlBuffer       *dh,
                        WlBuffer       *d_gates)
{
  g_autofree gsize *offsets = step_offsets (steps, active);
  g_autoptr(WlBuffer) step_gates = scratch_new (backend, active[0] * 4 * H);
  g_autoptr(WlBuffer) step_d = scratch_new (backend, active[0] * 4 * H);
  g_autoptr(WlBuffer) dc = scratch_new (backend, active[0] * H);
  g_autoptr(WlBuffer) zeros = scratch_new (backend, active[0] * H);

  if (step_gates == NULL || step_d == NULL || dc == NULL || zeros == NULL)
    return;
  /* The rows a step adds to the one after it (sequences that end there)
   * start with no cell gradient: they are still zero. */
  wl_op_fill (backend, zeros, 0, active[0] * H, 0.f);
  wl_op_fill (backend, dc, 0, active[0] * H, 0.f);
  for (gsize t = steps; t-- > 0;)
    {
      gsize n = active[t], at = offsets[t], prev = t > 0 ? offsets[t - 1] : 0;

      wl_op_copy (backend, gates, at * 4 * H, step_gates, 0, n * 4 * H);
      wl_op_lstm_cell_backward (backend, n, H, step_gates, t > 0 ? c : zeros, prev * H,
                                c, at * H, dh, at * H, dc, 0, step_d, dc, 0);
      wl_op_copy (backend, step_d, 0, d_gates, at * 4 * H, n * 4 * H);
      if (t == 0)
        break;
      wl_op_gemm (backend, FALSE, TRUE, n, H, 4 * H, 1.f, step_d, 0, 4 * H,
                  w_hh, 0, 4 * H, 1.f, dh, prev * H, H);
    }
}

void
wl_op_lstm_backward (WlBackend      *backend,
                     gsize           steps,
                     const gsize    *active,
                     gsize           hidden,
                     const WlBuffer *w_hh,
                     const WlBuffer *gates,
                     const WlBuffer *c,
                     WlBuffer       *dh,
                     WlBuffer       *d_gates)
{
  gsize R;

  g_return_if_fail (backend != NULL);
  g_return_if_fail (steps == 0 || active != NULL);
  g_return_if_fail (packed_rows (steps, active, &R));
  g_return_if_fail (holds_weights (backend, w_hh, hidden * 4 * hidden));
  g_return_if_fail (holds_f32 (backend, gates, R * 4 * hidden));
  g_return_if_fail (holds_f32 (backend, c, R * hidden) && c != gates);
  g_return_if_fail (holds_f32 (backend, dh, R * hidden) && dh != gates && dh != c);
  g_return_if_fail (holds_f32 (backend, d_gates, R * 4 * hidden) && d_gates != gates &&
                    d_gates != c && d_gates != dh);

  if (R == 0 || hidden == 0)
    return;
  if (backend->klass->lstm_backward != NULL)
    backend->klass->lstm_backward (backend, steps, active, hidden, w_hh, gates, c, dh, d_gates);
  else
    lstm_backward_composed (backend, steps, active, hidden, w_hh, gates, c, dh, d_gates);
}

/* The GRU's weights and gates, checked as a set. */
static gboolean
holds_three (WlBackend             *backend,
             const WlBuffer * const *buffers,
             gsize                  n,
             gboolean               weights)
{
  for (guint g = 0; g < 3; g++)
    if (buffers == NULL ||
        !(weights ? holds_weights (backend, buffers[g], n) : holds_f32 (backend, buffers[g], n)))
      return FALSE;
  return TRUE;
}

/* Temporaries for the composed GRU steps: @n buffers of @size. */
static gboolean
scratch_set (WlBackend *backend,
             WlBuffer **set,
             guint      n,
             gsize      size)
{
  for (guint i = 0; i < n; i++)
    if ((set[i] = scratch_new (backend, size)) == NULL)
      return FALSE;
  return TRUE;
}

static void
scratch_set_free (WlBuffer **set,
                  guint      n)
{
  for (guint i = 0; i < n; i++)
    wl_buffer_free (set[i]);
}

/* The elementwise ops work from offset 0: a step's rows are copied to
 * temporaries and back. */
static void
gru_forward_composed (WlBackend             *backend,
                      gsize                  steps,
                      const gsize           *active,
                      gsize                  H,
                      const WlBuffer * const *w_hh,
                      const WlBuffer        *b_hn,
                      WlBuffer * const      *gates,
                      WlBuffer              *hn,
                      WlBuffer              *h,
                      WlBuffer              *h_prev)
{
  g_autofree gsize *offsets = step_offsets (steps, active);
  WlBuffer *s[4] = { NULL };
  WlBuffer *r, *z, *nn, *tmp;

  if (scratch_set (backend, s, G_N_ELEMENTS (s), active[0] * H))
    {
      r = s[0], z = s[1], nn = s[2], tmp = s[3];
      wl_op_fill (backend, hn, 0, offsets[steps] * H, 0.f);
      wl_op_add_bias (backend, offsets[steps], H, hn, b_hn);
      wl_op_fill (backend, h_prev, 0, active[0] * H, 0.f);
      for (gsize t = 0; t < steps; t++)
        {
          gsize n = active[t], at = offsets[t] * H, m = n * H;

          if (t > 0)
            {
              wl_op_copy (backend, h, offsets[t - 1] * H, h_prev, at, m);
              for (guint g = 0; g < 3; g++)
                wl_op_gemm (backend, FALSE, FALSE, n, H, H, 1.f, h_prev, at, H, w_hh[g], 0, H,
                            1.f, g < 2 ? gates[g] : hn, at, H);
            }
          wl_op_copy (backend, gates[0], at, r, 0, m);
          wl_op_unary (backend, WL_UNARY_SIGMOID, m, r, r);
          wl_op_copy (backend, r, 0, gates[0], at, m);
          wl_op_copy (backend, gates[1], at, z, 0, m);
          wl_op_unary (backend, WL_UNARY_SIGMOID, m, z, z);
          wl_op_copy (backend, z, 0, gates[1], at, m);
          /* n = tanh (x·W_in + b_n + r ⊙ hn) */
          wl_op_copy (backend, hn, at, nn, 0, m);
          wl_op_mul (backend, m, r, nn);
          wl_op_copy (backend, gates[2], at, tmp, 0, m);
          wl_op_axpby (backend, m, 1.f, tmp, 1.f, nn);
          wl_op_unary (backend, WL_UNARY_TANH, m, nn, nn);
          wl_op_copy (backend, nn, 0, gates[2], at, m);
          /* h = n + z ⊙ (h_{t−1} − n) */
          wl_op_copy (backend, h_prev, at, tmp, 0, m);
          wl_op_axpby (backend, m, -1.f, nn, 1.f, tmp);
          wl_op_mul (backend, m, z, tmp);
          wl_op_axpby (backend, m, 1.f, nn, 1.f, tmp);
          wl_op_copy (backend, tmp, 0, h, at, m);
        }
    }
  scratch_set_free (s, G_N_ELEMENTS (s));
}

void
wl_op_gru_forward (WlBackend             *backend,
                   gsize                  steps,
                   const gsize           *active,
                   gsize                  hidden,
                   const WlBuffer * const *w_hh,
                   const WlBuffer        *b_hn,
                   WlBuffer * const      *gates,
                   WlBuffer              *hn,
                   WlBuffer              *h,
                   WlBuffer              *h_prev)
{
  gsize R;

  g_return_if_fail (backend != NULL);
  g_return_if_fail (steps == 0 || active != NULL);
  g_return_if_fail (packed_rows (steps, active, &R));
  g_return_if_fail (holds_three (backend, w_hh, hidden * hidden, TRUE));
  g_return_if_fail (holds_f32 (backend, b_hn, hidden));
  g_return_if_fail (holds_three (backend, (const WlBuffer * const *) gates, R * hidden, FALSE));
  g_return_if_fail (holds_f32 (backend, hn, R * hidden));
  g_return_if_fail (holds_f32 (backend, h, R * hidden) && h != hn);
  g_return_if_fail (holds_f32 (backend, h_prev, R * hidden) && h_prev != hn && h_prev != h);

  if (R == 0 || hidden == 0)
    return;
  if (backend->klass->gru_forward != NULL)
    backend->klass->gru_forward (backend, steps, active, hidden, w_hh, b_hn, gates, hn, h,
                                 h_prev);
  else
    gru_forward_composed (backend, steps, active, hidden, w_hh, b_hn, gates, hn, h, h_prev);
}

static void
gru_backward_composed (WlBackend             *backend,
                       gsize                  steps,
                       const gsize           *active,
                       gsize                  H,
                       const WlBuffer * const *w_hh,
                       const WlBuffer * const *gates,
                       const WlBuffer        *hn,
                       const WlBuffer        *h_prev,
                       WlBuffer              *dh,
                       WlBuffer * const      *d_gates,
                       WlBuffer              *d_hn)
{
  g_autofree gsize *offsets = step_offsets (steps, active);
  WlBuffer *s[8] = { NULL };

  if (scratch_set (backend, s, G_N_ELEMENTS (s), active[0] * H))
    for (gsize t = steps; t-- > 0;)
      {
        gsize n = active[t], at = offsets[t] * H, m = n * H;
        WlBuffer *dh_t = s[0], *r = s[1], *z = s[2], *nn = s[3], *dr = s[4], *dz = s[5];
        WlBuffer *d_prev = s[6], *dhn = s[7];

        wl_op_copy (backend, dh, at, dh_t, 0, m);
        wl_op_copy (backend, gates[0], at, r, 0, m);
        wl_op_copy (backend, gates[1], at, z, 0, m);
        wl_op_copy (backend, gates[2], at, nn, 0, m);
        wl_op_copy (backend, hn, at, dr, 0, m);
        wl_op_copy (backend, h_prev, at, dz, 0, m);
        /* Through h = n + z ⊙ (h_{t−1} − n): to h_{t−1}, z and n. */
        wl_op_copy (backend, dh_t, 0, d_prev, 0, m);
        wl_op_mul (backend, m, z, d_prev);
        wl_op_axpby (backend, m, -1.f, nn, 1.f, dz);
        wl_op_mul (backend, m, dh_t, dz);
        wl_op_axpby (backend, m, -1.f, d_prev, 1.f, dh_t);
        /* Through n = tanh (… + r ⊙ hn): dh_t now holds dn before tanh. */
        wl_op_unary_backward (backend, WL_UNARY_TANH, m, nn, dh_t, dh_t);
        wl_op_copy (backend, dh_t, 0, dhn, 0, m);
        wl_op_mul (backend, m, r, dhn);
        wl_op_mul (backend, m, dh_t, dr);
        wl_op_unary_backward (backend, WL_UNARY_SIGMOID, m, r, dr, dr);
        wl_op_unary_backward (backend, WL_UNARY_SIGMOID, m, z, dz, dz);
        wl_op_copy (backend, dr, 0, d_gates[0], at, m);
        wl_op_copy (backend, dz, 0, d_gates[1], at, m);
        wl_op_copy (backend, dh_t, 0, d_gates[2], at, m);
        wl_op_copy (backend, dhn, 0, d_hn, at, m);
        if (t == 0)
          break;
        wl_op_gemm (backend, FALSE, TRUE, n, H, H, 1.f, dr, 0, H, w_hh[0], 0, H, 1.f,
                    d_prev, 0, H);
        wl_op_gemm (backend, FALSE, TRUE, n, H, H, 1.f, dz, 0, H, w_hh[1], 0, H, 1.f,
                    d_prev, 0, H);
        wl_op_gemm (backend, FALSE, TRUE, n, H, H, 1.f, dhn, 0, H, w_hh[2], 0, H, 1.f,
                    d_prev, 0, H);
        wl_op_copy (backend, dh, offsets[t - 1] * H, r, 0, m);
        wl_op_axpby (backend, m, 1.f, d_prev, 1.f, r);
        wl_op_copy (backend, r, 0, dh, offsets[t - 1] * H, m);
      }
  scratch_set_free (s, G_N_ELEMENTS (s));
}

void
wl_op_gru_backward (WlBackend             *backend,
                    gsize                  steps,
                    const gsize           *active,
                    gsize                  hidden,
                    const WlBuffer * const *w_hh,
                    const WlBuffer * const *gates,
                    const WlBuffer        *hn,
                    const WlBuffer        *h_prev,
                    WlBuffer              *dh,
                    WlBuffer * const      *d_gates,
                    WlBuffer              *d_hn)
{
  gsize R;

  g_return_if_fail (backend != NULL);
  g_return_if_fail (steps == 0 || active != NULL);
  g_return_if_fail (packed_rows (steps, active, &R));
  g_return_if_fail (holds_three (backend, w_hh, hidden * hidden, TRUE));
  g_return_if_fail (holds_three (backend, gates, R * hidden, FALSE));
  g_return_if_fail (holds_f32 (backend, hn, R * hidden));
  g_return_if_fail (holds_f32 (backend, h_prev, R * hidden));
  g_return_if_fail (holds_f32 (backend, dh, R * hidden) && dh != hn && dh != h_prev);
  g_return_if_fail (holds_three (backend, (const WlBuffer * const *) d_gates, R * hidden, FALSE));
  g_return_if_fail (holds_f32 (backend, d_hn, R * hidden) && d_hn != dh);
  for (guint g = 0; g < 3; g++)
    g_return_if_fail (d_gates[g] != dh && d_gates[g] != d_hn && d_gates[g] != gates[g] &&
                      d_gates[g] != hn && d_gates[g] != h_prev);

  if (R == 0 || hidden == 0)
    return;
  if (backend->klass->gru_backward != NULL)
    backend->klass->gru_backward (backend, steps, active, hidden, w_hh, gates, hn, h_prev, dh,
                                  d_gates, d_hn);
  else
    gru_backward_composed (backend, steps, active, hidden, w_hh, gates, hn, h_prev, dh,
                           d_gates, d_hn);
}
