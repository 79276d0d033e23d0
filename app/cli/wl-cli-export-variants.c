/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-export-variants.c: `wordloom-cli export` --quantize, --prune and
 * --compare: the variant written, and the deployment card. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "train/wl-deploy-card.h"
#include "wl-error.h"
#include "wl-format.h"
#include "wl-cli.h"
#include "wl-cli-export-variants.h"
#include "wl-cli-table.h"

GOptionGroup *
wl_cli_export_variants_group (WlCliExportVariants *options)
{
  const GOptionEntry entries[] = {
    { "quantize", 0, 0, G_OPTION_ARG_STRING, &options->quantize,
      N_("Store the weights as int8 rows with a scale each (int8)"), N_("int8") },
    { "prune", 0, 0, G_OPTION_ARG_DOUBLE, &options->prune,
      N_("Drop this fraction of the rows with the smallest norms (0 to 0.99)"), N_("F") },
    { "fine-tune-epochs", 0, 0, G_OPTION_ARG_INT, &options->fine_tune_epochs,
      N_("After pruning, train this many more epochs on --train (default 0)"), N_("N") },
    { "train", 0, 0, G_OPTION_ARG_FILENAME, &options->train,
      N_("Labelled CSV/TSV file to fine-tune on (the model's training file)"), N_("FILE") },
    { "compare", 0, 0, G_OPTION_ARG_NONE, &options->compare,
      N_("Print the deployment card: size, speed, memory and accuracy of each variant"), NULL },
    { "test", 0, 0, G_OPTION_ARG_FILENAME, &options->test,
      N_("Labelled CSV/TSV file the deployment card is measured on"), N_("FILE") },
    { NULL }
  };
  GOptionGroup *group = g_option_group_new ("variants", _("Variants:"),
                                            _("Show the int8, pruning and comparison options"),
                                            NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

void
wl_cli_export_variants_clear (WlCliExportVariants *options)
{
  g_clear_pointer (&options->quantize, g_free);
  g_clear_pointer (&options->test, g_free);
  g_clear_pointer (&options->train, g_free);
  g_clear_pointer (&options->train_rows, wl_dataset_free);
}

WlClassifier *
wl_cli_export_variants_apply (WlCliExportVariants  *options,
                              WlClassifier         *classifier,
                              gboolean             *usage_error,
                              GError              **error)
{
  WlVariant variant = { .sparsity = options->prune };
  g_autoptr(GError) local_error = NULL;
  WlClassifier *made;

  *usage_error = TRUE;
  if (options->quantize != NULL && !g_str_equal (options->quantize, "int8"))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("--quantize “%s” is not known: the one precision is int8"), options->quantize);
      return NULL;
    }
  if (options->compare && options->test == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("--compare needs --test FILE, labelled rows to measure the variants on"));
      return NULL;
    }
  if (options->fine_tune_epochs < 0 || (options->fine_tune_epochs > 0) != (options->train != NULL))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("--fine-tune-epochs N (a positive number) and --train FILE go together"));
      return NULL;
    }
  if (options->fine_tune_epochs > 0 && options->prune == 0.0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("--fine-tune-epochs fine-tunes a pruned model: give --prune too"));
      return NULL;
    }
  if (options->train != NULL)
    {
      WlCliDataOptions data_options = { 0 };

      options->train_rows = wl_cli_load_for_model (classifier, &data_options, options->train, FALSE,
                                                   usage_error, error);
      if (options->train_rows == NULL)
        return NULL;
    }
  variant.fine_tune_epochs = options->fine_tune_epochs;
  variant.int8 = options->quantize != NULL;
  /* The sparsity is checked by the engine; a model that cannot be made
   * so is wrong use too. */
  made = wl_classifier_new_variant (classifier, &variant, options->train_rows, NULL, &local_error);
  *usage_error = made == NULL && g_error_matches (local_error, WL_ERROR, WL_ERROR_INVALID);
  if (made == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return made;
}

static void
print_card (GArray *rows)
{
  const char *headings[] = { _("variant"), _("size"), _("ratio"), _("ms/text"), _("texts/s"),
                             _("memory"), _("accuracy"), _("change"), _("macro-F1"), _("change"),
                             NULL };
  g_autoptr(WlCliTable) table = wl_cli_table_new ("lrrrrrrrrr", headings);
  const WlDeployCardRow *fp32 = &g_array_index (rows, WlDeployCardRow, 0);

  for (guint i = 0; i < rows->len; i++)
    {
      const WlDeployCardRow *row = &g_array_index (rows, WlDeployCardRow, i);
      char *cells[] = {
        wl_variant_describe (&row->variant), wl_format_size (row->file_size),
        g_strdup_printf ("%.1f×", (double) fp32->file_size / MAX (row->file_size, 1)),
        g_strdup_printf ("%.3f", row->latency_ms), g_strdup_printf ("%.0f", row->texts_per_second),
        wl_format_size (row->peak_bytes), g_strdup_printf ("%.2f%%", 100.0 * row->accuracy),
        g_strdup_printf ("%+.2f", row->accuracy_change), g_strdup_printf ("%.4f", row->macro_f1),
        g_strdup_printf ("%+.2f", row->macro_f1_change),
      };

      wl_cli_table_add_row (table, cells);
    }
  wl_cli_table_print (table);
}

int
wl_cli_export_variants_compare (WlCliExportVariants *options,
                                const WlClassifier  *classifier,
                                gboolean             json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WlDataset) test = NULL;
  g_autoptr(GArray) rows = NULL;
  WlCliDataOptions data_options = { 0 };
  gboolean usage_error;

  if (!options->compare)
    return WL_CLI_EXIT_OK;
  test = wl_cli_load_for_model (classifier, &data_options, options->test, FALSE, &usage_error, &error);
  if (test == NULL)
    return wl_cli_fail (error);
  rows = wl_deploy_card_compute (classifier, test, options->train_rows, options->fine_tune_epochs,
                                 0, NULL, NULL, NULL, &error);
  if (rows == NULL)
    return wl_cli_fail (error);
  if (json)
    {
      g_autofree char *text = wl_deploy_card_to_json (rows);
      g_print ("%s\n", text);
    }
  else
    print_card (rows);
  return WL_CLI_EXIT_OK;
}
