/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-recorder-checkpoint.c: when to checkpoint, the copies of the model
 * the run hands over, and the files and rows the writer makes of them.
 *
 * An epoch ends with a checkpoint when the interval since the last one has
 * passed: by default 100 times what the last one cost (the copies on the
 * run's thread and the writer's CPU time), which keeps checkpoints under
 * 1 % of the training however short the epochs; epochs longer than that
 * are each checkpointed.  The run waits for the previous checkpoint to be
 * on the disk before it hands over the next one.  Every checkpoint also
 * brings the best one up to date, so that the trainer's state in its row
 * (best epoch, best metric) always matches the best file.
 */
#include "config.h"

#include <math.h>

#include "models/wl-model-file.h"
#include "store/wl-run-recorder-private.h"

#define CHECKPOINT_BUDGET 0.01   /* of the training time, by default */
/* Before the first checkpoint tells, what one costs: copying, serialising
 * and writing 4 bytes a parameter at this speed (a cautious one). */
#define CHECKPOINT_BYTES_PER_S (200.0 * 1000 * 1000)

gboolean
wl_recorder_pending_has_work (const WlRecorderPending *pending)
{
  return pending->model != NULL || pending->best != NULL;
}

void
wl_recorder_pending_clear (WlRecorderPending *pending)
{
  g_clear_pointer (&pending->model, wl_model_free);
  g_clear_pointer (&pending->state, g_bytes_unref);
  g_clear_pointer (&pending->best, wl_model_free);
  g_clear_pointer (&pending->last.path, g_free);
  g_clear_pointer (&pending->best_record.path, g_free);
  pending->best_record.epoch = 0;
}

void
wl_run_recorder_set_checkpoint_interval (WlRunRecorder *self,
                                         double         seconds)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->interval = seconds;
  g_mutex_unlock (&self->mutex);
}

/* Under mutex.  @elapsed: seconds since the run (this attempt) started. */
static gboolean
checkpoint_due (WlRunRecorder *self,
                const WlModel *model,
                double         elapsed)
{
  double cost = self->last_cost > 0 ? self->last_cost
                : 4.0 * wl_model_n_parameters (model) / CHECKPOINT_BYTES_PER_S;
  double interval = self->interval >= 0 ? self->interval : cost / CHECKPOINT_BUDGET;

  return elapsed - self->last_elapsed >= interval;
}

static void
set_labels (WlRunRecorder       *self,
            const char * const  *labels,
            guint                n_labels)
{
  if (self->labels != NULL)
    return;
  self->labels = g_new0 (char *, n_labels + 1);
  for (guint i = 0; i < n_labels; i++)
    self->labels[i] = g_strdup (labels[i]);
}

typedef struct
{
  WlEpochRecord record;
  guint         n_epochs;
} EpochRow;

static gboolean
write_epoch (WlRunRecorder  *self,
             gpointer        data,
             GError        **error)
{
  EpochRow *row = data;

  return wl_store_insert_epoch (self->db, self->id, &row->record, row->n_epochs, error);
}

static EpochRow *
epoch_row (const WlEvent *event,
           double         elapsed)
{
  EpochRow *row = g_new (EpochRow, 1);

  row->n_epochs = event->n_epochs;
  row->record = (WlEpochRecord) {
    .epoch = event->epoch,
    .elapsed = elapsed,
    .train_loss = event->train_loss,
    .valid_loss = event->valid_loss,
    .valid_accuracy = event->valid_accuracy,
    .valid_macro_f1 = event->valid_macro_f1,
    .tokens_per_s = event->tokens_per_s,
    .lr = event->lr,
    .is_best = event->is_best,
  };
  return row;
}

/* On the run's thread after every epoch.  The epoch's row goes with the
 * checkpoint, if there is one, so that both land in one transaction. */
gboolean
wl_run_recorder_on_checkpoint (WlRun               *run,
                               const WlCheckpoint  *checkpoint,
                               gpointer             data,
                               GError             **error)
{
  WlRunRecorder *self = data;
  const WlEvent *event = checkpoint->event;
  gint64 start = g_get_monotonic_time ();
  double elapsed = self->offset + event->elapsed;
  WlRecorderPending pending = { 0 };
  g_autoptr(GError) local_error = NULL;
  gboolean due, need_best;

  g_mutex_lock (&self->mutex);
  due = self->error == NULL && checkpoint_due (self, checkpoint->model, event->elapsed);
  need_best = checkpoint->stop.best_epoch > 0 &&
              checkpoint->stop.best_epoch != self->best_written &&
              (checkpoint->stop.best_epoch == event->epoch || checkpoint->best != NULL);
  g_mutex_unlock (&self->mutex);

  if (due)
    {
      pending.last = (WlCheckpointRecord) {
        .kind = WL_CHECKPOINT_LAST,
        .epoch = event->epoch,
        .best_epoch = checkpoint->stop.best_epoch,
        .best_metric = checkpoint->stop.best_metric,
        .since_best = checkpoint->stop.since_best,
        .elapsed = elapsed,
      };
      pending.model = wl_model_clone (checkpoint->model);
      pending.state = wl_model_save_state (checkpoint->model, &local_error);
      if (need_best)
        {
          pending.best_record = pending.last;
          pending.best_record.kind = WL_CHECKPOINT_BEST;
          pending.best_record.epoch = checkpoint->stop.best_epoch;
          if (checkpoint->stop.best_epoch != event->epoch)
            pending.best = wl_model_clone (checkpoint->best);
        }
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      wl_recorder_pending_clear (&pending);
      return FALSE;
    }
  g_mutex_lock (&self->mutex);
  while (due && self->error == NULL && !self->stop && self->committed < self->handed)
    g_cond_wait (&self->written, &self->mutex);
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      g_mutex_unlock (&self->mutex);
      wl_recorder_pending_clear (&pending);
      return FALSE;
    }
  wl_run_recorder_push_locked (self, write_epoch, epoch_row (event, elapsed), g_free, TRUE);
  if (due)
    {
      set_labels (self, checkpoint->labels, checkpoint->n_labels);
      pending.copy_seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      self->pending = pending;
      self->handed++;
      self->last_elapsed = event->elapsed;
      if (need_best)
        self->best_written = checkpoint->stop.best_epoch;
    }
  self->stats.run_seconds += (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

void
wl_run_recorder_on_final_model (WlRun              *run,
                                const WlModel      *model,
                                const char * const *labels,
                                guint               n_labels,
                                gpointer            data)
{
  WlRunRecorder *self = data;
  const WlRunSummary *summary = wl_run_get_summary (run);
  WlModel *copy = NULL;
  gboolean stale;

  g_mutex_lock (&self->mutex);
  /* A refit model (model.refit) is never the checkpointed best epoch's. */
  stale = summary->best_epoch > 0 &&
          (summary->best_epoch != self->best_written || summary->refit_epochs > 0);
  g_mutex_unlock (&self->mutex);
  if (!stale)
    return;

  /* The run's model holds the best weights now, or the refit's: copied
   * here, on the run's thread, as the epochs' checkpoints are (a copy of
   * the larger embedding tables takes tens of milliseconds). */
  copy = wl_model_clone (model);
  g_mutex_lock (&self->mutex);
  set_labels (self, labels, n_labels);
  g_clear_pointer (&self->pending.best, wl_model_free);
  self->pending.best = copy;
  self->pending.best_record = (WlCheckpointRecord) {
    .kind = WL_CHECKPOINT_BEST,
    .epoch = summary->best_epoch,
    .best_epoch = summary->best_epoch,
    .best_metric = summary->best_metric,
    .elapsed = self->offset + (g_get_monotonic_time () - self->start_time) / (double) G_USEC_PER_SEC,
  };
  self->best_written = summary->best_epoch;
  g_mutex_unlock (&self->mutex);
}

/* The writer thread */

static gboolean
write_model (WlRunRecorder       *self,
             const WlModel       *model,
             GBytes              *state,
             WlCheckpointRecord  *record,
             GError             **error)
{
  g_autofree char *dir = wl_store_get_run_dir (self->db, self->id);
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = wl_model_file_to_bytes_with_state (model, state, (const char * const *) self->labels,
                                             g_strv_length (self->labels), error);
  if (bytes == NULL)
    return FALSE;
  record->path = g_strdup_printf ("epoch-%u.wlm", record->epoch);
  record->size = g_bytes_get_size (bytes);
  path = g_build_filename (dir, record->path, NULL);
  if (!wl_store_write_file (path, bytes, error))
    return FALSE;
  g_mutex_lock (&self->mutex);
  self->stats.checkpoints++;
  self->stats.checkpoint_bytes += record->size;
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

/* Under names no row points at yet. */
gboolean
wl_run_recorder_write_checkpoint_files (WlRunRecorder      *self,
                                        WlRecorderPending  *pending,
                                        GError            **error)
{
  double cpu = wl_recorder_thread_cpu_seconds ();

  if (!wl_recorder_pending_has_work (pending))
    return TRUE;
  if (pending->model != NULL &&
      !write_model (self, pending->model, pending->state, &pending->last, error))
    return FALSE;
  if (pending->best != NULL)
    {
      if (!write_model (self, pending->best, NULL, &pending->best_record, error))
        return FALSE;
    }
  else if (pending->best_record.epoch > 0)
    {
      /* The latest epoch is the best: one file for both. */
      pending->best_record.path = g_strdup (pending->last.path);
      pending->best_record.size = pending->last.size;
    }
  g_mutex_lock (&self->mutex);
  self->last_cost = pending->copy_seconds + wl_recorder_thread_cpu_seconds () - cpu;
  g_mutex_unlock (&self->mutex);
  return TRUE;
}

gboolean
wl_run_recorder_write_checkpoint_rows (WlRunRecorder      *self,
                                       WlRecorderPending  *pending,
                                       GError            **error)
{
  return (pending->model == NULL ||
          wl_store_set_checkpoint (self->db, self->id, &pending->last, error)) &&
         (pending->best_record.epoch == 0 ||
          wl_store_set_checkpoint (self->db, self->id, &pending->best_record, error));
}
