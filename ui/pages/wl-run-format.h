/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-format.h: how the Runs page and its views write a stored run:
 * its name, state, scores, times and settings (the Results page writes its
 * scores and grid the same way). */
#pragma once

#include <gtk/gtk.h>

#include "store/wl-store.h"
#include "store/wl-store-compare.h"

G_BEGIN_DECLS

/* The run's notes' first line, else "Run 12". */
char       *wl_run_format_name      (const WlRunRecord *record);
const char *wl_run_format_state     (WlRunState         state);
const char *wl_run_state_icon_name  (WlRunState         state);
/* "92.4 %", or "—" for NAN. */
char       *wl_run_format_percent   (double             value);
/* The name of a confusion view's last row: "12 other labels". */
char       *wl_run_format_other_labels (guint           n_others);
/* The best validation value of the run's metric: "92.4 %" (accuracy,
 * macro-F1) or "0.2311" (loss); "—" when unknown. */
char       *wl_run_format_best      (const WlRunRecord *record);
/* "accuracy", "macro-F1", "loss": the metric's name for a caption. */
const char *wl_run_format_metric    (const char        *metric);
/* Local date and time of a Unix time, in the locale's short format
 * ("2024/3/14 09:05" in zh_CN, "3/14/24, 9:05 AM" in en_US); "—" for 0. */
char       *wl_run_format_time      (gint64             unix_time);
/* The time of day of @time, in the locale's format ("09:05:37" in zh_CN,
 * "9:05:37 AM" in en_US). */
char       *wl_run_format_clock     (GDateTime         *time);
/* A short name of the data file (its basename). */
char       *wl_run_format_dataset   (const WlRunRecord *record);

/* Setting @key of a config flattened by wl_config_json_flatten() as text
 * to show ("5", "0.1", "linear", "title, text", "—" for null); NULL when
 * @config (may be NULL) does not have it. */
char       *wl_run_format_setting   (GHashTable        *config,
                                     const char        *key);

/* A label for a grid of numbers and names: numbers right-aligned with
 * tabular digits, names ellipsized with the full text as tooltip. */
GtkWidget  *wl_run_grid_label       (const char        *text,
                                     gboolean           number,
                                     gboolean           header);
void        wl_run_grid_clear       (GtkGrid           *grid);

G_END_DECLS
