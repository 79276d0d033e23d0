/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-host-math.h: exp, sigmoid and tanh that the compiler can vectorise.
 *
 * libm's expf and tanhf are calls, so a loop over them runs one element at
 * a time; in the recurrent models they took over a third of the training
 * time.  These are branch-free (Cephes' polynomial for exp on
 * [−ln2/2, ln2/2], the exponent set through the float's bits), so -O2 turns
 * the loops that use them into SIMD.  Relative error below 3e-7 for exp,
 * absolute error below 2e-7 for sigmoid and tanh; inputs are clamped, so
 * ±inf and huge values saturate instead of overflowing.  NaN stays NaN,
 * and no input reaches undefined behaviour (test-backend checks both in
 * the sanitizer build).
 */
#pragma once

#include <glib.h>
#include <string.h>

/* WL_VECTOR_CLONES before a hot loop's function builds it three times, for
 * AVX-512, for AVX2 and FMA, and for the baseline (SSE2), and picks the one
 * the processor runs when the program loads (GCC's target_clones, an ifunc).
 * The baseline does 4 floats at a time, AVX-512 16.  The clones give the
 * same results: C11 mode keeps GCC from fusing a multiply and an add the
 * source keeps apart (-ffp-contract=off), and only elementwise loops use
 * it, never reductions.  Helpers they call must be inline to come along. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define WL_VECTOR_CLONES \
  __attribute__ ((target_clones ("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define WL_VECTOR_CLONES
#endif

static inline float
wl_exp_approx (float x)
{
  /* 1.5 × 2^23: adding and subtracting it rounds to the nearest integer. */
  const float round_magic = 12582912.0f;
  float c, n, r, p;
  gint32 bits;

  /* Clamped so that n, below, is an integer in [−126, 127] whatever x is:
   * written so that NaN fails both tests and becomes −87 here (casting NaN
   * to an integer is undefined); the select at the end gives it back. */
  c = x > -87.0f ? x : -87.0f;
  c = c < 88.0f ? c : 88.0f;
  n = (c * 1.44269504088896341f + round_magic) - round_magic;
  r = c - n * 0.693359375f + n * 2.12194440e-4f;
  p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  bits = ((gint32) n + 127) << 23;   /* 1 … 254: a normal power of two */
  memcpy (&n, &bits, sizeof n);
  return x == x ? p * n : x;
}

static inline float
wl_sigmoid_approx (float x)
{
  return 1.0f / (1.0f + wl_exp_approx (-x));
}

static inline float
wl_tanh_approx (float x)
{
  /* With e = exp(−2|x|), tanh |x| = (1 − e)/(1 + e) = 1 − 2e/(1 + e).
   * Near saturation the second form is within half an ulp of 1 (the
   * gradient 1 − y² needs that); below 0.5 the first keeps more digits.
   * The sign goes back on at the end. */
  float a = x < 0.0f ? -x : x;
  float e = wl_exp_approx (-2.0f * a);
  float d = 1.0f / (1.0f + e);
  /* Both computed, then picked: a branch around a division keeps the
   * compiler from vectorising (it may not speculate a trapping op). */
  float near_one = 1.0f - 2.0f * e * d;
  float small = (1.0f - e) * d;
  float t = a > 0.5f ? near_one : small;

  return x < 0.0f ? -t : t;
}
