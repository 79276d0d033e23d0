/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-main-progress.c: a worker's progress on the caller's main context. */
#include "config.h"

#include "train/wl-main-progress.h"

struct _WlMainProgress
{
  WlProgressFunc  func;
  gpointer        user_data;
  GMainContext   *context;
};

typedef struct
{
  WlMainProgress *progress;
  guint64         done, total;
} Call;

static void
clear (gpointer data)
{
  g_main_context_unref (((WlMainProgress *) data)->context);
}

WlMainProgress *
wl_main_progress_new (WlProgressFunc func,
                      gpointer       user_data)
{
  WlMainProgress *progress;

  if (func == NULL)
    return NULL;
  progress = g_atomic_rc_box_new0 (WlMainProgress);
  progress->func = func;
  progress->user_data = user_data;
  progress->context = g_main_context_ref_thread_default ();
  return progress;
}

WlMainProgress *
wl_main_progress_ref (WlMainProgress *progress)
{
  return g_atomic_rc_box_acquire (progress);
}

void
wl_main_progress_unref (WlMainProgress *progress)
{
  if (progress != NULL)
    g_atomic_rc_box_release_full (progress, clear);
}

static gboolean
call_on_main (gpointer data)
{
  Call *call = data;

  call->progress->func (call->done, call->total, call->progress->user_data);
  return G_SOURCE_REMOVE;
}

static void
call_free (gpointer data)
{
  Call *call = data;

  wl_main_progress_unref (call->progress);
  g_free (call);
}

void
wl_main_progress_report (guint64  done,
                         guint64  total,
                         gpointer data)
{
  WlMainProgress *progress = data;
  GSource *source;
  Call *call;

  g_return_if_fail (progress != NULL);

  call = g_new (Call, 1);
  *call = (Call) { wl_main_progress_ref (progress), done, total };
  /* Always queued: g_main_context_invoke() would call it on this thread
   * whenever the context is the global default and nobody iterates it. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, call_on_main, call, call_free);
  g_source_set_static_name (source, "[wordloom] progress");
  g_source_attach (source, progress->context);
  g_source_unref (source);
}
