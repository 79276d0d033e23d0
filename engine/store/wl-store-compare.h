/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-compare.h: stored runs side by side, as `runs compare` and the
 * window's Runs page show them: each run's settings by key path, the
 * settings that differ between runs, and what each took (the Train stage's
 * time, the tokens per second, the device).
 *
 * A run's config is JSON (WlRunRecord.config); comparing runs wants it
 * flat, one value a leaf ("model.lr" → 0.1):
 *
 *   configs[i] = wl_config_json_flatten (record[i]->config);
 *   differing = wl_config_json_keys (configs, n, TRUE);
 */
#pragma once

#include <json-glib/json-glib.h>

#include "store/wl-store.h"

G_BEGIN_DECLS

/* One run to compare. */
typedef struct
{
  WlRunRecord *record;          /* the whole record (wl_store_get_run()) */
  GHashTable  *config;          /* flattened; NULL when the run has no config */
  GArray      *epochs;          /* WlEpochRecord */
  double       train_seconds;   /* time in the Train stage; NAN when it has none */
  double       tokens_per_s;    /* the mean over its epochs; NAN without epochs */
} WlCompareRun;

WlCompareRun *wl_store_get_compare_run (WlStore            *store,
                                        gint64              id,
                                        GError            **error);
void          wl_compare_run_free      (WlCompareRun       *run);

/* Whether the model of @config (flattened) uses the setting at @key
 * (wl_setting_applies_to()): "model.filters" is textcnn's only.  A key
 * or a model the settings table does not know counts as used. */
gboolean      wl_config_json_applies   (GHashTable         *config,
                                        const char         *key);

/* Every leaf of @json (a value, an array or null; never an object) by its
 * key path, "model.epochs" → JsonNode * (owned by the table); NULL when
 * @json is NULL or does not parse. */
GHashTable *wl_config_json_flatten (const char         *json);
/* The keys of @configs (flattened; NULL ones have no keys), sorted, each
 * once (char *, owned by the array).  With @differing_only, only those
 * whose value is not the same in every config whose model uses it (missing
 * in one counts as different; 1 and 1.0 are the same), and none that no
 * config's model uses. */
GPtrArray  *wl_config_json_keys    (GHashTable * const *configs,
                                    guint               n_configs,
                                    gboolean            differing_only);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlCompareRun, wl_compare_run_free)

G_END_DECLS
