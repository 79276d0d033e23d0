/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-text-spill.c: the texts of a dataset kept in a scratch file. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "wl-cache-file.h"
#include "wl-error.h"
#include "wl-packed.h"
#include "io/wl-text-spill.h"

#define BUFFER_SIZE (1u << 20)   /* appends are written in blocks of this size */

struct _WlTextSpill
{
  int      fd;
  WlPacked starts;      /* row i is bytes starts[i] .. starts[i + 1] - 1: its
                         * first line (8 bytes), then its text */
  gsize    n_rows;
  GString *buffer;      /* appended, not yet written */
  guint64  written;     /* bytes in the file */
  gboolean finished;    /* no more appends: rows can be read */
};

WlTextSpill *
wl_text_spill_new (GError **error)
{
  int fd = wl_cache_file_open ("texts", error);
  WlTextSpill *spill;

  if (fd < 0)
    return NULL;
  spill = g_new0 (WlTextSpill, 1);
  spill->fd = fd;
  wl_packed_init (&spill->starts);
  wl_packed_append (&spill->starts, 0);
  spill->buffer = g_string_sized_new (BUFFER_SIZE);
  return spill;
}

void
wl_text_spill_free (WlTextSpill *spill)
{
  if (spill == NULL)
    return;
  close (spill->fd);
  wl_packed_clear (&spill->starts);
  g_string_free (spill->buffer, TRUE);
  g_free (spill);
}

static gboolean
write_buffer (WlTextSpill  *spill,
              GError      **error)
{
  if (!wl_cache_file_write (spill->fd, spill->buffer->str, spill->buffer->len,
                            spill->written, error))
    return FALSE;
  spill->written += spill->buffer->len;
  g_string_truncate (spill->buffer, 0);
  return TRUE;
}

gboolean
wl_text_spill_finish (WlTextSpill  *spill,
                      GError      **error)
{
  g_return_val_if_fail (spill != NULL, FALSE);

  if (!write_buffer (spill, error))
    return FALSE;
  wl_packed_trim (&spill->starts);
  spill->finished = TRUE;
  return TRUE;
}

gboolean
wl_text_spill_append (WlTextSpill  *spill,
                      guint64       line,
                      const char   *text,
                      gsize         length,
                      GError      **error)
{
  gsize size = sizeof line + length;

  g_return_val_if_fail (spill != NULL && !spill->finished, FALSE);

  if (!wl_packed_append (&spill->starts, spill->written + spill->buffer->len + size))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("Not enough memory to load more than %zu rows"), spill->n_rows);
      return FALSE;
    }
  spill->n_rows++;
  if (spill->buffer->len + size > BUFFER_SIZE && !write_buffer (spill, error))
    return FALSE;
  g_string_append_len (spill->buffer, (const char *) &line, sizeof line);
  if (size <= BUFFER_SIZE)
    {
      g_string_append_len (spill->buffer, text, length);
      return TRUE;
    }
  /* A text longer than the buffer goes straight to the file. */
  if (!write_buffer (spill, error) ||
      !wl_cache_file_write (spill->fd, text, length, spill->written, error))
    return FALSE;
  spill->written += length;
  return TRUE;
}

gsize
wl_text_spill_get_n_rows (const WlTextSpill *spill)
{
  g_return_val_if_fail (spill != NULL, 0);
  return spill->n_rows;
}

gboolean
wl_text_spill_read (const WlTextSpill  *spill,
                    const guint32      *rows,
                    gsize               n,
                    GStringChunk       *chunk,
                    const char        **texts,
                    guint64            *lines,
                    GError            **error)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (spill != NULL, FALSE);
  g_return_val_if_fail (spill->finished, FALSE);

  for (gsize k = 0; k < n; k++)
    {
      guint32 row = rows[k];
      guint64 start;
      gsize length;

      g_return_val_if_fail (row < spill->n_rows, FALSE);
      start = wl_packed_get (&spill->starts, row);
      length = wl_packed_get (&spill->starts, row + 1) - start;
      g_string_set_size (text, length);
      if (!wl_cache_file_read (spill->fd, text->str, length, start, error))
        return FALSE;
      if (lines != NULL)
        memcpy (&lines[k], text->str, sizeof (guint64));
      texts[k] = g_string_chunk_insert_len (chunk, text->str + sizeof (guint64),
                                            length - sizeof (guint64));
    }
  return TRUE;
}
