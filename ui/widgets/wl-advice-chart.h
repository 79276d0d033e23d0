/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-advice-chart.h: the advisor's candidates as horizontal bars of
 * projected time, preprocessing and training stacked, the pick marked
 * (the Model page's "Which Is Faster?").  Colours come from the style.
 *
 * Properties: "title", what a screen reader names the chart, and "pick",
 * the index of the recommended bar (drawn marked); each notifies, and
 * "pick" redraws, only when it changes. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define WL_TYPE_ADVICE_CHART (wl_advice_chart_get_type ())
G_DECLARE_FINAL_TYPE (WlAdviceChart, wl_advice_chart, WL, ADVICE_CHART, GtkWidget)

GtkWidget *wl_advice_chart_new          (void);
/* Replaces the bars: a name and two parts in seconds (≥ 0) each; @pick is
 * the index of the recommended bar (sets "pick"). */
void       wl_advice_chart_set_bars     (WlAdviceChart      *self,
                                         const char * const *names,
                                         const double       *preprocess,
                                         const double       *train,
                                         guint               n_bars,
                                         guint               pick);
guint      wl_advice_chart_get_n_bars   (WlAdviceChart      *self);
void       wl_advice_chart_set_pick     (WlAdviceChart      *self,
                                         guint               pick);
guint      wl_advice_chart_get_pick     (WlAdviceChart      *self);
void       wl_advice_chart_set_title    (WlAdviceChart      *self,
                                         const char         *title);
const char *wl_advice_chart_get_title   (WlAdviceChart      *self);

G_END_DECLS
