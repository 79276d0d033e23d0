/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-main-progress.h: progress of a worker thread, delivered on the main
 * context of the caller that started the work.
 *
 * The _async forms of the engine's long jobs (the deployment card,
 * predicting a file) take a WlProgressFunc to call on the caller's thread.
 * wl_main_progress_new() captures the thread-default main context there;
 * wl_main_progress_report(), called from the worker, queues one call of
 * the function on that context.  The object is reference counted and each
 * queued call holds a reference, so a call that runs after the job ended
 * still finds it. */
#pragma once

#include "io/wl-dataset.h"

G_BEGIN_DECLS

typedef struct _WlMainProgress WlMainProgress;

/* NULL when @func is NULL (no progress wanted). */
WlMainProgress *wl_main_progress_new    (WlProgressFunc  func,
                                         gpointer        user_data);
WlMainProgress *wl_main_progress_ref    (WlMainProgress *progress);
void            wl_main_progress_unref  (WlMainProgress *progress);
/* A WlProgressFunc for the worker side: @progress is the WlMainProgress. */
void            wl_main_progress_report (guint64         done,
                                         guint64         total,
                                         gpointer        progress);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlMainProgress, wl_main_progress_unref)

G_END_DECLS
