/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-chart-colors.h: the colours every chart draws with, from the style.
 *
 * The series colours are named colours (chart_1 … chart_7) of a stylesheet
 * in the resources, one for each of the light, dark and high-contrast
 * styles, swapped as the style changes; the text and grid colours derive
 * from the widget's own colour.  A chart looks them up in its css_changed
 * handler, keeps them, and draws with what it kept.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define WL_CHART_N_SERIES_COLORS 7

typedef struct
{
  GdkRGBA fg;              /* text */
  GdkRGBA dim;             /* secondary text */
  GdkRGBA grid;            /* grid lines, bar tracks */
  GdkRGBA axis;            /* axis lines, the crosshair, a bar's lesser part */
  GdkRGBA shade;           /* shaded spans */
  GdkRGBA accent;          /* the one series of a one-colour chart */
  GdkRGBA popover;         /* the background of a box drawn over the chart */
  GdkRGBA accent_bg;       /* a filled cell that is right (the heat map's diagonal) */
  GdkRGBA accent_fg;       /* text on accent_bg */
  GdkRGBA error_bg;        /* a filled cell that is wrong (a mistake) */
  GdkRGBA error_fg;        /* text on error_bg */
  GdkRGBA series[WL_CHART_N_SERIES_COLORS];
  gboolean high_contrast;
} WlChartColors;

/* Adds the chart stylesheet to @widget's display (once per display). */
void           wl_chart_colors_install (GtkWidget     *widget);
/* Looks the colours up in @widget's style now. */
void           wl_chart_colors_lookup  (GtkWidget     *widget,
                                        WlChartColors *colors);
const GdkRGBA *wl_chart_colors_series  (const WlChartColors *colors,
                                        guint          index);

G_END_DECLS
