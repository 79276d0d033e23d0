/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window.c: the window's pages, actions and run buttons. */
#include <sqlite3.h>

#include "store/wl-store.h"
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

/* The button under @root that reads @label, or NULL. */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, root);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
        return widget;
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  return NULL;
}

/* Answers @dialog as a user does: clicks the button of @response. */
static void
answer (AdwMessageDialog *dialog,
        const char       *response)
{
  GtkWidget *button;

  g_assert_nonnull (dialog);
  button = find_button (GTK_WIDGET (dialog), adw_message_dialog_get_response_label (dialog, response));
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
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

/* The header bar's progress: "Epoch N · P %" on every page while a run
 * goes (here paused once its first epoch has ended: more may have run by
 * then), the Train page when pressed, gone when the run has ended. */
static void
pause_in_training (WlSession     *session,
                   const WlEvent *event,
                   gpointer       data)
{
  if (event->type == WL_EVENT_EPOCH && event->epoch == 1 && !*(gboolean *) data)
    {
      *(gboolean *) data = TRUE;
      wl_session_set_paused (session, TRUE);
    }
}

static const char *
progress_text (GtkWidget *button)
{
  GtkWidget *label = ui_test_find_widget (button, GTK_TYPE_LABEL, NULL);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
test_window_header_progress (void)
{
  g_autofree char *path = ui_test_write_csv (3000);
  WlWindow *window = ui_test_window_new ();
  WlSession *session = wl_window_get_session (window);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkWidget *button = ui_test_find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, "progress_button");
  AdwViewStack *stack = ADW_VIEW_STACK (ui_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK,
                                                             "stack"));
  gboolean paused_once = FALSE;

  g_assert_nonnull (button);
  g_assert_false (gtk_widget_get_mapped (button));
  wl_session_set_file (session, file);
  wl_session_get_config (session)->model.epochs = 500;
  wl_session_get_config (session)->model.patience = 0;
  g_signal_connect (session, "run-event", G_CALLBACK (pause_in_training), &paused_once);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  g_assert_true (ui_test_wait_until (session_paused, session, 30000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "data"));
  ui_test_run_for (50);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (g_str_has_prefix (progress_text (button), "Epoch "));
  g_assert_true (g_str_has_suffix (progress_text (button), " %"));
  ui_test_shot (GTK_WIDGET (window), "header-progress");
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "train");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "model"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pause", NULL));
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL));
  g_assert_true (ui_test_wait_until (session_ended, session, 60000));
  ui_test_run_for (50);
  g_assert_false (gtk_widget_get_mapped (button));
  g_signal_handlers_disconnect_by_func (session, pause_in_training, &paused_once);
  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_remove (path);
}

/* At start-up, a store whose newest run was interrupted offers it for
 * resume, and Resume continues it to its end. */
static void
stop_at_epoch_2 (WlSession     *session,
                 const WlEvent *event,
                 gpointer       data)
{
  if (event->type == WL_EVENT_EPOCH && event->epoch == 2)
    wl_session_stop_run (session);
}

static gboolean
run_stored (gpointer data)
{
  return *(gint64 *) data != 0;
}

static void
on_run_stored (WlSession *session,
               gint64     id,
               gint64    *stored)
{
  *stored = id;
}

static gboolean
offers_resume (gpointer data)
{
  return find_button (data, "Resume") != NULL;
}

static void
test_window_offers_resume (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-resume-XXXXXX", NULL);
  g_autofree char *store_path = g_build_filename (dir, "runs.sqlite", NULL);
  g_autofree char *path = ui_test_write_csv (600);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *sql = NULL;
  g_autoptr(WlStore) store = NULL;
  g_autoptr(WlRunRecord) record = NULL;
  WlWindow *window, *later;
  WlSession *session;
  gint64 id, stored = 0;
  sqlite3 *db;

  g_assert_true (g_setenv ("WORDLOOM_STORE", store_path, TRUE));
  window = ui_test_window_new ();
  session = wl_window_get_session (window);
  wl_session_set_file (session, file);
  wl_session_get_config (session)->model.epochs = 5;
  wl_session_get_config (session)->model.patience = 0;
  g_signal_connect (session, "run-event", G_CALLBACK (stop_at_epoch_2), NULL);
  g_signal_connect (session, "run-stored", G_CALLBACK (on_run_stored), &stored);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  g_assert_true (ui_test_wait_until (run_stored, &stored, 60000));
  g_signal_handlers_disconnect_by_data (session, &stored);
  g_signal_handlers_disconnect_by_func (session, stop_at_epoch_2, NULL);
  id = wl_session_get_run_id (session);
  g_assert_cmpint (stored, ==, id);
  gtk_window_destroy (GTK_WINDOW (window));

  /* As if the process had died in its third epoch. */
  g_assert_cmpint (sqlite3_open (store_path, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("UPDATE runs SET state = 'interrupted' WHERE id = %" G_GINT64_FORMAT, id);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  later = ui_test_window_new ();
  g_assert_true (ui_test_wait_until (offers_resume, later, 10000));
  ui_test_shot (GTK_WIDGET (later), "resume-offered");
  session = wl_window_get_session (later);
  stored = 0;
  g_signal_connect (session, "run-stored", G_CALLBACK (on_run_stored), &stored);
  g_signal_emit_by_name (find_button (GTK_WIDGET (later), "Resume"), "clicked");
  g_assert_true (ui_test_wait_until (run_stored, &stored, 60000));
  g_assert_cmpint (stored, ==, id);
  g_assert_cmpint (wl_session_get_state (session), ==, WL_SESSION_FINISHED);
  g_signal_handlers_disconnect_by_data (session, &stored);

  store = wl_store_open (store_path, NULL);
  record = wl_store_get_run (store, id, NULL);
  g_assert_cmpint (record->state, ==, WL_RUN_STATE_FINISHED);
  g_assert_cmpuint (record->epochs_run, ==, 5);
  g_assert_cmpuint (record->attempts, ==, 2);
  gtk_window_destroy (GTK_WINDOW (later));
  ui_test_run_for (50);
  g_unsetenv ("WORDLOOM_STORE");
  ui_test_remove (path);
  ui_test_remove_tree (dir);
}

int
main (int argc, char *argv[])
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/window/pages", test_window_pages);
  g_test_add_func ("/window/train-needs-data", test_window_train_needs_data);
  g_test_add_func ("/window/run-buttons", test_window_run_buttons);
  g_test_add_func ("/window/close-during-run", test_window_close_during_run);
  g_test_add_func ("/window/header-progress", test_window_header_progress);
  g_test_add_func ("/window/offers-resume", test_window_offers_resume);
  return g_test_run ();
}
