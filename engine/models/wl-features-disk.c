/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-features-disk.c: sparse rows kept in a file instead of memory.
 *
 * A part of a file larger than memory is featurized window by window; its
 * rows go to a scratch file (wl-cache-file.h) that goes away with the
 * process however the process ends.  Row i is bytes starts[i] ..
 * starts[i + 1] - 1 of the file: its tokens (4 bytes), its ids, then its
 * values when weighted.  Only where each row starts stays in memory (4
 * bytes a row, wl-packed.h), so that any rows can be read back with one
 * pread() each, in any order, into a window in memory.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wl-cache-file.h"
#include "wl-error.h"
#include "wl-packed.h"
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
  int fd = wl_cache_file_open ("features", error);
  WlFeatures *features;

  if (fd < 0)
    return NULL;
  features = g_new0 (WlFeatures, 1);
  features->fd = fd;
  features->on_disk = TRUE;
  features->window = MAX (window, 1);
  wl_packed_init (&features->starts);
  wl_packed_append (&features->starts, 0);
  return features;
}

gboolean
wl_features_append_to_disk (WlFeatures       *features,
                            const WlFeatures *more,
                            GError          **error)
{
  guint64 at = wl_packed_get (&features->starts, features->n_docs);
  g_autoptr(GByteArray) rows = g_byte_array_new ();

  g_return_val_if_fail (features->on_disk && !more->on_disk, FALSE);

  if (features->n_docs == 0)
    features->weighted = more->values != NULL;
  g_return_val_if_fail (features->weighted == (more->values != NULL), FALSE);

  for (gsize i = 0; i < more->n_docs; i++)
    {
      const guint32 *ids;
      const float *values;
      gsize len = wl_features_row (more, i, &ids, &values);

      g_byte_array_append (rows, (const guint8 *) &more->n_tokens[i], sizeof (guint32));
      g_byte_array_append (rows, (const guint8 *) ids, len * sizeof (guint32));
      if (features->weighted)
        g_byte_array_append (rows, (const guint8 *) values, len * sizeof (float));
      if (!wl_packed_append (&features->starts, at + rows->len))
        {
          g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                       _("Not enough memory for the row index of %zu rows"),
                       features->n_docs + i + 1);
          return FALSE;
        }
    }
  if (!wl_cache_file_write (features->fd, rows->data, rows->len, at, error))
    return FALSE;
  features->n_docs += more->n_docs;
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
  gsize entries = 0, esize = entry_size (features), longest = 0;
  g_autofree guint8 *record = NULL;

  g_return_val_if_fail (features->on_disk && !window->on_disk, FALSE);

  for (gsize k = 0; k < n; k++)
    {
      gsize r = rows != NULL ? rows[k] : first + k;
      gsize bytes = wl_packed_get (&features->starts, r + 1) - wl_packed_get (&features->starts, r);

      entries += (bytes - sizeof (guint32)) / esize;
      longest = MAX (longest, bytes);
    }
  window_reserve (window, n, entries, features->weighted);
  record = g_malloc (MAX (longest, 1));
  window->n_docs = n;
  window->offsets[0] = 0;
  for (gsize k = 0; k < n; k++)
    {
      gsize r = rows != NULL ? rows[k] : first + k;
      guint64 at = wl_packed_get (&features->starts, r);
      gsize bytes = wl_packed_get (&features->starts, r + 1) - at;
      gsize len = (bytes - sizeof (guint32)) / esize;
      gsize pos = window->offsets[k];

      if (!wl_cache_file_read (features->fd, record, bytes, at, error))
        return FALSE;
      memcpy (&window->n_tokens[k], record, sizeof (guint32));
      memcpy (window->ids + pos, record + sizeof (guint32), len * sizeof (guint32));
      if (features->weighted)
        memcpy (window->values + pos, record + sizeof (guint32) + len * sizeof (guint32),
                len * sizeof (float));
      window->offsets[k + 1] = pos + len;
    }
  return TRUE;
}
