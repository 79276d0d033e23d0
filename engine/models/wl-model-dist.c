/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model-dist.c: parameter averaging over the ranks of a distributed
 * run, for the models that train by lock-free SGD (linear, embedding-bag).
 *
 * Each rank trains a pass on its share of the examples, then every weight
 * array is summed over the ranks (one allreduce each) and divided by their
 * number, so every rank starts the next pass from the same weights, as
 * Vowpal Wabbit's AllReduce does.  The sum is the same on every rank, so
 * the averages are too.  Each rank stepped at N × the learning rate
 * (wl-sgd.c says why), so the average moves the weights as far as one
 * process would. */
#include "config.h"

#include "dist/wl-dist.h"
#include "models/wl-model-private.h"

typedef struct
{
  float    scale;
  GError  *error;
} Average;

static void
average_array (float    *data,
               gsize     n,
               gpointer  user_data)
{
  Average *average = user_data;

  if (average->error != NULL || !wl_dist_allreduce_float (data, n, &average->error))
    return;
  for (gsize i = 0; i < n; i++)
    data[i] *= average->scale;
}

gboolean
wl_model_averages_weights (const WlModel *model)
{
  return model->klass->foreach_weights != NULL;
}

gboolean
wl_model_average_weights (WlModel  *model,
                          GError  **error)
{
  Average average = { 1.0f / wl_dist_size (), NULL };

  g_return_val_if_fail (wl_model_averages_weights (model), FALSE);

  if (wl_dist_size () <= 1)
    return TRUE;
  model->klass->foreach_weights (model, average_array, &average);
  if (average.error != NULL)
    {
      g_propagate_error (error, average.error);
      return FALSE;
    }
  return TRUE;
}
