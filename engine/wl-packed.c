/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-packed.c: ascending 64-bit numbers in 4 bytes each. */
#include "config.h"

#include "wl-packed.h"

void
wl_packed_init (WlPacked *packed)
{
  *packed = (WlPacked) { .spans = g_array_new (FALSE, FALSE, sizeof (guint64)) };
}

void
wl_packed_clear (WlPacked *packed)
{
  g_clear_pointer (&packed->low, g_free);
  g_clear_pointer (&packed->spans, g_array_unref);
  packed->len = packed->alloc = 0;
}

gboolean
wl_packed_append (WlPacked *packed,
                  guint64   value)
{
  guint64 span = value >> 32;

  g_return_val_if_fail (packed->len == 0 || value >= wl_packed_get (packed, packed->len - 1),
                        FALSE);

  if (packed->len == packed->alloc)
    {
      guint64 alloc = MAX (4096, packed->alloc * 2);
      guint32 *low = alloc < G_MAXSIZE / sizeof (guint32)
                     ? g_try_realloc (packed->low, alloc * sizeof (guint32)) : NULL;

      if (low == NULL)
        return FALSE;
      packed->low = low;
      packed->alloc = alloc;
    }
  while (packed->spans->len < span)
    g_array_append_val (packed->spans, packed->len);
  packed->low[packed->len++] = (guint32) value;
  return TRUE;
}

guint64
wl_packed_get (const WlPacked *packed,
               guint64         i)
{
  guint64 span = 0;

  while (span < packed->spans->len && g_array_index (packed->spans, guint64, span) <= i)
    span++;
  return span << 32 | packed->low[i];
}

void
wl_packed_trim (WlPacked *packed)
{
  guint32 *low = g_try_realloc (packed->low, MAX (packed->len, 1) * sizeof (guint32));

  if (low == NULL)
    return;
  packed->low = low;
  packed->alloc = MAX (packed->len, 1);
}
