/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-schema.c: a store of every earlier schema version, with rows in
 * it, migrates to the latest and keeps its rows; a newer one is refused. */
#include <string.h>

#include "store-test-util.h"
#include "store/wl-store-private.h"
#include "store/wl-store-wisdom.h"

/* Rows a store of @version holds, written with that version's columns. */
static const char *rows[] = {
  /* 0: an empty database */
  NULL,
  /* 1 */
  "INSERT INTO runs (id, state, model, config, dataset_path, version, host, pid, started, updated,"
  "                  epochs_run, best_epoch, best_metric, metric)"
  "  VALUES (7, 'finished', 'linear', '{}', '/data.csv', '0.1.0', 'old-host', 1, 1700000000,"
  "          1700000100, 2, 2, 0.75, 'accuracy');"
  "INSERT INTO tags VALUES (7, 'baseline');"
  "INSERT INTO epochs VALUES (7, 1, 1.5, 0.9, 0.8, 0.6, 0.55, 1000, NULL, 1),"
  "                          (7, 2, 3.0, 0.5, 0.6, 0.75, 0.7, 1000, NULL, 1);"
  "INSERT INTO progress VALUES (7, 0.5, 'train', 0.25, 1, 1.0, 1000, NULL);"
  "INSERT INTO stages VALUES (7, 'load', 0, 0.2);",
  /* 2 */
  "INSERT INTO checkpoints VALUES (7, 'best', 2, 'epoch-2.wlm', 10, 2, 0.75, 0, 3.0, 1700000100);",
  /* 3 */
  "INSERT INTO wisdom VALUES ('{}', 'cpu', 'x', 'mlp', 'labels=2', 2, 'fp32', 1e-4, 0.05, 3e-5, 1e-6, 2e-6, 0.3, 1700000200);",
  /* 4 */
  "UPDATE runs SET verdict = '{\"verdict\":\"compute-bound\",\"input\":\"memory\"}' WHERE id = 7;",
  /* 5: a measurement taken since; a TextCNN run stored before its padding,
   * the link word and the split contractions existed */
  "INSERT INTO wisdom VALUES ('{}', 'cpu', 'x', 'mlp', 'labels=3', 2, 'fp32', 1e-4, 0.05, 1e-5, 1e-6, 2e-6, 0.3, 1700000300);"
  "INSERT INTO runs (id, state, model, config, dataset_path, version, host, pid, started, updated)"
  "  VALUES (8, 'finished', 'textcnn', '{\"model\":{\"type\":\"textcnn\"}}', '/data.csv', '0.1.0',"
  "          'old-host', 1, 1700000000, 1700000100);",
  /* 6: a run stored with every setting */
  "INSERT INTO runs (id, state, model, config, dataset_path, version, host, pid, started, updated)"
  "  VALUES (9, 'finished', 'linear', '{\"clean\":{\"mark_links\":true},"
  "\"tokens\":{\"split_contractions\":true},\"model\":{\"type\":\"linear\",\"refit\":true}}',"
  "          '/data.csv', '0.1.0', 'old-host', 1, 1700000000, 1700000100);",
};

/* Run @id's stored settings, read back as the run would be resumed. */
static WlConfig *
stored_config (WlStore *store,
               gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WlRunRecord) record = wl_store_get_run (store, id, &error);
  WlConfig *config = wl_config_new ();

  g_assert_no_error (error);
  g_assert_true (wl_config_merge_json (config, record->config, -1, &error));
  g_assert_no_error (error);
  return config;
}

/* The rows of the wisdom table, whatever their machine. */
static int
count_wisdom_rows (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int count;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM wisdom", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

/* A database at @version, built with the migration steps up to it (a
 * version past ours: the latest schema, labelled newer). */
static void
create_at_version (const char *path,
                   int         version)
{
  sqlite3 *db = NULL;
  g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version);
  int steps = MIN (version, WL_STORE_SCHEMA_VERSION);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  for (int v = 0; v < steps; v++)
    g_assert_cmpint (sqlite3_exec (db, wl_store_schema_get_step (v), NULL, NULL, NULL), ==, SQLITE_OK);
  for (int v = 1; v <= steps; v++)
    g_assert_cmpint (sqlite3_exec (db, rows[v], NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, bump, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static int
read_user_version (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int version;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return version;
}

static void
test_migrate_from_every_version (void)
{
  for (int version = 0; version < WL_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *dir = g_dir_make_tmp ("wl-schema-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, "runs.sqlite", NULL);
      g_autoptr(WlStore) store = NULL;
      g_autoptr(GPtrArray) runs = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("from version %d", version);
      create_at_version (path, version);
      store = wl_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (read_user_version (path), ==, WL_STORE_SCHEMA_VERSION);
      test_assert_integrity (path);

      runs = wl_store_list_runs (store, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (runs->len, ==, version >= 5 ? 2 : version >= 1 ? 1 : 0);
      if (version >= 5)
        {
          g_autoptr(WlConfig) config = stored_config (store, 8);

          /* What the TextCNN ran, not today's defaults. */
          g_assert_cmpint (config->model.padding, ==, WL_PADDING_NONE);
          g_assert_false (config->clean.mark_links);
          g_assert_false (config->tokens.split_contractions);
        }
      if (version >= 1)
        {
          g_autoptr(WlConfig) config = stored_config (store, 7);

          g_assert_false (config->clean.mark_links);
          g_assert_false (config->tokens.split_contractions);
          g_assert_false (config->model.refit);
        }
      if (version >= 1)
        {
          g_autoptr(WlRunRecord) record = wl_store_get_run (store, 7, &error);
          g_autoptr(GArray) epochs = wl_store_get_epochs (store, 7, &error);
          g_autoptr(WlCheckpointRecord) best = wl_store_get_checkpoint (store, 7, WL_CHECKPOINT_BEST, &error);

          g_assert_no_error (error);
          g_assert_cmpint (record->state, ==, WL_RUN_STATE_FINISHED);
          g_assert_cmpstr (record->tags[0], ==, "baseline");
          g_assert_cmpfloat (record->best_metric, ==, 0.75);
          g_assert_cmpuint (record->attempts, ==, 1);   /* added in version 2 */
          g_assert_cmpuint (epochs->len, ==, 2);
          if (version < 2)
            g_assert_null (best);                       /* version 2's table, empty */
          else
            g_assert_cmpuint (best->epoch, ==, 2);
          if (version < 4)
            g_assert_null (record->verdict);            /* version 4's column, empty */
          else
            g_assert_nonnull (strstr (record->verdict, "compute-bound"));
          /* version 3's table, empty; version 5 dropped what was measured
           * before, and a store of version 5 keeps what it measured (on
           * another machine than this: none of it this machine's) */
          g_assert_cmpint (wl_store_count_wisdom (store, &error), ==, 0);
          g_assert_no_error (error);
          g_assert_cmpint (count_wisdom_rows (path), ==, version >= 5 ? 2 : 0);

          /* The migrated store takes writes. */
          g_assert_true (wl_store_set_notes (store, 7, "kept", &error));
          g_assert_no_error (error);
        }
      g_clear_pointer (&store, wl_store_close);
      test_remove_tree (dir);
    }
}

static void
test_latest_keeps_rows (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-schema-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "runs.sqlite", NULL);
  g_autoptr(WlStore) store = NULL;
  g_autoptr(WlCheckpointRecord) best = NULL;
  g_autoptr(GError) error = NULL;

  create_at_version (path, WL_STORE_SCHEMA_VERSION);
  store = wl_store_open (path, &error);
  g_assert_no_error (error);
  best = wl_store_get_checkpoint (store, 7, WL_CHECKPOINT_BEST, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (best->epoch, ==, 2);
  g_assert_true (g_str_has_suffix (best->path, "checkpoints/run-7/epoch-2.wlm"));
  g_assert_cmpint (count_wisdom_rows (path), ==, 2);   /* a store at the latest keeps them */
  {
    /* A run stored with every setting keeps them. */
    g_autoptr(WlConfig) config = stored_config (store, 9);

    g_assert_true (config->clean.mark_links);
    g_assert_true (config->tokens.split_contractions);
    g_assert_true (config->model.refit);
  }
  g_clear_pointer (&store, wl_store_close);
  test_remove_tree (dir);
}

static void
test_newer_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-schema-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "runs.sqlite", NULL);
  g_autoptr(WlStore) store = NULL;
  g_autoptr(GError) error = NULL;

  create_at_version (path, WL_STORE_SCHEMA_VERSION + 1);
  store = wl_store_open (path, &error);
  g_assert_error (error, WL_ERROR, WL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "newer Wordloom"));
  g_assert_nonnull (strstr (error->message, path));
  g_assert_null (store);
  /* Refusing it changed nothing. */
  g_assert_cmpint (read_user_version (path), ==, WL_STORE_SCHEMA_VERSION + 1);
  test_remove_tree (dir);
}

G_STATIC_ASSERT (G_N_ELEMENTS (rows) == WL_STORE_SCHEMA_VERSION + 1);

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store-schema/migrate-from-every-version", test_migrate_from_every_version);
  g_test_add_func ("/store-schema/latest-keeps-rows", test_latest_keeps_rows);
  g_test_add_func ("/store-schema/newer-refused", test_newer_refused);
  return g_test_run ();
}
