/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-runs-compare.c: `runs compare ID ID…`: the settings that differ
 * and the metrics, side by side. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "store/wl-store-compare.h"
#include "wl-cli-runs.h"

#define COLUMN 14

/* The metrics compared. */
typedef enum
{
  METRIC_EPOCHS_RUN,
  METRIC_BEST_EPOCH,
  METRIC_BEST_VALID,
  METRIC_TEST_ACCURACY,
  METRIC_TEST_MACRO_F1,
  METRIC_TRAIN_SECONDS,
  METRIC_TOKENS_PER_S,
  N_METRICS
} Metric;

static const char *metric_names[] = {
  "epochs_run", "best_epoch", "best_metric", "test_accuracy", "test_macro_f1",
  "train_seconds", "tokens_per_s",
};

G_STATIC_ASSERT (G_N_ELEMENTS (metric_names) == N_METRICS);

static double
metric_value (const WlCompareRun *side,
              Metric              metric)
{
  const WlRunRecord *r = side->record;

  switch (metric)
    {
    case METRIC_EPOCHS_RUN:
      return r->epochs_run;
    case METRIC_BEST_EPOCH:
      return r->best_epoch > 0 ? r->best_epoch : NAN;
    case METRIC_BEST_VALID:
      return r->best_metric;
    case METRIC_TEST_ACCURACY:
      return r->test_accuracy;
    case METRIC_TEST_MACRO_F1:
      return r->test_macro_f1;
    case METRIC_TRAIN_SECONDS:
      return side->train_seconds;
    case METRIC_TOKENS_PER_S:
    default:
      return side->tokens_per_s;
    }
}

/* Setting @key of @side; NULL when it has none, or its model does not use
 * it. */
static JsonNode *
setting (const WlCompareRun *side,
         const char         *key)
{
  if (side->config == NULL || !wl_config_json_applies (side->config, key))
    return NULL;
  return g_hash_table_lookup (side->config, key);
}

static void
print_json (WlCompareRun **sides,
            guint          n,
            GPtrArray     *keys)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  guint max_epochs = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "runs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    json_builder_add_int_value (builder, sides[i]->record->id);
  json_builder_end_array (builder);
  /* The device each trained on ("opencl:0:1 (NAME)"), whether or not the
   * settings differ: "opencl" picks by what the machine has. */
  json_builder_set_member_name (builder, "devices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    if (sides[i]->record->device != NULL)
      json_builder_add_string_value (builder, sides[i]->record->device);
    else
      json_builder_add_null_value (builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "config_differences");
  json_builder_begin_object (builder);
  for (guint k = 0; k < keys->len; k++)
    {
      json_builder_set_member_name (builder, keys->pdata[k]);
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = setting (sides[i], keys->pdata[k]);

          if (node != NULL)
            json_builder_add_value (builder, json_node_copy (node));
          else
            json_builder_add_null_value (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "metrics");
  json_builder_begin_object (builder);
  for (Metric m = 0; m < N_METRICS; m++)
    {
      json_builder_set_member_name (builder, metric_names[m]);
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          double value = metric_value (sides[i], m);

          if (isfinite (value))
            json_builder_add_double_value (builder, value);
          else
            json_builder_add_null_value (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  /* The validation curves, epoch by epoch. */
  for (guint i = 0; i < n; i++)
    max_epochs = MAX (max_epochs, sides[i]->epochs->len);
  json_builder_set_member_name (builder, "valid_accuracy");
  json_builder_begin_array (builder);
  for (guint e = 0; e < max_epochs; e++)
    {
      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          GArray *epochs = sides[i]->epochs;
          double value = e < epochs->len ? g_array_index (epochs, WlEpochRecord, e).valid_accuracy : NAN;

          if (isfinite (value))
            json_builder_add_double_value (builder, value);
          else
            json_builder_add_null_value (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  wl_cli_print_json (root, TRUE);
}

static void
print_row_start (const char *name)
{
  g_print ("%-28s", name);
}

static void
print_text (WlCompareRun **sides,
            guint          n,
            GPtrArray     *keys)
{
  guint max_epochs = 0;

  print_row_start (_("run"));
  for (guint i = 0; i < n; i++)
    g_print ("%*" G_GINT64_FORMAT, COLUMN, sides[i]->record->id);
  g_print ("\n");
  print_row_start (_("state"));
  for (guint i = 0; i < n; i++)
    g_print ("%*s", COLUMN, wl_run_state_to_string (sides[i]->record->state));
  g_print ("\n");
  print_row_start (_("device"));
  for (guint i = 0; i < n; i++)
    g_print (" %*.*s", COLUMN - 1, COLUMN - 1, sides[i]->record->device ? sides[i]->record->device : "-");
  g_print ("\n\n%s\n", keys->len > 0 ? _("Settings that differ:") : _("Same settings."));
  for (guint k = 0; k < keys->len; k++)
    {
      print_row_start (keys->pdata[k]);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = setting (sides[i], keys->pdata[k]);
          g_autofree char *value = node != NULL ? json_to_string (node, FALSE) : g_strdup ("-");

          g_print (" %*.*s", COLUMN - 1, COLUMN - 1, value);
        }
      g_print ("\n");
    }

  g_print ("\n%s\n", _("Metrics:"));
  for (Metric m = 0; m < N_METRICS; m++)
    {
      print_row_start (metric_names[m]);
      for (guint i = 0; i < n; i++)
        g_print ("%*.4g", COLUMN, metric_value (sides[i], m));
      g_print ("\n");
    }

  for (guint i = 0; i < n; i++)
    max_epochs = MAX (max_epochs, sides[i]->epochs->len);
  if (max_epochs > 0)
    g_print ("\n%s\n", _("Validation accuracy by epoch:"));
  for (guint e = 0; e < max_epochs; e++)
    {
      g_autofree char *name = g_strdup_printf (_("epoch %u"), e + 1);

      print_row_start (name);
      for (guint i = 0; i < n; i++)
        {
          GArray *epochs = sides[i]->epochs;

          if (e < epochs->len)
            g_print ("%*.4f", COLUMN, g_array_index (epochs, WlEpochRecord, e).valid_accuracy);
          else
            g_print ("%*s", COLUMN, "-");
        }
      g_print ("\n");
    }
}

int
wl_cli_runs_compare (WlStore   *store,
                     char     **ids,
                     gboolean   json)
{
  guint n = g_strv_length (ids);
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) wl_compare_run_free);
  g_autofree GHashTable **configs = g_new0 (GHashTable *, n);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;
  int status = WL_CLI_EXIT_OK;

  for (guint i = 0; i < n && status == WL_CLI_EXIT_OK; i++)
    {
      gint64 id;

      if (!wl_cli_parse_run_id (ids[i], &id))
        status = WL_CLI_EXIT_USAGE;
      else
        {
          WlCompareRun *run = wl_store_get_compare_run (store, id, &error);

          if (run == NULL)
            status = wl_cli_fail (error);
          else
            g_ptr_array_add (runs, run);
        }
    }
  if (status == WL_CLI_EXIT_OK)
    {
      for (guint i = 0; i < n; i++)
        configs[i] = ((WlCompareRun *) runs->pdata[i])->config;
      keys = wl_config_json_keys (configs, n, TRUE);
      if (json)
        print_json ((WlCompareRun **) runs->pdata, n, keys);
      else
        print_text ((WlCompareRun **) runs->pdata, n, keys);
    }
  return status;
}
