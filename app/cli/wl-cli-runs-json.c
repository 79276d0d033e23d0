/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-runs-json.c: printing JSON and reading run ids, for `runs`. */
#include "config.h"

#include <glib/gi18n.h>

#include "wl-cli-runs.h"

void
wl_cli_print_json (JsonNode *node,
                   gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

gboolean
wl_cli_parse_run_id (const char *arg,
                     gint64     *id)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (arg, 10, 1, G_MAXINT64, &value, NULL))
    {
      wl_cli_usage_error ("runs", _("“%s” is not a run id; “wordloom-cli runs” lists them"), arg);
      return FALSE;
    }
  *id = (gint64) value;
  return TRUE;
}
