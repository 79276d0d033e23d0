/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run.h: one training run, from a CSV file to an evaluated classifier.
 *
 * A run works on its own thread: load, split, clean and tokenise (thread
 * pool), featurise, train with validation each epoch, early stopping and
 * best-weights keeping, then evaluate the test part with the best weights.
 * It reports WlEvents in order.  The CLI, the GUI and the tests drive it the
 * same way:
 *
 *   run = wl_run_new (config);
 *   wl_run_start (run, context, on_event, data);  events arrive on @context
 *   …                                             wl_run_cancel() at any time
 *   on WL_EVENT_FINISHED: wl_run_get_classifier(), wl_run_get_evaluation()
 *
 * A cancel takes effect within a fraction of a second (the engine checks
 * between batches and inside long loops) and ends with WL_EVENT_CANCELLED.
 */
#pragma once

#include <gio/gio.h>

#include "io/wl-dataset.h"
#include "train/wl-classifier.h"
#include "train/wl-event.h"
#include "wl-config.h"

G_BEGIN_DECLS

typedef struct _WlRun WlRun;

/* Called on the main context given to wl_run_start(); @event is owned by
 * the run and valid during the call only. */
typedef void (*WlRunEventFunc) (WlRun         *run,
                                const WlEvent *event,
                                gpointer       user_data);

typedef struct
{
  gsize    n_train;
  gsize    n_valid;
  gsize    n_test;
  guint    best_epoch;        /* 1-based; 0 before the first epoch */
  guint    epochs_run;
  gboolean stopped_early;
  guint    refit_epochs;      /* epochs trained again on the training and validation rows
                               * (model.refit); 0: the model is the best epoch's */
  gsize    n_refit;           /* the rows of that training */
  double   best_metric;       /* validation value of the early-stop metric */
  guint64  n_tokens;          /* in the training part */
  gsize    max_rows_tokenized;/* the most rows whose tokens were held at once */
  double   stage_seconds[WL_N_STAGES];
  /* SHA-256 (its first 8 bytes in hex) of the input's train, validation
   * and test rows in their order: label, line and text (only the labels
   * when read in windows; a separate test file is left out).  The same
   * rows split the same way give the same digest, in one process or
   * several. */
  char     parts_digest[17];
} WlRunSummary;

/* Early stopping's state after an epoch: what the trainer needs besides
 * the model to go on exactly.  The trainer owns it; checkpoints carry it
 * whole (the store's checkpoint rows) and a resumed run gets it back, so
 * a field added here travels with them. */
typedef struct
{
  guint  epochs_done;
  guint  best_epoch;    /* 1-based; 0 while no epoch was best */
  double best_metric;   /* NAN without a validation part */
  guint  since_best;    /* epochs without improvement since then */
} WlEarlyStopState;

/* The epoch (1-based) after which early stopping ends training if the
 * validation metric does not improve again: the soonest training can end
 * from @stop, and where it most often ends.  @n_epochs (the maximum) when
 * @patience is 0 or there is no validation part (@validating FALSE). */
guint wl_early_stop_last_epoch (const WlEarlyStopState *stop,
                                guint                   patience,
                                guint                   n_epochs,
                                gboolean                validating);

/* What the checkpoint hook gets after every epoch; see
 * wl_run_set_checkpoint_func(). */
typedef struct
{
  const WlEvent      *event;        /* the epoch's EPOCH event, not yet reported */
  const WlModel      *model;        /* the weights after this epoch */
  const WlModel      *best;         /* the best epoch's; NULL without validation */
  const char * const *labels;       /* label names, by label id */
  guint               n_labels;
  WlEarlyStopState    stop;
} WlCheckpoint;

/* Called on the run's thread after every epoch, before the epoch's event is
 * reported; FALSE fails the run with @error. */
typedef gboolean (*WlCheckpointFunc) (WlRun              *run,
                                      const WlCheckpoint *checkpoint,
                                      gpointer            user_data,
                                      GError            **error);

/* Called once on the run's thread when training is done (early stopping,
 * and the refit if there was one), with the model the run ends with: what
 * is evaluated, saved and exported.  Not for a run that fails or is
 * cancelled before. */
typedef void (*WlFinalModelFunc) (WlRun              *run,
                                  const WlModel      *model,
                                  const char * const *labels,
                                  guint               n_labels,
                                  gpointer            user_data);

/* Where a resumed run starts: the model of its last checkpoint and the
 * trainer's state at that point.  Loading, splitting (seeded) and cleaning
 * run again; the model's own features replace building them. */
typedef struct
{
  WlModel   *model;         /* the last checkpoint */
  WlModel   *best;          /* the best epoch's weights; NULL: none yet */
  GPtrArray *labels;        /* char *: the data must have the same labels */
  WlEarlyStopState stop;
} WlResumePoint;

WlRun              *wl_run_new             (const WlConfig   *config);
WlRun              *wl_run_ref             (WlRun            *run);
void                wl_run_unref           (WlRun            *run);

/* Starts the worker thread.  Events are dispatched on @context (NULL: the
 * thread-default main context of the caller), in order, rate-limited. */
void                wl_run_start           (WlRun            *run,
                                            GMainContext     *context,
                                            WlRunEventFunc    func,
                                            gpointer          user_data);
void                wl_run_cancel          (WlRun            *run);
/* A paused run stops at its next check (between batches while training,
 * between stages before) and waits until resumed or cancelled; the time
 * spent paused does not count in tokens/s, the ETA or the run's time
 * (wl_run_get_elapsed(), every event's elapsed). */
void                wl_run_set_paused      (WlRun            *run,
                                            gboolean          paused);
gboolean            wl_run_get_paused      (WlRun            *run);
/* Seconds since the run started, the time paused left out: it stands still
 * once the pause has taken effect.  0 before wl_run_start(). */
double              wl_run_get_elapsed     (WlRun            *run);
/* Runs the whole pipeline on the calling thread (for tests and tools that
 * do not want a main loop); events go to @func on the calling thread. */
gboolean            wl_run_run_sync        (WlRun            *run,
                                            WlRunEventFunc    func,
                                            gpointer          user_data,
                                            GError          **error);

/* Both before wl_run_start().  The hook may be NULL.  The run takes the
 * models and labels of @point (the struct itself is copied). */
void                wl_run_set_checkpoint_func (WlRun        *run,
                                            WlCheckpointFunc  func,
                                            gpointer          user_data);
void                wl_run_set_final_model_func (WlRun       *run,
                                            WlFinalModelFunc  func,
                                            gpointer          user_data);
void                wl_run_set_resume_point (WlRun           *run,
                                            WlResumePoint    *point);

/* The config as it ran: "auto" settings and model defaults resolved. */
const WlConfig     *wl_run_get_config      (WlRun            *run);
const WlDataset    *wl_run_get_dataset     (WlRun            *run);
/* Only once finished.  The evaluation is NULL without a test part. */
const WlClassifier *wl_run_get_classifier  (WlRun            *run);
const WlEvaluation *wl_run_get_evaluation  (WlRun            *run);
/* Row indexes into wl_run_get_test_dataset() for the evaluation's rows. */
const WlDataset    *wl_run_get_test_dataset (WlRun           *run);
const guint32      *wl_run_get_test_rows   (WlRun            *run,
                                            gsize            *n_rows);
const WlRunSummary *wl_run_get_summary     (WlRun            *run);
/* From the end of the load stage (NULL before): the label names of the
 * input, by label id, and the number of its rows with each. */
const GPtrArray    *wl_run_get_label_names (WlRun            *run);
const guint64      *wl_run_get_label_counts (WlRun           *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlRun, wl_run_unref)

G_END_DECLS
