/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-predict-box.h: type a sentence, see what a trained model predicts. */
#pragma once

#include <adwaita.h>

#include "train/wl-run.h"

G_BEGIN_DECLS

#define WL_TYPE_PREDICT_BOX (wl_predict_box_get_type ())
G_DECLARE_FINAL_TYPE (WlPredictBox, wl_predict_box, WL, PREDICT_BOX, AdwPreferencesGroup)

GtkWidget *wl_predict_box_new     (void);
/* The finished run whose classifier predicts (a reference is kept); NULL:
 * none.  A text already typed is predicted again with the new model. */
void       wl_predict_box_set_run (WlPredictBox *self,
                                   WlRun        *run);

G_END_DECLS
