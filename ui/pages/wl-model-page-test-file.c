/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model-page-test-file.c: the Model page's Test File row: a separate
 * labelled file for the final scores (data.test_input, the CLI's --test),
 * chosen with a file chooser and cleared with a button.  With one, the
 * test share row is insensitive: the engine then splits the data file
 * into training and validation rows only.  The file is read and checked
 * by the engine when the run loads it.  Actions: model.choose-test-file,
 * model.set-test-file (a path; for tests and the chooser),
 * model.clear-test-file. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-model-page-private.h"

static void
set_test_file (WlModelPage *self,
               const char  *path)
{
  WlConfig *config = wl_session_get_config (self->session);

  g_free (config->data.test_input);
  config->data.test_input = g_strdup (path);
  wl_model_page_commit (self);
}

static void
set_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  set_test_file (WL_MODEL_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  set_test_file (WL_MODEL_PAGE (widget), NULL);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     WlModelPage     *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    set_test_file (self, path);
  g_object_unref (chooser);
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) tables = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Choose a Test File"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (tables, _("CSV and TSV Files"));
  gtk_file_filter_add_pattern (tables, "*.csv");
  gtk_file_filter_add_pattern (tables, "*.tsv");
  gtk_file_filter_add_pattern (tables, "*.txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), tables);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
wl_model_page_refresh_test_file (WlModelPage *self)
{
  const char *path = wl_session_get_config (self->session)->data.test_input;
  g_autofree char *name = path != NULL ? g_path_get_basename (path) : NULL;

  adw_action_row_set_subtitle (self->test_file_row,
                               name != NULL ? name
                               : _("None: the final scores come from the test share of the data file"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->test_file_row), path);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "model.clear-test-file", path != NULL);
  gtk_widget_set_sensitive (self->test_fraction, path == NULL);
}

void
wl_model_page_test_file_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, WlModelPage, test_file_row);
  gtk_widget_class_install_action (widget_class, "model.choose-test-file", NULL, choose_action);
  gtk_widget_class_install_action (widget_class, "model.set-test-file", "s", set_action);
  gtk_widget_class_install_action (widget_class, "model.clear-test-file", NULL, clear_action);
}
