/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-train-page.c: the line chart, and the Train page during and after real
 * runs in the window. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "pages/wl-train-page.h"
#include "ui-test-util.h"
#include "wl-format.h"
#include "eval/wl-chart-ticks.h"
#include "widgets/wl-line-chart.h"
#include "widgets/wl-verdict-view.h"

#define N_EPOCHS 4

typedef struct
{
  WlWindow  *window;
  WlSession *session;
  GtkWidget *page;
  char      *csv;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;

  f->csv = ui_test_write_csv (GPOINTER_TO_UINT (data));
  f->window = ui_test_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 600);
  f->session = wl_window_get_session (f->window);
  f->page = wl_window_get_page (f->window, "train");
  file = g_file_new_for_path (f->csv);
  wl_session_set_file (f->session, file);
  ui_test_run_for (100);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  ui_test_run_for (50);
  ui_test_remove (f->csv);
  g_free (f->csv);
}

static GtkWidget *
find (GtkWidget  *root,
      GType       type,
      const char *name)
{
  GtkWidget *widget = ui_test_find_widget (root, type, name);

  g_assert_nonnull (widget);
  return widget;
}

static WlLineChart *
chart (Fixture    *f,
       const char *name)
{
  return WL_LINE_CHART (find (f->page, WL_TYPE_LINE_CHART, name));
}

static const char *
label_text (GtkWidget  *root,
            const char *name)
{
  return gtk_label_get_text (GTK_LABEL (find (root, GTK_TYPE_LABEL, name)));
}

static void
show_train_page (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s",
                                             "train"));
}

typedef struct
{
  WlSession      *session;
  WlSessionState  state;
} StateWait;

static gboolean
state_is (gpointer data)
{
  StateWait *wait = data;

  return wl_session_get_state (wait->session) == wait->state;
}

static void
wait_state (Fixture        *f,
            WlSessionState  state,
            guint           timeout_ms)
{
  StateWait wait = { f->session, state };

  g_assert_true (ui_test_wait_until (state_is, &wait, timeout_ms));
}

static gboolean
training_drawn (gpointer data)
{
  Fixture *f = data;

  return wl_line_chart_get_n_points (chart (f, "loss_chart"), 0) >= 2;
}

/* Before any run: a status page that says what to do. */
static void
test_train_page_empty (Fixture       *f,
                       gconstpointer  data)
{
  GtkStack *stack = GTK_STACK (find (f->page, GTK_TYPE_STACK, "stack"));

  show_train_page (f);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_nonnull (ui_test_find_widget (f->page, ADW_TYPE_STATUS_PAGE, NULL));
  ui_test_shot (GTK_WIDGET (f->window), "train-empty");
}

/* A whole run: the figures and every chart fill in; a page made after the
 * run draws the same history; a second run starts the charts afresh. */
static void
test_train_page_run (Fixture       *f,
                     gconstpointer  data)
{
  GtkStack *stack = GTK_STACK (find (f->page, GTK_TYPE_STACK, "stack"));
  g_autofree char *epochs = g_strdup_printf ("%u of %u", N_EPOCHS, N_EPOCHS);
  WlLineChart *loss = chart (f, "loss_chart"), *accuracy = chart (f, "accuracy_chart");
  WlLineChart *lr = chart (f, "lr_chart"), *speed = chart (f, "speed_chart");
  GtkWidget *late, *verdict;
  guint n_loss;

  wl_session_get_config (f->session)->model.epochs = N_EPOCHS;
  wl_session_get_config (f->session)->model.patience = 0;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.train", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "run");
  g_assert_cmpstr (label_text (f->page, "state_label"), ==, "Training");
  g_assert_true (gtk_widget_get_visible (find (f->page, GTK_TYPE_BUTTON, "stop_button")));
  g_assert_false (gtk_widget_get_visible (find (f->page, GTK_TYPE_BUTTON, "start_button")));

  wait_state (f, WL_SESSION_FINISHED, 60000);
  show_train_page (f);
  ui_test_shot (GTK_WIDGET (f->window), "train-finished-light");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_shot (GTK_WIDGET (f->window), "train-finished-dark");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 900);
  ui_test_run_for (300);
  ui_test_shot (GTK_WIDGET (f->window), "train-finished-large-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);

  g_assert_cmpstr (label_text (f->page, "state_label"), ==, "Finished");
  g_assert_cmpstr (label_text (f->page, "epoch_label"), ==, epochs);
  g_assert_cmpstr (label_text (f->page, "eta_label"), ==, "—");
  g_assert_cmpstr (label_text (f->page, "speed_label"), !=, "—");
  g_assert_cmpstr (label_text (f->page, "best_label"), !=, "—");
  g_assert_true (g_str_has_prefix (label_text (f->page, "best_detail_label"),
                                   "accuracy "));
  g_assert_true (gtk_widget_get_visible (find (f->page, GTK_TYPE_BUTTON, "start_button")));
  g_assert_false (gtk_widget_get_visible (find (f->page, GTK_TYPE_BUTTON, "stop_button")));
  /* What held training back, over the whole training, in words. */
  verdict = find (f->page, WL_TYPE_VERDICT_VIEW, "verdict_view");
  g_assert_true (gtk_widget_get_visible (verdict));
  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (
                                     ADW_PREFERENCES_ROW (find (verdict, ADW_TYPE_ACTION_ROW, NULL))),
                                   "Over the Whole Training"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (
                              ADW_ACTION_ROW (find (verdict, ADW_TYPE_ACTION_ROW, NULL))), "%"));

  n_loss = wl_line_chart_get_n_points (loss, 0);
  g_assert_cmpuint (n_loss, >=, N_EPOCHS);                              /* training */
  g_assert_cmpuint (wl_line_chart_get_n_points (loss, 1), ==, N_EPOCHS); /* validation */
  g_assert_cmpuint (wl_line_chart_get_n_points (accuracy, 0), ==, N_EPOCHS);
  g_assert_cmpuint (wl_line_chart_get_n_points (accuracy, 1), ==, N_EPOCHS);
  g_assert_cmpuint (wl_line_chart_get_n_points (lr, 0), >=, N_EPOCHS);
  g_assert_cmpuint (wl_line_chart_get_n_points (speed, 0), >=, N_EPOCHS);

  /* A page made now replays the run's events. */
  late = g_object_ref_sink (wl_train_page_new (f->session));
  g_assert_cmpuint (wl_line_chart_get_n_points (WL_LINE_CHART (find (late, WL_TYPE_LINE_CHART,
                                                                     "loss_chart")), 0),
                    ==, n_loss);
  g_assert_cmpstr (label_text (late, "epoch_label"), ==, epochs);
  g_assert_cmpstr (label_text (late, "state_label"), ==, "Finished");
  g_object_unref (late);

  /* Another run: the charts hold that run only, and no verdict is left. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.train", NULL));
  g_assert_cmpuint (wl_line_chart_get_n_points (accuracy, 0), ==, 0);
  g_assert_false (gtk_widget_get_visible (verdict));
  wait_state (f, WL_SESSION_FINISHED, 60000);
  g_assert_cmpuint (wl_line_chart_get_n_points (accuracy, 0), ==, N_EPOCHS);
}

typedef struct
{
  GtkLabel *label;
  char     *text;
} LabelWait;

static gboolean
label_changed (gpointer data)
{
  LabelWait *wait = data;

  return g_strcmp0 (gtk_label_get_text (wait->label), wait->text) != 0;
}

/* Screenshots are taken from the widgets' last drawing, which a redraw
 * drops: right after the page's clock ticked, nothing moves for a while. */
static void
shot_between_ticks (Fixture    *f,
                    const char *name)
{
  LabelWait wait = { GTK_LABEL (find (f->page, GTK_TYPE_LABEL, "elapsed_label")), NULL };

  if (g_getenv ("WL_UI_SHOTS") == NULL)
    return;
  wait.text = g_strdup (gtk_label_get_text (wait.label));
  ui_test_wait_until (label_changed, &wait, 2000);
  ui_test_shot (GTK_WIDGET (f->window), name);
  g_free (wait.text);
}

/* Pause and resume, then stop, from the window's actions. */
static void
test_train_page_pause_stop (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *pause = find (f->page, GTK_TYPE_BUTTON, "pause_button");

  wl_session_get_config (f->session)->model.epochs = 500;
  wl_session_get_config (f->session)->model.patience = 0;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.train", NULL));
  g_assert_true (ui_test_wait_until (training_drawn, f, 30000));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (pause)), ==, "_Pause");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.pause", NULL));
  wait_state (f, WL_SESSION_PAUSED, 2000);
  g_assert_cmpstr (label_text (f->page, "state_label"), ==, "Paused");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (pause)), ==, "_Resume");
  /* The time paused does not count: once the pause has taken effect (at
   * the run's next check, within a batch), Elapsed stands still over the
   * clock's ticks (one a second). */
  {
    g_autofree char *at_pause = NULL;

    ui_test_run_for (2200);
    at_pause = g_strdup (label_text (f->page, "elapsed_label"));
    ui_test_run_for (2200);
    g_assert_cmpstr (label_text (f->page, "elapsed_label"), ==, at_pause);
  }
  shot_between_ticks (f, "train-paused-light");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  shot_between_ticks (f, "train-paused-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.pause", NULL));
  g_assert_cmpstr (label_text (f->page, "state_label"), ==, "Training");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (pause)), ==, "_Pause");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stop", NULL));
  wait_state (f, WL_SESSION_CANCELLED, 5000);
  g_assert_cmpstr (label_text (f->page, "state_label"), ==, "Stopped");
  g_assert_true (g_str_has_prefix (label_text (f->page, "stage_label"), "Stopped after"));
  g_assert_false (gtk_widget_get_visible (find (f->page, GTK_TYPE_PROGRESS_BAR, "stage_bar")));
  ui_test_shot (GTK_WIDGET (f->window), "train-stopped");
}

/* A run that fails says why, in the status and in the messages. */
static void
test_train_page_failure (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->csv);
  g_autofree char *path = g_build_filename (dir, "one-label.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkListBox *messages = GTK_LIST_BOX (find (f->page, GTK_TYPE_LIST_BOX, "messages_list"));
  GtkWidget *row;

  g_assert_true (g_file_set_contents (path, "label,text\nspam,buy now\nspam,win big\n", -1, NULL));
  wl_session_set_file (f->session, file);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.train", NULL));
  wait_state (f, WL_SESSION_FAILED, 10000);
  show_train_page (f);

  g_assert_cmpstr (label_text (f->page, "state_label"), ==, "Failed");
  g_assert_cmpstr (label_text (f->page, "stage_label"), !=, "");
  g_assert_true (gtk_widget_get_visible (find (f->page, ADW_TYPE_PREFERENCES_GROUP,
                                               "messages_group")));
  /* The last message is the error. */
  for (row = gtk_widget_get_first_child (GTK_WIDGET (messages));
       gtk_widget_get_next_sibling (row) != NULL;
       row = gtk_widget_get_next_sibling (row))
    ;
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   label_text (f->page, "stage_label"));
  ui_test_shot (GTK_WIDGET (f->window), "train-failed");
  g_remove (path);
}

/* While early stopping may end training before the maximum, the page says
 * "at most" and gives the time left as a range, not the time to the
 * maximum alone.  Read from a handler connected after the page's, so the
 * labels show the event just delivered. */
typedef struct
{
  GtkWidget *page;
  guint      n_seen;
  char      *epoch_text;   /* of the last epoch event */
  char      *eta_text;
  double     eta, eta_max;
} OutlookWatch;

static void
on_outlook_event (WlSession     *session,
                  const WlEvent *event,
                  OutlookWatch  *watch)
{
  g_autofree char *expected = NULL;

  if (event->type != WL_EVENT_EPOCH || event->stop_epoch >= event->n_epochs ||
      event->stop_epoch <= event->epoch)
    return;
  expected = g_strdup_printf ("%u (at most %u)", event->epoch, event->n_epochs);
  g_assert_cmpstr (label_text (watch->page, "epoch_label"), ==, expected);
  g_free (watch->eta_text);
  watch->eta_text = g_strdup (label_text (watch->page, "eta_label"));
  watch->eta = event->eta;
  watch->eta_max = event->eta_max;
  watch->n_seen++;
}

static void
test_train_page_outlook (Fixture       *f,
                         gconstpointer  data)
{
  OutlookWatch watch = { f->page };
  g_autofree char *soonest = NULL, *most = NULL;
  gulong handler;

  wl_session_get_config (f->session)->model.epochs = 500;
  wl_session_get_config (f->session)->model.patience = 3;
  handler = g_signal_connect (f->session, "run-event", G_CALLBACK (on_outlook_event), &watch);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.train", NULL));
  wait_state (f, WL_SESSION_FINISHED, 60000);
  g_signal_handler_disconnect (f->session, handler);

  /* Early stopping ended it long before 500 epochs, and said so. */
  g_assert_cmpuint (watch.n_seen, >, 0);
  g_assert_true (g_str_has_suffix (label_text (f->page, "epoch_label"), "(at most 500)"));
  /* Written as every page writes durations (wl_format_duration). */
  soonest = wl_format_duration (watch.eta);
  most = wl_format_duration (watch.eta_max);
  g_assert_cmpfloat (watch.eta_max, >, watch.eta);
  g_assert_true (g_str_has_prefix (watch.eta_text, soonest));
  g_assert_true (g_str_has_suffix (watch.eta_text, most));
  g_assert_nonnull (g_strstr_len (watch.eta_text, -1, " to "));
  g_free (watch.eta_text);
}

/* Round ticks and their labels. */
static void
test_line_chart_ticks (void)
{
  struct { double value, step, magnitude; const char *text; } ticks[] = {
    { 0.25, 0.05, 1, "0.25" },
    { 3, 1, 10, "3" },
    { 40000, 20000, 1e5, "40k" },
    { 1.5e6, 5e5, 2e6, "1.5M" },
    { 2e-5, 1e-5, 5e-5, "2e-5" },
    { 1.05e-5, 5e-8, 1.1e-5, "1.050e-5" },
    { 0.0011, 1e-4, 0.002, "0.0011" },
    { -1e-12, 0.5, 2, "0" },
    { 0, 2e5, 1e6, "0" },
  };
  struct { double seconds, step, axis_max; const char *text; } times[] = {
    { 45, 15, 59, "45s" },
    { 90, 30, 120, "1:30" },
    { 5400, 1800, 7200, "1h 30m" },
    { 7200, 3600, 10800, "2h" },
    { 1800, 1800, 7200, "30m" },
    { 3725, 5, 3800, "1:02:05" },
    { -1e-9, 0.005, 0.02, "0.000s" },
  };
  double min = 0.013, max = 0.087;

  g_assert_cmpfloat (wl_chart_nice_step (10, 5, FALSE), ==, 2);
  g_assert_cmpfloat_with_epsilon (wl_chart_nice_step (0.7, 7, FALSE), 0.1, 1e-12);
  g_assert_cmpfloat (wl_chart_nice_step (600, 5, TRUE), ==, 120);
  g_assert_cmpfloat (wl_chart_nice_step (7200, 4, TRUE), ==, 1800);
  g_assert_cmpfloat (wl_chart_nice_step (0, 4, FALSE), ==, 1);
  g_assert_cmpfloat_with_epsilon (wl_chart_nice_range (&min, &max, 4), 0.02, 1e-12);
  g_assert_cmpfloat_with_epsilon (min, 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (max, 0.1, 1e-12);

  /* Accuracy and macro-F1 nearly overlapping: 0–100 %, not 0–200 %. */
  min = 98.51, max = 98.6;
  wl_chart_fit_range (&min, &max, 0, 100, 5);
  g_assert_cmpfloat (min, ==, 0);
  g_assert_cmpfloat (max, ==, 100);
  /* A spread within the limits is fitted as before. */
  min = 91.3, max = 97.8;
  g_assert_cmpfloat (wl_chart_fit_range (&min, &max, 0, 100, 4), ==, 2);
  g_assert_cmpfloat (min, ==, 90);
  g_assert_cmpfloat (max, ==, 98);
  /* Without limits, a flat learning rate sits halfway up from zero. */
  min = max = 0.01;
  wl_chart_fit_range (&min, &max, -INFINITY, INFINITY, 4);
  g_assert_cmpfloat (min, ==, 0);
  g_assert_cmpfloat_with_epsilon (max, 0.02, 1e-12);

  for (guint i = 0; i < G_N_ELEMENTS (ticks); i++)
    {
      g_autofree char *text = wl_chart_format_tick (ticks[i].value, ticks[i].step,
                                                    ticks[i].magnitude);

      g_assert_cmpstr (text, ==, ticks[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *text = wl_chart_format_time (times[i].seconds, times[i].step,
                                                    times[i].axis_max);

      g_assert_cmpstr (text, ==, times[i].text);
    }
}

/* A chart keeps every point; drawing a million of them, gaps, spans, two
 * y axes and a window of x works. */
static void
test_line_chart_points (void)
{
  GtkWidget *window = gtk_window_new ();
  WlLineChart *chart = WL_LINE_CHART (wl_line_chart_new ());
  guint left, right;

  wl_line_chart_set_title (chart, "Test");
  wl_line_chart_set_time_axis (chart, TRUE);
  left = wl_line_chart_add_series (chart, "sine", WL_CHART_AXIS_LEFT, 0);
  right = wl_line_chart_add_series (chart, "count", WL_CHART_AXIS_RIGHT, 1);
  wl_line_chart_add_span (chart, 0, -1, "Load");
  for (guint i = 0; i < 1000000; i++)
    {
      double x = i / 100.0;

      wl_line_chart_append (chart, left, x, i % 50000 == 0 ? NAN : sin (x));
      if (i % 1000 == 0)
        wl_line_chart_append (chart, right, x, i);
    }
  wl_line_chart_close_span (chart, 5000);
  g_assert_cmpuint (wl_line_chart_get_n_points (chart, left), ==, 1000000);
  g_assert_cmpuint (wl_line_chart_get_n_points (chart, right), ==, 1000);

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 320);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_run_for (300);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (chart)));
  ui_test_shot (window, "line-chart-million");
  wl_line_chart_set_x_window (chart, 60);
  ui_test_shot (window, "line-chart-window");

  wl_line_chart_clear (chart);
  g_assert_cmpuint (wl_line_chart_get_n_points (chart, left), ==, 0);
  ui_test_shot (window, "line-chart-empty");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Each property notifies when it changes, and only then: setting the same
 * value again, through the setter or g_object_set(), is quiet. */
static void
test_line_chart_properties (void)
{
  WlLineChart *chart = g_object_ref_sink (WL_LINE_CHART (wl_line_chart_new ()));
  guint title = 0, left = 0, x_label = 0, time_axis = 0, window = 0;
  g_autofree char *got = NULL;
  double width;

  g_signal_connect (chart, "notify::title", G_CALLBACK (ui_test_count_notify), &title);
  g_signal_connect (chart, "notify::left-label", G_CALLBACK (ui_test_count_notify), &left);
  g_signal_connect (chart, "notify::x-label", G_CALLBACK (ui_test_count_notify), &x_label);
  g_signal_connect (chart, "notify::time-axis", G_CALLBACK (ui_test_count_notify), &time_axis);
  g_signal_connect (chart, "notify::x-window", G_CALLBACK (ui_test_count_notify), &window);

  wl_line_chart_set_title (chart, "Loss");
  wl_line_chart_set_title (chart, "Loss");
  g_object_set (chart, "title", "Loss", NULL);
  g_assert_cmpuint (title, ==, 1);
  g_object_set (chart, "title", "Accuracy", NULL);
  g_assert_cmpuint (title, ==, 2);
  g_object_get (chart, "title", &got, NULL);
  g_assert_cmpstr (got, ==, "Accuracy");
  g_object_set (chart, "title", NULL, NULL);
  g_object_set (chart, "title", NULL, NULL);
  g_assert_cmpuint (title, ==, 3);

  wl_line_chart_set_axis_label (chart, WL_CHART_AXIS_LEFT, "%");
  wl_line_chart_set_axis_label (chart, WL_CHART_AXIS_LEFT, "%");
  g_assert_cmpuint (left, ==, 1);
  g_assert_cmpuint (x_label, ==, 0);
  g_object_set (chart, "x-label", "time", NULL);
  wl_line_chart_set_axis_label (chart, WL_CHART_AXIS_X, "time");
  g_assert_cmpuint (x_label, ==, 1);
  g_assert_cmpuint (left, ==, 1);

  wl_line_chart_set_time_axis (chart, TRUE);
  wl_line_chart_set_time_axis (chart, TRUE);
  g_object_set (chart, "time-axis", TRUE, NULL);
  g_assert_cmpuint (time_axis, ==, 1);
  wl_line_chart_set_time_axis (chart, FALSE);
  g_assert_cmpuint (time_axis, ==, 2);

  wl_line_chart_set_x_window (chart, 60);
  g_object_set (chart, "x-window", 60.0, NULL);
  g_assert_cmpuint (window, ==, 1);
  g_object_get (chart, "x-window", &width, NULL);
  g_assert_cmpfloat (width, ==, 60);
  g_object_unref (chart);
}

static double
luminance (const GdkRGBA *c)
{
  return 0.2126 * c->red + 0.7152 * c->green + 0.0722 * c->blue;
}

/* The series colours and the chart's own text colour come from the style:
 * switching to dark gives lighter series colours on a dark background, and
 * back again. */
static void
test_line_chart_style (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkWidget *window = gtk_window_new ();
  WlLineChart *chart = WL_LINE_CHART (wl_line_chart_new ());
  GdkRGBA light[3], dark[3], again;
  guint series[3];

  for (guint i = 0; i < G_N_ELEMENTS (series); i++)
    {
      series[i] = wl_line_chart_add_series (chart, "s", WL_CHART_AXIS_LEFT, i);
      wl_line_chart_append (chart, series[i], 0, i);
      wl_line_chart_append (chart, series[i], 1, i + 1);
    }
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 240);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_run_for (300);
  for (guint i = 0; i < G_N_ELEMENTS (series); i++)
    wl_line_chart_get_series_color (chart, series[i], &light[i]);
  ui_test_shot (window, "line-chart-light");
  /* Three series, three colours. */
  g_assert_false (gdk_rgba_equal (&light[0], &light[1]));
  g_assert_false (gdk_rgba_equal (&light[1], &light[2]));

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_run_for (300);
  ui_test_shot (window, "line-chart-dark");
  for (guint i = 0; i < G_N_ELEMENTS (series); i++)
    {
      wl_line_chart_get_series_color (chart, series[i], &dark[i]);
      g_assert_cmpfloat (luminance (&dark[i]), >, luminance (&light[i]));
    }

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  ui_test_run_for (300);
  wl_line_chart_get_series_color (chart, series[0], &again);
  g_assert_true (gdk_rgba_equal (&again, &light[0]));
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/line-chart/ticks", test_line_chart_ticks);
  g_test_add_func ("/line-chart/points", test_line_chart_points);
  g_test_add_func ("/line-chart/properties", test_line_chart_properties);
  g_test_add_func ("/line-chart/style", test_line_chart_style);
  g_test_add ("/train-page/empty", Fixture, GUINT_TO_POINTER (300),
              fixture_set_up, test_train_page_empty, fixture_tear_down);
  g_test_add ("/train-page/run", Fixture, GUINT_TO_POINTER (3000),
              fixture_set_up, test_train_page_run, fixture_tear_down);
  g_test_add ("/train-page/outlook", Fixture, GUINT_TO_POINTER (3000),
              fixture_set_up, test_train_page_outlook, fixture_tear_down);
  g_test_add ("/train-page/failure", Fixture, GUINT_TO_POINTER (30),
              fixture_set_up, test_train_page_failure, fixture_tear_down);
  g_test_add ("/train-page/pause-stop", Fixture, GUINT_TO_POINTER (6000),
              fixture_set_up, test_train_page_pause_stop, fixture_tear_down);
  return g_test_run ();
}
