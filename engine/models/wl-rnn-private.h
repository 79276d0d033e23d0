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
 */
#pragma once

#include "models/wl-neural-private.h"

G_BEGIN_DECLS

#define WL_RNN_SCRATCH 8

/* One layer in one direction. */
typedef struct
{
  guint     w_ih[3];      /* LSTM: [in × 4H]; GRU: r, z, n, each [in × H] */
  guint     w_hh[3];      /* LSTM: [H × 4H]; GRU: r, z, n, each [H × H] */
  guint     bias[3];      /* LSTM: [4H]; GRU: r, z, n (input and hidden biases together) */
  guint     bias_hn;      /* GRU: the hidden bias of n, inside r ⊙ (…) */

  WlBuffer *gates[3];     /* LSTM: R × 4H; GRU: r, z, n, each R × H; then their gradients */
  WlBuffer *hn;           /* GRU: R × H, W_hn·h + b_hn; then its gradient */
  WlBuffer *c;            /* LSTM: R × H cells */
  WlBuffer *h;            /* R × H outputs */
  WlBuffer *h_prev;       /* R × H: step t holds h_{t−1} (zeros at t = 0) */
  WlBuffer *dh;           /* R × H: gradient of h */
  WlBuffer *mask;         /* R × H: dropout on h, below the top layer */
  WlBuffer *permuted;     /* R × H: h in the other direction's row order */
  WlBuffer *d_permuted;
} WlRnnUnit;

/* The input of a layer: one or two row-aligned pieces (bidirectional
 * layers above the first read both directions of the layer below). */
typedef struct
{
  guint           n_pieces;
  const WlBuffer *x[2];
  guint           width[2];
  WlBuffer       *dx[2];       /* where their gradients go (added) */
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
  WlBuffer  *ids[2];           /* I32 R: tokens in each direction's order */
  WlBuffer  *last;             /* I32 n */
  WlBuffer  *perm;             /* I32 R */
  WlBuffer  *x[2];             /* R × dim embeddings */
  WlBuffer  *dx;               /* R × dim */
  WlBuffer  *final[2];         /* n × H: last states */
  WlBuffer  *final_mask[2];
  WlBuffer  *d_final;
  WlBuffer  *zeros;            /* n × H */
  WlBuffer  *scratch[WL_RNN_SCRATCH];   /* step temporaries, n × 4H */
} WlRnn;

/* wl-rnn-cells.c: one layer in one direction over the packed batch.
 * Forward: input → unit->h (and what backward needs).  Backward: from
 * unit->dh (the gradient of every h, filled by the caller) to the
 * weights' gradients and input->dx. */
gboolean wl_rnn_cells_reserve  (WlRnn             *self,
                                WlRnnUnit         *unit,
                                gsize              n,
                                GError           **error);
void     wl_rnn_cells_forward  (WlRnn             *self,
                                WlRnnUnit         *unit,
                                const WlRnnInput  *input);
void     wl_rnn_cells_backward (WlRnn             *self,
                                WlRnnUnit         *unit,
                                const WlRnnInput  *input);

G_END_DECLS
