/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-stage-label.c: a run's stage for people (see the header). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-stage-label.h"

const char *
wl_stage_label (WlStage stage)
{
  switch (stage)
    {
    /* Translators: stages of a training run, on the charts, in the stage
     * table and in a run's details */
    case WL_STAGE_LOAD:      return C_("stage", "Reading");
    case WL_STAGE_CLEAN:     return C_("stage", "Cleaning");
    case WL_STAGE_FEATURIZE: return C_("stage", "Features");
    case WL_STAGE_TRAIN:     return C_("stage", "Training");
    case WL_STAGE_EVALUATE:  return C_("stage", "Evaluation");
    case WL_N_STAGES:
    default:                 g_return_val_if_reached (NULL);
    }
}
