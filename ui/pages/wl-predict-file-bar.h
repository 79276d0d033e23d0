/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-predict-file-bar.h: a whole CSV/TSV file predicted into a CSV file
 * (the Results page's Predict a File…), read and predicted on workers,
 * with a progress bar and a Stop button while it goes. */
#pragma once

#include <adwaita.h>

#include "train/wl-run.h"

G_BEGIN_DECLS

#define WL_TYPE_PREDICT_FILE_BAR (wl_predict_file_bar_get_type ())
G_DECLARE_FINAL_TYPE (WlPredictFileBar, wl_predict_file_bar, WL, PREDICT_FILE_BAR, GtkBox)

GtkWidget *wl_predict_file_bar_new     (void);
/* Predicts the texts of @input with @run's classifier into @output (a
 * reference to @run is kept until the end); a toast on the window says
 * how it ended.  Nothing happens while one is going. */
void       wl_predict_file_bar_start   (WlPredictFileBar *self,
                                        WlRun            *run,
                                        const char       *input,
                                        const char       *output);
/* Asks for the file of texts, then for the CSV to write, then starts. */
void       wl_predict_file_bar_choose  (WlPredictFileBar *self,
                                        WlRun            *run);
gboolean   wl_predict_file_bar_is_busy (WlPredictFileBar *self);

G_END_DECLS
