/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-common.c: option groups, errors and signals shared by the commands. */
#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

#include "train/wl-predict-file.h"
#include "wl-cli.h"
#include "wl-error.h"

GOptionGroup *
wl_cli_data_options_group (WlCliDataOptions *options)
{
  const GOptionEntry entries[] = {
    { "text-column", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->text_columns,
      N_("Text column(s), by name or 1-based index; several are joined (default: “text”, else the longest)"), N_("COL[,COL…]") },
    { "label-column", 0, 0, G_OPTION_ARG_STRING, &options->label_column,
      N_("Label column, by name or 1-based index (default: “label”)"), N_("COL") },
    { "separator", 0, 0, G_OPTION_ARG_STRING, &options->separator,
      N_("Field separator: a character, or “tab” (default: detected)"), N_("C") },
    { "quotes", 0, 0, G_OPTION_ARG_STRING, &options->quotes,
      N_("Quotes: “rfc4180”, “none” (quotes are plain text) or “auto” "
         "(default: none for a TSV whose quotes are not RFC 4180)"),
      N_("auto|rfc4180|none") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &options->encoding,
      N_("Text encoding: “auto” (default: detected; a label with bytes not valid in it is "
         "an error) or a name such as UTF-8, UTF-16LE, GB18030, Big5, Shift_JIS, EUC-KR, "
         "windows-1252"),
      N_("NAME|auto") },
    { "no-header", 0, 0, G_OPTION_ARG_NONE, &options->no_header,
      N_("The first row is data, not column names"), NULL },
    { "header", 0, 0, G_OPTION_ARG_NONE, &options->header,
      N_("The first row holds column names (default: detected)"), NULL },
    { "skip-bad-rows", 0, 0, G_OPTION_ARG_NONE, &options->skip_bad_rows,
      N_("Skip malformed rows (and report them) instead of stopping"), NULL },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("data", _("Reading the CSV/TSV file:"),
                                            _("Show options for reading CSV/TSV files"), NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

static gboolean
parse_separator (const char  *str,
                 gunichar    *separator,
                 GError     **error)
{
  if (g_ascii_strcasecmp (str, "tab") == 0 || g_str_equal (str, "\\t"))
    *separator = '\t';
  else if (g_ascii_strcasecmp (str, "comma") == 0)
    *separator = ',';
  else if (g_ascii_strcasecmp (str, "semicolon") == 0)
    *separator = ';';
  else if (g_utf8_validate (str, -1, NULL) && g_utf8_strlen (str, -1) == 1 &&
           str[0] != '"' && str[0] != '\n' && str[0] != '\r')
    *separator = g_utf8_get_char (str);
  else
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("--separator must be one character or “tab”, not “%s”"), str);
      return FALSE;
    }
  return TRUE;
}

gboolean
wl_cli_data_options_apply (WlCliDataOptions  *options,
                           WlDataConfig      *data,
                           GError           **error)
{
  if (options->header && options->no_header)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("--header and --no-header contradict each other"));
      return FALSE;
    }
  if (options->header)
    data->header = WL_HEADER_YES;
  if (options->no_header)
    data->header = WL_HEADER_NO;
  if (options->skip_bad_rows)
    data->skip_bad_rows = TRUE;
  if (options->separator != NULL && !parse_separator (options->separator, &data->separator, error))
    return FALSE;
  if (options->quotes != NULL && !wl_quote_mode_from_string (options->quotes, &data->quotes))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("--quotes must be “auto”, “rfc4180” or “none”, not “%s”"), options->quotes);
      return FALSE;
    }
  if (options->encoding != NULL)
    {
      /* Checked where the file is opened (io/wl-csv-decode.c). */
      g_free (data->encoding);
      data->encoding = g_strdup (options->encoding);
    }
  if (options->label_column != NULL)
    {
      g_free (data->label_column);
      data->label_column = g_strdup (options->label_column);
    }
  if (options->text_columns != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (char **c = options->text_columns; *c != NULL; c++)
        {
          g_auto(GStrv) parts = g_strsplit (*c, ",", -1);

          for (char **p = parts; *p != NULL; p++)
            {
              g_strstrip (*p);
              if (**p != '\0')
                g_strv_builder_add (builder, *p);
            }
        }
      g_strfreev (data->text_columns);
      data->text_columns = g_strv_builder_end (builder);
    }
  return TRUE;
}

void
wl_cli_data_options_clear (WlCliDataOptions *options)
{
  g_clear_pointer (&options->text_columns, g_strfreev);
  g_clear_pointer (&options->label_column, g_free);
  g_clear_pointer (&options->separator, g_free);
  g_clear_pointer (&options->quotes, g_free);
  g_clear_pointer (&options->encoding, g_free);
}

WlDataset *
wl_cli_load_for_model (const WlClassifier  *classifier,
                       WlCliDataOptions    *options,
                       const char          *path,
                       gboolean             label_optional,
                       gboolean            *usage_error,
                       GError             **error)
{
  /* A new file has its own separator, header and quoting; its encoding is
   * the model's (files in the same encoding), unless --encoding says. */
  g_autoptr(WlConfig) config = wl_classifier_new_input_config (classifier);

  *usage_error = !wl_cli_data_options_apply (options, &config->data, error);
  if (*usage_error)
    return NULL;
  return wl_classifier_load_texts (classifier, path, &config->data, !label_optional, NULL, error);
}

gboolean
wl_cli_read_stdin (guint            batch,
                   WlCliBatchFunc   func,
                   gpointer         data,
                   GError         **error)
{
  g_autoptr(GInputStream) raw = g_unix_input_stream_new (0, FALSE);
  g_autoptr(GDataInputStream) in = g_data_input_stream_new (raw);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  char *line;
  GError *local_error = NULL;

  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  while ((line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &local_error)) != NULL)
    {
      g_ptr_array_add (lines, line);
      if (lines->len == batch)
        {
          if (!func ((const char * const *) lines->pdata, lines->len, data, error))
            return FALSE;
          fflush (stdout);
          g_ptr_array_set_size (lines, 0);
        }
    }
  if (local_error != NULL)
    {
      g_propagate_prefixed_error (error, local_error, _("standard input: "));
      return FALSE;
    }
  return func ((const char * const *) lines->pdata, lines->len, data, error);
}

gboolean
wl_cli_parse (GOptionContext   *context,
              const char       *command,
              int              *argc,
              char           ***argv)
{
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      wl_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

int
wl_cli_usage_error (const char *command,
                    const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("wordloom-cli %s: %s\n", command, message);
  g_printerr (_("Try “wordloom-cli %s --help” for more information.\n"), command);
  return WL_CLI_EXIT_USAGE;
}

int
wl_cli_fail (const GError *error)
{
  if (g_error_matches (error, WL_ERROR, WL_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_printerr (_("Cancelled\n"));
      return WL_CLI_EXIT_CANCELLED;
    }
  g_printerr ("wordloom-cli: %s\n", error->message);
  if (g_error_matches (error, WL_ERROR, WL_ERROR_PARSE))
    g_printerr (_("wordloom-cli: --skip-bad-rows skips malformed rows; --quotes none reads every "
                  "quote as ordinary text\n"));
  else if (g_error_matches (error, WL_ERROR, WL_ERROR_ENCODING))
    g_printerr (_("wordloom-cli: pass --encoding NAME with the file's encoding "
                  "(for example --encoding GB18030)\n"));
  return WL_CLI_EXIT_BAD_INPUT;
}

const WlVerdictControls wl_cli_verdict_controls = { "--threads", "--batch-size", "--threads" };

gboolean
wl_cli_stderr_is_tty (void)
{
  return isatty (fileno (stderr));
}

char *
wl_cli_json_string (const char *str)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), str);

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}
