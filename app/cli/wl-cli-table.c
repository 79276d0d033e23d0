/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-table.c: a table on the terminal, aligned by width on screen. */
#include "config.h"

#include <string.h>

#include "wl-cli-table.h"

struct _WlCliTable
{
  char      *align;
  guint      n_columns;
  GPtrArray *rows;   /* of NULL-terminated string arrays; the headings first */
};

WlCliTable *
wl_cli_table_new (const char         *align,
                  const char * const *headings)
{
  WlCliTable *table;

  g_return_val_if_fail (align != NULL && headings != NULL, NULL);
  g_return_val_if_fail (strlen (align) == g_strv_length ((char **) headings), NULL);

  table = g_new0 (WlCliTable, 1);
  table->align = g_strdup (align);
  table->n_columns = strlen (align);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_ptr_array_add (table->rows, g_strdupv ((char **) headings));
  return table;
}

void
wl_cli_table_add_row (WlCliTable  *table,
                      char       **cells)
{
  char **row;

  g_return_if_fail (table != NULL && cells != NULL);

  row = g_new0 (char *, table->n_columns + 1);
  memcpy (row, cells, table->n_columns * sizeof (char *));
  g_ptr_array_add (table->rows, row);
}

/* Columns that @text takes on a terminal. */
static gsize
screen_width (const char *text)
{
  gsize width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

void
wl_cli_table_print (const WlCliTable *table)
{
  g_autofree gsize *widths = g_new0 (gsize, table->n_columns);
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], screen_width (row[c]));
    }
  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);

      g_string_truncate (line, 0);
      for (guint c = 0; c < table->n_columns; c++)
        {
          gsize pad = widths[c] - screen_width (row[c]);
          gboolean last = c + 1 == table->n_columns;

          if (c > 0)
            g_string_append (line, "  ");
          if (table->align[c] == 'r')
            for (gsize i = 0; i < pad; i++)
              g_string_append_c (line, ' ');
          g_string_append (line, row[c]);
          /* No trailing blanks after the last column. */
          if (table->align[c] != 'r' && !last)
            for (gsize i = 0; i < pad; i++)
              g_string_append_c (line, ' ');
        }
      g_print ("%s\n", line->str);
    }
}

void
wl_cli_table_free (WlCliTable *table)
{
  if (table == NULL)
    return;
  g_free (table->align);
  g_ptr_array_unref (table->rows);
  g_free (table);
}
