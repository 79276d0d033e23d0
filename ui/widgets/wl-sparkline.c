/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-sparkline.c: a word-sized line chart, drawn with Cairo in the accent
 * colour, looked up when the style changes. */
#include "config.h"

#include <math.h>

#include "wl-chart-colors.h"
#include "wl-sparkline.h"

#define WIDTH   72
#define HEIGHT  20
#define DOT     2.5     /* radius of the last value's dot */

struct _WlSparkline
{
  GtkWidget  parent_instance;

  GArray        *values;    /* double */
  guint          n_points;
  WlChartColors  colors;    /* of the style now */
};

G_DEFINE_FINAL_TYPE (WlSparkline, wl_sparkline, GTK_TYPE_WIDGET)

static void
wl_sparkline_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = WIDTH / 2;
      *natural = WIDTH;
    }
  else
    *minimum = *natural = HEIGHT;
}

static void
wl_sparkline_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  WlSparkline *self = WL_SPARKLINE (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double lo = INFINITY, hi = -INFINITY, x_step, y_scale;
  gboolean drawing = FALSE;
  double last_x = 0, last_y = 0;
  cairo_t *cr;

  if (self->n_points == 0 || width <= 2 * DOT || height <= 2 * DOT)
    return;
  for (guint i = 0; i < self->values->len; i++)
    {
      double v = g_array_index (self->values, double, i);

      if (isfinite (v))
        {
          lo = MIN (lo, v);
          hi = MAX (hi, v);
        }
    }
  /* Inset by the dot's radius so that nothing is cut at the edges. */
  x_step = self->values->len > 1 ? (width - 2 * DOT) / (self->values->len - 1) : 0;
  y_scale = hi > lo ? (height - 2 * DOT) / (hi - lo) : 0;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_cairo_set_source_rgba (cr, &self->colors.accent);
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint i = 0; i < self->values->len; i++)
    {
      double v = g_array_index (self->values, double, i);

      if (!isfinite (v))
        {
          drawing = FALSE;
          continue;
        }
      last_x = self->values->len > 1 ? DOT + i * x_step : width / 2;
      last_y = hi > lo ? height - DOT - (v - lo) * y_scale : height / 2;
      if (drawing)
        cairo_line_to (cr, last_x, last_y);
      else
        cairo_move_to (cr, last_x, last_y);
      drawing = TRUE;
    }
  cairo_stroke (cr);
  cairo_arc (cr, last_x, last_y, DOT, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_destroy (cr);
}

static void
wl_sparkline_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (wl_sparkline_parent_class)->css_changed (widget, change);
  wl_chart_colors_lookup (widget, &WL_SPARKLINE (widget)->colors);
  gtk_widget_queue_draw (widget);
}

static void
wl_sparkline_finalize (GObject *object)
{
  WlSparkline *self = WL_SPARKLINE (object);

  g_array_unref (self->values);
  G_OBJECT_CLASS (wl_sparkline_parent_class)->finalize (object);
}

static void
wl_sparkline_class_init (WlSparklineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = wl_sparkline_finalize;
  widget_class->measure = wl_sparkline_measure;
  widget_class->snapshot = wl_sparkline_snapshot;
  widget_class->css_changed = wl_sparkline_css_changed;
  gtk_widget_class_set_css_name (widget_class, "sparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wl_sparkline_init (WlSparkline *self)
{
  self->values = g_array_new (FALSE, FALSE, sizeof (double));
  wl_chart_colors_install (GTK_WIDGET (self));
}

GtkWidget *
wl_sparkline_new (void)
{
  return g_object_new (WL_TYPE_SPARKLINE, NULL);
}

void
wl_sparkline_set_values (WlSparkline  *self,
                         const double *values,
                         guint         n_values)
{
  g_return_if_fail (WL_IS_SPARKLINE (self));
  g_return_if_fail (values != NULL || n_values == 0);

  g_array_set_size (self->values, 0);
  g_array_append_vals (self->values, values, n_values);
  self->n_points = 0;
  for (guint i = 0; i < n_values; i++)
    self->n_points += isfinite (values[i]) ? 1 : 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
wl_sparkline_get_n_points (WlSparkline *self)
{
  g_return_val_if_fail (WL_IS_SPARKLINE (self), 0);
  return self->n_points;
}
