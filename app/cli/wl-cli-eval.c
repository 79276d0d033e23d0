/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-eval.c: `wordloom-cli eval`: how well a model does on labelled data. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "eval/wl-confusion-view.h"
#include "train/wl-classifier.h"
#include "wl-cli.h"

static void
print_text_report (const WlEvaluation *evaluation,
                   const WlDataset    *dataset,
                   int                 n_misclassified)
{
  const WlMetrics *m = evaluation->metrics;
  g_autoptr(WlConfusionView) view = wl_confusion_view_new (m, WL_CONFUSION_VIEW_MAX_LABELS);
  g_autofree char *unseen = wl_evaluation_describe_unseen (evaluation);
  g_autofree char *others = NULL;
  g_autofree const char **names = g_new0 (const char *, view->n + 1);
  int width = 10;

  for (guint i = 0; i < view->n_shown; i++)
    names[i] = g_ptr_array_index (evaluation->label_names, view->label_ids[i]);
  if (view->n_others > 0)
    names[view->n_shown] = others = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u other", "%u others",
                                                                  view->n_others), view->n_others);
  for (guint i = 0; i < view->n; i++)
    width = MAX (width, (int) g_utf8_strlen (names[i], -1) + 2);

  g_print (_("accuracy  %.4f\nmacro-F1  %.4f\nrows      %" PRIu64 "\n\n"), m->accuracy, m->macro_f1, m->n);
  if (unseen != NULL)
    g_print (_("warning: %s\n\n"), unseen);
  g_print ("%-*s %9s %9s %9s %9s\n", width, _("label"), _("precision"), _("recall"), "F1", _("support"));
  for (guint i = 0; i < view->n_shown; i++)
    {
      guint32 k = view->label_ids[i];

      g_print ("%-*s %9.4f %9.4f %9.4f %9" G_GUINT64_FORMAT "\n", width, names[i],
               m->precision[k], m->recall[k], m->f1[k], m->support[k]);
    }
  if (view->n_others > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "(%u more label, the one with the fewest rows; --json lists every label)\n",
                          "(%u more labels, those with the fewest rows; --json lists every label)\n",
                          view->n_others), view->n_others);

  g_print (_("\nconfusion matrix (rows: true label, columns: predicted)\n%-*s"), width, "");
  for (guint j = 0; j < view->n; j++)
    g_print (" %*s", width, names[j]);
  g_print ("\n");
  for (guint i = 0; i < view->n; i++)
    {
      g_print ("%-*s", width, names[i]);
      for (guint j = 0; j < view->n; j++)
        g_print (" %*" G_GUINT64_FORMAT, width, view->cells[(gsize) i * view->n + j]);
      g_print ("\n");
    }

  if (n_misclassified > 0 && evaluation->misclassified->len > 0)
    {
      g_print (_("\nmost confident mistakes (line, true → predicted, probability, text)\n"));
      for (guint i = 0; i < MIN ((guint) n_misclassified, evaluation->misclassified->len); i++)
        {
          const WlMisclassified *mc = &g_array_index (evaluation->misclassified, WlMisclassified, i);
          g_autofree char *text = g_strdup (wl_dataset_get_text (dataset, mc->row));

          g_strdelimit (text, "\r\n\t", ' ');
          if (g_utf8_strlen (text, -1) > 70)
            {
              char *end = g_utf8_offset_to_pointer (text, 70);
              strcpy (end, "…");
            }
          g_print ("%6" G_GUINT64_FORMAT "  %s → %s  %.3f  %s\n", wl_dataset_get_line (dataset, mc->row),
                   (const char *) g_ptr_array_index (evaluation->label_names, mc->truth),
                   (const char *) g_ptr_array_index (evaluation->label_names, mc->predicted),
                   mc->p_predicted, text);
        }
    }
}

int
wl_cli_eval (int    argc,
             char **argv)
{
  g_autofree char *model_path = NULL;
  g_autofree char *input = NULL;
  gboolean json = FALSE;
  int threads = 0;
  int n_misclassified = 10;
  const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, N_("Model file"), N_("MODEL.wlm") },
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &input, N_("Labelled CSV/TSV file"), N_("FILE") },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, N_("Threads (default: all cores)"), N_("N") },
    { "misclassified", 0, 0, G_OPTION_ARG_INT, &n_misclassified, N_("Show the N most confident mistakes (default 10)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WlClassifier) classifier = NULL;
  g_autoptr(WlDataset) dataset = NULL;
  g_autoptr(WlEvaluation) evaluation = NULL;
  WlCliDataOptions data_options = { 0 };
  gboolean usage_error;
  int status = WL_CLI_EXIT_OK;

  g_option_context_set_summary (context, _("Evaluate a model on a labelled CSV/TSV file."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, wl_cli_data_options_group (&data_options));

  if (!wl_cli_parse (context, "eval", &argc, &argv))
    status = WL_CLI_EXIT_USAGE;
  else if (argc > 1)
    status = wl_cli_usage_error ("eval", _("unexpected argument “%s”"), argv[1]);
  else if (model_path == NULL || input == NULL)
    status = wl_cli_usage_error ("eval", _("--model and --input are required"));
  else if (threads < 0)
    status = wl_cli_usage_error ("eval", _("--threads must be zero or more"));
  if (status != WL_CLI_EXIT_OK)
    goto out;

  if (!(classifier = wl_classifier_load (model_path, &error)))
    {
      status = wl_cli_fail (error);
      goto out;
    }
  if (!(dataset = wl_cli_load_for_model (classifier, &data_options, input, FALSE, &usage_error, &error)))
    {
      status = usage_error ? wl_cli_usage_error ("eval", "%s", error->message) : wl_cli_fail (error);
      goto out;
    }
  if (!(evaluation = wl_classifier_evaluate (classifier, dataset, threads, NULL, &error)))
    {
      status = wl_cli_fail (error);
      goto out;
    }

  if (json)
    {
      g_autofree char *text = wl_evaluation_to_json (evaluation, FALSE);
      g_autofree char *unseen = wl_evaluation_describe_unseen (evaluation);

      if (unseen != NULL)
        g_printerr (_("wordloom-cli eval: warning: %s\n"), unseen);
      g_print ("%s\n", text);
    }
  else
    print_text_report (evaluation, dataset, n_misclassified);

out:
  wl_cli_data_options_clear (&data_options);
  return status;
}
