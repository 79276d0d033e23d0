/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-results-page.c: the Results page after a real run: scores, heat map, cells, predict, save. */
#include <glib/gstdio.h>
#include <stdlib.h>

#include "models/wl-model-file.h"
#include "pages/wl-cell-texts-window.h"
#include "pages/wl-export-window.h"
#include "pages/wl-predict-file-bar.h"
#include "ui-test-util.h"
#include "widgets/wl-heatmap.h"
#include "widgets/wl-size-chart.h"

typedef struct
{
  char      *path;
  WlWindow  *window;
  WlSession *session;
  GtkWidget *page;
  guint      n_errors;
} Fixture;

static gboolean
run_ended (gpointer data)
{
  return !wl_session_is_busy (data) && wl_session_get_state (data) != WL_SESSION_IDLE;
}

static void
on_error (Fixture      *f,
          const GError *error)
{
  g_test_message ("session error: %s", error->message);
  f->n_errors++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->window = ui_test_window_new ();
  f->session = wl_window_get_session (f->window);
  f->page = wl_window_get_page (f->window, "results");
  g_signal_connect_swapped (f->session, "error", G_CALLBACK (on_error), f);
  g_assert_nonnull (f->page);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  if (f->path != NULL)
    ui_test_remove (f->path);
  g_free (f->path);
  ui_test_run_for (20);
}

/* Trains on a generated file through the window, as a user would. */
static void
train (Fixture *f)
{
  g_autoptr(GFile) file = NULL;

  f->path = ui_test_write_csv (900);
  file = g_file_new_for_path (f->path);
  wl_session_set_file (f->session, file);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.train", NULL));
  g_assert_true (ui_test_wait_until (run_ended, f->session, 60000));
  g_assert_cmpint (wl_session_get_state (f->session), ==, WL_SESSION_FINISHED);
}

static GtkWidget *
find (Fixture    *f,
      GType       type,
      const char *name)
{
  GtkWidget *widget = ui_test_find_widget (f->page, type, name);

  g_assert_nonnull (widget);
  return widget;
}

static const char *
visible_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (find (f, GTK_TYPE_STACK, "stack")));
}

/* Before a run: a status page, and Save explains why there is nothing. */
static void
test_results_empty (Fixture       *f,
                    gconstpointer  data)
{
  AdwStatusPage *status = ADW_STATUS_PAGE (find (f, ADW_TYPE_STATUS_PAGE, "status_page"));

  wl_window_show_page (f->window, "results");
  g_assert_cmpstr (visible_page (f), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "No Results Yet");
  ui_test_shot (GTK_WIDGET (f->window), "results-empty");

  g_assert_true (gtk_widget_activate_action (f->page, "results.save", NULL));
  g_assert_cmpuint (f->n_errors, ==, 1);
  g_assert_true (gtk_widget_activate_action (f->page, "results.show-cell", "(uu)", 0, 1));
}

static double
label_number (GtkWidget *label)
{
  const char *text = gtk_label_get_text (GTK_LABEL (label));
  char *end;
  double value = g_ascii_strtod (text, &end);

  g_assert_true (end != text);
  return value;
}

static gboolean
is_tall (gpointer widget)
{
  return gtk_widget_get_height (widget) > 100;
}

static void
test_results_scores (Fixture       *f,
                     gconstpointer  data)
{
  WlRun *run;
  WlHeatmap *heatmap;
  GtkGrid *grid;
  guint64 sum = 0;
  double accuracy;
  gsize n_test;

  train (f);
  run = wl_session_get_run (f->session);
  n_test = wl_run_get_summary (run)->n_test;
  g_assert_cmpuint (n_test, >, 0);
  g_assert_cmpstr (visible_page (f), ==, "results");

  accuracy = label_number (find (f, GTK_TYPE_LABEL, "accuracy_label"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find (f, GTK_TYPE_LABEL, "accuracy_label"))), "%"));
  g_assert_cmpfloat (accuracy, >, 50.0);   /* three classes with learnable words */
  g_assert_cmpfloat (accuracy, <=, 100.0);
  g_assert_cmpfloat (label_number (find (f, GTK_TYPE_LABEL, "macro_f1_label")), >, 0.0);
  g_assert_cmpuint ((guint) label_number (find (f, GTK_TYPE_LABEL, "test_rows_label")), ==, n_test);
  g_assert_cmpfloat (label_number (find (f, GTK_TYPE_LABEL, "best_epoch_label")), >=, 1.0);

  /* One header row and one row per label. */
  grid = GTK_GRID (find (f, GTK_TYPE_GRID, "class_grid"));
  for (int row = 1; row <= 3; row++)
    g_assert_nonnull (gtk_grid_get_child_at (grid, 0, row));
  g_assert_null (gtk_grid_get_child_at (grid, 0, 4));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 0, 1))), ==, "sport");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 4, 0))), ==, "Support");

  heatmap = WL_HEATMAP (find (f, WL_TYPE_HEATMAP, "heatmap"));
  g_assert_cmpuint (wl_heatmap_get_n_labels (heatmap), ==, 3);
  for (guint truth = 0; truth < 3; truth++)
    for (guint predicted = 0; predicted < 3; predicted++)
      sum += wl_heatmap_get_count (heatmap, truth, predicted);
  g_assert_cmpuint (sum, ==, n_test);
  g_assert_true (ui_test_wait_until (is_tall, heatmap, 2000));

  ui_test_shot (GTK_WIDGET (f->window), "results-light");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_shot (GTK_WIDGET (f->window), "results-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  ui_test_run_for (300);
  ui_test_shot (GTK_WIDGET (f->window), "results-800x600");
  g_assert_cmpuint (f->n_errors, ==, 0);
}

/* While a later run goes the page says so; when it is stopped, the
 * earlier results come back. */
static void
test_results_later_run (Fixture       *f,
                        gconstpointer  data)
{
  AdwStatusPage *status = ADW_STATUS_PAGE (find (f, ADW_TYPE_STATUS_PAGE, "status_page"));
  g_autofree char *accuracy = NULL;

  train (f);
  accuracy = g_strdup (gtk_label_get_text (GTK_LABEL (find (f, GTK_TYPE_LABEL, "accuracy_label"))));
  wl_session_get_config (f->session)->model.epochs = 500;
  wl_session_get_config (f->session)->model.patience = 0;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.train", NULL));
  g_assert_cmpstr (visible_page (f), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "Training…");
  g_assert_true (gtk_widget_get_visible (find (f, GTK_TYPE_BUTTON, "status_button")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stop", NULL));
  g_assert_true (ui_test_wait_until (run_ended, f->session, 5000));
  g_assert_cmpint (wl_session_get_state (f->session), ==, WL_SESSION_CANCELLED);
  g_assert_cmpstr (visible_page (f), ==, "results");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (f, GTK_TYPE_LABEL, "accuracy_label"))), ==, accuracy);
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return GTK_WIDGET (window);
    }
  return NULL;
}

static WlCellTextsWindow *
find_cell_window (void)
{
  GtkWidget *window = find_toplevel (WL_TYPE_CELL_TEXTS_WINDOW);

  return window ? WL_CELL_TEXTS_WINDOW (window) : NULL;
}

static void
test_results_cell (Fixture       *f,
                   gconstpointer  data)
{
  WlHeatmap *heatmap;
  WlCellTextsWindow *cells;
  GtkListView *list;
  guint truth = 0, predicted = 1;
  guint64 count;

  train (f);
  heatmap = WL_HEATMAP (find (f, WL_TYPE_HEATMAP, "heatmap"));
  /* The off-diagonal cell with the most mistakes. */
  for (guint t = 0; t < 3; t++)
    for (guint p = 0; p < 3; p++)
      if (t != p && wl_heatmap_get_count (heatmap, t, p) > wl_heatmap_get_count (heatmap, truth, predicted))
        {
          truth = t;
          predicted = p;
        }
  count = wl_heatmap_get_count (heatmap, truth, predicted);
  g_test_message ("cell %u → %u: %" G_GUINT64_FORMAT " texts", truth, predicted, count);

  g_assert_true (gtk_widget_activate_action (f->page, "results.show-cell", "(uu)", truth, predicted));
  cells = find_cell_window ();
  g_assert_nonnull (cells);
  g_assert_cmpuint (wl_cell_texts_window_get_n_texts (cells), ==, count);
  list = GTK_LIST_VIEW (ui_test_find_widget (GTK_WIDGET (cells), GTK_TYPE_LIST_VIEW, "list_view"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list))), ==, count);
  ui_test_run_for (100);
  ui_test_shot (GTK_WIDGET (cells), "results-cell");

  /* Ctrl+C copies the selected text. */
  if (count > 0)
    {
      GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (cells));
      g_auto(GValue) value = G_VALUE_INIT;

      gtk_selection_model_select_item (gtk_list_view_get_model (list), 0, TRUE);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (cells), "cell.copy", NULL));
      g_value_init (&value, G_TYPE_STRING);
      g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (clipboard), &value, NULL));
      g_assert_nonnull (strstr (g_value_get_string (&value), "example.com"));
    }
  gtk_window_destroy (GTK_WINDOW (cells));

  /* A diagonal cell lists correct predictions (a first few of them). */
  count = wl_heatmap_get_count (heatmap, 1, 1);
  g_assert_true (gtk_widget_activate_action (f->page, "results.show-cell", "(uu)", 1, 1));
  cells = find_cell_window ();
  g_assert_nonnull (cells);
  g_assert_cmpuint (wl_cell_texts_window_get_n_texts (cells), ==, MIN (count, 100));
  gtk_window_destroy (GTK_WINDOW (cells));

  /* Clicking is the same as the action; out-of-range cells open nothing. */
  g_assert_true (gtk_widget_activate_action (f->page, "results.show-cell", "(uu)", 7, 0));
  g_assert_null (find_cell_window ());
  g_signal_emit_by_name (heatmap, "cell-activated", 0, 0);
  cells = find_cell_window ();
  g_assert_nonnull (cells);
  gtk_window_destroy (GTK_WINDOW (cells));
}

typedef struct
{
  GtkListBox *list;
  guint       n_rows;
} RowsWait;

static gboolean
has_rows (gpointer data)
{
  RowsWait *w = data;

  return gtk_widget_get_visible (GTK_WIDGET (w->list)) &&
         gtk_list_box_get_row_at_index (w->list, w->n_rows - 1) != NULL;
}

static gboolean
is_hidden (gpointer widget)
{
  return !gtk_widget_get_visible (widget);
}

static void
test_results_predict (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *entry;
  RowsWait wait;
  double fractions = 0, percents = 0;
  GtkWidget *best;

  train (f);
  entry = find (f, ADW_TYPE_ENTRY_ROW, "entry");
  wait.list = GTK_LIST_BOX (find (f, GTK_TYPE_LIST_BOX, "probabilities"));
  wait.n_rows = 3;
  gtk_editable_set_text (GTK_EDITABLE (entry), "the coach said the team will score a goal in the league match");
  g_assert_true (ui_test_wait_until (has_rows, &wait, 5000));
  g_assert_null (gtk_list_box_get_row_at_index (wait.list, 3));

  for (int i = 0; i < 3; i++)
    {
      GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (wait.list, i));
      GtkWidget *bar = ui_test_find_widget (row, GTK_TYPE_PROGRESS_BAR, NULL);
      GtkWidget *percent = gtk_widget_get_last_child (gtk_widget_get_first_child (row));

      fractions += gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (bar));
      percents += label_number (percent);
    }
  g_assert_cmpfloat_with_epsilon (fractions, 1.0, 0.01);
  g_assert_cmpfloat_with_epsilon (percents, 100.0, 0.5);
  /* Best first: sport words make a sport prediction. */
  best = ui_test_find_widget (GTK_WIDGET (gtk_list_box_get_row_at_index (wait.list, 0)),
                              GTK_TYPE_LABEL, NULL);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (best)), ==, "sport");
  /* Scroll down to the box for the screenshot. */
  {
    GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (entry, GTK_TYPE_SCROLLED_WINDOW));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);

    ui_test_run_for (100);
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    ui_test_shot (GTK_WIDGET (f->window), "results-predict");
  }

  /* Clearing the text clears the probabilities. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_true (ui_test_wait_until (is_hidden, wait.list, 2000));
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

typedef struct
{
  GtkWidget  *widget;
  const char *folder;
} Chooser;

/* Whether the file chooser shows @folder (it loads folders asynchronously). */
static gboolean
chooser_in (gpointer data)
{
  Chooser *c = data;
  g_autoptr(GFile) folder = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (c->widget));
  g_autofree char *path = folder ? g_file_get_path (folder) : NULL;

  return g_strcmp0 (path, c->folder) == 0;
}

static gboolean
has_error (gpointer data)
{
  return ((Fixture *) data)->n_errors > 0;
}

static void
test_results_save (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-results-XXXXXX", NULL);
  g_autofree char *model_path = g_build_filename (dir, "model.wlm", NULL);
  g_autoptr(WlClassifier) classifier = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *data_folder = NULL;
  Chooser chooser;
  const char *texts[] = { "fresh bread and a spicy sauce for dinner" };
  float probs[3];

  train (f);
  g_assert_true (gtk_widget_activate_action (f->page, "results.save-to", "s", model_path));
  g_assert_true (ui_test_wait_until (file_exists, model_path, 10000));
  ui_test_run_for (50);   /* the toast */

  classifier = wl_classifier_load (model_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wl_classifier_get_n_labels (classifier), ==, 3);
  g_assert_true (wl_classifier_predict (classifier, texts, 1, 1, probs, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (wl_classifier_get_label (classifier, wl_argmax (probs, 3)), ==, "food");
  g_assert_cmpuint (f->n_errors, ==, 0);

  /* Save Model… asks where, in the data file's folder, suggesting
   * "<data file>-<model>.wlm". */
  g_unlink (model_path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.save-model", NULL));
  chooser.widget = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_nonnull (chooser.widget);
  g_assert_cmpstr (gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser.widget)), ==,
                   "data-linear.wlm");
  chooser.folder = data_folder = g_path_get_dirname (f->path);
  g_assert_true (ui_test_wait_until (chooser_in, &chooser, 5000));

  folder = g_file_new_for_path (dir);
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser.widget), folder, NULL));
  chooser.folder = dir;
  g_assert_true (ui_test_wait_until (chooser_in, &chooser, 5000));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser.widget), "model.wlm");
  gtk_dialog_response (GTK_DIALOG (chooser.widget), GTK_RESPONSE_ACCEPT);
  g_assert_true (ui_test_wait_until (file_exists, model_path, 10000));
  g_assert_cmpuint (f->n_errors, ==, 0);

  /* A folder that does not exist: an error the user sees. */
  g_assert_true (gtk_widget_activate_action (f->page, "results.save-to", "s", "/nonexistent/dir/m.wlm"));
  g_assert_true (ui_test_wait_until (has_error, f, 10000));

  g_unlink (model_path);
  g_rmdir (dir);
}

static gboolean
card_filled (gpointer data)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (data); c != NULL; c = gtk_widget_get_next_sibling (c))
    n++;
  /* A heading row and ten variants of ten cells. */
  return n == 11 * 10;
}

static gboolean
no_export_window (gpointer data)
{
  return find_toplevel (WL_TYPE_EXPORT_WINDOW) == NULL;
}

static void
test_results_export (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-export-XXXXXX", NULL);
  g_autofree char *model_path = g_build_filename (dir, "model.wlm", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WlModel) model = NULL;
  GtkWidget *window, *grid, *chart;

  f->path = ui_test_write_csv (900);
  file = g_file_new_for_path (f->path);
  wl_session_set_file (f->session, file);
  wl_session_get_config (f->session)->model.type = WL_MODEL_EMBEDDING_BAG;
  wl_session_config_changed (f->session);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.train", NULL));
  g_assert_true (ui_test_wait_until (run_ended, f->session, 60000));
  g_assert_cmpint (wl_session_get_state (f->session), ==, WL_SESSION_FINISHED);

  /* Export… opens the dialog; Measure fills the card with every variant. */
  g_assert_true (gtk_widget_activate_action (f->page, "results.export", NULL));
  window = find_toplevel (WL_TYPE_EXPORT_WINDOW);
  g_assert_nonnull (window);
  grid = ui_test_find_widget (window, GTK_TYPE_GRID, "card_grid");
  g_assert_nonnull (grid);
  g_assert_true (gtk_widget_activate_action (window, "export.measure", NULL));
  g_assert_true (ui_test_wait_until (card_filled, grid, 60000));
  /* The chart beside it: one point per variant of the card. */
  chart = ui_test_find_widget (window, WL_TYPE_SIZE_CHART, "size_chart");
  g_assert_nonnull (chart);
  g_assert_true (gtk_widget_get_visible (chart));
  g_assert_cmpuint (wl_size_chart_get_n_points (WL_SIZE_CHART (chart)), ==, 10);
  if (g_getenv ("WL_UI_SHOTS") != NULL)
    {
      ui_test_run_for (500);
      ui_test_shot (window, "export-card");
      ui_test_shot (chart, "export-chart");
    }

  /* int8 and pruned, saved through the dialog's action. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (ui_test_find_widget (window, ADW_TYPE_COMBO_ROW, "precision_row")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ui_test_find_widget (window, GTK_TYPE_SPIN_BUTTON, "prune_spin")), 0.5);
  g_assert_true (gtk_widget_activate_action (window, "export.save-to", "s", model_path));
  g_assert_true (ui_test_wait_until (file_exists, model_path, 20000));
  g_assert_true (ui_test_wait_until (no_export_window, NULL, 10000));
  g_assert_cmpuint (f->n_errors, ==, 0);

  model = wl_model_file_load (model_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wl_model_get_storage (model), ==, WL_MODEL_STORAGE_INT8 | WL_MODEL_STORAGE_PRUNED);

  g_unlink (model_path);
  g_rmdir (dir);
}

static gboolean
bar_idle (gpointer bar)
{
  return !wl_predict_file_bar_is_busy (bar);
}

/* Predict a File: the whole file on workers into a CSV with a header
 * (text, predicted, a probability per label) and a row per text; Stop
 * ends it at once and leaves no file. */
static void
test_results_predict_file (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *texts = ui_test_write_csv (120);
  g_autofree char *dir = g_path_get_dirname (texts);
  g_autofree char *output = g_build_filename (dir, "predicted.csv", NULL);
  g_autofree char *stopped = g_build_filename (dir, "stopped.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *bar;

  train (f);
  bar = find (f, WL_TYPE_PREDICT_FILE_BAR, "predict_file_bar");
  g_assert_false (gtk_widget_get_visible (bar));

  /* Stopped as soon as it starts: no file, the bar hidden again */
  g_assert_true (gtk_widget_activate_action (f->page, "results.predict-file-to", "(ss)", texts, stopped));
  g_assert_true (wl_predict_file_bar_is_busy (WL_PREDICT_FILE_BAR (bar)));
  g_assert_true (gtk_widget_get_visible (bar));
  g_assert_true (gtk_widget_activate_action (bar, "predict-file.cancel", NULL));
  g_assert_true (ui_test_wait_until (bar_idle, bar, 20000));
  g_assert_false (gtk_widget_get_visible (bar));
  g_assert_false (g_file_test (stopped, G_FILE_TEST_EXISTS));

  /* To the end */
  g_assert_true (gtk_widget_activate_action (f->page, "results.predict-file-to", "(ss)", texts, output));
  g_assert_true (gtk_widget_get_visible (bar));
  if (g_getenv ("WL_UI_SHOTS") != NULL)
    ui_test_shot (GTK_WIDGET (f->window), "results-predict-file");
  g_assert_true (ui_test_wait_until (bar_idle, bar, 60000));
  g_assert_false (gtk_widget_get_visible (bar));
  g_assert_true (g_file_get_contents (output, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "text,predicted,p("));
  /* A header, 120 rows and the empty string after the last newline */
  g_assert_cmpuint (g_strv_length (lines), ==, 122);
  g_assert_cmpuint (f->n_errors, ==, 0);
  g_unlink (output);
  ui_test_remove (texts);
}

/* A separate test file with a label the training file never had: the page
 * says how many rows have it and that they count as errors. */
static void
test_results_unseen_labels (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *train_path = ui_test_write_csv (600);
  g_autofree char *dir = g_path_get_dirname (train_path);
  g_autofree char *test_path = g_build_filename (dir, "test.csv", NULL);
  static const char test_csv[] =
    "label,title,text\n"
    "sport,a,goal team coach match\n"
    "travel,b,a train to the sea\n"
    "travel,c,a flight to the mountains\n";
  WlConfig *config = wl_session_get_config (f->session);
  g_autoptr(GFile) file = g_file_new_for_path (train_path);
  GtkWidget *unseen;

  g_assert_true (g_file_set_contents (test_path, test_csv, -1, NULL));
  g_free (config->data.test_input);
  config->data.test_input = g_strdup (test_path);
  wl_session_config_changed (f->session);
  wl_session_set_file (f->session, file);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.train", NULL));
  g_assert_true (ui_test_wait_until (run_ended, f->session, 60000));
  g_assert_cmpint (wl_session_get_state (f->session), ==, WL_SESSION_FINISHED);

  unseen = find (f, GTK_TYPE_LABEL, "unseen_label");
  g_assert_true (gtk_widget_get_visible (unseen));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (unseen)),
                            "2 of 3 rows have labels the model never saw in training (“travel”)"));
  g_assert_cmpuint (wl_heatmap_get_n_labels (WL_HEATMAP (find (f, WL_TYPE_HEATMAP, "heatmap"))), ==, 4);
  ui_test_shot (GTK_WIDGET (f->window), "results-unseen-labels");
  ui_test_remove (test_path);
  f->path = g_steal_pointer (&train_path);
}

/* In a 10-class matrix whose rows hold thousands of texts, a mistake made
 * 98 times reads stronger than one made once: mistakes are scaled by the
 * largest mistake, not by their sliver of the row. */
static void
test_heatmap_mistakes (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *heatmap = wl_heatmap_new ();
  const char *labels[10] = { "a", "b", "c", "d", "e", "f", "g", "h", "i", "j" };
  guint64 counts[100] = { 0 };

  for (guint i = 0; i < 10; i++)
    counts[i * 10 + i] = 5000;
  counts[0 * 10 + 1] = 98;
  counts[2 * 10 + 3] = 1;
  counts[4 * 10 + 5] = 49;
  wl_heatmap_set_data (WL_HEATMAP (heatmap), 10, labels, counts);

  g_assert_cmpfloat (wl_heatmap_get_strength (WL_HEATMAP (heatmap), 0, 1), ==, 1.0);
  g_assert_cmpfloat_with_epsilon (wl_heatmap_get_strength (WL_HEATMAP (heatmap), 4, 5), 0.5, 1e-9);
  g_assert_cmpfloat (wl_heatmap_get_strength (WL_HEATMAP (heatmap), 2, 3), <, 0.02);
  g_assert_cmpfloat (wl_heatmap_get_strength (WL_HEATMAP (heatmap), 2, 4), ==, 0.0);
  /* The diagonal: the share of the row. */
  g_assert_cmpfloat_with_epsilon (wl_heatmap_get_strength (WL_HEATMAP (heatmap), 0, 0),
                                  5000.0 / 5098, 1e-9);
  g_assert_cmpfloat (wl_heatmap_get_strength (WL_HEATMAP (heatmap), 9, 9), ==, 1.0);

  gtk_window_set_child (GTK_WINDOW (window), heatmap);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 600);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_run_for (200);
  ui_test_shot (window, "heatmap-mistakes");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The axis captions are properties that notify when they change, and only
 * then: setting the same value again, through the setter or g_object_set(),
 * is quiet. */
static void
test_heatmap_properties (void)
{
  WlHeatmap *heatmap = g_object_ref_sink (WL_HEATMAP (wl_heatmap_new ()));
  guint rows = 0, columns = 0;
  g_autofree char *row_title = NULL, *column_title = NULL;

  g_object_get (heatmap, "row-title", &row_title, "column-title", &column_title, NULL);
  g_assert_cmpstr (row_title, ==, "True Label");
  g_assert_cmpstr (column_title, ==, "Predicted");
  g_signal_connect (heatmap, "notify::row-title", G_CALLBACK (ui_test_count_notify), &rows);
  g_signal_connect (heatmap, "notify::column-title", G_CALLBACK (ui_test_count_notify), &columns);

  wl_heatmap_set_row_title (heatmap, "Truth");
  wl_heatmap_set_row_title (heatmap, "Truth");
  g_object_set (heatmap, "row-title", "Truth", NULL);
  g_assert_cmpuint (rows, ==, 1);
  g_assert_cmpuint (columns, ==, 0);
  g_object_set (heatmap, "column-title", "Guess", NULL);
  wl_heatmap_set_column_title (heatmap, "Guess");
  g_assert_cmpuint (columns, ==, 1);
  wl_heatmap_set_column_title (heatmap, NULL);
  wl_heatmap_set_column_title (heatmap, NULL);
  g_assert_cmpuint (columns, ==, 2);
  g_assert_cmpuint (rows, ==, 1);
  g_object_unref (heatmap);
}

/* The size chart's title, what a screen reader names it, notifies when it
 * changes, and only then; setting it again paints nothing. */
static void
test_size_chart_properties (void)
{
  GtkWidget *window = gtk_window_new ();
  WlSizeChart *chart = WL_SIZE_CHART (wl_size_chart_new ());
  const guint64 sizes[2] = { 400000, 100000 };
  const double accuracies[2] = { 0.91, 0.9 };
  const char *names[2] = { "fp32", "int8" };
  guint title = 0, frames;
  g_autofree char *got = NULL;

  wl_size_chart_set_points (chart, sizes, accuracies, names, 2);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (chart, "notify::title", G_CALLBACK (ui_test_count_notify), &title);
  ui_test_count_frames (GTK_WIDGET (chart), &frames);

  wl_size_chart_set_title (chart, "Size");
  wl_size_chart_set_title (chart, "Size");
  g_object_set (chart, "title", "Size", NULL);
  g_assert_cmpuint (title, ==, 1);
  ui_test_run_for (300);
  g_assert_cmpuint (frames, ==, 0);
  g_object_set (chart, "title", "File size against accuracy", NULL);
  g_assert_cmpuint (title, ==, 2);
  g_object_get (chart, "title", &got, NULL);
  g_assert_cmpstr (got, ==, "File size against accuracy");
  g_assert_cmpstr (wl_size_chart_get_title (chart), ==, got);
  wl_size_chart_set_title (chart, NULL);
  wl_size_chart_set_title (chart, NULL);
  g_assert_cmpuint (title, ==, 3);
  ui_test_stop_counting_frames (GTK_WIDGET (chart), &frames);
  gtk_window_destroy (GTK_WINDOW (window));
}

static double
luminance (const GdkRGBA *c)
{
  return 0.2126 * c->red + 0.7152 * c->green + 0.0722 * c->blue;
}

/* The cells' colours come from the style, looked up when it changes: the
 * dark style gives other mistake colours and a lighter shade for an empty
 * cell, and back again. */
static void
test_heatmap_style (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkWidget *window = gtk_window_new ();
  WlHeatmap *heatmap = WL_HEATMAP (wl_heatmap_new ());
  const char *labels[3] = { "a", "b", "c" };
  guint64 counts[9] = { 50, 7, 0, 3, 40, 0, 0, 1, 60 };
  GdkRGBA light_mistake, light_empty, dark_mistake, dark_empty, again;

  wl_heatmap_set_data (heatmap, 3, labels, counts);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (heatmap));
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 400);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_run_for (300);
  wl_heatmap_get_cell_color (heatmap, 0, 1, &light_mistake);
  wl_heatmap_get_cell_color (heatmap, 0, 2, &light_empty);
  ui_test_shot (window, "heatmap-light");

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_run_for (300);
  ui_test_shot (window, "heatmap-dark");
  wl_heatmap_get_cell_color (heatmap, 0, 1, &dark_mistake);
  wl_heatmap_get_cell_color (heatmap, 0, 2, &dark_empty);
  g_assert_false (gdk_rgba_equal (&dark_mistake, &light_mistake));
  g_assert_cmpfloat (luminance (&dark_empty), >, luminance (&light_empty));

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  ui_test_run_for (300);
  wl_heatmap_get_cell_color (heatmap, 0, 1, &again);
  g_assert_true (gdk_rgba_equal (&again, &light_mistake));
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/heatmap/mistakes", test_heatmap_mistakes);
  g_test_add_func ("/heatmap/properties", test_heatmap_properties);
  g_test_add_func ("/heatmap/style", test_heatmap_style);
  g_test_add_func ("/size-chart/properties", test_size_chart_properties);
  g_test_add ("/results/empty", Fixture, NULL, fixture_setup, test_results_empty, fixture_teardown);
  g_test_add ("/results/scores", Fixture, NULL, fixture_setup, test_results_scores, fixture_teardown);
  g_test_add ("/results/later-run", Fixture, NULL, fixture_setup, test_results_later_run, fixture_teardown);
  g_test_add ("/results/cell", Fixture, NULL, fixture_setup, test_results_cell, fixture_teardown);
  g_test_add ("/results/predict", Fixture, NULL, fixture_setup, test_results_predict, fixture_teardown);
  g_test_add ("/results/save", Fixture, NULL, fixture_setup, test_results_save, fixture_teardown);
  g_test_add ("/results/export", Fixture, NULL, fixture_setup, test_results_export, fixture_teardown);
  g_test_add ("/results/predict-file", Fixture, NULL, fixture_setup, test_results_predict_file,
              fixture_teardown);
  g_test_add ("/results/unseen-labels", Fixture, NULL, fixture_setup, test_results_unseen_labels,
              fixture_teardown);
  return g_test_run ();
}
