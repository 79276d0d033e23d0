/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-train-args.c: a config as `wordloom-cli train` arguments (see the header).
 *
 * The table's flags are written from the table.  The data and cleaning
 * settings have flags of their own in `train` (app/cli: the data options
 * that eval and predict share, and switches such as --keep-urls that turn
 * a default off); they are written by write_beside_table() below, and
 * tests/cli/test-train-args.c parses the result with the CLI itself, so
 * that a flag renamed there fails it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wl-error.h"
#include "wl-settings.h"
#include "wl-train-args.h"

#define SETTING_PTR(config, s) ((const guint8 *) (config) + (s)->offset)

/* The settings without a flag in the table that write_beside_table()
 * writes, and the one the run writes itself (the device's name). */
static const char *const beside_table[] = {
  "data.input", "data.test_input", "data.text_columns", "data.label_column", "data.header",
  "data.separator", "data.quotes", "data.encoding", "data.skip_bad_rows",
  "clean.nfkc", "clean.casefold", "clean.strip_urls", "clean.mark_links", "clean.strip_emails", "clean.strip_html",
  "clean.strip_punct", "clean.stopwords", "clean.stopwords_file", "clean.collapse_whitespace",
  "clean.stem", "tokens.char_ngram_min", "tokens.char_ngram_max", "tokens.split_contractions",
  "model.refit", "model.device_name",
  NULL,
};

static void
add (GPtrArray  *argv,
     const char *flag,
     const char *value)
{
  g_ptr_array_add (argv, g_strconcat ("--", flag, NULL));
  if (value != NULL)
    g_ptr_array_add (argv, g_strdup (value));
}

static void
add_take (GPtrArray  *argv,
          const char *flag,
          char       *value)
{
  add (argv, flag, value);
  g_free (value);
}

static gboolean
no_flag (const WlSetting  *setting,
         GError          **error)
{
  g_autofree char *name = wl_setting_get_name (setting, WL_SETTING_NAME_KEY);

  g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
               /* Translators: %s is a setting, “model.sublinear_tf” */
               _("“%s” has no flag of “wordloom-cli train”: put it back to its default, or give "
                 "the settings in a config file (--config)"), name);
  return FALSE;
}

/* The shortest text that reads back as @value ("0.0005", not
 * "0.00050000000000000001"). */
static char *
format_double (double value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  char format[8];

  for (int digits = 1; digits < 17; digits++)
    {
      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (text, sizeof text, format, value);
      if (g_ascii_strtod (text, NULL) == value)
        return g_strdup (text);
    }
  return g_strdup (g_ascii_dtostr (text, sizeof text, value));
}

/* A setting of the table with a flag, its value as the flag takes it. */
static gboolean
write_flag (GPtrArray        *argv,
            const WlSetting  *setting,
            const WlConfig   *config,
            GError          **error)
{
  gconstpointer p = SETTING_PTR (config, setting);

  switch (setting->type)
    {
    case WL_SETTING_BOOL:
      /* A switch turns the setting on; none turns it off. */
      if (!*(const gboolean *) p)
        return no_flag (setting, error);
      add (argv, setting->flag, NULL);
      return TRUE;
    case WL_SETTING_UINT:
      if (wl_setting_is_auto (setting, config))
        add (argv, setting->flag, "auto");
      else
        add_take (argv, setting->flag, g_strdup_printf ("%u", *(const guint *) p));
      return TRUE;
    case WL_SETTING_UINT64:
      add_take (argv, setting->flag, g_strdup_printf ("%" G_GUINT64_FORMAT, *(const guint64 *) p));
      return TRUE;
    case WL_SETTING_DOUBLE:
      add_take (argv, setting->flag, format_double (*(const double *) p));
      return TRUE;
    case WL_SETTING_ENUM:
      add (argv, setting->flag, setting->choices[*(const int *) p]);
      return TRUE;
    case WL_SETTING_STRING:
      if (*(char * const *) p == NULL)
        return no_flag (setting, error);
      add (argv, setting->flag, *(char * const *) p);
      return TRUE;
    default:
      return no_flag (setting, error);
    }
}

/* --test, the data options and the cleaning switches, for the settings
 * that differ from @defaults. */
static gboolean
write_beside_table (GPtrArray       *argv,
                    const WlConfig  *config,
                    const WlConfig  *defaults,
                    GError         **error)
{
  const WlDataConfig *data = &config->data;
  const WlCleanConfig *clean = &config->clean;
  const WlCleanConfig *plain = &defaults->clean;

  if (data->test_input != NULL)
    add (argv, "test", data->test_input);
  for (char **c = data->text_columns; c != NULL && *c != NULL; c++)
    {
      /* The flag splits its value at commas. */
      if (strchr (*c, ',') != NULL)
        {
          g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                       _("The text column “%s” has a comma in its name, which the command line "
                         "cannot name: choose it by its number"), *c);
          return FALSE;
        }
      add (argv, "text-column", *c);
    }
  if (data->label_column != NULL)
    add (argv, "label-column", data->label_column);
  if (data->header != defaults->data.header)
    add (argv, data->header == WL_HEADER_YES ? "header" : "no-header", NULL);
  if (data->separator == '\t')
    add (argv, "separator", "tab");
  else if (data->separator != 0)
    {
      char buf[8] = { 0 };

      g_unichar_to_utf8 (data->separator, buf);
      add (argv, "separator", buf);
    }
  if (data->quotes != defaults->data.quotes)
    add (argv, "quotes", wl_quote_mode_to_string (data->quotes));
  if (data->encoding != NULL)
    add (argv, "encoding", data->encoding);
  if (data->skip_bad_rows)
    add (argv, "skip-bad-rows", NULL);

  if (clean->nfkc != plain->nfkc)
    add (argv, "no-nfkc", NULL);
  if (clean->casefold != plain->casefold)
    add (argv, "no-casefold", NULL);
  if (clean->strip_urls != plain->strip_urls)
    add (argv, "keep-urls", NULL);
  if (clean->mark_links != plain->mark_links)
    add (argv, "no-link-word", NULL);
  if (clean->strip_emails != plain->strip_emails)
    add (argv, "keep-emails", NULL);
  if (clean->strip_html != plain->strip_html)
    add (argv, "keep-html", NULL);
  if (clean->strip_punct != plain->strip_punct)
    add (argv, "strip-punct", NULL);
  if (clean->collapse_whitespace != plain->collapse_whitespace)
    add (argv, "keep-whitespace", NULL);
  if (clean->stopwords != NULL)
    add_take (argv, "stopwords", clean->stopwords[0] != NULL
                                 ? g_strjoinv (",", clean->stopwords) : g_strdup ("none"));
  if (clean->stopwords_file != NULL)
    add (argv, "stopwords-file", clean->stopwords_file);
  if (clean->stem != NULL)
    add (argv, "stem", clean->stem);
  if (config->tokens.split_contractions != defaults->tokens.split_contractions)
    add (argv, "keep-contractions", NULL);
  if (config->model.refit != defaults->model.refit)
    add (argv, "no-refit", NULL);
  if (config->tokens.char_ngram_min != defaults->tokens.char_ngram_min ||
      config->tokens.char_ngram_max != defaults->tokens.char_ngram_max)
    add_take (argv, "char-ngrams", g_strdup_printf ("%u-%u", config->tokens.char_ngram_min,
                                                    config->tokens.char_ngram_max));
  return TRUE;
}

GStrv
wl_train_args_from_config (const WlConfig  *config_in,
                           const char      *output,
                           GError         **error)
{
  g_autoptr(WlConfig) config = NULL;
  g_autoptr(WlConfig) defaults = wl_config_new ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new_null_terminated (32, g_free, TRUE);
  const WlSetting *settings;
  guint n;

  g_return_val_if_fail (config_in != NULL, NULL);
  g_return_val_if_fail (output != NULL, NULL);

  if (config_in->data.input == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("No input file given"));
      return NULL;
    }
  /* What the run keeps: the settings its model uses. */
  config = wl_config_copy (config_in);
  wl_config_drop_unused (config);

  add (argv, "input", config->data.input);
  add (argv, "output", output);
  if (!write_beside_table (argv, config, defaults, error))
    return NULL;
  settings = wl_settings_get (&n);
  for (guint i = 0; i < n; i++)
    {
      const WlSetting *s = &settings[i];
      g_autofree char *key = wl_setting_get_name (s, WL_SETTING_NAME_KEY);

      if (!wl_setting_applies_to (s, config->model.type) || wl_setting_is_default (s, config) ||
          g_strv_contains (beside_table, key))
        continue;
      if (s->flag == NULL)
        {
          no_flag (s, error);
          return NULL;
        }
      if (!write_flag (argv, s, config, error))
        return NULL;
    }
  return (GStrv) g_ptr_array_steal (argv, NULL);
}

/* Characters a POSIX shell takes as they are, in an argument. */
static gboolean
needs_quoting (const char *arg)
{
  if (*arg == '\0')
    return TRUE;
  for (const char *c = arg; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && strchr ("-_./:=,+@%", *c) == NULL)
      return TRUE;
  return FALSE;
}

char *
wl_train_args_to_shell (const char * const *argv)
{
  GString *line = g_string_new (NULL);

  g_return_val_if_fail (argv != NULL, NULL);

  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *quoted = needs_quoting (argv[i]) ? g_shell_quote (argv[i]) : NULL;

      if (i > 0)
        g_string_append_c (line, ' ');
      g_string_append (line, quoted != NULL ? quoted : argv[i]);
    }
  return g_string_free (line, FALSE);
}

char *
wl_train_mpirun_command (const WlConfig  *config,
                         const char      *output,
                         guint            n_processes,
                         const char      *hostfile,
                         GError         **error)
{
  g_auto(GStrv) train = wl_train_args_from_config (config, output, error);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *n = NULL;

  g_return_val_if_fail (n_processes > 0, NULL);

  if (train == NULL)
    return NULL;
  builder = g_strv_builder_new ();
  n = g_strdup_printf ("%u", n_processes);
  g_strv_builder_add_many (builder, "mpirun", "-n", n, NULL);
  if (hostfile != NULL)
    g_strv_builder_add_many (builder, "--hostfile", hostfile, NULL);
  g_strv_builder_add_many (builder, "wordloom-cli", "train", NULL);
  g_strv_builder_addv (builder, (const char **) train);
  argv = g_strv_builder_end (builder);
  return wl_train_args_to_shell ((const char * const *) argv);
}

char *
wl_train_hostfile (const char * const *hosts,
                   guint               n_processes)
{
  GString *text = g_string_new ("# One machine a line, with the processes it runs "
                                "(Open MPI's hostfile).\n");
  guint n_hosts;

  g_return_val_if_fail (hosts != NULL, NULL);

  n_hosts = g_strv_length ((char **) hosts);
  for (guint i = 0; i < n_hosts; i++)
    {
      guint slots = n_processes / n_hosts + (i < n_processes % n_hosts ? 1 : 0);

      if (slots > 0)
        g_string_append_printf (text, "%s slots=%u\n", hosts[i], slots);
    }
  return g_string_free (text, FALSE);
}
