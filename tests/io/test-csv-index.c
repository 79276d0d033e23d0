/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-csv-index.c: the row index: rows read back by seeking equal the
 * streaming reader's, detection and counts, value counts, cancellation. */
#include "wl-error.h"
#include "io/wl-csv-index.h"
#include "csv-test-util.h"

/* Builds the index and parses the same file with the streaming reader. */
static WlCsvIndex *
build (const char         *path,
       const WlCsvOptions *options)
{
  GError *error = NULL;
  WlCsvIndex *index = wl_csv_index_build (path, options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (index);
  return index;
}

/* Every row (or @n_checks random ones) read back equals the streaming
 * reader's, with the same line. */
static void
assert_same_rows (WlCsvIndex *index,
                  Parsed     *parsed,
                  guint       n_checks)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint n = parsed->rows->len;

  g_assert_no_error (parsed->error);
  g_assert_cmpuint (wl_csv_index_get_n_rows (index), ==, n);
  for (guint k = 0; k < (n_checks ? n_checks : n); k++)
    {
      guint i = n_checks ? (guint) g_rand_int_range (rand, 0, n) : k;
      g_auto(GStrv) fields = NULL;
      GError *error = NULL;

      fields = wl_csv_index_read_row (index, i, &error);
      g_assert_no_error (error);
      g_assert_cmpstrv (fields, g_ptr_array_index (parsed->rows, i));
      g_assert_cmpuint (wl_csv_index_get_line (index, i), ==,
                        g_array_index (parsed->lines, guint64, i));
    }
}

static void
test_index_basic (TmpDir        *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = tmp_dir_write (fixture, "a.csv",
                                         "label,text\n"
                                         "pos,good film\n"
                                         "neg,\"bad, bad film\"\n"
                                         "\n"
                                         "pos,\"two\nlines\"\n"
                                         "neg,\"a \"\"quote\"\"\"\n", -1);
  g_autoptr(WlCsvIndex) index = build (path, NULL);
  g_autoptr(Parsed) parsed = parse_file (path, NULL);
  const char *header[] = { "label", "text", NULL };

  g_assert_cmpuint (wl_csv_index_get_n_columns (index), ==, 2);
  g_assert_cmpstrv (wl_csv_index_get_header (index), header);
  g_assert_cmpstr (wl_csv_index_get_column_name (index, 1), ==, "text");
  g_assert_cmpuint (wl_csv_index_get_separator (index), ==, ',');
  g_assert_cmpint (wl_csv_index_get_quotes (index), ==, WL_QUOTES_RFC4180);
  g_assert_true (wl_csv_index_get_has_header (index));
  g_assert_false (wl_csv_index_get_had_bom (index));
  g_assert_cmpuint (wl_csv_index_get_counts (index)->blank_lines, ==, 1);
  assert_same_rows (index, parsed, 0);
  g_assert_cmpuint (wl_csv_index_get_line (index, 3), ==, 7);
  /* Backwards, then forwards again. */
  assert_same_rows (index, parsed, 12);
}

static void
test_index_bom_crlf (TmpDir        *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = tmp_dir_write (fixture, "b.csv",
                                         "\xEF\xBB\xBFid,text\r\n"
                                         "1,\"first\r\nsecond\"\r\n"
                                         "\r\n"
                                         "2,plain\r\n"
                                         "3,\"x\rcr\"\r"
                                         "4,last", -1);
  g_autoptr(WlCsvIndex) index = build (path, NULL);
  g_autoptr(Parsed) parsed = parse_file (path, NULL);

  g_assert_true (wl_csv_index_get_had_bom (index));
  g_assert_cmpstr (wl_csv_index_get_header (index)[0], ==, "id");
  g_assert_cmpuint (wl_csv_index_get_n_rows (index), ==, 4);
  assert_same_rows (index, parsed, 0);
  assert_same_rows (index, parsed, 10);
}

static void
test_index_bad_rows (TmpDir        *fixture,
                     gconstpointer  data)
{
  const char *content = "label,text\n"
                        "a,one\n"
                        "b,two,extra\n"            /* line 3: too many fields */
                        "c,\"open, wide\n"         /* line 4: unterminated quote */
                        "d,four\n"
                        "e,\"x\"y\"\n"             /* line 6: a loose quote, kept */
                        "f,six\n";
  g_autofree char *path = tmp_dir_write (fixture, "c.csv", content, -1);
  WlCsvOptions skip = { .skip_bad_rows = TRUE };
  g_autoptr(WlCsvIndex) index = build (path, &skip);
  g_autoptr(Parsed) parsed = parse_file (path, &skip);
  const WlCsvCounts *counts = wl_csv_index_get_counts (index);
  g_autoptr(WlCsvIndex) failed = NULL;
  GError *error = NULL;

  assert_same_rows (index, parsed, 0);
  g_assert_cmpuint (counts->bad_rows, ==, wl_csv_reader_get_counts (parsed->reader)->bad_rows);
  g_assert_cmpuint (counts->bad_rows, >=, 2);
  g_assert_cmpuint (counts->n_bad_row_lines, ==, counts->bad_rows);
  g_assert_cmpuint (counts->bad_row_lines[0], ==, 3);
  g_assert_cmpuint (counts->bad_row_lines[1], ==, 4);

  /* Without skipping, the first bad row is an error naming its line. */
  failed = wl_csv_index_build (path, NULL, NULL, NULL, NULL, &error);
  g_assert_null (failed);
  g_assert_error (error, WL_ERROR, WL_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "c.csv:3:"));
  g_clear_error (&error);
}

static void
test_index_utf8 (TmpDir        *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = tmp_dir_write (fixture, "d.csv",
                                         "label,text\n"
                                         "a,caf\xE9 ok\n"
                                         "b,fine\n"
                                         "a,\xFF\xFE bytes\n", -1);
  const WlCsvOptions utf8 = { .encoding = "utf8" };   /* else windows-1252 is detected */
  g_autoptr(WlCsvIndex) index = build (path, &utf8);
  g_autoptr(Parsed) parsed = parse_file (path, &utf8);
  g_auto(GStrv) row = NULL;

  g_assert_cmpuint (wl_csv_index_get_counts (index)->repaired_utf8, ==,
                    wl_csv_reader_get_counts (parsed->reader)->repaired_utf8);
  g_assert_cmpuint (wl_csv_index_get_counts (index)->repaired_utf8, >=, 2);
  assert_same_rows (index, parsed, 0);
  row = wl_csv_index_read_row (index, 0, NULL);
  g_assert_cmpstr (row[1], ==, "caf\xEF\xBF\xBD ok");
}

static void
test_index_no_header_tsv (TmpDir        *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = tmp_dir_write (fixture, "e.tsv",
                                         "spam\tWin \"money\" now\n"
                                         "ham\tsee you at 5\n"
                                         "ham\tok\n", -1);
  g_autoptr(WlCsvIndex) index = build (path, NULL);
  g_autoptr(Parsed) parsed = parse_file (path, NULL);
  WlCsvOptions header = { .header = WL_HEADER_YES };
  g_autoptr(WlCsvIndex) with_header = build (path, &header);

  g_assert_cmpuint (wl_csv_index_get_separator (index), ==, '\t');
  g_assert_false (wl_csv_index_get_has_header (index));
  g_assert_null (wl_csv_index_get_header (index));
  g_assert_cmpstr (wl_csv_index_get_column_name (index, 0), ==, "column 1");
  g_assert_cmpuint (wl_csv_index_get_n_rows (index), ==, 3);
  assert_same_rows (index, parsed, 0);

  /* The override: the first row becomes the header. */
  g_assert_true (wl_csv_index_get_has_header (with_header));
  g_assert_cmpuint (wl_csv_index_get_n_rows (with_header), ==, 2);
  g_assert_cmpstr (wl_csv_index_get_column_name (with_header, 0), ==, "spam");
}

/* A file of @n_rows rows with quoted fields, line breaks inside quotes,
 * CRLF here and there and blank lines. */
static char *
write_random (TmpDir *fixture,
              guint   n_rows)
{
  g_autoptr(GString) csv = g_string_new ("label,title,text\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);

  for (guint i = 0; i < n_rows; i++)
    {
      g_string_append_printf (csv, "c%d,t%u,", g_rand_int_range (rand, 0, 4), i % 1500);
      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:  g_string_append_printf (csv, "plain %u", i); break;
        case 1:  g_string_append_printf (csv, "\"with, comma %u\"", i); break;
        case 2:  g_string_append_printf (csv, "\"two\nlines \"\"%u\"\"\"", i); break;
        default: g_string_append_printf (csv, "  padded %u  ", i); break;
        }
      g_string_append (csv, g_rand_int_range (rand, 0, 10) == 0 ? "\r\n" : "\n");
      if (g_rand_int_range (rand, 0, 50) == 0)
        g_string_append (csv, "\n");
    }
  return tmp_dir_write (fixture, "r.csv", csv->str, csv->len);
}

static void
test_index_random_rows (TmpDir        *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = write_random (fixture, 30000);
  g_autoptr(WlCsvIndex) index = build (path, NULL);
  g_autoptr(Parsed) parsed = parse_file (path, NULL);

  assert_same_rows (index, parsed, 2000);
}

static void
test_index_value_counts (TmpDir        *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = write_random (fixture, 30000);
  g_autoptr(WlCsvIndex) index = build (path, NULL);
  g_autoptr(Parsed) parsed = parse_file (path, NULL);
  g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
  const WlCsvColumnStats *label = wl_csv_index_get_column (index, 0);
  const WlCsvColumnStats *title = wl_csv_index_get_column (index, 1);
  const WlCsvColumnStats *text = wl_csv_index_get_column (index, 2);
  guint64 total = 0;

  for (guint i = 0; i < parsed->rows->len; i++)
    {
      const char *value = ((char **) g_ptr_array_index (parsed->rows, i))[0];
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (expected, value));

      g_hash_table_insert (expected, (gpointer) value, GUINT_TO_POINTER (n + 1));
    }
  g_assert_true (label->countable);
  g_assert_cmpuint (label->n_values, ==, 4);
  for (guint i = 0; i < label->n_values; i++)
    {
      g_assert_cmpuint (label->values[i].count, ==,
                        GPOINTER_TO_UINT (g_hash_table_lookup (expected, label->values[i].value)));
      if (i > 0)
        g_assert_cmpuint (label->values[i].count, <=, label->values[i - 1].count);
      total += label->values[i].count;
    }
  g_assert_cmpuint (total, ==, 30000);

  /* 1500 titles: past the cap; every text differs. */
  g_assert_false (title->countable);
  g_assert_null (title->values);
  g_assert_false (text->countable);
  g_assert_cmpfloat (text->mean_length, >, title->mean_length);

  g_assert_cmpint (wl_csv_index_suggest_label_column (index), ==, 0);
  g_assert_cmpint (wl_csv_index_suggest_text_column (index, 0), ==, 2);
}

static void
test_index_empty_counts (TmpDir        *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = tmp_dir_write (fixture, "f.csv",
                                         "label,title,text,note\n"
                                         "x,  ,  hello ,n\n"
                                         "y,t,,n\n"
                                         ",t2,b,n\n"
                                         ",,,n\n"
                                         "x, spaced ,b,n\n", -1);
  g_autoptr(WlCsvIndex) index = build (path, NULL);
  const WlCsvColumnStats *label = wl_csv_index_get_column (index, 0);
  const WlCsvColumnStats *title = wl_csv_index_get_column (index, 1);
  const guint title_body[] = { 1, 2 }, body[] = { 2 };
  guint64 empty_texts, empty_labels;
  g_autoptr(GPtrArray) sample = NULL;
  GError *error = NULL;

  g_assert_cmpuint (label->empty, ==, 2);
  g_assert_cmpuint (title->empty, ==, 2);
  g_assert_cmpuint (title->n_values, ==, 3);
  g_assert_cmpstr (title->values[2].value, ==, "spaced");   /* trimmed */
  g_assert_cmpuint (label->n_values, ==, 2);
  g_assert_cmpstr (label->values[0].value, ==, "x");
  g_assert_cmpuint (label->values[0].count, ==, 2);

  g_assert_true (wl_csv_index_count_empty (index, body, 1, 0, &empty_texts, &empty_labels));
  g_assert_cmpuint (empty_texts, ==, 2);
  g_assert_cmpuint (empty_labels, ==, 1);
  g_assert_true (wl_csv_index_count_empty (index, title_body, 2, 0, &empty_texts, &empty_labels));
  g_assert_cmpuint (empty_texts, ==, 1);
  g_assert_cmpuint (empty_labels, ==, 1);
  g_assert_true (wl_csv_index_count_empty (index, title_body, 2, -1, &empty_texts, &empty_labels));
  g_assert_cmpuint (empty_labels, ==, 0);

  /* Texts of two columns: trimmed, the non-empty ones joined by a newline. */
  sample = wl_csv_index_sample_texts (index, title_body, 2, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sample->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (sample, 0), ==, "hello");
  g_assert_cmpstr (g_ptr_array_index (sample, 1), ==, "t");
  g_assert_cmpstr (g_ptr_array_index (sample, 2), ==, "t2\nb");
  g_assert_cmpstr (g_ptr_array_index (sample, 3), ==, "spaced\nb");
}

static void
test_index_sample_spread (TmpDir        *fixture,
                          gconstpointer  data)
{
  g_autofree char *path = write_random (fixture, 10000);
  g_autoptr(WlCsvIndex) index = build (path, NULL);
  const guint text[] = { 2 };
  g_autoptr(GPtrArray) sample = wl_csv_index_sample_texts (index, text, 1, 200, NULL, NULL);

  g_assert_cmpuint (sample->len, ==, 200);
  for (guint k = 0; k < sample->len; k++)
    {
      g_auto(GStrv) row = wl_csv_index_read_row (index, k * 50, NULL);

      g_assert_cmpstr (g_ptr_array_index (sample, k), ==, g_strstrip (row[2]));
    }
}

typedef struct
{
  GCancellable *cancellable;
  guint64       rows;
  guint64       last;
  guint         calls;
} Progress;

static void
on_progress (guint64  rows,
             guint64  done,
             guint64  total,
             gpointer data)
{
  Progress *p = data;

  g_assert_cmpuint (rows, >=, p->rows);
  p->rows = rows;
  g_assert_cmpuint (done, >=, p->last);
  g_assert_cmpuint (done, <=, total);
  p->last = done;
  p->calls++;
  if (p->cancellable != NULL)
    g_cancellable_cancel (p->cancellable);
}

static void
test_index_progress_cancel (TmpDir        *fixture,
                            gconstpointer  data)
{
  g_autofree char *path = write_random (fixture, 60000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(WlCsvIndex) index = NULL;
  Progress progress = { NULL, 0, 0, 0 };
  GError *error = NULL;
  guint64 size;

  index = wl_csv_index_build (path, NULL, on_progress, &progress, NULL, &error);
  g_assert_no_error (error);
  size = wl_csv_index_get_size (index);
  g_assert_cmpuint (size, >, 1u << 20);
  g_assert_cmpuint (progress.calls, >=, 3);
  g_assert_cmpuint (progress.last, ==, size);
  g_assert_cmpuint (progress.rows, ==, 60000);
  g_clear_pointer (&index, wl_csv_index_unref);

  /* Cancelled at the first report: it stops long before the end. */
  progress = (Progress) { cancellable, 0, 0, 0 };
  index = wl_csv_index_build (path, NULL, on_progress, &progress, cancellable, &error);
  g_assert_null (index);
  g_assert_error (error, WL_ERROR, WL_ERROR_CANCELLED);
  g_assert_cmpuint (progress.calls, ==, 1);
  g_assert_cmpuint (progress.last, <, size);
  g_clear_error (&error);
}

static void
test_index_empty_file (TmpDir        *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = tmp_dir_write (fixture, "g.csv", "", 0);
  g_autofree char *header_only = tmp_dir_write (fixture, "h.csv", "label,text\n", -1);
  g_autoptr(WlCsvIndex) index = NULL;
  GError *error = NULL;

  index = wl_csv_index_build (path, NULL, NULL, NULL, NULL, &error);
  g_assert_null (index);
  g_assert_error (error, WL_ERROR, WL_ERROR_NO_DATA);
  g_clear_error (&error);

  index = build (header_only, NULL);
  g_assert_cmpuint (wl_csv_index_get_n_rows (index), ==, 0);
  g_assert_cmpuint (wl_csv_index_get_n_columns (index), ==, 2);
  g_assert_true (wl_csv_index_get_column (index, 0)->countable);
  g_assert_cmpint (wl_csv_index_suggest_label_column (index), ==, 0);
  g_assert_cmpint (wl_csv_index_suggest_text_column (index, 0), ==, 1);
}

static void
rows_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GPtrArray *
read_rows (WlCsvIndex   *index,
           guint64       first,
           guint         n_rows,
           GCancellable *cancellable,
           GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wl_csv_index_read_rows_async (index, first, n_rows, cancellable, rows_read, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wl_csv_index_read_rows_finish (result, error);
}

/* A block of rows read on a worker equals the rows read one by one; the
 * block is cut at the end of the file; cancelled, it returns nothing. */
static void
test_index_rows_async (TmpDir        *fixture,
                       gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("label,text\n");
  g_autofree char *path = NULL;
  g_autoptr(WlCsvIndex) index = NULL;
  g_autoptr(GPtrArray) rows = NULL, none = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GError *error = NULL;

  for (guint i = 0; i < 100; i++)
    g_string_append_printf (text, i % 10 == 3 ? "pos,\"row %u\nsecond line\"\n" : "neg,row %u\n", i);
  path = tmp_dir_write (fixture, "rows.csv", text->str, -1);
  index = build (path, NULL);

  rows = read_rows (index, 90, 64, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 10);
  for (guint i = 0; i < rows->len; i++)
    {
      const WlCsvIndexRow *row = g_ptr_array_index (rows, i);
      g_auto(GStrv) expected = wl_csv_index_read_row (index, 90 + i, NULL);

      g_assert_null (row->error);
      g_assert_cmpstrv (row->fields, expected);
      g_assert_cmpuint (row->line, ==, wl_csv_index_get_line (index, 90 + i));
    }
  g_assert_cmpuint (((WlCsvIndexRow *) rows->pdata[3])->line, ==, 2 + 93 + 9);

  g_cancellable_cancel (cancellable);
  none = read_rows (index, 0, 64, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (none);
  g_clear_error (&error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  TMP_TEST ("/csv-index/basic", test_index_basic);
  TMP_TEST ("/csv-index/bom-crlf", test_index_bom_crlf);
  TMP_TEST ("/csv-index/bad-rows", test_index_bad_rows);
  TMP_TEST ("/csv-index/utf8", test_index_utf8);
  TMP_TEST ("/csv-index/no-header-tsv", test_index_no_header_tsv);
  TMP_TEST ("/csv-index/random-rows", test_index_random_rows);
  TMP_TEST ("/csv-index/value-counts", test_index_value_counts);
  TMP_TEST ("/csv-index/empty-counts", test_index_empty_counts);
  TMP_TEST ("/csv-index/sample-spread", test_index_sample_spread);
  TMP_TEST ("/csv-index/progress-cancel", test_index_progress_cancel);
  TMP_TEST ("/csv-index/empty-file", test_index_empty_file);
  TMP_TEST ("/csv-index/rows-async", test_index_rows_async);
  return g_test_run ();
}
