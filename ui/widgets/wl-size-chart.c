/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-size-chart.c: model variants, file size (log x) against accuracy:
 * grid and text as snapshot nodes (wl-chart-text.h), the points with
 * Cairo.  The points are normalised to 0..1 when set, not when drawn, the
 * colours looked up when the style changes. */
#include "config.h"

#include <math.h>

#include "eval/wl-chart-ticks.h"
#include "wl-chart-colors.h"
#include "wl-chart-text.h"
#include "wl-format.h"
#include "wl-set-str.h"
#include "wl-size-chart.h"

#define LEFT    52      /* room for the accuracy labels */
#define BOTTOM  36      /* the names below the lowest dots, the size labels */
#define TOP     20      /* and the names above the top dots */
#define RIGHT   16
#define DOT     4.0
#define MAX_Y_TICKS 4

typedef struct
{
  double    x, y;       /* 0..1 across the plot */
  char     *name;
  gboolean  reference;  /* the first point given */
} Point;

struct _WlSizeChart
{
  GtkWidget  parent_instance;

  GArray    *points;         /* Point */
  double     log_lo, log_hi; /* log10 bytes at the plot's edges */
  double     y_lo, y_hi, y_step;
  char      *title;
  WlChartColors colors;      /* of the style now */
};

G_DEFINE_FINAL_TYPE (WlSizeChart, wl_size_chart, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
point_clear (Point *point)
{
  g_free (point->name);
}

static int
compare_x (gconstpointer a,
           gconstpointer b)
{
  double xa = ((const Point *) a)->x, xb = ((const Point *) b)->x;

  return (xa > xb) - (xa < xb);
}

static void
draw_text (WlSizeChart   *self,
           GtkSnapshot   *snapshot,
           const char    *string,
           double         x,
           double         y,
           double         xalign)
{
  g_autoptr(PangoLayout) layout = wl_chart_text_new (GTK_WIDGET (self), string,
                                                     WL_CHART_TEXT_NORMAL);

  wl_chart_text_draw_at (snapshot, layout, x, y, xalign, &self->colors.dim);
}

static void
wl_size_chart_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  WlSizeChart *self = WL_SIZE_CHART (widget);
  const WlChartColors *c = &self->colors;
  double plot_w = gtk_widget_get_width (widget) - LEFT - RIGHT;
  double plot_h = gtk_widget_get_height (widget) - TOP - BOTTOM;
  cairo_t *cr;

  if (self->points->len == 0 || plot_w <= 0 || plot_h <= 0)
    return;

  /* Accuracy: round ticks as percentages */
  for (double v = self->y_lo; v <= self->y_hi + self->y_step / 2; v += self->y_step)
    {
      double y = TOP + plot_h * (1 - (v - self->y_lo) / (self->y_hi - self->y_lo));
      g_autofree char *label = wl_chart_format_tick (100 * v, 100 * self->y_step, 100 * self->y_hi);
      g_autofree char *percent = g_strdup_printf ("%s %%", label);

      wl_chart_rule (snapshot, &c->grid, LEFT, round (y), plot_w, 1);
      draw_text (self, snapshot, percent, LEFT - 6, y, 1.0);
    }
  /* Size: every power of ten bytes in the range, or its two ends */
  {
    double first = ceil (self->log_lo), last = floor (self->log_hi);
    double ends[2] = { self->log_lo, self->log_hi };
    gboolean decades = last >= first;

    for (guint i = 0; decades ? first + i <= last : i < 2; i++)
      {
        double l = decades ? first + i : ends[i];
        double x = LEFT + plot_w * (l - self->log_lo) / (self->log_hi - self->log_lo);
        g_autofree char *label = wl_format_size ((guint64) round (pow (10, l)));

        wl_chart_rule (snapshot, &c->grid, round (x), TOP, 1, plot_h);
        draw_text (self, snapshot, label, x, TOP + plot_h + BOTTOM - 9, 0.5);
      }
  }

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                                   gtk_widget_get_height (widget)));
  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      cairo_arc (cr, LEFT + p->x * plot_w, TOP + (1 - p->y) * plot_h, DOT, 0, 2 * G_PI);
      gdk_cairo_set_source_rgba (cr, p->reference ? &c->fg : &c->accent);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);
      /* Centred on the dot, above and below by turns (left to right), so
       * that neighbours of the same accuracy keep apart. */
      double dy = (i % 2 == 0 ? -1 : 1) * 3 * DOT;

      draw_text (self, snapshot, p->name, LEFT + p->x * plot_w,
                 TOP + (1 - p->y) * plot_h + dy, 0.5);
    }
}

static void
wl_size_chart_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 140;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 560 : 220;
}

static void
wl_size_chart_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (wl_size_chart_parent_class)->css_changed (widget, change);
  wl_chart_colors_lookup (widget, &WL_SIZE_CHART (widget)->colors);
  gtk_widget_queue_draw (widget);
}

static void
wl_size_chart_finalize (GObject *object)
{
  WlSizeChart *self = WL_SIZE_CHART (object);

  g_array_unref (self->points);
  g_free (self->title);
  G_OBJECT_CLASS (wl_size_chart_parent_class)->finalize (object);
}

static void
wl_size_chart_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, WL_SIZE_CHART (object)->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_size_chart_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_TITLE:
      wl_size_chart_set_title (WL_SIZE_CHART (object), g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_size_chart_class_init (WlSizeChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = wl_size_chart_get_property;
  object_class->set_property = wl_size_chart_set_property;
  object_class->finalize = wl_size_chart_finalize;
  widget_class->measure = wl_size_chart_measure;
  widget_class->snapshot = wl_size_chart_snapshot;
  widget_class->css_changed = wl_size_chart_css_changed;
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_css_name (widget_class, "sizechart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wl_size_chart_init (WlSizeChart *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (Point));
  g_array_set_clear_func (self->points, (GDestroyNotify) point_clear);
  wl_chart_colors_install (GTK_WIDGET (self));
}

GtkWidget *
wl_size_chart_new (void)
{
  return g_object_new (WL_TYPE_SIZE_CHART, NULL);
}

void
wl_size_chart_set_points (WlSizeChart        *self,
                          const guint64      *sizes,
                          const double       *accuracies,
                          const char * const *names,
                          guint               n_points)
{
  double lo = INFINITY, hi = -INFINITY;

  g_return_if_fail (WL_IS_SIZE_CHART (self));
  g_return_if_fail (n_points == 0 || (sizes != NULL && accuracies != NULL && names != NULL));

  g_array_set_size (self->points, 0);
  self->log_lo = self->y_lo = INFINITY;
  self->log_hi = self->y_hi = -INFINITY;
  for (guint i = 0; i < n_points; i++)
    {
      lo = MIN (lo, log10 (MAX (sizes[i], 1)));
      hi = MAX (hi, log10 (MAX (sizes[i], 1)));
      self->y_lo = MIN (self->y_lo, accuracies[i]);
      self->y_hi = MAX (self->y_hi, accuracies[i]);
    }
  if (n_points > 0)
    {
      /* A tenth of a decade either side, so that no dot sits on an edge. */
      double pad = MAX (hi - lo, 0.5) * 0.1;

      self->log_lo = lo - pad;
      self->log_hi = hi + pad;
      self->y_step = wl_chart_nice_range (&self->y_lo, &self->y_hi, MAX_Y_TICKS);
      /* An accuracy lies in 0..1: the axis stops there too. */
      self->y_lo = MAX (self->y_lo, 0.0);
      self->y_hi = MIN (self->y_hi, 1.0);
    }
  for (guint i = 0; i < n_points; i++)
    {
      Point point = {
        .x = (log10 (MAX (sizes[i], 1)) - self->log_lo) / (self->log_hi - self->log_lo),
        .y = (accuracies[i] - self->y_lo) / (self->y_hi - self->y_lo),
        .name = g_strdup (names[i]),
        .reference = i == 0,
      };

      g_array_append_val (self->points, point);
    }
  g_array_sort (self->points, compare_x);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
wl_size_chart_get_n_points (WlSizeChart *self)
{
  g_return_val_if_fail (WL_IS_SIZE_CHART (self), 0);
  return self->points->len;
}

void
wl_size_chart_set_title (WlSizeChart *self,
                         const char  *title)
{
  g_return_if_fail (WL_IS_SIZE_CHART (self));

  if (!wl_set_str (&self->title, title))
    return;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
wl_size_chart_get_title (WlSizeChart *self)
{
  g_return_val_if_fail (WL_IS_SIZE_CHART (self), NULL);
  return self->title;
}
