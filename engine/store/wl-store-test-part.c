/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-test-part.c: a stored run's test part, derived again. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "store/wl-store-private.h"
#include "store/wl-store-test-part.h"
#include "train/wl-run-split.h"
#include "train/wl-worker-job.h"
#include "wl-error.h"

static gboolean
check_input (const WlRunRecord  *record,
             const WlConfig     *config,
             GCancellable       *cancellable,
             GError            **error)
{
  WlDatasetCheck check;

  if (config->data.test_input != NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("Run %lld was tested on a separate file, %s, which the run store does not "
                     "identify, so its test part cannot be made again"),
                   (long long) record->id, config->data.test_input);
      return FALSE;
    }
  if (record->n_test == 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA,
                   _("Run %lld kept no rows for testing"),
                   (long long) record->id);
      return FALSE;
    }
  if (!wl_store_check_dataset (record, &check, cancellable, error))
    return FALSE;
  switch (check)
    {
    case WL_DATASET_GONE:
      g_set_error (error, WL_ERROR, WL_ERROR_IO,
                   _("Run %lld trained on %s, which is gone, so its test part cannot be made "
                     "again; put the file back"),
                   (long long) record->id, record->dataset);
      return FALSE;
    case WL_DATASET_CHANGED:
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("%s changed since run %lld trained on it (its size or content differs), so "
                     "its test part cannot be made again; put the original file back"),
                   record->dataset, (long long) record->id);
      return FALSE;
    case WL_DATASET_SAME:
    default:
      return TRUE;
    }
}

WlDataset *
wl_store_load_test_part (const WlRunRecord  *record,
                         WlProgressFunc      progress,
                         gpointer            progress_data,
                         GCancellable       *cancellable,
                         GError            **error)
{
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(GError) local_error = NULL;
  WlDataset *test;

  g_return_val_if_fail (record != NULL, NULL);

  if (record->config == NULL || !wl_config_merge_json (config, record->config, -1, &local_error))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("The settings of run %lld do not read: %s"),
                   (long long) record->id,
                   local_error != NULL ? local_error->message : _("none were stored"));
      return NULL;
    }
  if (!check_input (record, config, cancellable, error))
    return NULL;
  if ((test = wl_run_load_test_part (config, progress, progress_data, cancellable, error)) == NULL)
    return NULL;
  /* The same file, read and split the same way, gives the same rows. */
  if (wl_dataset_get_n_rows (test) != record->n_test)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("The test part of run %lld made again from %s has %zu rows, not the %llu it "
                     "had"),
                   (long long) record->id, record->dataset, wl_dataset_get_n_rows (test),
                   (unsigned long long) record->n_test);
      wl_dataset_free (test);
      return NULL;
    }
  return test;
}

static gpointer
load_job (gpointer         record,
          WlProgressFunc   progress,
          gpointer         progress_data,
          GCancellable    *cancellable,
          GError         **error)
{
  return wl_store_load_test_part (record, progress, progress_data, cancellable, error);
}

void
wl_store_load_test_part_async (const WlRunRecord    *record,
                               WlProgressFunc        progress,
                               gpointer              progress_data,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_return_if_fail (record != NULL);

  wl_worker_job_run (wl_store_load_test_part_async, load_job, (gpointer) record, NULL,
                     (GDestroyNotify) wl_dataset_free, progress, progress_data, cancellable,
                     callback, user_data);
}

WlDataset *
wl_store_load_test_part_finish (GAsyncResult  *result,
                                GError       **error)
{
  return wl_worker_job_finish (result, wl_store_load_test_part_async, error);
}
