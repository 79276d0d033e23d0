/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-dataset-shard.c: a file read in byte ranges (io/wl-dataset-shard.h),
 * the ranges joined as the ranks of a distributed run join them, gives the
 * dataset of one reading of the whole file: rows, texts, labels in their
 * first-seen order, lines and counts.  The ranks are played here in one
 * process, in rank order; the files are generated with quoted fields of
 * many lines (some lines of which look like records, one field longer
 * than a range), CRLF, blank lines, stray quotes and bad rows, and cut
 * into 2 to 12 ranges; in UTF-8 and in encodings decoded from the range
 * starts (windows-1252, GBK, UTF-16LE with surrogate pairs). */
#include "config.h"

#include <string.h>

#include "wl-error.h"
#include "io/wl-dataset-shard.h"
#include "io-test-util.h"

typedef enum
{
  FILE_CLEAN,     /* quoted fields of several lines, CRLF, blank lines, empty labels */
  FILE_STRAY,     /* and stray quotes (quotes "auto" reads them as text) */
  FILE_BAD,       /* and rows with a field too many (skipped) */
} FileKind;

typedef const char *const Words[10];

static Words ascii_words = {
  "good", "bad", "film", "plot", "the", "a", "story", "great", "awful", "music",
};
static Words latin_words = {
  "café", "naïve", "crème", "déjà", "über", "señor", "piñata", "façade", "€uro", "good",
};
static Words chinese_words = {
  "好", "电影", "故事", "音乐", "糟糕", "情节", "演员", "精彩", "无聊", "the",
};
static Words wide_words = {
  "café", "中文", "😀", "good", "𝄞 music", "plot", "ünïcode", "the", "演员", "a",
};

static char *
generate (FileKind      kind,
          const Words  *list,
          guint32       seed)
{
  const char *const *words = *list;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GString *text = g_string_new ("text,label");
  const char *eol = seed % 2 ? "\r\n" : "\n";

  g_string_append (text, eol);
  for (guint row = 0; row < 300; row++)
    {
      const char *label = g_rand_boolean (rand) ? "pos" : "neg";
      int what = g_rand_int_range (rand, 0, 12);

      if (what == 0 || row == 150)
        {
          /* A quoted field of several lines, which look like records; at
           * row 150, one longer than most ranges, and longer than the rows
           * a range remembers (it reads again from the boundary). */
          guint lines = row == 150 ? 12000 : g_rand_int_range (rand, 1, 30);

          g_string_append_printf (text, "\"review %u", row);
          for (guint i = 0; i < lines; i++)
            /* Some lines start with a quote (written doubled inside the field):
             * read from there, the quotes pair up the other way. */
            g_string_append_printf (text, "%s%s%s %s,%s", eol,
                                    g_rand_int_range (rand, 0, 4) == 0 ? "\"\"" : "",
                                    words[g_rand_int_range (rand, 0, 10)],
                                    words[g_rand_int_range (rand, 0, 10)],
                                    g_rand_boolean (rand) ? "pos" : "neg");
          g_string_append_printf (text, "%send\",%s%s", eol, label, eol);
          continue;
        }
      if (what == 1)
        g_string_append (text, eol);                              /* a blank line */
      else if (what == 2)
        label = "";                                               /* an empty label */
      else if (what == 3 && kind == FILE_STRAY)
        {
          g_string_append_printf (text, "\"Wen u miss\" %u gdeve,%s%s", row, label, eol);
          continue;
        }
      else if (what == 4 && kind == FILE_STRAY)
        {
          g_string_append_printf (text, "\"a stray quote %u%s, and more,%s%s", row, eol, label, eol);
          continue;
        }
      else if (what == 5 && kind == FILE_BAD)
        {
          g_string_append_printf (text, "one,too,many %u%s", row, eol);
          continue;
        }
      g_string_append_printf (text, "\"%s, %s %u\",%s%s", words[g_rand_int_range (rand, 0, 10)],
                              words[g_rand_int_range (rand, 0, 10)], row, label, eol);
    }
  return g_string_free (text, FALSE);
}

/* The ranks of a distributed run, played in one process. */
static WlDataset *
load_in_ranges (const char          *path,
                const WlLoadOptions *options,
                guint                n,
                gboolean            *exact,
                GError             **error)
{
  g_autoptr(GPtrArray) shards = g_ptr_array_new_with_free_func ((GDestroyNotify) wl_dataset_shard_free);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  GStatBuf st;
  GVariant *layout;
  guint64 size;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  size = st.st_size;
  g_ptr_array_add (shards, wl_dataset_shard_open_first (path, options, size / n, NULL, error));
  if (shards->pdata[0] == NULL)
    return NULL;
  layout = wl_dataset_shard_get_layout (shards->pdata[0]);
  g_assert_nonnull (layout);
  for (guint r = 1; r < n; r++)
    {
      g_ptr_array_add (shards, wl_dataset_shard_open (path, options, layout, size * r / n,
                                                      size * (r + 1) / n, NULL, error));
      g_assert_nonnull (shards->pdata[r]);
    }
  for (guint r = 0; r < n; r++)
    if (!wl_dataset_shard_read (shards->pdata[r], error))
      return NULL;
  *exact = FALSE;
  for (gboolean again = FALSE; ; again = TRUE)
    {
      for (guint r = 1; r < n; r++)
        {
          g_autoptr(GVariant) boundary = wl_dataset_shard_get_boundary (shards->pdata[r - 1]);

          if (!wl_dataset_shard_join (shards->pdata[r], boundary, again, error))
            return NULL;
          *exact |= wl_dataset_shard_needs_exact (shards->pdata[r]);
        }
      if (again || !*exact)
        break;
    }
  for (guint r = 0; r < n; r++)
    {
      g_assert_true (wl_dataset_shard_kept_encoding (shards->pdata[r]));
      g_ptr_array_add (parts, wl_dataset_shard_serialize (shards->pdata[r]));
    }
  return wl_dataset_shard_join_all (shards->pdata[0], (GVariant * const *) parts->pdata, n, error);
}

static void
assert_same (const WlDataset *whole,
             const WlDataset *joined)
{
  const WlLoadStats *a = &whole->stats, *b = &joined->stats;

  g_assert_cmpuint (joined->n_rows, ==, whole->n_rows);
  g_assert_cmpuint (joined->label_names->len, ==, whole->label_names->len);
  for (guint i = 0; i < whole->label_names->len; i++)
    g_assert_cmpstr (g_ptr_array_index (joined->label_names, i), ==,
                     g_ptr_array_index (whole->label_names, i));
  for (gsize i = 0; i < whole->n_rows; i++)
    {
      g_assert_cmpstr (wl_dataset_get_text (joined, i), ==, wl_dataset_get_text (whole, i));
      g_assert_cmpuint (wl_dataset_get_label (joined, i), ==, wl_dataset_get_label (whole, i));
      g_assert_cmpuint (wl_dataset_get_line (joined, i), ==, wl_dataset_get_line (whole, i));
    }
  g_assert_cmpuint (b->rows_read, ==, a->rows_read);
  g_assert_cmpuint (b->rows_kept, ==, a->rows_kept);
  g_assert_cmpuint (b->empty_labels, ==, a->empty_labels);
  g_assert_cmpuint (b->empty_texts, ==, a->empty_texts);
  g_assert_cmpuint (b->bad_rows, ==, a->bad_rows);
  g_assert_cmpuint (b->quote_text_rows, ==, a->quote_text_rows);
  g_assert_cmpuint (b->loose_quotes, ==, a->loose_quotes);
  g_assert_cmpuint (b->n_bad_row_lines, ==, a->n_bad_row_lines);
  g_assert_cmpmem (b->bad_row_lines, b->n_bad_row_lines * sizeof (guint64),
                   a->bad_row_lines, a->n_bad_row_lines * sizeof (guint64));
  g_assert_cmpuint (b->n_quote_text_lines, ==, a->n_quote_text_lines);
  g_assert_cmpmem (b->quote_text_lines, b->n_quote_text_lines * sizeof (guint64),
                   a->quote_text_lines, a->n_quote_text_lines * sizeof (guint64));
  g_assert_cmpstr (b->encoding, ==, a->encoding);
  g_assert_cmpuint (b->separator, ==, a->separator);
  g_assert_cmpint (b->quotes, ==, a->quotes);
}

typedef struct
{
  FileKind     kind;
  WlQuoteMode  quotes;
  gboolean     skip_bad_rows;
  gboolean     expect_exact;  /* some cut makes every range read again */
  const char  *encoding;      /* of the file: NULL for UTF-8 */
  const char  *option;        /* the encoding option: NULL for "auto" */
  const Words *words;
} Case;

/* The generated text in @c's encoding (UTF-16 with its byte order mark). */
static char *
write_encoded (TmpDir     *f,
               const Case *c,
               const char *content)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) bytes = g_string_new (NULL);
  g_autofree char *converted = NULL;
  gsize length = strlen (content);

  if (c->encoding == NULL)
    return tmp_dir_write (f, "data.csv", content, -1);
  converted = g_convert (content, -1, c->encoding, "UTF-8", NULL, &length, &error);
  g_assert_no_error (error);
  if (g_str_has_prefix (c->encoding, "UTF-16"))
    g_string_append (bytes, "\xFF\xFE");
  g_string_append_len (bytes, converted, length);
  return tmp_dir_write (f, "data.csv", bytes->str, bytes->len);
}

static void
test_like_one_reading (TmpDir        *f,
                       gconstpointer  data)
{
  const Case *c = data;
  WlLoadOptions options = {
    .quotes = c->quotes,
    .skip_bad_rows = c->skip_bad_rows,
    .encoding = c->option,
  };
  gboolean any_exact = FALSE;

  for (guint32 seed = 1; seed <= 4; seed++)
    {
      g_autofree char *content = generate (c->kind, c->words ? c->words : &ascii_words, seed);
      g_autofree char *path = write_encoded (f, c, content);
      g_autoptr(GError) error = NULL;
      g_autoptr(WlDataset) whole = wl_dataset_load (path, &options, NULL, NULL, NULL, &error);

      g_assert_no_error (error);
      /* Decoded: the ranges start in the raw bytes. */
      g_assert_cmpstr (whole->stats.encoding, ==, c->encoding ? c->encoding : "UTF-8");
      for (guint n = 2; n <= 12; n++)
        {
          g_autoptr(WlDataset) joined = NULL;
          gboolean exact;

          g_test_message ("seed %u, %u ranges", seed, n);
          joined = load_in_ranges (path, &options, n, &exact, &error);
          g_assert_no_error (error);
          assert_same (whole, joined);
          any_exact |= exact;
        }
    }
  g_assert_cmpint (any_exact, ==, c->expect_exact);
}

/* Without skipping, a bad row is the error one reading gives, also in the
 * last range (which skips it while it guesses). */
static void
test_bad_row_error (TmpDir        *f,
                    gconstpointer  data)
{
  g_autofree char *clean = generate (FILE_CLEAN, &ascii_words, 4);
  g_autofree char *content = g_strconcat (clean, "one,too,many\nthe last row,pos\n", NULL);
  g_autofree char *path = tmp_dir_write (f, "bad.csv", content, -1);
  WlLoadOptions options = { 0 };
  g_autoptr(GError) whole_error = NULL;
  g_autoptr(WlDataset) whole = wl_dataset_load (path, &options, NULL, NULL, NULL, &whole_error);

  g_assert_null (whole);
  g_assert_error (whole_error, WL_ERROR, WL_ERROR_PARSE);
  for (guint n = 2; n <= 6; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WlDataset) joined = NULL;
      gboolean exact;

      joined = load_in_ranges (path, &options, n, &exact, &error);
      g_assert_null (joined);
      g_assert_error (error, WL_ERROR, WL_ERROR_PARSE);
      g_assert_cmpstr (error->message, ==, whole_error->message);
    }
}

int
main (int argc, char **argv)
{
  static const Case clean_rfc4180 = { FILE_CLEAN, WL_QUOTES_RFC4180, FALSE, FALSE };
  static const Case clean_auto = { FILE_CLEAN, WL_QUOTES_AUTO, FALSE, TRUE };
  static const Case stray_auto = { FILE_STRAY, WL_QUOTES_AUTO, TRUE, TRUE };
  static const Case bad_skipped = { FILE_BAD, WL_QUOTES_RFC4180, TRUE, TRUE };
  static const Case latin = { FILE_CLEAN, WL_QUOTES_RFC4180, FALSE, FALSE, "windows-1252",
                              "windows-1252", &latin_words };
  static const Case latin_stray = { FILE_STRAY, WL_QUOTES_AUTO, TRUE, TRUE, "windows-1252",
                                    "windows-1252", &latin_words };
  static const Case chinese = { FILE_CLEAN, WL_QUOTES_RFC4180, FALSE, FALSE, "GBK", "GBK",
                                &chinese_words };
  static const Case chinese_bad = { FILE_BAD, WL_QUOTES_RFC4180, TRUE, TRUE, "GBK", "GBK",
                                    &chinese_words };
  static const Case wide = { FILE_CLEAN, WL_QUOTES_RFC4180, FALSE, FALSE, "UTF-16LE", NULL,
                             &wide_words };
  static const Case wide_stray = { FILE_STRAY, WL_QUOTES_AUTO, TRUE, TRUE, "UTF-16LE", NULL,
                                   &wide_words };

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/dataset-shard/rfc4180", TmpDir, &clean_rfc4180, tmp_dir_setup,
              test_like_one_reading, tmp_dir_teardown);
  g_test_add ("/dataset-shard/auto", TmpDir, &clean_auto, tmp_dir_setup,
              test_like_one_reading, tmp_dir_teardown);
  g_test_add ("/dataset-shard/stray-quotes", TmpDir, &stray_auto, tmp_dir_setup,
              test_like_one_reading, tmp_dir_teardown);
  g_test_add ("/dataset-shard/bad-rows-skipped", TmpDir, &bad_skipped, tmp_dir_setup,
              test_like_one_reading, tmp_dir_teardown);
  g_test_add ("/dataset-shard/windows-1252", TmpDir, &latin, tmp_dir_setup,
              test_like_one_reading, tmp_dir_teardown);
  g_test_add ("/dataset-shard/windows-1252-stray-quotes", TmpDir, &latin_stray, tmp_dir_setup,
              test_like_one_reading, tmp_dir_teardown);
  g_test_add ("/dataset-shard/gbk", TmpDir, &chinese, tmp_dir_setup,
              test_like_one_reading, tmp_dir_teardown);
  g_test_add ("/dataset-shard/gbk-bad-rows-skipped", TmpDir, &chinese_bad, tmp_dir_setup,
              test_like_one_reading, tmp_dir_teardown);
  g_test_add ("/dataset-shard/utf-16le", TmpDir, &wide, tmp_dir_setup,
              test_like_one_reading, tmp_dir_teardown);
  g_test_add ("/dataset-shard/utf-16le-stray-quotes", TmpDir, &wide_stray, tmp_dir_setup,
              test_like_one_reading, tmp_dir_teardown);
  TMP_TEST ("/dataset-shard/bad-row-error", test_bad_row_error);
  return g_test_run ();
}
