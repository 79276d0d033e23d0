/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-dist.h: the processes of a distributed run, as the trainer and the
 * models see them.
 *
 * One interface, two implementations chosen at build time: wl-dist-mpi.c
 * (Open MPI or MPICH, -Dmpi=enabled) and wl-dist-single.c (one process,
 * every collective a no-op).  Nothing else in the engine includes mpi.h.
 *
 * wl_dist_init() is called once by the entry point before any thread is
 * started; MPI is set up only when a launcher (mpirun, srun) started the
 * process, so a plain `wordloom-cli train` and the window never touch it.
 * The collectives may then be called from one thread at a time (the run's
 * thread): MPI_THREAD_SERIALIZED.  Every rank must call them in the same
 * order with the same sizes; a rank that fails calls wl_dist_abort(),
 * which ends every rank of the job.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether this build can train across processes (it was built with MPI). */
gboolean    wl_dist_built_with_mpi (void);
/* How many processes the launcher of this one started, from its
 * environment (Open MPI, MPICH, Slurm's PMI); 1 when none did.  Known
 * without MPI, so a build without it can refuse to run as one of many. */
guint       wl_dist_launcher_size  (void);

/* Sets MPI up when a launcher started this process; FALSE (with @error)
 * when it did and this build cannot join the others, or MPI fails. */
gboolean    wl_dist_init           (GError   **error);
/* Ends MPI (after the last collective). */
void        wl_dist_finalize       (void);

guint       wl_dist_rank           (void);
guint       wl_dist_size           (void);
/* The host this rank runs on (for messages and the run's record). */
const char *wl_dist_host           (void);
/* The host of every rank, by rank (wl_dist_size() of them), gathered by
 * wl_dist_init(): what the run store records with a distributed run. */
const char * const *wl_dist_hosts  (void);

/* In-place sums over every rank. */
gboolean    wl_dist_allreduce_float  (float    *data,
                                      gsize     n,
                                      GError  **error);
gboolean    wl_dist_allreduce_double (double   *data,
                                      gsize     n,
                                      GError  **error);
gboolean    wl_dist_allreduce_int64  (gint64   *data,
                                      gsize     n,
                                      GError  **error);
/* In-place maximum over every rank (for "any rank …" flags). */
gboolean    wl_dist_allreduce_max_int64 (gint64 *data,
                                         gsize   n,
                                         GError **error);
/* @size bytes of rank @root's @data into every rank's @data. */
gboolean    wl_dist_broadcast      (gpointer  data,
                                    gsize     size,
                                    guint     root,
                                    GError  **error);
/* Each rank's @size bytes of @send, in rank order, into every rank's
 * @recv (size × wl_dist_size() bytes). */
gboolean    wl_dist_allgather      (gconstpointer send,
                                    gsize     size,
                                    gpointer  recv,
                                    GError  **error);
/* Rank @root's @data (ignored on the other ranks) on every rank. */
GBytes     *wl_dist_broadcast_bytes (GBytes   *data,
                                     guint     root,
                                     GError  **error);
/* Every rank's @data, by rank: wl_dist_size() GBytes (an array to unref). */
GPtrArray  *wl_dist_allgather_bytes (GBytes   *data,
                                     GError  **error);
gboolean    wl_dist_barrier        (GError  **error);
/* Ends every rank of the job with @status (never returns). */
void        wl_dist_abort          (int       status) G_GNUC_NORETURN;

/* Seconds spent in the collectives above since the process started, and
 * how many calls (for the allreduce cost the benchmark reports). */
double      wl_dist_comm_seconds   (void);
guint64     wl_dist_comm_calls     (void);

G_END_DECLS
