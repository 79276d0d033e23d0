/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-host.c: half-precision conversion and the LSTM and GRU cells on the
 * host. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compute/wl-host.h"
#include "compute/wl-host-math.h"

static inline guint32
float_bits (float value)
{
  guint32 bits;

  memcpy (&bits, &value, sizeof bits);
  return bits;
}

static inline float
bits_float (guint32 bits)
{
  float value;

  memcpy (&value, &bits, sizeof value);
  return value;
}

guint16
wl_half_from_float (float value)
{
  guint32 bits = float_bits (value);
  guint32 sign = (bits >> 16) & 0x8000;
  guint32 abs = bits & 0x7fffffff;

  if (abs >= 0x7f800000)                       /* inf or NaN */
    return sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0);
  if (abs >= 0x477ff000)                       /* rounds past 65504 */
    return sign | 0x7c00;
  if (abs < 0x38800000)                        /* subnormal or zero half */
    {
      /* Add 0.5 (the smallest normal half's exponent): the float adder
       * rounds the mantissa to nearest even for us. */
      float scaled = bits_float (abs) + 0.5f;
      return sign | (guint16) (float_bits (scaled) - 0x3f000000);
    }
  /* Normal: rebias the exponent, round to nearest even on 13 bits. */
  abs += ((guint32) (15 - 127) << 23) + 0xfff + ((abs >> 13) & 1);
  return sign | (guint16) (abs >> 13);
}

float
wl_half_to_float (guint16 half)
{
  guint32 sign = (guint32) (half & 0x8000) << 16;
  guint32 exponent = (half >> 10) & 0x1f;
  guint32 mantissa = half & 0x3ff;

  if (exponent == 0x1f)
    return bits_float (sign | 0x7f800000 | (mantissa << 13));
  if (exponent == 0)
    {
      float value = (float) mantissa * (1.0f / 16777216.0f);  /* mantissa · 2⁻²⁴ */
      return sign ? -value : value;
    }
  return bits_float (sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
}

guint16
wl_bf16_from_float (float value)
{
  guint32 bits = float_bits (value);

  if ((bits & 0x7fffffff) > 0x7f800000)        /* NaN stays NaN */
    return (guint16) ((bits >> 16) | 0x40);
  bits += 0x7fff + ((bits >> 16) & 1);
  return (guint16) (bits >> 16);
}

float
wl_bf16_to_float (guint16 bf16)
{
  return bits_float ((guint32) bf16 << 16);
}

void
wl_quantize_row (const float *v,
                 gsize        n,
                 gsize        stride,
                 gint8       *q,
                 float       *scale)
{
  float max = 0.f;

  for (gsize i = 0; i < n; i++)
    max = MAX (max, fabsf (v[i * stride]));
  *scale = wl_bf16_to_float (wl_bf16_from_float (max / 127.f));
  for (gsize i = 0; i < n; i++)
    q[i * stride] = *scale > 0.f ? (gint8) CLAMP (lrintf (v[i * stride] / *scale), -127, 127) : 0;
}

typedef struct
{
  float   norm;
  guint32 row;
} RowNorm;

/* Largest norm first; rows in order among equals, so the choice is
 * deterministic. */
static int
compare_norms (const void *a,
               const void *b)
{
  const RowNorm *x = a, *y = b;

  if (x->norm != y->norm)
    return x->norm > y->norm ? -1 : 1;
  return x->row < y->row ? -1 : x->row > y->row;
}

gboolean
wl_keep_largest_rows (const float *rows,
                      gsize        n_rows,
                      gsize        width,
                      gsize        kept,
                      guint8      *keep)
{
  g_autofree RowNorm *norms = g_try_new (RowNorm, MAX (n_rows, 1));

  if (norms == NULL)
    return FALSE;
  for (gsize r = 0; r < n_rows; r++)
    {
      const float *v = rows + r * width;
      double sum = 0.0;

      for (gsize i = 0; i < width; i++)
        sum += (double) v[i] * v[i];
      norms[r] = (RowNorm) { (float) sqrt (sum), (guint32) r };
    }
  qsort (norms, n_rows, sizeof (RowNorm), compare_norms);
  memset (keep, 0, n_rows);
  for (gsize i = 0; i < MIN (kept, n_rows); i++)
    keep[norms[i].row] = 1;
  return TRUE;
}

gboolean
wl_dtype_is_float (WlDtype dtype)
{
  return dtype == WL_DTYPE_F32 || dtype == WL_DTYPE_F16 || dtype == WL_DTYPE_BF16;
}

void
wl_dtype_to_f32 (WlDtype     dtype,
                 const void *src,
                 float      *dst,
                 gsize       n)
{
  const guint16 *half = src;

  g_return_if_fail (wl_dtype_is_float (dtype));

  switch (dtype)
    {
    case WL_DTYPE_F32:
      memmove (dst, src, n * sizeof (float));
      break;
    case WL_DTYPE_F16:
      for (gsize i = 0; i < n; i++)
        dst[i] = wl_half_to_float (half[i]);
      break;
    case WL_DTYPE_BF16:
      for (gsize i = 0; i < n; i++)
        dst[i] = wl_bf16_to_float (half[i]);
      break;
    case WL_DTYPE_I32:
    default:
      g_assert_not_reached ();
    }
}

void
wl_dtype_from_f32 (WlDtype      dtype,
                   const float *src,
                   void        *dst,
                   gsize        n)
{
  guint16 *half = dst;

  g_return_if_fail (wl_dtype_is_float (dtype));

  switch (dtype)
    {
    case WL_DTYPE_F32:
      memmove (dst, src, n * sizeof (float));
      break;
    case WL_DTYPE_F16:
      for (gsize i = 0; i < n; i++)
        half[i] = wl_half_from_float (src[i]);
      break;
    case WL_DTYPE_BF16:
      for (gsize i = 0; i < n; i++)
        half[i] = wl_bf16_from_float (src[i]);
      break;
    case WL_DTYPE_I32:
    default:
      g_assert_not_reached ();
    }
}


/* In place over @n values; simple loops, so that they vectorise. */
G_ALWAYS_INLINE static inline void
sigmoid_inplace (float *restrict x,
                 gsize           n)
{
  for (gsize i = 0; i < n; i++)
    x[i] = wl_sigmoid_approx (x[i]);
}

G_ALWAYS_INLINE static inline void
tanh_inplace (float *restrict x,
              gsize           n)
{
  for (gsize i = 0; i < n; i++)
    x[i] = wl_tanh_approx (x[i]);
}

/* c = f⊙c_prev + i⊙g;  h = o⊙tanh(c), for one example. */
G_ALWAYS_INLINE static inline void
lstm_state (const float *restrict i_gate,
            const float *restrict f_gate,
            const float *restrict g_gate,
            const float *restrict o_gate,
            const float *restrict c_prev,
            float       *restrict c,
            float       *restrict h,
            gsize                 hidden)
{
  for (gsize j = 0; j < hidden; j++)
    {
      c[j] = f_gate[j] * c_prev[j] + i_gate[j] * g_gate[j];
      h[j] = o_gate[j] * wl_tanh_approx (c[j]);
    }
}

WL_VECTOR_CLONES void
wl_host_lstm_cell (gsize        batch,
                   gsize        hidden,
                   float       *gates,
                   const float *c_prev,
                   float       *c,
                   float       *h)
{
  for (gsize b = 0; b < batch; b++)
    {
      float *i_gate = gates + b * 4 * hidden;

      sigmoid_inplace (i_gate, 2 * hidden);     /* i and f are adjacent */
      tanh_inplace (i_gate + 2 * hidden, hidden);
      sigmoid_inplace (i_gate + 3 * hidden, hidden);
      lstm_state (i_gate, i_gate + hidden, i_gate + 2 * hidden, i_gate + 3 * hidden,
                  c_prev + b * hidden, c + b * hidden, h + b * hidden, hidden);
    }
}

/* The gradients of one example's gates; @dc_io holds dc on entry and
 * dc_prev on return (one pointer, so in place is fine and the loop still
 * vectorises). */
G_ALWAYS_INLINE static inline void
lstm_backward_one (const float *restrict gates,
                   const float *restrict c_prev,
                   const float *restrict c,
                   const float *restrict dh,
                   float       *restrict dc_io,
                   float       *restrict d_gates,
                   gsize                 hidden)
{
  const float *i_gate = gates, *f_gate = gates + hidden;
  const float *g_gate = gates + 2 * hidden, *o_gate = gates + 3 * hidden;
  float *d_i = d_gates, *d_f = d_gates + hidden;
  float *d_g = d_gates + 2 * hidden, *d_o = d_gates + 3 * hidden;

  for (gsize j = 0; j < hidden; j++)
    {
      float tanh_c = wl_tanh_approx (c[j]);
      float dc_total = dc_io[j] + dh[j] * o_gate[j] * (1.0f - tanh_c * tanh_c);

      d_i[j] = dc_total * g_gate[j] * i_gate[j] * (1.0f - i_gate[j]);
      d_f[j] = dc_total * c_prev[j] * f_gate[j] * (1.0f - f_gate[j]);
      d_g[j] = dc_total * i_gate[j] * (1.0f - g_gate[j] * g_gate[j]);
      d_o[j] = dh[j] * tanh_c * o_gate[j] * (1.0f - o_gate[j]);
      dc_io[j] = dc_total * f_gate[j];
    }
}

WL_VECTOR_CLONES void
wl_host_lstm_cell_backward (gsize        batch,
                            gsize        hidden,
                            const float *gates,
                            const float *c_prev,
                            const float *c,
                            const float *dh,
                            const float *dc,
                            float       *d_gates,
                            float       *dc_prev)
{
  if (dc_prev != dc)
    memmove (dc_prev, dc, batch * hidden * sizeof (float));
  for (gsize b = 0; b < batch; b++)
    lstm_backward_one (gates + b * 4 * hidden, c_prev + b * hidden, c + b * hidden,
                       dh + b * hidden, dc_prev + b * hidden, d_gates + b * 4 * hidden, hidden);
}

/* The GRU's steps are written as the composed ops compute them (the
 * dispatcher's default, which the cpu reference runs), so that the fused
 * cell gives the same numbers. */
G_ALWAYS_INLINE static inline void
gru_one (float       *restrict r,
         float       *restrict z,
         float       *restrict n,
         float       *restrict hn,
         const float *restrict b_hn,
         const float *restrict h_prev,
         float       *restrict h,
         gsize                 hidden)
{
  for (gsize j = 0; j < hidden; j++)
    {
      hn[j] += b_hn[j];
      r[j] = wl_sigmoid_approx (r[j]);
      z[j] = wl_sigmoid_approx (z[j]);
      n[j] = wl_tanh_approx (r[j] * hn[j] + n[j]);
      h[j] = (h_prev[j] - n[j]) * z[j] + n[j];
    }
}

WL_VECTOR_CLONES void
wl_host_gru_cell (gsize        batch,
                  gsize        hidden,
                  float       *r,
                  float       *z,
                  float       *n,
                  float       *hn,
                  const float *b_hn,
                  const float *h_prev,
                  float       *h)
{
  for (gsize b = 0; b < batch; b++)
    {
      gsize at = b * hidden;

      gru_one (r + at, z + at, n + at, hn + at, b_hn, h_prev + at, h + at, hidden);
    }
}

G_ALWAYS_INLINE static inline void
gru_backward_one (const float *restrict r,
                  const float *restrict z,
                  const float *restrict n,
                  const float *restrict hn,
                  const float *restrict h_prev,
                  const float *restrict dh,
                  float       *restrict dr,
                  float       *restrict dz,
                  float       *restrict dn,
                  float       *restrict d_hn,
                  float       *restrict dh_prev,
                  gsize                 hidden)
{
  for (gsize j = 0; j < hidden; j++)
    {
      float prev = h_prev[j], direct = dh[j] * z[j];
      float d_n = (dh[j] - direct) * (1.0f - n[j] * n[j]);

      dz[j] = (prev - n[j]) * dh[j] * z[j] * (1.0f - z[j]);
      dn[j] = d_n;
      d_hn[j] = d_n * r[j];
      dr[j] = hn[j] * d_n * r[j] * (1.0f - r[j]);
      if (dh_prev != NULL)
        dh_prev[j] += direct;
    }
}

WL_VECTOR_CLONES void
wl_host_gru_cell_backward (gsize        batch,
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
                           float       *dh_prev)
{
  for (gsize b = 0; b < batch; b++)
    {
      gsize at = b * hidden;

      gru_backward_one (r + at, z + at, n + at, hn + at, h_prev + at, dh + at, dr + at,
                        dz + at, dn + at, d_hn + at, dh_prev != NULL ? dh_prev + at : NULL,
                        hidden);
    }
}
