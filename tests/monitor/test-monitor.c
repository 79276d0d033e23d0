/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-monitor.c: the sampler thread delivers samples on a main loop and stops cleanly. */
#include <string.h>
#include <glib/gstdio.h>

#include "monitor/wl-monitor.h"

typedef struct
{
  guint      n_samples;
  gint64     last_time;
  gboolean   in_order;
  guint      n_cores;
  double     cpu_busy;
  WlMemory   memory;
  guint      n_gpus;
  char      *gpu_status;
  char      *problem;
  double     cost_percent;
  gboolean   have_process;
  double     process_busy[WL_N_THREAD_KINDS];
  WlMonitor *stop_after_first;
} Received;

static void
on_sample (const WlMonitorSample *sample,
           gpointer               user_data)
{
  Received *r = user_data;

  r->in_order = r->in_order && sample->time > r->last_time;
  r->last_time = sample->time;
  r->n_samples++;
  r->n_cores = sample->n_cores;
  r->cpu_busy = sample->cpu_busy;
  for (guint i = 0; i < sample->n_cores; i++)
    g_assert_true (sample->core_busy[i] >= 0.0 && sample->core_busy[i] <= 100.0);
  r->memory = sample->memory;
  r->n_gpus = sample->n_gpus;
  g_free (r->gpu_status);
  r->gpu_status = g_strdup (sample->gpu_status);
  g_free (r->problem);
  r->problem = g_strdup (sample->problem);
  r->cost_percent = sample->cost_percent;
  r->have_process = sample->have_process;
  memcpy (r->process_busy, sample->process_busy, sizeof r->process_busy);
  if (r->stop_after_first != NULL)
    wl_monitor_stop (r->stop_after_first);
}

static void
received_clear (Received *r)
{
  g_free (r->gpu_status);
  g_free (r->problem);
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* With the defaults, on the real /proc: at least two samples a second,
 * plausible figures, nothing after stop. */
static void
test_monitor_default_rate (void)
{
  g_autoptr(WlMonitor) monitor = wl_monitor_new (NULL);
  Received r = { .in_order = TRUE };
  guint n;

  wl_monitor_start (monitor, NULL, on_sample, &r);
  g_assert_true (wl_monitor_is_running (monitor));
  run_for (2300);
  g_assert_cmpuint (r.n_samples, >=, 4);
  g_assert_true (r.in_order);
  g_assert_null (r.problem);
  g_assert_cmpuint (r.n_cores, >=, 1);
  g_assert_cmpfloat (r.cpu_busy, >=, 0.0);
  g_assert_cmpfloat (r.cpu_busy, <=, 100.0);
  g_assert_cmpuint (r.memory.process_rss, >, 0);
  g_assert_cmpuint (r.memory.process_rss, <, r.memory.system_total);
  g_assert_cmpuint (r.memory.system_used, <=, r.memory.system_total);
  g_assert_true (r.n_gpus > 0 || r.gpu_status != NULL);
  g_assert_cmpfloat (r.cost_percent, >=, 0.0);
  /* Wordloom's own threads: this test's main thread is "the window". */
  g_assert_true (r.have_process);
  for (guint k = 0; k < WL_N_THREAD_KINDS; k++)
    g_assert_true (r.process_busy[k] >= 0.0 && r.process_busy[k] <= 100.0);

  wl_monitor_stop (monitor);
  g_assert_false (wl_monitor_is_running (monitor));
  n = r.n_samples;
  run_for (700);
  g_assert_cmpuint (r.n_samples, ==, n);
  received_clear (&r);
}

/* Stop does not wait for the interval to end. */
static void
test_monitor_stop_is_prompt (void)
{
  WlMonitorOptions options;
  g_autoptr(WlMonitor) monitor = NULL;
  Received r = { .in_order = TRUE };
  gint64 begin;

  wl_monitor_options_init (&options);
  options.interval_ms = 60000;
  monitor = wl_monitor_new (&options);
  wl_monitor_start (monitor, NULL, on_sample, &r);
  run_for (50);
  begin = g_get_monotonic_time ();
  wl_monitor_stop (monitor);
  g_assert_cmpint (g_get_monotonic_time () - begin, <, G_USEC_PER_SEC);
  g_assert_cmpuint (r.n_samples, ==, 0);

  /* It starts again after a stop; free stops it too. */
  wl_monitor_start (monitor, NULL, on_sample, &r);
  received_clear (&r);
}

/* Samples that pile up while the main loop is busy all arrive, in order;
 * a callback that stops the monitor gets no further sample. */
static void
test_monitor_backlog (void)
{
  WlMonitorOptions options;
  g_autoptr(WlMonitor) monitor = NULL;
  Received r = { .in_order = TRUE };

  wl_monitor_options_init (&options);
  options.interval_ms = 20;
  monitor = wl_monitor_new (&options);
  wl_monitor_start (monitor, NULL, on_sample, &r);
  g_usleep (300 * 1000);    /* the main loop is blocked */
  while (r.n_samples < 8)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (r.in_order);
  wl_monitor_stop (monitor);

  received_clear (&r);
  memset (&r, 0, sizeof r);
  r.stop_after_first = monitor;
  wl_monitor_start (monitor, NULL, on_sample, &r);
  g_usleep (200 * 1000);
  run_for (100);
  g_assert_cmpuint (r.n_samples, ==, 1);
  g_assert_false (wl_monitor_is_running (monitor));
  received_clear (&r);
}

/* A proc root that cannot be read gives samples that say why. */
static void
test_monitor_problem (void)
{
  g_autofree char *root = g_dir_make_tmp ("wl-proc-XXXXXX", NULL);
  WlMonitorOptions options;
  g_autoptr(WlMonitor) monitor = NULL;
  Received r = { .in_order = TRUE };

  wl_monitor_options_init (&options);
  options.interval_ms = 20;
  options.proc_root = root;
  options.sysfs_root = root;
  options.nvml_library = "/nonexistent/libnvidia-ml.so.1";
  monitor = wl_monitor_new (&options);
  wl_monitor_start (monitor, NULL, on_sample, &r);
  while (r.n_samples < 2)
    g_main_context_iteration (NULL, TRUE);
  wl_monitor_stop (monitor);
  g_assert_cmpuint (r.n_cores, ==, 0);
  g_assert_cmpuint (r.memory.system_total, ==, 0);
  g_assert_nonnull (r.problem);
  g_assert_nonnull (strstr (r.problem, root));
  g_assert_cmpuint (r.n_gpus, ==, 0);
  g_assert_nonnull (strstr (r.gpu_status, "libnvidia-ml"));
  g_assert_cmpint (g_rmdir (root), ==, 0);
  received_clear (&r);
}

/* A sample asked for comes at once, not at the next interval (an hour). */
static void
test_monitor_request (void)
{
  WlMonitorOptions options;
  g_autoptr(WlMonitor) monitor = NULL;
  Received r = { .in_order = TRUE };

  wl_monitor_options_init (&options);
  options.interval_ms = 3600 * 1000;
  monitor = wl_monitor_new (&options);
  wl_monitor_start (monitor, NULL, on_sample, &r);
  for (guint i = 1; i <= 2; i++)
    {
      wl_monitor_request_sample (monitor);
      while (r.n_samples < i)
        g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (r.n_samples, ==, 2);
  g_assert_true (r.in_order);
  wl_monitor_stop (monitor);
  received_clear (&r);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/monitor/thread/default-rate", test_monitor_default_rate);
  g_test_add_func ("/monitor/thread/stop-is-prompt", test_monitor_stop_is_prompt);
  g_test_add_func ("/monitor/thread/backlog", test_monitor_backlog);
  g_test_add_func ("/monitor/thread/problem", test_monitor_problem);
  g_test_add_func ("/monitor/thread/request", test_monitor_request);
  return g_test_run ();
}
