/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-line-chart.h: a live line chart drawn with Cairo.
 *
 * Several series over one x axis (seconds since the run started, or epochs)
 * with a left and an optional right y axis, a legend, grid lines with round
 * tick values, and shaded spans along x (the run's stages).  Appending a
 * point only queues a redraw; a chart keeps every point and draws at most
 * one vertex per pixel column, so hours of samples stay cheap.  Colours come
 * from the style (wl-chart-colors.h), looked up again when it changes.
 *
 * Properties: "title", the axis captions "left-label", "right-label" and
 * "x-label", "time-axis" and "x-window", each notified only when it
 * changes (the setters below are theirs).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  WL_CHART_AXIS_LEFT,
  WL_CHART_AXIS_RIGHT,
  WL_CHART_AXIS_X,      /* for the caption and the range only */
} WlChartAxis;

#define WL_TYPE_LINE_CHART (wl_line_chart_get_type ())
G_DECLARE_FINAL_TYPE (WlLineChart, wl_line_chart, WL, LINE_CHART, GtkWidget)

GtkWidget *wl_line_chart_new            (void);
void       wl_line_chart_set_title      (WlLineChart *self,
                                         const char  *title);
/* The axis captions ("seconds", "loss", "%"). */
void       wl_line_chart_set_axis_label (WlLineChart *self,
                                         WlChartAxis  axis,
                                         const char  *label);
/* A fixed y range (0–100 for percentages); min >= max: fit the data. */
void       wl_line_chart_set_axis_range (WlLineChart *self,
                                         WlChartAxis  axis,
                                         double       min,
                                         double       max);
/* The fixed range of @axis, or 0 and 0 when it fits the data. */
void       wl_line_chart_get_axis_range (WlLineChart *self,
                                         WlChartAxis  axis,
                                         double      *min,
                                         double      *max);
/* The values on a y axis never leave [@lower, @upper] (0 and 100 for
 * percentages): a fitted range stays within them. */
void       wl_line_chart_set_axis_limits (WlLineChart *self,
                                          WlChartAxis  axis,
                                          double       lower,
                                          double       upper);
/* Show only the last @width units of x (0: everything). */
void       wl_line_chart_set_x_window   (WlLineChart *self,
                                         double       width);
/* x is a duration in seconds: round time ticks ("30s", "1:30", "1h 05m")
 * and the axis starts at 0. */
void       wl_line_chart_set_time_axis  (WlLineChart *self,
                                         gboolean     time);
/* Returns the series' index.  @palette_index picks the colour. */
guint      wl_line_chart_add_series     (WlLineChart *self,
                                         const char  *name,
                                         WlChartAxis  axis,
                                         guint        palette_index);
/* Points come in increasing x; a NAN y breaks the line there. */
void       wl_line_chart_append         (WlLineChart *self,
                                         guint        series,
                                         double       x,
                                         double       y);
/* A shaded band from @x0 to @x1 with a caption; @x1 < @x0: still open
 * (drawn up to the newest point). */
void       wl_line_chart_add_span       (WlLineChart *self,
                                         double       x0,
                                         double       x1,
                                         const char  *label);
void       wl_line_chart_close_span     (WlLineChart *self,
                                         double       x1);
/* The caption of the first span that holds @x (its ends included; an open
 * span holds everything after its start), or NULL. */
const char *wl_line_chart_get_span_label (WlLineChart *self,
                                          double       x);
/* The x of "now" in a live chart: the x axis reaches at least @x and open
 * spans end there, so that charts fed at different rates line up. */
void       wl_line_chart_set_now        (WlLineChart *self,
                                         double       x);
/* Drops every point, span and "now"; the series stay. */
void       wl_line_chart_clear          (WlLineChart *self);
guint      wl_line_chart_get_n_points   (WlLineChart *self,
                                         guint        series);
/* The colour @series is drawn in, in the style now. */
void       wl_line_chart_get_series_color (WlLineChart *self,
                                           guint        series,
                                           GdkRGBA     *color);

G_END_DECLS
