/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-proc-threads.h: Wordloom's own CPU time by kind of work, from /proc.
 *
 * Each thread of the process has ROOT/self/task/TID/stat, with its name
 * and its user and system time in clock ticks, the unit of /proc/stat.  The
 * name says what the thread does (the engine names its threads for that,
 * exec/wl-parallel.h), so two readings give the CPU time of the window, of
 * the engine's work and of the rest, each as a share of the whole machine
 * (all cores: the unit of /proc/stat's "cpu" line), which puts Wordloom's
 * figures beside the system's on one axis.  The main thread is the one whose
 * id is the process's (the first field of ROOT/self/stat).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  WL_THREAD_WINDOW,   /* the main thread (the window and its main loop) and
                       * Mesa's software renderer's threads (llvmpipe-N) */
  WL_THREAD_WORK,     /* a run's thread, the pool's workers, their BLAS threads */
  WL_THREAD_OTHER,    /* the sampler, the run store's writer, GLib's and GTK's
                       * helpers, the pages' previews */
  WL_N_THREAD_KINDS
} WlThreadKind;

/* One reading: each thread's id, kind and cumulative ticks. */
typedef struct
{
  guint     n_threads;
  guint     capacity;
  gint64   *tids;
  guint8   *kinds;       /* WlThreadKind */
  guint64  *ticks;       /* utime + stime */
} WlThreadTimes;

WlThreadKind wl_thread_kind_for_name (const char          *name,
                                      gboolean             main_thread);
void         wl_thread_times_clear   (WlThreadTimes       *times);
/* Reads ROOT/self/task/ (@proc_root NULL: "/proc") into @times, whose
 * arrays are reused.  A thread that ends while it is read is left out. */
gboolean     wl_thread_times_read    (WlThreadTimes       *times,
                                      const char          *proc_root,
                                      GError             **error);
/* Fills @busy with each kind's CPU time between two readings, in % of
 * @elapsed_ticks (all cores' ticks between the same two readings of
 * /proc/stat).  A thread that started in between counts from 0; one that
 * ended in between is missing from @after, and so is its last interval. */
void         wl_thread_times_busy    (const WlThreadTimes *before,
                                      const WlThreadTimes *after,
                                      guint64              elapsed_ticks,
                                      double               busy[WL_N_THREAD_KINDS]);

G_END_DECLS
