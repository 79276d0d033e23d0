/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-export-window.h: Export a run's model: format, precision, pruning,
 * the deployment card, then a file; from the Results page (the run just
 * trained) or the Runs page (a stored run's best checkpoint). */
#pragma once

#include <adwaita.h>

#include "store/wl-store.h"
#include "train/wl-run.h"

G_BEGIN_DECLS

#define WL_TYPE_EXPORT_WINDOW (wl_export_window_get_type ())
G_DECLARE_FINAL_TYPE (WlExportWindow, wl_export_window, WL, EXPORT_WINDOW, AdwWindow)

/* @run must have finished with a model.  Toasts go to @parent. */
WlExportWindow *wl_export_window_new (GtkWindow *parent,
                                      WlRun     *run);
/* A stored run's model: takes @classifier and @record (the run's row);
 * @config: the settings it was trained with.  Measure derives the run's
 * test part again from its input file (wl_store_load_test_part_async), or
 * says why it cannot and offers to choose a test file. */
WlExportWindow *wl_export_window_new_for_stored (GtkWindow      *parent,
                                                 WlClassifier   *classifier,
                                                 const WlConfig *config,
                                                 WlRunRecord    *record);

G_END_DECLS
