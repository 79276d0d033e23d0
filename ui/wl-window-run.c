/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-window-run.c: a long run the GNOME way (see wl-window-run.h). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-window-run.h"

struct _WlWindowRun
{
  GtkWindow        *window;          /* owns this */
  WlSession        *session;
  guint             inhibit_cookie;
  gboolean          busy;            /* as last seen */
  gboolean          in_background;   /* hidden, the application held */
  gboolean          closing;         /* the answer was Stop and Close */
  AdwMessageDialog *dialog;          /* weak */
};

/* A run that ended unseen (the window not focused, or in the background)
 * says so in a notification. */
static void
notify_end (WlWindowRun    *self,
            WlSessionState  state)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (self->window));
  GFile *file = wl_session_get_file (self->session);
  g_autofree char *name = file != NULL ? g_file_get_basename (file) : NULL;
  g_autoptr(GNotification) notification = NULL;
  const char *title;

  if (app == NULL || (gtk_window_is_active (self->window) && !self->in_background))
    return;
  switch (state)
    {
    case WL_SESSION_FINISHED:  title = _("Training Finished"); break;
    case WL_SESSION_FAILED:    title = _("Training Failed"); break;
    case WL_SESSION_CANCELLED: title = _("Training Stopped"); break;
    default: return;
    }
  notification = g_notification_new (title);
  if (name != NULL)
    g_notification_set_body (notification, name);
  g_application_send_notification (app, "run-ended", notification);
}

/* After a run kept in the background: the window closes (the run is in
 * the store, where the Runs page finds it) and the application is let go. */
static gboolean
close_after_background (gpointer data)
{
  GtkWindow *window = data;
  GApplication *app = G_APPLICATION (gtk_window_get_application (window));

  if (app != NULL)
    g_object_ref (app);
  gtk_window_close (window);
  if (app != NULL)
    {
      g_application_release (app);
      g_object_unref (app);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
close_window (gpointer window)
{
  gtk_window_close (window);
  return G_SOURCE_REMOVE;
}

static void
on_state_changed (WlWindowRun *self)
{
  GtkApplication *app = gtk_window_get_application (self->window);
  gboolean busy = wl_session_is_busy (self->session);

  if (busy && self->inhibit_cookie == 0 && app != NULL)
    /* Translators: why the computer may not suspend, shown by GNOME */
    self->inhibit_cookie = gtk_application_inhibit (app, self->window,
                                                    GTK_APPLICATION_INHIBIT_SUSPEND,
                                                    _("Training a model"));
  else if (!busy && self->inhibit_cookie != 0)
    {
      gtk_application_uninhibit (app, self->inhibit_cookie);
      self->inhibit_cookie = 0;
    }
  if (self->busy && !busy)
    {
      notify_end (self, wl_session_get_state (self->session));
      if (self->dialog != NULL)
        gtk_window_destroy (GTK_WINDOW (self->dialog));
      if (self->in_background)
        g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_after_background,
                         g_object_ref (self->window), g_object_unref);
    }
  self->busy = busy;
}

static void
on_close_response (AdwMessageDialog *dialog,
                   const char       *response,
                   WlWindowRun      *self)
{
  if (g_str_equal (response, "stop"))
    {
      /* Once the dialog is done with its click: closing the window
       * destroys the dialog. */
      self->closing = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_window, g_object_ref (self->window),
                       g_object_unref);
    }
  else if (g_str_equal (response, "background") && wl_session_is_busy (self->session))
    {
      GApplication *app = G_APPLICATION (gtk_window_get_application (self->window));

      self->in_background = TRUE;
      if (app != NULL)
        g_application_hold (app);
      gtk_widget_set_visible (GTK_WIDGET (self->window), FALSE);
    }
}

gboolean
wl_window_run_close_request (WlWindowRun *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->closing || self->in_background || !wl_session_is_busy (self->session))
    return FALSE;
  if (self->dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->dialog));
      return TRUE;
    }
  self->dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (self->window, _("Stop Training?"),
    _("A model is being trained. Stop it and close the window, or keep it training in the "
      "background: a notification will say when it ends, and the Runs page will have it.")));
  g_object_add_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  adw_message_dialog_add_responses (self->dialog,
                                    "cancel", _("_Cancel"),
                                    "background", _("_Keep Training"),
                                    "stop", _("_Stop and Close"),
                                    NULL);
  adw_message_dialog_set_response_appearance (self->dialog, "background", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_appearance (self->dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (self->dialog, "background");
  adw_message_dialog_set_close_response (self->dialog, "cancel");
  g_signal_connect (self->dialog, "response", G_CALLBACK (on_close_response), self);
  gtk_window_present (GTK_WINDOW (self->dialog));
  return TRUE;
}

WlWindowRun *
wl_window_run_new (GtkWindow *window,
                   WlSession *session)
{
  WlWindowRun *self = g_new0 (WlWindowRun, 1);

  self->window = window;
  self->session = g_object_ref (session);
  g_signal_connect_swapped (session, "notify::state", G_CALLBACK (on_state_changed), self);
  return self;
}

void
wl_window_run_free (WlWindowRun *self)
{
  if (self == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->inhibit_cookie != 0 && gtk_window_get_application (self->window) != NULL)
    gtk_application_uninhibit (gtk_window_get_application (self->window), self->inhibit_cookie);
  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      gtk_window_destroy (GTK_WINDOW (self->dialog));
    }
  g_object_unref (self->session);
  g_free (self);
}
