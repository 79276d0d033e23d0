/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-tokenize.c: the tokenizers of engine/text on several scripts. */
#include "config.h"

#include <string.h>

#include "text/wl-clean.h"
#include "text/wl-tokenize.h"

static void
collect (const char    *segment,
         gsize          len,
         WlSegmentKind  kind,
         gpointer       user_data)
{
  GString *joined = user_data;

  if (joined->len > 0)
    g_string_append_c (joined, '|');
  g_string_append_len (joined, segment, len);
}

/* The tokens of @text joined by '|'. */
static char *
tokens_split (WlTokenizerKind  kind,
              gboolean         split_contractions,
              const char      *text)
{
  g_autoptr(WlTokenizer) tokenizer = wl_tokenizer_new (kind, split_contractions);
  GString *joined = g_string_new (NULL);

  wl_tokenizer_run (tokenizer, text, strlen (text), collect, joined);

  return g_string_free (joined, FALSE);
}

static char *
tokens_of (WlTokenizerKind  kind,
           const char      *text)
{
  return tokens_split (kind, FALSE, text);
}

static void
assert_tokens (WlTokenizerKind  kind,
               const char      *text,
               const char      *expected)
{
  g_autofree char *tokens = tokens_of (kind, text);

  g_assert_cmpstr (tokens, ==, expected);
}

/* The word a removed link leaves is one token to every tokenizer, and the
 * same token in the ASCII fast path and in ICU's. */
static void
test_link_word (void)
{
  assert_tokens (WL_TOKENIZER_WORDS, "visit " WL_CLEAN_LINK_WORD " now", "visit|_link_|now");
  assert_tokens (WL_TOKENIZER_WORDS, "看 " WL_CLEAN_LINK_WORD " é", "看|_link_|é");
  assert_tokens (WL_TOKENIZER_CJK_BIGRAMS, "好 " WL_CLEAN_LINK_WORD, "好|_link_");
}

static guint
count_tokens (const char *joined)
{
  g_auto(GStrv) parts = g_strsplit (joined, "|", -1);

  return *joined == '\0' ? 0 : g_strv_length (parts);
}

static void
test_words_english (void)
{
  assert_tokens (WL_TOKENIZER_WORDS,
                 "Hello, world! It's 3.14 and U.S.A. costs $1,000;ok",
                 "Hello|,|world|!|It's|3.14|and|U.S.A|.|costs|$|1,000|;|ok");
  assert_tokens (WL_TOKENIZER_WORDS, "  \t\n ", "");
  assert_tokens (WL_TOKENIZER_WORDS, "", "");
  assert_tokens (WL_TOKENIZER_WORDS, "snake_case __init__ a.b.c 4u", "snake_case|__init__|a.b.c|4u");
  /* Non-ASCII text goes through ICU. */
  assert_tokens (WL_TOKENIZER_WORDS, "Café «crème» naïve", "Café|«|crème|»|naïve");
}

/* The ASCII fast path splits exactly as ICU does: compare each random
 * string with the same string plus " é", which ICU tokenises. */
static void
test_ascii_matches_icu (void)
{
  static const char alphabet[] = "aZ09_.',;:!?-\"@#/$%&*+<=>[]^`{|}~ \t\n\r\v\f\x01\x1fnts";
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (guint round = 0; round < 10000; round++)
    {
      gboolean split = round % 2 == 1;
      char text[32];
      guint len = g_rand_int_range (rand, 1, 24);
      g_autofree char *fast = NULL;
      g_autofree char *icu = NULL;
      g_autofree char *with_e = NULL;
      g_autofree char *expected = NULL;

      for (guint i = 0; i < len; i++)
        text[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      text[len] = '\0';

      fast = tokens_split (WL_TOKENIZER_WORDS, split, text);
      with_e = g_strconcat (text, " é", NULL);
      icu = tokens_split (WL_TOKENIZER_WORDS, split, with_e);
      expected = *fast != '\0' ? g_strconcat (fast, "|é", NULL) : g_strdup ("é");
      if (g_strcmp0 (icu, expected) != 0)
        {
          g_autofree char *escaped = g_strescape (text, NULL);
          g_error ("“%s”: ASCII path gives %s, ICU gives %s", escaped, fast, icu);
        }
    }
}

static void
assert_split (const char *text,
              const char *expected)
{
  g_autofree char *tokens = tokens_split (WL_TOKENIZER_WORDS, TRUE, text);

  g_assert_cmpstr (tokens, ==, expected);
}

/* English clitics are words of their own, as the Penn Treebank has them. */
static void
test_contractions (void)
{
  assert_split ("It's a film that doesn't work; we'll see, they're in, I'm, I'd, we've, can't",
                "It|'|s|a|film|that|does|n't|work|;|we|'|ll|see|,|they|'|re|in|,|I|'|m|,|I|'|d|,|"
                "we|'|ve|,|ca|n't");
  /* As the words of the split text would be. */
  {
    g_autofree char *split = tokens_split (WL_TOKENIZER_WORDS, TRUE, "it's we'll doesn't");
    g_autofree char *written = tokens_of (WL_TOKENIZER_WORDS, "it 's we 'll does n't");
    g_assert_cmpstr (split, ==, written);
  }
  assert_split ("DON'T, the film's end, the 1990's", "DO|N'T|,|the|film|'|s|end|,|the|1990|'|s");
  /* ’ as well as ', and through ICU for text that is not ASCII. */
  assert_split ("don’t it’s", "do|n’t|it|’|s");
  assert_split ("Café's naïve isn’t", "Café|'|s|naïve|is|n’t");
  /* Nothing to split: no word before the clitic, or not a clitic. */
  assert_split ("'s n't o'clock rock'n'roll l'homme aujourd'hui", "'|s|n't|o'clock|rock'n'roll|l'homme|aujourd'hui");
  assert_split ("ma'am y'all 'tis", "ma'am|y'all|'|tis");
  /* Off, the word stays whole. */
  {
    g_autofree char *whole = tokens_of (WL_TOKENIZER_WORDS, "doesn't it's");
    g_assert_cmpstr (whole, ==, "doesn't|it's");
  }
  /* In the CJK tokenizers' words too. */
  {
    g_autofree char *mixed = tokens_split (WL_TOKENIZER_CJK_CHARS, TRUE, "好it's");
    g_assert_cmpstr (mixed, ==, "好|it|'|s");
  }
}

static void
test_words_cjk (void)
{
  g_autofree char *zh = tokens_of (WL_TOKENIZER_WORDS, "这家酒店的服务很好");
  g_autofree char *ja = tokens_of (WL_TOKENIZER_WORDS, "東京タワーに行きました");
  g_auto(GStrv) parts = g_strsplit (zh, "|", -1);
  g_autofree char *glued = g_strjoinv ("", parts);

  /* ICU's dictionary splits Chinese into words, neither one nor 9 tokens. */
  g_assert_cmpuint (count_tokens (zh), >, 2);
  g_assert_cmpuint (count_tokens (zh), <, 9);
  g_assert_nonnull (strstr (zh, "酒店"));
  g_assert_cmpstr (glued, ==, "这家酒店的服务很好");
  g_assert_cmpuint (count_tokens (ja), >, 2);
  g_assert_nonnull (strstr (ja, "東京"));
}

static void
test_cjk_chars (void)
{
  assert_tokens (WL_TOKENIZER_CJK_CHARS, "这家酒店的服务很好",
                 "这|家|酒|店|的|服|务|很|好");
  assert_tokens (WL_TOKENIZER_CJK_CHARS, "我爱NLP和C++编程, ok!",
                 "我|爱|NLP|和|C|+|+|编|程|,|ok|!");
  /* Kana, the length mark and Hangul are CJK letters too. */
  assert_tokens (WL_TOKENIZER_CJK_CHARS, "タワーに行く", "タ|ワ|ー|に|行|く");
  assert_tokens (WL_TOKENIZER_CJK_CHARS, "안녕 세계", "안|녕|세|계");
  /* CJK punctuation is not a letter. */
  assert_tokens (WL_TOKENIZER_CJK_CHARS, "好。很好！", "好|。|很|好|！");
}

static void
test_cjk_bigrams (void)
{
  assert_tokens (WL_TOKENIZER_CJK_BIGRAMS, "酒店好", "酒|酒店|店|店好|好");
  assert_tokens (WL_TOKENIZER_CJK_BIGRAMS, "服务 很好", "服|服务|务|很|很好|好");
  assert_tokens (WL_TOKENIZER_CJK_BIGRAMS, "房间2m宽", "房|房间|间|2m|宽");
  assert_tokens (WL_TOKENIZER_CJK_BIGRAMS, "好", "好");
  assert_tokens (WL_TOKENIZER_CJK_BIGRAMS, "very good 非常好 hotel",
                 "very|good|非|非常|常|常好|好|hotel");
  assert_tokens (WL_TOKENIZER_CJK_BIGRAMS, "東京タワー", "東|東京|京|京タ|タ|タワ|ワ|ワー|ー");
}

static void
test_emoji (void)
{
  const WlTokenizerKind kinds[] = { WL_TOKENIZER_WORDS, WL_TOKENIZER_CJK_CHARS,
                                    WL_TOKENIZER_CJK_BIGRAMS };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *tokens = tokens_of (kinds[k], "love it😀 👍🏽 好😀");

      g_assert_nonnull (strstr (tokens, "love|it|😀|👍🏽|"));
      g_assert_true (g_str_has_suffix (tokens, "好|😀"));
    }
  /* A ZWJ sequence is one token. */
  assert_tokens (WL_TOKENIZER_WORDS, "👨‍👩‍👧 ok", "👨‍👩‍👧|ok");
}

static void
test_char_ngrams (void)
{
  g_autoptr(WlTokenizer) tokenizer = wl_tokenizer_new (WL_TOKENIZER_CHAR_NGRAMS, FALSE);
  WlTokenBuilder builder;
  WlTokenList list = { 0 };
  GString *joined = g_string_new (NULL);

  wl_token_builder_init (&builder);

  /* fastText's example: "where" with 3-grams. */
  wl_tokenizer_char_ngrams (tokenizer, "where", 5, 3, 3, &builder);
  wl_token_builder_finish (&builder, &list);
  for (guint32 i = 0; i < list.n_tokens; i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? "|" : "", wl_token_list_get (&list, i));
  g_assert_cmpstr (joined->str, ==, "where|<wh|whe|her|ere|re>");

  /* Characters, not bytes; no lone "<" or ">"; the whole "<word>". */
  g_string_truncate (joined, 0);
  wl_tokenizer_char_ngrams (tokenizer, "酒店", strlen ("酒店"), 1, 4, &builder);
  wl_token_builder_finish (&builder, &list);
  for (guint32 i = 0; i < list.n_tokens; i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? "|" : "", wl_token_list_get (&list, i));
  g_assert_cmpstr (joined->str, ==, "酒店|<酒|<酒店|<酒店>|酒|酒店|酒店>|店|店>");

  /* The word may live in the builder itself, which grows meanwhile. */
  g_string_truncate (joined, 0);
  wl_token_builder_append (&builder, "abcdefghij", 10);
  wl_token_builder_pop (&builder);
  wl_tokenizer_char_ngrams (tokenizer, builder.buf + builder.buf_len, 10, 2, 6, &builder);
  wl_token_builder_finish (&builder, &list);
  g_assert_cmpuint (list.n_tokens, ==, 1 + 11 + 10 + 9 + 8 + 7);
  g_assert_cmpstr (wl_token_list_get (&list, 0), ==, "abcdefghij");
  g_assert_cmpstr (wl_token_list_get (&list, list.n_tokens - 1), ==, "j>");

  wl_token_list_clear (&list);
  wl_token_builder_clear (&builder);
  g_string_free (joined, TRUE);
}

static void
test_builder (void)
{
  WlTokenBuilder builder;
  WlTokenList list = { 0 };
  WlTokenList *lists;

  wl_token_builder_init (&builder);
  wl_token_builder_finish (&builder, &list);
  g_assert_cmpuint (list.n_tokens, ==, 0);
  g_assert_null (list.buf);

  for (guint i = 0; i < 10000; i++)
    {
      char word[16];
      gsize n = g_snprintf (word, sizeof word, "w%u", i);
      g_assert_cmpstr (wl_token_builder_append (&builder, word, n), ==, word);
    }
  wl_token_builder_append (&builder, "gone", 4);
  wl_token_builder_pop (&builder);
  wl_token_builder_append (&builder, "", 0);
  wl_token_builder_finish (&builder, &list);
  g_assert_cmpuint (list.n_tokens, ==, 10001);
  g_assert_cmpstr (wl_token_list_get (&list, 9999), ==, "w9999");
  g_assert_cmpstr (wl_token_list_get (&list, 10000), ==, "");
  g_assert_cmpuint (list.buf_len, ==, list.offsets[10000] + 1);

  /* The builder is empty again and reusable. */
  wl_token_builder_append (&builder, "x", 1);
  lists = g_new0 (WlTokenList, 3);
  wl_token_builder_finish (&builder, &lists[1]);
  g_assert_cmpuint (lists[1].n_tokens, ==, 1);
  wl_token_lists_free (lists, 3);
  wl_token_lists_free (NULL, 0);

  wl_token_list_clear (&list);
  wl_token_builder_clear (&builder);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tokenize/words-english", test_words_english);
  g_test_add_func ("/tokenize/ascii-matches-icu", test_ascii_matches_icu);
  g_test_add_func ("/tokenize/contractions", test_contractions);
  g_test_add_func ("/tokenize/link-word", test_link_word);
  g_test_add_func ("/tokenize/words-cjk", test_words_cjk);
  g_test_add_func ("/tokenize/cjk-chars", test_cjk_chars);
  g_test_add_func ("/tokenize/cjk-bigrams", test_cjk_bigrams);
  g_test_add_func ("/tokenize/emoji", test_emoji);
  g_test_add_func ("/tokenize/char-ngrams", test_char_ngrams);
  g_test_add_func ("/tokenize/builder", test_builder);

  return g_test_run ();
}
