/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend.h: where the numbers are crunched: CPU, OpenBLAS or OpenCL.
 *
 * A backend is a small vtable (WlBackendClass) behind a handle (WlBackend).
 * Models allocate WlBuffers on a backend and call the wl_op_*() functions
 * of wl-ops.h; they never know which backend runs them.  A backend
 * implements what it can do well; the optional members left NULL fall back
 * to the dispatcher's defaults (wl-ops.c, wl-ops-host.c), which compose
 * them from required ops or run them on the host.
 *
 *   devices = wl_backend_list_devices (&notes);      every backend's devices
 *   be = wl_backend_open ("opencl:0:0", threads, &error);
 *   a = wl_buffer_new (be, WL_DTYPE_F32, n, &error);
 *   wl_buffer_write (a, 0, host, n, &error);
 *   wl_op_gemm (be, …);  …  wl_backend_finish (be, &error);
 *   wl_buffer_read (c, 0, host, n, &error);
 *
 * Conventions: matrices are row-major and dense; sizes are element counts
 * (not bytes); ops are queued in order on one stream, and results are only
 * guaranteed on the host after wl_buffer_read() or wl_backend_finish().
 * Ops take no GError: an op on a bad argument is a programming error
 * (g_return_if_fail); device failures are sticky and reported by the next
 * wl_backend_finish()/wl_buffer_read().
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  WL_DTYPE_F32,
  WL_DTYPE_F16,   /* IEEE half: storage and compute where the device has it */
  WL_DTYPE_BF16,  /* bfloat16 storage */
  WL_DTYPE_I32,
  WL_DTYPE_I8,    /* int8 rows with a fp32 scale each: model tensors for
                   * export and int8 prediction, never a backend buffer */
} WlDtype;

gsize       wl_dtype_size       (WlDtype dtype);
const char *wl_dtype_to_string  (WlDtype dtype);

typedef enum
{
  WL_DEVICE_CPU,
  WL_DEVICE_GPU,
  WL_DEVICE_ACCELERATOR,
  WL_DEVICE_OTHER,
} WlDeviceKind;

typedef struct
{
  char         *id;             /* what --device takes: "cpu", "blas", "opencl:P:D" */
  char         *backend;        /* "cpu", "blas", "opencl" */
  char         *name;
  char         *vendor;
  char         *version;        /* driver or library version */
  WlDeviceKind  kind;
  guint64       memory;         /* bytes; 0 when unknown */
  guint         compute_units;  /* cores, or OpenCL compute units */
  gboolean      fp16;
  gboolean      bf16;
  gboolean      half_emulated;  /* fp16/bf16 only stored: every op converts them to
                                 * f32 (the CPU), so they are slower than fp32 */
} WlDeviceInfo;

void          wl_device_info_free      (WlDeviceInfo *info);

typedef struct _WlBackend WlBackend;
typedef struct _WlBackendClass WlBackendClass;
typedef struct _WlBuffer WlBuffer;

typedef enum
{
  WL_UNARY_TANH,
  WL_UNARY_SIGMOID,
  WL_UNARY_RELU,
} WlUnaryOp;

/* Every backend starts its handle with this.  A class's open() returns a
 * zeroed handle; wl_backend_open() then sets klass, device (its own copy,
 * freed after close()) and n_threads, so backends leave them alone. */
struct _WlBackend
{
  const WlBackendClass *klass;
  WlDeviceInfo         *device;
  guint                 n_threads;
  GError               *error;   /* the dispatcher's sticky failure (host defaults) */
};

struct _WlBuffer
{
  WlBackend *backend;
  WlDtype    dtype;
  gsize      n;          /* elements */
  gpointer   data;       /* host pointer (cpu, blas) or the backend's handle */
};

/* The vtable.  "Required" members must be set; the others may be NULL. */
struct _WlBackendClass
{
  const char *name;

  /* Required: devices, lifetime, memory */
  GPtrArray *(*list_devices) (GError **error);  /* of WlDeviceInfo */
  WlBackend *(*open)         (const WlDeviceInfo *device, guint n_threads, GError **error);
  void       (*close)        (WlBackend *backend);
  gboolean   (*buffer_init)  (WlBackend *backend, WlBuffer *buffer, GError **error);
  void       (*buffer_clear) (WlBackend *backend, WlBuffer *buffer);
  gboolean   (*write)        (WlBackend *backend, WlBuffer *dst, gsize offset, const void *src, gsize n, GError **error);
  gboolean   (*read)         (WlBackend *backend, const WlBuffer *src, gsize offset, void *dst, gsize n, GError **error);
  gboolean   (*finish)       (WlBackend *backend, GError **error);
  /* Whether buffers hold host memory that ops have finished with as soon
   * as they return (cpu, blas): wl_buffer_host_f32() then gives it. */
  gboolean   host_memory;

  /* Required: C[M×N] = alpha · op(A) · op(B) + beta · C, row-major; op
   * transposes when trans_* is set; offsets are in elements. */
  void (*gemm) (WlBackend *backend, gboolean trans_a, gboolean trans_b,
                gsize m, gsize n, gsize k, float alpha,
                const WlBuffer *a, gsize a_offset, gsize lda,
                const WlBuffer *b, gsize b_offset, gsize ldb,
                float beta, WlBuffer *c, gsize c_offset, gsize ldc);

  /* Optional (default: a loop of gemm). @count products; each operand
   * advances by its stride (elements) from one product to the next. */
  void (*gemm_batched) (WlBackend *backend, gboolean trans_a, gboolean trans_b,
                        gsize m, gsize n, gsize k, float alpha,
                        const WlBuffer *a, gsize a_stride, gsize lda,
                        const WlBuffer *b, gsize b_stride, gsize ldb,
                        float beta, WlBuffer *c, gsize c_stride, gsize ldc,
                        gsize count);

  /* Optional (default: none, wl_op_gemm_i8() says so): C[M×N] = X[M×K] ·
   * (Q[K×N] · diag(scale)) + beta · C, with Q int8 and scale[N] host
   * arrays (weight-only int8, see wl-int8-gemm.h).  The host backends
   * have it; a device backend leaves it to the caller, who multiplies by
   * tiles of the weights turned into fp32. */
  void (*gemm_i8) (WlBackend *backend, gsize m, gsize n, gsize k,
                   const WlBuffer *x, gsize x_offset, gsize ldx,
                   const gint8 *q, gsize ldq, const float *scale,
                   float beta, WlBuffer *c, gsize c_offset, gsize ldc);

  /* Required elementwise and row ops (all f32 unless said otherwise). */
  void (*fill)        (WlBackend *backend, WlBuffer *x, gsize offset, gsize n, float value);
  void (*copy)        (WlBackend *backend, const WlBuffer *src, gsize src_offset,
                       WlBuffer *dst, gsize dst_offset, gsize n);
  /* y = alpha · x + beta · y */
  void (*axpby)       (WlBackend *backend, gsize n, float alpha, const WlBuffer *x,
                       float beta, WlBuffer *y);
  /* y = x ⊙ y (elementwise product) */
  void (*mul)         (WlBackend *backend, gsize n, const WlBuffer *x, WlBuffer *y);
  void (*unary)       (WlBackend *backend, WlUnaryOp op, gsize n, const WlBuffer *x, WlBuffer *y);
  /* dx = dy ⊙ f'(·), from the forward output @y (tanh, sigmoid) or input (relu: y = output works too) */
  void (*unary_backward) (WlBackend *backend, WlUnaryOp op, gsize n, const WlBuffer *y,
                          const WlBuffer *dy, WlBuffer *dx);
  /* x[rows×cols] += bias[cols] on every row */
  void (*add_bias)    (WlBackend *backend, gsize rows, gsize cols, WlBuffer *x, const WlBuffer *bias);
  /* sum[cols] (+)= Σ_rows x[rows×cols]; @accumulate keeps what sum held */
  void (*sum_rows)    (WlBackend *backend, gsize rows, gsize cols, const WlBuffer *x,
                       WlBuffer *sum, gboolean accumulate);

  /* Required: embeddings.  out[i×dim] = table[ids[i]×dim] (ids: I32 buffer) */
  void (*gather)      (WlBackend *backend, gsize n, gsize dim, const WlBuffer *table,
                       const WlBuffer *ids, WlBuffer *out);
  /* grad[ids[i]×dim] += d_out[i×dim]; repeated ids add up */
  void (*scatter_add) (WlBackend *backend, gsize n, gsize dim, const WlBuffer *d_out,
                       const WlBuffer *ids, WlBuffer *grad);

  /* Required: softmax cross-entropy over rows of logits[rows×cols]:
   * probs = softmax(logits); d_logits = (probs − onehot(labels)) · scale;
   * loss[row] = −log probs[label].  labels: I32; d_logits/loss may be NULL. */
  void (*softmax_xent) (WlBackend *backend, gsize rows, gsize cols, const WlBuffer *logits,
                        const WlBuffer *labels, float scale, WlBuffer *probs,
                        WlBuffer *d_logits, WlBuffer *loss);

  /* Required: dropout with keep probability 1 − p; mask (f32, 0 or 1/(1−p))
   * drawn from (seed, index), so every backend draws the same mask. */
  void (*dropout)     (WlBackend *backend, gsize n, float p, guint64 seed,
                       WlBuffer *x, WlBuffer *mask);

  /* Required: 1-D convolution parts.  im2col: x[batch×time×channels] →
   * cols[batch×out_time×(width·channels)], out_time = time − width + 1;
   * col2im adds the columns' gradients back. */
  void (*im2col)      (WlBackend *backend, gsize batch, gsize time, gsize channels, gsize width,
                       const WlBuffer *x, WlBuffer *cols);
  void (*col2im)      (WlBackend *backend, gsize batch, gsize time, gsize channels, gsize width,
                       const WlBuffer *d_cols, WlBuffer *dx);
  /* Max over time: x[batch×time×channels] → y[batch×channels], argmax (I32);
   * @lengths (I32, may be NULL) limits each sequence's time steps. */
  void (*max_over_time) (WlBackend *backend, gsize batch, gsize time, gsize channels,
                         const WlBuffer *x, const WlBuffer *lengths, WlBuffer *y, WlBuffer *argmax);
  void (*max_over_time_backward) (WlBackend *backend, gsize batch, gsize time, gsize channels,
                                  const WlBuffer *dy, const WlBuffer *argmax, WlBuffer *dx);
  /* Required: the gradients of a convolution (im2col, then a product with
   * w[(width·channels)×filters]) whose outputs are maxed over time, from
   * the pooled gradient dy[batch×filters] alone: only the window at a
   * filter's argmax step (argmax[batch×filters], I32) gets a gradient, so
   * this costs a time-th of the two products.  Adds into dw and dx. */
  void (*conv_max_backward) (WlBackend *backend, gsize batch, gsize time, gsize channels,
                             gsize width, gsize filters, const WlBuffer *x, const WlBuffer *w,
                             const WlBuffer *argmax, const WlBuffer *dy, WlBuffer *dw,
                             WlBuffer *dx);

  /* Required: optimiser steps on n weights (f32 master weights). */
  void (*sgd_step)    (WlBackend *backend, gsize n, WlBuffer *w, const WlBuffer *g,
                       WlBuffer *velocity, float lr, float momentum, float weight_decay);
  /* Adam; @decoupled selects AdamW's weight decay; @step is 1-based. */
  void (*adam_step)   (WlBackend *backend, gsize n, WlBuffer *w, const WlBuffer *g,
                       WlBuffer *m, WlBuffer *v, float lr, float beta1, float beta2,
                       float eps, float weight_decay, gboolean decoupled, guint64 step);
  /* Adadelta; @sq and @acc are its averages of squared gradients and steps. */
  void (*adadelta_step) (WlBackend *backend, gsize n, WlBuffer *w, const WlBuffer *g,
                         WlBuffer *sq, WlBuffer *acc, float lr, float rho, float eps,
                         float weight_decay);
  /* The same steps on the @n rows @ids (I32, distinct) of tables of rows
   * of @dim, their gradients times @grad_scale; the step sets those rows'
   * gradients to zero.  For embedding tables, of which a batch touches a
   * few rows: the others keep their values and state (PyTorch's
   * SparseAdam). */
  void (*sgd_rows)    (WlBackend *backend, gsize n, gsize dim, const WlBuffer *ids,
                       WlBuffer *w, WlBuffer *g, WlBuffer *velocity, float grad_scale,
                       float lr, float momentum, float weight_decay);
  void (*adam_rows)   (WlBackend *backend, gsize n, gsize dim, const WlBuffer *ids,
                       WlBuffer *w, WlBuffer *g, WlBuffer *m, WlBuffer *v, float grad_scale,
                       float lr, float beta1, float beta2, float eps, float weight_decay,
                       gboolean decoupled, guint64 step);
  void (*adadelta_rows) (WlBackend *backend, gsize n, gsize dim, const WlBuffer *ids,
                         WlBuffer *w, WlBuffer *g, WlBuffer *sq, WlBuffer *acc,
                         float grad_scale, float lr, float rho, float eps, float weight_decay);
  /* Σ g² into sum[0] (for gradient clipping and overflow checks) */
  void (*sum_squares) (WlBackend *backend, gsize n, const WlBuffer *x, WlBuffer *sum);

  /* Optional: fused recurrent cells (default: composed from the ops above).
   * gates[batch×4H] (i, f, g, o pre-activations) → c, h; saves activations in gates. */
  void (*lstm_cell)   (WlBackend *backend, gsize batch, gsize hidden, WlBuffer *gates,
                       const WlBuffer *c_prev, gsize c_prev_offset, WlBuffer *c, gsize c_offset,
                       WlBuffer *h, gsize h_offset);
  void (*lstm_cell_backward) (WlBackend *backend, gsize batch, gsize hidden,
                              const WlBuffer *gates, const WlBuffer *c_prev, gsize c_prev_offset,
                              const WlBuffer *c, gsize c_offset, const WlBuffer *dh, gsize dh_offset,
                              WlBuffer *dc, gsize dc_offset, WlBuffer *d_gates,
                              WlBuffer *dc_prev, gsize dc_prev_offset);

  /* Optional: an LSTM layer's whole time loop over a packed batch (default:
   * composed from gemm, copy, fill and lstm_cell).  Step t has @active[t]
   * rows (a host array that never grows) right after step t − 1's; a
   * sequence keeps its index within every step.  gates[R×4H] comes in with
   * each row's input share (x·W_ih + b); w_hh[H×4H] may be F16 or BF16.
   * See wl-ops.h. */
  void (*lstm_forward) (WlBackend *backend, gsize steps, const gsize *active, gsize hidden,
                        const WlBuffer *w_hh, WlBuffer *gates, WlBuffer *c, WlBuffer *h,
                        WlBuffer *h_prev);
  void (*lstm_backward) (WlBackend *backend, gsize steps, const gsize *active, gsize hidden,
                         const WlBuffer *w_hh, const WlBuffer *gates, const WlBuffer *c,
                         WlBuffer *dh, WlBuffer *d_gates);
  /* Optional: a GRU layer's time loop, likewise (default: composed from
   * gemm, copy, fill and the elementwise ops).  w_hh holds W_hr, W_hz and
   * W_hn (H×H each, any float dtype), gates r, z and n (R×H each), d_gates
   * their gradients; see wl-ops.h. */
  void (*gru_forward) (WlBackend *backend, gsize steps, const gsize *active, gsize hidden,
                       const WlBuffer * const *w_hh, const WlBuffer *b_hn,
                       WlBuffer * const *gates, WlBuffer *hn, WlBuffer *h, WlBuffer *h_prev);
  void (*gru_backward) (WlBackend *backend, gsize steps, const gsize *active, gsize hidden,
                        const WlBuffer * const *w_hh, const WlBuffer * const *gates,
                        const WlBuffer *hn, const WlBuffer *h_prev, WlBuffer *dh,
                        WlBuffer * const *d_gates, WlBuffer *d_hn);

  /* Optional: precision conversion (default: through the host). */
  void (*convert)     (WlBackend *backend, gsize n, const WlBuffer *src, WlBuffer *dst);

  /* Optional: time spent computing on the device since the last call, in
   * seconds (OpenCL profiling events); the monitor's "device busy". */
  double (*take_busy_seconds) (WlBackend *backend);
};

/* Devices and backends.  wl_backend_list_devices() gives every backend's
 * devices, the cpu reference included (for the tests that check the others
 * against it); wl_backend_list_training_devices() gives what a user picks
 * from: the CPU once (id "cpu": OpenBLAS products on the engine's threads,
 * which the neural models store as "blas"; the reference itself when
 * OpenBLAS cannot be loaded), then the OpenCL devices. */
GPtrArray        *wl_backend_list_devices  (GPtrArray       **notes);
GPtrArray        *wl_backend_list_training_devices (GPtrArray **notes);
/* The device @device_id names, as wl_backend_open() picks it: an exact id
 * ("opencl:0:1"), or a backend's name ("opencl") for its first GPU, else
 * its first device.  Fails, listing the devices here, when none is. */
WlDeviceInfo     *wl_backend_find_device   (const char       *device_id,
                                            GError          **error);
WlBackend        *wl_backend_open          (const char       *device_id,
                                            guint             n_threads,
                                            GError          **error);
void              wl_backend_close         (WlBackend        *backend);
gboolean          wl_backend_finish        (WlBackend        *backend,
                                            GError          **error);
double            wl_backend_take_busy_seconds (WlBackend    *backend);
/* Whether the backend measures its device's busy time (take_busy_seconds
 * gives 0 on one that does not). */
gboolean          wl_backend_measures_busy (WlBackend        *backend);

/* Buffers */
WlBuffer         *wl_buffer_new            (WlBackend        *backend,
                                            WlDtype           dtype,
                                            gsize             n,
                                            GError          **error);
void              wl_buffer_free           (WlBuffer         *buffer);
gboolean          wl_buffer_write          (WlBuffer         *dst,
                                            gsize             offset,
                                            const void       *src,
                                            gsize             n,
                                            GError          **error);
gboolean          wl_buffer_read           (const WlBuffer   *src,
                                            gsize             offset,
                                            void             *dst,
                                            gsize             n,
                                            GError          **error);

/* The F32 elements [offset, offset + n) of @buffer in place, to fill or
 * read on the host without a copy, where the backend's buffers are host
 * memory (host_memory); NULL elsewhere (OpenCL): use wl_buffer_write()
 * and wl_buffer_read() then. */
float            *wl_buffer_host_f32       (WlBuffer         *buffer,
                                            gsize             offset,
                                            gsize             n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlDeviceInfo, wl_device_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlBackend, wl_backend_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlBuffer, wl_buffer_free)

G_END_DECLS
