/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-protobuf.c: the protocol-buffers wire format, writing only. */
#include "config.h"

#include <string.h>

#include "export/wl-protobuf.h"

enum
{
  WIRE_VARINT = 0,
  WIRE_FIXED32 = 5,
  WIRE_LEN = 2,
};

struct _WlProto
{
  GByteArray *bytes;
};

WlProto *
wl_proto_new (void)
{
  WlProto *proto = g_new0 (WlProto, 1);

  proto->bytes = g_byte_array_new ();
  return proto;
}

void
wl_proto_free (WlProto *proto)
{
  if (proto == NULL)
    return;
  if (proto->bytes != NULL)
    g_byte_array_unref (proto->bytes);
  g_free (proto);
}

gsize
wl_proto_get_size (const WlProto *proto)
{
  return proto->bytes->len;
}

GBytes *
wl_proto_steal (WlProto *proto)
{
  GBytes *bytes = g_byte_array_free_to_bytes (g_steal_pointer (&proto->bytes));

  wl_proto_free (proto);
  return bytes;
}

static void
put_raw_varint (WlProto *proto,
                guint64  value)
{
  guint8 buf[10];
  guint n = 0;

  do
    {
      buf[n] = value & 0x7f;
      value >>= 7;
      if (value != 0)
        buf[n] |= 0x80;
      n++;
    }
  while (value != 0);
  g_byte_array_append (proto->bytes, buf, n);
}

static void
put_tag (WlProto *proto,
         guint    field,
         guint    wire)
{
  put_raw_varint (proto, ((guint64) field << 3) | wire);
}

void
wl_proto_put_varint (WlProto *proto,
                     guint    field,
                     guint64  value)
{
  put_tag (proto, field, WIRE_VARINT);
  put_raw_varint (proto, value);
}

void
wl_proto_put_int (WlProto *proto,
                  guint    field,
                  gint64   value)
{
  wl_proto_put_varint (proto, field, (guint64) value);
}

void
wl_proto_put_float (WlProto *proto,
                    guint    field,
                    float    value)
{
  guint32 bits;

  memcpy (&bits, &value, 4);
  bits = GUINT32_TO_LE (bits);
  put_tag (proto, field, WIRE_FIXED32);
  g_byte_array_append (proto->bytes, (const guint8 *) &bits, 4);
}

void
wl_proto_put_bytes (WlProto    *proto,
                    guint       field,
                    const void *data,
                    gsize       len)
{
  put_tag (proto, field, WIRE_LEN);
  put_raw_varint (proto, len);
  g_byte_array_append (proto->bytes, data, len);
}

void
wl_proto_put_string (WlProto    *proto,
                     guint       field,
                     const char *str)
{
  wl_proto_put_bytes (proto, field, str, strlen (str));
}

void
wl_proto_put_fields (WlProto    *proto,
                     const void *data,
                     gsize       len)
{
  g_byte_array_append (proto->bytes, data, len);
}

void
wl_proto_put_message (WlProto *proto,
                      guint    field,
                      WlProto *message)
{
  wl_proto_put_bytes (proto, field, message->bytes->data, message->bytes->len);
  wl_proto_free (message);
}
