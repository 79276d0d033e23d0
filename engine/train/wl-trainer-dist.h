/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-trainer-dist.h: what the epoch loop does differently in a distributed
 * run (engine/dist): rank 0 validates, decides and tells the others.
 * Every function is a no-op for one process. */
#pragma once

#include "eval/wl-metrics.h"
#include "models/wl-model.h"
#include "train/wl-run.h"

G_BEGIN_DECLS

/* What rank 0 decided after an epoch, the same on every rank afterwards. */
typedef struct
{
  WlEarlyStopState stop;
  double           valid_loss;
  double           valid_accuracy;
  double           valid_macro_f1;
  gint32           is_best;
} WlEpochVerdict;

/* Says on rank 0 how the ranks share the work (a message of the run). */
void     wl_trainer_dist_describe     (WlRun            *run,
                                       const WlModel    *model);
/* After a pass: averages the weights of the models that train by
 * averaging, and the ranks' training losses into @loss. */
gboolean wl_trainer_dist_after_pass   (WlModel          *model,
                                       double           *loss,
                                       GError          **error);
/* Rank 0's @verdict into every rank's. */
gboolean wl_trainer_dist_share        (WlEpochVerdict   *verdict,
                                       GError          **error);
/* At the end: checks that every rank holds the same weights, and says so
 * on rank 0 with the weights' digest; an error names the ranks that
 * differ. */
gboolean wl_trainer_dist_check_same   (WlRun            *run,
                                       WlModel          *model,
                                       GError          **error);

/* Says on rank 0 what the collectives of the training cost (@passes: the
 * epochs this process trained), for the benchmark and the user. */
void     wl_trainer_dist_report_cost  (WlRun            *run,
                                       double            seconds,
                                       guint64           calls,
                                       guint             passes);

G_END_DECLS
