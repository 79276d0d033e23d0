/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-monitor.c: what the resource sampler costs.
 *
 * Usage: bench-monitor [SECONDS [INTERVAL_MS [--gpus]]]   (default 5 s, 500 ms)
 *
 * Runs the monitor (wl-monitor.h) on a main loop for SECONDS and prints
 * the samples it delivered, the sampler thread's own CPU time as a share of
 * one core (what the Resources page shows; the goal is under 1 %), the
 * one-time start (GPU probe), and the whole process's CPU share over the
 * same time, which adds the main loop's wake-ups to take the samples.
 * With --gpus it also prints every sample's GPU counters as the Resources
 * page reads them (tests/device/run-gpu.sh sets them beside nvidia-smi's).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "monitor/wl-monitor.h"

typedef struct
{
  guint  n_samples;
  gint64 first_time;
  gint64 last_time;
  guint  n_cores;
  guint  n_gpus;
  double cost_percent;
  double setup_seconds;
  gboolean print_gpus;
} Totals;

static void
on_sample (const WlMonitorSample *sample,
           gpointer               user_data)
{
  Totals *t = user_data;

  if (t->n_samples++ == 0)
    t->first_time = sample->time;
  t->last_time = sample->time;
  t->n_cores = sample->n_cores;
  t->n_gpus = sample->n_gpus;
  t->cost_percent = sample->cost_percent;
  t->setup_seconds = sample->setup_seconds;
  if (t->print_gpus && sample->n_gpus == 0)
    printf ("gpu: none (%s)\n", sample->gpu_status ? sample->gpu_status : "no status");
  for (guint i = 0; t->print_gpus && i < sample->n_gpus; i++)
    printf ("gpu %u at %.1f s: %s, busy %.0f %%, memory %.0f of %.0f MiB\n", i,
            (sample->time - t->first_time) * 1e-6, sample->gpus[i].name, sample->gpus[i].busy_percent,
            sample->gpus[i].memory_used / 1048576.0, sample->gpus[i].memory_total / 1048576.0);
  fflush (stdout);
}

static gboolean
on_done (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static double
process_cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

int
main (int argc, char *argv[])
{
  double seconds = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 5.0;
  WlMonitorOptions options;
  g_autoptr(WlMonitor) monitor = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Totals t = { 0 };
  double cpu0, cpu1, wall, rate;
  gint64 begin;

  wl_monitor_options_init (&options);
  if (argc > 2)
    options.interval_ms = (guint) g_ascii_strtoull (argv[2], NULL, 10);
  t.print_gpus = argc > 3 && g_strcmp0 (argv[3], "--gpus") == 0;
  if (seconds <= 0 || options.interval_ms == 0)
    {
      fprintf (stderr, "usage: %s [SECONDS [INTERVAL_MS [--gpus]]]\n", argv[0]);
      return 2;
    }

  monitor = wl_monitor_new (&options);
  cpu0 = process_cpu_seconds ();
  begin = g_get_monotonic_time ();
  wl_monitor_start (monitor, NULL, on_sample, &t);
  g_timeout_add ((guint) (seconds * 1000), on_done, loop);
  g_main_loop_run (loop);
  wl_monitor_stop (monitor);
  cpu1 = process_cpu_seconds ();
  wall = (double) (g_get_monotonic_time () - begin) * 1e-6;

  rate = t.n_samples > 1 ? (t.n_samples - 1) / ((t.last_time - t.first_time) * 1e-6) : 0;
  printf ("monitor: %u samples in %.1f s (%.2f a second, every %u ms), %u cores, %u GPUs\n",
          t.n_samples, wall, rate, options.interval_ms, t.n_cores, t.n_gpus);
  printf ("sampler thread: %.3f %% of a core (goal < 1 %%: %s)\n",
          t.cost_percent, t.cost_percent < 1.0 ? "met" : "MISSED");
  printf ("one-time start (GPU probe, first /proc read): %.1f ms CPU\n", t.setup_seconds * 1e3);
  printf ("whole process (sampler, start, main loop): %.3f %% of a core\n",
          100.0 * (cpu1 - cpu0) / wall);
  return t.cost_percent < 1.0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
