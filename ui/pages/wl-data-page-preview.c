/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-data-page-preview.c: the Data page's preview table: a column per
 * field of the file, plus the line numbers, over a WlDataRows model.
 *
 * GTK 4.8 list views keep about 200 rows of cells and bind them all again
 * after a jump, so cells are GtkInscriptions (text that never asks for a
 * new size) and columns are made once per file; a change of the picks only
 * restyles the cells they have (each column's factory keeps its cells).  A
 * row still being read is bound as it is (empty) and its cells take their
 * text when it is read (notify::read), so its widgets stay. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "wl-data-page-private.h"
#include "wl-data-rows.h"

#define CHAR_WIDTH 8   /* px per character, for the columns' widths */

typedef struct
{
  guint      column;   /* in the file */
  GPtrArray *cells;    /* GtkInscription, set up and not finalized */
} ColumnCells;

static void
column_cells_free (gpointer data)
{
  ColumnCells *cells = data;

  g_ptr_array_unref (cells->cells);
  g_free (cells);
}

/* The picked columns stand out: the label in the accent colour, the
 * others not picked dimmed. */
static const char *
column_style (WlDataPage *self,
              guint       column)
{
  if ((int) column == self->label_column)
    return "accent";
  return wl_data_page_is_text_column (self, column) ? NULL : "dim-label";
}

static void
style_cell (GtkWidget  *cell,
            const char *style)
{
  gtk_widget_remove_css_class (cell, "accent");
  gtk_widget_remove_css_class (cell, "dim-label");
  if (style != NULL)
    gtk_widget_add_css_class (cell, style);
}

static GtkWidget *
cell_new (float xalign)
{
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), xalign);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_lines (GTK_INSCRIPTION (cell), 1);
  return cell;
}

/* A cell leaves the list when it is finalized: GTK 4.8's column view drops
 * cells of rows that items-changed replaced without a teardown. */
static void
cell_finalized (gpointer  data,
                GObject  *cell)
{
  GPtrArray *cells = data;

  g_ptr_array_remove_fast (cells, cell);
  g_ptr_array_unref (cells);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            WlDataPage               *self)
{
  ColumnCells *cells = g_object_get_data (G_OBJECT (factory), "cells");
  GtkWidget *cell = cell_new (0.0);

  style_cell (cell, column_style (self, cells->column));
  g_object_set_data (G_OBJECT (item), "column", GUINT_TO_POINTER (cells->column));
  g_ptr_array_add (cells->cells, cell);
  g_object_weak_ref (G_OBJECT (cell), cell_finalized, g_ptr_array_ref (cells->cells));
  gtk_list_item_set_child (item, cell);
}

static void
show_field (GtkListItem *item)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (item), "column"));

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)),
                            wl_data_row_get_field (gtk_list_item_get_item (item), column));
}

static void
on_row_read (WlDataRow   *row,
             GParamSpec  *pspec,
             GtkListItem *item)
{
  show_field (item);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           WlDataPage               *self)
{
  WlDataRow *row = gtk_list_item_get_item (item);

  show_field (item);
  if (!wl_data_row_get_read (row))
    g_signal_connect_object (row, "notify::read", G_CALLBACK (on_row_read), item, 0);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             WlDataPage               *self)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), on_row_read, item);
}

static void
setup_line_cell (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 gpointer                  user_data)
{
  GtkWidget *cell = cell_new (1.0);

  gtk_widget_add_css_class (cell, "dim-label");
  gtk_widget_add_css_class (cell, "numeric");
  gtk_list_item_set_child (item, cell);
}

static void
bind_line_cell (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  g_autofree char *line = wl_data_page_format_count (wl_data_row_get_line (gtk_list_item_get_item (item)));

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), line);
}

static void
add_column (WlDataPage         *self,
            const char         *title,
            GtkListItemFactory *factory,
            int                 width,
            gboolean            expand)
{
  GtkColumnViewColumn *column = gtk_column_view_column_new (title, factory);

  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_fixed_width (column, width);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_append_column (self->preview, column);
  g_object_unref (column);
}

void
wl_data_page_preview_clear (WlDataPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->preview);

  gtk_column_view_set_model (self->preview, NULL);
  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->preview, column);
    }
}

/* The titles and cells of the preview's columns after a change of picks. */
void
wl_data_page_preview_restyle (WlDataPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->preview);

  for (guint i = 1; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      ColumnCells *cells = g_object_get_data (G_OBJECT (gtk_column_view_column_get_factory (column)),
                                              "cells");
      const char *style = column_style (self, cells->column);
      g_autofree char *name = wl_data_page_column_title (self->index, cells->column);
      g_autofree char *title = NULL;

      if ((int) cells->column == self->label_column)
        /* Translators: the title of the preview's label column */
        title = g_strdup_printf (_("%s (label)"), name);
      else if (wl_data_page_is_text_column (self, cells->column))
        /* Translators: the title of a preview column picked as a text */
        title = g_strdup_printf (_("%s (text)"), name);
      gtk_column_view_column_set_title (column, title ? title : name);
      for (guint k = 0; k < cells->cells->len; k++)
        style_cell (g_ptr_array_index (cells->cells, k), style);
    }
}

/* One column per field, plus the line numbers; the longest column takes
 * the width left.  Then the rows. */
void
wl_data_page_preview_build (WlDataPage *self)
{
  guint n_columns = wl_csv_index_get_n_columns (self->index);
  int longest = wl_csv_index_suggest_text_column (self->index, -1);
  guint64 n_rows = wl_csv_index_get_n_rows (self->index);
  g_autofree char *last = wl_data_page_format_count (n_rows ? wl_csv_index_get_line (self->index,
                                                                                      n_rows - 1)
                                                            : 0);
  g_autoptr(GtkNoSelection) selection = NULL;
  GtkListItemFactory *factory;

  wl_data_page_preview_clear (self);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_line_cell), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_line_cell), NULL);
  /* Translators: the preview's first column: the line a row starts on */
  add_column (self, _("Line"), factory, (int) MAX (strlen (last) + 3, 7) * CHAR_WIDTH, FALSE);

  for (guint c = 0; c < n_columns; c++)
    {
      const WlCsvColumnStats *stats = wl_csv_index_get_column (self->index, c);
      g_autofree char *name = wl_data_page_column_title (self->index, c);
      ColumnCells *cells = g_new0 (ColumnCells, 1);
      int width = (int) CLAMP (stats->mean_length * 1.2 + 4, 8, 60) * CHAR_WIDTH;

      cells->column = c;
      cells->cells = g_ptr_array_new ();
      factory = gtk_signal_list_item_factory_new ();
      g_object_set_data_full (G_OBJECT (factory), "cells", cells, column_cells_free);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), self);
      add_column (self, name, factory, MAX (width, (int) strlen (name) * CHAR_WIDTH + 64),
                  (int) c == longest);
    }
  wl_data_page_preview_restyle (self);
  selection = gtk_no_selection_new (G_LIST_MODEL (wl_data_rows_new (self->index)));
  gtk_column_view_set_model (self->preview, GTK_SELECTION_MODEL (selection));
}
