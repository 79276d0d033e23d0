/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-classifier.h: a trained model ready to use on new text.
 *
 * A classifier bundles what turns raw text into a label: the preprocessor
 * (cleaning and tokenising exactly as in training), the model and the label
 * names.  It is what a run produces, what the native model file holds, and
 * what `eval` and `predict` use.  Predicting is thread-safe.
 */
#pragma once

#include <gio/gio.h>

#include "eval/wl-metrics.h"
#include "io/wl-dataset.h"
#include "models/wl-model.h"
#include "text/wl-preprocess.h"
#include "train/wl-evaluation.h"

G_BEGIN_DECLS

typedef struct _WlClassifier WlClassifier;

/* Takes ownership of @model and @label_names (char *). */
WlClassifier *wl_classifier_new            (WlModel             *model,
                                            GPtrArray           *label_names,
                                            GError             **error);
WlClassifier *wl_classifier_load           (const char          *path,
                                            GError             **error);
gboolean      wl_classifier_save           (const WlClassifier  *classifier,
                                            const char          *path,
                                            GError             **error);
void          wl_classifier_free           (WlClassifier        *classifier);

const WlModel        *wl_classifier_get_model        (const WlClassifier *classifier);
const WlPreprocessor *wl_classifier_get_preprocessor (const WlClassifier *classifier);
guint         wl_classifier_get_n_labels   (const WlClassifier  *classifier);
const char   *wl_classifier_get_label      (const WlClassifier  *classifier,
                                            guint                label);
int           wl_classifier_find_label     (const WlClassifier  *classifier,
                                            const char          *name);

/* Probabilities for @n_texts texts into @probs (n_texts × n_labels). */
gboolean      wl_classifier_predict        (const WlClassifier  *classifier,
                                            const char * const  *texts,
                                            gsize                n_texts,
                                            guint                n_threads,
                                            float               *probs,
                                            GCancellable        *cancellable,
                                            GError             **error);

/* Evaluates on a labelled dataset; its labels are matched by name. */
WlEvaluation *wl_classifier_evaluate       (const WlClassifier  *classifier,
                                            const WlDataset     *dataset,
                                            guint                n_threads,
                                            GCancellable        *cancellable,
                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlClassifier, wl_classifier_free)

G_END_DECLS
