/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-script.c: counting letters by script, and a cheap English check. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "text/wl-script.h"
#include "text/wl-utf8.h"

/* Very common English words that are rare in other Latin-script
 * languages, sorted for bsearch(). */
static const char *const english_words[] = {
  "all", "and", "are", "at", "be", "been", "but", "can", "do", "for",
  "from", "get", "have", "he", "how", "i", "if", "is", "it", "just",
  "me", "my", "not", "of", "on", "she", "so", "that", "the", "there",
  "they", "this", "to", "was", "we", "what", "when", "will", "with",
  "would", "you", "your",
};

#define MAX_ENGLISH_WORD 8

gboolean
wl_unichar_is_cjk (gunichar c)
{
  UErrorCode err = U_ZERO_ERROR;

  if (c < 0x1100)
    return FALSE;
  if (wl_unichar_is_common_han (c))
    return TRUE;
  if (c == 0x30FC || c == 0xFF70)  /* the kana length mark, full and half width */
    return TRUE;

  switch (uscript_getScript (c, &err))
    {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_KATAKANA_OR_HIRAGANA:
    case USCRIPT_HANGUL:
      return u_isalpha (c);
    default:
      return FALSE;
    }
}

WlScript
wl_unichar_get_script (gunichar c)
{
  UErrorCode err = U_ZERO_ERROR;

  if (c < 0x80)
    return g_ascii_isalpha (c) ? WL_SCRIPT_LATIN : WL_SCRIPT_OTHER;

  switch (uscript_getScript (c, &err))
    {
    case USCRIPT_LATIN:      return WL_SCRIPT_LATIN;
    case USCRIPT_HAN:        return WL_SCRIPT_HAN;
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_KATAKANA_OR_HIRAGANA:
      return WL_SCRIPT_KANA;
    case USCRIPT_HANGUL:     return WL_SCRIPT_HANGUL;
    case USCRIPT_CYRILLIC:   return WL_SCRIPT_CYRILLIC;
    case USCRIPT_GREEK:      return WL_SCRIPT_GREEK;
    case USCRIPT_ARABIC:     return WL_SCRIPT_ARABIC;
    case USCRIPT_HEBREW:     return WL_SCRIPT_HEBREW;
    case USCRIPT_DEVANAGARI: return WL_SCRIPT_DEVANAGARI;
    case USCRIPT_THAI:       return WL_SCRIPT_THAI;
    default:
      return c == 0x30FC || c == 0xFF70 ? WL_SCRIPT_KANA : WL_SCRIPT_OTHER;
    }
}

static int
compare_words (const void *a,
               const void *b)
{
  return strcmp (a, *(const char *const *) b);
}

static void
count_latin_word (WlTextStats *stats,
                  const char  *word,
                  gsize        len)
{
  char lower[MAX_ENGLISH_WORD + 1];

  stats->n_latin_words++;
  if (len > MAX_ENGLISH_WORD)
    return;
  for (gsize i = 0; i < len; i++)
    lower[i] = g_ascii_tolower (word[i]);
  lower[len] = '\0';
  if (bsearch (lower, english_words, G_N_ELEMENTS (english_words),
               sizeof english_words[0], compare_words) != NULL)
    stats->n_english_words++;
}

void
wl_text_stats_add (WlTextStats *stats,
                   const char  *text,
                   gsize        max_bytes)
{
  const char *word = NULL;  /* the ASCII word being read */
  const char *p;

  g_return_if_fail (stats != NULL);
  g_return_if_fail (text != NULL);

  for (p = text; *p != '\0' && (gsize) (p - text) < max_bytes; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_ascii_isalpha (c))
        {
          word = word != NULL ? word : p;
          stats->letters[WL_SCRIPT_LATIN]++;
          stats->n_letters++;
          continue;
        }
      if (word != NULL && c != '\'')
        {
          count_latin_word (stats, word, p - word);
          word = NULL;
        }
      if (c >= 0x80 && u_isalpha (c))
        {
          stats->letters[wl_unichar_get_script (c)]++;
          stats->n_letters++;
        }
    }
  if (word != NULL)
    count_latin_word (stats, word, p - word);
}

void
wl_text_stats_add_sample (WlTextStats        *stats,
                          const char * const *texts,
                          gsize               n_texts)
{
  gsize n = MIN (n_texts, WL_SCRIPT_SAMPLE_TEXTS);

  g_return_if_fail (stats != NULL);
  g_return_if_fail (texts != NULL || n_texts == 0);

  for (gsize k = 0; k < n; k++)
    {
      /* One text from each of n equal strides, at a varying place in the
       * stride so that a periodic input (alternating classes) is sampled
       * fairly. */
      gsize stride = n_texts / n;
      gsize offset = stride > 1 ? (gsize) (((guint64) k * 2654435761u) % stride) : 0;
      const char *text = texts[(gsize) ((guint64) k * n_texts / n) + offset];

      if (text != NULL)
        wl_text_stats_add (stats, text, WL_SCRIPT_SAMPLE_BYTES);
    }
}

static guint64
cjk_letters (const WlTextStats *stats)
{
  return stats->letters[WL_SCRIPT_HAN] + stats->letters[WL_SCRIPT_KANA] +
         stats->letters[WL_SCRIPT_HANGUL];
}

gboolean
wl_text_stats_is_cjk (const WlTextStats *stats)
{
  g_return_val_if_fail (stats != NULL, FALSE);

  return stats->n_letters > 0 && cjk_letters (stats) * 10 > stats->n_letters * 3;
}

const char *
wl_text_stats_language (const WlTextStats *stats)
{
  guint64 cjk;

  g_return_val_if_fail (stats != NULL, NULL);

  if (wl_text_stats_is_cjk (stats))
    {
      cjk = cjk_letters (stats);
      if (stats->letters[WL_SCRIPT_KANA] * 10 > cjk)
        return "ja";
      if (stats->letters[WL_SCRIPT_HANGUL] * 2 > cjk)
        return "ko";
      return "zh";
    }

  for (guint s = 0; s < WL_N_SCRIPTS; s++)
    if (stats->letters[s] > stats->letters[WL_SCRIPT_LATIN])
      return NULL;

  if (stats->n_latin_words > 0 &&
      stats->n_english_words * 100 >= stats->n_latin_words * 12)
    return "en";

  return NULL;
}
