/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-label-column.c: refuse a label column that holds free text. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "io/wl-csv-index.h"
#include "io/wl-label-column.h"
#include "wl-error.h"

gboolean
wl_label_column_looks_like_text (guint64 n_labels,
                                 guint64 n_rows)
{
  return n_labels >= WL_LABEL_COLUMN_MIN_SUSPECT && n_labels * 2 > n_rows;
}

/* The column the Data page would have picked, other than @label_column, or
 * -1: read again with the settings the dataset was read with. */
static int
suggest_other (const WlDataset *dataset,
               const char      *path,
               GCancellable    *cancellable)
{
  WlCsvOptions options = {
    .separator = dataset->stats.separator,
    .quotes = dataset->stats.quotes,
    .header = dataset->stats.has_header ? WL_HEADER_YES : WL_HEADER_NO,
    .skip_bad_rows = TRUE,
    .encoding = dataset->stats.encoding,
  };
  g_autoptr(WlCsvIndex) index = wl_csv_index_build (path, &options, NULL, NULL, cancellable, NULL);
  int best = -1;

  if (index == NULL)
    return -1;
  for (guint c = 0; c < wl_csv_index_get_n_columns (index); c++)
    {
      const WlCsvColumnStats *stats = wl_csv_index_get_column (index, c);
      guint64 filled = wl_csv_index_get_n_rows (index) - stats->empty;

      if ((int) c == dataset->label_column_index || !stats->countable || stats->n_values < 2 ||
          wl_label_column_looks_like_text (stats->n_values, filled))
        continue;
      if (best < 0 || stats->n_values < wl_csv_index_get_column (index, best)->n_values)
        best = (int) c;
    }
  return best;
}

gboolean
wl_label_column_check (const WlDataset *dataset,
                       const char      *path,
                       GCancellable    *cancellable,
                       GError         **error)
{
  guint n_labels = wl_dataset_get_n_labels (dataset);
  gsize n_rows = wl_dataset_get_n_rows (dataset);
  const char *column;
  int other;

  g_return_val_if_fail (dataset != NULL && path != NULL, FALSE);

  if (dataset->label_column_index < 0 || !wl_label_column_looks_like_text (n_labels, n_rows))
    return TRUE;

  column = g_ptr_array_index (dataset->columns, dataset->label_column_index);
  other = suggest_other (dataset, path, cancellable);
  if (other >= 0)
    g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                 _("%s: the label column “%s” has %u different values in %zu rows, so it holds "
                   "text rather than labels; the labels are more likely in “%s”: pick that as "
                   "the label column"),
                 path, column, n_labels, n_rows,
                 (const char *) g_ptr_array_index (dataset->columns, other));
  else
    g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                 _("%s: the label column “%s” has %u different values in %zu rows, so it holds "
                   "text rather than labels, and no other column looks like labels; pick the "
                   "column that holds a few classes as the label column"),
                 path, column, n_labels, n_rows);
  return FALSE;
}
