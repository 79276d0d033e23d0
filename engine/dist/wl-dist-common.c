/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-dist-common.c: what both implementations of wl-dist.h share: the
 * launcher's environment and the host name. */
#include "config.h"

#include <stdlib.h>

#include "dist/wl-dist.h"

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
