/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-advise.c: `wordloom-cli advise`: which device, threads and
 * precision train this model fastest on this data, measured; and
 * wl_cli_advise_resolve(), which `train --device auto --threads auto` uses. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "store/wl-store-wisdom.h"
#include "train/wl-advise.h"
#include "wl-cli.h"
#include "wl-error.h"
#include "wl-settings.h"

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  WlAdvice     *advice;
  GError       *error;
} AdviseWait;

static void
on_advised (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  AdviseWait *wait = data;

  wait->advice = wl_advise_finish (result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static gboolean
on_signal (gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
  return G_SOURCE_CONTINUE;
}

/* Runs the advisor on a worker while the main loop waits for it (and for
 * Ctrl+C); @store, when given, keeps and gives the wisdom. */
static WlAdvice *
advise (const WlConfig  *config,
        double           budget,
        gboolean         remeasure,
        WlStore         *store,
        GError         **error)
{
  WlAdviseOptions options = { budget, remeasure, store ? wl_store_get_wisdom () : NULL, store };
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AdviseWait wait = { loop, cancellable, NULL, NULL };
  guint sigint = g_unix_signal_add (SIGINT, on_signal, cancellable);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal, cancellable);

  wl_advise_async (config, &options, cancellable, on_advised, &wait);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (wait.advice == NULL)
    g_propagate_error (error, wait.error);
  return wait.advice;
}

static char *
candidate_title (const WlAdviseCandidate *c)
{
  g_autofree char *where = NULL;

  if (g_str_equal (c->device, "cpu"))
    where = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "cpu, %u thread", "cpu, %u threads",
                                          c->threads), c->threads);
  else
    where = g_strdup_printf ("%s, %s", c->device, wl_precision_to_string (c->precision));
  if (c->batch_size == 0)
    return g_steal_pointer (&where);
  /* Translators: "cpu, 2 threads, batch 64" */
  return g_strdup_printf (_("%s, batch %u"), where, c->batch_size);
}

static void
print_text (const WlAdvice *a)
{
  g_print (_("Measured in %.1f s (budget %.0f s; loading the file: %.1f s). %zu rows: %zu to train, "
             "%zu to validate, %zu to test; %u epochs at most, %u expected%s.\n"),
           a->measured_seconds, a->budget, a->load_seconds, a->n_rows, a->n_train, a->n_valid,
           a->n_test, a->max_epochs, a->expected_epochs,
           a->measured_epochs > 0 ? _(" (early stopping measured on the sample)") : "");
  g_print (_("Cleaning and tokenising, per 1000 texts:"));
  for (guint i = 0; i < a->preprocess_threads->len; i++)
    g_print (g_dngettext (GETTEXT_PACKAGE, "  %u thread: %.3f s", "  %u threads: %.3f s",
                          g_array_index (a->preprocess_threads, guint, i)),
             g_array_index (a->preprocess_threads, guint, i),
             g_array_index (a->preprocess_seconds, double, i) * 1000.0);
  g_print ("\n\n%-2s%-32s %11s %11s %11s %11s  %s\n", "", _("CANDIDATE"), _("PREPROCESS"),
           _("TRAIN"), _("EVALUATE"), _("TOTAL"), _("RANGE"));
  for (guint i = 0; i < a->candidates->len; i++)
    {
      const WlAdviseCandidate *c = g_ptr_array_index (a->candidates, i);
      g_autofree char *title = candidate_title (c);

      if (c->failure != NULL)
        {
          g_print ("%-2s%-32s %s\n", "", title, c->failure);
          continue;
        }
      g_print ("%-2s%-32s %10.1fs %10.1fs %10.1fs %10.1fs  %.1f–%.1f s%s\n",
               i == a->pick ? "*" : "", title, c->load + c->preprocess, c->train, c->evaluate,
               c->total, c->total_low, c->total_high, c->reused ? _("  (measured before)") : "");
    }
  g_print ("\n%s\n", a->summary);
}

static void
add_double (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

static void
print_json (const WlAdvice *a)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  add_double (b, "budget", a->budget);
  add_double (b, "measured_seconds", a->measured_seconds);
  add_double (b, "load_seconds", a->load_seconds);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "train");
  json_builder_add_int_value (b, a->n_train);
  json_builder_set_member_name (b, "valid");
  json_builder_add_int_value (b, a->n_valid);
  json_builder_set_member_name (b, "test");
  json_builder_add_int_value (b, a->n_test);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "max_epochs");
  json_builder_add_int_value (b, a->max_epochs);
  json_builder_set_member_name (b, "expected_epochs");
  json_builder_add_int_value (b, a->expected_epochs);
  json_builder_set_member_name (b, "measured_epochs");
  json_builder_add_int_value (b, a->measured_epochs);
  json_builder_set_member_name (b, "batch_size");
  json_builder_add_int_value (b, a->batch_size);
  json_builder_set_member_name (b, "preprocess");
  json_builder_begin_array (b);
  for (guint i = 0; i < a->preprocess_threads->len; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "threads");
      json_builder_add_int_value (b, g_array_index (a->preprocess_threads, guint, i));
      add_double (b, "seconds_per_text", g_array_index (a->preprocess_seconds, double, i));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "candidates");
  json_builder_begin_array (b);
  for (guint i = 0; i < a->candidates->len; i++)
    {
      const WlAdviseCandidate *c = g_ptr_array_index (a->candidates, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "device");
      json_builder_add_string_value (b, c->device);
      json_builder_set_member_name (b, "device_name");
      json_builder_add_string_value (b, c->device_name);
      json_builder_set_member_name (b, "driver");
      json_builder_add_string_value (b, c->driver);
      json_builder_set_member_name (b, "threads");
      json_builder_add_int_value (b, c->threads);
      json_builder_set_member_name (b, "precision");
      json_builder_add_string_value (b, wl_precision_to_string (c->precision));
      json_builder_set_member_name (b, "batch_size");
      json_builder_add_int_value (b, c->batch_size);
      json_builder_set_member_name (b, "epochs");
      json_builder_add_int_value (b, c->epochs);
      json_builder_set_member_name (b, "reused");
      json_builder_add_boolean_value (b, c->reused);
      json_builder_set_member_name (b, "failure");
      if (c->failure != NULL)
        json_builder_add_string_value (b, c->failure);
      else
        json_builder_add_null_value (b);
      if (c->failure == NULL)
        {
          json_builder_set_member_name (b, "measure");
          json_builder_begin_object (b);
          add_double (b, "train_seconds_per_text", c->measure.train_seconds);
          add_double (b, "train_rel_error", c->measure.train_rel_error);
          add_double (b, "predict_seconds_per_text", c->measure.predict_seconds);
          add_double (b, "featurize_seconds_per_text", c->measure.featurize_seconds);
          add_double (b, "build_seconds_per_text", c->measure.build_seconds);
          add_double (b, "startup_seconds", c->measure.startup_seconds);
          json_builder_end_object (b);
          json_builder_set_member_name (b, "projection");
          json_builder_begin_object (b);
          add_double (b, "load", c->load);
          add_double (b, "preprocess", c->preprocess);
          add_double (b, "train", c->train);
          add_double (b, "evaluate", c->evaluate);
          add_double (b, "total", c->total);
          add_double (b, "low", c->total_low);
          add_double (b, "high", c->total_high);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "pick");
  json_builder_add_int_value (b, a->pick);
  json_builder_set_member_name (b, "summary");
  json_builder_add_string_value (b, a->summary);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

gboolean
wl_cli_advise_resolve (WlConfig  *config,
                       WlStore   *store,
                       gboolean   json,
                       GError   **error)
{
  const WlSetting *device = wl_settings_find ("model", "device");
  const WlSetting *threads = wl_settings_find (NULL, "threads");
  gboolean auto_device = wl_setting_is_auto (device, config);
  gboolean auto_threads = wl_setting_is_auto (threads, config);
  g_autoptr(WlConfig) measured = NULL;
  g_autoptr(WlAdvice) advice = NULL;
  const WlAdviseCandidate *pick = NULL;
  g_autofree char *title = NULL;

  if (!auto_device && !auto_threads)
    return TRUE;
  measured = wl_config_copy (config);
  if (!(advice = advise (measured, 0.0, FALSE, store, error)))
    return FALSE;
  /* With the device fixed, the fastest candidate on it; at the batch size
   * set, which is not auto (another changes the model). */
  for (guint i = 0; i < advice->candidates->len; i++)
    {
      const WlAdviseCandidate *c = g_ptr_array_index (advice->candidates, i);

      if (c->failure != NULL || c->batch_size != advice->batch_size || (!auto_device && g_strcmp0 (c->device, config->model.device) != 0 &&
                                 !(g_str_equal (c->device, "cpu") &&
                                   g_strcmp0 (config->model.device, "blas") == 0)))
        continue;
      if (pick == NULL || c->total < pick->total)
        pick = c;
    }
  if (pick == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("--threads auto: the device “%s” could not be measured (see “wordloom-cli advise”)"),
                   config->model.device);
      return FALSE;
    }
  if (auto_device)
    wl_advise_apply (pick, config);
  config->threads = pick->threads;
  title = candidate_title (pick);
  if (json)
    {
      g_autofree char *why = wl_cli_json_string (advice->summary);
      g_autofree char *chose = wl_cli_json_string (title);

      g_print ("{\"event\":\"advice\",\"chose\":%s,\"projected_seconds\":%.3f,\"why\":%s}\n",
               chose, pick->total, why);
    }
  else
    g_printerr (_("Chose %s (measured, projected %.1f s): %s\n"), title, pick->total,
                advice->summary);
  return TRUE;
}

int
wl_cli_advise (int    argc,
               char **argv)
{
  char *input = NULL, *test_input = NULL, *config_file = NULL, *store_path = NULL;
  double budget = WL_ADVISE_DEFAULT_BUDGET;
  gboolean json = FALSE, remeasure = FALSE, no_record = FALSE;
  const GOptionEntry head[] = {
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &input, N_("Labelled CSV/TSV file the model would train on"), N_("FILE") },
    { "test", 0, 0, G_OPTION_ARG_FILENAME, &test_input, N_("Separate labelled file to test on"), N_("FILE") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_file, N_("Settings as JSON (cleaning among them); flags override them"), N_("FILE.json") },
    { NULL }
  };
  const GOptionEntry tail[] = {
    { "budget", 0, 0, G_OPTION_ARG_DOUBLE, &budget, N_("Seconds to spend measuring (default 10; loading the file comes on top)"), N_("S") },
    { "remeasure", 0, 0, G_OPTION_ARG_NONE, &remeasure, N_("Measure again, even what the run store remembers"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, N_("Run store that keeps the measurements (default: as train)"), N_("FILE") },
    { "no-record", 0, 0, G_OPTION_ARG_NONE, &no_record, N_("Neither reuse nor keep measurements"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WlStore) store = NULL;
  g_autoptr(WlAdvice) advice = NULL;
  WlCliDataOptions data_options = { 0 };
  WlCliSettingFlags flags = { 0 };
  int status;

  g_option_context_set_summary (context,
                                _("Measure which device, threads and precision train this model "
                                  "on this data fastest: every candidate runs a short burst of real "
                                  "training steps, and the whole run is projected for each."));
  g_option_context_set_main_group (context, wl_cli_setting_flags_init (&flags));
  g_option_context_add_main_entries (context, head, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, wl_cli_setting_flags_get_entries (&flags), GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, tail, GETTEXT_PACKAGE);
  g_option_context_add_group (context, wl_cli_data_options_group (&data_options));

  if (!wl_cli_parse (context, "advise", &argc, &argv))
    {
      status = WL_CLI_EXIT_USAGE;
      goto out;
    }
  if (argc > 1)
    {
      status = wl_cli_usage_error ("advise", _("unexpected argument “%s”"), argv[1]);
      goto out;
    }
  if (config_file != NULL && !wl_config_merge_json_file (config, config_file, &error))
    {
      status = wl_cli_fail (error);
      goto out;
    }
  if (input != NULL)
    {
      g_free (config->data.input);
      config->data.input = g_strdup (input);
    }
  if (test_input != NULL)
    {
      g_free (config->data.test_input);
      config->data.test_input = g_strdup (test_input);
    }
  if (!wl_cli_setting_flags_apply (&flags, config, &error) ||
      !wl_cli_data_options_apply (&data_options, &config->data, &error) ||
      !wl_config_validate (config, WL_SETTING_NAME_FLAG, &error) ||
      !wl_advise_check_budget (budget, "--budget", &error))
    {
      status = wl_cli_usage_error ("advise", "%s", error->message);
      goto out;
    }
  if (config->data.input == NULL)
    {
      status = wl_cli_usage_error ("advise", _("--input is required"));
      goto out;
    }
  if (!no_record && (store = wl_store_open (store_path, &error)) == NULL)
    {
      status = wl_cli_fail (error);
      g_printerr (_("Pass --no-record to measure without the run store\n"));
      goto out;
    }
  if (!(advice = advise (config, budget, remeasure, store, &error)))
    {
      status = wl_cli_fail (error);
      goto out;
    }
  if (json)
    print_json (advice);
  else
    print_text (advice);
  status = WL_CLI_EXIT_OK;

out:
  g_free (input);
  g_free (test_input);
  g_free (config_file);
  g_free (store_path);
  wl_cli_data_options_clear (&data_options);
  wl_cli_setting_flags_clear (&flags);
  return status;
}
