/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-split.c: a run's split, and its test part made again. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "train/wl-run-split.h"
#include "wl-error.h"

WlSplit *
wl_run_split_dataset (const WlDataset    *dataset,
                      const WlDataConfig *data)
{
  g_return_val_if_fail (dataset != NULL && data != NULL, NULL);

  return wl_split_stratified ((const guint32 *) (gpointer) dataset->labels->data,
                              wl_dataset_get_n_rows (dataset), wl_dataset_get_n_labels (dataset),
                              data->test_input != NULL ? 0.0 : data->test_fraction,
                              data->valid_fraction, data->seed);
}

WlDataset *
wl_run_load_test_part (const WlConfig  *config,
                       WlProgressFunc   progress,
                       gpointer         progress_data,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autoptr(WlDataset) dataset = NULL;
  g_autoptr(WlSplit) split = NULL;
  WlLoadOptions options;

  g_return_val_if_fail (config != NULL, NULL);

  if (config->data.input == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("No input file given"));
      return NULL;
    }
  wl_load_options_init_from_config (&options, &config->data);
  if (config->data.test_input != NULL)
    return wl_dataset_load (config->data.test_input, &options, progress, progress_data,
                            cancellable, error);
  if ((dataset = wl_dataset_load (config->data.input, &options, progress, progress_data,
                                  cancellable, error)) == NULL)
    return NULL;
  split = wl_run_split_dataset (dataset, &config->data);
  return wl_dataset_new_subset (dataset, (const guint32 *) (gpointer) split->test->data,
                                split->test->len);
}
