/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-deploy-card.c: the deployment card, measured variant by variant.
 *
 * Memory is measured with glibc's mallinfo2 (every arena): the heap the
 * loaded classifier holds, plus the file's bytes, which loading maps
 * whole.  Other threads allocating at the same time blur it a little.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <malloc.h>
#include <math.h>

#include "models/wl-model-file.h"
#include "train/wl-deploy-card.h"
#include "train/wl-worker-job.h"
#include "wl-error.h"

/* Texts predicted one at a time for the latency (after as many to warm
 * the caches up), and how many times the whole test part is predicted
 * for the throughput (the best time counts). */
#define LATENCY_TEXTS    500
#define THROUGHPUT_TRIES 3

static const double sparsities[] = { 0.5, 0.8, 0.9, 0.95 };

const double *
wl_deploy_card_sparsities (guint *n_out)
{
  *n_out = G_N_ELEMENTS (sparsities);
  return sparsities;
}

WlClassifier *
wl_classifier_new_variant (const WlClassifier  *classifier,
                           const WlVariant     *variant,
                           const WlDataset     *train,
                           GCancellable        *cancellable,
                           GError             **error)
{
  g_autoptr(WlModel) model = NULL;
  GPtrArray *labels;

  g_return_val_if_fail (classifier != NULL && variant != NULL, NULL);

  model = wl_model_clone (wl_classifier_get_model (classifier));
  /* wl_model_prune refuses a sparsity out of range (NaN included). */
  if (variant->sparsity != 0.0 && !wl_model_prune (model, variant->sparsity, error))
    return NULL;
  if (variant->fine_tune_epochs > 0 && train == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("fine-tuning needs the training rows: give the training file"));
      return NULL;
    }
  if (variant->fine_tune_epochs > 0 &&
      !wl_model_fine_tune (model, classifier, train, variant->fine_tune_epochs, cancellable, error))
    return NULL;
  if (variant->int8 && !wl_model_quantize (model, error))
    return NULL;
  labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < wl_classifier_get_n_labels (classifier); i++)
    g_ptr_array_add (labels, g_strdup (wl_classifier_get_label (classifier, i)));
  return wl_classifier_new (g_steal_pointer (&model), labels, error);
}

char *
wl_variant_describe (const WlVariant *variant)
{
  int percent = (int) lround (variant->sparsity * 100.0);

  if (variant->sparsity > 0.0 && variant->int8)
    return g_strdup_printf (_("pruned %d %% + int8"), percent);
  if (variant->sparsity > 0.0)
    return g_strdup_printf (_("pruned %d %%"), percent);
  return g_strdup (variant->int8 ? "int8" : "fp32");
}

static guint64
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

/* Makes, saves, loads and measures one variant into @row. */
static gboolean
measure_variant (const WlClassifier  *classifier,
                 const WlDataset     *test,
                 const WlDataset     *train,
                 guint                n_threads,
                 WlDeployCardRow     *row,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_autoptr(WlClassifier) made = wl_classifier_new_variant (classifier, &row->variant, train,
                                                            cancellable, error);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(WlClassifier) loaded = NULL;
  g_autoptr(WlEvaluation) evaluation = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autofree float *probs = NULL;
  const WlModel *model;
  const char * const *texts = (const char * const *) test->texts->pdata;
  gsize n = wl_dataset_get_n_rows (test), n_latency = MIN (n, LATENCY_TEXTS);
  const guint8 *data;
  guint64 base;
  gint64 start;
  WlModel *read;

  if (made == NULL)
    return FALSE;
  model = wl_classifier_get_model (made);
  labels = g_ptr_array_new ();
  for (guint i = 0; i < wl_classifier_get_n_labels (made); i++)
    g_ptr_array_add (labels, (gpointer) wl_classifier_get_label (made, i));
  bytes = wl_model_file_to_bytes (model, (const char * const *) labels->pdata, labels->len, error);
  if (bytes == NULL)
    return FALSE;
  g_clear_pointer (&made, wl_classifier_free);
  data = g_bytes_get_data (bytes, &row->file_size);

  base = heap_in_use ();
  g_clear_pointer (&labels, g_ptr_array_unref);
  read = wl_model_file_from_bytes (data, row->file_size, _("the variant"), &labels, error);
  if (read == NULL || !(loaded = wl_classifier_new (read, g_steal_pointer (&labels), error)))
    return FALSE;
  row->peak_bytes = row->file_size + (heap_in_use () - MIN (base, heap_in_use ()));

  probs = g_new (float, MAX (n, 1) * wl_classifier_get_n_labels (loaded));
  for (guint pass = 0; pass < 2; pass++)
    {
      start = g_get_monotonic_time ();
      for (gsize i = 0; i < n_latency; i++)
        if (!wl_classifier_predict (loaded, texts + i, 1, 1, probs, cancellable, error))
          return FALSE;
      row->latency_ms = (g_get_monotonic_time () - start) / 1000.0 / MAX (n_latency, 1);
    }

  for (guint try = 0; try < THROUGHPUT_TRIES; try++)
    {
      double seconds;

      start = g_get_monotonic_time ();
      if (!wl_classifier_predict (loaded, texts, n, n_threads, probs, cancellable, error))
        return FALSE;
      seconds = MAX ((g_get_monotonic_time () - start) / 1e6, 1e-6);
      row->texts_per_second = MAX (row->texts_per_second, n / seconds);
    }

  evaluation = wl_classifier_evaluate (loaded, test, n_threads, cancellable, error);
  if (evaluation == NULL)
    return FALSE;
  row->accuracy = evaluation->metrics->accuracy;
  row->macro_f1 = evaluation->metrics->macro_f1;
  return TRUE;
}

static GArray *
variants_for (const WlModel *model,
              guint          fine_tune_epochs)
{
  GArray *variants = g_array_new (FALSE, TRUE, sizeof (WlVariant));
  WlVariant variant = { FALSE, 0.0, 0 };
  gboolean int8 = model->klass->quantize != NULL, prune = model->klass->prune != NULL;

  g_array_append_val (variants, variant);
  variant.int8 = TRUE;
  if (int8)
    g_array_append_val (variants, variant);
  for (guint i = 0; prune && i < G_N_ELEMENTS (sparsities); i++)
    {
      variant.sparsity = sparsities[i];
      variant.fine_tune_epochs = fine_tune_epochs;
      variant.int8 = FALSE;
      g_array_append_val (variants, variant);
      variant.int8 = TRUE;
      if (int8)
        g_array_append_val (variants, variant);
    }
  return variants;
}

GArray *
wl_deploy_card_compute (const WlClassifier        *classifier,
                        const WlDataset           *test,
                        const WlDataset           *train,
                        guint                      fine_tune_epochs,
                        guint                      n_threads,
                        WlProgressFunc              progress,
                        gpointer                   progress_data,
                        GCancellable              *cancellable,
                        GError                   **error)
{
  g_autoptr(GArray) variants = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (WlDeployCardRow));

  g_return_val_if_fail (classifier != NULL && test != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (wl_dataset_get_n_rows (test) == 0 || test->labels->len == 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA,
                   _("the deployment card needs labelled test rows: give a test file "
                     "with a label column"));
      return NULL;
    }
  variants = variants_for (wl_classifier_get_model (classifier), train != NULL ? fine_tune_epochs : 0);
  for (guint i = 0; i < variants->len; i++)
    {
      WlDeployCardRow row = { .variant = g_array_index (variants, WlVariant, i) };
      const WlDeployCardRow *fp32;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (progress != NULL)
        progress (i, variants->len, progress_data);
      if (!measure_variant (classifier, test, train, n_threads, &row, cancellable, error))
        return NULL;
      g_array_append_val (rows, row);
      fp32 = &g_array_index (rows, WlDeployCardRow, 0);
      g_array_index (rows, WlDeployCardRow, i).accuracy_change = 100.0 * (row.accuracy - fp32->accuracy);
      g_array_index (rows, WlDeployCardRow, i).macro_f1_change = 100.0 * (row.macro_f1 - fp32->macro_f1);
    }
  return g_steal_pointer (&rows);
}

/* On a worker thread */

typedef struct
{
  const WlClassifier *classifier;
  const WlDataset    *test;
  const WlDataset    *train;
  guint               fine_tune_epochs;
  guint               n_threads;
} Job;

static gpointer
compute_job (gpointer         data,
             WlProgressFunc   progress,
             gpointer         progress_data,
             GCancellable    *cancellable,
             GError         **error)
{
  Job *job = data;

  return wl_deploy_card_compute (job->classifier, job->test, job->train, job->fine_tune_epochs,
                                 job->n_threads, progress, progress_data, cancellable, error);
}

void
wl_deploy_card_compute_async (const WlClassifier       *classifier,
                              const WlDataset          *test,
                              const WlDataset          *train,
                              guint                     fine_tune_epochs,
                              guint                     n_threads,
                              WlProgressFunc            progress,
                              gpointer                  progress_data,
                              GCancellable             *cancellable,
                              GAsyncReadyCallback       callback,
                              gpointer                  user_data)
{
  Job *job = g_new (Job, 1);

  *job = (Job) { classifier, test, train, fine_tune_epochs, n_threads };
  wl_worker_job_run (wl_deploy_card_compute_async, compute_job, job, g_free,
                     (GDestroyNotify) g_array_unref, progress, progress_data, cancellable,
                     callback, user_data);
}

GArray *
wl_deploy_card_compute_finish (GAsyncResult  *result,
                               GError       **error)
{
  return wl_worker_job_finish (result, wl_deploy_card_compute_async, error);
}

char *
wl_deploy_card_to_json (GArray *rows)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      const WlDeployCardRow *row = &g_array_index (rows, WlDeployCardRow, i);
      g_autofree char *name = wl_variant_describe (&row->variant);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "variant");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "int8");
      json_builder_add_boolean_value (builder, row->variant.int8);
      json_builder_set_member_name (builder, "sparsity");
      json_builder_add_double_value (builder, row->variant.sparsity);
      json_builder_set_member_name (builder, "fine_tune_epochs");
      json_builder_add_int_value (builder, row->variant.fine_tune_epochs);
      json_builder_set_member_name (builder, "file_size");
      json_builder_add_int_value (builder, (gint64) row->file_size);
      json_builder_set_member_name (builder, "latency_ms");
      json_builder_add_double_value (builder, row->latency_ms);
      json_builder_set_member_name (builder, "texts_per_second");
      json_builder_add_double_value (builder, row->texts_per_second);
      json_builder_set_member_name (builder, "peak_bytes");
      json_builder_add_int_value (builder, (gint64) row->peak_bytes);
      json_builder_set_member_name (builder, "accuracy");
      json_builder_add_double_value (builder, row->accuracy);
      json_builder_set_member_name (builder, "macro_f1");
      json_builder_add_double_value (builder, row->macro_f1);
      json_builder_set_member_name (builder, "accuracy_change");
      json_builder_add_double_value (builder, row->accuracy_change);
      json_builder_set_member_name (builder, "macro_f1_change");
      json_builder_add_double_value (builder, row->macro_f1_change);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
