/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-csv-record.c: the reader's record parser: RFC 4180 (or quote-free)
 * state machine over fixed-size chunks, line tracking, recovery after a
 * malformed row. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "wl-error.h"
#include "wl-format.h"
#include "io/wl-csv-reader-private.h"

#define ROW_START_SIZE 4096

typedef enum
{
  FIELD_START,
  UNQUOTED,
  QUOTED,
  QUOTE_SEEN,      /* a quote inside a quoted field: doubled, or the end of the field */
} ParseState;

static inline guint64
column_at (const WlCsvReader *self,
           gsize              pos)
{
  return self->buf_offset + pos - self->line_start + 1;
}

void
wl_csv_set_parse_error (const WlCsvReader  *self,
                        GError            **error,
                        guint64             line,
                        guint64             column,
                        const char         *what)
{
  if (self->in_header)
    g_set_error (error, WL_ERROR, WL_ERROR_PARSE,
                 _("%s:%" PRIu64 ":%" PRIu64 ": %s; fix the header row"),
                 self->display_name, line, column, what);
  else
    g_set_error (error, WL_ERROR, WL_ERROR_PARSE,
                 _("%s:%" PRIu64 ":%" PRIu64 ": %s; fix the row or skip such rows"),
                 self->display_name, line, column, what);
}

static void
set_unterminated_error (const WlCsvReader  *self,
                        GError            **error)
{
  wl_csv_set_parse_error (self, error, self->quote_line, self->quote_column,
                          _("unterminated quoted field: "
                            "the quote that opens it is never closed"));
}

gboolean
wl_csv_propagate_read_error (const WlCsvReader  *self,
                             GError             *local,
                             GError            **error)
{
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error (error, WL_ERROR, WL_ERROR_CANCELLED,
                 _("Reading “%s” was cancelled"), self->display_name);
  else
    g_set_error (error, WL_ERROR, WL_ERROR_IO,
                 _("Cannot read “%s”: %s"), self->display_name, local->message);
  g_error_free (local);
  return FALSE;
}

gboolean
wl_csv_open_stream (WlCsvReader   *self,
                    const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  GError *local = NULL;

  self->stream = (GInputStream *) g_file_read (file, cancellable, &local);
  if (self->stream == NULL)
    return wl_csv_propagate_read_error (self, local, error);
  info = g_file_input_stream_query_info (G_FILE_INPUT_STREAM (self->stream),
                                         G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  if (info != NULL)
    self->size = g_file_info_get_size (info);
  return TRUE;
}

gsize
wl_csv_first_non_ascii (const char *text,
                        gsize       length)
{
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  gsize i = 0;

  /* 64 bytes at a time, which compilers vectorise. */
  for (; i + 64 <= length; i += 64)
    {
      guint64 w[8], any = 0;

      memcpy (w, text + i, 64);
      for (guint k = 0; k < 8; k++)
        any |= w[k];
      if (any & highs)
        break;
    }
  for (; i < length; i++)
    if ((guchar) text[i] >= 0x80)
      return i;
  return length;
}

gboolean
wl_csv_start_decoder (WlCsvReader  *self,
                      const char   *encoding,
                      guint64       raw_start,
                      guint64       decoded_start,
                      GError      **error)
{
  GError *local = NULL;
  gsize kept = 0;

  /* The bytes from @raw_start that the buffer holds as read (the stream is
   * past them) are decoded from there, not read again. */
  if (self->decoder == NULL && raw_start >= self->buf_offset &&
      raw_start < self->buf_offset + self->buf_len)
    kept = self->buf_offset + self->buf_len - raw_start;
  else if (!g_seekable_seek (G_SEEKABLE (self->stream), raw_start, G_SEEK_SET,
                             self->cancellable, &local))
    return wl_csv_propagate_read_error (self, local, error);
  self->decoder = wl_csv_decoder_new (encoding, self->stream, raw_start, decoded_start,
                                      self->raw_positions, error);
  if (self->decoder == NULL)
    return FALSE;
  wl_csv_decoder_set_prefix (self->decoder, self->buf + (self->buf_len - kept), kept);
  self->buf_offset = decoded_start;
  self->buf_len = self->pos = 0;
  return wl_csv_refill (self, error);
}

/* A file that was ASCII so far, read as UTF-8: at its first other byte,
 * stays UTF-8 if the bytes from there are, else goes on with the encoding
 * they look like (when the detector is sure enough). */
static gboolean
check_first_non_ascii (WlCsvReader  *self,
                       GError      **error)
{
  gsize k = wl_csv_first_non_ascii (self->buf, self->buf_len), line = k;
  int confidence = 0;
  gsize bom = 0;
  g_autofree char *found = NULL;

  if (k == self->buf_len)
    return TRUE;
  self->ascii_so_far = FALSE;
  while (line > 0 && self->buf[line - 1] != '\n' && self->buf[line - 1] != '\r')
    line--;
  found = wl_csv_detect_encoding (self->buf + line, self->buf_len - line,
                                  self->buf_len < WL_CSV_BUFFER_SIZE, self->display_name,
                                  &confidence, &bom, NULL);
  if (found == NULL || wl_csv_encoding_is_utf8 (found) || bom > 0)
    return TRUE;
  g_free (self->encoding);
  self->encoding = g_steal_pointer (&found);
  self->encoding_confidence = confidence;
  if (k > 0)
    {
      GError *local = NULL;

      /* Keep the ASCII before it; decode from there on the next refill. */
      self->decoder = wl_csv_decoder_new (self->encoding, self->stream, self->buf_offset + k,
                                          self->buf_offset + k, self->raw_positions, error);
      if (self->decoder == NULL)
        return FALSE;
      if (!g_seekable_seek (G_SEEKABLE (self->stream), self->buf_offset + k, G_SEEK_SET,
                            self->cancellable, &local))
        return wl_csv_propagate_read_error (self, local, error);
      self->buf_len = k;
      return TRUE;
    }
  return wl_csv_start_decoder (self, self->encoding, self->buf_offset, self->buf_offset, error);
}

/* Reads the next chunk; buf_len is 0 at the end of the file. */
gboolean
wl_csv_refill (WlCsvReader  *self,
               GError      **error)
{
  GError *local = NULL;
  gsize n = 0;

  self->buf_offset += self->buf_len;
  self->buf_len = self->pos = 0;
  self->next_stop_valid = FALSE;
  if (self->decoder != NULL)
    {
      guint64 before = wl_csv_decoder_get_repaired (self->decoder);
      guint64 raw_before = wl_csv_decoder_get_bytes_read (self->decoder);

      if (!wl_csv_decoder_read (self->decoder, self->buf, WL_CSV_BUFFER_SIZE, &n,
                                self->cancellable, &local))
        return wl_csv_propagate_read_error (self, local, error);
      self->counts.repaired_utf8 += wl_csv_decoder_get_repaired (self->decoder) - before;
      self->bytes_read += wl_csv_decoder_get_bytes_read (self->decoder) - raw_before;
      self->buf_len = n;
      return TRUE;
    }
  if (!g_input_stream_read_all (self->stream, self->buf, WL_CSV_BUFFER_SIZE, &n,
                                self->cancellable, &local))
    return wl_csv_propagate_read_error (self, local, error);
  self->buf_len = n;
  self->bytes_read += n;
  if (G_UNLIKELY (self->ascii_so_far))
    return check_first_non_ascii (self, error);
  return TRUE;
}

gboolean
wl_csv_seek (WlCsvReader  *self,
             guint64       offset,
             GError      **error)
{
  GError *local = NULL;

  self->next_stop_valid = FALSE;
  if (offset >= self->buf_offset && offset <= self->buf_offset + self->buf_len)
    {
      self->pos = offset - self->buf_offset;
      return TRUE;
    }
  if (self->decoder != NULL)
    {
      guint64 restart;

      if (!wl_csv_decoder_seek (self->decoder, offset, &restart, self->cancellable, &local))
        return wl_csv_propagate_read_error (self, local, error);
      self->buf_offset = restart;
      self->buf_len = self->pos = 0;
      while (self->buf_offset + self->buf_len < offset)
        {
          if (!wl_csv_refill (self, error))
            return FALSE;
          if (self->buf_len == 0)
            break;
        }
      self->pos = MIN (offset - self->buf_offset, self->buf_len);
      return TRUE;
    }
  if (!g_seekable_seek (G_SEEKABLE (self->stream), offset, G_SEEK_SET,
                        self->cancellable, &local))
    return wl_csv_propagate_read_error (self, local, error);
  self->buf_offset = offset;
  self->buf_len = self->pos = 0;
  return TRUE;
}

/* Grows the row for @need bytes, or fails when a row gets too long. */
static G_GNUC_NO_INLINE WlCsvRecordResult
row_grow (WlCsvReader  *self,
          gsize         need,
          gboolean      in_quotes,
          GError      **error)
{
  gsize alloc;
  char *row;

  if (need > self->max_row_bytes)
    {
      g_autofree char *limit = wl_format_size (self->max_row_bytes);
      g_autofree char *what = NULL;

      if (in_quotes)
        {
          what = g_strdup_printf (_("quoted field not closed within %s: the quote that opens it "
                                    "is probably never closed"), limit);
          wl_csv_set_parse_error (self, error, self->quote_line, self->quote_column, what);
        }
      else
        {
          what = g_strdup_printf (_("row longer than %s"), limit);
          wl_csv_set_parse_error (self, error, self->rec_line, 1, what);
        }
      return WL_CSV_RECORD_BAD;
    }

  alloc = MIN (MAX (need, MAX (self->row_alloc * 2, ROW_START_SIZE)), self->max_row_bytes);
  row = g_try_realloc (self->row, alloc);
  if (row == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("%s:%" PRIu64 ": not enough memory for this row"),
                   self->display_name, self->rec_line);
      return WL_CSV_RECORD_ERROR;
    }
  self->row = row;
  self->row_alloc = alloc;
  return WL_CSV_RECORD_OK;
}

/* Makes room for @extra more bytes and a NUL in the row. */
static inline WlCsvRecordResult
row_reserve (WlCsvReader  *self,
             gsize         extra,
             gboolean      in_quotes,
             GError      **error)
{
  gsize need = self->row_len + extra + 1;

  if (G_LIKELY (need <= self->row_alloc))
    return WL_CSV_RECORD_OK;
  return row_grow (self, need, in_quotes, error);
}

static inline WlCsvRecordResult
row_append (WlCsvReader  *self,
            const char   *bytes,
            gsize         n,
            gboolean      in_quotes,
            GError      **error)
{
  WlCsvRecordResult r = row_reserve (self, n, in_quotes, error);

  if (G_LIKELY (r == WL_CSV_RECORD_OK))
    {
      memcpy (self->row + self->row_len, bytes, n);
      self->row_len += n;
    }
  return r;
}

void
wl_csv_fields_grow (WlCsvReader *self)
{
  self->fields_alloc = MAX (16, 2 * self->fields_alloc);
  self->fields = g_renew (WlCsvField, self->fields, self->fields_alloc);
  self->pointers = g_renew (const char *, self->pointers, self->fields_alloc);
  self->lengths = g_renew (gsize, self->lengths, self->fields_alloc);
}

static inline WlCsvRecordResult
end_field (WlCsvReader  *self,
           gsize         start,
           GError      **error)
{
  WlCsvRecordResult r = row_reserve (self, 0, FALSE, error);

  if (G_UNLIKELY (r != WL_CSV_RECORD_OK))
    return r;
  if (G_UNLIKELY (self->n_fields == self->fields_alloc))
    wl_csv_fields_grow (self);
  self->fields[self->n_fields++] = (WlCsvField) { start, self->row_len - start, FALSE };
  self->row[self->row_len++] = '\0';
  return WL_CSV_RECORD_OK;
}

/* A separator was consumed; self->pos is past it. */
static inline void
note_separator (WlCsvReader *self)
{
  if (self->n_fields == self->n_columns)
    {
      self->extra_line = self->line;
      self->extra_column = column_at (self, self->pos);
    }
}

static inline void
note_record_end (WlCsvReader *self,
                 gsize        pos)
{
  self->end_line = self->line;
  self->end_column = column_at (self, pos);
}

/* A line break @c was consumed; self->pos is past it. */
static inline void
end_line (WlCsvReader *self,
          char         c)
{
  self->line++;
  self->line_start = self->buf_offset + self->pos;
  self->skip_lf = c == '\r';
}

/* The first byte at or after pos that ends an unquoted field (buf_len if
 * none), by a table lookup per byte. */
static inline gsize
find_stop_rfc4180 (const WlCsvReader *self)
{
  gsize i = self->pos;

  while (i < self->buf_len && !self->stop[(guint8) self->buf[i]])
    i++;
  return i;
}

/* The same for WL_QUOTES_NONE, with memchr: the next separator, LF and CR
 * are remembered between calls, so memchr passes over each byte once per
 * kind.  Valid while pos only moves forward in the buffer. */
static inline gsize
find_stop_none (WlCsvReader *self)
{
  const char wanted[G_N_ELEMENTS (self->next_stop)] = { self->separator, '\n', '\r' };
  gsize stop = self->buf_len;

  for (guint i = 0; i < G_N_ELEMENTS (self->next_stop); i++)
    {
      gsize *next = &self->next_stop[i];

      if (!self->next_stop_valid || *next < self->pos)
        {
          const char *hit = memchr (self->buf + self->pos, wanted[i], self->buf_len - self->pos);

          *next = hit != NULL ? (gsize) (hit - self->buf) : self->buf_len;
        }
      stop = MIN (stop, *next);
    }
  self->next_stop_valid = TRUE;
  return stop;
}

/* Counts the line breaks in buf[from, to), text inside quotes. */
static void
track_quoted_lines (WlCsvReader *self,
                    gsize        from,
                    gsize        to)
{
  const char *buf = self->buf;

  for (gsize i = from; i < to; i++)
    {
      char c = buf[i];

      if (G_LIKELY (c != '\n' && c != '\r'))
        continue;
      self->line_start = self->buf_offset + i + 1;
      if (c == '\n' && (i > from ? buf[i - 1] == '\r' : self->quoted_prev_cr))
        continue;
      self->line++;
      if (!self->rec_multiline)
        {
          self->rec_multiline = TRUE;
          self->rec_next_line = self->buf_offset + i + 1;
          self->rec_next_after_cr = c == '\r';
        }
    }
  if (to > from)
    self->quoted_prev_cr = buf[to - 1] == '\r';
}

static WlCsvRecordResult
finish_at_eof (WlCsvReader  *self,
               ParseState    state,
               gboolean      started,
               gsize         field_start,
               GError      **error)
{
  WlCsvRecordResult r;

  if (state == QUOTED)
    {
      set_unterminated_error (self, error);
      return WL_CSV_RECORD_BAD;
    }
  if (state == FIELD_START)
    {
      if (!started)
        return WL_CSV_RECORD_EOF;
      field_start = self->row_len;   /* an empty last field after a separator */
    }
  if ((r = end_field (self, field_start, error)) != WL_CSV_RECORD_OK)
    return r;
  note_record_end (self, self->pos);
  return WL_CSV_RECORD_OK;
}

/* Reads the next record into the row, counting the blank lines before it. */
WlCsvRecordResult
wl_csv_read_record_as_written (WlCsvReader  *self,
                               GError      **error)
{
  ParseState state = FIELD_START;
  gboolean started = FALSE;
  gsize field_start = 0;
  WlCsvRecordResult r;

  self->row_len = 0;
  self->n_fields = 0;
  self->any_quoted = FALSE;
  self->rec_multiline = FALSE;
  self->rec_quotes_as_text = FALSE;

  for (;;)
    {
      if (self->pos == self->buf_len)
        {
          if (!wl_csv_refill (self, error))
            return WL_CSV_RECORD_ERROR;
          if (self->buf_len == 0)
            return finish_at_eof (self, state, started, field_start, error);
        }
      if (G_UNLIKELY (self->skip_lf))
        {
          self->skip_lf = FALSE;
          if (self->buf[self->pos] == '\n')
            {
              self->pos++;
              self->line_start++;
              continue;
            }
        }

      switch (state)
        {
        case FIELD_START:
          {
            char c = self->buf[self->pos];

            if (!started)
              {
                if (c == '\n' || c == '\r')
                  {
                    self->pos++;
                    self->counts.blank_lines++;
                    end_line (self, c);
                    continue;
                  }
                started = TRUE;
                self->rec_line = self->line;
                self->rec_offset = self->buf_offset + self->pos;
              }
            field_start = self->row_len;
            if (c == '"' && self->quotes == WL_QUOTES_RFC4180 && !self->plain_record)
              {
                self->quote_line = self->line;
                self->quote_column = column_at (self, self->pos);
                self->pos++;
                self->any_quoted = TRUE;
                self->quoted_prev_cr = FALSE;
                state = QUOTED;
                continue;
              }
            state = UNQUOTED;
          }
          G_GNUC_FALLTHROUGH;

        case UNQUOTED:
          {
            gsize stop = self->quotes == WL_QUOTES_NONE ? find_stop_none (self)
                                                        : find_stop_rfc4180 (self);
            char c;

            r = row_append (self, self->buf + self->pos, stop - self->pos, FALSE, error);
            if (r != WL_CSV_RECORD_OK)
              return r;
            self->pos = stop;
            if (stop == self->buf_len)
              continue;
            c = self->buf[stop];
            self->pos++;
            if ((r = end_field (self, field_start, error)) != WL_CSV_RECORD_OK)
              return r;
            if (c == self->separator)
              {
                note_separator (self);
                state = FIELD_START;
                continue;
              }
            note_record_end (self, self->pos - 1);
            end_line (self, c);
            return WL_CSV_RECORD_OK;
          }

        case QUOTED:
          {
            const char *start = self->buf + self->pos;
            const char *quote = memchr (start, '"', self->buf_len - self->pos);
            gsize n = (quote ? quote : self->buf + self->buf_len) - start;

            if ((r = row_append (self, start, n, TRUE, error)) != WL_CSV_RECORD_OK)
              return r;
            track_quoted_lines (self, self->pos, self->pos + n);
            self->pos += n;
            if (quote != NULL)
              {
                self->pos++;
                state = QUOTE_SEEN;
              }
            continue;
          }

        case QUOTE_SEEN:
          {
            char c = self->buf[self->pos];

            if (c == '"')
              {
                if ((r = row_append (self, "\"", 1, TRUE, error)) != WL_CSV_RECORD_OK)
                  return r;
                self->pos++;
                self->quoted_prev_cr = FALSE;
                state = QUOTED;
                continue;
              }
            if (c != self->separator && c != '\n' && c != '\r' && self->line == self->quote_line)
              {
                /* A field that only starts with a quoted part, as in the TSV
                 * of many tools that never quote: "Wen u miss…" gdeve..
                 * Keep the whole field as written.  A quoted part that ran
                 * over several lines is not trusted: that is an error. */
                if ((r = row_reserve (self, 2, FALSE, error)) != WL_CSV_RECORD_OK)
                  return r;
                memmove (self->row + field_start + 1, self->row + field_start, self->row_len - field_start);
                self->row[field_start] = '"';
                self->row[self->row_len + 1] = '"';
                self->row_len += 2;
                self->counts.loose_quotes++;
                self->rec_quotes_as_text = TRUE;
                state = UNQUOTED;
                continue;
              }
            if (c != self->separator && c != '\n' && c != '\r')
              {
                /* The quoted part ran over lines: the problem starts where it opened. */
                g_autofree char *what =
                  g_strdup_printf (_("the quoted field that opens here runs to line %" PRIu64
                                     ", where text follows its closing quote (inside a quoted "
                                     "field, write a quote as two quotes \"\")"), self->line);

                wl_csv_set_parse_error (self, error, self->quote_line, self->quote_column, what);
                return WL_CSV_RECORD_BAD;
              }
            self->pos++;
            if ((r = end_field (self, field_start, error)) != WL_CSV_RECORD_OK)
              return r;
            if (c == self->separator)
              {
                note_separator (self);
                state = FIELD_START;
                continue;
              }
            note_record_end (self, self->pos - 1);
            end_line (self, c);
            return WL_CSV_RECORD_OK;
          }

        default:
          g_assert_not_reached ();
        }
    }
}

/* After a WL_CSV_RECORD_BAD: go on with the line after the bad row's first line. */
gboolean
wl_csv_recover (WlCsvReader  *self,
                GError      **error)
{
  if (self->rec_multiline)
    {
      if (!wl_csv_seek (self, self->rec_next_line, error))
        return FALSE;
      self->line = self->rec_line + 1;
      self->line_start = self->rec_next_line;
      self->skip_lf = self->rec_next_after_cr;
      return TRUE;
    }

  for (;;)
    {
      const char *start, *p, *end;

      if (self->pos == self->buf_len)
        {
          if (!wl_csv_refill (self, error))
            return FALSE;
          if (self->buf_len == 0)
            return TRUE;
        }
      start = self->buf + self->pos;
      end = self->buf + self->buf_len;
      for (p = start; p < end && *p != '\n' && *p != '\r'; p++)
        ;
      self->pos += p - start;
      if (p < end)
        {
          self->pos++;
          end_line (self, *p);
          return TRUE;
        }
    }
}
