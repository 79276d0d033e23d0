/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-chart-text.c: the charts' text and rules (see the header). */
#include "config.h"

#include <math.h>

#include "wl-chart-text.h"

PangoLayout *
wl_chart_text_new (GtkWidget        *widget,
                   const char       *text,
                   WlChartTextFlags  flags)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();

  if (flags & WL_CHART_TEXT_SMALL)
    pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  if (flags & WL_CHART_TEXT_BOLD)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

int
wl_chart_text_width (PangoLayout *layout)
{
  int w;

  pango_layout_get_pixel_size (layout, &w, NULL);
  return w;
}

int
wl_chart_text_height (PangoLayout *layout)
{
  int h;

  pango_layout_get_pixel_size (layout, NULL, &h);
  return h;
}

void
wl_chart_text_draw (GtkSnapshot   *snapshot,
                    PangoLayout   *layout,
                    double         x,
                    double         y,
                    const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

void
wl_chart_text_draw_at (GtkSnapshot   *snapshot,
                       PangoLayout   *layout,
                       double         x,
                       double         y,
                       double         xalign,
                       const GdkRGBA *color)
{
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  wl_chart_text_draw (snapshot, layout, round (x - xalign * width), round (y - height / 2.0), color);
}

void
wl_chart_rule (GtkSnapshot   *snapshot,
               const GdkRGBA *color,
               double         x,
               double         y,
               double         width,
               double         height)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}
