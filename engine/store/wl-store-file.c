/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-file.c: checkpoint files, written atomically, and their cleanup. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "store/wl-store-fault.h"
#include "store/wl-store-private.h"
#include "wl-error.h"

#define WRITE_CHUNK (1 << 20)
#define TEMP_SUFFIX ".tmp"

static gboolean
file_error (const char  *path,
            const char  *doing,
            int          saved_errno,
            GError     **error)
{
  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    g_set_error (error, WL_ERROR, WL_ERROR_IO,
                 _("Cannot %s the checkpoint %s: the disk is full; free some space and resume the run"),
                 doing, path);
  else if (saved_errno == EACCES || saved_errno == EPERM || saved_errno == EROFS)
    g_set_error (error, WL_ERROR, WL_ERROR_IO,
                 _("Cannot %s the checkpoint %s: %s; make its folder writable"),
                 doing, path, g_strerror (saved_errno));
  else
    g_set_error (error, WL_ERROR, WL_ERROR_IO,
                 _("Cannot %s the checkpoint %s: %s; check the disk"),
                 doing, path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         len,
           int          *saved_errno)
{
  while (len > 0)
    {
      gsize n = MIN (len, WRITE_CHUNK);
      gssize done;

      if ((*saved_errno = wl_store_fault_check (WL_STORE_FAULT_WRITE)) != 0)
        return FALSE;
      done = write (fd, data, n);
      if (done < 0)
        {
          if (errno == EINTR)
            continue;
          *saved_errno = errno;
          return FALSE;
        }
      data += done;
      len -= (gsize) done;
    }
  return TRUE;
}

static int
sync_fd (int fd)
{
  int fault = wl_store_fault_check (WL_STORE_FAULT_SYNC);

  if (fault != 0)
    return fault;
  return fsync (fd) == 0 ? 0 : errno;
}

gboolean
wl_store_write_file (const char  *path,
                     GBytes      *bytes,
                     GError     **error)
{
  g_autofree char *temp = g_strconcat (path, TEMP_SUFFIX, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  int saved_errno = 0;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return file_error (path, _("create the folder of"), errno, error);

  fd = g_open (temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return file_error (path, _("write"), errno, error);
  if (!write_all (fd, data, len, &saved_errno) ||
      (saved_errno = sync_fd (fd)) != 0)
    {
      close (fd);
      g_unlink (temp);
      return file_error (path, _("write"), saved_errno, error);
    }
  if (close (fd) != 0 || g_rename (temp, path) != 0)
    {
      saved_errno = errno;
      g_unlink (temp);
      return file_error (path, _("write"), saved_errno, error);
    }

  /* The rename is on the disk once the folder is. */
  fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (fd < 0)
    return file_error (path, _("write"), errno, error);
  saved_errno = sync_fd (fd);
  close (fd);
  if (saved_errno != 0)
    return file_error (path, _("write"), saved_errno, error);
  return TRUE;
}

void
wl_store_remove_run_dir (WlStore *store,
                         gint64   id)
{
  g_autofree char *dir = wl_store_get_run_dir (store, id);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Under the write lock, so that no process resumes a run meanwhile (it
 * marks the run running before it writes a checkpoint). */
static gboolean
collect_run (WlStore  *store,
             gint64    id,
             GError  **error)
{
  sqlite3_stmt *stmt = wl_store_prepare (store, "SELECT state FROM runs WHERE id = ?", error);
  gboolean exists, running = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  exists = rc == SQLITE_ROW;
  if (exists)
    running = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0),
                         wl_run_state_to_string (WL_RUN_STATE_RUNNING)) == 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return wl_store_fail (store, rc, error);
  if (!exists)
    wl_store_remove_run_dir (store, id);
  else if (!running)
    return wl_store_clean_checkpoints (store, id, error);
  return TRUE;
}

gboolean
wl_store_collect_garbage (WlStore  *store,
                          GError  **error)
{
  g_autoptr(GDir) handle = g_dir_open (store->checkpoint_dir, 0, NULL);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      gint64 id;

      if (g_str_has_prefix (name, "run-") &&
          g_ascii_string_to_signed (name + 4, 10, 1, G_MAXINT64, &id, NULL))
        g_array_append_val (ids, id);
    }
  if (ids->len == 0)
    return TRUE;
  if (!wl_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    if (!collect_run (store, g_array_index (ids, gint64, i), error))
      {
        wl_store_rollback (store);
        return FALSE;
      }
  return wl_store_commit (store, error);
}

gboolean
wl_store_clean_checkpoints (WlStore  *store,
                            gint64    id,
                            GError  **error)
{
  g_autofree char *dir = wl_store_get_run_dir (store, id);
  g_autoptr(GHashTable) keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDir) handle = NULL;
  sqlite3_stmt *stmt;
  const char *name;
  int rc;

  stmt = wl_store_prepare (store, "SELECT file FROM checkpoints WHERE run_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (keep, wl_store_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return wl_store_fail (store, rc, error);

  if ((handle = g_dir_open (dir, 0, NULL)) == NULL)
    return TRUE;   /* no checkpoint yet */
  while ((name = g_dir_read_name (handle)) != NULL)
    if (!g_hash_table_contains (keep, name))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
  return TRUE;
}
