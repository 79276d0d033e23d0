/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-rnn-private.h: the recurrent models' insides, shared by wl-rnn.c
 * (layers, packing, output) and wl-rnn-cells.c (the time loops).
 *
 * Packing: a batch's sequences are sorted longest first, so the ones
 * still running at step t are the first active[t].  Their rows are laid
 * out step after step: step t holds rows offsets[t] .. offsets[t] +
 * active[t] − 1, row offsets[t] + b for sequence b, and a step's product
 * has active[t] rows; padding is never computed.  Sequence b's rows at
 * step t and t − 1 have the same index within their step, so h_{t−1} of
 * the active[t] sequences is the first rows of step t − 1.
 *
 * The backward direction reads each sequence reversed: its step t is
 * token lengths[b] − 1 − t.  perm maps a row of one direction to the row
 * of the same token in the other (it is its own inverse); the last step
 * of either direction of sequence b is row last[b].
 *
 * Tokens: a batch's U distinct tokens (a third to a half of its rows on
 * real text) have their embeddings in x[U × dim], and index[d] gives each
 * row of direction d its token's row in x.  The first layer's input
 * products run on those U rows and are gathered to the R rows (their
 * gradients scattered back and summed), so they cost U/R of products over
 * every row.
 */
#pragma once

#include "models/wl-neural-private.h"

G_BEGIN_DECLS

/* One layer in one direction. */
typedef struct
{
  guint     w_ih[3];      /* LSTM: [in × 4H]; GRU: r, z, n, each [in × H] */
  guint     w_hh[3];      /* LSTM: [H × 4H]; GRU: r, z, n, each [H × H] */
  guint     bias[3];      /* LSTM: [4H]; GRU: r, z, n (input and hidden biases together) */
  guint     bias_hn;      /* GRU: the hidden bias of n, inside r ⊙ (…) */

  WlBuffer *gates[3];     /* LSTM: R × 4H; GRU: r, z, n, each R × H */
  WlBuffer *d_gates[3];   /* their gradients */
  WlBuffer *hn;           /* GRU: R × H, W_hn·h + b_hn */
  WlBuffer *d_hn;         /* its gradient */
  WlBuffer *c;            /* LSTM: R × H cells */
  WlBuffer *h;            /* R × H outputs */
  WlBuffer *h_prev;       /* R × H: step t holds h_{t−1} (zeros at t = 0) */
  WlBuffer *dh;           /* R × H: gradient of h */
  WlBuffer *mask;         /* R × H: dropout on h, below the top layer */
  WlBuffer *permuted;     /* R × H: h in the other direction's row order */
  WlBuffer *d_permuted;
} WlRnnUnit;

/* The input of a layer: one or two row-aligned pieces (bidirectional
 * layers above the first read both directions of the layer below), or
 * for the first layer the distinct tokens' embeddings and each row's
 * token. */
typedef struct
{
  guint           n_pieces;
  const WlBuffer *x[2];
  guint           width[2];
  WlBuffer       *dx[2];       /* where their gradients go (added) */
  const WlBuffer *index;       /* I32 R: the row of x each row reads; NULL: x has R rows */
  gsize           n_tokens;    /* x's rows, with index */
} WlRnnInput;

typedef struct
{
  WlNeural   parent;
  gboolean   gru;
  guint      dim;
  guint      hidden;
  guint      layers;
  guint      dirs;
  guint      embedding;
  guint      output;
  guint      output_bias;
  WlRnnUnit  units[WL_NEURAL_MAX_LAYERS][2];

  /* The packed batch */
  gsize      steps;
  gsize      rows;
  gsize     *active;           /* steps */
  gsize     *offsets;          /* steps + 1 */
  gsize      steps_capacity;
  gsize      n_tokens;         /* U: distinct tokens */
  WlBuffer  *tokens;           /* I32 U: their ids */
  const gint32 *host_tokens;   /* the same on the host (in wl_neural_host_ids()) */
  WlBuffer  *index[2];         /* I32 R: each row's token in each direction's order */
  WlBuffer  *last;             /* I32 n */
  WlBuffer  *perm;             /* I32 R */
  WlBuffer  *x;                /* U × dim embeddings */
  WlBuffer  *dx;               /* U × dim */
  WlBuffer  *projected;        /* U × 4H: a product on the tokens, and its gradient */
  gint32    *slots;            /* per embedding row: its token in the batch… */
  guint32   *stamps;           /* …when stamps[id] is the batch's stamp */
  guint32    stamp;
  WlBuffer  *final[2];         /* n × H: last states */
  WlBuffer  *final_mask[2];
  WlBuffer  *d_final;
} WlRnn;

/* wl-rnn-cells.c: one layer in one direction over the packed batch.
 * Forward: input → unit->h (and what backward needs).  Backward: from
 * unit->dh (the gradient of every h, filled by the caller) to the
 * weights' gradients and input->dx. */
gboolean wl_rnn_cells_reserve  (WlRnn             *self,
                                WlRnnUnit         *unit,
                                gsize              n,
                                GError           **error);
gboolean wl_rnn_cells_forward  (WlRnn             *self,
                                WlRnnUnit         *unit,
                                const WlRnnInput  *input,
                                GError           **error);
void     wl_rnn_cells_backward (WlRnn             *self,
                                WlRnnUnit         *unit,
                                const WlRnnInput  *input);

G_END_DECLS
