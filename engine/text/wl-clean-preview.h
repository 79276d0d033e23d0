/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-clean-preview.h: what cleaning does to sample texts, and what it costs.
 *
 * wl_clean_preview_compute() resolves the "auto" settings on the sample
 * (as training does on its own sample), then cleans and tokenises every
 * sample text with the result, and times each step over the sample.  The
 * model may pick the tokenizer: to preview a run, resolve its config with
 * wl_model_resolve_text_config() first, as the trainer does.
 *
 * How a step is timed: the cleaning steps are fused into one pass over
 * each text (wl-clean.h), and a step's cost depends on the steps before it
 * (stemming costs less once stopwords are gone), so each step is timed
 * where it runs.  Pass 0 reads the texts with every step off; the pass of
 * step k runs the configured pipeline up to step k - 1 plus step k, and
 * step k adds what that pass takes beyond the configured pipeline up to
 * k - 1.  Reading each text counts as tokenising, which always runs.  The
 * steps that are on share out the whole pipeline's measured cost in
 * proportion to what each added (a step that timed below the noise adds
 * 0), so their costs add up to the whole pipeline's.
 * A step that is off is timed as if it were turned on (stopwords: the
 * list "auto" would pick, else English; stemming: the stemmer "auto" would
 * pick, else English; digits: replaced by 0), which tells what turning it
 * on would cost.  Each pass runs a few times, interleaved with the others,
 * and the fastest run counts; a difference below the timer's noise reads 0.
 *
 * The time a whole file takes on N threads is not projected from these
 * one-thread costs: wl-preprocess-timing.h measures it at each number of
 * threads.
 */
#pragma once

#include <gio/gio.h>

#include "wl-config.h"
#include "text/wl-tokens.h"

G_BEGIN_DECLS

/* In pipeline order. */
typedef enum
{
  WL_CLEAN_STEP_HTML,
  WL_CLEAN_STEP_NFKC,
  WL_CLEAN_STEP_CASEFOLD,
  WL_CLEAN_STEP_URLS,
  WL_CLEAN_STEP_EMAILS,
  WL_CLEAN_STEP_PUNCT,
  WL_CLEAN_STEP_DIGITS,
  WL_CLEAN_STEP_WHITESPACE,
  WL_CLEAN_STEP_TOKENIZE,
  WL_CLEAN_STEP_STOPWORDS,
  WL_CLEAN_STEP_STEM,
  WL_N_CLEAN_STEPS
} WlCleanStep;

typedef struct
{
  char        *before;        /* the sample text */
  char        *after;         /* cleaned */
  WlTokenList  tokens;        /* after stopwords and stemming */
} WlCleanPreviewRow;

typedef struct
{
  gboolean     enabled;       /* part of the configured pipeline */
  double       ms_per_1000;   /* what the step adds, per 1,000 rows, one thread */
} WlCleanStepCost;

typedef struct
{
  WlCleanConfig      clean;   /* the settings, with "auto" resolved */
  WlTokenConfig      tokens;
  WlCleanPreviewRow *rows;    /* one per sample text, in order */
  gsize              n_rows;
  guint64            n_tokens;
  guint64            n_distinct;      /* vocabulary size of the sample */
  double             tokens_per_row;
  WlCleanStepCost    steps[WL_N_CLEAN_STEPS];
  double             total_ms_per_1000; /* the configured pipeline */
} WlCleanPreview;

/* Fails with WL_ERROR_CANCELLED when @cancellable is cancelled, or with
 * the preprocessor's error (no such stemmer, unreadable stopword file). */
WlCleanPreview     *wl_clean_preview_compute    (const WlCleanConfig   *clean,
                                                 const WlTokenConfig   *tokens,
                                                 const char * const    *texts,
                                                 gsize                  n_texts,
                                                 GCancellable          *cancellable,
                                                 GError               **error);
void                wl_clean_preview_free       (WlCleanPreview        *preview);

/* "html", "nfkc", ... "stem": a short name for logs and tables. */
const char         *wl_clean_step_to_string     (WlCleanStep            step);

/* The stemmer languages ("english", "french", ...), NULL-terminated. */
const char * const *wl_clean_stemmer_languages  (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlCleanPreview, wl_clean_preview_free)

G_END_DECLS
