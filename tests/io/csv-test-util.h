/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv-test-util.h: reading a generated file with WlCsvReader into memory,
 * and checking its rows; shared by the reader tests. */
#pragma once

#include <stdarg.h>
#include <string.h>

#include "io/wl-csv-reader.h"
#include "io-test-util.h"

typedef struct
{
  WlCsvReader *reader;
  GPtrArray   *rows;    /* GStrv */
  GArray      *lines;   /* guint64 */
  GError      *error;
} Parsed;

static inline void
parsed_free (Parsed *p)
{
  g_clear_pointer (&p->reader, wl_csv_reader_free);
  g_ptr_array_unref (p->rows);
  g_array_unref (p->lines);
  g_clear_error (&p->error);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Parsed, parsed_free)

static inline Parsed *
parse_file (const char         *path,
            const WlCsvOptions *options)
{
  Parsed *p = g_new0 (Parsed, 1);
  WlCsvRow row;

  p->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  p->lines = g_array_new (FALSE, FALSE, sizeof (guint64));
  p->reader = wl_csv_reader_new (path, options, NULL, &p->error);
  if (p->reader == NULL)
    return p;
  while (wl_csv_reader_next_row (p->reader, &row, &p->error))
    {
      char **fields = g_new0 (char *, row.n_fields + 1);

      for (guint i = 0; i < row.n_fields; i++)
        {
          g_assert_cmpuint (strlen (row.fields[i]), ==, row.lengths[i]);
          g_assert_true (g_utf8_validate (row.fields[i], -1, NULL));
          fields[i] = g_strdup (row.fields[i]);
        }
      g_ptr_array_add (p->rows, fields);
      g_array_append_val (p->lines, row.line);
    }
  return p;
}

static inline Parsed *
parse (TmpDir             *fixture,
       const char         *name,
       const char         *content,
       gssize              length,
       const WlCsvOptions *options)
{
  g_autofree char *path = tmp_dir_write (fixture, name, content, length);

  return parse_file (path, options);
}

/* Asserts row @i starts on @line and has the NULL-terminated fields. */
static inline void
assert_row (Parsed  *p,
            guint    i,
            guint64  line,
            ...)
{
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  const char *field;
  char **fields;
  va_list args;

  g_assert_cmpuint (i, <, p->rows->len);
  va_start (args, line);
  while ((field = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (expected, (gpointer) field);
  va_end (args);
  g_ptr_array_add (expected, NULL);

  fields = g_ptr_array_index (p->rows, i);
  g_assert_cmpstrv (fields, (const char * const *) expected->pdata);
  g_assert_cmpuint (g_array_index (p->lines, guint64, i), ==, line);
}
