/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-data-rows.c: a list model over a WlCsvIndex whose items are read when
 * a view asks for them, a block at a time on a worker: an item not read yet
 * is a placeholder with empty fields, filled in (notify::read) when its
 * block arrives; every placeholder handed out is kept until then, so none
 * is left empty when its cache slot goes to another row.  Replacing the
 * items instead (items-changed) would make GTK 4.8's column view drop and
 * build again every cell of the block's rows: 64 rows of widgets, each with
 * its own Pango context, on the main thread for every block. */
#include "config.h"

#include <string.h>

#include "wl-data-rows.h"

#define CELL_CHARS  160   /* longer fields are cut for the table */
#define CACHE_SIZE  256   /* items kept, by position modulo the size */
#define BLOCK_SIZE  64    /* rows read together */

struct _WlDataRow
{
  GObject   parent_instance;
  guint64   line;
  char    **fields;
};

G_DEFINE_FINAL_TYPE (WlDataRow, wl_data_row, G_TYPE_OBJECT)

enum {
  ROW_PROP_0,
  ROW_PROP_READ,
  N_ROW_PROPS
};

static GParamSpec *row_properties[N_ROW_PROPS];

static void
wl_data_row_finalize (GObject *object)
{
  g_strfreev (WL_DATA_ROW (object)->fields);
  G_OBJECT_CLASS (wl_data_row_parent_class)->finalize (object);
}

static void
wl_data_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  switch (prop_id)
    {
    case ROW_PROP_READ:
      g_value_set_boolean (value, wl_data_row_get_read (WL_DATA_ROW (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_data_row_class_init (WlDataRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = wl_data_row_get_property;
  object_class->finalize = wl_data_row_finalize;

  row_properties[ROW_PROP_READ] =
    g_param_spec_boolean ("read", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_ROW_PROPS, row_properties);
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

/* A placeholder for a row not read yet (@fields NULL). */
static WlDataRow *
wl_data_row_new (guint64 line)
{
  WlDataRow *self = g_object_new (WL_TYPE_DATA_ROW, NULL);

  self->line = line;
  return self;
}

/* The placeholder takes the fields of @read (or its error) and says so. */
static void
wl_data_row_fill (WlDataRow     *self,
                  WlCsvIndexRow *read)
{
  g_assert (self->fields == NULL);

  if (read->fields == NULL)
    {
      self->fields = g_new0 (char *, 2);
      self->fields[0] = g_strdup (read->error->message);
    }
  else
    {
      self->fields = g_new0 (char *, g_strv_length (read->fields) + 1);
      for (guint i = 0; read->fields[i] != NULL; i++)
        self->fields[i] = cell_text (read->fields[i]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), row_properties[ROW_PROP_READ]);
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

  if (self->fields == NULL)
    return "";
  for (guint i = 0; i < column; i++)
    if (self->fields[i] == NULL)
      return "";
  return self->fields[column] ? self->fields[column] : "";
}

gboolean
wl_data_row_get_read (WlDataRow *self)
{
  g_return_val_if_fail (WL_IS_DATA_ROW (self), FALSE);
  return self->fields != NULL;
}

/* The model */

struct _WlDataRows
{
  GObject     parent_instance;
  WlCsvIndex *index;
  guint       n_items;
  WlDataRow  *cache[CACHE_SIZE];
  guint       cached_at[CACHE_SIZE];
  GHashTable *pending;             /* blocks being read */
  GHashTable *waiting;             /* position → the placeholder its block fills */
  GCancellable *cancellable;
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

typedef struct
{
  GWeakRef    self;
  guint       first;
} BlockRead;

/* Fills in the placeholders of the rows read; a row that no view asked
 * for goes into the cache only where its slot is free. */
static void
block_read (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  BlockRead *block = user_data;
  g_autoptr(WlDataRows) self = g_weak_ref_get (&block->self);
  g_autoptr(GPtrArray) rows = wl_csv_index_read_rows_finish (result, NULL);
  guint first = block->first;

  g_weak_ref_clear (&block->self);
  g_free (block);
  if (rows == NULL || self == NULL)
    return;   /* cancelled: the model went away */
  g_hash_table_remove (self->pending, GUINT_TO_POINTER (first / BLOCK_SIZE));
  for (guint i = 0; i < rows->len; i++)
    {
      WlCsvIndexRow *read = g_ptr_array_index (rows, i);
      guint slot = (first + i) % CACHE_SIZE;
      g_autoptr(WlDataRow) row = NULL;

      if (!g_hash_table_steal_extended (self->waiting, GUINT_TO_POINTER (first + i), NULL,
                                        (gpointer *) &row))
        {
          if (self->cache[slot] != NULL)
            continue;
          row = wl_data_row_new (read->line);
          self->cache[slot] = g_object_ref (row);
          self->cached_at[slot] = first + i;
        }
      wl_data_row_fill (row, read);
    }
}

static void
read_block (WlDataRows *self,
            guint       position)
{
  guint block = position / BLOCK_SIZE;
  BlockRead *data;

  if (g_hash_table_contains (self->pending, GUINT_TO_POINTER (block)))
    return;
  g_hash_table_add (self->pending, GUINT_TO_POINTER (block));
  data = g_new0 (BlockRead, 1);
  g_weak_ref_init (&data->self, self);
  data->first = block * BLOCK_SIZE;
  wl_csv_index_read_rows_async (self->index, data->first, BLOCK_SIZE, self->cancellable,
                                block_read, data);
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
      WlDataRow *row = g_hash_table_lookup (self->waiting, GUINT_TO_POINTER (position));

      if (row == NULL)
        {
          row = wl_data_row_new (wl_csv_index_get_line (self->index, position));
          g_hash_table_insert (self->waiting, GUINT_TO_POINTER (position), row);
          read_block (self, position);
        }
      g_clear_object (&self->cache[slot]);
      self->cache[slot] = g_object_ref (row);
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
wl_data_rows_dispose (GObject *object)
{
  WlDataRows *self = WL_DATA_ROWS (object);

  g_cancellable_cancel (self->cancellable);
  for (guint i = 0; i < CACHE_SIZE; i++)
    g_clear_object (&self->cache[i]);
  g_hash_table_remove_all (self->waiting);
  G_OBJECT_CLASS (wl_data_rows_parent_class)->dispose (object);
}

static void
wl_data_rows_finalize (GObject *object)
{
  WlDataRows *self = WL_DATA_ROWS (object);

  g_object_unref (self->cancellable);
  g_hash_table_unref (self->pending);
  g_hash_table_unref (self->waiting);
  wl_csv_index_unref (self->index);
  G_OBJECT_CLASS (wl_data_rows_parent_class)->finalize (object);
}

static void
wl_data_rows_class_init (WlDataRowsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wl_data_rows_dispose;
  object_class->finalize = wl_data_rows_finalize;
}

static void
wl_data_rows_init (WlDataRows *self)
{
  self->pending = g_hash_table_new (NULL, NULL);
  self->waiting = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->cancellable = g_cancellable_new ();
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
