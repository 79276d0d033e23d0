/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-session-record.c: the session's run store work, on threads.
 *
 * The GUI never touches the store on its main thread: opening it, the
 * recorder's first rows, resuming (which hashes the data file) and the
 * recorder's last writes all happen here.  Each task opens its own
 * connection (WAL: readers never wait for the recorder's writer).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-error.h"
#include "wl-session-private.h"

void
wl_session_launch_free (WlSessionLaunch *launch)
{
  if (launch == NULL)
    return;
  g_clear_pointer (&launch->recorder, wl_run_recorder_free);
  g_clear_pointer (&launch->run, wl_run_unref);
  g_clear_error (&launch->record_error);
  g_clear_pointer (&launch->events, g_ptr_array_unref);
  g_free (launch->config);
  g_free (launch);
}

/* Recording a new run */

static void
record_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  WlSessionLaunch *launch = g_new0 (WlSessionLaunch, 1);
  g_autoptr(WlStore) store = NULL;

  launch->run = wl_run_ref (task_data);
  if ((store = wl_store_open (NULL, &launch->record_error)) != NULL)
    launch->recorder = wl_run_recorder_new (store, launch->run, 0, NULL, &launch->record_error);
  g_task_return_pointer (task, launch, (GDestroyNotify) wl_session_launch_free);
}

void
wl_session_record_async (WlSession           *self,
                         WlRun               *run,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, wl_session_record_async);
  g_task_set_task_data (task, wl_run_ref (run), (GDestroyNotify) wl_run_unref);
  g_task_run_in_thread (task, record_thread);
}

WlSessionLaunch *
wl_session_record_finish (WlSession    *self,
                          GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), NULL);
}

/* Resuming */

static WlSessionLaunch *
prepare_resume (gint64   id,
                GError **error)
{
  g_autoptr(WlSessionLaunch) launch = g_new0 (WlSessionLaunch, 1);
  g_autoptr(WlStore) store = NULL;
  g_autoptr(WlRunRecord) record = NULL;
  g_autoptr(WlCheckpointRecord) last = NULL;
  GError *local_error = NULL;
  guint n_epochs;

  if ((store = wl_store_open (NULL, error)) == NULL ||
      (record = wl_store_get_run (store, id, error)) == NULL ||
      (launch->run = wl_store_resume_run (store, id, error)) == NULL)
    return NULL;
  last = wl_store_get_checkpoint (store, id, WL_CHECKPOINT_LAST, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  launch->offset = last != NULL ? last->elapsed : 0;
  n_epochs = record->n_epochs > 0 ? record->n_epochs : wl_run_get_config (launch->run)->model.epochs;
  if ((launch->events = wl_store_get_history (store, id, n_epochs, last, error)) == NULL)
    return NULL;
  launch->config = g_strdup (record->config);
  /* Last: the recorder marks the run as going again, which nothing may
   * fail after. */
  if ((launch->recorder = wl_run_recorder_new (store, launch->run, id, record->output, error)) == NULL)
    return NULL;
  return g_steal_pointer (&launch);
}

static void
resume_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  WlSessionLaunch *launch = prepare_resume (*(gint64 *) task_data, &error);

  if (launch == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, launch, (GDestroyNotify) wl_session_launch_free);
}

void
wl_session_prepare_resume_async (WlSession           *self,
                                 gint64               id,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, wl_session_prepare_resume_async);
  g_task_set_task_data (task, g_memdup2 (&id, sizeof id), g_free);
  g_task_run_in_thread (task, resume_thread);
}

WlSessionLaunch *
wl_session_prepare_resume_finish (WlSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The end of a recording */

static void
close_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  gboolean ok = wl_run_recorder_finish (task_data, &error);

  /* Its connection closes here too, off the main thread. */
  wl_run_recorder_free (task_data);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
wl_session_close_recorder_async (WlSession           *self,
                                 WlRunRecorder       *recorder,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, wl_session_close_recorder_async);
  g_task_set_task_data (task, recorder, NULL);   /* close_thread frees it */
  g_task_run_in_thread (task, close_thread);
}

gboolean
wl_session_close_recorder_finish (WlSession     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
