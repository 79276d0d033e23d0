/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-data-page-open.c: how the Data page gets a file: the file chooser
 * (data.open), dropping a file on the page, the recent files. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "wl-error.h"
#include "wl-data-page-private.h"

#define MAX_RECENT 10

/* @folder as shown: the home folder as ~. */
char *
wl_data_page_display_folder (const char *folder)
{
  const char *home = g_get_home_dir ();
  gsize n = strlen (home);
  g_autofree char *shown = NULL;

  if (n > 1 && strncmp (folder, home, n) == 0 && (folder[n] == '/' || folder[n] == '\0'))
    shown = g_strconcat ("~", folder + n, NULL);
  return g_filename_display_name (shown ? shown : folder);
}


static void
update_recent (WlDataPage *self)
{
  g_auto(GStrv) paths = g_settings_get_strv (self->settings, "recent-files");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *name = g_filename_display_basename (paths[i]);
      g_autofree char *folder = g_path_get_dirname (paths[i]);
      g_autofree char *folder_name = wl_data_page_display_folder (folder);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), folder_name);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("text-x-generic-symbolic"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "data.load");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_string (paths[i]));
      gtk_list_box_append (self->recent_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), paths[0] != NULL);
}

void
wl_data_page_remember_file (WlDataPage *self,
                            const char *path)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-files");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) paths = NULL;
  g_autofree char *folder = g_path_get_dirname (path);
  guint n = 1;

  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT; i++)
    if (g_strcmp0 (old[i], path) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  paths = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-files", (const char * const *) paths);
  g_settings_set_string (self->settings, "last-folder", folder);
}

static void
on_chooser_response (WlDataPage           *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  g_clear_object (&self->chooser);
  if (response == GTK_RESPONSE_ACCEPT && path != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "data.load", "s", path);
}

static void
add_filter (GtkFileChooser      *chooser,
            const char          *name,
            const char * const  *patterns,
            const char * const  *mime_types)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  for (guint i = 0; mime_types != NULL && mime_types[i] != NULL; i++)
    gtk_file_filter_add_mime_type (filter, mime_types[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  static const char * const table_patterns[] = { "*.csv", "*.tsv", "*.tab", "*.txt", NULL };
  static const char * const table_types[] = { "text/csv", "text/tab-separated-values", NULL };
  static const char * const all_patterns[] = { "*", NULL };
  WlDataPage *self = WL_DATA_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *folder = g_settings_get_string (self->settings, "last-folder");

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Open Data File"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("CSV and TSV Files"), table_patterns, table_types);
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("All Files"), all_patterns, NULL);
  if (folder[0] != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) start = g_file_new_for_path (folder);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), start, NULL);
    }
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         WlDataPage    *self)
{
  GFile *file = NULL;
  g_autofree char *path = NULL;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = gdk_file_list_get_files (g_value_get_boxed (value));

      file = files ? files->data : NULL;
      g_slist_free (files);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);
  if (file == NULL)
    return FALSE;
  if ((path = g_file_get_path (file)) == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (WL_ERROR, WL_ERROR_INVALID,
                                                     _("Only local files can be opened"));

      wl_session_report_error (self->session, error);
      return FALSE;
    }
  return gtk_widget_activate_action (GTK_WIDGET (self), "data.load", "s", path);
}

void
wl_data_page_open_init (WlDataPage *self)
{
  GtkDropTarget *target;
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::recent-files",
                           G_CALLBACK (update_recent), self, G_CONNECT_SWAPPED);
  update_recent (self);

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

void
wl_data_page_open_dispose (WlDataPage *self)
{
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->settings);
}

void
wl_data_page_open_class_init (GtkWidgetClass *widget_class)
{
  /* data.open: the file chooser, starting in the folder of the last file. */
  gtk_widget_class_install_action (widget_class, "data.open", NULL, open_action);
}
