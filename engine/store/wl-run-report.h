/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-report.h: a stored run's report, a folder that tells the whole run:
 * run.json (wl-store-json.h: settings, data, machine, evaluation, series),
 * epochs.csv, progress.csv, samples.csv, stages.csv, curves.svg and a
 * report.html that shows them.  `wordloom-cli runs export` and the window's
 * Export Report (Runs page) both write it with these functions. */
#pragma once

#include <gio/gio.h>

#include "store/wl-store.h"

G_BEGIN_DECLS

/* Writes run @id's report into @dir, made if missing (files in it with the
 * report's names are replaced). */
gboolean wl_run_report_write        (WlStore             *store,
                                     gint64               id,
                                     const char          *dir,
                                     GError             **error);
/* Where a report of run @id goes by default: @parent/run-ID ("run-ID" when
 * @parent is NULL). */
char    *wl_run_report_folder       (const char          *parent,
                                     gint64               id);
/* Writes the report of each of @ids into its wl_run_report_folder() in
 * @parent, on a worker with a connection of its own to the store at
 * @store_path (NULL: the default store); stops between two runs when
 * @cancellable is cancelled. */
void     wl_run_report_write_async  (const char          *store_path,
                                     const gint64        *ids,
                                     guint                n_ids,
                                     const char          *parent,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
/* The folders written, in the order of @ids; NULL with @error set. */
char   **wl_run_report_write_finish (GAsyncResult        *result,
                                     GError             **error);

G_END_DECLS
