/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-parallel.c: an ordered, cancellable parallel for-loop on a shared pool. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wl-error.h"
#include "exec/wl-parallel.h"

/* Chunks per thread when the caller lets us pick the chunk size: enough for
 * uneven items to balance out, few enough that the counter is not hot. */
#define CHUNKS_PER_THREAD 16
#define MAX_AUTO_CHUNK    1024

typedef struct
{
  atomic_size_t   next;         /* first item not handed out yet */
  atomic_uint     next_worker;  /* the next worker index; 0 is the caller */
  gsize           n_items;
  gsize           chunk_size;
  WlParallelFunc  func;
  gpointer        user_data;
  GCancellable   *cancellable;

  GMutex          mutex;
  GCond           cond;
  guint           running;      /* pool workers inside the loop */
  gboolean        closed;       /* the caller is done: late workers leave */
} WlParallelJob;

static GMutex       pool_mutex;
static GThreadPool *pool;
static atomic_bool  background;
static _Thread_local gboolean thread_in_background;
static _Thread_local gboolean thread_named;

void
wl_parallel_set_background (gboolean on)
{
  atomic_store (&background, on);
}

void
wl_parallel_enter_work_thread (void)
{
  pid_t tid;
  int nice;

  if (thread_in_background || !atomic_load (&background))
    return;
  thread_in_background = TRUE;
  /* On Linux the nice value belongs to the thread, and the threads it
   * starts inherit it.  Lowering it needs no privilege; failing is
   * harmless (the thread keeps its priority). */
  tid = (pid_t) syscall (SYS_gettid);
  errno = 0;
  nice = getpriority (PRIO_PROCESS, tid);
  if (errno == 0)
    setpriority (PRIO_PROCESS, tid, MIN (nice + WL_BACKGROUND_NICE, 19));
}

static void
job_clear (gpointer data)
{
  WlParallelJob *job = data;

  g_mutex_clear (&job->mutex);
  g_cond_clear (&job->cond);
}

static void
job_unref (WlParallelJob *job)
{
  g_atomic_rc_box_release_full (job, job_clear);
}

static void
job_work (WlParallelJob *job,
          guint          worker)
{
  for (;;)
    {
      gsize begin;

      if (g_cancellable_is_cancelled (job->cancellable))
        return;

      begin = atomic_fetch_add (&job->next, job->chunk_size);
      if (begin >= job->n_items)
        return;

      job->func (begin, MIN (begin + job->chunk_size, job->n_items),
                 job->user_data, worker);
    }
}

static void
pool_func (gpointer data,
           gpointer pool_data)
{
  WlParallelJob *job = data;

  /* GLib names its pool threads after the program: name ours for what
   * they do, once. */
  if (!thread_named)
    {
      pthread_setname_np (pthread_self (), WL_WORK_THREAD_NAME);
      thread_named = TRUE;
    }
  wl_parallel_enter_work_thread ();
  g_mutex_lock (&job->mutex);
  if (job->closed)
    {
      g_mutex_unlock (&job->mutex);
      job_unref (job);
      return;
    }
  job->running++;
  g_mutex_unlock (&job->mutex);

  job_work (job, atomic_fetch_add (&job->next_worker, 1));

  g_mutex_lock (&job->mutex);
  if (--job->running == 0)
    g_cond_signal (&job->cond);
  g_mutex_unlock (&job->mutex);
  job_unref (job);
}

/* The shared pool, with at least @n_helpers threads; NULL if no thread
 * could be started, in which case the caller works alone. */
static GThreadPool *
get_pool (guint n_helpers)
{
  GThreadPool *result;

  g_mutex_lock (&pool_mutex);
  if (pool == NULL)
    pool = g_thread_pool_new (pool_func, NULL, (gint) n_helpers, TRUE, NULL);
  else if ((guint) g_thread_pool_get_max_threads (pool) < n_helpers)
    g_thread_pool_set_max_threads (pool, (gint) n_helpers, NULL);
  result = pool;
  g_mutex_unlock (&pool_mutex);

  return result;
}

guint
wl_parallel_resolve_threads (guint n_threads)
{
  return n_threads > 0 ? n_threads : g_get_num_processors ();
}

gboolean
wl_parallel_for (gsize           n_items,
                 gsize           chunk_size,
                 guint           n_threads,
                 WlParallelFunc  func,
                 gpointer        user_data,
                 GCancellable   *cancellable,
                 GError        **error)
{
  WlParallelJob *job;
  GThreadPool *helpers = NULL;
  gsize n_chunks;
  guint n_helpers;

  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (n_items <= G_MAXSIZE / 2, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n_threads = wl_parallel_resolve_threads (n_threads);
  if (chunk_size == 0)
    chunk_size = CLAMP (n_items / ((gsize) n_threads * CHUNKS_PER_THREAD),
                        1, MAX_AUTO_CHUNK);
  /* The counter runs past n_items by up to a chunk per thread. */
  chunk_size = MIN (chunk_size, G_MAXSIZE / 4 / n_threads);
  n_chunks = n_items / chunk_size + (n_items % chunk_size != 0);
  n_helpers = (guint) MIN ((gsize) n_threads, MAX (n_chunks, 1)) - 1;

  job = g_atomic_rc_box_new0 (WlParallelJob);
  atomic_init (&job->next, 0);
  atomic_init (&job->next_worker, 1);
  job->n_items = n_items;
  job->chunk_size = chunk_size;
  job->func = func;
  job->user_data = user_data;
  job->cancellable = cancellable;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);

  if (n_helpers > 0)
    helpers = get_pool (n_helpers);
  for (guint i = 0; helpers != NULL && i < n_helpers; i++)
    g_thread_pool_push (helpers, g_atomic_rc_box_acquire (job), NULL);

  job_work (job, 0);

  /* Every item is handed out (or we were cancelled): wait for the chunks
   * still running; workers that start from now on find nothing to do. */
  g_mutex_lock (&job->mutex);
  job->closed = TRUE;
  while (job->running > 0)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);
  job_unref (job);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, WL_ERROR, WL_ERROR_CANCELLED,
                           _("The operation was cancelled"));
      return FALSE;
    }

  return TRUE;
}
