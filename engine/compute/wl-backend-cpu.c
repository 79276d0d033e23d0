/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-cpu.c: the reference backend: host memory, plain loops, a
 * single thread, sums in double.  Every other backend is tested against it. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "compute/wl-backend-cpu-private.h"
#include "compute/wl-host.h"
#include "compute/wl-int8-gemm.h"
#include "wl-error.h"

/* "model name" or "vendor_id" from /proc/cpuinfo, or NULL. */
static char *
cpuinfo_field (const char *contents,
               const char *field)
{
  g_auto(GStrv) lines = contents ? g_strsplit (contents, "\n", -1) : NULL;

  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');
      g_autofree char *key = NULL;

      if (colon == NULL)
        continue;
      key = g_strstrip (g_strndup (lines[i], colon - lines[i]));
      if (g_str_equal (key, field))
        return g_strstrip (g_strdup (colon + 1));
    }
  return NULL;
}

static const char *
vendor_name (const char *vendor_id)
{
  if (g_strcmp0 (vendor_id, "GenuineIntel") == 0)
    return "Intel";
  if (g_strcmp0 (vendor_id, "AuthenticAMD") == 0)
    return "AMD";
  return vendor_id;
}

WlDeviceInfo *
wl_cpu_device_info (const char *backend,
                    const char *version)
{
  WlDeviceInfo *info = g_new0 (WlDeviceInfo, 1);
  g_autofree char *cpuinfo = NULL;
  g_autofree char *model = NULL;
  g_autofree char *vendor = NULL;
  long pages = sysconf (_SC_PHYS_PAGES);
  long page_size = sysconf (_SC_PAGESIZE);

  g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL);
  model = cpuinfo_field (cpuinfo, "model name");
  vendor = cpuinfo_field (cpuinfo, "vendor_id");

  info->id = g_strdup (backend);
  info->backend = g_strdup (backend);
  info->name = g_strdup (model ? model : _("Host CPU"));
  info->vendor = g_strdup (vendor ? vendor_name (vendor) : "");
  info->version = g_strdup (version);
  info->kind = WL_DEVICE_CPU;
  info->memory = pages > 0 && page_size > 0 ? (guint64) pages * (guint64) page_size : 0;
  info->compute_units = g_get_num_processors ();
  /* Half-precision storage is converted to f32 for the arithmetic:
   * emulated, so slower than fp32 (the conversions come on top). */
  info->fp16 = TRUE;
  info->bf16 = TRUE;
  info->half_emulated = TRUE;
  return info;
}

static GPtrArray *
cpu_list_devices (GError **error)
{
  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) wl_device_info_free);
  g_autofree char *version = g_strdup_printf ("Wordloom %s", PACKAGE_VERSION);

  g_ptr_array_add (devices, wl_cpu_device_info ("cpu", version));
  return devices;
}

WlBackend *
wl_cpu_open (const WlDeviceInfo  *device,
             guint                n_threads,
             GError             **error)
{
  return g_new0 (WlBackend, 1);
}

void
wl_cpu_close (WlBackend *backend)
{
  g_free (backend);
}

gboolean
wl_cpu_buffer_init (WlBackend  *backend,
                    WlBuffer   *buffer,
                    GError    **error)
{
  gsize size = wl_dtype_size (buffer->dtype);

  buffer->data = g_try_malloc0_n (buffer->n, size);
  if (buffer->data == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("Not enough memory for a buffer of %.0f MB; use a smaller model or batch"),
                   (double) buffer->n * (double) size / 1e6);
      return FALSE;
    }
  return TRUE;
}

void
wl_cpu_buffer_clear (WlBackend *backend,
                     WlBuffer  *buffer)
{
  g_clear_pointer (&buffer->data, g_free);
}

gboolean
wl_cpu_write (WlBackend   *backend,
              WlBuffer    *dst,
              gsize        offset,
              const void  *src,
              gsize        n,
              GError     **error)
{
  gsize size = wl_dtype_size (dst->dtype);

  memcpy ((char *) dst->data + offset * size, src, n * size);
  return TRUE;
}

gboolean
wl_cpu_read (WlBackend       *backend,
             const WlBuffer  *src,
             gsize            offset,
             void            *dst,
             gsize            n,
             GError         **error)
{
  gsize size = wl_dtype_size (src->dtype);

  memcpy (dst, (const char *) src->data + offset * size, n * size);
  return TRUE;
}

gboolean
wl_cpu_finish (WlBackend  *backend,
               GError    **error)
{
  return TRUE;
}

/* Element @i of a float buffer of any precision, as f32. */
static inline float
load (const WlBuffer *buffer,
      gsize           i)
{
  switch (buffer->dtype)
    {
    case WL_DTYPE_F16:
      return wl_half_to_float (((const guint16 *) buffer->data)[i]);
    case WL_DTYPE_BF16:
      return wl_bf16_to_float (((const guint16 *) buffer->data)[i]);
    case WL_DTYPE_F32:
    case WL_DTYPE_I32:
    default:
      return ((const float *) buffer->data)[i];
    }
}

static inline void
store (WlBuffer *buffer,
       gsize     i,
       float     value)
{
  switch (buffer->dtype)
    {
    case WL_DTYPE_F16:
      ((guint16 *) buffer->data)[i] = wl_half_from_float (value);
      break;
    case WL_DTYPE_BF16:
      ((guint16 *) buffer->data)[i] = wl_bf16_from_float (value);
      break;
    case WL_DTYPE_F32:
    case WL_DTYPE_I32:
    default:
      ((float *) buffer->data)[i] = value;
      break;
    }
}

/* The definition of C = alpha · op(A) · op(B) + beta · C, in double. */
static void
cpu_gemm (WlBackend      *backend,
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
  for (gsize i = 0; i < m; i++)
    for (gsize j = 0; j < n; j++)
      {
        gsize at = c_offset + i * ldc + j;
        double sum = 0.0;

        for (gsize p = 0; p < k; p++)
          sum += (double) load (a, a_offset + (trans_a ? p * lda + i : i * lda + p)) *
                 (double) load (b, b_offset + (trans_b ? j * ldb + p : p * ldb + j));
        sum *= alpha;
        if (beta != 0.0f)
          sum += (double) beta * load (c, at);
        store (c, at, (float) sum);
      }
}

void
wl_cpu_gemm_i8 (guint           n_threads,
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
  wl_int8_gemm (n_threads, &(WlInt8Gemm) { m, n, k, (const float *) x->data + x_offset, ldx,
                                           q, ldq, scale, beta, (float *) c->data + c_offset,
                                           ldc });
}

/* The int8 products of the one kernel there is (wl-int8-gemm.c, tested
 * against plain loops), on one thread. */
static void
cpu_gemm_i8 (WlBackend      *backend,
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
  wl_cpu_gemm_i8 (1, m, n, k, x, x_offset, ldx, q, ldq, scale, beta, c, c_offset, ldc);
}

const WlBackendClass wl_backend_cpu_class = {
  .name = "cpu",
  .list_devices = cpu_list_devices,
  .open = wl_cpu_open,
  .gemm = cpu_gemm,
  .gemm_i8 = cpu_gemm_i8,
  WL_CPU_CLASS_MEMBERS
  WL_CPU_THREADED_MEMBERS
};
