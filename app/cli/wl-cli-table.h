/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-table.h: a table on the terminal: headings and rows of text,
 * columns as wide as their widest cell on screen (a CJK character takes
 * two columns, so translated headings stay aligned), two spaces apart. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _WlCliTable WlCliTable;

/* @align: one character a column, 'l' (left) or 'r' (right);
 * @headings: that many, NULL-terminated. */
WlCliTable *wl_cli_table_new      (const char          *align,
                                   const char * const  *headings);
/* Takes a row of as many cells as there are columns; the table frees them. */
void        wl_cli_table_add_row  (WlCliTable          *table,
                                   char               **cells);
/* Prints the headings and the rows with g_print(). */
void        wl_cli_table_print    (const WlCliTable    *table);
void        wl_cli_table_free     (WlCliTable          *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlCliTable, wl_cli_table_free)

G_END_DECLS
