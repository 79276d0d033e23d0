/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-verdict.h: what holds a training run back, measured while it trains.
 *
 * A meter reads the training threads' step clock (models/wl-model.h:
 * waiting for input, all their time, the device's busy time where the
 * backend profiles its queue) and the process's memory, and judges a span
 * of training:
 *
 *   memory-bound    the process holds 90 % or more of the machine's memory,
 *                   or swap grew by 64 MiB or more during the span
 *   input-bound     the threads waited for input 20 % or more of their time
 *                   ("moderately" from 5 %, as TensorFlow's Profiler grades
 *                   its input pipeline)
 *   launch-bound    on an OpenCL device that was busy under half the wall
 *                   time: launches and transfers, not the kernels, set the
 *                   pace
 *   compute-bound   none of these: the model's own arithmetic
 *
 * in that order of precedence.  When cleaning and featurizing took 20 % or
 * more of the run so far (the stage timings), the words say so too, with
 * the threads that cleaned.  The trainer reports a verdict every few
 * seconds as a WL_EVENT_VERDICT and one over the whole training at its end
 * (which the run store keeps).  Words for it come from
 * wl_verdict_describe(), with the names the front end gives its controls.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "models/wl-model.h"

G_BEGIN_DECLS

#define WL_VERDICT_INPUT_BOUND_SHARE       0.20
#define WL_VERDICT_INPUT_MODERATELY_SHARE  0.05
#define WL_VERDICT_DEVICE_BUSY_SHARE       0.50
#define WL_VERDICT_MEMORY_SHARE            0.90
#define WL_VERDICT_SWAP_GROWTH_BYTES       (G_GUINT64_CONSTANT (64) << 20)

typedef enum
{
  WL_VERDICT_UNKNOWN,         /* nothing measured yet */
  WL_VERDICT_COMPUTE_BOUND,
  WL_VERDICT_INPUT_BOUND,
  WL_VERDICT_LAUNCH_BOUND,
  WL_VERDICT_MEMORY_BOUND,
  WL_N_VERDICTS
} WlVerdictKind;

/* What the training threads wait for as input. */
typedef enum
{
  WL_VERDICT_INPUT_MEMORY,    /* features in memory: nothing to wait for */
  WL_VERDICT_INPUT_WINDOWS,   /* windows of features read back from disk */
  WL_VERDICT_INPUT_BATCHES,   /* batches assembled (the neural models) */
  WL_N_VERDICT_INPUTS
} WlVerdictInput;

typedef struct
{
  WlVerdictKind  kind;
  gboolean       moderately;    /* INPUT_BOUND with a share under 20 % */
  gboolean       whole;         /* over the whole training, not the last few seconds */
  WlVerdictInput input;
  double         seconds;       /* wall time judged */
  double         input_share;   /* 0..1 of the training threads' time spent waiting for input */
  double         input_wait_ms; /* the mean wait for one window or batch; 0 in memory */
  double         device_busy;   /* 0..1 of the wall time the device was busy; NAN: not measured */
  guint          threads;       /* training threads */
  guint          cores;         /* the machine's */
  gboolean       cpu_only;      /* the model runs on the CPU only: no device to move to */
  guint64        rss_bytes;     /* the process's resident memory; 0: unknown */
  guint64        memory_bytes;  /* the machine's; 0: unknown */
  guint64        swap_growth;   /* bytes the machine's swap grew by during the span */
  double         preprocess_share; /* 0..1 of the run so far spent cleaning and featurizing
                                 * (the stage timings); said when it is 20 % or more */
} WlVerdict;

/* The names a front end gives the controls the advice names: flags in the
 * CLI ("--threads"), rows in the window ("Threads"). */
typedef struct
{
  const char *threads;
  const char *batch_size;
  const char *preprocess_threads;  /* the same setting as threads, where cleaning is set */
} WlVerdictControls;

/* Sets @verdict's kind and moderately from its measured fields. */
void        wl_verdict_judge       (WlVerdict               *verdict);
const char *wl_verdict_kind_to_string (WlVerdictKind        kind);
/* Its name for the user ("Moderately input-bound"), translated. */
const char *wl_verdict_title       (const WlVerdict         *verdict);
/* One sentence or two: what holds the run back, with its figures, and
 * what to do about it, naming @controls. */
char       *wl_verdict_describe    (const WlVerdict         *verdict,
                                    const WlVerdictControls *controls);
/* The verdict's members, in an object already begun on @builder (the
 * event's JSON line and the run store share them). */
void        wl_verdict_add_json    (const WlVerdict         *verdict,
                                    JsonBuilder             *builder);
/* Reads an object that wl_verdict_add_json() wrote (the run store's
 * column); FALSE if @json is not one. */
gboolean    wl_verdict_from_json   (const char              *json,
                                    WlVerdict               *verdict);

/* Measures spans of training from @clock (which outlives the meter). */
typedef struct _WlVerdictMeter WlVerdictMeter;

WlVerdictMeter *wl_verdict_meter_new  (WlStepClock          *clock,
                                       WlVerdictInput        input,
                                       guint                 threads,
                                       gboolean              on_device,
                                       gboolean              cpu_only);
void            wl_verdict_meter_free (WlVerdictMeter       *meter);
/* The verdict on the time since the last call (or, @whole, since the
 * meter was made); FALSE when the threads trained for no time in it. */
gboolean        wl_verdict_meter_take (WlVerdictMeter       *meter,
                                       gboolean              whole,
                                       WlVerdict            *verdict);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlVerdictMeter, wl_verdict_meter_free)

G_END_DECLS
