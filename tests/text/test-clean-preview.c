/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-clean-preview.c: the clean preview: rows, totals, step costs, cancelling. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "wl-error.h"
#include "text/wl-clean.h"
#include "text/wl-clean-preview.h"

static WlCleanConfig
config_all_on (void)
{
  WlCleanConfig clean = { 0 };

  clean.nfkc = TRUE;
  clean.casefold = TRUE;
  clean.strip_urls = TRUE;
  clean.strip_emails = TRUE;
  clean.strip_html = TRUE;
  clean.strip_punct = TRUE;
  clean.digits = WL_DIGITS_KEEP;
  clean.collapse_whitespace = TRUE;
  return clean;
}

static char *
join_tokens (const WlTokenList *list)
{
  GString *joined = g_string_new (NULL);

  for (guint32 i = 0; i < list->n_tokens; i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? "|" : "", wl_token_list_get (list, i));

  return g_string_free (joined, FALSE);
}

static void
assert_row (const WlCleanPreview *preview,
            guint                 i,
            const char           *before,
            const char           *after,
            const char           *tokens)
{
  g_autofree char *joined = join_tokens (&preview->rows[i].tokens);

  g_assert_cmpstr (preview->rows[i].before, ==, before);
  g_assert_cmpstr (preview->rows[i].after, ==, after);
  g_assert_cmpstr (joined, ==, tokens);
}

static void
test_known_texts (void)
{
  static const char *texts[] = {
    "Visit https://example.com/offer NOW for <b>FREE</b> stuff!",
    "Mail me at bob@example.org; the answer is 42",
    "free, FREE stuff",
  };
  char *english[] = { "en", NULL };
  WlCleanConfig clean = config_all_on ();
  WlTokenConfig tokens = { WL_TOKENIZER_AUTO, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlCleanPreview) preview = NULL;

  clean.stopwords = english;
  preview = wl_clean_preview_compute (&clean, &tokens, texts, G_N_ELEMENTS (texts), NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (preview->tokens.kind, ==, WL_TOKENIZER_WORDS);
  g_assert_cmpuint (preview->n_rows, ==, 3);
  assert_row (preview, 0, texts[0], "visit now for free stuff", "visit|free|stuff");
  assert_row (preview, 1, texts[1], "mail me at the answer is 42", "mail|answer|42");
  assert_row (preview, 2, texts[2], "free free stuff", "free|free|stuff");
  g_assert_cmpuint (preview->n_tokens, ==, 9);
  g_assert_cmpuint (preview->n_distinct, ==, 6);
  g_assert_cmpfloat_with_epsilon (preview->tokens_per_row, 3.0, 1e-9);

  /* The settings the preview was given are left alone. */
  g_assert_true (clean.stopwords == english);
}

static void
test_options_off_and_stemming (void)
{
  static const char *texts[] = { "The Dogs were RUNNING to https://x.org" };
  WlCleanConfig clean = { .digits = WL_DIGITS_KEEP, .stem = (char *) "english" };
  WlTokenConfig tokens = { WL_TOKENIZER_WORDS, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlCleanPreview) preview = NULL;
  g_autofree char *joined = NULL;

  preview = wl_clean_preview_compute (&clean, &tokens, texts, 1, NULL, &error);
  g_assert_no_error (error);
  /* Nothing cleaned: the link stays, and so does the case. */
  g_assert_cmpstr (preview->rows[0].after, ==, texts[0]);
  joined = join_tokens (&preview->rows[0].tokens);
  g_assert_nonnull (strstr (joined, "|RUNNING|"));

  clean.casefold = TRUE;
  clean.strip_urls = TRUE;
  clean.collapse_whitespace = TRUE;
  g_clear_pointer (&preview, wl_clean_preview_free);
  preview = wl_clean_preview_compute (&clean, &tokens, texts, 1, NULL, &error);
  g_assert_no_error (error);
  assert_row (preview, 0, texts[0], "the dogs were running to", "the|dog|were|run|to");

  /* A removed link leaves its word, as in training. */
  clean.mark_links = TRUE;
  g_clear_pointer (&preview, wl_clean_preview_free);
  preview = wl_clean_preview_compute (&clean, &tokens, texts, 1, NULL, &error);
  g_assert_no_error (error);
  assert_row (preview, 0, texts[0], "the dogs were running to " WL_CLEAN_LINK_WORD,
              "the|dog|were|run|to|" WL_CLEAN_LINK_WORD);
}

/* Texts in which every step has work to do. */
static GPtrArray *
make_mixed_texts (guint n,
                  guint words_per_text)
{
  static const char *words[] = {
    "Running", "QUICKLY", "the", "café", "ｆｕｌｌｗｉｄｔｈ", "naïve", "and", "prices",
    "<b>bold</b>", "https://example.com/a?b=1", "me@example.org", "2024", "don't",
    "wonderful,", "Straße", "is", "of", "&amp;", "connection", "“quoted”",
  };
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < n; i++)
    {
      GString *text = g_string_new (NULL);

      for (guint w = 0; w < words_per_text; w++)
        g_string_append_printf (text, "%s  ",
                                words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      g_ptr_array_add (texts, g_string_free (text, FALSE));
    }
  return texts;
}

static void
test_step_costs (void)
{
  g_autoptr(GPtrArray) texts = make_mixed_texts (200, 30);
  char *english[] = { "en", NULL };
  WlCleanConfig clean = config_all_on ();
  WlTokenConfig tokens = { WL_TOKENIZER_WORDS, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlCleanPreview) preview = NULL;
  double sum = 0;

  clean.digits = WL_DIGITS_ZERO;
  clean.stopwords = english;
  clean.stem = (char *) "english";
  preview = wl_clean_preview_compute (&clean, &tokens, (const char * const *) texts->pdata,
                                      texts->len, NULL, &error);
  g_assert_no_error (error);

  for (guint s = 0; s < WL_N_CLEAN_STEPS; s++)
    {
      g_test_message ("%-10s %8.3f ms per 1,000 rows", wl_clean_step_to_string (s),
                      preview->steps[s].ms_per_1000);
      g_assert_true (preview->steps[s].enabled);
      g_assert_cmpfloat (preview->steps[s].ms_per_1000, >=, 0);
      sum += preview->steps[s].ms_per_1000;
    }
  g_test_message ("whole      %8.3f ms per 1,000 rows, steps sum to %.3f",
                  preview->total_ms_per_1000, sum);

  g_assert_cmpfloat (preview->total_ms_per_1000, >, 0);

  /* The steps that are on (here all of them) share out the measured
   * whole: they add up to it, whatever the machine's load. */
  g_assert_cmpfloat_with_epsilon (sum, preview->total_ms_per_1000,
                                  preview->total_ms_per_1000 * 1e-9);
}

static void
test_steps_off_are_timed (void)
{
  g_autoptr(GPtrArray) texts = make_mixed_texts (50, 20);
  WlCleanConfig clean = { .digits = WL_DIGITS_KEEP };
  WlTokenConfig tokens = { WL_TOKENIZER_WORDS, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlCleanPreview) preview = NULL;

  preview = wl_clean_preview_compute (&clean, &tokens, (const char * const *) texts->pdata,
                                      texts->len, NULL, &error);
  g_assert_no_error (error);

  for (guint s = 0; s < WL_N_CLEAN_STEPS; s++)
    {
      g_assert_cmpint (preview->steps[s].enabled, ==, s == WL_CLEAN_STEP_TOKENIZE);
      g_assert_cmpfloat (preview->steps[s].ms_per_1000, >=, 0);
    }
  /* What stemming would cost, with the stemmer "auto" would pick, is a
   * difference of two timings, which the preview never lets go below 0:
   * it can be 0 when the timing noise is larger than stemming 50 short
   * texts, so only the sign is checked here (test_step_costs checks that
   * the costs add up to the whole pipeline's). */
  g_assert_cmpfloat (preview->steps[WL_CLEAN_STEP_STEM].ms_per_1000, >=, 0);
  g_assert_true (isfinite (preview->steps[WL_CLEAN_STEP_STEM].ms_per_1000));
}

static void
test_chinese_resolves_to_cjk (void)
{
  static const char *texts[] = {
    "这家酒店的服务很好，房间也很干净。",
    "酒店位置不错，但是早餐一般。",
    "下次还会入住这家酒店。",
  };
  char *automatic[] = { "auto", NULL };
  WlCleanConfig clean = config_all_on ();
  WlTokenConfig tokens = { WL_TOKENIZER_AUTO, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlCleanPreview) preview = NULL;
  g_autofree char *joined = NULL;

  clean.stopwords = automatic;
  clean.stem = (char *) "auto";
  preview = wl_clean_preview_compute (&clean, &tokens, texts, G_N_ELEMENTS (texts), NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (preview->tokens.kind, ==, WL_TOKENIZER_CJK_BIGRAMS);
  g_assert_cmpstrv (preview->clean.stopwords, ((const char *[]) { "zh", NULL }));
  g_assert_null (preview->clean.stem);
  g_assert_true (preview->steps[WL_CLEAN_STEP_STOPWORDS].enabled);
  g_assert_false (preview->steps[WL_CLEAN_STEP_STEM].enabled);

  joined = join_tokens (&preview->rows[0].tokens);
  g_assert_nonnull (strstr (joined, "|酒|酒店|店|"));
  g_assert_null (strstr (joined, "，"));
  g_assert_cmpuint (preview->n_distinct, <, preview->n_tokens);
}

static void
test_cancelled_before (void)
{
  static const char *texts[] = { "some text" };
  WlCleanConfig clean = config_all_on ();
  WlTokenConfig tokens = { WL_TOKENIZER_WORDS, 0, 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  WlCleanPreview *preview;

  g_cancellable_cancel (cancellable);
  preview = wl_clean_preview_compute (&clean, &tokens, texts, 1, cancellable, &error);
  g_assert_null (preview);
  g_assert_error (error, WL_ERROR, WL_ERROR_CANCELLED);
}

typedef struct
{
  GPtrArray    *texts;
  GCancellable *cancellable;
  GError       *error;
  gint64        cancelled_at;
  gint64        returned_at;   /* set by the thread, read after joining it */
} Job;

static gboolean
cancel_soon (gpointer data)
{
  Job *job = data;

  job->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (job->cancellable);
  return G_SOURCE_REMOVE;
}

static gpointer
compute_thread (gpointer data)
{
  Job *job = data;
  WlCleanConfig clean = config_all_on ();
  WlTokenConfig tokens = { WL_TOKENIZER_WORDS, 0, 0 };
  WlCleanPreview *preview;

  clean.stem = (char *) "english";
  preview = wl_clean_preview_compute (&clean, &tokens, (const char * const *) job->texts->pdata,
                                      job->texts->len, job->cancellable, &job->error);
  job->returned_at = g_get_monotonic_time ();
  g_assert_null (preview);
  return NULL;
}

/* Cancelled while it works, it stops within a text or so.  The time from
 * the cancel to its return is bounded below by its being still at work
 * when cancelled (it returns after the cancel, with WL_ERROR_CANCELLED)
 * and above by a quarter of what the whole computation takes on this
 * machine now (measured first; a text takes well under 1 ms of it), a
 * bound relative to the work that holds however loaded the machine. */
static void
test_cancelled_while_running (void)
{
  /* The rows, then at least 3 rounds of 12 passes of 5 ms, some 200 ms. */
  g_autoptr(GPtrArray) texts = make_mixed_texts (3000, 200);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(WlCleanPreview) whole = NULL;
  g_autoptr(GError) error = NULL;
  WlCleanConfig clean = config_all_on ();
  WlTokenConfig tokens = { WL_TOKENIZER_WORDS, 0, 0 };
  Job job = { texts, cancellable, NULL, 0, 0 };
  GThread *thread;
  gint64 start;
  double whole_ms, latency_ms;

  clean.stem = (char *) "english";
  start = g_get_monotonic_time ();
  whole = wl_clean_preview_compute (&clean, &tokens, (const char * const *) texts->pdata,
                                    texts->len, NULL, &error);
  whole_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_no_error (error);

  thread = g_thread_new ("preview", compute_thread, &job);
  g_timeout_add (30, cancel_soon, &job);
  while (!g_cancellable_is_cancelled (cancellable))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);

  latency_ms = (job.returned_at - job.cancelled_at) / 1000.0;
  g_test_message ("returned %.1f ms after the cancel; the whole takes %.1f ms",
                  latency_ms, whole_ms);
  g_assert_error (job.error, WL_ERROR, WL_ERROR_CANCELLED);
  g_assert_cmpfloat (latency_ms, >=, 0);
  g_assert_cmpfloat (latency_ms, <, whole_ms / 4);
  g_clear_error (&job.error);
}

static void
test_bad_stopword_file (void)
{
  static const char *texts[] = { "some text" };
  WlCleanConfig clean = config_all_on ();
  WlTokenConfig tokens = { WL_TOKENIZER_WORDS, 0, 0 };
  g_autoptr(GError) error = NULL;
  WlCleanPreview *preview;

  clean.stopwords_file = (char *) "/nonexistent/stopwords.txt";
  preview = wl_clean_preview_compute (&clean, &tokens, texts, 1, NULL, &error);
  g_assert_null (preview);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "stopwords.txt"));
}

static void
test_empty_sample (void)
{
  WlCleanConfig clean = config_all_on ();
  WlTokenConfig tokens = { WL_TOKENIZER_AUTO, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlCleanPreview) preview = NULL;

  preview = wl_clean_preview_compute (&clean, &tokens, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preview->n_rows, ==, 0);
  g_assert_cmpfloat (preview->tokens_per_row, ==, 0);
  g_assert_cmpfloat (preview->total_ms_per_1000, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clean-preview/known-texts", test_known_texts);
  g_test_add_func ("/clean-preview/options-off-and-stemming", test_options_off_and_stemming);
  g_test_add_func ("/clean-preview/step-costs", test_step_costs);
  g_test_add_func ("/clean-preview/steps-off-are-timed", test_steps_off_are_timed);
  g_test_add_func ("/clean-preview/chinese", test_chinese_resolves_to_cjk);
  g_test_add_func ("/clean-preview/cancelled-before", test_cancelled_before);
  g_test_add_func ("/clean-preview/cancelled-while-running", test_cancelled_while_running);
  g_test_add_func ("/clean-preview/bad-stopword-file", test_bad_stopword_file);
  g_test_add_func ("/clean-preview/empty-sample", test_empty_sample);

  return g_test_run ();
}
