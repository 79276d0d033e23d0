/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-opencl-ops.c: elementwise and row ops, embeddings, softmax, dropout, convert.
 *
 * The kernels are in kernels/elementwise.cl, embed.cl, softmax.cl and
 * convert.cl; each op here sets its kernel's arguments in order and runs
 * one work-item per output element.  The dispatcher (wl-ops.c) has
 * checked the arguments already.
 */
#include "config.h"

#include "compute/wl-backend-opencl-private.h"

void
wl_opencl_axpby (WlBackend      *backend,
                 gsize           n,
                 float           alpha,
                 const WlBuffer *x,
                 float           beta,
                 WlBuffer       *y)
{
  WlOpenclCall call;

  if (!wl_opencl_call_begin (&call, WL_OPENCL_BACKEND (backend), "elementwise.cl", "axpby"))
    return;
  wl_opencl_arg_u32 (&call, n);
  wl_opencl_arg_f32 (&call, alpha);
  wl_opencl_arg_buffer (&call, x);
  wl_opencl_arg_f32 (&call, beta);
  wl_opencl_arg_buffer (&call, y);
  wl_opencl_call_run_1d (&call, n);
}

void
wl_opencl_mul (WlBackend      *backend,
               gsize           n,
               const WlBuffer *x,
               WlBuffer       *y)
{
  WlOpenclCall call;

  if (!wl_opencl_call_begin (&call, WL_OPENCL_BACKEND (backend), "elementwise.cl", "mul"))
    return;
  wl_opencl_arg_u32 (&call, n);
  wl_opencl_arg_buffer (&call, x);
  wl_opencl_arg_buffer (&call, y);
  wl_opencl_call_run_1d (&call, n);
}

/* unary and unary_backward share their form: (op, n, in, [in2,] out). */
static void
run_unary (WlBackend      *backend,
           const char     *name,
           WlUnaryOp       op,
           gsize           n,
           const WlBuffer *first,
           const WlBuffer *second,
           WlBuffer       *out)
{
  WlOpenclCall call;

  if (!wl_opencl_call_begin (&call, WL_OPENCL_BACKEND (backend), "elementwise.cl", name))
    return;
  wl_opencl_arg_i32 (&call, op);
  wl_opencl_arg_u32 (&call, n);
  wl_opencl_arg_buffer (&call, first);
  if (second != NULL)
    wl_opencl_arg_buffer (&call, second);
  wl_opencl_arg_buffer (&call, out);
  wl_opencl_call_run_1d (&call, n);
}

void
wl_opencl_unary (WlBackend      *backend,
                 WlUnaryOp       op,
                 gsize           n,
                 const WlBuffer *x,
                 WlBuffer       *y)
{
  run_unary (backend, "unary", op, n, x, NULL, y);
}

void
wl_opencl_unary_backward (WlBackend      *backend,
                          WlUnaryOp       op,
                          gsize           n,
                          const WlBuffer *y,
                          const WlBuffer *dy,
                          WlBuffer       *dx)
{
  run_unary (backend, "unary_backward", op, n, y, dy, dx);
}

void
wl_opencl_add_bias (WlBackend      *backend,
                    gsize           rows,
                    gsize           cols,
                    WlBuffer       *x,
                    const WlBuffer *bias)
{
  WlOpenclCall call;

  if (!wl_opencl_call_begin (&call, WL_OPENCL_BACKEND (backend), "elementwise.cl",
                             "add_bias"))
    return;
  wl_opencl_arg_u32 (&call, rows);
  wl_opencl_arg_u32 (&call, cols);
  wl_opencl_arg_buffer (&call, x);
  wl_opencl_arg_buffer (&call, bias);
  wl_opencl_call_run_1d (&call, rows * cols);
}

void
wl_opencl_sum_rows (WlBackend      *backend,
                    gsize           rows,
                    gsize           cols,
                    const WlBuffer *x,
                    WlBuffer       *sum,
                    gboolean        accumulate)
{
  WlOpenclCall call;

  if (!wl_opencl_call_begin (&call, WL_OPENCL_BACKEND (backend), "elementwise.cl",
                             "sum_rows"))
    return;
  wl_opencl_arg_u32 (&call, rows);
  wl_opencl_arg_u32 (&call, cols);
  wl_opencl_arg_buffer (&call, x);
  wl_opencl_arg_buffer (&call, sum);
  wl_opencl_arg_i32 (&call, accumulate);
  wl_opencl_call_run_1d (&call, cols);
}

void
wl_opencl_gather (WlBackend      *backend,
                  gsize           n,
                  gsize           dim,
                  const WlBuffer *table,
                  const WlBuffer *ids,
                  WlBuffer       *out)
{
  WlOpenclCall call;

  if (!wl_opencl_call_begin (&call, WL_OPENCL_BACKEND (backend), "embed.cl", "gather"))
    return;
  wl_opencl_arg_u32 (&call, n);
  wl_opencl_arg_u32 (&call, dim);
  wl_opencl_arg_buffer (&call, table);
  wl_opencl_arg_u32 (&call, table->n / dim);
  wl_opencl_arg_buffer (&call, ids);
  wl_opencl_arg_buffer (&call, out);
  wl_opencl_call_run_1d (&call, n * dim);
}

void
wl_opencl_scatter_add (WlBackend      *backend,
                       gsize           n,
                       gsize           dim,
                       const WlBuffer *d_out,
                       const WlBuffer *ids,
                       WlBuffer       *grad)
{
  WlOpenclCall call;

  if (!wl_opencl_call_begin (&call, WL_OPENCL_BACKEND (backend), "embed.cl", "scatter_add"))
    return;
  wl_opencl_arg_u32 (&call, n);
  wl_opencl_arg_u32 (&call, dim);
  wl_opencl_arg_buffer (&call, d_out);
  wl_opencl_arg_buffer (&call, ids);
  wl_opencl_arg_buffer (&call, grad);
  wl_opencl_arg_u32 (&call, grad->n / dim);
  wl_opencl_call_run_1d (&call, n * dim);
}

void
wl_opencl_softmax_xent (WlBackend      *backend,
                        gsize           rows,
                        gsize           cols,
                        const WlBuffer *logits,
                        const WlBuffer *labels,
                        float           scale,
                        WlBuffer       *probs,
                        WlBuffer       *d_logits,
                        WlBuffer       *loss)
{
  WlOpenclCall call;

  if (!wl_opencl_call_begin (&call, WL_OPENCL_BACKEND (backend), "softmax.cl",
                             "softmax_xent"))
    return;
  wl_opencl_arg_u32 (&call, rows);
  wl_opencl_arg_u32 (&call, cols);
  wl_opencl_arg_buffer (&call, logits);
  wl_opencl_arg_buffer (&call, labels);
  wl_opencl_arg_f32 (&call, scale);
  wl_opencl_arg_buffer (&call, probs);
  wl_opencl_arg_buffer (&call, d_logits);
  wl_opencl_arg_buffer (&call, loss);
  wl_opencl_call_run_1d (&call, rows);
}

void
wl_opencl_dropout (WlBackend *backend,
                   gsize      n,
                   float      p,
                   guint64    seed,
                   WlBuffer  *x,
                   WlBuffer  *mask)
{
  WlOpenclCall call;

  if (!wl_opencl_call_begin (&call, WL_OPENCL_BACKEND (backend), "elementwise.cl",
                             "dropout"))
    return;
  wl_opencl_arg_u32 (&call, n);
  wl_opencl_arg_f32 (&call, p);
  wl_opencl_arg_u64 (&call, seed);
  wl_opencl_arg_buffer (&call, x);
  wl_opencl_arg_buffer (&call, mask);
  wl_opencl_call_run_1d (&call, n);
}

void
wl_opencl_convert (WlBackend      *backend,
                   gsize           n,
                   const WlBuffer *src,
                   WlBuffer       *dst)
{
  WlOpenclCall call;

  if (src->dtype == dst->dtype)
    {
      wl_opencl_copy (backend, src, 0, dst, 0, n);
      return;
    }
  if (!wl_opencl_call_begin (&call, WL_OPENCL_BACKEND (backend), "convert.cl", "convert"))
    return;
  wl_opencl_arg_u32 (&call, n);
  wl_opencl_arg_buffer (&call, src);
  wl_opencl_arg_i32 (&call, src->dtype);
  wl_opencl_arg_buffer (&call, dst);
  wl_opencl_arg_i32 (&call, dst->dtype);
  wl_opencl_call_run_1d (&call, n);
}
