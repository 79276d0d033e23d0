/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-evaluation.h: how well predictions match the truth, and where they miss. */
#pragma once

#include <glib.h>

#include "eval/wl-metrics.h"

G_BEGIN_DECLS

typedef struct
{
  gsize    row;          /* index in the evaluated dataset */
  guint32  truth;        /* label ids of the evaluation (see WlEvaluation) */
  guint32  predicted;
  float    p_predicted;
  float    p_truth;
} WlMisclassified;

typedef struct
{
  GPtrArray *label_names;   /* the model's labels, then labels only the data has */
  guint      n_model_labels;
  guint64    n_unseen;      /* rows whose label the model never saw: errors, always */
  WlMetrics *metrics;       /* over label_names */
  GArray    *misclassified; /* WlMisclassified, most confident mistakes first */
} WlEvaluation;

/* Evaluates precomputed probabilities (@probs: n × n_labels of the model)
 * against @truth (ids into @label_names, which starts with the model's
 * labels; a reference is taken); @rows maps each example to its row for
 * WlMisclassified (NULL: the example index). */
WlEvaluation *wl_evaluation_new            (GPtrArray           *label_names,
                                            guint                n_model_labels,
                                            const float         *probs,
                                            const guint32       *truth,
                                            const guint32       *rows,
                                            gsize                n);
void          wl_evaluation_free           (WlEvaluation        *evaluation);
/* NULL, or a sentence for the user: how many rows have labels the model
 * never saw, which labels (the first few), and that they count as errors. */
char         *wl_evaluation_describe_unseen (const WlEvaluation *evaluation);
/* One JSON object: accuracy, macro_f1, loss, n, labels, per_class,
 * unseen_rows, unseen_labels, and the confusion view (wl-confusion-view.h):
 * confusion (its cells), confusion_labels (the labels shown on their own)
 * and confusion_others (how many labels the last row and column sum up). */
char         *wl_evaluation_to_json        (const WlEvaluation  *evaluation,
                                            gboolean             pretty);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlEvaluation, wl_evaluation_free)

G_END_DECLS
