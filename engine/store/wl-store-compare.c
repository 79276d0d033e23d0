/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-compare.c: a stored run's settings by key path, and the
 * settings that differ between runs. */
#include "config.h"

#include <string.h>

#include "store/wl-store-compare.h"

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

static gboolean
same_everywhere (GHashTable * const *configs,
                 guint               n_configs,
                 const char         *key)
{
  JsonNode *first = configs[0] != NULL ? g_hash_table_lookup (configs[0], key) : NULL;

  for (guint i = 1; i < n_configs; i++)
    {
      JsonNode *node = configs[i] != NULL ? g_hash_table_lookup (configs[i], key) : NULL;

      if (first == NULL || node == NULL ? first != node : !json_node_equal (first, node))
        return FALSE;
    }
  return TRUE;
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
