/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-host.h: host-side math shared by the backends and the dispatcher.
 *
 * Half-precision conversion (IEEE fp16 and bfloat16, round to nearest
 * even), the dropout hash every backend must reproduce bit for bit, and
 * the LSTM and GRU cells on host arrays (the LSTM's is the reference and
 * the dispatcher's default for backends without a fused cell; the blas
 * backend's time loops run both).
 */
#pragma once

#include "compute/wl-backend.h"

G_BEGIN_DECLS

guint16  wl_half_from_float   (float    value);
float    wl_half_to_float     (guint16  half);
guint16  wl_bf16_from_float   (float    value);
float    wl_bf16_to_float     (guint16  bf16);

/* The @n values @v[i x @stride] (a row, or with @stride the row length
 * a column) as int8 @q[i x @stride] with one @scale, value = q * scale:
 * their largest magnitude / 127 rounded to bfloat16 (so that a file can
 * hold it in two bytes and a model loaded from it is the one quantised),
 * values rounded to nearest.  The int8 models' one recipe. */
void     wl_quantize_row      (const float *v,
                               gsize        n,
                               gsize        stride,
                               gint8       *q,
                               float       *scale);

/* Marks in @keep (@n_rows bytes) the @kept rows of the row-major @rows
 * (@n_rows x @width) with the largest L2 norms (the earlier row among
 * equal norms) and clears the others: the pruning models' one rule.
 * FALSE when out of memory. */
gboolean wl_keep_largest_rows (const float *rows,
                               gsize        n_rows,
                               gsize        width,
                               gsize        kept,
                               guint8      *keep);

gboolean wl_dtype_is_float    (WlDtype  dtype);

/* @n elements of @dtype at @src → f32 at @dst, and back. */
void     wl_dtype_to_f32      (WlDtype      dtype,
                               const void  *src,
                               float       *dst,
                               gsize        n);
void     wl_dtype_from_f32    (WlDtype      dtype,
                               const float *src,
                               void        *dst,
                               gsize        n);

/* The dropout draw of element @index: a uniform value in [0, 1) from
 * splitmix64 (seed ^ (index · 0x9E3779B97F4A7C15)), its top 24 bits
 * scaled by 2⁻²⁴.  The element is kept when the value is ≥ p.  OpenCL
 * kernels compute the same integers, so every backend draws one mask. */
static inline float
wl_dropout_uniform (guint64 seed,
                    guint64 index)
{
  guint64 x = seed ^ (index * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  x ^= x >> 30;
  x *= G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  x ^= x >> 27;
  x *= G_GUINT64_CONSTANT (0x94D049BB133111EB);
  x ^= x >> 31;
  return (float) (x >> 40) * (1.0f / 16777216.0f);
}

/* LSTM cell on rows of 4·hidden gates (i, f, g, o); see wl-ops.h. */
void     wl_host_lstm_cell          (gsize        batch,
                                     gsize        hidden,
                                     float       *gates,
                                     const float *c_prev,
                                     float       *c,
                                     float       *h);
void     wl_host_lstm_cell_backward (gsize        batch,
                                     gsize        hidden,
                                     const float *gates,
                                     const float *c_prev,
                                     const float *c,
                                     const float *dh,
                                     const float *dc,
                                     float       *d_gates,
                                     float       *dc_prev);

/* GRU cell on rows of @hidden (PyTorch's; see wl-ops.h gru_forward): r, z
 * and n come in with their pre-activations but for the recurrent share of
 * n, and hn with h_prev·W_hn (b_hn is added here); they leave with the
 * activations, and h with the output. */
void     wl_host_gru_cell           (gsize        batch,
                                     gsize        hidden,
                                     float       *r,
                                     float       *z,
                                     float       *n,
                                     float       *hn,
                                     const float *b_hn,
                                     const float *h_prev,
                                     float       *h);
/* Its gradients from dh: the pre-activation gradients dr, dz, dn and
 * hn's d_hn; dh_prev (when not NULL) += dh ⊙ z, the direct share of
 * h_prev's. */
void     wl_host_gru_cell_backward  (gsize        batch,
                                     gsize        hidden,
                                     const float *r,
                                     const float *z,
                                     const float *n,
                                     const float *hn,
                                     const float *h_prev,
                                     const float *dh,
                                     float       *dr,
                                     float       *dz,
                                     float       *dn,
                                     float       *d_hn,
                                     float       *dh_prev);

G_END_DECLS
