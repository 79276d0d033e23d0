/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-window-resume.c: an interrupted run offered for resume at start-up. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pages/wl-run-format.h"
#include "pages/wl-store-job.h"
#include "store/wl-run-recorder.h"
#include "wl-window-resume.h"

/* The newest run, when it was interrupted and can go on; else a record
 * with id 0 (nothing to offer). */
static gpointer
newest_job (WlStore  *store,
            gpointer  data,
            GError  **error)
{
  g_autoptr(GPtrArray) runs = wl_store_list_runs (store, error);
  g_autoptr(WlCheckpointRecord) last = NULL;
  WlRunRecord *newest;
  GError *local_error = NULL;

  if (runs == NULL)
    return NULL;
  newest = runs->len > 0 ? g_ptr_array_index (runs, 0) : NULL;
  if (newest == NULL || newest->state != WL_RUN_STATE_INTERRUPTED)
    return g_new0 (WlRunRecord, 1);
  last = wl_store_get_checkpoint (store, newest->id, WL_CHECKPOINT_LAST, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (!wl_store_run_can_resume (newest, last != NULL, NULL))
    return g_new0 (WlRunRecord, 1);
  return g_ptr_array_steal_index (runs, 0);
}

static void
on_newest_read (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  WlWindow *window = WL_WINDOW (object);
  g_autoptr(GSettings) settings = user_data;
  g_autoptr(WlRunRecord) newest = wl_store_job_finish (result, NULL);
  g_autofree char *name = NULL, *message = NULL;
  AdwToast *toast;

  /* A store that cannot be read says so where the runs are listed; a
   * window that has gone offers nothing. */
  if (newest == NULL || newest->id == 0 || wl_session_is_busy (wl_window_get_session (window)) ||
      g_settings_get_int64 (settings, "resume-offered") == newest->id)
    return;
  g_settings_set_int64 (settings, "resume-offered", newest->id);
  name = wl_run_format_name (newest);
  /* Translators: a toast at start-up, "Run 12 was interrupted after epoch 3 of 10" */
  message = g_strdup_printf (_("%s was interrupted after epoch %u of %u"), name, newest->epochs_run,
                             newest->n_epochs);
  toast = adw_toast_new (message);
  /* Translators: the button of the toast that offers an interrupted run */
  adw_toast_set_button_label (toast, _("Resume"));
  adw_toast_set_action_name (toast, "win.resume-run");
  adw_toast_set_action_target (toast, "x", newest->id);
  adw_toast_set_timeout (toast, 0);
  wl_window_add_toast_object (window, toast);
}

void
wl_window_offer_resume (WlWindow     *window,
                        GSettings    *settings,
                        GCancellable *cancellable)
{
  g_return_if_fail (WL_IS_WINDOW (window));
  g_return_if_fail (G_IS_SETTINGS (settings));

  wl_store_job_run (window, cancellable, newest_job, NULL, NULL, (GDestroyNotify) wl_run_record_free,
                    on_newest_read, g_object_ref (settings));
}
