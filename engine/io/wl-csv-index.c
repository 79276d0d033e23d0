/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-csv-index.c: one pass over a CSV/TSV file that records where every
 * row starts and counts the values of every column; rows read back by
 * seeking. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-error.h"
#include "wl-packed.h"
#include "io/wl-csv-columns.h"
#include "io/wl-csv-index.h"

#define CHECK_EVERY  4096           /* rows between cancellation checks */
#define REPORT_EVERY (256u << 10)   /* bytes between progress reports */

struct _WlCsvIndex
{
  gatomicrefcount  ref_count;
  char            *path;
  char            *display_name;
  WlCsvOptions     options;   /* to read rows again: the separator, quotes and header found */
  guint64          size;
  gboolean         had_bom;
  char            *encoding;  /* found (the rows are read again with it) */
  int              encoding_confidence;
  guint            n_columns;
  char           **header;
  char           **names;
  WlCsvCounts      counts;
  WlPacked         offsets;
  WlPacked         lines;
  WlCsvColumns    *columns;

  GMutex           lock;      /* guards reader */
  WlCsvReader     *reader;    /* read_row's, opened on first use */
};

/* Building */

static WlCsvIndex *
index_new (const char         *path,
           const WlCsvReader  *reader,
           const WlCsvOptions *options)
{
  WlCsvIndex *self = g_new0 (WlCsvIndex, 1);
  const char * const *header = wl_csv_reader_get_header (reader);

  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->lock);
  self->path = g_strdup (path);
  self->display_name = g_strdup (wl_csv_reader_get_display_name (reader));
  self->options = (WlCsvOptions) {
    .separator = wl_csv_reader_get_separator (reader),
    /* "auto" keeps reading rows whose quotes are not RFC 4180 as text. */
    .quotes = options && options->quotes == WL_QUOTES_AUTO ? WL_QUOTES_AUTO
                                                           : wl_csv_reader_get_quotes (reader),
    .header = wl_csv_reader_get_has_header (reader) ? WL_HEADER_YES : WL_HEADER_NO,
    .skip_bad_rows = FALSE,
    .max_row_bytes = options ? options->max_row_bytes : 0,
  };
  self->size = wl_csv_reader_get_size (reader);
  self->had_bom = wl_csv_reader_get_had_bom (reader);
  self->header = header ? g_strdupv ((char **) header) : NULL;
  wl_packed_init (&self->offsets);
  wl_packed_init (&self->lines);
  self->columns = wl_csv_columns_new ();
  return self;
}

static void
index_finish (WlCsvIndex        *self,
              const WlCsvReader *reader)
{
  self->counts = *wl_csv_reader_get_counts (reader);
  /* Known once the whole file is read: ASCII at first, then Latin-1 say. */
  self->encoding = g_strdup (wl_csv_reader_get_encoding (reader));
  self->encoding_confidence = wl_csv_reader_get_encoding_confidence (reader);
  self->options.encoding = self->encoding;
  wl_csv_columns_finish (self->columns, wl_csv_reader_get_n_columns (reader), self->offsets.len);
  self->n_columns = wl_csv_columns_get_n_columns (self->columns);
  self->names = g_new0 (char *, self->n_columns + 1);
  for (guint c = 0; c < self->n_columns; c++)
    self->names[c] = self->header ? g_strdup (self->header[c])
                                  : g_strdup_printf ("column %u", c + 1);
}

static gboolean
scan (WlCsvIndex          *self,
      WlCsvReader         *reader,
      WlCsvIndexProgress   progress,
      gpointer             progress_data,
      GCancellable        *cancellable,
      GError             **error)
{
  guint64 total = wl_csv_reader_get_size (reader);
  guint64 reported = 0;
  GError *local = NULL;
  WlCsvRow row;

  while (wl_csv_reader_next_row (reader, &row, &local))
    {
      guint64 done;

      if (!wl_packed_append (&self->offsets, wl_csv_reader_get_row_offset (reader)) ||
          !wl_packed_append (&self->lines, row.line))
        {
          g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                       _("%s:%llu: not enough memory to index the rows"),
                       self->display_name, (unsigned long long) row.line);
          return FALSE;
        }
      wl_csv_columns_add_row (self->columns, &row);

      if (self->offsets.len % CHECK_EVERY == 0 && g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, WL_ERROR, WL_ERROR_CANCELLED,
                       _("Reading “%s” was cancelled"), self->display_name);
          return FALSE;
        }
      done = wl_csv_reader_get_offset (reader);
      if (progress != NULL && done - reported >= REPORT_EVERY)
        {
          progress (self->offsets.len, done, total, progress_data);
          reported = done;
        }
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (progress != NULL)
    progress (self->offsets.len, total, total, progress_data);
  return TRUE;
}

WlCsvIndex *
wl_csv_index_build (const char          *path,
                    const WlCsvOptions  *options,
                    WlCsvIndexProgress   progress,
                    gpointer             progress_data,
                    GCancellable        *cancellable,
                    GError             **error)
{
  g_autoptr(WlCsvReader) reader = NULL;
  g_autoptr(WlCsvIndex) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((reader = wl_csv_reader_new (path, options, cancellable, error)) == NULL)
    return NULL;
  self = index_new (path, reader, options);
  if (!scan (self, reader, progress, progress_data, cancellable, error))
    return NULL;
  index_finish (self, reader);
  if (self->n_columns == 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA, _("%s: the file is empty"),
                   self->display_name);
      return NULL;
    }
  return g_steal_pointer (&self);
}

WlCsvIndex *
wl_csv_index_ref (WlCsvIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wl_csv_index_unref (WlCsvIndex *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->path);
  g_free (self->display_name);
  g_free (self->encoding);
  g_strfreev (self->header);
  g_strfreev (self->names);
  wl_packed_clear (&self->offsets);
  wl_packed_clear (&self->lines);
  wl_csv_columns_free (self->columns);
  g_clear_pointer (&self->reader, wl_csv_reader_free);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/* Getters */

const char *
wl_csv_index_get_path (const WlCsvIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

guint64
wl_csv_index_get_n_rows (const WlCsvIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->offsets.len;
}

guint
wl_csv_index_get_n_columns (const WlCsvIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_columns;
}

const char * const *
wl_csv_index_get_header (const WlCsvIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char * const *) self->header;
}

const char *
wl_csv_index_get_column_name (const WlCsvIndex *self,
                              guint             column)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);
  return self->names[column];
}

gunichar
wl_csv_index_get_separator (const WlCsvIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->options.separator;
}

WlQuoteMode
wl_csv_index_get_quotes (const WlCsvIndex *self)
{
  g_return_val_if_fail (self != NULL, WL_QUOTES_RFC4180);
  return self->options.quotes;
}

gboolean
wl_csv_index_get_has_header (const WlCsvIndex *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->options.header == WL_HEADER_YES;
}

gboolean
wl_csv_index_get_had_bom (const WlCsvIndex *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->had_bom;
}

const char *
wl_csv_index_get_encoding (const WlCsvIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->encoding;
}

int
wl_csv_index_get_encoding_confidence (const WlCsvIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->encoding_confidence;
}

guint64
wl_csv_index_get_size (const WlCsvIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->size;
}

const WlCsvCounts *
wl_csv_index_get_counts (const WlCsvIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->counts;
}

guint64
wl_csv_index_get_line (const WlCsvIndex *self,
                       guint64           row)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (row < self->lines.len, 0);
  return wl_packed_get (&self->lines, row);
}

const WlCsvColumnStats *
wl_csv_index_get_column (const WlCsvIndex *self,
                         guint             column)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);
  return wl_csv_columns_get (self->columns, column);
}

/* Reading rows again */

static WlCsvReader *
open_reader (WlCsvIndex  *self,
             GError     **error)
{
  return wl_csv_reader_new (self->path, &self->options, NULL, error);
}

static gboolean
read_row (WlCsvIndex   *self,
          WlCsvReader  *reader,
          guint64       row,
          WlCsvRow     *out,
          GError      **error)
{
  GError *local = NULL;

  if (!wl_csv_reader_seek (reader, wl_packed_get (&self->offsets, row),
                           wl_packed_get (&self->lines, row), error))
    return FALSE;
  if (wl_csv_reader_next_row (reader, out, &local))
    return TRUE;
  if (local != NULL)
    g_propagate_error (error, local);
  else
    g_set_error (error, WL_ERROR, WL_ERROR_IO,
                 _("%s changed since it was opened; open it again"), self->display_name);
  return FALSE;
}

char **
wl_csv_index_read_row (WlCsvIndex  *self,
                       guint64      row,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  WlCsvRow fields;
  char **copy;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (row < self->offsets.len, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (self->reader == NULL && (self->reader = open_reader (self, error)) == NULL)
    return NULL;
  if (!read_row (self, self->reader, row, &fields, error))
    return NULL;
  copy = g_new (char *, fields.n_fields + 1);
  for (guint c = 0; c < fields.n_fields; c++)
    copy[c] = g_strndup (fields.fields[c], fields.lengths[c]);
  copy[fields.n_fields] = NULL;
  return copy;
}

/* Trims the fields @columns of @row and joins the non-empty ones with a
 * newline, as the dataset loader makes a text of several columns. */
static void
join_text (const WlCsvRow *row,
           const guint    *columns,
           guint           n_columns,
           GString        *out)
{
  g_string_truncate (out, 0);
  for (guint i = 0; i < n_columns; i++)
    {
      const char *part;
      gsize length;

      if (columns[i] >= row->n_fields)
        continue;
      wl_csv_trim (row->fields[columns[i]], row->lengths[columns[i]], &part, &length);
      if (length == 0)
        continue;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append_len (out, part, length);
    }
}

GPtrArray *
wl_csv_index_sample_texts (WlCsvIndex    *self,
                           const guint   *columns,
                           guint          n_columns,
                           guint          n_texts,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(WlCsvReader) reader = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GString) text = NULL;
  guint64 n_rows;
  guint64 n_picks;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (columns != NULL || n_columns == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((reader = open_reader (self, error)) == NULL)
    return NULL;
  texts = g_ptr_array_new_with_free_func (g_free);
  text = g_string_new (NULL);
  n_rows = self->offsets.len;
  n_picks = MIN (n_rows, n_texts);
  for (guint64 k = 0; k < n_picks; k++)
    {
      WlCsvRow row;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, WL_ERROR, WL_ERROR_CANCELLED,
                       _("Reading “%s” was cancelled"), self->display_name);
          return NULL;
        }
      if (!read_row (self, reader, k * n_rows / n_picks, &row, error))
        return NULL;
      join_text (&row, columns, n_columns, text);
      if (text->len > 0)
        g_ptr_array_add (texts, g_strndup (text->str, text->len));
    }
  return g_steal_pointer (&texts);
}

/* Column statistics */

gboolean
wl_csv_index_count_empty (const WlCsvIndex *self,
                          const guint      *text_columns,
                          guint             n_text_columns,
                          int               label_column,
                          guint64          *empty_texts,
                          guint64          *empty_labels)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (text_columns != NULL || n_text_columns == 0, FALSE);
  g_return_val_if_fail (empty_texts != NULL && empty_labels != NULL, FALSE);

  return wl_csv_columns_count_empty (self->columns, text_columns, n_text_columns, label_column,
                                     empty_texts, empty_labels);
}

int
wl_csv_index_suggest_label_column (const WlCsvIndex *self)
{
  g_return_val_if_fail (self != NULL, -1);
  return wl_csv_columns_suggest_label (self->columns, (const char * const *) self->header,
                                       self->offsets.len);
}

int
wl_csv_index_suggest_text_column (const WlCsvIndex *self,
                                  int               label_column)
{
  g_return_val_if_fail (self != NULL, -1);
  return wl_csv_columns_suggest_text (self->columns, (const char * const *) self->names,
                                      label_column);
}
