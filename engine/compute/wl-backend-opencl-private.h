/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-opencl-private.h: what the files of the OpenCL backend share.
 *
 *   wl-backend-opencl-device.c   platforms, devices, their properties, error names
 *   wl-backend-opencl-program.c  per-device context, tuning table, program cache
 *   wl-backend-opencl-queue.c    queue, buffers, sticky errors, profiling, launches
 *   wl-backend-opencl-gemm.c     gemm and gemm_batched
 *   wl-backend-opencl-ops.c      elementwise, embedding, softmax, dropout, convert
 *   wl-backend-opencl-nn.c       convolution, pooling, optimisers, LSTM cell
 *   wl-backend-opencl.c          the class: open, close and the vtable
 */
#pragma once

#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>

#include "compute/wl-backend-opencl.h"
#include "compute/wl-backend-private.h"

G_BEGIN_DECLS

/* Tuning values of one kind of device; see the table in
 * wl-backend-opencl-program.c and the comments in kernels/gemm.cl. */
typedef struct
{
  guint gemm_vw;                     /* CPUs: vector width of gemm_vector; 0: tiles */
  guint gemm_tm, gemm_tn, gemm_tk;   /* tiles: C tile of a work-group, k step */
  guint gemm_wm, gemm_wn;            /* C block of a work-item (gemm_vector: WM × VW) */
  guint group_size;                  /* work-group of the 1-D kernels */
  guint reduce_groups;               /* partial sums of sum_squares */
} WlOpenclTuning;

/* One device, for the life of the process: its context and the programs
 * built for it (each kernels/NAME.cl once per device). */
typedef struct
{
  cl_platform_id        platform;
  cl_device_id          id;
  cl_context            context;
  char                 *name;
  gboolean              fp16;
  const WlOpenclTuning *tuning;
  char                 *options;     /* build options: tuning -D defines, fp16 */
  GHashTable           *programs;    /* file name → cl_program; under the cache lock */
} WlOpenclDevice;

typedef struct
{
  WlBackend       parent;
  WlOpenclDevice *device;
  cl_command_queue queue;            /* in order, with profiling */
  GHashTable     *kernels;           /* "file\nname" → cl_kernel */
  GError         *error;             /* the first failure since the last report */
  cl_int          injected;          /* tests: the next kernel launch fails with this */
  GPtrArray      *events;            /* finished or not, their times not read yet */
  double          busy_seconds;
  cl_mem          partials;          /* sum_squares: reduce_groups floats */
} WlOpenclBackend;

#define WL_OPENCL_BACKEND(backend) ((WlOpenclBackend *) (backend))
#define WL_OPENCL_MEM(buffer) ((cl_mem) (buffer)->data)

/* wl-backend-opencl-device.c */
const char   *wl_opencl_error_name        (cl_int             code);
GPtrArray    *wl_opencl_list_devices      (GError           **error);
gboolean      wl_opencl_find_device       (const char        *device_id,
                                           cl_platform_id    *platform,
                                           cl_device_id      *device,
                                           GError           **error);
char         *wl_opencl_device_string     (cl_device_id       device,
                                           cl_device_info     param);
gboolean      wl_opencl_device_has_extension (cl_device_id    device,
                                              const char     *extension);

/* wl-backend-opencl-program.c */
WlOpenclDevice *wl_opencl_device_get      (const char        *device_id,
                                           GError           **error);
cl_program    wl_opencl_program_get       (WlOpenclDevice    *device,
                                           const char        *file,
                                           GError           **error);
guint         wl_opencl_program_build_count (void);

/* wl-backend-opencl-queue.c: tests make the next kernel launch fail */
void          wl_opencl_inject_error      (WlBackend         *backend,
                                           cl_int             status);

/* A kernel launch: begin, the arguments in order, run. */
typedef struct
{
  WlOpenclBackend *backend;
  cl_kernel        kernel;
  const char      *name;
  cl_uint          index;
  cl_int           status;
} WlOpenclCall;

gboolean      wl_opencl_call_begin        (WlOpenclCall      *call,
                                           WlOpenclBackend   *backend,
                                           const char        *file,
                                           const char        *name);
void          wl_opencl_arg_buffer        (WlOpenclCall      *call,
                                           const WlBuffer    *buffer);
void          wl_opencl_arg_mem           (WlOpenclCall      *call,
                                           cl_mem             mem);
void          wl_opencl_arg_u32           (WlOpenclCall      *call,
                                           gsize              value);
void          wl_opencl_arg_u64           (WlOpenclCall      *call,
                                           guint64            value);
void          wl_opencl_arg_i32           (WlOpenclCall      *call,
                                           gint32             value);
void          wl_opencl_arg_f32           (WlOpenclCall      *call,
                                           float              value);
void          wl_opencl_call_run          (WlOpenclCall      *call,
                                           guint              dims,
                                           const gsize       *global,
                                           const gsize       *local);
void          wl_opencl_call_run_1d       (WlOpenclCall      *call,
                                           gsize              n);

/* wl-backend-opencl-queue.c: the class members */
gboolean      wl_opencl_buffer_init       (WlBackend *backend, WlBuffer *buffer, GError **error);
void          wl_opencl_buffer_clear      (WlBackend *backend, WlBuffer *buffer);
gboolean      wl_opencl_write             (WlBackend *backend, WlBuffer *dst, gsize offset,
                                           const void *src, gsize n, GError **error);
gboolean      wl_opencl_read              (WlBackend *backend, const WlBuffer *src, gsize offset,
                                           void *dst, gsize n, GError **error);
gboolean      wl_opencl_finish            (WlBackend *backend, GError **error);
double        wl_opencl_take_busy_seconds (WlBackend *backend);
void          wl_opencl_fill              (WlBackend *backend, WlBuffer *x, gsize offset,
                                           gsize n, float value);
void          wl_opencl_copy              (WlBackend *backend, const WlBuffer *src,
                                           gsize src_offset, WlBuffer *dst, gsize dst_offset,
                                           gsize n);

/* wl-backend-opencl-gemm.c */
void wl_opencl_gemm         (WlBackend *backend, gboolean trans_a, gboolean trans_b,
                             gsize m, gsize n, gsize k, float alpha,
                             const WlBuffer *a, gsize a_offset, gsize lda,
                             const WlBuffer *b, gsize b_offset, gsize ldb,
                             float beta, WlBuffer *c, gsize c_offset, gsize ldc);
void wl_opencl_gemm_batched (WlBackend *backend, gboolean trans_a, gboolean trans_b,
                             gsize m, gsize n, gsize k, float alpha,
                             const WlBuffer *a, gsize a_stride, gsize lda,
                             const WlBuffer *b, gsize b_stride, gsize ldb,
                             float beta, WlBuffer *c, gsize c_stride, gsize ldc,
                             gsize count);

/* wl-backend-opencl-ops.c */
void wl_opencl_axpby        (WlBackend *backend, gsize n, float alpha, const WlBuffer *x,
                             float beta, WlBuffer *y);
void wl_opencl_mul          (WlBackend *backend, gsize n, const WlBuffer *x, WlBuffer *y);
void wl_opencl_unary        (WlBackend *backend, WlUnaryOp op, gsize n, const WlBuffer *x,
                             WlBuffer *y);
void wl_opencl_unary_backward (WlBackend *backend, WlUnaryOp op, gsize n, const WlBuffer *y,
                               const WlBuffer *dy, WlBuffer *dx);
void wl_opencl_add_bias     (WlBackend *backend, gsize rows, gsize cols, WlBuffer *x,
                             const WlBuffer *bias);
void wl_opencl_sum_rows     (WlBackend *backend, gsize rows, gsize cols, const WlBuffer *x,
                             WlBuffer *sum, gboolean accumulate);
void wl_opencl_gather       (WlBackend *backend, gsize n, gsize dim, const WlBuffer *table,
                             const WlBuffer *ids, WlBuffer *out);
void wl_opencl_scatter_add  (WlBackend *backend, gsize n, gsize dim, const WlBuffer *d_out,
                             const WlBuffer *ids, WlBuffer *grad);
void wl_opencl_softmax_xent (WlBackend *backend, gsize rows, gsize cols,
                             const WlBuffer *logits, const WlBuffer *labels, float scale,
                             WlBuffer *probs, WlBuffer *d_logits, WlBuffer *loss);
void wl_opencl_dropout      (WlBackend *backend, gsize n, float p, guint64 seed,
                             WlBuffer *x, WlBuffer *mask);
void wl_opencl_convert      (WlBackend *backend, gsize n, const WlBuffer *src, WlBuffer *dst);

/* wl-backend-opencl-nn.c */
void wl_opencl_im2col       (WlBackend *backend, gsize batch, gsize time, gsize channels,
                             gsize width, const WlBuffer *x, WlBuffer *cols);
void wl_opencl_col2im       (WlBackend *backend, gsize batch, gsize time, gsize channels,
                             gsize width, const WlBuffer *d_cols, WlBuffer *dx);
void wl_opencl_max_over_time (WlBackend *backend, gsize batch, gsize time, gsize channels,
                              const WlBuffer *x, const WlBuffer *lengths, WlBuffer *y,
                              WlBuffer *argmax);
void wl_opencl_max_over_time_backward (WlBackend *backend, gsize batch, gsize time,
                                       gsize channels, const WlBuffer *dy,
                                       const WlBuffer *argmax, WlBuffer *dx);
void wl_opencl_conv_max_backward (WlBackend *backend, gsize batch, gsize time, gsize channels,
                                  gsize width, gsize filters, const WlBuffer *x,
                                  const WlBuffer *w, const WlBuffer *argmax,
                                  const WlBuffer *dy, WlBuffer *dw, WlBuffer *dx);
void wl_opencl_sgd_step     (WlBackend *backend, gsize n, WlBuffer *w, const WlBuffer *g,
                             WlBuffer *velocity, float lr, float momentum, float weight_decay);
void wl_opencl_adam_step    (WlBackend *backend, gsize n, WlBuffer *w, const WlBuffer *g,
                             WlBuffer *m, WlBuffer *v, float lr, float beta1, float beta2,
                             float eps, float weight_decay, gboolean decoupled, guint64 step);
void wl_opencl_adadelta_step (WlBackend *backend, gsize n, WlBuffer *w, const WlBuffer *g,
                              WlBuffer *sq, WlBuffer *acc, float lr, float rho, float eps,
                              float weight_decay);
void wl_opencl_sgd_rows     (WlBackend *backend, gsize n, gsize dim, const WlBuffer *ids,
                             WlBuffer *w, WlBuffer *g, WlBuffer *velocity, float grad_scale,
                             float lr, float momentum, float weight_decay);
void wl_opencl_adam_rows    (WlBackend *backend, gsize n, gsize dim, const WlBuffer *ids,
                             WlBuffer *w, WlBuffer *g, WlBuffer *m, WlBuffer *v,
                             float grad_scale, float lr, float beta1, float beta2, float eps,
                             float weight_decay, gboolean decoupled, guint64 step);
void wl_opencl_adadelta_rows (WlBackend *backend, gsize n, gsize dim, const WlBuffer *ids,
                              WlBuffer *w, WlBuffer *g, WlBuffer *sq, WlBuffer *acc,
                              float grad_scale, float lr, float rho, float eps,
                              float weight_decay);
void wl_opencl_sum_squares  (WlBackend *backend, gsize n, const WlBuffer *x, WlBuffer *sum);
void wl_opencl_lstm_cell    (WlBackend *backend, gsize batch, gsize hidden, WlBuffer *gates,
                             const WlBuffer *c_prev, gsize c_prev_offset, WlBuffer *c,
                             gsize c_offset, WlBuffer *h, gsize h_offset);
void wl_opencl_lstm_cell_backward (WlBackend *backend, gsize batch, gsize hidden,
                                   const WlBuffer *gates, const WlBuffer *c_prev,
                                   gsize c_prev_offset, const WlBuffer *c, gsize c_offset,
                                   const WlBuffer *dh, gsize dh_offset, WlBuffer *dc,
                                   gsize dc_offset, WlBuffer *d_gates, WlBuffer *dc_prev,
                                   gsize dc_prev_offset);

G_END_DECLS
