/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-linear-private.h: the linear model's insides, for tests. */
#pragma once

#include <math.h>

#include "models/wl-model-private.h"
#include "models/wl-vocab.h"

G_BEGIN_DECLS

typedef struct
{
  WlModel   parent;
  WlVocab  *vocab;        /* shared with clones; NULL before build */
  guint32   n_features;
  guint     char_min;
  guint     char_max;
  float    *idf;          /* n_features */
  float    *weights;      /* n_features x n_labels; NULL when int8 */
  gint8    *weights_q;    /* the same in int8 when quantised, else NULL */
  float    *weight_scale; /* value = weights_q * scale: n_labels scales, one
                           * per column (format 2 files: n_features, one per
                           * row, as scale_per_label FALSE says) */
  gboolean  scale_per_label;
  gboolean  pruned;       /* rows were dropped (the file's flag) */
  float    *bias;         /* n_labels */
  _Atomic double lr;      /* of the latest steps; NAN before training */
} WlLinear;

/* The training objective over examples 0 .. @n - 1 of @features: the mean
 * of each example's cross-entropy plus l2 / 2 times the squared norm of the
 * weights of the features it contains (what one SGD step descends).  Fills
 * the gradients with respect to the weights (n_features x n_labels) and
 * the biases (n_labels). */
double   wl_linear_loss_and_grad (const WlModel    *model,
                                  const WlFeatures *features,
                                  const guint32    *labels,
                                  gsize             n,
                                  float            *grad_weights,
                                  float            *grad_bias);

/* The weights (n_features x n_labels, row-major) and the biases. */
float   *wl_linear_get_weights   (WlModel          *model,
                                  guint32          *n_features,
                                  float           **bias);

/* The IDF of a feature found in @df of @n_docs training documents
 * (smoothed, as scikit-learn's TfidfVectorizer). */
static inline float
wl_linear_idf (guint64 n_docs,
               guint32 df)
{
  return (float) (log ((1.0 + n_docs) / (1.0 + df)) + 1.0);
}

gboolean wl_linear_feature_key    (const char    *text,
                                   gsize          len,
                                   guint          rule,
                                   guint64       *key,
                                   gpointer       user_data);

/* wl-linear-compress.c: the class's prune, quantize, storage and
 * foreach_tensor members. */
gboolean wl_linear_prune          (WlModel       *model,
                                   double         sparsity,
                                   GError       **error);
gboolean wl_linear_quantize       (WlModel       *model,
                                   GError       **error);
guint32  wl_linear_storage        (const WlModel *model);
void     wl_linear_foreach_tensor (WlModel       *model,
                                   WlTensorFunc   func,
                                   gpointer       user_data);

/* The weights in the model file, as the model's storage says: fp32
 * (n_features x n_labels), or when int8 a bf16 scale per label (format 2:
 * per feature) then the int8 rows. */
void     wl_linear_write_weights  (const WlLinear *self,
                                   WlModelWriter  *writer);
gboolean wl_linear_read_weights   (WlLinear       *self,
                                   WlModelReader  *reader,
                                   GError        **error);
/* The IDF of an int8 or pruned model file: u64 n_docs, from which and the
 * vocabulary's counts it is computed again (wl_linear_idf()), or 0 and
 * the IDF as fp32 when that would not give it exactly. */
void     wl_linear_write_idf      (const WlLinear *self,
                                   WlModelWriter  *writer);
gboolean wl_linear_read_idf       (WlLinear       *self,
                                   WlModelReader  *reader,
                                   GError        **error);

G_END_DECLS
