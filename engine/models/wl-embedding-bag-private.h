/* wl-embedding-bag-private.h: the embedding-bag model's insides, for tests. */
#pragma once

#include "models/wl-model-private.h"

G_BEGIN_DECLS

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
