/* rnn.cl: the fused LSTM cell, forward and backward.
 *
 * gates is batch × 4·hidden, each row (i, f, g, o); c_prev, c, h, dh, dc
 * and dc_prev are batch × hidden blocks starting at their offsets.  One
 * work-item per (row, unit).
 */

inline float
sigmoid (float x)
{
  return 1.0f / (1.0f + exp (-x));
}

/* i, f, o = σ, g = tanh (stored back into gates); c = f·c_prev + i·g;
 * h = o·tanh(c) */
__kernel void
lstm_cell (uint batch, uint hidden, __global float *gates,
           __global const float *c_prev, ulong c_prev_offset,
           __global float *c, ulong c_offset, __global float *h, ulong h_offset)
{
  uint at = get_global_id (0);
  __global float *row;
  float i_g, f_g, g_g, o_g, c_new;
  uint j;

  if (at >= batch * hidden)
    return;
  j = at % hidden;
  row = gates + (ulong) (at / hidden) * 4 * hidden;
  i_g = sigmoid (row[j]);
  f_g = sigmoid (row[hidden + j]);
  g_g = tanh (row[2 * hidden + j]);
  o_g = sigmoid (row[3 * hidden + j]);
  row[j] = i_g;
  row[hidden + j] = f_g;
  row[2 * hidden + j] = g_g;
  row[3 * hidden + j] = o_g;
  c_new = f_g * c_prev[c_prev_offset + at] + i_g * g_g;
  c[c_offset + at] = c_new;
  h[h_offset + at] = o_g * tanh (c_new);
}

/* From the saved activations: d_gates (pre-activation gradients) and
 * dc_prev = (dc + dh·o·tanh′(c))·f.  dc_prev may alias dc: each
 * work-item reads its dc before writing its dc_prev. */
__kernel void
lstm_cell_backward (uint batch, uint hidden, __global const float *gates,
                    __global const float *c_prev, ulong c_prev_offset,
                    __global const float *c, ulong c_offset,
                    __global const float *dh, ulong dh_offset,
                    __global const float *dc, ulong dc_offset,
                    __global float *d_gates,
                    __global float *dc_prev, ulong dc_prev_offset)
{
  uint at = get_global_id (0);
  __global const float *row;
  __global float *d_row;
  float i_g, f_g, g_g, o_g, tanh_c, dc_total, dh_v;
  uint j;

  if (at >= batch * hidden)
    return;
  j = at % hidden;
  row = gates + (ulong) (at / hidden) * 4 * hidden;
  d_row = d_gates + (ulong) (at / hidden) * 4 * hidden;
  i_g = row[j];
  f_g = row[hidden + j];
  g_g = row[2 * hidden + j];
  o_g = row[3 * hidden + j];
  dh_v = dh[dh_offset + at];
  tanh_c = tanh (c[c_offset + at]);
  dc_total = dc[dc_offset + at] + dh_v * o_g * (1.0f - tanh_c * tanh_c);
  d_row[j] = dc_total * g_g * i_g * (1.0f - i_g);
  d_row[hidden + j] = dc_total * c_prev[c_prev_offset + at] * f_g * (1.0f - f_g);
  d_row[2 * hidden + j] = dc_total * i_g * (1.0f - g_g * g_g);
  d_row[3 * hidden + j] = dh_v * tanh_c * o_g * (1.0f - o_g);
  dc_prev[dc_prev_offset + at] = dc_total * f_g;
}
