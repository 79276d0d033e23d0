/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-train-args.h: a config as the command line that trains it.
 *
 * wl_train_args_from_config() writes the arguments of `wordloom-cli train`
 * that give @config back: --input and --output, then every setting that
 * the model uses and that differs from its default, by its flag (the
 * table's, wl-settings.c, or for the data and cleaning settings the flags
 * that `train` defines beside the table).  Settings the model does not use
 * are left out, as a run drops them (wl_config_drop_unused()).  The
 * window's "Train on Several Machines…" shows them under mpirun;
 * tests/cli/test-train-args.c reads them back with the CLI's own parser.
 */
#pragma once

#include "wl-config.h"

G_BEGIN_DECLS

/* The arguments after `wordloom-cli train`, not quoted; fails naming a
 * setting that no flag can give (one that only a config file sets). */
GStrv  wl_train_args_from_config (const WlConfig      *config,
                                  const char          *output,
                                  GError             **error);

/* @argv as one line for a POSIX shell: an argument that needs quoting
 * goes through g_shell_quote(), the others as they are. */
char  *wl_train_args_to_shell    (const char * const  *argv);

/* `mpirun -n N [--hostfile FILE] wordloom-cli train …` for @config, one
 * line for a shell; @hostfile may be NULL. */
char  *wl_train_mpirun_command   (const WlConfig      *config,
                                  const char          *output,
                                  guint                n_processes,
                                  const char          *hostfile,
                                  GError             **error);

/* An Open MPI hostfile for @hosts (names or addresses), "NAME slots=S"
 * a line, with the @n_processes shared out as evenly as they go. */
char  *wl_train_hostfile         (const char * const  *hosts,
                                  guint                n_processes);

G_END_DECLS
