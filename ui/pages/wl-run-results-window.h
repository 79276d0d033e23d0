/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-results-window.h: a stored run's test results, reopened: its
 * scores, per-label table and confusion matrix, from the evaluation the
 * store kept. */
#pragma once

#include <adwaita.h>

#include "store/wl-store.h"

G_BEGIN_DECLS

#define WL_TYPE_RUN_RESULTS_WINDOW (wl_run_results_window_get_type ())
G_DECLARE_FINAL_TYPE (WlRunResultsWindow, wl_run_results_window, WL, RUN_RESULTS_WINDOW,
                      AdwWindow)

/* NULL with @error when the run has no evaluation or it does not read. */
GtkWidget *wl_run_results_window_new (const WlRunRecord  *record,
                                      GError            **error);

G_END_DECLS
