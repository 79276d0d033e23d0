/* wl-cli-export.c: `wordloom-cli export`: a model file as it will ship.
 *
 * The variant options (--quantize, --prune, --compare) live in
 * wl-cli-export-variants.c. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "train/wl-classifier.h"
#include "train/wl-export-formats.h"
#include "wl-cli.h"
#include "wl-cli-export-variants.h"

int
wl_cli_export (int    argc,
               char **argv)
{
  g_autofree char *model_path = NULL;
  g_autofree char *output = NULL;
  g_autofree char *format = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, N_("Model file"), N_("MODEL.wlm") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("File format: wlm (the default)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("File to write"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WlClassifier) classifier = NULL;
  g_autoptr(WlClassifier) variant = NULL;
  WlCliExportVariants variants = { 0 };
  gboolean usage_error;
  int status = WL_CLI_EXIT_OK;

  g_option_context_set_summary (context, _("Write a model file to ship, optionally pruned and "
                                           "quantised, and compare the variants."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, wl_cli_export_variants_group (&variants));

  if (!wl_cli_parse (context, "export", &argc, &argv))
    status = WL_CLI_EXIT_USAGE;
  else if (argc > 1)
    status = wl_cli_usage_error ("export", _("unexpected argument “%s”"), argv[1]);
  else if (model_path == NULL || output == NULL)
    status = wl_cli_usage_error ("export", _("--model and -o are required"));
  else if (format != NULL && wl_export_format_find (format) == NULL)
    status = wl_cli_usage_error ("export", _("--format “%s” is not known: use wlm"), format);
  if (status != WL_CLI_EXIT_OK)
    goto out;

  if (!(classifier = wl_classifier_load (model_path, &error)))
    {
      status = wl_cli_fail (error);
      goto out;
    }
  if (!(variant = wl_cli_export_variants_apply (&variants, classifier, &usage_error, &error)))
    {
      status = usage_error ? wl_cli_usage_error ("export", "%s", error->message) : wl_cli_fail (error);
      goto out;
    }
  status = wl_cli_export_variants_compare (&variants, classifier, json);
  if (status != WL_CLI_EXIT_OK)
    goto out;
  if (!wl_export_save (variant, format != NULL ? format : wl_export_formats (&(guint) { 0 })->id,
                       output, &error))
    {
      status = wl_cli_fail (error);
      goto out;
    }
  if (!json)
    {
      g_autoptr(GFile) file = g_file_new_for_path (output);
      g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                     G_FILE_QUERY_INFO_NONE, NULL, NULL);
      g_autofree char *size = g_format_size (info != NULL ? g_file_info_get_size (info) : 0);

      g_printerr (_("Wrote %s (%s)\n"), output, size);
    }

out:
  wl_cli_export_variants_clear (&variants);
  return status;
}
