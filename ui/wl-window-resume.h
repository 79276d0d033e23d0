/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-window-resume.h: at start-up, the newest run of the store, when it was
 * interrupted (a crash, a power cut) and can be resumed, is offered for
 * resume in a toast with a Resume button (win.resume-run), once per run
 * (GSettings "resume-offered"). */
#pragma once

#include "wl-window.h"

G_BEGIN_DECLS

/* Reads the store on a thread; the toast comes when it has, unless
 * @cancellable (the window's, cancelled when it goes) is cancelled. */
void wl_window_offer_resume (WlWindow     *window,
                             GSettings    *settings,
                             GCancellable *cancellable);

G_END_DECLS
