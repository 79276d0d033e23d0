/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-proc-stat.h: CPU and memory figures read from /proc (Linux).
 *
 * A reader keeps its paths and one buffer, so reading twice a second costs
 * a few system calls and no allocation.  The proc root is a parameter so
 * tests can point it at a folder of fake files:
 *
 *   ROOT/stat         per-core jiffies ("cpu", "cpu0", "cpu1", …)
 *   ROOT/self/statm   this process's resident pages (second field)
 *   ROOT/meminfo      MemTotal, MemAvailable, SwapTotal and SwapFree
 *
 * CPU busy percentages come from the difference of two readings.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Cumulative jiffies of one /proc/stat reading.  Index 0 is the "cpu" line
 * (all cores), index 1 + i is core i; n_cores does not count index 0. */
typedef struct
{
  guint    n_cores;
  guint64 *busy;        /* user + nice + system + irq + softirq + steal */
  guint64 *total;       /* busy + idle + iowait */
} WlCpuTimes;

typedef struct
{
  guint64 process_rss;  /* bytes resident for this process */
  guint64 system_used;  /* bytes: MemTotal - MemAvailable */
  guint64 system_total; /* bytes: MemTotal */
  guint64 swap_used;    /* bytes: SwapTotal - SwapFree (0 without swap) */
} WlMemory;

typedef struct _WlProcReader WlProcReader;

void          wl_cpu_times_clear      (WlCpuTimes        *times);
/* Fills @per_core (after->n_cores values) and @all with the busy share,
 * 0..100, between two readings.  When the set of cores changed (a core went
 * offline), only @all is meaningful: @per_core is zeroed and FALSE is
 * returned. */
gboolean      wl_cpu_times_busy       (const WlCpuTimes  *before,
                                       const WlCpuTimes  *after,
                                       double            *per_core,
                                       double            *all);

/* @proc_root: NULL for "/proc". */
WlProcReader *wl_proc_reader_new      (const char        *proc_root);
void          wl_proc_reader_free     (WlProcReader      *reader);
/* Reads ROOT/stat into @times (its arrays are reused and grown). */
gboolean      wl_proc_reader_read_cpu (WlProcReader      *reader,
                                       WlCpuTimes        *times,
                                       GError           **error);
/* Reads ROOT/self/statm and ROOT/meminfo. */
gboolean      wl_proc_reader_read_memory (WlProcReader   *reader,
                                          WlMemory       *memory,
                                          GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlProcReader, wl_proc_reader_free)

G_END_DECLS
