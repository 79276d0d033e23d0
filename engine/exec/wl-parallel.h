/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-parallel.h: an ordered, cancellable parallel for-loop.
 *
 * wl_parallel_for() splits the items 0 .. n_items - 1 into chunks that the
 * workers take in turn from an atomic counter (dynamic scheduling), so a
 * slow chunk never holds the others up.  The calling thread is worker 0 and
 * works too; the other workers come from one process-wide thread pool that
 * grows to the largest number of threads ever asked for.  Each item is
 * handled exactly once unless the loop is cancelled, so a callback that
 * writes out[i] for its items keeps the output in input order.
 *
 * Calls may nest (a callback may itself call wl_parallel_for()): a caller
 * only ever waits for chunks that are already running.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Handles items @begin .. @end - 1.  @worker is in 0 .. n_threads - 1 and
 * is unique among the callbacks running at the same time for one loop, so
 * it can index per-worker scratch space.  A long callback may return early
 * when the loop's cancellable is cancelled; the loop then fails. */
typedef void (*WlParallelFunc) (gsize    begin,
                                gsize    end,
                                gpointer user_data,
                                guint    worker);

/* The names of the threads that do the engine's work, as /proc shows them
 * (15 bytes at most): a run's own thread and the shared pool's workers.
 * The OpenBLAS threads they start inherit them.  The Resources page tells
 * Wordloom's CPU time apart by them (monitor/wl-proc-threads.h). */
#define WL_RUN_THREAD_NAME  "wordloom-run"
#define WL_WORK_THREAD_NAME "wordloom-work"

/* 0 means one thread per processor. */
guint    wl_parallel_resolve_threads (guint           n_threads);

/* Runs @func over 0 .. @n_items - 1 on @n_threads threads (0 = one per
 * processor) in chunks of @chunk_size items (0 = picked from n_items and
 * the thread count).  Workers look at @cancellable between chunks.  Returns
 * FALSE with WL_ERROR_CANCELLED when @cancellable was cancelled before the
 * loop returned; some items may then not have been handled. */
gboolean wl_parallel_for             (gsize           n_items,
                                      gsize           chunk_size,
                                      guint           n_threads,
                                      WlParallelFunc  func,
                                      gpointer        user_data,
                                      GCancellable   *cancellable,
                                      GError        **error);

/* Background mode, for a process with a window: every thread that does the
 * engine's heavy work (a run's thread, the pool's workers, and the OpenBLAS
 * threads they start) runs at a lower priority (nice + WL_BACKGROUND_NICE)
 * than the rest of the process, so that the main loop gets a core at once
 * when it needs one, however busy the machine.  Off by default (the CLI).
 * wl_parallel_enter_work_thread() applies it to the calling thread; the
 * pool and the run call it for theirs. */
#define WL_BACKGROUND_NICE 5
void     wl_parallel_set_background    (gboolean        background);
void     wl_parallel_enter_work_thread (void);

G_END_DECLS
