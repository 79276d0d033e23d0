/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-ops.h: the ops models call, one per WlBackendClass member.
 *
 * Each wl_op_<member>() checks its arguments (g_return_if_fail: buffers on
 * @backend, dtypes, sizes against buffer lengths) and runs the backend's
 * member, or the dispatcher's default for an optional member left NULL.
 * An op with a zero size does nothing.  The contract every backend meets,
 * beyond the comments in wl-backend.h:
 *
 * Dtypes: float operands are F32; gemm and gemm_batched also take F16 and
 * BF16 for a, b and c (products accumulate in f32); fill and copy take any
 * dtype (copy: both the same; fill converts @value, I32 truncates);
 * convert goes between any two float dtypes.  Index operands (ids,
 * labels, lengths, argmax) are I32.
 *
 * Aliasing: elementwise ops (axpby, mul, unary, unary_backward) may be
 * given the same buffer for input and output; no other op may.
 *
 * gemm: beta = 0 overwrites C without reading it (NaN in C is ignored).
 * gemm_i8: x and c are F32; beta = 0 overwrites C as gemm does.
 * axpby: likewise beta = 0 overwrites y.
 * gather: ids outside [0, table rows) give zero rows (padding, e.g. −1);
 *   scatter_add skips them.  scatter_add adds into grad.
 * softmax_xent: probs is required; a row whose label is outside [0, cols)
 *   is ignored (loss 0, zero gradient).
 * dropout: see wl_dropout_uniform() in wl-host.h; x is scaled in place,
 *   mask gets 0 or 1/(1 − p); 0 ≤ p < 1.
 * im2col: cols[b, t, w·channels + ch] = x[b, t + w, ch]; col2im
 *   overwrites dx with the sum of the columns' gradients.
 * max_over_time: a sequence's steps are min(lengths[b], time); argmax holds
 *   the first time step of the maximum, or −1 (and y 0) for an empty
 *   sequence.  The backward pass overwrites dx: dy at the argmax steps,
 *   zero elsewhere.
 * conv_max_backward: for each b and filter f whose argmax[b, f] = a is a
 *   step (0 ≤ a ≤ time − width; −1 adds nothing): dw[j·channels + ch, f]
 *   += dy[b, f]·x[b, a + j, ch] and dx[b, a + j, ch] += dy[b, f]·w[j·channels
 *   + ch, f], j < width.  The same as max_over_time_backward, then the
 *   products with the im2col columns, then col2im, added.
 * sgd_step: g' = g + weight_decay·w; v = momentum·v + g'; w −= lr·v
 *   (velocity may be NULL when momentum is 0: w −= lr·g').
 * adam_step: as PyTorch's Adam (weight decay added to g) or, when
 *   @decoupled, AdamW (w ·= 1 − lr·weight_decay first); bias-corrected.
 * adadelta_step: as PyTorch's Adadelta: g′ = g + weight_decay·w;
 *   sq = rho·sq + (1 − rho)·g′²; Δ = √(acc + eps) / √(sq + eps)·g′;
 *   acc = rho·acc + (1 − rho)·Δ²; w −= lr·Δ.
 * sgd_rows, adam_rows, adadelta_rows: ids outside [0, w's rows) are
 *   skipped; g, velocity, m, v, sq and acc are shaped like w.
 * sum_squares: sum[0] = Σ x² (overwritten).
 * lstm_cell: with gates' rows (i, f, g, o), i, f, o = σ(·), g = tanh(·)
 *   (stored back into gates), c = f⊙c_prev + i⊙g, h = o⊙tanh(c); c_prev,
 *   c and h are batch×hidden blocks from their offsets.
 * lstm_cell_backward: from the saved gates, c_prev and c, the gradient dh
 *   on h and dc on c from later steps: d_gates (pre-activation) and
 *   dc_prev = (dc + dh⊙o⊙tanh′(c))⊙f; dc_prev may be the same block as dc.
 * lstm_forward: for each step t, each of its rows r (sequence b, whose row
 *   at step t − 1 is p): h_prev[r] = h[p] (zeros at t = 0), gates[r] +=
 *   h_prev[r]·W_hh, then lstm_cell on the row with c_prev = c[p] (zeros at
 *   t = 0), into c[r] and h[r].  R = Σ active; gates R×4H, c, h, h_prev R×H.
 * lstm_backward: from the last step to the first, lstm_cell_backward on
 *   each row with dh[r] and the cell gradient from the sequence's next step
 *   (zero at its last), into d_gates[r]; then dh[p] += d_gates[r]·W_hhᵀ.
 *   dh comes in with the gradients from above the layer and leaves with
 *   the recurrent ones added.
 * gru_forward: PyTorch's GRU, row by row like lstm_forward: gates r, z
 *   and n come in with the rows' input shares (x·W_i* + b_*); hn[r] =
 *   h_prev[r]·W_hn + b_hn; r = σ(r + h_prev·W_hr), z = σ(z + h_prev·W_hz),
 *   n = tanh(n + r⊙hn), h = n + z⊙(h_prev − n); the activations stay in
 *   the gates.
 * gru_backward: from the last step to the first, from dh[r]: the gates'
 *   pre-activation gradients (d_gates r, z, n), hn's (d_hn), and dh[p] +=
 *   dh[r]⊙z + Σ d_gate·W_h*ᵀ (d_hn for W_hn).  dh as in lstm_backward.
 * convert: n elements from the start of src to the start of dst.
 */
#pragma once

#include "compute/wl-backend.h"

G_BEGIN_DECLS

/* The elements a gemm operand spans from its offset: op(X) is @rows ×
 * @cols, stored transposed when @trans, rows @ld apart; rows, cols ≥ 1. */
static inline gsize
wl_gemm_extent (gboolean trans,
                gsize    rows,
                gsize    cols,
                gsize    ld)
{
  return ((trans ? cols : rows) - 1) * ld + (trans ? rows : cols);
}

void   wl_op_gemm              (WlBackend *backend, gboolean trans_a, gboolean trans_b,
                                gsize m, gsize n, gsize k, float alpha,
                                const WlBuffer *a, gsize a_offset, gsize lda,
                                const WlBuffer *b, gsize b_offset, gsize ldb,
                                float beta, WlBuffer *c, gsize c_offset, gsize ldc);
void   wl_op_gemm_batched      (WlBackend *backend, gboolean trans_a, gboolean trans_b,
                                gsize m, gsize n, gsize k, float alpha,
                                const WlBuffer *a, gsize a_stride, gsize lda,
                                const WlBuffer *b, gsize b_stride, gsize ldb,
                                float beta, WlBuffer *c, gsize c_stride, gsize ldc,
                                gsize count);
/* Returns FALSE, doing nothing, when @backend has no gemm_i8 (OpenCL):
 * the caller then multiplies by fp32 tiles of Q. */
gboolean wl_op_gemm_i8         (WlBackend *backend, gsize m, gsize n, gsize k,
                                const WlBuffer *x, gsize x_offset, gsize ldx,
                                const gint8 *q, gsize ldq, const float *scale,
                                float beta, WlBuffer *c, gsize c_offset, gsize ldc);
void   wl_op_fill              (WlBackend *backend, WlBuffer *x, gsize offset, gsize n,
                                float value);
void   wl_op_copy              (WlBackend *backend, const WlBuffer *src, gsize src_offset,
                                WlBuffer *dst, gsize dst_offset, gsize n);
void   wl_op_axpby             (WlBackend *backend, gsize n, float alpha, const WlBuffer *x,
                                float beta, WlBuffer *y);
void   wl_op_mul               (WlBackend *backend, gsize n, const WlBuffer *x, WlBuffer *y);
void   wl_op_unary             (WlBackend *backend, WlUnaryOp op, gsize n, const WlBuffer *x,
                                WlBuffer *y);
void   wl_op_unary_backward    (WlBackend *backend, WlUnaryOp op, gsize n, const WlBuffer *y,
                                const WlBuffer *dy, WlBuffer *dx);
void   wl_op_add_bias          (WlBackend *backend, gsize rows, gsize cols, WlBuffer *x,
                                const WlBuffer *bias);
void   wl_op_sum_rows          (WlBackend *backend, gsize rows, gsize cols, const WlBuffer *x,
                                WlBuffer *sum, gboolean accumulate);
void   wl_op_gather            (WlBackend *backend, gsize n, gsize dim, const WlBuffer *table,
                                const WlBuffer *ids, WlBuffer *out);
void   wl_op_scatter_add       (WlBackend *backend, gsize n, gsize dim, const WlBuffer *d_out,
                                const WlBuffer *ids, WlBuffer *grad);
void   wl_op_softmax_xent      (WlBackend *backend, gsize rows, gsize cols,
                                const WlBuffer *logits, const WlBuffer *labels, float scale,
                                WlBuffer *probs, WlBuffer *d_logits, WlBuffer *loss);
void   wl_op_dropout           (WlBackend *backend, gsize n, float p, guint64 seed,
                                WlBuffer *x, WlBuffer *mask);
void   wl_op_im2col            (WlBackend *backend, gsize batch, gsize time, gsize channels,
                                gsize width, const WlBuffer *x, WlBuffer *cols);
void   wl_op_col2im            (WlBackend *backend, gsize batch, gsize time, gsize channels,
                                gsize width, const WlBuffer *d_cols, WlBuffer *dx);
void   wl_op_max_over_time     (WlBackend *backend, gsize batch, gsize time, gsize channels,
                                const WlBuffer *x, const WlBuffer *lengths, WlBuffer *y,
                                WlBuffer *argmax);
void   wl_op_max_over_time_backward (WlBackend *backend, gsize batch, gsize time,
                                     gsize channels, const WlBuffer *dy,
                                     const WlBuffer *argmax, WlBuffer *dx);
void   wl_op_conv_max_backward (WlBackend *backend, gsize batch, gsize time, gsize channels,
                                gsize width, gsize filters, const WlBuffer *x,
                                const WlBuffer *w, const WlBuffer *argmax, const WlBuffer *dy,
                                WlBuffer *dw, WlBuffer *dx);
void   wl_op_sgd_step          (WlBackend *backend, gsize n, WlBuffer *w, const WlBuffer *g,
                                WlBuffer *velocity, float lr, float momentum,
                                float weight_decay);
void   wl_op_adam_step         (WlBackend *backend, gsize n, WlBuffer *w, const WlBuffer *g,
                                WlBuffer *m, WlBuffer *v, float lr, float beta1, float beta2,
                                float eps, float weight_decay, gboolean decoupled,
                                guint64 step);
void   wl_op_adadelta_step     (WlBackend *backend, gsize n, WlBuffer *w, const WlBuffer *g,
                                WlBuffer *sq, WlBuffer *acc, float lr, float rho, float eps,
                                float weight_decay);
void   wl_op_sgd_rows          (WlBackend *backend, gsize n, gsize dim, const WlBuffer *ids,
                                WlBuffer *w, WlBuffer *g, WlBuffer *velocity, float grad_scale,
                                float lr, float momentum, float weight_decay);
void   wl_op_adam_rows         (WlBackend *backend, gsize n, gsize dim, const WlBuffer *ids,
                                WlBuffer *w, WlBuffer *g, WlBuffer *m, WlBuffer *v,
                                float grad_scale, float lr, float beta1, float beta2, float eps,
                                float weight_decay, gboolean decoupled, guint64 step);
void   wl_op_adadelta_rows     (WlBackend *backend, gsize n, gsize dim, const WlBuffer *ids,
                                WlBuffer *w, WlBuffer *g, WlBuffer *sq, WlBuffer *acc,
                                float grad_scale, float lr, float rho, float eps,
                                float weight_decay);
void   wl_op_sum_squares       (WlBackend *backend, gsize n, const WlBuffer *x, WlBuffer *sum);
void   wl_op_lstm_cell         (WlBackend *backend, gsize batch, gsize hidden, WlBuffer *gates,
                                const WlBuffer *c_prev, gsize c_prev_offset, WlBuffer *c,
                                gsize c_offset, WlBuffer *h, gsize h_offset);
void   wl_op_lstm_cell_backward (WlBackend *backend, gsize batch, gsize hidden,
                                 const WlBuffer *gates, const WlBuffer *c_prev,
                                 gsize c_prev_offset, const WlBuffer *c, gsize c_offset,
                                 const WlBuffer *dh, gsize dh_offset, WlBuffer *dc,
                                 gsize dc_offset, WlBuffer *d_gates, WlBuffer *dc_prev,
                                 gsize dc_prev_offset);
void   wl_op_lstm_forward      (WlBackend *backend, gsize steps, const gsize *active,
                                gsize hidden, const WlBuffer *w_hh, WlBuffer *gates,
                                WlBuffer *c, WlBuffer *h, WlBuffer *h_prev);
void   wl_op_lstm_backward     (WlBackend *backend, gsize steps, const gsize *active,
                                gsize hidden, const WlBuffer *w_hh, const WlBuffer *gates,
                                const WlBuffer *c, WlBuffer *dh, WlBuffer *d_gates);
void   wl_op_gru_forward       (WlBackend *backend, gsize steps, const gsize *active,
                                gsize hidden, const WlBuffer * const *w_hh,
                                const WlBuffer *b_hn, WlBuffer * const *gates, WlBuffer *hn,
                                WlBuffer *h, WlBuffer *h_prev);
void   wl_op_gru_backward      (WlBackend *backend, gsize steps, const gsize *active,
                                gsize hidden, const WlBuffer * const *w_hh,
                                const WlBuffer * const *gates, const WlBuffer *hn,
                                const WlBuffer *h_prev, WlBuffer *dh,
                                WlBuffer * const *d_gates, WlBuffer *d_hn);
void   wl_op_convert           (WlBackend *backend, gsize n, const WlBuffer *src, WlBuffer *dst);

G_END_DECLS
