/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-dataset.c: loading labelled texts from generated CSV/TSV files. */
#include "config.h"

#include <string.h>

#include "wl-error.h"
#include "io/wl-dataset.h"
#include "io-test-util.h"

static WlDataset *
load (TmpDir              *fixture,
      const char          *name,
      const char          *content,
      const WlLoadOptions *options,
      GError             **error)
{
  g_autofree char *path = tmp_dir_write (fixture, name, content, -1);

  return wl_dataset_load (path, options, NULL, NULL, NULL, error);
}

static void
assert_strings (GPtrArray   *strings,
                const char **expected)
{
  g_assert_cmpuint (strings->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < strings->len; i++)
    g_assert_cmpstr (g_ptr_array_index (strings, i), ==, expected[i]);
}

static void
assert_label (const WlDataset *dataset,
              gsize            row,
              const char      *name)
{
  guint32 id = wl_dataset_get_label (dataset, row);

  g_assert_cmpuint (id, <, wl_dataset_get_n_labels (dataset));
  g_assert_cmpstr (g_ptr_array_index (dataset->label_names, id), ==, name);
}

static void
test_basic (TmpDir *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *content = "text,label\n"
                        "Great film,b\n"
                        "  padded text  , a \n"
                        "\"Multi\nline\",b\n"
                        "Another,c\n";
  g_autoptr(WlDataset) ds = load (f, "basic.csv", content, NULL, &error);
  const char *expected_labels[] = { "b", "a", "c", NULL };

  g_assert_no_error (error);
  g_assert_cmpuint (wl_dataset_get_n_rows (ds), ==, 4);
  g_assert_cmpuint (wl_dataset_get_n_labels (ds), ==, 3);
  assert_strings (ds->label_names, expected_labels);
  g_assert_cmpstr (wl_dataset_get_text (ds, 0), ==, "Great film");
  g_assert_cmpstr (wl_dataset_get_text (ds, 1), ==, "padded text");
  g_assert_cmpstr (wl_dataset_get_text (ds, 2), ==, "Multi\nline");
  g_assert_cmpuint (wl_dataset_get_label (ds, 0), ==, 0);
  g_assert_cmpuint (wl_dataset_get_label (ds, 1), ==, 1);
  g_assert_cmpuint (wl_dataset_get_label (ds, 2), ==, 0);
  g_assert_cmpuint (wl_dataset_get_label (ds, 3), ==, 2);
  g_assert_cmpint (wl_dataset_find_label (ds, "a"), ==, 1);
  g_assert_cmpint (wl_dataset_find_label (ds, "c"), ==, 2);
  g_assert_cmpint (wl_dataset_find_label (ds, " a "), ==, -1);
  g_assert_cmpuint (ds->lines[0], ==, 2);
  g_assert_cmpuint (ds->lines[3], ==, 6);
  g_assert_cmpint (ds->label_column_index, ==, 1);
  g_assert_cmpuint (ds->text_column_indexes->len, ==, 1);
  g_assert_cmpuint (g_array_index (ds->text_column_indexes, guint, 0), ==, 0);
  g_assert_cmpuint (ds->stats.rows_read, ==, 4);
  g_assert_cmpuint (ds->stats.rows_kept, ==, 4);
  g_assert_cmpuint (ds->stats.separator, ==, ',');
  g_assert_cmpint (ds->stats.quotes, ==, WL_QUOTES_RFC4180);
  g_assert_true (ds->stats.has_header);
  g_assert_false (ds->stats.had_bom);
  g_assert_cmpuint (ds->stats.bytes, ==, strlen (content));
}

static void
test_multi_column_join (TmpDir *f, gconstpointer data)
{
  const char *columns[] = { "Title", "BODY", NULL };
  WlLoadOptions options = { .text_columns = columns };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlDataset) ds = load (f, "join.csv",
                                  "title,body,label\n"
                                  "Hello,World,x\n"
                                  ",only body,y\n"
                                  "only title,  ,x\n"
                                  " , ,y\n", &options, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (wl_dataset_get_n_rows (ds), ==, 3);
  g_assert_cmpstr (wl_dataset_get_text (ds, 0), ==, "Hello\nWorld");
  g_assert_cmpstr (wl_dataset_get_text (ds, 1), ==, "only body");
  g_assert_cmpstr (wl_dataset_get_text (ds, 2), ==, "only title");
  g_assert_cmpint (ds->label_column_index, ==, 2);
  g_assert_cmpuint (ds->stats.empty_texts, ==, 1);
}

static void
test_column_by_index (TmpDir *f, gconstpointer data)
{
  const char *columns[] = { "3", NULL };
  WlLoadOptions options = { .text_columns = columns, .label_column = "1" };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlDataset) ds = load (f, "index.csv",
                                  "pos,7,good stuff here\nneg,9,bad stuff\n", &options, &error);
  const char *expected_columns[] = { "column 1", "column 2", "column 3", NULL };

  g_assert_no_error (error);
  g_assert_false (ds->stats.has_header);
  assert_strings (ds->columns, expected_columns);
  g_assert_cmpuint (wl_dataset_get_n_rows (ds), ==, 2);
  g_assert_cmpstr (wl_dataset_get_text (ds, 1), ==, "bad stuff");
  assert_label (ds, 1, "neg");
}

static void
test_default_columns (TmpDir *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  /* No "text" column: the longest; no "label" column: the first other one. */
  g_autoptr(WlDataset) ds1 = load (f, "longest.csv",
                                   "category,headline,summary\n"
                                   "sport,Team wins,The home team won the final after extra time\n"
                                   "tech,New phone,A new phone was shown with a larger screen\n",
                                   NULL, &error);
  g_autoptr(WlDataset) ds2 = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_array_index (ds1->text_column_indexes, guint, 0), ==, 2);
  g_assert_cmpint (ds1->label_column_index, ==, 0);
  assert_label (ds1, 1, "tech");

  /* Headerless: label first, the longer column is the text. */
  ds2 = load (f, "nohead.csv", "spam,Win money now\nham,See you at lunch tomorrow\n", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (ds2->stats.has_header);
  g_assert_cmpuint (g_array_index (ds2->text_column_indexes, guint, 0), ==, 1);
  g_assert_cmpint (ds2->label_column_index, ==, 0);
  g_assert_cmpstr (wl_dataset_get_text (ds2, 0), ==, "Win money now");
  assert_label (ds2, 1, "ham");
}

static void
test_unknown_column (TmpDir *f, gconstpointer data)
{
  const char *columns[] = { "body", NULL };
  WlLoadOptions bad_text = { .text_columns = columns };
  WlLoadOptions bad_label = { .label_column = "4" };
  const char *label_as_text[] = { "LABEL", NULL };
  WlLoadOptions same = { .text_columns = label_as_text };
  g_autoptr(GError) error1 = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(GError) error3 = NULL;
  g_autoptr(WlDataset) ds1 = load (f, "cols.csv", "label,text\npos,a\n", &bad_text, &error1);
  g_autoptr(WlDataset) ds2 = load (f, "cols.csv", "label,text\npos,a\n", &bad_label, &error2);
  g_autoptr(WlDataset) ds3 = load (f, "cols.csv", "label,text\npos,a\n", &same, &error3);

  g_assert_null (ds1);
  g_assert_error (error1, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (error1->message, "cols.csv"));
  g_assert_nonnull (strstr (error1->message, "“body”"));
  g_assert_nonnull (strstr (error1->message, "“label”, “text”"));
  g_assert_null (ds2);
  g_assert_error (error2, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (error2->message, "from 1 to 2"));
  g_assert_null (ds3);
  g_assert_error (error3, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (error3->message, "both the label and a text column"));
}

static void
test_label_optional (TmpDir *f, gconstpointer data)
{
  WlLoadOptions optional = { .label_optional = TRUE };
  g_autoptr(GError) error1 = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(WlDataset) ds1 = load (f, "only.csv", "text\nhello\nworld\n", &optional, &error1);
  g_autoptr(WlDataset) ds2 = load (f, "only.csv", "text\nhello\nworld\n", NULL, &error2);

  g_assert_no_error (error1);
  g_assert_cmpint (ds1->label_column_index, ==, -1);
  g_assert_cmpuint (wl_dataset_get_n_labels (ds1), ==, 0);
  g_assert_cmpuint (ds1->labels->len, ==, 0);
  g_assert_cmpuint (wl_dataset_get_n_rows (ds1), ==, 2);
  g_assert_cmpstr (wl_dataset_get_text (ds1, 1), ==, "world");

  g_assert_null (ds2);
  g_assert_error (error2, WL_ERROR, WL_ERROR_INVALID);
}

static void
test_empty_counts (TmpDir *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WlDataset) ds = load (f, "empty.tsv",
                                  "label\ttext\n"
                                  "a\tkept one\n"
                                  "b\t\n"
                                  "c\t   \n"
                                  "\tno label\n"
                                  "  \tno label either\n"
                                  "\n"
                                  "d\tkept two\n", NULL, &error);
  g_autoptr(WlDataset) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (ds->stats.rows_read, ==, 6);
  g_assert_cmpuint (ds->stats.rows_kept, ==, 2);
  g_assert_cmpuint (ds->stats.empty_texts, ==, 2);
  g_assert_cmpuint (ds->stats.empty_labels, ==, 2);
  g_assert_cmpuint (ds->stats.blank_lines, ==, 1);
  g_assert_cmpuint (ds->lines[0], ==, 2);
  g_assert_cmpuint (ds->lines[1], ==, 8);
  g_assert_cmpuint (wl_dataset_get_n_labels (ds), ==, 2);
  assert_label (ds, 1, "d");

  none = load (f, "none.csv", "label,text\na,\n,b\n", NULL, &error);
  g_assert_null (none);
  g_assert_error (error, WL_ERROR, WL_ERROR_NO_DATA);
  g_clear_error (&error);
  none = load (f, "zero.csv", "", NULL, &error);
  g_assert_null (none);
  g_assert_error (error, WL_ERROR, WL_ERROR_NO_DATA);
}

static void
test_stats (TmpDir *f, gconstpointer data)
{
  WlLoadOptions skip = { .skip_bad_rows = TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlDataset) ds = load (f, "stats.csv",
                                  "\xEF\xBB\xBFlabel;text\n"
                                  "x;caf\xE9\n"
                                  "y;too;many\n"
                                  "\n"
                                  "z;\"never; closed\n"
                                  "x;fine\n", &skip, &error);

  g_assert_no_error (error);
  g_assert_true (ds->stats.had_bom);
  g_assert_cmpuint (ds->stats.separator, ==, ';');
  g_assert_cmpuint (ds->stats.repaired_utf8, ==, 1);
  g_assert_cmpstr (wl_dataset_get_text (ds, 0), ==, "caf\xEF\xBF\xBD");
  g_assert_cmpuint (ds->stats.bad_rows, ==, 2);
  g_assert_cmpuint (ds->stats.n_bad_row_lines, ==, 2);
  g_assert_cmpuint (ds->stats.bad_row_lines[0], ==, 3);
  g_assert_cmpuint (ds->stats.bad_row_lines[1], ==, 5);
  g_assert_cmpuint (ds->stats.blank_lines, ==, 1);
  g_assert_cmpuint (wl_dataset_get_n_rows (ds), ==, 2);
  g_assert_cmpuint (ds->lines[1], ==, 6);
}

/* stats.quotes says which quote mode was used, never "auto". */
static void
test_quote_mode (TmpDir *f, gconstpointer data)
{
  const char *content = "label\ttext\n"
                        "ham\t\"Wen u miss\" gdeve..\n"
                        "ham\t\"Keep ur problems\n"
                        "spam\t\"HI\" \"BABE\"\n";
  WlLoadOptions rfc4180 = { .quotes = WL_QUOTES_RFC4180 };
  WlLoadOptions none = { .quotes = WL_QUOTES_NONE };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlDataset) ds1 = load (f, "auto.tsv", content, NULL, &error);
  g_autoptr(WlDataset) ds2 = NULL;
  g_autoptr(WlDataset) ds3 = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (ds1->stats.quotes, ==, WL_QUOTES_NONE);
  g_assert_cmpuint (ds1->stats.rows_read, ==, 3);
  g_assert_cmpstr (wl_dataset_get_text (ds1, 1), ==, "\"Keep ur problems");
  g_assert_cmpstr (wl_dataset_get_text (ds1, 2), ==, "\"HI\" \"BABE\"");
  g_assert_cmpuint (ds1->stats.loose_quotes, ==, 0);

  ds2 = load (f, "rfc.tsv", content, &rfc4180, &error);
  g_assert_null (ds2);
  g_assert_error (error, WL_ERROR, WL_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "rfc.tsv:3:5: the quoted field that opens here runs to line 4"));
  g_clear_error (&error);

  ds3 = load (f, "none.csv", "label,text\npos,\"a\"b\n", &none, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ds3->stats.quotes, ==, WL_QUOTES_NONE);
  g_assert_cmpstr (wl_dataset_get_text (ds3, 0), ==, "\"a\"b");
}

static void
test_parse_error (TmpDir *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WlDataset) ds = load (f, "bad.csv", "label,text\na,b\nc,d,e\n", NULL, &error);

  g_assert_null (ds);
  g_assert_error (error, WL_ERROR, WL_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "bad.csv:3:5:"));
}

static void
test_chinese (TmpDir *f, gconstpointer data)
{
  const char *columns[] = { "文本", NULL };
  WlLoadOptions options = { .text_columns = columns, .label_column = "标签", .header = WL_HEADER_YES };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlDataset) ds = load (f, "zh.csv",
                                  "标签,文本\n正面,这部电影很好看\n负面,太无聊了\n正面,还不错\n",
                                  &options, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (wl_dataset_get_n_rows (ds), ==, 3);
  g_assert_cmpstr (wl_dataset_get_text (ds, 1), ==, "太无聊了");
  g_assert_cmpint (wl_dataset_find_label (ds, "负面"), ==, 1);
  assert_label (ds, 2, "正面");
}

static char *
write_big (TmpDir *f,
           guint   n_rows)
{
  g_autoptr(GString) content = g_string_new ("label,text\n");

  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (content, "l%u,row number %u with some words\n", i % 5, i);
  return tmp_dir_write (f, "big.csv", content->str, content->len);
}

typedef struct
{
  GCancellable *cancellable;
  guint         calls;
  guint64       last;
  guint64       total;
} Progress;

static void
on_progress (guint64  done,
             guint64  total,
             gpointer data)
{
  Progress *progress = data;

  g_assert_cmpuint (done, >=, progress->last);
  g_assert_cmpuint (done, <=, total);
  progress->last = done;
  progress->total = total;
  progress->calls++;
  if (progress->cancellable != NULL && done > 0)
    g_cancellable_cancel (progress->cancellable);
}

static void
test_progress (TmpDir *f, gconstpointer data)
{
  g_autofree char *path = write_big (f, 100000);
  g_autoptr(GError) error = NULL;
  Progress progress = { 0 };
  g_autoptr(WlDataset) ds = wl_dataset_load (path, NULL, on_progress, &progress, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (wl_dataset_get_n_rows (ds), ==, 100000);
  g_assert_cmpstr (wl_dataset_get_text (ds, 99999), ==, "row number 99999 with some words");
  /* About 4 MB, reported every 256 KiB or so. */
  g_assert_cmpuint (progress.calls, >, 10);
  g_assert_cmpuint (progress.calls, <, 30);
  g_assert_cmpuint (progress.last, ==, ds->stats.bytes);
  g_assert_cmpuint (progress.total, ==, ds->stats.bytes);
}

static void
test_cancel (TmpDir *f, gconstpointer data)
{
  g_autofree char *path = write_big (f, 50000);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Progress progress = { cancellable, 0, 0, 0 };
  g_autoptr(WlDataset) ds = wl_dataset_load (path, NULL, on_progress, &progress, cancellable, &error);
  g_autoptr(WlDataset) ds2 = NULL;

  g_assert_null (ds);
  g_assert_error (error, WL_ERROR, WL_ERROR_CANCELLED);
  g_assert_cmpuint (progress.calls, ==, 2);   /* the start, then the first step */
  g_assert_cmpuint (progress.last, <, progress.total / 2);

  /* Already cancelled: nothing is read. */
  g_clear_error (&error);
  ds2 = wl_dataset_load (path, NULL, NULL, NULL, cancellable, &error);
  g_assert_null (ds2);
  g_assert_error (error, WL_ERROR, WL_ERROR_CANCELLED);
}

/* Texts kept on disk read back as the in-memory load holds them, whatever
 * the encoding, quotes, joined columns and skipped rows, in any order,
 * with their lines; the scratch file leaves nothing in the cache folder. */
static void
test_texts_on_disk (TmpDir *f, gconstpointer data)
{
  const char *utf8 = "label,title,text\n"
                     "pos,Caf\xc3\xa9,\"a \"\"quoted\"\" word\"\n"
                     "neg,Na\xc3\xafve,\"two\nlines\"\n"
                     "pos,,plain text\n"
                     "neg,x,\"bad\" quote here\n"
                     "pos,y,a,b\n"
                     "\n"
                     "neg,z,  spaced  \n";
  const char *columns[] = { "title", "text", NULL };
  WlLoadOptions memory = { .encoding = "windows-1252", .skip_bad_rows = TRUE,
                           .text_columns = columns };
  WlLoadOptions disk = memory;
  g_autofree char *cp1252 = g_convert (utf8, -1, "WINDOWS-1252", "UTF-8", NULL, NULL, NULL);
  g_autofree char *path = tmp_dir_write (f, "texts.csv", cp1252, -1);
  g_autofree char *scratch = g_build_filename (g_get_user_cache_dir (), "wordloom", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WlDataset) in_memory = NULL;
  g_autoptr(WlDataset) on_disk = NULL;
  g_autoptr(WlDataset) subset = NULL;
  g_autoptr(GStringChunk) chunk = g_string_chunk_new (64);
  g_autoptr(GDir) listing = NULL;
  const guint32 order[] = { 4, 0, 3, 1, 2, 0 };
  const char *texts[G_N_ELEMENTS (order)];
  gsize n;

  disk.texts_on_disk = TRUE;
  in_memory = wl_dataset_load (path, &memory, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  on_disk = wl_dataset_load (path, &disk, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  listing = g_dir_open (scratch, 0, NULL);
  g_assert_nonnull (listing);
  g_assert_null (g_dir_read_name (listing));

  n = wl_dataset_get_n_rows (in_memory);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpuint (in_memory->stats.bad_rows, ==, 1);
  g_assert_cmpuint (in_memory->stats.quote_text_rows, ==, 1);
  g_assert_cmpstr (wl_dataset_get_text (in_memory, 0), ==, "Caf\xc3\xa9\na \"quoted\" word");
  g_assert_cmpuint (wl_dataset_get_n_rows (on_disk), ==, n);
  g_assert_cmpuint (on_disk->texts->len, ==, 0);
  g_assert_cmpuint (on_disk->stats.rows_kept, ==, n);
  g_assert_cmpmem (on_disk->labels->data, n * sizeof (guint32),
                   in_memory->labels->data, n * sizeof (guint32));

  g_assert_true (wl_dataset_read_texts (on_disk, order, G_N_ELEMENTS (order), chunk, texts, &error));
  g_assert_no_error (error);
  for (gsize k = 0; k < G_N_ELEMENTS (order); k++)
    g_assert_cmpstr (texts[k], ==, wl_dataset_get_text (in_memory, order[k]));
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpstr (wl_dataset_get_text (on_disk, i), ==, wl_dataset_get_text (in_memory, i));
      g_assert_cmpuint (wl_dataset_get_line (on_disk, i), ==, wl_dataset_get_line (in_memory, i));
    }
  g_assert_cmpuint (wl_dataset_get_line (on_disk, 4), ==, 9);

  /* A subset of a dataset on disk holds its texts in memory. */
  subset = wl_dataset_new_subset (on_disk, order, G_N_ELEMENTS (order));
  g_assert_null (subset->spill);
  for (gsize k = 0; k < G_N_ELEMENTS (order); k++)
    {
      g_assert_cmpstr (wl_dataset_get_text (subset, k), ==, wl_dataset_get_text (in_memory, order[k]));
      g_assert_cmpuint (wl_dataset_get_line (subset, k), ==, wl_dataset_get_line (in_memory, order[k]));
      g_assert_cmpuint (wl_dataset_get_label (subset, k), ==, wl_dataset_get_label (in_memory, order[k]));
    }
}

static void
test_options_from_config (void)
{
  char *columns[] = { (char *) "title", (char *) "body", NULL };
  WlDataConfig data = {
    .text_columns = columns,
    .label_column = (char *) "topic",
    .header = WL_HEADER_NO,
    .separator = '\t',
    .quotes = WL_QUOTES_NONE,
    .skip_bad_rows = TRUE,
  };
  WlLoadOptions options;

  memset (&options, 0xff, sizeof options);
  wl_load_options_init_from_config (&options, &data);
  g_assert_cmpint (options.header, ==, WL_HEADER_NO);
  g_assert_cmpuint (options.separator, ==, '\t');
  g_assert_cmpint (options.quotes, ==, WL_QUOTES_NONE);
  g_assert_true (options.skip_bad_rows);
  g_assert_true (options.text_columns == (const char * const *) columns);
  g_assert_cmpstr (options.label_column, ==, "topic");
  g_assert_false (options.label_optional);
}

int
main (int argc, char **argv)
{
  g_autofree char *cache = g_build_filename (g_get_tmp_dir (), "wl-test-cache-XXXXXX", NULL);
  g_autofree char *scratch = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* A cache folder of the test's own for the scratch files (GLib reads it
   * once, here). */
  g_assert_nonnull (g_mkdtemp (cache));
  g_assert_true (g_setenv ("XDG_CACHE_HOME", cache, TRUE));
  g_assert_cmpstr (g_get_user_cache_dir (), ==, cache);

  TMP_TEST ("/io/dataset/basic", test_basic);
  TMP_TEST ("/io/dataset/multi-column-join", test_multi_column_join);
  TMP_TEST ("/io/dataset/column-by-index", test_column_by_index);
  TMP_TEST ("/io/dataset/default-columns", test_default_columns);
  TMP_TEST ("/io/dataset/unknown-column", test_unknown_column);
  TMP_TEST ("/io/dataset/label-optional", test_label_optional);
  TMP_TEST ("/io/dataset/empty-counts", test_empty_counts);
  TMP_TEST ("/io/dataset/stats", test_stats);
  TMP_TEST ("/io/dataset/quote-mode", test_quote_mode);
  TMP_TEST ("/io/dataset/parse-error", test_parse_error);
  TMP_TEST ("/io/dataset/chinese", test_chinese);
  TMP_TEST ("/io/dataset/progress", test_progress);
  TMP_TEST ("/io/dataset/cancel", test_cancel);
  TMP_TEST ("/io/dataset/texts-on-disk", test_texts_on_disk);
  g_test_add_func ("/io/dataset/options-from-config", test_options_from_config);

  status = g_test_run ();
  scratch = g_build_filename (cache, "wordloom", NULL);
  g_rmdir (scratch);
  g_rmdir (cache);
  return status;
}
