/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-save.h: writing a whole file so that no half of it is ever seen.
 *
 * The bytes go to a temporary file beside @path, are synced to disk, then
 * the temporary file is renamed over @path: a full disk, a crash or a
 * read-only folder leaves @path as it was (or absent) and no temporary
 * file behind.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @what names the file in the error ("the model", "the ONNX file"). */
gboolean wl_save_file (const char  *path,
                       GBytes      *bytes,
                       const char  *what,
                       GError     **error);

G_END_DECLS
