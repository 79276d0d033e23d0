/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-opencl-gemm.c: gemm and gemm_batched on the kernels of kernels/gemm.cl.
 *
 * Each kernel serves every transposition and storage type (f32, f16,
 * bf16).  On CPUs gemm_vector runs; on the others gemm_tiled, which
 * checks no bounds, when the sizes are whole tiles, else gemm_any. */
#include "config.h"

#include "compute/wl-backend-opencl-private.h"

static void
run_gemm (WlOpenclBackend *backend,
          gboolean         trans_a,
          gboolean         trans_b,
          gsize            m,
          gsize            n,
          gsize            k,
          float            alpha,
          const WlBuffer  *a,
          gsize            a_offset,
          gsize            a_stride,
          gsize            lda,
          const WlBuffer  *b,
          gsize            b_offset,
          gsize            b_stride,
          gsize            ldb,
          float            beta,
          WlBuffer        *c,
          gsize            c_offset,
          gsize            c_stride,
          gsize            ldc,
          gsize            count)
{
  const WlOpenclTuning *t = backend->device->tuning;
  const char *name;
  gsize local[3] = { 1, 1, 1 }, global[3] = { 0, 0, count };
  WlOpenclCall call;

  if (t->gemm_vw > 0)
    {
      /* one work-item per WM × VW block of C */
      name = "gemm_vector";
      global[0] = (n + t->gemm_vw - 1) / t->gemm_vw;
      global[1] = (m + t->gemm_wm - 1) / t->gemm_wm;
    }
  else
    {
      /* one work-group per TM × TN tile; the fast path checks no index */
      name = m % t->gemm_tm == 0 && n % t->gemm_tn == 0 && k % t->gemm_tk == 0 ? "gemm_tiled"
                                                                                : "gemm_any";
      local[0] = t->gemm_tn / t->gemm_wn;
      local[1] = t->gemm_tm / t->gemm_wm;
      global[0] = (n + t->gemm_tn - 1) / t->gemm_tn * local[0];
      global[1] = (m + t->gemm_tm - 1) / t->gemm_tm * local[1];
    }
  if (!wl_opencl_call_begin (&call, backend, "gemm.cl", name))
    return;
  wl_opencl_arg_u32 (&call, m);
  wl_opencl_arg_u32 (&call, n);
  wl_opencl_arg_u32 (&call, k);
  wl_opencl_arg_f32 (&call, alpha);
  wl_opencl_arg_i32 (&call, trans_a);
  wl_opencl_arg_i32 (&call, trans_b);
  wl_opencl_arg_buffer (&call, a);
  wl_opencl_arg_i32 (&call, a->dtype);
  wl_opencl_arg_u64 (&call, a_offset);
  wl_opencl_arg_u64 (&call, a_stride);
  wl_opencl_arg_u32 (&call, lda);
  wl_opencl_arg_buffer (&call, b);
  wl_opencl_arg_i32 (&call, b->dtype);
  wl_opencl_arg_u64 (&call, b_offset);
  wl_opencl_arg_u64 (&call, b_stride);
  wl_opencl_arg_u32 (&call, ldb);
  wl_opencl_arg_f32 (&call, beta);
  wl_opencl_arg_buffer (&call, c);
  wl_opencl_arg_i32 (&call, c->dtype);
  wl_opencl_arg_u64 (&call, c_offset);
  wl_opencl_arg_u64 (&call, c_stride);
  wl_opencl_arg_u32 (&call, ldc);
  wl_opencl_call_run (&call, 3, global, local);
}

void
wl_opencl_gemm (WlBackend      *backend,
                gboolean        trans_a,
                gboolean        trans_b,
                gsize           m,
                gsize           n,
                gsize           k,
                float           alpha,
                const WlBuffer *a,
                gsize           a_offset,
                gsize           lda,
                const WlBuffer *b,
                gsize           b_offset,
                gsize           ldb,
                float           beta,
                WlBuffer       *c,
                gsize           c_offset,
                gsize           ldc)
{
  run_gemm (WL_OPENCL_BACKEND (backend), trans_a, trans_b, m, n, k, alpha,
            a, a_offset, 0, lda, b, b_offset, 0, ldb, beta, c, c_offset, 0, ldc, 1);
}

void
wl_opencl_gemm_batched (WlBackend      *backend,
                        gboolean        trans_a,
                        gboolean        trans_b,
                        gsize           m,
                        gsize           n,
                        gsize           k,
                        float           alpha,
                        const WlBuffer *a,
                        gsize           a_stride,
                        gsize           lda,
                        const WlBuffer *b,
                        gsize           b_stride,
                        gsize           ldb,
                        float           beta,
                        WlBuffer       *c,
                        gsize           c_stride,
                        gsize           ldc,
                        gsize           count)
{
  run_gemm (WL_OPENCL_BACKEND (backend), trans_a, trans_b, m, n, k, alpha,
            a, 0, a_stride, lda, b, 0, b_stride, ldb, beta, c, 0, c_stride, ldc, count);
}
