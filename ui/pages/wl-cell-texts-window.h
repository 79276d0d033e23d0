/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cell-texts-window.h: the test texts behind one confusion-matrix cell. */
#pragma once

#include <adwaita.h>

#include "train/wl-run.h"

G_BEGIN_DECLS

#define WL_TYPE_CELL_TEXTS_WINDOW (wl_cell_texts_window_get_type ())
G_DECLARE_FINAL_TYPE (WlCellTextsWindow, wl_cell_texts_window, WL, CELL_TEXTS_WINDOW, AdwWindow)

/* The texts of @run's test part labelled @truth and predicted @predicted
 * (label ids of its evaluation): every mistake, most confident first, or a
 * first few correct ones for a cell on the diagonal.  Keeps a reference on
 * @run, which must have finished with an evaluation. */
GtkWidget *wl_cell_texts_window_new         (WlRun             *run,
                                             guint              truth,
                                             guint              predicted);
/* How many texts the window lists. */
guint      wl_cell_texts_window_get_n_texts (WlCellTextsWindow *self);

G_END_DECLS
