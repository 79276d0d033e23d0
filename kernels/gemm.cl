/* gemm.cl: C = alpha · op(A) · op(B) + beta · C, row-major, in two flavours.
 *
 * Products accumulate in f32 whatever the storage types of A, B and C
 * (WlDtype codes, see load_any in common.cl).  Transpositions and storage
 * types are arguments, not build options: one build serves every call,
 * which matters where compiling is slow (pocl).  Dimension 2 of the
 * global size walks the batch of products.  Tuning values come from the
 * host's device → vendor → default table as -D defines.
 *
 * GPUs (VW undefined): tiles in local memory.  Each work-group computes a
 * TM × TN tile of C, stepping through k by TK: it stages the TM × TK slice
 * of op(A) and the TK × TN slice of op(B) in local memory (loads ordered
 * so that neighbouring work-items read neighbouring addresses whatever
 * the transposition), then every work-item accumulates its own WM × WN
 * block of C in registers.  The work-group is (TN / WN) × (TM / WM).
 * gemm_any checks every index against M, N, K; gemm_tiled is for sizes
 * that are whole tiles and checks none.
 *
 * CPUs (VW defined, pocl): no local memory and no barriers, which CPU
 * OpenCL runs slowly.  gemm_vector gives each work-item WM rows × VW
 * columns of C held in float<VW> registers: per step of k one row of B
 * (a vector load) meets WM broadcast elements of A.  Work-items whose
 * block lies inside C and whose operands are f32 take that fast path;
 * those on the edge check their indices; f16 and bf16 operands are
 * converted element by element.
 */

typedef struct
{
  uint  m, n, k;
  float alpha, beta;
  int   trans_a, trans_b;
  int   a_dtype, b_dtype, c_dtype;
  uint  lda, ldb, ldc;
} GemmShape;

#define GEMM_ARGS                                                                      \
  uint m, uint n, uint k, float alpha, int trans_a, int trans_b,                       \
  __global const uchar *a, int a_dtype, ulong a_offset, ulong a_stride, uint lda,      \
  __global const uchar *b, int b_dtype, ulong b_offset, ulong b_stride, uint ldb,      \
  float beta,                                                                          \
  __global uchar *c, int c_dtype, ulong c_offset, ulong c_stride, uint ldc

#define GEMM_SHAPE                                                                     \
  { m, n, k, alpha, beta, trans_a, trans_b, a_dtype, b_dtype, c_dtype, lda, ldb, ldc }

/* C[at] = alpha · product + beta · C[at]; beta = 0 overwrites C without
 * reading it. */
inline void
gemm_store (const GemmShape *s,
            __global uchar  *c,
            ulong            at,
            float            product)
{
  float value = s->alpha * product;

  if (s->beta != 0.0f)
    value = mad (s->beta, load_any (c, at, s->c_dtype), value);
  store_any (c, at, s->c_dtype, value);
}

#ifndef VW

#define RN (TN / WN)            /* work-items along n */
#define RM (TM / WM)            /* work-items along m */
#define WG (RN * RM)
#define TM_PAD (TM + 1)         /* padded rows: no bank conflicts on stores */
#define TN_PAD (TN + 1)

inline void
gemm_body (const int              guarded,
           __local float         *a_tile,
           __local float         *b_tile,
           const GemmShape       *s,
           __global const uchar  *a,
           ulong                  a_base,
           __global const uchar  *b,
           ulong                  b_base,
           __global uchar        *c,
           ulong                  c_base)
{
  const uint tx = get_local_id (0);
  const uint ty = get_local_id (1);
  const uint lid = ty * RN + tx;
  const uint m0 = get_group_id (1) * TM;
  const uint n0 = get_group_id (0) * TN;
  float acc[WM][WN];

  for (uint i = 0; i < WM; i++)
    for (uint j = 0; j < WN; j++)
      acc[i][j] = 0.0f;

  for (uint k0 = 0; k0 < s->k; k0 += TK)
    {
      for (uint l = lid; l < TM * TK; l += WG)
        {
          /* op(A)[row, kk]: A is m × k (lda) or, transposed, k × m */
          uint row = s->trans_a ? l % TM : l / TK;
          uint kk = s->trans_a ? l / TM : l % TK;
          uint gi = m0 + row, gk = k0 + kk;
          float value = 0.0f;

          if (!guarded || (gi < s->m && gk < s->k))
            value = load_any (a, a_base + (s->trans_a ? gk * s->lda + gi : gi * s->lda + gk),
                              s->a_dtype);
          a_tile[kk * TM_PAD + row] = value;
        }
      for (uint l = lid; l < TK * TN; l += WG)
        {
          /* op(B)[kk, col]: B is k × n (ldb) or, transposed, n × k */
          uint col = s->trans_b ? l / TK : l % TN;
          uint kk = s->trans_b ? l % TK : l / TN;
          uint gj = n0 + col, gk = k0 + kk;
          float value = 0.0f;

          if (!guarded || (gj < s->n && gk < s->k))
            value = load_any (b, b_base + (s->trans_b ? gj * s->ldb + gk : gk * s->ldb + gj),
                              s->b_dtype);
          b_tile[kk * TN_PAD + col] = value;
        }
      barrier (CLK_LOCAL_MEM_FENCE);

      for (uint kk = 0; kk < TK; kk++)
        {
          float a_reg[WM], b_reg[WN];

          for (uint i = 0; i < WM; i++)
            a_reg[i] = a_tile[kk * TM_PAD + ty + i * RM];
          for (uint j = 0; j < WN; j++)
            b_reg[j] = b_tile[kk * TN_PAD + tx + j * RN];
          for (uint i = 0; i < WM; i++)
            for (uint j = 0; j < WN; j++)
              acc[i][j] = mad (a_reg[i], b_reg[j], acc[i][j]);
        }
      barrier (CLK_LOCAL_MEM_FENCE);
    }

  for (uint i = 0; i < WM; i++)
    {
      uint gi = m0 + ty + i * RM;

      for (uint j = 0; j < WN; j++)
        {
          uint gj = n0 + tx + j * RN;

          if (!guarded || (gi < s->m && gj < s->n))
            gemm_store (s, c, c_base + gi * s->ldc + gj, acc[i][j]);
        }
    }
}

#define GEMM_KERNEL(name, guarded)                                                      \
  __kernel __attribute__ ((reqd_work_group_size (RN, RM, 1))) void                      \
  name (GEMM_ARGS)                                                                      \
  {                                                                                     \
    __local float a_tile[TK * TM_PAD];                                                  \
    __local float b_tile[TK * TN_PAD];                                                  \
    const ulong batch = get_global_id (2);                                              \
    const GemmShape shape = GEMM_SHAPE;                                                 \
                                                                                        \
    gemm_body (guarded, a_tile, b_tile, &shape,                                         \
               a, a_offset + batch * a_stride, b, b_offset + batch * b_stride,          \
               c, c_offset + batch * c_stride);                                         \
  }

GEMM_KERNEL (gemm_any, 1)
GEMM_KERNEL (gemm_tiled, 0)

#else  /* VW: the CPU flavour */

#define VT WL_CAT (float, VW)
#define VLOAD WL_CAT (vload, VW)

typedef union
{
  VT    v;
  float f[VW];
} Lanes;

/* op(A)[gi, kk] and op(B)[kk, j] as offsets from the operand's start */
#define A_AT(s, gi, kk) ((s)->trans_a ? (kk) * (s)->lda + (gi) : (gi) * (s)->lda + (kk))
#define B_AT(s, kk, j) ((s)->trans_b ? (j) * (s)->ldb + (kk) : (kk) * (s)->ldb + (j))

/* An operand's element: straight from f32 storage, or through load_any. */
inline float
load_operand (const int              convert,
              __global const uchar  *p,
              ulong                  at,
              int                    dtype)
{
  return convert ? load_any (p, at, dtype) : ((__global const float *) p)[at];
}

/* acc[i] += op(A)[i0 + i, ·] · op(B)[·, j0 … j0 + VW).  @checked tests
 * every index against m and n (blocks on the edge of C); @convert reads
 * f16 and bf16 operands. */
inline void
gemm_vector_body (const int              checked,
                  const int              convert,
                  VT                    *acc,
                  const GemmShape       *s,
                  uint                   i0,
                  uint                   j0,
                  __global const uchar  *a,
                  ulong                  a_base,
                  __global const uchar  *b,
                  ulong                  b_base)
{
  for (uint kk = 0; kk < s->k; kk++)
    {
      Lanes row;

      if (!checked && !convert && !s->trans_b)
        row.v = VLOAD (0, (__global const float *) b + b_base + kk * s->ldb + j0);
      else
        for (uint x = 0; x < VW; x++)
          row.f[x] = !checked || j0 + x < s->n
                     ? load_operand (convert, b, b_base + B_AT (s, kk, j0 + x), s->b_dtype)
                     : 0.0f;

      for (uint i = 0; i < WM; i++)
        {
          uint gi = i0 + i;
          float value = !checked || gi < s->m
                        ? load_operand (convert, a, a_base + A_AT (s, gi, kk), s->a_dtype)
                        : 0.0f;

          acc[i] = mad ((VT) value, row.v, acc[i]);
        }
    }
}

/* global (⌈n / VW⌉, ⌈m / WM⌉, count) */
__kernel void
gemm_vector (GEMM_ARGS)
{
  const GemmShape shape = GEMM_SHAPE;
  const ulong batch = get_global_id (2);
  const uint j0 = get_global_id (0) * VW, i0 = get_global_id (1) * WM;
  const ulong a_base = a_offset + batch * a_stride, b_base = b_offset + batch * b_stride;
  const ulong c_base = c_offset + batch * c_stride;
  VT acc[WM];

  for (uint i = 0; i < WM; i++)
    acc[i] = 0.0f;
  if (a_dtype != WL_DTYPE_F32 || b_dtype != WL_DTYPE_F32)
    gemm_vector_body (1, 1, acc, &shape, i0, j0, a, a_base, b, b_base);
  else if (i0 + WM > m || j0 + VW > n)
    gemm_vector_body (1, 0, acc, &shape, i0, j0, a, a_base, b, b_base);
  else
    gemm_vector_body (0, 0, acc, &shape, i0, j0, a, a_base, b, b_base);

  for (uint i = 0; i < WM && i0 + i < m; i++)
    {
      Lanes out = { acc[i] };

      for (uint x = 0; x < VW && j0 + x < n; x++)
        gemm_store (&shape, c, c_base + (i0 + i) * ldc + j0 + x, out.f[x]);
    }
}

#endif
