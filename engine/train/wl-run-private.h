/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-private.h: what the run's stages share with the run object. */
#pragma once

#include "train/wl-run.h"

G_BEGIN_DECLS

/* The whole pipeline, on the calling thread; fills the run's results. */
gboolean      wl_run_pipeline               (WlRun        *run,
                                             GError      **error);

/* Takes ownership of @event and delivers it (queued, or at once when sync). */
void          wl_run_emit                   (WlRun        *run,
                                             WlEvent      *event);
void          wl_run_emit_message           (WlRun        *run,
                                             WlStage       stage,
                                             const char   *format,
                                             ...) G_GNUC_PRINTF (3, 4);
/* TRUE when a progress event is due (rate limit); @force for the last one. */
gboolean      wl_run_should_report_progress (WlRun        *run,
                                             gboolean      force);

GCancellable *wl_run_get_cancellable        (WlRun        *run);
/* Blocks the worker while the run is paused; returns the microseconds it
 * waited (0 when not paused).  Returns at once when cancelled. */
gint64        wl_run_wait_while_paused      (WlRun        *run);
WlConfig     *wl_run_get_config_mutable     (WlRun        *run);
/* Takes ownership of @config, which replaces the run's. */
void          wl_run_set_config             (WlRun        *run,
                                             WlConfig     *config);
WlRunSummary *wl_run_get_summary_mutable    (WlRun        *run);
/* Take ownership. */
void          wl_run_set_data               (WlRun        *run,
                                             WlDataset    *dataset,
                                             WlDataset    *test_dataset,
                                             GArray       *test_rows);
void          wl_run_set_result             (WlRun        *run,
                                             WlClassifier *classifier,
                                             WlEvaluation *evaluation);

/* After loading: keeps the labels and their counts; fails when a resumed
 * run's data does not have the labels of its checkpoint. */
gboolean      wl_run_set_labels             (WlRun           *run,
                                             const WlDataset *dataset,
                                             GError         **error);
/* NULL unless resuming; the pipeline and the trainer take what they use. */
WlResumePoint *wl_run_get_resume_point      (WlRun        *run);
/* Hands an epoch to the checkpoint hook (stamping @event's elapsed time);
 * TRUE when there is none. */
gboolean      wl_run_checkpoint             (WlRun           *run,
                                             const WlModel   *model,
                                             const WlModel   *best,
                                             WlEvent         *event,
                                             const WlEarlyStopState *stop,
                                             GError         **error);

G_END_DECLS
