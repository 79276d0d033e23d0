/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-sparkline.h: a word-sized line chart of a few values (a run's
 * validation accuracy per epoch in a list row).
 *
 * No axes and no labels: the line spans the widget, its height fits the
 * values' range, and the last value gets a dot.  A NAN value leaves a gap.
 * The colour is the theme's accent, so it follows the light, dark and
 * high-contrast styles.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define WL_TYPE_SPARKLINE (wl_sparkline_get_type ())
G_DECLARE_FINAL_TYPE (WlSparkline, wl_sparkline, WL, SPARKLINE, GtkWidget)

GtkWidget *wl_sparkline_new          (void);
/* Replaces the values (copied); @n_values 0 clears the line. */
void       wl_sparkline_set_values   (WlSparkline  *self,
                                      const double *values,
                                      guint         n_values);
/* The values that are drawn (finite ones). */
guint      wl_sparkline_get_n_points (WlSparkline  *self);

G_END_DECLS
