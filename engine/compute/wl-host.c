/* wl-host.c: half-precision conversion and the LSTM cell on the host. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "compute/wl-host.h"

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

static inline float
sigmoid (float x)
{
  return 1.0f / (1.0f + expf (-x));
}

void
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
      float *f_gate = i_gate + hidden;
      float *g_gate = f_gate + hidden;
      float *o_gate = g_gate + hidden;

      for (gsize j = 0; j < hidden; j++)
        {
          gsize at = b * hidden + j;

          i_gate[j] = sigmoid (i_gate[j]);
          f_gate[j] = sigmoid (f_gate[j]);
          g_gate[j] = tanhf (g_gate[j]);
          o_gate[j] = sigmoid (o_gate[j]);
          c[at] = f_gate[j] * c_prev[at] + i_gate[j] * g_gate[j];
          h[at] = o_gate[j] * tanhf (c[at]);
        }
    }
}

void
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
  for (gsize b = 0; b < batch; b++)
    {
      const float *i_gate = gates + b * 4 * hidden;
      const float *f_gate = i_gate + hidden;
      const float *g_gate = f_gate + hidden;
      const float *o_gate = g_gate + hidden;
      float *d_i = d_gates + b * 4 * hidden;
      float *d_f = d_i + hidden;
      float *d_g = d_f + hidden;
      float *d_o = d_g + hidden;

      for (gsize j = 0; j < hidden; j++)
        {
          gsize at = b * hidden + j;
          float tanh_c = tanhf (c[at]);
          float dc_total = dc[at] + dh[at] * o_gate[j] * (1.0f - tanh_c * tanh_c);

          d_i[j] = dc_total * g_gate[j] * i_gate[j] * (1.0f - i_gate[j]);
          d_f[j] = dc_total * c_prev[at] * f_gate[j] * (1.0f - f_gate[j]);
          d_g[j] = dc_total * i_gate[j] * (1.0f - g_gate[j] * g_gate[j]);
          d_o[j] = dh[at] * tanh_c * o_gate[j] * (1.0f - o_gate[j]);
          dc_prev[at] = dc_total * f_gate[j];
        }
    }
}
