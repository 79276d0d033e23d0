/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-clean-preview.c: sample rows cleaned and tokenised, and each step timed. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libstemmer.h>

#include "wl-error.h"
#include "text/wl-clean.h"
#include "text/wl-clean-preview.h"
#include "text/wl-preprocess.h"

/* Each pass is timed many times, briefly, and its fastest time counts:
 * a short sample is seldom interrupted by other work on the computer.
 * A sample lasts at least this long, for the timer's sake... */
#define SAMPLE_MIN_US  200
/* ...over the first texts that the whole pipeline takes this long for... */
#define TIMED_MAX_US   5000
/* ...and all the samples together take about this long. */
#define BUDGET_US      60000
#define MIN_ROUNDS     3
#define MAX_ROUNDS     40

/* Pass s times the pipeline up to step s with that step on, whether it is
 * configured or not: it adds step s to pass "before", the configured
 * pipeline up to the step before s.  PASS_NOTHING cleans with every step
 * off. */
enum
{
  PASS_NOTHING = WL_N_CLEAN_STEPS,
  N_PASSES
};

typedef struct
{
  WlCleanConfig   clean;      /* strings borrowed */
  gboolean        tokenize;
  WlPreprocessor *pp;         /* when it tokenises */
  guint           before;
  gint64          best_us;
} Pass;

typedef struct
{
  const char * const *texts;
  gsize               n_texts;
  guint               repeat;   /* sweeps over the texts per sample */
  guint               rounds;   /* samples of each pass */
  WlCleanScratch     *scratch;
  GString            *cleaned;
  WlTokenList         tokens;
  GCancellable       *cancellable;
} Timing;

static const char *const step_names[WL_N_CLEAN_STEPS] = {
  "html", "nfkc", "casefold", "urls", "emails", "punct", "digits", "whitespace",
  "tokenize", "stopwords", "stem",
};

static const char *const english_stopwords[] = { "en", NULL };

const char *
wl_clean_step_to_string (WlCleanStep step)
{
  g_return_val_if_fail (step < WL_N_CLEAN_STEPS, NULL);
  return step_names[step];
}

const char * const *
wl_clean_stemmer_languages (void)
{
  return (const char * const *) sb_stemmer_list ();
}

static void
clean_config_copy (WlCleanConfig       *dest,
                   const WlCleanConfig *src)
{
  *dest = *src;
  dest->stopwords = g_strdupv (src->stopwords);
  dest->stopwords_file = g_strdup (src->stopwords_file);
  dest->stem = g_strdup (src->stem);
}

static void
clean_config_clear (WlCleanConfig *clean)
{
  g_clear_pointer (&clean->stopwords, g_strfreev);
  g_clear_pointer (&clean->stopwords_file, g_free);
  g_clear_pointer (&clean->stem, g_free);
}

void
wl_clean_preview_free (WlCleanPreview *preview)
{
  if (preview == NULL)
    return;

  for (gsize i = 0; i < preview->n_rows; i++)
    {
      g_free (preview->rows[i].before);
      g_free (preview->rows[i].after);
      wl_token_list_clear (&preview->rows[i].tokens);
    }
  g_free (preview->rows);
  clean_config_clear (&preview->clean);
  g_free (preview);
}

static gboolean
set_cancelled (GError **error)
{
  g_set_error_literal (error, WL_ERROR, WL_ERROR_CANCELLED, _("The operation was cancelled"));
  return FALSE;
}

static gboolean
has_stopwords (const WlCleanConfig *clean)
{
  return (clean->stopwords != NULL && clean->stopwords[0] != NULL) ||
         clean->stopwords_file != NULL;
}

static gboolean
has_stemmer (const WlCleanConfig *clean)
{
  return clean->stem != NULL && clean->stem[0] != '\0' && !g_str_equal (clean->stem, "none");
}

/* Cleans and tokenises every text into @preview's rows; the totals too. */
static gboolean
fill_rows (WlCleanPreview       *preview,
           const WlPreprocessor *pp,
           const char * const   *texts,
           GCancellable         *cancellable,
           GError              **error)
{
  g_autoptr(GHashTable) vocabulary = g_hash_table_new (g_str_hash, g_str_equal);

  for (gsize i = 0; i < preview->n_rows; i++)
    {
      WlCleanPreviewRow *row = &preview->rows[i];
      const char *text = texts[i] != NULL ? texts[i] : "";

      if (g_cancellable_is_cancelled (cancellable))
        return set_cancelled (error);

      row->before = g_strdup (text);
      row->after = wl_preprocessor_clean (pp, text);
      wl_preprocessor_tokenize (pp, text, &row->tokens);
      preview->n_tokens += row->tokens.n_tokens;
      for (guint32 t = 0; t < row->tokens.n_tokens; t++)
        g_hash_table_add (vocabulary, (gpointer) wl_token_list_get (&row->tokens, t));
    }

  preview->n_distinct = g_hash_table_size (vocabulary);
  preview->tokens_per_row = preview->n_rows > 0 ? (double) preview->n_tokens / preview->n_rows : 0;
  return TRUE;
}

/* Runs @pass over the timed texts @timing->repeat times; the time it took
 * in microseconds, or -1 when cancelled. */
static gint64
time_pass (const Pass *pass,
           Timing     *timing)
{
  gint64 start = g_get_monotonic_time ();

  for (guint r = 0; r < timing->repeat; r++)
    for (gsize i = 0; i < timing->n_texts; i++)
      {
        const char *text = timing->texts[i] != NULL ? timing->texts[i] : "";

        if (g_cancellable_is_cancelled (timing->cancellable))
          return -1;
        if (pass->pp != NULL)
          wl_preprocessor_tokenize (pass->pp, text, &timing->tokens);
        else
          wl_clean_text_into (&pass->clean, text, -1, timing->scratch, timing->cleaned);
      }

  return g_get_monotonic_time () - start;
}

/* What "auto" would pick for stopwords and the stemmer, with English where
 * it would pick nothing: how a step that is off gets timed. */
static void
resolve_auto_picks (const WlCleanPreview *preview,
                    const char * const   *texts,
                    gsize                 n_texts,
                    WlCleanConfig        *picks)
{
  static const char *const auto_list[] = { "auto", NULL };
  WlTokenConfig tokens = preview->tokens;

  *picks = (WlCleanConfig) { 0 };
  picks->stopwords = g_strdupv ((char **) auto_list);
  picks->stem = g_strdup ("auto");
  wl_preprocess_resolve_config (picks, &tokens, texts, n_texts);

  if (picks->stopwords[0] == NULL)
    {
      g_strfreev (picks->stopwords);
      picks->stopwords = g_strdupv ((char **) english_stopwords);
    }
  if (picks->stem == NULL)
    picks->stem = g_strdup ("english");
}

static gboolean
step_is_on (const WlCleanConfig *clean,
            WlCleanStep          step)
{
  switch (step)
    {
    case WL_CLEAN_STEP_HTML:       return clean->strip_html;
    case WL_CLEAN_STEP_NFKC:       return clean->nfkc;
    case WL_CLEAN_STEP_CASEFOLD:   return clean->casefold;
    case WL_CLEAN_STEP_URLS:       return clean->strip_urls;
    case WL_CLEAN_STEP_EMAILS:     return clean->strip_emails;
    case WL_CLEAN_STEP_PUNCT:      return clean->strip_punct;
    case WL_CLEAN_STEP_DIGITS:     return clean->digits != WL_DIGITS_KEEP;
    case WL_CLEAN_STEP_WHITESPACE: return clean->collapse_whitespace;
    case WL_CLEAN_STEP_TOKENIZE:   return TRUE;
    case WL_CLEAN_STEP_STOPWORDS:  return has_stopwords (clean);
    case WL_CLEAN_STEP_STEM:       return has_stemmer (clean);
    default:                       g_return_val_if_reached (FALSE);
    }
}

/* Turns @step on in @pass: as @configured has it, or as @picks has it
 * for a step that is off. */
static void
add_step (Pass                *pass,
          WlCleanStep          step,
          const WlCleanConfig *configured,
          const WlCleanConfig *picks)
{
  WlCleanConfig *clean = &pass->clean;

  switch (step)
    {
    case WL_CLEAN_STEP_HTML:       clean->strip_html = TRUE; break;
    case WL_CLEAN_STEP_NFKC:       clean->nfkc = TRUE; break;
    case WL_CLEAN_STEP_CASEFOLD:   clean->casefold = TRUE; break;
    case WL_CLEAN_STEP_URLS:
      clean->strip_urls = TRUE;
      clean->mark_links = configured->mark_links;
      break;
    case WL_CLEAN_STEP_EMAILS:     clean->strip_emails = TRUE; break;
    case WL_CLEAN_STEP_PUNCT:      clean->strip_punct = TRUE; break;
    case WL_CLEAN_STEP_WHITESPACE: clean->collapse_whitespace = TRUE; break;
    case WL_CLEAN_STEP_TOKENIZE:   pass->tokenize = TRUE; break;
    case WL_CLEAN_STEP_DIGITS:
      clean->digits = step_is_on (configured, step) ? configured->digits : WL_DIGITS_ZERO;
      break;
    case WL_CLEAN_STEP_STOPWORDS:
      if (step_is_on (configured, step))
        {
          clean->stopwords = configured->stopwords;
          clean->stopwords_file = configured->stopwords_file;
        }
      else
        clean->stopwords = picks->stopwords;
      break;
    case WL_CLEAN_STEP_STEM:
      clean->stem = step_is_on (configured, step) ? configured->stem : picks->stem;
      break;
    default:
      g_return_if_reached ();
    }
}

/* Sets up every pass; @whole is the one that runs the configured
 * pipeline. */
static gboolean
setup_passes (Pass                 *passes,
              guint                *whole,
              const WlCleanPreview *preview,
              const WlCleanConfig  *picks,
              GError              **error)
{
  const WlCleanConfig *configured = &preview->clean;
  Pass prefix = { .clean = { .digits = WL_DIGITS_KEEP } };

  passes[PASS_NOTHING] = prefix;
  *whole = PASS_NOTHING;

  for (guint s = 0; s < WL_N_CLEAN_STEPS; s++)
    {
      Pass *pass = &passes[s];

      *pass = prefix;
      pass->before = *whole;
      add_step (pass, s, configured, picks);
      if (pass->tokenize &&
          (pass->pp = wl_preprocessor_new (&pass->clean, &preview->tokens, error)) == NULL)
        return FALSE;

      if (step_is_on (configured, s))
        {
          prefix = *pass;
          prefix.pp = NULL;
          *whole = s;
        }
    }
  return TRUE;
}

/* Times every pass @timing->rounds times, in turn, keeping the fastest. */
static gboolean
time_passes (Pass    *passes,
             Timing  *timing,
             GError **error)
{
  for (guint p = 0; p < N_PASSES; p++)
    passes[p].best_us = G_MAXINT64;

  for (guint round = 0; round < timing->rounds; round++)
    for (guint p = 0; p < N_PASSES; p++)
      {
        gint64 us = time_pass (&passes[p], timing);

        if (us < 0)
          return set_cancelled (error);
        passes[p].best_us = MIN (passes[p].best_us, us);
      }
  return TRUE;
}

/* Each step's cost is what its pass adds to the pass before it.  Those
 * differences of best times add up to the whole pipeline's best time only
 * when none is negative: a step cheaper than the timer's noise can time
 * below 0, and counting it as 0 made the steps add up to more than the
 * whole.  So the steps that are on share out the measured whole, each in
 * proportion to what it added (0 for a negative one); a step that is off
 * keeps what turning it on would add. */
static void
set_costs (WlCleanPreview *preview,
           const Pass     *passes,
           guint           whole,
           const Timing   *timing)
{
  /* Microseconds per row are milliseconds per 1,000 rows. */
  double rows = MAX (1.0, (double) timing->n_texts * timing->repeat);
  double added[WL_N_CLEAN_STEPS];
  double sum_on = 0;

  preview->total_ms_per_1000 = passes[whole].best_us / rows;
  for (guint s = 0; s < WL_N_CLEAN_STEPS; s++)
    {
      added[s] = MAX (0, passes[s].best_us - passes[passes[s].before].best_us) / rows;
      /* Reading each text, which every pipeline does, counts as tokenising. */
      if (s == WL_CLEAN_STEP_TOKENIZE)
        added[s] += passes[PASS_NOTHING].best_us / rows;
      preview->steps[s].enabled = step_is_on (&preview->clean, s);
      if (preview->steps[s].enabled)
        sum_on += added[s];
    }
  for (guint s = 0; s < WL_N_CLEAN_STEPS; s++)
    {
      if (!preview->steps[s].enabled)
        preview->steps[s].ms_per_1000 = added[s];
      else if (sum_on > 0)
        preview->steps[s].ms_per_1000 = preview->total_ms_per_1000 * added[s] / sum_on;
      else   /* nothing measurable: tokenising, which always runs, takes it all */
        preview->steps[s].ms_per_1000 = s == WL_CLEAN_STEP_TOKENIZE ? preview->total_ms_per_1000 : 0;
    }
}

/* Chooses how many texts to time, how many sweeps over them make a
 * sample and how many samples to take, from the time the whole pipeline
 * took over all @n_texts (@whole_us). */
static void
plan_timing (Timing *timing,
             gsize   n_texts,
             gint64  whole_us)
{
  gint64 sample_us;

  whole_us = MAX (whole_us, 1);
  timing->n_texts = n_texts;
  if (whole_us > TIMED_MAX_US)
    {
      timing->n_texts = MAX (1, (gsize) (n_texts * (double) TIMED_MAX_US / whole_us));
      whole_us = TIMED_MAX_US;
    }
  timing->repeat = CLAMP ((SAMPLE_MIN_US + whole_us - 1) / whole_us, 1, 100);
  sample_us = whole_us * timing->repeat;
  timing->rounds = CLAMP (BUDGET_US / (N_PASSES * sample_us), MIN_ROUNDS, MAX_ROUNDS);
}

/* Fills the rows with the configured pipeline, then times every pass. */
static gboolean
fill_preview (WlCleanPreview     *preview,
              const char * const *texts,
              gsize               n_texts,
              GCancellable       *cancellable,
              GError            **error)
{
  Pass passes[N_PASSES] = { 0 };
  Timing timing = { texts, 0, 1, 1, wl_clean_scratch_new (), g_string_new (NULL), { 0 },
                    cancellable };
  WlCleanConfig picks;
  guint whole;
  gint64 whole_us;
  gboolean ok = FALSE;

  resolve_auto_picks (preview, texts, n_texts, &picks);
  if (!setup_passes (passes, &whole, preview, &picks, error) ||
      !fill_rows (preview, passes[whole].pp, texts, cancellable, error))
    goto out;

  /* A first run of the whole pipeline warms the caches and sizes the plan. */
  timing.n_texts = n_texts;
  whole_us = time_pass (&passes[whole], &timing);
  if (whole_us < 0)
    {
      set_cancelled (error);
      goto out;
    }
  plan_timing (&timing, n_texts, whole_us);

  ok = n_texts == 0 || time_passes (passes, &timing, error);
  if (ok)
    set_costs (preview, passes, whole, &timing);

out:
  for (guint p = 0; p < N_PASSES; p++)
    wl_preprocessor_free (passes[p].pp);
  wl_clean_scratch_free (timing.scratch);
  g_string_free (timing.cleaned, TRUE);
  wl_token_list_clear (&timing.tokens);
  clean_config_clear (&picks);
  return ok;
}

WlCleanPreview *
wl_clean_preview_compute (const WlCleanConfig  *clean,
                          const WlTokenConfig  *tokens,
                          const char * const   *texts,
                          gsize                 n_texts,
                          GCancellable         *cancellable,
                          GError              **error)
{
  g_autoptr(WlCleanPreview) preview = NULL;

  g_return_val_if_fail (clean != NULL, NULL);
  g_return_val_if_fail (tokens != NULL, NULL);
  g_return_val_if_fail (texts != NULL || n_texts == 0, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  preview = g_new0 (WlCleanPreview, 1);
  clean_config_copy (&preview->clean, clean);
  preview->tokens = *tokens;
  wl_preprocess_resolve_config (&preview->clean, &preview->tokens, texts, n_texts);

  preview->rows = g_new0 (WlCleanPreviewRow, n_texts);
  preview->n_rows = n_texts;
  if (!fill_preview (preview, texts, n_texts, cancellable, error))
    return NULL;

  return g_steal_pointer (&preview);
}
