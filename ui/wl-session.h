/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-session.h: what the window is working on, shared by its pages.
 *
 * One session per window: the data file, the config the next run uses, a
 * sample of the picked text column (for the clean preview), and the current
 * run with every event it reported so far.  Pages edit the config and listen
 * to the session; they never talk to each other.  The run itself works on
 * the engine's threads (wl-run.h): the session only forwards its events,
 * which arrive on the main loop.
 */
#pragma once

#include <gio/gio.h>

#include "monitor/wl-monitor.h"
#include "train/wl-run.h"
#include "wl-config.h"

G_BEGIN_DECLS

typedef enum
{
  WL_SESSION_IDLE,        /* no run yet */
  WL_SESSION_RUNNING,
  WL_SESSION_PAUSED,
  WL_SESSION_FINISHED,
  WL_SESSION_FAILED,
  WL_SESSION_CANCELLED,
} WlSessionState;

#define WL_TYPE_SESSION (wl_session_get_type ())
G_DECLARE_FINAL_TYPE (WlSession, wl_session, WL, SESSION, GObject)

WlSession          *wl_session_new              (void);

/* The data file (notify::file).  Setting it also sets config->data.input. */
GFile              *wl_session_get_file         (WlSession        *self);
void                wl_session_set_file         (WlSession        *self,
                                                 GFile            *file);

/* The config of the next run.  Pages change it in place, then call
 * wl_session_config_changed(), which emits ::config-changed. */
WlConfig           *wl_session_get_config       (WlSession        *self);
void                wl_session_config_changed   (WlSession        *self);

/* Up to a few hundred texts of the picked text columns (the Data page sets
 * them once the file is read) and the file's number of rows, for the clean
 * preview and its time projection (notify::sample). */
void                wl_session_set_sample       (WlSession        *self,
                                                 GPtrArray        *texts,
                                                 guint64           n_rows);
const char * const *wl_session_get_sample       (WlSession        *self,
                                                 guint            *n_texts);
guint64             wl_session_get_n_rows       (WlSession        *self);

/* Runs.  start fails (with a message for a toast) without a file or while
 * a run is going.  stop cancels; the run ends with state CANCELLED. */
gboolean            wl_session_start_run        (WlSession        *self,
                                                 GError          **error);
void                wl_session_set_paused       (WlSession        *self,
                                                 gboolean          paused);
void                wl_session_stop_run         (WlSession        *self);
WlSessionState      wl_session_get_state        (WlSession        *self);
gboolean            wl_session_is_busy          (WlSession        *self);
/* The current or the last run (NULL before the first). */
WlRun              *wl_session_get_run          (WlSession        *self);
/* Every event of that run so far, in order (WlEvent *), for pages that draw
 * its history when they are created late. */
GPtrArray          *wl_session_get_events       (WlSession        *self);
/* g_get_monotonic_time() when the run started (0 before the first), moved
 * on by each pause when it ends: the origin of every chart's time axis. */
gint64              wl_session_get_run_start    (WlSession        *self);
/* The run's time in seconds, a resumed run's earlier time included and the
 * time paused left out (wl_run_get_elapsed()); 0 before the first run. */
double              wl_session_get_elapsed      (WlSession        *self);

/* The run store (store/wl-store.h).  Every run is recorded in it, on the
 * recorder's thread.  The id of the current run there: 0 until its row is
 * written, or when the store could not be written (notify::run-id).  Once
 * the run has ended, ::run-stored (gint64 id) says the store holds its end. */
gint64              wl_session_get_run_id       (WlSession        *self);
/* Continues run @id of the store from its last checkpoint, with its own
 * settings and data file, which become the session's.  The store work
 * (and checking the data file is the same, which reads it) happens on a
 * thread; then the run starts as with wl_session_start_run(), its events
 * beginning with those the store kept, so that charts go on where they
 * stopped.  FALSE while a run is going; a later problem goes to ::error. */
gboolean            wl_session_resume_run       (WlSession        *self,
                                                 gint64            id,
                                                 GError          **error);

/* A resource sample (the Resources page's monitor, the window's only one):
 * recorded with the current run while it goes, else dropped. */
void                wl_session_add_resource_sample (WlSession             *self,
                                                    const WlMonitorSample *sample);

/* Reports a problem the user can act on (the window shows it as a toast). */
void                wl_session_report_error     (WlSession        *self,
                                                 const GError     *error);

const char         *wl_session_state_to_string  (WlSessionState    state);

G_END_DECLS
