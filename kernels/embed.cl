/* embed.cl: embedding rows: gather, and scatter_add for their gradients.
 *
 * One work-item per element of the n × dim rows.  Ids outside [0, rows)
 * read as zero rows (padding) and add nothing.
 */

__kernel void
gather (uint n, uint dim, __global const float *table, uint rows,
        __global const int *ids, __global float *out)
{
  uint at = get_global_id (0);
  int id;

  if (at >= n * dim)
    return;
  id = ids[at / dim];
  out[at] = id >= 0 && (uint) id < rows ? table[(ulong) id * dim + at % dim] : 0.0f;
}

/* grad[ids[i] × dim] += d_out[i × dim]: repeated ids meet on the same
 * address, hence the atomic add. */
__kernel void
scatter_add (uint n, uint dim, __global const float *d_out, __global const int *ids,
             __global float *grad, uint rows)
{
  uint at = get_global_id (0);
  int id;

  if (at >= n * dim)
    return;
  id = ids[at / dim];
  if (id >= 0 && (uint) id < rows)
    atomic_add_global_float (grad + (ulong) id * dim + at % dim, d_out[at]);
}
