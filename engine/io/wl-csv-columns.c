/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-csv-columns.c: per-column statistics gathered while a file is
 * indexed: lengths, empty values, value counts, empty-column patterns. */
#include "config.h"

#include <string.h>

#include "io/wl-csv-columns.h"

#define MAX_MASKS    4096           /* patterns of empty columns tracked */
#define MASK_COLUMNS 64             /* columns a pattern covers */

typedef struct
{
  WlCsvColumnStats stats;
  guint64          length_sum;
  GHashTable      *ids;       /* value -> its position + 1 in names; NULL once uncountable */
  GPtrArray       *names;     /* char *, first-seen order */
  GArray          *counts;    /* guint64, parallel to names */
  WlCsvValueCount *values;
} Column;

typedef struct
{
  guint64 mask;               /* bit c: column c is empty */
  guint64 count;
} MaskCount;

struct _WlCsvColumns
{
  guint       n_columns;
  Column     *columns;        /* NULL before the first row */
  GHashTable *masks;          /* &MaskCount.mask -> MaskCount; NULL when untracked */
  MaskCount  *last_mask;
  GString    *scratch;
};

static void
column_init (Column *column)
{
  column->ids = g_hash_table_new (g_str_hash, g_str_equal);
  column->names = g_ptr_array_new_with_free_func (g_free);
  column->counts = g_array_new (FALSE, FALSE, sizeof (guint64));
}

static void
column_stop_counting (Column *column)
{
  g_clear_pointer (&column->ids, g_hash_table_unref);
  g_clear_pointer (&column->names, g_ptr_array_unref);
  g_clear_pointer (&column->counts, g_array_unref);
}

static void
column_count (Column     *column,
              const char *value,
              gsize       length,
              GString    *scratch)
{
  gpointer position;
  char *copy;

  /* Fields are NUL-terminated: copy only when the end was trimmed. */
  if (value[length] != '\0')
    {
      g_string_truncate (scratch, 0);
      g_string_append_len (scratch, value, length);
      value = scratch->str;
    }
  if ((position = g_hash_table_lookup (column->ids, value)) != NULL)
    {
      g_array_index (column->counts, guint64, GPOINTER_TO_UINT (position) - 1)++;
      return;
    }
  if (column->names->len == WL_CSV_INDEX_MAX_VALUES)
    {
      column_stop_counting (column);
      return;
    }
  copy = g_strndup (value, length);
  g_ptr_array_add (column->names, copy);
  g_array_append_val (column->counts, (guint64) { 1 });
  g_hash_table_insert (column->ids, copy, GUINT_TO_POINTER (column->names->len));
}

static int
compare_counts (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  guint64 count_a = ((const WlCsvValueCount *) a)->count;
  guint64 count_b = ((const WlCsvValueCount *) b)->count;

  return count_a < count_b ? 1 : count_a > count_b ? -1 : 0;
}

static void
column_finish (Column  *column,
               guint64  n_rows)
{
  column->stats.mean_length = n_rows ? (double) column->length_sum / n_rows : 0.0;
  if (column->ids == NULL)
    return;
  g_clear_pointer (&column->ids, g_hash_table_unref);
  column->stats.countable = TRUE;
  column->stats.n_values = column->names->len;
  column->values = g_new (WlCsvValueCount, column->names->len + 1);
  for (guint i = 0; i < column->names->len; i++)
    column->values[i] = (WlCsvValueCount) { g_ptr_array_index (column->names, i),
                                            g_array_index (column->counts, guint64, i) };
  /* A stable sort keeps equal counts in first-seen order. */
  g_qsort_with_data (column->values, column->names->len, sizeof (WlCsvValueCount),
                     compare_counts, NULL);
  column->stats.values = column->values;
  g_clear_pointer (&column->counts, g_array_unref);
}

static void
column_clear (Column *column)
{
  column_stop_counting (column);
  g_free (column->values);
}

static void
set_n_columns (WlCsvColumns *self,
               guint         n_columns)
{
  self->n_columns = n_columns;
  self->columns = g_new0 (Column, n_columns);
  for (guint c = 0; c < n_columns; c++)
    column_init (&self->columns[c]);
}

static void
count_mask (WlCsvColumns *self,
            guint64       mask)
{
  MaskCount *entry = self->last_mask;

  if (entry == NULL || entry->mask != mask)
    entry = g_hash_table_lookup (self->masks, &mask);
  if (entry == NULL)
    {
      if (g_hash_table_size (self->masks) == MAX_MASKS)
        {
          g_clear_pointer (&self->masks, g_hash_table_unref);
          self->last_mask = NULL;
          return;
        }
      entry = g_new0 (MaskCount, 1);
      entry->mask = mask;
      g_hash_table_insert (self->masks, &entry->mask, entry);
    }
  entry->count++;
  self->last_mask = entry;
}

WlCsvColumns *
wl_csv_columns_new (void)
{
  WlCsvColumns *self = g_new0 (WlCsvColumns, 1);

  self->masks = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  self->scratch = g_string_new (NULL);
  return self;
}

void
wl_csv_columns_free (WlCsvColumns *self)
{
  if (self == NULL)
    return;
  for (guint c = 0; self->columns != NULL && c < self->n_columns; c++)
    column_clear (&self->columns[c]);
  g_free (self->columns);
  g_clear_pointer (&self->masks, g_hash_table_unref);
  g_string_free (self->scratch, TRUE);
  g_free (self);
}

void
wl_csv_columns_add_row (WlCsvColumns   *self,
                        const WlCsvRow *row)
{
  guint64 mask = 0;

  if (self->columns == NULL)
    set_n_columns (self, row->n_fields);
  for (guint c = 0; c < row->n_fields; c++)
    {
      Column *column = &self->columns[c];
      const char *value;
      gsize length;

      wl_csv_trim (row->fields[c], row->lengths[c], &value, &length);
      column->length_sum += length;
      if (length == 0)
        {
          column->stats.empty++;
          if (c < MASK_COLUMNS)
            mask |= G_GUINT64_CONSTANT (1) << c;
        }
      else if (column->ids != NULL)
        column_count (column, value, length, self->scratch);
    }
  if (self->masks != NULL)
    count_mask (self, mask);
}

void
wl_csv_columns_finish (WlCsvColumns *self,
                       guint         n_columns,
                       guint64       n_rows)
{
  if (self->columns == NULL)
    set_n_columns (self, n_columns);
  for (guint c = 0; c < self->n_columns; c++)
    column_finish (&self->columns[c], n_rows);
  self->last_mask = NULL;
}

guint
wl_csv_columns_get_n_columns (const WlCsvColumns *self)
{
  return self->n_columns;
}

const WlCsvColumnStats *
wl_csv_columns_get (const WlCsvColumns *self,
                    guint               column)
{
  return &self->columns[column].stats;
}

gboolean
wl_csv_columns_count_empty (const WlCsvColumns *self,
                            const guint        *text_columns,
                            guint               n_text_columns,
                            int                 label_column,
                            guint64            *empty_texts,
                            guint64            *empty_labels)
{
  GHashTableIter iter;
  MaskCount *entry;
  guint64 text_mask = 0, label_mask = 0;

  *empty_texts = *empty_labels = 0;
  if (self->masks == NULL || label_column >= MASK_COLUMNS)
    return FALSE;
  for (guint i = 0; i < n_text_columns; i++)
    {
      if (text_columns[i] >= MASK_COLUMNS)
        return FALSE;
      text_mask |= G_GUINT64_CONSTANT (1) << text_columns[i];
    }
  if (label_column >= 0)
    label_mask = G_GUINT64_CONSTANT (1) << label_column;

  g_hash_table_iter_init (&iter, self->masks);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      if ((entry->mask & text_mask) == text_mask)
        *empty_texts += entry->count;
      else if (entry->mask & label_mask)
        *empty_labels += entry->count;
    }
  return TRUE;
}

static gboolean
is_label_name (const char *name)
{
  static const char * const usual[] = {
    "label", "labels", "class", "category", "categories", "sentiment", "target",
    "topic", "intent", "polarity", "emotion", "tag", "y",
  };
  g_autofree char *key = g_utf8_casefold (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (usual); i++)
    if (strcmp (key, usual[i]) == 0)
      return TRUE;
  return FALSE;
}

int
wl_csv_columns_suggest_label (const WlCsvColumns *self,
                              const char * const *header,
                              guint64             n_rows)
{
  int best = -1;

  for (guint c = 0; header != NULL && c < self->n_columns; c++)
    if (self->columns[c].stats.countable && is_label_name (header[c]))
      return (int) c;
  for (guint c = 0; c < self->n_columns; c++)
    {
      const WlCsvColumnStats *stats = &self->columns[c].stats;
      guint64 filled = n_rows - stats->empty;

      if (stats->countable && stats->n_values >= 2 && stats->n_values * 2 <= filled &&
          (best < 0 || stats->n_values < self->columns[best].stats.n_values))
        best = (int) c;
    }
  return best;
}

int
wl_csv_columns_suggest_text (const WlCsvColumns *self,
                             const char * const *names,
                             int                 label_column)
{
  int best = -1;

  for (guint c = 0; c < self->n_columns; c++)
    if ((int) c != label_column && g_ascii_strcasecmp (names[c], "text") == 0)
      return (int) c;
  for (guint c = 0; c < self->n_columns; c++)
    if ((int) c != label_column &&
        (best < 0 || self->columns[c].stats.mean_length > self->columns[best].stats.mean_length))
      best = (int) c;
  return best;
}
