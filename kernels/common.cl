/* common.cl: what every Wordloom kernel program starts with.
 *
 * Storage types: F32 (float), F16 (IEEE half) and BF16 (the top half of a
 * float, in a ushort).  Arithmetic is always f32; LOAD_x/STORE_x move one
 * element between storage and a float.  Half storage needs no extension
 * (vload_half/vstore_half are core OpenCL); a device with cl_khr_fp16 gets
 * -DWL_HAVE_FP16 and loads halves directly, which vectorises better.
 */
#ifdef WL_HAVE_FP16
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
#endif

#define WL_CAT_(a, b) a##b
#define WL_CAT(a, b) WL_CAT_(a, b)

#define T_F32 float
#define T_F16 half
#define T_BF16 ushort

#define LOAD_F32(p, i) ((p)[i])
#define STORE_F32(p, i, v) ((p)[i] = (v))

#ifdef WL_HAVE_FP16
#define LOAD_F16(p, i) ((float) (p)[i])
#define STORE_F16(p, i, v) ((p)[i] = convert_half_rte (v))
#else
#define LOAD_F16(p, i) vload_half ((i), (p))
#define STORE_F16(p, i, v) vstore_half_rte ((v), (i), (p))
#endif

#define LOAD_BF16(p, i) as_float ((uint) (p)[i] << 16)
#define STORE_BF16(p, i, v) ((p)[i] = bf16_from_float (v))

/* Round to nearest even; NaN stays NaN (as wl_bf16_from_float). */
inline ushort
bf16_from_float (float value)
{
  uint bits = as_uint (value);

  if ((bits & 0x7fffffffu) > 0x7f800000u)
    return (ushort) ((bits >> 16) | 0x40u);
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return (ushort) (bits >> 16);
}

/* Element @i of a buffer of storage type @dtype (WlDtype: 0 F32, 1 F16,
 * 2 BF16), for kernels that take any type at run time: the switch is the
 * same for every work-item, so it costs next to nothing. */
#define WL_DTYPE_F32 0
#define WL_DTYPE_F16 1
#define WL_DTYPE_BF16 2

inline float
load_any (__global const uchar *p,
          ulong                 i,
          int                   dtype)
{
  switch (dtype)
    {
    case WL_DTYPE_F16:
      return LOAD_F16 ((__global const T_F16 *) p, i);
    case WL_DTYPE_BF16:
      return LOAD_BF16 ((__global const T_BF16 *) p, i);
    default:
      return ((__global const float *) p)[i];
    }
}

inline void
store_any (__global uchar *p,
           ulong           i,
           int             dtype,
           float           value)
{
  switch (dtype)
    {
    case WL_DTYPE_F16:
      STORE_F16 ((__global T_F16 *) p, i, value);
      break;
    case WL_DTYPE_BF16:
      STORE_BF16 ((__global T_BF16 *) p, i, value);
      break;
    default:
      ((__global float *) p)[i] = value;
      break;
    }
}

/* Float add on global memory for devices without float atomics: retry
 * the compare-and-swap until no other work-item changed the value. */
inline void
atomic_add_global_float (volatile __global float *p,
                         float                    value)
{
  volatile __global uint *bits = (volatile __global uint *) p;
  uint expected = *bits;
  uint seen;

  for (;;)
    {
      uint desired = as_uint (as_float (expected) + value);

      seen = atomic_cmpxchg (bits, expected, desired);
      if (seen == expected)
        break;
      expected = seen;
    }
}
