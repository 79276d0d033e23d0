/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-devices.c: `wordloom-cli devices`: the compute backends and devices. */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include "compute/wl-backend.h"
#include "wl-cli.h"
#include "wl-cli-table.h"
#include "wl-format.h"

static const char *
kind_name (WlDeviceKind kind)
{
  switch (kind)
    {
    case WL_DEVICE_CPU:
      return "cpu";
    case WL_DEVICE_GPU:
      return "gpu";
    case WL_DEVICE_ACCELERATOR:
      return "accelerator";
    case WL_DEVICE_OTHER:
    default:
      return "other";
    }
}

static void
print_json (GPtrArray *devices,
            GPtrArray *notes)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "devices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < devices->len; i++)
    {
      const WlDeviceInfo *info = g_ptr_array_index (devices, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, info->id);
      json_builder_set_member_name (builder, "backend");
      json_builder_add_string_value (builder, info->backend);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, info->name);
      json_builder_set_member_name (builder, "vendor");
      json_builder_add_string_value (builder, info->vendor);
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, info->version);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, kind_name (info->kind));
      json_builder_set_member_name (builder, "memory");
      json_builder_add_int_value (builder, (gint64) info->memory);
      json_builder_set_member_name (builder, "compute_units");
      json_builder_add_int_value (builder, info->compute_units);
      json_builder_set_member_name (builder, "fp16");
      json_builder_add_boolean_value (builder, info->fp16);
      json_builder_set_member_name (builder, "bf16");
      json_builder_add_boolean_value (builder, info->bf16);
      json_builder_set_member_name (builder, "half_emulated");
      json_builder_add_boolean_value (builder, info->half_emulated);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "notes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < notes->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (notes, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_table (GPtrArray *devices,
             GPtrArray *notes)
{
  const char *headings[] = { _("ID"), _("BACKEND"), _("KIND"), _("NAME"), _("VENDOR"), _("MEMORY"),
                             _("UNITS"), "FP16", "BF16", _("VERSION"), NULL };
  g_autoptr(WlCliTable) table = wl_cli_table_new ("lllllrrlll", headings);
  gboolean any_emulated = FALSE;

  for (guint i = 0; i < devices->len; i++)
    {
      const WlDeviceInfo *info = g_ptr_array_index (devices, i);
      /* Translators: fp16/bf16 stored in half precision but computed in fp32 */
      const char *has = info->half_emulated ? _("emul") : _("yes");
      char *cells[] = {
        g_strdup (info->id), g_strdup (info->backend), g_strdup (kind_name (info->kind)),
        g_strdup (info->name), g_strdup (info->vendor),
        info->memory ? wl_format_size (info->memory) : g_strdup ("?"),
        g_strdup_printf ("%u", info->compute_units),
        g_strdup (info->fp16 ? has : _("no")), g_strdup (info->bf16 ? has : _("no")),
        g_strdup (info->version),
      };

      wl_cli_table_add_row (table, cells);
      if (info->half_emulated)
        any_emulated = TRUE;
    }
  wl_cli_table_print (table);
  if (any_emulated)
    g_print (_("\nNote: “emul”: the device stores fp16 and bf16 but computes in fp32, "
               "converting at every step, so they train slower than fp32 there "
               "(“wordloom-cli advise” never offers them).\n"));
  for (guint i = 0; i < notes->len; i++)
    g_print (_("\nNote: %s\n"), (const char *) g_ptr_array_index (notes, i));
}

int
wl_cli_devices (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) notes = NULL;

  g_option_context_set_summary (context,
                                _("List the devices a model can train on, by the ID that "
                                  "chooses one.  The CPU is listed once: its products run on "
                                  "OpenBLAS with the threads of --threads; UNITS is its number "
                                  "of hardware threads."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!wl_cli_parse (context, "devices", &argc, &argv))
    return WL_CLI_EXIT_USAGE;
  if (argc != 1)
    return wl_cli_usage_error ("devices", _("this command takes no arguments"));

  devices = wl_backend_list_training_devices (&notes);
  if (json)
    print_json (devices, notes);
  else
    print_table (devices, notes);
  return WL_CLI_EXIT_OK;
}
