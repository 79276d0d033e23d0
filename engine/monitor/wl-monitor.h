/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-monitor.h: a sampler thread for CPU, memory and GPU figures.
 *
 * The monitor reads /proc and the GPU counters on its own thread every
 * interval (500 ms by default) and hands each sample to a callback on a
 * main context, in order and without loss (samples that pile up while the
 * main loop is busy are delivered together by one idle source):
 *
 *   monitor = wl_monitor_new (NULL);
 *   wl_monitor_start (monitor, NULL, on_sample, data);
 *   …                                    samples arrive on the main loop
 *   wl_monitor_free (monitor);           stops; no callback after this
 *
 * The first sample comes one interval after start (CPU shares need two
 * readings).  Beside the machine's CPU, a sample has Wordloom's own, by kind
 * of thread (wl-proc-threads.h).  The thread measures its own CPU time (CLOCK_THREAD_CPUTIME_ID)
 * and reports it in every sample, so its cost can be shown and checked.
 */
#pragma once

#include <glib.h>

#include "monitor/wl-gpu.h"
#include "monitor/wl-proc-stat.h"
#include "monitor/wl-proc-threads.h"

G_BEGIN_DECLS

#define WL_MONITOR_DEFAULT_INTERVAL_MS 500

typedef struct
{
  guint       interval_ms;    /* WL_MONITOR_DEFAULT_INTERVAL_MS */
  const char *proc_root;      /* NULL: "/proc" */
  const char *sysfs_root;     /* NULL: "/sys" */
  const char *nvml_library;   /* NULL: "libnvidia-ml.so.1"; the default
                               * options take $WORDLOOM_NVML_LIBRARY, for
                               * a driver installed where the loader does
                               * not look (and the tests' fake NVML) */
} WlMonitorOptions;

/* One sample; valid during the callback only. */
typedef struct
{
  gint64        time;           /* g_get_monotonic_time() when it was read */
  guint         n_cores;
  const double *core_busy;      /* n_cores shares, 0..100 */
  double        cpu_busy;       /* all cores together, 0..100 */
  gboolean      have_process;   /* process_busy was read */
  double        process_busy[WL_N_THREAD_KINDS]; /* Wordloom's threads by kind, in
                                 * % of all cores, as cpu_busy */
  WlMemory      memory;         /* all 0 when it could not be read */
  guint         n_gpus;
  const WlGpuSample *gpus;
  const char   *gpu_status;     /* with no GPU: why, for the user */
  const char   *problem;        /* a figure could not be read: why; else NULL */
  double        cost_percent;   /* the sampler's CPU time since its first
                                 * reading, in % of one core */
  double        setup_seconds;  /* CPU time of the one-time start (GPU probe) */
} WlMonitorSample;

typedef void (*WlMonitorFunc) (const WlMonitorSample *sample,
                               gpointer               user_data);

typedef struct _WlMonitor WlMonitor;

void       wl_monitor_options_init (WlMonitorOptions      *options);
/* @options: NULL for the defaults; copied. */
WlMonitor *wl_monitor_new          (const WlMonitorOptions *options);
/* Stops it first. */
void       wl_monitor_free         (WlMonitor             *monitor);
/* Starts the thread; samples go to @func on @context (NULL: the caller's
 * thread-default context).  Does nothing when already running. */
void       wl_monitor_start        (WlMonitor             *monitor,
                                    GMainContext          *context,
                                    WlMonitorFunc          func,
                                    gpointer               user_data);
/* Stops the thread and drops the samples not delivered yet: @func is not
 * called after this returns.  Call it from the thread that runs the
 * context (the callback itself may call it, but must not free the monitor).
 * Returns within a few milliseconds whatever the interval. */
void       wl_monitor_stop         (WlMonitor             *monitor);
gboolean   wl_monitor_is_running   (WlMonitor             *monitor);
/* Asks the running thread for a sample now, on top of the regular ones
 * (whose rate stays): the Resources page asks at each stage of a run, so
 * that a run shorter than the interval still has samples. */
void       wl_monitor_request_sample (WlMonitor           *monitor);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlMonitor, wl_monitor_free)

G_END_DECLS
