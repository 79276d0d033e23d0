/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-csv-sniff.c: separator, quote mode and header guessing on the first
 * bytes of a file. */
#include "config.h"

#include <string.h>

#include "io/wl-csv-sniff.h"

#define MAX_RECORDS     500   /* records looked at per candidate separator */
#define MAX_NAME_LENGTH 32    /* longer first-row values do not look like names */

typedef struct
{
  const char *start;   /* inside the quotes for a quoted field */
  gsize       length;
} Span;

typedef struct
{
  const char *p;
  const char *end;
  gboolean    at_eof;
  char        separator;
  gboolean    rfc4180;   /* else quotes are ordinary characters */
} Cursor;

/* Splits the next non-blank record into @spans.  Returns FALSE when no
 * complete record is left in the sample. */
static gboolean
cursor_next (Cursor *c,
             GArray *spans)
{
  const char *p = c->p;
  const char *end = c->end;

  g_array_set_size (spans, 0);
  while (p < end && (*p == '\n' || *p == '\r'))
    p++;
  if (p == end)
    return FALSE;

  for (;;)
    {
      Span span = { p, 0 };
      gboolean quoted = c->rfc4180 && p < end && *p == '"';

      if (quoted)
        {
          span.start = ++p;
          for (;;)
            {
              const char *q = memchr (p, '"', end - p);

              if (q == NULL)
                return FALSE;
              p = q + 1;
              if (p < end && *p == '"')
                {
                  p++;
                  continue;
                }
              span.length = q - span.start;
              break;
            }
        }
      while (p < end && *p != c->separator && *p != '\n' && *p != '\r')
        p++;
      if (!quoted)
        span.length = p - span.start;
      g_array_append_val (spans, span);

      if (p == end)
        {
          if (!c->at_eof)
            return FALSE;
          c->p = p;
          return TRUE;
        }
      if (*p == c->separator)
        {
          p++;
          continue;
        }
      if (*p == '\r' && p + 1 < end && p[1] == '\n')
        p++;
      c->p = p + 1;
      return TRUE;
    }
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* The share of records having the most common field count, which goes to
 * @mode (the larger count on a tie). */
static double
field_count_consistency (const char  *sample,
                         gsize        length,
                         gboolean     at_eof,
                         char         separator,
                         WlQuoteMode  quotes,
                         guint       *mode)
{
  Cursor c = { sample, sample + length, at_eof, separator, quotes == WL_QUOTES_RFC4180 };
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  guint best_run = 0, run = 0;

  *mode = 0;
  while (counts->len < MAX_RECORDS && cursor_next (&c, spans))
    g_array_append_val (counts, spans->len);
  if (counts->len == 0)
    return 0.0;

  g_array_sort (counts, compare_uint);
  for (guint i = 0; i < counts->len; i++)
    {
      guint value = g_array_index (counts, guint, i);

      run = (i > 0 && value == g_array_index (counts, guint, i - 1)) ? run + 1 : 1;
      if (run >= best_run)
        {
          best_run = run;
          *mode = value;
        }
    }
  return (double) best_run / counts->len;
}

/* Whether every field that starts with a quote in sample[0, limit) is a
 * clean RFC 4180 quoted field: closed within sample[0, length) and followed
 * by @separator or a line end. */
static gboolean
quotes_are_clean (const char *sample,
                  gsize       limit,
                  gsize       length,
                  char        separator)
{
  const char *p = sample;
  const char *end = sample + length;

  while (p < sample + limit)
    {
      if (*p == '"')
        {
          for (;;)
            {
              const char *q = memchr (p + 1, '"', end - p - 1);

              if (q == NULL)
                return FALSE;   /* runs past what was read */
              p = q + 1;
              if (p == end || *p != '"')
                break;
            }
          if (p < end && *p != separator && *p != '\n' && *p != '\r')
            return FALSE;
        }
      while (p < end && *p != separator && *p != '\n' && *p != '\r')
        p++;
      if (p == end)
        break;
      p++;   /* the next field starts after the separator or line break */
    }
  return TRUE;
}

/* The quote mode a file read with @separator gets. */
static WlQuoteMode
resolve_quotes (const char  *sample,
                gsize        limit,
                gsize        length,
                char         separator,
                WlQuoteMode  quotes)
{
  if (quotes != WL_QUOTES_AUTO)
    return quotes;
  if (separator != '\t' || quotes_are_clean (sample, limit, length, separator))
    return WL_QUOTES_RFC4180;
  return WL_QUOTES_NONE;
}

static char
guess_separator (const char  *sample,
                 gsize        limit,
                 gsize        length,
                 gboolean     at_eof,
                 WlQuoteMode  quotes,
                 const char  *path)
{
  const char *order = ",\t;|";
  char best = ',';
  double best_score = -1.0;

  if (path != NULL && (g_str_has_suffix (path, ".tsv") || g_str_has_suffix (path, ".TSV") ||
                       g_str_has_suffix (path, ".tab") || g_str_has_suffix (path, ".TAB")))
    order = "\t,;|";

  for (const char *s = order; *s != '\0'; s++)
    {
      WlQuoteMode q = resolve_quotes (sample, limit, length, *s, quotes);
      guint mode;
      double score = field_count_consistency (sample, limit, at_eof, *s, q, &mode);

      if (mode >= 2 && score > best_score)
        {
          best = *s;
          best_score = score;
        }
    }
  return best;
}

static gboolean
span_is_numeric (const Span *span)
{
  char buf[64];
  const char *s = span->start, *e = span->start + span->length;
  char *end;

  while (s < e && g_ascii_isspace (*s))
    s++;
  while (e > s && g_ascii_isspace (e[-1]))
    e--;
  if (s == e || (gsize) (e - s) >= sizeof buf ||
      !(g_ascii_isdigit (*s) || *s == '-' || *s == '+' || *s == '.'))
    return FALSE;
  memcpy (buf, s, e - s);
  buf[e - s] = '\0';
  g_ascii_strtod (buf, &end);
  return *end == '\0';
}

static gboolean
span_equal (const Span *a,
            const Span *b)
{
  return a->length == b->length && memcmp (a->start, b->start, a->length) == 0;
}

static gboolean
span_is_usual_name (const Span *span)
{
  static const char * const names[] = {
    "text", "label", "labels", "class", "category", "target", "sentence",
    "review", "content", "document", "tweet", "sentiment",
  };
  g_autofree char *name = NULL;

  if (span->length > MAX_NAME_LENGTH)
    return FALSE;
  name = g_strstrip (g_ascii_strdown (span->start, span->length));
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
span_is_one_word (const Span *span)
{
  if (span->length == 0 || span->length > MAX_NAME_LENGTH)
    return FALSE;
  for (gsize i = 0; i < span->length; i++)
    if (g_ascii_isspace (span->start[i]))
      return FALSE;
  return TRUE;
}

/* @rows holds the sampled records (GArray of Span each), first one first. */
static gboolean
guess_header (GPtrArray *rows)
{
  GArray *first = g_ptr_array_index (rows, 0);
  guint n = first->len;
  gboolean any_name = FALSE;

  for (guint i = 0; i < n; i++)
    {
      const Span *a = &g_array_index (first, Span, i);

      if (span_is_numeric (a))
        return FALSE;
      for (guint j = 0; j < i; j++)
        if (a->length > 0 && span_equal (a, &g_array_index (first, Span, j)))
          return FALSE;
      any_name |= a->length > 0;
    }
  if (!any_name)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (span_is_usual_name (&g_array_index (first, Span, i)))
      return TRUE;
  if (rows->len < 2)
    return FALSE;

  /* A column numeric below a non-numeric first value. */
  for (guint col = 0; col < n; col++)
    {
      guint numeric = 0, other = 0;

      for (guint r = 1; r < rows->len; r++)
        {
          GArray *row = g_ptr_array_index (rows, r);

          if (col < row->len && g_array_index (row, Span, col).length > 0)
            {
              if (span_is_numeric (&g_array_index (row, Span, col)))
                numeric++;
              else
                other++;
            }
        }
      if (numeric > 0 && other == 0)
        return TRUE;
    }

  /* Labels repeat: a first-row value seen again below is data. */
  for (guint r = 1; r < rows->len; r++)
    {
      GArray *row = g_ptr_array_index (rows, r);

      for (guint col = 0; col < MIN (n, row->len); col++)
        if (g_array_index (first, Span, col).length > 0 &&
            span_equal (&g_array_index (first, Span, col), &g_array_index (row, Span, col)))
          return FALSE;
    }

  /* A one-word name above much longer values. */
  for (guint col = 0; col < n; col++)
    {
      const Span *name = &g_array_index (first, Span, col);
      guint64 total = 0;
      guint count = 0;

      if (!span_is_one_word (name))
        continue;
      for (guint r = 1; r < rows->len; r++)
        {
          GArray *row = g_ptr_array_index (rows, r);

          if (col < row->len)
            {
              total += g_array_index (row, Span, col).length;
              count++;
            }
        }
      if (count > 0 && (double) total / count > 3.0 * name->length)
        return TRUE;
    }
  return FALSE;
}

static void
compute_mean_lengths (WlCsvSniff *sniff,
                      GPtrArray  *rows)
{
  g_autofree guint64 *totals = g_new0 (guint64, sniff->n_fields);
  guint count = 0;

  for (guint r = sniff->has_header ? 1 : 0; r < rows->len; r++)
    {
      GArray *row = g_ptr_array_index (rows, r);

      if (row->len != sniff->n_fields)
        continue;
      for (guint col = 0; col < row->len; col++)
        totals[col] += g_array_index (row, Span, col).length;
      count++;
    }
  g_array_set_size (sniff->mean_lengths, sniff->n_fields);
  for (guint col = 0; col < sniff->n_fields; col++)
    g_array_index (sniff->mean_lengths, double, col) = count ? (double) totals[col] / count : 0.0;
}

void
wl_csv_sniff (WlCsvSniff   *sniff,
              const char   *sample,
              gsize         length,
              gboolean      at_eof,
              char          separator,
              WlQuoteMode   quotes,
              WlHeaderMode  header,
              const char   *path)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  gsize limit = MIN (length, WL_CSV_SNIFF_BYTES);
  gboolean limit_at_eof = at_eof && limit == length;
  char probe = separator ? separator : ',';
  Cursor c;
  guint mode;

  g_return_if_fail (sniff != NULL);

  sniff->mean_lengths = g_array_new (FALSE, TRUE, sizeof (double));

  /* A first record longer than the sample: look at everything we have. */
  if (field_count_consistency (sample, limit, limit_at_eof, probe,
                               resolve_quotes (sample, limit, length, probe, quotes), &mode) == 0.0)
    {
      limit = length;
      limit_at_eof = TRUE;
    }

  sniff->separator = separator ? separator
                               : guess_separator (sample, limit, length, limit_at_eof, quotes, path);
  sniff->quotes = resolve_quotes (sample, limit, length, sniff->separator, quotes);
  field_count_consistency (sample, limit, limit_at_eof, sniff->separator, sniff->quotes, &mode);

  c = (Cursor) { sample, sample + limit, limit_at_eof, sniff->separator,
                 sniff->quotes == WL_QUOTES_RFC4180 };
  for (;;)
    {
      GArray *spans = g_array_new (FALSE, FALSE, sizeof (Span));

      if (rows->len == MAX_RECORDS || !cursor_next (&c, spans))
        {
          g_array_unref (spans);
          break;
        }
      g_ptr_array_add (rows, spans);
    }

  if (rows->len == 0)
    sniff->has_header = header == WL_HEADER_YES;
  else if (header == WL_HEADER_AUTO)
    sniff->has_header = guess_header (rows);
  else
    sniff->has_header = header == WL_HEADER_YES;

  if (sniff->has_header && rows->len > 0)
    sniff->n_fields = ((GArray *) g_ptr_array_index (rows, 0))->len;
  else
    sniff->n_fields = mode;
  compute_mean_lengths (sniff, rows);
}

void
wl_csv_sniff_clear (WlCsvSniff *sniff)
{
  g_clear_pointer (&sniff->mean_lengths, g_array_unref);
}
