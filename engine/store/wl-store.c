/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store.c: opening the run store, statements, transactions and errors. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "store/wl-store-fault.h"
#include "store/wl-store-private.h"
#include "wl-error.h"

static const char *state_names[] = { "running", "finished", "failed", "cancelled", "interrupted" };
static const char *kind_names[] = { "last", "best" };

const char *
wl_run_state_to_string (WlRunState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

const char *
wl_checkpoint_kind_to_string (WlCheckpointKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

char *
wl_store_get_default_path (void)
{
  const char *env = g_getenv ("WORDLOOM_STORE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "wordloom", "runs.sqlite", NULL);
}

const char *
wl_store_get_path (WlStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->path;
}

char *
wl_store_get_run_dir (WlStore *store,
                      gint64   id)
{
  g_autofree char *name = g_strdup_printf ("run-%" G_GINT64_FORMAT, id);

  return g_build_filename (store->checkpoint_dir, name, NULL);
}

/* Errors */

#define ELSEWHERE N_("or keep the runs elsewhere with --store FILE or WORDLOOM_STORE")

gboolean
wl_store_fail (WlStore  *store,
               int       code,
               GError  **error)
{
  int sys = store->db != NULL ? sqlite3_system_errno (store->db) : 0;
  const char *detail = store->db != NULL ? sqlite3_errmsg (store->db) : sqlite3_errstr (code);

  if (sys == ENOSPC || (code & 0xff) == SQLITE_FULL)
    code = SQLITE_FULL;
  switch (code & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, WL_ERROR, WL_ERROR_IO,
                   _("%s: the disk is full; free some space, %s"), store->path, _(ELSEWHERE));
      break;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      g_set_error (error, WL_ERROR, WL_ERROR_IO,
                   _("%s: cannot write the run store there (%s); make the folder writable, %s"),
                   store->path, sys != 0 ? g_strerror (sys) : detail, _(ELSEWHERE));
      break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      g_set_error (error, WL_ERROR, WL_ERROR_IO,
                   _("%s is not a Wordloom run store, or it is damaged (%s); move it away to start a new one"),
                   store->path, detail);
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, WL_ERROR, WL_ERROR_IO,
                   _("%s is locked by another program for more than %d s; try again when it is done"),
                   store->path, WL_STORE_BUSY_TIMEOUT_MS / 1000);
      break;
    case SQLITE_IOERR:
      g_set_error (error, WL_ERROR, WL_ERROR_IO,
                   _("%s: input/output error (%s); check the disk, %s"),
                   store->path, sys != 0 ? g_strerror (sys) : detail, _(ELSEWHERE));
      break;
    default:
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED, _("%s: %s"), store->path, detail);
      break;
    }
  return FALSE;
}

/* Statements */

sqlite3_stmt *
wl_store_prepare (WlStore     *store,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (store->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  rc = sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      wl_store_fail (store, rc, error);
      return NULL;
    }
  g_hash_table_insert (store->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
wl_store_run (WlStore       *store,
              sqlite3_stmt  *stmt,
              GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return wl_store_fail (store, rc, error);
  return TRUE;
}

gboolean
wl_store_exec (WlStore     *store,
               const char  *sql,
               GError     **error)
{
  int rc = sqlite3_exec (store->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return wl_store_fail (store, rc, error);
  return TRUE;
}

gboolean
wl_store_begin (WlStore  *store,
                GError  **error)
{
  /* IMMEDIATE: take the write lock now, waiting for it, rather than fail
   * with SQLITE_BUSY when a read turns into a write. */
  return wl_store_exec (store, "BEGIN IMMEDIATE", error);
}

gboolean
wl_store_commit (WlStore  *store,
                 GError  **error)
{
  return wl_store_exec (store, "COMMIT", error);
}

void
wl_store_rollback (WlStore *store)
{
  /* SQLite rolls back by itself after some errors (a full disk). */
  if (!sqlite3_get_autocommit (store->db))
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
}

void
wl_store_bind_double (sqlite3_stmt *stmt,
                      int           index,
                      double        value)
{
  if (isfinite (value))
    sqlite3_bind_double (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

double
wl_store_column_double (sqlite3_stmt *stmt,
                        int           index)
{
  if (sqlite3_column_type (stmt, index) == SQLITE_NULL)
    return NAN;
  return sqlite3_column_double (stmt, index);
}

char *
wl_store_column_text (sqlite3_stmt *stmt,
                      int           index)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, index));
}

gboolean
wl_store_check_run (WlStore  *store,
                    gint64    id,
                    GError  **error)
{
  sqlite3_stmt *stmt = wl_store_prepare (store, "SELECT 1 FROM runs WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return wl_store_fail (store, rc, error);
  g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
               _("There is no run %lld in %s; “wordloom-cli runs” lists them"),
               (long long) id, store->path);
  return FALSE;
}

gboolean
wl_store_process_alive (const char *host,
                        gint64      pid)
{
  if (host == NULL || pid <= 0)
    return FALSE;
  if (!g_str_equal (host, g_get_host_name ()))
    return TRUE;   /* another machine's: we cannot tell */
  return kill ((pid_t) pid, 0) == 0 || errno == EPERM;
}

/* Runs whose process is gone were interrupted (crash, kill -9, power). */
static gboolean
mark_interrupted (WlStore  *store,
                  GError  **error)
{
  g_autoptr(GArray) gone = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  stmt = wl_store_prepare (store, "SELECT id, host, pid FROM runs WHERE state = 'running'", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!wl_store_process_alive ((const char *) sqlite3_column_text (stmt, 1),
                                 sqlite3_column_int64 (stmt, 2)))
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);
        g_array_append_val (gone, id);
      }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return wl_store_fail (store, rc, error);
  if (gone->len == 0)
    return TRUE;

  if (!wl_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < gone->len; i++)
    {
      stmt = wl_store_prepare (store, "UPDATE runs SET state = 'interrupted' "
                                      "WHERE id = ? AND state = 'running'", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, g_array_index (gone, gint64, i));
      if (!wl_store_run (store, stmt, error))
        goto fail;
    }
  if (wl_store_commit (store, error))
    return TRUE;
fail:
  wl_store_rollback (store);
  return FALSE;
}

/* Asks for WAL mode and checks that the database is in it. */
static gboolean
enable_wal (WlStore  *store,
            GError  **error)
{
  sqlite3_stmt *stmt;
  gboolean wal;
  int rc;

  rc = sqlite3_prepare_v2 (store->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return wl_store_fail (store, rc, error);
  rc = sqlite3_step (stmt);
  wal = rc == SQLITE_ROW && g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return wl_store_fail (store, rc, error);
  if (!wal)
    return wl_store_fail (store, SQLITE_READONLY, error);
  return TRUE;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

WlStore *
wl_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(WlStore) store = g_new0 (WlStore, 1);
  g_autofree char *dir = NULL;
  int rc;

  store->path = path != NULL ? g_strdup (path) : wl_store_get_default_path ();
  store->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  dir = g_path_get_dirname (store->path);
  store->checkpoint_dir = g_build_filename (dir, "checkpoints", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, WL_ERROR, WL_ERROR_IO,
                   _("Cannot create the folder %s for the run store: %s; make its parent writable, %s"),
                   dir, g_strerror (saved), _(ELSEWHERE));
      return NULL;
    }

  rc = sqlite3_open_v2 (store->path, &store->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        wl_store_fault_vfs ());
  if (rc != SQLITE_OK)
    {
      wl_store_fail (store, rc, error);
      return NULL;
    }
  sqlite3_extended_result_codes (store->db, TRUE);
  sqlite3_busy_timeout (store->db, WL_STORE_BUSY_TIMEOUT_MS);
  if (!enable_wal (store, error) ||
      /* FULL: a commit is on the disk before a checkpoint file that its
       * rows replaced is deleted. */
      !wl_store_exec (store, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON", error) ||
      !wl_store_schema_migrate (store, WL_STORE_SCHEMA_VERSION, error) ||
      !mark_interrupted (store, error) ||
      !wl_store_collect_garbage (store, error))
    return NULL;
  return g_steal_pointer (&store);
}

void
wl_store_close (WlStore *store)
{
  if (store == NULL)
    return;
  /* Statements first: a connection with statements does not close. */
  g_clear_pointer (&store->statements, g_hash_table_unref);
  if (store->db != NULL)
    sqlite3_close (store->db);
  g_free (store->path);
  g_free (store->checkpoint_dir);
  g_free (store);
}
