/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-protobuf.h: the protocol-buffers wire format, writing only.
 *
 * Enough to write ONNX files: varints, fixed32 floats and length-delimited
 * fields (strings, bytes, nested messages).  Repeated scalars are written
 * one field each (unpacked), which every reader accepts.  A message is
 * built bottom-up: fill the nested message, then put it into its parent.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _WlProto WlProto;

WlProto *wl_proto_new         (void);
void     wl_proto_free        (WlProto       *proto);
gsize    wl_proto_get_size    (const WlProto *proto);
/* Hands over the bytes; the message is freed. */
GBytes  *wl_proto_steal       (WlProto       *proto);

void     wl_proto_put_varint  (WlProto       *proto,
                               guint          field,
                               guint64        value);
/* A signed value as protobuf's int32/int64 write it (two's complement). */
void     wl_proto_put_int     (WlProto       *proto,
                               guint          field,
                               gint64         value);
void     wl_proto_put_float   (WlProto       *proto,
                               guint          field,
                               float          value);
void     wl_proto_put_bytes   (WlProto       *proto,
                               guint          field,
                               const void    *data,
                               gsize          len);
void     wl_proto_put_string  (WlProto       *proto,
                               guint          field,
                               const char    *str);
/* Appends fields already encoded (@data is a message's bytes). */
void     wl_proto_put_fields  (WlProto       *proto,
                               const void    *data,
                               gsize          len);
/* Puts @message as a nested field and frees it. */
void     wl_proto_put_message (WlProto       *proto,
                               guint          field,
                               WlProto       *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlProto, wl_proto_free)

G_END_DECLS
