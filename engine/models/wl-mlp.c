/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-mlp.c: the `mlp` model: the mean of a text's word embeddings, then
 * fully connected hidden layers (ReLU, dropout) and a softmax.
 *
 * A batch is laid out padded, n × T tokens (T = its longest text; −1
 * pads and gathers zeros).  The mean is one batched product per text,
 * [1 × T] weights (1/length, 0 on padding) times its [T × dim] embeddings,
 * and its gradient goes back to the embeddings the same way.
 */
#include "config.h"

#include <math.h>

#include "models/wl-neural-private.h"

static const WlNeuralDefaults mlp_defaults = {
  .hidden = 256, .layers = 1, .dropout = 0.2, .max_length = 1000,
};

typedef struct
{
  WlNeural  parent;
  guint     dim;
  guint     hidden;
  guint     layers;
  guint     embedding;
  guint     weight[WL_NEURAL_MAX_LAYERS + 1];   /* hidden layers, then the output */
  guint     bias[WL_NEURAL_MAX_LAYERS + 1];

  WlBuffer *ids;        /* I32 n × T */
  WlBuffer *mean_w;     /* n × T: 1/length or 0 */
  WlBuffer *x;          /* n × T × dim embeddings, then their gradients */
  WlBuffer *act[WL_NEURAL_MAX_LAYERS + 1];      /* the mean, then each hidden layer's output */
  WlBuffer *mask[WL_NEURAL_MAX_LAYERS + 1];
  WlBuffer *grad[2];    /* gradients of the activations, in turn */
} WlMlp;

static guint
width (const WlMlp *self,
       guint        layer)
{
  return layer == 0 ? self->dim : self->hidden;
}

static void
mlp_init (WlNeural *neural)
{
  WlMlp *self = (WlMlp *) neural;
  const WlModelConfig *m = &neural->parent.config->model;

  self->dim = m->dim;
  self->hidden = m->hidden;
  self->layers = MIN (m->layers, WL_NEURAL_MAX_LAYERS);
}

static void
mlp_add_params (WlNeural *neural)
{
  WlMlp *self = (WlMlp *) neural;
  guint K = neural->parent.n_labels;

  self->embedding = wl_neural_add_embedding (neural, self->dim);
  for (guint l = 0; l <= self->layers; l++)
    {
      gboolean hidden = l < self->layers;
      guint in = width (self, l), out = hidden ? self->hidden : K;
      float bound = 1.f / sqrtf ((float) in);

      const char *weight = hidden ? wl_neural_param_name ("hidden.%u.weight", l) : "output.weight";
      const char *bias = hidden ? wl_neural_param_name ("hidden.%u.bias", l) : "output.bias";

      self->weight[l] = wl_neural_add_param (neural, weight, in, out, WL_INIT_UNIFORM, bound,
                                             WL_PARAM_MATRIX);
      self->bias[l] = wl_neural_add_param (neural, bias, 1, out, WL_INIT_UNIFORM, bound,
                                           WL_PARAM_VECTOR);
    }
}

static gboolean
mlp_forward (WlNeural  *neural,
             WlBatch   *batch,
             GError   **error)
{
  WlMlp *self = (WlMlp *) neural;
  WlBackend *be = neural->backend;
  gsize n = batch->n, T = batch->max_len, E = self->dim;
  float p = wl_neural_dropout (neural, batch);
  gint32 *ids = wl_neural_host_ids (neural, n * T);
  g_autofree float *weights = g_new (float, n * T);

  for (gsize b = 0; b < n; b++)
    for (gsize t = 0; t < T; t++)
      {
        gboolean in = t < batch->lengths[b];

        ids[b * T + t] = in ? (gint32) batch->tokens[b][t] : WL_NEURAL_PAD;
        weights[b * T + t] = in ? 1.f / batch->lengths[b] : 0.f;
      }
  if (!wl_neural_upload_ids (neural, &self->ids, ids, n * T, error) ||
      !wl_neural_reserve (neural, &self->mean_w, WL_DTYPE_F32, n * T, error) ||
      !wl_buffer_write (self->mean_w, 0, weights, n * T, error) ||
      !wl_neural_reserve (neural, &self->x, WL_DTYPE_F32, n * T * E, error) ||
      !wl_neural_reserve (neural, &self->grad[0], WL_DTYPE_F32, n * MAX (E, self->hidden), error) ||
      !wl_neural_reserve (neural, &self->grad[1], WL_DTYPE_F32, n * MAX (E, self->hidden), error))
    return FALSE;
  for (guint l = 0; l <= self->layers; l++)
    if (!wl_neural_reserve (neural, &self->act[l], WL_DTYPE_F32, n * width (self, l), error) ||
        !wl_neural_reserve (neural, &self->mask[l], WL_DTYPE_F32, n * width (self, l), error))
      return FALSE;

  if (!wl_neural_gather_embedding (neural, ids, n * T, self->ids, self->x, error))
    return FALSE;
  wl_op_gemm_batched (be, FALSE, FALSE, 1, E, T, 1.f, self->mean_w, T, T, self->x, T * E, E,
                      0.f, self->act[0], E, E, n);
  for (guint l = 1; l <= self->layers; l++)
    {
      if (!wl_neural_linear (neural, n, self->act[l - 1], self->weight[l - 1], self->bias[l - 1],
                             self->act[l], error))
        return FALSE;
      wl_op_unary (be, WL_UNARY_RELU, n * self->hidden, self->act[l], self->act[l]);
      if (p > 0)
        wl_op_dropout (be, n * self->hidden, p, wl_neural_dropout_seed (batch, l), self->act[l],
                       self->mask[l]);
    }
  return wl_neural_linear (neural, n, self->act[self->layers], self->weight[self->layers],
                           self->bias[self->layers], batch->logits, error);
}

static void
mlp_backward (WlNeural *neural,
              WlBatch  *batch)
{
  WlMlp *self = (WlMlp *) neural;
  WlBackend *be = neural->backend;
  gsize n = batch->n, T = batch->max_len, E = self->dim;
  float p = wl_neural_dropout (neural, batch);
  const WlBuffer *dy = batch->d_logits;
  WlBuffer *dx = NULL;

  for (guint l = self->layers + 1; l-- > 0;)
    {
      dx = self->grad[l % 2];
      wl_neural_linear_backward (neural, n, self->act[l], self->weight[l], self->bias[l], dy,
                                 dx, FALSE);
      if (l > 0)
        {
          if (p > 0)
            wl_op_mul (be, n * self->hidden, self->mask[l], dx);
          wl_op_unary_backward (be, WL_UNARY_RELU, n * self->hidden, self->act[l], dx, dx);
        }
      dy = dx;
    }
  /* dx holds the gradient of the mean: spread it over the tokens. */
  wl_op_gemm_batched (be, TRUE, FALSE, T, E, 1, 1.f, self->mean_w, T, T, dx, E, E,
                      0.f, self->x, T * E, E, n);
  wl_op_scatter_add (be, n * T, E, self->x, self->ids, neural->params[self->embedding].g);
}

static void
mlp_release (WlNeural *neural)
{
  WlMlp *self = (WlMlp *) neural;

  g_clear_pointer (&self->ids, wl_buffer_free);
  g_clear_pointer (&self->mean_w, wl_buffer_free);
  g_clear_pointer (&self->x, wl_buffer_free);
  for (guint l = 0; l <= WL_NEURAL_MAX_LAYERS; l++)
    {
      g_clear_pointer (&self->act[l], wl_buffer_free);
      g_clear_pointer (&self->mask[l], wl_buffer_free);
    }
  g_clear_pointer (&self->grad[0], wl_buffer_free);
  g_clear_pointer (&self->grad[1], wl_buffer_free);
}

static const WlNeuralClass mlp_neural_class = {
  .size = sizeof (WlMlp),
  .init = mlp_init,
  .add_params = mlp_add_params,
  .forward = mlp_forward,
  .backward = mlp_backward,
  .release = mlp_release,
};

/* The mean of the embeddings, the hidden layers, the output layer. */
static const char *
mlp_onnx_graph (const WlModel *model,
                WlOnnxGraph   *graph)
{
  const WlMlp *self = (const WlMlp *) model;
  const WlParam *params = self->parent.params;
  const char *x = wl_model_onnx_mean (graph, wl_model_onnx_embed (graph, "embedding",
                                                                 wl_model_onnx_mask (graph)));

  for (guint l = 0; l <= self->layers; l++)
    {
      x = wl_model_onnx_affine (graph, x, params[self->weight[l]].name, params[self->bias[l]].name);
      if (l < self->layers)
        x = wl_onnx_graph_op (graph, "Relu", WL_ONNX_IN (x), WL_ONNX_NO_ATTRS);
    }
  return wl_model_onnx_softmax (graph, x);
}

static void
mlp_resolve_config (WlConfig *config)
{
  wl_neural_resolve_config (config, &mlp_defaults);
}

static WlModel *
mlp_create (const WlConfig *config,
            guint           n_labels)
{
  return wl_neural_create (&mlp_neural_class, &wl_mlp_class, config, n_labels);
}

static WlModel *
mlp_read (const WlConfig  *config,
          guint            n_labels,
          WlModelReader   *reader,
          GError         **error)
{
  return wl_neural_read (&mlp_neural_class, &wl_mlp_class, config, n_labels, reader, error);
}

const WlModelClass wl_mlp_class = {
  .type = WL_MODEL_MLP,
  .name = "mlp",
  .resolve_config = mlp_resolve_config,
  .create = mlp_create,
  .read = mlp_read,
  .onnx_graph = mlp_onnx_graph,
  WL_NEURAL_MODEL_METHODS,
};
