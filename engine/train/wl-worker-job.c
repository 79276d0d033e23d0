/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-worker-job.c: a blocking engine job as an _async/_finish pair. */
#include "config.h"

#include "train/wl-main-progress.h"
#include "train/wl-worker-job.h"

typedef struct
{
  WlWorkerFunc    func;
  gpointer        job;
  GDestroyNotify  job_free;
  GDestroyNotify  result_free;
  WlMainProgress *progress;   /* NULL: none wanted */
} Task;

static void
task_free (Task *task)
{
  if (task->job_free != NULL)
    task->job_free (task->job);
  wl_main_progress_unref (task->progress);
  g_free (task);
}

static void
run_in_thread (GTask        *gtask,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Task *task = task_data;
  GError *error = NULL;
  gpointer result = task->func (task->job,
                                task->progress != NULL ? wl_main_progress_report : NULL,
                                task->progress, cancellable, &error);

  if (result == NULL)
    g_task_return_error (gtask, error);
  else
    g_task_return_pointer (gtask, result, task->result_free);
}

void
wl_worker_job_run (gpointer             source_tag,
                   WlWorkerFunc         func,
                   gpointer             job,
                   GDestroyNotify       job_free,
                   GDestroyNotify       result_free,
                   WlProgressFunc       progress,
                   gpointer             progress_data,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) gtask = g_task_new (NULL, cancellable, callback, user_data);
  Task *task = g_new0 (Task, 1);

  g_return_if_fail (func != NULL);

  *task = (Task) { func, job, job_free, result_free, wl_main_progress_new (progress, progress_data) };
  g_task_set_source_tag (gtask, source_tag);
  g_task_set_task_data (gtask, task, (GDestroyNotify) task_free);
  g_task_run_in_thread (gtask, run_in_thread);
}

gpointer
wl_worker_job_finish (GAsyncResult  *result,
                      gpointer       source_tag,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
