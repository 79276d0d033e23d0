/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-csv-reader.c: the streaming CSV/TSV reader on generated files. */
#include "config.h"

#include <string.h>

#include "wl-error.h"
#include "csv-test-util.h"

#define READER_BUFFER (256u << 10)   /* the reader's chunk size, for boundary tests */

static const WlCsvOptions no_header = { .header = WL_HEADER_NO };
static const WlCsvOptions skip_bad = { .skip_bad_rows = TRUE };

static void
test_quoting (TmpDir *f, gconstpointer data)
{
  g_autoptr(Parsed) p = parse (f, "q.csv",
                               "a,b,c\n"
                               "\"x,1\",\"say \"\"hi\"\"\",\"\"\n"
                               "plain,\"\"\"\",\"a,\"\"b\"\",c\"\n"
                               "no \"quote\" here,y,z\n"
                               "t,u,\n"
                               "v,\"w\",", -1, &no_header);

  g_assert_no_error (p->error);
  g_assert_cmpuint (p->rows->len, ==, 6);
  assert_row (p, 0, 1, "a", "b", "c", NULL);
  assert_row (p, 1, 2, "x,1", "say \"hi\"", "", NULL);
  assert_row (p, 2, 3, "plain", "\"", "a,\"b\",c", NULL);
  assert_row (p, 3, 4, "no \"quote\" here", "y", "z", NULL);
  assert_row (p, 4, 5, "t", "u", "", NULL);
  assert_row (p, 5, 6, "v", "w", "", NULL);   /* an empty last field at the end */
}

static void
test_newline_in_quotes (TmpDir *f, gconstpointer data)
{
  g_autoptr(Parsed) p = parse (f, "nl.csv",
                               "label,text\n"
                               "pos,\"line one\nline two\n\nline four\"\n"
                               "neg,after\n", -1, NULL);

  g_assert_no_error (p->error);
  g_assert_true (wl_csv_reader_get_has_header (p->reader));
  assert_row (p, 0, 2, "pos", "line one\nline two\n\nline four", NULL);
  assert_row (p, 1, 6, "neg", "after", NULL);
  g_assert_cmpuint (wl_csv_reader_get_counts (p->reader)->blank_lines, ==, 0);
}

static void
test_separators (TmpDir *f, gconstpointer data)
{
  const char *seps = ",\t;|";

  for (const char *s = seps; *s; s++)
    {
      g_autoptr(GString) content = g_string_new (NULL);
      g_autoptr(Parsed) p = NULL;

      /* The texts hold the other separators, so only *s splits evenly. */
      g_string_append_printf (content, "label%ctext\npos%cone", *s, *s);
      for (const char *o = seps; *o; o++)
        if (*o != *s)
          g_string_append_printf (content, " %c two", *o);
      g_string_append_printf (content, "\nneg%cthree", *s);
      for (const char *o = seps; *o; o++)
        if (*o != *s)
          g_string_append_printf (content, "%c four", *o);
      g_string_append_printf (content, "\npos%celeven\n", *s);
      p = parse (f, "sep.txt", content->str, -1, NULL);

      g_assert_no_error (p->error);
      g_assert_cmpuint (wl_csv_reader_get_separator (p->reader), ==, (guchar) *s);
      g_assert_true (wl_csv_reader_get_has_header (p->reader));
      g_assert_cmpuint (wl_csv_reader_get_n_columns (p->reader), ==, 2);
      g_assert_cmpuint (p->rows->len, ==, 3);
      assert_row (p, 2, 4, "pos", "eleven", NULL);
    }
}

static void
test_header_detection (TmpDir *f, gconstpointer data)
{
  static const struct { const char *content; gboolean header; } cases[] = {
    { "label,text\npositive,good\n", TRUE },                        /* usual names */
    { "Sentiment,Review\npos,good\n", TRUE },
    { "stars,opinion\n5,Great movie\n1,Awful\n", TRUE },            /* numeric below */
    { "tag,body\npos,This is a much longer text\nneg,Another long text here\n", TRUE },
    { "1,2\n3,4\n", FALSE },                                        /* numeric first row */
    { "0.5,hello world\n0.7,bye\n", FALSE },
    { "positive,I loved it\nnegative,Bad film\npositive,Great fun\n", FALSE }, /* labels repeat */
    { "spam,Win money now\nham,See you at lunch\n", FALSE },         /* text first row */
    { "a,a\nb,c\n", FALSE },                                        /* not distinct */
    { "x,y\n", FALSE },                                             /* one row, no names */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Parsed) p = parse (f, "h.csv", cases[i].content, -1, NULL);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].content);
      g_assert_no_error (p->error);
      g_assert_cmpint (wl_csv_reader_get_has_header (p->reader), ==, cases[i].header);
      g_assert_cmpint (wl_csv_reader_get_header (p->reader) != NULL, ==, cases[i].header);
    }
}

static void
test_overrides (TmpDir *f, gconstpointer data)
{
  WlCsvOptions yes = { .header = WL_HEADER_YES };
  WlCsvOptions semicolon = { .separator = ';' };
  g_autoptr(Parsed) p1 = parse (f, "o1.csv", "1,2\n3,4\n", -1, &yes);
  g_autoptr(Parsed) p2 = parse (f, "o2.csv", "label,text\npos,x\n", -1, &no_header);
  g_autoptr(Parsed) p3 = parse (f, "o3.csv", "a;b,c\nd;e,f\n", -1, &semicolon);
  const char *expected_header[] = { "1", "2", NULL };

  g_assert_no_error (p1->error);
  g_assert_cmpstrv (wl_csv_reader_get_header (p1->reader), expected_header);
  g_assert_cmpuint (p1->rows->len, ==, 1);
  assert_row (p1, 0, 2, "3", "4", NULL);

  g_assert_no_error (p2->error);
  g_assert_false (wl_csv_reader_get_has_header (p2->reader));
  g_assert_null (wl_csv_reader_get_header (p2->reader));
  assert_row (p2, 0, 1, "label", "text", NULL);

  g_assert_no_error (p3->error);
  g_assert_cmpuint (wl_csv_reader_get_separator (p3->reader), ==, ';');
  assert_row (p3, 0, 1, "a", "b,c", NULL);
}

static void
test_bad_separator_option (TmpDir *f, gconstpointer data)
{
  WlCsvOptions quote = { .separator = '"' };
  WlCsvOptions wide = { .separator = 0x00B7 };
  g_autoptr(Parsed) p1 = parse (f, "s.csv", "a,b\n", -1, &quote);
  g_autoptr(Parsed) p2 = parse (f, "s.csv", "a,b\n", -1, &wide);

  g_assert_error (p1->error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_error (p2->error, WL_ERROR, WL_ERROR_INVALID);
}

static void
test_bom (TmpDir *f, gconstpointer data)
{
  g_autoptr(Parsed) p1 = parse (f, "bom.csv", "\xEF\xBB\xBFlabel,text\npos,x\n", -1, NULL);
  g_autoptr(Parsed) p2 = parse (f, "bom2.csv", "\xEF\xBB\xBF" "a,\"b\n", -1, &no_header);
  const char *expected_header[] = { "label", "text", NULL };

  g_assert_no_error (p1->error);
  g_assert_true (wl_csv_reader_get_had_bom (p1->reader));
  g_assert_cmpstrv (wl_csv_reader_get_header (p1->reader), expected_header);
  assert_row (p1, 0, 2, "pos", "x", NULL);

  /* Columns count from after the mark. */
  g_assert_error (p2->error, WL_ERROR, WL_ERROR_PARSE);
  g_assert_nonnull (strstr (p2->error->message, "bom2.csv:1:3:"));
}

static void
test_line_endings (TmpDir *f, gconstpointer data)
{
  static const char *contents[] = {
    "label,text\npos,\"a\nb\"\nneg,c\npos,d\n",
    "label,text\r\npos,\"a\r\nb\"\r\nneg,c\r\npos,d\r\n",
    "label,text\rpos,\"a\rb\"\rneg,c\rpos,d\r",
    "label,text\npos,\"a\nb\"\nneg,c\npos,d",       /* no final newline */
    "label,text\r\npos,\"a\r\nb\"\r\nneg,c\r\npos,d",
  };
  static const char *texts[] = { "a\nb", "a\r\nb", "a\rb", "a\nb", "a\r\nb" };

  for (gsize i = 0; i < G_N_ELEMENTS (contents); i++)
    {
      g_autoptr(Parsed) p = parse (f, "eol.csv", contents[i], -1, NULL);

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_no_error (p->error);
      g_assert_cmpuint (p->rows->len, ==, 3);
      assert_row (p, 0, 2, "pos", texts[i], NULL);
      assert_row (p, 1, 4, "neg", "c", NULL);
      assert_row (p, 2, 5, "pos", "d", NULL);
      g_assert_cmpuint (wl_csv_reader_get_counts (p->reader)->blank_lines, ==, 0);
      g_assert_cmpuint (wl_csv_reader_get_offset (p->reader), ==, strlen (contents[i]));
      g_assert_cmpuint (wl_csv_reader_get_size (p->reader), ==, strlen (contents[i]));
    }
}

static void
test_blank_lines (TmpDir *f, gconstpointer data)
{
  g_autoptr(Parsed) p = parse (f, "blank.csv",
                               "\nlabel,text\n\npos,a\n   \n\r\nneg,b\n\n\"\",\n", -1, NULL);

  g_assert_no_error (p->error);
  g_assert_true (wl_csv_reader_get_has_header (p->reader));
  g_assert_cmpuint (p->rows->len, ==, 3);
  assert_row (p, 0, 4, "pos", "a", NULL);
  assert_row (p, 1, 7, "neg", "b", NULL);
  assert_row (p, 2, 9, "", "", NULL);   /* quoted empty fields are a row */
  g_assert_cmpuint (wl_csv_reader_get_counts (p->reader)->blank_lines, ==, 5);
}

static void
test_ragged_rows (TmpDir *f, gconstpointer data)
{
  g_autoptr(Parsed) p1 = parse (f, "ragged.csv", "label,text\npos,a\nneg,b,c\n", -1, NULL);
  g_autoptr(Parsed) p2 = parse (f, "short.csv", "label,text\npos,a\nxyz\n", -1, NULL);
  g_autoptr(Parsed) p3 = parse (f, "nohead.csv", "a,1,x\nb,2,y\nc,3,z\nd,4\n", -1, &no_header);

  g_assert_error (p1->error, WL_ERROR, WL_ERROR_PARSE);
  g_assert_nonnull (strstr (p1->error->message, "ragged.csv:3:7: row has 3 fields but the header has 2"));
  g_assert_nonnull (strstr (p1->error->message, "fix the row or skip such rows"));
  g_assert_cmpuint (p1->rows->len, ==, 1);

  g_assert_error (p2->error, WL_ERROR, WL_ERROR_PARSE);
  g_assert_nonnull (strstr (p2->error->message, "short.csv:3:4: row has 1 field but the header has 2"));

  g_assert_error (p3->error, WL_ERROR, WL_ERROR_PARSE);
  g_assert_nonnull (strstr (p3->error->message, "nohead.csv:4:4: row has 2 fields, expected 3"));
  g_assert_cmpuint (p3->rows->len, ==, 3);
}

static void
test_unterminated_quote (TmpDir *f, gconstpointer data)
{
  const char *content = "label,text\npos,a\nneg,\"b, c\npos,d\nneg,e\n";
  g_autoptr(Parsed) p1 = parse (f, "open.csv", content, -1, NULL);
  g_autoptr(Parsed) p2 = parse (f, "open.csv", content, -1, &skip_bad);
  g_autoptr(Parsed) p3 = parse (f, "eof.csv", "label,text\npos,a\nneg,\"b,c", -1, &skip_bad);
  const WlCsvCounts *counts;

  g_assert_error (p1->error, WL_ERROR, WL_ERROR_PARSE);
  /* Quotes "auto": read as text, line 3 has three fields: the error names
   * the quote's line. */
  g_assert_nonnull (strstr (p1->error->message, "open.csv:3:5: a quote opens a field here"));

  /* Skipping costs the quote's line only, not the rest of the file. */
  g_assert_no_error (p2->error);
  g_assert_cmpuint (p2->rows->len, ==, 3);
  assert_row (p2, 1, 4, "pos", "d", NULL);
  assert_row (p2, 2, 5, "neg", "e", NULL);
  counts = wl_csv_reader_get_counts (p2->reader);
  g_assert_cmpuint (counts->bad_rows, ==, 1);
  g_assert_cmpuint (counts->n_bad_row_lines, ==, 1);
  g_assert_cmpuint (counts->bad_row_lines[0], ==, 3);

  g_assert_no_error (p3->error);
  g_assert_cmpuint (p3->rows->len, ==, 1);
  g_assert_cmpuint (wl_csv_reader_get_counts (p3->reader)->bad_rows, ==, 1);
}

/* The quote opens far before the end: the reader seeks back to line 3. */
static void
test_unterminated_quote_far (TmpDir *f, gconstpointer data)
{
  g_autoptr(GString) content = g_string_new ("label,text\nneg,\"open, wide\npos,0\n");
  g_autoptr(Parsed) p = NULL;
  g_autofree char *last = NULL;
  guint n = 1;

  while (content->len < 3 * READER_BUFFER)
    g_string_append_printf (content, "pos,%u\n", n++);
  p = parse (f, "far.csv", content->str, content->len, &skip_bad);

  g_assert_no_error (p->error);
  g_assert_cmpuint (p->rows->len, ==, n);
  assert_row (p, 0, 3, "pos", "0", NULL);
  last = g_strdup_printf ("%u", n - 1);
  assert_row (p, n - 1, n + 2, "pos", last, NULL);
  g_assert_cmpuint (wl_csv_reader_get_counts (p->reader)->bad_row_lines[0], ==, 2);
}

static void
test_unterminated_quote_limit (TmpDir *f, gconstpointer data)
{
  g_autoptr(GString) content = g_string_new ("label,text\r\npos,\"never closed\r\n");
  WlCsvOptions limited = { .max_row_bytes = 1000, .quotes = WL_QUOTES_RFC4180 };
  WlCsvOptions limited_skip = { .max_row_bytes = 1000, .skip_bad_rows = TRUE,
                                .quotes = WL_QUOTES_RFC4180 };
  WlCsvOptions limited_auto = { .max_row_bytes = 1000 };
  g_autofree char *path = NULL;
  g_autoptr(Parsed) p1 = NULL;
  g_autoptr(Parsed) p2 = NULL;
  g_autoptr(Parsed) p3 = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (content, "neg,row %u inside\r\n", i);
  path = tmp_dir_write (f, "limit.csv", content->str, content->len);

  p1 = parse_file (path, &limited);
  g_assert_error (p1->error, WL_ERROR, WL_ERROR_PARSE);
  g_assert_nonnull (strstr (p1->error->message, "limit.csv:2:5: quoted field not closed within"));

  p2 = parse_file (path, &limited_skip);
  g_assert_no_error (p2->error);
  g_assert_cmpuint (p2->rows->len, ==, 5000);
  assert_row (p2, 0, 3, "neg", "row 0 inside", NULL);
  assert_row (p2, 4999, 5002, "neg", "row 4999 inside", NULL);
  g_assert_cmpuint (wl_csv_reader_get_counts (p2->reader)->bad_row_lines[0], ==, 2);

  /* Quotes "auto": line 2 is a record with its quote read as text. */
  p3 = parse_file (path, &limited_auto);
  g_assert_no_error (p3->error);
  g_assert_cmpuint (p3->rows->len, ==, 5001);
  assert_row (p3, 0, 2, "pos", "\"never closed", NULL);
  assert_row (p3, 5000, 5002, "neg", "row 4999 inside", NULL);
}

/* In RFC 4180 mode, "a"b on one line is kept as written (TSV writers that
 * never quote make such fields); a quoted part that spans lines and is
 * followed by text is a broken quote. */
static void
test_text_after_quote (TmpDir *f, gconstpointer data)
{
  const char *content = "label,text\npos,\"a\"b\nneg,\"multi\nline\" x\npos,c\n";
  const char *tsv = "label\ttext\nham\t\"Wen u miss\" gdeve..\nspam\t\"a\"\"b\" c\n";
  const WlCsvOptions rfc4180 = { .quotes = WL_QUOTES_RFC4180 };
  g_autoptr(Parsed) p1 = parse (f, "after.csv", content, -1, NULL);
  g_autoptr(Parsed) p2 = parse (f, "after.csv", content, -1, &skip_bad);
  g_autoptr(Parsed) p4 = parse (f, "loose.tsv", tsv, -1, &rfc4180);
  WlCsvOptions header_skip = { .header = WL_HEADER_YES, .skip_bad_rows = TRUE };
  g_autoptr(Parsed) p3 = NULL;
  g_autoptr(Parsed) p5 = NULL;
  const WlCsvCounts *counts;

  /* Quotes "auto": line 3's quote does not open a quoted field (text
   * follows where it would close), so line 3 is read with its quote as
   * text; line 4 alone is a one-field row. */
  g_assert_error (p1->error, WL_ERROR, WL_ERROR_PARSE);
  g_assert_nonnull (strstr (p1->error->message, "after.csv:4:8: row has 1 field but the header has 2"));
  assert_row (p1, 0, 2, "pos", "\"a\"b", NULL);
  assert_row (p1, 1, 3, "neg", "\"multi", NULL);

  g_assert_no_error (p2->error);
  counts = wl_csv_reader_get_counts (p2->reader);
  g_assert_cmpuint (counts->loose_quotes, ==, 1);
  g_assert_cmpuint (counts->quote_text_rows, ==, 2);
  g_assert_cmpuint (counts->quote_text_lines[0], ==, 2);
  g_assert_cmpuint (counts->quote_text_lines[1], ==, 3);
  g_assert_cmpuint (counts->bad_rows, ==, 1);
  g_assert_cmpuint (counts->bad_row_lines[0], ==, 4);
  g_assert_cmpuint (p2->rows->len, ==, 3);
  assert_row (p2, 0, 2, "pos", "\"a\"b", NULL);
  assert_row (p2, 1, 3, "neg", "\"multi", NULL);
  assert_row (p2, 2, 5, "pos", "c", NULL);

  /* Asked for RFC 4180, the error names the line where the quote opens. */
  p5 = parse (f, "strict.csv", content, -1, &rfc4180);
  g_assert_error (p5->error, WL_ERROR, WL_ERROR_PARSE);
  g_assert_nonnull (strstr (p5->error->message, "strict.csv:3:5: the quoted field that opens here "
                                                "runs to line 4, where text follows its closing quote"));

  g_assert_no_error (p4->error);
  g_assert_cmpuint (p4->rows->len, ==, 2);
  assert_row (p4, 0, 2, "ham", "\"Wen u miss\" gdeve..", NULL);
  /* A doubled quote inside the quoted part is still one quote. */
  assert_row (p4, 1, 3, "spam", "\"a\"b\" c", NULL);
  g_assert_cmpuint (wl_csv_reader_get_counts (p4->reader)->loose_quotes, ==, 2);

  /* A broken header cannot be skipped. */
  p3 = parse (f, "header.csv", "\"la\nbel\"x,text\npos,a\n", -1, &header_skip);
  g_assert_error (p3->error, WL_ERROR, WL_ERROR_PARSE);
  g_assert_nonnull (strstr (p3->error->message, "header.csv:1:1: a quote opens a field here"));
  g_assert_nonnull (strstr (p3->error->message, "fix the header row"));
  g_assert_null (p3->reader);
}

static void
test_skip_bad_rows_counts (TmpDir *f, gconstpointer data)
{
  g_autoptr(GString) content = g_string_new ("label,text\n");
  g_autoptr(Parsed) p = NULL;
  const WlCsvCounts *counts;

  /* Lines 2..41: every other row has three fields. */
  for (guint i = 0; i < 40; i++)
    g_string_append (content, i % 2 ? "neg,bad,row\n" : "pos,good\n");
  p = parse (f, "skip.csv", content->str, -1, &skip_bad);

  g_assert_no_error (p->error);
  g_assert_cmpuint (p->rows->len, ==, 20);
  counts = wl_csv_reader_get_counts (p->reader);
  g_assert_cmpuint (counts->rows, ==, 20);
  g_assert_cmpuint (counts->bad_rows, ==, 20);
  g_assert_cmpuint (counts->n_bad_row_lines, ==, WL_CSV_MAX_REPORTED_LINES);
  for (guint i = 0; i < WL_CSV_MAX_REPORTED_LINES; i++)
    g_assert_cmpuint (counts->bad_row_lines[i], ==, 3 + 2 * i);
}

static void
test_invalid_utf8 (TmpDir *f, gconstpointer data)
{
  static const char content[] = "label,text\npos,caf\xE9 ok\nneg,a\xFF\xFE" "b\xE4\xB8\n"
                                "\xC3\xA9t\xC3\xA9,x\0y\n";
  const WlCsvOptions utf8 = { .encoding = "UTF-8" };   /* else windows-1252 is detected */
  g_autoptr(Parsed) p = parse (f, "utf8.csv", content, sizeof content - 1, &utf8);

  g_assert_no_error (p->error);
  assert_row (p, 0, 2, "pos", "caf\xEF\xBF\xBD ok", NULL);
  assert_row (p, 1, 3, "neg", "a\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD", NULL);
  assert_row (p, 2, 4, "\xC3\xA9t\xC3\xA9", "x\xEF\xBF\xBDy", NULL);
  g_assert_cmpuint (wl_csv_reader_get_counts (p->reader)->repaired_utf8, ==, 5);
}

static void
test_chinese (TmpDir *f, gconstpointer data)
{
  g_autoptr(Parsed) p = parse (f, "zh.tsv",
                               "标签\t文本\n正面\t这部电影很好看，演员也很棒\n负面\t太无聊了\n", -1, NULL);
  const char *expected_header[] = { "标签", "文本", NULL };

  g_assert_no_error (p->error);
  g_assert_cmpuint (wl_csv_reader_get_separator (p->reader), ==, '\t');
  g_assert_cmpstrv (wl_csv_reader_get_header (p->reader), expected_header);
  assert_row (p, 0, 2, "正面", "这部电影很好看，演员也很棒", NULL);
  assert_row (p, 1, 3, "负面", "太无聊了", NULL);
  g_assert_cmpuint (wl_csv_reader_get_counts (p->reader)->repaired_utf8, ==, 0);
}

static void
test_empty_and_missing (TmpDir *f, gconstpointer data)
{
  g_autoptr(Parsed) p1 = parse (f, "empty.csv", "", 0, NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.csv", NULL);
  g_autoptr(Parsed) p2 = parse_file (missing, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = tmp_dir_write (f, "c.csv", "a,b\n", -1);
  g_autoptr(GError) error = NULL;

  g_assert_no_error (p1->error);
  g_assert_cmpuint (p1->rows->len, ==, 0);
  g_assert_cmpuint (wl_csv_reader_get_n_columns (p1->reader), ==, 0);

  g_assert_error (p2->error, WL_ERROR, WL_ERROR_IO);
  g_assert_null (p2->reader);

  g_cancellable_cancel (cancellable);
  g_assert_null (wl_csv_reader_new (path, NULL, cancellable, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_CANCELLED);
}

/* A tricky row put at every offset around the end of the first chunk. */
static void
test_buffer_boundaries (TmpDir *f, gconstpointer data)
{
  const char *tricky = "neg,\"x\"\"y\r\nz\",\r\n";
  gsize tricky_length = strlen (tricky);

  for (gsize k = 0; k <= tricky_length; k++)
    {
      g_autoptr(GString) content = g_string_new ("label,text,extra\r\npos,");
      g_autoptr(Parsed) p = NULL;

      while (content->len < READER_BUFFER - k - 3)
        g_string_append_c (content, 'w');
      g_string_append (content, ",\r\n");
      g_assert_cmpuint (content->len, ==, READER_BUFFER - k);
      g_string_append (content, tricky);
      g_string_append (content, "pos,\"end\",\"\"");

      p = parse (f, "edge.csv", content->str, content->len, NULL);
      g_test_message ("offset %" G_GSIZE_FORMAT, k);
      g_assert_no_error (p->error);
      g_assert_cmpuint (p->rows->len, ==, 3);
      g_assert_cmpuint (strlen (((char **) g_ptr_array_index (p->rows, 0))[1]), ==,
                        READER_BUFFER - k - 3 - 22);
      assert_row (p, 1, 3, "neg", "x\"y\r\nz", "", NULL);
      assert_row (p, 2, 5, "pos", "end", "", NULL);
    }
}

/* About 1 MB of rows with every feature, checked against what was written. */
static void
test_large_file (TmpDir *f, gconstpointer data)
{
  g_autoptr(GString) content = g_string_new ("id\tlabel\ttext\n");
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(Parsed) p = NULL;
  guint64 line = 2;

  while (content->len < 1000000)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint n_words = g_rand_int_range (rand, 1, texts->len % 97 == 0 ? 20000 : 40);
      guint64 newlines = 0;

      for (guint w = 0; w < n_words; w++)
        switch (g_rand_int_range (rand, 0, 12))
          {
          case 0: g_string_append (text, "\"quoted\" "); break;
          case 1: g_string_append (text, "tab\there "); break;
          case 2: g_string_append (text, "new\nline "); newlines++; break;
          case 3: g_string_append (text, "汉字 "); break;
          default: g_string_append (text, "word "); break;
          }
      g_array_append_val (lines, line);
      g_string_append_printf (content, "%u\t%s\t\"", texts->len, texts->len % 3 ? "pos" : "neg");
      for (const char *c = text->str; *c; c++)
        {
          if (*c == '"')
            g_string_append_c (content, '"');
          g_string_append_c (content, *c);
        }
      g_string_append (content, texts->len % 2 ? "\"\n" : "\"\r\n");
      line += 1 + newlines;
      g_ptr_array_add (texts, g_string_free (g_steal_pointer (&text), FALSE));
    }

  p = parse (f, "large.tsv", content->str, content->len, NULL);
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
  g_assert_cmpuint (wl_csv_reader_get_offset (p->reader), ==, content->len);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TMP_TEST ("/io/csv-reader/quoting", test_quoting);
  TMP_TEST ("/io/csv-reader/newline-in-quotes", test_newline_in_quotes);
  TMP_TEST ("/io/csv-reader/separators", test_separators);
  TMP_TEST ("/io/csv-reader/header-detection", test_header_detection);
  TMP_TEST ("/io/csv-reader/overrides", test_overrides);
  TMP_TEST ("/io/csv-reader/bad-separator-option", test_bad_separator_option);
  TMP_TEST ("/io/csv-reader/bom", test_bom);
  TMP_TEST ("/io/csv-reader/line-endings", test_line_endings);
  TMP_TEST ("/io/csv-reader/blank-lines", test_blank_lines);
  TMP_TEST ("/io/csv-reader/ragged-rows", test_ragged_rows);
  TMP_TEST ("/io/csv-reader/unterminated-quote", test_unterminated_quote);
  TMP_TEST ("/io/csv-reader/unterminated-quote-far", test_unterminated_quote_far);
  TMP_TEST ("/io/csv-reader/unterminated-quote-limit", test_unterminated_quote_limit);
  TMP_TEST ("/io/csv-reader/text-after-quote", test_text_after_quote);
  TMP_TEST ("/io/csv-reader/skip-bad-rows-counts", test_skip_bad_rows_counts);
  TMP_TEST ("/io/csv-reader/invalid-utf8", test_invalid_utf8);
  TMP_TEST ("/io/csv-reader/chinese", test_chinese);
  TMP_TEST ("/io/csv-reader/empty-and-missing", test_empty_and_missing);
  TMP_TEST ("/io/csv-reader/buffer-boundaries", test_buffer_boundaries);
  TMP_TEST ("/io/csv-reader/large-file", test_large_file);

  return g_test_run ();
}
