/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-runs-compare.h: several stored runs side by side: their validation
 * accuracy and loss per epoch overlaid (one line each), their scores, what
 * each took (time, throughput, device), and the settings that differ
 * between them, by their names, those a run's model does not use left
 * out (store/wl-store-compare.h, which `runs compare` also reads). */
#pragma once

#include <adwaita.h>

#include "store/wl-store-compare.h"

G_BEGIN_DECLS

#define WL_TYPE_RUNS_COMPARE (wl_runs_compare_get_type ())
G_DECLARE_FINAL_TYPE (WlRunsCompare, wl_runs_compare, WL, RUNS_COMPARE, AdwBin)

/* @runs: WlCompareRun *, in the order of the columns (a reference is not
 * kept: everything is drawn now). */
void       wl_runs_compare_set_runs (WlRunsCompare *self,
                                     GPtrArray     *runs);
/* The number of settings shown as differing. */
guint      wl_runs_compare_get_n_differences (WlRunsCompare *self);

G_END_DECLS
