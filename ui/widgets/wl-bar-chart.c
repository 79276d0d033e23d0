/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-bar-chart.c: a horizontal bar chart of counts: names, bars (Cairo)
 * and numbers (wl-chart-text.h), in colours looked up when the style
 * changes. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-bar-chart.h"
#include "wl-chart-colors.h"
#include "wl-chart-text.h"
#include "wl-set-str.h"

#define ROW_PADDING 10    /* vertical space between rows */
#define GAP         12    /* between the names, the bars and the numbers */
#define BAR_HEIGHT  12
#define NAME_SHARE  0.38  /* the names' column takes at most this share of the width */

struct _WlBarChart
{
  GtkWidget  parent_instance;

  GPtrArray *names;       /* char * */
  GArray    *counts;      /* guint64 */
  guint64    max;
  guint64    total;
  char      *title;
  WlChartColors colors;   /* of the style now */
};

G_DEFINE_FINAL_TYPE (WlBarChart, wl_bar_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_count (WlBarChart *self,
              guint       bar)
{
  guint64 count = g_array_index (self->counts, guint64, bar);
  double percent = self->total ? 100.0 * count / self->total : 0.0;
  g_autofree char *number = g_strdup_printf ("%'" G_GUINT64_FORMAT, count);

  /* Translators: a bar's number: a count and its share, "1,234 (33.3 %)" */
  return g_strdup_printf (_("%s (%.1f %%)"), number, percent);
}

static int
row_height (WlBarChart *self)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "Xg");
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return MAX (height, BAR_HEIGHT) + ROW_PADDING;
}

static void
wl_bar_chart_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  WlBarChart *self = WL_BAR_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 360;
    }
  else
    *minimum = *natural = self->names->len * row_height (self);
}

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   width,
                   double   height)
{
  double r = MIN (height, width) / 2.0;

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + width - r, y + height - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + height - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
wl_bar_chart_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  WlBarChart *self = WL_BAR_CHART (widget);
  const WlChartColors *c = &self->colors;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int row = row_height (self);
  g_autoptr(GPtrArray) name_layouts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) count_layouts = g_ptr_array_new_with_free_func (g_object_unref);
  int names_width = 0, counts_width = 0;
  double bar_x, bar_width;
  cairo_t *cr;

  if (self->names->len == 0 || width <= 0)
    return;

  for (guint i = 0; i < self->names->len; i++)
    {
      PangoLayout *name = wl_chart_text_new (widget, g_ptr_array_index (self->names, i),
                                             WL_CHART_TEXT_NORMAL);
      g_autofree char *number = format_count (self, i);
      PangoLayout *count = wl_chart_text_new (widget, number, WL_CHART_TEXT_NORMAL);
      int w;

      pango_layout_set_ellipsize (name, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (name, TRUE);
      pango_layout_get_pixel_size (name, &w, NULL);
      names_width = MAX (names_width, w);
      pango_layout_get_pixel_size (count, &w, NULL);
      counts_width = MAX (counts_width, w);
      g_ptr_array_add (name_layouts, name);
      g_ptr_array_add (count_layouts, count);
    }
  names_width = MIN (names_width, (int) (width * NAME_SHARE));
  bar_x = names_width + GAP;
  bar_width = MAX (0.0, width - bar_x - GAP - counts_width);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (guint i = 0; i < self->names->len; i++)
    {
      guint64 count = g_array_index (self->counts, guint64, i);
      double y = i * row + (row - BAR_HEIGHT) / 2.0;
      double length = self->max ? bar_width * count / self->max : 0.0;

      gdk_cairo_set_source_rgba (cr, &c->grid);
      rounded_rectangle (cr, bar_x, y, bar_width, BAR_HEIGHT);
      cairo_fill (cr);
      if (count > 0)
        {
          gdk_cairo_set_source_rgba (cr, &c->accent);
          rounded_rectangle (cr, bar_x, y, MAX (length, BAR_HEIGHT), BAR_HEIGHT);
          cairo_fill (cr);
        }
    }
  cairo_destroy (cr);

  for (guint i = 0; i < self->names->len; i++)
    {
      PangoLayout *name = g_ptr_array_index (name_layouts, i);
      PangoLayout *count = g_ptr_array_index (count_layouts, i);

      pango_layout_set_width (name, names_width * PANGO_SCALE);
      wl_chart_text_draw_at (snapshot, name, 0, i * row + row / 2.0, 0.0, &c->fg);
      wl_chart_text_draw_at (snapshot, count, width, i * row + row / 2.0, 1.0, &c->fg);
    }
}

static void
wl_bar_chart_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (wl_bar_chart_parent_class)->css_changed (widget, change);
  wl_chart_colors_lookup (widget, &WL_BAR_CHART (widget)->colors);
  gtk_widget_queue_draw (widget);
}

static void
wl_bar_chart_finalize (GObject *object)
{
  WlBarChart *self = WL_BAR_CHART (object);

  g_ptr_array_unref (self->names);
  g_array_unref (self->counts);
  g_free (self->title);
  G_OBJECT_CLASS (wl_bar_chart_parent_class)->finalize (object);
}

static void
wl_bar_chart_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, WL_BAR_CHART (object)->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_bar_chart_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_TITLE:
      wl_bar_chart_set_title (WL_BAR_CHART (object), g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_bar_chart_class_init (WlBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = wl_bar_chart_get_property;
  object_class->set_property = wl_bar_chart_set_property;
  object_class->finalize = wl_bar_chart_finalize;
  widget_class->measure = wl_bar_chart_measure;
  widget_class->snapshot = wl_bar_chart_snapshot;
  widget_class->css_changed = wl_bar_chart_css_changed;
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "barchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wl_bar_chart_init (WlBarChart *self)
{
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->counts = g_array_new (FALSE, FALSE, sizeof (guint64));
  wl_chart_colors_install (GTK_WIDGET (self));
}

GtkWidget *
wl_bar_chart_new (void)
{
  return g_object_new (WL_TYPE_BAR_CHART, NULL);
}

void
wl_bar_chart_set_bars (WlBarChart         *self,
                       const char * const *names,
                       const guint64      *counts,
                       guint               n_bars,
                       guint64             total)
{
  g_autoptr(GString) summary = g_string_new (NULL);
  guint64 sum = 0;

  g_return_if_fail (WL_IS_BAR_CHART (self));
  g_return_if_fail (n_bars == 0 || (names != NULL && counts != NULL));

  g_ptr_array_set_size (self->names, 0);
  g_array_set_size (self->counts, 0);
  self->max = 0;
  for (guint i = 0; i < n_bars; i++)
    {
      g_ptr_array_add (self->names, g_strdup (names[i]));
      g_array_append_val (self->counts, counts[i]);
      self->max = MAX (self->max, counts[i]);
      sum += counts[i];
    }
  self->total = total ? total : sum;

  for (guint i = 0; i < n_bars; i++)
    {
      g_autofree char *number = format_count (self, i);

      /* Translators: one bar of the chart, read by a screen reader: "sport: 100 (33.3 %)" */
      g_string_append_printf (summary, _("%s: %s"), names[i], number);
      if (i + 1 < n_bars)
        g_string_append (summary, ", ");
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  summary->str, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
wl_bar_chart_set_title (WlBarChart *self,
                        const char *title)
{
  g_return_if_fail (WL_IS_BAR_CHART (self));

  if (!wl_set_str (&self->title, title))
    return;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
wl_bar_chart_get_title (WlBarChart *self)
{
  g_return_val_if_fail (WL_IS_BAR_CHART (self), NULL);
  return self->title;
}

void
wl_bar_chart_get_bar_color (WlBarChart *self,
                            GdkRGBA    *color)
{
  g_return_if_fail (WL_IS_BAR_CHART (self));
  g_return_if_fail (color != NULL);

  *color = self->colors.accent;
}

guint
wl_bar_chart_get_n_bars (WlBarChart *self)
{
  g_return_val_if_fail (WL_IS_BAR_CHART (self), 0);
  return self->names->len;
}

const char *
wl_bar_chart_get_name (WlBarChart *self,
                       guint       bar)
{
  g_return_val_if_fail (WL_IS_BAR_CHART (self), NULL);
  g_return_val_if_fail (bar < self->names->len, NULL);
  return g_ptr_array_index (self->names, bar);
}

guint64
wl_bar_chart_get_count (WlBarChart *self,
                        guint       bar)
{
  g_return_val_if_fail (WL_IS_BAR_CHART (self), 0);
  g_return_val_if_fail (bar < self->counts->len, 0);
  return g_array_index (self->counts, guint64, bar);
}
