/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-csv-reader.c: libFuzzer target for the CSV/TSV reader.
 *
 * The first byte picks the options (separator, quotes, header, skipping
 * bad rows, a small row limit); the rest is the file, written to an
 * in-memory file because the reader's public API reads paths.  Every row
 * is read, the reader seeks back to the second row and reads on, and what
 * it reports must hold together (see check_row). */
#include "config.h"

#include <sys/mman.h>
#include <unistd.h>

#include "io/wl-csv-reader.h"
#include "wl-error.h"

static char *path;
static int fd = -1;

/* An in-memory file (memfd), rewritten in place for each input: the
 * reader opens it by its /proc path. */
static void
write_file (const guint8 *data,
            gsize         size)
{
  if (fd < 0)
    {
      fd = memfd_create ("wl-fuzz-csv", 0);
      g_assert_cmpint (fd, >=, 0);
      path = g_strdup_printf ("/proc/self/fd/%d", fd);
    }
  g_assert_cmpint (ftruncate (fd, 0), ==, 0);
  g_assert_cmpint (pwrite (fd, data, size, 0), ==, (gssize) size);
}

static void
check_row (const WlCsvReader *reader,
           const WlCsvRow    *row,
           guint64            last_line)
{
  g_assert_cmpuint (row->n_fields, >, 0);
  g_assert_cmpuint (row->line, >=, last_line);
  for (guint i = 0; i < row->n_fields; i++)
    g_assert_true (g_utf8_validate_len (row->fields[i], row->lengths[i], NULL));
  /* Offsets are in the decoded text: within the file's bytes only when
   * the file is read as it is (UTF-8). */
  if (g_str_equal (wl_csv_reader_get_encoding (reader), "UTF-8"))
    g_assert_cmpuint (wl_csv_reader_get_row_offset (reader), <=, wl_csv_reader_get_size (reader));
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const gunichar separators[] = { 0, ',', '\t', ';' };
  g_autoptr(WlCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  WlCsvOptions options = { 0 };
  WlCsvRow row;
  guint64 second_offset = 0, second_line = 0, last_line = 0, rows = 0;

  if (size == 0)
    return 0;
  options.separator = separators[data[0] & 3];
  options.quotes = (data[0] >> 2) % 3;      /* auto, rfc4180, none */
  options.header = (data[0] >> 4) % 3;      /* auto, yes, no */
  options.skip_bad_rows = (data[0] >> 6) & 1;
  options.max_row_bytes = data[0] & 0x80 ? 64 : 0;
  write_file (data + 1, size - 1);

  reader = wl_csv_reader_new (path, &options, NULL, &error);
  if (reader == NULL)
    {
      g_assert_true (error != NULL && error->domain == WL_ERROR && *error->message != '\0');
      return 0;
    }
  g_assert_cmpuint (wl_csv_reader_get_quotes (reader), !=, WL_QUOTES_AUTO);
  for (guint i = 0; i < wl_csv_reader_get_n_columns (reader); i++)
    g_assert_true (wl_csv_reader_get_sample_mean_length (reader, i) >= 0.0);

  while (wl_csv_reader_next_row (reader, &row, &error))
    {
      check_row (reader, &row, last_line);
      last_line = row.line;
      if (++rows == 2)
        {
          second_offset = wl_csv_reader_get_row_offset (reader);
          second_line = row.line;
        }
    }
  if (error != NULL)
    {
      g_assert_true (error->domain == WL_ERROR && *error->message != '\0');
      return 0;
    }
  g_assert_cmpuint (wl_csv_reader_get_counts (reader)->rows, ==, rows);

  /* Seek back to the second row: the same row comes out again. */
  if (rows >= 2)
    {
      g_assert_true (wl_csv_reader_seek (reader, second_offset, second_line, &error));
      g_assert_no_error (error);
      g_assert_true (wl_csv_reader_next_row (reader, &row, &error));
      g_assert_cmpuint (row.line, ==, second_line);
    }
  return 0;
}
