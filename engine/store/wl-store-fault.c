/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-fault.c: a counting SQLite VFS that can fail like a full disk. */
#include "config.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/wl-store-fault.h"

typedef struct
{
  gint     count[2];       /* writes, syncs since arming */
  gint     nth[2];         /* 0: not armed */
  gint     persistent;
  gint     fired;
} FaultState;

static FaultState state;

void
wl_store_fault_arm (WlStoreFault fault,
                    guint        nth,
                    gboolean     persistent)
{
  wl_store_fault_disarm ();
  g_atomic_int_set (&state.persistent, persistent);
  g_atomic_int_set (&state.nth[fault], (gint) nth);
}

void
wl_store_fault_disarm (void)
{
  for (guint i = 0; i < 2; i++)
    {
      g_atomic_int_set (&state.nth[i], 0);
      g_atomic_int_set (&state.count[i], 0);
    }
  g_atomic_int_set (&state.fired, FALSE);
}

guint
wl_store_fault_get_count (WlStoreFault fault)
{
  return (guint) g_atomic_int_get (&state.count[fault]);
}

gboolean
wl_store_fault_fired (void)
{
  return g_atomic_int_get (&state.fired);
}

int
wl_store_fault_check (WlStoreFault fault)
{
  gint count = g_atomic_int_add (&state.count[fault], 1) + 1;
  gint nth = g_atomic_int_get (&state.nth[fault]);

  if (nth == 0 || count < nth || (count > nth && !g_atomic_int_get (&state.persistent)))
    return 0;
  g_atomic_int_set (&state.fired, TRUE);
  return fault == WL_STORE_FAULT_WRITE ? ENOSPC : EIO;
}

/* "write:12", "sync:3+" */
static void
arm_from_environment (void)
{
  const char *spec = g_getenv ("WORDLOOM_STORE_FAULT");
  const char *colon;
  char *end;
  guint64 nth;

  if (spec == NULL || (colon = strchr (spec, ':')) == NULL)
    return;
  nth = g_ascii_strtoull (colon + 1, &end, 10);
  if (nth == 0 || nth > G_MAXINT || (*end != '\0' && !g_str_equal (end, "+")))
    return;
  if (g_str_has_prefix (spec, "write:"))
    wl_store_fault_arm (WL_STORE_FAULT_WRITE, (guint) nth, *end == '+');
  else if (g_str_has_prefix (spec, "sync:"))
    wl_store_fault_arm (WL_STORE_FAULT_SYNC, (guint) nth, *end == '+');
}

/* The VFS: files of the default VFS, wrapped */

typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;       /* right after this struct */
} FaultFile;

#define REAL(file) (((FaultFile *) (file))->real)

static int
fault_close (sqlite3_file *file)
{
  return REAL (file)->pMethods->xClose (REAL (file));
}

static int
fault_read (sqlite3_file *file, void *buf, int amount, sqlite3_int64 offset)
{
  return REAL (file)->pMethods->xRead (REAL (file), buf, amount, offset);
}

static int
fault_write (sqlite3_file *file, const void *buf, int amount, sqlite3_int64 offset)
{
  if (wl_store_fault_check (WL_STORE_FAULT_WRITE) != 0)
    return SQLITE_FULL;
  return REAL (file)->pMethods->xWrite (REAL (file), buf, amount, offset);
}

static int
fault_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  return REAL (file)->pMethods->xTruncate (REAL (file), size);
}

static int
fault_sync (sqlite3_file *file, int flags)
{
  if (wl_store_fault_check (WL_STORE_FAULT_SYNC) != 0)
    return SQLITE_IOERR_FSYNC;
  return REAL (file)->pMethods->xSync (REAL (file), flags);
}

static int
fault_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  return REAL (file)->pMethods->xFileSize (REAL (file), size);
}

static int
fault_lock (sqlite3_file *file, int lock)
{
  return REAL (file)->pMethods->xLock (REAL (file), lock);
}

static int
fault_unlock (sqlite3_file *file, int lock)
{
  return REAL (file)->pMethods->xUnlock (REAL (file), lock);
}

static int
fault_check_reserved_lock (sqlite3_file *file, int *out)
{
  return REAL (file)->pMethods->xCheckReservedLock (REAL (file), out);
}

static int
fault_file_control (sqlite3_file *file, int op, void *arg)
{
  return REAL (file)->pMethods->xFileControl (REAL (file), op, arg);
}

static int
fault_sector_size (sqlite3_file *file)
{
  return REAL (file)->pMethods->xSectorSize (REAL (file));
}

static int
fault_device_characteristics (sqlite3_file *file)
{
  return REAL (file)->pMethods->xDeviceCharacteristics (REAL (file));
}

static int
fault_shm_map (sqlite3_file *file, int page, int size, int extend, void volatile **out)
{
  if (REAL (file)->pMethods->iVersion < 2)
    return SQLITE_IOERR;
  return REAL (file)->pMethods->xShmMap (REAL (file), page, size, extend, out);
}

static int
fault_shm_lock (sqlite3_file *file, int offset, int n, int flags)
{
  return REAL (file)->pMethods->xShmLock (REAL (file), offset, n, flags);
}

static void
fault_shm_barrier (sqlite3_file *file)
{
  REAL (file)->pMethods->xShmBarrier (REAL (file));
}

static int
fault_shm_unmap (sqlite3_file *file, int delete_flag)
{
  if (REAL (file)->pMethods->iVersion < 2)
    return SQLITE_OK;
  return REAL (file)->pMethods->xShmUnmap (REAL (file), delete_flag);
}

static int
fault_fetch (sqlite3_file *file, sqlite3_int64 offset, int amount, void **out)
{
  if (REAL (file)->pMethods->iVersion < 3)
    {
      *out = NULL;
      return SQLITE_OK;
    }
  return REAL (file)->pMethods->xFetch (REAL (file), offset, amount, out);
}

static int
fault_unfetch (sqlite3_file *file, sqlite3_int64 offset, void *page)
{
  if (REAL (file)->pMethods->iVersion < 3)
    return SQLITE_OK;
  return REAL (file)->pMethods->xUnfetch (REAL (file), offset, page);
}

static const sqlite3_io_methods fault_methods = {
  .iVersion = 3,
  .xClose = fault_close,
  .xRead = fault_read,
  .xWrite = fault_write,
  .xTruncate = fault_truncate,
  .xSync = fault_sync,
  .xFileSize = fault_file_size,
  .xLock = fault_lock,
  .xUnlock = fault_unlock,
  .xCheckReservedLock = fault_check_reserved_lock,
  .xFileControl = fault_file_control,
  .xSectorSize = fault_sector_size,
  .xDeviceCharacteristics = fault_device_characteristics,
  .xShmMap = fault_shm_map,
  .xShmLock = fault_shm_lock,
  .xShmBarrier = fault_shm_barrier,
  .xShmUnmap = fault_shm_unmap,
  .xFetch = fault_fetch,
  .xUnfetch = fault_unfetch,
};

static sqlite3_vfs fault_vfs;
static sqlite3_vfs *real_vfs;

static int
fault_open (sqlite3_vfs  *vfs,
            const char   *name,
            sqlite3_file *file,
            int           flags,
            int          *out_flags)
{
  FaultFile *self = (FaultFile *) file;
  int rc;

  self->real = (sqlite3_file *) (self + 1);
  rc = real_vfs->xOpen (real_vfs, name, self->real, flags, out_flags);
  /* SQLite closes a file only when its methods are set. */
  self->base.pMethods = self->real->pMethods != NULL ? &fault_methods : NULL;
  return rc;
}

static gpointer
register_vfs (gpointer data)
{
  real_vfs = sqlite3_vfs_find (NULL);
  /* The other methods are the default VFS's own: they use only the
   * pAppData and sizes copied with them. */
  fault_vfs = *real_vfs;
  fault_vfs.zName = "wordloom-fault";
  fault_vfs.szOsFile = (int) sizeof (FaultFile) + real_vfs->szOsFile;
  fault_vfs.xOpen = fault_open;
  fault_vfs.pNext = NULL;
  if (sqlite3_vfs_register (&fault_vfs, FALSE) != SQLITE_OK)
    g_error ("cannot register the SQLite VFS %s", fault_vfs.zName);
  arm_from_environment ();
  return NULL;
}

const char *
wl_store_fault_vfs (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, register_vfs, NULL);
  return fault_vfs.zName;
}
