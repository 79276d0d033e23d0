/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-clean.c: HTML, Unicode normalisation, links, punctuation, digits, spaces. */
#include "config.h"

#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "text/wl-clean.h"
#include "text/wl-html.h"
#include "text/wl-utf8.h"

/* Long texts are normalised in pieces of about this many bytes. */
#define NORM_PIECE ((gsize) 1 << 20)

typedef struct
{
  gsize start;
  gsize end;
} Span;

struct _WlCleanScratch
{
  GString *html;     /* the text after stripping HTML */
  GString *norm;     /* the text after normalisation */
  GArray  *emails;   /* Span of each e-mail address in the text */
  UChar   *u16_in;
  gsize    u16_in_size;
  UChar   *u16_out;
  gsize    u16_out_size;
};

/* Where the text is written: never longer than the text read, since every
 * change replaces one or more characters by at most one byte. */
typedef struct
{
  char     *base;
  char     *pos;
  gboolean  collapse;
  gboolean  pending;  /* collapse: a space is owed before the next character */
} Writer;

WlCleanScratch *
wl_clean_scratch_new (void)
{
  WlCleanScratch *scratch = g_new0 (WlCleanScratch, 1);

  scratch->html = g_string_new (NULL);
  scratch->norm = g_string_new (NULL);
  scratch->emails = g_array_new (FALSE, FALSE, sizeof (Span));

  return scratch;
}

void
wl_clean_scratch_free (WlCleanScratch *scratch)
{
  if (scratch == NULL)
    return;

  g_string_free (scratch->html, TRUE);
  g_string_free (scratch->norm, TRUE);
  g_array_unref (scratch->emails);
  g_free (scratch->u16_in);
  g_free (scratch->u16_out);
  g_free (scratch);
}

static UChar *
ensure_u16 (UChar **buf,
            gsize  *size,
            gsize   needed)
{
  if (*size < needed)
    {
      *size = MAX (needed, *size * 2);
      *buf = g_renew (UChar, *buf, *size);
    }
  return *buf;
}

static void
normalize_piece (const WlCleanConfig *config,
                 const char          *s,
                 gsize                len,
                 WlCleanScratch      *scratch,
                 GString             *out)
{
  UErrorCode err = U_ZERO_ERROR;
  const UChar *result;
  int32_t n_in = 0;
  int32_t n_out;
  int32_t n_utf8 = 0;
  gsize old_len = out->len;

  ensure_u16 (&scratch->u16_in, &scratch->u16_in_size, len + 1);
  u_strFromUTF8WithSub (scratch->u16_in, (int32_t) scratch->u16_in_size, &n_in,
                        s, (int32_t) len, 0xFFFD, NULL, &err);
  result = scratch->u16_in;
  n_out = n_in;

  for (gsize size = (gsize) n_in + n_in / 4 + 16; U_SUCCESS (err); )
    {
      UChar *dest = ensure_u16 (&scratch->u16_out, &scratch->u16_out_size, size);

      if (config->nfkc)
        {
          const UNormalizer2 *nf = config->casefold ? unorm2_getNFKCCasefoldInstance (&err)
                                                    : unorm2_getNFKCInstance (&err);
          n_out = unorm2_normalize (nf, scratch->u16_in, n_in, dest,
                                    (int32_t) scratch->u16_out_size, &err);
        }
      else
        n_out = u_strFoldCase (dest, (int32_t) scratch->u16_out_size,
                               scratch->u16_in, n_in, U_FOLD_CASE_DEFAULT, &err);

      if (err == U_BUFFER_OVERFLOW_ERROR)
        {
          err = U_ZERO_ERROR;
          size = (gsize) n_out + 1;
          continue;
        }
      if (U_SUCCESS (err))
        result = dest;
      break;
    }
  /* ICU fails only without its data; the text then goes on unnormalised. */
  if (result == scratch->u16_in)
    n_out = n_in;

  err = U_ZERO_ERROR;
  g_string_set_size (out, old_len + (gsize) n_out * 3);
  u_strToUTF8 (out->str + old_len, n_out * 3, &n_utf8, result, n_out, &err);
  g_string_truncate (out, old_len + (U_SUCCESS (err) ? (gsize) n_utf8 : 0));
}

static gboolean
is_email_local (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* Fills @spans with the e-mail addresses in @s, in order. */
static void
find_emails (const char *s,
             gsize       len,
             GArray     *spans)
{
  gsize from = 0;

  g_array_set_size (spans, 0);
  for (const char *at = memchr (s, '@', len); at != NULL;
       at = memchr (s + from, '@', len - from))
    {
      gsize q = at - s;
      gsize l = q;
      gsize r = q + 1;
      gsize dot;
      gboolean tld_ok;

      while (l > from && is_email_local (s[l - 1]))
        l--;
      while (l < q && s[l] == '.')
        l++;
      while (r < len && (g_ascii_isalnum (s[r]) || s[r] == '.' || s[r] == '-'))
        r++;
      while (r > q + 1 && (s[r - 1] == '.' || s[r - 1] == '-'))
        r--;

      /* The domain needs a dot and a top-level part of two letters or more. */
      for (dot = r - 1; dot > q && s[dot] != '.'; dot--)
        ;
      tld_ok = dot > q + 1 && r - dot > 2;
      for (gsize k = dot + 1; tld_ok && k < r; k++)
        tld_ok = g_ascii_isalpha (s[k]);

      from = q + 1;
      if (tld_ok && l < q && g_ascii_isalnum (s[q + 1]))
        {
          Span span = { l, r };
          g_array_append_val (spans, span);
          from = r;
        }
    }
}

/* The length of the link starting at @s, or 0. */
static gsize
url_length (const char *s,
            gsize       len)
{
  static const char *const schemes[] = { "http://", "https://", "ftp://", "www." };
  gsize start = 0;
  gsize i;

  for (guint k = 0; k < G_N_ELEMENTS (schemes) && start == 0; k++)
    {
      gsize n = strlen (schemes[k]);
      if (len > n && g_ascii_strncasecmp (s, schemes[k], n) == 0)
        start = n;
    }
  if (start == 0 || !g_ascii_isalnum (s[start]))
    return 0;

  for (i = start; i < len; i++)
    {
      guchar c = (guchar) s[i];
      if (c <= ' ' || c >= 0x7F || strchr ("<>\"`{}|\\^", c) != NULL)
        break;
    }
  while (strchr (".,;:!?)]}'", s[i - 1]) != NULL)
    i--;

  return i;
}

static inline void
write_space (Writer *w)
{
  if (w->collapse)
    w->pending = w->pos > w->base;
  else
    *w->pos++ = ' ';
}

static inline void
write_byte (Writer *w,
            char    c)
{
  if (w->pending)
    {
      *w->pos++ = ' ';
      w->pending = FALSE;
    }
  *w->pos++ = c;
}

static inline void
write_bytes (Writer     *w,
             const char *s,
             gsize       n)
{
  if (w->pending)
    {
      *w->pos++ = ' ';
      w->pending = FALSE;
    }
  for (gsize i = 0; i < n; i++)
    *w->pos++ = s[i];
}

static gboolean
is_letter_at (const char *s,
              gsize       len,
              gsize       i)
{
  if (i >= len)
    return FALSE;
  if ((guchar) s[i] < 0x80)
    return g_ascii_isalpha (s[i]);
  return u_isalpha (g_utf8_get_char (s + i));
}

/* An apostrophe inside a word ("don't", "l’homme") is dropped, not spaced. */
static gboolean
is_inner_apostrophe (const char *s,
                     gsize       len,
                     gsize       i,
                     gsize       n)
{
  const char *prev;

  if (i == 0)
    return FALSE;
  prev = g_utf8_find_prev_char (s, s + i);
  return prev != NULL && is_letter_at (s, len, prev - s) && is_letter_at (s, len, i + n);
}

static void
write_digit (const WlCleanConfig *config,
             Writer              *w,
             const char          *s,
             gsize                n)
{
  if (config->digits == WL_DIGITS_KEEP)
    write_bytes (w, s, n);
  else if (config->digits == WL_DIGITS_ZERO)
    write_byte (w, '0');
}

/* The steps after normalisation, in one pass over valid UTF-8. */
static void
clean_pass (const WlCleanConfig *config,
            const char          *s,
            gsize                len,
            gboolean             fold_ascii,
            GArray              *emails,
            GString             *out)
{
  Writer w = { NULL, NULL, config->collapse_whitespace, FALSE };
  const Span *email = NULL;
  const Span *emails_end = NULL;
  gsize i = 0;

  if (config->strip_emails && memchr (s, '@', len) != NULL)
    {
      find_emails (s, len, emails);
      if (emails->len > 0)   /* an empty array may have no storage to point into */
        {
          email = &g_array_index (emails, Span, 0);
          emails_end = email + emails->len;
        }
    }

  /* Every step writes no more than it reads, but a link's word: a link
   * of 5 bytes at least ("www.x") may leave 8 (" _link_ "). */
  g_string_set_size (out, config->strip_urls && config->mark_links ? len + 3 * (len / 5 + 1) : len);
  w.base = w.pos = out->str;

  while (i < len)
    {
      guchar c = (guchar) s[i];
      gsize n = 1;

      if (email != emails_end && i == email->start)
        {
          write_space (&w);
          i = (email++)->end;
          continue;
        }

      if (c < 0x80)
        {
          if (g_ascii_isalpha (c))
            {
              guchar lower = c | 0x20;
              gsize limit;
              gsize url;

              if (config->strip_urls && (lower == 'h' || lower == 'f' || lower == 'w') &&
                  (i == 0 || !g_ascii_isalnum (s[i - 1])) &&
                  (url = url_length (s + i, len - i)) > 0)
                {
                  write_space (&w);
                  if (config->mark_links)
                    {
                      write_bytes (&w, WL_CLEAN_LINK_WORD, strlen (WL_CLEAN_LINK_WORD));
                      write_space (&w);
                    }
                  i += url;
                  while (email != emails_end && email->start < i)
                    email++;
                  continue;
                }
              /* The rest of the letters of this word, in one go. */
              limit = email != emails_end ? email->start : len;
              write_byte (&w, fold_ascii ? lower : c);
              for (i++; i < limit && g_ascii_isalpha (s[i]); i++)
                *w.pos++ = fold_ascii ? (s[i] | 0x20) : s[i];
              continue;
            }
          else if (g_ascii_isdigit (c))
            write_digit (config, &w, s + i, 1);
          else if (g_ascii_isspace (c) || g_ascii_iscntrl (c))
            {
              if (config->collapse_whitespace)
                write_space (&w);
              else
                *w.pos++ = (char) c;
            }
          else if (!config->strip_punct)
            write_byte (&w, (char) c);
          else if (c != '\'' || !is_inner_apostrophe (s, len, i, 1))
            write_space (&w);
        }
      else
        {
          gunichar u = wl_utf8_decode (s + i, &n);
          guint32 mask;

          if (wl_unichar_is_common_han (u))
            {
              write_bytes (&w, s + i, n);
              i += n;
              continue;
            }
          mask = U_GET_GC_MASK (u);
          if (u_isUWhiteSpace (u))
            {
              if (config->collapse_whitespace)
                write_space (&w);
              else
                write_bytes (&w, s + i, n);
            }
          else if (mask & U_GC_ND_MASK)
            write_digit (config, &w, s + i, n);
          else if (config->strip_punct && (mask & (U_GC_P_MASK | U_GC_S_MASK)) &&
                   !u_hasBinaryProperty (u, UCHAR_EXTENDED_PICTOGRAPHIC))
            {
              if (u != 0x2019 || !is_inner_apostrophe (s, len, i, n))
                write_space (&w);
            }
          else
            write_bytes (&w, s + i, n);
        }
      i += n;
    }

  g_string_truncate (out, w.pos - w.base);
}

void
wl_clean_text_into (const WlCleanConfig *config,
                    const char          *text,
                    gssize               len,
                    WlCleanScratch      *scratch,
                    GString             *out)
{
  const char *s = text;
  gsize n;
  gboolean fold_ascii = FALSE;

  g_return_if_fail (config != NULL);
  g_return_if_fail (text != NULL || len == 0);
  g_return_if_fail (scratch != NULL);
  g_return_if_fail (out != NULL);

  n = len < 0 ? strlen (text) : (gsize) len;

  if (config->strip_html &&
      (memchr (s, '<', n) != NULL || memchr (s, '&', n) != NULL))
    {
      g_string_truncate (scratch->html, 0);
      wl_html_strip (s, n, scratch->html);
      s = scratch->html->str;
      n = scratch->html->len;
    }

  if (wl_utf8_is_ascii (s, n))
    fold_ascii = config->casefold;
  else if (config->nfkc || config->casefold)
    {
      g_string_truncate (scratch->norm, 0);
      for (gsize done = 0, piece; done < n; done += piece)
        {
          piece = wl_utf8_piece_length (s + done, n - done, NORM_PIECE);
          normalize_piece (config, s + done, piece, scratch, scratch->norm);
        }
      s = scratch->norm->str;
      n = scratch->norm->len;
    }
  else if (!g_utf8_validate_len (s, n, NULL))
    {
      char *valid = g_utf8_make_valid (s, (gssize) n);

      g_string_assign (scratch->norm, valid);
      g_free (valid);
      s = scratch->norm->str;
      n = scratch->norm->len;
    }

  clean_pass (config, s, n, fold_ascii, scratch->emails, out);
}

char *
wl_clean_text (const WlCleanConfig *config,
               const char          *text,
               gssize               len)
{
  g_autoptr(WlCleanScratch) scratch = wl_clean_scratch_new ();
  GString *out = g_string_new (NULL);

  wl_clean_text_into (config, text, len, scratch, out);

  return g_string_free (out, FALSE);
}
