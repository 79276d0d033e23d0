/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-dist-single.c: wl-dist.h in a build without MPI: one process, whose
 * collectives leave the data as it is.  Started by a launcher as one of
 * several, it refuses to run rather than train the same model N times. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "dist/wl-dist.h"
#include "wl-error.h"

gboolean
wl_dist_built_with_mpi (void)
{
  return FALSE;
}

gboolean
wl_dist_init (GError **error)
{
  guint n = wl_dist_launcher_size ();

  if (n <= 1)
    return TRUE;
  g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
               _("This Wordloom was built without MPI, so it cannot train as one of %u processes: "
                 "distributed training needs MPI. Install Open MPI (the packages openmpi-bin and "
                 "libopenmpi-dev) and build again with “meson setup -Dmpi=enabled”, or run it "
                 "without mpirun"), n);
  return FALSE;
}

void
wl_dist_finalize (void)
{
}

guint
wl_dist_rank (void)
{
  return 0;
}

guint
wl_dist_size (void)
{
  return 1;
}

gboolean
wl_dist_allreduce_float (float *data, gsize n, GError **error)
{
  return TRUE;
}

gboolean
wl_dist_allreduce_double (double *data, gsize n, GError **error)
{
  return TRUE;
}

gboolean
wl_dist_allreduce_int64 (gint64 *data, gsize n, GError **error)
{
  return TRUE;
}

gboolean
wl_dist_allreduce_max_int64 (gint64 *data, gsize n, GError **error)
{
  return TRUE;
}

gboolean
wl_dist_broadcast (gpointer data, gsize size, guint root, GError **error)
{
  return TRUE;
}

gboolean
wl_dist_allgather (gconstpointer send, gsize size, gpointer recv, GError **error)
{
  memmove (recv, send, size);
  return TRUE;
}

gboolean
wl_dist_barrier (GError **error)
{
  return TRUE;
}

void
wl_dist_abort (int status)
{
  exit (status);
}

double
wl_dist_comm_seconds (void)
{
  return 0.0;
}

guint64
wl_dist_comm_calls (void)
{
  return 0;
}
