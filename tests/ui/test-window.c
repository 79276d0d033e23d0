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

int
main (int argc, char *argv[])
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/window/pages", test_window_pages);
  g_test_add_func ("/window/train-needs-data", test_window_train_needs_data);
  g_test_add_func ("/window/run-buttons", test_window_run_buttons);
  return g_test_run ();
}
