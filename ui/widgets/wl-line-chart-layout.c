/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-line-chart-layout.c: where a line chart's parts go.
 *
 * Fits the axes to the visible data, picks round ticks, places the plot
 * between the header, the axis captions and the tick labels, and maps data
 * to pixels.
 */
#include "config.h"

#include <math.h>

#include "eval/wl-chart-ticks.h"
#include "wl-line-chart-private.h"

#define TICK_PX_X      90    /* room per x tick label */
#define TICK_PX_Y      34    /* per y tick */

char *
wl_chart_format_x (WlLineChart *self,
                   double       x,
                   double       step,
                   double       axis_max)
{
  return self->time_axis ? wl_chart_format_time (x, step, axis_max)
                         : wl_chart_format_tick (x, step, axis_max);
}

/* Data */

/* First index with x >= @x. */
guint
wl_chart_lower_bound (GArray *points,
                      double  x)
{
  guint lo = 0, hi = points->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (points, WlChartPoint, mid).x < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Ranges */

static gboolean
is_fixed (WlLineChart *self,
          WlChartAxis  axis)
{
  return self->fixed_min[axis] < self->fixed_max[axis];
}

static gboolean
data_x_extent (WlLineChart *self,
               double      *min,
               double      *max)
{
  gboolean any = FALSE;

  *min = INFINITY;
  *max = -INFINITY;
  for (guint i = 0; i < self->series->len; i++)
    {
      GArray *points = wl_chart_series_at (self, i)->points;

      if (points->len == 0)
        continue;
      *min = MIN (*min, g_array_index (points, WlChartPoint, 0).x);
      *max = MAX (*max, g_array_index (points, WlChartPoint, points->len - 1).x);
      any = TRUE;
    }
  for (guint i = 0; i < self->spans->len; i++)
    {
      const WlChartSpan *span = &g_array_index (self->spans, WlChartSpan, i);

      *min = MIN (*min, span->x0);
      *max = MAX (*max, MAX (span->x0, span->x1));
      any = TRUE;
    }
  if (isfinite (self->now))
    {
      *min = MIN (*min, self->now);
      *max = MAX (*max, self->now);
      any = TRUE;
    }
  return any;
}

static void
fit_x (WlLineChart  *self,
       WlChartFrame *frame)
{
  double min, max;

  if (is_fixed (self, WL_CHART_AXIS_X))
    {
      min = self->fixed_min[WL_CHART_AXIS_X];
      max = self->fixed_max[WL_CHART_AXIS_X];
    }
  else if (!data_x_extent (self, &min, &max))
    min = 0, max = 1;
  else if (self->x_window > 0)
    min = max - self->x_window;
  else if (self->time_axis)
    min = MIN (min, 0);
  if (!(max > min))
    max = min + 1;
  frame->x0 = min;
  frame->x1 = max;
  frame->x_step = wl_chart_nice_step (max - min,
                                      MAX (frame->plot.size.width / TICK_PX_X, 1),
                                      self->time_axis);
}

static void
fit_y (WlLineChart  *self,
       WlChartFrame *frame,
       WlChartAxis   axis)
{
  guint max_ticks = MAX (frame->plot.size.height / TICK_PX_Y, 2);
  double min = INFINITY, max = -INFINITY;

  for (guint i = 0; i < self->series->len; i++)
    {
      WlChartSeries *s = wl_chart_series_at (self, i);

      if (s->axis != axis)
        continue;
      frame->has_axis[axis] = TRUE;
      for (guint j = wl_chart_lower_bound (s->points, frame->x0); j < s->points->len; j++)
        {
          const WlChartPoint *p = &g_array_index (s->points, WlChartPoint, j);
          guint end = j + WL_CHART_BLOCK - 1;

          if (p->x > frame->x1)
            break;
          /* A whole block in view: its range will do. */
          if (j % WL_CHART_BLOCK == 0 && end < s->points->len &&
              g_array_index (s->points, WlChartPoint, end).x <= frame->x1)
            {
              const WlChartBlock *block = &g_array_index (s->blocks, WlChartBlock,
                                                          j / WL_CHART_BLOCK);

              min = MIN (min, block->min);
              max = MAX (max, block->max);
              j = end;
              continue;
            }
          if (isfinite (p->y))
            {
              min = MIN (min, p->y);
              max = MAX (max, p->y);
            }
        }
    }

  if (is_fixed (self, axis))
    {
      min = self->fixed_min[axis];
      max = self->fixed_max[axis];
      frame->y_step[axis] = wl_chart_nice_step (max - min, max_ticks, FALSE);
    }
  else
    frame->y_step[axis] = wl_chart_fit_range (&min, &max, self->lower[axis], self->upper[axis],
                                              max_ticks);
  frame->y0[axis] = min;
  frame->y1[axis] = max;
}

double
wl_chart_map_x (const WlChartFrame *frame,
                double              x)
{
  return frame->plot.origin.x + (x - frame->x0) / (frame->x1 - frame->x0) * frame->plot.size.width;
}

double
wl_chart_map_y (const WlChartFrame *frame,
                WlChartAxis         axis,
                double              y)
{
  return frame->plot.origin.y + frame->plot.size.height -
         (y - frame->y0[axis]) / (frame->y1[axis] - frame->y0[axis]) * frame->plot.size.height;
}

/* Ticks */

static void
tick_clear (WlChartTick *tick)
{
  g_clear_object (&tick->layout);
}

/* Ticks at the multiples of @step from @first to @last, with labels. */
static GArray *
make_ticks (WlLineChart *self,
            double       first,
            double       last,
            double       step,
            gboolean     is_x)
{
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (WlChartTick));

  g_array_set_clear_func (ticks, (GDestroyNotify) tick_clear);
  if (!(step > 0) || !isfinite (last - first) || (last - first) / step > 1000)
    return ticks;
  for (double k = ceil (first / step - 1e-9); k * step <= last + step * 1e-9; k++)
    {
      g_autofree char *text = NULL;
      WlChartTick tick = { k * step, NULL };

      text = is_x ? wl_chart_format_x (self, tick.value, step, last)
                  : wl_chart_format_tick (tick.value, step, MAX (fabs (first), fabs (last)));
      tick.layout = wl_chart_text_new (GTK_WIDGET (self), text, WL_CHART_TEXT_SMALL);
      g_array_append_val (ticks, tick);
    }
  return ticks;
}

static int
widest (GArray *ticks)
{
  int w = 0;

  for (guint i = 0; ticks != NULL && i < ticks->len; i++)
    w = MAX (w, wl_chart_text_width (g_array_index (ticks, WlChartTick, i).layout));
  return w;
}

/* The frame */

void
wl_chart_frame_init (WlLineChart  *self,
                     WlChartFrame *frame)
{
  frame->colors = &self->colors;
}

gboolean
wl_chart_frame_layout (WlLineChart  *self,
                       WlChartFrame *frame,
                       int           width,
                       int           height)
{
  g_autoptr(PangoLayout) probe = wl_chart_text_new (GTK_WIDGET (self), "0", WL_CHART_TEXT_SMALL);
  int tick_height = wl_chart_text_height (probe), left_width, right_width;
  gboolean captions = self->captions[WL_CHART_AXIS_LEFT] || self->captions[WL_CHART_AXIS_RIGHT];
  graphene_rect_t *plot = &frame->plot;

  /* Rows: header, axis captions, plot, x tick labels. */
  plot->origin.y = frame->top + (captions ? tick_height + 4 : 0);
  plot->size.height = height - CHART_PADDING - tick_height - 3 - plot->origin.y;
  if (plot->size.height < 24 || width < 80)
    return FALSE;

  /* y first: the widest tick label decides where the plot starts. */
  plot->size.width = width;
  fit_x (self, frame);
  for (WlChartAxis axis = WL_CHART_AXIS_LEFT; axis <= WL_CHART_AXIS_RIGHT; axis++)
    {
      fit_y (self, frame, axis);
      if (frame->has_axis[axis])
        frame->y_ticks[axis] = make_ticks (self, frame->y0[axis], frame->y1[axis],
                                           frame->y_step[axis], FALSE);
    }
  left_width = widest (frame->y_ticks[WL_CHART_AXIS_LEFT]);
  right_width = widest (frame->y_ticks[WL_CHART_AXIS_RIGHT]);
  plot->origin.x = CHART_PADDING + (left_width > 0 ? left_width + CHART_GAP : 0);
  plot->size.width = width - CHART_PADDING -
                     (right_width > 0 ? right_width + CHART_GAP : CHART_GAP) -
                     plot->origin.x;
  if (plot->size.width < 24)
    return FALSE;

  fit_x (self, frame);
  frame->x_ticks = make_ticks (self, frame->x0, frame->x1, frame->x_step, TRUE);
  return TRUE;
}

void
wl_chart_frame_clear (WlChartFrame *frame)
{
  g_clear_pointer (&frame->x_ticks, g_array_unref);
  g_clear_pointer (&frame->y_ticks[WL_CHART_AXIS_LEFT], g_array_unref);
  g_clear_pointer (&frame->y_ticks[WL_CHART_AXIS_RIGHT], g_array_unref);
}
