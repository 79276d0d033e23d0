/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-stage-table.h: where a run's time went, stage by stage.
 *
 * A small table in a card: the seconds and the share of each stage
 * (reading, cleaning, features, training, evaluation), then two sums:
 * "waiting for data" (everything before training) and "computing"
 * (training and evaluation).  A stage without time shows a dash.
 */
#pragma once

#include <adwaita.h>

#include "train/wl-event.h"

G_BEGIN_DECLS

#define WL_TYPE_STAGE_TABLE (wl_stage_table_get_type ())
G_DECLARE_FINAL_TYPE (WlStageTable, wl_stage_table, WL, STAGE_TABLE, AdwBin)

GtkWidget  *wl_stage_table_new             (void);
/* The time @stage took so far (a running stage may be updated often). */
void        wl_stage_table_set_seconds     (WlStageTable *self,
                                            WlStage       stage,
                                            double        seconds);
/* Every stage back to no time (a new run). */
void        wl_stage_table_reset           (WlStageTable *self);

G_END_DECLS
