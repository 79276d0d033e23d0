/* softmax.cl: softmax cross-entropy over the rows of the logits.
 *
 * One work-item per row (rows are the batch, columns the few classes):
 * probs = softmax(logits); loss = −log probs[label];
 * d_logits = (probs − onehot(label)) · scale.  d_logits and loss may be
 * NULL.  A row whose label is outside [0, cols) is ignored: loss 0, zero
 * gradient.
 */

__kernel void
softmax_xent (uint rows, uint cols, __global const float *logits,
              __global const int *labels, float scale, __global float *probs,
              __global float *d_logits, __global float *loss)
{
  uint row = get_global_id (0);
  __global const float *z;
  __global float *p;
  float top, total = 0.0f;
  int label;
  bool valid;

  if (row >= rows)
    return;
  z = logits + (ulong) row * cols;
  p = probs + (ulong) row * cols;
  label = labels[row];
  valid = label >= 0 && (uint) label < cols;

  top = z[0];
  for (uint j = 1; j < cols; j++)
    top = fmax (top, z[j]);
  for (uint j = 0; j < cols; j++)
    {
      p[j] = exp (z[j] - top);
      total += p[j];
    }
  for (uint j = 0; j < cols; j++)
    p[j] /= total;

  if (loss)
    /* −log p[label], from the logits: exact even when p underflows */
    loss[row] = valid ? log (total) - (z[label] - top) : 0.0f;
  if (d_logits)
    for (uint j = 0; j < cols; j++)
      d_logits[(ulong) row * cols + j] = valid ? (p[j] - ((int) j == label ? 1.0f : 0.0f)) * scale
                                               : 0.0f;
}
