/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-settings.c: `train`'s flags for the settings of the engine's table.
 *
 * Each setting with a flag becomes an option whose --help line (range, what
 * 0 or -1 means, the models that use it) comes from the table.  The values
 * are kept as given and applied after the --config file, so that flags
 * override the file, and each is checked by the table as it is applied.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "wl-cli.h"
#include "wl-settings.h"

typedef struct
{
  const WlSetting *setting;
  char            *value;
} Given;

static void
given_free (gpointer data)
{
  Given *given = data;

  g_free (given->value);
  g_free (given);
}

static const WlSetting *
find_option (const char *option_name)
{
  guint n;
  const WlSetting *settings = wl_settings_get (&n);

  if (g_str_has_prefix (option_name, "--"))
    return wl_settings_find_flag (option_name + 2);
  for (guint i = 0; i < n; i++)
    if (settings[i].short_flag != 0 && option_name[0] == '-' &&
        option_name[1] == settings[i].short_flag && option_name[2] == '\0')
      return &settings[i];
  return NULL;
}

static gboolean
on_flag (const char  *option_name,
         const char  *value,
         gpointer     data,
         GError     **error)
{
  WlCliSettingFlags *flags = data;
  Given *given = g_new0 (Given, 1);

  given->setting = find_option (option_name);
  g_assert (given->setting != NULL);
  given->value = g_strdup (value);
  g_ptr_array_add (flags->given, given);
  return TRUE;
}

GOptionGroup *
wl_cli_setting_flags_init (WlCliSettingFlags *flags)
{
  guint n;
  const WlSetting *settings = wl_settings_get (&n);
  GOptionGroup *group = g_option_group_new (NULL, NULL, NULL, flags, NULL);

  flags->given = g_ptr_array_new_with_free_func (given_free);
  flags->help = g_ptr_array_new_with_free_func (g_free);
  flags->entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  for (guint i = 0; i < n; i++)
    {
      const WlSetting *s = &settings[i];
      char *help;

      if (s->flag == NULL)
        continue;
      /* Already translated: the context's domain leaves it as it is. */
      help = wl_setting_get_help (s);
      g_ptr_array_add (flags->help, help);
      g_array_append_val (flags->entries, ((GOptionEntry) {
        .long_name = s->flag,
        .short_name = s->short_flag,
        .flags = s->arg == NULL ? G_OPTION_FLAG_NO_ARG : 0,
        .arg = G_OPTION_ARG_CALLBACK,
        .arg_data = (gpointer) on_flag,
        .description = help,
        .arg_description = s->arg != NULL ? _(s->arg) : NULL,
      }));
    }
  return group;
}

const GOptionEntry *
wl_cli_setting_flags_get_entries (WlCliSettingFlags *flags)
{
  return (const GOptionEntry *) (gpointer) flags->entries->data;
}

gboolean
wl_cli_setting_flags_apply (WlCliSettingFlags  *flags,
                            WlConfig           *config,
                            GError            **error)
{
  for (guint i = 0; i < flags->given->len; i++)
    {
      Given *given = g_ptr_array_index (flags->given, i);

      if (!wl_setting_parse (given->setting, config, given->value, error))
        return FALSE;
    }
  return TRUE;
}

guint
wl_cli_setting_flags_count (WlCliSettingFlags *flags)
{
  return flags->given->len;
}

void
wl_cli_setting_flags_clear (WlCliSettingFlags *flags)
{
  g_clear_pointer (&flags->given, g_ptr_array_unref);
  g_clear_pointer (&flags->help, g_ptr_array_unref);
  if (flags->entries != NULL)
    g_array_free (g_steal_pointer (&flags->entries), TRUE);
}
