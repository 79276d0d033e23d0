/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-line-chart-private.h: a line chart's data, and one snapshot's frame,
 * shared by wl-line-chart.c (the object), wl-line-chart-layout.c (ranges,
 * ticks, placement) and wl-line-chart-draw.c (the snapshot). */
#pragma once

#include "wl-chart-colors.h"
#include "wl-chart-text.h"
#include "wl-line-chart.h"

G_BEGIN_DECLS

#define CHART_PADDING    10
#define CHART_GAP        6

typedef struct
{
  double x, y;
} WlChartPoint;

/* The y range of each run of WL_CHART_BLOCK points, so that drawing and
 * fitting can step over a run that falls in one pixel column. */
#define WL_CHART_BLOCK 64

typedef struct
{
  double   min, max;                 /* of the run's y; min > max: none yet */
  gboolean gap;                      /* a NAN y breaks the line in it */
} WlChartBlock;

typedef struct
{
  char        *name;
  WlChartAxis  axis;
  guint        palette_index;
  GArray      *points;               /* WlChartPoint, increasing x */
  GArray      *blocks;               /* WlChartBlock, one per WL_CHART_BLOCK points */
} WlChartSeries;

typedef struct
{
  double  x0, x1;                    /* x1 < x0: still open */
  char   *label;
} WlChartSpan;

struct _WlLineChart
{
  GtkWidget        parent_instance;

  char            *title;
  char            *captions[3];      /* per WlChartAxis */
  double           fixed_min[3];     /* used when fixed_min < fixed_max */
  double           fixed_max[3];
  double           lower[2];         /* where the values of a y axis end */
  double           upper[2];
  double           x_window;
  gboolean         time_axis;
  double           now;              /* -INFINITY: not set */
  GArray          *series;           /* WlChartSeries */
  GArray          *spans;            /* WlChartSpan */

  double           pointer_x;        /* widget coordinates; < 0: outside */
  WlChartColors    colors;           /* of the style now */
};

typedef struct
{
  double       value;
  PangoLayout *layout;
} WlChartTick;

/* One snapshot's layout, and the chart's colours. */
typedef struct
{
  const WlChartColors *colors;
  double          top;               /* below the title and legend */
  graphene_rect_t plot;
  double          x0, x1, x_step;
  double          y0[2], y1[2], y_step[2];
  gboolean        has_axis[2];       /* a series uses this y axis */
  GArray         *x_ticks;           /* WlChartTick */
  GArray         *y_ticks[2];        /* NULL for an axis without series */
} WlChartFrame;

static inline WlChartSeries *
wl_chart_series_at (WlLineChart *self,
                    guint        i)
{
  return &g_array_index (self->series, WlChartSeries, i);
}

/* wl-line-chart-layout.c */
char        *wl_chart_format_x        (WlLineChart        *self,
                                       double              x,
                                       double              step,
                                       double              axis_max);
/* The first index of @points (WlChartPoint) with x >= @x. */
guint        wl_chart_lower_bound     (GArray             *points,
                                       double              x);
double       wl_chart_map_x           (const WlChartFrame *frame,
                                       double              x);
double       wl_chart_map_y           (const WlChartFrame *frame,
                                       WlChartAxis         axis,
                                       double              y);
/* Starts a snapshot's frame with the chart's colours. */
void         wl_chart_frame_init      (WlLineChart        *self,
                                       WlChartFrame       *frame);
/* Places the plot under frame->top in @width × @height, fits the axes to
 * the visible data and makes the ticks; FALSE when too small to draw. */
gboolean     wl_chart_frame_layout    (WlLineChart        *self,
                                       WlChartFrame       *frame,
                                       int                 width,
                                       int                 height);
void         wl_chart_frame_clear     (WlChartFrame       *frame);

/* wl-line-chart-draw.c */
void         wl_line_chart_draw       (WlLineChart        *self,
                                       GtkSnapshot        *snapshot,
                                       int                 width,
                                       int                 height);

G_END_DECLS
