/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-deploy-card.h: what each way of shipping a model costs and keeps.
 *
 * The deployment card compares variants of one trained classifier (fp32,
 * int8, pruned at a few sparsities, pruned + int8) on the run's test part:
 * each variant is made, saved to memory as a native model file, loaded
 * back from it and measured the way it will be used.  The CLI's
 * `export --compare` and the window's Export dialog show the same rows.
 */
#pragma once

#include <gio/gio.h>

#include "io/wl-dataset.h"
#include "train/wl-classifier.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean int8;              /* quantise to int8 */
  double   sparsity;          /* fraction of rows pruned; 0: none */
  guint    fine_tune_epochs;  /* after pruning, on the training rows */
} WlVariant;

typedef struct
{
  WlVariant variant;
  guint64   file_size;          /* bytes of the .wlm */
  double    latency_ms;         /* per text, one at a time on one thread, text to probabilities */
  double    texts_per_second;   /* the whole test part at once on the given threads */
  guint64   peak_bytes;         /* to load (the file's bytes and the model) and predict */
  double    accuracy;           /* on the test rows, 0..1 */
  double    macro_f1;
  double    accuracy_change;    /* against fp32, in points (percent) */
  double    macro_f1_change;
} WlDeployCardRow;

/* The sparsities the card prunes to (0.5, 0.8, 0.9, 0.95), @n_out of them. */
const double  *wl_deploy_card_sparsities  (guint                    *n_out);

/* A copy of @classifier pruned to @variant->sparsity, fine-tuned on
 * @train (labelled; needed only for fine_tune_epochs > 0), then quantised
 * when @variant->int8: what the file of that variant holds.  Fails with a
 * message when the model cannot be made so (see wl_model_prune()). */
WlClassifier  *wl_classifier_new_variant  (const WlClassifier       *classifier,
                                           const WlVariant          *variant,
                                           const WlDataset          *train,
                                           GCancellable             *cancellable,
                                           GError                  **error);
/* wl-fine-tune.c: @n_epochs more epochs of @model (a copy of
 * @classifier's, maybe pruned) on the labelled rows @train. */
gboolean       wl_model_fine_tune         (WlModel                  *model,
                                           const WlClassifier       *classifier,
                                           const WlDataset          *train,
                                           guint                     n_epochs,
                                           GCancellable             *cancellable,
                                           GError                  **error);
/* "fp32", "int8", "pruned 90 %", "pruned 90 % + int8" (translated). */
char          *wl_variant_describe        (const WlVariant          *variant);

/* The card's rows (WlDeployCardRow, fp32 first) for the variants the
 * model supports: fp32 only for a model that can be neither pruned nor
 * quantised.  @test: labelled rows.  With @train (may be NULL) the pruned
 * variants are fine-tuned for @fine_tune_epochs.  Runs on the caller's
 * thread; @progress (may be NULL) is called before variant i of n with
 * (i, n). */
GArray        *wl_deploy_card_compute     (const WlClassifier       *classifier,
                                           const WlDataset          *test,
                                           const WlDataset          *train,
                                           guint                     fine_tune_epochs,
                                           guint                     n_threads,
                                           WlProgressFunc            progress,
                                           gpointer                  progress_data,
                                           GCancellable             *cancellable,
                                           GError                  **error);

/* The same on a worker thread; @progress is called on the caller's main
 * context.  @classifier and @test must stay alive until @callback. */
void           wl_deploy_card_compute_async  (const WlClassifier       *classifier,
                                              const WlDataset          *test,
                                              const WlDataset          *train,
                                              guint                     fine_tune_epochs,
                                              guint                     n_threads,
                                              WlProgressFunc            progress,
                                              gpointer                  progress_data,
                                              GCancellable             *cancellable,
                                              GAsyncReadyCallback       callback,
                                              gpointer                  user_data);
GArray        *wl_deploy_card_compute_finish (GAsyncResult             *result,
                                              GError                  **error);

/* The rows as a JSON array of objects (variant, int8, sparsity,
 * fine_tune_epochs, file_size, latency_ms, texts_per_second, peak_bytes, accuracy, macro_f1,
 * accuracy_change, macro_f1_change). */
char          *wl_deploy_card_to_json     (GArray                   *rows);

G_END_DECLS
