/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-csv-reader-range.c: a reader that starts in the middle of a file, for
 * the shards of a distributed run (train/wl-run-shards.c).
 *
 * The first reader of a file sniffs its start (separator, quotes, header,
 * encoding); its layout (wl_csv_reader_get_layout()) makes readers of the
 * same file elsewhere parse alike without looking at the start themselves.
 * Such a reader starts at a record end it was told, or at the first line
 * start after an offset (a guess: inside a quoted field that spans lines it
 * reads a few records that are not; the caller finds where the guess meets
 * the true records).  With quotes "auto", how a record that spans lines is
 * read depends on the label values seen before it (the known values): they
 * travel with a record end (wl_csv_reader_get_known_values()).
 *
 * A file in another encoding than UTF-8 is decoded from the range's start
 * when its line starts can be found among its bytes
 * (wl_csv_encoding_line_breaks()): the reader looks for the first line
 * break there in the raw bytes, then decodes from it, and its positions
 * are the raw offsets the decoder notes after each line break. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "wl-error.h"
#include "io/wl-csv-reader-private.h"

#define LAYOUT_TYPE "(ybbbbsasuadt)"
#define KNOWN_TYPE  "a(aayb)"
#define SCAN_CHUNK  4096      /* raw bytes read at a time for a line start (a multiple of 4) */

GVariant *
wl_csv_reader_get_layout (const WlCsvReader *self)
{
  GVariantBuilder header, means;

  g_return_val_if_fail (self != NULL, NULL);

  g_variant_builder_init (&header, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; self->header != NULL && self->header[i] != NULL; i++)
    g_variant_builder_add (&header, "s", self->header[i]);
  g_variant_builder_init (&means, G_VARIANT_TYPE ("ad"));
  for (guint i = 0; self->mean_lengths != NULL && i < self->mean_lengths->len; i++)
    g_variant_builder_add (&means, "d", g_array_index (self->mean_lengths, double, i));
  return g_variant_ref_sink (g_variant_new (LAYOUT_TYPE, (guchar) self->separator,
                                            self->quotes == WL_QUOTES_RFC4180,
                                            self->quote_repair, self->has_header,
                                            self->ascii_so_far, self->encoding, &header,
                                            self->n_columns, &means,
                                            (guint64) self->max_row_bytes));
}

const char *
wl_csv_reader_layout_get_encoding (GVariant *layout)
{
  const char *encoding = NULL;

  g_return_val_if_fail (g_variant_is_of_type (layout, G_VARIANT_TYPE (LAYOUT_TYPE)), NULL);
  g_variant_get_child (layout, 5, "&s", &encoding);
  return encoding;
}

gboolean
wl_csv_reader_layout_reads_in_ranges (GVariant *layout)
{
  const char *encoding = wl_csv_reader_layout_get_encoding (layout);
  WlCsvLineBreaks breaks;

  return encoding != NULL &&
         (wl_csv_encoding_is_utf8 (encoding) || wl_csv_encoding_line_breaks (encoding, &breaks));
}

WlCsvReader *
wl_csv_reader_new_like (const char    *path,
                        GVariant      *layout,
                        gboolean       skip_bad_rows,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(WlCsvReader) self = NULL;
  g_autoptr(GVariantIter) header = NULL;
  g_autoptr(GVariantIter) means = NULL;
  guchar separator;
  gboolean rfc4180;
  guint64 max_row_bytes;
  const char *name;
  double mean;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (g_variant_is_of_type (layout, G_VARIANT_TYPE (LAYOUT_TYPE)), NULL);
  g_return_val_if_fail (wl_csv_reader_layout_reads_in_ranges (layout), NULL);

  self = g_new0 (WlCsvReader, 1);
  self->display_name = g_filename_display_name (path);
  self->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  self->skip_bad_rows = skip_bad_rows;
  self->raw_positions = TRUE;
  wl_csv_fields_grow (self);
  self->repair = g_string_new (NULL);
  self->line = 1;
  g_variant_get (layout, LAYOUT_TYPE, &separator, &rfc4180, &self->quote_repair,
                 &self->has_header, &self->ascii_so_far, &self->encoding, &header,
                 &self->n_columns, &means, &max_row_bytes);
  self->separator = (char) separator;
  self->quotes = rfc4180 ? WL_QUOTES_RFC4180 : WL_QUOTES_NONE;
  self->max_row_bytes = max_row_bytes;
  self->encoding_confidence = 100;
  if (self->has_header)
    {
      self->header = g_new0 (char *, self->n_columns + 1);
      for (guint i = 0; i < self->n_columns && g_variant_iter_next (header, "&s", &name); i++)
        self->header[i] = g_strdup (name);
    }
  self->mean_lengths = g_array_new (FALSE, FALSE, sizeof (double));
  while (g_variant_iter_next (means, "d", &mean))
    g_array_append_val (self->mean_lengths, mean);
  self->stop[(guint8) self->separator] = 1;
  self->stop['\n'] = 1;
  self->stop['\r'] = 1;

  if (!wl_csv_open_stream (self, path, cancellable, error))
    return NULL;
  self->buf = g_malloc (WL_CSV_BUFFER_SIZE);
  return g_steal_pointer (&self);
}

/* Goes on after the line break that ends at @offset − 1 (@offset − @unit
 * of the raw bytes decoded with a line break of @unit bytes), which is on
 * line @line − 1: the state the reader is in after a record that ends
 * there. */
static gboolean
resume_after_break (WlCsvReader  *self,
                    guint64       offset,
                    guint         unit,
                    guint64       line,
                    GError      **error)
{
  /* Decoded, the line break is one byte: the offsets after it match. */
  if (unit > 0 ? !wl_csv_start_decoder (self, self->encoding, offset - unit, offset - 1, error)
               : !wl_csv_seek (self, offset - 1, error))
    return FALSE;
  self->line = line - 1;
  self->line_start = offset - 1;
  self->skip_lf = FALSE;
  self->rec_multiline = FALSE;
  return wl_csv_recover (self, error);
}

/* The raw offset after the first CR or LF that ends at or after @offset,
 * or the end of the file (the reader goes on from the unit before it as
 * from a line break, as for UTF-8: after a CR, a LF is part of it). */
static gboolean
find_line_start (WlCsvReader            *self,
                 const WlCsvLineBreaks  *breaks,
                 guint64                 offset,
                 guint64                *found,
                 GError                **error)
{
  guint unit = breaks->unit;
  guint64 at = (offset - 1) / unit * unit;
  GError *local = NULL;
  gsize n;

  if (!g_seekable_seek (G_SEEKABLE (self->stream), at, G_SEEK_SET, self->cancellable, &local))
    return wl_csv_propagate_read_error (self, local, error);
  do
    {
      if (!g_input_stream_read_all (self->stream, self->buf, SCAN_CHUNK, &n,
                                    self->cancellable, &local))
        return wl_csv_propagate_read_error (self, local, error);
      self->bytes_read += n;
      for (gsize i = 0; i + unit <= n; i += unit)
        if (memcmp (self->buf + i, breaks->lf, unit) == 0 ||
            memcmp (self->buf + i, breaks->cr, unit) == 0)
          {
            *found = at + i + unit;
            return TRUE;
          }
      at += n;
    }
  while (n == SCAN_CHUNK);
  *found = at;
  return TRUE;
}

/* The size of a line break when the reader decodes from another encoding
 * than UTF-8, else 0. */
static guint
decoded_unit (const WlCsvReader *self,
              WlCsvLineBreaks   *breaks)
{
  if (wl_csv_encoding_is_utf8 (self->encoding) || !wl_csv_encoding_line_breaks (self->encoding,
                                                                                 breaks))
    return 0;
  return breaks->unit;
}

gboolean
wl_csv_reader_start_after (WlCsvReader  *self,
                           guint64       offset,
                           GError      **error)
{
  WlCsvLineBreaks breaks;
  guint unit;

  g_return_val_if_fail (self != NULL && offset > 0, FALSE);

  if ((unit = decoded_unit (self, &breaks)) == 0)
    return resume_after_break (self, offset, 0, 2, error);
  if (!find_line_start (self, &breaks, offset, &offset, error))
    return FALSE;
  /* No line break from there (the file ends without one after a partial
   * line): decoded from its last unit, which the start skips as a line. */
  return resume_after_break (self, MAX (offset, unit), unit, 2, error);
}

gboolean
wl_csv_reader_resume (WlCsvReader  *self,
                      guint64       offset,
                      guint64       line,
                      GError      **error)
{
  WlCsvLineBreaks breaks;

  g_return_val_if_fail (self != NULL && offset > 0 && line > 1, FALSE);
  return resume_after_break (self, offset, decoded_unit (self, &breaks), line, error);
}

guint64
wl_csv_reader_get_position (const WlCsvReader *self)
{
  guint64 position, raw;

  g_return_val_if_fail (self != NULL, 0);

  position = self->buf_offset + self->pos;
  if (self->decoder != NULL && wl_csv_decoder_get_raw_offset_at (self->decoder, position, &raw))
    return raw;
  return position;
}

guint64
wl_csv_reader_get_line (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->line;
}

guint64
wl_csv_reader_get_bytes_read (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->bytes_read;
}

guint64
wl_csv_reader_get_quote_decisions (const WlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->quote_decisions;
}

void
wl_csv_reader_set_skip_bad_rows (WlCsvReader *self,
                                 gboolean     skip)
{
  g_return_if_fail (self != NULL);
  self->skip_bad_rows = skip;
}

GVariant *
wl_csv_reader_get_known_values (const WlCsvReader *self)
{
  GVariantBuilder columns;

  g_return_val_if_fail (self != NULL, NULL);

  g_variant_builder_init (&columns, G_VARIANT_TYPE (KNOWN_TYPE));
  for (guint c = 0; self->known != NULL && c < self->n_columns; c++)
    {
      const WlCsvKnownValues *known = &self->known[c];
      GVariantBuilder values;

      g_variant_builder_init (&values, G_VARIANT_TYPE ("aay"));
      for (guint i = 0; i < known->n; i++)
        g_variant_builder_add_value (&values,
                                     g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                                known->values[i],
                                                                known->lengths[i], 1));
      g_variant_builder_add (&columns, "(aayb)", &values, known->overflow);
    }
  return g_variant_ref_sink (g_variant_builder_end (&columns));
}

void
wl_csv_reader_set_known_values (WlCsvReader *self,
                                GVariant    *known)
{
  gsize n_columns;

  g_return_if_fail (self != NULL);
  g_return_if_fail (g_variant_is_of_type (known, G_VARIANT_TYPE (KNOWN_TYPE)));

  g_clear_pointer (&self->known, g_free);
  n_columns = g_variant_n_children (known);
  if (n_columns == 0)
    return;
  g_return_if_fail (n_columns == self->n_columns);
  self->known = g_new0 (WlCsvKnownValues, self->n_columns);
  for (guint c = 0; c < self->n_columns; c++)
    {
      WlCsvKnownValues *column = &self->known[c];
      g_autoptr(GVariant) values = NULL;

      g_variant_get_child (known, c, "(@aayb)", &values, &column->overflow);
      column->n = MIN (g_variant_n_children (values), WL_CSV_KNOWN_VALUES);
      for (guint i = 0; i < column->n; i++)
        {
          g_autoptr(GVariant) value = g_variant_get_child_value (values, i);
          gsize length;
          const guchar *bytes = g_variant_get_fixed_array (value, &length, 1);

          column->lengths[i] = MIN (length, WL_CSV_KNOWN_VALUE_BYTES);
          if (length > 0)
            memcpy (column->values[i], bytes, column->lengths[i]);
        }
    }
}
