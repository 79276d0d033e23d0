/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-tokenize.h: splitting cleaned text into words, CJK characters, n-grams.
 *
 * WL_TOKENIZER_WORDS     ICU word break (UAX #29 plus dictionaries, so
 *                        Chinese and Japanese without spaces are split into
 *                        words).  White space is never a token; punctuation
 *                        and symbols are tokens of their own ("!") when the
 *                        cleaning kept them; emoji always are.  Pure ASCII
 *                        text takes a fast path that gives ICU's result.
 * WL_TOKENIZER_CJK_CHARS every Han, kana and Hangul letter is a token; the
 *                        text between them is split as WORDS.
 * WL_TOKENIZER_CJK_BIGRAMS as CJK_CHARS, plus each pair of adjacent CJK
 *                        letters, in text order: 酒店好 -> 酒 酒店 店 店好 好.
 * WL_TOKENIZER_CHAR_NGRAMS WORDS, then each word is followed by the
 *                        character n-grams of "<word>", fastText style
 *                        (wl_tokenizer_char_ngrams()).
 *
 * With @split_contractions, a word that ends in an English clitic is
 * split as Kim's (2014) cleaning and the Penn Treebank write it, "does
 * n't", "it 's", and the clitic then broken as any word: "doesn't" ->
 * "does" "n't", "it's" -> "it" "'" "s" (an apostrophe that starts a word is
 * a token of its own); also 'm, 'd, 'll, 're, 've, with ' or ’.  Negation
 * and the clitics are then tokens that every verb and noun shares.
 */
#pragma once

#include <glib.h>

#include "wl-config.h"
#include "text/wl-tokens.h"

G_BEGIN_DECLS

typedef enum
{
  WL_SEGMENT_WORD,  /* a word, number, punctuation mark or emoji */
  WL_SEGMENT_CJK,   /* a CJK letter or bigram, or an ICU dictionary word */
} WlSegmentKind;

typedef void (*WlSegmentFunc) (const char    *segment,
                               gsize          len,
                               WlSegmentKind  kind,
                               gpointer       user_data);

/* Holds a break iterator and buffers: one per thread. */
typedef struct _WlTokenizer WlTokenizer;

WlTokenizer *wl_tokenizer_new         (WlTokenizerKind  kind,
                                       gboolean         split_contractions);
void         wl_tokenizer_free        (WlTokenizer     *tokenizer);

/* Calls @func for each segment of @text (valid UTF-8, @len bytes), in
 * order.  CHAR_NGRAMS gives the words; the caller expands them. */
void         wl_tokenizer_run         (WlTokenizer     *tokenizer,
                                       const char      *text,
                                       gsize            len,
                                       WlSegmentFunc    func,
                                       gpointer         user_data);

/* Appends @word and then the n-grams of @min_n to @max_n characters of
 * "<" @word ">", by start and then length, leaving out a lone "<" or ">". */
void         wl_tokenizer_char_ngrams (WlTokenizer     *tokenizer,
                                       const char      *word,
                                       gsize            len,
                                       guint            min_n,
                                       guint            max_n,
                                       WlTokenBuilder  *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlTokenizer, wl_tokenizer_free)

G_END_DECLS
