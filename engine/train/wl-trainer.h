/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-trainer.h: the epoch loop: train, validate, stop early, keep the best.
 *
 * Drives any WlModel.  After each epoch the validation part is scored; the
 * weights of the best epoch by the early-stop metric are kept, and training
 * stops after `patience` epochs without improvement.  On return the model
 * holds the best weights.
 */
#pragma once

#include "models/wl-model.h"
#include "train/wl-run.h"

G_BEGIN_DECLS

typedef struct
{
  const WlFeatures *features;
  const guint32    *labels;
  gsize             n;
  guint64           n_tokens;
} WlTrainPart;

gboolean wl_trainer_fit (WlRun             *run,
                         WlModel           *model,
                         const WlTrainPart *train,
                         const WlTrainPart *valid,
                         GError           **error);

/* The epochs model.refit trains after a validated run of @n_valid rows
 * whose best epoch was @best_epoch: that count, and at least 4, within the
 * most epochs (wl-run-refit.c says why); 0 when the run does not refit (the
 * setting off or not the model's, no validation part, no best epoch). */
guint    wl_trainer_refit_epochs (const WlConfig *config,
                                  gsize           n_valid,
                                  guint           best_epoch);

/* Trains @model, new, for @n_epochs on @all (the training and validation
 * rows together), with no validation: model.refit, after wl_trainer_fit()
 * found the best epoch count (wl-run-refit.c says how many).  Its epochs report no progress (the run's
 * epochs are the validated training's; a cancel still stops them) and are
 * not checkpointed (a resumed run trains again). */
gboolean wl_trainer_refit (WlRun             *run,
                           WlModel           *model,
                           const WlTrainPart *all,
                           guint              n_epochs,
                           GError           **error);

G_END_DECLS
