/* wl-rnn-cells.c: the LSTM and GRU time loops over a packed batch.
 *
 * The input's share of every gate is one product over all the rows at
 * once; each step then adds h_{t−1}·W_hh for its active rows and runs the
 * cell.  The backward pass walks the steps in reverse, sending each
 * step's gate gradients to h_{t−1}; the weights' gradients are again
 * products over all the rows.
 *
 * LSTM (PyTorch's gate order i, f, g, o; one bias):
 *   gates = x·W_ih + h_{t−1}·W_hh + b;  c = f⊙c_{t−1} + i⊙g;  h = o⊙tanh(c)
 * GRU (PyTorch's formulation):
 *   r = σ(x·W_ir + h·W_hr + b_r);  z = σ(x·W_iz + h·W_hz + b_z)
 *   n = tanh(x·W_in + b_n + r ⊙ (h·W_hn + b_hn));  h' = n + z ⊙ (h − n)
 * The elementwise ops work from offset 0, so a step's rows are copied to
 * scratch buffers and back.
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
           wl_neural_reserve (neural, &unit->c, WL_DTYPE_F32, R * H, error);
  for (guint g = 0; g < 3; g++)
    if (!wl_neural_reserve (neural, &unit->gates[g], WL_DTYPE_F32, R * H, error))
      return FALSE;
  return wl_neural_reserve (neural, &unit->hn, WL_DTYPE_F32, R * H, error);
}

/* out[R × cols] = input · W + b, W's rows split among the input's pieces. */
static void
project (WlRnn            *self,
         const WlRnnInput *input,
         guint             weight,
         guint             bias,
         WlBuffer         *out)
{
  WlNeural *neural = &self->parent;
  const WlParam *w = &neural->params[weight];
  gsize R = self->rows, cols = w->cols, row = 0;

  for (guint j = 0; j < input->n_pieces; j++)
    {
      wl_neural_gemm (neural, FALSE, FALSE, R, cols, input->width[j], 1.f, input->x[j], 0,
                      input->width[j], w->w, row * cols, cols, j > 0 ? 1.f : 0.f, out, 0, cols);
      row += input->width[j];
    }
  wl_op_add_bias (neural->backend, R, cols, out, neural->params[bias].w);
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
  const WlParam *w = &neural->params[weight];
  gsize R = self->rows, cols = w->cols, row = 0;

  wl_op_sum_rows (neural->backend, R, cols, d_out, neural->params[bias].g, TRUE);
  for (guint j = 0; j < input->n_pieces; j++)
    {
      gsize width = input->width[j];

      wl_neural_gemm (neural, TRUE, FALSE, width, cols, R, 1.f, input->x[j], 0, width,
                      d_out, 0, cols, 1.f, w->g, row * cols, cols);
      wl_neural_gemm (neural, FALSE, TRUE, R, width, cols, 1.f, d_out, 0, cols,
                      w->w, row * cols, cols, 1.f, input->dx[j], 0, width);
      row += width;
    }
}

/* rows [off, off + n) of step-major @all += h_{t−1}·W for the step at @t. */
static void
add_recurrent (WlRnn       *self,
               WlRnnUnit   *unit,
               gsize        t,
               guint        weight,
               WlBuffer    *all)
{
  WlNeural *neural = &self->parent;
  const WlParam *w = &neural->params[weight];
  gsize H = self->hidden;

  wl_neural_gemm (neural, FALSE, FALSE, self->active[t], w->cols, H, 1.f,
                  unit->h_prev, self->offsets[t] * H, H, w->w, 0, w->cols, 1.f,
                  all, self->offsets[t] * w->cols, w->cols);
}

/* h of step @t's first rows becomes h_{t−1} of step t + 1. */
static void
carry (WlRnn     *self,
       WlRnnUnit *unit,
       gsize      t)
{
  gsize H = self->hidden;

  if (t + 1 < self->steps)
    wl_op_copy (self->parent.backend, unit->h, self->offsets[t] * H,
                unit->h_prev, self->offsets[t + 1] * H, self->active[t + 1] * H);
}

static void
lstm_forward (WlRnn            *self,
              WlRnnUnit        *unit,
              const WlRnnInput *input)
{
  WlBackend *be = self->parent.backend;
  gsize H = self->hidden;
  WlBuffer *G = unit->gates[0], *gates = self->scratch[0];

  project (self, input, unit->w_ih[0], unit->bias[0], G);
  wl_op_fill (be, unit->h_prev, 0, self->active[0] * H, 0.f);
  for (gsize t = 0; t < self->steps; t++)
    {
      gsize n = self->active[t], off = self->offsets[t];

      if (t > 0)
        add_recurrent (self, unit, t, unit->w_hh[0], G);
      wl_op_copy (be, G, off * 4 * H, gates, 0, n * 4 * H);
      wl_op_lstm_cell (be, n, H, gates, t > 0 ? unit->c : self->zeros,
                       t > 0 ? self->offsets[t - 1] * H : 0, unit->c, off * H, unit->h, off * H);
      wl_op_copy (be, gates, 0, G, off * 4 * H, n * 4 * H);
      carry (self, unit, t);
    }
}

static void
lstm_backward (WlRnn            *self,
               WlRnnUnit        *unit,
               const WlRnnInput *input)
{
  WlNeural *neural = &self->parent;
  WlBackend *be = neural->backend;
  const WlParam *w_hh = &neural->params[unit->w_hh[0]];
  gsize H = self->hidden, T = self->steps;
  WlBuffer *G = unit->gates[0], *gates = self->scratch[0], *dc = self->scratch[1];
  WlBuffer *d_gates = self->scratch[2];

  wl_op_fill (be, dc, 0, self->active[T - 1] * H, 0.f);
  for (gsize t = T; t-- > 0;)
    {
      gsize n = self->active[t], off = self->offsets[t];

      wl_op_copy (be, G, off * 4 * H, gates, 0, n * 4 * H);
      wl_op_lstm_cell_backward (be, n, H, gates, t > 0 ? unit->c : self->zeros,
                                t > 0 ? self->offsets[t - 1] * H : 0, unit->c, off * H,
                                unit->dh, off * H, dc, 0, d_gates, dc, 0);
      wl_op_copy (be, d_gates, 0, G, off * 4 * H, n * 4 * H);
      if (t == 0)
        break;
      wl_neural_gemm (neural, FALSE, TRUE, n, H, 4 * H, 1.f, d_gates, 0, 4 * H,
                      w_hh->w, 0, 4 * H, 1.f, unit->dh, self->offsets[t - 1] * H, H);
      /* The sequences that end at step t − 1 start with no cell gradient. */
      wl_op_fill (be, dc, n * H, (self->active[t - 1] - n) * H, 0.f);
    }
  wl_neural_gemm (neural, TRUE, FALSE, H, 4 * H, self->rows, 1.f, unit->h_prev, 0, H,
                  G, 0, 4 * H, 1.f, w_hh->g, 0, 4 * H);
  project_backward (self, input, unit->w_ih[0], unit->bias[0], G);
}

static void
gru_forward (WlRnn            *self,
             WlRnnUnit        *unit,
             const WlRnnInput *input)
{
  WlNeural *neural = &self->parent;
  WlBackend *be = neural->backend;
  gsize H = self->hidden, R = self->rows;
  WlBuffer *r = self->scratch[0], *z = self->scratch[1], *nn = self->scratch[2];
  WlBuffer *h = self->scratch[3];

  for (guint g = 0; g < 3; g++)
    project (self, input, unit->w_ih[g], unit->bias[g], unit->gates[g]);
  wl_op_fill (be, unit->hn, 0, R * H, 0.f);
  wl_op_add_bias (be, R, H, unit->hn, neural->params[unit->bias_hn].w);
  wl_op_fill (be, unit->h_prev, 0, self->active[0] * H, 0.f);
  for (gsize t = 0; t < self->steps; t++)
    {
      gsize n = self->active[t], at = self->offsets[t] * H, m = n * H;

      if (t > 0)
        {
          add_recurrent (self, unit, t, unit->w_hh[0], unit->gates[0]);
          add_recurrent (self, unit, t, unit->w_hh[1], unit->gates[1]);
          add_recurrent (self, unit, t, unit->w_hh[2], unit->hn);
        }
      wl_op_copy (be, unit->gates[0], at, r, 0, m);
      wl_op_unary (be, WL_UNARY_SIGMOID, m, r, r);
      wl_op_copy (be, r, 0, unit->gates[0], at, m);
      wl_op_copy (be, unit->gates[1], at, z, 0, m);
      wl_op_unary (be, WL_UNARY_SIGMOID, m, z, z);
      wl_op_copy (be, z, 0, unit->gates[1], at, m);
      /* n = tanh (x·W_in + b_n + r ⊙ hn) */
      wl_op_copy (be, unit->hn, at, nn, 0, m);
      wl_op_mul (be, m, r, nn);
      wl_op_copy (be, unit->gates[2], at, h, 0, m);
      wl_op_axpby (be, m, 1.f, h, 1.f, nn);
      wl_op_unary (be, WL_UNARY_TANH, m, nn, nn);
      wl_op_copy (be, nn, 0, unit->gates[2], at, m);
      /* h = n + z ⊙ (h_{t−1} − n) */
      wl_op_copy (be, unit->h_prev, at, h, 0, m);
      wl_op_axpby (be, m, -1.f, nn, 1.f, h);
      wl_op_mul (be, m, z, h);
      wl_op_axpby (be, m, 1.f, nn, 1.f, h);
      wl_op_copy (be, h, 0, unit->h, at, m);
      carry (self, unit, t);
    }
}

static void
gru_backward (WlRnn            *self,
              WlRnnUnit        *unit,
              const WlRnnInput *input)
{
  WlNeural *neural = &self->parent;
  WlBackend *be = neural->backend;
  gsize H = self->hidden, R = self->rows;
  WlBuffer **s = self->scratch;
  WlBuffer *dh = s[0], *r = s[1], *z = s[2], *nn = s[3], *hn = s[4], *dz = s[5];
  WlBuffer *d_prev = s[6], *d_hn = s[7];

  for (gsize t = self->steps; t-- > 0;)
    {
      gsize n = self->active[t], at = self->offsets[t] * H, m = n * H;

      wl_op_copy (be, unit->dh, at, dh, 0, m);
      wl_op_copy (be, unit->gates[0], at, r, 0, m);
      wl_op_copy (be, unit->gates[1], at, z, 0, m);
      wl_op_copy (be, unit->gates[2], at, nn, 0, m);
      wl_op_copy (be, unit->hn, at, hn, 0, m);
      wl_op_copy (be, unit->h_prev, at, dz, 0, m);
      /* Through h = n + z ⊙ (h_{t−1} − n): to h_{t−1}, z and n. */
      wl_op_copy (be, dh, 0, d_prev, 0, m);
      wl_op_mul (be, m, z, d_prev);
      wl_op_axpby (be, m, -1.f, nn, 1.f, dz);
      wl_op_mul (be, m, dh, dz);
      wl_op_axpby (be, m, -1.f, d_prev, 1.f, dh);
      /* Through n = tanh (… + r ⊙ hn): dh now holds dn before tanh. */
      wl_op_unary_backward (be, WL_UNARY_TANH, m, nn, dh, dh);
      wl_op_copy (be, dh, 0, d_hn, 0, m);
      wl_op_mul (be, m, r, d_hn);
      wl_op_mul (be, m, dh, hn);
      wl_op_unary_backward (be, WL_UNARY_SIGMOID, m, r, hn, hn);
      wl_op_unary_backward (be, WL_UNARY_SIGMOID, m, z, dz, dz);
      /* Keep the pre-activation gradients for the weights. */
      wl_op_copy (be, hn, 0, unit->gates[0], at, m);
      wl_op_copy (be, dz, 0, unit->gates[1], at, m);
      wl_op_copy (be, dh, 0, unit->gates[2], at, m);
      wl_op_copy (be, d_hn, 0, unit->hn, at, m);
      if (t == 0)
        break;
      wl_neural_gemm (neural, FALSE, TRUE, n, H, H, 1.f, hn, 0, H,
                      neural->params[unit->w_hh[0]].w, 0, H, 1.f, d_prev, 0, H);
      wl_neural_gemm (neural, FALSE, TRUE, n, H, H, 1.f, dz, 0, H,
                      neural->params[unit->w_hh[1]].w, 0, H, 1.f, d_prev, 0, H);
      wl_neural_gemm (neural, FALSE, TRUE, n, H, H, 1.f, d_hn, 0, H,
                      neural->params[unit->w_hh[2]].w, 0, H, 1.f, d_prev, 0, H);
      wl_op_copy (be, unit->dh, self->offsets[t - 1] * H, r, 0, m);
      wl_op_axpby (be, m, 1.f, d_prev, 1.f, r);
      wl_op_copy (be, r, 0, unit->dh, self->offsets[t - 1] * H, m);
    }
  for (guint g = 0; g < 3; g++)
    {
      const WlBuffer *d_gate = g < 2 ? unit->gates[g] : unit->hn;

      wl_neural_gemm (neural, TRUE, FALSE, H, H, R, 1.f, unit->h_prev, 0, H, d_gate, 0, H,
                      1.f, neural->params[unit->w_hh[g]].g, 0, H);
    }
  wl_op_sum_rows (be, R, H, unit->hn, neural->params[unit->bias_hn].g, TRUE);
  for (guint g = 0; g < 3; g++)
    project_backward (self, input, unit->w_ih[g], unit->bias[g], unit->gates[g]);
}

void
wl_rnn_cells_forward (WlRnn            *self,
                      WlRnnUnit        *unit,
                      const WlRnnInput *input)
{
  if (self->gru)
    gru_forward (self, unit, input);
  else
    lstm_forward (self, unit, input);
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
