/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-preprocess-timing.h: cleaning and tokenising timed at 1, 2, 4 … N
 * threads, and the time a whole file takes projected from that.
 *
 * wl_preprocess_timing_measure() runs wl_preprocess_all() over sample
 * texts at each thread count (1, 2, 4, … and the number of cores), in
 * rounds that take turns, so that each count sees the same load; a round
 * repeats the sample until it lasts @round_seconds on one thread.  What
 * a text costs at each count is the median round, with the fastest and
 * slowest rounds as its range.  Threads cost what they cost: the
 * start-up of a pool, a step that does not scale (a lock, memory
 * bandwidth) and the other programs of the machine are in the figures,
 * where dividing the one-thread cost by N would leave them out.
 *
 * The advisor (train/wl-advise.c) and the Clean page both measure with
 * it; wl_preprocess_timing_project() is the one projection for a file.
 *
 * For the tests, WORDLOOM_PREPROCESS_DELAY_US=N in the environment makes
 * each text of wl_preprocess_all() take N microseconds more, one text at
 * a time whatever the threads: a step that does not scale.
 */
#pragma once

#include <gio/gio.h>

#include "text/wl-preprocess.h"

G_BEGIN_DECLS

typedef struct
{
  guint  threads;
  double seconds;        /* per text: the median round */
  double seconds_low;    /* the fastest round */
  double seconds_high;   /* the slowest round */
} WlPreprocessRate;

typedef struct
{
  GArray *rates;         /* WlPreprocessRate, by thread count: 1, 2, 4, … the cores */
  gsize   n_texts;       /* sample texts timed */
} WlPreprocessTiming;

/* 1, 2, 4, … and the number of cores (guint). */
GArray             *wl_preprocess_thread_counts   (void);

/* @rounds rounds at each thread count; with @tokens (room for @n_texts),
 * the tokens of the last pass are left there.  Fails only when
 * cancelled. */
WlPreprocessTiming *wl_preprocess_timing_measure  (const WlPreprocessor *pp,
                                                   const char * const   *texts,
                                                   gsize                 n_texts,
                                                   guint                 rounds,
                                                   double                round_seconds,
                                                   WlTokenList          *tokens,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
void                wl_preprocess_timing_free     (WlPreprocessTiming   *timing);

/* The rate at @threads (0: one per core): measured, or between the two
 * counts measured around it; beyond the cores, the cores' rate. */
WlPreprocessRate    wl_preprocess_timing_rate     (const WlPreprocessTiming *timing,
                                                   guint                 threads);

/* Seconds to clean and tokenise @n_rows rows on @threads threads, and
 * their range, from the rate above. */
double              wl_preprocess_timing_project  (const WlPreprocessTiming *timing,
                                                   guint64               n_rows,
                                                   guint                 threads,
                                                   double               *low,
                                                   double               *high);

/* On a worker: makes the preprocessor of @config's cleaning and tokens
 * (resolved: no "auto" left; see wl_model_resolve_text_config()) and
 * measures @texts (copied) in 5 rounds of at least 20 ms.  @callback runs
 * on the caller's thread-default main context. */
void                wl_preprocess_timing_measure_async  (const WlConfig       *config,
                                                         const char * const   *texts,
                                                         gsize                 n_texts,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
WlPreprocessTiming *wl_preprocess_timing_measure_finish (GAsyncResult         *result,
                                                         GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlPreprocessTiming, wl_preprocess_timing_free)

G_END_DECLS
