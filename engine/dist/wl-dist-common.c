/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-dist-common.c: what both implementations of wl-dist.h share: the
 * launcher's environment, the host names, and collectives of bytes of any
 * size built on the others. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dist/wl-dist-private.h"

/* The variables the launchers set, largest job first: Open MPI, MPICH and
 * Intel MPI (Hydra's PMI), Slurm's srun. */
static const char *const size_variables[] = {
  "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS",
};

guint
wl_dist_launcher_size (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (size_variables); i++)
    {
      const char *value = g_getenv (size_variables[i]);
      guint64 n;

      if (value != NULL && g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT, &n, NULL))
        return (guint) n;
    }
  return 1;
}

const char *
wl_dist_host (void)
{
  return g_get_host_name ();
}

#define HOST_BYTES 256   /* a host name (HOST_NAME_MAX is 64 on Linux) and its NUL */

static char **hosts;

/* Called by wl_dist_init() of either implementation, once MPI is up. */
gboolean
wl_dist_gather_hosts (GError **error)
{
  guint n = wl_dist_size ();
  g_autofree char *all = g_malloc0 ((gsize) HOST_BYTES * n);
  char mine[HOST_BYTES] = { 0 };

  g_strlcpy (mine, wl_dist_host (), sizeof mine);
  if (!wl_dist_allgather (mine, sizeof mine, all, error))
    return FALSE;
  g_strfreev (hosts);
  hosts = g_new0 (char *, n + 1);
  for (guint r = 0; r < n; r++)
    hosts[r] = g_strndup (all + (gsize) r * HOST_BYTES, HOST_BYTES - 1);
  return TRUE;
}

const char * const *
wl_dist_hosts (void)
{
  static const char *alone[2];

  if (hosts != NULL)
    return (const char * const *) hosts;
  alone[0] = wl_dist_host ();
  return alone;
}

/* Variable sizes on top of the fixed-size collectives: the size first. */
GBytes *
wl_dist_broadcast_bytes (GBytes  *data,
                         guint    root,
                         GError **error)
{
  guint64 size = data != NULL ? g_bytes_get_size (data) : 0;
  gpointer buffer;

  if (wl_dist_rank () == root)
    {
      g_return_val_if_fail (data != NULL, NULL);
      return wl_dist_broadcast (&size, sizeof size, root, error) &&
             wl_dist_broadcast ((gpointer) g_bytes_get_data (data, NULL), size, root, error)
             ? g_bytes_ref (data) : NULL;
    }
  if (!wl_dist_broadcast (&size, sizeof size, root, error))
    return NULL;
  buffer = g_malloc (MAX (size, 1));
  if (!wl_dist_broadcast (buffer, size, root, error))
    {
      g_free (buffer);
      return NULL;
    }
  return g_bytes_new_take (buffer, size);
}

GPtrArray *
wl_dist_allgather_bytes (GBytes  *data,
                         GError **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  /* One broadcast per rank: the ranks are few, the data large. */
  for (guint r = 0; r < wl_dist_size (); r++)
    {
      GBytes *bytes = wl_dist_broadcast_bytes (r == wl_dist_rank () ? data : NULL, r, error);

      if (bytes == NULL)
        return NULL;
      g_ptr_array_add (all, bytes);
    }
  return g_steal_pointer (&all);
}
