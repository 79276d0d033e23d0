/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-event.h: what a run reports while it works.
 *
 * A run (wl-run.h) produces these on its own thread.  Consumers (the CLI's
 * progress line, the GUI's charts, a run store) receive them in order on a
 * main loop.  Progress events are rate-limited at the source (about ten a
 * second); stage, epoch and end events are never dropped or delayed.
 */
#pragma once

#include <glib.h>

#include "train/wl-verdict.h"

G_BEGIN_DECLS

typedef enum
{
  WL_STAGE_LOAD,        /* reading the CSV */
  WL_STAGE_CLEAN,       /* cleaning and tokenising */
  WL_STAGE_FEATURIZE,   /* vocabulary, n-grams, TF-IDF */
  WL_STAGE_TRAIN,
  WL_STAGE_EVALUATE,    /* the test part, with the best weights */
  WL_N_STAGES
} WlStage;

typedef enum
{
  WL_EVENT_STAGE_STARTED,   /* stage */
  WL_EVENT_STAGE_FINISHED,  /* stage, seconds */
  WL_EVENT_PROGRESS,        /* stage, fraction (of the stage), and in training: epoch, stop_epoch, loss, tokens_per_s, eta, eta_max, lr */
  WL_EVENT_EPOCH,           /* epoch, stop_epoch, train_loss, valid_*, tokens_per_s, eta, eta_max, lr, is_best */
  WL_EVENT_MESSAGE,         /* message: something the user should know (rows skipped, …) */
  WL_EVENT_FINISHED,        /* the result is ready: wl_run_get_result() */
  WL_EVENT_FAILED,          /* error */
  WL_EVENT_CANCELLED,
  WL_EVENT_VERDICT,         /* verdict: what holds training back, every few seconds and,
                             * whole, over all of it at its end (train/wl-verdict.h) */
} WlEventType;

typedef struct
{
  WlEventType  type;
  WlStage      stage;
  double       elapsed;        /* seconds since the run started, pauses left out */
  double       seconds;        /* STAGE_FINISHED: the stage's duration */
  double       fraction;       /* PROGRESS: 0..1 within the stage */

  guint        epoch;          /* 1-based */
  guint        n_epochs;       /* the most epochs the run may train */
  guint        stop_epoch;     /* where early stopping ends training if validation does not
                                * improve again (wl_early_stop_last_epoch()); 0 when unknown.
                                * A better epoch moves it on, up to n_epochs.  In training,
                                * fraction counts towards it. */
  double       train_loss;     /* running mean in PROGRESS, epoch mean in EPOCH */
  double       valid_loss;     /* NAN without a validation part */
  double       valid_accuracy;
  double       valid_macro_f1;
  double       tokens_per_s;
  double       eta;            /* seconds left until stop_epoch ends, at the pace so far:
                                * the soonest training ends; < 0 when unknown */
  double       eta_max;        /* seconds left until n_epochs ends: the most; < 0 when unknown */
  double       lr;             /* PROGRESS (training), EPOCH: the current learning rate; NAN when unknown */
  gboolean     is_best;        /* EPOCH: the best so far by the early-stop metric */

  WlVerdict    verdict;        /* VERDICT */
  char        *message;        /* MESSAGE */
  GError      *error;          /* FAILED */
} WlEvent;

WlEvent    *wl_event_new          (WlEventType     type);
WlEvent    *wl_event_copy         (const WlEvent  *event);
void        wl_event_free         (WlEvent        *event);
const char *wl_stage_to_string    (WlStage         stage);
const char *wl_event_type_to_string (WlEventType   type);
/* One line of JSON, for `wordloom-cli train --json`. */
char       *wl_event_to_json      (const WlEvent  *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlEvent, wl_event_free)

G_END_DECLS
