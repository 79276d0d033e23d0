/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-runs-page.c: the Runs page over a run store of its own: runs trained
 * in the window are listed, sorted, filtered, compared, renamed, tagged,
 * deleted, reopened, saved, exported, trained again and resumed. */
#include <glib/gstdio.h>
#include <math.h>

#include "pages/wl-export-window.h"
#include "pages/wl-run-item.h"
#include "pages/wl-run-results-window.h"
#include "pages/wl-runs-compare.h"
#include "models/wl-model-file.h"
#include "store/wl-run-report.h"
#include "store/wl-store.h"
#include "ui-test-util.h"
#include "widgets/wl-heatmap.h"
#include "widgets/wl-line-chart.h"
#include "widgets/wl-sparkline.h"
#include "wl-format.h"
#include "wl-stage-label.h"

#define N_RESUME_EPOCHS 300

typedef struct
{
  char      *dir;        /* the store's folder */
  char      *store_path;
  char      *csv;
  WlWindow  *window;
  WlSession *session;
  GtkWidget *page;
  GArray    *stored;     /* gint64: ids from ::run-stored */
} Fixture;

static void
on_run_stored (WlSession *session,
               gint64     id,
               Fixture   *f)
{
  g_array_append_val (f->stored, id);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;

  /* A store of this test alone, made before the window reads it. */
  f->dir = g_dir_make_tmp ("wl-runs-XXXXXX", NULL);
  f->store_path = g_build_filename (f->dir, "runs.sqlite", NULL);
  g_assert_true (g_setenv ("WORDLOOM_STORE", f->store_path, TRUE));
  f->stored = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->csv = ui_test_write_csv (GPOINTER_TO_UINT (data));
  f->window = ui_test_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 900);
  f->session = wl_window_get_session (f->window);
  f->page = wl_window_get_page (f->window, "runs");
  g_signal_connect (f->session, "run-stored", G_CALLBACK (on_run_stored), f);
  file = g_file_new_for_path (f->csv);
  wl_session_set_file (f->session, file);
  ui_test_run_for (100);
}

static gboolean
nothing_recording (gpointer data)
{
  Fixture *f = data;

  /* Every run the session started has its end written. */
  return !wl_session_is_busy (f->session) &&
         (wl_session_get_run_id (f->session) == 0 ||
          (f->stored->len > 0 &&
           g_array_index (f->stored, gint64, f->stored->len - 1) == wl_session_get_run_id (f->session)));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->session, f);
  ui_test_wait_until (nothing_recording, f, 10000);
  gtk_window_destroy (GTK_WINDOW (f->window));
  ui_test_run_for (50);
  ui_test_remove (f->csv);
  ui_test_remove_tree (f->dir);
  g_unsetenv ("WORDLOOM_STORE");
  g_array_unref (f->stored);
  g_free (f->csv);
  g_free (f->store_path);
  g_free (f->dir);
}

/* Helpers */

static GtkWidget *
find (GtkWidget  *root,
      GType       type,
      const char *name)
{
  GtkWidget *widget = ui_test_find_widget (root, type, name);

  g_assert_nonnull (widget);
  return widget;
}

static GListModel *
rows (Fixture *f)
{
  return G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (find (f->page, GTK_TYPE_COLUMN_VIEW,
                                                                         "column_view"))));
}

static const WlRunRecord *
row (Fixture *f,
     guint    position)
{
  g_autoptr(WlRunItem) item = g_list_model_get_item (rows (f), position);

  g_assert_nonnull (item);
  return wl_run_item_get_record (item);
}

typedef struct
{
  Fixture *f;
  guint    n;
} RowsWait;

static gboolean
has_n_rows (gpointer data)
{
  RowsWait *wait = data;

  return g_list_model_get_n_items (rows (wait->f)) == wait->n;
}

static void
wait_rows (Fixture *f,
           guint    n)
{
  RowsWait wait = { f, n };

  g_assert_true (ui_test_wait_until (has_n_rows, &wait, 10000));
}

/* The list has caught up with the end of the newest run. */
static gboolean
newest_finished (gpointer data)
{
  Fixture *f = data;

  return g_list_model_get_n_items (rows (f)) > 0 && row (f, 0)->state == WL_RUN_STATE_FINISHED;
}

static const char *
stack_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (find (f->page, GTK_TYPE_STACK, "stack")));
}

static gboolean
stack_is (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (stack_page (args[0]), args[1]) == 0;
}

static void
wait_stack (Fixture    *f,
            const char *name)
{
  gpointer args[] = { f, (gpointer) name };

  g_assert_true (ui_test_wait_until (stack_is, args, 10000));
}

/* A model file whole (a copy in progress is not yet). */
static gboolean
file_complete (gpointer data)
{
  g_autoptr(WlModelFileInfo) info = wl_model_file_info_load (data, NULL);

  return info != NULL;
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
session_busy (gpointer data)
{
  return wl_session_is_busy (data);
}

/* Stops the run once its second epoch is reported: the first one is
 * then checkpointed at least. */
static void
stop_at_epoch_2 (WlSession     *session,
                 const WlEvent *event,
                 gpointer       data)
{
  if (event->type == WL_EVENT_EPOCH && event->epoch == 2)
    wl_session_stop_run (session);
}

/* Trains in the window with @epochs and waits until the store holds the
 * end of the run; returns its id. */
static gint64
train (Fixture     *f,
       WlModelType  type,
       guint        epochs)
{
  WlConfig *config = wl_session_get_config (f->session);
  guint n_stored = f->stored->len;
  gint64 id;

  config->model.type = type;
  config->model.epochs = epochs;
  config->model.patience = 0;
  wl_session_config_changed (f->session);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.train", NULL));
  g_assert_true (wl_session_is_busy (f->session));
  g_assert_true (ui_test_wait_until (nothing_recording, f, 60000));
  g_assert_cmpuint (f->stored->len, ==, n_stored + 1);
  g_assert_cmpint (wl_session_get_state (f->session), ==, WL_SESSION_FINISHED);
  id = g_array_index (f->stored, gint64, n_stored);
  g_assert_cmpint (id, ==, wl_session_get_run_id (f->session));
  return id;
}

static void
collect_sparklines (GtkWidget *root,
                    GPtrArray *found)
{
  if (WL_IS_SPARKLINE (root))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_sparklines (child, found);
}

static GtkColumnViewColumn *
column (Fixture    *f,
        const char *title)
{
  GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (find (f->page, GTK_TYPE_COLUMN_VIEW,
                                                                            "column_view")));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (c), title) == 0)
        return c;
    }
  g_assert_not_reached ();
}

static WlRunRecord *
stored_run (Fixture *f,
            gint64   id)
{
  g_autoptr(WlStore) store = wl_store_open (f->store_path, NULL);
  g_autoptr(GError) error = NULL;
  WlRunRecord *record;

  g_assert_nonnull (store);
  record = wl_store_get_run (store, id, &error);
  return record;
}

typedef struct
{
  Fixture    *f;
  gint64      id;
  const char *notes;
  const char *tag;
} StoreWait;

static gboolean
store_has (gpointer data)
{
  StoreWait *wait = data;
  g_autoptr(WlRunRecord) record = stored_run (wait->f, wait->id);

  if (record == NULL)
    return FALSE;
  if (wait->notes != NULL && g_strcmp0 (record->notes, wait->notes) != 0)
    return FALSE;
  return wait->tag == NULL || (record->tags != NULL && g_strv_contains ((const char * const *) record->tags,
                                                                       wait->tag));
}

static gboolean
run_is_gone (gpointer data)
{
  StoreWait *wait = data;
  g_autoptr(WlRunRecord) record = stored_run (wait->f, wait->id);

  return record == NULL;
}

static gboolean
label_is (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (gtk_label_get_text (args[0]), args[1]) == 0;
}

static void
select_run (Fixture    *f,
            gint64      id,
            const char *title)
{
  gpointer args[] = { find (f->page, GTK_TYPE_LABEL, "run_title_label"), (gpointer) title };

  g_assert_true (gtk_widget_activate_action (f->page, "runs.select", "x", id));
  g_assert_true (ui_test_wait_until (label_is, args, 10000));
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

static gboolean
toplevel_shown (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

static gboolean
no_export_window (gpointer data)
{
  return find_toplevel (WL_TYPE_EXPORT_WINDOW) == NULL;
}

/* The deployment card's grid: a heading row and at least two variants. */
static gboolean
card_filled (gpointer data)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (data); c != NULL; c = gtk_widget_get_next_sibling (c))
    n++;
  return n >= 10 * 3;
}

static gboolean
label_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static void
shots (Fixture    *f,
       const char *name)
{
  g_autofree char *light = g_strdup_printf ("runs-%s-light", name);
  g_autofree char *dark = g_strdup_printf ("runs-%s-dark", name);
  g_autofree char *small = g_strdup_printf ("runs-%s-small", name);

  if (g_getenv ("WL_UI_SHOTS") == NULL)
    return;
  ui_test_run_for (200);
  ui_test_shot (GTK_WIDGET (f->window), light);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_run_for (200);
  ui_test_shot (GTK_WIDGET (f->window), dark);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  ui_test_run_for (300);
  ui_test_shot (GTK_WIDGET (f->window), small);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 900);
  ui_test_run_for (300);
}

/* The first label under @root whose text is @text, or NULL. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_str_equal (gtk_label_get_text (GTK_LABEL (root)), text))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The label of @grid in @column whose text is @text, or NULL. */
static GtkWidget *
grid_label (GtkWidget  *grid,
            const char *text,
            int         column)
{
  for (GtkWidget *child = gtk_widget_get_first_child (grid); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int c, r;

      gtk_grid_query_child (GTK_GRID (grid), child, &c, &r, NULL, NULL);
      if (c == column && GTK_IS_LABEL (child) && g_str_equal (gtk_label_get_text (GTK_LABEL (child)), text))
        return child;
    }
  return NULL;
}

/* The text in @column of the row of @row_label. */
static const char *
grid_cell (GtkWidget *grid,
           GtkWidget *row_label,
           int        column)
{
  int row;

  gtk_grid_query_child (GTK_GRID (grid), row_label, NULL, &row, NULL, NULL);
  return gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid), column, row)));
}

/* Tests */

/* No runs: a status page that says what the page is for. */
static void
test_runs_page_empty (Fixture       *f,
                      gconstpointer  data)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "runs"));
  g_assert_true (gtk_widget_activate_action (f->page, "runs.refresh", NULL));
  ui_test_run_for (300);
  g_assert_cmpstr (stack_page (f), ==, "empty");
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 0);
  ui_test_shot (GTK_WIDGET (f->window), "runs-empty");
}

/* Two runs: listed with their models, states and curves; filtered,
 * sorted, compared; renamed and tagged in the store; reopened, saved,
 * exported, deleted, and trained again with the stored settings. */
static void
test_runs_page_runs (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) sparklines = g_ptr_array_new ();
  GtkColumnView *view = GTK_COLUMN_VIEW (find (f->page, GTK_TYPE_COLUMN_VIEW, "column_view"));
  GtkEditable *search = GTK_EDITABLE (find (f->page, GTK_TYPE_SEARCH_ENTRY, "search_entry"));
  g_autofree char *compare = NULL, *model_path = NULL, *export_path = NULL;
  g_autoptr(WlRunRecord) again_record = NULL;
  gint64 linear, bag, again;
  StoreWait wait = { f };
  GtkWidget *dialog, *results, *settings, *scores, *label, *export;
  WlLineChart *chart;

  linear = train (f, WL_MODEL_LINEAR, 2);
  bag = train (f, WL_MODEL_EMBEDDING_BAG, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "runs"));
  g_assert_true (gtk_widget_activate_action (f->page, "runs.refresh", NULL));
  wait_rows (f, 2);
  g_assert_true (ui_test_wait_until (newest_finished, f, 10000));
  g_assert_cmpstr (stack_page (f), ==, "runs");

  /* Newest first, with what each ran. */
  g_assert_cmpint (row (f, 0)->id, ==, bag);
  g_assert_cmpstr (row (f, 0)->model, ==, "embedding-bag");
  g_assert_cmpint (row (f, 0)->state, ==, WL_RUN_STATE_FINISHED);
  g_assert_cmpuint (row (f, 0)->epochs_run, ==, 3);
  g_assert_cmpstr (row (f, 1)->model, ==, "linear");
  g_assert_cmpint (row (f, 1)->state, ==, WL_RUN_STATE_FINISHED);
  g_assert_true (isfinite (row (f, 1)->test_accuracy));
  ui_test_run_for (200);
  collect_sparklines (GTK_WIDGET (view), sparklines);
  g_assert_cmpuint (sparklines->len, ==, 2);
  g_assert_cmpuint (wl_sparkline_get_n_points (g_ptr_array_index (sparklines, 0)) +
                    wl_sparkline_get_n_points (g_ptr_array_index (sparklines, 1)), ==, 2 + 3);

  /* The filter */
  gtk_editable_set_text (search, "EMBEDDING");
  wait_rows (f, 1);
  g_assert_cmpint (row (f, 0)->id, ==, bag);
  gtk_editable_set_text (search, "data.csv");
  wait_rows (f, 2);
  gtk_editable_set_text (search, "no such run");
  wait_rows (f, 0);
  gtk_editable_set_text (search, "");
  wait_rows (f, 2);

  /* Sorting by a header */
  gtk_column_view_sort_by_column (view, column (f, "Epochs"), GTK_SORT_ASCENDING);
  g_assert_cmpint (row (f, 0)->id, ==, linear);
  gtk_column_view_sort_by_column (view, column (f, "Model"), GTK_SORT_DESCENDING);
  g_assert_cmpstr (row (f, 0)->model, ==, "linear");
  gtk_column_view_sort_by_column (view, column (f, "Run"), GTK_SORT_DESCENDING);
  g_assert_cmpint (row (f, 0)->id, ==, bag);

  /* At the default width, a model's name is whole. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1180, 800);
  ui_test_run_for (300);
  label = find_label (GTK_WIDGET (view), "embedding-bag");
  g_assert_nonnull (label);
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 900);
  ui_test_run_for (300);

  shots (f, "list");

  /* Details, name and tags, kept in the store */
  select_run (f, linear, "Run 1");
  shots (f, "details");
  gtk_editable_set_text (GTK_EDITABLE (find (f->page, ADW_TYPE_ENTRY_ROW, "name_row")), "baseline");
  g_signal_emit_by_name (find (f->page, ADW_TYPE_ENTRY_ROW, "name_row"), "apply");
  gtk_editable_set_text (GTK_EDITABLE (find (f->page, ADW_TYPE_ENTRY_ROW, "tag_row")), "keep");
  g_signal_emit_by_name (find (f->page, ADW_TYPE_ENTRY_ROW, "tag_row"), "apply");
  wait = (StoreWait) { f, linear, "baseline", "keep" };
  g_assert_true (ui_test_wait_until (store_has, &wait, 10000));
  select_run (f, linear, "baseline");
  gtk_editable_set_text (search, "keep");
  wait_rows (f, 1);
  gtk_editable_set_text (search, "");
  wait_rows (f, 2);

  /* Compare: the settings that differ, by their names, only those the
   * runs' models use, what each took, and one curve per run */
  compare = g_strdup_printf ("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT, linear, bag);
  g_assert_true (gtk_widget_activate_action (f->page, "runs.compare", "s", compare));
  wait_stack (f, "compare");
  settings = find (f->page, GTK_TYPE_GRID, "settings_grid");
  g_assert_nonnull (grid_label (settings, "Epochs", 0));
  g_assert_nonnull (grid_label (settings, "Model type", 0));
  /* linear's own: shown, "—" in the embedding bag's column */
  label = grid_label (settings, "L2 penalty", 0);
  g_assert_nonnull (label);
  g_assert_cmpstr (grid_cell (settings, label, 2), ==, "—");
  g_assert_cmpstr (grid_cell (settings, label, 1), !=, "—");
  /* Neither model has filters or hidden units; no raw keys. */
  g_assert_null (grid_label (settings, "Filters", 0));
  g_assert_null (grid_label (settings, "Hidden units", 0));
  for (GtkWidget *child = gtk_widget_get_first_child (settings); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_assert_false (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child)), "model."));
  /* model.type and model.epochs at least; the data's settings are the same. */
  g_assert_cmpuint (wl_runs_compare_get_n_differences (WL_RUNS_COMPARE (find (f->page, WL_TYPE_RUNS_COMPARE,
                                                                             "compare"))), >=, 2);
  /* Time, throughput and device, as `runs compare` has them */
  scores = find (f->page, GTK_TYPE_GRID, "scores_grid");
  {
    g_autoptr(WlStore) store = wl_store_open (f->store_path, NULL);
    g_autoptr(WlCompareRun) expected = wl_store_get_compare_run (store, bag, NULL);
    g_autofree char *time = wl_format_duration (expected->train_seconds);

    g_assert_true (isfinite (expected->train_seconds) && isfinite (expected->tokens_per_s));
    label = grid_label (scores, "Training time", 0);
    g_assert_nonnull (label);
    g_assert_cmpstr (grid_cell (scores, label, 2), ==, time);
    label = grid_label (scores, "Tokens per second", 0);
    g_assert_nonnull (label);
    g_assert_cmpstr (grid_cell (scores, label, 2), !=, "—");
    label = grid_label (scores, "Device", 0);
    g_assert_nonnull (label);
    g_assert_cmpstr (grid_cell (scores, label, 2), ==,
                     expected->record->device != NULL ? expected->record->device : "—");
  }
  chart = WL_LINE_CHART (find (f->page, WL_TYPE_LINE_CHART, "accuracy_chart"));
  g_assert_cmpuint (wl_line_chart_get_n_points (chart, 0), ==, 2);
  g_assert_cmpuint (wl_line_chart_get_n_points (chart, 1), ==, 3);
  chart = WL_LINE_CHART (find (f->page, WL_TYPE_LINE_CHART, "loss_chart"));
  g_assert_cmpuint (wl_line_chart_get_n_points (chart, 1), ==, 3);
  shots (f, "compare");
  g_assert_true (gtk_widget_activate_action (f->page, "runs.close-compare", NULL));
  g_assert_cmpstr (stack_page (f), ==, "runs");

  /* Export Report: each run's report in run-ID of the folder, the very
   * files `wordloom-cli runs export` writes */
  {
    const gint64 ids[] = { linear, bag };
    g_autofree char *folder = g_build_filename (f->dir, "reports", NULL);
    g_autofree char *window_dir = wl_run_report_folder (folder, bag);
    g_autofree char *window_html = g_build_filename (window_dir, "report.html", NULL);
    g_autofree char *linear_dir = wl_run_report_folder (folder, linear);
    g_autofree char *linear_html = g_build_filename (linear_dir, "report.html", NULL);
    g_autofree char *cli_dir = g_build_filename (f->dir, "cli-report", NULL);
    g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, bag);
    const char *argv[] = { WORDLOOM_CLI_PATH, "runs", "export", id_text, "-o", cli_dir,
                           "--store", f->store_path, NULL };
    const char *names[] = { "run.json", "epochs.csv", "progress.csv", "samples.csv", "stages.csv",
                            "curves.svg", "report.html" };
    g_autoptr(GError) error = NULL;
    int status;

    g_assert_true (gtk_widget_activate_action_variant (f->page, "runs.export-report-to",
                                                       g_variant_new ("(@axs)",
                                                                      g_variant_new_fixed_array (G_VARIANT_TYPE_INT64,
                                                                                                 ids, 2, sizeof ids[0]),
                                                                      folder)));
    g_assert_true (ui_test_wait_until (file_exists, window_html, 20000));
    g_assert_true (ui_test_wait_until (file_exists, linear_html, 20000));
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                 NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *ours = g_build_filename (window_dir, names[i], NULL);
        g_autofree char *theirs = g_build_filename (cli_dir, names[i], NULL);
        g_autofree char *a = NULL, *b = NULL;

        g_assert_true (g_file_get_contents (ours, &a, NULL, NULL));
        g_assert_true (g_file_get_contents (theirs, &b, NULL, NULL));
        g_assert_cmpstr (a, ==, b);
      }
  }

  /* Reopen the results */
  g_assert_true (gtk_widget_activate_action (f->page, "runs.show-results", "x", linear));
  g_assert_true (ui_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (WL_TYPE_RUN_RESULTS_WINDOW), 10000));
  results = find_toplevel (WL_TYPE_RUN_RESULTS_WINDOW);
  g_assert_cmpuint (wl_heatmap_get_n_labels (WL_HEATMAP (find (results, WL_TYPE_HEATMAP, "heatmap"))), ==, 3);
  g_assert_true (ui_test_wait_until ((gboolean (*) (gpointer)) gtk_widget_get_mapped, results, 10000));
  if (g_getenv ("WL_UI_SHOTS") != NULL)
    {
      ui_test_run_for (500);   /* its first frame */
      ui_test_shot (results, "runs-results");
    }
  gtk_window_destroy (GTK_WINDOW (results));

  /* Save the model: the best checkpoint's file */
  model_path = g_build_filename (f->dir, "saved.wlm", NULL);
  g_assert_true (gtk_widget_activate_action (f->page, "runs.save-to", "(xs)", linear, model_path));
  g_assert_true (ui_test_wait_until (file_exists, model_path, 10000));
  {
    g_autoptr(WlStore) store = wl_store_open (f->store_path, NULL);
    g_autoptr(WlCheckpointRecord) best = wl_store_get_checkpoint (store, linear, WL_CHECKPOINT_BEST, NULL);
    GStatBuf st;

    g_assert_nonnull (best);
    g_assert_cmpint (g_stat (model_path, &st), ==, 0);
    g_assert_cmpuint (st.st_size, ==, best->size);
  }

  /* Export: the dialog on the stored run's best checkpoint.  Measure makes
   * the run's test part again from its unchanged input file and fills the
   * card; then int8 and pruned are saved. */
  export_path = g_build_filename (f->dir, "exported.wlm", NULL);
  g_assert_true (gtk_widget_activate_action (f->page, "runs.export", "x", bag));
  g_assert_true (ui_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (WL_TYPE_EXPORT_WINDOW), 10000));
  export = find_toplevel (WL_TYPE_EXPORT_WINDOW);
  g_assert_true (gtk_widget_activate_action (export, "export.measure", NULL));
  g_assert_true (ui_test_wait_until (card_filled, find (export, GTK_TYPE_GRID, "card_grid"), 60000));
  g_assert_false (gtk_widget_get_visible (find (export, GTK_TYPE_LABEL, "message_label")));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (find (export, GTK_TYPE_LABEL, "test_label"))),
                                   "Test part of run "));
  if (g_getenv ("WL_UI_SHOTS") != NULL)
    {
      ui_test_run_for (500);
      ui_test_shot (export, "runs-export");
    }
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (export, ADW_TYPE_COMBO_ROW, "precision_row")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (export, GTK_TYPE_SPIN_BUTTON, "prune_spin")), 0.5);
  g_assert_true (gtk_widget_activate_action (export, "export.save-to", "s", export_path));
  g_assert_true (ui_test_wait_until (file_exists, export_path, 20000));
  g_assert_true (ui_test_wait_until (no_export_window, NULL, 10000));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(WlModel) exported = wl_model_file_load (export_path, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (wl_model_get_storage (exported), ==, WL_MODEL_STORAGE_INT8 | WL_MODEL_STORAGE_PRUNED);
  }

  /* Its input file changed: Measure says so, naming the file, and a test
   * file chosen instead is measured. */
  {
    g_autoptr(WlStore) store = wl_store_open (f->store_path, NULL);
    g_autoptr(WlRunRecord) record = wl_store_get_run (store, linear, NULL);
    g_autofree char *other = ui_test_write_csv (300);
    g_autofree char *name = g_path_get_basename (other);
    g_autofree char *described = g_strdup_printf ("Test file: %s", name);
    g_autofree char *contents = NULL;
    GtkLabel *message;

    g_assert_true (g_file_get_contents (record->dataset, &contents, NULL, NULL));
    g_assert_true (g_file_set_contents (record->dataset, "label,text\nfood,one more dinner\n", -1, NULL));
    g_assert_true (gtk_widget_activate_action (f->page, "runs.export", "x", linear));
    g_assert_true (ui_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (WL_TYPE_EXPORT_WINDOW), 10000));
    export = find_toplevel (WL_TYPE_EXPORT_WINDOW);
    message = GTK_LABEL (find (export, GTK_TYPE_LABEL, "message_label"));
    g_assert_true (gtk_widget_activate_action (export, "export.measure", NULL));
    g_assert_true (ui_test_wait_until (label_visible, message, 20000));
    g_assert_nonnull (strstr (gtk_label_get_text (message), record->dataset));
    g_assert_nonnull (strstr (gtk_label_get_text (message), "changed"));
    g_assert_nonnull (strstr (gtk_label_get_text (message), "Choose Test File…"));
    g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (find (export, GTK_TYPE_LABEL, "test_label"))),
                                     "The test part of run "));
    if (g_getenv ("WL_UI_SHOTS") != NULL)
      {
        ui_test_run_for (500);
        ui_test_shot (export, "runs-export-changed");
      }
    g_assert_true (gtk_widget_activate_action (export, "export.test-file", "s", other));
    g_assert_true (ui_test_wait_until (card_filled, find (export, GTK_TYPE_GRID, "card_grid"), 60000));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (find (export, GTK_TYPE_LABEL, "test_label"))), ==,
                     described);
    gtk_window_destroy (GTK_WINDOW (export));
    g_assert_true (ui_test_wait_until (no_export_window, NULL, 10000));
    g_assert_true (g_file_set_contents (record->dataset, contents, -1, NULL));
    ui_test_remove (other);
  }

  /* Delete, after the question */
  g_assert_true (gtk_widget_activate_action (f->page, "runs.delete", "x", bag));
  g_assert_true (ui_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), 10000));
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_rows (f, 1);
  wait = (StoreWait) { f, bag };
  g_assert_true (run_is_gone (&wait));

  /* Train again: the stored settings come back (2 epochs, linear) */
  wl_session_get_config (f->session)->model.epochs = 7;
  wl_session_get_config (f->session)->model.type = WL_MODEL_EMBEDDING_BAG;
  g_assert_true (gtk_widget_activate_action (f->page, "runs.rerun", "x", linear));
  g_assert_true (ui_test_wait_until (session_busy, f->session, 10000));
  g_assert_cmpuint (wl_session_get_config (f->session)->model.epochs, ==, 2);
  g_assert_cmpint (wl_session_get_config (f->session)->model.type, ==, WL_MODEL_LINEAR);
  g_assert_true (ui_test_wait_until (nothing_recording, f, 60000));
  again = wl_session_get_run_id (f->session);
  g_assert_cmpint (again, >, bag);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "runs"));
  wait_rows (f, 2);
  again_record = stored_run (f, again);
  g_assert_cmpstr (again_record->model, ==, "linear");
  g_assert_cmpuint (again_record->epochs_run, ==, 2);
  g_assert_cmpint (again_record->state, ==, WL_RUN_STATE_FINISHED);
}

/* A run stopped after a few epochs goes on from its last checkpoint to
 * the end: the same run in the store, its epochs and the Train page's
 * curves continuing. */
static void
test_runs_page_resume (Fixture       *f,
                       gconstpointer  data)
{
  WlConfig *config = wl_session_get_config (f->session);
  g_autoptr(WlRunRecord) stopped = NULL, resumed = NULL;
  g_autoptr(WlCheckpointRecord) last = NULL;
  GPtrArray *events;
  GtkWidget *train_page, *resume_button;
  WlLineChart *chart;
  guint next_epoch = 1;
  double elapsed = 0;
  gint64 id;

  /* Enough epochs that the stop lands well before the end. */
  config->model.epochs = N_RESUME_EPOCHS;
  config->model.patience = 0;
  g_signal_connect (f->session, "run-event", G_CALLBACK (stop_at_epoch_2), NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.train", NULL));
  g_assert_true (ui_test_wait_until (nothing_recording, f, 60000));
  g_signal_handlers_disconnect_by_func (f->session, stop_at_epoch_2, NULL);
  g_assert_cmpint (wl_session_get_state (f->session), ==, WL_SESSION_CANCELLED);
  id = wl_session_get_run_id (f->session);

  stopped = stored_run (f, id);
  g_assert_cmpint (stopped->state, ==, WL_RUN_STATE_CANCELLED);
  g_assert_cmpuint (stopped->epochs_run, <, N_RESUME_EPOCHS);
  {
    g_autoptr(WlStore) store = wl_store_open (f->store_path, NULL);

    last = wl_store_get_checkpoint (store, id, WL_CHECKPOINT_LAST, NULL);
  }
  g_assert_nonnull (last);
  g_assert_cmpuint (last->epoch, >=, 1);

  /* The page offers to resume it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "runs"));
  wait_rows (f, 1);
  select_run (f, id, "Run 1");
  resume_button = find (f->page, GTK_TYPE_BUTTON, "resume_button");
  g_assert_true (gtk_widget_get_visible (resume_button));
  g_assert_true (gtk_widget_is_sensitive (resume_button));
  ui_test_shot (GTK_WIDGET (f->window), "runs-stopped");

  /* Stop kept the run's checkpoints: Save gives its best epoch's model,
   * a model file that loads. */
  g_assert_true (gtk_widget_is_sensitive (find (f->page, GTK_TYPE_BUTTON, "save_button")));
  {
    g_autofree char *model_path = g_build_filename (f->dir, "stopped.wlm", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(WlModel) model = NULL;

    g_assert_true (gtk_widget_activate_action (f->page, "runs.save-to", "(xs)", id, model_path));
    g_assert_true (ui_test_wait_until (file_exists, model_path, 10000));
    g_assert_true (ui_test_wait_until (file_complete, model_path, 10000));
    model = wl_model_file_load (model_path, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (model);
  }

  /* The same run id ends a second time: wait for that end, not the first. */
  g_array_set_size (f->stored, 0);
  g_assert_true (gtk_widget_activate_action (f->page, "runs.resume", "x", id));
  g_assert_true (ui_test_wait_until (session_busy, f->session, 10000));
  g_assert_cmpint (wl_session_get_run_id (f->session), ==, id);
  /* The Train page shows its curves going on. */
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (find (GTK_WIDGET (f->window),
                                                                                ADW_TYPE_VIEW_STACK,
                                                                                "stack"))), ==, "train");
  g_assert_true (ui_test_wait_until (nothing_recording, f, 60000));
  g_assert_cmpint (wl_session_get_state (f->session), ==, WL_SESSION_FINISHED);

  resumed = stored_run (f, id);
  g_assert_cmpint (resumed->state, ==, WL_RUN_STATE_FINISHED);
  g_assert_cmpuint (resumed->epochs_run, ==, N_RESUME_EPOCHS);
  g_assert_cmpuint (resumed->attempts, ==, 2);

  /* One epoch event each, in order and in time, the kept ones first. */
  events = wl_session_get_events (f->session);
  for (guint i = 0; i < events->len; i++)
    {
      const WlEvent *event = g_ptr_array_index (events, i);

      g_assert_cmpfloat (event->elapsed, >=, elapsed - 1e-9);
      elapsed = event->elapsed;
      if (event->type == WL_EVENT_EPOCH)
        g_assert_cmpuint (event->epoch, ==, next_epoch++);
    }
  g_assert_cmpuint (next_epoch, ==, N_RESUME_EPOCHS + 1);
  train_page = wl_window_get_page (f->window, "train");
  chart = WL_LINE_CHART (find (train_page, WL_TYPE_LINE_CHART, "accuracy_chart"));
  g_assert_cmpuint (wl_line_chart_get_n_points (chart, 0), ==, N_RESUME_EPOCHS);
  /* Every epoch, the kept ones and the resumed ones, is in a Training span on
   * the charts: the replayed stages end before the next ones start. */
  for (guint i = 0; i < events->len; i++)
    {
      const WlEvent *event = g_ptr_array_index (events, i);

      if (event->type == WL_EVENT_EPOCH)
        g_assert_cmpstr (wl_line_chart_get_span_label (chart, event->elapsed), ==,
                         wl_stage_label (WL_STAGE_TRAIN));
    }
  ui_test_shot (GTK_WIDGET (f->window), "runs-resumed-train");
}

/* A run that failed on its input before its first epoch ended is not
 * offered for resume: Resume shows but is insensitive, its tooltip says
 * why. */
static void
test_runs_page_failed (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WlRunRecord) failed = NULL;
  GtkWidget *resume_button;
  const char *tooltip;
  gint64 id;

  /* The file goes bad after the Data page read it: the run reads it again. */
  g_assert_true (g_file_set_contents (f->csv, "label,text\nsport,a,b,c\n", -1, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.train", NULL));
  g_assert_true (ui_test_wait_until (nothing_recording, f, 60000));
  g_assert_cmpint (wl_session_get_state (f->session), ==, WL_SESSION_FAILED);
  id = wl_session_get_run_id (f->session);
  failed = stored_run (f, id);
  g_assert_cmpint (failed->state, ==, WL_RUN_STATE_FAILED);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "runs"));
  wait_rows (f, 1);
  select_run (f, id, "Run 1");
  resume_button = find (f->page, GTK_TYPE_BUTTON, "resume_button");
  g_assert_true (gtk_widget_get_visible (resume_button));
  g_assert_false (gtk_widget_is_sensitive (resume_button));
  tooltip = gtk_widget_get_tooltip_text (resume_button);
  g_assert_nonnull (strstr (tooltip, "failed before its first epoch ended"));
  g_assert_nonnull (strstr (tooltip, "start a new run"));
}

typedef struct
{
  guint removed;
  guint added;
} Changes;

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               Changes    *changes)
{
  changes->removed += removed;
  changes->added += added;
}

static void
pause_at_epoch_1 (WlSession     *session,
                  const WlEvent *event,
                  gpointer       data)
{
  if (event->type == WL_EVENT_EPOCH && event->epoch == 1)
    wl_session_set_paused (session, TRUE);
}

static gboolean
session_paused (gpointer data)
{
  return wl_session_get_state (data) == WL_SESSION_PAUSED;
}

/* A run trained while the list shows another: it is added as one item
 * when it starts, and that item is updated in place when it ends (its
 * cells show it again); the other run keeps its item and its row's
 * widgets.  The list was made anew from the store after each run. */
static void
test_runs_page_incremental (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *view = find (f->page, GTK_TYPE_COLUMN_VIEW, "column_view");
  WlConfig *config = wl_session_get_config (f->session);
  g_autoptr(WlRunItem) first = NULL, added = NULL, first_after = NULL, added_after = NULL;
  g_autoptr(GtkWidget) first_name = NULL;
  Changes changes = { 0 };
  guint notified = 0;
  gulong handler;

  train (f, WL_MODEL_LINEAR, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "runs"));
  wait_rows (f, 1);
  g_assert_true (ui_test_wait_until (newest_finished, f, 10000));
  ui_test_run_for (200);
  first = g_list_model_get_item (rows (f), 0);
  first_name = find_label (view, "Run 1");
  g_assert_nonnull (first_name);
  g_object_ref (first_name);
  g_assert_null (find_label (view, "300"));
  g_signal_connect (rows (f), "items-changed", G_CALLBACK (count_changes), &changes);

  /* Listed while it trains (paused, so that it cannot end first; enough
   * epochs that the pause lands before the end)… */
  handler = g_signal_connect (f->session, "run-event", G_CALLBACK (pause_at_epoch_1), NULL);
  config->model.epochs = N_RESUME_EPOCHS;
  wl_session_config_changed (f->session);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.train", NULL));
  g_assert_true (ui_test_wait_until (session_paused, f->session, 60000));
  g_signal_handler_disconnect (f->session, handler);
  wait_rows (f, 2);
  added = g_list_model_get_item (rows (f), 0);
  g_assert_cmpint (wl_run_item_get_record (added)->state, ==, WL_RUN_STATE_RUNNING);
  g_assert_cmpuint (changes.added, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_signal_connect (added, "notify::record", G_CALLBACK (ui_test_count_notify), &notified);

  /* …and its end shown in place. */
  wl_session_set_paused (f->session, FALSE);
  g_assert_true (ui_test_wait_until (nothing_recording, f, 60000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "runs"));
  g_assert_true (ui_test_wait_until (newest_finished, f, 10000));
  ui_test_run_for (200);
  g_assert_cmpuint (g_list_model_get_n_items (rows (f)), ==, 2);
  g_assert_cmpuint (changes.added, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (notified, >=, 1);
  added_after = g_list_model_get_item (rows (f), 0);
  first_after = g_list_model_get_item (rows (f), 1);
  g_assert_true (added_after == added);
  g_assert_true (first_after == first);
  g_assert_cmpuint (wl_run_item_get_record (added)->epochs_run, ==, N_RESUME_EPOCHS);
  /* The rows' widgets: the first run's kept, the new run's epochs shown. */
  g_assert_true (find_label (view, "Run 1") == first_name);
  g_assert_nonnull (find_label (view, G_STRINGIFY (N_RESUME_EPOCHS)));
  g_signal_handlers_disconnect_by_data (rows (f), &changes);
  g_signal_handlers_disconnect_by_data (added, &notified);
}

int
main (int argc, char *argv[])
{
  ui_test_init (&argc, &argv);
  g_test_add ("/runs-page/empty", Fixture, GUINT_TO_POINTER (300),
              fixture_set_up, test_runs_page_empty, fixture_tear_down);
  g_test_add ("/runs-page/runs", Fixture, GUINT_TO_POINTER (900),
              fixture_set_up, test_runs_page_runs, fixture_tear_down);
  g_test_add ("/runs-page/resume", Fixture, GUINT_TO_POINTER (3000),
              fixture_set_up, test_runs_page_resume, fixture_tear_down);
  g_test_add ("/runs-page/incremental", Fixture, GUINT_TO_POINTER (900),
              fixture_set_up, test_runs_page_incremental, fixture_tear_down);
  g_test_add ("/runs-page/failed", Fixture, GUINT_TO_POINTER (300),
              fixture_set_up, test_runs_page_failed, fixture_tear_down);
  return g_test_run ();
}
