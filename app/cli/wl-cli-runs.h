/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-runs.h: what the `runs` subcommands share. */
#pragma once

#include <json-glib/json-glib.h>

#include "wl-cli.h"

G_BEGIN_DECLS

/* wl-cli-runs-json.c */
/* "2026-11-23T04:05:06Z" (@iso), else local "2026-11-23 05:05"; NULL for 0. */
char     *wl_cli_format_time       (gint64              unix_seconds,
                                    gboolean            iso);
/* A number, or null when not finite. */
void      wl_cli_json_add_number   (JsonBuilder        *builder,
                                    const char         *name,
                                    double              value);
/* JSON text the store keeps (config, evaluation…) as a value; null when
 * absent or unreadable. */
void      wl_cli_json_add_stored   (JsonBuilder        *builder,
                                    const char         *name,
                                    const char         *json);
/* A run as a JSON object: what `runs --json` lists, and with @details
 * everything `runs show --json` shows (series and checkpoints too). */
JsonNode *wl_cli_run_to_json       (WlStore            *store,
                                    const WlRunRecord  *record,
                                    gboolean            details,
                                    GError            **error);
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

/* wl-cli-runs-export.c */
int       wl_cli_runs_export       (WlStore            *store,
                                    gint64              id,
                                    const char         *dir);

G_END_DECLS
