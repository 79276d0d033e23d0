/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-confusion-view.h: the part of a confusion matrix a person can read.
 *
 * With up to @max_labels labels the view is the whole matrix.  With more,
 * it keeps the max_labels - 1 labels with the most test rows and
 * predictions (in label order) and sums every other label into one last
 * row and column, "other labels"; its diagonal cell holds the rows whose
 * truth and prediction are both among those others.  The CLI, the run
 * store's evaluation JSON and the window's heat maps and per-label tables
 * all show this view, so a run with 100,000 labels is as readable (and as
 * small) as one with 30. */
#pragma once

#include "eval/wl-metrics.h"

G_BEGIN_DECLS

#define WL_CONFUSION_VIEW_MAX_LABELS 30

typedef struct
{
  guint     n;           /* rows and columns of @cells */
  guint     n_shown;     /* labels shown on their own: n, or n - 1 with others */
  guint32  *label_ids;   /* n_shown label ids, ascending */
  guint     n_others;    /* labels summed into the last row and column (0: none) */
  guint64  *cells;       /* n × n, row = truth */
} WlConfusionView;

WlConfusionView *wl_confusion_view_new   (const WlMetrics       *metrics,
                                          guint                  max_labels);
void             wl_confusion_view_free  (WlConfusionView       *view);
/* The row/column of label @id: its own, or the "other labels" one. */
guint            wl_confusion_view_index (const WlConfusionView *view,
                                          guint32                id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlConfusionView, wl_confusion_view_free)

G_END_DECLS
