/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-heatmap.h: a confusion matrix drawn as a heat map.
 *
 * Rows are the true labels, columns the predicted ones; each cell shows its
 * count on a colour whose strength is, on the diagonal, the cell's share of
 * its row (so a rare class reads as clearly as a common one) and, off it,
 * the cell's share of the largest mistake (so 98 errors read stronger than
 * 1 even when both are a sliver of their row).  Cells on the diagonal take
 * the accent colour, mistakes the error colour, both from the style,
 * looked up when it changes (wl-chart-colors.h).
 * Hovering highlights a cell and tells its numbers in a tooltip; the arrow
 * keys move a focus cell; a click, Enter or Space emits ::cell-activated.
 *
 * Properties: "row-title" and "column-title", the axes' captions ("True
 * Label" and "Predicted" unless set), each notified only when it changes
 * (the setters below are theirs).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define WL_TYPE_HEATMAP (wl_heatmap_get_type ())
G_DECLARE_FINAL_TYPE (WlHeatmap, wl_heatmap, WL, HEATMAP, GtkWidget)

GtkWidget *wl_heatmap_new          (void);
/* @labels: @n_labels names; @counts: @n_labels × @n_labels, row = truth.
 * Both are copied. */
void       wl_heatmap_set_data     (WlHeatmap          *self,
                                    guint               n_labels,
                                    const char * const *labels,
                                    const guint64      *counts);
void       wl_heatmap_set_row_title    (WlHeatmap      *self,
                                        const char     *title);
void       wl_heatmap_set_column_title (WlHeatmap      *self,
                                        const char     *title);
guint      wl_heatmap_get_n_labels (WlHeatmap          *self);
guint64    wl_heatmap_get_count    (WlHeatmap          *self,
                                    guint               truth,
                                    guint               predicted);
/* How strong the cell's colour is, 0 to 1 (see above). */
double     wl_heatmap_get_strength (WlHeatmap          *self,
                                    guint               truth,
                                    guint               predicted);
/* The colour the cell is filled with, in the style now. */
void       wl_heatmap_get_cell_color (WlHeatmap        *self,
                                      guint             truth,
                                      guint             predicted,
                                      GdkRGBA          *fill);

G_END_DECLS
