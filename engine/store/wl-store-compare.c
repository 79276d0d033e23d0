/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-compare.c: stored runs side by side: settings by key path, the
 * settings that differ, and what each run took. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "store/wl-store-compare.h"
#include "wl-settings.h"

void
wl_compare_run_free (WlCompareRun *run)
{
  if (run == NULL)
    return;
  g_clear_pointer (&run->record, wl_run_record_free);
  g_clear_pointer (&run->config, g_hash_table_unref);
  g_clear_pointer (&run->epochs, g_array_unref);
  g_free (run);
}

WlCompareRun *
wl_store_get_compare_run (WlStore  *store,
                          gint64    id,
                          GError  **error)
{
  g_autoptr(WlCompareRun) run = g_new0 (WlCompareRun, 1);
  g_autoptr(GArray) stages = NULL;
  gboolean trained = FALSE;

  if ((run->record = wl_store_get_run (store, id, error)) == NULL ||
      (run->epochs = wl_store_get_epochs (store, id, error)) == NULL ||
      (stages = wl_store_get_stages (store, id, error)) == NULL)
    return NULL;
  run->config = wl_config_json_flatten (run->record->config);
  for (guint i = 0; i < stages->len; i++)
    if (g_array_index (stages, WlStageRecord, i).stage == WL_STAGE_TRAIN)
      {
        run->train_seconds += g_array_index (stages, WlStageRecord, i).seconds;
        trained = TRUE;
      }
  if (!trained || run->train_seconds <= 0)
    run->train_seconds = NAN;
  run->tokens_per_s = run->epochs->len > 0 ? 0 : NAN;
  for (guint i = 0; i < run->epochs->len; i++)
    run->tokens_per_s += g_array_index (run->epochs, WlEpochRecord, i).tokens_per_s / run->epochs->len;
  return g_steal_pointer (&run);
}

gboolean
wl_config_json_applies (GHashTable *config,
                        const char *key)
{
  JsonNode *type_node = config != NULL ? g_hash_table_lookup (config, "model.type") : NULL;
  const WlSetting *setting = wl_settings_find_path (key);
  WlModelType type;

  if (setting == NULL || type_node == NULL || !JSON_NODE_HOLDS_VALUE (type_node) ||
      json_node_get_value_type (type_node) != G_TYPE_STRING ||
      !wl_model_type_from_string (json_node_get_string (type_node), &type))
    return TRUE;
  return wl_setting_applies_to (setting, type);
}

static void
flatten (JsonNode   *node,
         const char *prefix,
         GHashTable *leaves)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *key = *prefix ? g_strconcat (prefix, ".", l->data, NULL)
                                         : g_strdup (l->data);

          flatten (json_object_get_member (object, l->data), key, leaves);
        }
    }
  else
    g_hash_table_insert (leaves, g_strdup (prefix), json_node_copy (node));
}

GHashTable *
wl_config_json_flatten (const char *json)
{
  g_autoptr(JsonNode) root = NULL;
  GHashTable *leaves;

  if (json == NULL || (root = json_from_string (json, NULL)) == NULL)
    return NULL;
  leaves = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
  flatten (root, "", leaves);
  return leaves;
}

/* Whether setting @key is worth no row: no config's model uses it, or
 * every config's model does and with the same value.  One model using it
 * and another not is a difference (model.type differs too). */
static gboolean
same_everywhere (GHashTable * const *configs,
                 guint               n_configs,
                 const char         *key)
{
  JsonNode *first = NULL;
  guint n_using = 0;

  for (guint i = 0; i < n_configs; i++)
    {
      JsonNode *node = configs[i] != NULL ? g_hash_table_lookup (configs[i], key) : NULL;

      if (!wl_config_json_applies (configs[i], key))
        continue;
      if (n_using++ == 0)
        first = node;
      else if (first == NULL || node == NULL ? first != node : !json_node_equal (first, node))
        return FALSE;
    }
  return n_using == 0 || n_using == n_configs;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
wl_config_json_keys (GHashTable * const *configs,
                     guint               n_configs,
                     gboolean            differing_only)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (configs != NULL || n_configs == 0, keys);

  for (guint i = 0; i < n_configs; i++)
    {
      GHashTableIter iter;
      gpointer key;

      if (configs[i] == NULL)
        continue;
      g_hash_table_iter_init (&iter, configs[i]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (g_hash_table_add (seen, key) &&
            !(differing_only && same_everywhere (configs, n_configs, key)))
          g_ptr_array_add (keys, g_strdup (key));
    }
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}
