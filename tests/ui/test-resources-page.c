/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-resources-page.c: the Resources page shows live CPU, memory and the
 * run's stages, and its samples are recorded with the run. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pages/wl-resources-page.h"
#include "store/wl-store.h"
#include "ui-test-util.h"
#include "widgets/wl-line-chart.h"
#include "wl-stage-label.h"

typedef struct
{
  WlWindow    *window;
  GtkWidget   *page;
  WlLineChart *cpu_chart;
  guint        n_cores;
} Page;

/* The cores /proc/stat lists ("cpuN" lines), as the page should show. */
static guint
count_cores (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents ("/proc/stat", &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "cpu") && g_ascii_isdigit (lines[i][3]))
      n++;
  return n;
}

static guint64
mem_total (void)
{
  g_autofree char *text = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/meminfo", &text, NULL, NULL));
  line = strstr (text, "MemTotal:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("MemTotal:"), NULL, 10) * 1024;
}

/* "312.5 MiB" (g_format_size_full with IEC units) → bytes. */
static double
parse_size (const char *text)
{
  static const char *units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
  char *end;
  double value = g_ascii_strtod (text, &end);

  g_assert_true (end != text);
  while (*end == ' ' || (guchar) *end == 0xc2 || (guchar) *end == 0xa0)
    end++;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (end, units[i]) == 0)
      return value * pow (1024, i);
  g_error ("not a size: %s", text);
}

static const char *
label_text (GtkWidget  *root,
            const char *name)
{
  GtkWidget *label = ui_test_find_widget (root, GTK_TYPE_LABEL, name);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
page_open (Page *p)
{
  p->window = ui_test_window_new ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (p->window), "win.show-page", "s",
                                             "resources"));
  p->page = wl_window_get_page (p->window, "resources");
  p->cpu_chart = WL_LINE_CHART (ui_test_find_widget (p->page, WL_TYPE_LINE_CHART, "cpu_chart"));
  g_assert_nonnull (p->cpu_chart);
  p->n_cores = count_cores ();
  g_assert_cmpuint (p->n_cores, >=, 1);
}

/* Every core's series, and the total, has at least two points. */
static gboolean
cores_sampled (gpointer data)
{
  Page *p = data;

  for (guint i = 0; i <= p->n_cores; i++)
    if (wl_line_chart_get_n_points (p->cpu_chart, i) < 2)
      return FALSE;
  return TRUE;
}

typedef struct
{
  WlLineChart *chart;
  guint        n_points;
} PointCount;

static gboolean
has_new_point (gpointer data)
{
  PointCount *count = data;

  return wl_line_chart_get_n_points (count->chart, 0) > count->n_points;
}

/* Screenshots render what was drawn last: take them just after a sample
 * arrived, so that the next one does not land between a redraw request
 * and the redraw (ui_test_shot waits 200 ms; samples come every 500 ms). */
static void
shot_after_sample (Page       *p,
                   const char *name)
{
  PointCount count = { p->cpu_chart, wl_line_chart_get_n_points (p->cpu_chart, 0) };

  g_assert_true (ui_test_wait_until (has_new_point, &count, 5000));
  ui_test_shot (GTK_WIDGET (p->window), name);
}

/* Screenshots of the window at a size, at the top and at the end. */
static void
shot (Page       *p,
      int         width,
      int         height,
      const char *name)
{
  GtkAdjustment *adjustment;
  g_autofree char *end = g_strconcat (name, "-end", NULL);

  if (g_getenv ("WL_UI_SHOTS") == NULL)
    return;
  gtk_window_set_default_size (GTK_WINDOW (p->window), width, height);
  ui_test_run_for (300);   /* let the window take its new size */
  adjustment = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (ui_test_find_widget (p->page, GTK_TYPE_SCROLLED_WINDOW, NULL)));
  gtk_adjustment_set_value (adjustment, 0);
  shot_after_sample (p, name);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  ui_test_run_for (2500);   /* the overlay scrollbar shows, then fades out */
  shot_after_sample (p, end);
  gtk_adjustment_set_value (adjustment, 0);
}

static void
test_resources_live (void)
{
  Page p;
  double rss, used, total;

  page_open (&p);
  g_assert_true (ui_test_wait_until (cores_sampled, &p, 5000));

  /* Memory as the user reads it: plausible next to /proc/meminfo. */
  total = mem_total ();
  rss = parse_size (label_text (p.page, "rss_label"));
  used = parse_size (label_text (p.page, "used_label"));
  g_assert_cmpfloat (rss, >, 0);
  g_assert_cmpfloat (rss, <, total);
  g_assert_cmpfloat (used, >=, rss * 0.9);   /* sizes are rounded to one decimal */
  g_assert_cmpfloat (used, <=, total * 1.05);
  g_assert_nonnull (strstr (label_text (p.page, "cpu_label"), "%"));
  /* The sampler says what it costs. */
  g_assert_nonnull (strstr (label_text (p.page, "cost_label"), "of a core"));

  if (g_getenv ("WL_UI_SHOTS") != NULL)
    shot_after_sample (&p, "resources-idle");
  gtk_window_destroy (GTK_WINDOW (p.window));
}

static gboolean
gpus_sampled (gpointer data)
{
  GtkWidget *box = data;
  guint n = 0;

  for (GtkWidget *chart = gtk_widget_get_first_child (box); chart != NULL;
       chart = gtk_widget_get_next_sibling (chart), n++)
    if (wl_line_chart_get_n_points (WL_LINE_CHART (chart), 0) < 2 ||
        wl_line_chart_get_n_points (WL_LINE_CHART (chart), 1) < 2)
      return FALSE;
  return n > 0;
}

/* The fake NVML of tests/monitor has two GPUs, the first 37 % busy and
 * the second without a utilisation figure: a chart each, with data. */
static void
test_resources_gpu (void)
{
  GtkWidget *box;
  guint n = 0;
  Page p;

  g_setenv ("WORDLOOM_NVML_LIBRARY", FAKE_NVML_PATH, TRUE);
  page_open (&p);
  g_unsetenv ("WORDLOOM_NVML_LIBRARY");
  box = ui_test_find_widget (p.page, GTK_TYPE_BOX, "gpu_box");
  g_assert_nonnull (box);
  g_assert_true (ui_test_wait_until (gpus_sampled, box, 5000));
  for (GtkWidget *chart = gtk_widget_get_first_child (box); chart != NULL;
       chart = gtk_widget_get_next_sibling (chart))
    n++;
  g_assert_cmpuint (n, ==, 2);
  g_assert_false (gtk_widget_get_visible (ui_test_find_widget (p.page, GTK_TYPE_LABEL,
                                                               "gpu_status_label")));
  g_assert_cmpstr (label_text (p.page, "gpu_label"), ==, "37 %");
  g_assert_cmpstr (label_text (p.page, "gpu_caption"), ==, "2 GPUs, average");
  if (g_getenv ("WL_UI_SHOTS") != NULL)
    shot (&p, 1400, 900, "resources-gpu");
  gtk_window_destroy (GTK_WINDOW (p.window));
}

/* Without counters the page says why; while a run computes on an OpenCL
 * device it says so rather than "No GPU counters". */
static void
test_resources_no_gpu (void)
{
  Page p;

  g_setenv ("WORDLOOM_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1", TRUE);
  page_open (&p);
  g_unsetenv ("WORDLOOM_NVML_LIBRARY");
  g_assert_true (ui_test_wait_until (cores_sampled, &p, 5000));
  g_assert_true (gtk_widget_get_visible (ui_test_find_widget (p.page, GTK_TYPE_LABEL,
                                                              "gpu_status_label")));
  g_assert_nonnull (strstr (label_text (p.page, "gpu_status_label"), "/nonexistent"));
  g_assert_cmpstr (label_text (p.page, "gpu_caption"), ==, "No GPU counters");
  gtk_window_destroy (GTK_WINDOW (p.window));
}

static gboolean
run_ended (gpointer data)
{
  WlSession *session = data;

  return !wl_session_is_busy (session) && wl_session_get_state (session) != WL_SESSION_IDLE;
}

/* When the session's run ended, in seconds since it started. */
static double
run_seconds (WlSession *session)
{
  GPtrArray *events = wl_session_get_events (session);
  const WlEvent *last = g_ptr_array_index (events, events->len - 1);

  g_assert_cmpint (last->type, ==, WL_EVENT_FINISHED);
  return last->elapsed;
}

/* The Train page and this page name each stage of the run alike, as
 * wl_stage_label() does, on every chart: the middle of each stage that took
 * time lies in a span of that name. */
static void
check_stage_names (Page *p)
{
  WlSession *session = wl_window_get_session (p->window);
  GPtrArray *events = wl_session_get_events (session);
  WlLineChart *charts[] = {
    WL_LINE_CHART (ui_test_find_widget (wl_window_get_page (p->window, "train"),
                                        WL_TYPE_LINE_CHART, "loss_chart")),
    WL_LINE_CHART (ui_test_find_widget (p->page, WL_TYPE_LINE_CHART, "cpu_chart")),
    WL_LINE_CHART (ui_test_find_widget (p->page, WL_TYPE_LINE_CHART, "loss_chart")),
  };
  double started[WL_N_STAGES];
  guint checked = 0;

  for (guint i = 0; i < events->len; i++)
    {
      const WlEvent *event = g_ptr_array_index (events, i);
      double middle;

      if (event->type == WL_EVENT_STAGE_STARTED)
        started[event->stage] = event->elapsed;
      if (event->type != WL_EVENT_STAGE_FINISHED || event->elapsed <= started[event->stage])
        continue;
      middle = (started[event->stage] + event->elapsed) / 2;
      for (guint c = 0; c < G_N_ELEMENTS (charts); c++)
        g_assert_cmpstr (wl_line_chart_get_span_label (charts[c], middle), ==,
                         wl_stage_label (event->stage));
      checked++;
    }
  g_assert_cmpuint (checked, >=, 2);
}

/* Every chart of the page shows 0 to @end, or to the sample read as the
 * run ended, just after it (@end 0: it fits the data). */
static void
check_range (Page       *p,
             const char *range,
             double      end)
{
  const char *names[] = { "cpu_chart", "process_chart", "loss_chart", "memory_chart" };

  g_assert_cmpstr (wl_resources_page_get_range (WL_RESOURCES_PAGE (p->page)), ==, range);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      WlLineChart *chart = WL_LINE_CHART (ui_test_find_widget (p->page, WL_TYPE_LINE_CHART,
                                                               names[i]));
      double min, max;

      wl_line_chart_get_axis_range (chart, WL_CHART_AXIS_X, &min, &max);
      g_assert_cmpfloat (min, ==, 0);
      if (end == 0)
        g_assert_cmpfloat (max, ==, 0);
      else
        g_assert_cmpfloat (max, >=, end);
    }
}

static void
test_resources_run (void)
{
  g_autofree char *path = ui_test_write_csv (3000);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  WlSession *session;
  WlLineChart *loss_chart, *process_chart;
  int minimum;
  Page p;

  page_open (&p);
  session = wl_window_get_session (p.window);
  wl_session_set_file (session, file);
  wl_session_get_config (session)->model.epochs = 8;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (p.window), "win.train", NULL));
  g_assert_true (wl_session_is_busy (session));
  g_assert_true (ui_test_wait_until (run_ended, session, 60000));
  g_assert_cmpint (wl_session_get_state (session), ==, WL_SESSION_FINISHED);

  /* The stage table has every stage's time and the two sums. */
  for (WlStage s = 0; s < WL_N_STAGES; s++)
    g_assert_nonnull (strstr (label_text (p.page, wl_stage_to_string (s)), "s"));
  g_assert_true (g_str_has_suffix (label_text (p.page, "waiting"), "s"));
  g_assert_true (g_str_has_suffix (label_text (p.page, "computing"), "s"));

  check_stage_names (&p);

  /* The loss is on the page too, on the run's time axis. */
  loss_chart = WL_LINE_CHART (ui_test_find_widget (p.page, WL_TYPE_LINE_CHART, "loss_chart"));
  g_assert_cmpuint (wl_line_chart_get_n_points (loss_chart, 0), >=, 1);

  /* The charts restarted at the run's start and go on sampling. */
  g_assert_true (ui_test_wait_until (cores_sampled, &p, 5000));


  /* Wordloom's own processor time, beside the machine's. */
  process_chart = WL_LINE_CHART (ui_test_find_widget (p.page, WL_TYPE_LINE_CHART,
                                                      "process_chart"));
  g_assert_cmpuint (wl_line_chart_get_n_points (process_chart, 0), >=, 2);
  g_assert_cmpuint (wl_line_chart_get_n_points (process_chart, 1), >=, 2);

  /* The window shows the results once a run finished: come back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (p.window), "win.show-page", "s",
                                             "resources"));

  /* The view stays on the run, however long the page samples after it;
   * "All" and "Last 5 Minutes" let go of it. */
  check_range (&p, "run", run_seconds (session));
  g_assert_true (gtk_widget_activate_action (p.page, "resources.range", "s", "all"));
  check_range (&p, "all", 0);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
    ui_test_find_widget (p.page, GTK_TYPE_TOGGLE_BUTTON, "range_all_button"))));
  g_signal_emit_by_name (ui_test_find_widget (p.page, GTK_TYPE_TOGGLE_BUTTON,
                                              "range_recent_button"), "clicked");
  check_range (&p, "recent", 0);
  g_signal_emit_by_name (ui_test_find_widget (p.page, GTK_TYPE_TOGGLE_BUTTON, "range_run_button"),
                         "clicked");
  check_range (&p, "run", run_seconds (session));

  /* It fits the window's smallest width. */
  gtk_widget_measure (p.page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 640);

  /* For looking at the page with WL_UI_SHOTS=DIR: large and 800×600,
   * light and dark, top and bottom. */
  shot (&p, 1400, 900, "resources-run-large");
  shot (&p, 800, 600, "resources-run-small");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  shot (&p, 800, 600, "resources-run-small-dark");
  shot (&p, 1400, 900, "resources-run-large-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (p.window));
  ui_test_remove (path);
}

static void
on_run_stored (WlSession *session,
               gint64     id,
               gpointer   data)
{
  *(gint64 *) data = id;
}

static gboolean
is_stored (gpointer data)
{
  return *(gint64 *) data != 0;
}

/* Samples since the run started: the charts restart with it. */
static gboolean
run_sampled (gpointer data)
{
  Page *p = data;

  return wl_session_get_state (wl_window_get_session (p->window)) == WL_SESSION_RUNNING &&
         cores_sampled (p);
}

/* The page's monitor is the window's only one: the run records its samples. */
static void
test_resources_recorded (void)
{
  g_autofree char *path = ui_test_write_csv (3000);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(WlStore) store = NULL;
  g_autoptr(GArray) samples = NULL;
  g_autoptr(GError) error = NULL;
  WlSession *session;
  gint64 stored = 0;
  Page p;

  page_open (&p);
  session = wl_window_get_session (p.window);
  g_signal_connect (session, "run-stored", G_CALLBACK (on_run_stored), &stored);
  wl_session_set_file (session, file);
  wl_session_get_config (session)->model.epochs = 100000;
  wl_session_get_config (session)->model.patience = 0;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (p.window), "win.train", NULL));
  g_assert_true (ui_test_wait_until (run_sampled, &p, 10000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (p.window), "win.stop", NULL));
  g_assert_true (ui_test_wait_until (is_stored, &stored, 10000));
  g_assert_cmpint (stored, ==, wl_session_get_run_id (session));

  store = wl_store_open (NULL, &error);
  g_assert_no_error (error);
  samples = wl_store_get_samples (store, stored, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (samples->len, >=, 2);
  for (guint i = 0; i < samples->len; i++)
    {
      const WlResourceSample *sample = &g_array_index (samples, WlResourceSample, i);

      g_assert_cmpuint (sample->rss_bytes, >, 0);
      g_assert_cmpfloat (sample->elapsed, >, 0);
      g_assert_cmpfloat (sample->cpu_percent, >=, 0);
    }

  g_signal_handlers_disconnect_by_data (session, &stored);
  gtk_window_destroy (GTK_WINDOW (p.window));
  ui_test_remove (path);
}

int
main (int argc, char *argv[])
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/ui/resources/live", test_resources_live);
  g_test_add_func ("/ui/resources/gpu", test_resources_gpu);
  g_test_add_func ("/ui/resources/no-gpu", test_resources_no_gpu);
  g_test_add_func ("/ui/resources/run", test_resources_run);
  g_test_add_func ("/ui/resources/recorded", test_resources_recorded);
  return g_test_run ();
}
