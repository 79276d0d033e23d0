/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-compare.c: flattening stored configs and finding the settings
 * that differ between runs. */
#include "store/wl-store-compare.h"

static const char *config_a =
  "{\"model\": {\"type\": \"linear\", \"lr\": 0.1, \"epochs\": 5},"
  " \"data\": {\"columns\": [\"title\", \"text\"], \"seed\": 1, \"test_input\": null}}";
static const char *config_b =
  "{\"model\": {\"type\": \"embedding-bag\", \"lr\": 0.1, \"epochs\": 5.0},"
  " \"data\": {\"columns\": [\"text\"], \"seed\": 1, \"test_input\": null, \"extra\": true}}";

static void
test_flatten (void)
{
  g_autoptr(GHashTable) config = wl_config_json_flatten (config_a);
  JsonNode *node;

  g_assert_nonnull (config);
  g_assert_cmpuint (g_hash_table_size (config), ==, 6);
  node = g_hash_table_lookup (config, "model.type");
  g_assert_cmpstr (json_node_get_string (node), ==, "linear");
  node = g_hash_table_lookup (config, "model.lr");
  g_assert_cmpfloat (json_node_get_double (node), ==, 0.1);
  node = g_hash_table_lookup (config, "data.columns");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 2);
  g_assert_true (JSON_NODE_HOLDS_NULL (g_hash_table_lookup (config, "data.test_input")));
  g_assert_null (g_hash_table_lookup (config, "model"));

  g_assert_null (wl_config_json_flatten (NULL));
  g_assert_null (wl_config_json_flatten ("{\"model\": "));
}

static void
test_keys (void)
{
  GHashTable *configs[3] = {
    wl_config_json_flatten (config_a),
    wl_config_json_flatten (config_b),
    NULL,
  };
  const char *all[] = { "data.columns", "data.extra", "data.seed", "data.test_input",
                        "model.epochs", "model.lr", "model.type" };
  /* epochs 5 and 5.0 are the same number */
  const char *differing[] = { "data.columns", "data.extra", "model.type" };
  g_autoptr(GPtrArray) keys = wl_config_json_keys (configs, 2, FALSE);
  g_autoptr(GPtrArray) diff = wl_config_json_keys (configs, 2, TRUE);
  g_autoptr(GPtrArray) one = wl_config_json_keys (configs, 1, TRUE);
  g_autoptr(GPtrArray) with_missing = wl_config_json_keys (configs, 3, TRUE);

  g_assert_cmpuint (keys->len, ==, G_N_ELEMENTS (all));
  for (guint i = 0; i < keys->len; i++)
    g_assert_cmpstr (keys->pdata[i], ==, all[i]);
  g_assert_cmpuint (diff->len, ==, G_N_ELEMENTS (differing));
  for (guint i = 0; i < diff->len; i++)
    g_assert_cmpstr (diff->pdata[i], ==, differing[i]);
  /* One config differs from nothing. */
  g_assert_cmpuint (one->len, ==, 0);
  /* A run without a config differs in every setting. */
  g_assert_cmpuint (with_missing->len, ==, G_N_ELEMENTS (all));

  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    g_clear_pointer (&configs[i], g_hash_table_unref);
}

/* A setting a model does not use is neither compared nor shown: two
 * LSTMs whose stale "filters" differ differ in hidden units only; linear
 * against an LSTM shows linear's l2, not textcnn's filters. */
static void
test_applies (void)
{
  GHashTable *configs[3] = {
    wl_config_json_flatten ("{\"model\": {\"type\": \"lstm\", \"hidden\": 64, \"filters\": 0}}"),
    wl_config_json_flatten ("{\"model\": {\"type\": \"lstm\", \"hidden\": 128, \"filters\": 100}}"),
    wl_config_json_flatten ("{\"model\": {\"type\": \"linear\", \"l2\": 0.001, \"filters\": 0}}"),
  };
  g_autoptr(GPtrArray) lstms = wl_config_json_keys (configs, 2, TRUE);
  g_autoptr(GPtrArray) mixed = wl_config_json_keys (configs + 1, 2, TRUE);

  g_assert_false (wl_config_json_applies (configs[0], "model.filters"));
  g_assert_true (wl_config_json_applies (configs[0], "model.hidden"));
  g_assert_true (wl_config_json_applies (configs[2], "model.l2"));
  g_assert_true (wl_config_json_applies (configs[0], "model.no_such_setting"));
  g_assert_true (wl_config_json_applies (NULL, "model.filters"));

  g_assert_cmpuint (lstms->len, ==, 1);
  g_assert_cmpstr (lstms->pdata[0], ==, "model.hidden");
  /* hidden (the lstm's), l2 (linear's), type; not filters */
  g_assert_cmpuint (mixed->len, ==, 3);
  g_assert_cmpstr (mixed->pdata[0], ==, "model.hidden");
  g_assert_cmpstr (mixed->pdata[1], ==, "model.l2");
  g_assert_cmpstr (mixed->pdata[2], ==, "model.type");

  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    g_clear_pointer (&configs[i], g_hash_table_unref);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/compare/flatten", test_flatten);
  g_test_add_func ("/store/compare/keys", test_keys);
  g_test_add_func ("/store/compare/applies", test_applies);
  return g_test_run ();
}
