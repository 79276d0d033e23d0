/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-schema.c: the store's tables, versioned by PRAGMA user_version.
 *
 * migrations[i] takes a database from version i to version i + 1.  They
 * are never edited once released: a change is a new step at the end, and
 * tests/store/test-store-schema.c migrates a database of every earlier
 * version, with rows in it, to the latest.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "store/wl-store-private.h"
#include "wl-error.h"

static const char *migrations[] = {
  /* 0 → 1: runs and what they record */
  "CREATE TABLE runs ("
  "  id            INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  state         TEXT NOT NULL DEFAULT 'running' CHECK (state IN"
  "                ('running', 'finished', 'failed', 'cancelled', 'interrupted')),"
  "  model         TEXT NOT NULL,"
  "  config        TEXT NOT NULL,"
  "  output        TEXT,"
  "  dataset_path  TEXT,"
  "  dataset_size  INTEGER,"
  "  dataset_hash  TEXT,"
  "  n_train       INTEGER,"
  "  n_valid       INTEGER,"
  "  n_test        INTEGER,"
  "  labels        TEXT,"
  "  machine       TEXT,"
  "  device        TEXT,"
  "  version       TEXT NOT NULL,"
  "  host          TEXT,"
  "  pid           INTEGER,"
  "  started       INTEGER NOT NULL,"
  "  updated       INTEGER NOT NULL,"
  "  finished      INTEGER,"
  "  epochs_run    INTEGER NOT NULL DEFAULT 0,"
  "  n_epochs      INTEGER,"
  "  best_epoch    INTEGER,"
  "  best_metric   REAL,"
  "  metric        TEXT,"
  "  test_accuracy REAL,"
  "  test_macro_f1 REAL,"
  "  evaluation    TEXT,"
  "  error         TEXT,"
  "  notes         TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE TABLE tags ("
  "  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  tag    TEXT NOT NULL,"
  "  PRIMARY KEY (run_id, tag)"
  ") WITHOUT ROWID;"
  "CREATE TABLE progress ("
  "  run_id       INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  elapsed      REAL NOT NULL,"
  "  stage        TEXT NOT NULL,"
  "  fraction     REAL,"
  "  epoch        INTEGER,"
  "  train_loss   REAL,"
  "  tokens_per_s REAL,"
  "  lr           REAL"
  ");"
  "CREATE INDEX progress_run ON progress (run_id, elapsed);"
  "CREATE TABLE epochs ("
  "  run_id         INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  epoch          INTEGER NOT NULL,"
  "  elapsed        REAL NOT NULL,"
  "  train_loss     REAL,"
  "  valid_loss     REAL,"
  "  valid_accuracy REAL,"
  "  valid_macro_f1 REAL,"
  "  tokens_per_s   REAL,"
  "  lr             REAL,"
  "  is_best        INTEGER NOT NULL,"
  "  PRIMARY KEY (run_id, epoch)"
  ") WITHOUT ROWID;"
  "CREATE TABLE stages ("
  "  run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  stage   TEXT NOT NULL,"
  "  started REAL NOT NULL,"
  "  seconds REAL NOT NULL"
  ");"
  "CREATE INDEX stages_run ON stages (run_id, started);"
  "CREATE TABLE samples ("
  "  run_id           INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  elapsed          REAL NOT NULL,"
  "  cpu_percent      REAL,"
  "  rss_bytes        INTEGER,"
  "  gpu_percent      REAL,"
  "  gpu_memory_bytes INTEGER"
  ");"
  "CREATE INDEX samples_run ON samples (run_id, elapsed);"
  "CREATE TABLE messages ("
  "  run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  elapsed REAL NOT NULL,"
  "  stage   TEXT NOT NULL,"
  "  text    TEXT NOT NULL"
  ");"
  "CREATE INDEX messages_run ON messages (run_id, elapsed);",

  /* 1 → 2: checkpoints, and resuming */
  "CREATE TABLE checkpoints ("
  "  run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
  "  kind        TEXT NOT NULL CHECK (kind IN ('last', 'best')),"
  "  epoch       INTEGER NOT NULL,"
  "  file        TEXT NOT NULL,"
  "  size        INTEGER NOT NULL,"
  "  best_epoch  INTEGER NOT NULL,"
  "  best_metric REAL,"
  "  since_best  INTEGER NOT NULL,"
  "  elapsed     REAL NOT NULL,"
  "  created     INTEGER NOT NULL,"
  "  PRIMARY KEY (run_id, kind)"
  ") WITHOUT ROWID;"
  "ALTER TABLE runs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;",

  /* 2 → 3: the advisor's measurements ("wisdom"), per example */
  "CREATE TABLE wisdom ("
  "  machine           TEXT NOT NULL,"
  "  device            TEXT NOT NULL,"
  "  driver            TEXT NOT NULL,"
  "  shape             TEXT NOT NULL,"
  "  data              TEXT NOT NULL,"
  "  threads           INTEGER NOT NULL,"
  "  precision         TEXT NOT NULL,"
  "  train_seconds     REAL NOT NULL,"
  "  train_rel_error   REAL NOT NULL,"
  "  predict_seconds   REAL NOT NULL,"
  "  featurize_seconds REAL NOT NULL,"
  "  build_seconds     REAL NOT NULL,"
  "  startup_seconds   REAL NOT NULL,"
  "  measured          INTEGER NOT NULL,"
  "  PRIMARY KEY (machine, device, driver, shape, data, threads, precision)"
  ") WITHOUT ROWID;",

  /* 3 → 4: the verdict on what held training back (its JSON) */
  "ALTER TABLE runs ADD COLUMN verdict TEXT;",

  /* 4 → 5: the advisor's measurements before it timed scoring on whole
   * blocks of the sample (the neural models' scoring several times too
   * slow): measured again */
  "DELETE FROM wisdom;",

  /* 5 → 6: a run's stored settings say what it ran.  Settings added since
   * a run was stored are missing from its JSON, and reading it would give
   * them today's defaults, which are not what older runs ran (as
   * models/wl-model-file.c has it for model files): they are written in
   * with the value those runs had. */
  "UPDATE runs SET config = json_set (config, '$.clean.mark_links', json ('false'))"
  "  WHERE json_valid (config) AND json_type (config, '$.clean.mark_links') IS NULL;"
  "UPDATE runs SET config = json_set (config, '$.tokens.split_contractions', json ('false'))"
  "  WHERE json_valid (config) AND json_type (config, '$.tokens.split_contractions') IS NULL;"
  "UPDATE runs SET config = json_set (config, '$.model.refit', json ('false'))"
  "  WHERE json_valid (config) AND json_type (config, '$.model.refit') IS NULL"
  "    AND model IN ('linear', 'embedding-bag');"
  "UPDATE runs SET config = json_set (config, '$.model.padding', 'none')"
  "  WHERE json_valid (config) AND json_type (config, '$.model.padding') IS NULL"
  "    AND model = 'textcnn';",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == WL_STORE_SCHEMA_VERSION);

const char *
wl_store_schema_get_step (int from)
{
  g_return_val_if_fail (from >= 0 && from < WL_STORE_SCHEMA_VERSION, NULL);
  return migrations[from];
}

static gboolean
get_version (WlStore  *store,
             int      *version,
             GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  rc = sqlite3_prepare_v2 (store->db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return wl_store_fail (store, rc, error);
  rc = sqlite3_step (stmt);
  *version = rc == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return wl_store_fail (store, rc, error);
  return TRUE;
}

gboolean
wl_store_schema_migrate (WlStore  *store,
                         int       version,
                         GError  **error)
{
  int current;

  g_return_val_if_fail (version >= 0 && version <= WL_STORE_SCHEMA_VERSION, FALSE);

  if (!get_version (store, &current, error))
    return FALSE;
  if (current > WL_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_IO,
                   _("%s was written by a newer Wordloom (store version %d; this one reads up to %d); "
                     "update Wordloom, or keep these runs elsewhere with --store FILE or WORDLOOM_STORE"),
                   store->path, current, WL_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  while (current < version)
    {
      g_autofree char *bump = NULL;

      if (!wl_store_begin (store, error))
        return FALSE;
      /* Another process may have migrated while we waited for the lock. */
      if (!get_version (store, &current, error))
        goto fail;
      if (current >= version)
        return wl_store_commit (store, error);
      bump = g_strdup_printf ("PRAGMA user_version = %d", current + 1);
      if (!wl_store_exec (store, migrations[current], error) ||
          !wl_store_exec (store, bump, error) ||
          !wl_store_commit (store, error))
        goto fail;
      current++;
    }
  return TRUE;

fail:
  wl_store_rollback (store);
  return FALSE;
}
