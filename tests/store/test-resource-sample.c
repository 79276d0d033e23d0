/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-resource-sample.c: a monitor's sample as the store keeps it, made
 * up and live. */
#include <math.h>

#include "store/wl-resource-sample.h"

static void
test_convert (void)
{
  const double cores[] = { 100, 50, 0, 50 };
  WlGpuSample gpus[] = {
    { .name = (char *) "A", .busy_percent = 80, .memory_used = 1000, .memory_total = 4000 },
    { .name = (char *) "B", .busy_percent = -1, .memory_used = 500, .memory_total = 0 },
    { .name = (char *) "C", .busy_percent = 20, .memory_used = 24, .memory_total = 4000 },
  };
  WlMonitorSample from = {
    .n_cores = G_N_ELEMENTS (cores), .core_busy = cores, .cpu_busy = 50,
    .memory = { .process_rss = 123456789, .system_used = 1, .system_total = 2 },
    .n_gpus = G_N_ELEMENTS (gpus), .gpus = gpus,
  };
  WlResourceSample sample = { .elapsed = 9 };

  wl_resource_sample_from_monitor (&sample, &from);
  g_assert_cmpfloat (sample.elapsed, ==, 0);
  g_assert_cmpfloat_with_epsilon (sample.cpu_percent, 200, 1e-9);  /* two cores' worth */
  g_assert_cmpuint (sample.rss_bytes, ==, 123456789);
  g_assert_cmpfloat_with_epsilon (sample.gpu_percent, 50, 1e-9);   /* B has no busy figure */
  g_assert_cmpuint (sample.gpu_memory_bytes, ==, 1524);

  /* No GPU, no cores: unknown, not 0 %. */
  from.n_gpus = 0;
  from.gpus = NULL;
  from.n_cores = 0;
  wl_resource_sample_from_monitor (&sample, &from);
  g_assert_true (isnan (sample.gpu_percent));
  g_assert_true (isnan (sample.cpu_percent));
  g_assert_cmpuint (sample.gpu_memory_bytes, ==, 0);
}

typedef struct
{
  GMainLoop        *loop;
  WlResourceSample  last;
  guint             n;
} Live;

static void
on_sample (const WlMonitorSample *sample,
           gpointer               data)
{
  Live *live = data;

  wl_resource_sample_from_monitor (&live->last, sample);
  if (++live->n == 2)
    g_main_loop_quit (live->loop);
}

/* This machine's real figures: this process is resident, cores exist. */
static void
test_live (void)
{
  WlMonitorOptions options;
  g_autoptr(WlMonitor) monitor = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Live live = { .loop = loop };

  wl_monitor_options_init (&options);
  options.interval_ms = 50;
  monitor = wl_monitor_new (&options);
  wl_monitor_start (monitor, NULL, on_sample, &live);
  g_main_loop_run (loop);
  wl_monitor_stop (monitor);

  g_assert_cmpuint (live.last.rss_bytes, >, 0);
  g_assert_true (live.last.cpu_percent >= 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/resource-sample/convert", test_convert);
  g_test_add_func ("/store/resource-sample/live", test_live);
  return g_test_run ();
}
