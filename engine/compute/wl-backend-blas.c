/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-blas.c: the host CPU with OpenBLAS for the matrix products;
 * every other op is the cpu backend's (host loops, vectorised).
 *
 * OpenBLAS runs single-threaded: the backend splits the large products
 * among its own threads (wl_parallel_for), and the recurrent time loops
 * (wl-backend-blas-rnn.c) run sequences on different threads, each making
 * small one-thread products.  OpenBLAS's own threads wait for each other
 * at every product, spinning: on a busy machine a descheduled one stalls
 * the others, and a time loop's many small products paid that at every
 * step.
 *
 * OpenBLAS is loaded when a blas backend is first wanted, not linked: it
 * starts a pool of spinning threads as soon as it is loaded, which would
 * tax every run of the models that never use it (linear, embedding-bag). */
#include "config.h"

#include <cblas.h>
#include <gmodule.h>
#include <glib/gi18n-lib.h>

#include "compute/wl-backend-blas-private.h"
#include "compute/wl-host.h"
#include "compute/wl-ops.h"
#include "exec/wl-parallel.h"
#include "wl-error.h"

#define OPENBLAS_LIBRARY "libopenblas.so.0"

/* Products of at least this many multiply-adds are split among the
 * backend's threads, in blocks of whole multiples of PARALLEL_ALIGN rows
 * (or columns); below, waking a thread costs more than it saves. */
#define PARALLEL_MIN_MACS (1 << 20)
#define PARALLEL_ALIGN    16

typedef void  (*SgemmFunc)      (enum CBLAS_ORDER, enum CBLAS_TRANSPOSE, enum CBLAS_TRANSPOSE,
                                 blasint, blasint, blasint, float, const float *, blasint,
                                 const float *, blasint, float, float *, blasint);
typedef void  (*SetThreadsFunc) (int);
typedef char *(*GetConfigFunc)  (void);

static struct
{
  SgemmFunc       sgemm;
  SetThreadsFunc  set_num_threads;
  GetConfigFunc   get_config;
  char           *failure;   /* why it could not be loaded */
} openblas;

static gboolean
load_openblas (GError **error)
{
  static gsize loaded;

  if (g_once_init_enter (&loaded))
    {
      GModule *module = g_module_open (OPENBLAS_LIBRARY, G_MODULE_BIND_LOCAL);

      if (module == NULL ||
          !g_module_symbol (module, "cblas_sgemm", (gpointer *) &openblas.sgemm) ||
          !g_module_symbol (module, "openblas_set_num_threads", (gpointer *) &openblas.set_num_threads) ||
          !g_module_symbol (module, "openblas_get_config", (gpointer *) &openblas.get_config))
        {
          openblas.sgemm = NULL;
          openblas.failure = g_strdup_printf (_("OpenBLAS could not be loaded (%s); install the "
                                                "libopenblas0 package, or use the “cpu” device"),
                                              g_module_error ());
        }
      /* The module stays loaded for the life of the process. */
      g_once_init_leave (&loaded, 1);
    }
  if (openblas.sgemm == NULL)
    {
      g_set_error_literal (error, WL_ERROR, WL_ERROR_FAILED, openblas.failure);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
blas_list_devices (GError **error)
{
  GPtrArray *devices;
  g_autofree char *config = NULL;

  if (!load_openblas (error))
    return NULL;
  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) wl_device_info_free);
  config = g_strstrip (g_strdup (openblas.get_config ()));
  g_ptr_array_add (devices, wl_cpu_device_info ("blas", config));
  return devices;
}

static WlBackend *
blas_open (const WlDeviceInfo  *device,
           guint                n_threads,
           GError             **error)
{
  if (!load_openblas (error))
    return NULL;
  /* Process-wide; the backend's threads are its own (see the top). */
  openblas.set_num_threads (1);
  return wl_cpu_open (device, n_threads, error);
}

void
wl_blas_sgemm_one (const WlSgemm *p)
{
  openblas.sgemm (CblasRowMajor, p->trans_a ? CblasTrans : CblasNoTrans,
                  p->trans_b ? CblasTrans : CblasNoTrans, (blasint) p->m, (blasint) p->n,
                  (blasint) p->k, p->alpha, p->a, (blasint) p->lda, p->b, (blasint) p->ldb,
                  p->beta, p->c, (blasint) p->ldc);
}

typedef struct
{
  WlSgemm  whole;
  gboolean by_rows;   /* blocks of C's rows, else of its columns */
  gsize    block;
} SgemmSplit;

static void
sgemm_blocks (gsize    begin,
              gsize    end,
              gpointer data,
              guint    worker)
{
  const SgemmSplit *split = data;
  const WlSgemm *whole = &split->whole;

  for (gsize i = begin; i < end; i++)
    {
      WlSgemm part = *whole;
      gsize first = i * split->block;
      gsize count = MIN (split->block, (split->by_rows ? whole->m : whole->n) - first);

      if (split->by_rows)
        {
          part.m = count;
          part.a += whole->trans_a ? first : first * whole->lda;
          part.c += first * whole->ldc;
        }
      else
        {
          part.n = count;
          part.b += whole->trans_b ? first * whole->ldb : first;
          part.c += first;
        }
      wl_blas_sgemm_one (&part);
    }
}

void
wl_blas_sgemm (guint          n_threads,
               const WlSgemm *p)
{
  SgemmSplit split = { *p, p->m >= p->n, 0 };
  gsize extent = split.by_rows ? p->m : p->n;

  if (n_threads > 1 && (double) p->m * (double) p->n * (double) p->k >= PARALLEL_MIN_MACS)
    split.block = (extent + n_threads - 1) / n_threads;
  split.block = (split.block + PARALLEL_ALIGN - 1) / PARALLEL_ALIGN * PARALLEL_ALIGN;
  if (split.block == 0 || split.block >= extent)
    {
      wl_blas_sgemm_one (p);
      return;
    }
  wl_parallel_for ((extent + split.block - 1) / split.block, 1, n_threads, sgemm_blocks,
                   &split, NULL, NULL);
}

float *
wl_blas_f32_view (WlBackend      *backend,
                  const WlBuffer *buffer,
                  gsize           offset,
                  gsize           extent,
                  float         **owned)
{
  *owned = NULL;
  if (buffer->dtype == WL_DTYPE_F32)
    return (float *) buffer->data + offset;
  if ((*owned = g_try_new (float, extent)) == NULL)
    {
      wl_backend_take_error (backend, g_error_new (WL_ERROR, WL_ERROR_FAILED,
                                                   _("Not enough memory to convert a %s matrix "
                                                     "of %zu elements"),
                                                   wl_dtype_to_string (buffer->dtype), extent));
      return NULL;
    }
  wl_dtype_to_f32 (buffer->dtype,
                   (const char *) buffer->data + offset * wl_dtype_size (buffer->dtype),
                   *owned, extent);
  return *owned;
}

static void
blas_gemm (WlBackend      *backend,
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
  g_autofree float *a_owned = NULL;
  g_autofree float *b_owned = NULL;
  g_autofree float *c_owned = NULL;
  gsize c_extent = wl_gemm_extent (FALSE, m, n, ldc);
  const float *a_data = wl_blas_f32_view (backend, a, a_offset,
                                          wl_gemm_extent (trans_a, m, k, lda), &a_owned);
  const float *b_data = wl_blas_f32_view (backend, b, b_offset,
                                          wl_gemm_extent (trans_b, k, n, ldb), &b_owned);
  float *c_data = wl_blas_f32_view (backend, c, c_offset, c_extent, &c_owned);

  if (a_data == NULL || b_data == NULL || c_data == NULL)
    return;
  wl_blas_sgemm (wl_parallel_resolve_threads (backend->n_threads), &(WlSgemm) {
                   trans_a, trans_b, m, n, k, alpha, a_data, lda, b_data, ldb, beta, c_data, ldc });
  if (c_owned != NULL)
    wl_dtype_from_f32 (c->dtype, c_owned,
                       (char *) c->data + c_offset * wl_dtype_size (c->dtype), c_extent);
}

static void
blas_gemm_i8 (WlBackend      *backend,
              gsize           m,
              gsize           n,
              gsize           k,
              const WlBuffer *x,
              gsize           x_offset,
              gsize           ldx,
              const gint8    *q,
              gsize           ldq,
              const float    *scale,
              float           beta,
              WlBuffer       *c,
              gsize           c_offset,
              gsize           ldc)
{
  wl_cpu_gemm_i8 (wl_parallel_resolve_threads (backend->n_threads), m, n, k, x, x_offset, ldx,
                  q, ldq, scale, beta, c, c_offset, ldc);
}

const WlBackendClass wl_backend_blas_class = {
  .name = "blas",
  .list_devices = blas_list_devices,
  .open = blas_open,
  .gemm = blas_gemm,
  .gemm_i8 = blas_gemm_i8,
  .lstm_forward = wl_blas_lstm_forward,
  .lstm_backward = wl_blas_lstm_backward,
  .gru_forward = wl_blas_gru_forward,
  .gru_backward = wl_blas_gru_backward,
  WL_CPU_CLASS_MEMBERS
  WL_BLAS_THREADED_MEMBERS
};
