/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-size-chart.h: a small scatter chart of model variants, file size on
 * a logarithmic x axis against accuracy on y, each point named (the
 * Export dialog's deployment card).  Colours come from the style.
 *
 * Property: "title", what a screen reader names the chart, notified only
 * when it changes. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define WL_TYPE_SIZE_CHART (wl_size_chart_get_type ())
G_DECLARE_FINAL_TYPE (WlSizeChart, wl_size_chart, WL, SIZE_CHART, GtkWidget)

GtkWidget *wl_size_chart_new            (void);
/* Replaces the points: @sizes in bytes (> 0), @accuracies in 0..1, a
 * name each; the first point is drawn as the reference. */
void       wl_size_chart_set_points     (WlSizeChart        *self,
                                         const guint64      *sizes,
                                         const double       *accuracies,
                                         const char * const *names,
                                         guint               n_points);
guint      wl_size_chart_get_n_points   (WlSizeChart        *self);
void       wl_size_chart_set_title      (WlSizeChart        *self,
                                         const char         *title);
const char *wl_size_chart_get_title     (WlSizeChart        *self);

G_END_DECLS
