/* convert.cl: precision conversion between the float storage types.
 *
 * f32 → f16 and f32 → bf16 round to nearest even, as wl-host.c does.
 */

__kernel void
convert (uint n, __global const uchar *src, int src_dtype, __global uchar *dst, int dst_dtype)
{
  uint i = get_global_id (0);

  if (i < n)
    store_any (dst, i, dst_dtype, load_any (src, i, src_dtype));
}
