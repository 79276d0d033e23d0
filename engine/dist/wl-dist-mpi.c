/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-dist-mpi.c: wl-dist.h on MPI (Open MPI 4.1, MPICH 4.0).
 *
 * MPI is initialised only under a launcher (wl_dist_launcher_size() > 1),
 * with MPI_THREAD_SERIALIZED: the collectives come from the run's thread,
 * one at a time.  An error in a collective is returned as a GError naming
 * the MPI error (MPI_ERRORS_RETURN instead of the default
 * MPI_ERRORS_ARE_FATAL), so that the caller can say what it was doing; the
 * CLI then aborts the job.  Large arrays go in pieces of at most 2^28
 * elements (MPI counts are ints).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <mpi.h>
#include <string.h>

#include "dist/wl-dist-private.h"
#include "wl-error.h"

#define PIECE ((gsize) 1 << 28)

static gboolean initialized;
static int rank, world_size = 1;
static gint64 comm_us;
static guint64 comm_calls;

gboolean
wl_dist_built_with_mpi (void)
{
  return TRUE;
}

gboolean
wl_dist_init (GError **error)
{
  int provided = 0, code;

  if (wl_dist_launcher_size () <= 1)
    return TRUE;
  code = MPI_Init_thread (NULL, NULL, MPI_THREAD_SERIALIZED, &provided);
  if (code != MPI_SUCCESS)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("MPI could not be set up (error %d); check the mpirun command and its hostfile"),
                   code);
      return FALSE;
    }
  initialized = TRUE;
  if (provided < MPI_THREAD_SERIALIZED)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("This MPI library does not let a worker thread communicate "
                     "(MPI_THREAD_SERIALIZED); use Open MPI or MPICH built with threads"));
      return FALSE;
    }
  MPI_Comm_set_errhandler (MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank (MPI_COMM_WORLD, &rank);
  MPI_Comm_size (MPI_COMM_WORLD, &world_size);
  return wl_dist_gather_hosts (error);
}

void
wl_dist_finalize (void)
{
  if (initialized)
    MPI_Finalize ();
  initialized = FALSE;
}

guint
wl_dist_rank (void)
{
  return (guint) rank;
}

guint
wl_dist_size (void)
{
  return (guint) world_size;
}

static gboolean
check (int          code,
       gint64       start,
       const char  *what,
       GError     **error)
{
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;

  comm_us += g_get_monotonic_time () - start;
  comm_calls++;
  if (code == MPI_SUCCESS)
    return TRUE;
  MPI_Error_string (code, text, &length);
  g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
               _("Rank %d of %d: the %s with the other processes failed (%s); "
                 "another rank may have stopped: see its messages"),
               rank, world_size, what, text);
  return FALSE;
}

static gboolean
allreduce (gpointer      data,
           gsize         n,
           MPI_Datatype  type,
           gsize         type_size,
           MPI_Op        op,
           GError      **error)
{
  gint64 start = g_get_monotonic_time ();
  int code = MPI_SUCCESS;

  if (world_size <= 1)
    return TRUE;
  for (gsize done = 0; done < n && code == MPI_SUCCESS; done += PIECE)
    code = MPI_Allreduce (MPI_IN_PLACE, (char *) data + done * type_size,
                          (int) MIN (PIECE, n - done), type, op, MPI_COMM_WORLD);
  return check (code, start, "allreduce", error);
}

gboolean
wl_dist_allreduce_float (float *data, gsize n, GError **error)
{
  return allreduce (data, n, MPI_FLOAT, sizeof (float), MPI_SUM, error);
}

gboolean
wl_dist_allreduce_double (double *data, gsize n, GError **error)
{
  return allreduce (data, n, MPI_DOUBLE, sizeof (double), MPI_SUM, error);
}

gboolean
wl_dist_allreduce_int64 (gint64 *data, gsize n, GError **error)
{
  return allreduce (data, n, MPI_INT64_T, sizeof (gint64), MPI_SUM, error);
}

gboolean
wl_dist_allreduce_max_int64 (gint64 *data, gsize n, GError **error)
{
  return allreduce (data, n, MPI_INT64_T, sizeof (gint64), MPI_MAX, error);
}

gboolean
wl_dist_broadcast (gpointer data, gsize n, guint root, GError **error)
{
  gint64 start = g_get_monotonic_time ();
  int code = MPI_SUCCESS;

  if (world_size <= 1)
    return TRUE;
  for (gsize done = 0; done < n && code == MPI_SUCCESS; done += PIECE)
    code = MPI_Bcast ((char *) data + done, (int) MIN (PIECE, n - done), MPI_BYTE,
                      (int) root, MPI_COMM_WORLD);
  return check (code, start, "broadcast", error);
}

gboolean
wl_dist_allgather (gconstpointer send, gsize size, gpointer recv, GError **error)
{
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (size <= G_MAXINT, FALSE);

  if (world_size <= 1)
    {
      memmove (recv, send, size);
      return TRUE;
    }
  return check (MPI_Allgather (send, (int) size, MPI_BYTE, recv, (int) size, MPI_BYTE,
                               MPI_COMM_WORLD), start, "allgather", error);
}

gboolean
wl_dist_barrier (GError **error)
{
  if (world_size <= 1)
    return TRUE;
  return check (MPI_Barrier (MPI_COMM_WORLD), g_get_monotonic_time (), "barrier", error);
}

void
wl_dist_abort (int status)
{
  if (initialized)
    MPI_Abort (MPI_COMM_WORLD, status);
  exit (status);
}

double
wl_dist_comm_seconds (void)
{
  return comm_us / (double) G_USEC_PER_SEC;
}

guint64
wl_dist_comm_calls (void)
{
  return comm_calls;
}
