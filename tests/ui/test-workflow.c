/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-workflow.c: what a user does, end to end, in one window: open a CSV
 * on the Data page, change a cleaning option and see the preview change,
 * train a model to completion, open a cell of the confusion matrix, then
 * start another run and cancel it mid-way. */
#include "pages/wl-cell-texts-window.h"
#include "ui-test-util.h"
#include "widgets/wl-heatmap.h"

typedef struct
{
  WlWindow  *window;
  WlSession *session;
  guint      n_train_progress;
} Flow;

static gboolean
sample_ready (gpointer data)
{
  Flow *f = data;
  guint n = 0;

  wl_session_get_sample (f->session, &n);
  return n > 0 && wl_session_get_n_rows (f->session) == 600;
}

static const char *
first_after_text (Flow *f)
{
  GtkWidget *page = wl_window_get_page (f->window, "clean");
  GtkListBox *list = GTK_LIST_BOX (ui_test_find_widget (page, GTK_TYPE_LIST_BOX, "rows_list"));
  GtkListBoxRow *row = list ? gtk_list_box_get_row_at_index (list, 0) : NULL;
  GtkWidget *label = row ? ui_test_find_widget (GTK_WIDGET (row), GTK_TYPE_LABEL, "after") : NULL;

  return label ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static gboolean
preview_has_url (gpointer data)
{
  const char *after = first_after_text (data);

  return after != NULL && strstr (after, "example.com") != NULL;
}

static gboolean
preview_without_url (gpointer data)
{
  const char *after = first_after_text (data);

  return after != NULL && *after != '\0' && strstr (after, "example.com") == NULL;
}

static gboolean
run_ended (gpointer data)
{
  Flow *f = data;

  return !wl_session_is_busy (f->session) && wl_session_get_state (f->session) != WL_SESSION_IDLE;
}

static void
on_run_event (WlSession     *session,
              const WlEvent *event,
              Flow          *f)
{
  if (event->type == WL_EVENT_PROGRESS && event->stage == WL_STAGE_TRAIN)
    f->n_train_progress++;
}

static gboolean
training_under_way (gpointer data)
{
  return ((Flow *) data)->n_train_progress >= 2;
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return GTK_WIDGET (window);
    }
  return NULL;
}

static void
test_workflow (void)
{
  g_autofree char *path = ui_test_write_csv (600);
  Flow f = { 0 };
  GtkWidget *results, *urls;
  WlHeatmap *heatmap;
  const WlEvaluation *evaluation;
  guint64 off_diagonal = 0, total = 0;
  guint truth = 0, predicted = 1;
  WlCellTextsWindow *cells;

  f.window = ui_test_window_new ();
  f.session = wl_window_get_session (f.window);
  g_signal_connect (f.session, "run-event", G_CALLBACK (on_run_event), &f);

  /* Data: open the file the way the header bar's Open does, by path. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.open-path", "s", path));
  g_assert_true (ui_test_wait_until (sample_ready, &f, 20000));
  g_assert_cmpstr (wl_session_get_config (f.session)->data.input, ==, path);

  /* Clean: the preview shows the sample; stripping links changes it. */
  wl_window_show_page (f.window, "clean");
  urls = ui_test_find_widget (wl_window_get_page (f.window, "clean"), GTK_TYPE_SWITCH, "urls_switch");
  g_assert_nonnull (urls);
  gtk_switch_set_active (GTK_SWITCH (urls), FALSE);
  g_assert_true (ui_test_wait_until (preview_has_url, &f, 20000));
  gtk_switch_set_active (GTK_SWITCH (urls), TRUE);
  g_assert_true (ui_test_wait_until (preview_without_url, &f, 20000));
  g_assert_true (wl_session_get_config (f.session)->clean.strip_urls);

  /* Train to completion with the header bar's action. */
  wl_session_get_config (f.session)->model.epochs = 3;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.train", NULL));
  g_assert_true (ui_test_wait_until (run_ended, &f, 60000));
  g_assert_cmpint (wl_session_get_state (f.session), ==, WL_SESSION_FINISHED);

  /* Results: the heat map holds every test row; a cell opens its texts. */
  results = wl_window_get_page (f.window, "results");
  heatmap = WL_HEATMAP (ui_test_find_widget (results, WL_TYPE_HEATMAP, NULL));
  g_assert_nonnull (heatmap);
  evaluation = wl_run_get_evaluation (wl_session_get_run (f.session));
  g_assert_cmpuint (wl_heatmap_get_n_labels (heatmap), ==, 3);
  for (guint t = 0; t < 3; t++)
    for (guint p = 0; p < 3; p++)
      {
        guint64 count = wl_heatmap_get_count (heatmap, t, p);

        total += count;
        if (t != p && count > off_diagonal)
          {
            off_diagonal = count;
            truth = t;
            predicted = p;
          }
      }
  g_assert_cmpuint (total, ==, wl_run_get_summary (wl_session_get_run (f.session))->n_test);
  g_assert_cmpuint (evaluation->misclassified->len, ==, total - (wl_heatmap_get_count (heatmap, 0, 0) +
                                                                 wl_heatmap_get_count (heatmap, 1, 1) +
                                                                 wl_heatmap_get_count (heatmap, 2, 2)));
  g_assert_true (gtk_widget_activate_action (results, "results.show-cell", "(uu)", truth, predicted));
  cells = WL_CELL_TEXTS_WINDOW (find_toplevel (WL_TYPE_CELL_TEXTS_WINDOW));
  g_assert_nonnull (cells);
  g_assert_cmpuint (wl_cell_texts_window_get_n_texts (cells), ==, off_diagonal);
  gtk_window_destroy (GTK_WINDOW (cells));

  /* Another run, cancelled while it trains: the window says so, and the
   * finished run's results stay. */
  wl_session_get_config (f.session)->model.type = WL_MODEL_LSTM;   /* slow enough to stop */
  wl_session_get_config (f.session)->model.epochs = 200;
  wl_session_get_config (f.session)->model.patience = 0;
  f.n_train_progress = 0;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.train", NULL));
  g_assert_true (ui_test_wait_until (training_under_way, &f, 60000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.stop", NULL));
  g_assert_true (ui_test_wait_until (run_ended, &f, 5000));
  g_assert_cmpint (wl_session_get_state (f.session), ==, WL_SESSION_CANCELLED);
  g_assert_true (g_str_has_suffix (gtk_window_get_title (GTK_WINDOW (f.window)), "Wordloom"));
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (f.window)), "Stopped"));

  gtk_window_destroy (GTK_WINDOW (f.window));
  ui_test_remove (path);
}

int
main (int argc, char *argv[])
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/workflow/open-clean-train-inspect-cancel", test_workflow);
  return g_test_run ();
}
