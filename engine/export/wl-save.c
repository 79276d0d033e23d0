/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-save.c: writing a whole file atomically (temporary file, fsync, rename). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "export/wl-save.h"
#include "wl-error.h"

gboolean
wl_save_file (const char  *path,
              GBytes      *bytes,
              const char  *what,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_set_contents_full (path, data, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0666, &local_error))
    {
      /* TRANSLATORS: the first %s is what is saved ("the model"), the
       * second GLib's reason, which names the file. */
      g_set_error (error, WL_ERROR, WL_ERROR_IO,
                   _("cannot save %s: %s; choose a folder you can write to with enough free space"),
                   what, local_error->message);
      return FALSE;
    }
  return TRUE;
}
