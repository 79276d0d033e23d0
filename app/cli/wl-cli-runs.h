/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-runs.h: what the `runs` subcommands share. */
#pragma once

#include <json-glib/json-glib.h>

#include "store/wl-store-json.h"
#include "wl-cli.h"

G_BEGIN_DECLS

/* wl-cli-runs-json.c */
/* Prints @node on one line (or indented with @pretty). */
void      wl_cli_print_json        (JsonNode           *node,
                                    gboolean            pretty);
/* A run id argument; FALSE (after a usage message) when it is not one. */
gboolean  wl_cli_parse_run_id      (const char         *arg,
                                    gint64             *id);

/* wl-cli-runs-compare.c */
int       wl_cli_runs_compare      (WlStore            *store,
                                    char              **ids,
                                    gboolean            json);

G_END_DECLS
