/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-runs-compare.h: several stored runs side by side: their validation
 * accuracy and loss per epoch overlaid (one line each), their scores, and
 * the settings that differ between them. */
#pragma once

#include <adwaita.h>

#include "store/wl-store.h"

G_BEGIN_DECLS

/* One run to compare: its full record and its epochs (WlEpochRecord). */
typedef struct
{
  WlRunRecord *record;
  GArray      *epochs;
} WlCompareRun;

void wl_compare_run_free (WlCompareRun *run);

#define WL_TYPE_RUNS_COMPARE (wl_runs_compare_get_type ())
G_DECLARE_FINAL_TYPE (WlRunsCompare, wl_runs_compare, WL, RUNS_COMPARE, AdwBin)

/* @runs: WlCompareRun *, in the order of the columns (a reference is not
 * kept: everything is drawn now). */
void       wl_runs_compare_set_runs (WlRunsCompare *self,
                                     GPtrArray     *runs);
/* The number of settings shown as differing. */
guint      wl_runs_compare_get_n_differences (WlRunsCompare *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlCompareRun, wl_compare_run_free)

G_END_DECLS
