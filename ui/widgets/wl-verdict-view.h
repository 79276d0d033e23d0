/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-verdict-view.h: what holds the run back, as the engine judged it.
 *
 * A row in a boxed list: the verdict's name ("Input-bound") and, under
 * it, the engine's sentence with its figures and what to do, naming the
 * window's own controls.  Hidden until a verdict is set.  The Train and
 * Resources pages show one each, from the run's WL_EVENT_VERDICT events.
 */
#pragma once

#include <adwaita.h>

#include "train/wl-verdict.h"

G_BEGIN_DECLS

#define WL_TYPE_VERDICT_VIEW (wl_verdict_view_get_type ())
G_DECLARE_FINAL_TYPE (WlVerdictView, wl_verdict_view, WL, VERDICT_VIEW, AdwBin)

GtkWidget *wl_verdict_view_new   (void);
/* Shows @verdict; NULL hides the view (a new run). */
void       wl_verdict_view_set   (WlVerdictView   *self,
                                  const WlVerdict *verdict);

G_END_DECLS
