/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-bar-chart.h: a horizontal bar chart of counts (the classes of a label
 * column): one row per bar with its name, a bar as long as its share of
 * the largest count, and the count with its percentage of the total.
 * Colours come from the style (accent and foreground), so it follows the
 * light, dark and high-contrast styles.
 *
 * Property: "title", what a screen reader names the chart (the bars and
 * their numbers are its description), notified only when it changes. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define WL_TYPE_BAR_CHART (wl_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (WlBarChart, wl_bar_chart, WL, BAR_CHART, GtkWidget)

GtkWidget  *wl_bar_chart_new       (void);
/* Replaces the bars, drawn in the order given.  @total is what the
 * percentages are of (0: the sum of @counts). */
void        wl_bar_chart_set_bars  (WlBarChart         *self,
                                    const char * const *names,
                                    const guint64      *counts,
                                    guint               n_bars,
                                    guint64             total);
void        wl_bar_chart_set_title (WlBarChart         *self,
                                    const char         *title);
const char *wl_bar_chart_get_title (WlBarChart         *self);
/* The colour the bars are drawn in, in the style now. */
void        wl_bar_chart_get_bar_color (WlBarChart     *self,
                                        GdkRGBA        *color);
guint       wl_bar_chart_get_n_bars (WlBarChart        *self);
const char *wl_bar_chart_get_name  (WlBarChart         *self,
                                    guint               bar);
guint64     wl_bar_chart_get_count (WlBarChart         *self,
                                    guint               bar);

G_END_DECLS
