/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-csv-columns.h: what wl_csv_index_build() learns about each column
 * while it reads (private to engine/io): mean lengths, empty values, the
 * counts of distinct values up to WL_CSV_INDEX_MAX_VALUES, and the
 * patterns of empty columns, from which the rows a choice of text and
 * label columns leaves out are counted. */
#pragma once

#include "io/wl-csv-index.h"

G_BEGIN_DECLS

typedef struct _WlCsvColumns WlCsvColumns;

WlCsvColumns           *wl_csv_columns_new          (void);
void                    wl_csv_columns_free         (WlCsvColumns       *columns);
/* The first row sets the number of columns; every row has that many. */
void                    wl_csv_columns_add_row      (WlCsvColumns       *columns,
                                                     const WlCsvRow     *row);
/* After the last row: sorts the counts.  @n_columns is used when no row
 * came. */
void                    wl_csv_columns_finish       (WlCsvColumns       *columns,
                                                     guint               n_columns,
                                                     guint64             n_rows);
guint                   wl_csv_columns_get_n_columns (const WlCsvColumns *columns);
const WlCsvColumnStats *wl_csv_columns_get          (const WlCsvColumns *columns,
                                                     guint               column);
/* As wl_csv_index_count_empty(). */
gboolean                wl_csv_columns_count_empty  (const WlCsvColumns *columns,
                                                     const guint        *text_columns,
                                                     guint               n_text_columns,
                                                     int                 label_column,
                                                     guint64            *empty_texts,
                                                     guint64            *empty_labels);
/* As wl_csv_index_suggest_label_column() and _text_column(); @names are
 * the columns' names, @header the header's or NULL. */
int                     wl_csv_columns_suggest_label (const WlCsvColumns *columns,
                                                     const char * const *header,
                                                     guint64             n_rows);
int                     wl_csv_columns_suggest_text (const WlCsvColumns *columns,
                                                     const char * const *names,
                                                     int                 label_column);

G_END_DECLS
