/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-line-chart.c: a live line chart drawn with Cairo (see the header).
 *
 * The object: its series, spans and settings, and the pointer.  The layout
 * and the drawing are in wl-line-chart-layout.c and wl-line-chart-draw.c.
 */
#include "config.h"

#include <math.h>

#include "wl-line-chart-private.h"
#include "wl-set-str.h"

G_DEFINE_FINAL_TYPE (WlLineChart, wl_line_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_LEFT_LABEL,
  PROP_RIGHT_LABEL,
  PROP_X_LABEL,
  PROP_TIME_AXIS,
  PROP_X_WINDOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The caption property of each WlChartAxis. */
static const guint axis_props[] = { PROP_LEFT_LABEL, PROP_RIGHT_LABEL, PROP_X_LABEL };

static void
wl_line_chart_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  wl_line_chart_draw (WL_LINE_CHART (widget), snapshot,
                      gtk_widget_get_width (widget), gtk_widget_get_height (widget));
}

static void
wl_line_chart_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 360;
    }
  else
    {
      *minimum = 160;
      *natural = 220;
    }
}

static void
wl_line_chart_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (wl_line_chart_parent_class)->css_changed (widget, change);
  /* Once per style change, not per snapshot. */
  wl_chart_colors_lookup (widget, &WL_LINE_CHART (widget)->colors);
  gtk_widget_queue_draw (widget);
}

/* Pointer */

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           WlLineChart              *self)
{
  self->pointer_x = x;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave (GtkEventControllerMotion *motion,
          WlLineChart              *self)
{
  self->pointer_x = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Object */

static void
series_clear (WlChartSeries *series)
{
  g_free (series->name);
  g_array_unref (series->points);
  g_array_unref (series->blocks);
}

static void
span_clear (WlChartSpan *span)
{
  g_free (span->label);
}

static void
wl_line_chart_finalize (GObject *object)
{
  WlLineChart *self = WL_LINE_CHART (object);

  g_free (self->title);
  for (guint i = 0; i < G_N_ELEMENTS (self->captions); i++)
    g_free (self->captions[i]);
  g_array_unref (self->series);
  g_array_unref (self->spans);
  G_OBJECT_CLASS (wl_line_chart_parent_class)->finalize (object);
}

static void
wl_line_chart_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  WlLineChart *self = WL_LINE_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_LEFT_LABEL:
      g_value_set_string (value, self->captions[WL_CHART_AXIS_LEFT]);
      break;
    case PROP_RIGHT_LABEL:
      g_value_set_string (value, self->captions[WL_CHART_AXIS_RIGHT]);
      break;
    case PROP_X_LABEL:
      g_value_set_string (value, self->captions[WL_CHART_AXIS_X]);
      break;
    case PROP_TIME_AXIS:
      g_value_set_boolean (value, self->time_axis);
      break;
    case PROP_X_WINDOW:
      g_value_set_double (value, self->x_window);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_line_chart_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  WlLineChart *self = WL_LINE_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      wl_line_chart_set_title (self, g_value_get_string (value));
      break;
    case PROP_LEFT_LABEL:
      wl_line_chart_set_axis_label (self, WL_CHART_AXIS_LEFT, g_value_get_string (value));
      break;
    case PROP_RIGHT_LABEL:
      wl_line_chart_set_axis_label (self, WL_CHART_AXIS_RIGHT, g_value_get_string (value));
      break;
    case PROP_X_LABEL:
      wl_line_chart_set_axis_label (self, WL_CHART_AXIS_X, g_value_get_string (value));
      break;
    case PROP_TIME_AXIS:
      wl_line_chart_set_time_axis (self, g_value_get_boolean (value));
      break;
    case PROP_X_WINDOW:
      wl_line_chart_set_x_window (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_line_chart_class_init (WlLineChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = wl_line_chart_get_property;
  object_class->set_property = wl_line_chart_set_property;
  object_class->finalize = wl_line_chart_finalize;
  widget_class->snapshot = wl_line_chart_snapshot;
  widget_class->measure = wl_line_chart_measure;
  widget_class->css_changed = wl_line_chart_css_changed;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEFT_LABEL] =
    g_param_spec_string ("left-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RIGHT_LABEL] =
    g_param_spec_string ("right-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_X_LABEL] =
    g_param_spec_string ("x-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_AXIS] =
    g_param_spec_boolean ("time-axis", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_X_WINDOW] =
    g_param_spec_double ("x-window", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "linechart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wl_line_chart_init (WlLineChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->series = g_array_new (FALSE, TRUE, sizeof (WlChartSeries));
  g_array_set_clear_func (self->series, (GDestroyNotify) series_clear);
  self->spans = g_array_new (FALSE, TRUE, sizeof (WlChartSpan));
  g_array_set_clear_func (self->spans, (GDestroyNotify) span_clear);
  self->pointer_x = -1;
  self->now = -INFINITY;
  for (guint axis = WL_CHART_AXIS_LEFT; axis <= WL_CHART_AXIS_RIGHT; axis++)
    self->lower[axis] = -INFINITY, self->upper[axis] = INFINITY;

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  wl_chart_colors_install (GTK_WIDGET (self));
}

/* API */

GtkWidget *
wl_line_chart_new (void)
{
  return g_object_new (WL_TYPE_LINE_CHART, NULL);
}

void
wl_line_chart_set_title (WlLineChart *self,
                         const char  *title)
{
  g_return_if_fail (WL_IS_LINE_CHART (self));

  if (!wl_set_str (&self->title, title))
    return;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wl_line_chart_set_axis_label (WlLineChart *self,
                              WlChartAxis  axis,
                              const char  *label)
{
  g_return_if_fail (WL_IS_LINE_CHART (self));
  g_return_if_fail (axis <= WL_CHART_AXIS_X);

  if (!wl_set_str (&self->captions[axis], label))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[axis_props[axis]]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wl_line_chart_set_axis_range (WlLineChart *self,
                              WlChartAxis  axis,
                              double       min,
                              double       max)
{
  g_return_if_fail (WL_IS_LINE_CHART (self));
  g_return_if_fail (axis <= WL_CHART_AXIS_X);

  if (self->fixed_min[axis] == min && self->fixed_max[axis] == max)
    return;
  self->fixed_min[axis] = min;
  self->fixed_max[axis] = max;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wl_line_chart_get_axis_range (WlLineChart *self,
                              WlChartAxis  axis,
                              double      *min,
                              double      *max)
{
  gboolean fixed;

  g_return_if_fail (WL_IS_LINE_CHART (self));
  g_return_if_fail (axis <= WL_CHART_AXIS_X);
  g_return_if_fail (min != NULL && max != NULL);

  fixed = self->fixed_min[axis] < self->fixed_max[axis];
  *min = fixed ? self->fixed_min[axis] : 0;
  *max = fixed ? self->fixed_max[axis] : 0;
}

void
wl_line_chart_set_axis_limits (WlLineChart *self,
                               WlChartAxis  axis,
                               double       lower,
                               double       upper)
{
  g_return_if_fail (WL_IS_LINE_CHART (self));
  g_return_if_fail (axis <= WL_CHART_AXIS_RIGHT);
  g_return_if_fail (lower < upper);

  if (self->lower[axis] == lower && self->upper[axis] == upper)
    return;
  self->lower[axis] = lower;
  self->upper[axis] = upper;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wl_line_chart_set_x_window (WlLineChart *self,
                            double       width)
{
  g_return_if_fail (WL_IS_LINE_CHART (self));

  g_return_if_fail (width >= 0);

  if (self->x_window == width)
    return;
  self->x_window = width;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_X_WINDOW]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wl_line_chart_set_time_axis (WlLineChart *self,
                             gboolean     time)
{
  g_return_if_fail (WL_IS_LINE_CHART (self));

  time = !!time;
  if (self->time_axis == time)
    return;
  self->time_axis = time;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_AXIS]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Brings the blocks up to date after points from @from on changed. */
static void
update_blocks (WlChartSeries *series,
               guint          from)
{
  guint first = from / WL_CHART_BLOCK;

  g_array_set_size (series->blocks, first);
  for (guint i = first * WL_CHART_BLOCK; i < series->points->len; i++)
    {
      double y = g_array_index (series->points, WlChartPoint, i).y;
      WlChartBlock *block;

      if (i % WL_CHART_BLOCK == 0)
        g_array_append_val (series->blocks, ((WlChartBlock) { INFINITY, -INFINITY, FALSE }));
      block = &g_array_index (series->blocks, WlChartBlock, i / WL_CHART_BLOCK);
      if (isnan (y))
        block->gap = TRUE;
      else
        {
          block->min = MIN (block->min, y);
          block->max = MAX (block->max, y);
        }
    }
}

guint
wl_line_chart_add_series (WlLineChart *self,
                          const char  *name,
                          WlChartAxis  axis,
                          guint        palette_index)
{
  WlChartSeries series;

  g_return_val_if_fail (WL_IS_LINE_CHART (self), 0);
  g_return_val_if_fail (axis == WL_CHART_AXIS_LEFT || axis == WL_CHART_AXIS_RIGHT, 0);

  series = (WlChartSeries) { g_strdup (name), axis, palette_index,
                             g_array_new (FALSE, FALSE, sizeof (WlChartPoint)),
                             g_array_new (FALSE, FALSE, sizeof (WlChartBlock)) };
  g_array_append_val (self->series, series);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return self->series->len - 1;
}

void
wl_line_chart_append (WlLineChart *self,
                      guint        series,
                      double       x,
                      double       y)
{
  WlChartPoint point = { x, y };
  WlChartSeries *s;
  guint at;

  g_return_if_fail (WL_IS_LINE_CHART (self));
  g_return_if_fail (series < self->series->len);
  g_return_if_fail (isfinite (x));

  s = wl_chart_series_at (self, series);
  at = s->points->len;
  /* Keep x increasing (a late point goes in at its place). */
  if (at > 0 && g_array_index (s->points, WlChartPoint, at - 1).x > x)
    {
      at = wl_chart_lower_bound (s->points, x);
      g_array_insert_val (s->points, at, point);
    }
  else
    g_array_append_val (s->points, point);
  update_blocks (s, at);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wl_line_chart_add_span (WlLineChart *self,
                        double       x0,
                        double       x1,
                        const char  *label)
{
  WlChartSpan span = { x0, x1, g_strdup (label) };

  g_return_if_fail (WL_IS_LINE_CHART (self));

  g_array_append_val (self->spans, span);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wl_line_chart_close_span (WlLineChart *self,
                          double       x1)
{
  g_return_if_fail (WL_IS_LINE_CHART (self));

  for (guint i = self->spans->len; i-- > 0;)
    {
      WlChartSpan *span = &g_array_index (self->spans, WlChartSpan, i);

      if (span->x1 < span->x0)
        {
          span->x1 = MAX (x1, span->x0);
          gtk_widget_queue_draw (GTK_WIDGET (self));
          return;
        }
    }
}

const char *
wl_line_chart_get_span_label (WlLineChart *self,
                              double       x)
{
  g_return_val_if_fail (WL_IS_LINE_CHART (self), NULL);

  for (guint i = 0; i < self->spans->len; i++)
    {
      const WlChartSpan *span = &g_array_index (self->spans, WlChartSpan, i);

      if (x >= span->x0 && (span->x1 < span->x0 || x <= span->x1))
        return span->label;
    }
  return NULL;
}

void
wl_line_chart_clear (WlLineChart *self)
{
  g_return_if_fail (WL_IS_LINE_CHART (self));

  for (guint i = 0; i < self->series->len; i++)
    {
      g_array_set_size (wl_chart_series_at (self, i)->points, 0);
      g_array_set_size (wl_chart_series_at (self, i)->blocks, 0);
    }
  g_array_set_size (self->spans, 0);
  self->now = -INFINITY;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wl_line_chart_set_now (WlLineChart *self,
                       double       x)
{
  g_return_if_fail (WL_IS_LINE_CHART (self));

  if (self->now == x)
    return;
  self->now = x;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
wl_line_chart_get_n_points (WlLineChart *self,
                            guint        series)
{
  g_return_val_if_fail (WL_IS_LINE_CHART (self), 0);
  g_return_val_if_fail (series < self->series->len, 0);

  return wl_chart_series_at (self, series)->points->len;
}

void
wl_line_chart_get_series_color (WlLineChart *self,
                                guint        series,
                                GdkRGBA     *color)
{
  g_return_if_fail (WL_IS_LINE_CHART (self));
  g_return_if_fail (series < self->series->len);
  g_return_if_fail (color != NULL);

  *color = *wl_chart_colors_series (&self->colors,
                                    wl_chart_series_at (self, series)->palette_index);
}
