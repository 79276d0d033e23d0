/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-predict.c: `wordloom-cli predict`: labels for new text. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "train/wl-classifier.h"
#include "train/wl-predict-file.h"
#include "wl-cli.h"

#define STDIN_BATCH 4096   /* lines predicted at a time when reading stdin */

typedef struct
{
  const WlClassifier *classifier;
  gboolean            json;
  gboolean            probabilities;
  guint               n_threads;
} PredictOptions;

static void
print_prediction (const PredictOptions *o,
                  const float          *p)
{
  guint n = wl_classifier_get_n_labels (o->classifier);
  guint best = wl_argmax (p, n);

  if (o->json)
    {
      g_autofree char *label = wl_cli_json_string (wl_classifier_get_label (o->classifier, best));
      g_autoptr(GString) line = g_string_new (NULL);

      g_string_printf (line, "{\"label\":%s,\"probability\":%.6f", label, p[best]);
      if (o->probabilities)
        {
          g_string_append (line, ",\"probabilities\":{");
          for (guint j = 0; j < n; j++)
            {
              g_autofree char *name = wl_cli_json_string (wl_classifier_get_label (o->classifier, j));
              g_string_append_printf (line, "%s%s:%.6f", j ? "," : "", name, p[j]);
            }
          g_string_append_c (line, '}');
        }
      g_string_append_c (line, '}');
      g_print ("%s\n", line->str);
    }
  else if (o->probabilities)
    {
      g_print ("%s", wl_classifier_get_label (o->classifier, best));
      for (guint j = 0; j < n; j++)
        g_print ("\t%s:%.4f", wl_classifier_get_label (o->classifier, j), p[j]);
      g_print ("\n");
    }
  else
    g_print ("%s\n", wl_classifier_get_label (o->classifier, best));
}

static gboolean
predict_batch (const PredictOptions  *o,
               const char * const    *texts,
               gsize                  n,
               GError               **error)
{
  guint n_labels = wl_classifier_get_n_labels (o->classifier);
  g_autofree float *probs = g_try_new (float, MAX (n, 1) * n_labels);

  if (probs == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, _("Not enough memory for %zu predictions"), n);
      return FALSE;
    }
  if (!wl_classifier_predict (o->classifier, texts, n, o->n_threads, probs, NULL, error))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    print_prediction (o, probs + i * n_labels);
  return TRUE;
}

static gboolean
predict_lines (const char * const  *texts,
               gsize                n,
               gpointer             data,
               GError             **error)
{
  return predict_batch (data, texts, n, error);
}

int
wl_cli_predict (int    argc,
                char **argv)
{
  g_autofree char *model_path = NULL;
  g_autofree char *input = NULL;
  g_autofree char *output = NULL;
  gboolean json = FALSE;
  gboolean probabilities = FALSE;
  int threads = 0;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, N_("Model file"), N_("MODEL.wlm") },
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &input, N_("CSV/TSV file (default: one text per line on standard input)"), N_("FILE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write a CSV of each text, its predicted label and every label's probability (needs --input)"), N_("FILE.csv") },
    { "probabilities", 'p', 0, G_OPTION_ARG_NONE, &probabilities, N_("Print every label's probability"), NULL },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, N_("Threads (default: all cores)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per text"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WlClassifier) classifier = NULL;
  WlCliDataOptions data_options = { 0 };
  PredictOptions o = { 0 };
  int status = WL_CLI_EXIT_OK;

  g_option_context_set_summary (context, _("Predict the label of each text of a CSV/TSV file or of standard input."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, wl_cli_data_options_group (&data_options));

  if (!wl_cli_parse (context, "predict", &argc, &argv))
    status = WL_CLI_EXIT_USAGE;
  else if (argc > 1)
    status = wl_cli_usage_error ("predict", _("unexpected argument “%s”"), argv[1]);
  else if (model_path == NULL)
    status = wl_cli_usage_error ("predict", _("--model is required"));
  else if (threads < 0)
    status = wl_cli_usage_error ("predict", _("--threads must be zero or more"));
  else if (output != NULL && (input == NULL || g_str_equal (input, "-")))
    status = wl_cli_usage_error ("predict", _("--output needs --input FILE"));
  if (status != WL_CLI_EXIT_OK)
    goto out;

  if (!(classifier = wl_classifier_load (model_path, &error)))
    {
      status = wl_cli_fail (error);
      goto out;
    }
  o.classifier = classifier;
  o.json = json;
  o.probabilities = probabilities;
  o.n_threads = threads;

  if (input == NULL || g_str_equal (input, "-"))
    {
      if (!wl_cli_read_stdin (STDIN_BATCH, predict_lines, &o, &error))
        status = wl_cli_fail (error);
    }
  else
    {
      g_autoptr(WlDataset) dataset = NULL;
      gboolean usage_error;

      if (!(dataset = wl_cli_load_for_model (classifier, &data_options, input, TRUE, &usage_error, &error)))
        status = usage_error ? wl_cli_usage_error ("predict", "%s", error->message) : wl_cli_fail (error);
      else if (output != NULL)
        {
          if (!wl_classifier_predict_file (classifier, dataset, output, threads, NULL, NULL, NULL, &error))
            status = wl_cli_fail (error);
        }
      else if (!predict_batch (&o, (const char * const *) dataset->texts->pdata,
                               wl_dataset_get_n_rows (dataset), &error))
        status = wl_cli_fail (error);
    }

out:
  wl_cli_data_options_clear (&data_options);
  return status;
}
