/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-json.h: a stored run as JSON: what `wordloom-cli runs --json`
 * lists, what `runs show --json` shows, and the run.json of a run's report
 * (wl-run-report.h), in the window as in the CLI. */
#pragma once

#include <json-glib/json-glib.h>

#include "store/wl-store.h"

G_BEGIN_DECLS

/* "2026-11-23T04:05:06Z" (@iso), else local "2026-11-23 05:05"; NULL for 0. */
char     *wl_store_format_time (gint64              unix_seconds,
                                gboolean            iso);
/* A run as a JSON object: its row, and with @details everything the store
 * keeps of it (config, data, machine, evaluation, series, checkpoints). */
JsonNode *wl_store_run_to_json (WlStore            *store,
                                const WlRunRecord  *record,
                                gboolean            details,
                                GError            **error);

G_END_DECLS
