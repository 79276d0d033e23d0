/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-resource-sample.h: a monitor's sample as the store keeps it.
 *
 * WlMonitor (monitor/wl-monitor.h) reads per-core, per-GPU figures; the
 * store keeps one row of plain numbers a sample (WlResourceSample).  The
 * CLI and the app both record their monitor's samples through this:
 *
 *   WlResourceSample row;
 *   wl_resource_sample_from_monitor (&row, monitor_sample);
 *   wl_run_recorder_add_sample (recorder, &row);
 */
#pragma once

#include "monitor/wl-monitor.h"
#include "store/wl-store.h"

G_BEGIN_DECLS

/* cpu_percent: the busy share of all cores in % of one core (two busy
 * cores: 200), NAN without cores; rss_bytes: this process's resident
 * memory; gpu_percent: the mean busy share of the GPUs that report it,
 * NAN when none does; gpu_memory_bytes: memory used on all GPUs.
 * elapsed is 0: the recorder stamps it. */
void wl_resource_sample_from_monitor (WlResourceSample      *sample,
                                      const WlMonitorSample *from);

G_END_DECLS
