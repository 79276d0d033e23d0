/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-inspect.c: `wordloom-cli inspect`: what a model file holds. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>

#include "models/wl-model-file.h"
#include "wl-cli.h"

int
wl_cli_inspect (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("MODEL.wlm"));
  g_autoptr(GError) error = NULL;
  g_autoptr(WlModelFileInfo) info = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *pretty = NULL;
  JsonObject *model;

  g_option_context_set_summary (context, _("Show the settings, labels and size of a model file."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wl_cli_parse (context, "inspect", &argc, &argv))
    return WL_CLI_EXIT_USAGE;
  if (argc != 2)
    return wl_cli_usage_error ("inspect", _("give one model file"));

  if (!(info = wl_model_file_info_load (argv[1], &error)))
    return wl_cli_fail (error);
  /* The file's checksum held, so its config is the JSON we wrote. */
  if (!json_parser_load_from_data (parser, info->config_json, -1, &error))
    return wl_cli_fail (error);

  if (json)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autofree char *path = wl_cli_json_string (argv[1]);

      g_string_append_printf (out, "{\"file\":%s,\"format_version\":%u,\"file_size\":%" G_GUINT64_FORMAT
                              ",\"parameters\":%" G_GUINT64_FORMAT ",\"labels\":[",
                              path, info->format_version, info->file_size, info->n_parameters);
      for (guint i = 0; i < info->labels->len; i++)
        {
          g_autofree char *label = wl_cli_json_string (g_ptr_array_index (info->labels, i));
          g_string_append_printf (out, "%s%s", i ? "," : "", label);
        }
      g_string_append_printf (out, "],\"config\":%s}", info->config_json);
      g_print ("%s\n", out->str);
      return WL_CLI_EXIT_OK;
    }

  model = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "model");
  g_print (_("file        %s\n"), argv[1]);
  g_print (_("format      %u\n"), info->format_version);
  g_print (_("size        %" PRIu64 " bytes\n"), info->file_size);
  g_print (_("model       %s\n"), model ? json_object_get_string_member (model, "type") : "?");
  g_print (_("parameters  %" PRIu64 "\n"), info->n_parameters);
  g_print (_("labels      %u:"), info->labels->len);
  for (guint i = 0; i < info->labels->len; i++)
    g_print (" %s", (const char *) g_ptr_array_index (info->labels, i));
  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_set_pretty (generator, TRUE);
  pretty = json_generator_to_data (generator, NULL);
  g_print (_("\nsettings\n%s\n"), pretty);
  return WL_CLI_EXIT_OK;
}
