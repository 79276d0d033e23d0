/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-data-page.c: the Data page in the real window: loading a file, the
 * preview, the label chart, the column pickers and the session, the format
 * overrides, bad rows, cancelling. */
#include <string.h>

#include "ui-test-util.h"
#include "pages/wl-data-rows.h"
#include "widgets/wl-bar-chart.h"

typedef struct
{
  WlWindow  *window;
  WlSession *session;
  GtkWidget *page;
  char      *path;
  guint      errors;     /* ::error signals: toasts */
} Fixture;

static void
on_error (WlSession    *session,
          const GError *error,
          Fixture      *f)
{
  f->errors++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->window = ui_test_window_new ();
  f->session = wl_window_get_session (f->window);
  f->page = wl_window_get_page (f->window, "data");
  g_signal_connect (f->session, "error", G_CALLBACK (on_error), f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "data"));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  ui_test_run_for (50);
  if (f->path != NULL)
    ui_test_remove (f->path);
  g_free (f->path);
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

/* The @n-th descendant of @root of type @type, depth first. */
static GtkWidget *
nth_widget (GtkWidget *root,
            GType      type,
            guint      n)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  guint seen = 0;

  g_ptr_array_add (stack, root);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && seen++ == n)
        return widget;
      for (GtkWidget *child = gtk_widget_get_last_child (widget); child != NULL;
           child = gtk_widget_get_prev_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_assert_not_reached ();
}

static GListModel *
preview_model (Fixture *f)
{
  return G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (find (f, GTK_TYPE_COLUMN_VIEW,
                                                                         "preview"))));
}

static const char *
content (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (find (f, GTK_TYPE_STACK, "content_stack")));
}

static const char *
page_state (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (find (f, GTK_TYPE_STACK, "stack")));
}

static gboolean
shows_preview (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (page_state (f), "file") == 0 && g_strcmp0 (content (f), "preview") == 0 &&
         preview_model (f) != NULL;
}

static gboolean
shows_error (gpointer data)
{
  return g_strcmp0 (content (data), "error") == 0;
}

/* Loads @path through data.load and waits for the preview. */
static void
load (Fixture    *f,
      const char *path)
{
  g_assert_true (gtk_widget_activate_action (f->page, "data.load", "s", path));
  g_assert_cmpstr (content (f), ==, "loading");
  g_assert_true (ui_test_wait_until (shows_preview, f, 10000));
}

static guint
n_columns (Fixture *f)
{
  return g_list_model_get_n_items (gtk_column_view_get_columns (GTK_COLUMN_VIEW (
                                     find (f, GTK_TYPE_COLUMN_VIEW, "preview"))));
}

static const char *
column_title (Fixture *f,
              guint    i)
{
  GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (find (f, GTK_TYPE_COLUMN_VIEW,
                                                                            "preview")));
  g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

  return gtk_column_view_column_get_title (column);
}

static WlDataConfig *
data_config (Fixture *f)
{
  return &wl_session_get_config (f->session)->data;
}

typedef struct
{
  Fixture    *f;
  const char *needle;
} SampleWait;

/* The session's sample has 200 texts and the first contains @needle. */
static gboolean
sample_has (gpointer data)
{
  SampleWait *w = data;
  guint n;
  const char * const *texts = wl_session_get_sample (w->f->session, &n);

  return n == 200 && strstr (texts[0], w->needle) != NULL;
}

static void
test_data_page_load (Fixture       *f,
                     gconstpointer  data)
{
  WlBarChart *chart;
  g_autoptr(GSettings) settings = g_settings_new ("org.wordloom.Wordloom");
  g_auto(GStrv) recent = NULL;
  g_autofree char *session_path = NULL;
  SampleWait wait = { f, " " };

  f->path = ui_test_write_csv (300);
  load (f, f->path);

  /* The preview: every row, a line column and the header's columns. */
  g_assert_cmpuint (g_list_model_get_n_items (preview_model (f)), ==, 300);
  g_assert_cmpuint (n_columns (f), ==, 4);
  g_assert_cmpstr (column_title (f, 0), ==, "Line");
  g_assert_cmpstr (column_title (f, 1), ==, "label (label)");
  g_assert_cmpstr (column_title (f, 2), ==, "title");
  g_assert_cmpstr (column_title (f, 3), ==, "text (text)");

  /* The label chart: three classes of 100 rows. */
  chart = WL_BAR_CHART (find (f, WL_TYPE_BAR_CHART, "chart"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (chart)));
  g_assert_cmpuint (wl_bar_chart_get_n_bars (chart), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (wl_bar_chart_get_count (chart, i), ==, 100);
  g_assert_cmpstr (wl_bar_chart_get_name (chart, 0), ==, "sport");

  /* The session: the file, the suggested columns, a sample. */
  session_path = g_file_get_path (wl_session_get_file (f->session));
  g_assert_cmpstr (session_path, ==, f->path);
  g_assert_cmpstr (data_config (f)->label_column, ==, "label");
  g_assert_cmpuint (g_strv_length (data_config (f)->text_columns), ==, 1);
  g_assert_cmpstr (data_config (f)->text_columns[0], ==, "text");
  g_assert_true (ui_test_wait_until (sample_has, &wait, 5000));
  g_assert_cmpuint (wl_session_get_n_rows (f->session), ==, 300);

  /* The recent files, newest first. */
  recent = g_settings_get_strv (settings, "recent-files");
  g_assert_cmpstr (recent[0], ==, f->path);
  g_assert_cmpuint (f->errors, ==, 0);

  ui_test_shot (GTK_WIDGET (f->window), "data-page-loaded");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_shot (GTK_WIDGET (f->window), "data-page-loaded-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  ui_test_run_for (100);
  ui_test_shot (GTK_WIDGET (f->window), "data-page-small");
}

/* A file that another page sets on the session (Re-run, Resume) is read. */
static void
test_data_page_follows_session (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;

  f->path = ui_test_write_csv (120);
  file = g_file_new_for_path (f->path);
  wl_session_set_file (f->session, file);
  g_assert_true (ui_test_wait_until (shows_preview, f, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (preview_model (f)), ==, 120);
}

static void
test_data_page_columns (Fixture       *f,
                        gconstpointer  data)
{
  AdwComboRow *label_row;
  AdwExpanderRow *text_row;
  GtkCheckButton *title_check;
  WlBarChart *chart;
  SampleWait wait = { f, "Item" };

  f->path = ui_test_write_csv (300);
  load (f, f->path);
  label_row = ADW_COMBO_ROW (find (f, ADW_TYPE_COMBO_ROW, "label_row"));
  text_row = ADW_EXPANDER_ROW (find (f, ADW_TYPE_EXPANDER_ROW, "text_row"));
  chart = WL_BAR_CHART (find (f, WL_TYPE_BAR_CHART, "chart"));

  /* A second text column: the config names both, the sample joins them.
   * The checks are in column order: label, title, text. */
  adw_expander_row_set_expanded (text_row, TRUE);
  title_check = GTK_CHECK_BUTTON (nth_widget (GTK_WIDGET (text_row), GTK_TYPE_CHECK_BUTTON, 1));
  g_assert_false (gtk_check_button_get_active (title_check));
  gtk_check_button_set_active (title_check, TRUE);
  g_assert_cmpuint (g_strv_length (data_config (f)->text_columns), ==, 2);
  g_assert_cmpstr (data_config (f)->text_columns[0], ==, "title");
  g_assert_cmpstr (data_config (f)->text_columns[1], ==, "text");
  g_assert_true (ui_test_wait_until (sample_has, &wait, 5000));
  g_assert_nonnull (strstr (wl_session_get_sample (f->session, NULL)[0], "Item 1\n"));
  g_assert_cmpstr (column_title (f, 2), ==, "title (text)");

  /* The title as the label: it leaves the text columns; 300 classes, 15 drawn. */
  adw_combo_row_set_selected (label_row, 1);
  g_assert_cmpstr (data_config (f)->label_column, ==, "title");
  g_assert_cmpuint (g_strv_length (data_config (f)->text_columns), ==, 1);
  g_assert_cmpstr (data_config (f)->text_columns[0], ==, "text");
  g_assert_cmpuint (wl_bar_chart_get_n_bars (chart), ==, 15);
  g_assert_cmpuint (wl_bar_chart_get_count (chart, 0), ==, 1);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (title_check)));
  g_assert_cmpstr (column_title (f, 2), ==, "title (label)");
  ui_test_shot (GTK_WIDGET (f->window), "data-page-title-label");

  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find (f, GTK_TYPE_LABEL, "chart_note"))),
                            "285 more classes"));

  /* Back to the label column. */
  adw_combo_row_set_selected (label_row, 0);
  g_assert_cmpstr (data_config (f)->label_column, ==, "label");
  g_assert_cmpuint (wl_bar_chart_get_n_bars (chart), ==, 3);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (title_check)));
}

static void
test_data_page_not_labels (Fixture       *f,
                           gconstpointer  data)
{
  AdwComboRow *label_row;
  WlBarChart *chart;

  /* 1,200 titles: more different values than a label column has. */
  f->path = ui_test_write_csv (1200);
  load (f, f->path);
  label_row = ADW_COMBO_ROW (find (f, ADW_TYPE_COMBO_ROW, "label_row"));
  chart = WL_BAR_CHART (find (f, WL_TYPE_BAR_CHART, "chart"));
  g_assert_cmpuint (wl_bar_chart_get_count (chart, 0), ==, 400);

  adw_combo_row_set_selected (label_row, 1);
  g_assert_cmpstr (data_config (f)->label_column, ==, "title");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (chart)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (find (f, GTK_TYPE_LABEL, "chart_note"))),
                            "does not look like"));
  g_assert_cmpuint (g_strv_length (data_config (f)->text_columns), ==, 1);
  g_assert_cmpstr (data_config (f)->text_columns[0], ==, "text");
}

static void
test_data_page_separator (Fixture       *f,
                          gconstpointer  data)
{
  AdwComboRow *separator_row;

  f->path = ui_test_write_csv (300);
  load (f, f->path);
  separator_row = ADW_COMBO_ROW (find (f, ADW_TYPE_COMBO_ROW, "separator_row"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (separator_row)), ==, "Found: comma");

  /* Semicolon: every line is one field. */
  adw_combo_row_set_selected (separator_row, 3);
  g_assert_cmpuint (data_config (f)->separator, ==, ';');
  g_assert_cmpstr (content (f), ==, "loading");
  g_assert_true (ui_test_wait_until (shows_preview, f, 10000));
  g_assert_cmpuint (n_columns (f), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (preview_model (f)), ==, 300);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (separator_row)), ==, "");

  /* Back to automatic: the picked columns come back. */
  adw_combo_row_set_selected (separator_row, 0);
  g_assert_true (ui_test_wait_until (shows_preview, f, 10000));
  g_assert_cmpuint (n_columns (f), ==, 4);
  g_assert_cmpuint (data_config (f)->separator, ==, 0);
}

static void
test_data_page_bad_row (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-ui-XXXXXX", NULL);
  AdwStatusPage *error_page;
  AdwExpanderRow *bad_rows;
  GtkWidget *line_row;

  f->path = g_build_filename (dir, "bad.csv", NULL);
  g_assert_true (g_file_set_contents (f->path,
                                      "label,text\n"
                                      "a,first text\n"
                                      "b,second text\n"
                                      "a,third text\n"
                                      "b,fourth,text\n"
                                      "a,fifth text\n", -1, NULL));
  g_assert_true (gtk_widget_activate_action (f->page, "data.load", "s", f->path));
  g_assert_true (ui_test_wait_until (shows_error, f, 10000));
  error_page = ADW_STATUS_PAGE (find (f, ADW_TYPE_STATUS_PAGE, "error_page"));
  g_assert_nonnull (strstr (adw_status_page_get_description (error_page), "bad.csv:5:"));
  g_assert_cmpuint (f->errors, ==, 1);
  g_assert_true (gtk_widget_get_visible (find (f, GTK_TYPE_BUTTON, "skip_button")));
  ui_test_shot (GTK_WIDGET (f->window), "data-page-bad-row");

  /* Skipping: four rows, the skipped one listed by its line. */
  g_signal_emit_by_name (find (f, GTK_TYPE_BUTTON, "skip_button"), "clicked");
  g_assert_true (data_config (f)->skip_bad_rows);
  g_assert_true (ui_test_wait_until (shows_preview, f, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (preview_model (f)), ==, 4);
  bad_rows = ADW_EXPANDER_ROW (find (f, ADW_TYPE_EXPANDER_ROW, "bad_rows_row"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bad_rows)));
  adw_expander_row_set_expanded (bad_rows, TRUE);
  line_row = nth_widget (GTK_WIDGET (bad_rows), ADW_TYPE_ACTION_ROW, 1);   /* 0: its header */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (line_row)), ==, "Line 5");
  ui_test_shot (GTK_WIDGET (f->window), "data-page-skipped");
}

/* A GBK CSV with a row whose quote never closes: the Encoding row shows
 * what was found, the checks show the row read with its quote as text and
 * its line; a file whose encoding cannot be told points to the Encoding
 * row, and picking one there reads it. */
static void
test_data_page_encoding (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-ui-XXXXXX", NULL);
  g_autoptr(GString) text = g_string_new ("label,text\n");
  g_autoptr(GString) noise = g_string_new ("label\ttext\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autofree char *gbk = NULL;
  g_autofree char *noise_path = NULL;
  AdwComboRow *encoding_row;
  AdwActionRow *quote_row;
  AdwStatusPage *error_page;
  gsize length;

  for (guint i = 0; i < 40; i++)
    g_string_append_printf (text, "%s,%s这家酒店的服务很好，房间干净，第%u条\n",
                            i % 2 ? "正面" : "负面", i == 7 ? "\"" : "", i);
  gbk = g_convert (text->str, text->len, "GBK", "UTF-8", NULL, &length, NULL);
  f->path = g_build_filename (dir, "hotel.csv", NULL);
  g_assert_true (g_file_set_contents (f->path, gbk, length, NULL));
  g_assert_true (gtk_widget_activate_action (f->page, "data.load", "s", f->path));
  g_assert_true (ui_test_wait_until (shows_preview, f, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (preview_model (f)), ==, 40);
  encoding_row = ADW_COMBO_ROW (find (f, ADW_TYPE_COMBO_ROW, "encoding_row"));
  /* The detector's confidence is its own: only its form is checked. */
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (encoding_row)),
                                   "Found: GB18030, "));
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (encoding_row)),
                                   "% sure"));
  quote_row = ADW_ACTION_ROW (find (f, ADW_TYPE_ACTION_ROW, "loose_row"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (quote_row)));
  g_assert_cmpstr (adw_action_row_get_subtitle (quote_row), ==,
                   "1 row whose quotes do not follow CSV rules, read as written (line 9)");
  ui_test_shot (GTK_WIDGET (f->window), "data-page-encoding");

  for (guint i = 0; i < 60; i++)
    {
      g_string_append (noise, i % 2 ? "a\t" : "b\t");
      for (guint k = 0; k < 40; k++)
        g_string_append_c (noise, (char) g_rand_int_range (rand, 0x80, 0x100));
      g_string_append_c (noise, '\n');
    }
  noise_path = g_build_filename (dir, "noise.tsv", NULL);
  g_assert_true (g_file_set_contents (noise_path, noise->str, noise->len, NULL));
  g_assert_true (gtk_widget_activate_action (f->page, "data.load", "s", noise_path));
  g_assert_true (ui_test_wait_until (shows_error, f, 10000));
  error_page = ADW_STATUS_PAGE (find (f, ADW_TYPE_STATUS_PAGE, "error_page"));
  g_assert_cmpstr (adw_status_page_get_title (error_page), ==, "The Encoding Is Unclear");
  g_assert_nonnull (strstr (adw_status_page_get_description (error_page), "Encoding row"));
  g_assert_null (strstr (adw_status_page_get_description (error_page), "--"));

  /* windows-1252, the last choice: read, and what runs uses it. */
  adw_combo_row_set_selected (encoding_row, 10);
  g_assert_cmpstr (data_config (f)->encoding, ==, "windows-1252");
  g_assert_true (ui_test_wait_until (shows_preview, f, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (preview_model (f)), ==, 60);
  ui_test_remove (noise_path);
}

static void
test_data_page_cancel (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *small = ui_test_write_csv (30);

  f->path = ui_test_write_csv (100000);

  /* Nothing open yet: cancelling goes back to the start, and the result
   * of the cancelled thread is ignored. */
  g_assert_true (gtk_widget_activate_action (f->page, "data.load", "s", f->path));
  g_assert_cmpstr (content (f), ==, "loading");
  g_assert_true (gtk_widget_activate_action (f->page, "data.cancel", NULL));
  g_assert_cmpstr (page_state (f), ==, "empty");
  ui_test_run_for (500);
  g_assert_cmpstr (page_state (f), ==, "empty");
  g_assert_null (wl_session_get_file (f->session));
  g_assert_cmpuint (f->errors, ==, 0);
  ui_test_shot (GTK_WIDGET (f->window), "data-page-empty");

  /* With a file open: a second load cancelled keeps the first. */
  load (f, small);
  g_assert_true (gtk_widget_activate_action (f->page, "data.load", "s", f->path));
  g_assert_true (gtk_widget_activate_action (f->page, "data.cancel", NULL));
  g_assert_true (shows_preview (f));
  g_assert_cmpuint (g_list_model_get_n_items (preview_model (f)), ==, 30);

  /* A new file while one loads replaces it. */
  g_assert_true (gtk_widget_activate_action (f->page, "data.load", "s", f->path));
  g_assert_true (gtk_widget_activate_action (f->page, "data.load", "s", small));
  g_assert_true (ui_test_wait_until (shows_preview, f, 10000));
  ui_test_run_for (300);
  g_assert_cmpuint (g_list_model_get_n_items (preview_model (f)), ==, 30);
  ui_test_remove (small);
}

static GtkDropTarget *
drop_target (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  g_assert_not_reached ();
}

static void
test_data_page_drop_and_recent (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.wordloom.Wordloom");
  g_autofree char *other = ui_test_write_csv (40);
  g_autoptr(GFile) file = NULL;
  GValue value = G_VALUE_INIT;
  GtkListBox *recent;
  GtkWidget *row;
  gboolean dropped = FALSE;
  const char *paths[2] = { NULL, NULL };

  /* A file dropped on the page is read. */
  f->path = ui_test_write_csv (20);
  file = g_file_new_for_path (f->path);
  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, file);
  g_signal_emit_by_name (drop_target (f->page), "drop", &value, 10.0, 10.0, &dropped);
  g_value_unset (&value);
  g_assert_true (dropped);
  g_assert_true (ui_test_wait_until (shows_preview, f, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (preview_model (f)), ==, 20);

  /* The recent files: a row per file, newest first; a row opens its file. */
  paths[0] = other;
  g_settings_set_strv (settings, "recent-files", paths);
  recent = GTK_LIST_BOX (find (f, GTK_TYPE_LIST_BOX, "recent_list"));
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (recent, 0));
  g_assert_nonnull (row);
  g_assert_null (gtk_list_box_get_row_at_index (recent, 1));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "data.csv");
  g_assert_true (gtk_widget_activate (row));
  g_assert_true (ui_test_wait_until (shows_preview, f, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (preview_model (f)), ==, 40);
  ui_test_remove (other);
}

static void
count_rows_changed (GListModel *model,
                    guint       position,
                    guint       removed,
                    guint       added,
                    guint      *count)
{
  (*count)++;
}

static gboolean
row_is_read (gpointer row)
{
  return wl_data_row_get_read (row);
}

/* The table never reads the file on the main thread: a row not shown yet
 * comes as a placeholder, and its block, read on a worker, fills it in
 * (notify::read) rather than replacing it, so that the view keeps the
 * row's widgets. */
static void
test_data_page_rows_on_worker (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(WlDataRow) placeholder = NULL, row = NULL;
  guint changed = 0, read = 0;
  GListModel *model;
  gulong handler;

  f->path = ui_test_write_csv (300);
  load (f, f->path);
  model = preview_model (f);
  handler = g_signal_connect (model, "items-changed", G_CALLBACK (count_rows_changed), &changed);
  placeholder = g_list_model_get_item (model, 280);
  g_signal_connect (placeholder, "notify::read", G_CALLBACK (ui_test_count_notify), &read);
  g_assert_false (wl_data_row_get_read (placeholder));
  g_assert_cmpstr (wl_data_row_get_field (placeholder, 1), ==, "");
  g_assert_cmpuint (wl_data_row_get_line (placeholder), ==, 282);
  g_assert_true (ui_test_wait_until (row_is_read, placeholder, 10000));
  g_assert_cmpuint (read, ==, 1);
  g_assert_cmpstr (wl_data_row_get_field (placeholder, 0), ==, "food");
  g_assert_cmpstr (wl_data_row_get_field (placeholder, 1), ==, "Item 281");
  g_assert_cmpuint (wl_data_row_get_line (placeholder), ==, 282);
  /* The same item, and no items-changed: the views keep what they show. */
  row = g_list_model_get_item (model, 280);
  g_assert_true (row == placeholder);
  g_assert_cmpuint (changed, ==, 0);
  g_signal_handler_disconnect (model, handler);
}

/* The subtitle of the text column row of the column named @name. */
static const char *
column_subtitle (Fixture    *f,
                 const char *name)
{
  for (guint n = 0;; n++)
    {
      GtkWidget *row = nth_widget (f->page, ADW_TYPE_ACTION_ROW, n);

      if (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), name) &&
          !ADW_IS_COMBO_ROW (row))
        return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
    }
}

/* A column's values and mean length in the plural forms of their counts:
 * "1 byte", "2 bytes", "1 different value". */
static void
test_data_page_column_plurals (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-ui-XXXXXX", NULL);

  f->path = g_build_filename (dir, "plurals.csv", NULL);
  g_assert_true (g_file_set_contents (f->path,
                                      "label,text,one\n"
                                      "a,xy,k\nb,xy,k\na,xy,k\nb,xy,k\na,xy,k\nb,xy,k\n", -1, NULL));
  load (f, f->path);
  g_assert_cmpstr (column_subtitle (f, "label"), ==, "2 different values, 1 byte on average");
  g_assert_cmpstr (column_subtitle (f, "text"), ==, "1 different value, 2 bytes on average");
  g_assert_cmpstr (column_subtitle (f, "one"), ==, "1 different value, 1 byte on average");
}

/* The title is a property that notifies when it changes, and only then;
 * it names the chart for a screen reader. */
static void
test_bar_chart_properties (void)
{
  WlBarChart *chart = g_object_ref_sink (WL_BAR_CHART (wl_bar_chart_new ()));
  guint title = 0;
  g_autofree char *got = NULL;

  g_signal_connect (chart, "notify::title", G_CALLBACK (ui_test_count_notify), &title);
  wl_bar_chart_set_title (chart, "Labels");
  wl_bar_chart_set_title (chart, "Labels");
  g_object_set (chart, "title", "Labels", NULL);
  g_assert_cmpuint (title, ==, 1);
  g_object_set (chart, "title", "Classes", NULL);
  g_assert_cmpuint (title, ==, 2);
  g_object_get (chart, "title", &got, NULL);
  g_assert_cmpstr (got, ==, "Classes");
  g_assert_cmpstr (wl_bar_chart_get_title (chart), ==, "Classes");
  g_object_unref (chart);
}

static double
luminance (const GdkRGBA *c)
{
  return 0.2126 * c->red + 0.7152 * c->green + 0.0722 * c->blue;
}

/* The bars' colour comes from the style, looked up when it changes: a
 * lighter one in the dark style, and back again. */
static void
test_bar_chart_style (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkWidget *window = gtk_window_new ();
  WlBarChart *chart = WL_BAR_CHART (wl_bar_chart_new ());
  const char *names[2] = { "spam", "ham" };
  guint64 counts[2] = { 30, 70 };
  GdkRGBA light, dark, again;

  wl_bar_chart_set_bars (chart, names, counts, 2, 0);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_run_for (300);
  wl_bar_chart_get_bar_color (chart, &light);
  ui_test_shot (window, "bar-chart-light");

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_run_for (300);
  ui_test_shot (window, "bar-chart-dark");
  wl_bar_chart_get_bar_color (chart, &dark);
  g_assert_cmpfloat (luminance (&dark), >, luminance (&light));

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  ui_test_run_for (300);
  wl_bar_chart_get_bar_color (chart, &again);
  g_assert_true (gdk_rgba_equal (&again, &light));
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/bar-chart/properties", test_bar_chart_properties);
  g_test_add_func ("/bar-chart/style", test_bar_chart_style);
  g_test_add ("/data-page/load", Fixture, NULL, fixture_setup, test_data_page_load, fixture_teardown);
  g_test_add ("/data-page/column-plurals", Fixture, NULL, fixture_setup, test_data_page_column_plurals,
              fixture_teardown);
  g_test_add ("/data-page/rows-on-worker", Fixture, NULL, fixture_setup, test_data_page_rows_on_worker,
              fixture_teardown);
  g_test_add ("/data-page/follows-session", Fixture, NULL, fixture_setup,
              test_data_page_follows_session, fixture_teardown);
  g_test_add ("/data-page/columns", Fixture, NULL, fixture_setup, test_data_page_columns,
              fixture_teardown);
  g_test_add ("/data-page/not-labels", Fixture, NULL, fixture_setup, test_data_page_not_labels,
              fixture_teardown);
  g_test_add ("/data-page/separator", Fixture, NULL, fixture_setup, test_data_page_separator,
              fixture_teardown);
  g_test_add ("/data-page/bad-row", Fixture, NULL, fixture_setup, test_data_page_bad_row,
              fixture_teardown);
  g_test_add ("/data-page/encoding", Fixture, NULL, fixture_setup, test_data_page_encoding,
              fixture_teardown);
  g_test_add ("/data-page/drop-and-recent", Fixture, NULL, fixture_setup,
              test_data_page_drop_and_recent, fixture_teardown);
  g_test_add ("/data-page/cancel", Fixture, NULL, fixture_setup, test_data_page_cancel,
              fixture_teardown);
  return g_test_run ();
}
