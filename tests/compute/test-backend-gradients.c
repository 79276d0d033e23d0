/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-backend-gradients.c: the cpu reference's backward ops are the
 * gradients of its forward ops: finite differences for the smooth ones,
 * adjoint identities ⟨F x, y⟩ = ⟨x, Fᵀ y⟩ for the linear ones; and the
 * dropout mask's statistics. */
#include "config.h"

#include <math.h>

#include "compute/wl-ops.h"

typedef struct
{
  WlBackend *backend;
  GRand     *rand;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->backend = wl_backend_open ("cpu", 1, &error);
  g_assert_no_error (error);
  fixture->rand = g_rand_new_with_seed (42);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  wl_backend_close (fixture->backend);
  g_rand_free (fixture->rand);
}

static WlBuffer *
buffer_of (Fixture     *fixture,
           WlDtype      dtype,
           const void  *values,
           gsize        n)
{
  g_autoptr(GError) error = NULL;
  WlBuffer *buffer = wl_buffer_new (fixture->backend, dtype, n, &error);

  g_assert_no_error (error);
  if (values != NULL)
    wl_buffer_write (buffer, 0, values, n, &error);
  g_assert_no_error (error);
  return buffer;
}

static float *
random_values (Fixture *fixture,
               gsize    n,
               double   lo,
               double   hi)
{
  float *values = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    values[i] = (float) g_rand_double_range (fixture->rand, lo, hi);
  return values;
}

static float *
values_of (const WlBuffer *buffer)
{
  g_autoptr(GError) error = NULL;
  float *values = g_new (float, buffer->n);

  wl_buffer_read (buffer, 0, values, buffer->n, &error);
  g_assert_no_error (error);
  return values;
}

static double
dot (const float *x,
     const float *y,
     gsize        n)
{
  double sum = 0.0;

  for (gsize i = 0; i < n; i++)
    sum += (double) x[i] * y[i];
  return sum;
}

static void
assert_gradient (double      analytic,
                 double      numeric,
                 const char *what,
                 gsize       index)
{
  if (fabs (analytic - numeric) > 2e-3 * MAX (1.0, fabs (numeric)))
    g_error ("%s[%zu]: analytic %g, finite difference %g", what, index, analytic, numeric);
}

static void
test_unary_gradients (Fixture       *fixture,
                      gconstpointer  data)
{
  const gsize n = 64;
  const float eps = 1e-3f;

  for (WlUnaryOp op = WL_UNARY_TANH; op <= WL_UNARY_RELU; op++)
    {
      g_autofree float *x = random_values (fixture, n, -3, 3);
      g_autofree float *weights = random_values (fixture, n, -1, 1);
      g_autofree float *x_up = g_new (float, n);
      g_autofree float *x_down = g_new (float, n);
      g_autofree float *dx = NULL, *up = NULL, *down = NULL;
      g_autoptr(WlBuffer) y = buffer_of (fixture, WL_DTYPE_F32, NULL, n);
      g_autoptr(WlBuffer) dy = buffer_of (fixture, WL_DTYPE_F32, weights, n);
      g_autoptr(WlBuffer) dx_buffer = buffer_of (fixture, WL_DTYPE_F32, NULL, n);
      g_autoptr(WlBuffer) input = NULL;

      for (gsize i = 0; i < n; i++)
        {
          if (fabsf (x[i]) < 0.05f)         /* away from ReLU's kink */
            x[i] = 0.5f;
          x_up[i] = x[i] + eps;
          x_down[i] = x[i] - eps;
        }
      input = buffer_of (fixture, WL_DTYPE_F32, x, n);
      wl_op_unary (fixture->backend, op, n, input, y);
      wl_op_unary_backward (fixture->backend, op, n, y, dy, dx_buffer);
      dx = values_of (dx_buffer);

      /* Elementwise: one perturbation of every element at once. */
      wl_buffer_write (input, 0, x_up, n, NULL);
      wl_op_unary (fixture->backend, op, n, input, y);
      up = values_of (y);
      wl_buffer_write (input, 0, x_down, n, NULL);
      wl_op_unary (fixture->backend, op, n, input, y);
      down = values_of (y);
      for (gsize i = 0; i < n; i++)
        assert_gradient (dx[i], weights[i] * (up[i] - down[i]) / (2 * eps), "unary dx", i);
    }
}

/* scale · Σ loss, and d_logits, at @logits. */
static double
softmax_xent_loss (Fixture        *fixture,
                   const float    *logits,
                   const WlBuffer *labels,
                   gsize           rows,
                   gsize           cols,
                   float          *d_logits)
{
  g_autoptr(WlBuffer) x = buffer_of (fixture, WL_DTYPE_F32, logits, rows * cols);
  g_autoptr(WlBuffer) probs = buffer_of (fixture, WL_DTYPE_F32, NULL, rows * cols);
  g_autoptr(WlBuffer) d = buffer_of (fixture, WL_DTYPE_F32, NULL, rows * cols);
  g_autoptr(WlBuffer) loss = buffer_of (fixture, WL_DTYPE_F32, NULL, rows);
  g_autofree float *losses = NULL;
  double total = 0.0;

  wl_op_softmax_xent (fixture->backend, rows, cols, x, labels, 0.5f, probs, d, loss);
  if (d_logits != NULL)
    wl_buffer_read (d, 0, d_logits, rows * cols, NULL);
  losses = values_of (loss);
  for (gsize r = 0; r < rows; r++)
    total += 0.5 * losses[r];
  return total;
}

static void
test_softmax_xent_gradient (Fixture       *fixture,
                            gconstpointer  data)
{
  const gsize rows = 4, cols = 5;
  const gint32 label_values[] = { 0, 4, 2, -1 };   /* the last row is ignored */
  const float eps = 1e-2f;
  g_autoptr(WlBuffer) labels = buffer_of (fixture, WL_DTYPE_I32, label_values, rows);
  g_autofree float *logits = random_values (fixture, rows * cols, -2, 2);
  g_autofree float *d_logits = g_new (float, rows * cols);

  softmax_xent_loss (fixture, logits, labels, rows, cols, d_logits);
  for (gsize i = 0; i < rows * cols; i++)
    {
      float saved = logits[i];
      double up, down;

      logits[i] = saved + eps;
      up = softmax_xent_loss (fixture, logits, labels, rows, cols, NULL);
      logits[i] = saved - eps;
      down = softmax_xent_loss (fixture, logits, labels, rows, cols, NULL);
      logits[i] = saved;
      assert_gradient (d_logits[i], (up - down) / (2 * eps), "d_logits", i);
    }
}

/* Σ w_h·h + Σ w_c·c of one LSTM cell at (gates, c_prev). */
static double
lstm_objective (Fixture     *fixture,
                gsize        batch,
                gsize        hidden,
                const float *gates_in,
                const float *c_prev_in,
                const float *w_h,
                const float *w_c,
                WlBuffer    *saved_gates,
                WlBuffer    *saved_c)
{
  gsize n_state = batch * hidden;
  g_autoptr(WlBuffer) gates = buffer_of (fixture, WL_DTYPE_F32, gates_in, 4 * n_state);
  g_autoptr(WlBuffer) c_prev = buffer_of (fixture, WL_DTYPE_F32, c_prev_in, n_state);
  g_autoptr(WlBuffer) c = buffer_of (fixture, WL_DTYPE_F32, NULL, n_state);
  g_autoptr(WlBuffer) h = buffer_of (fixture, WL_DTYPE_F32, NULL, n_state);
  g_autofree float *c_values = NULL, *h_values = NULL;

  wl_op_lstm_cell (fixture->backend, batch, hidden, gates, c_prev, 0, c, 0, h, 0);
  if (saved_gates != NULL)
    {
      wl_op_copy (fixture->backend, gates, 0, saved_gates, 0, 4 * n_state);
      wl_op_copy (fixture->backend, c, 0, saved_c, 0, n_state);
    }
  c_values = values_of (c);
  h_values = values_of (h);
  return dot (w_h, h_values, n_state) + dot (w_c, c_values, n_state);
}

static void
test_lstm_cell_gradients (Fixture       *fixture,
                          gconstpointer  data)
{
  const gsize batch = 2, hidden = 3, n_state = batch * hidden;
  const float eps = 1e-2f;
  g_autofree float *gates_in = random_values (fixture, 4 * n_state, -2, 2);
  g_autofree float *c_prev_in = random_values (fixture, n_state, -1, 1);
  g_autofree float *w_h = random_values (fixture, n_state, -1, 1);
  g_autofree float *w_c = random_values (fixture, n_state, -1, 1);
  g_autoptr(WlBuffer) gates = buffer_of (fixture, WL_DTYPE_F32, NULL, 4 * n_state);
  g_autoptr(WlBuffer) c = buffer_of (fixture, WL_DTYPE_F32, NULL, n_state);
  g_autoptr(WlBuffer) c_prev = buffer_of (fixture, WL_DTYPE_F32, c_prev_in, n_state);
  g_autoptr(WlBuffer) dh = buffer_of (fixture, WL_DTYPE_F32, w_h, n_state);
  g_autoptr(WlBuffer) dc = buffer_of (fixture, WL_DTYPE_F32, w_c, n_state);
  g_autoptr(WlBuffer) d_gates = buffer_of (fixture, WL_DTYPE_F32, NULL, 4 * n_state);
  g_autoptr(WlBuffer) dc_prev = buffer_of (fixture, WL_DTYPE_F32, NULL, n_state);
  g_autofree float *d_gate_values = NULL, *dc_prev_values = NULL;

  lstm_objective (fixture, batch, hidden, gates_in, c_prev_in, w_h, w_c, gates, c);
  wl_op_lstm_cell_backward (fixture->backend, batch, hidden, gates, c_prev, 0, c, 0, dh, 0,
                            dc, 0, d_gates, dc_prev, 0);
  d_gate_values = values_of (d_gates);
  dc_prev_values = values_of (dc_prev);

  for (gsize i = 0; i < 4 * n_state + n_state; i++)
    {
      float *x = i < 4 * n_state ? &gates_in[i] : &c_prev_in[i - 4 * n_state];
      float saved = *x;
      double up, down;

      *x = saved + eps;
      up = lstm_objective (fixture, batch, hidden, gates_in, c_prev_in, w_h, w_c, NULL, NULL);
      *x = saved - eps;
      down = lstm_objective (fixture, batch, hidden, gates_in, c_prev_in, w_h, w_c, NULL, NULL);
      *x = saved;
      if (i < 4 * n_state)
        assert_gradient (d_gate_values[i], (up - down) / (2 * eps), "d_gates", i);
      else
        assert_gradient (dc_prev_values[i - 4 * n_state], (up - down) / (2 * eps), "dc_prev",
                         i - 4 * n_state);
    }
}

static void
assert_adjoint (double      forward,
                double      backward,
                const char *what)
{
  if (fabs (forward - backward) > 1e-5 * MAX (1.0, fabs (forward)))
    g_error ("%s: ⟨F x, y⟩ = %.9g but ⟨x, Fᵀ y⟩ = %.9g", what, forward, backward);
}

static void
test_adjoints (Fixture       *fixture,
               gconstpointer  data)
{
  const gsize batch = 3, time = 11, channels = 4, width = 3, rows = 9, dim = 5, n_ids = 40;
  gsize n_x = batch * time * channels, n_cols = batch * (time - width + 1) * width * channels;
  g_autofree float *x_values = random_values (fixture, n_x, -1, 1);
  g_autofree float *y_values = random_values (fixture, n_cols, -1, 1);
  g_autofree float *table_values = random_values (fixture, rows * dim, -1, 1);
  g_autofree float *d_values = random_values (fixture, n_ids * dim, -1, 1);
  g_autofree gint32 *ids = g_new (gint32, n_ids);
  g_autoptr(WlBuffer) x = buffer_of (fixture, WL_DTYPE_F32, x_values, n_x);
  g_autoptr(WlBuffer) y = buffer_of (fixture, WL_DTYPE_F32, y_values, n_cols);
  g_autoptr(WlBuffer) cols = buffer_of (fixture, WL_DTYPE_F32, NULL, n_cols);
  g_autoptr(WlBuffer) dx = buffer_of (fixture, WL_DTYPE_F32, NULL, n_x);
  g_autoptr(WlBuffer) table = buffer_of (fixture, WL_DTYPE_F32, table_values, rows * dim);
  g_autoptr(WlBuffer) d_out = buffer_of (fixture, WL_DTYPE_F32, d_values, n_ids * dim);
  g_autoptr(WlBuffer) out = buffer_of (fixture, WL_DTYPE_F32, NULL, n_ids * dim);
  g_autoptr(WlBuffer) grad = buffer_of (fixture, WL_DTYPE_F32, NULL, rows * dim);
  g_autoptr(WlBuffer) id_buffer = NULL;
  g_autofree float *cols_values = NULL, *dx_values = NULL, *out_values = NULL;
  g_autofree float *grad_values = NULL;

  /* im2col and col2im */
  wl_op_im2col (fixture->backend, batch, time, channels, width, x, cols);
  wl_op_col2im (fixture->backend, batch, time, channels, width, y, dx);
  cols_values = values_of (cols);
  dx_values = values_of (dx);
  assert_adjoint (dot (cols_values, y_values, n_cols), dot (x_values, dx_values, n_x),
                  "im2col/col2im");

  /* gather and scatter_add, with repeats and padding ids */
  for (gsize i = 0; i < n_ids; i++)
    ids[i] = i % 7 == 6 ? -1 : g_rand_int_range (fixture->rand, 0, 4);
  id_buffer = buffer_of (fixture, WL_DTYPE_I32, ids, n_ids);
  wl_op_gather (fixture->backend, n_ids, dim, table, id_buffer, out);
  wl_op_scatter_add (fixture->backend, n_ids, dim, d_out, id_buffer, grad);
  out_values = values_of (out);
  grad_values = values_of (grad);
  assert_adjoint (dot (out_values, d_values, n_ids * dim),
                  dot (table_values, grad_values, rows * dim), "gather/scatter_add");

  /* add_bias (broadcast over rows) and sum_rows */
  {
    g_autoptr(WlBuffer) broadcast = buffer_of (fixture, WL_DTYPE_F32, NULL, n_ids * dim);
    g_autoptr(WlBuffer) bias = buffer_of (fixture, WL_DTYPE_F32, table_values, dim);
    g_autoptr(WlBuffer) sum = buffer_of (fixture, WL_DTYPE_F32, NULL, dim);
    g_autofree float *broadcast_values = NULL, *sum_values = NULL;

    wl_op_add_bias (fixture->backend, n_ids, dim, broadcast, bias);
    wl_op_sum_rows (fixture->backend, n_ids, dim, d_out, sum, FALSE);
    broadcast_values = values_of (broadcast);
    sum_values = values_of (sum);
    assert_adjoint (dot (broadcast_values, d_values, n_ids * dim),
                    dot (table_values, sum_values, dim), "add_bias/sum_rows");
  }
}

/* Max over time is linear near x when no maximum changes place. */
static void
test_max_over_time_gradient (Fixture       *fixture,
                             gconstpointer  data)
{
  const gsize batch = 2, time = 7, channels = 3, n_x = batch * time * channels;
  const gint32 length_values[] = { 7, 4 };
  g_autofree float *x_values = g_new (float, n_x);
  g_autofree float *delta = random_values (fixture, n_x, -1e-3, 1e-3);
  g_autofree float *w = random_values (fixture, batch * channels, -1, 1);
  g_autoptr(WlBuffer) lengths = buffer_of (fixture, WL_DTYPE_I32, length_values, batch);
  g_autoptr(WlBuffer) y = buffer_of (fixture, WL_DTYPE_F32, NULL, batch * channels);
  g_autoptr(WlBuffer) argmax = buffer_of (fixture, WL_DTYPE_I32, NULL, batch * channels);
  g_autoptr(WlBuffer) dy = buffer_of (fixture, WL_DTYPE_F32, w, batch * channels);
  g_autoptr(WlBuffer) dx = buffer_of (fixture, WL_DTYPE_F32, NULL, n_x);
  g_autoptr(WlBuffer) x = NULL;
  g_autofree float *y0 = NULL, *y1 = NULL, *dx_values = NULL;
  double change = 0.0;

  /* Distinct values 0.1 apart: a perturbation of 1e-3 moves no maximum. */
  for (gsize i = 0; i < n_x; i++)
    x_values[i] = 0.1f * (float) ((i * 17) % n_x);
  x = buffer_of (fixture, WL_DTYPE_F32, x_values, n_x);
  wl_op_max_over_time (fixture->backend, batch, time, channels, x, lengths, y, argmax);
  y0 = values_of (y);
  wl_op_max_over_time_backward (fixture->backend, batch, time, channels, dy, argmax, dx);
  dx_values = values_of (dx);
  for (gsize i = 0; i < n_x; i++)
    x_values[i] += delta[i];
  wl_buffer_write (x, 0, x_values, n_x, NULL);
  wl_op_max_over_time (fixture->backend, batch, time, channels, x, lengths, y, argmax);
  y1 = values_of (y);
  for (gsize i = 0; i < batch * channels; i++)
    change += (double) w[i] * (y1[i] - y0[i]);
  g_assert_cmpfloat_with_epsilon (change, dot (dx_values, delta, n_x), 1e-7);
}

static void
test_dropout_mask (Fixture       *fixture,
                   gconstpointer  data)
{
  const gsize n = 100000;
  const float p = 0.25f;
  g_autoptr(WlBuffer) x = buffer_of (fixture, WL_DTYPE_F32, NULL, n);
  g_autoptr(WlBuffer) mask = buffer_of (fixture, WL_DTYPE_F32, NULL, n);
  g_autoptr(WlBuffer) other = buffer_of (fixture, WL_DTYPE_F32, NULL, n);
  g_autofree float *x_values = NULL, *mask_values = NULL, *other_values = NULL;
  gsize kept = 0, same = 0;

  wl_op_fill (fixture->backend, x, 0, n, 2.0f);
  wl_op_dropout (fixture->backend, n, p, 7, x, mask);
  wl_op_dropout (fixture->backend, n, p, 8, x, other);
  x_values = values_of (x);
  mask_values = values_of (mask);
  other_values = values_of (other);
  for (gsize i = 0; i < n; i++)
    {
      g_assert_true (mask_values[i] == 0.0f || mask_values[i] == 1.0f / (1.0f - p));
      kept += mask_values[i] != 0.0f;
      same += (mask_values[i] != 0.0f) == (other_values[i] != 0.0f);
      g_assert_cmpfloat (x_values[i], ==, 2.0f * mask_values[i] * other_values[i]);
    }
  /* 1 − p kept; another seed draws an independent mask. */
  g_assert_cmpfloat_with_epsilon ((double) kept / n, 1.0 - p, 0.01);
  g_assert_cmpfloat_with_epsilon ((double) same / n, p * p + (1 - p) * (1 - p), 0.01);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/reference/unary-gradients", test_unary_gradients);
  ADD ("/reference/softmax-xent-gradient", test_softmax_xent_gradient);
  ADD ("/reference/lstm-cell-gradients", test_lstm_cell_gradients);
  ADD ("/reference/adjoints", test_adjoints);
  ADD ("/reference/max-over-time-gradient", test_max_over_time_gradient);
  ADD ("/reference/dropout-mask", test_dropout_mask);
#undef ADD
  return g_test_run ();
}
