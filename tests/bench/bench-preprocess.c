/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-preprocess.c: speed of wl_preprocess_all on 1, 2, ... N threads.
 *
 * Usage: bench-preprocess [FILE]
 *
 * FILE holds one document per line; without it, 200 000 documents are
 * generated, half English (SMS-like) and half Chinese (review-like).  The
 * default configuration (wl_config_new()) is resolved on the documents as a
 * training run would, then every thread count from 1 to the number of
 * processors (at least 2) is timed: each runs until 0.3 s have passed and at
 * least 3 times, and the fastest run counts.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "wl-config.h"
#include "exec/wl-parallel.h"
#include "text/wl-preprocess.h"

#define N_GENERATED 200000
#define MIN_SECONDS 0.3
#define MIN_RUNS    3

static const char *const english[] = {
  "free", "entry", "win", "a", "prize", "call", "now", "txt", "to", "claim", "your",
  "mobile", "ok", "lar", "i'm", "going", "home", "later", "are", "you", "coming",
  "tonight?", "sorry,", "I'll", "call", "back", "Thanks!", "the", "and", "of", "U",
  "dun", "say", "so", "early", "www.prize.com", "08452810075", "£1000", "&lt;#&gt;",
};

static const char *const chinese[] = {
  "这家", "酒店", "的", "服务", "很好", "，", "房间", "比较", "干净", "。", "早餐",
  "太差", "了", "！", "位置", "不错", "交通", "方便", "前台", "态度", "一般", "设施",
  "有点", "旧", "下次", "还会", "再来", "2", "晚", "价格", "性价比", "高", "～",
};

static guint64
next_random (guint64 *state)
{
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return *state;
}

static GPtrArray *
generate_docs (void)
{
  GPtrArray *docs = g_ptr_array_new_with_free_func (g_free);
  guint64 state = 88172645463325252ull;

  for (guint d = 0; d < N_GENERATED; d++)
    {
      gboolean zh = d % 2 == 1;
      const char *const *words = zh ? chinese : english;
      guint n_words = zh ? G_N_ELEMENTS (chinese) : G_N_ELEMENTS (english);
      guint len = 5 + next_random (&state) % (zh ? 60 : 25);
      GString *doc = g_string_new (NULL);

      for (guint w = 0; w < len; w++)
        {
          if (!zh && w > 0)
            g_string_append_c (doc, ' ');
          g_string_append (doc, words[next_random (&state) % n_words]);
        }
      g_ptr_array_add (docs, g_string_free (doc, FALSE));
    }

  return docs;
}

static GPtrArray *
read_docs (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *docs;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("%s", error->message);

  docs = g_ptr_array_new_with_free_func (g_free);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      gsize len = strlen (lines[i]);

      if (len > 0 && lines[i][len - 1] == '\r')
        lines[i][--len] = '\0';
      if (len > 0)
        g_ptr_array_add (docs, g_steal_pointer (&lines[i]));
    }

  return docs;
}

static double
time_once (const WlPreprocessor *pp,
           const char * const   *texts,
           gsize                 n,
           guint                 n_threads,
           guint64              *n_tokens)
{
  WlTokenList *out = g_new0 (WlTokenList, n);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  if (!wl_preprocess_all (pp, texts, n, n_threads, out, NULL, &error))
    g_error ("%s", error->message);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  *n_tokens = 0;
  for (gsize i = 0; i < n; i++)
    *n_tokens += out[i].n_tokens;
  wl_token_lists_free (out, n);

  return seconds;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) docs = argc > 1 ? read_docs (argv[1]) : generate_docs ();
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(WlPreprocessor) pp = NULL;
  g_autoptr(GError) error = NULL;
  const char *const *texts = (const char *const *) docs->pdata;
  guint max_threads = MAX (wl_parallel_resolve_threads (0), 2);
  double bytes = 0;
  double base_rate = 0;

  for (guint i = 0; i < docs->len; i++)
    bytes += strlen (texts[i]);

  wl_preprocess_resolve_config (&config->clean, &config->tokens, texts, docs->len);
  pp = wl_preprocessor_new (&config->clean, &config->tokens, &error);
  if (pp == NULL)
    g_error ("%s", error->message);

  printf ("input: %s, %u documents, %.1f MB; tokenizer %s\n",
          argc > 1 ? argv[1] : "generated English + Chinese", docs->len, bytes / 1e6,
          wl_tokenizer_kind_to_string (config->tokens.kind));
  printf ("%7s %9s %12s %9s %10s %9s\n",
          "threads", "seconds", "docs/s", "MB/s", "tokens", "speed-up");

  for (guint t = 1; t <= max_threads; t++)
    {
      double best = G_MAXDOUBLE;
      double spent = 0;
      guint64 n_tokens = 0;

      for (guint run = 0; run < MIN_RUNS || spent < MIN_SECONDS; run++)
        {
          double seconds = time_once (pp, texts, docs->len, t, &n_tokens);
          best = MIN (best, seconds);
          spent += seconds;
        }
      if (t == 1)
        base_rate = docs->len / best;
      printf ("%7u %9.3f %12.0f %9.1f %10" G_GUINT64_FORMAT " %8.2fx\n",
              t, best, docs->len / best, bytes / 1e6 / best, n_tokens,
              docs->len / best / base_rate);
    }

  return 0;
}
