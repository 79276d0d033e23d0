/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-read.c: runs, their series and checkpoints, as the store has them. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "store/wl-store-private.h"
#include "wl-error.h"

#define RUN_COLUMNS \
  "id, state, model, dataset_path, started, finished, epochs_run, n_epochs, best_epoch, " \
  "best_metric, metric, test_accuracy, test_macro_f1, notes, " \
  "config, output, dataset_size, dataset_hash, n_train, n_valid, n_test, labels, machine, " \
  "device, version, error, evaluation, attempts, updated, verdict"

static WlRunState
parse_state (const char *text)
{
  for (WlRunState s = WL_RUN_STATE_RUNNING; s <= WL_RUN_STATE_INTERRUPTED; s++)
    if (g_strcmp0 (text, wl_run_state_to_string (s)) == 0)
      return s;
  return WL_RUN_STATE_INTERRUPTED;
}

static WlStage
parse_stage (const char *text)
{
  for (WlStage s = 0; s < WL_N_STAGES; s++)
    if (g_strcmp0 (text, wl_stage_to_string (s)) == 0)
      return s;
  return WL_STAGE_TRAIN;
}

static WlRunRecord *
read_run (sqlite3_stmt *stmt,
          gboolean      details)
{
  WlRunRecord *r = g_new0 (WlRunRecord, 1);

  r->id = sqlite3_column_int64 (stmt, 0);
  r->state = parse_state ((const char *) sqlite3_column_text (stmt, 1));
  r->model = wl_store_column_text (stmt, 2);
  r->dataset = wl_store_column_text (stmt, 3);
  r->started = sqlite3_column_int64 (stmt, 4);
  r->finished = sqlite3_column_int64 (stmt, 5);
  r->epochs_run = (guint) sqlite3_column_int (stmt, 6);
  r->n_epochs = (guint) sqlite3_column_int (stmt, 7);
  r->best_epoch = (guint) sqlite3_column_int (stmt, 8);
  r->best_metric = wl_store_column_double (stmt, 9);
  r->metric = wl_store_column_text (stmt, 10);
  r->test_accuracy = wl_store_column_double (stmt, 11);
  r->test_macro_f1 = wl_store_column_double (stmt, 12);
  r->notes = wl_store_column_text (stmt, 13);
  if (!details)
    return r;

  r->config = wl_store_column_text (stmt, 14);
  r->output = wl_store_column_text (stmt, 15);
  r->dataset_size = sqlite3_column_int64 (stmt, 16);
  r->dataset_hash = wl_store_column_text (stmt, 17);
  r->n_train = (guint64) sqlite3_column_int64 (stmt, 18);
  r->n_valid = (guint64) sqlite3_column_int64 (stmt, 19);
  r->n_test = (guint64) sqlite3_column_int64 (stmt, 20);
  r->labels = wl_store_column_text (stmt, 21);
  r->machine = wl_store_column_text (stmt, 22);
  r->device = wl_store_column_text (stmt, 23);
  r->version = wl_store_column_text (stmt, 24);
  r->error = wl_store_column_text (stmt, 25);
  r->evaluation = wl_store_column_text (stmt, 26);
  r->attempts = (guint) sqlite3_column_int (stmt, 27);
  r->updated = sqlite3_column_int64 (stmt, 28);
  r->verdict = wl_store_column_text (stmt, 29);
  return r;
}

void
wl_run_record_free (WlRunRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->model);
  g_free (r->dataset);
  g_free (r->metric);
  g_free (r->notes);
  g_strfreev (r->tags);
  g_free (r->config);
  g_free (r->output);
  g_free (r->dataset_hash);
  g_free (r->labels);
  g_free (r->machine);
  g_free (r->device);
  g_free (r->version);
  g_free (r->error);
  g_free (r->evaluation);
  g_free (r->verdict);
  g_free (r);
}

/* Fills the tags of @runs (id → WlRunRecord *); @id 0: of every run. */
static gboolean
read_tags (WlStore     *store,
           GHashTable  *runs,
           gint64       id,
           GError     **error)
{
  g_autoptr(GHashTable) lists = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                       (GDestroyNotify) g_ptr_array_unref);
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer key, value;
  int rc;

  stmt = wl_store_prepare (store, "SELECT run_id, tag FROM tags WHERE ?1 = 0 OR run_id = ?1 "
                                  "ORDER BY run_id, tag", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 run_id = sqlite3_column_int64 (stmt, 0);
      WlRunRecord *record = g_hash_table_lookup (runs, &run_id);
      GPtrArray *list;

      if (record == NULL)
        continue;
      if ((list = g_hash_table_lookup (lists, &record->id)) == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (lists, &record->id, list);
        }
      g_ptr_array_add (list, wl_store_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return wl_store_fail (store, rc, error);

  g_hash_table_iter_init (&iter, runs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      WlRunRecord *record = value;
      GPtrArray *list = g_hash_table_lookup (lists, key);

      if (list == NULL)
        record->tags = g_new0 (char *, 1);
      else
        {
          g_hash_table_steal (lists, key);
          g_ptr_array_add (list, NULL);
          record->tags = (char **) g_ptr_array_free (list, FALSE);
        }
    }
  return TRUE;
}

GPtrArray *
wl_store_list_runs (WlStore  *store,
                    GError  **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) wl_run_record_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = wl_store_prepare (store, "SELECT " RUN_COLUMNS " FROM runs ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WlRunRecord *record = read_run (stmt, FALSE);

      g_ptr_array_add (runs, record);
      g_hash_table_insert (by_id, &record->id, record);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      wl_store_fail (store, rc, error);
      return NULL;
    }
  if (!read_tags (store, by_id, 0, error))
    return NULL;
  return g_steal_pointer (&runs);
}

WlRunRecord *
wl_store_get_run (WlStore  *store,
                  gint64    id,
                  GError  **error)
{
  g_autoptr(WlRunRecord) record = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = wl_store_prepare (store, "SELECT " RUN_COLUMNS " FROM runs WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = read_run (stmt, TRUE);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        wl_store_check_run (store, id, error);
      else
        wl_store_fail (store, rc, error);
      return NULL;
    }
  g_hash_table_insert (by_id, &record->id, record);
  if (!read_tags (store, by_id, id, error))
    return NULL;
  return g_steal_pointer (&record);
}

/* Series */

typedef void (*ReadRowFunc) (sqlite3_stmt *stmt,
                             gpointer      row);

/* Appends a row per result of @sql (bound to @id) to @array. */
static gboolean
read_series (WlStore      *store,
             const char   *sql,
             gint64        id,
             GArray       *array,
             ReadRowFunc   func,
             GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!wl_store_check_run (store, id, error) ||
      (stmt = wl_store_prepare (store, sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_array_set_size (array, array->len + 1);
      func (stmt, array->data + (array->len - 1) * g_array_get_element_size (array));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return wl_store_fail (store, rc, error);
  return TRUE;
}

static void
read_epoch (sqlite3_stmt *stmt,
            gpointer      row)
{
  WlEpochRecord *r = row;

  r->epoch = (guint) sqlite3_column_int (stmt, 0);
  r->elapsed = sqlite3_column_double (stmt, 1);
  r->train_loss = wl_store_column_double (stmt, 2);
  r->valid_loss = wl_store_column_double (stmt, 3);
  r->valid_accuracy = wl_store_column_double (stmt, 4);
  r->valid_macro_f1 = wl_store_column_double (stmt, 5);
  r->tokens_per_s = wl_store_column_double (stmt, 6);
  r->lr = wl_store_column_double (stmt, 7);
  r->is_best = sqlite3_column_int (stmt, 8) != 0;
}

GArray *
wl_store_get_epochs (WlStore  *store,
                     gint64    id,
                     GError  **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (WlEpochRecord));

  g_return_val_if_fail (store != NULL, NULL);
  if (!read_series (store, "SELECT epoch, elapsed, train_loss, valid_loss, valid_accuracy, "
                           "valid_macro_f1, tokens_per_s, lr, is_best FROM epochs "
                           "WHERE run_id = ? ORDER BY epoch", id, rows, read_epoch, error))
    return NULL;
  return g_steal_pointer (&rows);
}

static void
read_progress (sqlite3_stmt *stmt,
               gpointer      row)
{
  WlProgressRecord *r = row;

  r->elapsed = sqlite3_column_double (stmt, 0);
  r->stage = parse_stage ((const char *) sqlite3_column_text (stmt, 1));
  r->fraction = wl_store_column_double (stmt, 2);
  r->epoch = (guint) sqlite3_column_int (stmt, 3);
  r->train_loss = wl_store_column_double (stmt, 4);
  r->tokens_per_s = wl_store_column_double (stmt, 5);
  r->lr = wl_store_column_double (stmt, 6);
}

GArray *
wl_store_get_progress (WlStore  *store,
                       gint64    id,
                       GError  **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (WlProgressRecord));

  g_return_val_if_fail (store != NULL, NULL);
  if (!read_series (store, "SELECT elapsed, stage, fraction, epoch, train_loss, tokens_per_s, lr "
                           "FROM progress WHERE run_id = ? ORDER BY elapsed", id, rows,
                    read_progress, error))
    return NULL;
  return g_steal_pointer (&rows);
}

static void
read_stage (sqlite3_stmt *stmt,
            gpointer      row)
{
  WlStageRecord *r = row;

  r->stage = parse_stage ((const char *) sqlite3_column_text (stmt, 0));
  r->started = sqlite3_column_double (stmt, 1);
  r->seconds = sqlite3_column_double (stmt, 2);
}

GArray *
wl_store_get_stages (WlStore  *store,
                     gint64    id,
                     GError  **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (WlStageRecord));

  g_return_val_if_fail (store != NULL, NULL);
  if (!read_series (store, "SELECT stage, started, seconds FROM stages WHERE run_id = ? "
                           "ORDER BY started", id, rows, read_stage, error))
    return NULL;
  return g_steal_pointer (&rows);
}

static void
read_sample (sqlite3_stmt *stmt,
             gpointer      row)
{
  WlResourceSample *r = row;

  r->elapsed = sqlite3_column_double (stmt, 0);
  r->cpu_percent = wl_store_column_double (stmt, 1);
  r->rss_bytes = (guint64) sqlite3_column_int64 (stmt, 2);
  r->gpu_percent = wl_store_column_double (stmt, 3);
  r->gpu_memory_bytes = (guint64) sqlite3_column_int64 (stmt, 4);
}

GArray *
wl_store_get_samples (WlStore  *store,
                      gint64    id,
                      GError  **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (WlResourceSample));

  g_return_val_if_fail (store != NULL, NULL);
  if (!read_series (store, "SELECT elapsed, cpu_percent, rss_bytes, gpu_percent, gpu_memory_bytes "
                           "FROM samples WHERE run_id = ? ORDER BY elapsed", id, rows,
                    read_sample, error))
    return NULL;
  return g_steal_pointer (&rows);
}

static void
message_free (WlMessageRecord *record)
{
  g_free (record->text);
  g_free (record);
}

GPtrArray *
wl_store_get_messages (WlStore  *store,
                       gint64    id,
                       GError  **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) message_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);
  if (!wl_store_check_run (store, id, error) ||
      (stmt = wl_store_prepare (store, "SELECT elapsed, stage, text FROM messages "
                                       "WHERE run_id = ? ORDER BY elapsed", error)) == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WlMessageRecord *record = g_new0 (WlMessageRecord, 1);

      record->elapsed = sqlite3_column_double (stmt, 0);
      record->stage = parse_stage ((const char *) sqlite3_column_text (stmt, 1));
      record->text = wl_store_column_text (stmt, 2);
      g_ptr_array_add (rows, record);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      wl_store_fail (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* Checkpoints */

WlCheckpointRecord *
wl_store_get_checkpoint (WlStore           *store,
                         gint64             id,
                         WlCheckpointKind   kind,
                         GError           **error)
{
  g_autoptr(WlCheckpointRecord) record = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  if (!wl_store_check_run (store, id, error) ||
      (stmt = wl_store_prepare (store, "SELECT epoch, file, size, best_epoch, best_metric, since_best, "
                                       "elapsed FROM checkpoints WHERE run_id = ? AND kind = ?",
                                error)) == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, wl_checkpoint_kind_to_string (kind), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_autofree char *dir = wl_store_get_run_dir (store, id);

      record = g_new0 (WlCheckpointRecord, 1);
      record->kind = kind;
      record->epoch = (guint) sqlite3_column_int (stmt, 0);
      record->path = g_build_filename (dir, (const char *) sqlite3_column_text (stmt, 1), NULL);
      record->size = (guint64) sqlite3_column_int64 (stmt, 2);
      record->best_epoch = (guint) sqlite3_column_int (stmt, 3);
      record->best_metric = wl_store_column_double (stmt, 4);
      record->since_best = (guint) sqlite3_column_int (stmt, 5);
      record->elapsed = sqlite3_column_double (stmt, 6);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      wl_store_fail (store, rc, error);
      return NULL;
    }
  return g_steal_pointer (&record);
}

void
wl_checkpoint_record_free (WlCheckpointRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->path);
  g_free (record);
}
