/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-dist-window.c: the mpirun command and hostfile for the current
 * settings (see the header).  The window asks the engine for both; it
 * only chooses the model's file name (beside the data file) and reads the
 * number of processes and the machines from its rows.  Actions:
 * dist.copy-command, dist.copy-hostfile, dist.save-hostfile (a chooser),
 * dist.save-hostfile-to (a path; for tests and the chooser). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dist/wl-dist.h"
#include "wl-dist-window.h"
#include "wl-train-args.h"

#define DEFAULT_PROCESSES 2
#define DEFAULT_HOSTS     "node1 node2"
#define HOSTFILE_NAME     "hostfile"

struct _WlDistWindow
{
  AdwWindow        parent_instance;

  WlConfig        *config;
  char            *hostfile;       /* where it was saved, or NULL: "hostfile" */
  GCancellable    *cancellable;    /* of a save in flight */
  AdwToastOverlay *toasts;
  GtkSpinButton   *processes_spin;
  GtkEditable     *hosts_entry;
  GtkLabel        *command_label;
  GtkLabel        *hostfile_label;
};

G_DEFINE_FINAL_TYPE (WlDistWindow, wl_dist_window, ADW_TYPE_WINDOW)

/* The model goes beside the data file: NAME.csv → NAME.wlm. */
static char *
output_path (const char *input)
{
  g_autofree char *dir = g_path_get_dirname (input);
  g_autofree char *base = g_path_get_basename (input);
  char *dot = strrchr (base, '.');
  g_autofree char *name = NULL;

  if (dot != NULL && dot != base)
    *dot = '\0';
  name = g_strconcat (base, ".wlm", NULL);
  return g_build_filename (dir, name, NULL);
}

static GStrv
hosts (WlDistWindow *self)
{
  g_auto(GStrv) words = g_strsplit_set (gtk_editable_get_text (self->hosts_entry), " ,\t", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_strv_builder_add (builder, words[i]);
  return g_strv_builder_end (builder);
}

static void
update (WlDistWindow *self)
{
  guint n = (guint) gtk_spin_button_get_value_as_int (self->processes_spin);
  g_auto(GStrv) names = hosts (self);
  g_autofree char *output = NULL;
  g_autofree char *command = NULL;
  g_autofree char *hostfile = NULL;
  g_autoptr(GError) error = NULL;

  if (self->config->data.input == NULL)
    command = g_strdup (_("Open a data file first (Open in the header bar): the command trains on it."));
  else
    {
      output = output_path (self->config->data.input);
      command = wl_train_mpirun_command (self->config, output, n,
                                         names[0] != NULL ? (self->hostfile ? self->hostfile : HOSTFILE_NAME)
                                                          : NULL, &error);
      if (command == NULL)
        command = g_strdup (error->message);
    }
  gtk_label_set_label (self->command_label, command);
  hostfile = wl_train_hostfile ((const char * const *) names, n);
  gtk_label_set_label (self->hostfile_label, hostfile);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dist.copy-hostfile", names[0] != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dist.save-hostfile", names[0] != NULL);
}

/* Actions */

static void
copy_text (WlDistWindow *self,
           GtkLabel     *label,
           const char   *toast)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), gtk_label_get_label (label));
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (toast));
}

static void
copy_command_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WlDistWindow *self = WL_DIST_WINDOW (widget);

  copy_text (self, self->command_label, _("Command copied"));
}

static void
copy_hostfile_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WlDistWindow *self = WL_DIST_WINDOW (widget);

  copy_text (self, self->hostfile_label, _("Hostfile copied"));
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(WlDistWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (G_FILE (source));
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: "Could not save /x/hostfile: Permission denied" */
      message = g_strdup_printf (_("Could not save %s: %s"), path, error->message);
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
      return;
    }
  /* The command names the file as saved. */
  g_free (self->hostfile);
  self->hostfile = g_steal_pointer (&path);
  update (self);
  message = g_strdup_printf (_("Saved %s"), self->hostfile);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static void
save_to (WlDistWindow *self,
         const char   *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  const char *text = gtk_label_get_label (self->hostfile_label);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE,
                                       self->cancellable, on_saved, g_object_ref (self));
}

static void
save_to_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  save_to (WL_DIST_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     WlDistWindow    *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    save_to (self, path);
  g_object_unref (chooser);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Save Hostfile"), GTK_WINDOW (widget),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), HOSTFILE_NAME);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Building */

static void
wl_dist_window_dispose (GObject *object)
{
  WlDistWindow *self = WL_DIST_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (wl_dist_window_parent_class)->dispose (object);
}

static void
wl_dist_window_finalize (GObject *object)
{
  WlDistWindow *self = WL_DIST_WINDOW (object);

  g_clear_pointer (&self->config, wl_config_free);
  g_free (self->hostfile);
  G_OBJECT_CLASS (wl_dist_window_parent_class)->finalize (object);
}

static void
wl_dist_window_class_init (WlDistWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wl_dist_window_dispose;
  object_class->finalize = wl_dist_window_finalize;
  gtk_widget_class_install_action (widget_class, "dist.copy-command", NULL, copy_command_action);
  gtk_widget_class_install_action (widget_class, "dist.copy-hostfile", NULL, copy_hostfile_action);
  gtk_widget_class_install_action (widget_class, "dist.save-hostfile", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "dist.save-hostfile-to", "s", save_to_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wl_dist_window_init (WlDistWindow *self)
{
}

static GtkLabel *
text_label (const char *name)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_name (label, name);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "monospace");
  g_object_set (label, "margin-top", 12, "margin-bottom", 12, "margin-start", 12, "margin-end", 12,
                NULL);
  return GTK_LABEL (label);
}

static GtkWidget *
button (const char *label,
        const char *action)
{
  GtkWidget *widget = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (widget), action);
  gtk_widget_add_css_class (widget, "flat");
  return widget;
}

/* A group titled @title showing @label in a card, @suffix in its header. */
static GtkWidget *
text_group (const char *title,
            const char *description,
            GtkLabel   *label,
            GtkWidget  *suffix)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), suffix);
  gtk_widget_add_css_class (card, "card");
  gtk_box_append (GTK_BOX (card), GTK_WIDGET (label));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), card);
  return group;
}

static GtkWidget *
suffix_row (const char *title,
            const char *subtitle,
            GtkWidget  *suffix)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), suffix);
  return row;
}

static GtkWidget *
note (const char *text,
      const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
build (WlDistWindow *self)
{
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *rows = adw_preferences_group_new ();
  GtkWidget *hostfile_buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *entry = gtk_entry_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Train on Several Machines"));
  gtk_window_set_default_size (GTK_WINDOW (self), 680, 640);
  g_object_set (box, "margin-top", 18, "margin-bottom", 18, "margin-start", 12, "margin-end", 12, NULL);

  self->processes_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, 4096, 1));
  gtk_spin_button_set_value (self->processes_spin, DEFAULT_PROCESSES);
  gtk_widget_set_name (GTK_WIDGET (self->processes_spin), "processes_spin");
  self->hosts_entry = GTK_EDITABLE (entry);
  gtk_editable_set_text (self->hosts_entry, DEFAULT_HOSTS);
  gtk_editable_set_width_chars (self->hosts_entry, 24);
  gtk_widget_set_name (entry, "hosts_entry");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (rows),
                             suffix_row (_("Processes"),
                                         _("In all, over every machine; each trains on its share of "
                                           "the data with its own threads and device"),
                                         GTK_WIDGET (self->processes_spin)));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (rows),
                             suffix_row (_("Machines"),
                                         _("Host names or addresses, separated by spaces; leave it "
                                           "empty to run every process on this computer"),
                                         entry));
  gtk_box_append (GTK_BOX (box), rows);

  if (!wl_dist_built_with_mpi ())
    gtk_box_append (GTK_BOX (box),
                    note (_("This Wordloom was built without MPI, so it cannot run this command: "
                            "distributed training needs MPI. Install Open MPI (the packages "
                            "openmpi-bin and libopenmpi-dev) and build Wordloom again with MPI "
                            "(meson setup -Dmpi=enabled)."), "error"));

  self->command_label = text_label ("command_label");
  gtk_box_append (GTK_BOX (box),
                  text_group (_("Command"), _("Run it on one of the machines, from a terminal."),
                              self->command_label, button (_("_Copy"), "dist.copy-command")));
  self->hostfile_label = text_label ("hostfile_label");
  gtk_box_append (GTK_BOX (hostfile_buttons), button (_("C_opy"), "dist.copy-hostfile"));
  gtk_box_append (GTK_BOX (hostfile_buttons), button (_("_Save Hostfile…"), "dist.save-hostfile"));
  gtk_box_append (GTK_BOX (box),
                  text_group (_("Hostfile"), _("The machines, and how many processes each runs."),
                              self->hostfile_label, hostfile_buttons));

  gtk_box_append (GTK_BOX (box),
                  note (_("Every machine needs Wordloom built with MPI (Open MPI or MPICH) at the "
                          "same path, and mpirun reaches them over SSH. The data file, the model’s "
                          "folder and the run store (runs.sqlite in the user data folder, or "
                          "$WORDLOOM_STORE) must be on a file system that every machine shares, "
                          "such as NFS: the first process records the run and its checkpoints "
                          "there, so that an interrupted run resumes on any of them."), "dim-label"));

  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (outer), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (outer), scrolled);
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, outer);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toasts));

  g_signal_connect_swapped (self->processes_spin, "value-changed", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->hosts_entry, "changed", G_CALLBACK (update), self);
}

WlDistWindow *
wl_dist_window_new (GtkWindow      *parent,
                    const WlConfig *config)
{
  WlDistWindow *self;

  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (WL_TYPE_DIST_WINDOW, "modal", TRUE, "transient-for", parent,
                       "destroy-with-parent", TRUE, NULL);
  self->config = wl_config_copy (config);
  build (self);
  update (self);
  return self;
}
