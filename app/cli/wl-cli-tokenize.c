/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-tokenize.c: `wordloom-cli tokenize`: the ids an exported model
 * takes for each text, one JSON line per text. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "train/wl-classifier-export.h"
#include "wl-cli.h"

#define STDIN_BATCH 4096   /* texts tokenised at a time */

typedef struct
{
  const WlClassifier *classifier;
  guint               n_threads;
} TokenizeOptions;

static gboolean
tokenize_batch (const WlClassifier  *classifier,
                const char * const  *texts,
                gsize                n,
                guint                n_threads,
                GError             **error)
{
  g_autoptr(GPtrArray) all = wl_classifier_tokenize (classifier, texts, n, n_threads, NULL, error);
  g_autoptr(GString) line = g_string_new (NULL);

  if (all == NULL)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      GArray *ids = g_ptr_array_index (all, i);

      g_string_assign (line, "{\"ids\":[");
      for (guint j = 0; j < ids->len; j++)
        g_string_append_printf (line, "%s%" G_GINT64_FORMAT, j ? "," : "", g_array_index (ids, gint64, j));
      g_string_append_printf (line, "],\"length\":%u}\n", ids->len);
      fputs (line->str, stdout);
    }
  return TRUE;
}

static gboolean
tokenize_lines (const char * const  *texts,
                gsize                n,
                gpointer             data,
                GError             **error)
{
  const TokenizeOptions *o = data;

  return tokenize_batch (o->classifier, texts, n, o->n_threads, error);
}

int
wl_cli_tokenize (int    argc,
                 char **argv)
{
  g_autofree char *model_path = NULL;
  g_autofree char *input = NULL;
  int threads = 0;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, N_("Model file"), N_("MODEL.wlm") },
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &input, N_("CSV/TSV file (default: one text per line on standard input)"), N_("FILE") },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, N_("Threads (default: all cores)"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WlClassifier) classifier = NULL;
  WlCliDataOptions data_options = { 0 };
  int status = WL_CLI_EXIT_OK;

  g_option_context_set_summary (context, _("Print the ids that the model's ONNX export takes for each text, "
                                           "cleaned and tokenised as in training: one JSON object per "
                                           "line, {\"ids\": […], \"length\": N}."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, wl_cli_data_options_group (&data_options));

  if (!wl_cli_parse (context, "tokenize", &argc, &argv))
    status = WL_CLI_EXIT_USAGE;
  else if (argc > 1)
    status = wl_cli_usage_error ("tokenize", _("unexpected argument “%s”"), argv[1]);
  else if (model_path == NULL)
    status = wl_cli_usage_error ("tokenize", _("--model is required"));
  else if (threads < 0)
    status = wl_cli_usage_error ("tokenize", _("--threads must be zero or more"));
  if (status != WL_CLI_EXIT_OK)
    goto out;

  if (!(classifier = wl_classifier_load (model_path, &error)))
    status = wl_cli_fail (error);
  else if (input == NULL || g_str_equal (input, "-"))
    {
      TokenizeOptions o = { classifier, threads };

      if (!wl_cli_read_stdin (STDIN_BATCH, tokenize_lines, &o, &error))
        status = wl_cli_fail (error);
    }
  else
    {
      g_autoptr(WlDataset) dataset = NULL;
      gboolean usage_error;

      if (!(dataset = wl_cli_load_for_model (classifier, &data_options, input, TRUE, &usage_error, &error)))
        status = usage_error ? wl_cli_usage_error ("tokenize", "%s", error->message) : wl_cli_fail (error);
      else
        {
          gsize n = wl_dataset_get_n_rows (dataset);

          /* In batches, so that the ids of a million texts are never all held. */
          for (gsize begin = 0; begin < n && status == WL_CLI_EXIT_OK; begin += STDIN_BATCH)
            if (!tokenize_batch (classifier, (const char * const *) dataset->texts->pdata + begin,
                                 MIN (STDIN_BATCH, n - begin), threads, &error))
              status = wl_cli_fail (error);
        }
    }

out:
  wl_cli_data_options_clear (&data_options);
  return status;
}
