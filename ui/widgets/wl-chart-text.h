/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-chart-text.h: what the charts draw their frames with: text as Pango
 * layout nodes (tabular figures, so that numbers keep their width), placed
 * by a corner or by an anchor, and rules (grid and axis lines, swatches) as
 * colour nodes.  Shared by the line, bar, size and advice charts. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  WL_CHART_TEXT_NORMAL = 0,
  WL_CHART_TEXT_SMALL  = 1 << 0,
  WL_CHART_TEXT_BOLD   = 1 << 1,
} WlChartTextFlags;

PangoLayout *wl_chart_text_new    (GtkWidget        *widget,
                                   const char       *text,
                                   WlChartTextFlags  flags);
int          wl_chart_text_width  (PangoLayout      *layout);
int          wl_chart_text_height (PangoLayout      *layout);
/* @layout with its top left corner at @x, @y. */
void         wl_chart_text_draw   (GtkSnapshot      *snapshot,
                                   PangoLayout      *layout,
                                   double            x,
                                   double            y,
                                   const GdkRGBA    *color);
/* @layout centred on @y, with @xalign of its width left of @x (0: starts
 * at @x, 0.5: centred, 1: ends there), on whole pixels. */
void         wl_chart_text_draw_at (GtkSnapshot     *snapshot,
                                    PangoLayout     *layout,
                                    double           x,
                                    double           y,
                                    double           xalign,
                                    const GdkRGBA   *color);
/* A filled rectangle: a grid line, an axis, a swatch. */
void         wl_chart_rule        (GtkSnapshot      *snapshot,
                                   const GdkRGBA    *color,
                                   double            x,
                                   double            y,
                                   double            width,
                                   double            height);

G_END_DECLS
