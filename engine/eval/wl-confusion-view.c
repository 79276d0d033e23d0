/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-confusion-view.c: the readable part of a confusion matrix. */
#include "config.h"

#include <stdlib.h>

#include "eval/wl-confusion-view.h"

typedef struct
{
  guint32 id;
  guint64 weight;
} Ranked;

static int
compare_ranked (const void *a,
                const void *b)
{
  const Ranked *ra = a, *rb = b;

  /* Most rows first; equal ones in label order, so the view is stable. */
  if (ra->weight != rb->weight)
    return ra->weight > rb->weight ? -1 : 1;
  return ra->id < rb->id ? -1 : ra->id > rb->id;
}

static int
compare_ids (const void *a,
             const void *b)
{
  guint32 ia = *(const guint32 *) a, ib = *(const guint32 *) b;

  return ia < ib ? -1 : ia > ib;
}

typedef struct
{
  WlConfusionView *view;
  const guint     *index;  /* label id -> row */
} Fill;

static void
add_error (guint32  truth,
           guint32  predicted,
           guint64  count,
           gpointer user_data)
{
  Fill *fill = user_data;

  fill->view->cells[(gsize) fill->index[truth] * fill->view->n + fill->index[predicted]] += count;
}

WlConfusionView *
wl_confusion_view_new (const WlMetrics *metrics,
                       guint            max_labels)
{
  WlConfusionView *view;
  guint K;
  g_autofree guint *index = NULL;
  Fill fill;

  g_return_val_if_fail (metrics != NULL, NULL);
  g_return_val_if_fail (max_labels >= 2, NULL);

  K = metrics->n_labels;
  view = g_new0 (WlConfusionView, 1);
  if (K <= max_labels)
    {
      view->n_shown = K;
      view->label_ids = g_new (guint32, K);
      for (guint32 k = 0; k < K; k++)
        view->label_ids[k] = k;
    }
  else
    {
      g_autofree Ranked *ranked = g_new (Ranked, K);

      for (guint32 k = 0; k < K; k++)
        ranked[k] = (Ranked) { k, metrics->support[k] + metrics->predicted[k] };
      qsort (ranked, K, sizeof *ranked, compare_ranked);
      view->n_shown = max_labels - 1;
      view->n_others = K - view->n_shown;
      view->label_ids = g_new (guint32, view->n_shown);
      for (guint i = 0; i < view->n_shown; i++)
        view->label_ids[i] = ranked[i].id;
      qsort (view->label_ids, view->n_shown, sizeof (guint32), compare_ids);
    }
  view->n = view->n_shown + (view->n_others > 0);
  view->cells = g_new0 (guint64, (gsize) view->n * view->n);

  index = g_new (guint, K);
  for (guint32 k = 0; k < K; k++)
    index[k] = view->n_shown;           /* "other labels" unless shown */
  for (guint i = 0; i < view->n_shown; i++)
    index[view->label_ids[i]] = i;
  for (guint32 k = 0; k < K; k++)
    view->cells[(gsize) index[k] * view->n + index[k]] += metrics->correct[k];
  fill = (Fill) { view, index };
  wl_metrics_foreach_error (metrics, add_error, &fill);
  return view;
}

void
wl_confusion_view_free (WlConfusionView *view)
{
  if (view == NULL)
    return;
  g_free (view->label_ids);
  g_free (view->cells);
  g_free (view);
}

guint
wl_confusion_view_index (const WlConfusionView *view,
                         guint32                id)
{
  guint lo = 0, hi = view->n_shown;

  g_return_val_if_fail (view != NULL, 0);

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (view->label_ids[mid] == id)
        return mid;
      if (view->label_ids[mid] < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  return view->n_shown;   /* among the others (or out of range without them) */
}
