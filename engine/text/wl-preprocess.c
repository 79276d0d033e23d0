/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-preprocess.c: cleaning, tokenising, stopwords and stemming, per thread. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libstemmer.h>
#include <string.h>

#include "wl-error.h"
#include "exec/wl-parallel.h"
#include "text/wl-clean.h"
#include "text/wl-preprocess.h"
#include "text/wl-script.h"
#include "text/wl-stopwords.h"
#include "text/wl-tokenize.h"

#define DEFAULT_NGRAM_MIN 3
#define DEFAULT_NGRAM_MAX 6
/* Longer tokens (links, hashes) are not words: they are not stemmed. */
#define MAX_STEM_LEN      512

struct _WlPreprocessor
{
  WlCleanConfig    clean;       /* the cleaning options; lists and names NULL */
  WlTokenizerKind  kind;
  gboolean         split_contractions;
  guint            ngram_min;
  guint            ngram_max;
  GHashTable      *stopwords;   /* cleaned words, or NULL */
  char            *stem;        /* libstemmer language, or NULL */

  GMutex           mutex;
  GPtrArray       *idle;        /* PpState not in use by any thread */
};

/* What one thread needs to preprocess: nothing here is thread-safe. */
typedef struct
{
  const WlPreprocessor *pp;
  WlCleanScratch       *scratch;
  GString              *cleaned;
  WlTokenizer          *tokenizer;
  struct sb_stemmer    *stemmer;
  WlTokenBuilder        builder;
} PpState;

static PpState *
state_new (const WlPreprocessor *pp)
{
  PpState *st = g_new0 (PpState, 1);

  st->pp = pp;
  st->scratch = wl_clean_scratch_new ();
  st->cleaned = g_string_new (NULL);
  st->tokenizer = wl_tokenizer_new (pp->kind, pp->split_contractions);
  if (pp->stem != NULL)
    st->stemmer = sb_stemmer_new (pp->stem, "UTF_8");
  wl_token_builder_init (&st->builder);

  return st;
}

static void
state_free (gpointer data)
{
  PpState *st = data;

  wl_clean_scratch_free (st->scratch);
  g_string_free (st->cleaned, TRUE);
  wl_tokenizer_free (st->tokenizer);
  if (st->stemmer != NULL)
    sb_stemmer_delete (st->stemmer);
  wl_token_builder_clear (&st->builder);
  g_free (st);
}

static PpState *
state_acquire (const WlPreprocessor *pp)
{
  WlPreprocessor *mutable = (WlPreprocessor *) pp;
  PpState *st = NULL;

  g_mutex_lock (&mutable->mutex);
  if (pp->idle->len > 0)
    st = g_ptr_array_steal_index_fast (pp->idle, pp->idle->len - 1);
  g_mutex_unlock (&mutable->mutex);

  return st != NULL ? st : state_new (pp);
}

static void
state_release (PpState *st)
{
  WlPreprocessor *pp = (WlPreprocessor *) st->pp;

  g_mutex_lock (&pp->mutex);
  g_ptr_array_add (pp->idle, st);
  g_mutex_unlock (&pp->mutex);
}

static gboolean
is_none (const char *name)
{
  return name == NULL || *name == '\0' || g_str_equal (name, "none");
}

static gboolean
check_stemmer (const char  *language,
               GError     **error)
{
  struct sb_stemmer *stemmer;
  g_autofree char *list = NULL;

  if (g_str_equal (language, "auto"))
    {
      g_set_error_literal (error, WL_ERROR, WL_ERROR_INVALID,
                           _("The stemmer is still “auto”; resolve the configuration first"));
      return FALSE;
    }

  stemmer = sb_stemmer_new (language, "UTF_8");
  if (stemmer != NULL)
    {
      sb_stemmer_delete (stemmer);
      return TRUE;
    }

  list = g_strjoinv (", ", (char **) sb_stemmer_list ());
  g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
               _("There is no stemmer for “%s”; use one of: %s, or none"),
               language, list);
  return FALSE;
}

/* Adds @words to the stopword set, each cleaned as the texts will be. */
static void
add_stopwords (WlPreprocessor     *pp,
               const char * const *words,
               WlCleanScratch     *scratch,
               GString            *cleaned)
{
  for (guint i = 0; words[i] != NULL; i++)
    {
      wl_clean_text_into (&pp->clean, words[i], -1, scratch, cleaned);
      g_strstrip (cleaned->str);
      if (cleaned->str[0] != '\0')
        g_hash_table_add (pp->stopwords, g_strdup (cleaned->str));
    }
}

static gboolean
load_stopwords (WlPreprocessor       *pp,
                const WlCleanConfig  *clean,
                GError              **error)
{
  g_autoptr(WlCleanScratch) scratch = NULL;
  g_autoptr(GString) cleaned = NULL;

  if ((clean->stopwords == NULL || clean->stopwords[0] == NULL) &&
      clean->stopwords_file == NULL)
    return TRUE;

  scratch = wl_clean_scratch_new ();
  cleaned = g_string_new (NULL);
  pp->stopwords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; clean->stopwords != NULL && clean->stopwords[i] != NULL; i++)
    {
      g_auto(GStrv) words = wl_stopwords_builtin (clean->stopwords[i]);

      if (words == NULL)
        {
          g_autofree char *list = g_strjoinv (", ", (char **) wl_stopwords_languages ());

          if (g_str_equal (clean->stopwords[i], "auto"))
            g_set_error_literal (error, WL_ERROR, WL_ERROR_INVALID,
                                 _("The stopwords are still “auto”; resolve the configuration first"));
          else
            g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                         _("There is no built-in stopword list for “%s”; use one of: %s, or a stopword file"),
                         clean->stopwords[i], list);
          return FALSE;
        }
      add_stopwords (pp, (const char * const *) words, scratch, cleaned);
    }

  if (clean->stopwords_file != NULL)
    {
      g_auto(GStrv) words = wl_stopwords_read_file (clean->stopwords_file, error);

      if (words == NULL)
        return FALSE;
      add_stopwords (pp, (const char * const *) words, scratch, cleaned);
    }

  return TRUE;
}

WlPreprocessor *
wl_preprocessor_new (const WlCleanConfig  *clean,
                     const WlTokenConfig  *tokens,
                     GError              **error)
{
  g_autoptr(WlPreprocessor) pp = NULL;

  g_return_val_if_fail (clean != NULL, NULL);
  g_return_val_if_fail (tokens != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  pp = g_new0 (WlPreprocessor, 1);
  g_mutex_init (&pp->mutex);
  pp->idle = g_ptr_array_new_with_free_func (state_free);
  pp->clean = *clean;
  pp->clean.stopwords = NULL;
  pp->clean.stopwords_file = NULL;
  pp->clean.stem = NULL;
  pp->kind = tokens->kind;
  pp->split_contractions = tokens->split_contractions;

  if (tokens->kind == WL_TOKENIZER_AUTO)
    {
      g_set_error_literal (error, WL_ERROR, WL_ERROR_INVALID,
                           _("The tokenizer is still “auto”; resolve the configuration first"));
      return NULL;
    }
  if (tokens->kind == WL_TOKENIZER_CHAR_NGRAMS)
    {
      pp->ngram_min = tokens->char_ngram_min > 0 ? tokens->char_ngram_min : DEFAULT_NGRAM_MIN;
      pp->ngram_max = tokens->char_ngram_max > 0 ? tokens->char_ngram_max
                                                 : MAX (pp->ngram_min, DEFAULT_NGRAM_MAX);
      if (pp->ngram_min > pp->ngram_max)
        {
          g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                       _("The character n-gram lengths go from %u to %u; the minimum must not exceed the maximum"),
                       pp->ngram_min, pp->ngram_max);
          return NULL;
        }
    }

  if (!is_none (clean->stem))
    {
      if (!check_stemmer (clean->stem, error))
        return NULL;
      pp->stem = g_strdup (clean->stem);
    }

  if (!load_stopwords (pp, clean, error))
    return NULL;

  /* The first state also proves that ICU and the stemmer work. */
  g_ptr_array_add (pp->idle, state_new (pp));

  return g_steal_pointer (&pp);
}

void
wl_preprocessor_free (WlPreprocessor *pp)
{
  if (pp == NULL)
    return;

  g_ptr_array_unref (pp->idle);
  g_mutex_clear (&pp->mutex);
  g_clear_pointer (&pp->stopwords, g_hash_table_unref);
  g_free (pp->stem);
  g_free (pp);
}

static void
on_segment (const char    *segment,
            gsize          len,
            WlSegmentKind  kind,
            gpointer       user_data)
{
  PpState *st = user_data;
  const WlPreprocessor *pp = st->pp;
  const char *token = wl_token_builder_append (&st->builder, segment, len);

  if (token == NULL)
    return;

  if (pp->stopwords != NULL && g_hash_table_contains (pp->stopwords, token))
    {
      wl_token_builder_pop (&st->builder);
      return;
    }

  if (st->stemmer != NULL && kind == WL_SEGMENT_WORD && len <= MAX_STEM_LEN)
    {
      const sb_symbol *stem = sb_stemmer_stem (st->stemmer, (const sb_symbol *) token, (int) len);
      gsize stem_len = stem != NULL ? (gsize) sb_stemmer_length (st->stemmer) : len;

      if (stem_len != len || memcmp (stem, token, len) != 0)
        {
          wl_token_builder_pop (&st->builder);
          token = wl_token_builder_append (&st->builder, (const char *) stem, stem_len);
          len = stem_len;
        }
    }

  if (pp->kind == WL_TOKENIZER_CHAR_NGRAMS && token != NULL)
    {
      /* The popped bytes stay in place until the next append, which
       * wl_tokenizer_char_ngrams() makes only after copying them. */
      wl_token_builder_pop (&st->builder);
      wl_tokenizer_char_ngrams (st->tokenizer, token, len,
                                pp->ngram_min, pp->ngram_max, &st->builder);
    }
}

static void
tokenize_with (PpState     *st,
               const char  *text,
               WlTokenList *out)
{
  wl_clean_text_into (&st->pp->clean, text != NULL ? text : "", -1,
                      st->scratch, st->cleaned);
  wl_tokenizer_run (st->tokenizer, st->cleaned->str, st->cleaned->len,
                    on_segment, st);
  wl_token_builder_finish (&st->builder, out);
}

char *
wl_preprocessor_clean (const WlPreprocessor *pp,
                       const char           *text)
{
  PpState *st;
  char *result;

  g_return_val_if_fail (pp != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  st = state_acquire (pp);
  wl_clean_text_into (&pp->clean, text, -1, st->scratch, st->cleaned);
  result = g_strndup (st->cleaned->str, st->cleaned->len);
  state_release (st);

  return result;
}

void
wl_preprocessor_tokenize (const WlPreprocessor *pp,
                          const char           *text,
                          WlTokenList          *out)
{
  PpState *st;

  g_return_if_fail (pp != NULL);
  g_return_if_fail (out != NULL);

  st = state_acquire (pp);
  tokenize_with (st, text, out);
  state_release (st);
}

typedef struct
{
  const WlPreprocessor *pp;
  const char * const   *texts;
  WlTokenList          *out;
  GCancellable         *cancellable;
} AllJob;

/* WORDLOOM_PREPROCESS_DELAY_US (tests): microseconds more per text, one
 * text at a time whatever the threads (wl-preprocess-timing.h). */
static gulong
test_delay_us (void)
{
  static gsize delay;

  if (g_once_init_enter (&delay))
    {
      const char *env = g_getenv ("WORDLOOM_PREPROCESS_DELAY_US");
      guint64 us = 0;

      if (env != NULL)
        g_ascii_string_to_unsigned (env, 10, 0, G_USEC_PER_SEC, &us, NULL);
      /* + 1: the once-value cannot be 0. */
      g_once_init_leave (&delay, (gsize) us + 1);
    }
  return (gulong) delay - 1;
}

static void
test_delay (gulong us)
{
  static GMutex one_at_a_time;

  g_mutex_lock (&one_at_a_time);
  g_usleep (us);
  g_mutex_unlock (&one_at_a_time);
}

static void
preprocess_range (gsize    begin,
                  gsize    end,
                  gpointer user_data,
                  guint    worker)
{
  AllJob *job = user_data;
  PpState *st = state_acquire (job->pp);
  gulong delay = test_delay_us ();

  for (gsize i = begin; i < end && !g_cancellable_is_cancelled (job->cancellable); i++)
    {
      if (delay > 0)
        test_delay (delay);
      tokenize_with (st, job->texts[i], &job->out[i]);
    }

  state_release (st);
}

gboolean
wl_preprocess_all (const WlPreprocessor *pp,
                   const char * const   *texts,
                   gsize                 n_texts,
                   guint                 n_threads,
                   WlTokenList          *out,
                   GCancellable         *cancellable,
                   GError              **error)
{
  AllJob job = { pp, texts, out, cancellable };

  g_return_val_if_fail (pp != NULL, FALSE);
  g_return_val_if_fail (texts != NULL || n_texts == 0, FALSE);
  g_return_val_if_fail (out != NULL || n_texts == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return wl_parallel_for (n_texts, 0, n_threads, preprocess_range, &job,
                          cancellable, error);
}

static gboolean
strv_has (char       **strv,
          const char  *str)
{
  return strv != NULL && g_strv_contains ((const char * const *) strv, str);
}

void
wl_preprocess_resolve_config (WlCleanConfig      *clean,
                              WlTokenConfig      *tokens,
                              const char * const *texts,
                              gsize               n_texts)
{
  WlTextStats stats = { 0 };
  const char *lang;

  g_return_if_fail (clean != NULL);
  g_return_if_fail (tokens != NULL);
  g_return_if_fail (texts != NULL || n_texts == 0);

  if (tokens->kind != WL_TOKENIZER_AUTO && !strv_has (clean->stopwords, "auto") &&
      g_strcmp0 (clean->stem, "auto") != 0)
    return;

  wl_text_stats_add_sample (&stats, texts, n_texts);
  lang = wl_text_stats_language (&stats);

  if (tokens->kind == WL_TOKENIZER_AUTO)
    tokens->kind = wl_text_stats_is_cjk (&stats) ? WL_TOKENIZER_CJK_BIGRAMS
                                                 : WL_TOKENIZER_WORDS;

  if (strv_has (clean->stopwords, "auto"))
    {
      GStrvBuilder *builder = g_strv_builder_new ();
      GPtrArray *seen = g_ptr_array_new ();

      for (guint i = 0; clean->stopwords[i] != NULL; i++)
        {
          const char *name = clean->stopwords[i];

          if (g_str_equal (name, "auto"))
            {
              g_auto(GStrv) builtin = lang != NULL ? wl_stopwords_builtin (lang) : NULL;
              name = builtin != NULL ? lang : NULL;
            }
          if (name != NULL && !g_ptr_array_find_with_equal_func (seen, name, g_str_equal, NULL))
            {
              g_ptr_array_add (seen, (gpointer) name);
              g_strv_builder_add (builder, name);
            }
        }
      g_ptr_array_unref (seen);
      g_strfreev (clean->stopwords);
      clean->stopwords = g_strv_builder_end (builder);
      g_strv_builder_unref (builder);
    }

  if (g_strcmp0 (clean->stem, "auto") == 0)
    {
      g_free (clean->stem);
      clean->stem = g_strcmp0 (lang, "en") == 0 ? g_strdup ("english") : NULL;
    }
}
