/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-features-disk.c: sparse rows kept in a file instead of memory.
 *
 * A part of a file larger than memory is featurized window by window; its
 * rows go to a file in the user's cache folder that is unlinked as soon as
 * it is open, so that it goes away with the process however the process
 * ends.  Row i's entries (its ids, then its values when weighted) start at
 * byte offsets[i] × entry size; the offsets and the tokens per row stay in
 * memory (12 bytes a row), so that any rows can be read back with one or
 * two pread() calls each, in any order, into a window in memory.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "wl-error.h"
#include "models/wl-model-private.h"

static gsize
entry_size (const WlFeatures *features)
{
  return features->weighted ? sizeof (guint32) + sizeof (float) : sizeof (guint32);
}

WlFeatures *
wl_features_new_on_disk (gsize    window,
                         GError **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "wordloom", NULL);
  g_autofree char *path = g_build_filename (dir, "features-XXXXXX", NULL);
  WlFeatures *features;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0 || (fd = g_mkstemp (path)) < 0)
    {
      int saved = errno;

      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("Cannot create a file for the features in %s: %s; free some space "
                     "or set XDG_CACHE_HOME to a folder with room"), dir, g_strerror (saved));
      return NULL;
    }
  g_unlink (path);
  features = g_new0 (WlFeatures, 1);
  features->fd = fd;
  features->on_disk = TRUE;
  features->window = MAX (window, 1);
  features->offsets = g_new0 (gsize, 1);
  return features;
}

static gboolean
write_all (int          fd,
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
                       _("Cannot write the features to their file in %s/wordloom: %s; free "
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

static gboolean
read_all (int          fd,
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
                       _("Cannot read the features back from their file in %s/wordloom: %s"),
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
wl_features_append_to_disk (WlFeatures       *features,
                            const WlFeatures *more,
                            GError          **error)
{
  gsize first = features->n_docs, n_docs = first + more->n_docs;
  gsize base = features->offsets[first];
  gsize *offsets;
  guint32 *n_tokens;
  guint64 at;

  g_return_val_if_fail (features->on_disk && !more->on_disk, FALSE);

  if (first == 0)
    features->weighted = more->values != NULL;
  g_return_val_if_fail (features->weighted == (more->values != NULL), FALSE);

  offsets = g_try_realloc_n (features->offsets, n_docs + 1, sizeof (gsize));
  n_tokens = offsets ? g_try_realloc_n (features->n_tokens, MAX (n_docs, 1), sizeof (guint32)) : NULL;
  if (offsets != NULL)
    features->offsets = offsets;
  if (n_tokens == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("Not enough memory for the row index of %zu rows"), n_docs);
      return FALSE;
    }
  features->n_tokens = n_tokens;

  at = (guint64) base * entry_size (features);
  for (gsize i = 0; i < more->n_docs; i++)
    {
      const guint32 *ids;
      const float *values;
      gsize len = wl_features_row (more, i, &ids, &values);

      if (!write_all (features->fd, ids, len * sizeof (guint32), at, error))
        return FALSE;
      at += len * sizeof (guint32);
      if (features->weighted)
        {
          if (!write_all (features->fd, values, len * sizeof (float), at, error))
            return FALSE;
          at += len * sizeof (float);
        }
      offsets[first + i + 1] = offsets[first + i] + len;
    }
  memcpy (n_tokens + first, more->n_tokens, more->n_docs * sizeof (guint32));
  features->n_docs = n_docs;
  return TRUE;
}

/* Gives @window room for @n rows of @entries entries in all. */
static void
window_reserve (WlFeatures *window,
                gsize       n,
                gsize       entries,
                gboolean    weighted)
{
  window->offsets = g_renew (gsize, window->offsets, n + 1);
  window->n_tokens = g_renew (guint32, window->n_tokens, MAX (n, 1));
  window->ids = g_renew (guint32, window->ids, MAX (entries, 1));
  if (weighted)
    window->values = g_renew (float, window->values, MAX (entries, 1));
}

gboolean
wl_features_read_rows (const WlFeatures *features,
                       const guint32    *rows,
                       gsize             first,
                       gsize             n,
                       WlFeatures       *window,
                       GError          **error)
{
  gsize entries = 0, esize = entry_size (features);

  g_return_val_if_fail (features->on_disk && !window->on_disk, FALSE);

  for (gsize k = 0; k < n; k++)
    {
      gsize r = rows != NULL ? rows[k] : first + k;

      entries += features->offsets[r + 1] - features->offsets[r];
    }
  window_reserve (window, n, entries, features->weighted);
  window->n_docs = n;
  window->offsets[0] = 0;
  for (gsize k = 0; k < n; k++)
    {
      gsize r = rows != NULL ? rows[k] : first + k;
      gsize len = features->offsets[r + 1] - features->offsets[r];
      guint64 at = (guint64) features->offsets[r] * esize;
      gsize pos = window->offsets[k];

      if (!read_all (features->fd, window->ids + pos, len * sizeof (guint32), at, error))
        return FALSE;
      if (features->weighted &&
          !read_all (features->fd, window->values + pos, len * sizeof (float),
                     at + len * sizeof (guint32), error))
        return FALSE;
      window->offsets[k + 1] = pos + len;
      window->n_tokens[k] = features->n_tokens[r];
    }
  return TRUE;
}
