/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-runs-page-actions.c: what the Runs page does to a stored run: rename,
 * tag, delete (each a store write on a thread), train again with its
 * settings, resume it, save or export its best model, and show its
 * results. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "pages/wl-export-window.h"
#include "pages/wl-run-format.h"
#include "pages/wl-run-results-window.h"
#include "pages/wl-runs-page-private.h"
#include "pages/wl-store-job.h"
#include "wl-error.h"

static WlRunsPage *
page (GtkWidget *widget)
{
  return WL_RUNS_PAGE (widget);
}

/* Edits: rename, tags, delete */

typedef enum
{
  EDIT_RENAME,
  EDIT_ADD_TAG,
  EDIT_REMOVE_TAG,
  EDIT_DELETE,
} EditKind;

typedef struct
{
  EditKind  kind;
  gint64    id;
  char     *text;
} Edit;

static void
edit_free (Edit *edit)
{
  g_free (edit->text);
  g_free (edit);
}

static gpointer
edit_job (WlStore  *store,
          gpointer  data,
          GError  **error)
{
  Edit *edit = data;
  gboolean ok = FALSE;

  switch (edit->kind)
    {
    case EDIT_RENAME:     ok = wl_store_set_notes (store, edit->id, edit->text, error); break;
    case EDIT_ADD_TAG:    ok = wl_store_add_tag (store, edit->id, edit->text, error); break;
    case EDIT_REMOVE_TAG: ok = wl_store_remove_tag (store, edit->id, edit->text, error); break;
    case EDIT_DELETE:     ok = wl_store_delete_run (store, edit->id, error); break;
    default:              g_assert_not_reached ();
    }
  return ok ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
on_edited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  WlRunsPage *self = WL_RUNS_PAGE (object);
  Edit *edit = wl_store_job_get_data (result);
  g_autoptr(GError) error = NULL;

  wl_store_job_finish (result, &error);
  if (wl_runs_page_job_failed (self, error))
    return;
  if (edit->kind == EDIT_DELETE)
    {
      g_autofree char *message = g_strdup_printf (_("Run %lld deleted"), (long long) edit->id);

      wl_runs_page_toast (self, message);
    }
  wl_runs_page_refresh (self);
}

static void
run_edit (WlRunsPage *self,
          EditKind    kind,
          gint64      id,
          const char *text)
{
  Edit *edit = g_new (Edit, 1);

  *edit = (Edit) { kind, id, g_strdup (text) };
  wl_store_job_run (self, self->cancellable, edit_job, edit, (GDestroyNotify) edit_free,
                    NULL, on_edited, NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  gint64 id;
  const char *text;
  EditKind kind = g_str_equal (action_name, "runs.rename") ? EDIT_RENAME
                  : g_str_equal (action_name, "runs.add-tag") ? EDIT_ADD_TAG
                  : EDIT_REMOVE_TAG;

  g_variant_get (parameter, "(x&s)", &id, &text);
  run_edit (page (widget), kind, id, text);
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    WlRunsPage       *self)
{
  gint64 *id = g_object_get_data (G_OBJECT (dialog), "run-id");

  if (g_str_equal (response, "delete"))
    run_edit (self, EDIT_DELETE, *id, NULL);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WlRunsPage *self = page (widget);
  gint64 id = g_variant_get_int64 (parameter);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;
  g_autofree char *heading = NULL;

  /* Translators: the question before deleting a stored run */
  heading = g_strdup_printf (_("Delete Run %lld?"), (long long) id);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("Its settings, curves, scores and checkpoints are removed "
                                     "from the run store. This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "run-id", g_memdup2 (&id, sizeof id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Reading one run: for training again and for its results */

static gpointer
record_job (WlStore  *store,
            gpointer  data,
            GError  **error)
{
  return wl_store_get_run (store, *(gint64 *) data, error);
}

static void
read_record (WlRunsPage          *self,
             gint64               id,
             GAsyncReadyCallback  callback)
{
  wl_store_job_run (self, self->cancellable, record_job, g_memdup2 (&id, sizeof id), g_free,
                    (GDestroyNotify) wl_run_record_free, callback, NULL);
}

/* Its settings and data file become the session's; then a new run. */
static gboolean
train_again (WlRunsPage         *self,
             const WlRunRecord  *record,
             GError            **error)
{
  WlConfig *config = wl_session_get_config (self->session);
  g_autoptr(GFile) file = NULL;

  if (wl_session_is_busy (self->session))
    {
      g_set_error_literal (error, WL_ERROR, WL_ERROR_INVALID, _("A run is already going; stop it first"));
      return FALSE;
    }
  if (record->config == NULL || !wl_config_merge_json (config, record->config, -1, error))
    {
      g_prefix_error (error, _("The settings of run %lld do not read: "), (long long) record->id);
      return FALSE;
    }
  if (config->data.input == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("Run %lld has no data file"),
                   (long long) record->id);
      return FALSE;
    }
  file = g_file_new_for_path (config->data.input);
  wl_session_set_file (self->session, file);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.train", NULL);
  return TRUE;
}

static void
on_rerun_loaded (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WlRunsPage *self = WL_RUNS_PAGE (object);
  g_autoptr(WlRunRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = wl_store_job_finish (result, &error);
  if (!wl_runs_page_job_failed (self, error) && !train_again (self, record, &error))
    wl_runs_page_job_failed (self, error);
}

static void
rerun_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  read_record (page (widget), g_variant_get_int64 (parameter), on_rerun_loaded);
}

static void
on_results_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  WlRunsPage *self = WL_RUNS_PAGE (object);
  g_autoptr(WlRunRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *window;

  record = wl_store_job_finish (result, &error);
  if (wl_runs_page_job_failed (self, error))
    return;
  if ((window = wl_run_results_window_new (record, &error)) == NULL)
    {
      wl_runs_page_job_failed (self, error);
      return;
    }
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (window));
}

static void
show_results_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  read_record (page (widget), g_variant_get_int64 (parameter), on_results_loaded);
}

/* Resuming */

static void
resume_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WlRunsPage *self = page (widget);
  gint64 id = g_variant_get_int64 (parameter);
  g_autoptr(GError) error = NULL;

  if (!wl_session_resume_run (self->session, id, &error))
    {
      wl_runs_page_job_failed (self, error);
      return;
    }
  /* The Train page shows it once it goes (wl-runs-page.c, on_run_id). */
  self->resume_id = id;
  gtk_widget_set_sensitive (self->resume_button, FALSE);
}

/* Saving the model: a copy of the best checkpoint */

typedef struct
{
  gint64  id;
  char   *path;
} Save;

static void
save_free (Save *save)
{
  g_free (save->path);
  g_free (save);
}

/* The best epoch's model; a run stopped before any validation has only
 * its last one.  On the store job's thread. */
static WlCheckpointRecord *
model_checkpoint (WlStore  *store,
                  gint64    id,
                  GError  **error)
{
  WlCheckpointRecord *checkpoint;
  GError *local_error = NULL;

  checkpoint = wl_store_get_checkpoint (store, id, WL_CHECKPOINT_BEST, &local_error);
  if (checkpoint == NULL && local_error == NULL)
    checkpoint = wl_store_get_checkpoint (store, id, WL_CHECKPOINT_LAST, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (checkpoint == NULL)
    g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                 _("Run %lld kept no model: it stopped before its first epoch ended"),
                 (long long) id);
  return checkpoint;
}

static gpointer
save_job (WlStore  *store,
          gpointer  data,
          GError  **error)
{
  Save *save = data;
  g_autoptr(WlCheckpointRecord) checkpoint = model_checkpoint (store, save->id, error);
  g_autoptr(GFile) source = NULL, target = NULL;

  if (checkpoint == NULL)
    return NULL;
  source = g_file_new_for_path (checkpoint->path);
  target = g_file_new_for_path (save->path);
  if (!g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  WlRunsPage *self = WL_RUNS_PAGE (object);
  Save *save = wl_store_job_get_data (result);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL, *message = NULL;

  wl_store_job_finish (result, &error);
  if (wl_runs_page_job_failed (self, error))
    return;
  name = g_path_get_basename (save->path);
  message = g_strdup_printf (_("Model saved as %s"), name);
  wl_runs_page_toast (self, message);
}

static void
save_to (WlRunsPage *self,
         gint64      id,
         const char *path)
{
  Save *save = g_new (Save, 1);

  *save = (Save) { id, g_strdup (path) };
  wl_store_job_run (self, self->cancellable, save_job, save, (GDestroyNotify) save_free,
                    NULL, on_saved, NULL);
}

static void
save_to_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  gint64 id;
  const char *path;

  g_variant_get (parameter, "(x&s)", &id, &path);
  save_to (page (widget), id, path);
}

static void
on_save_response (GtkNativeDialog *chooser,
                  int              response,
                  WlRunsPage      *self)
{
  gint64 *id = g_object_get_data (G_OBJECT (chooser), "run-id");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    save_to (self, *id, path);
  g_object_unref (chooser);
}

static void
save_model_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  WlRunsPage *self = page (widget);
  gint64 id = g_variant_get_int64 (parameter);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) models = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  chooser = gtk_file_chooser_native_new (_("Save Model"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (models, _("Wordloom Models"));
  gtk_file_filter_add_pattern (models, "*.wlm");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), models);
  if (self->shown != NULL && self->shown->id == id)
    {
      g_autofree char *dataset = wl_run_format_dataset (self->shown);
      char *dot = strrchr (dataset, '.');

      if (dot != NULL && dot != dataset)
        *dot = '\0';
      /* "<data file stem>-<model>-run12.wlm" */
      name = g_strdup_printf ("%s-%s-run%lld.wlm", dataset, self->shown->model, (long long) id);
    }
  else
    name = g_strdup_printf ("run%lld.wlm", (long long) id);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "run-id", g_memdup2 (&id, sizeof id), g_free);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_save_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Exporting: the Export dialog on the best checkpoint, loaded on the
 * store job's thread with the settings it was trained with. */

typedef struct
{
  WlClassifier *classifier;
  WlConfig     *config;
  WlRunRecord  *record;
} Stored;

static void
stored_free (Stored *stored)
{
  g_clear_pointer (&stored->classifier, wl_classifier_free);
  g_clear_pointer (&stored->config, wl_config_free);
  g_clear_pointer (&stored->record, wl_run_record_free);
  g_free (stored);
}

static gpointer
export_job (WlStore  *store,
            gpointer  data,
            GError  **error)
{
  gint64 id = *(gint64 *) data;
  g_autoptr(WlRunRecord) record = wl_store_get_run (store, id, error);
  g_autoptr(WlCheckpointRecord) checkpoint = NULL;
  Stored *stored;

  if (record == NULL || (checkpoint = model_checkpoint (store, id, error)) == NULL)
    return NULL;
  stored = g_new0 (Stored, 1);
  stored->config = wl_config_new ();
  if (record->config == NULL || !wl_config_merge_json (stored->config, record->config, -1, error))
    {
      g_prefix_error (error, _("The settings of run %lld do not read: "), (long long) id);
      stored_free (stored);
      return NULL;
    }
  if ((stored->classifier = wl_classifier_load (checkpoint->path, error)) == NULL)
    {
      stored_free (stored);
      return NULL;
    }
  stored->record = g_steal_pointer (&record);
  return stored;
}

static void
on_export_loaded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  WlRunsPage *self = WL_RUNS_PAGE (object);
  g_autoptr(GError) error = NULL;
  Stored *stored = wl_store_job_finish (result, &error);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  WlExportWindow *window;

  if (wl_runs_page_job_failed (self, error))
    return;
  window = wl_export_window_new_for_stored (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                            g_steal_pointer (&stored->classifier), stored->config,
                                            g_steal_pointer (&stored->record));
  stored_free (stored);
  gtk_window_present (GTK_WINDOW (window));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gint64 id = g_variant_get_int64 (parameter);

  wl_store_job_run (widget, page (widget)->cancellable, export_job, g_memdup2 (&id, sizeof id),
                    g_free, (GDestroyNotify) stored_free, on_export_loaded, NULL);
}

void
wl_runs_page_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "runs.delete", "x", delete_action);
  gtk_widget_class_install_action (widget_class, "runs.rename", "(xs)", edit_action);
  gtk_widget_class_install_action (widget_class, "runs.add-tag", "(xs)", edit_action);
  gtk_widget_class_install_action (widget_class, "runs.remove-tag", "(xs)", edit_action);
  gtk_widget_class_install_action (widget_class, "runs.rerun", "x", rerun_action);
  gtk_widget_class_install_action (widget_class, "runs.resume", "x", resume_action);
  gtk_widget_class_install_action (widget_class, "runs.show-results", "x", show_results_action);
  gtk_widget_class_install_action (widget_class, "runs.save-model", "x", save_model_action);
  gtk_widget_class_install_action (widget_class, "runs.save-to", "(xs)", save_to_action);
  gtk_widget_class_install_action (widget_class, "runs.export", "x", export_action);
}
