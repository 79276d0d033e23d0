/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-stage-label.h: a run's stage as every page names it ("Reading",
 * "Cleaning", "Features", "Training", "Evaluation"): the Train page's
 * status and chart spans, the Resources page's charts and stage table, the
 * Runs page's details. */
#pragma once

#include <glib.h>

#include "train/wl-event.h"

G_BEGIN_DECLS

const char *wl_stage_label (WlStage stage);

G_END_DECLS
