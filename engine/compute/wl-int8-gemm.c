/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-int8-gemm.c: fp32 × int8 products, register-blocked (see
 * wl-int8-gemm.h).
 *
 * The kernel computes a block of MR rows of C by NV vectors of columns
 * (W floats each): for every p it turns NV vectors of Q's row p into fp32
 * (sign-extend, convert), then adds x[r][p] times them into the MR × NV
 * accumulators, which stay in registers; at the end it scales the columns,
 * adds beta · C and stores.  The same text is built for each path by
 * WL_INT8_KERNEL, which names the vector type and its few operations.
 *
 * Blocks walk C in chunks of ROW_CHUNK rows: within a chunk, for each
 * block of columns (whose k × NV·W weights stay in L1), every block of MR
 * rows (whose x rows stay in L2).  The last columns, fewer than a vector,
 * are the last whole vector of the matrix, of which only the new columns
 * are stored (the others were stored already, with the same values); a
 * matrix narrower than a vector goes through plain loops.
 */
#include "config.h"

#include <string.h>

#include "compute/wl-int8-gemm.h"
#include "exec/wl-parallel.h"

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define WL_INT8_X86 1
#include <immintrin.h>
#endif

#define MR 4            /* rows of a block */
#define ROW_CHUNK 64    /* rows of a chunk */

/* Products of at least this many multiply-adds are split among threads
 * (as the blas backend's), in blocks of whole chunks of rows, else of
 * COLUMN_SPLIT columns. */
#define PARALLEL_MIN_MACS (1 << 20)
#define COLUMN_SPLIT 64

/* c[i][j] for the columns [j0, j1) of the rows [i0, i1), in plain loops. */
static void
plain_columns (const WlInt8Gemm *p,
               gsize             i0,
               gsize             i1,
               gsize             j0,
               gsize             j1)
{
  for (gsize i = i0; i < i1; i++)
    for (gsize j = j0; j < j1; j++)
      {
        float sum = 0.f, *c = p->c + i * p->ldc + j;

        for (gsize l = 0; l < p->k; l++)
          sum += p->x[i * p->ldx + l] * (float) p->q[l * p->ldq + j];
        *c = p->beta != 0.f ? sum * p->scale[j] + p->beta * *c : sum * p->scale[j];
      }
}

/* One path: VF is the vector of W floats; LOADQ(q) turns W int8 into one,
 * LOADF/STOREF move W floats, SPLAT(x) fills one, FMA(a, b, acc) is
 * a · b + acc.  ATTR gives the functions the path's target. */
#define WL_INT8_KERNEL(path, ATTR, VF, W, LOADQ, LOADF, STOREF, SPLAT, FMA)                  \
                                                                                            \
/* C's rows [i, i + mr) × columns [j + skip, j + nv·W), mr ≤ MR. */                         \
static inline __attribute__ ((always_inline)) ATTR void                                     \
block_##path (const WlInt8Gemm *p,                                                          \
              gsize             i,                                                          \
              gsize             j,                                                          \
              gsize             mr,                                                         \
              gsize             nv,                                                         \
              gsize             skip)                                                       \
{                                                                                           \
  const float *x = p->x + i * p->ldx;                                                       \
  const gint8 *q = p->q + j;                                                                \
  VF acc[MR][2];                                                                            \
                                                                                            \
  _Pragma ("GCC unroll 4")                                                                  \
  for (gsize r = 0; r < mr; r++)                                                            \
    for (gsize v = 0; v < nv; v++)                                                          \
      acc[r][v] = SPLAT (0.f);                                                              \
  for (gsize l = 0; l < p->k; l++, q += p->ldq)                                             \
    {                                                                                       \
      VF w[2];                                                                              \
                                                                                            \
      _Pragma ("GCC unroll 2")                                                              \
      for (gsize v = 0; v < nv; v++)                                                        \
        w[v] = LOADQ (q + v * W);                                                           \
      _Pragma ("GCC unroll 4")                                                              \
      for (gsize r = 0; r < mr; r++)                                                        \
        {                                                                                   \
          VF xr = SPLAT (x[r * p->ldx + l]);                                                \
                                                                                            \
          _Pragma ("GCC unroll 2")                                                          \
          for (gsize v = 0; v < nv; v++)                                                    \
            acc[r][v] = FMA (w[v], xr, acc[r][v]);                                          \
        }                                                                                   \
    }                                                                                       \
  for (gsize r = 0; r < mr; r++)                                                            \
    for (gsize v = 0; v < nv; v++)                                                          \
      {                                                                                     \
        float *c = p->c + (i + r) * p->ldc + j + v * W;                                     \
        VF y = acc[r][v] * LOADF (p->scale + j + v * W);                                    \
        float out[W];                                                                       \
                                                                                            \
        if (skip == 0)                                                                      \
          {                                                                                 \
            if (p->beta != 0.f)                                                             \
              y = FMA (LOADF (c), SPLAT (p->beta), y);                                      \
            STOREF (c, y);                                                                  \
            continue;                                                                       \
          }                                                                                 \
        STOREF (out, y);                                                                    \
        for (gsize t = skip; t < W; t++)                                                    \
          c[t] = p->beta != 0.f ? out[t] + p->beta * c[t] : out[t];                         \
      }                                                                                     \
}                                                                                           \
                                                                                            \
/* The rows [i0, i1) of the columns [j, j + nv·W) from column j + skip. */                  \
static inline __attribute__ ((always_inline)) ATTR void                                     \
rows_##path (const WlInt8Gemm *p,                                                           \
             gsize             i0,                                                          \
             gsize             i1,                                                          \
             gsize             j,                                                           \
             gsize             nv,                                                          \
             gsize             skip)                                                        \
{                                                                                           \
  gsize i = i0;                                                                             \
                                                                                            \
  for (; i + MR <= i1; i += MR)                                                             \
    block_##path (p, i, j, MR, nv, skip);                                                   \
  switch (i1 - i)                                                                           \
    {                                                                                       \
    case 3: block_##path (p, i, j, 3, nv, skip); break;                                     \
    case 2: block_##path (p, i, j, 2, nv, skip); break;                                     \
    case 1: block_##path (p, i, j, 1, nv, skip); break;                                     \
    default: break;                                                                         \
    }                                                                                       \
}                                                                                           \
                                                                                            \
/* C's rows [r0, r1) × columns [c0, c1). */                                                 \
static ATTR void                                                                            \
region_##path (const WlInt8Gemm *p,                                                         \
               gsize             r0,                                                        \
               gsize             r1,                                                        \
               gsize             c0,                                                        \
               gsize             c1)                                                        \
{                                                                                           \
  for (gsize i0 = r0; i0 < r1; i0 += ROW_CHUNK)                                             \
    {                                                                                       \
      gsize i1 = MIN (i0 + ROW_CHUNK, r1), j = c0;                                          \
                                                                                            \
      for (; j + 2 * W <= c1; j += 2 * W)                                                   \
        rows_##path (p, i0, i1, j, 2, 0);                                                   \
      if (j + W <= c1)                                                                      \
        {                                                                                   \
          rows_##path (p, i0, i1, j, 1, 0);                                                 \
          j += W;                                                                           \
        }                                                                                   \
      if (j < c1 && c1 >= W)                                                                \
        rows_##path (p, i0, i1, c1 - W, 1, W - (c1 - j));                                   \
      else if (j < c1)                                                                      \
        plain_columns (p, i0, i1, j, c1);                                                   \
    }                                                                                       \
}

/* Portable: GCC vector extensions. */
typedef float v4sf __attribute__ ((vector_size (16)));
typedef gint8 v4qi __attribute__ ((vector_size (4)));

static inline v4sf
v4_load_q (const gint8 *q)
{
  v4qi b;

  memcpy (&b, q, sizeof b);
  return __builtin_convertvector (b, v4sf);
}

static inline v4sf
v4_load (const float *f)
{
  v4sf v;

  memcpy (&v, f, sizeof v);
  return v;
}

#define V4_STORE(f, v) memcpy ((f), &(v), sizeof (v4sf))
#define V4_SPLAT(s) ((v4sf) { 0.f, 0.f, 0.f, 0.f } + (s))
#define V4_FMA(a, b, acc) ((a) * (b) + (acc))

WL_INT8_KERNEL (portable, , v4sf, 4, v4_load_q, v4_load, V4_STORE, V4_SPLAT, V4_FMA)

#ifdef WL_INT8_X86
#define AVX2_ATTR __attribute__ ((target ("avx2,fma")))
#define AVX2_LOAD_Q(q) _mm256_cvtepi32_ps (_mm256_cvtepi8_epi32 (_mm_loadl_epi64 ((const __m128i *) (q))))
#define AVX2_STORE(f, v) _mm256_storeu_ps ((f), (v))

WL_INT8_KERNEL (avx2, AVX2_ATTR, __m256, 8, AVX2_LOAD_Q, _mm256_loadu_ps, AVX2_STORE,
                _mm256_set1_ps, _mm256_fmadd_ps)

#define AVX512_ATTR __attribute__ ((target ("avx512f,avx2,fma")))
#define AVX512_LOAD_Q(q) _mm512_cvtepi32_ps (_mm512_cvtepi8_epi32 (_mm_loadu_si128 ((const __m128i *) (q))))
#define AVX512_STORE(f, v) _mm512_storeu_ps ((f), (v))

WL_INT8_KERNEL (avx512, AVX512_ATTR, __m512, 16, AVX512_LOAD_Q, _mm512_loadu_ps, AVX512_STORE,
                _mm512_set1_ps, _mm512_fmadd_ps)
#endif

/* Paths */

const char *
wl_int8_gemm_path_name (WlInt8GemmPath path)
{
  switch (path)
    {
    case WL_INT8_GEMM_AVX512:
      return "avx512";
    case WL_INT8_GEMM_AVX2:
      return "avx2";
    case WL_INT8_GEMM_PORTABLE:
    default:
      return "portable";
    }
}

gboolean
wl_int8_gemm_path_supported (WlInt8GemmPath path)
{
#ifdef WL_INT8_X86
  __builtin_cpu_init ();
  if (path == WL_INT8_GEMM_AVX512)
    return __builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("avx2") &&
           __builtin_cpu_supports ("fma");
  if (path == WL_INT8_GEMM_AVX2)
    return __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma");
#endif
  return path == WL_INT8_GEMM_PORTABLE;
}

static WlInt8GemmPath
pick_path (void)
{
  const char *forced = g_getenv ("WL_INT8_GEMM");
  WlInt8GemmPath best = WL_INT8_GEMM_AVX512;

  while (best > WL_INT8_GEMM_PORTABLE && !wl_int8_gemm_path_supported (best))
    best--;
  if (forced == NULL || *forced == '\0')
    return best;
  for (WlInt8GemmPath path = WL_INT8_GEMM_PORTABLE; path <= WL_INT8_GEMM_AVX512; path++)
    if (g_str_equal (forced, wl_int8_gemm_path_name (path)))
      {
        if (wl_int8_gemm_path_supported (path))
          return path;
        g_warning ("WL_INT8_GEMM=%s: this processor does not run it; using %s",
                   forced, wl_int8_gemm_path_name (best));
        return best;
      }
  g_warning ("WL_INT8_GEMM=%s: not a path (avx512, avx2 or portable); using %s",
             forced, wl_int8_gemm_path_name (best));
  return best;
}

WlInt8GemmPath
wl_int8_gemm_path (void)
{
  static gsize picked = 0;

  if (g_once_init_enter (&picked))
    g_once_init_leave (&picked, (gsize) pick_path () + 1);
  return (WlInt8GemmPath) (picked - 1);
}

static void
region (WlInt8GemmPath    path,
        const WlInt8Gemm *p,
        gsize             r0,
        gsize             r1,
        gsize             c0,
        gsize             c1)
{
  switch (path)
    {
#ifdef WL_INT8_X86
    case WL_INT8_GEMM_AVX512:
      region_avx512 (p, r0, r1, c0, c1);
      break;
    case WL_INT8_GEMM_AVX2:
      region_avx2 (p, r0, r1, c0, c1);
      break;
#endif
    case WL_INT8_GEMM_PORTABLE:
    default:
      region_portable (p, r0, r1, c0, c1);
      break;
    }
}

void
wl_int8_gemm_on_path (WlInt8GemmPath    path,
                      const WlInt8Gemm *product)
{
  g_return_if_fail (wl_int8_gemm_path_supported (path));

  region (path, product, 0, product->m, 0, product->n);
}

/* Threads */

typedef struct
{
  const WlInt8Gemm *product;
  WlInt8GemmPath    path;
  gboolean          by_rows;   /* blocks of ROW_CHUNK rows, else of COLUMN_SPLIT columns */
} Split;

static void
split_blocks (gsize    begin,
              gsize    end,
              gpointer data,
              guint    worker)
{
  const Split *split = data;
  const WlInt8Gemm *p = split->product;

  for (gsize b = begin; b < end; b++)
    if (split->by_rows)
      region (split->path, p, b * ROW_CHUNK, MIN ((b + 1) * ROW_CHUNK, p->m), 0, p->n);
    else
      region (split->path, p, 0, p->m, b * COLUMN_SPLIT, MIN ((b + 1) * COLUMN_SPLIT, p->n));
}

void
wl_int8_gemm (guint             n_threads,
              const WlInt8Gemm *product)
{
  Split split = { product, wl_int8_gemm_path (), product->m >= 2 * ROW_CHUNK };
  gsize blocks = split.by_rows ? (product->m + ROW_CHUNK - 1) / ROW_CHUNK
                               : (product->n + COLUMN_SPLIT - 1) / COLUMN_SPLIT;

  if (n_threads <= 1 || blocks <= 1 ||
      (double) product->m * (double) product->n * (double) product->k < PARALLEL_MIN_MACS)
    {
      region (split.path, product, 0, product->m, 0, product->n);
      return;
    }
  wl_parallel_for (blocks, 1, n_threads, split_blocks, &split, NULL, NULL);
}
