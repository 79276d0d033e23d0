/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-preprocess.c: stopwords, stemming, detection and parallel preprocessing. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wl-error.h"
#include "text/wl-preprocess.h"
#include "text/wl-script.h"

static WlCleanConfig
config_default (void)
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

static char *
tokenize (const WlCleanConfig *clean,
          WlTokenizerKind      kind,
          const char          *text)
{
  WlTokenConfig tokens = { kind, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlPreprocessor) pp = wl_preprocessor_new (clean, &tokens, &error);
  WlTokenList list = { 0 };
  char *joined;

  g_assert_no_error (error);
  wl_preprocessor_tokenize (pp, text, &list);
  joined = join_tokens (&list);
  wl_token_list_clear (&list);

  return joined;
}

static void
assert_tokens (const WlCleanConfig *clean,
               WlTokenizerKind      kind,
               const char          *text,
               const char          *expected)
{
  g_autofree char *tokens = tokenize (clean, kind, text);

  g_assert_cmpstr (tokens, ==, expected);
}

static void
assert_new_fails (const WlCleanConfig *clean,
                  WlTokenizerKind      kind,
                  gint                 code,
                  const char          *in_message)
{
  WlTokenConfig tokens = { kind, 0, 0 };
  g_autoptr(GError) error = NULL;
  WlPreprocessor *pp = wl_preprocessor_new (clean, &tokens, &error);

  g_assert_null (pp);
  g_assert_error (error, WL_ERROR, code);
  g_assert_nonnull (strstr (error->message, in_message));
}

static void
test_stopwords_builtin (void)
{
  WlCleanConfig clean = config_default ();
  char *en[] = { "en", NULL };
  char *zh[] = { "zh", NULL };
  char *both[] = { "zh", "en", NULL };
  g_autofree char *bigrams = NULL;

  assert_tokens (&clean, WL_TOKENIZER_WORDS, "This is a TEST of the system, isn't it?",
                 "this|is|a|test|of|the|system|isnt|it");
  clean.stopwords = en;
  assert_tokens (&clean, WL_TOKENIZER_WORDS, "This is a TEST of the system, isn't it?",
                 "test|system");

  clean.stopwords = zh;
  bigrams = tokenize (&clean, WL_TOKENIZER_CJK_BIGRAMS, "这家酒店的服务很好");
  g_assert_cmpstr (bigrams, ==, "这家|家|家酒|酒|酒店|店|店的|的服|服|服务|务|务很|很好|好");
  assert_tokens (&clean, WL_TOKENIZER_CJK_CHARS, "我们觉得不好，没有早餐",
                 "们|觉|不|好|没|早|餐");

  clean.stopwords = both;
  assert_tokens (&clean, WL_TOKENIZER_CJK_CHARS, "The hotel 的 rooms", "hotel|rooms");
}

static void
test_stopwords_file (void)
{
  WlCleanConfig clean = config_default ();
  g_autofree char *dir = g_dir_make_tmp ("wl-text-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "stop.txt", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.txt", NULL);
  char *unknown[] = { "xx", NULL };
  char *unresolved[] = { "auto", NULL };

  g_assert_true (g_file_set_contents (path, "Foo\n# comment\n\n  bar  \r\nＢＡＺ\n", -1, NULL));
  clean.stopwords_file = path;
  assert_tokens (&clean, WL_TOKENIZER_WORDS, "foo Bar baz qux # comment", "qux|comment");

  clean.stopwords_file = missing;
  assert_new_fails (&clean, WL_TOKENIZER_WORDS, WL_ERROR_IO, "missing.txt");

  clean.stopwords_file = NULL;
  clean.stopwords = unknown;
  assert_new_fails (&clean, WL_TOKENIZER_WORDS, WL_ERROR_INVALID, "en, zh");
  clean.stopwords = unresolved;
  assert_new_fails (&clean, WL_TOKENIZER_WORDS, WL_ERROR_INVALID, "auto");

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_stem (void)
{
  WlCleanConfig clean = config_default ();
  char *en[] = { "en", NULL };

  clean.stem = "english";
  assert_tokens (&clean, WL_TOKENIZER_WORDS, "Running runs easily, connected!",
                 "run|run|easili|connect");
  assert_tokens (&clean, WL_TOKENIZER_CJK_BIGRAMS, "running 酒店", "run|酒|酒店|店");
  /* Stopwords are matched before stemming. */
  clean.stopwords = en;
  assert_tokens (&clean, WL_TOKENIZER_WORDS, "doing having cats", "cat");

  clean.stopwords = NULL;
  clean.stem = "none";
  assert_tokens (&clean, WL_TOKENIZER_WORDS, "running", "running");

  clean.stem = "klingon";
  assert_new_fails (&clean, WL_TOKENIZER_WORDS, WL_ERROR_INVALID, "english");
  clean.stem = "auto";
  assert_new_fails (&clean, WL_TOKENIZER_WORDS, WL_ERROR_INVALID, "auto");
}

static void
test_char_ngrams (void)
{
  WlCleanConfig clean = config_default ();
  WlTokenConfig tokens = { WL_TOKENIZER_CHAR_NGRAMS, 4, 2 };
  g_autoptr(GError) error = NULL;
  char *en[] = { "en", NULL };

  /* 0 and 0 mean 3 to 6, as in fastText. */
  assert_tokens (&clean, WL_TOKENIZER_CHAR_NGRAMS, "Hi", "hi|<hi|<hi>|hi>");
  clean.stopwords = en;
  clean.stem = "english";
  assert_tokens (&clean, WL_TOKENIZER_CHAR_NGRAMS, "the cats", "cat|<ca|<cat|<cat>|cat|cat>|at>");

  g_assert_null (wl_preprocessor_new (&clean, &tokens, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
}

static void
test_unresolved (void)
{
  WlCleanConfig clean = config_default ();

  assert_new_fails (&clean, WL_TOKENIZER_AUTO, WL_ERROR_INVALID, "auto");
}

static void
test_clean_preview (void)
{
  WlCleanConfig clean = config_default ();
  WlTokenConfig tokens = { WL_TOKENIZER_WORDS, 0, 0 };
  g_autoptr(WlPreprocessor) pp = wl_preprocessor_new (&clean, &tokens, NULL);
  g_autofree char *cleaned = wl_preprocessor_clean (pp, " <b>Ｈｅｌｌｏ</b>,  World! ");
  WlTokenList list = { 0 };

  g_assert_cmpstr (cleaned, ==, "hello world");

  /* A missing text is an empty one. */
  wl_preprocessor_tokenize (pp, NULL, &list);
  g_assert_cmpuint (list.n_tokens, ==, 0);
}

typedef struct
{
  const char      *texts[8];
  WlTokenizerKind  kind;
  const char      *stopwords;   /* after "auto" */
  const char      *stem;
  const char      *language;
} Sample;

static void
test_resolve (void)
{
  const Sample samples[] = {
    { { "这家酒店的服务很好", "房间很干净，早餐不错", "位置方便 but noisy", NULL },
      WL_TOKENIZER_CJK_BIGRAMS, "zh", NULL, "zh" },
    { { "Free entry in 2 a wkly comp to win the cup", "I am going home, are you?",
        "Ok lar... Joking wif u oni", "Nah I don't think he goes to usf", NULL },
      WL_TOKENIZER_WORDS, "en", "english", "en" },
    { { "東京タワーに行きました", "とても楽しかったです", NULL },
      WL_TOKENIZER_CJK_BIGRAMS, NULL, NULL, "ja" },
    { { "안녕하세요 세계", "좋은 호텔입니다", NULL },
      WL_TOKENIZER_CJK_BIGRAMS, NULL, NULL, "ko" },
    { { "Der Hund ist sehr gut und die Katze auch", "Wir fahren morgen nach Berlin", NULL },
      WL_TOKENIZER_WORDS, NULL, NULL, NULL },
    { { "Привет, как дела?", NULL }, WL_TOKENIZER_WORDS, NULL, NULL, NULL },
    { { "The hotel was great and the staff were friendly, 服务好", NULL },
      WL_TOKENIZER_WORDS, "en", "english", "en" },
    { { NULL }, WL_TOKENIZER_WORDS, NULL, NULL, NULL },
  };

  for (guint s = 0; s < G_N_ELEMENTS (samples); s++)
    {
      const Sample *sample = &samples[s];
      WlCleanConfig clean = config_default ();
      WlTokenConfig tokens = { WL_TOKENIZER_AUTO, 0, 0 };
      WlTextStats stats = { 0 };
      gsize n = g_strv_length ((char **) sample->texts);

      clean.stopwords = g_strsplit ("auto", " ", -1);
      clean.stem = g_strdup ("auto");
      wl_preprocess_resolve_config (&clean, &tokens, sample->texts, n);

      g_assert_cmpint (tokens.kind, ==, sample->kind);
      g_assert_cmpuint (g_strv_length (clean.stopwords), ==, sample->stopwords != NULL);
      g_assert_cmpstr (clean.stopwords[0], ==, sample->stopwords);
      g_assert_cmpstr (clean.stem, ==, sample->stem);

      wl_text_stats_add_sample (&stats, sample->texts, n);
      g_assert_cmpstr (wl_text_stats_language (&stats), ==, sample->language);

      g_strfreev (clean.stopwords);
      g_free (clean.stem);
    }
}

static void
test_resolve_keeps_explicit (void)
{
  const char *chinese[] = { "这家酒店的服务很好" };
  WlCleanConfig clean = config_default ();
  WlTokenConfig tokens = { WL_TOKENIZER_WORDS, 0, 0 };

  /* "auto" next to a list keeps the list and adds the detected one once. */
  clean.stopwords = g_strsplit ("en auto zh", " ", -1);
  clean.stem = g_strdup ("english");
  wl_preprocess_resolve_config (&clean, &tokens, chinese, 1);
  g_assert_cmpint (tokens.kind, ==, WL_TOKENIZER_WORDS);
  g_assert_cmpuint (g_strv_length (clean.stopwords), ==, 2);
  g_assert_cmpstr (clean.stopwords[0], ==, "en");
  g_assert_cmpstr (clean.stopwords[1], ==, "zh");
  g_assert_cmpstr (clean.stem, ==, "english");
  g_strfreev (clean.stopwords);
  g_free (clean.stem);
}

static const char *const words[] = {
  "free", "Entry", "WIN", "call", "now", "running", "the", "and", "hotel", "rooms",
  "酒店", "服务", "很好", "的", "房间", "不错", "早餐", "東京", "タワー", "😀", "👍🏽",
  "http://x.com/a", "me@mail.com", "<b>bold</b>", "&amp;", "2024", "３．５", "!!", "，",
  "don't", "Straße", "ＦＵＬＬ", "\t", "\n",
};

/* @n documents of 0 to 40 words drawn with a fixed seed; one is NULL. */
static char **
generate_docs (gsize n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  char **docs = g_new0 (char *, n + 1);

  for (gsize d = 0; d < n; d++)
    {
      GString *doc = g_string_new (NULL);
      guint len = g_rand_int_range (rand, 0, 41);

      for (guint w = 0; w < len; w++)
        {
          g_string_append (doc, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
          if (g_rand_boolean (rand))
            g_string_append_c (doc, ' ');
        }
      docs[d] = g_string_free (doc, FALSE);
    }
  g_clear_pointer (&docs[n / 2], g_free);

  return docs;
}

static void
free_docs (char  **docs,
           gsize   n)
{
  for (gsize d = 0; d < n; d++)
    g_free (docs[d]);
  g_free (docs);
}

static void
assert_lists_equal (const WlTokenList *a,
                    const WlTokenList *b)
{
  g_assert_cmpuint (a->n_tokens, ==, b->n_tokens);
  g_assert_cmpuint (a->buf_len, ==, b->buf_len);
  if (a->n_tokens > 0)
    {
      g_assert_true (memcmp (a->buf, b->buf, a->buf_len) == 0);
      g_assert_true (memcmp (a->offsets, b->offsets, a->n_tokens * sizeof (guint32)) == 0);
    }
}

static void
test_all_threads (void)
{
  const gsize n = 10000;
  const WlTokenizerKind kinds[] = { WL_TOKENIZER_WORDS, WL_TOKENIZER_CJK_BIGRAMS };
  char **docs = generate_docs (n);
  char *en[] = { "en", "zh", NULL };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      WlCleanConfig clean = config_default ();
      WlTokenConfig tokens = { kinds[k], 0, 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(WlPreprocessor) pp = NULL;
      WlTokenList *one = g_new0 (WlTokenList, n);
      WlTokenList *four = g_new0 (WlTokenList, n);
      gsize n_tokens = 0;

      clean.stopwords = en;
      clean.stem = "english";
      pp = wl_preprocessor_new (&clean, &tokens, &error);
      g_assert_no_error (error);

      g_assert_true (wl_preprocess_all (pp, (const char * const *) docs, n, 1, one, NULL, &error));
      g_assert_true (wl_preprocess_all (pp, (const char * const *) docs, n, 4, four, NULL, &error));
      g_assert_no_error (error);

      for (gsize d = 0; d < n; d += 1)
        {
          assert_lists_equal (&one[d], &four[d]);
          n_tokens += one[d].n_tokens;
          if (d % 97 == 0)
            {
              WlTokenList alone = { 0 };
              wl_preprocessor_tokenize (pp, docs[d], &alone);
              assert_lists_equal (&one[d], &alone);
              wl_token_list_clear (&alone);
            }
        }
      g_assert_cmpuint (n_tokens, >, n * 5);
      g_assert_cmpuint (one[n / 2].n_tokens, ==, 0);

      wl_token_lists_free (one, n);
      wl_token_lists_free (four, n);
    }

  free_docs (docs, n);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (20 * 1000);
  g_cancellable_cancel (data);
  return GINT_TO_POINTER (1);
}

static void
test_cancel (void)
{
  const gsize n = 500000;
  char **docs = generate_docs (64);
  const char **texts = g_new (const char *, n);
  WlTokenList *out = g_new0 (WlTokenList, n);
  WlCleanConfig clean = config_default ();
  WlTokenConfig tokens = { WL_TOKENIZER_CJK_BIGRAMS, 0, 0 };
  g_autoptr(WlPreprocessor) pp = wl_preprocessor_new (&clean, &tokens, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GThread *canceller;
  gint64 start;
  gint64 elapsed;

  for (gsize i = 0; i < n; i++)
    texts[i] = docs[i % 64];

  canceller = g_thread_new ("cancel", cancel_later, cancellable);
  start = g_get_monotonic_time ();
  g_assert_false (wl_preprocess_all (pp, texts, n, 2, out, cancellable, &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, WL_ERROR, WL_ERROR_CANCELLED);
  g_thread_join (canceller);
  /* 20 ms before the cancel, well under 200 ms after it. */
  g_assert_cmpint (elapsed, <, 220 * 1000);
  g_clear_error (&error);

  /* Already cancelled: nothing is done. */
  wl_token_list_clear (&out[0]);
  g_assert_false (wl_preprocess_all (pp, texts, 1, 1, out, cancellable, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_CANCELLED);
  g_assert_null (out[0].buf);

  wl_token_lists_free (out, n);
  g_free (texts);
  free_docs (docs, 64);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/preprocess/stopwords-builtin", test_stopwords_builtin);
  g_test_add_func ("/preprocess/stopwords-file", test_stopwords_file);
  g_test_add_func ("/preprocess/stem", test_stem);
  g_test_add_func ("/preprocess/char-ngrams", test_char_ngrams);
  g_test_add_func ("/preprocess/unresolved", test_unresolved);
  g_test_add_func ("/preprocess/clean-preview", test_clean_preview);
  g_test_add_func ("/preprocess/resolve", test_resolve);
  g_test_add_func ("/preprocess/resolve-keeps-explicit", test_resolve_keeps_explicit);
  g_test_add_func ("/preprocess/all-threads", test_all_threads);
  g_test_add_func ("/preprocess/cancel", test_cancel);

  return g_test_run ();
}
