/* elementwise.cl: f32 vector and row ops: axpby, mul, activations and
 * their gradients, bias rows, column sums, dropout.
 *
 * One work-item per element (one-dimensional, as every kernel but gemm);
 * the host rounds the global size up, so every kernel checks its index.  Input and output of the elementwise ops may
 * be the same buffer.
 */

#define WL_UNARY_TANH 0
#define WL_UNARY_SIGMOID 1
#define WL_UNARY_RELU 2

/* y = alpha · x + beta · y; beta = 0 overwrites y */
__kernel void
axpby (uint n, float alpha, __global const float *x, float beta, __global float *y)
{
  uint i = get_global_id (0);

  if (i < n)
    y[i] = beta == 0.0f ? alpha * x[i] : mad (alpha, x[i], beta * y[i]);
}

__kernel void
mul (uint n, __global const float *x, __global float *y)
{
  uint i = get_global_id (0);

  if (i < n)
    y[i] *= x[i];
}

__kernel void
unary (int op, uint n, __global const float *x, __global float *y)
{
  uint i = get_global_id (0);
  float v;

  if (i >= n)
    return;
  v = x[i];
  switch (op)
    {
    case WL_UNARY_TANH:
      y[i] = tanh (v);
      break;
    case WL_UNARY_SIGMOID:
      y[i] = 1.0f / (1.0f + exp (-v));
      break;
    default:
      y[i] = fmax (v, 0.0f);
      break;
    }
}

/* dx = dy ⊙ f′, from the forward output y */
__kernel void
unary_backward (int op, uint n, __global const float *y, __global const float *dy,
                __global float *dx)
{
  uint i = get_global_id (0);
  float v;

  if (i >= n)
    return;
  v = y[i];
  switch (op)
    {
    case WL_UNARY_TANH:
      dx[i] = dy[i] * (1.0f - v * v);
      break;
    case WL_UNARY_SIGMOID:
      dx[i] = dy[i] * v * (1.0f - v);
      break;
    default:
      dx[i] = v > 0.0f ? dy[i] : 0.0f;
      break;
    }
}

/* x[rows × cols] += bias[cols] */
__kernel void
add_bias (uint rows, uint cols, __global float *x, __global const float *bias)
{
  uint i = get_global_id (0);

  if (i < rows * cols)
    x[i] += bias[i % cols];
}

/* sum[cols] (+)= Σ_rows x: one work-item per column, reading along rows
 * so that neighbouring work-items read neighbouring columns. */
__kernel void
sum_rows (uint rows, uint cols, __global const float *x, __global float *sum,
          int accumulate)
{
  uint col = get_global_id (0);
  float total = 0.0f;

  if (col >= cols)
    return;
  for (uint row = 0; row < rows; row++)
    total += x[row * cols + col];
  sum[col] = accumulate ? sum[col] + total : total;
}

/* The draw of wl_dropout_uniform() (wl-host.h), bit for bit. */
inline float
dropout_uniform (ulong seed, ulong index)
{
  ulong x = seed ^ (index * 0x9E3779B97F4A7C15UL);

  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9UL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBUL;
  x ^= x >> 31;
  return (float) (x >> 40) * (1.0f / 16777216.0f);
}

__kernel void
dropout (uint n, float p, ulong seed, __global float *x, __global float *mask)
{
  uint i = get_global_id (0);
  float keep;

  if (i >= n)
    return;
  keep = dropout_uniform (seed, i) >= p ? 1.0f / (1.0f - p) : 0.0f;
  mask[i] = keep;
  x[i] *= keep;
}
