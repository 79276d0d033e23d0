/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-job.c: store work on a thread, each job with its own connection. */
#include "config.h"

#include "wl-store-job.h"

typedef struct
{
  WlStoreJobFunc  func;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
} Job;

static void
job_free (Job *job)
{
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(WlStore) store = NULL;
  GError *error = NULL;
  gpointer result;

  if ((store = wl_store_open (NULL, &error)) == NULL ||
      (result = job->func (store, job->data, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, job->result_free);
}

void
wl_store_job_run (gpointer             source,
                  GCancellable        *cancellable,
                  WlStoreJobFunc       func,
                  gpointer             data,
                  GDestroyNotify       data_free,
                  GDestroyNotify       result_free,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);
  Job *job = g_new (Job, 1);

  *job = (Job) { func, data, data_free, result_free };
  g_task_set_source_tag (task, wl_store_job_run);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

gpointer
wl_store_job_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gpointer
wl_store_job_get_data (GAsyncResult *result)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return ((Job *) g_task_get_task_data (G_TASK (result)))->data;
}
