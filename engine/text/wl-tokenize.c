/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-tokenize.c: ICU word break with an ASCII fast path, CJK splitting, n-grams. */
#include "config.h"

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <string.h>

#include "text/wl-script.h"
#include "text/wl-tokenize.h"
#include "text/wl-utf8.h"

/* Long texts go to the break iterator in pieces of about this many bytes. */
#define BREAK_PIECE ((gsize) 1 << 20)

struct _WlTokenizer
{
  WlTokenizerKind  kind;
  gboolean         split_contractions;
  UBreakIterator  *words;
  UChar           *u16;
  gsize            u16_size;
  GString         *ngram;   /* "<word>" */
};

/* UAX #29 word break classes of the ASCII characters. */
typedef enum
{
  WB_OTHER,
  WB_SPACE,          /* white space and controls: never a token */
  WB_LETTER,
  WB_NUMERIC,
  WB_EXTEND_NUM_LET, /* _ */
  WB_MID_NUM_LET,    /* . */
  WB_SINGLE_QUOTE,   /* ' */
  WB_MID_NUM,        /* , ; */
} WbClass;

WlTokenizer *
wl_tokenizer_new (WlTokenizerKind kind,
                  gboolean        split_contractions)
{
  WlTokenizer *tokenizer;
  UErrorCode err = U_ZERO_ERROR;

  g_return_val_if_fail (kind != WL_TOKENIZER_AUTO, NULL);

  tokenizer = g_new0 (WlTokenizer, 1);
  tokenizer->kind = kind;
  tokenizer->split_contractions = split_contractions;
  tokenizer->ngram = g_string_new (NULL);
  tokenizer->words = ubrk_open (UBRK_WORD, "", NULL, 0, &err);
  /* Only a broken ICU installation lacks the word break rules. */
  if (U_FAILURE (err))
    g_error ("ICU cannot open a word break iterator: %s; reinstall libicu",
             u_errorName (err));

  return tokenizer;
}

void
wl_tokenizer_free (WlTokenizer *tokenizer)
{
  if (tokenizer == NULL)
    return;

  ubrk_close (tokenizer->words);
  g_free (tokenizer->u16);
  g_string_free (tokenizer->ngram, TRUE);
  g_free (tokenizer);
}

#define O WB_OTHER
#define S WB_SPACE
#define L WB_LETTER
#define N WB_NUMERIC
#define E WB_EXTEND_NUM_LET
#define M WB_MID_NUM_LET
#define Q WB_SINGLE_QUOTE
#define C WB_MID_NUM

/* ICU counts '@' as a letter, so "user@host" and "@name" stay whole;
 * ':' is not a mid-letter in ICU's root rules. */
static const guint8 wb_table[128] = {
  S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S,  /* controls */
  S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S,
  S, O, O, O, O, O, O, Q, O, O, O, O, C, O, M, O,  /*  !"#$%&'()*+,-./ */
  N, N, N, N, N, N, N, N, N, N, O, C, O, O, O, O,  /* 0-9 :;<=>? */
  L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,  /* @A-O */
  L, L, L, L, L, L, L, L, L, L, L, O, O, O, O, E,  /* P-Z [\]^_ */
  O, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,  /* `a-o */
  L, L, L, L, L, L, L, L, L, L, L, O, O, O, O, S,  /* p-z {|}~ DEL */
};

#undef O
#undef S
#undef L
#undef N
#undef E
#undef M
#undef Q
#undef C

static inline WbClass
wb_class (char c)
{
  return (WbClass) wb_table[(guchar) c & 0x7F];
}

/* UAX #29 rules WB6, WB7 (letter-mid-letter) and WB11, WB12
 * (number-mid-number). */
static inline gboolean
wb_joins_across (WbClass side,
                 WbClass mid)
{
  if (side == WB_LETTER)
    return mid == WB_MID_NUM_LET || mid == WB_SINGLE_QUOTE;
  if (side == WB_NUMERIC)
    return mid == WB_MID_NUM_LET || mid == WB_SINGLE_QUOTE || mid == WB_MID_NUM;
  return FALSE;
}

static inline gboolean
wb_is_word (WbClass c)
{
  return c == WB_LETTER || c == WB_NUMERIC || c == WB_EXTEND_NUM_LET;
}

/* The length of the apostrophe (' or ’) that ends @s[0, @end), or 0. */
static gsize
apostrophe_before (const char *s,
                   gsize       end)
{
  if (end >= 1 && s[end - 1] == '\'')
    return 1;
  if (end >= 3 && memcmp (s + end - 3, "\xe2\x80\x99", 3) == 0)
    return 3;
  return 0;
}

/* Where the English clitic that ends @word starts ("does|n't", "it|'s"),
 * or 0 when the word has none or would be nothing without it. */
static gsize
contraction_start (const char *word,
                   gsize       len)
{
  static const char *const clitics[] = { "s", "m", "d", "ll", "re", "ve", "t" };

  for (guint i = 0; i < G_N_ELEMENTS (clitics); i++)
    {
      gsize n = strlen (clitics[i]), mark, start;

      if (len <= n || g_ascii_strncasecmp (word + len - n, clitics[i], n) != 0 ||
          (mark = apostrophe_before (word, len - n)) == 0)
        continue;
      start = len - n - mark;
      /* "n't" takes the n with it: "does|n't", "ca|n't". */
      if (clitics[i][0] == 't')
        {
          if (start < 2 || g_ascii_tolower (word[start - 1]) != 'n')
            return 0;
          start--;
        }
      return start;
    }
  return 0;
}

/* A word, or with a contraction the word before its clitic and then the
 * clitic broken as a word of its own would be: "it's" as "it 's" gives
 * "it" "'" "s" (an apostrophe that starts a word is not inside it), and
 * "doesn't" as "does n't" gives "does" "n't". */
static void
emit_word (const WlTokenizer *tokenizer,
           const char        *s,
           gsize              len,
           WlSegmentFunc      func,
           gpointer           user_data)
{
  gsize cut = tokenizer->split_contractions ? contraction_start (s, len) : 0;
  gsize mark;

  if (cut == 0)
    {
      func (s, len, WL_SEGMENT_WORD, user_data);
      return;
    }
  func (s, cut, WL_SEGMENT_WORD, user_data);
  mark = s[cut] == '\'' ? 1 : s[cut] == '\xe2' ? 3 : 0;
  if (mark > 0)
    func (s + cut, mark, WL_SEGMENT_WORD, user_data);
  func (s + cut + mark, len - cut - mark, WL_SEGMENT_WORD, user_data);
}

/* ICU's word break of pure ASCII text, without ICU: letters, digits and
 * '_' join (WB5, WB8-WB10, WB13a/b), a mid character joins two letters or
 * two digits, anything else is a segment of its own. */
static void
ascii_words (const WlTokenizer *tokenizer,
             const char        *s,
             gsize              len,
             WlSegmentFunc      func,
             gpointer           user_data)
{
  gsize i = 0;

  while (i < len)
    {
      WbClass c = wb_class (s[i]);
      gsize j = i + 1;

      if (c == WB_SPACE)
        {
          i = j;
          continue;
        }
      if (wb_is_word (c))
        {
          WbClass prev = c;

          while (j < len)
            {
              WbClass next = wb_class (s[j]);

              if (wb_is_word (next))
                {
                  prev = next;
                  j++;
                }
              else if (j + 1 < len && wb_class (s[j + 1]) == prev &&
                       wb_joins_across (prev, next))
                j += 2;
              else
                break;
            }
        }
      emit_word (tokenizer, s + i, j - i, func, user_data);
      i = j;
    }
}

static void
icu_words_piece (WlTokenizer   *tokenizer,
                 const char    *s,
                 gsize          len,
                 WlSegmentFunc  func,
                 gpointer       user_data)
{
  UErrorCode err = U_ZERO_ERROR;
  int32_t n16 = 0;
  int32_t start16;
  int32_t end16;
  const char *p = s;

  if (tokenizer->u16_size < len + 1)
    {
      tokenizer->u16_size = MAX (len + 1, tokenizer->u16_size * 2);
      tokenizer->u16 = g_renew (UChar, tokenizer->u16, tokenizer->u16_size);
    }
  u_strFromUTF8 (tokenizer->u16, (int32_t) tokenizer->u16_size, &n16,
                 s, (int32_t) len, &err);
  ubrk_setText (tokenizer->words, tokenizer->u16, n16, &err);
  if (U_FAILURE (err))
    return;

  start16 = ubrk_first (tokenizer->words);
  while ((end16 = ubrk_next (tokenizer->words)) != UBRK_DONE)
    {
      int32_t status = ubrk_getRuleStatus (tokenizer->words);
      const char *q = p;
      gunichar first = g_utf8_get_char (p);

      /* Walk the UTF-8 text along the UTF-16 offsets. */
      for (int32_t k = start16; k < end16; )
        {
          gsize n = g_utf8_skip[(guchar) *q];
          k += n == 4 ? 2 : 1;
          q += n;
        }

      if (status >= UBRK_WORD_KANA)
        func (p, q - p, WL_SEGMENT_CJK, user_data);
      else if (status >= UBRK_WORD_NONE_LIMIT ||
               !(u_isUWhiteSpace (first) || u_iscntrl (first) ||
                 u_charType (first) == U_FORMAT_CHAR))
        emit_word (tokenizer, p, q - p, func, user_data);

      p = q;
      start16 = end16;
    }
}

static void
split_words (WlTokenizer   *tokenizer,
             const char    *s,
             gsize          len,
             WlSegmentFunc  func,
             gpointer       user_data)
{
  gsize piece;

  if (wl_utf8_is_ascii (s, len))
    {
      ascii_words (tokenizer, s, len, func, user_data);
      return;
    }

  for (gsize done = 0; done < len; done += piece)
    {
      piece = wl_utf8_piece_length (s + done, len - done, BREAK_PIECE);
      icu_words_piece (tokenizer, s + done, piece, func, user_data);
    }
}

/* Every CJK letter alone (and with @bigrams, each adjacent pair after its
 * first letter); the text between CJK letters as words. */
static void
split_cjk (WlTokenizer   *tokenizer,
           const char    *s,
           gsize          len,
           gboolean       bigrams,
           WlSegmentFunc  func,
           gpointer       user_data)
{
  gsize run = 0;        /* start of the text since the last CJK letter */
  gsize prev = len;     /* start of the previous CJK letter, if adjacent */
  gsize i = 0;

  while (i < len)
    {
      gsize n;
      gunichar c = wl_utf8_decode (s + i, &n);

      if (!wl_unichar_is_cjk (c))
        {
          i += n;
          continue;
        }

      if (run < i)
        {
          split_words (tokenizer, s + run, i - run, func, user_data);
          prev = len;
        }
      if (bigrams && prev < i)
        func (s + prev, i + n - prev, WL_SEGMENT_CJK, user_data);
      func (s + i, n, WL_SEGMENT_CJK, user_data);

      prev = i;
      i += n;
      run = i;
    }

  if (run < len)
    split_words (tokenizer, s + run, len - run, func, user_data);
}

void
wl_tokenizer_run (WlTokenizer   *tokenizer,
                  const char    *text,
                  gsize          len,
                  WlSegmentFunc  func,
                  gpointer       user_data)
{
  g_return_if_fail (tokenizer != NULL);
  g_return_if_fail (text != NULL || len == 0);
  g_return_if_fail (func != NULL);

  switch (tokenizer->kind)
    {
    case WL_TOKENIZER_CJK_CHARS:
    case WL_TOKENIZER_CJK_BIGRAMS:
      split_cjk (tokenizer, text, len, tokenizer->kind == WL_TOKENIZER_CJK_BIGRAMS,
                 func, user_data);
      break;
    case WL_TOKENIZER_WORDS:
    case WL_TOKENIZER_CHAR_NGRAMS:
    case WL_TOKENIZER_AUTO:
    default:
      split_words (tokenizer, text, len, func, user_data);
      break;
    }
}

void
wl_tokenizer_char_ngrams (WlTokenizer    *tokenizer,
                          const char     *word,
                          gsize           len,
                          guint           min_n,
                          guint           max_n,
                          WlTokenBuilder *out)
{
  GString *marked;
  const char *end;

  g_return_if_fail (tokenizer != NULL);
  g_return_if_fail (word != NULL || len == 0);
  g_return_if_fail (min_n >= 1 && min_n <= max_n);
  g_return_if_fail (out != NULL);

  /* @word may live in @out's buffer, which appending moves: copy first. */
  marked = tokenizer->ngram;
  g_string_truncate (marked, 0);
  g_string_append_c (marked, '<');
  g_string_append_len (marked, word, len);
  g_string_append_c (marked, '>');
  wl_token_builder_append (out, marked->str + 1, len);
  end = marked->str + marked->len;

  for (const char *s = marked->str; s < end; s = g_utf8_next_char (s))
    {
      const char *e = s;

      for (guint n = 1; n <= max_n && e < end; n++)
        {
          e = g_utf8_next_char (e);
          if (n >= min_n && !(n == 1 && (s == marked->str || e == end)))
            wl_token_builder_append (out, s, e - s);
        }
    }
}
