/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-csv-index.h: a row index of a CSV/TSV file, for random access and
 * column statistics.
 *
 * wl_csv_index_build() reads the file once with WlCsvReader (the same
 * options, detection, repairs and bad-row rules) and keeps, for each data
 * row, where it starts: its byte offset and its line, 8 bytes a row.  Any
 * row can then be read again by seeking to it and parsing that one record,
 * so a preview of a file of millions of rows reads only the rows it shows.
 *
 * While it reads, it also gathers for every column its mean length, how
 * many rows leave it empty and how often each distinct value occurs, up to
 * WL_CSV_INDEX_MAX_VALUES distinct values: a column with more is no label
 * column and its counts are dropped.  Values are trimmed of surrounding
 * ASCII whitespace, as the dataset loader trims texts and labels, so the
 * counts of a label column are the classes the loader will find.
 *
 * Threads: the index is immutable once built and may be used from any
 * thread.  wl_csv_index_read_row() shares one reader behind a mutex (rows
 * read near each other come from the same chunk in memory);
 * wl_csv_index_sample_texts() opens its own reader, so it does not hold up
 * callers of read_row.
 */
#pragma once

#include <gio/gio.h>

#include "io/wl-csv-reader.h"

G_BEGIN_DECLS

#define WL_CSV_INDEX_MAX_VALUES 1000

typedef struct _WlCsvIndex WlCsvIndex;

/* Progress of wl_csv_index_build(), from its thread: the rows indexed and
 * the bytes of the file read so far. */
typedef void (*WlCsvIndexProgress) (guint64  rows,
                                    guint64  bytes_done,
                                    guint64  bytes_total,
                                    gpointer user_data);

typedef struct
{
  const char *value;
  guint64     count;
} WlCsvValueCount;

typedef struct
{
  double                 mean_length;  /* bytes, trimmed, over every row */
  guint64                empty;        /* rows where it is empty once trimmed */
  gboolean               countable;    /* at most WL_CSV_INDEX_MAX_VALUES distinct values */
  guint                  n_values;     /* distinct non-empty values; 0 unless countable */
  const WlCsvValueCount *values;       /* most frequent first (ties: first seen first) */
} WlCsvColumnStats;

WlCsvIndex             *wl_csv_index_build          (const char          *path,
                                                     const WlCsvOptions  *options,
                                                     WlCsvIndexProgress   progress,
                                                     gpointer             progress_data,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
WlCsvIndex             *wl_csv_index_ref            (WlCsvIndex          *index);
void                    wl_csv_index_unref          (WlCsvIndex          *index);

const char             *wl_csv_index_get_path       (const WlCsvIndex    *index);
guint64                 wl_csv_index_get_n_rows     (const WlCsvIndex    *index);
guint                   wl_csv_index_get_n_columns  (const WlCsvIndex    *index);
/* The header's names; NULL without a header. */
const char * const     *wl_csv_index_get_header     (const WlCsvIndex    *index);
/* The header's name, else "column N" (as the dataset loader names it). */
const char             *wl_csv_index_get_column_name (const WlCsvIndex   *index,
                                                     guint                column);
gunichar                wl_csv_index_get_separator  (const WlCsvIndex    *index);
/* The quote mode used: never WL_QUOTES_AUTO. */
WlQuoteMode             wl_csv_index_get_quotes     (const WlCsvIndex    *index);
gboolean                wl_csv_index_get_has_header (const WlCsvIndex    *index);
gboolean                wl_csv_index_get_had_bom    (const WlCsvIndex    *index);
/* The encoding found or given, never "auto", and how sure detection was
 * (0–100); the rows are read again in it. */
const char             *wl_csv_index_get_encoding   (const WlCsvIndex    *index);
int                     wl_csv_index_get_encoding_confidence (const WlCsvIndex *index);
guint64                 wl_csv_index_get_size       (const WlCsvIndex    *index);
/* Rows, blank lines, skipped bad rows (and the first lines), repairs. */
const WlCsvCounts      *wl_csv_index_get_counts     (const WlCsvIndex    *index);
/* The physical line (1-based) where data row @row starts. */
guint64                 wl_csv_index_get_line       (const WlCsvIndex    *index,
                                                     guint64              row);
const WlCsvColumnStats *wl_csv_index_get_column     (const WlCsvIndex    *index,
                                                     guint                column);

/* The fields of data row @row (0-based), valid UTF-8; NULL on error. */
char                  **wl_csv_index_read_row       (WlCsvIndex          *index,
                                                     guint64              row,
                                                     GError             **error);
/* One row read by wl_csv_index_read_rows_async(): its physical line, and
 * its fields or why it could not be read. */
typedef struct
{
  guint64   line;
  char    **fields;       /* NULL when @error is set */
  GError   *error;
} WlCsvIndexRow;

void                    wl_csv_index_row_free       (WlCsvIndexRow       *row);
/* Reads rows @first to @first + @n_rows - 1 (fewer at the end of the file)
 * on a worker thread, for a table that must not read on its main thread.
 * The result is a GPtrArray of WlCsvIndexRow *, one per row even when a
 * row cannot be read; it fails only when cancelled. */
void                    wl_csv_index_read_rows_async (WlCsvIndex         *index,
                                                     guint64              first,
                                                     guint                n_rows,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GPtrArray              *wl_csv_index_read_rows_finish (GAsyncResult      *result,
                                                     GError             **error);
/* Up to @n_texts non-empty texts of @columns (char *) from rows spread
 * evenly over the file, made as the dataset loader makes them: each field
 * trimmed, the non-empty ones joined with a newline. */
GPtrArray              *wl_csv_index_sample_texts   (WlCsvIndex          *index,
                                                     const guint         *columns,
                                                     guint                n_columns,
                                                     guint                n_texts,
                                                     GCancellable        *cancellable,
                                                     GError             **error);

/* The rows the dataset loader would drop with these columns: every text
 * column empty (@empty_texts), else the label empty (@empty_labels);
 * @label_column -1 for none.  FALSE when the index cannot tell (a column
 * past the 64th, or too many patterns of empty columns). */
gboolean                wl_csv_index_count_empty    (const WlCsvIndex    *index,
                                                     const guint         *text_columns,
                                                     guint                n_text_columns,
                                                     int                  label_column,
                                                     guint64             *empty_texts,
                                                     guint64             *empty_labels);

/* The likely label column: a countable column with a usual label name
 * ("label", "class", "category", "sentiment"...), else the countable column
 * with the fewest distinct values (two or more) that repeat; -1 if none. */
int                     wl_csv_index_suggest_label_column (const WlCsvIndex *index);
/* The likely text column: the one named "text", else the one with the
 * longest mean length; never @label_column; -1 if none. */
int                     wl_csv_index_suggest_text_column  (const WlCsvIndex *index,
                                                     int                  label_column);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlCsvIndex, wl_csv_index_unref)

G_END_DECLS
