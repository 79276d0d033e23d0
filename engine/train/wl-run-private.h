/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-private.h: what the run's stages share with the run object. */
#pragma once

#include "io/wl-dataset.h"
#include "models/wl-model.h"
#include "text/wl-preprocess.h"
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
/* Hands the model the run ends with to the final model hook, if any. */
void          wl_run_final_model            (WlRun           *run,
                                             const WlModel   *model);
/* Hands an epoch to the checkpoint hook (stamping @event's elapsed time);
 * TRUE when there is none. */
gboolean      wl_run_checkpoint             (WlRun           *run,
                                             const WlModel   *model,
                                             const WlModel   *best,
                                             WlEvent         *event,
                                             const WlEarlyStopState *stop,
                                             GError         **error);

/* One part of the data on its way through the stages (wl-run-pipeline.c). */
typedef struct
{
  const WlDataset *dataset;
  const guint32   *rows;      /* of dataset, in the part's order */
  const char     **texts;     /* in memory only: the rows' texts */
  guint32         *labels;
  gsize            n;
  WlTokenList     *tokens;
  WlFeatures      *features;
  guint64          n_tokens;
} WlRunPart;

/* Cleans and tokenises @part's texts in memory into its tokens. */
gboolean      wl_run_part_tokenize          (WlRun                *run,
                                             const WlPreprocessor *pp,
                                             WlRunPart            *part,
                                             GError              **error);
/* Builds @model on @part: on its tokens in memory, or on its rows
 * @window at a time (@window > 0). */
gboolean      wl_run_part_build             (WlRun                *run,
                                             const WlPreprocessor *pp,
                                             WlModel              *model,
                                             const WlRunPart      *part,
                                             gsize                 window,
                                             GError              **error);
/* @part's features by @model: from its tokens (tokenised first if they
 * were freed; freed after) in memory, or @window rows at a time. */
gboolean      wl_run_part_featurize         (WlRun                *run,
                                             const WlPreprocessor *pp,
                                             const WlModel        *model,
                                             WlRunPart            *part,
                                             gsize                 window,
                                             GError              **error);

/* model.refit (wl-run-refit.c): after wl_trainer_fit() found the best
 * epoch count, replaces *@model by a new one built and trained for that
 * many epochs (at least 4) on @train and @valid together (freeing their
 * features first: only the refit's are needed), and featurizes @test again
 * with it.  Does nothing when the run does not refit. */
gboolean      wl_run_refit                  (WlRun                *run,
                                             const WlPreprocessor *pp,
                                             WlModel             **model,
                                             WlRunPart            *train,
                                             WlRunPart            *valid,
                                             WlRunPart            *test,
                                             gsize                 window,
                                             GError              **error);

G_END_DECLS
