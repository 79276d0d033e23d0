/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-csv-quotes.c: the reader's quote modes (auto, rfc4180, none) on
 * generated files. */
#include "config.h"

#include <string.h>

#include "wl-error.h"
#include "csv-test-util.h"

#define SNIFF_BYTES (64u << 10)   /* what the reader looks at to decide */
#define SMS_ROWS    400
#define SMS_OPEN    350           /* the line whose quote never closes */

/* The message on @line of a TSV like the UCI SMS collection, whose writer
 * never quotes: a loose quote early (line 4), an opening quote that never
 * closes far down (SMS_OPEN, past the sample) and another opening quote two
 * lines below it. */
static char *
sms_message (guint line)
{
  static const char *commas[] = { "", ",", ", so,", ", a, b," };
  g_autofree char *padding = g_strnfill (200 + line % 37, line % 3 ? 'x' : ' ');

  if (line == 4)
    return g_strdup ("\"Wen u miss someone, the person is special\" gdeve..");
  if (line == SMS_OPEN)
    return g_strdup ("\"Keep ur problems in ur heart, b'coz nobody will fight for u");
  if (line == SMS_OPEN + 2)
    return g_strdup ("\"HI BABE UAWAKE? FEELLIKW SHIT");
  return g_strdup_printf ("message %u%s %s", line, commas[line % 4], padding);
}

static const char *
sms_label (guint line)
{
  return line % 7 ? "ham" : "spam";
}

static GString *
sms_like (void)
{
  GString *content = g_string_new ("label\tmsg\n");

  for (guint line = 2; line <= SMS_ROWS + 1; line++)
    {
      g_autofree char *message = sms_message (line);

      if (line == SMS_OPEN)
        g_assert_cmpuint (content->len, >, SNIFF_BYTES);
      g_string_append_printf (content, "%s\t%s\n", sms_label (line), message);
    }
  return content;
}

static void
test_none_reads_quotes_literally (TmpDir *f, gconstpointer data)
{
  const WlCsvOptions none = { .quotes = WL_QUOTES_NONE, .header = WL_HEADER_NO };
  const WlCsvOptions none_comma = { .quotes = WL_QUOTES_NONE, .separator = ',' };
  g_autoptr(Parsed) p1 = parse (f, "none.tsv",
                                "a\t\"b\n"
                                "\"c\" d\te\n"
                                "\"\"\t\"\r\n", -1, &none);
  g_autoptr(Parsed) p2 = parse (f, "none.csv", "label,text\npos,\"a,b\"\n", -1, &none_comma);

  g_assert_no_error (p1->error);
  g_assert_cmpint (wl_csv_reader_get_quotes (p1->reader), ==, WL_QUOTES_NONE);
  g_assert_cmpuint (p1->rows->len, ==, 3);
  assert_row (p1, 0, 1, "a", "\"b", NULL);
  assert_row (p1, 1, 2, "\"c\" d", "e", NULL);
  assert_row (p1, 2, 3, "\"\"", "\"", NULL);
  g_assert_cmpuint (wl_csv_reader_get_counts (p1->reader)->loose_quotes, ==, 0);

  /* A separator between quotes still separates. */
  g_assert_error (p2->error, WL_ERROR, WL_ERROR_PARSE);
  g_assert_nonnull (strstr (p2->error->message, "none.csv:2:8: row has 3 fields but the header has 2"));
}

/* The sms case: the sample's loose quote makes the whole file quote-free,
 * so the quote that never closes, far below, is text. */
static void
test_auto_tsv_loose_quote (TmpDir *f, gconstpointer data)
{
  const WlCsvOptions tab = { .separator = '\t' };
  g_autoptr(GString) content = sms_like ();
  g_autofree char *path = tmp_dir_write (f, "sms-like.txt", content->str, content->len);
  g_autoptr(Parsed) p1 = parse_file (path, NULL);
  g_autoptr(Parsed) p2 = parse_file (path, &tab);

  g_assert_no_error (p1->error);
  /* Detected as tab without the help of a .tsv name. */
  g_assert_cmpuint (wl_csv_reader_get_separator (p1->reader), ==, '\t');
  g_assert_true (wl_csv_reader_get_has_header (p1->reader));
  g_assert_cmpint (wl_csv_reader_get_quotes (p1->reader), ==, WL_QUOTES_NONE);
  g_assert_cmpuint (p1->rows->len, ==, SMS_ROWS);
  for (guint line = 2; line <= SMS_ROWS + 1; line++)
    {
      g_autofree char *message = sms_message (line);

      assert_row (p1, line - 2, line, sms_label (line), message, NULL);
    }
  g_assert_cmpuint (wl_csv_reader_get_counts (p1->reader)->loose_quotes, ==, 0);
  g_assert_cmpuint (wl_csv_reader_get_offset (p1->reader), ==, content->len);

  /* A given tab still decides the quotes from the sample. */
  g_assert_no_error (p2->error);
  g_assert_cmpint (wl_csv_reader_get_quotes (p2->reader), ==, WL_QUOTES_NONE);
  g_assert_cmpuint (p2->rows->len, ==, SMS_ROWS);
}

/* Asked for RFC 4180, the sms case fails, at the line where the quote
 * that never closes opens. */
static void
test_rfc4180_on_sms_like (TmpDir *f, gconstpointer data)
{
  const WlCsvOptions rfc4180 = { .quotes = WL_QUOTES_RFC4180 };
  g_autoptr(GString) content = sms_like ();
  g_autoptr(Parsed) p = parse (f, "sms-like.tsv", content->str, content->len, &rfc4180);
  g_autofree char *where = g_strdup_printf ("sms-like.tsv:%u:6: the quoted field that opens here "
                                            "runs to line %u", SMS_OPEN, SMS_OPEN + 2);

  g_assert_error (p->error, WL_ERROR, WL_ERROR_PARSE);
  g_assert_nonnull (strstr (p->error->message, where));
  g_assert_cmpint (wl_csv_reader_get_quotes (p->reader), ==, WL_QUOTES_RFC4180);
  g_assert_cmpuint (p->rows->len, ==, SMS_OPEN - 2);
  g_assert_cmpuint (wl_csv_reader_get_counts (p->reader)->loose_quotes, ==, 1);
}

static void
test_auto_tsv_unclosed_quote (TmpDir *f, gconstpointer data)
{
  g_autoptr(Parsed) p = parse (f, "open.tsv", "label\ttext\nham\t\"open\nspam\tb\n", -1, NULL);

  g_assert_no_error (p->error);
  g_assert_cmpint (wl_csv_reader_get_quotes (p->reader), ==, WL_QUOTES_NONE);
  g_assert_cmpuint (p->rows->len, ==, 2);
  assert_row (p, 0, 2, "ham", "\"open", NULL);
  assert_row (p, 1, 3, "spam", "b", NULL);
}

/* Clean quoted fields keep RFC 4180, with tabs, line breaks and doubled
 * quotes inside, and a quote that closes past the sample but within the
 * first chunk. */
static void
test_auto_tsv_clean_quotes (TmpDir *f, gconstpointer data)
{
  g_autoptr(Parsed) p1 = parse (f, "clean.tsv",
                                "label\ttext\n"
                                "pos\t\"a\tb\nc\"\n"
                                "neg\t\"say \"\"hi\"\"\"\n"
                                "neg\tplain \"x\" y\n", -1, NULL);
  g_autoptr(GString) content = g_string_new ("label\ttext\n");
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(Parsed) p2 = NULL;
  guint n = 0;

  g_assert_no_error (p1->error);
  g_assert_cmpint (wl_csv_reader_get_quotes (p1->reader), ==, WL_QUOTES_RFC4180);
  g_assert_cmpuint (p1->rows->len, ==, 3);
  assert_row (p1, 0, 2, "pos", "a\tb\nc", NULL);
  assert_row (p1, 1, 4, "neg", "say \"hi\"", NULL);
  assert_row (p1, 2, 5, "neg", "plain \"x\" y", NULL);

  while (content->len < SNIFF_BYTES - 1000)
    g_string_append_printf (content, "neg\t\"row\t%u\"\n", n++);
  while (long_text->len < 8000)
    g_string_append (long_text, "long\ttext\n");
  g_string_append_printf (content, "pos\t\"%s\"\nneg\tend\n", long_text->str);
  p2 = parse (f, "across.tsv", content->str, content->len, NULL);

  g_assert_no_error (p2->error);
  g_assert_cmpint (wl_csv_reader_get_quotes (p2->reader), ==, WL_QUOTES_RFC4180);
  g_assert_cmpuint (p2->rows->len, ==, n + 2);
  assert_row (p2, n, n + 2, "pos", long_text->str, NULL);
  assert_row (p2, n + 1, n + 2 + 801, "neg", "end", NULL);   /* after 800 line breaks */
}

/* Rows whose quotes are not RFC 4180, among rows that are, in a TSV (past
 * the sample, as in real files whose first stray quote comes late) and in
 * a CSV: each line that is a record stays one row, its quotes as text,
 * counted with its line; genuine quoted fields (separators, doubled quotes,
 * line breaks inside) are still read as RFC 4180. */
static void
test_auto_stray_quotes (TmpDir *f, gconstpointer data)
{
  for (const char *s = "\t,;"; *s != '\0'; s++)
    {
      const char sep = *s;
      g_autoptr(GString) content = g_string_new (NULL);
      g_autoptr(GPtrArray) want = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint64));
      g_autoptr(Parsed) p = NULL;
      guint64 line = 2;
      const guint64 *first;
#define ROW(label, text_written, text_read, n_lines)                                        \
      G_STMT_START {                                                                        \
        g_string_append_printf (content, "%s%c%s\n", label, sep, text_written);             \
        g_ptr_array_add (want, g_strdup (label));                                           \
        g_ptr_array_add (want, g_strdup (text_read));                                       \
        g_array_append_val (lines, line);                                                   \
        line += n_lines;                                                                    \
      } G_STMT_END

      g_string_append_printf (content, "label%ctext\n", sep);
      while (content->len < SNIFF_BYTES + 100)
        ROW ("neg", "an ordinary review with no quotes at all padding the sample",
             "an ordinary review with no quotes at all padding the sample", 1);
      ROW ("pos", "\"Great\" hotel \"ok\"", "\"Great\" hotel \"ok\"", 1);          /* loose */
      first = &g_array_index (lines, guint64, lines->len - 1);
      ROW ("neg", "\"never closed on this line", "\"never closed on this line", 1);   /* stray */
      ROW ("pos", "plain", "plain", 1);
      ROW ("neg", "she said \"hi\" there", "she said \"hi\" there", 1);
      ROW ("pos", "\"opens here", "\"opens here", 1);                                /* stray, */
      ROW ("neg", "middle", "middle", 1);
      ROW ("pos", "closes here\"", "closes here\"", 1);                            /* closes clean */
      ROW ("neg", "\"quoted, with \"\"doubled\"\" quotes\"", "quoted, with \"doubled\" quotes", 1);
      ROW ("pos", "\"two\nlines\"", "two\nlines", 2);                               /* genuine */
      ROW ("neg", "\"a paragraph\n\nand another\"", "a paragraph\n\nand another", 3);
      ROW ("pos", "last", "last", 1);
#undef ROW

      p = parse (f, sep == '\t' ? "stray.tsv" : "stray.csv", content->str, content->len, NULL);
      g_test_message ("separator %c", sep);
      g_assert_no_error (p->error);
      g_assert_cmpuint (wl_csv_reader_get_separator (p->reader), ==, (guchar) sep);
      g_assert_cmpint (wl_csv_reader_get_quotes (p->reader), ==, WL_QUOTES_RFC4180);
      g_assert_cmpuint (p->rows->len, ==, lines->len);
      for (guint i = 0; i < lines->len; i++)
        assert_row (p, i, g_array_index (lines, guint64, i),
                    (const char *) g_ptr_array_index (want, 2 * i),
                    (const char *) g_ptr_array_index (want, 2 * i + 1), NULL);
      {
        const WlCsvCounts *counts = wl_csv_reader_get_counts (p->reader);

        g_assert_cmpuint (counts->quote_text_rows, ==, 3);
        g_assert_cmpuint (counts->n_quote_text_lines, ==, 3);
        g_assert_cmpuint (counts->quote_text_lines[0], ==, first[0]);
        g_assert_cmpuint (counts->quote_text_lines[1], ==, first[0] + 1);
        g_assert_cmpuint (counts->quote_text_lines[2], ==, first[0] + 4);
        g_assert_cmpuint (counts->bad_rows, ==, 0);
      }
    }
}

/* When neither reading gives a record, the load stops at the line where
 * the quote opens, and skipping drops that one line. */
static void
test_auto_stray_quote_error (TmpDir *f, gconstpointer data)
{
  const char *content = "label,text\npos,a\nneg,\"abc, def\npos,x\nneg,y\n";
  const WlCsvOptions skip = { .skip_bad_rows = TRUE };
  g_autoptr(Parsed) p1 = parse (f, "bad.csv", content, -1, NULL);
  g_autoptr(Parsed) p2 = parse (f, "bad.csv", content, -1, &skip);

  g_assert_error (p1->error, WL_ERROR, WL_ERROR_PARSE);
  g_assert_nonnull (strstr (p1->error->message, "bad.csv:3:5: a quote opens a field here"));
  g_assert_cmpuint (p1->rows->len, ==, 1);

  g_assert_no_error (p2->error);
  g_assert_cmpuint (p2->rows->len, ==, 3);
  assert_row (p2, 1, 4, "pos", "x", NULL);
  assert_row (p2, 2, 5, "neg", "y", NULL);
  g_assert_cmpuint (wl_csv_reader_get_counts (p2->reader)->bad_rows, ==, 1);
  g_assert_cmpuint (wl_csv_reader_get_counts (p2->reader)->bad_row_lines[0], ==, 3);
}

/* Quote-free reading over several chunks: every line ending, blank lines,
 * quotes anywhere, checked against what was written. */
static void
test_none_large_file (TmpDir *f, gconstpointer data)
{
  static const char *endings[] = { "\n", "\r\n", "\r" };
  static const char *words[] = { "word", "\"q", "q\"", "\"\"", "a,b", "汉字", "\"x\" y" };
  const WlCsvOptions none = { .quotes = WL_QUOTES_NONE };
  g_autoptr(GString) content = g_string_new ("id\tlabel\ttext\n");
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(Parsed) p = NULL;
  guint64 line = 2, blank = 0;

  while (content->len < 3 * (256u << 10))
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint n_words = g_rand_int_range (rand, 0, 30);

      for (guint w = 0; w < n_words; w++)
        g_string_append_printf (text, "%s%s", w ? " " : "",
                                words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      g_array_append_val (lines, line);
      g_string_append_printf (content, "%u\t%s\t%s%s", texts->len, texts->len % 3 ? "pos" : "neg",
                              text->str, endings[g_rand_int_range (rand, 0, 3)]);
      line++;
      if (g_rand_int_range (rand, 0, 50) == 0)
        {
          g_string_append (content, "\r\n");   /* after a CR, still its own line */
          line++;
          blank++;
        }
      g_ptr_array_add (texts, g_string_free (g_steal_pointer (&text), FALSE));
    }

  p = parse (f, "large.tsv", content->str, content->len, &none);
  g_assert_no_error (p->error);
  g_assert_cmpuint (wl_csv_reader_get_separator (p->reader), ==, '\t');
  g_assert_cmpuint (p->rows->len, ==, texts->len);
  for (guint i = 0; i < texts->len; i++)
    {
      char **row = g_ptr_array_index (p->rows, i);
      g_autofree char *id = g_strdup_printf ("%u", i);

      g_assert_cmpstr (row[0], ==, id);
      g_assert_cmpstr (row[2], ==, g_ptr_array_index (texts, i));
      g_assert_cmpuint (g_array_index (p->lines, guint64, i), ==, g_array_index (lines, guint64, i));
    }
  g_assert_cmpuint (wl_csv_reader_get_counts (p->reader)->blank_lines, ==, blank);
  g_assert_cmpuint (wl_csv_reader_get_offset (p->reader), ==, content->len);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TMP_TEST ("/io/csv-quotes/none-reads-quotes-literally", test_none_reads_quotes_literally);
  TMP_TEST ("/io/csv-quotes/auto-tsv-loose-quote", test_auto_tsv_loose_quote);
  TMP_TEST ("/io/csv-quotes/rfc4180-on-sms-like", test_rfc4180_on_sms_like);
  TMP_TEST ("/io/csv-quotes/auto-tsv-unclosed-quote", test_auto_tsv_unclosed_quote);
  TMP_TEST ("/io/csv-quotes/auto-tsv-clean-quotes", test_auto_tsv_clean_quotes);
  TMP_TEST ("/io/csv-quotes/auto-stray-quotes", test_auto_stray_quotes);
  TMP_TEST ("/io/csv-quotes/auto-stray-quote-error", test_auto_stray_quote_error);
  TMP_TEST ("/io/csv-quotes/none-large-file", test_none_large_file);

  return g_test_run ();
}
