/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-label-column.h: does the label column hold labels?
 *
 * A column with as many distinct values as a large share of its rows is
 * text (a review, a title, an id), not classes: training on it would ask
 * for a model with one output per row.  Such a column is refused before
 * anything is built, with the name of the column that more likely holds
 * the labels. */
#pragma once

#include "io/wl-dataset.h"

G_BEGIN_DECLS

/* Fewer distinct labels than this are always accepted. */
#define WL_LABEL_COLUMN_MIN_SUSPECT 50

/* FALSE with a WL_ERROR_INVALID error when @dataset's label column holds
 * more than half as many distinct values as rows (and at least
 * WL_LABEL_COLUMN_MIN_SUSPECT); the message names the column and, reading
 * @path again with @dataset's own settings, suggests another one. */
gboolean wl_label_column_check (const WlDataset *dataset,
                                const char      *path,
                                GCancellable    *cancellable,
                                GError         **error);
/* Whether @n_labels distinct values in @n_rows rows look like free text. */
gboolean wl_label_column_looks_like_text (guint64 n_labels,
                                          guint64 n_rows);

G_END_DECLS
