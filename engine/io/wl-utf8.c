/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-utf8.c: fast UTF-8 validation and repair of byte strings. */
#include "config.h"

#include "io/wl-utf8.h"

guint64
wl_utf8_repair (GString    *out,
                const char *text,
                gsize       length)
{
  guint64 count = 0;

  while (length > 0)
    {
      const char *end;
      gsize valid;

      if (g_utf8_validate_len (text, length, &end))
        {
          g_string_append_len (out, text, length);
          break;
        }
      valid = end - text;
      g_string_append_len (out, text, valid);
      g_string_append_len (out, "\xEF\xBF\xBD", 3);
      count++;
      text += valid + 1;
      length -= valid + 1;
      while (length > 0 && ((guchar) *text & 0xC0) == 0x80)
        {
          text++;
          length--;
        }
    }
  return count;
}
