/* wl-data-rows.c: a list model over a WlCsvIndex whose items are read when
 * a view asks for them. */
#include "config.h"

#include <string.h>

#include "wl-data-rows.h"

#define CELL_CHARS  160   /* longer fields are cut for the table */
#define CACHE_SIZE  256   /* items kept, by position modulo the size */

struct _WlDataRow
{
  GObject   parent_instance;
  guint64   line;
  char    **fields;
};

G_DEFINE_FINAL_TYPE (WlDataRow, wl_data_row, G_TYPE_OBJECT)

static void
wl_data_row_finalize (GObject *object)
{
  g_strfreev (WL_DATA_ROW (object)->fields);
  G_OBJECT_CLASS (wl_data_row_parent_class)->finalize (object);
}

static void
wl_data_row_class_init (WlDataRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wl_data_row_finalize;
}

static void
wl_data_row_init (WlDataRow *self)
{
}

/* @text on one line, at most CELL_CHARS characters. */
static char *
cell_text (const char *text)
{
  GString *cell = g_string_sized_new (MIN (strlen (text), 4 * CELL_CHARS) + 8);
  guint n = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      if (n == CELL_CHARS)
        {
          g_string_append (cell, "…");
          break;
        }
      if (*p == '\n' || *p == '\r')
        {
          if (*p == '\r' && p[1] == '\n')
            p++;
          g_string_append (cell, " ↵ ");
        }
      else if (*p == '\t')
        g_string_append_c (cell, ' ');
      else
        g_string_append_len (cell, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (cell, FALSE);
}

static WlDataRow *
wl_data_row_new (WlCsvIndex *index,
                 guint64     row)
{
  WlDataRow *self = g_object_new (WL_TYPE_DATA_ROW, NULL);
  g_autoptr(GError) error = NULL;
  char **fields;

  self->line = wl_csv_index_get_line (index, row);
  fields = wl_csv_index_read_row (index, row, &error);
  if (fields == NULL)
    {
      self->fields = g_new0 (char *, 2);
      self->fields[0] = g_strdup (error->message);
      return self;
    }
  for (guint i = 0; fields[i] != NULL; i++)
    {
      char *cell = cell_text (fields[i]);

      g_free (fields[i]);
      fields[i] = cell;
    }
  self->fields = fields;
  return self;
}

guint64
wl_data_row_get_line (WlDataRow *self)
{
  g_return_val_if_fail (WL_IS_DATA_ROW (self), 0);
  return self->line;
}

const char *
wl_data_row_get_field (WlDataRow *self,
                       guint      column)
{
  g_return_val_if_fail (WL_IS_DATA_ROW (self), NULL);

  for (guint i = 0; i < column; i++)
    if (self->fields[i] == NULL)
      return "";
  return self->fields[column] ? self->fields[column] : "";
}

/* The model */

struct _WlDataRows
{
  GObject     parent_instance;
  WlCsvIndex *index;
  guint       n_items;
  WlDataRow  *cache[CACHE_SIZE];
  guint       cached_at[CACHE_SIZE];
};

static GType
wl_data_rows_get_item_type (GListModel *model)
{
  return WL_TYPE_DATA_ROW;
}

static guint
wl_data_rows_get_n_items (GListModel *model)
{
  return WL_DATA_ROWS (model)->n_items;
}

static gpointer
wl_data_rows_get_item (GListModel *model,
                       guint       position)
{
  WlDataRows *self = WL_DATA_ROWS (model);
  guint slot = position % CACHE_SIZE;

  if (position >= self->n_items)
    return NULL;
  if (self->cache[slot] == NULL || self->cached_at[slot] != position)
    {
      g_clear_object (&self->cache[slot]);
      self->cache[slot] = wl_data_row_new (self->index, position);
      self->cached_at[slot] = position;
    }
  return g_object_ref (self->cache[slot]);
}

static void
wl_data_rows_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = wl_data_rows_get_item_type;
  iface->get_n_items = wl_data_rows_get_n_items;
  iface->get_item = wl_data_rows_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (WlDataRows, wl_data_rows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      wl_data_rows_list_model_init))

static void
wl_data_rows_finalize (GObject *object)
{
  WlDataRows *self = WL_DATA_ROWS (object);

  for (guint i = 0; i < CACHE_SIZE; i++)
    g_clear_object (&self->cache[i]);
  wl_csv_index_unref (self->index);
  G_OBJECT_CLASS (wl_data_rows_parent_class)->finalize (object);
}

static void
wl_data_rows_class_init (WlDataRowsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wl_data_rows_finalize;
}

static void
wl_data_rows_init (WlDataRows *self)
{
}

WlDataRows *
wl_data_rows_new (WlCsvIndex *index)
{
  WlDataRows *self;

  g_return_val_if_fail (index != NULL, NULL);

  self = g_object_new (WL_TYPE_DATA_ROWS, NULL);
  self->index = wl_csv_index_ref (index);
  self->n_items = (guint) MIN (wl_csv_index_get_n_rows (index), G_MAXUINT);
  return self;
}
