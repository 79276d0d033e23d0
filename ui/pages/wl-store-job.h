/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-job.h: store work for the GUI, on a thread.
 *
 * The GUI never reads or writes the run store on its main thread.  A job
 * opens its own connection (the store runs in WAL mode, so readers and
 * the recorder's writer never wait for each other), calls @func there,
 * and hands its result to @callback on the main thread. */
#pragma once

#include <gio/gio.h>

#include "store/wl-store.h"

G_BEGIN_DECLS

/* Returns the result, or NULL with @error set. */
typedef gpointer (*WlStoreJobFunc) (WlStore   *store,
                                    gpointer   data,
                                    GError   **error);

/* @data is freed with @data_free, a result nobody takes with
 * @result_free; @source is the callback's source object. */
void     wl_store_job_run    (gpointer             source,
                              GCancellable        *cancellable,
                              WlStoreJobFunc       func,
                              gpointer             data,
                              GDestroyNotify       data_free,
                              GDestroyNotify       result_free,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
/* The job's result (the caller owns it), or NULL with @error set. */
gpointer wl_store_job_finish (GAsyncResult        *result,
                              GError             **error);
gpointer wl_store_job_get_data (GAsyncResult      *result);

G_END_DECLS
