/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-worker-job.h: the _async/_finish pair of an engine job.
 *
 * The engine's long jobs (the deployment card, predicting a file, the
 * test part of a stored run) each have a blocking form that takes a
 * WlProgressFunc and a GCancellable.  Their _async forms are this one
 * helper: the job runs on a worker thread (a GTask with the job's source
 * tag), its progress is delivered on the caller's main context
 * (WlMainProgress), and _finish returns its result. */
#pragma once

#include <gio/gio.h>

#include "io/wl-dataset.h"

G_BEGIN_DECLS

/* The blocking job, called on the worker with @job (the caller's data):
 * returns its result, or NULL with @error set.  @progress is NULL when
 * no progress is wanted. */
typedef gpointer (*WlWorkerFunc) (gpointer         job,
                                  WlProgressFunc   progress,
                                  gpointer         progress_data,
                                  GCancellable    *cancellable,
                                  GError         **error);

/* Runs @func (@job) on a worker; takes @job, freed with @job_free (may be
 * NULL) once the task is done.  @result_free frees a result that nobody
 * finished.  @progress (may be NULL) is called on the caller's
 * thread-default main context. */
void     wl_worker_job_run    (gpointer             source_tag,
                               WlWorkerFunc         func,
                               gpointer             job,
                               GDestroyNotify       job_free,
                               GDestroyNotify       result_free,
                               WlProgressFunc       progress,
                               gpointer             progress_data,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
/* The job's result (owned by the caller), or NULL with @error set. */
gpointer wl_worker_job_finish (GAsyncResult        *result,
                               gpointer             source_tag,
                               GError             **error);

G_END_DECLS
