/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-recorder.h: records a run into the store as it trains.
 *
 *   recorder = wl_run_recorder_new (store, run, 0, "model.wlm", &error);
 *   wl_run_start (run, context, on_event, data);
 *     on_event: wl_run_recorder_handle_event (recorder, event); …
 *   after FINISHED, FAILED or CANCELLED:
 *   wl_run_recorder_finish (recorder, &error);
 *
 * The recorder writes on its own thread and its own connection, in
 * batched transactions: at most about one a second, and at once at stage,
 * epoch and end events.  After every epoch it checkpoints the model (the
 * latest epoch, and the best one by the validation metric) as native model
 * files next to the store: serialised on the run's thread, written to a
 * temporary name, synced and renamed on the recorder's, and pointed at by
 * their rows in the same transaction as the epoch's metrics.  A crash
 * loses at most the work since the last checkpoint: the run hands over a
 * checkpoint only once the previous one is on the disk, so with a
 * checkpoint every epoch, when epoch N has been reported, epoch N - 1 at
 * least is safe.  How often: wl_run_recorder_set_checkpoint_interval().
 *
 * When the store cannot be written (a full disk, a folder made read-only)
 * the run fails at its next epoch with the store's error, and
 * wl_run_recorder_finish() returns it; what was committed stays intact.
 */
#pragma once

#include "store/wl-store.h"
#include "train/wl-run.h"

G_BEGIN_DECLS

typedef struct _WlRunRecorder WlRunRecorder;

/* What recording has cost so far. */
typedef struct
{
  double  run_seconds;        /* on the run's thread: copying the model, waiting */
  double  writer_cpu_seconds; /* CPU time of the writer's batches (rows and
                               * checkpoint files; hashing the dataset aside) */
  double  writer_cpu_training; /* of which until the training stage ended */
  guint   commits;
  guint   checkpoints;
  guint64 checkpoint_bytes;   /* written, in all */
} WlRecorderStats;

/* Records @run (not started yet) as a new run, or with @resume_id > 0 as
 * the resumption of that run (@run from wl_store_resume_run()).  @output
 * is where the caller saves the model (may be NULL). */
WlRunRecorder *wl_run_recorder_new          (WlStore                 *store,
                                             WlRun                   *run,
                                             gint64                   resume_id,
                                             const char              *output,
                                             GError                 **error);
gint64         wl_run_recorder_get_id       (WlRunRecorder           *recorder);
/* Call with every event of the run, on its main context. */
void           wl_run_recorder_handle_event (WlRunRecorder           *recorder,
                                             const WlEvent           *event);
/* From any thread: a resource sample, stamped with the run's time (its
 * elapsed field is ignored). */
void           wl_run_recorder_add_sample   (WlRunRecorder           *recorder,
                                             const WlResourceSample  *sample);
/* Writes what is left and stops the writer; FALSE with the first error
 * the store gave, if any. */
gboolean       wl_run_recorder_finish       (WlRunRecorder           *recorder,
                                             GError                 **error);
void           wl_run_recorder_get_stats    (WlRunRecorder           *recorder,
                                             WlRecorderStats         *stats);
/* Seconds between checkpoints: 0 checkpoints every epoch; < 0 (the
 * default) keeps them under 1 % of the training (100 times what the last
 * one cost), which checkpoints every epoch that is longer than that. */
void           wl_run_recorder_set_checkpoint_interval (WlRunRecorder *recorder,
                                             double                   seconds);
/* Finishes first when needed. */
void           wl_run_recorder_free         (WlRunRecorder           *recorder);

/* A run that continues run @id of @store from its last checkpoint (from
 * the start when it has none), with its config and data: the data file
 * must be the one it started with (same size and content hash, which
 * this computes, so it blocks).  Finished runs and runs that a live
 * process is training are refused. */
WlRun         *wl_store_resume_run          (WlStore                 *store,
                                             gint64                   id,
                                             GError                 **error);
/* Whether run @record can be resumed, given whether it has a last
 * checkpoint (@has_checkpoint); when not, @error says why, for the CLI's
 * train --resume and runs, and the Runs page's Resume.  Finished runs,
 * runs still training and runs that failed before their first epoch
 * ended, with no checkpoint (bad input or settings: resuming would fail
 * the same way), cannot. */
gboolean       wl_store_run_can_resume      (const WlRunRecord       *record,
                                             gboolean                 has_checkpoint,
                                             GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlRunRecorder, wl_run_recorder_free)

G_END_DECLS
