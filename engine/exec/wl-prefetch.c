/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-prefetch.c: one piece of input filled ahead on a thread of its own pool. */
#include "config.h"

#include <pthread.h>

#include "exec/wl-parallel.h"
#include "exec/wl-prefetch.h"

struct _WlPrefetch
{
  WlPrefetchFunc  func;
  gpointer        user_data;
  gboolean        threaded;

  GMutex          mutex;
  GCond           cond;
  gpointer        piece;      /* started and not yet collected; NULL when none */
  gboolean        filling;    /* a prefetch thread has it */
  gboolean        ok;
  GError         *error;
};

static GThreadPool *pool;
static _Thread_local gboolean thread_named;

gboolean
wl_prefetch_enabled (void)
{
  return g_strcmp0 (g_getenv ("WORDLOOM_PREFETCH"), "0") != 0;
}

static void
fill (gpointer data,
      gpointer pool_data)
{
  WlPrefetch *self = data;
  GError *error = NULL;
  gboolean ok;

  if (!thread_named)
    {
      pthread_setname_np (pthread_self (), WL_WORK_THREAD_NAME);
      thread_named = TRUE;
    }
  wl_parallel_enter_work_thread ();
  ok = self->func (self->piece, self->user_data, &error);

  g_mutex_lock (&self->mutex);
  self->ok = ok;
  self->error = error;
  self->filling = FALSE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}

static GThreadPool *
get_pool (void)
{
  static GMutex mutex;

  g_mutex_lock (&mutex);
  /* Unbounded: each trainer thread has at most one piece in flight, and
   * none may wait behind another's. */
  if (pool == NULL)
    pool = g_thread_pool_new (fill, NULL, -1, FALSE, NULL);
  g_mutex_unlock (&mutex);
  return pool;
}

WlPrefetch *
wl_prefetch_new (WlPrefetchFunc func,
                 gpointer       user_data)
{
  WlPrefetch *self = g_new0 (WlPrefetch, 1);

  g_return_val_if_fail (func != NULL, NULL);

  self->func = func;
  self->user_data = user_data;
  self->threaded = wl_prefetch_enabled ();
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  return self;
}

void
wl_prefetch_start (WlPrefetch *self,
                   gpointer    piece)
{
  g_return_if_fail (self != NULL && piece != NULL);
  g_return_if_fail (self->piece == NULL);

  self->piece = piece;
  self->ok = FALSE;
  if (!self->threaded)
    return;
  self->filling = TRUE;
  /* g_thread_pool_push() starts a thread when none is free, so the piece
   * never waits behind another trainer thread's. */
  g_thread_pool_push (get_pool (), self, NULL);
}

gboolean
wl_prefetch_wait (WlPrefetch  *self,
                  gint64      *waited_us,
                  GError     **error)
{
  gint64 start = g_get_monotonic_time ();
  gboolean ok;

  g_return_val_if_fail (self != NULL && self->piece != NULL, FALSE);

  if (self->threaded)
    {
      g_mutex_lock (&self->mutex);
      while (self->filling)
        g_cond_wait (&self->cond, &self->mutex);
      g_mutex_unlock (&self->mutex);
      ok = self->ok;
      if (!ok)
        g_propagate_error (error, g_steal_pointer (&self->error));
    }
  else
    ok = self->func (self->piece, self->user_data, error);
  self->piece = NULL;
  if (waited_us != NULL)
    *waited_us += g_get_monotonic_time () - start;
  return ok;
}

void
wl_prefetch_free (WlPrefetch *self)
{
  if (self == NULL)
    return;
  /* A piece in flight still writes into the caller's buffer: wait for it
   * (one piece: bounded) before the caller frees that. */
  g_mutex_lock (&self->mutex);
  while (self->filling)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
  g_clear_error (&self->error);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}
