/* wl-linear-private.h: the linear model's insides, for tests. */
#pragma once

#include "models/wl-model-private.h"

G_BEGIN_DECLS

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

G_END_DECLS
