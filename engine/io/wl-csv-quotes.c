/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-csv-quotes.c: quotes as files have them.  With quotes "auto" on an
 * RFC 4180 file, a record whose quotes do not follow RFC 4180 is read again
 * from its first line with its quotes as ordinary characters (see
 * "Quotes as files have them" in DESIGN.md). */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "wl-error.h"
#include "io/wl-csv-reader-private.h"

static void
set_stray_quote_error (const WlCsvReader  *self,
                       GError            **error,
                       guint64             problem_line)
{
  g_autofree char *what = NULL;
  guint n = self->n_columns;

  what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "a quote opens a field here that does not end as a quoted "
                                       "field should (read up to line %" PRIu64 "), and with its "
                                       "quotes read as text this line does not have the %u field "
                                       "of the other rows",
                                       "a quote opens a field here that does not end as a quoted "
                                       "field should (read up to line %" PRIu64 "), and with its "
                                       "quotes read as text this line does not have the %u fields "
                                       "of the other rows", n),
                          problem_line, n);
  wl_csv_set_parse_error (self, error, self->quote_line, self->quote_column, what);
}

static gboolean
known_value (const WlCsvKnownValues *known,
             const char             *value,
             gsize                   length)
{
  for (guint i = 0; i < known->n; i++)
    if (known->lengths[i] == length && memcmp (known->values[i], value, length) == 0)
      return TRUE;
  return FALSE;
}

void
wl_csv_note_values (WlCsvReader *self)
{
  if (self->known == NULL)
    self->known = g_new0 (WlCsvKnownValues, self->n_columns);
  for (guint i = 0; i < self->n_columns; i++)
    {
      WlCsvKnownValues *known = &self->known[i];
      const WlCsvField *f = &self->fields[i];
      const char *value = self->row + f->start;

      if (known->overflow || known_value (known, value, f->length))
        continue;
      if (known->n == WL_CSV_KNOWN_VALUES || f->length > WL_CSV_KNOWN_VALUE_BYTES)
        {
          known->overflow = TRUE;
          continue;
        }
      memcpy (known->values[known->n], value, f->length);
      known->lengths[known->n++] = f->length;
    }
}

/* Whether @line, read with quotes as text, is a record: n_columns fields,
 * and (for a line after the first) in every column that has held only a
 * few distinct values so far (labels), one of them; with no such column,
 * a later line is never taken for a record. */
static gboolean
line_is_record (const WlCsvReader *self,
                const GString     *line,
                gboolean           first)
{
  const char *p = line->str, *end = line->str + line->len;
  gboolean any_checked = FALSE;

  for (guint i = 0; i < self->n_columns; i++)
    {
      const char *stop = memchr (p, self->separator, end - p);
      const WlCsvKnownValues *known = self->known ? &self->known[i] : NULL;

      if (stop == NULL)
        stop = end;
      if ((stop == end) != (i + 1 == self->n_columns))
        return FALSE;
      if (!first && known != NULL && !known->overflow && known->n > 0)
        {
          if (!known_value (known, p, stop - p))
            return FALSE;
          any_checked = TRUE;
        }
      p = stop + 1;
    }
  return first || any_checked;
}

/* Whether every physical line of the record just read, from rec_offset to
 * @end, is a record by itself when its quotes are read as text. */
static gboolean
lines_are_records (WlCsvReader  *self,
                   guint64       end,
                   gboolean     *result,
                   GError      **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean first = TRUE, prev_cr = FALSE;

  *result = TRUE;
  if (!wl_csv_seek (self, self->rec_offset, error))
    return FALSE;
  while (*result && self->buf_offset + self->pos < end)
    {
      char c;

      if (self->pos == self->buf_len)
        {
          if (!wl_csv_refill (self, error))
            return FALSE;
          if (self->buf_len == 0)
            break;
          continue;
        }
      c = self->buf[self->pos++];
      if (c == '\n' || c == '\r')
        {
          if (!(c == '\n' && prev_cr))
            {
              *result = line_is_record (self, line, first);
              first = FALSE;
              g_string_truncate (line, 0);
            }
          prev_cr = c == '\r';
          continue;
        }
      prev_cr = FALSE;
      g_string_append_c (line, c);
    }
  if (*result && line->len > 0)
    *result = line_is_record (self, line, first);
  return wl_csv_seek (self, end, error);
}

/* Reads the record again from its first line, quotes as ordinary
 * characters: it ends at that line's end. */
static WlCsvRecordResult
read_plain (WlCsvReader  *self,
            GError      **error)
{
  WlCsvRecordResult r;
  guint64 quote_line = self->quote_line, quote_column = self->quote_column;

  if (!wl_csv_seek (self, self->rec_offset, error))
    return WL_CSV_RECORD_ERROR;
  self->line = self->rec_line;
  self->line_start = self->rec_offset;
  self->skip_lf = FALSE;
  self->plain_record = TRUE;
  r = wl_csv_read_record_as_written (self, error);
  self->plain_record = FALSE;
  self->quote_line = quote_line;
  self->quote_column = quote_column;
  self->rec_quotes_as_text = TRUE;
  return r;
}

WlCsvRecordResult
wl_csv_read_record (WlCsvReader  *self,
                    GError      **error)
{
  GError *local = NULL;
  WlCsvRecordResult r = wl_csv_read_record_as_written (self, &local);
  gboolean stray = FALSE;

  if (!self->quote_repair || self->n_columns == 0)
    goto done;
  if (r == WL_CSV_RECORD_BAD && self->any_quoted)
    stray = TRUE;
  else if (r == WL_CSV_RECORD_OK && self->rec_multiline)
    {
      if (self->n_fields != self->n_columns)
        stray = TRUE;
      else if (!lines_are_records (self, self->buf_offset + self->pos, &stray, error))
        {
          g_clear_error (&local);
          return WL_CSV_RECORD_ERROR;
        }
    }
  if (stray || self->rec_multiline)
    self->quote_decisions++;
  if (stray)
    {
      GError *plain_error = NULL;
      guint64 problem_line = self->line;
      WlCsvRecordResult plain = read_plain (self, &plain_error);

      g_clear_error (&local);
      if (plain == WL_CSV_RECORD_OK && self->n_fields == self->n_columns)
        return WL_CSV_RECORD_OK;
      if (plain == WL_CSV_RECORD_ERROR || plain == WL_CSV_RECORD_BAD)
        {
          g_propagate_error (error, plain_error);
          return plain;
        }
      /* Neither reading gives a record: say where the quote opens;
       * skipping drops that one line. */
      g_clear_error (&plain_error);
      set_stray_quote_error (self, &local, problem_line);
      r = WL_CSV_RECORD_RAGGED;
    }

done:
  if (local != NULL)
    g_propagate_error (error, local);
  return r;
}
