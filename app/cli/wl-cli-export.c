/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-export.c: `wordloom-cli export`: a model file or a run's
 * checkpoint as ONNX, safetensors or a native model file.
 *
 * The variant options (--quantize, --prune, --fine-tune-epochs, --compare)
 * live in wl-cli-export-variants.c. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "train/wl-classifier-export.h"
#include "wl-cli-export-variants.h"
#include "wl-cli-runs.h"
#include "wl-cli.h"
#include "wl-format.h"

/* The checkpoint of run @id (its best epoch unless @last). */
static WlClassifier *
load_run (const char  *store_path,
          const char  *run,
          gboolean     last,
          GError     **error)
{
  g_autoptr(WlStore) store = NULL;
  g_autoptr(WlCheckpointRecord) record = NULL;
  WlCheckpointKind kind = last ? WL_CHECKPOINT_LAST : WL_CHECKPOINT_BEST;
  gint64 id;

  if (!wl_cli_parse_run_id (run, &id))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("“%s” is not a run id"), run);
      return NULL;
    }
  if ((store = wl_store_open (store_path, error)) == NULL)
    return NULL;
  record = wl_store_get_checkpoint (store, id, kind, error);
  if (record == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     last ? _("run %" PRId64 " has no checkpoint of its last epoch; "
                              "“wordloom-cli runs show %" PRId64 "” tells what it has")
                          : _("run %" PRId64 " has no checkpoint of its best epoch; "
                              "“wordloom-cli runs show %" PRId64 "” tells what it has"),
                     id, id);
      return NULL;
    }
  return wl_classifier_load (record->path, error);
}

static void
print_json (const WlClassifier *classifier,
            WlExportFormat      format,
            const char         *path)
{
  g_autofree char *path_json = wl_cli_json_string (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_print ("{\"format\":\"%s\",\"model\":\"%s\",\"path\":%s,\"bytes\":%" G_GINT64_FORMAT,
           wl_export_format_to_string (format), wl_classifier_get_model (classifier)->klass->name,
           path_json, info != NULL ? g_file_info_get_size (info) : -1);
  if (format != WL_EXPORT_WLM)
    {
      g_autofree char *description = wl_export_preprocessing_path (path);
      g_autofree char *description_json = wl_cli_json_string (description);

      g_print (",\"preprocessing\":%s", description_json);
    }
  g_print ("}\n");
}

typedef struct
{
  char     *model_path;
  char     *run;
  char     *store_path;
  char     *format_name;
  char     *output;
  gboolean  best, last, json;
} ExportOptions;

static int
export (ExportOptions       *o,
        WlCliExportVariants *variants)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WlClassifier) classifier = NULL;
  g_autoptr(WlClassifier) variant = NULL;
  WlExportFormat format = WL_EXPORT_WLM;
  gboolean usage_error;
  int status;

  if ((o->model_path == NULL) == (o->run == NULL))
    return wl_cli_usage_error ("export", _("give either --model or --run"));
  if ((o->best || o->last) && o->run == NULL)
    return wl_cli_usage_error ("export", _("--best and --last choose a checkpoint of --run"));
  if (o->best && o->last)
    return wl_cli_usage_error ("export", _("give --best or --last, not both"));
  if (o->format_name != NULL && !wl_export_format_from_string (o->format_name, &format))
    return wl_cli_usage_error ("export", _("unknown format “%s”: use onnx, safetensors or wlm"), o->format_name);
  if (o->output == NULL)
    return wl_cli_usage_error ("export", _("--output is required"));

  if (o->run != NULL)
    classifier = load_run (o->store_path, o->run, o->last, &error);
  else
    classifier = wl_classifier_load (o->model_path, &error);
  if (classifier == NULL)
    return error->domain == G_OPTION_ERROR ? wl_cli_usage_error ("export", "%s", error->message)
                                           : wl_cli_fail (error);
  if (!(variant = wl_cli_export_variants_apply (variants, classifier, &usage_error, &error)))
    return usage_error ? wl_cli_usage_error ("export", "%s", error->message) : wl_cli_fail (error);
  if ((status = wl_cli_export_variants_compare (variants, classifier, o->json)) != WL_CLI_EXIT_OK)
    return status;
  if (!wl_classifier_export (variant, format, o->output, &error))
    return wl_cli_fail (error);
  if (o->json && !variants->compare)   /* with --compare, the card is the JSON printed */
    print_json (variant, format, o->output);
  else if (!o->json)
    {
      g_autoptr(GFile) file = g_file_new_for_path (o->output);
      g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                     G_FILE_QUERY_INFO_NONE, NULL, NULL);
      g_autofree char *size = wl_format_size (info != NULL ? g_file_info_get_size (info) : 0);

      g_printerr (_("Wrote %s (%s)\n"), o->output, size);
    }
  return WL_CLI_EXIT_OK;
}

int
wl_cli_export (int    argc,
               char **argv)
{
  ExportOptions o = { 0 };
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &o.model_path, N_("Model file to export"), N_("MODEL.wlm") },
    { "run", 0, 0, G_OPTION_ARG_STRING, &o.run, N_("Export a recorded run's checkpoint instead"), N_("ID") },
    { "best", 0, 0, G_OPTION_ARG_NONE, &o.best, N_("The run's best epoch (the default)"), NULL },
    { "last", 0, 0, G_OPTION_ARG_NONE, &o.last, N_("The run's last epoch"), NULL },
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &o.store_path, N_("Run store (default: $WORDLOOM_STORE, else runs.sqlite in the user data folder)"), N_("FILE") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &o.format_name, N_("wlm (the default), onnx or safetensors"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output, N_("File to write"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, N_("Print what was written as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  WlCliExportVariants variants = { 0 };
  int status;

  g_option_context_set_summary (context, _("Export a model as ONNX or safetensors (with a description of "
                                           "its preprocessing) or as a native model file, optionally "
                                           "pruned and quantised, and compare the variants."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, wl_cli_export_variants_group (&variants));
  if (!wl_cli_parse (context, "export", &argc, &argv))
    status = WL_CLI_EXIT_USAGE;
  else if (argc > 1)
    status = wl_cli_usage_error ("export", _("unexpected argument “%s”"), argv[1]);
  else
    status = export (&o, &variants);
  wl_cli_export_variants_clear (&variants);
  g_free (o.model_path);
  g_free (o.run);
  g_free (o.store_path);
  g_free (o.format_name);
  g_free (o.output);
  return status;
}
