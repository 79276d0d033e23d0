/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-config.c: the run config, its defaults and its JSON form.
 *
 * Writing and reading JSON both walk the table of settings (wl-settings.c),
 * and the reader checks each value's range there, so a number out of range,
 * infinite or NaN never gets into a config from a file.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "wl-error.h"
#include "wl-settings.h"

#define SETTING_PTR(config, s) ((guint8 *) (config) + (s)->offset)

WlConfig *
wl_config_new (void)
{
  WlConfig *config = g_new0 (WlConfig, 1);

  config->data.header = WL_HEADER_AUTO;
  config->data.quotes = WL_QUOTES_AUTO;
  config->data.test_fraction = 0.2;
  config->data.valid_fraction = 0.1;
  config->data.seed = 42;

  config->clean.nfkc = TRUE;
  config->clean.casefold = TRUE;
  config->clean.strip_urls = TRUE;
  config->clean.mark_links = TRUE;
  config->clean.strip_emails = TRUE;
  config->clean.strip_html = TRUE;
  config->clean.strip_punct = FALSE;
  config->clean.digits = WL_DIGITS_KEEP;
  config->clean.collapse_whitespace = TRUE;

  config->tokens.kind = WL_TOKENIZER_AUTO;
  config->tokens.char_ngram_min = 2;
  config->tokens.char_ngram_max = 4;
  config->tokens.split_contractions = TRUE;

  config->model.type = WL_MODEL_LINEAR;
  config->model.l2 = -1.0;
  config->model.sublinear_tf = TRUE;
  config->model.early_stop_metric = WL_METRIC_ACCURACY;
  config->model.patience = 3;
  config->model.refit = TRUE;
  config->model.device = g_strdup ("cpu");
  config->model.dropout = -1.0;
  config->model.momentum = -1.0;
  config->model.weight_decay = -1.0;
  config->model.warmup = -1.0;
  config->model.clip = -1.0;
  config->model.max_norm = -1.0;

  return config;
}

WlConfig *
wl_config_copy (const WlConfig *config)
{
  const WlSetting *settings;
  WlConfig *copy;
  guint n;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_memdup2 (config, sizeof *config);
  settings = wl_settings_get (&n);
  for (guint i = 0; i < n; i++)
    {
      gpointer *p = (gpointer *) SETTING_PTR (copy, &settings[i]);

      if (settings[i].type == WL_SETTING_STRING)
        *p = g_strdup (*p);
      else if (settings[i].type == WL_SETTING_STRV)
        *p = g_strdupv (*p);
    }
  return copy;
}

void
wl_config_free (WlConfig *config)
{
  const WlSetting *settings;
  guint n;

  if (config == NULL)
    return;

  settings = wl_settings_get (&n);
  for (guint i = 0; i < n; i++)
    {
      gpointer *p = (gpointer *) SETTING_PTR (config, &settings[i]);

      if (settings[i].type == WL_SETTING_STRING)
        g_free (*p);
      else if (settings[i].type == WL_SETTING_STRV)
        g_strfreev (*p);
    }
  g_free (config);
}

guint
wl_config_get_threads (const WlConfig *config)
{
  g_return_val_if_fail (config != NULL, 1);

  return config->threads > 0 ? config->threads : MAX (1, g_get_num_processors ());
}


/* Writing */

static void
add_setting (JsonBuilder     *builder,
             const WlConfig  *config,
             const WlSetting *setting)
{
  gconstpointer p = SETTING_PTR (config, setting);

  json_builder_set_member_name (builder, setting->key);
  switch (setting->type)
    {
    case WL_SETTING_BOOL:
      json_builder_add_boolean_value (builder, *(const gboolean *) p);
      break;
    case WL_SETTING_UINT:
      /* "auto" as the flag writes it, not the number that stands for it. */
      if (wl_setting_is_auto (setting, config))
        json_builder_add_string_value (builder, "auto");
      else
        json_builder_add_int_value (builder, *(const guint *) p);
      break;
    case WL_SETTING_UINT64:
      json_builder_add_int_value (builder, (gint64) *(const guint64 *) p);
      break;
    case WL_SETTING_DOUBLE:
      /* JSON has no infinity or NaN: null, which the reader refuses. */
      if (isfinite (*(const double *) p))
        json_builder_add_double_value (builder, *(const double *) p);
      else
        json_builder_add_null_value (builder);
      break;
    case WL_SETTING_STRING:
      if (*(char * const *) p != NULL)
        json_builder_add_string_value (builder, *(char * const *) p);
      else
        json_builder_add_null_value (builder);
      break;
    case WL_SETTING_STRV:
      if (*(char ** const *) p == NULL)
        {
          json_builder_add_null_value (builder);
          break;
        }
      json_builder_begin_array (builder);
      for (char * const *s = *(char ** const *) p; *s != NULL; s++)
        json_builder_add_string_value (builder, *s);
      json_builder_end_array (builder);
      break;
    case WL_SETTING_UNICHAR:
      {
        gunichar c = *(const gunichar *) p;
        char buf[8] = { 0 };

        if (c == 0)
          {
            json_builder_add_null_value (builder);
            break;
          }
        g_unichar_to_utf8 (c, buf);
        json_builder_add_string_value (builder, buf);
      }
      break;
    case WL_SETTING_ENUM:
      json_builder_add_string_value (builder, setting->choices[*(const int *) p]);
      break;
    default:
      g_assert_not_reached ();
    }
}

char *
wl_config_to_json (const WlConfig *config,
                   gboolean        pretty)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *section = NULL;
  const WlSetting *settings;
  guint n;

  g_return_val_if_fail (config != NULL, NULL);

  settings = wl_settings_get (&n);
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      if (g_strcmp0 (section, settings[i].section) != 0)
        {
          if (section != NULL)
            json_builder_end_object (builder);
          section = settings[i].section;
          if (section != NULL)
            {
              json_builder_set_member_name (builder, section);
              json_builder_begin_object (builder);
            }
        }
      add_setting (builder, config, &settings[i]);
    }
  if (section != NULL)
    json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, pretty);
  return json_generator_to_data (generator, NULL);
}

/* Reading */

static gboolean
type_error (const WlSetting  *setting,
            const char       *expected,
            GError          **error)
{
  g_autofree char *name = wl_setting_get_name (setting, WL_SETTING_NAME_KEY);

  g_set_error (error, WL_ERROR, WL_ERROR_PARSE,
               _("setting “%s” must be %s"), name, expected);
  return FALSE;
}

static gboolean
read_value (WlConfig         *config,
            const WlSetting  *setting,
            JsonNode         *node,
            GError          **error)
{
  gpointer p = SETTING_PTR (config, setting);
  GType vtype = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  gboolean is_null = JSON_NODE_HOLDS_NULL (node);

  switch (setting->type)
    {
    case WL_SETTING_BOOL:
      if (vtype != G_TYPE_BOOLEAN)
        return type_error (setting, _("true or false"), error);
      *(gboolean *) p = json_node_get_boolean (node);
      return TRUE;

    case WL_SETTING_UINT:
    case WL_SETTING_UINT64:
      if (setting->takes_auto && setting->type == WL_SETTING_UINT && vtype == G_TYPE_STRING &&
          g_ascii_strcasecmp (json_node_get_string (node), "auto") == 0)
        {
          *(guint *) p = WL_SETTING_AUTO;
          return TRUE;
        }
      if (vtype != G_TYPE_INT64 || json_node_get_int (node) < 0 ||
          (setting->type == WL_SETTING_UINT && json_node_get_int (node) > G_MAXUINT))
        return type_error (setting, _("a whole number of zero or more"), error);
      if (setting->type == WL_SETTING_UINT)
        *(guint *) p = (guint) json_node_get_int (node);
      else
        *(guint64 *) p = (guint64) json_node_get_int (node);
      return TRUE;

    case WL_SETTING_DOUBLE:
      if ((vtype != G_TYPE_INT64 && vtype != G_TYPE_DOUBLE) || !isfinite (json_node_get_double (node)))
        return type_error (setting, _("a finite number"), error);
      *(double *) p = json_node_get_double (node);
      return TRUE;

    case WL_SETTING_STRING:
      if (!is_null && vtype != G_TYPE_STRING)
        return type_error (setting, _("a string or null"), error);
      g_free (*(char **) p);
      *(char **) p = is_null ? NULL : g_strdup (json_node_get_string (node));
      return TRUE;

    case WL_SETTING_STRV:
      if (is_null)
        {
          g_clear_pointer ((char ***) p, g_strfreev);
          return TRUE;
        }
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return type_error (setting, _("a list of strings or null"), error);
      else
        {
          JsonArray *array = json_node_get_array (node);
          guint n = json_array_get_length (array);
          g_auto(GStrv) strv = g_new0 (char *, n + 1);

          for (guint i = 0; i < n; i++)
            {
              JsonNode *item = json_array_get_element (array, i);

              if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
                return type_error (setting, _("a list of strings or null"), error);
              strv[i] = g_strdup (json_node_get_string (item));
            }
          g_strfreev (*(char ***) p);
          *(char ***) p = g_steal_pointer (&strv);
        }
      return TRUE;

    case WL_SETTING_UNICHAR:
      if (is_null)
        {
          *(gunichar *) p = 0;
          return TRUE;
        }
      if (vtype != G_TYPE_STRING || g_utf8_strlen (json_node_get_string (node), -1) != 1)
        return type_error (setting, _("a single character or null"), error);
      *(gunichar *) p = g_utf8_get_char (json_node_get_string (node));
      return TRUE;

    case WL_SETTING_ENUM:
      if (vtype != G_TYPE_STRING ||
          !wl_setting_parse (setting, config, json_node_get_string (node), NULL))
        {
          g_autofree char *choices = g_strjoinv (", ", (char **) setting->choices);
          g_autofree char *expected = g_strdup_printf (_("one of %s"), choices);
          return type_error (setting, expected, error);
        }
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
merge_object (WlConfig    *config,
              const char  *section,
              JsonObject  *object,
              GError     **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (object, key);
      const WlSetting *setting = wl_settings_find (section, key);

      if (setting == NULL && section == NULL && JSON_NODE_HOLDS_OBJECT (node) &&
          (g_str_equal (key, "data") || g_str_equal (key, "clean") ||
           g_str_equal (key, "tokens") || g_str_equal (key, "model")))
        {
          if (!merge_object (config, key, json_node_get_object (node), error))
            return FALSE;
          continue;
        }

      if (setting == NULL)
        {
          g_set_error (error, WL_ERROR, WL_ERROR_PARSE,
                       _("unknown setting “%s%s%s”; see “wordloom-cli train --help” for the settings"),
                       section ? section : "", section ? "." : "", key);
          return FALSE;
        }
      if (!read_value (config, setting, node, error) ||
          !wl_setting_check (setting, config, WL_SETTING_NAME_KEY, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
wl_config_merge_json (WlConfig    *config,
                      const char  *json,
                      gssize       length,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(WlConfig) merged = NULL;
  JsonNode *root;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_PARSE, "%s", local_error->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_PARSE, _("a config must be a JSON object"));
      return FALSE;
    }

  /* Merge into a copy so that a bad file leaves @config untouched. */
  merged = wl_config_copy (config);
  if (!merge_object (merged, NULL, json_node_get_object (root), error))
    return FALSE;

  /* Swap: @config takes the merged settings, @merged the old ones (freed). */
  {
    WlConfig old = *config;

    *config = *merged;
    *merged = old;
  }
  return TRUE;
}

gboolean
wl_config_merge_json_file (WlConfig    *config,
                           const char  *path,
                           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  if (!wl_config_merge_json (config, contents, length, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code, "%s: %s", path, local_error->message);
      return FALSE;
    }
  return TRUE;
}
