/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-recorder.c: the recorder's life, its writer thread and batches;
 * wl-run-recorder-events.c turns events into rows and
 * wl-run-recorder-checkpoint.c the model into checkpoint files. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <time.h>

#include "store/wl-run-recorder-private.h"

#define BATCH_INTERVAL_US G_USEC_PER_SEC   /* a commit at most every second… */
                                            /* …but at once at stage, epoch, end */

static void
op_free (WlRecorderOp *op)
{
  if (op->free != NULL)
    op->free (op->data);
  g_free (op);
}

void
wl_run_recorder_push_locked (WlRunRecorder       *self,
                             WlRecorderWriteFunc  func,
                             gpointer             data,
                             GDestroyNotify       free,
                             gboolean             flush)
{
  WlRecorderOp *op = g_new (WlRecorderOp, 1);

  *op = (WlRecorderOp) { func, data, free };
  if (self->error != NULL || self->stop)
    op_free (op);
  else
    {
      g_queue_push_tail (&self->ops, op);
      self->flush |= flush;
      g_cond_signal (&self->cond);
    }
}

void
wl_run_recorder_push (WlRunRecorder       *self,
                      WlRecorderWriteFunc  func,
                      gpointer             data,
                      GDestroyNotify       free,
                      gboolean             flush)
{
  g_mutex_lock (&self->mutex);
  wl_run_recorder_push_locked (self, func, data, free, flush);
  g_mutex_unlock (&self->mutex);
}

/* The writer thread */

static gboolean
write_batch (WlRunRecorder      *self,
             GQueue             *ops,
             WlRecorderPending  *pending,
             GError            **error)
{
  if (!wl_run_recorder_write_checkpoint_files (self, pending, error) ||
      !wl_store_begin (self->db, error))
    goto fail;
  /* The checkpoint first: the end of a finished run drops its last one. */
  if (!wl_run_recorder_write_checkpoint_rows (self, pending, error))
    goto rollback;
  for (GList *l = ops->head; l != NULL; l = l->next)
    {
      WlRecorderOp *op = l->data;

      if (!op->func (self, op->data, error))
        goto rollback;
    }
  if (!wl_store_commit (self->db, error))
    goto rollback;
  g_mutex_lock (&self->mutex);
  self->stats.commits++;
  g_mutex_unlock (&self->mutex);
  /* Committed: the files the rows pointed at before can go. */
  return wl_store_clean_checkpoints (self->db, self->id, error);

rollback:
  wl_store_rollback (self->db);
fail:
  /* Files that no row points at (written just now) go; best effort. */
  wl_store_clean_checkpoints (self->db, self->id, NULL);
  return FALSE;
}

static void
hash_dataset (WlRunRecorder *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = wl_store_hash_file (self->hash_path, NULL, &error);

  /* Without a hash a resume checks the size only; not worth failing for. */
  if (hash == NULL)
    g_debug ("Not hashing %s: %s", self->hash_path, error->message);
  else if (!wl_store_set_run_text (self->db, self->id, "dataset_hash", hash, &error))
    {
      g_mutex_lock (&self->mutex);
      self->error = g_steal_pointer (&error);
      g_mutex_unlock (&self->mutex);
    }
}

double
wl_recorder_thread_cpu_seconds (void)
{
  struct timespec now;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now) != 0)
    return 0;
  return now.tv_sec + now.tv_nsec / 1e9;
}

static gpointer
writer_thread (gpointer data)
{
  WlRunRecorder *self = data;
  gint64 last_commit = g_get_monotonic_time ();

  if (self->hash_path != NULL)
    hash_dataset (self);

  g_mutex_lock (&self->mutex);
  for (;;)
    {
      gboolean has_work = self->ops.length > 0 || wl_recorder_pending_has_work (&self->pending);
      GQueue ops;
      WlRecorderPending pending;
      gboolean stop, failed;
      GError *error = NULL;
      guint taken;
      double cpu;

      if (!self->stop && !self->flush &&
          !(has_work && g_get_monotonic_time () >= last_commit + BATCH_INTERVAL_US))
        {
          if (has_work)
            g_cond_wait_until (&self->cond, &self->mutex, last_commit + BATCH_INTERVAL_US);
          else
            g_cond_wait (&self->cond, &self->mutex);
          continue;
        }

      ops = self->ops;
      g_queue_init (&self->ops);
      taken = self->handed;
      pending = self->pending;
      memset (&self->pending, 0, sizeof self->pending);
      self->flush = FALSE;
      stop = self->stop;
      failed = self->error != NULL;
      g_mutex_unlock (&self->mutex);

      cpu = wl_recorder_thread_cpu_seconds ();
      if (has_work && !failed && !write_batch (self, &ops, &pending, &error))
        {
          g_mutex_lock (&self->mutex);
          self->error = error;
          g_mutex_unlock (&self->mutex);
        }
      g_queue_clear_full (&ops, (GDestroyNotify) op_free);
      wl_recorder_pending_clear (&pending);
      last_commit = g_get_monotonic_time ();

      g_mutex_lock (&self->mutex);
      self->stats.writer_cpu_seconds += wl_recorder_thread_cpu_seconds () - cpu;
      self->committed = taken;
      g_cond_broadcast (&self->written);
      if (stop && self->ops.length == 0)
        break;
    }
  g_mutex_unlock (&self->mutex);
  return NULL;
}

gint64
wl_run_recorder_get_id (WlRunRecorder *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->id;
}

/* Starting */

static gint64
insert_run (WlStore         *db,
            const WlConfig  *config,
            const char      *output,
            GError         **error)
{
  g_autofree char *config_json = wl_run_recorder_config_to_json (config);
  g_autofree char *machine = wl_store_describe_machine ();
  g_autofree char *dataset = config->data.input ? g_canonicalize_filename (config->data.input, NULL) : NULL;
  g_autofree char *output_path = output ? g_canonicalize_filename (output, NULL) : NULL;
  g_autofree char *device = wl_run_recorder_describe_device (config);
  GStatBuf st;
  WlRunStart start = {
    .model = wl_model_type_to_string (config->model.type),
    .config = config_json,
    .output = output_path,
    .dataset = dataset,
    .dataset_size = dataset != NULL && g_stat (dataset, &st) == 0 ? (gint64) st.st_size : -1,
    .machine = machine,
    .device = device,
  };
  gint64 id;

  if (!wl_store_begin (db, error))
    return 0;
  if ((id = wl_store_insert_run (db, &start, error)) == 0 ||
      !wl_store_set_run_text (db, id, "metric",
                              wl_metric_to_string (config->model.early_stop_metric), error) ||
      !wl_store_commit (db, error))
    {
      wl_store_rollback (db);
      return 0;
    }
  return id;
}

/* Drops what the interrupted attempt did after its last checkpoint. */
static gboolean
restart_run (WlRunRecorder  *self,
             GError        **error)
{
  g_autoptr(WlCheckpointRecord) last = NULL;
  GError *local_error = NULL;

  last = wl_store_get_checkpoint (self->db, self->id, WL_CHECKPOINT_LAST, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  self->offset = last != NULL ? last->elapsed : 0.0;
  self->best_written = last != NULL ? last->best_epoch : 0;
  if (!wl_store_begin (self->db, error))
    return FALSE;
  if (!wl_store_restart_run (self->db, self->id, last, error) ||
      !wl_store_commit (self->db, error))
    {
      wl_store_rollback (self->db);
      return FALSE;
    }
  return wl_store_clean_checkpoints (self->db, self->id, error);
}

WlRunRecorder *
wl_run_recorder_new (WlStore     *store,
                     WlRun       *run,
                     gint64       resume_id,
                     const char  *output,
                     GError     **error)
{
  g_autoptr(WlRunRecorder) self = NULL;
  const WlConfig *config;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (run != NULL, NULL);

  config = wl_run_get_config (run);
  self = g_new0 (WlRunRecorder, 1);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_cond_init (&self->written);
  g_queue_init (&self->ops);
  self->run = wl_run_ref (run);
  self->start_time = g_get_monotonic_time ();
  self->interval = -1;
  if ((self->db = wl_store_open (wl_store_get_path (store), error)) == NULL)
    return NULL;

  if (resume_id > 0)
    {
      self->id = resume_id;
      if (!restart_run (self, error))
        return NULL;
    }
  else
    {
      if ((self->id = insert_run (self->db, config, output, error)) == 0)
        return NULL;
      self->hash_path = g_strdup (config->data.input);
    }

  wl_run_set_checkpoint_func (run, wl_run_recorder_on_checkpoint, self);
  wl_run_set_final_model_func (run, wl_run_recorder_on_final_model, self);
  self->thread = g_thread_new ("wordloom-recorder", writer_thread, self);
  return g_steal_pointer (&self);
}

/* The run's end was not written: say why if the disk takes it now, so
 * that the run can be resumed before this process ends.  Interrupted,
 * not failed: the store stopped it, not its data or settings, so it is
 * offered for resume (wl_store_run_can_resume()). */
static void
mark_interrupted (WlRunRecorder *self)
{
  if (!wl_store_begin (self->db, NULL))
    return;
  if (!wl_store_set_run_text (self->db, self->id, "error", self->error->message, NULL) ||
      !wl_store_set_run_text (self->db, self->id, "state",
                              wl_run_state_to_string (WL_RUN_STATE_INTERRUPTED), NULL) ||
      !wl_store_commit (self->db, NULL))
    wl_store_rollback (self->db);
}

gboolean
wl_run_recorder_finish (WlRunRecorder  *self,
                        GError        **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->thread != NULL)
    {
      g_mutex_lock (&self->mutex);
      self->stop = TRUE;
      g_cond_signal (&self->cond);
      g_cond_broadcast (&self->written);
      g_mutex_unlock (&self->mutex);
      g_thread_join (g_steal_pointer (&self->thread));
      if (self->error != NULL)
        mark_interrupted (self);
    }
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return TRUE;
}

void
wl_run_recorder_get_stats (WlRunRecorder   *self,
                           WlRecorderStats *stats)
{
  g_return_if_fail (self != NULL && stats != NULL);

  g_mutex_lock (&self->mutex);
  *stats = self->stats;
  g_mutex_unlock (&self->mutex);
}

void
wl_run_recorder_free (WlRunRecorder *self)
{
  if (self == NULL)
    return;
  wl_run_recorder_finish (self, NULL);
  g_queue_clear_full (&self->ops, (GDestroyNotify) op_free);
  wl_recorder_pending_clear (&self->pending);
  g_strfreev (self->labels);
  g_clear_error (&self->error);
  g_clear_pointer (&self->db, wl_store_close);
  g_clear_pointer (&self->run, wl_run_unref);
  g_free (self->hash_path);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_cond_clear (&self->written);
  g_free (self);
}
