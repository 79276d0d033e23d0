/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cache-file.c: unlinked scratch files in the user's cache folder. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "wl-cache-file.h"
#include "wl-error.h"

int
wl_cache_file_open (const char  *prefix,
                    GError     **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "wordloom", NULL);
  g_autofree char *name = g_strconcat (prefix, "-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0 || (fd = g_mkstemp (path)) < 0)
    {
      int saved = errno;

      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("Cannot create a scratch file in %s: %s; free some space "
                     "or set XDG_CACHE_HOME to a folder with room"), dir, g_strerror (saved));
      return -1;
    }
  g_unlink (path);
  return fd;
}

gboolean
wl_cache_file_write (int          fd,
                     const void  *data,
                     gsize        len,
                     guint64      at,
                     GError     **error)
{
  const char *p = data;

  while (len > 0)
    {
      gssize n = pwrite (fd, p, len, (off_t) at);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;

          g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                       _("Cannot write to a scratch file in %s/wordloom: %s; free "
                         "some space or set XDG_CACHE_HOME to a folder with room"),
                       g_get_user_cache_dir (), g_strerror (saved));
          return FALSE;
        }
      p += n;
      len -= n;
      at += n;
    }
  return TRUE;
}

gboolean
wl_cache_file_read (int          fd,
                    void        *data,
                    gsize        len,
                    guint64      at,
                    GError     **error)
{
  char *p = data;

  while (len > 0)
    {
      gssize n = pread (fd, p, len, (off_t) at);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = n == 0 ? EIO : errno;

          g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                       _("Cannot read back a scratch file in %s/wordloom: %s"),
                       g_get_user_cache_dir (), g_strerror (saved));
          return FALSE;
        }
      p += n;
      len -= n;
      at += n;
    }
  return TRUE;
}
