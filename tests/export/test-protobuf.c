/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-protobuf.c: the wire format against the encodings the protobuf
 * documentation gives, and the safetensors header's padding. */
#include "config.h"

#include <string.h>

#include "export/wl-protobuf.h"
#include "export/wl-safetensors.h"

static void
assert_bytes (GBytes       *bytes,
              const guint8 *want,
              gsize         n)
{
  gsize len;
  const guint8 *got = g_bytes_get_data (bytes, &len);

  g_assert_cmpmem (got, len, want, n);
}

static void
test_varint (void)
{
  WlProto *proto = wl_proto_new ();
  g_autoptr(GBytes) bytes = NULL;
  /* "a = 150" (field 1) is 08 96 01; 300 is ac 02; -1 is ten bytes. */
  static const guint8 want[] = {
    0x08, 0x96, 0x01,
    0x10, 0xac, 0x02,
    0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
    0x20, 0x00,
  };

  wl_proto_put_varint (proto, 1, 150);
  wl_proto_put_varint (proto, 2, 300);
  wl_proto_put_int (proto, 3, -1);
  wl_proto_put_int (proto, 4, 0);
  bytes = wl_proto_steal (proto);
  assert_bytes (bytes, want, sizeof want);
}

static void
test_length_delimited (void)
{
  WlProto *proto = wl_proto_new ();
  WlProto *inner = wl_proto_new ();
  g_autoptr(GBytes) bytes = NULL;
  /* "b = testing" (field 2) is 12 07 74 65 73 74 69 6e 67; a nested
   * message c = { a = 150 } (field 3) is 1a 03 08 96 01; a float 1.0 in
   * field 5 is 2d 00 00 80 3f. */
  static const guint8 want[] = {
    0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g',
    0x1a, 0x03, 0x08, 0x96, 0x01,
    0x2d, 0x00, 0x00, 0x80, 0x3f,
  };

  wl_proto_put_string (proto, 2, "testing");
  wl_proto_put_varint (inner, 1, 150);
  wl_proto_put_message (proto, 3, inner);
  wl_proto_put_float (proto, 5, 1.f);
  bytes = wl_proto_steal (proto);
  assert_bytes (bytes, want, sizeof want);
}

static void
test_safetensors_layout (void)
{
  g_autoptr(WlSafetensors) file = wl_safetensors_new ();
  g_autoptr(GBytes) bytes = NULL;
  const float w[3] = { 1.f, -2.f, 0.5f };
  const gint64 dims[1] = { 3 };
  const guint8 *data;
  guint64 n;
  gsize len;

  g_assert_true (wl_safetensors_add (file, "w", WL_SAFETENSORS_F32, 1, dims, w));
  g_assert_false (wl_safetensors_add (file, "w", WL_SAFETENSORS_F32, 1, dims, w));
  g_assert_false (wl_safetensors_add (file, "__metadata__", WL_SAFETENSORS_F32, 1, dims, w));
  bytes = wl_safetensors_to_bytes (file);
  data = g_bytes_get_data (bytes, &len);
  memcpy (&n, data, 8);
  n = GUINT64_FROM_LE (n);
  g_assert_cmpuint (n % 8, ==, 0);
  g_assert_cmpuint (len, ==, 8 + n + sizeof w);
  g_assert_cmpmem (data + 8 + n, sizeof w, w, sizeof w);
  g_assert_true (data[8] == '{');
  g_assert_true (data[8 + n - 1] == '}' || data[8 + n - 1] == ' ');
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/protobuf/varint", test_varint);
  g_test_add_func ("/protobuf/length-delimited", test_length_delimited);
  g_test_add_func ("/safetensors/layout", test_safetensors_layout);
  return g_test_run ();
}
