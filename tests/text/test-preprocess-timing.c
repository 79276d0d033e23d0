/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-preprocess-timing.c: preprocessing timed at each thread count, and
 * the projection for a file made from those measurements. */
#include "config.h"

#include <string.h>

#include "wl-error.h"
#include "text/wl-preprocess-timing.h"

#define DELAY_US 500

static WlPreprocessor *
new_preprocessor (void)
{
  WlCleanConfig clean = { .nfkc = TRUE, .casefold = TRUE, .collapse_whitespace = TRUE };
  WlTokenConfig tokens = { WL_TOKENIZER_WORDS, 0, 0 };
  g_autoptr(GError) error = NULL;
  WlPreprocessor *pp = wl_preprocessor_new (&clean, &tokens, &error);

  g_assert_no_error (error);
  return pp;
}

static GPtrArray *
make_texts (guint n)
{
  GPtrArray *texts = g_ptr_array_new_null_terminated (n, g_free, TRUE);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (texts, g_strdup_printf ("Row %u: The QUICK brown fox jumps over the lazy dog %u", i, i * 7));
  return texts;
}

/* A rate between two measured counts lies between them; beyond the
 * largest count measured (the cores) it is that count's rate. */
static void
test_rate (void)
{
  g_autoptr(WlPreprocessTiming) timing = g_new0 (WlPreprocessTiming, 1);
  const WlPreprocessRate rates[] = {
    { 1, 4e-3, 3e-3, 5e-3 }, { 2, 2.5e-3, 2e-3, 3e-3 }, { 4, 1.5e-3, 1e-3, 2e-3 },
  };
  WlPreprocessRate r;
  double low, high, seconds;

  timing->rates = g_array_new (FALSE, FALSE, sizeof (WlPreprocessRate));
  g_array_append_vals (timing->rates, rates, G_N_ELEMENTS (rates));
  timing->n_texts = 100;

  r = wl_preprocess_timing_rate (timing, 2);
  g_assert_cmpfloat_with_epsilon (r.seconds, 2.5e-3, 1e-12);
  r = wl_preprocess_timing_rate (timing, 3);
  g_assert_cmpuint (r.threads, ==, 3);
  g_assert_cmpfloat_with_epsilon (r.seconds, 2e-3, 1e-12);
  g_assert_cmpfloat_with_epsilon (r.seconds_low, 1.5e-3, 1e-12);
  g_assert_cmpfloat_with_epsilon (r.seconds_high, 2.5e-3, 1e-12);
  r = wl_preprocess_timing_rate (timing, 64);
  g_assert_cmpfloat (r.seconds, ==, 1.5e-3);

  /* 1,000 rows at 3 threads: 2 s, from 1.5 to 2.5 s; not 4 s / 3. */
  seconds = wl_preprocess_timing_project (timing, 1000, 3, &low, &high);
  g_assert_cmpfloat_with_epsilon (seconds, 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (low, 1.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (high, 2.5, 1e-9);
}

static void
test_measure (void)
{
  g_autoptr(WlPreprocessor) pp = new_preprocessor ();
  g_autoptr(GPtrArray) texts = make_texts (60);
  g_autoptr(GArray) counts = wl_preprocess_thread_counts ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WlPreprocessTiming) timing = NULL;
  WlTokenList *tokens = g_new0 (WlTokenList, texts->len);
  WlTokenList one = { 0 };

  timing = wl_preprocess_timing_measure (pp, (const char * const *) texts->pdata, texts->len, 3,
                                         0.005, tokens, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (timing->n_texts, ==, texts->len);
  g_assert_cmpuint (timing->rates->len, ==, counts->len);
  for (guint i = 0; i < counts->len; i++)
    {
      WlPreprocessRate *r = &g_array_index (timing->rates, WlPreprocessRate, i);

      g_assert_cmpuint (r->threads, ==, g_array_index (counts, guint, i));
      g_assert_cmpfloat (r->seconds_low, >, 0);
      g_assert_cmpfloat (r->seconds_low, <=, r->seconds);
      g_assert_cmpfloat (r->seconds, <=, r->seconds_high);
    }
  /* The tokens of the last pass are the preprocessor's. */
  wl_preprocessor_tokenize (pp, texts->pdata[7], &one);
  g_assert_cmpuint (tokens[7].n_tokens, ==, one.n_tokens);
  g_assert_cmpstr (wl_token_list_get (&tokens[7], 2), ==, wl_token_list_get (&one, 2));
  wl_token_list_clear (&one);
  wl_token_lists_free (tokens, texts->len);
}

/* With a step that does not scale (the test hook holds one lock for
 * DELAY_US a text), every thread count measures at least DELAY_US a
 * text, and so does the projection on every thread count: the one-thread
 * cost divided by the threads would say half of it on two. */
static void
test_slowed_step (void)
{
  g_autoptr(WlPreprocessor) pp = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WlPreprocessTiming) timing = NULL;
  guint cores = g_get_num_processors ();

  if (!g_test_subprocess ())
    {
      g_autofree char *delay = g_strdup_printf ("%d", DELAY_US);

      /* The hook is read once a process: a new one, with it set. */
      g_setenv ("WORDLOOM_PREPROCESS_DELAY_US", delay, TRUE);
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_unsetenv ("WORDLOOM_PREPROCESS_DELAY_US");
      g_test_trap_assert_passed ();
      return;
    }

  pp = new_preprocessor ();
  texts = make_texts (40);
  timing = wl_preprocess_timing_measure (pp, (const char * const *) texts->pdata, texts->len, 3,
                                         0, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < timing->rates->len; i++)
    g_assert_cmpfloat (g_array_index (timing->rates, WlPreprocessRate, i).seconds_low, >=,
                       DELAY_US * 1e-6);
  g_assert_cmpfloat (wl_preprocess_timing_project (timing, 10000, cores, NULL, NULL), >=,
                     10000 * DELAY_US * 1e-6);
  g_assert_cmpfloat (wl_preprocess_timing_project (timing, 10000, 0, NULL, NULL), >=,
                     10000 * DELAY_US * 1e-6);
}

static void
test_cancelled (void)
{
  g_autoptr(WlPreprocessor) pp = new_preprocessor ();
  g_autoptr(GPtrArray) texts = make_texts (10);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WlPreprocessTiming) timing = NULL;

  g_cancellable_cancel (cancellable);
  timing = wl_preprocess_timing_measure (pp, (const char * const *) texts->pdata, texts->len, 3,
                                         0.01, NULL, cancellable, &error);
  g_assert_null (timing);
  g_assert_nonnull (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/preprocess-timing/rate", test_rate);
  /* Before any thread: it sets the environment of its subprocess. */
  g_test_add_func ("/preprocess-timing/slowed-step", test_slowed_step);
  g_test_add_func ("/preprocess-timing/measure", test_measure);
  g_test_add_func ("/preprocess-timing/cancelled", test_cancelled);
  return g_test_run ();
}
