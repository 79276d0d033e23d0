/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-item.h: one stored run in the Runs page's list: its record (the
 * fields wl_store_list_runs() fills) and its validation accuracy per
 * epoch, for the sparkline.  Sorting and filtering work on these.
 *
 * Property: "record" (const WlRunRecord *, read-only), notified when
 * wl_run_item_update() changes what the item holds, so that the list's
 * cells show it again without the row being made anew. */
#pragma once

#include <glib-object.h>

#include "store/wl-store.h"

G_BEGIN_DECLS

/* The list's sortable columns. */
typedef enum
{
  WL_RUN_COLUMN_STATE,
  WL_RUN_COLUMN_NAME,
  WL_RUN_COLUMN_STARTED,
  WL_RUN_COLUMN_MODEL,
  WL_RUN_COLUMN_DATASET,
  WL_RUN_COLUMN_EPOCHS,
  WL_RUN_COLUMN_BEST,
  WL_RUN_COLUMN_TEST_ACCURACY,
  WL_RUN_COLUMN_MACRO_F1,
  WL_RUN_COLUMN_CURVE,          /* the sparkline: not sortable */
  WL_N_RUN_COLUMNS
} WlRunColumn;

#define WL_TYPE_RUN_ITEM (wl_run_item_get_type ())
G_DECLARE_FINAL_TYPE (WlRunItem, wl_run_item, WL, RUN_ITEM, GObject)

/* Takes @record and @epochs (WlEpochRecord; may be NULL). */
WlRunItem         *wl_run_item_new          (WlRunRecord  *record,
                                             GArray       *epochs);
const WlRunRecord *wl_run_item_get_record   (WlRunItem    *self);
/* When @other (the same run, read again) differs from @self in what the
 * list shows or filters on, the two exchange their contents and @self
 * notifies "record"; FALSE, and nothing done, when they are the same. */
gboolean           wl_run_item_update       (WlRunItem    *self,
                                             WlRunItem    *other);
gint64             wl_run_item_get_id       (WlRunItem    *self);
const char        *wl_run_item_get_name     (WlRunItem    *self);
/* The validation accuracy of each epoch (NAN where unknown). */
const double      *wl_run_item_get_accuracy (WlRunItem    *self,
                                             guint        *n_epochs);
/* Whether the model, the data file's name, a tag or the notes contain
 * @query (case-folded already, g_utf8_casefold()). */
gboolean           wl_run_item_matches      (WlRunItem    *self,
                                             const char   *query);
/* For a GtkCustomSorter: ascending by @column; unknown values last. */
int                wl_run_item_compare      (WlRunItem    *a,
                                             WlRunItem    *b,
                                             WlRunColumn   column);

G_END_DECLS
