/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-write.c: rows written while recording, notes, tags and deleting. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <unistd.h>

#include "store/wl-store-private.h"
#include "wl-error.h"

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

gint64
wl_store_insert_run (WlStore           *store,
                     const WlRunStart  *start,
                     GError           **error)
{
  sqlite3_stmt *stmt;
  gint64 now = now_seconds ();

  stmt = wl_store_prepare (store,
                           "INSERT INTO runs (model, config, output, dataset_path, dataset_size, "
                           "machine, device, version, host, pid, started, updated) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, start->model);
  bind_text (stmt, 2, start->config);
  bind_text (stmt, 3, start->output);
  bind_text (stmt, 4, start->dataset);
  sqlite3_bind_int64 (stmt, 5, start->dataset_size);
  bind_text (stmt, 6, start->machine);
  bind_text (stmt, 7, start->device);
  bind_text (stmt, 8, PACKAGE_VERSION);
  bind_text (stmt, 9, g_get_host_name ());
  sqlite3_bind_int64 (stmt, 10, getpid ());
  sqlite3_bind_int64 (stmt, 11, now);
  sqlite3_bind_int64 (stmt, 12, now);
  if (!wl_store_run (store, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (store->db);
}

gboolean
wl_store_restart_run (WlStore                   *store,
                      gint64                     id,
                      const WlCheckpointRecord  *last,
                      GError                   **error)
{
  static const char *drops[] = {
    "DELETE FROM epochs WHERE run_id = ?1 AND epoch > ?2",
    "DELETE FROM progress WHERE run_id = ?1 AND elapsed > ?3",
    "DELETE FROM stages WHERE run_id = ?1 AND started > ?3",
    "DELETE FROM samples WHERE run_id = ?1 AND elapsed > ?3",
    "DELETE FROM messages WHERE run_id = ?1 AND elapsed > ?3",
  };
  sqlite3_stmt *stmt;

  stmt = wl_store_prepare (store,
                           "UPDATE runs SET state = 'running', host = ?, pid = ?, updated = ?, "
                           "finished = NULL, error = NULL, evaluation = NULL, test_accuracy = NULL, "
                           "test_macro_f1 = NULL, epochs_run = ?, attempts = attempts + 1 "
                           "WHERE id = ? AND state != 'running'", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, g_get_host_name ());
  sqlite3_bind_int64 (stmt, 2, getpid ());
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  sqlite3_bind_int (stmt, 4, last ? (int) last->epoch : 0);
  sqlite3_bind_int64 (stmt, 5, id);
  if (!wl_store_run (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (store->db) == 0)
    {
      /* Resumed by another process since it was looked at. */
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("Run %lld is being trained by another process"), (long long) id);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (drops); i++)
    {
      if ((stmt = wl_store_prepare (store, drops[i], error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, (int) wl_store_kept_epoch (last));
      sqlite3_bind_double (stmt, 3, wl_store_kept_until (last));
      if (!wl_store_run (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
wl_store_insert_progress (WlStore                 *store,
                          gint64                   id,
                          const WlProgressRecord  *r,
                          GError                 **error)
{
  sqlite3_stmt *stmt;

  stmt = wl_store_prepare (store, "INSERT INTO progress (run_id, elapsed, stage, fraction, epoch, "
                                  "train_loss, tokens_per_s, lr) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_double (stmt, 2, r->elapsed);
  sqlite3_bind_text (stmt, 3, wl_stage_to_string (r->stage), -1, SQLITE_STATIC);
  wl_store_bind_double (stmt, 4, r->fraction);
  if (r->stage == WL_STAGE_TRAIN)
    sqlite3_bind_int (stmt, 5, (int) r->epoch);
  wl_store_bind_double (stmt, 6, r->train_loss);
  wl_store_bind_double (stmt, 7, r->tokens_per_s);
  wl_store_bind_double (stmt, 8, r->lr);
  return wl_store_run (store, stmt, error);
}

gboolean
wl_store_insert_epoch (WlStore              *store,
                       gint64                id,
                       const WlEpochRecord  *r,
                       guint                 n_epochs,
                       GError              **error)
{
  sqlite3_stmt *stmt;

  stmt = wl_store_prepare (store, "INSERT OR REPLACE INTO epochs (run_id, epoch, elapsed, train_loss, "
                                  "valid_loss, valid_accuracy, valid_macro_f1, tokens_per_s, lr, "
                                  "is_best) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, (int) r->epoch);
  sqlite3_bind_double (stmt, 3, r->elapsed);
  wl_store_bind_double (stmt, 4, r->train_loss);
  wl_store_bind_double (stmt, 5, r->valid_loss);
  wl_store_bind_double (stmt, 6, r->valid_accuracy);
  wl_store_bind_double (stmt, 7, r->valid_macro_f1);
  wl_store_bind_double (stmt, 8, r->tokens_per_s);
  wl_store_bind_double (stmt, 9, r->lr);
  sqlite3_bind_int (stmt, 10, r->is_best);
  if (!wl_store_run (store, stmt, error))
    return FALSE;

  stmt = wl_store_prepare (store, "UPDATE runs SET epochs_run = ?, n_epochs = ?, updated = ? "
                                  "WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, (int) r->epoch);
  sqlite3_bind_int (stmt, 2, (int) n_epochs);
  sqlite3_bind_int64 (stmt, 3, now_seconds ());
  sqlite3_bind_int64 (stmt, 4, id);
  return wl_store_run (store, stmt, error);
}

gboolean
wl_store_insert_stage (WlStore              *store,
                       gint64                id,
                       const WlStageRecord  *r,
                       GError              **error)
{
  sqlite3_stmt *stmt;

  stmt = wl_store_prepare (store, "INSERT INTO stages (run_id, stage, started, seconds) "
                                  "VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, wl_stage_to_string (r->stage), -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 3, r->started);
  sqlite3_bind_double (stmt, 4, r->seconds);
  return wl_store_run (store, stmt, error);
}

gboolean
wl_store_insert_sample (WlStore                 *store,
                        gint64                   id,
                        const WlResourceSample  *r,
                        GError                 **error)
{
  sqlite3_stmt *stmt;

  stmt = wl_store_prepare (store, "INSERT INTO samples (run_id, elapsed, cpu_percent, rss_bytes, "
                                  "gpu_percent, gpu_memory_bytes) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_double (stmt, 2, r->elapsed);
  wl_store_bind_double (stmt, 3, r->cpu_percent);
  sqlite3_bind_int64 (stmt, 4, (gint64) r->rss_bytes);
  wl_store_bind_double (stmt, 5, r->gpu_percent);
  sqlite3_bind_int64 (stmt, 6, (gint64) r->gpu_memory_bytes);
  return wl_store_run (store, stmt, error);
}

gboolean
wl_store_insert_message (WlStore                *store,
                         gint64                  id,
                         const WlMessageRecord  *r,
                         GError                **error)
{
  sqlite3_stmt *stmt;

  stmt = wl_store_prepare (store, "INSERT INTO messages (run_id, elapsed, stage, text) "
                                  "VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_double (stmt, 2, r->elapsed);
  sqlite3_bind_text (stmt, 3, wl_stage_to_string (r->stage), -1, SQLITE_STATIC);
  bind_text (stmt, 4, r->text);
  return wl_store_run (store, stmt, error);
}

gboolean
wl_store_set_run_text (WlStore     *store,
                       gint64       id,
                       const char  *column,
                       const char  *value,
                       GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE runs SET %s = ?, updated = ? WHERE id = ?", column);
  sqlite3_stmt *stmt = wl_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, value);
  sqlite3_bind_int64 (stmt, 2, now_seconds ());
  sqlite3_bind_int64 (stmt, 3, id);
  return wl_store_run (store, stmt, error);
}

gboolean
wl_store_set_split (WlStore     *store,
                    gint64       id,
                    guint64      n_train,
                    guint64      n_valid,
                    guint64      n_test,
                    const char  *labels,
                    GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = wl_store_prepare (store, "UPDATE runs SET n_train = ?, n_valid = ?, n_test = ?, labels = ? "
                                  "WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) n_train);
  sqlite3_bind_int64 (stmt, 2, (gint64) n_valid);
  sqlite3_bind_int64 (stmt, 3, (gint64) n_test);
  bind_text (stmt, 4, labels);
  sqlite3_bind_int64 (stmt, 5, id);
  return wl_store_run (store, stmt, error);
}

gboolean
wl_store_set_verdict (WlStore     *store,
                      gint64       id,
                      const char  *verdict,
                      GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = wl_store_prepare (store, "UPDATE runs SET verdict = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, verdict);
  sqlite3_bind_int64 (stmt, 2, id);
  return wl_store_run (store, stmt, error);
}

gboolean
wl_store_end_run (WlStore         *store,
                  gint64           id,
                  const WlRunEnd  *end,
                  GError         **error)
{
  sqlite3_stmt *stmt;
  gint64 now = now_seconds ();

  stmt = wl_store_prepare (store, "UPDATE runs SET state = ?, error = ?, evaluation = ?, "
                                  "test_accuracy = ?, test_macro_f1 = ?, epochs_run = ?, "
                                  "best_epoch = ?, best_metric = ?, finished = ?, updated = ? "
                                  "WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, wl_run_state_to_string (end->state), -1, SQLITE_STATIC);
  bind_text (stmt, 2, end->error);
  bind_text (stmt, 3, end->evaluation);
  wl_store_bind_double (stmt, 4, end->test_accuracy);
  wl_store_bind_double (stmt, 5, end->test_macro_f1);
  sqlite3_bind_int (stmt, 6, (int) end->epochs_run);
  if (end->best_epoch > 0)
    sqlite3_bind_int (stmt, 7, (int) end->best_epoch);
  wl_store_bind_double (stmt, 8, end->best_metric);
  sqlite3_bind_int64 (stmt, 9, now);
  sqlite3_bind_int64 (stmt, 10, now);
  sqlite3_bind_int64 (stmt, 11, id);
  return wl_store_run (store, stmt, error);
}

gboolean
wl_store_set_checkpoint (WlStore                   *store,
                         gint64                     id,
                         const WlCheckpointRecord  *r,
                         GError                   **error)
{
  sqlite3_stmt *stmt;

  stmt = wl_store_prepare (store, "INSERT OR REPLACE INTO checkpoints (run_id, kind, epoch, file, "
                                  "size, best_epoch, best_metric, since_best, elapsed, created) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, wl_checkpoint_kind_to_string (r->kind), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, (int) r->epoch);
  bind_text (stmt, 4, r->path);
  sqlite3_bind_int64 (stmt, 5, (gint64) r->size);
  sqlite3_bind_int (stmt, 6, (int) r->best_epoch);
  wl_store_bind_double (stmt, 7, r->best_metric);
  sqlite3_bind_int (stmt, 8, (int) r->since_best);
  sqlite3_bind_double (stmt, 9, r->elapsed);
  sqlite3_bind_int64 (stmt, 10, now_seconds ());
  if (!wl_store_run (store, stmt, error))
    return FALSE;
  if (r->kind != WL_CHECKPOINT_LAST)
    return TRUE;

  /* The trainer's state after the latest epoch says which was best. */
  stmt = wl_store_prepare (store, "UPDATE runs SET best_epoch = ?, best_metric = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  if (r->best_epoch > 0)
    sqlite3_bind_int (stmt, 1, (int) r->best_epoch);
  wl_store_bind_double (stmt, 2, r->best_metric);
  sqlite3_bind_int64 (stmt, 3, id);
  return wl_store_run (store, stmt, error);
}

gboolean
wl_store_drop_checkpoint (WlStore           *store,
                          gint64             id,
                          WlCheckpointKind   kind,
                          GError           **error)
{
  sqlite3_stmt *stmt;

  stmt = wl_store_prepare (store, "DELETE FROM checkpoints WHERE run_id = ? AND kind = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, wl_checkpoint_kind_to_string (kind), -1, SQLITE_STATIC);
  return wl_store_run (store, stmt, error);
}

/* Notes, tags, deleting: each one statement, so one transaction. */

static gboolean
run_on_run (WlStore     *store,
            const char  *sql,
            gint64       id,
            const char  *text,
            GError     **error)
{
  sqlite3_stmt *stmt;

  if (!wl_store_check_run (store, id, error) ||
      (stmt = wl_store_prepare (store, sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (text != NULL)
    sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  return wl_store_run (store, stmt, error);
}

gboolean
wl_store_set_notes (WlStore     *store,
                    gint64       id,
                    const char  *notes,
                    GError     **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return run_on_run (store, "UPDATE runs SET notes = ?2 WHERE id = ?1", id,
                     notes != NULL ? notes : "", error);
}

gboolean
wl_store_add_tag (WlStore     *store,
                  gint64       id,
                  const char  *tag,
                  GError     **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);

  if (*tag == '\0' || !g_utf8_validate (tag, -1, NULL))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("A tag must be non-empty UTF-8 text"));
      return FALSE;
    }
  return run_on_run (store, "INSERT OR IGNORE INTO tags (run_id, tag) VALUES (?1, ?2)", id, tag, error);
}

gboolean
wl_store_remove_tag (WlStore     *store,
                     gint64       id,
                     const char  *tag,
                     GError     **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (tag != NULL, FALSE);
  return run_on_run (store, "DELETE FROM tags WHERE run_id = ?1 AND tag = ?2", id, tag, error);
}

gboolean
wl_store_delete_run (WlStore  *store,
                     gint64    id,
                     GError  **error)
{
  g_autoptr(WlRunRecord) record = NULL;
  sqlite3_stmt *stmt;
  gboolean alive = FALSE;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);

  if ((record = wl_store_get_run (store, id, error)) == NULL)
    return FALSE;
  if (record->state == WL_RUN_STATE_RUNNING)
    {
      if ((stmt = wl_store_prepare (store, "SELECT host, pid FROM runs WHERE id = ?", error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
      alive = rc == SQLITE_ROW &&
              wl_store_process_alive ((const char *) sqlite3_column_text (stmt, 0),
                                      sqlite3_column_int64 (stmt, 1));
      sqlite3_reset (stmt);
    }
  if (alive)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("Run %lld is still being trained; stop it before deleting it"), (long long) id);
      return FALSE;
    }
  /* The rows first (their tables cascade): a crash then leaves files that
   * no row points at, never a row without its files. */
  if (!run_on_run (store, "DELETE FROM runs WHERE id = ?1", id, NULL, error))
    return FALSE;
  wl_store_remove_run_dir (store, id);
  return TRUE;
}
