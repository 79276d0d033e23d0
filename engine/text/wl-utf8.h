/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-utf8.h: small UTF-8 helpers shared by the cleaning and tokenising code. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

static inline gboolean
wl_utf8_is_ascii (const char *s,
                  gsize       len)
{
  guchar any = 0;

  for (gsize i = 0; i < len; i++)
    any |= (guchar) s[i];

  return any < 0x80;
}

/* The character at @s (valid UTF-8) and its length in bytes. */
static inline gunichar
wl_utf8_decode (const char *s,
                gsize      *len)
{
  const guchar *u = (const guchar *) s;

  if (u[0] < 0x80)
    {
      *len = 1;
      return u[0];
    }
  if (u[0] < 0xE0)
    {
      *len = 2;
      return ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
    }
  if (u[0] < 0xF0)
    {
      *len = 3;
      return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
    }
  *len = 4;
  return ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) |
         (u[3] & 0x3Fu);
}

/* TRUE for the CJK Unified Ideographs block, the bulk of Chinese text:
 * letters, neither space nor digit nor punctuation. */
static inline gboolean
wl_unichar_is_common_han (gunichar c)
{
  return c >= 0x4E00 && c <= 0x9FFF;
}

/* ICU works on UTF-16 with 32-bit lengths, so long texts go to it in
 * pieces: this is the length of the first piece of @s, at most @max bytes
 * (@max >= 8), cut after a space or newline where one is in the second
 * half, and never inside a character of valid UTF-8. */
static inline gsize
wl_utf8_piece_length (const char *s,
                      gsize       len,
                      gsize       max)
{
  gsize i;

  if (len <= max)
    return len;
  for (i = max; i > max / 2; i--)
    if (s[i - 1] == ' ' || s[i - 1] == '\n')
      return i;
  for (i = max; i > max - 3 && ((guchar) s[i] & 0xC0) == 0x80; i--)
    ;
  return i;
}

G_END_DECLS
