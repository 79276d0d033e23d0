/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-resume.c: a run that goes on from its last checkpoint. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "models/wl-model-file.h"
#include "store/wl-run-recorder.h"
#include "store/wl-store-private.h"
#include "wl-error.h"

/* Resuming on other data would mix two datasets in one model. */
static gboolean
check_dataset (const WlRunRecord  *record,
               GError            **error)
{
  WlDatasetCheck check;

  if (!wl_store_check_dataset (record, &check, NULL, error))
    return FALSE;
  switch (check)
    {
    case WL_DATASET_GONE:
      g_set_error (error, WL_ERROR, WL_ERROR_IO,
                   _("Run %lld trained on %s, which is gone; put the file back to resume it"),
                   (long long) record->id, record->dataset);
      return FALSE;
    case WL_DATASET_CHANGED:
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("%s changed since run %lld started (its size or content differs); "
                     "resume needs the same data: put the original file back, or start a new run"),
                   record->dataset, (long long) record->id);
      return FALSE;
    case WL_DATASET_SAME:
    default:
      return TRUE;
    }
}

static WlModel *
load_checkpoint (const WlCheckpointRecord  *checkpoint,
                 gint64                     id,
                 GPtrArray                **labels,
                 GError                   **error)
{
  g_autoptr(GError) local_error = NULL;
  WlModel *model = wl_model_file_load (checkpoint->path, labels, &local_error);

  if (model == NULL)
    g_set_error (error, WL_ERROR, WL_ERROR_IO,
                 _("Cannot resume run %lld from its checkpoint of epoch %u: %s"),
                 (long long) id, checkpoint->epoch, local_error->message);
  return model;
}

gboolean
wl_store_run_can_resume (const WlRunRecord  *record,
                         gboolean            has_checkpoint,
                         GError            **error)
{
  g_return_val_if_fail (record != NULL, FALSE);

  switch (record->state)
    {
    case WL_RUN_STATE_FINISHED:
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("Run %lld finished; there is nothing to resume (its best "
                     "checkpoint is its model)"), (long long) record->id);
      return FALSE;
    case WL_RUN_STATE_RUNNING:
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("Run %lld is still being trained by another process; "
                     "wait for it or stop it first"), (long long) record->id);
      return FALSE;
    case WL_RUN_STATE_FAILED:
      /* A run that trained an epoch failed on something else than its
       * input or settings (the store's disk, a device): it can go on. */
      if (has_checkpoint || record->epochs_run > 0)
        return TRUE;
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("Run %lld failed before its first epoch ended (%s); resuming it would fail "
                     "the same way: fix the cause and start a new run"),
                   (long long) record->id,
                   record->error != NULL ? record->error : _("no reason was recorded"));
      return FALSE;
    case WL_RUN_STATE_CANCELLED:
    case WL_RUN_STATE_INTERRUPTED:
    default:
      /* Without a checkpoint it starts over. */
      return TRUE;
    }
}

WlRun *
wl_store_resume_run (WlStore  *store,
                     gint64    id,
                     GError  **error)
{
  g_autoptr(WlRunRecord) record = NULL;
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(WlCheckpointRecord) last = NULL;
  g_autoptr(WlCheckpointRecord) best = NULL;
  g_autoptr(GError) local_error = NULL;
  WlResumePoint point = { 0 };
  WlRun *run;

  g_return_val_if_fail (store != NULL, NULL);

  if ((record = wl_store_get_run (store, id, error)) == NULL)
    return NULL;
  last = wl_store_get_checkpoint (store, id, WL_CHECKPOINT_LAST, &local_error);
  if (local_error == NULL)
    best = wl_store_get_checkpoint (store, id, WL_CHECKPOINT_BEST, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!wl_store_run_can_resume (record, last != NULL, error))
    return NULL;
  if (!wl_config_merge_json (config, record->config, -1, &local_error))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("Cannot resume run %lld: its stored settings do not read (%s)"),
                   (long long) id, local_error->message);
      return NULL;
    }
  if (!check_dataset (record, error))
    return NULL;
  run = wl_run_new (config);
  if (last == NULL)
    return run;   /* stopped before its first epoch ended: start over */

  if ((point.model = load_checkpoint (last, id, &point.labels, error)) == NULL)
    goto fail;
  if (best != NULL && best->epoch == last->epoch)
    point.best = wl_model_clone (point.model);
  else if (best != NULL && (point.best = load_checkpoint (best, id, NULL, error)) == NULL)
    goto fail;
  point.stop = (WlEarlyStopState) {
    .epochs_done = last->epoch,
    .best_epoch = last->best_epoch,
    .best_metric = last->best_metric,
    .since_best = last->since_best,
  };
  wl_run_set_resume_point (run, &point);
  return run;

fail:
  g_clear_pointer (&point.model, wl_model_free);
  g_clear_pointer (&point.labels, g_ptr_array_unref);
  wl_run_unref (run);
  return NULL;
}
