/* wl-features-disk.c: sparse rows kept in a file instead of memory.
 *
 * A part of a file larger than memory is featurized window by window; its
 * rows go to a scratch file (wl-cache-file.h) that goes away with the
 * process however the process ends.  Row i's entries (its ids, then its values when weighted) start at
 * byte offsets[i] × entry size; the offsets and the tokens per row stay in
 * memory (12 bytes a row), so that any rows can be read back with one or
 * two pread() calls each, in any order, into a window in memory.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wl-cache-file.h"
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
  int fd = wl_cache_file_open ("features", error);
  WlFeatures *features;

  if (fd < 0)
    return NULL;
  features = g_new0 (WlFeatures, 1);
  features->fd = fd;
  features->on_disk = TRUE;
  features->window = MAX (window, 1);
  features->offsets = g_new0 (gsize, 1);
  return features;
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

      if (!wl_cache_file_write (features->fd, ids, len * sizeof (guint32), at, error))
        return FALSE;
      at += len * sizeof (guint32);
      if (features->weighted)
        {
          if (!wl_cache_file_write (features->fd, values, len * sizeof (float), at, error))
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

      if (!wl_cache_file_read (features->fd, window->ids + pos, len * sizeof (guint32), at, error))
        return FALSE;
      if (features->weighted &&
          !wl_cache_file_read (features->fd, window->values + pos, len * sizeof (float),
                     at + len * sizeof (guint32), error))
        return FALSE;
      window->offsets[k + 1] = pos + len;
      window->n_tokens[k] = features->n_tokens[r];
    }
  return TRUE;
}
