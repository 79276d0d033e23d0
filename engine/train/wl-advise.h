/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-advise.h: "GPU or more CPU threads?" answered by measurement.
 *
 * For a config (data, cleaning, model), wl_advise_run() loads the data,
 * times cleaning and tokenising a sample of it at 1, 2, 4 … N threads,
 * then on every candidate (the CPU at each of those thread counts, every
 * OpenCL device, each precision the device runs natively) builds the
 * model on the sample, warms it up on two batches and times a burst of
 * real training steps with the real batch shapes, and scoring.  A model
 * with a batch size is then measured the same way at twice and four
 * times it on the fastest of those.  From the rates it projects the whole
 * run (load, preprocessing, epochs × steps, validation each epoch, the
 * test part) with its uncertainty, and picks the fastest.
 *
 * The measurement keeps to a budget (WlAdviseOptions.budget, seconds; the
 * data's loading comes on top), is cancellable between batches and
 * chunks, and runs on the calling thread: wl_advise_async() runs it on a
 * worker.  Measured bursts are handed to an optional wisdom store
 * (WlAdviseWisdom; the run store keeps them, store/wl-store-wisdom.c) and
 * taken from it next time for the same device, driver, model shape and
 * data statistics, unless remeasure is set.  Preprocessing is measured
 * every time: it is cheap, and depends on the cleaning settings.
 */
#pragma once

#include <gio/gio.h>

#include "wl-config.h"

G_BEGIN_DECLS

/* What a burst measured, per example; the unit a wisdom store keeps. */
typedef struct
{
  double train_seconds;      /* training step time per example */
  double train_rel_error;    /* relative standard error of that mean */
  double predict_seconds;    /* scoring (validation, test) per example */
  double featurize_seconds;  /* the model's featurizing per example */
  double build_seconds;      /* building the model (vocabulary, weights) per example */
  double startup_seconds;    /* once per run: opening the device, building its kernels,
                              * the first steps' extra cost */
} WlAdviseMeasure;

/* What identifies a measurement besides the machine (which the store adds). */
typedef struct
{
  const char *device;      /* "cpu", "opencl:0:0" */
  const char *driver;      /* the device's driver or library version */
  const char *shape;       /* wl_advise_model_shape() */
  const char *data;        /* labels and tokens per text, rounded */
  guint       threads;
  const char *precision;   /* "fp32", "fp16", "bf16" */
} WlAdviseKey;

typedef struct
{
  gboolean (*lookup) (gpointer data, const WlAdviseKey *key, WlAdviseMeasure *measure);
  void     (*save)   (gpointer data, const WlAdviseKey *key, const WlAdviseMeasure *measure);
} WlAdviseWisdom;

typedef struct
{
  double                budget;      /* seconds for the measurements; 0: WL_ADVISE_DEFAULT_BUDGET */
  gboolean              remeasure;   /* ignore the wisdom (and replace it) */
  const WlAdviseWisdom *wisdom;      /* may be NULL */
  gpointer              wisdom_data;
} WlAdviseOptions;

#define WL_ADVISE_DEFAULT_BUDGET 10.0
#define WL_ADVISE_MIN_BUDGET     0.5
#define WL_ADVISE_MAX_BUDGET     3600.0

typedef struct
{
  char        *device;       /* the id --device takes */
  char        *device_name;  /* "CPU", or the OpenCL device's name */
  char        *driver;
  guint        threads;
  WlPrecision  precision;
  guint        batch_size;   /* examples a step; 0: the model has none */
  guint        epochs;       /* expected, with early stopping (see wl-advise.c) */
  gboolean     reused;       /* its measure came from the wisdom */
  gboolean     gpu;          /* a GPU or accelerator */
  WlAdviseMeasure measure;
  /* The projection, in seconds */
  double       load;
  double       preprocess;   /* clean, tokenise and featurize every part */
  double       train;        /* the expected epochs' steps */
  double       evaluate;     /* validation each epoch and the test part */
  double       total;
  double       total_low;    /* early stopping at its soonest, rates at −1 standard error */
  double       total_high;   /* every epoch, rates at +1 standard error */
  char        *failure;      /* why it could not be measured; NULL when it was */
} WlAdviseCandidate;

typedef struct
{
  GPtrArray *candidates;          /* WlAdviseCandidate *, the measured ones first */
  guint      pick;                /* index of the recommended candidate */
  gsize      n_rows, n_train, n_valid, n_test;
  gsize      n_sample;            /* training rows the bursts ran on */
  guint      batch_size;          /* the config's (resolved); 0: the model has none */
  guint      max_epochs;
  guint      expected_epochs;     /* with early stopping, see wl-advise.c */
  guint      measured_epochs;     /* where early stopping ended on the sample; 0: it did not */
  gboolean   refit;               /* model.refit: the best epoch count trains again */
  guint      patience;            /* the config's: epochs past the best when it stops early */
  double     load_seconds;        /* loading the file, measured once */
  double     measured_seconds;    /* the measurements (without the load) */
  double     budget;
  GArray    *preprocess_threads;  /* guint: thread counts measured */
  GArray    *preprocess_seconds;  /* double: clean + tokenise, per text, at each */
  char      *summary;             /* the recommendation in words and numbers */
} WlAdvice;

void         wl_advice_free            (WlAdvice  *advice);
const WlAdviseCandidate *wl_advice_get_pick (const WlAdvice *advice);

/* The model's shape as the wisdom keys it: type and the sizes that change
 * the cost of a step (not the learning rate, seed or epochs). */
char        *wl_advise_model_shape     (const WlConfig *config,
                                        guint           n_labels);

/* Sets @config's device, threads, precision and batch size to @candidate's. */
void         wl_advise_apply           (const WlAdviseCandidate *candidate,
                                        WlConfig                *config);

/* Checks @budget (seconds) against its range, naming @name. */
gboolean     wl_advise_check_budget    (double          budget,
                                        const char     *name,
                                        GError        **error);

WlAdvice    *wl_advise_run             (const WlConfig        *config,
                                        const WlAdviseOptions *options,
                                        GCancellable          *cancellable,
                                        GError               **error);

/* @options (and its wisdom data) must stay alive until @callback. */
void         wl_advise_async           (const WlConfig        *config,
                                        const WlAdviseOptions *options,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data);
WlAdvice    *wl_advise_finish          (GAsyncResult          *result,
                                        GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlAdvice, wl_advice_free)

G_END_DECLS
