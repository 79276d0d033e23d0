/* optim.cl: optimiser steps on f32 master weights, and the sum of squares.
 *
 * Tuning (-D): REDUCE_WG, the work-group size of the reduction (a power
 * of two).
 */

/* g′ = grad + weight_decay · w; v = momentum · v + g′; w −= lr · v
 * (velocity NULL: w −= lr · g′), on element i. */
void
sgd_one (ulong i, __global float *w, float grad, __global float *velocity, float lr,
         float momentum, float weight_decay)
{
  grad = mad (weight_decay, w[i], grad);
  if (velocity)
    {
      grad = mad (momentum, velocity[i], grad);
      velocity[i] = grad;
    }
  w[i] -= lr * grad;
}

/* PyTorch's Adam, or AdamW when @decoupled: w −= step_size · m / (√v · inv_sqrt_c2 + eps)
 * with the bias corrections from the host: step_size = lr / (1 − beta1^step),
 * inv_sqrt_c2 = 1 / √(1 − beta2^step); on element i. */
void
adam_one (ulong i, __global float *w, float grad, __global float *m, __global float *v,
          float lr, float beta1, float beta2, float eps, float weight_decay, int decoupled,
          float step_size, float inv_sqrt_c2)
{
  float weight = w[i], m_i, v_i;

  if (decoupled)
    weight *= 1.0f - lr * weight_decay;
  else
    grad = mad (weight_decay, weight, grad);
  m_i = mad (beta1, m[i], (1.0f - beta1) * grad);
  v_i = mad (beta2, v[i], (1.0f - beta2) * grad * grad);
  m[i] = m_i;
  v[i] = v_i;
  w[i] = weight - step_size * m_i / mad (sqrt (v_i), inv_sqrt_c2, eps);
}

/* PyTorch's Adadelta: g′ = grad + weight_decay · w;
 * sq = rho · sq + (1 − rho) · g′²;  Δ = √(acc + eps) / √(sq + eps) · g′;
 * acc = rho · acc + (1 − rho) · Δ²;  w −= lr · Δ; on element i. */
void
adadelta_one (ulong i, __global float *w, float grad, __global float *sq, __global float *acc,
              float lr, float rho, float eps, float weight_decay)
{
  float weight = w[i], sq_i, delta;

  grad = mad (weight_decay, weight, grad);
  sq_i = mad (rho, sq[i], (1.0f - rho) * grad * grad);
  delta = sqrt (acc[i] + eps) / sqrt (sq_i + eps) * grad;
  sq[i] = sq_i;
  acc[i] = mad (rho, acc[i], (1.0f - rho) * delta * delta);
  w[i] = weight - lr * delta;
}

__kernel void
sgd_step (uint n, __global float *w, __global const float *g, __global float *velocity,
          float lr, float momentum, float weight_decay)
{
  uint i = get_global_id (0);

  if (i < n)
    sgd_one (i, w, g[i], velocity, lr, momentum, weight_decay);
}

__kernel void
adam_step (uint n, __global float *w, __global const float *g, __global float *m,
           __global float *v, float lr, float beta1, float beta2, float eps,
           float weight_decay, int decoupled, float step_size, float inv_sqrt_c2)
{
  uint i = get_global_id (0);

  if (i < n)
    adam_one (i, w, g[i], m, v, lr, beta1, beta2, eps, weight_decay, decoupled, step_size,
              inv_sqrt_c2);
}

__kernel void
adadelta_step (uint n, __global float *w, __global const float *g, __global float *sq,
               __global float *acc, float lr, float rho, float eps, float weight_decay)
{
  uint i = get_global_id (0);

  if (i < n)
    adadelta_one (i, w, g[i], sq, acc, lr, rho, eps, weight_decay);
}

/* The element of the tables that work-item @at of a rows step updates:
 * row ids[at / dim] (of rows), column at % dim; −1 when that row is not
 * in the tables. */
long
row_element (uint at, uint dim, uint rows, __global const int *ids)
{
  int id = ids[at / dim];

  return id >= 0 && (uint) id < rows ? (long) id * dim + at % dim : -1;
}

/* The steps on n rows of dim, gradients scaled; their gradients are then zeroed. */
__kernel void
sgd_rows (uint n, uint dim, uint rows, __global const int *ids, __global float *w,
          __global float *g, __global float *velocity, float grad_scale, float lr,
          float momentum, float weight_decay)
{
  uint at = get_global_id (0);
  long i;

  if (at >= n * dim || (i = row_element (at, dim, rows, ids)) < 0)
    return;
  sgd_one (i, w, g[i] * grad_scale, velocity, lr, momentum, weight_decay);
  g[i] = 0.0f;
}

__kernel void
adam_rows (uint n, uint dim, uint rows, __global const int *ids, __global float *w,
           __global float *g, __global float *m, __global float *v, float grad_scale,
           float lr, float beta1, float beta2, float eps, float weight_decay, int decoupled,
           float step_size, float inv_sqrt_c2)
{
  uint at = get_global_id (0);
  long i;

  if (at >= n * dim || (i = row_element (at, dim, rows, ids)) < 0)
    return;
  adam_one (i, w, g[i] * grad_scale, m, v, lr, beta1, beta2, eps, weight_decay, decoupled,
            step_size, inv_sqrt_c2);
  g[i] = 0.0f;
}

__kernel void
adadelta_rows (uint n, uint dim, uint rows, __global const int *ids, __global float *w,
               __global float *g, __global float *sq, __global float *acc, float grad_scale,
               float lr, float rho, float eps, float weight_decay)
{
  uint at = get_global_id (0);
  long i;

  if (at >= n * dim || (i = row_element (at, dim, rows, ids)) < 0)
    return;
  adadelta_one (i, w, g[i] * grad_scale, sq, acc, lr, rho, eps, weight_decay);
  g[i] = 0.0f;
}

/* Σ x² in two passes: each work-group strides over x and writes its
 * partial sum; sum_partials adds them up in a fixed order, so the result
 * does not depend on timing. */
__kernel __attribute__ ((reqd_work_group_size (REDUCE_WG, 1, 1))) void
sum_squares_partial (uint n, __global const float *x, __global float *partial)
{
  __local float scratch[REDUCE_WG];
  uint lid = get_local_id (0);
  float total = 0.0f;

  for (uint i = get_global_id (0); i < n; i += get_global_size (0))
    total = mad (x[i], x[i], total);
  scratch[lid] = total;
  barrier (CLK_LOCAL_MEM_FENCE);
  for (uint half_size = REDUCE_WG / 2; half_size > 0; half_size /= 2)
    {
      if (lid < half_size)
        scratch[lid] += scratch[lid + half_size];
      barrier (CLK_LOCAL_MEM_FENCE);
    }
  if (lid == 0)
    partial[get_group_id (0)] = scratch[0];
}

__kernel void
sum_partials (uint count, __global const float *partial, __global float *sum)
{
  float total = 0.0f;

  for (uint i = 0; i < count; i++)
    total += partial[i];
  sum[0] = total;
}
