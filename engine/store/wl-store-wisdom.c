/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-wisdom.c: the wisdom table (schema step 2 → 3).  The advisor
 * calls it from its worker thread; a failure to read is a miss and a
 * failure to write loses only the reuse, so both are logged, never fatal. */
#include "config.h"

#include "store/wl-store-private.h"
#include "store/wl-store-wisdom.h"

static gpointer
describe_machine (gpointer data)
{
  return wl_store_describe_machine ();
}

static const char *
machine (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, describe_machine, NULL);
}

static void
bind_key (sqlite3_stmt      *stmt,
          const WlAdviseKey *key)
{
  sqlite3_bind_text (stmt, 1, machine (), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key->device, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, key->driver ? key->driver : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, key->shape, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, key->data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, key->threads);
  sqlite3_bind_text (stmt, 7, key->precision, -1, SQLITE_TRANSIENT);
}

static gboolean
wisdom_lookup (gpointer           data,
               const WlAdviseKey *key,
               WlAdviseMeasure   *measure)
{
  WlStore *store = data;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = wl_store_prepare (store,
                                         "SELECT train_seconds, train_rel_error, predict_seconds, "
                                         "featurize_seconds, build_seconds, startup_seconds "
                                         "FROM wisdom WHERE machine = ?1 AND "
                                         "device = ?2 AND driver = ?3 AND shape = ?4 AND data = ?5 "
                                         "AND threads = ?6 AND precision = ?7", &error);
  int rc;

  if (stmt == NULL)
    {
      g_message ("wisdom: %s", error->message);
      return FALSE;
    }
  bind_key (stmt, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      measure->train_seconds = sqlite3_column_double (stmt, 0);
      measure->train_rel_error = sqlite3_column_double (stmt, 1);
      measure->predict_seconds = sqlite3_column_double (stmt, 2);
      measure->featurize_seconds = sqlite3_column_double (stmt, 3);
      measure->build_seconds = sqlite3_column_double (stmt, 4);
      measure->startup_seconds = sqlite3_column_double (stmt, 5);
    }
  else if (rc != SQLITE_DONE)
    g_message ("wisdom: %s", sqlite3_errmsg (store->db));
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

static void
wisdom_save (gpointer               data,
             const WlAdviseKey     *key,
             const WlAdviseMeasure *measure)
{
  WlStore *store = data;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = wl_store_prepare (store,
                                         "INSERT OR REPLACE INTO wisdom (machine, device, driver, "
                                         "shape, data, threads, precision, train_seconds, "
                                         "train_rel_error, predict_seconds, featurize_seconds, "
                                         "build_seconds, startup_seconds, measured) VALUES (?1, "
                                         "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                                         "?14)", &error);

  if (stmt != NULL)
    {
      bind_key (stmt, key);
      sqlite3_bind_double (stmt, 8, measure->train_seconds);
      sqlite3_bind_double (stmt, 9, measure->train_rel_error);
      sqlite3_bind_double (stmt, 10, measure->predict_seconds);
      sqlite3_bind_double (stmt, 11, measure->featurize_seconds);
      sqlite3_bind_double (stmt, 12, measure->build_seconds);
      sqlite3_bind_double (stmt, 13, measure->startup_seconds);
      sqlite3_bind_int64 (stmt, 14, g_get_real_time () / G_USEC_PER_SEC);
    }
  if (stmt == NULL || !wl_store_run (store, stmt, &error))
    g_message ("wisdom: not kept: %s", error->message);
}

static const WlAdviseWisdom store_wisdom = {
  .lookup = wisdom_lookup,
  .save = wisdom_save,
};

const WlAdviseWisdom *
wl_store_get_wisdom (void)
{
  return &store_wisdom;
}

gint64
wl_store_count_wisdom (WlStore  *store,
                       GError  **error)
{
  sqlite3_stmt *stmt = wl_store_prepare (store, "SELECT count(*) FROM wisdom WHERE machine = ?1",
                                         error);
  gint64 count;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, machine (), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      wl_store_fail (store, sqlite3_errcode (store->db), error);
      sqlite3_reset (stmt);
      return -1;
    }
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}
