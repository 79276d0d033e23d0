/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-blas-rnn.c: the blas backend's recurrent time loops (LSTM
 * and GRU).
 *
 * A packed batch's sequences are independent of each other through time,
 * so they are cut into one shard per thread (about the same number of
 * tokens each: the batch is sorted longest first, so a shard is a run of
 * sequence indices) and each thread runs every step of its own shard: a
 * one-thread product for the step's rows, then the fused cell, straight
 * on the rows of the packed buffers.  The threads meet once per loop
 * instead of at every step; that is what makes the small per-step
 * products worth running on more than one core.
 */
#include "config.h"

#include <string.h>

#include "compute/wl-backend-blas-private.h"
#include "compute/wl-host.h"
#include "exec/wl-parallel.h"

typedef struct
{
  gsize        steps;
  const gsize *active;
  gsize       *offsets;   /* steps + 1: each step's first row */
  gsize       *bounds;    /* n_shards + 1: each shard's first sequence */
  gsize        hidden;
  const float *w;         /* LSTM: W_hh, H × 4H */
  float       *gates;
  float       *c;
  float       *h;
  float       *h_prev;
  float       *dh;
  float       *d_gates;
  const float *gru_w[3];  /* GRU: W_hr, W_hz, W_hn */
  const float *b_hn;
  float       *gru_gates[3];
  float       *hn;
  float       *gru_d_gates[3];
  float       *d_hn;
} Loop;

/* Sets up @loop's offsets and up to @n_threads shards; returns the number
 * of shards. */
static gsize
loop_init (Loop        *loop,
           gsize        steps,
           const gsize *active,
           gsize        hidden,
           guint        n_threads)
{
  gsize n = active[0], shards = MIN ((gsize) n_threads, n), R, cut = 1, tokens = 0;

  loop->steps = steps;
  loop->active = active;
  loop->hidden = hidden;
  loop->offsets = g_new (gsize, steps + 1);
  loop->offsets[0] = 0;
  for (gsize t = 0; t < steps; t++)
    loop->offsets[t + 1] = loop->offsets[t] + active[t];
  R = loop->offsets[steps];

  /* Sequence b runs for as many steps as have more than b rows. */
  loop->bounds = g_new (gsize, shards + 1);
  loop->bounds[0] = 0;
  for (gsize b = 0, t = steps; b < n && cut < shards; b++)
    {
      while (t > 0 && active[t - 1] <= b)
        t--;
      tokens += t;
      if (tokens * shards >= cut * R)
        loop->bounds[cut++] = b + 1;
    }
  shards = cut;
  loop->bounds[shards] = n;
  return shards;
}

static void
loop_clear (Loop *loop)
{
  g_free (loop->offsets);
  g_free (loop->bounds);
}

/* The rows of sequences [b0, b1) at step @t: how many, from @row. */
static inline gsize
shard_rows (const Loop *loop,
            gsize       t,
            gsize       b0,
            gsize       b1,
            gsize      *row)
{
  gsize active = MIN (loop->active[t], b1);

  *row = loop->offsets[t] + b0;
  return active > b0 ? active - b0 : 0;
}

static void
lstm_forward_shards (gsize    begin,
                     gsize    end,
                     gpointer data,
                     guint    worker)
{
  const Loop *loop = data;
  gsize H = loop->hidden;

  for (gsize s = begin; s < end; s++)
    {
      gsize b0 = loop->bounds[s], b1 = loop->bounds[s + 1];
      g_autofree float *zeros = g_new0 (float, (b1 - b0) * H);

      for (gsize t = 0, row, prev = 0, m; t < loop->steps &&
           (m = shard_rows (loop, t, b0, b1, &row)) > 0; prev = row, t++)
        {
          float *gates = loop->gates + row * 4 * H;

          if (t == 0)
            memset (loop->h_prev + row * H, 0, m * H * sizeof (float));
          else
            {
              memcpy (loop->h_prev + row * H, loop->h + prev * H, m * H * sizeof (float));
              wl_blas_sgemm_one (&(WlSgemm) { FALSE, FALSE, m, 4 * H, H, 1.f,
                                              loop->h_prev + row * H, H, loop->w, 4 * H,
                                              1.f, gates, 4 * H });
            }
          wl_host_lstm_cell (m, H, gates, t > 0 ? loop->c + prev * H : zeros,
                             loop->c + row * H, loop->h + row * H);
        }
    }
}

void
wl_blas_lstm_forward (WlBackend      *backend,
                      gsize           steps,
                      const gsize    *active,
                      gsize           hidden,
                      const WlBuffer *w_hh,
                      WlBuffer       *gates,
                      WlBuffer       *c,
                      WlBuffer       *h,
                      WlBuffer       *h_prev)
{
  guint n_threads = wl_parallel_resolve_threads (backend->n_threads);
  g_autofree float *w_owned = NULL;
  Loop loop = {
    .w = wl_blas_f32_view (backend, w_hh, 0, hidden * 4 * hidden, &w_owned),
    .gates = gates->data, .c = c->data, .h = h->data, .h_prev = h_prev->data,
  };
  gsize shards;

  if (loop.w == NULL)
    return;
  shards = loop_init (&loop, steps, active, hidden, n_threads);
  wl_parallel_for (shards, 1, n_threads, lstm_forward_shards, &loop, NULL, NULL);
  loop_clear (&loop);
}

static void
lstm_backward_shards (gsize    begin,
                      gsize    end,
                      gpointer data,
                      guint    worker)
{
  const Loop *loop = data;
  gsize H = loop->hidden;

  for (gsize s = begin; s < end; s++)
    {
      gsize b0 = loop->bounds[s], b1 = loop->bounds[s + 1], steps = 0, row, prev, m;
      g_autofree float *zeros = g_new0 (float, (b1 - b0) * H);
      /* The cells' gradients from the next steps.  A step has no fewer
       * rows than the one after it, and the rows it adds (sequences
       * that end there) are still zero. */
      g_autofree float *dc = g_new0 (float, (b1 - b0) * H);

      while (steps < loop->steps && shard_rows (loop, steps, b0, b1, &row) > 0)
        steps++;
      for (gsize t = steps; t-- > 0;)
        {
          m = shard_rows (loop, t, b0, b1, &row);
          prev = t > 0 ? loop->offsets[t - 1] + b0 : 0;
          wl_host_lstm_cell_backward (m, H, loop->gates + row * 4 * H,
                                      t > 0 ? loop->c + prev * H : zeros, loop->c + row * H,
                                      loop->dh + row * H, dc, loop->d_gates + row * 4 * H, dc);
          if (t == 0)
            break;
          wl_blas_sgemm_one (&(WlSgemm) { FALSE, TRUE, m, H, 4 * H, 1.f,
                                          loop->d_gates + row * 4 * H, 4 * H, loop->w, 4 * H,
                                          1.f, loop->dh + prev * H, H });
        }
    }
}

void
wl_blas_lstm_backward (WlBackend      *backend,
                       gsize           steps,
                       const gsize    *active,
                       gsize           hidden,
                       const WlBuffer *w_hh,
                       const WlBuffer *gates,
                       const WlBuffer *c,
                       WlBuffer       *dh,
                       WlBuffer       *d_gates)
{
  guint n_threads = wl_parallel_resolve_threads (backend->n_threads);
  g_autofree float *w_owned = NULL;
  Loop loop = {
    .w = wl_blas_f32_view (backend, w_hh, 0, hidden * 4 * hidden, &w_owned),
    .gates = gates->data, .c = c->data, .dh = dh->data, .d_gates = d_gates->data,
  };
  gsize shards;

  if (loop.w == NULL)
    return;
  shards = loop_init (&loop, steps, active, hidden, n_threads);
  wl_parallel_for (shards, 1, n_threads, lstm_backward_shards, &loop, NULL, NULL);
  loop_clear (&loop);
}

/* W_hr, W_hz and W_hn as f32, into @loop; FALSE when out of memory. */
static gboolean
gru_weights (WlBackend             *backend,
             const WlBuffer * const *w_hh,
             gsize                  hidden,
             Loop                  *loop,
             float                **owned)
{
  for (guint g = 0; g < 3; g++)
    if ((loop->gru_w[g] = wl_blas_f32_view (backend, w_hh[g], 0, hidden * hidden,
                                            &owned[g])) == NULL)
      return FALSE;
  return TRUE;
}

static void
gru_forward_shards (gsize    begin,
                    gsize    end,
                    gpointer data,
                    guint    worker)
{
  const Loop *loop = data;
  gsize H = loop->hidden;

  for (gsize s = begin; s < end; s++)
    {
      gsize b0 = loop->bounds[s], b1 = loop->bounds[s + 1];

      for (gsize t = 0, row, prev = 0, m; t < loop->steps &&
           (m = shard_rows (loop, t, b0, b1, &row)) > 0; prev = row, t++)
        {
          float *h_prev = loop->h_prev + row * H, *hn = loop->hn + row * H;

          if (t == 0)
            {
              memset (h_prev, 0, m * H * sizeof (float));
              memset (hn, 0, m * H * sizeof (float));
            }
          else
            {
              memcpy (h_prev, loop->h + prev * H, m * H * sizeof (float));
              for (guint g = 0; g < 3; g++)
                wl_blas_sgemm_one (&(WlSgemm) { FALSE, FALSE, m, H, H, 1.f, h_prev, H,
                                                loop->gru_w[g], H, g < 2 ? 1.f : 0.f,
                                                g < 2 ? loop->gru_gates[g] + row * H : hn, H });
            }
          wl_host_gru_cell (m, H, loop->gru_gates[0] + row * H, loop->gru_gates[1] + row * H,
                            loop->gru_gates[2] + row * H, hn, loop->b_hn, h_prev,
                            loop->h + row * H);
        }
    }
}

void
wl_blas_gru_forward (WlBackend             *backend,
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
  guint n_threads = wl_parallel_resolve_threads (backend->n_threads);
  float *owned[3] = { NULL };
  Loop loop = {
    .b_hn = b_hn->data, .hn = hn->data, .h = h->data, .h_prev = h_prev->data,
    .gru_gates = { gates[0]->data, gates[1]->data, gates[2]->data },
  };

  if (gru_weights (backend, w_hh, hidden, &loop, owned))
    {
      gsize shards = loop_init (&loop, steps, active, hidden, n_threads);

      wl_parallel_for (shards, 1, n_threads, gru_forward_shards, &loop, NULL, NULL);
      loop_clear (&loop);
    }
  for (guint g = 0; g < 3; g++)
    g_free (owned[g]);
}

static void
gru_backward_shards (gsize    begin,
                     gsize    end,
                     gpointer data,
                     guint    worker)
{
  const Loop *loop = data;
  gsize H = loop->hidden;

  for (gsize s = begin; s < end; s++)
    {
      gsize b0 = loop->bounds[s], b1 = loop->bounds[s + 1], steps = 0, row, prev, m;

      while (steps < loop->steps && shard_rows (loop, steps, b0, b1, &row) > 0)
        steps++;
      for (gsize t = steps; t-- > 0;)
        {
          float *d_gates[3];

          m = shard_rows (loop, t, b0, b1, &row);
          prev = t > 0 ? loop->offsets[t - 1] + b0 : 0;
          for (guint g = 0; g < 3; g++)
            d_gates[g] = loop->gru_d_gates[g] + row * H;
          wl_host_gru_cell_backward (m, H, loop->gru_gates[0] + row * H,
                                     loop->gru_gates[1] + row * H, loop->gru_gates[2] + row * H,
                                     loop->hn + row * H, loop->h_prev + row * H,
                                     loop->dh + row * H, d_gates[0], d_gates[1], d_gates[2],
                                     loop->d_hn + row * H, t > 0 ? loop->dh + prev * H : NULL);
          if (t == 0)
            break;
          d_gates[2] = loop->d_hn + row * H;
          for (guint g = 0; g < 3; g++)
            wl_blas_sgemm_one (&(WlSgemm) { FALSE, TRUE, m, H, H, 1.f, d_gates[g], H,
                                            loop->gru_w[g], H, 1.f, loop->dh + prev * H, H });
        }
    }
}

void
wl_blas_gru_backward (WlBackend             *backend,
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
  guint n_threads = wl_parallel_resolve_threads (backend->n_threads);
  float *owned[3] = { NULL };
  Loop loop = {
    .hn = hn->data, .h_prev = h_prev->data, .dh = dh->data, .d_hn = d_hn->data,
    .gru_gates = { gates[0]->data, gates[1]->data, gates[2]->data },
    .gru_d_gates = { d_gates[0]->data, d_gates[1]->data, d_gates[2]->data },
  };

  if (gru_weights (backend, w_hh, hidden, &loop, owned))
    {
      gsize shards = loop_init (&loop, steps, active, hidden, n_threads);

      wl_parallel_for (shards, 1, n_threads, gru_backward_shards, &loop, NULL, NULL);
      loop_clear (&loop);
    }
  for (guint g = 0; g < 3; g++)
    g_free (owned[g]);
}
