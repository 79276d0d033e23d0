/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-blas-ops.c: the host ops the blas backend splits among its
 * threads.
 *
 * Once the products run on every core, what is left on one thread shows:
 * clearing a layer's gradients, the embeddings' gather and scatter, the
 * bias sums, Adam on the rows a batch touched.  Each op here cuts its work
 * into one block per thread and runs the cpu backend's loop on every block
 * (rows of the output, or columns where the rows add up into one place),
 * so the results are the cpu backend's, bit for bit.  Small ops run at
 * once: waking a thread costs a few microseconds.
 */
#include "config.h"

#include "compute/wl-backend-blas-private.h"
#include "exec/wl-parallel.h"

/* Below this many elements touched an op stays on the calling thread. */
#define PARALLEL_MIN_WORK (1 << 17)

typedef void (*RangeFunc) (gpointer data,
                           gsize    begin,
                           gsize    end);

typedef struct
{
  RangeFunc func;
  gpointer  data;
  gsize     n;
  gsize     block;
} Blocks;

static void
run_blocks (gsize    begin,
            gsize    end,
            gpointer user_data,
            guint    worker)
{
  const Blocks *blocks = user_data;

  for (gsize i = begin; i < end; i++)
    blocks->func (blocks->data, i * blocks->block, MIN ((i + 1) * blocks->block, blocks->n));
}

/* Runs @func over the items [0, @n), one block per thread when they touch
 * enough elements (@cost each). */
static void
split (WlBackend *backend,
       gsize      n,
       gsize      cost,
       RangeFunc  func,
       gpointer   data)
{
  guint threads = wl_parallel_resolve_threads (backend->n_threads);
  Blocks blocks = { func, data, n, 0 };

  if (threads < 2 || n < 2 || (double) n * (double) cost < PARALLEL_MIN_WORK)
    {
      func (data, 0, n);
      return;
    }
  threads = (guint) MIN ((gsize) threads, n);
  blocks.block = (n + threads - 1) / threads;
  wl_parallel_for ((n + blocks.block - 1) / blocks.block, 1, threads, run_blocks, &blocks,
                   NULL, NULL);
}

/* Elements [offset, offset + n) of a host buffer, as a buffer of its own. */
static WlBuffer
view (const WlBuffer *buffer,
      gsize           offset,
      gsize           n)
{
  return (WlBuffer) { buffer->backend, buffer->dtype, n,
                      (char *) buffer->data + offset * wl_dtype_size (buffer->dtype) };
}

/* The arguments of the ops below, as their range functions see them. */
typedef struct
{
  WlBackend      *backend;
  gsize           dim;       /* row length */
  gsize           rows;
  float           value;
  gboolean        accumulate;
  const WlBuffer *ids;
  const WlBuffer *in;
  WlBuffer       *out;
  WlBuffer       *w;
  WlBuffer       *m;        /* Adam's m, Adadelta's sq */
  WlBuffer       *v;        /* Adam's v, Adadelta's acc */
  float           grad_scale;
  float           lr;
  float           beta1;
  float           beta2;
  float           rho;
  float           eps;
  float           weight_decay;
  gboolean        decoupled;
  guint64         step;
} Args;

static void
fill_range (gpointer data,
            gsize    begin,
            gsize    end)
{
  const Args *a = data;

  wl_cpu_fill (a->backend, a->out, a->rows + begin, end - begin, a->value);
}

void
wl_blas_fill (WlBackend *backend,
              WlBuffer  *x,
              gsize      offset,
              gsize      n,
              float      value)
{
  split (backend, n, 1, fill_range, &(Args) { .backend = backend, .out = x, .rows = offset,
                                              .value = value });
}

static void
add_bias_range (gpointer data,
                gsize    begin,
                gsize    end)
{
  const Args *a = data;
  WlBuffer part = view (a->out, begin * a->dim, (end - begin) * a->dim);

  wl_cpu_add_bias (a->backend, end - begin, a->dim, &part, a->in);
}

void
wl_blas_add_bias (WlBackend      *backend,
                  gsize           rows,
                  gsize           cols,
                  WlBuffer       *x,
                  const WlBuffer *bias)
{
  split (backend, rows, cols, add_bias_range,
         &(Args) { .backend = backend, .dim = cols, .out = x, .in = bias });
}

/* By columns: each thread adds up all the rows of its own columns. */
static void
sum_rows_range (gpointer data,
                gsize    begin,
                gsize    end)
{
  const Args *a = data;

  wl_cpu_sum_rows_columns (a->rows, a->dim, a->in, a->out, a->accumulate, begin, end - begin);
}

void
wl_blas_sum_rows (WlBackend      *backend,
                  gsize           rows,
                  gsize           cols,
                  const WlBuffer *x,
                  WlBuffer       *sum,
                  gboolean        accumulate)
{
  split (backend, cols, rows, sum_rows_range,
         &(Args) { .rows = rows, .dim = cols, .in = x, .out = sum, .accumulate = accumulate });
}

static void
gather_range (gpointer data,
              gsize    begin,
              gsize    end)
{
  const Args *a = data;
  WlBuffer ids = view (a->ids, begin, end - begin);
  WlBuffer out = view (a->out, begin * a->dim, (end - begin) * a->dim);

  wl_cpu_gather (a->backend, end - begin, a->dim, a->in, &ids, &out);
}

void
wl_blas_gather (WlBackend      *backend,
                gsize           n,
                gsize           dim,
                const WlBuffer *table,
                const WlBuffer *ids,
                WlBuffer       *out)
{
  split (backend, n, dim, gather_range,
         &(Args) { .backend = backend, .dim = dim, .in = table, .ids = ids, .out = out });
}

/* By columns, so that repeated ids never race. */
static void
scatter_add_range (gpointer data,
                   gsize    begin,
                   gsize    end)
{
  const Args *a = data;

  wl_cpu_scatter_add_columns (a->rows, a->dim, a->in, a->ids, a->out, begin, end - begin);
}

void
wl_blas_scatter_add (WlBackend      *backend,
                     gsize           n,
                     gsize           dim,
                     const WlBuffer *d_out,
                     const WlBuffer *ids,
                     WlBuffer       *grad)
{
  split (backend, dim, n, scatter_add_range,
         &(Args) { .rows = n, .dim = dim, .in = d_out, .ids = ids, .out = grad });
}

/* Adam touches four tables and does a division and a square root per
 * element: worth threads sooner than a copy. */
#define ADAM_COST 8

static void
adam_step_range (gpointer data,
                 gsize    begin,
                 gsize    end)
{
  const Args *a = data;
  WlBuffer w = view (a->w, begin, end - begin), g = view (a->in, begin, end - begin);
  WlBuffer m = view (a->m, begin, end - begin), v = view (a->v, begin, end - begin);

  wl_cpu_adam_step (a->backend, end - begin, &w, &g, &m, &v, a->lr, a->beta1, a->beta2,
                    a->eps, a->weight_decay, a->decoupled, a->step);
}

void
wl_blas_adam_step (WlBackend      *backend,
                   gsize           n,
                   WlBuffer       *w,
                   const WlBuffer *g,
                   WlBuffer       *m,
                   WlBuffer       *v,
                   float           lr,
                   float           beta1,
                   float           beta2,
                   float           eps,
                   float           weight_decay,
                   gboolean        decoupled,
                   guint64         step)
{
  split (backend, n, ADAM_COST, adam_step_range,
         &(Args) { .backend = backend, .w = w, .in = g, .m = m, .v = v, .lr = lr,
                   .beta1 = beta1, .beta2 = beta2, .eps = eps, .weight_decay = weight_decay,
                   .decoupled = decoupled, .step = step });
}

/* By ids, which are distinct: the threads' rows never overlap. */
static void
adam_rows_range (gpointer data,
                 gsize    begin,
                 gsize    end)
{
  const Args *a = data;
  WlBuffer ids = view (a->ids, begin, end - begin);

  wl_cpu_adam_rows (a->backend, end - begin, a->dim, &ids, a->w, a->out, a->m, a->v,
                    a->grad_scale, a->lr, a->beta1, a->beta2, a->eps, a->weight_decay,
                    a->decoupled, a->step);
}

void
wl_blas_adam_rows (WlBackend      *backend,
                   gsize           n,
                   gsize           dim,
                   const WlBuffer *ids,
                   WlBuffer       *w,
                   WlBuffer       *g,
                   WlBuffer       *m,
                   WlBuffer       *v,
                   float           grad_scale,
                   float           lr,
                   float           beta1,
                   float           beta2,
                   float           eps,
                   float           weight_decay,
                   gboolean        decoupled,
                   guint64         step)
{
  split (backend, n, dim * ADAM_COST, adam_rows_range,
         &(Args) { .backend = backend, .dim = dim, .ids = ids, .w = w, .out = g, .m = m,
                   .v = v, .grad_scale = grad_scale, .lr = lr, .beta1 = beta1,
                   .beta2 = beta2, .eps = eps, .weight_decay = weight_decay,
                   .decoupled = decoupled, .step = step });
}

/* Adadelta touches four tables and does two square roots and a division
 * per element. */
#define ADADELTA_COST 10

static void
adadelta_step_range (gpointer data,
                     gsize    begin,
                     gsize    end)
{
  const Args *a = data;
  WlBuffer w = view (a->w, begin, end - begin), g = view (a->in, begin, end - begin);
  WlBuffer sq = view (a->m, begin, end - begin), acc = view (a->v, begin, end - begin);

  wl_cpu_adadelta_step (a->backend, end - begin, &w, &g, &sq, &acc, a->lr, a->rho, a->eps,
                        a->weight_decay);
}

void
wl_blas_adadelta_step (WlBackend      *backend,
                       gsize           n,
                       WlBuffer       *w,
                       const WlBuffer *g,
                       WlBuffer       *sq,
                       WlBuffer       *acc,
                       float           lr,
                       float           rho,
                       float           eps,
                       float           weight_decay)
{
  split (backend, n, ADADELTA_COST, adadelta_step_range,
         &(Args) { .backend = backend, .w = w, .in = g, .m = sq, .v = acc, .lr = lr,
                   .rho = rho, .eps = eps, .weight_decay = weight_decay });
}

static void
adadelta_rows_range (gpointer data,
                     gsize    begin,
                     gsize    end)
{
  const Args *a = data;
  WlBuffer ids = view (a->ids, begin, end - begin);

  wl_cpu_adadelta_rows (a->backend, end - begin, a->dim, &ids, a->w, a->out, a->m, a->v,
                        a->grad_scale, a->lr, a->rho, a->eps, a->weight_decay);
}

void
wl_blas_adadelta_rows (WlBackend      *backend,
                       gsize           n,
                       gsize           dim,
                       const WlBuffer *ids,
                       WlBuffer       *w,
                       WlBuffer       *g,
                       WlBuffer       *sq,
                       WlBuffer       *acc,
                       float           grad_scale,
                       float           lr,
                       float           rho,
                       float           eps,
                       float           weight_decay)
{
  split (backend, n, dim * ADADELTA_COST, adadelta_rows_range,
         &(Args) { .backend = backend, .dim = dim, .ids = ids, .w = w, .out = g, .m = sq,
                   .v = acc, .grad_scale = grad_scale, .lr = lr, .rho = rho, .eps = eps,
                   .weight_decay = weight_decay });
}
