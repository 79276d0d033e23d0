/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-packed.h: an ascending list of 64-bit numbers (offsets, line numbers)
 * in 4 bytes each: the low 32 bits per entry, and where each next 4 Gi
 * span begins.  For per-row indexes of files larger than memory. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint32 *low;
  guint64  len;
  guint64  alloc;
  GArray  *spans;     /* guint64: the first entry of span 1, 2, ... */
} WlPacked;

void     wl_packed_init   (WlPacked       *packed);
void     wl_packed_clear  (WlPacked       *packed);
/* Appends @value, not below the last one; FALSE when memory runs out. */
gboolean wl_packed_append (WlPacked       *packed,
                           guint64         value);
guint64  wl_packed_get    (const WlPacked *packed,
                           guint64         i);
/* Gives memory not needed for @packed's entries back. */
void     wl_packed_trim   (WlPacked       *packed);

G_END_DECLS
