/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-int8-gemm.h: products of fp32 activations with int8 weights.
 *
 *   C[m×n] = X[m×k] · (Q[k×n] · diag(scale)) + beta · C
 *   c[i][j] = scale[j] · Σ_p x[i][p] · q[p][j] + beta · c[i][j]
 *
 * in fp32, the weights turned into fp32 in registers as they are used: no
 * fp32 copy of Q is written, so a product reads a quarter of the bytes an
 * fp32 product reads.  This is weight-only quantisation (what ONNX's
 * DequantizeLinear followed by an fp32 MatMul computes, up to rounding).
 *
 * Three paths, one kernel: AVX-512, AVX2 with FMA, and portable C (GCC
 * vector extensions, 4 floats wide: SSE2 on x86-64).  The best the
 * processor runs is picked at the first call; the environment variable
 * WL_INT8_GEMM=avx512|avx2|portable forces one (a path the processor
 * cannot run is refused with a warning and the best one runs).  Tests run
 * each path through wl_int8_gemm_on_path().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  WL_INT8_GEMM_PORTABLE,
  WL_INT8_GEMM_AVX2,
  WL_INT8_GEMM_AVX512,
} WlInt8GemmPath;

typedef struct
{
  gsize        m;
  gsize        n;
  gsize        k;
  const float *x;      /* m × k, rows @ldx apart */
  gsize        ldx;
  const gint8 *q;      /* k × n, rows @ldq apart */
  gsize        ldq;
  const float *scale;  /* n */
  float        beta;   /* 0 overwrites C without reading it */
  float       *c;      /* m × n, rows @ldc apart */
  gsize        ldc;
} WlInt8Gemm;

const char     *wl_int8_gemm_path_name      (WlInt8GemmPath    path);
/* Whether this processor runs @path. */
gboolean        wl_int8_gemm_path_supported (WlInt8GemmPath    path);
/* The path wl_int8_gemm() takes (see WL_INT8_GEMM above). */
WlInt8GemmPath  wl_int8_gemm_path           (void);

/* The product on the calling thread, on @path (which must be supported). */
void            wl_int8_gemm_on_path        (WlInt8GemmPath    path,
                                             const WlInt8Gemm *product);
/* The product on wl_int8_gemm_path(), split among @n_threads threads (of
 * the engine's pool) when it is large enough. */
void            wl_int8_gemm                (guint             n_threads,
                                             const WlInt8Gemm *product);

G_END_DECLS
