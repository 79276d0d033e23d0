/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-rnn-cells.c: the LSTM and GRU time loops over a packed batch.
 *
 * The input's share of every gate is one product over all the rows at
 * once (on the first layer, over the batch's distinct tokens); each step
 * then adds h_{t−1}·W_hh for its active rows and runs the cell.  The
 * backward pass walks the steps in reverse, sending each step's gate
 * gradients to h_{t−1}; the weights' gradients are again products over
 * all the rows.
 *
 * LSTM (PyTorch's gate order i, f, g, o; one bias):
 *   gates = x·W_ih + h_{t−1}·W_hh + b;  c = f⊙c_{t−1} + i⊙g;  h = o⊙tanh(c)
 * GRU (PyTorch's formulation):
 *   r = σ(x·W_ir + h·W_hr + b_r);  z = σ(x·W_iz + h·W_hz + b_z)
 *   n = tanh(x·W_in + b_n + r ⊙ (h·W_hn + b_hn));  h' = n + z ⊙ (h − n)
 * The time loops themselves are backend ops (lstm_forward, gru_forward and
 * their backward passes): the blas backend runs them fused and on several
 * threads, the others step by step.
 */
#include "config.h"

#include "models/wl-rnn-private.h"

gboolean
wl_rnn_cells_reserve (WlRnn      *self,
                      WlRnnUnit  *unit,
                      gsize       n,
                      GError    **error)
{
  WlNeural *neural = &self->parent;
  gsize R = self->rows, H = self->hidden;

  if (!wl_neural_reserve (neural, &unit->h, WL_DTYPE_F32, R * H, error) ||
      !wl_neural_reserve (neural, &unit->h_prev, WL_DTYPE_F32, R * H, error) ||
      !wl_neural_reserve (neural, &unit->dh, WL_DTYPE_F32, R * H, error))
    return FALSE;
  if (!self->gru)
    return wl_neural_reserve (neural, &unit->gates[0], WL_DTYPE_F32, R * 4 * H, error) &&
           wl_neural_reserve (neural, &unit->d_gates[0], WL_DTYPE_F32, R * 4 * H, error) &&
           wl_neural_reserve (neural, &unit->c, WL_DTYPE_F32, R * H, error);
  for (guint g = 0; g < 3; g++)
    if (!wl_neural_reserve (neural, &unit->gates[g], WL_DTYPE_F32, R * H, error) ||
        !wl_neural_reserve (neural, &unit->d_gates[g], WL_DTYPE_F32, R * H, error))
      return FALSE;
  return wl_neural_reserve (neural, &unit->hn, WL_DTYPE_F32, R * H, error) &&
         wl_neural_reserve (neural, &unit->d_hn, WL_DTYPE_F32, R * H, error);
}

/* out[R × cols] = input · W + b, W's rows split among the input's
 * pieces; on the first layer, the product of the distinct tokens gathered
 * to the rows. */
static gboolean
project (WlRnn             *self,
         const WlRnnInput  *input,
         guint              weight,
         guint              bias,
         WlBuffer          *out,
         GError           **error)
{
  WlNeural *neural = &self->parent;
  const WlParam *w = &neural->params[weight];
  gsize rows = input->index != NULL ? input->n_tokens : self->rows, cols = w->cols, row = 0;
  WlBuffer *product = input->index != NULL ? self->projected : out;

  for (guint j = 0; j < input->n_pieces; j++)
    {
      if (!wl_neural_weight_gemm (neural, rows, input->width[j], input->x[j], 0, input->width[j],
                                  weight, row, j > 0 ? 1.f : 0.f, product, 0, cols, error))
        return FALSE;
      row += input->width[j];
    }
  wl_op_add_bias (neural->backend, rows, cols, product, neural->params[bias].w);
  if (input->index != NULL)
    wl_op_gather (neural->backend, self->rows, cols, product, input->index, out);
  return TRUE;
}

/* The gradients of project() from d_out: W's and the bias', and the
 * input's (added into input->dx). */
static void
project_backward (WlRnn            *self,
                  const WlRnnInput *input,
                  guint             weight,
                  guint             bias,
                  const WlBuffer   *d_out)
{
  WlNeural *neural = &self->parent;
  WlBackend *be = neural->backend;
  const WlParam *w = &neural->params[weight];
  gsize rows = self->rows, cols = w->cols, row = 0;

  /* The first layer's rows add up into their tokens'. */
  if (input->index != NULL)
    {
      rows = input->n_tokens;
      wl_op_fill (be, self->projected, 0, rows * cols, 0.f);
      wl_op_scatter_add (be, self->rows, cols, d_out, input->index, self->projected);
      d_out = self->projected;
    }
  wl_op_sum_rows (be, rows, cols, d_out, neural->params[bias].g, TRUE);
  for (guint j = 0; j < input->n_pieces; j++)
    {
      gsize width = input->width[j];

      wl_neural_gemm (neural, TRUE, FALSE, width, cols, rows, 1.f, input->x[j], 0, width,
                      d_out, 0, cols, 1.f, w->g, row * cols, cols);
      wl_neural_gemm (neural, FALSE, TRUE, rows, width, cols, 1.f, d_out, 0, cols,
                      w->w, row * cols, cols, 1.f, input->dx[j], 0, width);
      row += width;
    }
}

/* W_hh as the products use it: its half-precision copy in mixed precision. */
static const WlBuffer *
recurrent_weights (WlRnn *self,
                   guint  weight)
{
  const WlParam *w = &self->parent.params[weight];

  return self->parent.state->mixed && w->low != NULL ? w->low : w->w;
}

static gboolean
lstm_forward (WlRnn             *self,
              WlRnnUnit         *unit,
              const WlRnnInput  *input,
              GError           **error)
{
  if (!project (self, input, unit->w_ih[0], unit->bias[0], unit->gates[0], error))
    return FALSE;
  wl_op_lstm_forward (self->parent.backend, self->steps, self->active, self->hidden,
                      recurrent_weights (self, unit->w_hh[0]), unit->gates[0], unit->c,
                      unit->h, unit->h_prev);
  return TRUE;
}

/* The gates' gradients go to d_gates, then to the weights and the input. */
static void
lstm_backward (WlRnn            *self,
               WlRnnUnit        *unit,
               const WlRnnInput *input)
{
  WlNeural *neural = &self->parent;
  const WlParam *w_hh = &neural->params[unit->w_hh[0]];
  gsize H = self->hidden;

  wl_op_lstm_backward (neural->backend, self->steps, self->active, H,
                       recurrent_weights (self, unit->w_hh[0]), unit->gates[0], unit->c,
                       unit->dh, unit->d_gates[0]);
  wl_neural_gemm (neural, TRUE, FALSE, H, 4 * H, self->rows, 1.f, unit->h_prev, 0, H,
                  unit->d_gates[0], 0, 4 * H, 1.f, w_hh->g, 0, 4 * H);
  project_backward (self, input, unit->w_ih[0], unit->bias[0], unit->d_gates[0]);
}

static gboolean
gru_forward (WlRnn             *self,
             WlRnnUnit         *unit,
             const WlRnnInput  *input,
             GError           **error)
{
  const WlBuffer *w_hh[3];

  for (guint g = 0; g < 3; g++)
    {
      if (!project (self, input, unit->w_ih[g], unit->bias[g], unit->gates[g], error))
        return FALSE;
      w_hh[g] = recurrent_weights (self, unit->w_hh[g]);
    }
  wl_op_gru_forward (self->parent.backend, self->steps, self->active, self->hidden, w_hh,
                     self->parent.params[unit->bias_hn].w, unit->gates, unit->hn, unit->h,
                     unit->h_prev);
  return TRUE;
}

static void
gru_backward (WlRnn            *self,
              WlRnnUnit        *unit,
              const WlRnnInput *input)
{
  WlNeural *neural = &self->parent;
  gsize H = self->hidden, R = self->rows;
  const WlBuffer *w_hh[3];

  for (guint g = 0; g < 3; g++)
    w_hh[g] = recurrent_weights (self, unit->w_hh[g]);
  wl_op_gru_backward (neural->backend, self->steps, self->active, H, w_hh,
                      (const WlBuffer * const *) unit->gates, unit->hn, unit->h_prev, unit->dh,
                      unit->d_gates, unit->d_hn);
  for (guint g = 0; g < 3; g++)
    {
      const WlBuffer *d_gate = g < 2 ? unit->d_gates[g] : unit->d_hn;

      wl_neural_gemm (neural, TRUE, FALSE, H, H, R, 1.f, unit->h_prev, 0, H, d_gate, 0, H,
                      1.f, neural->params[unit->w_hh[g]].g, 0, H);
    }
  wl_op_sum_rows (neural->backend, R, H, unit->d_hn, neural->params[unit->bias_hn].g, TRUE);
  for (guint g = 0; g < 3; g++)
    project_backward (self, input, unit->w_ih[g], unit->bias[g], unit->d_gates[g]);
}

gboolean
wl_rnn_cells_forward (WlRnn             *self,
                      WlRnnUnit         *unit,
                      const WlRnnInput  *input,
                      GError           **error)
{
  return self->gru ? gru_forward (self, unit, input, error) : lstm_forward (self, unit, input, error);
}

void
wl_rnn_cells_backward (WlRnn            *self,
                       WlRnnUnit        *unit,
                       const WlRnnInput *input)
{
  if (self->gru)
    gru_backward (self, unit, input);
  else
    lstm_backward (self, unit, input);
}
