/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-session-private.h: the session's run store work, done on threads
 * (wl-session-record.c): opening a recorder for a run, finishing it, and
 * preparing a resumed run with the history the store kept. */
#pragma once

#include "store/wl-run-recorder.h"
#include "wl-session.h"

G_BEGIN_DECLS

/* A run ready to start: what wl_session_record_finish() and
 * wl_session_prepare_resume_finish() give. */
typedef struct
{
  WlRun         *run;
  WlRunRecorder *recorder;     /* NULL: not recorded */
  GError        *record_error; /* why not (a new run trains all the same) */
  char          *config;       /* resume: the run's stored settings (JSON) */
  GPtrArray     *events;       /* resume: WlEvent *, what the store kept of it */
  double         offset;       /* resume: the run's time where it goes on */
} WlSessionLaunch;

void             wl_session_launch_free          (WlSessionLaunch *launch);

/* Opens the default store and a recorder for @run (not started yet).  Never
 * fails: a store that cannot be written leaves launch->recorder NULL and
 * says why in launch->record_error. */
void             wl_session_record_async         (WlSession           *self,
                                                  WlRun               *run,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
WlSessionLaunch *wl_session_record_finish        (WlSession           *self,
                                                  GAsyncResult        *result);

/* wl_store_resume_run() (which hashes the data file), its recorder, and
 * the run's epochs, progress, stages and messages as events. */
void             wl_session_prepare_resume_async (WlSession           *self,
                                                  gint64               id,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
WlSessionLaunch *wl_session_prepare_resume_finish (WlSession          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* Writes what is left of the run and frees @recorder (takes it). */
void             wl_session_close_recorder_async (WlSession           *self,
                                                  WlRunRecorder       *recorder,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         wl_session_close_recorder_finish (WlSession          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlSessionLaunch, wl_session_launch_free)

G_END_DECLS
