/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-utf8.h: fast UTF-8 validation and repair of byte strings (private to engine/io). */
#pragma once

#include <string.h>
#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @text[0, @length) is valid UTF-8 without NUL bytes.  Plain
 * ASCII is checked here, eight bytes at a time (no byte with the high bit
 * set, no zero byte: w - 0x01.. borrows into the high bit of a zero byte);
 * GLib validates from the first other byte. */
static inline gboolean
wl_utf8_is_valid (const char *text,
                  gsize       length)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  gsize i = 0;

  for (; i + 8 <= length; i += 8)
    {
      guint64 w;

      memcpy (&w, text + i, 8);
      if (((w - ones) | w) & highs)
        break;
    }
  for (; i < length; i++)
    if ((guchar) text[i] - 1u >= 0x7fu)
      return g_utf8_validate_len (text + i, length - i, NULL);
  return TRUE;
}

/* Appends @text to @out with each invalid sequence (a bad byte and the
 * continuation bytes after it) and each NUL replaced by U+FFFD.  Returns
 * the number of replacements. */
guint64  wl_utf8_repair   (GString    *out,
                           const char *text,
                           gsize       length);

G_END_DECLS
