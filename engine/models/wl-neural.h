/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-neural.h: what the neural models (mlp, textcnn, lstm, gru) share.
 *
 * A neural model is a WlNeural with a few hooks (WlNeuralClass): it
 * declares its weight matrices, and runs the forward and backward passes
 * of a batch with the wl_op_*() calls of one backend.  Everything else is
 * here: the vocabulary and the token-id features, weight initialisation,
 * batches bucketed by length, the epoch loop with the optimiser, the
 * learning-rate schedule, clipping, mixed precision and loss scaling,
 * prediction, checkpoints (copy_weights, clone) and the model file.
 *
 * The embedding table is updated lazily: a step changes only the rows of
 * the words its batch holds (and their optimiser state), as PyTorch's
 * SparseAdam does, so a step costs the same whatever the vocabulary.
 *
 * Token ids: 0 is the unknown word, vocabulary entry w is w + 1; padding
 * is −1, which gather() turns into a zero row and scatter_add() skips.
 *
 * Weights live in two places.  On the host (WlParam.host) for the model
 * file, clones and checkpoints; on the model's backend while it trains
 * or predicts.  Each side is copied to the other only when it changed.
 *
 * Prediction runs on the model's backend too, a block of documents at a
 * time under the model's lock: wl_model_predict() of document i scores
 * i's whole block (sorted by length and packed, as in training) and keeps
 * the probabilities, so that the next documents of the block cost a copy.
 * The kept scores are dropped when the weights change or other features
 * come.  Predicting is thus thread-safe, and as fast as training's
 * forward pass whatever the number of threads asking.  A model loaded on
 * a machine without the device it was trained on predicts on "blas".
 */
#pragma once

#include "compute/wl-backend.h"
#include "compute/wl-ops.h"
#include "models/wl-model-private.h"
#include "models/wl-optim.h"
#include "models/wl-vocab.h"

G_BEGIN_DECLS

#define WL_NEURAL_UNK        0
#define WL_NEURAL_PAD        (-1)
#define WL_NEURAL_MAX_PARAMS 64
#define WL_NEURAL_MAX_LAYERS 8

typedef enum
{
  WL_INIT_ZERO,
  WL_INIT_UNIFORM,     /* uniform in [−scale, scale] */
  WL_INIT_NORMAL,      /* normal with standard deviation scale */
} WlInit;

typedef enum
{
  WL_PARAM_VECTOR,     /* biases */
  WL_PARAM_MATRIX,     /* a gemm operand: gets a half-precision copy */
  WL_PARAM_ROWS,       /* an embedding table: gathered by rows, updated lazily
                        * in the rows a batch touches (wl_optimizer_set_rows()) */
} WlParamKind;

/* One weight matrix (rows × cols, row-major), with its gradient. */
typedef struct
{
  const char *name;
  guint32     rows;
  guint32     cols;
  WlInit      init;
  float       scale;
  WlParamKind kind;
  float      *host;
  WlBuffer   *w;        /* on the backend */
  WlBuffer   *g;
  WlBuffer   *low;      /* fp16/bf16 copy of w for mixed precision */
  gboolean    whole;    /* an op takes it whole in fp32 (a recurrent W_hh): never int8 */
  gint8      *q;        /* the weights in int8 when quantised (host and w are then NULL) */
  float      *q_scale;  /* value = q * scale: one per row of a table, per column of a matrix */
} WlParam;

/* A batch of documents, longest first (ties in document order). */
typedef struct
{
  gsize           n;
  guint32         max_len;     /* lengths[0] */
  gsize           n_tokens;    /* Σ lengths */
  guint32        *docs;        /* document index of each sequence */
  const guint32 **tokens;      /* each sequence's token ids, lengths[i] of them */
  guint32        *lengths;
  gboolean        train;       /* dropout on, keep what backward needs */
  guint64         seed;        /* for this batch's dropout masks */
  WlBuffer       *labels;      /* I32, n */
  WlBuffer       *logits;      /* n × n_labels: written by forward */
  WlBuffer       *d_logits;    /* n × n_labels: read by backward */
} WlBatch;

typedef struct _WlNeural WlNeural;

typedef struct
{
  gsize      size;                                   /* of the model's struct */
  /* Reads the model's settings from its (resolved) config; may be NULL. */
  void     (*init)       (WlNeural *self);
  /* Declares the weights with wl_neural_add_param(), once the number of
   * embedding rows is known; the same calls in the same order each time. */
  void     (*add_params) (WlNeural *self);
  /* Adjusts the drawn initial weights (may be NULL). */
  void     (*init_weights) (WlNeural *self);
  /* batch → batch->logits. */
  gboolean (*forward)    (WlNeural *self, WlBatch *batch, GError **error);
  /* batch->d_logits → the gradients (WlParam.g, zeroed before). */
  void     (*backward)   (WlNeural *self, WlBatch *batch);
  /* Frees the buffers the model keeps on the backend. */
  void     (*release)    (WlNeural *self);
} WlNeuralClass;

typedef struct _WlNeuralState WlNeuralState;

struct _WlNeural
{
  WlModel              parent;
  const WlNeuralClass *nclass;
  WlVocab             *vocab;        /* shared with clones; NULL before build */
  guint32              n_rows;       /* embedding rows: the vocabulary and the unknown word */
  WlParam              params[WL_NEURAL_MAX_PARAMS];
  guint                n_params;
  guint                embedding;       /* the embedding table's param */
  gboolean             pruned;          /* words were dropped (the file's flag) */
  WlBackend           *backend;      /* NULL until the model trains or predicts */
  WlNeuralState       *state;        /* the rest: locks, optimiser, caches */
};

/* The WlModelClass members every neural model shares. */
#define WL_NEURAL_MODEL_METHODS              \
  .free = wl_neural_free,                    \
  .build = wl_neural_build,                  \
  .featurize = wl_neural_featurize,          \
  .features_free = wl_features_free,         \
  .train_epoch = wl_neural_train_epoch,      \
  .predict = wl_neural_predict,              \
  .copy_weights = wl_neural_copy_weights,    \
  .clone = wl_neural_clone,                  \
  .write = wl_neural_write,                  \
  .write_state = wl_neural_write_state,      \
  .read_state = wl_neural_read_state,        \
  .n_parameters = wl_neural_n_parameters,    \
  .get_lr = wl_neural_get_lr,                \
  .foreach_tensor = wl_neural_foreach_tensor, \
  .storage = wl_neural_storage,              \
  .quantize = wl_neural_quantize,            \
  .prune = wl_neural_prune,                  \
  .describe_ids = wl_neural_describe_ids

extern const WlModelClass wl_mlp_class;
extern const WlModelClass wl_textcnn_class;
extern const WlModelClass wl_lstm_class;
extern const WlModelClass wl_gru_class;

/* A model's own defaults for the settings left unset (0, or dropout < 0);
 * a 0 hidden or layers means the model has no such setting, a 0 dim or
 * batch_size that it takes the neural models' shared default. */
typedef struct
{
  guint  hidden;
  guint  layers;
  double dropout;
  guint  max_length;
  guint  dim;
  guint  batch_size;
} WlNeuralDefaults;

/* Fills the model's settings from @defaults, then those every neural model has (optimiser,
 * schedule, batch, device: "cpu" becomes "blas"); each model's
 * resolve_config calls it. */
void        wl_neural_resolve_config  (WlConfig               *config,
                                       const WlNeuralDefaults *defaults);

WlModel    *wl_neural_create          (const WlNeuralClass *nclass,
                                       const WlModelClass  *klass,
                                       const WlConfig      *config,
                                       guint                n_labels);
WlModel    *wl_neural_read            (const WlNeuralClass *nclass,
                                       const WlModelClass  *klass,
                                       const WlConfig      *config,
                                       guint                n_labels,
                                       WlModelReader       *reader,
                                       GError             **error);
void        wl_neural_free            (WlModel             *model);
gboolean    wl_neural_build           (WlModel             *model,
                                       const WlTokenList   *docs,
                                       const guint32       *labels,
                                       gsize                n_docs,
                                       guint                n_threads,
                                       GError             **error);
WlFeatures *wl_neural_featurize       (const WlModel       *model,
                                       const WlTokenList   *docs,
                                       gsize                n_docs,
                                       guint                n_threads);
gboolean    wl_neural_train_epoch     (WlModel             *model,
                                       const WlFeatures    *features,
                                       const guint32       *labels,
                                       const WlTrainContext *ctx,
                                       double              *loss,
                                       GError             **error);
void        wl_neural_predict         (const WlModel       *model,
                                       const WlFeatures    *features,
                                       gsize                i,
                                       float               *probs);
void        wl_neural_copy_weights    (WlModel             *dst,
                                       const WlModel       *src);
WlModel    *wl_neural_clone           (const WlModel       *model);
void        wl_neural_write           (const WlModel       *model,
                                       WlModelWriter       *writer);
gboolean    wl_neural_write_state     (const WlModel       *model,
                                       WlModelWriter       *writer,
                                       GError             **error);
gboolean    wl_neural_read_state      (WlModel             *model,
                                       WlModelReader       *reader,
                                       GError             **error);
guint64     wl_neural_n_parameters    (const WlModel       *model);
/* The steps an epoch of @n examples takes in batches of @batch_size (the
 * last batch of each length-sorted window may be short). */
gsize       wl_neural_count_batches   (gsize                n,
                                       gsize                batch_size);
/* wl-neural-export.c: every param under its name (vectors 1-D), and the
 * ids: vocabulary entry w is w + 1, 0 the unknown word. */
guint32     wl_neural_storage         (const WlModel       *model);
gboolean    wl_neural_quantize        (WlModel             *model,
                                       GError             **error);
gboolean    wl_neural_prune           (WlModel             *model,
                                       double               sparsity,
                                       GError             **error);
void        wl_neural_foreach_tensor  (WlModel             *model,
                                       WlTensorFunc         func,
                                       gpointer             user_data);
void        wl_neural_describe_ids    (const WlModel       *model,
                                       JsonBuilder         *builder);
double      wl_neural_get_lr          (const WlModel       *model);

/* For the models' hooks */

/* Declares a weight matrix; returns its index in self->params. */
guint       wl_neural_add_param       (WlNeural            *self,
                                       const char          *name,
                                       guint32              rows,
                                       guint32              cols,
                                       WlInit               init,
                                       float                scale,
                                       WlParamKind          kind);
/* A parameter name made from @format (interned: it lives as long as the
 * process), such as "lstm.l0.fwd.w_ih"; names are unique in a model and
 * are the tensors' names in exports. */
const char *wl_neural_param_name      (const char          *format,
                                       ...) G_GNUC_PRINTF (1, 2);
/* Declares the embedding table (n_rows × @dim, drawn from a normal
 * distribution of deviation 0.1: small enough that Adam's steps move the
 * rows of rare words, unlike PyTorch's N(0, 1)); returns its index. */
guint       wl_neural_add_embedding   (WlNeural            *self,
                                       guint32              dim);
/* Makes *@buffer (on the model's backend) hold at least @n elements;
 * its contents are undefined after a resize. */
gboolean    wl_neural_reserve         (WlNeural            *self,
                                       WlBuffer           **buffer,
                                       WlDtype              dtype,
                                       gsize                n,
                                       GError             **error);
/* Uploads @n host ids into *@ids (I32, reserved). */
gboolean    wl_neural_upload_ids      (WlNeural            *self,
                                       WlBuffer           **ids,
                                       const gint32        *host,
                                       gsize                n,
                                       GError             **error);
/* The batch's ids in a host scratch array of @n entries (the model's,
 * valid until the next call). */
gint32     *wl_neural_host_ids        (WlNeural            *self,
                                       gsize                n);

/* C = alpha · op(A) · op(B) + beta · C, as wl_op_gemm(); in mixed
 * precision a weight operand is replaced by its half-precision copy and
 * an activation operand starting at offset 0 is converted first. */
void        wl_neural_gemm            (WlNeural            *self,
                                       gboolean             trans_a,
                                       gboolean             trans_b,
                                       gsize                m,
                                       gsize                n,
                                       gsize                k,
                                       float                alpha,
                                       const WlBuffer      *a,
                                       gsize                a_offset,
                                       gsize                lda,
                                       const WlBuffer      *b,
                                       gsize                b_offset,
                                       gsize                ldb,
                                       float                beta,
                                       WlBuffer            *c,
                                       gsize                c_offset,
                                       gsize                ldc);

/* C[@m × cols] = X[@m × @k] · W[@row .. @row + @k − 1, all cols] +
 * @beta · C for the weight matrix @weight (X from @x_offset, rows @ldx
 * apart; C from @c_offset, rows @ldc apart), as wl_neural_gemm(); an int8
 * W is turned into fp32 a tile of columns at a time in a scratch buffer
 * (wl-neural-compress.c), never whole. */
gboolean    wl_neural_weight_gemm     (WlNeural            *self,
                                       gsize                m,
                                       gsize                k,
                                       const WlBuffer      *x,
                                       gsize                x_offset,
                                       gsize                ldx,
                                       guint                weight,
                                       gsize                row,
                                       float                beta,
                                       WlBuffer            *c,
                                       gsize                c_offset,
                                       gsize                ldc,
                                       GError             **error);

/* y[rows × out] = x[rows × in] · W + b (W: in × out, b: 1 × out). */
gboolean    wl_neural_linear          (WlNeural            *self,
                                       gsize                rows,
                                       const WlBuffer      *x,
                                       guint                weight,
                                       guint                bias,
                                       WlBuffer            *y,
                                       GError             **error);
/* The gradients of wl_neural_linear(): W.g += xᵀ·dy, b.g += Σ dy, and
 * dx = dy·Wᵀ (or dx += … with @accumulate; no dx when NULL). */
void        wl_neural_linear_backward (WlNeural            *self,
                                       gsize                rows,
                                       const WlBuffer      *x,
                                       guint                weight,
                                       guint                bias,
                                       const WlBuffer      *dy,
                                       WlBuffer            *dx,
                                       gboolean             accumulate);

/* The dropout rate of a batch (0 outside training) and the seed of its
 * @n-th mask. */
float       wl_neural_dropout         (const WlNeural      *self,
                                       const WlBatch       *batch);
guint64     wl_neural_dropout_seed    (const WlBatch       *batch,
                                       guint                n);


G_END_DECLS
