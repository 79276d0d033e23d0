/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-runs.c: `wordloom-cli runs`: the recorded runs, listed and shown,
 * noted, tagged, deleted and exported (the engine writes the report:
 * store/wl-run-report.h); compare is a file of its own. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "store/wl-run-report.h"
#include "wl-cli-runs.h"
#include "wl-error.h"
#include "wl-format.h"

static const char *
or_dash (const char *text)
{
  return text != NULL && *text != '\0' ? text : "-";
}

static char *
format_number (double value)
{
  return isfinite (value) ? g_strdup_printf ("%.4f", value) : g_strdup ("-");
}

/* "sport 400, food 400" from the stored {"sport":400,"food":400}. */
static char *
describe_labels (const char *json)
{
  g_autoptr(JsonNode) node = json ? json_from_string (json, NULL) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("-");
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    g_string_append_printf (text, "%s%s %" G_GINT64_FORMAT, l != members ? ", " : "",
                            (const char *) l->data, json_object_get_int_member (object, l->data));
  return g_strdup (text->str);
}

/* "AMD EPYC, 2 cores, 23.5 GB, Linux 6.1 x86_64 (host)" */
static char *
describe_machine (const char *json)
{
  g_autoptr(JsonNode) node = json ? json_from_string (json, NULL) : NULL;
  g_autofree char *memory = NULL;
  JsonObject *o;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("-");
  o = json_node_get_object (node);
  memory = wl_format_size ((guint64) json_object_get_int_member_with_default (o, "memory_bytes", 0));
  return g_strdup_printf (_("%s, %lld cores, %s, %s (%s)"),
                          json_object_get_string_member_with_default (o, "cpu", "?"),
                          (long long) json_object_get_int_member_with_default (o, "cores", 0), memory,
                          json_object_get_string_member_with_default (o, "os", "?"),
                          json_object_get_string_member_with_default (o, "host", "?"));
}

static char *
pretty_json (const char *json)
{
  g_autoptr(JsonNode) node = json ? json_from_string (json, NULL) : NULL;

  return node != NULL ? json_to_string (node, TRUE) : g_strdup ("-");
}

static int
list_runs (WlStore  *store,
           gboolean  json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = wl_store_list_runs (store, &error);

  if (runs == NULL)
    return wl_cli_fail (error);
  if (json)
    {
      g_autoptr(JsonNode) array = json_node_new (JSON_NODE_ARRAY);

      json_node_take_array (array, json_array_new ());   /* init_array would add a reference */
      for (guint i = 0; i < runs->len; i++)
        json_array_add_element (json_node_get_array (array),
                                wl_store_run_to_json (store, runs->pdata[i], FALSE, NULL));
      wl_cli_print_json (array, FALSE);
      return WL_CLI_EXIT_OK;
    }

  if (runs->len == 0)
    {
      g_print (_("No runs in %s yet; “wordloom-cli train” records every run\n"), wl_store_get_path (store));
      return WL_CLI_EXIT_OK;
    }
  g_print ("%5s  %-11s  %-13s  %-20s  %-16s  %7s  %8s  %8s  %s\n", _("ID"), _("STATE"), _("MODEL"),
           _("DATASET"), _("STARTED"), _("EPOCHS"), _("BEST"), _("TEST"), _("TAGS"));
  for (guint i = 0; i < runs->len; i++)
    {
      const WlRunRecord *r = runs->pdata[i];
      g_autofree char *dataset = r->dataset ? g_path_get_basename (r->dataset) : NULL;
      g_autofree char *started = wl_store_format_time (r->started, FALSE);
      g_autofree char *epochs = g_strdup_printf ("%u/%u", r->epochs_run, r->n_epochs);
      g_autofree char *best = format_number (r->best_metric);
      g_autofree char *test = format_number (r->test_accuracy);
      g_autofree char *tags = g_strjoinv (", ", r->tags);

      g_print ("%5" G_GINT64_FORMAT "  %-11s  %-13s  %-20.20s  %-16s  %7s  %8s  %8s  %s\n", r->id,
               wl_run_state_to_string (r->state), or_dash (r->model), or_dash (dataset),
               or_dash (started), epochs, best, test, tags);
    }
  return WL_CLI_EXIT_OK;
}

static void
print_epochs (GArray *epochs)
{
  if (epochs->len == 0)
    return;
  g_print ("\n%5s  %10s  %10s  %9s  %9s  %10s  %9s\n", _("epoch"), _("train loss"), _("valid loss"),
           _("valid acc"), _("valid F1"), _("tokens/s"), _("lr"));
  for (guint i = 0; i < epochs->len; i++)
    {
      const WlEpochRecord *e = &g_array_index (epochs, WlEpochRecord, i);

      g_print ("%5u  %10.4f  %10.4f  %9.4f  %9.4f  %10.0f  %9.2g%s\n", e->epoch, e->train_loss,
               e->valid_loss, e->valid_accuracy, e->valid_macro_f1, e->tokens_per_s, e->lr,
               e->is_best ? _("  best") : "");
    }
}

static int
show_run (WlStore  *store,
          gint64    id,
          gboolean  json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WlRunRecord) r = wl_store_get_run (store, id, &error);
  g_autoptr(GArray) epochs = NULL;
  g_autoptr(GArray) stages = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autofree char *started = NULL;
  g_autofree char *finished = NULL;
  g_autofree char *best = NULL;
  g_autofree char *labels = NULL;
  g_autofree char *machine = NULL;
  g_autofree char *ranks = NULL;
  g_autofree char *config = NULL;
  gboolean has_last = FALSE;
  WlVerdict verdict;

  if (r == NULL)
    return wl_cli_fail (error);
  if (json)
    {
      g_autoptr(JsonNode) node = wl_store_run_to_json (store, r, TRUE, &error);

      if (node == NULL)
        return wl_cli_fail (error);
      wl_cli_print_json (node, TRUE);
      return WL_CLI_EXIT_OK;
    }
  if ((epochs = wl_store_get_epochs (store, id, &error)) == NULL ||
      (stages = wl_store_get_stages (store, id, &error)) == NULL ||
      (messages = wl_store_get_messages (store, id, &error)) == NULL)
    return wl_cli_fail (error);

  started = wl_store_format_time (r->started, FALSE);
  finished = wl_store_format_time (r->finished, FALSE);
  best = format_number (r->best_metric);
  labels = describe_labels (r->labels);
  machine = describe_machine (r->machine);
  config = pretty_json (r->config);
  g_print (_("Run %lld: %s, %s on %s\n"), (long long) r->id, wl_run_state_to_string (r->state),
           or_dash (r->model), or_dash (r->dataset));
  g_print (_("Started %s, ended %s, %u attempt(s); Wordloom %s\n"), or_dash (started),
           or_dash (finished), r->attempts, or_dash (r->version));
  g_print (_("Data: %lld bytes, %s; %llu train, %llu validation, %llu test rows; labels: %s\n"),
           (long long) r->dataset_size, or_dash (r->dataset_hash), (unsigned long long) r->n_train,
           (unsigned long long) r->n_valid, (unsigned long long) r->n_test, labels);
  g_print (_("Machine: %s; device %s\n"), machine, or_dash (r->device));
  if ((ranks = wl_run_describe_ranks (r->machine)) != NULL)
    g_print (_("Trained on %s\n"), ranks);
  g_print (_("Epochs: %u of %u, best %u (validation %s %s)\n"), r->epochs_run, r->n_epochs,
           r->best_epoch, or_dash (r->metric), best);
  if (isfinite (r->test_accuracy))
    g_print (_("Test: accuracy %.4f, macro-F1 %.4f\n"), r->test_accuracy, r->test_macro_f1);
  if (wl_verdict_from_json (r->verdict, &verdict))
    {
      g_autofree char *text = wl_verdict_describe (&verdict, &wl_cli_verdict_controls);

      if (verdict.whole)
        g_print (_("Verdict over the whole training: %s\n"), text);
      else
        g_print (_("Verdict (the last measured before the run ended): %s\n"), text);
    }
  if (r->error != NULL)
    g_print (_("Error: %s\n"), r->error);
  if (r->tags[0] != NULL)
    {
      g_autofree char *tags = g_strjoinv (", ", r->tags);
      g_print (_("Tags: %s\n"), tags);
    }
  if (*r->notes != '\0')
    g_print (_("Notes: %s\n"), r->notes);
  for (WlCheckpointKind kind = WL_CHECKPOINT_LAST; kind <= WL_CHECKPOINT_BEST; kind++)
    {
      g_autoptr(WlCheckpointRecord) c = wl_store_get_checkpoint (store, id, kind, NULL);

      has_last |= kind == WL_CHECKPOINT_LAST && c != NULL;
      if (c != NULL)
        g_print (_("Checkpoint (%s): epoch %u, %s\n"), wl_checkpoint_kind_to_string (kind), c->epoch, c->path);
    }
  if (wl_store_run_can_resume (r, has_last, &error))
    g_print (_("Resume with: wordloom-cli train --resume %lld\n"), (long long) id);
  else if (r->state != WL_RUN_STATE_FINISHED)
    g_print (_("Cannot be resumed: %s\n"), error->message);
  g_clear_error (&error);
  print_epochs (epochs);
  if (stages->len > 0)
    {
      g_print ("\n%s", _("Stages:"));
      for (guint i = 0; i < stages->len; i++)
        g_print (" %s %.2f s", wl_stage_to_string (g_array_index (stages, WlStageRecord, i).stage),
                 g_array_index (stages, WlStageRecord, i).seconds);
      g_print ("\n");
    }
  for (guint i = 0; i < messages->len; i++)
    g_print ("%s\n", ((WlMessageRecord *) messages->pdata[i])->text);
  g_print ("\n%s\n%s\n", _("Settings:"), config);
  return WL_CLI_EXIT_OK;
}

static int
delete_run (WlStore *store,
            gint64   id)
{
  g_autoptr(GError) error = NULL;

  if (!wl_store_delete_run (store, id, &error))
    return wl_cli_fail (error);
  g_print (_("Deleted run %lld and its checkpoints\n"), (long long) id);
  return WL_CLI_EXIT_OK;
}

static int
tag_run (WlStore   *store,
         gint64     id,
         char     **tags,
         gboolean   remove)
{
  g_autoptr(GError) error = NULL;

  for (char **tag = tags; *tag != NULL; tag++)
    if (!(remove ? wl_store_remove_tag : wl_store_add_tag) (store, id, *tag, &error))
      return wl_cli_fail (error);
  return WL_CLI_EXIT_OK;
}

static int
note_run (WlStore    *store,
          gint64      id,
          const char *notes)
{
  g_autoptr(GError) error = NULL;

  if (!wl_store_set_notes (store, id, notes, &error))
    return wl_cli_fail (error);
  return WL_CLI_EXIT_OK;
}

/* The subcommands and how many arguments each takes. */
static const struct
{
  const char *name;
  guint       min_args;
  guint       max_args;
} commands[] = {
  { "list", 0, 0 },
  { "show", 1, 1 },
  { "compare", 2, G_MAXUINT },
  { "delete", 1, 1 },
  { "export", 1, 1 },
  { "tag", 2, G_MAXUINT },
  { "note", 2, 2 },
};

static gboolean
args_fit (const char *command,
          guint       n_args)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (command, commands[i].name))
      return n_args >= commands[i].min_args && n_args <= commands[i].max_args;
  return FALSE;
}

/* `runs export ID [-o DIR]`: the run's report, into run-ID by default. */
static int
export_run (WlStore    *store,
            gint64      id,
            const char *output)
{
  g_autofree char *dir = output != NULL ? g_strdup (output) : wl_run_report_folder (NULL, id);
  g_autoptr(GError) error = NULL;

  if (!wl_run_report_write (store, id, dir, &error))
    return wl_cli_fail (error);
  g_print (_("Exported run %lld to %s (open report.html)\n"), (long long) id, dir);
  return WL_CLI_EXIT_OK;
}

int
wl_cli_runs (int    argc,
             char **argv)
{
  g_autofree char *store_path = NULL;
  g_autofree char *output = NULL;
  gboolean json = FALSE, remove = FALSE;
  const GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, N_("Run store (default: $WORDLOOM_STORE, else runs.sqlite in the user data folder)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON (list, show, compare)"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Folder for export (default: run-ID)"), N_("DIR") },
    { "remove", 0, 0, G_OPTION_ARG_NONE, &remove, N_("Remove the tags instead (tag)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("[show ID | compare ID ID… | delete ID | export ID | tag ID TAG… | note ID TEXT]"));
  g_autoptr(WlStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *command;
  gint64 id = 0;
  guint n_args;

  g_option_context_set_summary (context, _("The runs recorded by “train”: without a command, a list (newest first)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wl_cli_parse (context, "runs", &argc, &argv))
    return WL_CLI_EXIT_USAGE;

  command = argc > 1 ? argv[1] : "list";
  n_args = argc > 2 ? (guint) argc - 2 : 0;
  if (!args_fit (command, n_args))
    return wl_cli_usage_error ("runs", _("usage: runs [show ID | compare ID ID… | delete ID | "
                                         "export ID | tag ID TAG… | note ID TEXT]"));
  if (n_args > 0 && !g_str_equal (command, "compare") && !wl_cli_parse_run_id (argv[2], &id))
    return WL_CLI_EXIT_USAGE;

  if ((store = wl_store_open (store_path, &error)) == NULL)
    return wl_cli_fail (error);
  if (g_str_equal (command, "list"))
    return list_runs (store, json);
  if (g_str_equal (command, "show"))
    return show_run (store, id, json);
  if (g_str_equal (command, "compare"))
    return wl_cli_runs_compare (store, argv + 2, json);
  if (g_str_equal (command, "delete"))
    return delete_run (store, id);
  if (g_str_equal (command, "export"))
    return export_run (store, id, output);
  if (g_str_equal (command, "tag"))
    return tag_run (store, id, argv + 3, remove);
  return note_run (store, id, argv[3]);
}
