/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-csv-index-rows.c: a block of an index's rows read on a worker thread,
 * so that a front end's table never reads the file on its main thread. */
#include "config.h"

#include "io/wl-csv-index.h"

void
wl_csv_index_row_free (WlCsvIndexRow *row)
{
  if (row == NULL)
    return;
  g_strfreev (row->fields);
  g_clear_error (&row->error);
  g_free (row);
}

typedef struct
{
  WlCsvIndex *index;
  guint64     first;
  guint       n_rows;
} ReadRows;

static void
read_rows_free (ReadRows *data)
{
  wl_csv_index_unref (data->index);
  g_free (data);
}

static void
read_rows_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ReadRows *data = task_data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) wl_csv_index_row_free);
  guint64 end = MIN (data->first + data->n_rows, wl_csv_index_get_n_rows (data->index));

  for (guint64 r = data->first; r < end; r++)
    {
      WlCsvIndexRow *row = g_new0 (WlCsvIndexRow, 1);

      if (g_task_return_error_if_cancelled (task))
        {
          wl_csv_index_row_free (row);
          return;
        }
      row->line = wl_csv_index_get_line (data->index, r);
      row->fields = wl_csv_index_read_row (data->index, r, &row->error);
      g_ptr_array_add (rows, row);
    }
  g_task_return_pointer (task, g_steal_pointer (&rows), (GDestroyNotify) g_ptr_array_unref);
}

void
wl_csv_index_read_rows_async (WlCsvIndex          *index,
                              guint64              first,
                              guint                n_rows,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadRows *data;

  g_return_if_fail (index != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wl_csv_index_read_rows_async);
  data = g_new0 (ReadRows, 1);
  data->index = wl_csv_index_ref (index);
  data->first = first;
  data->n_rows = n_rows;
  g_task_set_task_data (task, data, (GDestroyNotify) read_rows_free);
  g_task_run_in_thread (task, read_rows_thread);
}

GPtrArray *
wl_csv_index_read_rows_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wl_csv_index_read_rows_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
