/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-rnn.c: the `lstm` and `gru` models: word embeddings, one or more
 * recurrent layers (optionally bidirectional), the last state of each
 * direction of the top layer, dropout and a softmax.
 *
 * Sequences are packed by length (see wl-rnn-private.h): no product or
 * cell ever runs on padding, and a batch's steps shrink as its shorter
 * texts end.  Dropout, when set, applies between layers and to the last
 * states.  The cells' time loops are in wl-rnn-cells.c.
 */
#include "config.h"

#include <math.h>

#include "models/wl-rnn-private.h"

static const WlNeuralDefaults rnn_defaults = {
  .hidden = 64, .layers = 1, .dropout = 0.0, .max_length = 400,
};

static void
rnn_init (WlNeural *neural)
{
  WlRnn *self = (WlRnn *) neural;
  const WlModelConfig *m = &neural->parent.config->model;

  self->gru = m->type == WL_MODEL_GRU;
  self->dim = m->dim;
  self->hidden = m->hidden;
  self->layers = CLAMP (m->layers, 1, WL_NEURAL_MAX_LAYERS);
  self->dirs = m->bidirectional ? 2 : 1;
}

static void
rnn_add_params (WlNeural *neural)
{
  WlRnn *self = (WlRnn *) neural;
  guint H = self->hidden, K = neural->parent.n_labels, top = H * self->dirs;
  float bound = 1.f / sqrtf ((float) H);

  self->embedding = wl_neural_add_embedding (neural, self->dim);
  for (guint l = 0; l < self->layers; l++)
    for (guint d = 0; d < self->dirs; d++)
      {
        WlRnnUnit *unit = &self->units[l][d];
        guint in = l == 0 ? self->dim : H * self->dirs;
        const char *dir = d == 0 ? "fwd" : "bwd";

        if (!self->gru)
          {
            unit->w_ih[0] = wl_neural_add_param (neural, wl_neural_param_name ("lstm.l%u.%s.w_ih", l, dir),
                                                 in, 4 * H, WL_INIT_UNIFORM, bound, WL_PARAM_MATRIX);
            unit->w_hh[0] = wl_neural_add_param (neural, wl_neural_param_name ("lstm.l%u.%s.w_hh", l, dir),
                                                 H, 4 * H, WL_INIT_UNIFORM, bound, WL_PARAM_MATRIX);
            neural->params[unit->w_hh[0]].whole = TRUE;
            unit->bias[0] = wl_neural_add_param (neural, wl_neural_param_name ("lstm.l%u.%s.bias", l, dir),
                                                 1, 4 * H, WL_INIT_UNIFORM, bound, WL_PARAM_VECTOR);
            continue;
          }
        for (guint g = 0; g < 3; g++)
          {
            char gate = "rzn"[g];

            unit->w_ih[g] = wl_neural_add_param (neural, wl_neural_param_name ("gru.l%u.%s.w_i%c", l, dir, gate),
                                                 in, H, WL_INIT_UNIFORM, bound, WL_PARAM_MATRIX);
            unit->w_hh[g] = wl_neural_add_param (neural, wl_neural_param_name ("gru.l%u.%s.w_h%c", l, dir, gate),
                                                 H, H, WL_INIT_UNIFORM, bound, WL_PARAM_MATRIX);
            neural->params[unit->w_hh[g]].whole = TRUE;
            unit->bias[g] = wl_neural_add_param (neural, wl_neural_param_name ("gru.l%u.%s.b_%c", l, dir, gate),
                                                 1, H, WL_INIT_UNIFORM, bound, WL_PARAM_VECTOR);
          }
        unit->bias_hn = wl_neural_add_param (neural, wl_neural_param_name ("gru.l%u.%s.b_hn", l, dir),
                                             1, H, WL_INIT_UNIFORM, bound, WL_PARAM_VECTOR);
      }
  self->output = wl_neural_add_param (neural, "output.weight", top, K, WL_INIT_UNIFORM,
                                      1.f / sqrtf ((float) top), WL_PARAM_MATRIX);
  self->output_bias = wl_neural_add_param (neural, "output.bias", 1, K, WL_INIT_UNIFORM,
                                           1.f / sqrtf ((float) top), WL_PARAM_VECTOR);
}

/* An LSTM starts with its forget gates open (bias +1), so that gradients
 * reach back through long texts from the first steps. */
static void
rnn_init_weights (WlNeural *neural)
{
  WlRnn *self = (WlRnn *) neural;
  guint H = self->hidden;

  if (self->gru)
    return;
  for (guint l = 0; l < self->layers; l++)
    for (guint d = 0; d < self->dirs; d++)
      {
        float *bias = neural->params[self->units[l][d].bias[0]].host;

        for (guint j = H; j < 2 * H; j++)
          bias[j] += 1.f;
      }
}

/* Token @id's row among the batch's distinct tokens, a new one when it
 * is the first time the batch has it. */
static inline gint32
token_slot (WlRnn   *self,
            guint32  id,
            gint32  *tokens)
{
  if (self->stamps[id] != self->stamp)
    {
      self->stamps[id] = self->stamp;
      self->slots[id] = (gint32) self->n_tokens;
      tokens[self->n_tokens++] = (gint32) id;
    }
  return self->slots[id];
}

/* Lays the batch out by steps and uploads its tokens, each row's token,
 * the last rows and the permutation between the directions. */
static gboolean
pack (WlRnn          *self,
      const WlBatch  *batch,
      GError        **error)
{
  WlNeural *neural = &self->parent;
  gsize n = batch->n, T = batch->max_len, R;
  gint32 *fwd, *bwd, *perm, *last, *tokens;

  if (self->steps_capacity < T)
    {
      self->steps_capacity = MAX (T, 2 * self->steps_capacity);
      self->active = g_renew (gsize, self->active, self->steps_capacity);
      self->offsets = g_renew (gsize, self->offsets, self->steps_capacity + 1);
    }
  self->steps = T;
  self->offsets[0] = 0;
  for (gsize t = 0, b = n; t < T; t++)
    {
      while (b > 0 && batch->lengths[b - 1] <= t)
        b--;
      self->active[t] = b;
      self->offsets[t + 1] = self->offsets[t] + b;
    }
  R = self->rows = self->offsets[T];
  if (self->stamps == NULL || ++self->stamp == 0)
    {
      g_free (self->stamps);
      g_free (self->slots);
      self->stamps = g_new0 (guint32, neural->n_rows);
      self->slots = g_new (gint32, neural->n_rows);
      self->stamp = 1;
    }

  fwd = wl_neural_host_ids (neural, 4 * R + n);
  bwd = fwd + R;
  perm = bwd + R;
  last = perm + R;
  tokens = last + n;
  self->n_tokens = 0;
  for (gsize b = 0; b < n; b++)
    {
      gsize len = batch->lengths[b];

      for (gsize t = 0; t < len; t++)
        {
          gsize row = self->offsets[t] + b;

          fwd[row] = token_slot (self, batch->tokens[b][t], tokens);
          perm[row] = (gint32) (self->offsets[len - 1 - t] + b);
        }
      last[b] = (gint32) (self->offsets[len - 1] + b);
    }
  for (gsize row = 0; row < R; row++)
    bwd[row] = fwd[perm[row]];
  self->host_tokens = tokens;
  if (!wl_neural_upload_ids (neural, &self->tokens, tokens, self->n_tokens, error) ||
      !wl_neural_upload_ids (neural, &self->index[0], fwd, R, error) ||
      !wl_neural_upload_ids (neural, &self->last, last, n, error))
    return FALSE;
  return self->dirs == 1 ||
         (wl_neural_upload_ids (neural, &self->index[1], bwd, R, error) &&
          wl_neural_upload_ids (neural, &self->perm, perm, R, error));
}

static gboolean
reserve (WlRnn    *self,
         gsize     n,
         GError  **error)
{
  WlNeural *neural = &self->parent;
  gsize R = self->rows, H = self->hidden, E = self->dim;

  if (!wl_neural_reserve (neural, &self->x, WL_DTYPE_F32, self->n_tokens * E, error) ||
      !wl_neural_reserve (neural, &self->dx, WL_DTYPE_F32, self->n_tokens * E, error) ||
      !wl_neural_reserve (neural, &self->projected, WL_DTYPE_F32, self->n_tokens * 4 * H,
                          error) ||
      !wl_neural_reserve (neural, &self->d_final, WL_DTYPE_F32, n * H, error))
    return FALSE;
  for (guint d = 0; d < self->dirs; d++)
    {
      if (!wl_neural_reserve (neural, &self->final[d], WL_DTYPE_F32, n * H, error) ||
          !wl_neural_reserve (neural, &self->final_mask[d], WL_DTYPE_F32, n * H, error))
        return FALSE;
      for (guint l = 0; l < self->layers; l++)
        {
          WlRnnUnit *unit = &self->units[l][d];

          if (!wl_rnn_cells_reserve (self, unit, n, error) ||
              (l + 1 < self->layers &&
               (!wl_neural_reserve (neural, &unit->mask, WL_DTYPE_F32, R * H, error) ||
                (self->dirs == 2 &&
                 (!wl_neural_reserve (neural, &unit->permuted, WL_DTYPE_F32, R * H, error) ||
                  !wl_neural_reserve (neural, &unit->d_permuted, WL_DTYPE_F32, R * H, error))))))
            return FALSE;
        }
    }
  return TRUE;
}

/* The input of layer @l in direction @d; its gradients go to the layer
 * below (or, for the first layer, to self->dx). */
static void
layer_input (WlRnn      *self,
             guint       l,
             guint       d,
             WlRnnInput *input)
{
  WlRnnUnit *below = l > 0 ? self->units[l - 1] : NULL;

  if (l == 0)
    *input = (WlRnnInput) { 1, { self->x }, { self->dim }, { self->dx }, self->index[d],
                            self->n_tokens };
  else if (self->dirs == 1)
    *input = (WlRnnInput) { 1, { below[0].h }, { self->hidden }, { below[0].dh } };
  else if (d == 0)
    *input = (WlRnnInput) { 2, { below[0].h, below[1].permuted }, { self->hidden, self->hidden },
                            { below[0].dh, below[1].d_permuted } };
  else
    *input = (WlRnnInput) { 2, { below[0].permuted, below[1].h }, { self->hidden, self->hidden },
                            { below[0].d_permuted, below[1].dh } };
}

static gboolean
rnn_forward (WlNeural  *neural,
             WlBatch   *batch,
             GError   **error)
{
  WlRnn *self = (WlRnn *) neural;
  WlBackend *be = neural->backend;
  const WlParam *out = &neural->params[self->output];
  gsize n = batch->n, R, H = self->hidden;
  float p = wl_neural_dropout (neural, batch);

  if (!pack (self, batch, error) || !reserve (self, n, error))
    return FALSE;
  R = self->rows;
  if (!wl_neural_gather_embedding (neural, self->host_tokens, self->n_tokens, self->tokens,
                                   self->x, error))
    return FALSE;

  for (guint l = 0; l < self->layers; l++)
    {
      for (guint d = 0; d < self->dirs; d++)
        {
          WlRnnInput input;

          layer_input (self, l, d, &input);
          if (!wl_rnn_cells_forward (self, &self->units[l][d], &input, error))
            return FALSE;
        }
      if (l + 1 == self->layers)
        break;
      for (guint d = 0; d < self->dirs; d++)
        {
          WlRnnUnit *unit = &self->units[l][d];

          if (p > 0)
            wl_op_dropout (be, R * H, p, wl_neural_dropout_seed (batch, 2 * l + d), unit->h,
                           unit->mask);
          if (self->dirs == 2)
            wl_op_gather (be, R, H, unit->h, self->perm, unit->permuted);
        }
    }

  for (guint d = 0; d < self->dirs; d++)
    {
      wl_op_gather (be, n, H, self->units[self->layers - 1][d].h, self->last, self->final[d]);
      if (p > 0)
        wl_op_dropout (be, n * H, p, wl_neural_dropout_seed (batch, 2 * self->layers + d),
                       self->final[d], self->final_mask[d]);
      if (!wl_neural_weight_gemm (neural, n, H, self->final[d], 0, H, self->output, d * H,
                                  d > 0 ? 1.f : 0.f, batch->logits, 0, out->cols, error))
        return FALSE;
    }
  wl_op_add_bias (be, n, out->cols, batch->logits, neural->params[self->output_bias].w);
  return TRUE;
}

static void
rnn_backward (WlNeural *neural,
              WlBatch  *batch)
{
  WlRnn *self = (WlRnn *) neural;
  WlBackend *be = neural->backend;
  const WlParam *out = &neural->params[self->output];
  gsize n = batch->n, R = self->rows, H = self->hidden, E = self->dim;
  guint K = out->cols;
  float p = wl_neural_dropout (neural, batch);

  wl_op_sum_rows (be, n, K, batch->d_logits, neural->params[self->output_bias].g, TRUE);
  for (guint d = 0; d < self->dirs; d++)
    {
      WlRnnUnit *top = &self->units[self->layers - 1][d];

      wl_neural_gemm (neural, TRUE, FALSE, H, K, n, 1.f, self->final[d], 0, H,
                      batch->d_logits, 0, K, 1.f, out->g, d * H * K, K);
      wl_neural_gemm (neural, FALSE, TRUE, n, H, K, 1.f, batch->d_logits, 0, K,
                      out->w, d * H * K, K, 0.f, self->d_final, 0, H);
      if (p > 0)
        wl_op_mul (be, n * H, self->final_mask[d], self->d_final);
      wl_op_fill (be, top->dh, 0, R * H, 0.f);
      wl_op_scatter_add (be, n, H, self->d_final, self->last, top->dh);
    }

  for (guint l = self->layers; l-- > 0;)
    {
      WlRnnUnit *below = l > 0 ? self->units[l - 1] : NULL;

      for (guint d = 0; l > 0 && d < self->dirs; d++)
        {
          wl_op_fill (be, below[d].dh, 0, R * H, 0.f);
          if (self->dirs == 2)
            wl_op_fill (be, below[d].d_permuted, 0, R * H, 0.f);
        }
      if (l == 0)
        wl_op_fill (be, self->dx, 0, self->n_tokens * E, 0.f);
      for (guint d = 0; d < self->dirs; d++)
        {
          WlRnnInput input;

          layer_input (self, l, d, &input);
          wl_rnn_cells_backward (self, &self->units[l][d], &input);
        }
      if (l == 0)
        wl_op_scatter_add (be, self->n_tokens, E, self->dx, self->tokens,
                           neural->params[self->embedding].g);
      for (guint d = 0; l > 0 && d < self->dirs; d++)
        {
          if (self->dirs == 2)
            wl_op_scatter_add (be, R, H, below[d].d_permuted, self->perm, below[d].dh);
          if (p > 0)
            wl_op_mul (be, R * H, below[d].mask, below[d].dh);
        }
    }
}

static void
rnn_release (WlNeural *neural)
{
  WlRnn *self = (WlRnn *) neural;
  WlBuffer **buffers[] = {
    &self->tokens, &self->index[0], &self->index[1], &self->last, &self->perm, &self->x,
    &self->dx, &self->projected, &self->final[0], &self->final[1], &self->final_mask[0],
    &self->final_mask[1], &self->d_final,
  };

  for (guint i = 0; i < G_N_ELEMENTS (buffers); i++)
    g_clear_pointer (buffers[i], wl_buffer_free);
  for (guint l = 0; l < WL_NEURAL_MAX_LAYERS; l++)
    for (guint d = 0; d < 2; d++)
      {
        WlRnnUnit *unit = &self->units[l][d];
        WlBuffer **unit_buffers[] = {
          &unit->gates[0], &unit->gates[1], &unit->gates[2], &unit->d_gates[0],
          &unit->d_gates[1], &unit->d_gates[2], &unit->hn, &unit->d_hn, &unit->c, &unit->h,
          &unit->h_prev, &unit->dh, &unit->mask, &unit->permuted, &unit->d_permuted,
        };

        for (guint i = 0; i < G_N_ELEMENTS (unit_buffers); i++)
          g_clear_pointer (unit_buffers[i], wl_buffer_free);
      }
  g_clear_pointer (&self->active, g_free);
  g_clear_pointer (&self->offsets, g_free);
  g_clear_pointer (&self->slots, g_free);
  g_clear_pointer (&self->stamps, g_free);
  self->steps_capacity = 0;
}

static const WlNeuralClass rnn_neural_class = {
  .size = sizeof (WlRnn),
  .init = rnn_init,
  .add_params = rnn_add_params,
  .init_weights = rnn_init_weights,
  .forward = rnn_forward,
  .backward = rnn_backward,
  .release = rnn_release,
};

static void
rnn_resolve_config (WlConfig *config)
{
  /* A recurrent model reads a sequence: words (ICU also segments Chinese
   * and Japanese), rather than CJK characters interleaved with their
   * bigrams.  Takes effect when models are resolved before the text. */
  if (config->tokens.kind == WL_TOKENIZER_AUTO)
    config->tokens.kind = WL_TOKENIZER_WORDS;
  wl_neural_resolve_config (config, &rnn_defaults);
}

/* Export */

/* LSTM weights or biases split by gate (Wordloom's i, f, g, o along
 * @axis) and put in ONNX's order, i, o, f, c. */
static const char *
onnx_lstm_gates (WlOnnxGraph *graph,
                 const char  *tensor,
                 gint64       axis)
{
  const char *gate[4];

  wl_onnx_graph_op_outputs (graph, "Split", WL_ONNX_IN (tensor), WL_ONNX_ATTRS (WL_ONNX_INT ("axis", axis)),
                            4, gate);
  return wl_onnx_graph_op (graph, "Concat", WL_ONNX_IN (gate[0], gate[3], gate[1], gate[2]),
                           WL_ONNX_ATTRS (WL_ONNX_INT ("axis", axis)));
}

static const char *
onnx_zeros (WlOnnxGraph *graph,
            gint64       n)
{
  g_autofree float *zeros = g_new0 (float, n);

  return wl_onnx_graph_constant (graph, WL_ONNX_FLOAT, 1, &n, zeros);
}

/* W [gates·H × in], R [gates·H × H] and B [2·gates·H] of one direction, as
 * ONNX's LSTM (i, o, f, c) and GRU (z, r, h; linear_before_reset) take
 * them.  Wordloom's biases are all input biases, except GRU's b_hn. */
static void
onnx_unit (const WlRnn  *self,
           WlOnnxGraph  *graph,
           const WlRnnUnit *unit,
           const char  **w,
           const char  **r,
           const char  **b)
{
  const WlParam *p = self->parent.params;
  gint64 H = self->hidden;

  if (!self->gru)
    {
      *w = onnx_lstm_gates (graph, p[unit->w_ih[0]].name, 1);
      *r = onnx_lstm_gates (graph, p[unit->w_hh[0]].name, 1);
      *b = wl_onnx_graph_op (graph, "Concat",
                             WL_ONNX_IN (onnx_lstm_gates (graph, p[unit->bias[0]].name, 0), onnx_zeros (graph, 4 * H)),
                             WL_ONNX_ATTRS (WL_ONNX_INT ("axis", 0)));
    }
  else
    {
      const char *zeros = onnx_zeros (graph, H);

      *w = wl_onnx_graph_op (graph, "Concat",
                             WL_ONNX_IN (p[unit->w_ih[1]].name, p[unit->w_ih[0]].name, p[unit->w_ih[2]].name),
                             WL_ONNX_ATTRS (WL_ONNX_INT ("axis", 1)));
      *r = wl_onnx_graph_op (graph, "Concat",
                             WL_ONNX_IN (p[unit->w_hh[1]].name, p[unit->w_hh[0]].name, p[unit->w_hh[2]].name),
                             WL_ONNX_ATTRS (WL_ONNX_INT ("axis", 1)));
      *b = wl_onnx_graph_op (graph, "Concat",
                             WL_ONNX_IN (p[unit->bias[1]].name, p[unit->bias[0]].name, p[unit->bias[2]].name,
                                         zeros, zeros, p[unit->bias_hn].name),
                             WL_ONNX_ATTRS (WL_ONNX_INT ("axis", 0)));
    }
  *w = wl_onnx_graph_op (graph, "Transpose", WL_ONNX_IN (*w), WL_ONNX_NO_ATTRS);
  *r = wl_onnx_graph_op (graph, "Transpose", WL_ONNX_IN (*r), WL_ONNX_NO_ATTRS);
}

/* The directions' tensors stacked on a new first axis. */
static const char *
onnx_stack (WlOnnxGraph  *graph,
            const char  **per_dir,
            guint         dirs)
{
  const char *axis = wl_onnx_graph_ints (graph, 1, (gint64[]) { 0 });
  const char *stacked[2];

  for (guint d = 0; d < dirs; d++)
    stacked[d] = wl_onnx_graph_op (graph, "Unsqueeze", WL_ONNX_IN (per_dir[d], axis), WL_ONNX_NO_ATTRS);
  if (dirs == 1)
    return stacked[0];
  return wl_onnx_graph_op (graph, "Concat", stacked, dirs, WL_ONNX_ATTRS (WL_ONNX_INT ("axis", 0)));
}

/* ONNX's LSTM or GRU op per layer (both directions in one), on the
 * sequences' own lengths; the last states of the top layer, the
 * directions side by side, into the output layer. */
static const char *
rnn_onnx_graph (const WlModel *model,
                WlOnnxGraph   *graph)
{
  const WlRnn *self = (const WlRnn *) model;
  const WlParam *p = self->parent.params;
  const char *x = wl_model_onnx_embed (graph, "embedding", wl_model_onnx_mask (graph));
  const char *lengths = wl_onnx_graph_op (graph, "Cast", WL_ONNX_IN ("lengths"),
                                          WL_ONNX_ATTRS (WL_ONNX_INT ("to", WL_ONNX_INT32)));
  const char *out[2], *last;

  x = wl_onnx_graph_op (graph, "Transpose", WL_ONNX_IN (x), WL_ONNX_ATTRS (WL_ONNX_INTS ("perm", 1, 0, 2)));
  for (guint l = 0; l < self->layers; l++)
    {
      const char *w[2], *r[2], *b[2];
      const char *direction = self->dirs == 2 ? "bidirectional" : "forward";

      for (guint d = 0; d < self->dirs; d++)
        onnx_unit (self, graph, &self->units[l][d], &w[d], &r[d], &b[d]);
      wl_onnx_graph_op_outputs (graph, self->gru ? "GRU" : "LSTM",
                                WL_ONNX_IN (x, onnx_stack (graph, w, self->dirs), onnx_stack (graph, r, self->dirs),
                                            onnx_stack (graph, b, self->dirs), lengths),
                                self->gru ? (const WlOnnxAttr[]) { WL_ONNX_INT ("hidden_size", self->hidden),
                                                                   WL_ONNX_STRING ("direction", direction),
                                                                   WL_ONNX_INT ("linear_before_reset", 1) }
                                          : (const WlOnnxAttr[]) { WL_ONNX_INT ("hidden_size", self->hidden),
                                                                   WL_ONNX_STRING ("direction", direction) },
                                self->gru ? 3 : 2, 2, out);
      /* Y [time, dirs, batch, H] → [time, batch, dirs·H] */
      x = wl_onnx_graph_op (graph, "Transpose", WL_ONNX_IN (out[0]),
                            WL_ONNX_ATTRS (WL_ONNX_INTS ("perm", 0, 2, 1, 3)));
      x = wl_onnx_graph_op (graph, "Reshape", WL_ONNX_IN (x, wl_onnx_graph_ints (graph, 3, (gint64[]) { 0, 0, -1 })),
                            WL_ONNX_NO_ATTRS);
    }
  /* Y_h [dirs, batch, H] → [batch, dirs·H] */
  last = wl_onnx_graph_op (graph, "Transpose", WL_ONNX_IN (out[1]), WL_ONNX_ATTRS (WL_ONNX_INTS ("perm", 1, 0, 2)));
  last = wl_onnx_graph_op (graph, "Reshape", WL_ONNX_IN (last, wl_onnx_graph_ints (graph, 2, (gint64[]) { 0, -1 })),
                           WL_ONNX_NO_ATTRS);
  return wl_model_onnx_softmax (graph, wl_model_onnx_affine (graph, last, p[self->output].name,
                                                             p[self->output_bias].name));
}

static WlModel *
lstm_create (const WlConfig *config,
             guint           n_labels)
{
  return wl_neural_create (&rnn_neural_class, &wl_lstm_class, config, n_labels);
}

static WlModel *
lstm_read (const WlConfig  *config,
           guint            n_labels,
           WlModelReader   *reader,
           GError         **error)
{
  return wl_neural_read (&rnn_neural_class, &wl_lstm_class, config, n_labels, reader, error);
}

static WlModel *
gru_create (const WlConfig *config,
            guint           n_labels)
{
  return wl_neural_create (&rnn_neural_class, &wl_gru_class, config, n_labels);
}

static WlModel *
gru_read (const WlConfig  *config,
          guint            n_labels,
          WlModelReader   *reader,
          GError         **error)
{
  return wl_neural_read (&rnn_neural_class, &wl_gru_class, config, n_labels, reader, error);
}

const WlModelClass wl_lstm_class = {
  .type = WL_MODEL_LSTM,
  .name = "lstm",
  .resolve_config = rnn_resolve_config,
  .create = lstm_create,
  .read = lstm_read,
  .onnx_graph = rnn_onnx_graph,
  WL_NEURAL_MODEL_METHODS,
};

const WlModelClass wl_gru_class = {
  .type = WL_MODEL_GRU,
  .name = "gru",
  .resolve_config = rnn_resolve_config,
  .create = gru_create,
  .read = gru_read,
  .onnx_graph = rnn_onnx_graph,
  WL_NEURAL_MODEL_METHODS,
};
