/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-embedding-bag-private.h: the embedding-bag model's insides, for tests. */
#pragma once

#include <stdatomic.h>

#include "models/wl-model-private.h"
#include "models/wl-vocab.h"

G_BEGIN_DECLS

/* The rows of the input matrix are the words (vocabulary ids), then the
 * buckets of hashed n-grams.  A pruned model keeps fewer of them: its
 * vocabulary holds only the words that stay, and bucket_rows says which
 * row each bucket has now (WL_VOCAB_NONE: dropped, the n-gram is ignored
 * as an unknown word is).  A quantised model holds its input rows as int8
 * with a scale each (input is NULL) and predicts from them. */
typedef struct
{
  WlModel   parent;
  gboolean  eos;          /* texts end with "</s>" (model files of format 4 on) */
  WlVocab  *vocab;        /* shared with clones; NULL before build */
  guint32   n_words;
  guint32   buckets;      /* hashed n-gram buckets (the setting) */
  guint32   n_bucket_rows;/* rows the buckets have: buckets unless pruned */
  guint32  *bucket_rows;  /* buckets entries when pruned, else NULL */
  guint     dim;
  float    *input;        /* n_rows x dim; NULL when quantised */
  gint8    *input_q;      /* n_rows x dim when quantised */
  float    *input_scale;  /* n_rows when quantised */
  float    *output;       /* n_labels x dim */
  float    *bias;         /* n_labels */
  _Atomic double lr;      /* of the latest steps; NAN before training */
  struct Sketch *ngram_sketch;  /* while built in windows */
} WlEmbeddingBag;

static inline gsize
wl_embedding_bag_n_rows (const WlEmbeddingBag *self)
{
  return (gsize) self->n_words + self->n_bucket_rows;
}

/* wl-embedding-bag-compress.c: the class's prune, quantize, storage and
 * foreach_tensor members. */
gboolean wl_embedding_bag_prune          (WlModel       *model,
                                          double         sparsity,
                                          GError       **error);
gboolean wl_embedding_bag_quantize       (WlModel       *model,
                                          GError       **error);
guint32  wl_embedding_bag_storage        (const WlModel *model);
void     wl_embedding_bag_foreach_tensor (WlModel       *model,
                                          WlTensorFunc   func,
                                          gpointer       user_data);
/* The input rows in the model file, as the model's storage says: when
 * pruned, u32 n_bucket_rows and the kept buckets (u32, ascending); then
 * fp32 rows, or when int8 a bfloat16 scale per row and the int8 rows.
 * Reading follows the file's flags and needs n_words and buckets set. */
void     wl_embedding_bag_write_rows     (const WlEmbeddingBag *self,
                                          WlModelWriter        *writer);
gboolean wl_embedding_bag_read_rows      (WlEmbeddingBag       *self,
                                          WlModelReader        *reader,
                                          GError              **error);

typedef struct
{
  guint32  n_rows;     /* words + buckets */
  guint    dim;
  float   *input;      /* n_rows x dim */
  float   *output;     /* n_labels x dim */
  float   *bias;       /* n_labels */
} WlEmbeddingBagWeights;

void     wl_embedding_bag_get_weights   (WlModel               *model,
                                         WlEmbeddingBagWeights *weights);

/* The mean cross-entropy over examples 0 .. @n - 1 and its gradients,
 * shaped like the weights. */
double   wl_embedding_bag_loss_and_grad (const WlModel         *model,
                                         const WlFeatures      *features,
                                         const guint32         *labels,
                                         gsize                  n,
                                         WlEmbeddingBagWeights *grad);

G_END_DECLS
