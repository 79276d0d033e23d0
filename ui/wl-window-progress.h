/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-window-progress.h: the current run's progress in the header bar, on
 * every page: a button that reads "Epoch 3 · 42 %" over a thin bar while a
 * run goes, and shows the Train page when pressed (win.show-page). */
#pragma once

#include <adwaita.h>

#include "wl-session.h"

G_BEGIN_DECLS

typedef struct _WlWindowProgress WlWindowProgress;

/* Follows @session's run events into @button (its child is made here);
 * the window owns the result and shows @button while a run goes. */
WlWindowProgress *wl_window_progress_new  (GtkButton        *button,
                                           WlSession        *session);
void              wl_window_progress_free (WlWindowProgress *self);

G_END_DECLS
