/* conv.cl: 1-D convolution as im2col/col2im around a gemm, max over time,
 * and the gradients of a convolution maxed over time.
 *
 * x is batch × time × channels; a window of @width steps starting at step
 * t is row (b, t) of cols, out_time = time − width + 1 rows per sequence
 * (the host runs these only when time ≥ width), width · channels columns:
 * cols[b, t, w · channels + ch] = x[b, t + w, ch], which is x[b, t, j]
 * read straight on (j = w · channels + ch).  One work-item per output
 * element.
 */

__kernel void
im2col (uint batch, uint time, uint channels, uint width,
        __global const float *x, __global float *cols)
{
  uint at = get_global_id (0);
  uint span = width * channels, out_time = time - width + 1;
  uint row, b, t;

  if (at >= batch * out_time * span)
    return;
  row = at / span;
  b = row / out_time;
  t = row % out_time;
  cols[at] = x[((ulong) b * time + t) * channels + at % span];
}

/* dx[b, s, ch] = Σ over the windows that cover step s (overwrites dx) */
__kernel void
col2im (uint batch, uint time, uint channels, uint width,
        __global const float *d_cols, __global float *dx)
{
  uint at = get_global_id (0);
  uint span = width * channels, out_time = time - width + 1;
  uint ch, row, b, s;
  float total = 0.0f;

  if (at >= batch * time * channels)
    return;
  ch = at % channels;
  row = at / channels;
  b = row / time;
  s = row % time;
  for (uint w = 0; w < width && w <= s; w++)
    {
      uint t = s - w;

      if (t < out_time)
        total += d_cols[((ulong) b * out_time + t) * span + w * channels + ch];
    }
  dx[at] = total;
}

/* y[b, ch] = max over the first min(lengths[b], time) steps; argmax is
 * the first step of the maximum, −1 (and y 0) for an empty sequence.
 * lengths may be NULL. */
__kernel void
max_over_time (uint batch, uint time, uint channels, __global const float *x,
               __global const int *lengths, __global float *y, __global int *argmax)
{
  uint at = get_global_id (0);
  uint b, steps = time;
  __global const float *seq;
  float best = 0.0f;
  int best_t = -1;

  if (at >= batch * channels)
    return;
  b = at / channels;
  if (lengths)
    steps = lengths[b] <= 0 ? 0 : min ((uint) lengths[b], time);
  seq = x + (ulong) b * time * channels + at % channels;
  for (uint t = 0; t < steps; t++)
    {
      float v = seq[(ulong) t * channels];

      if (best_t < 0 || v > best)
        {
          best = v;
          best_t = (int) t;
        }
    }
  y[at] = best;
  argmax[at] = best_t;
}

/* dx[b, t, ch] = dy[b, ch] at the argmax step, 0 elsewhere (overwrites) */
__kernel void
max_over_time_backward (uint batch, uint time, uint channels, __global const float *dy,
                        __global const int *argmax, __global float *dx)
{
  uint at = get_global_id (0);
  uint ch, row, from;

  if (at >= batch * time * channels)
    return;
  ch = at % channels;
  row = at / channels;
  from = (row / time) * channels + ch;
  dx[at] = argmax[from] == (int) (row % time) ? dy[from] : 0.0f;
}

/* The gradients of a convolution maxed over time: only the window at a
 * filter's argmax step has one.  w and dw are (width · channels) ×
 * filters, dy and argmax batch × filters.  dw[r, f] += Σ_b dy[b, f] ·
 * x[b, argmax[b, f] · channels + r] (a window is contiguous in x). */
__kernel void
conv_max_backward_dw (uint batch, uint time, uint channels, uint width, uint filters,
                      __global const float *x, __global const int *argmax,
                      __global const float *dy, __global float *dw)
{
  uint at = get_global_id (0);
  uint span = width * channels, r, f;
  float total = 0.0f;

  if (at >= span * filters)
    return;
  r = at / filters;
  f = at % filters;
  for (uint b = 0; b < batch; b++)
    {
      int a = argmax[b * filters + f];

      if (a >= 0 && (uint) a + width <= time)
        total += dy[b * filters + f] * x[((ulong) b * time + (uint) a) * channels + r];
    }
  dw[at] += total;
}

/* dx[b, s, ch] += Σ_f dy[b, f] · w[(s − argmax[b, f]) · channels + ch, f]
 * over the filters whose window covers step s. */
__kernel void
conv_max_backward_dx (uint batch, uint time, uint channels, uint width, uint filters,
                      __global const float *w, __global const int *argmax,
                      __global const float *dy, __global float *dx)
{
  uint at = get_global_id (0);
  uint ch, row, b, s;
  float total = 0.0f;

  if (at >= batch * time * channels)
    return;
  ch = at % channels;
  row = at / channels;
  b = row / time;
  s = row % time;
  for (uint f = 0; f < filters; f++)
    {
      int a = argmax[b * filters + f];

      if (a >= 0 && (uint) a + width <= time && (uint) a <= s && s < (uint) a + width)
        total += dy[b * filters + f] * w[((s - (uint) a) * channels + ch) * filters + f];
    }
  dx[at] += total;
}
