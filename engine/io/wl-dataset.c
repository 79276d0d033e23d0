/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-dataset.c: labelled texts loaded from a CSV/TSV file.
 *
 * Columns: a text or label column is named case-insensitively or given as a
 * 1-based index.  By default the text is the column named "text", else the
 * longest one (mean length over the first 64 KiB, label column excluded);
 * the label is the column named "label", else the first column that is not
 * a text column (none when label_optional).
 *
 * Rows: surrounding ASCII whitespace is trimmed from texts and labels; the
 * non-empty text columns are joined with "\n".  A row whose text is empty is
 * dropped and counted in empty_texts, else one whose label is empty in
 * empty_labels.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "wl-error.h"
#include "io/wl-csv-reader.h"
#include "io/wl-dataset-private.h"
#include "io/wl-text-spill.h"

G_STATIC_ASSERT (WL_DATASET_MAX_REPORTED_LINES == WL_CSV_MAX_REPORTED_LINES);

#define CHUNK_SIZE  (1u << 20)
#define CHECK_EVERY 1024      /* rows between cancellation checks */
#define REPORT_EVERY (256u << 10)  /* bytes between progress reports */

void
wl_load_options_init_from_config (WlLoadOptions      *options,
                                  const WlDataConfig *data)
{
  g_return_if_fail (options != NULL);
  g_return_if_fail (data != NULL);

  *options = (WlLoadOptions) {
    .header = data->header,
    .separator = data->separator,
    .quotes = data->quotes,
    .encoding = data->encoding,
    .skip_bad_rows = data->skip_bad_rows,
    .text_columns = (const char * const *) data->text_columns,
    .label_column = data->label_column,
    .label_optional = FALSE,
  };
}

/* The column named @spec (case-insensitive) or numbered @spec (from 1), or -1. */
static int
find_column (GPtrArray  *columns,
             const char *spec)
{
  g_autofree char *stripped = g_strstrip (g_strdup (spec));
  g_autofree char *key = g_utf8_casefold (stripped, -1);
  guint64 index;

  for (guint i = 0; i < columns->len; i++)
    {
      g_autofree char *name = g_utf8_casefold (g_ptr_array_index (columns, i), -1);

      if (strcmp (name, key) == 0)
        return (int) i;
    }
  if (g_ascii_string_to_unsigned (stripped, 10, 1, columns->len, &index, NULL))
    return (int) index - 1;
  return -1;
}

static int
resolve_column (GPtrArray   *columns,
                const char  *spec,
                const char  *display_name,
                GError     **error)
{
  g_autoptr(GString) list = NULL;
  int index = find_column (columns, spec);

  if (index >= 0)
    return index;

  list = g_string_new (NULL);
  for (guint i = 0; i < columns->len; i++)
    g_string_append_printf (list, "%s“%s”", i ? ", " : "",
                            (const char *) g_ptr_array_index (columns, i));
  g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
               _("%s: there is no column “%s”; the columns are %s "
                 "(or give a column number from 1 to %u)"),
               display_name, spec, list->str, columns->len);
  return -1;
}

static gboolean
is_text_column (const WlDataset *dataset,
                int              column)
{
  for (guint i = 0; i < dataset->text_column_indexes->len; i++)
    if ((int) g_array_index (dataset->text_column_indexes, guint, i) == column)
      return TRUE;
  return FALSE;
}

static gboolean
pick_text_columns (WlDataset            *dataset,
                   const WlCsvReader    *reader,
                   const WlLoadOptions  *options,
                   int                   label,
                   GError              **error)
{
  const char *display_name = wl_csv_reader_get_display_name (reader);
  GPtrArray *columns = dataset->columns;
  int column;

  if (options->text_columns != NULL && options->text_columns[0] != NULL)
    {
      for (const char * const *spec = options->text_columns; *spec != NULL; spec++)
        {
          if ((column = resolve_column (columns, *spec, display_name, error)) < 0)
            return FALSE;
          if (column == label)
            {
              g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                           _("%s: column “%s” cannot be both the label and a text column; "
                             "choose another label column"),
                           display_name, (const char *) g_ptr_array_index (columns, column));
              return FALSE;
            }
          if (!is_text_column (dataset, column))
            g_array_append_val (dataset->text_column_indexes, column);
        }
      return TRUE;
    }

  column = find_column (columns, "text");
  if (column < 0 || column == label)
    {
      double longest = -1.0;

      column = -1;
      for (guint i = 0; i < columns->len; i++)
        {
          double mean = wl_csv_reader_get_sample_mean_length (reader, i);

          if ((int) i != label && mean > longest)
            {
              longest = mean;
              column = (int) i;
            }
        }
    }
  if (column < 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("%s: the only column is the label; there is no column left for the text"),
                   display_name);
      return FALSE;
    }
  g_array_append_val (dataset->text_column_indexes, column);
  return TRUE;
}

gboolean
wl_dataset_pick_columns (WlDataset            *dataset,
                         const WlCsvReader    *reader,
                         const WlLoadOptions  *options,
                         GError              **error)
{
  const char *display_name = wl_csv_reader_get_display_name (reader);
  int label;

  if (options->label_column != NULL)
    {
      label = resolve_column (dataset->columns, options->label_column, display_name, error);
      if (label < 0)
        return FALSE;
    }
  else
    label = find_column (dataset->columns, "label");

  if (!pick_text_columns (dataset, reader, options, label, error))
    return FALSE;

  for (guint i = 0; label < 0 && !options->label_optional && i < dataset->columns->len; i++)
    if (!is_text_column (dataset, (int) i))
      label = (int) i;
  if (label < 0 && !options->label_optional)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("%s: there is no label column, only the text; "
                     "add a column of labels to the file"),
                   display_name);
      return FALSE;
    }
  dataset->label_column_index = label;
  return TRUE;
}

guint32
wl_dataset_label_id (WlDataset  *dataset,
                     const char *name)
{
  gpointer value = g_hash_table_lookup (dataset->label_ids, name);
  char *copy;

  if (value != NULL)
    return GPOINTER_TO_UINT (value) - 1;
  copy = g_strdup (name);
  g_ptr_array_add (dataset->label_names, copy);
  g_hash_table_insert (dataset->label_ids, copy, GUINT_TO_POINTER (dataset->label_names->len));
  return dataset->label_names->len - 1;
}

/* Keeps the next row's text and @line in memory. */
static gboolean
keep_in_memory (WlDatasetLoader  *loader,
                guint64           line,
                const char       *text,
                gsize             text_length,
                GError          **error)
{
  WlDataset *dataset = loader->dataset;
  gsize n = dataset->n_rows;

  if (n == loader->lines_alloc)
    {
      gsize alloc = MAX (1024, 2 * loader->lines_alloc);
      guint64 *lines = g_try_renew (guint64, dataset->lines, alloc);

      if (lines == NULL)
        {
          g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                       _("Not enough memory to load more than %zu rows"), n);
          return FALSE;
        }
      dataset->lines = lines;
      loader->lines_alloc = alloc;
    }
  g_ptr_array_add (dataset->texts, g_string_chunk_insert_len (dataset->chunk, text, text_length));
  dataset->lines[n] = line;
  return TRUE;
}

gboolean
wl_dataset_add_row (WlDatasetLoader  *loader,
                    const WlCsvRow   *row,
                    GError          **error)
{
  WlDataset *dataset = loader->dataset;
  GArray *text_columns = dataset->text_column_indexes;
  const char *text, *label;
  gsize text_length, label_length;
  guint32 id = 0;

  if (text_columns->len == 1)
    {
      guint c = g_array_index (text_columns, guint, 0);

      wl_csv_trim (row->fields[c], row->lengths[c], &text, &text_length);
    }
  else
    {
      g_string_truncate (loader->joined, 0);
      for (guint i = 0; i < text_columns->len; i++)
        {
          guint c = g_array_index (text_columns, guint, i);
          const char *part;
          gsize part_length;

          wl_csv_trim (row->fields[c], row->lengths[c], &part, &part_length);
          if (part_length == 0)
            continue;
          if (loader->joined->len > 0)
            g_string_append_c (loader->joined, '\n');
          g_string_append_len (loader->joined, part, part_length);
        }
      text = loader->joined->str;
      text_length = loader->joined->len;
    }
  if (text_length == 0)
    {
      dataset->stats.empty_texts++;
      return TRUE;
    }

  if (dataset->label_column_index >= 0)
    {
      guint c = dataset->label_column_index;

      wl_csv_trim (row->fields[c], row->lengths[c], &label, &label_length);
      if (label_length == 0)
        {
          dataset->stats.empty_labels++;
          return TRUE;
        }
      /* The field is NUL-terminated: copy only when its end was trimmed. */
      if (label[label_length] != '\0')
        {
          g_string_truncate (loader->label, 0);
          g_string_append_len (loader->label, label, label_length);
          label = loader->label->str;
        }
      id = wl_dataset_label_id (dataset, label);
    }

  if (dataset->spill != NULL
      ? !wl_text_spill_append (dataset->spill, row->line, text, text_length, error)
      : !keep_in_memory (loader, row->line, text, text_length, error))
    return FALSE;
  dataset->n_rows++;
  if (dataset->label_column_index >= 0)
    g_array_append_val (dataset->labels, id);
  return TRUE;
}

WlDataset *
wl_dataset_new_empty (void)
{
  WlDataset *dataset = g_new0 (WlDataset, 1);

  dataset->chunk = g_string_chunk_new (CHUNK_SIZE);
  dataset->texts = g_ptr_array_new ();
  dataset->labels = g_array_new (FALSE, FALSE, sizeof (guint32));
  dataset->label_names = g_ptr_array_new_with_free_func (g_free);
  dataset->label_ids = g_hash_table_new (g_str_hash, g_str_equal);
  dataset->columns = g_ptr_array_new_with_free_func (g_free);
  dataset->text_column_indexes = g_array_new (FALSE, FALSE, sizeof (guint));
  dataset->label_column_index = -1;
  g_mutex_init (&dataset->read_back_lock);
  return dataset;
}

void
wl_dataset_copy_reader_stats (WlDataset         *dataset,
                              const WlCsvReader *reader)
{
  const WlCsvCounts *counts = wl_csv_reader_get_counts (reader);
  WlLoadStats *stats = &dataset->stats;

  stats->bytes = wl_csv_reader_get_size (reader);
  stats->rows_read = counts->rows;
  stats->rows_kept = dataset->n_rows;
  stats->blank_lines = counts->blank_lines;
  stats->bad_rows = counts->bad_rows;
  memcpy (stats->bad_row_lines, counts->bad_row_lines, sizeof stats->bad_row_lines);
  stats->n_bad_row_lines = counts->n_bad_row_lines;
  stats->repaired_utf8 = counts->repaired_utf8;
  stats->loose_quotes = counts->loose_quotes;
  stats->quote_text_rows = counts->quote_text_rows;
  G_STATIC_ASSERT (sizeof stats->quote_text_lines == sizeof counts->quote_text_lines);
  memcpy (stats->quote_text_lines, counts->quote_text_lines, sizeof stats->quote_text_lines);
  stats->n_quote_text_lines = counts->n_quote_text_lines;
  g_strlcpy (stats->encoding, wl_csv_reader_get_encoding (reader), sizeof stats->encoding);
  stats->encoding_confidence = wl_csv_reader_get_encoding_confidence (reader);
  stats->separator = wl_csv_reader_get_separator (reader);
  stats->quotes = wl_csv_reader_get_quotes (reader);
  stats->has_header = wl_csv_reader_get_has_header (reader);
  stats->had_bom = wl_csv_reader_get_had_bom (reader);
}

/* Distinct labels must not merge: a label with bytes that are not valid in
 * the detected encoding is an error, unless the encoding was named. */
gboolean
wl_dataset_check_label_bytes (const WlDataset      *dataset,
                              const WlCsvReader    *reader,
                              const WlCsvRow       *row,
                              const WlLoadOptions  *options,
                              GError              **error)
{
  int c = dataset->label_column_index;
  const char *likely;

  if (c < 0 || !wl_csv_reader_field_repaired (reader, c) ||
      (options->encoding != NULL && g_ascii_strcasecmp (options->encoding, "auto") != 0))
    return TRUE;
  likely = wl_csv_reader_get_likely_encoding (reader);
  if (likely != NULL)
    g_set_error (error, WL_ERROR, WL_ERROR_ENCODING,
                 _("%s:%" PRIu64 ": the label “%s” has bytes that are not %s, so distinct labels "
                   "could merge; the file looks like %s: name its encoding"),
                 wl_csv_reader_get_display_name (reader), row->line, row->fields[c],
                 wl_csv_reader_get_encoding (reader), likely);
  else
    g_set_error (error, WL_ERROR, WL_ERROR_ENCODING,
                 _("%s:%" PRIu64 ": the label “%s” has bytes that are not %s, so distinct labels "
                   "could merge: name the file's encoding"),
                 wl_csv_reader_get_display_name (reader), row->line, row->fields[c],
                 wl_csv_reader_get_encoding (reader));
  return FALSE;
}

static gboolean
load_rows (WlDatasetLoader *loader,
           WlCsvReader     *reader,
           const WlLoadOptions *options,
           WlProgressFunc   progress,
           gpointer         progress_data,
           GCancellable    *cancellable,
           GError         **error)
{
  guint64 total = wl_csv_reader_get_size (reader);
  guint64 reported = 0;
  GError *local = NULL;
  WlCsvRow row;
  guint64 n = 0;

  if (progress != NULL)
    progress (0, total, progress_data);

  while (wl_csv_reader_next_row (reader, &row, &local))
    {
      guint64 done;

      if (!wl_dataset_check_label_bytes (loader->dataset, reader, &row, options, error) ||
          !wl_dataset_add_row (loader, &row, error))
        return FALSE;
      if (++n % CHECK_EVERY != 0)
        continue;
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, WL_ERROR, WL_ERROR_CANCELLED, _("Reading “%s” was cancelled"),
                       wl_csv_reader_get_display_name (reader));
          return FALSE;
        }
      /* The offset goes back after a bad row spanning lines: the furthest counts. */
      done = MIN (wl_csv_reader_get_offset (reader), total);
      if (progress != NULL && done >= reported + REPORT_EVERY)
        {
          reported = done;
          progress (done, total, progress_data);
        }
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (progress != NULL)
    progress (total, total, progress_data);
  return TRUE;
}

void
wl_dataset_set_no_rows_error (const WlDataset  *dataset,
                              const char       *display_name,
                              GError          **error)
{
  g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA,
               _("%s: no usable rows (%" PRIu64 " read, %" PRIu64
                 " with an empty text, %" PRIu64 " with an empty label, %"
                 PRIu64 " malformed)"),
               display_name, dataset->stats.rows_read, dataset->stats.empty_texts,
               dataset->stats.empty_labels, dataset->stats.bad_rows);
}

WlDataset *
wl_dataset_new_for_reader (const WlCsvReader    *reader,
                           const WlLoadOptions  *options,
                           GError              **error)
{
  g_autoptr(WlDataset) dataset = wl_dataset_new_empty ();
  const char * const *header = wl_csv_reader_get_header (reader);

  for (guint i = 0; i < wl_csv_reader_get_n_columns (reader); i++)
    g_ptr_array_add (dataset->columns,
                     header ? g_strdup (header[i]) : g_strdup_printf ("column %u", i + 1));
  if (dataset->columns->len == 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA, _("%s: the file is empty"),
                   wl_csv_reader_get_display_name (reader));
      return NULL;
    }
  if (!wl_dataset_pick_columns (dataset, reader, options, error))
    return NULL;
  return g_steal_pointer (&dataset);
}

WlDataset *
wl_dataset_load (const char           *path,
                 const WlLoadOptions  *options,
                 WlProgressFunc        progress,
                 gpointer              progress_data,
                 GCancellable         *cancellable,
                 GError              **error)
{
  static const WlLoadOptions defaults = { 0 };
  g_autoptr(WlCsvReader) reader = NULL;
  g_autoptr(WlDataset) dataset = NULL;
  g_autoptr(GString) joined = NULL;
  g_autoptr(GString) label = NULL;
  WlCsvOptions csv = { 0 };
  WlDatasetLoader loader;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    options = &defaults;
  csv.separator = options->separator;
  csv.quotes = options->quotes;
  csv.encoding = options->encoding;
  csv.header = options->header;
  csv.skip_bad_rows = options->skip_bad_rows;
  if ((reader = wl_csv_reader_new (path, &csv, cancellable, error)) == NULL)
    return NULL;

  if ((dataset = wl_dataset_new_for_reader (reader, options, error)) == NULL)
    return NULL;
  if (options->texts_on_disk && !(dataset->spill = wl_text_spill_new (error)))
    return NULL;

  joined = g_string_new (NULL);
  label = g_string_new (NULL);
  loader = (WlDatasetLoader) { dataset, 0, joined, label };
  ok = load_rows (&loader, reader, options, progress, progress_data, cancellable, error) &&
       (dataset->spill == NULL || wl_text_spill_finish (dataset->spill, error));
  wl_dataset_copy_reader_stats (dataset, reader);
  if (!ok)
    return NULL;

  if (dataset->n_rows == 0)
    {
      wl_dataset_set_no_rows_error (dataset, wl_csv_reader_get_display_name (reader), error);
      return NULL;
    }
  if (dataset->spill == NULL)
    dataset->lines = g_renew (guint64, dataset->lines, dataset->n_rows);
  return g_steal_pointer (&dataset);
}

void
wl_dataset_free (WlDataset *dataset)
{
  if (dataset == NULL)
    return;
  g_string_chunk_free (dataset->chunk);
  g_ptr_array_unref (dataset->texts);
  g_clear_pointer (&dataset->spill, wl_text_spill_free);
  g_clear_pointer (&dataset->read_back, g_hash_table_unref);
  g_mutex_clear (&dataset->read_back_lock);
  g_array_unref (dataset->labels);
  g_ptr_array_unref (dataset->label_names);
  g_hash_table_unref (dataset->label_ids);
  g_ptr_array_unref (dataset->columns);
  g_array_unref (dataset->text_column_indexes);
  g_free (dataset->lines);
  g_free (dataset);
}

WlDataset *
wl_dataset_new_subset (const WlDataset *dataset,
                       const guint32   *rows,
                       gsize            n_rows)
{
  g_autoptr(GError) error = NULL;
  WlDataset *subset;

  g_return_val_if_fail (dataset != NULL, NULL);
  g_return_val_if_fail (rows != NULL || n_rows == 0, NULL);

  subset = wl_dataset_new_empty ();
  for (guint i = 0; i < dataset->label_names->len; i++)
    {
      char *name = g_strdup (g_ptr_array_index (dataset->label_names, i));

      g_ptr_array_add (subset->label_names, name);
      g_hash_table_insert (subset->label_ids, name, GUINT_TO_POINTER (i + 1));
    }
  for (guint i = 0; i < dataset->columns->len; i++)
    g_ptr_array_add (subset->columns, g_strdup (g_ptr_array_index (dataset->columns, i)));
  g_array_append_vals (subset->text_column_indexes, dataset->text_column_indexes->data,
                       dataset->text_column_indexes->len);
  subset->label_column_index = dataset->label_column_index;
  subset->stats = dataset->stats;
  subset->lines = g_new0 (guint64, MAX (n_rows, 1));
  for (gsize i = 0; i < n_rows; i++)
    {
      g_return_val_if_fail (rows[i] < dataset->n_rows, subset);
      if (dataset->labels->len > 0)
        g_array_append_val (subset->labels, g_array_index (dataset->labels, guint32, rows[i]));
      if (dataset->spill == NULL)
        subset->lines[i] = dataset->lines[rows[i]];
    }
  g_ptr_array_set_size (subset->texts, n_rows);
  if (dataset->spill == NULL)
    for (gsize i = 0; i < n_rows; i++)
      g_ptr_array_index (subset->texts, i) =
        g_string_chunk_insert (subset->chunk, g_ptr_array_index (dataset->texts, rows[i]));
  else if (!wl_text_spill_read (dataset->spill, rows, n_rows, subset->chunk,
                                (const char **) subset->texts->pdata, subset->lines, &error))
    {
      /* The scratch file cannot be read back (a disk failure). */
      g_warning ("%s", error->message);
      for (gsize i = 0; i < n_rows; i++)
        g_ptr_array_index (subset->texts, i) = (gpointer) "";
    }
  subset->n_rows = n_rows;
  return subset;
}

gsize
wl_dataset_get_n_rows (const WlDataset *dataset)
{
  g_return_val_if_fail (dataset != NULL, 0);
  return dataset->n_rows;
}

guint
wl_dataset_get_n_labels (const WlDataset *dataset)
{
  g_return_val_if_fail (dataset != NULL, 0);
  return dataset->label_names->len;
}

const char *
wl_dataset_get_text (const WlDataset *dataset,
                     gsize            row)
{
  WlDataset *self = (WlDataset *) dataset;   /* only its read-back texts change */
  guint32 key = (guint32) row;
  const char *text;

  g_return_val_if_fail (dataset != NULL, NULL);
  g_return_val_if_fail (row < dataset->n_rows, NULL);

  if (dataset->spill == NULL)
    return g_ptr_array_index (dataset->texts, row);

  g_mutex_lock (&self->read_back_lock);
  if (self->read_back == NULL)
    self->read_back = g_hash_table_new (NULL, NULL);
  text = g_hash_table_lookup (self->read_back, GUINT_TO_POINTER (key + 1));
  if (text == NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!wl_text_spill_read (dataset->spill, &key, 1, self->chunk, &text, NULL, &error))
        {
          g_warning ("%s", error->message);
          text = "";
        }
      g_hash_table_insert (self->read_back, GUINT_TO_POINTER (key + 1), (gpointer) text);
    }
  g_mutex_unlock (&self->read_back_lock);
  return text;
}

gboolean
wl_dataset_read_texts (const WlDataset  *dataset,
                       const guint32    *rows,
                       gsize             n,
                       GStringChunk     *chunk,
                       const char      **texts,
                       GError          **error)
{
  g_return_val_if_fail (dataset != NULL, FALSE);
  g_return_val_if_fail (rows != NULL || n == 0, FALSE);
  g_return_val_if_fail (chunk != NULL || dataset->spill == NULL, FALSE);

  if (dataset->spill != NULL)
    return wl_text_spill_read (dataset->spill, rows, n, chunk, texts, NULL, error);
  for (gsize k = 0; k < n; k++)
    {
      g_return_val_if_fail (rows[k] < dataset->n_rows, FALSE);
      texts[k] = g_ptr_array_index (dataset->texts, rows[k]);
    }
  return TRUE;
}

guint32
wl_dataset_get_label (const WlDataset *dataset,
                      gsize            row)
{
  g_return_val_if_fail (dataset != NULL, 0);
  g_return_val_if_fail (row < dataset->labels->len, 0);
  return g_array_index (dataset->labels, guint32, row);
}

guint64
wl_dataset_get_line (const WlDataset *dataset,
                     gsize            row)
{
  g_autoptr(GStringChunk) chunk = NULL;
  g_autoptr(GError) error = NULL;
  guint32 key = (guint32) row;
  const char *text;
  guint64 line;

  g_return_val_if_fail (dataset != NULL, 0);
  g_return_val_if_fail (row < dataset->n_rows, 0);

  if (dataset->spill == NULL)
    return dataset->lines[row];
  chunk = g_string_chunk_new (256);
  if (!wl_text_spill_read (dataset->spill, &key, 1, chunk, &text, &line, &error))
    {
      g_warning ("%s", error->message);
      return 0;
    }
  return line;
}

int
wl_dataset_find_label (const WlDataset *dataset,
                       const char      *name)
{
  gpointer value;

  g_return_val_if_fail (dataset != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  value = g_hash_table_lookup (dataset->label_ids, name);
  return value ? (int) GPOINTER_TO_UINT (value) - 1 : -1;
}
