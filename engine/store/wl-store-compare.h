/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-compare.h: a stored run's settings by key path, and the
 * settings that differ between runs.
 *
 * A run's config is JSON (WlRunRecord.config); comparing runs wants it
 * flat, one value a leaf ("model.lr" → 0.1):
 *
 *   configs[i] = wl_config_json_flatten (record[i]->config);
 *   differing = wl_config_json_keys (configs, n, TRUE);
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Every leaf of @json (a value, an array or null; never an object) by its
 * key path, "model.epochs" → JsonNode * (owned by the table); NULL when
 * @json is NULL or does not parse. */
GHashTable *wl_config_json_flatten (const char         *json);
/* The keys of @configs (flattened; NULL ones have no keys), sorted, each
 * once (char *, owned by the array).  With @differing_only, only those
 * whose value is not the same in every config (missing in one counts as
 * different; 1 and 1.0 are the same). */
GPtrArray  *wl_config_json_keys    (GHashTable * const *configs,
                                    guint               n_configs,
                                    gboolean            differing_only);

G_END_DECLS
