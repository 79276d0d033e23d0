/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-window.c: the main window: pages in a view stack, run buttons, toasts. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pages/wl-clean-page.h"
#include "pages/wl-data-page.h"
#include "pages/wl-model-page.h"
#include "pages/wl-resources-page.h"
#include "pages/wl-results-page.h"
#include "pages/wl-runs-page.h"
#include "pages/wl-train-page.h"
#include "wl-window-progress.h"
#include "wl-window-resume.h"
#include "wl-window-run.h"
#include "wl-window.h"

struct _WlWindow
{
  AdwApplicationWindow  parent_instance;

  WlSession            *session;
  GSettings            *settings;
  WlWindowRun          *run;
  WlWindowProgress     *progress;
  GCancellable         *cancellable;    /* the start-up offer to resume */

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack         *stack;
  GtkStack             *run_buttons;
  GtkButton            *progress_button;
  GtkToggleButton      *pause_button;
};

G_DEFINE_FINAL_TYPE (WlWindow, wl_window, ADW_TYPE_APPLICATION_WINDOW)

static const struct
{
  const char *name;
  const char *title;
  const char *icon;
  GtkWidget *(*create) (WlSession *session);
} pages[] = {
  { "data",      N_("Data"),      "x-office-spreadsheet-symbolic", wl_data_page_new },
  { "clean",     N_("Clean"),     "edit-clear-all-symbolic",       wl_clean_page_new },
  { "model",     N_("Model"),     "preferences-system-symbolic",   wl_model_page_new },
  { "train",     N_("Train"),     "media-playback-start-symbolic", wl_train_page_new },
  { "resources", N_("Resources"), "computer-symbolic", wl_resources_page_new },
  { "results",   N_("Results"),   "emblem-ok-symbolic",            wl_results_page_new },
  { "runs",      N_("Runs"),      "document-open-recent-symbolic", wl_runs_page_new },
};

GtkWidget *
wl_window_get_page (WlWindow   *self,
                    const char *name)
{
  g_return_val_if_fail (WL_IS_WINDOW (self), NULL);
  return adw_view_stack_get_child_by_name (self->stack, name);
}

void
wl_window_show_page (WlWindow   *self,
                     const char *name)
{
  g_return_if_fail (WL_IS_WINDOW (self));
  if (wl_window_get_page (self, name) != NULL)
    adw_view_stack_set_visible_child_name (self->stack, name);
}

void
wl_window_add_toast (WlWindow   *self,
                     const char *message)
{
  g_return_if_fail (WL_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

void
wl_window_add_toast_object (WlWindow *self,
                            AdwToast *toast)
{
  g_return_if_fail (WL_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
wl_window_add_toast_with_folder (WlWindow   *self,
                                 const char *message,
                                 const char *folder_uri)
{
  AdwToast *toast;

  g_return_if_fail (WL_IS_WINDOW (self));

  toast = adw_toast_new (message);
  adw_toast_set_button_label (toast, _("Open Folder"));
  adw_toast_set_action_name (toast, "win.open-folder");
  adw_toast_set_action_target (toast, "s", folder_uri);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  gtk_show_uri (GTK_WINDOW (widget), g_variant_get_string (parameter, NULL), GDK_CURRENT_TIME);
}

void
wl_window_open_file (WlWindow *self,
                     GFile    *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (WL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      wl_window_add_toast (self, _("Only local files can be opened"));
      return;
    }
  wl_window_show_page (self, "data");
  gtk_widget_activate_action (wl_window_get_page (self, "data"), "data.load", "s", path);
}

WlSession *
wl_window_get_session (WlWindow *self)
{
  g_return_val_if_fail (WL_IS_WINDOW (self), NULL);
  return self->session;
}

/* Actions */

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WlWindow *self = WL_WINDOW (widget);

  wl_window_show_page (self, "data");
  gtk_widget_activate_action (wl_window_get_page (self, "data"), "data.open", NULL);
}

static void
open_path_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (g_variant_get_string (parameter, NULL));

  wl_window_open_file (WL_WINDOW (widget), file);
}

/* The finished run's model; a stopped run has none, but it kept its
 * checkpoints: the Runs page saves its best one. */
static void
save_model_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  WlWindow *self = WL_WINDOW (widget);
  gint64 id = wl_session_get_run_id (self->session);

  if (wl_session_get_state (self->session) == WL_SESSION_CANCELLED && id > 0)
    {
      wl_window_show_page (self, "runs");
      gtk_widget_activate_action (wl_window_get_page (self, "runs"), "runs.save-model", "x", id);
      return;
    }
  wl_window_show_page (self, "results");
  gtk_widget_activate_action (wl_window_get_page (self, "results"), "results.save", NULL);
}

static void
train_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  WlWindow *self = WL_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!wl_session_start_run (self->session, &error))
    {
      wl_window_add_toast (self, error->message);
      return;
    }
  wl_window_show_page (self, "train");
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  WlWindow *self = WL_WINDOW (widget);

  wl_session_set_paused (self->session,
                         wl_session_get_state (self->session) != WL_SESSION_PAUSED);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  wl_session_stop_run (WL_WINDOW (widget)->session);
}

/* Run @id of the store goes on from its last checkpoint, on the Runs page
 * (whose resume action says what it could not do). */
static void
resume_run_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  WlWindow *self = WL_WINDOW (widget);

  wl_window_show_page (self, "runs");
  gtk_widget_activate_action (wl_window_get_page (self, "runs"), "runs.resume", "x",
                              g_variant_get_int64 (parameter));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  wl_window_show_page (WL_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* Session */

static void
update_title (WlWindow *self)
{
  GFile *file = wl_session_get_file (self->session);
  WlSessionState state = wl_session_get_state (self->session);
  g_autofree char *name = file ? g_file_get_basename (file) : NULL;
  g_autofree char *subtitle = NULL;

  if (name != NULL && state != WL_SESSION_IDLE)
    /* Translators: the window subtitle, "data.csv — Training" */
    subtitle = g_strdup_printf (_("%s — %s"), name, wl_session_state_to_string (state));
  else
    subtitle = g_strdup (name ? name : "");
  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);

  /* The window list shows the file and the run's state too. */
  if (*subtitle != '\0')
    {
      /* Translators: the window title, "data.csv — Training — Wordloom" */
      g_autofree char *title = g_strdup_printf (_("%s — Wordloom"), subtitle);
      gtk_window_set_title (GTK_WINDOW (self), title);
    }
  else
    gtk_window_set_title (GTK_WINDOW (self), _("Wordloom"));
}

static void
on_state_changed (WlWindow *self)
{
  WlSessionState state = wl_session_get_state (self->session);
  gboolean busy = wl_session_is_busy (self->session);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.train", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", busy);
  gtk_stack_set_visible_child_name (self->run_buttons, busy ? "busy" : "idle");
  gtk_toggle_button_set_active (self->pause_button, state == WL_SESSION_PAUSED);
  gtk_button_set_icon_name (GTK_BUTTON (self->pause_button),
                            state == WL_SESSION_PAUSED ? "media-playback-start-symbolic"
                                                       : "media-playback-pause-symbolic");
  update_title (self);
  if (state == WL_SESSION_FINISHED)
    wl_window_show_page (self, "results");
}

static void
on_session_error (WlWindow     *self,
                  const GError *error)
{
  wl_window_add_toast (self, error->message);
}

/* Window */

static gboolean
wl_window_close_request (GtkWindow *window)
{
  WlWindow *self = WL_WINDOW (window);
  int width, height;

  if (wl_window_run_close_request (self->run))
    return TRUE;
  wl_session_stop_run (self->session);
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (wl_window_parent_class)->close_request (window);
}

static void
wl_window_constructed (GObject *object)
{
  WlWindow *self = WL_WINDOW (object);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  G_OBJECT_CLASS (wl_window_parent_class)->constructed (object);

  self->settings = app ? g_object_ref (wl_application_get_settings (WL_APPLICATION (app)))
                       : g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    adw_view_stack_add_titled_with_icon (self->stack, pages[i].create (self->session),
                                         pages[i].name, _(pages[i].title), pages[i].icon);
  on_state_changed (self);
  wl_window_offer_resume (self, self->settings, self->cancellable);
}

static void
wl_window_dispose (GObject *object)
{
  WlWindow *self = WL_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), WL_TYPE_WINDOW);
  g_clear_pointer (&self->run, wl_window_run_free);
  g_clear_pointer (&self->progress, wl_window_progress_free);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session != NULL)
    {
      wl_session_stop_run (self->session);
      g_signal_handlers_disconnect_by_data (self->session, self);
    }
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (wl_window_parent_class)->dispose (object);
}

static void
wl_window_class_init (WlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = wl_window_constructed;
  object_class->dispose = wl_window_dispose;
  window_class->close_request = wl_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/wordloom/Wordloom/wl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, WlWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, WlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, WlWindow, run_buttons);
  gtk_widget_class_bind_template_child (widget_class, WlWindow, progress_button);
  gtk_widget_class_bind_template_child (widget_class, WlWindow, pause_button);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-path", "s", open_path_action);
  gtk_widget_class_install_action (widget_class, "win.save-model", NULL, save_model_action);
  gtk_widget_class_install_action (widget_class, "win.train", NULL, train_action);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.resume-run", "x", resume_run_action);
  gtk_widget_class_install_action (widget_class, "win.open-folder", "s", open_folder_action);
}

static void
wl_window_init (WlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->session = wl_session_new ();
  g_signal_connect_swapped (self->session, "notify::state", G_CALLBACK (on_state_changed), self);
  g_signal_connect_swapped (self->session, "notify::file", G_CALLBACK (update_title), self);
  g_signal_connect_swapped (self->session, "error", G_CALLBACK (on_session_error), self);
  self->run = wl_window_run_new (GTK_WINDOW (self), self->session);
  self->progress = wl_window_progress_new (self->progress_button, self->session);
  self->cancellable = g_cancellable_new ();
}

WlWindow *
wl_window_new (WlApplication *app)
{
  return g_object_new (WL_TYPE_WINDOW, "application", app, NULL);
}
