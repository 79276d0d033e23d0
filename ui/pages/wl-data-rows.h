/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-data-rows.h: the rows of an indexed CSV/TSV file as a GListModel of
 * WlDataRow, made on demand: a view of a file of millions of rows reads
 * only the rows it shows, a block at a time on a worker
 * (wl_csv_index_read_rows_async()); until its block arrives an item is a
 * placeholder with empty fields, which then takes the fields read and
 * notifies "read" (the view keeps the row's widgets and only sets their
 * text again). */
#pragma once

#include <gio/gio.h>

#include "io/wl-csv-index.h"

G_BEGIN_DECLS

#define WL_TYPE_DATA_ROW (wl_data_row_get_type ())
G_DECLARE_FINAL_TYPE (WlDataRow, wl_data_row, WL, DATA_ROW, GObject)

/* The physical line where the row starts. */
guint64     wl_data_row_get_line  (WlDataRow  *self);
/* The field, on one line (line breaks shown as ↵) and shortened for a
 * table cell; "" past the row's end.  A row that cannot be read has the
 * reason as its first field. */
const char *wl_data_row_get_field (WlDataRow  *self,
                                   guint       column);
/* FALSE for a placeholder whose row is still being read; the "read"
 * property, notified once when its fields arrive. */
gboolean    wl_data_row_get_read  (WlDataRow  *self);

#define WL_TYPE_DATA_ROWS (wl_data_rows_get_type ())
G_DECLARE_FINAL_TYPE (WlDataRows, wl_data_rows, WL, DATA_ROWS, GObject)

WlDataRows *wl_data_rows_new (WlCsvIndex *index);

G_END_DECLS
