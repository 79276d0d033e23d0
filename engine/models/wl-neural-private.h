/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-neural-private.h: the neural models' shared state, and calls for tests. */
#pragma once

#include "models/wl-neural.h"

G_BEGIN_DECLS

/* Features of a neural model: token ids, and a serial number that tells
 * the prediction cache one set of features from another. */
typedef struct
{
  WlFeatures base;
  guint64    serial;
} WlNeuralFeatures;

/* A batch assembled on the host (wl-neural-batch.c): its documents
 * longest first, their labels and, for training, the embedding rows they
 * touch; what wl_neural_batch_upload() puts on the backend. */
typedef struct
{
  gsize           n;
  gsize           n_tokens;     /* Σ lengths */
  gsize           capacity;     /* of the arrays below */
  guint32        *docs;
  const guint32 **tokens;
  guint32        *lengths;
  guint32        *positions;    /* of each sequence in the docs given */
  gint32         *labels;       /* −1 each when predicting */
  gint32         *rows;         /* the embedding rows the batch touches, each once */
  gsize           n_rows;
  gsize           rows_size;
} WlBatchHost;

struct _WlNeuralState
{
  GMutex        lock;           /* the backend and everything on it */
  gboolean      borrowed;       /* the backend is not ours to close */
  gboolean      device_stale;   /* the host weights are newer */
  gboolean      host_stale;     /* the device weights are newer */
  guint64       generation;     /* bumped whenever the weights change */

  WlOptimizer  *optimizer;
  WlLossScaler  scaler;
  GBytes       *saved_state;    /* a checkpoint's optimiser and scaler, for the next epoch */
  double        lr;             /* of the latest step; NAN before the first */
  WlDtype       low_dtype;      /* F16 or BF16 in mixed precision, else F32 */
  gboolean      mixed;          /* products in low_dtype now (training a batch) */

  /* One batch */
  WlBatch       batch;          /* its docs, tokens and lengths are host's */
  WlBatchHost   host;
  WlBatchHost   ahead;          /* the next batch, assembled while training on this one */
  WlBuffer     *probs;
  WlBuffer     *loss;           /* per row */
  WlBuffer     *loss_sum;       /* 1 */
  gint32       *host_ids;
  gsize         host_ids_size;
  WlBuffer     *rows;           /* I32: the embedding rows the batch touches */
  gsize         n_rows;         /* of them (in a distributed run, every rank's: host.rows) */
  gboolean      rows_clean;     /* the embeddings' gradient is zero (cleared by the step) */
  guint32      *stamps;         /* per embedding row: the last batch that touched it */
  guint32       stamp;
  float        *dist_host;      /* distributed runs (wl-neural-dist.c): gradients on the host */
  gsize         dist_host_size;
  gint32       *dist_ids;       /* every rank's embedding rows */
  gsize         dist_ids_size;
  WlBuffer     *dist_rows;      /* gradient rows gathered on the device */
  WlBuffer     *low_a;          /* activations converted for wl_neural_gemm() */
  WlBuffer     *low_b;
  WlBuffer     *tile;           /* a tile of int8 weights in fp32 (wl_neural_weight_gemm()) */
  float        *host_f32;       /* the same, or int8 embeddings, made on the host */
  gsize         host_f32_len;

  /* Kept predictions */
  guint64       cache_serial;
  guint64       cache_generation;
  gsize         cache_n;
  float        *cache_probs;
  guint8       *cache_done;     /* per block */
};

/* wl-neural.c */
gsize     wl_param_size              (const WlParam      *param);
/* Declares the weights (the model's add_params) and allocates their host
 * arrays, zeros. */
gboolean  wl_neural_alloc_params     (WlNeural           *self,
                                      GError            **error);
/* Draws the initial weights (seeded by data.seed). */
void      wl_neural_init_params      (WlNeural           *self);
void      wl_neural_release_device   (WlNeural           *self);
/* wl-neural-compress.c: the embeddings of @n tokens (@host_ids, also
 * uploaded as @ids; −1 pads and gathers zeros) into @out, from the fp32
 * table on the device or, when quantised, from the int8 table. */
gboolean  wl_neural_gather_embedding (WlNeural           *self,
                                      const gint32       *host_ids,
                                      gsize               n,
                                      const WlBuffer     *ids,
                                      WlBuffer           *out,
                                      GError            **error);
/* A param's weights in the model file: fp32, or when int8 a bf16 scale
 * per row (a table) or column (a matrix), then the values. */
void      wl_neural_write_param      (const WlParam      *param,
                                      WlModelWriter      *writer);
gboolean  wl_neural_read_param       (WlParam            *param,
                                      WlModelReader      *reader,
                                      GError            **error);
gboolean  wl_neural_sync_device      (WlNeural           *self,
                                      GError            **error);
gboolean  wl_neural_sync_host        (WlNeural           *self,
                                      GError            **error);
/* The same for the calls that cannot report errors: warns on failure. */
void      wl_neural_sync_host_or_warn (WlNeural          *self);
/* Opens the backend of model.device (unless one was set) and puts the
 * weights on it. */
gboolean  wl_neural_open_device      (WlNeural           *self,
                                      guint               n_threads,
                                      GError            **error);
/* Half-precision copies of the gemm weights, for training in mixed
 * precision; fails on a device without that precision. */
gboolean  wl_neural_enable_low       (WlNeural           *self,
                                      GError            **error);
/* Refreshes them from the weights. */
void      wl_neural_convert_low      (WlNeural           *self);

/* wl-neural-file.c */
/* Puts the checkpoint's training state (state->saved_state) into the
 * optimiser and the loss scaler just made, and drops it. */
gboolean  wl_neural_apply_saved_state (WlNeural          *self,
                                      GError            **error);

/* wl-neural-batch.c */
/* @positions[0 .. n − 1] = the positions of @docs, longest document
 * first (ties in the given order). */
void      wl_neural_sort_longest     (const WlFeatures   *features,
                                      const guint32      *docs,
                                      guint32            *positions,
                                      gsize               n);
void      wl_batch_host_clear        (WlBatchHost        *host);
/* Assembles documents @docs into @host (@n may be 0); with @train, the
 * embedding rows too, which uses state->stamps: one assembly at a time. */
void      wl_neural_batch_assemble   (WlNeural           *self,
                                      WlBatchHost        *host,
                                      const WlFeatures   *features,
                                      const guint32      *labels,
                                      const guint32      *docs,
                                      gsize               n,
                                      gboolean            train);
/* Makes state->host (n > 0) the batch: its labels and rows on the backend. */
gboolean  wl_neural_batch_upload     (WlNeural           *self,
                                      gboolean            train,
                                      guint64             seed,
                                      GError            **error);
/* Both at once. */
gboolean  wl_neural_batch_fill       (WlNeural           *self,
                                      const WlFeatures   *features,
                                      const guint32      *labels,
                                      const guint32      *docs,
                                      gsize               n,
                                      gboolean            train,
                                      guint64             seed,
                                      GError            **error);

/* wl-neural-train.c */
/* Forward pass and softmax of the filled batch: probabilities into
 * state->probs (and with @grads, the loss in state->loss_sum and the
 * gradients of the mean loss times @loss_scale in the params). */
gboolean  wl_neural_batch_run        (WlNeural           *self,
                                      gboolean            grads,
                                      double              loss_scale,
                                      GError            **error);
/* Zeroes the gradients, as a batch does before its backward pass (for a
 * rank with no examples in a step of a distributed run). */
void      wl_neural_clear_grads      (WlNeural           *self);

/* wl-neural-dist.c: sums the gradients of the batch each rank ran (and
 * the loss in @batch_loss) over the ranks of a distributed run, so that
 * every rank steps with the gradient of the whole global batch; the
 * embedding rows to step (state->rows) become those any rank touched. */
gboolean  wl_neural_allreduce_grads  (WlNeural           *self,
                                      float              *batch_loss,
                                      GError            **error);

/* For tests */

/* Trains and predicts on @backend (not closed with the model). */
void      wl_neural_set_backend      (WlModel            *model,
                                      WlBackend          *backend);
/* The mean loss over documents 0 .. @n − 1 as one batch (dropout with a
 * fixed seed), leaving its gradients in the params. */
gboolean  wl_neural_loss_and_grad    (WlModel            *model,
                                      const WlFeatures   *features,
                                      const guint32      *labels,
                                      gsize               n,
                                      double             *loss,
                                      GError            **error);
/* The logits of documents @docs as one batch, in @docs' order. */
gboolean  wl_neural_logits           (WlModel            *model,
                                      const WlFeatures   *features,
                                      const guint32      *docs,
                                      gsize               n,
                                      float              *logits,
                                      GError            **error);
/* The host copy of the params, current; call wl_neural_host_changed()
 * after writing into it. */
WlParam  *wl_neural_get_params       (WlModel            *model,
                                      guint              *n_params);
void      wl_neural_host_changed     (WlModel            *model);

G_END_DECLS
