/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-fault.h: failure injection for the run store's tests.
 *
 * Every write and sync of the store's files (the database, its WAL and the
 * checkpoints) goes through one counter.  Armed, the Nth of them fails as
 * a full disk does (ENOSPC; EIO for a sync), and with @persistent so does
 * every later one, until disarmed: the disk stays full.  The environment
 * variable WORDLOOM_STORE_FAULT=write:N or sync:N (with a trailing "+"
 * for persistent) arms it when the first store opens, for tests that
 * drive wordloom-cli.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  WL_STORE_FAULT_WRITE,
  WL_STORE_FAULT_SYNC,
} WlStoreFault;

void        wl_store_fault_arm        (WlStoreFault  fault,
                                       guint         nth,
                                       gboolean      persistent);
void        wl_store_fault_disarm     (void);
/* Writes (or syncs) seen since the last arm or disarm. */
guint       wl_store_fault_get_count  (WlStoreFault  fault);
/* Whether an armed fault has fired. */
gboolean    wl_store_fault_fired      (void);

/* For the store: 0, or the errno the next write (or sync) fails with. */
int         wl_store_fault_check      (WlStoreFault  fault);
/* The SQLite VFS that counts and fails (registered on first use). */
const char *wl_store_fault_vfs        (void);

G_END_DECLS
