/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window.c: the window's pages, actions and run buttons. */
#include "ui-test-util.h"

static const char *page_names[] = { "data", "clean", "model", "train", "resources", "results" };

static void
test_window_pages (void)
{
  WlWindow *window = ui_test_window_new ();
  AdwViewStack *stack = ADW_VIEW_STACK (ui_test_find_widget (GTK_WIDGET (window),
                                                             ADW_TYPE_VIEW_STACK, "stack"));

  g_assert_nonnull (stack);
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      g_assert_nonnull (wl_window_get_page (window, page_names[i]));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s",
                                                 page_names[i]));
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, page_names[i]);
      ui_test_shot (GTK_WIDGET (window), page_names[i]);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_train_needs_data (void)
{
  WlWindow *window = ui_test_window_new ();
  WlSession *session = wl_window_get_session (window);

  /* Without a file, Train explains what to do and nothing starts. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  g_assert_cmpint (wl_session_get_state (session), ==, WL_SESSION_IDLE);
  g_assert_false (wl_session_is_busy (session));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
session_ended (gpointer data)
{
  return !wl_session_is_busy (data) && wl_session_get_state (data) != WL_SESSION_IDLE;
}

static gboolean
session_paused (gpointer data)
{
  return wl_session_get_state (data) == WL_SESSION_PAUSED;
}

static void
test_window_run_buttons (void)
{
  g_autofree char *path = ui_test_write_csv (6000);
  WlWindow *window = ui_test_window_new ();
  WlSession *session = wl_window_get_session (window);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkStack *buttons = GTK_STACK (ui_test_find_widget (GTK_WIDGET (window), GTK_TYPE_STACK,
                                                      "run_buttons"));

  wl_session_set_file (session, file);
  wl_session_get_config (session)->model.epochs = 200;
  wl_session_get_config (session)->model.patience = 0;
  g_assert_cmpstr (gtk_stack_get_visible_child_name (buttons), ==, "idle");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  g_assert_true (wl_session_is_busy (session));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (buttons), ==, "busy");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pause", NULL));
  g_assert_true (ui_test_wait_until (session_paused, session, 1000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pause", NULL));
  g_assert_cmpint (wl_session_get_state (session), ==, WL_SESSION_RUNNING);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL));
  g_assert_true (ui_test_wait_until (session_ended, session, 5000));
  g_assert_cmpint (wl_session_get_state (session), ==, WL_SESSION_CANCELLED);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (buttons), ==, "idle");

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_remove (path);
}

/* The message dialog shown over @window, or NULL. */
static AdwMessageDialog *
close_dialog (WlWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
          gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window))
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}

/* Answers @dialog as a user does: clicks the button of @response. */
static void
answer (AdwMessageDialog *dialog,
        const char       *response)
{
  const char *label = adw_message_dialog_get_response_label (dialog, response);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_assert_nonnull (dialog);
  g_ptr_array_add (stack, dialog);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
        {
          g_signal_emit_by_name (widget, "clicked");
          return;
        }
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_assert_not_reached ();
}

static gboolean
no_dialog (gpointer data)
{
  return close_dialog (data) == NULL;
}

static gboolean
window_gone (gpointer data)
{
  return *(WlWindow **) data == NULL;
}

static WlWindow *
training_window (const char *path)
{
  WlWindow *window = ui_test_window_new ();
  WlSession *session = wl_window_get_session (window);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  wl_session_set_file (session, file);
  wl_session_get_config (session)->model.epochs = 500;
  wl_session_get_config (session)->model.patience = 0;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  /* Paused, it cannot end before the test ends it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pause", NULL));
  g_assert_true (wl_session_is_busy (session));
  return window;
}

/* Closing the window during a run asks: Cancel keeps all as it was, Keep
 * Training hides the window while the run goes on and closes it when the
 * run ends, Stop and Close stops the run and closes. */
static void
test_window_close_during_run (void)
{
  g_autofree char *path = ui_test_write_csv (6000);
  WlWindow *window = training_window (path);
  WlSession *session = wl_window_get_session (window);
  AdwMessageDialog *dialog;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  dialog = close_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "stop"));
  ui_test_shot (GTK_WIDGET (dialog), "close-during-run");
  answer (dialog, "cancel");
  g_assert_true (ui_test_wait_until (no_dialog, window, 5000));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (wl_session_is_busy (session));

  gtk_window_close (GTK_WINDOW (window));
  answer (close_dialog (window), "background");
  ui_test_run_for (50);
  g_assert_nonnull (window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (wl_session_is_busy (session));
  /* The run ends (here: stopped from outside): the window goes. */
  wl_session_stop_run (session);
  g_assert_true (ui_test_wait_until (window_gone, &window, 10000));

  window = training_window (path);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  answer (close_dialog (window), "stop");
  g_assert_true (ui_test_wait_until (window_gone, &window, 10000));
  ui_test_remove (path);
}

int
main (int argc, char *argv[])
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/window/pages", test_window_pages);
  g_test_add_func ("/window/train-needs-data", test_window_train_needs_data);
  g_test_add_func ("/window/run-buttons", test_window_run_buttons);
  g_test_add_func ("/window/close-during-run", test_window_close_during_run);
  return g_test_run ();
}
