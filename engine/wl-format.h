/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-format.h: how every front end writes a duration and a size, so that
 * the window's pages and the CLI show one run with the same numbers. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "0.42 s", "12.5 s" under a minute, then "5:43" and "1:02:03"; "—" for a
 * time not known (negative, infinite or NaN). */
char *wl_format_duration (double  seconds);
/* Bytes in IEC units, as GLib writes them: "23.5 GiB", "512 bytes". */
char *wl_format_size     (guint64 bytes);

G_END_DECLS
