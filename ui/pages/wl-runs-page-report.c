/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-runs-page-report.c: Export Report… on the Runs page: the report of each
 * selected run (store/wl-run-report.h, what `wordloom-cli runs export`
 * writes) into run-ID in a folder chosen with a native file chooser,
 * written on a worker. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pages/wl-runs-page-private.h"
#include "store/wl-run-report.h"
#include "wl-window.h"

static void
on_report_written (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WlRunsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) folders = wl_run_report_write_finish (result, &error);
  g_autoptr(GFile) parent = NULL;
  g_autofree char *uri = NULL, *message = NULL, *name = NULL;
  GtkRoot *root;
  guint n;

  if (wl_runs_page_job_failed (self, error))
    return;
  n = g_strv_length (folders);
  if (n == 1)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (folders[0]);

      name = g_file_get_basename (folder);
      parent = g_file_get_parent (folder);
      /* Translators: a toast; %s is the report's folder, "run-12" */
      message = g_strdup_printf (_("Report written to %s"), name);
      uri = g_file_get_uri (folder);
    }
  else
    {
      g_autoptr(GFile) folder = g_file_new_for_path (folders[0]);

      parent = g_file_get_parent (folder);
      name = g_file_get_basename (parent);
      /* Translators: a toast; %s is the folder that holds the run-ID folders */
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u report written to %s",
                                              "%u reports written to %s", n), n, name);
      uri = g_file_get_uri (parent);
    }
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (WL_IS_WINDOW (root))
    wl_window_add_toast_with_folder (WL_WINDOW (root), message, uri);
}

static void
write_reports (WlRunsPage *self,
               GArray     *ids,
               const char *folder)
{
  if (ids->len == 0)
    return;
  wl_run_report_write_async (NULL, (const gint64 *) (gpointer) ids->data, ids->len, folder,
                             self->cancellable, on_report_written, g_object_ref (self));
}

/* "([ids], folder)": the reports of those runs into the folder, without a
 * file chooser (what Export Report… does once one is chosen). */
static void
export_report_to_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  g_autoptr(GVariant) ids_variant = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const gint64 *values;
  const char *folder;
  gsize n;

  g_variant_get (parameter, "(@ax&s)", &ids_variant, &folder);
  values = g_variant_get_fixed_array (ids_variant, &n, sizeof (gint64));
  g_array_append_vals (ids, values, n);
  write_reports (WL_RUNS_PAGE (widget), ids, folder);
}

static void
on_folder_response (GtkNativeDialog *chooser,
                    int              response,
                    WlRunsPage      *self)
{
  GArray *ids = g_object_get_data (G_OBJECT (chooser), "run-ids");
  g_autoptr(GFile) folder = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (folder)) != NULL)
    write_reports (self, ids, path);
  g_object_unref (chooser);
}

/* The selected runs' reports, into a folder the user chooses. */
static void
export_report_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WlRunsPage *self = WL_RUNS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GArray *ids = wl_runs_page_get_selected_ids (self);
  GtkFileChooserNative *chooser;

  if (ids->len == 0)
    {
      g_array_unref (ids);
      return;
    }
  chooser = gtk_file_chooser_native_new (g_dngettext (GETTEXT_PACKAGE, "Export Report Into a Folder",
                                                      "Export Reports Into a Folder", ids->len),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data_full (G_OBJECT (chooser), "run-ids", ids, (GDestroyNotify) g_array_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_folder_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
wl_runs_page_report_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "runs.export-report", NULL, export_report_action);
  gtk_widget_class_install_action (widget_class, "runs.export-report-to", "(axs)",
                                   export_report_to_action);
}
