/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-csv-encoding.c: files in other encodings than UTF-8, written by
 * converting UTF-8 text in the test, read back exactly; detection,
 * seeking in decoded text, undecidable files, labels that need repair. */
#include "config.h"

#include <string.h>

#include "wl-error.h"
#include "io/wl-csv-index.h"
#include "io/wl-dataset.h"
#include "csv-test-util.h"

typedef struct
{
  const char *write_as;      /* for g_convert */
  const char *found;         /* what the reader says */
  const char *bom;           /* NULL: none written */
  gsize       bom_length;
  const char *labels[4];
  const char *text;          /* %u: the row number */
} Case;

#define ZH { "正面", "负面", "中性", "混合" }, "这家酒店的服务很好，房间干净，早餐也不错。第%u条"

static const Case cases[] = {
  { "UTF-8", "UTF-8", NULL, 0, ZH },
  { "UTF-8", "UTF-8", "\xEF\xBB\xBF", 3, ZH },
  { "UTF-16LE", "UTF-16LE", NULL, 0, ZH },
  { "UTF-16LE", "UTF-16LE", "\xFF\xFE", 2, ZH },
  { "UTF-16BE", "UTF-16BE", NULL, 0, ZH },
  { "UTF-16BE", "UTF-16BE", "\xFE\xFF", 2, ZH },
  { "UTF-32LE", "UTF-32LE", NULL, 0, ZH },
  { "UTF-32LE", "UTF-32LE", "\xFF\xFE\x00\x00", 4, ZH },
  { "UTF-32BE", "UTF-32BE", NULL, 0, ZH },
  { "UTF-32BE", "UTF-32BE", "\x00\x00\xFE\xFF", 4, ZH },
  { "GBK", "GB18030", NULL, 0, ZH },
  { "GB18030", "GB18030", NULL, 0, ZH },
  { "BIG5", "Big5", NULL, 0, { "正面", "負面", "中性", "混合" },
    "這家飯店的服務很好，房間乾淨，早餐也不錯。第%u條" },
  { "SHIFT_JIS", "Shift_JIS", NULL, 0, { "良い", "悪い", "普通", "最高" },
    "このホテルはとても良かったです。部屋がきれいでした。%u" },
  { "EUC-KR", "EUC-KR", NULL, 0, { "긍정", "부정", "중립", "혼합" },
    "이 호텔은 정말 좋았습니다. 방이 깨끗했어요. %u" },
  { "WINDOWS-1252", "windows-1252", NULL, 0, { "café", "naïve", "cliché", "résumé" },
    "the film is a “cliché” but the café scene is good, €%u" },
  { "ISO-8859-1", "windows-1252", NULL, 0, { "café", "naïve", "cliché", "résumé" },
    "the film is a cliché but the café scene is good %u" },
};

static char *
encode (const char *utf8,
        gsize       length,
        const char *charset,
        gsize      *written)
{
  GError *error = NULL;
  char *bytes = g_convert (utf8, length, charset, "UTF-8", NULL, written, &error);

  g_assert_no_error (error);
  return bytes;
}

/* The UTF-8 text of a file of @n_rows rows of @c, and the rows. */
static GString *
write_rows (const Case *c,
            guint       n_rows,
            GPtrArray  *rows)
{
  GString *content = g_string_new ("label\ttext\n");

  for (guint i = 0; i < n_rows; i++)
    {
      char **fields = g_new0 (char *, 3);

      fields[0] = g_strdup (c->labels[i % 4]);
      fields[1] = g_strdup_printf (c->text, i);
      g_string_append_printf (content, "%s\t%s\n", fields[0], fields[1]);
      g_ptr_array_add (rows, fields);
    }
  return content;
}

static void
assert_rows_equal (Parsed    *p,
                   GPtrArray *rows)
{
  g_assert_no_error (p->error);
  g_assert_cmpuint (p->rows->len, ==, rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      g_assert_cmpstrv (g_ptr_array_index (p->rows, i), g_ptr_array_index (rows, i));
      g_assert_cmpuint (g_array_index (p->lines, guint64, i), ==, i + 2);
    }
}

/* Every row read again through the index, in an order that seeks back. */
static void
assert_index_rows (const char *path,
                   GPtrArray  *rows,
                   const char *found)
{
  GError *error = NULL;
  g_autoptr(WlCsvIndex) index = wl_csv_index_build (path, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (wl_csv_index_get_encoding (index), ==, found);
  g_assert_cmpuint (wl_csv_index_get_n_rows (index), ==, rows->len);
  for (guint k = 0; k < rows->len; k += 1 + rows->len / 50)
    {
      guint i = rows->len - 1 - k;
      g_auto(GStrv) fields = wl_csv_index_read_row (index, i, &error);

      g_assert_no_error (error);
      g_assert_cmpstrv (fields, g_ptr_array_index (rows, i));
    }
}

static void
test_encodings (TmpDir *f, gconstpointer data)
{
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      const Case *c = &cases[k];
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      g_autoptr(GString) text = write_rows (c, 200, rows);
      gsize length;
      g_autofree char *bytes = encode (text->str, text->len, c->write_as, &length);
      g_autoptr(GString) file = g_string_new_len (c->bom, c->bom_length);
      g_autofree char *name = g_strdup_printf ("enc-%u.tsv", k);
      g_autofree char *path = NULL;
      g_autoptr(Parsed) p = NULL;

      g_test_message ("%s%s", c->write_as, c->bom ? " with a byte order mark" : "");
      g_string_append_len (file, bytes, length);
      path = tmp_dir_write (f, name, file->str, file->len);
      p = parse_file (path, NULL);
      assert_rows_equal (p, rows);
      g_assert_cmpstr (wl_csv_reader_get_encoding (p->reader), ==, c->found);
      g_assert_cmpint (wl_csv_reader_get_encoding_confidence (p->reader), >=, 50);
      g_assert_cmpint (wl_csv_reader_get_had_bom (p->reader), ==, c->bom != NULL);
      g_assert_cmpuint (wl_csv_reader_get_counts (p->reader)->repaired_utf8, ==, 0);
      g_assert_cmpuint (wl_csv_reader_get_offset (p->reader), ==, file->len);
      /* Read once: the chunk read to detect the encoding is decoded as it is. */
      g_assert_cmpuint (wl_csv_reader_get_bytes_read (p->reader), ==, file->len);
      assert_index_rows (path, rows, c->found);
    }
}

/* Over many chunks: the index seeks back and forth in decoded text. */
static void
test_large_decoded (TmpDir *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GString) text = write_rows (&cases[10], 20000, rows);
  gsize length;
  g_autofree char *bytes = encode (text->str, text->len, "GBK", &length);
  g_autofree char *path = tmp_dir_write (f, "large.tsv", bytes, length);
  g_autoptr(Parsed) p = parse_file (path, NULL);

  g_assert_cmpuint (length, >, 3 * (256u << 10));
  assert_rows_equal (p, rows);
  assert_index_rows (path, rows, "GB18030");
}

/* Like mr.tsv: plain ASCII for more than the first chunk, then
 * windows-1252: read as UTF-8 until the first other byte, then decoded. */
static void
test_ascii_then_latin (TmpDir *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GString) text = g_string_new ("label\ttext\n");
  gsize length;
  g_autofree char *bytes = NULL;
  g_autofree char *path = NULL;
  g_autoptr(Parsed) p = NULL;

  for (guint i = 0; text->len < 300u << 10 || i % 100 != 0; i++)
    {
      char **fields = g_new0 (char *, 3);

      fields[0] = g_strdup (i % 2 ? "1" : "0");
      fields[1] = text->len < 300u << 10 ? g_strdup_printf ("plain ascii sentence number %u", i)
                                         : g_strdup_printf ("this movie is a cliché, but the café scene is fun %u", i);
      g_string_append_printf (text, "%s\t%s\n", fields[0], fields[1]);
      g_ptr_array_add (rows, fields);
    }
  bytes = encode (text->str, text->len, "WINDOWS-1252", &length);
  path = tmp_dir_write (f, "mr-like.tsv", bytes, length);
  p = parse_file (path, NULL);
  assert_rows_equal (p, rows);
  g_assert_cmpstr (wl_csv_reader_get_encoding (p->reader), ==, "windows-1252");
  g_assert_cmpuint (wl_csv_reader_get_counts (p->reader)->repaired_utf8, ==, 0);
  assert_index_rows (path, rows, "windows-1252");
}

static void
test_undecidable (TmpDir *f, gconstpointer data)
{
  g_autoptr(GString) content = g_string_new ("label\ttext\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  const WlCsvOptions given = { .encoding = "windows-1252" };
  const WlCsvOptions unknown = { .encoding = "no-such-encoding" };
  g_autofree char *path = NULL;
  g_autoptr(Parsed) p1 = NULL;
  g_autoptr(Parsed) p2 = NULL;
  g_autoptr(Parsed) p3 = NULL;

  for (guint i = 0; i < 100; i++)
    {
      g_string_append (content, i % 2 ? "a\t" : "b\t");
      for (guint k = 0; k < 40; k++)
        g_string_append_c (content, (char) g_rand_int_range (rand, 0x80, 0x100));
      g_string_append_c (content, '\n');
    }
  path = tmp_dir_write (f, "noise.tsv", content->str, content->len);
  p1 = parse_file (path, NULL);
  g_assert_error (p1->error, WL_ERROR, WL_ERROR_ENCODING);
  g_assert_nonnull (strstr (p1->error->message, "noise.tsv: cannot tell the text encoding"));
  g_assert_nonnull (strstr (p1->error->message, "name the encoding"));

  /* Named, it is read. */
  p2 = parse_file (path, &given);
  g_assert_no_error (p2->error);
  g_assert_cmpuint (p2->rows->len, ==, 100);
  g_assert_cmpstr (wl_csv_reader_get_encoding (p2->reader), ==, "windows-1252");

  p3 = parse_file (path, &unknown);
  g_assert_error (p3->error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (p3->error->message, "Encoding “no-such-encoding” is unknown"));
}

/* A file that starts as UTF-8 but holds GBK labels further down: the
 * labels would merge into "\uFFFD\uFFFD", so the load stops, naming the
 * likely encoding, unless the encoding is named. */
static void
test_label_needs_repair (TmpDir *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GString) text = write_rows (&cases[0], 6000, rows);
  g_autoptr(GString) tail = g_string_new (NULL);
  g_autofree char *gbk = NULL;
  g_autofree char *path = NULL;
  const WlLoadOptions utf8 = { .encoding = "UTF-8" };
  g_autoptr(WlDataset) ds1 = NULL;
  g_autoptr(WlDataset) ds2 = NULL;
  GError *error = NULL;
  gsize length;

  g_assert_cmpuint (text->len, >, 256u << 10);
  for (guint i = 0; i < 4; i++)
    g_string_append_printf (tail, "%s\t这家酒店的服务很好，房间干净，早餐也不错。\n", cases[0].labels[i]);
  gbk = encode (tail->str, tail->len, "GBK", &length);
  g_string_append_len (text, gbk, length);
  path = tmp_dir_write (f, "mixed.tsv", text->str, text->len);

  ds1 = wl_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_null (ds1);
  g_assert_error (error, WL_ERROR, WL_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "mixed.tsv:6002: the label"));
  g_assert_nonnull (strstr (error->message, "looks like GB18030"));
  g_clear_error (&error);

  ds2 = wl_dataset_load (path, &utf8, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wl_dataset_get_n_rows (ds2), ==, 6004);
  g_assert_cmpuint (ds2->stats.repaired_utf8, >, 0);
  g_assert_cmpstr (ds2->stats.encoding, ==, "UTF-8");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  TMP_TEST ("/io/csv-encoding/encodings", test_encodings);
  TMP_TEST ("/io/csv-encoding/large-decoded", test_large_decoded);
  TMP_TEST ("/io/csv-encoding/ascii-then-latin", test_ascii_then_latin);
  TMP_TEST ("/io/csv-encoding/undecidable", test_undecidable);
  TMP_TEST ("/io/csv-encoding/label-needs-repair", test_label_needs_repair);

  return g_test_run ();
}
