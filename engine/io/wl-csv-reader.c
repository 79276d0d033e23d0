/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-csv-reader.c: streaming CSV/TSV reader: setup, header, rows, getters. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "wl-error.h"
#include "io/wl-csv-reader-private.h"
#include "io/wl-csv-sniff.h"
#include "io/wl-utf8.h"

static gboolean
row_is_blank (const WlCsvReader *self)
{
  if (self->n_fields != 1 || self->any_quoted)
    return FALSE;
  for (gsize i = 0; i < self->row_len - 1; i++)
    if (!g_ascii_isspace (self->row[i]))
      return FALSE;
  return TRUE;
}

static void
set_ragged_error (const WlCsvReader  *self,
                  GError            **error)
{
  g_autofree char *what = NULL;
  guint n = self->n_fields;

  if (self->has_header)
    what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "row has %u field but the header has %u",
                                         "row has %u fields but the header has %u", n),
                            n, self->n_columns);
  else
    what = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "row has %u field, expected %u like most rows",
                                         "row has %u fields, expected %u like most rows", n),
                            n, self->n_columns);
  if (n > self->n_columns)
    wl_csv_set_parse_error (self, error, self->extra_line, self->extra_column, what);
  else
    wl_csv_set_parse_error (self, error, self->end_line, self->end_column, what);
}

static void
note_bad_row (WlCsvReader *self)
{
  if (self->counts.n_bad_row_lines < WL_CSV_MAX_REPORTED_LINES)
    self->counts.bad_row_lines[self->counts.n_bad_row_lines++] = self->rec_line;
  self->counts.bad_rows++;
}

static void
note_quote_text_row (WlCsvReader *self)
{
  if (self->counts.n_quote_text_lines < WL_CSV_MAX_REPORTED_LINES)
    self->counts.quote_text_lines[self->counts.n_quote_text_lines++] = self->rec_line;
  self->counts.quote_text_rows++;
}

/* Makes every field valid UTF-8 and points the row's arrays at them. */
static void
publish_fields (WlCsvReader *self)
{
  gboolean any_repaired = FALSE;

  for (guint i = 0; i < self->n_fields; i++)
    {
      WlCsvField *f = &self->fields[i];
      const char *text = self->row + f->start;

      if (G_LIKELY (wl_utf8_is_valid (text, f->length)))
        {
          /* A decoder replaced what it could not read with U+FFFD. */
          if (G_UNLIKELY (self->decoder != NULL && self->counts.repaired_utf8 > 0))
            f->bad_bytes = g_strstr_len (text, f->length, "\xEF\xBF\xBD") != NULL;
          continue;
        }
      if (self->likely_encoding == NULL && !self->encoding_given)
        self->likely_encoding = wl_csv_guess_encoding (self->row, self->row_len);
      f->bad_bytes = TRUE;
      if (!any_repaired)
        g_string_truncate (self->repair, 0);
      any_repaired = TRUE;
      f->repaired = TRUE;
      f->start = self->repair->len;
      self->counts.repaired_utf8 += wl_utf8_repair (self->repair, text, f->length);
      f->length = self->repair->len - f->start;
      g_string_append_c (self->repair, '\0');
    }

  for (guint i = 0; i < self->n_fields; i++)
    {
      const WlCsvField *f = &self->fields[i];

      self->pointers[i] = (f->repaired ? self->repair->str : self->row) + f->start;
      self->lengths[i] = f->length;
    }
}

gboolean
wl_csv_reader_next_row (WlCsvReader  *self,
                        WlCsvRow     *row,
                        GError      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (;;)
    {
      GError *local = NULL;
      WlCsvRecordResult r = wl_csv_read_record (self, &local);

      if (r == WL_CSV_RECORD_OK)
        {
          if (row_is_blank (self))
            {
              self->counts.blank_lines++;
              continue;
            }
          if (self->n_columns == 0)
            self->n_columns = self->n_fields;
          if (self->n_fields != self->n_columns)
            {
              set_ragged_error (self, &local);
              r = WL_CSV_RECORD_RAGGED;
            }
        }

      switch (r)
        {
        case WL_CSV_RECORD_OK:
          if (self->rec_quotes_as_text)
            note_quote_text_row (self);
          else if (self->quote_repair)
            wl_csv_note_values (self);
          publish_fields (self);
          row->fields = self->pointers;
          row->lengths = self->lengths;
          row->n_fields = self->n_fields;
          row->line = self->rec_line;
          self->counts.rows++;
          return TRUE;

        case WL_CSV_RECORD_EOF:
          return FALSE;

        case WL_CSV_RECORD_BAD:
        case WL_CSV_RECORD_RAGGED:
          if (self->skip_bad_rows)
            {
              g_error_free (local);
              note_bad_row (self);
              if (r == WL_CSV_RECORD_BAD && !wl_csv_recover (self, error))
                return FALSE;
              continue;
            }
          G_GNUC_FALLTHROUGH;

        case WL_CSV_RECORD_ERROR:
        default:
          g_propagate_error (error, local);
          return FALSE;
        }
    }
}

static gboolean
read_header (WlCsvReader  *self,
             GError      **error)
{
  WlCsvRecordResult r;

  self->in_header = TRUE;
  while ((r = wl_csv_read_record (self, error)) == WL_CSV_RECORD_OK && row_is_blank (self))
    self->counts.blank_lines++;
  self->in_header = FALSE;
  if (r != WL_CSV_RECORD_OK && r != WL_CSV_RECORD_EOF)
    return FALSE;

  self->n_columns = r == WL_CSV_RECORD_OK ? self->n_fields : 0;
  self->header = g_new0 (char *, self->n_columns + 1);
  if (r == WL_CSV_RECORD_OK)
    {
      publish_fields (self);
      for (guint i = 0; i < self->n_columns; i++)
        self->header[i] = g_strstrip (g_strdup (self->pointers[i]));
    }
  return TRUE;
}

/* Detects or checks the encoding, on the first chunk read as it is. */
static gboolean
setup_encoding (WlCsvReader  *self,
                const char   *encoding,
                GError      **error)
{
  gsize bom = 0;

  if (encoding == NULL || g_ascii_strcasecmp (encoding, "auto") == 0)
    {
      self->encoding = wl_csv_detect_encoding (self->buf, self->buf_len,
                                               self->buf_len < WL_CSV_BUFFER_SIZE,
                                               self->display_name,
                                               &self->encoding_confidence, &bom, error);
      if (self->encoding == NULL)
        return FALSE;
      self->ascii_so_far = bom == 0 && wl_csv_encoding_is_utf8 (self->encoding) &&
                           wl_csv_first_non_ascii (self->buf, self->buf_len) == self->buf_len;
    }
  else
    {
      self->encoding = wl_csv_encoding_canonical (encoding, error);
      if (self->encoding == NULL)
        return FALSE;
      self->encoding_confidence = 100;
      self->encoding_given = TRUE;
      bom = wl_csv_bom_length (self->encoding, self->buf, self->buf_len);
    }
  self->had_bom = bom > 0;
  if (wl_csv_encoding_is_utf8 (self->encoding))
    {
      self->pos = self->line_start = bom;
      return TRUE;
    }
  return wl_csv_start_decoder (self, self->encoding, bom, 0, error);
}

static gboolean
check_separator (gunichar   separator,
                 const char *display_name,
                 GError    **error)
{
  if (separator == 0 ||
      (separator < 0x80 && separator != '"' && separator != '\n' && separator != '\r'))
    return TRUE;
  g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
               _("%s: U+%04X cannot separate fields; use one ASCII character "
                 "such as a comma, a semicolon or a tab"),
               display_name, separator);
  return FALSE;
}

WlCsvReader *
wl_csv_reader_new (const char          *path,
                   const WlCsvOptions  *options,
                   GCancellable        *cancellable,
                   GError             **error)
{
  static const WlCsvOptions defaults = { 0 };
  g_autoptr(WlCsvReader) self = NULL;
  WlCsvSniff sniff = { 0 };

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    options = &defaults;
  g_return_val_if_fail (options->quotes <= WL_QUOTES_NONE, NULL);

  self = g_new0 (WlCsvReader, 1);
  self->display_name = g_filename_display_name (path);
  self->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  self->skip_bad_rows = options->skip_bad_rows;
  self->raw_positions = options->raw_positions;
  self->max_row_bytes = options->max_row_bytes ? options->max_row_bytes
                                               : WL_CSV_DEFAULT_MAX_ROW_BYTES;
  wl_csv_fields_grow (self);
  self->repair = g_string_new (NULL);
  self->line = 1;

  if (!check_separator (options->separator, self->display_name, error))
    return NULL;

  if (!wl_csv_open_stream (self, path, cancellable, error))
    return NULL;

  self->buf = g_malloc (WL_CSV_BUFFER_SIZE);
  if (!wl_csv_refill (self, error))
    return NULL;
  if (!setup_encoding (self, options->encoding, error))
    return NULL;

  wl_csv_sniff (&sniff, self->buf + self->pos, self->buf_len - self->pos,
                self->buf_len < WL_CSV_BUFFER_SIZE, (char) options->separator,
                options->quotes, options->header, path);
  self->separator = sniff.separator;
  self->quotes = sniff.quotes;
  self->quote_repair = options->quotes == WL_QUOTES_AUTO && self->quotes == WL_QUOTES_RFC4180;
  self->has_header = sniff.has_header;
  self->n_columns = sniff.n_fields;
  self->mean_lengths = g_steal_pointer (&sniff.mean_lengths);
  wl_csv_sniff_clear (&sniff);

  self->stop[(guint8) self->separator] = 1;
  self->stop['\n'] = 1;
  self->stop['\r'] = 1;

  if (self->has_header && !read_header (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

void
wl_csv_reader_free (WlCsvReader *self)
{
  if (self == NULL)
    return;
  g_free (self->display_name);
  g_clear_object (&self->stream);
  g_clear_object (&self->cancellable);
  g_free (self->buf);
  g_strfreev (self->header);
  g_clear_pointer (&self->mean_lengths, g_array_unref);
  g_free (self->row);
  g_free (self->fields);
  g_free (self->pointers);
  g_free (self->lengths);
  g_free (self->known);
  g_free (self->encoding);
  g_free (self->likely_encoding);
  g_clear_pointer (&self->decoder, wl_csv_decoder_free);
  g_string_free (self->repair, TRUE);
  g_free (self);
}

guint64
wl_csv_reader_get_row_offset (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rec_offset;
}

gboolean
wl_csv_reader_seek (WlCsvReader  *self,
                    guint64       offset,
                    guint64       line,
                    GError      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!wl_csv_seek (self, offset, error))
    return FALSE;
  self->line = line;
  self->line_start = offset;
  self->skip_lf = FALSE;
  return TRUE;
}

gunichar
wl_csv_reader_get_separator (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return (gunichar) self->separator;
}

WlQuoteMode
wl_csv_reader_get_quotes (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, WL_QUOTES_RFC4180);
  return self->quotes;
}

gboolean
wl_csv_reader_get_has_header (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->has_header;
}

gboolean
wl_csv_reader_get_had_bom (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->had_bom;
}

const char *
wl_csv_reader_get_encoding (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->encoding;
}

int
wl_csv_reader_get_encoding_confidence (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->encoding_confidence;
}

gboolean
wl_csv_reader_field_repaired (const WlCsvReader *self,
                              guint              i)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (i < self->n_fields, FALSE);
  return self->fields[i].bad_bytes;
}

const char *
wl_csv_reader_get_likely_encoding (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->likely_encoding;
}

guint
wl_csv_reader_get_n_columns (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_columns;
}

const char * const *
wl_csv_reader_get_header (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->header;
}

double
wl_csv_reader_get_sample_mean_length (const WlCsvReader *self,
                                      guint              column)
{
  g_return_val_if_fail (self != NULL, 0.0);
  if (self->mean_lengths == NULL || column >= self->mean_lengths->len)
    return 0.0;
  return g_array_index (self->mean_lengths, double, column);
}

guint64
wl_csv_reader_get_offset (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  if (self->decoder != NULL)
    return wl_csv_decoder_get_raw_offset (self->decoder);
  return self->buf_offset + self->pos;
}

guint64
wl_csv_reader_get_size (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->size;
}

const WlCsvCounts *
wl_csv_reader_get_counts (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->counts;
}

const char *
wl_csv_reader_get_display_name (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->display_name;
}
