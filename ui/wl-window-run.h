/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-window-run.h: a long run the GNOME way, for WlWindow: suspend
 * inhibited while training, a notification when a run ends unseen, and a
 * close during a run that asks first (Stop and Close, Keep Training in the
 * background with the application held, Cancel). */
#pragma once

#include <adwaita.h>

#include "wl-session.h"

G_BEGIN_DECLS

typedef struct _WlWindowRun WlWindowRun;

/* Follows @session's runs for @window, which owns the result. */
WlWindowRun *wl_window_run_new           (GtkWindow   *window,
                                          WlSession   *session);
void         wl_window_run_free          (WlWindowRun *self);
/* From the window's close-request: TRUE when the close must wait for the
 * user's answer to the dialog this shows (a run is going). */
gboolean     wl_window_run_close_request (WlWindowRun *self);

G_END_DECLS
