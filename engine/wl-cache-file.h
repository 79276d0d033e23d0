/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cache-file.h: a scratch file for data too large for memory.
 *
 * The file is made in $XDG_CACHE_HOME/wordloom and unlinked as soon as it
 * is open, so that it goes away with its descriptor however the process
 * ends (exit, cancel, crash).  Writes and reads are positioned (pwrite,
 * pread), so threads may read one file at once.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A descriptor of a new unlinked file named after @prefix, or -1. */
int      wl_cache_file_open  (const char  *prefix,
                              GError     **error);
gboolean wl_cache_file_write (int          fd,
                              const void  *data,
                              gsize        len,
                              guint64      at,
                              GError     **error);
gboolean wl_cache_file_read  (int          fd,
                              void        *data,
                              gsize        len,
                              guint64      at,
                              GError     **error);

G_END_DECLS
