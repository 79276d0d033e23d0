/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-script.h: which scripts and which language a sample of texts is in.
 *
 * The rule that wl_preprocess_resolve_config() applies:
 *
 *   - Letters are counted by Unicode script over the sample (at most
 *     WL_SCRIPT_SAMPLE_TEXTS texts spread over the input, WL_SCRIPT_SAMPLE_BYTES
 *     bytes of each).
 *   - CJK (Han, Hiragana, Katakana, Hangul) letters above 30 % of all
 *     letters: the text is CJK.  Its language is Japanese when kana make up
 *     more than 10 % of the CJK letters, Korean when Hangul makes up more
 *     than half, Chinese otherwise.
 *   - Otherwise, when Latin is the most common script and at least 12 % of
 *     the Latin words are among 42 very common English words ("the", "and",
 *     "you", "is", ...), the language is English.  Other languages have no
 *     code (NULL).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WL_SCRIPT_SAMPLE_TEXTS 5000
#define WL_SCRIPT_SAMPLE_BYTES 4096

typedef enum
{
  WL_SCRIPT_LATIN,
  WL_SCRIPT_HAN,
  WL_SCRIPT_KANA,       /* Hiragana and Katakana */
  WL_SCRIPT_HANGUL,
  WL_SCRIPT_CYRILLIC,
  WL_SCRIPT_GREEK,
  WL_SCRIPT_ARABIC,
  WL_SCRIPT_HEBREW,
  WL_SCRIPT_DEVANAGARI,
  WL_SCRIPT_THAI,
  WL_SCRIPT_OTHER,
  WL_N_SCRIPTS
} WlScript;

typedef struct
{
  guint64 letters[WL_N_SCRIPTS];
  guint64 n_letters;
  guint64 n_latin_words;
  guint64 n_english_words;  /* Latin words among the common English ones */
} WlTextStats;

/* TRUE for a Han, Hiragana, Katakana or Hangul letter (and the kana length
 * mark ー), the characters CJK tokenizers split one by one. */
gboolean    wl_unichar_is_cjk        (gunichar           c);

WlScript    wl_unichar_get_script    (gunichar           c);

/* Adds the letters and words of the first @max_bytes of @text (valid UTF-8,
 * NUL-terminated) to @stats. */
void        wl_text_stats_add        (WlTextStats       *stats,
                                      const char        *text,
                                      gsize              max_bytes);

/* Adds a sample of @texts, as described above. */
void        wl_text_stats_add_sample (WlTextStats       *stats,
                                      const char * const *texts,
                                      gsize              n_texts);

gboolean    wl_text_stats_is_cjk     (const WlTextStats *stats);

/* "zh", "ja", "ko", "en", or NULL. */
const char *wl_text_stats_language   (const WlTextStats *stats);

G_END_DECLS
