/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-line-chart-draw.c: a line chart's snapshot.
 *
 * Draws the stage spans and the grid as native nodes, the curves with
 * Cairo (at most four vertices per pixel column, so the cost follows the
 * width, not the number of points), the text as Pango layout nodes, and
 * the pointer's crosshair with the values under it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "eval/wl-chart-ticks.h"
#include "wl-line-chart-private.h"

#define MARKER_PX      10    /* fewer visible points than width / this: dots */
#define SWATCH_WIDTH   14

static void
fill_circle (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         cx,
             double         cy,
             double         radius)
{
  GskRoundedRect circle;

  gsk_rounded_rect_init_from_rect (&circle, &GRAPHENE_RECT_INIT (cx - radius, cy - radius,
                                                                 2 * radius, 2 * radius),
                                   radius);
  gtk_snapshot_push_rounded_clip (snapshot, &circle);
  gtk_snapshot_append_color (snapshot, color, &circle.bounds);
  gtk_snapshot_pop (snapshot);
}

/* The title, then the legend beside it or on rows below; returns the y
 * under them. */
static double
draw_header (WlLineChart        *self,
             GtkSnapshot        *snapshot,
             const WlChartFrame *frame,
             int                 width)
{
  g_autoptr(PangoLayout) title = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_object_unref);
  double title_end = CHART_PADDING, bottom = CHART_PADDING, row = 0;
  double legend_width = 0, item_height = 0, x, y;

  if (self->title != NULL)
    {
      title = wl_chart_text_new (GTK_WIDGET (self), self->title, WL_CHART_TEXT_BOLD);
      row = wl_chart_text_height (title);
      title_end += wl_chart_text_width (title) + 3 * CHART_GAP;
      bottom += row;
      wl_chart_text_draw (snapshot, title, CHART_PADDING, CHART_PADDING, &frame->colors->fg);
    }
  for (guint i = 0; i < self->series->len; i++)
    {
      const char *text = wl_chart_series_at (self, i)->name;
      PangoLayout *name = wl_chart_text_new (GTK_WIDGET (self), text, WL_CHART_TEXT_SMALL);

      legend_width += SWATCH_WIDTH + CHART_GAP + wl_chart_text_width (name) + 2 * CHART_GAP;
      item_height = MAX (item_height, wl_chart_text_height (name));
      g_ptr_array_add (names, name);
    }
  if (names->len == 0)
    return bottom + CHART_GAP;

  legend_width -= 2 * CHART_GAP;
  if (title_end + legend_width <= width - CHART_PADDING)
    {
      x = width - CHART_PADDING - legend_width;
      y = CHART_PADDING + MAX (row - item_height, 0) / 2;
    }
  else
    {
      x = CHART_PADDING;
      y = bottom + (self->title ? CHART_GAP / 2 : 0);
    }
  for (guint i = 0; i < names->len; i++)
    {
      PangoLayout *name = g_ptr_array_index (names, i);
      double item_width = SWATCH_WIDTH + CHART_GAP + wl_chart_text_width (name);
      GdkRGBA color;

      if (x > CHART_PADDING && x + item_width > width - CHART_PADDING)
        {
          x = CHART_PADDING;
          y += item_height + 2;
        }
      color = *wl_chart_colors_series (frame->colors, wl_chart_series_at (self, i)->palette_index);
      wl_chart_rule (snapshot, &color, x, y + item_height / 2 - 1.5, SWATCH_WIDTH, 3);
      wl_chart_text_draw (snapshot, name, x + SWATCH_WIDTH + CHART_GAP, y, &frame->colors->fg);
      x += item_width + 2 * CHART_GAP;
    }
  return MAX (bottom, y + item_height) + CHART_GAP;
}

/* Where open spans end: the newest point of any series, or now. */
static double
newest_x (WlLineChart *self)
{
  double newest = self->now;

  for (guint i = 0; i < self->series->len; i++)
    {
      GArray *points = wl_chart_series_at (self, i)->points;

      if (points->len > 0)
        newest = MAX (newest, g_array_index (points, WlChartPoint, points->len - 1).x);
    }
  return newest;
}

static void
draw_spans (WlLineChart        *self,
            GtkSnapshot        *snapshot,
            const WlChartFrame *frame)
{
  const graphene_rect_t *plot = &frame->plot;
  double newest = newest_x (self);

  for (guint i = 0; i < self->spans->len; i++)
    {
      const WlChartSpan *span = &g_array_index (self->spans, WlChartSpan, i);
      double x0 = MAX (span->x0, frame->x0);
      double x1 = MIN (span->x1 >= span->x0 ? span->x1 : MAX (newest, span->x0), frame->x1);
      double left, right;
      GdkRGBA shade = frame->colors->shade;

      if (x1 <= x0)
        continue;
      left = wl_chart_map_x (frame, x0);
      right = wl_chart_map_x (frame, x1);
      if (i % 2 == 1)
        shade.alpha *= 0.5;
      wl_chart_rule (snapshot, &shade, left, plot->origin.y, right - left, plot->size.height);
      wl_chart_rule (snapshot, &frame->colors->grid, round (left), plot->origin.y, 1,
                     plot->size.height);

      if (span->label != NULL && right - left >= 24)
        {
          g_autoptr(PangoLayout) label = wl_chart_text_new (GTK_WIDGET (self), span->label,
                                                            WL_CHART_TEXT_SMALL);

          pango_layout_set_width (label, (int) (right - left - CHART_GAP) * PANGO_SCALE);
          pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
          wl_chart_text_draw (snapshot, label, left + CHART_GAP / 2, plot->origin.y + 2,
                              &frame->colors->dim);
        }
    }
}

static void
draw_grid (GtkSnapshot        *snapshot,
           const WlChartFrame *frame,
           GArray             *x_ticks,
           GArray             *y_ticks,
           WlChartAxis         y_axis)
{
  const graphene_rect_t *plot = &frame->plot;

  for (guint i = 0; y_ticks != NULL && i < y_ticks->len; i++)
    {
      double value = g_array_index (y_ticks, WlChartTick, i).value;
      double y = round (wl_chart_map_y (frame, y_axis, value));

      wl_chart_rule (snapshot, &frame->colors->grid, plot->origin.x, y, plot->size.width, 1);
    }
  for (guint i = 0; i < x_ticks->len; i++)
    {
      double x = round (wl_chart_map_x (frame, g_array_index (x_ticks, WlChartTick, i).value));

      wl_chart_rule (snapshot, &frame->colors->grid, x, plot->origin.y, 1, plot->size.height);
    }
  wl_chart_rule (snapshot, &frame->colors->axis, plot->origin.x, plot->origin.y + plot->size.height,
                 plot->size.width, 1);
}

/* Builds a path with at most four vertices per pixel column: the first,
 * lowest, highest and last point that fall in it. */
typedef struct
{
  cairo_t  *cr;
  gboolean  pen_down;     /* a line is under way (no gap since) */
  gboolean  open;         /* a column is being gathered */
  double    column;
  double    first_x, first_y, last_x, last_y, low, high;
  guint     n;
} Column;

static void
column_flush (Column *c)
{
  double middle = (c->first_x + c->last_x) / 2;

  if (!c->open)
    return;
  if (c->pen_down)
    cairo_line_to (c->cr, c->first_x, c->first_y);
  else
    cairo_move_to (c->cr, c->first_x, c->first_y);
  if (c->n > 2)
    {
      cairo_line_to (c->cr, middle, c->low);
      cairo_line_to (c->cr, middle, c->high);
    }
  cairo_line_to (c->cr, c->last_x, c->last_y);
  c->pen_down = TRUE;
  c->open = FALSE;
}

/* Adds a block of points that ends at @x, @y and spans @top to @bottom
 * when it falls in the open column; FALSE otherwise. */
static gboolean
column_add_block (Column *c,
                  double  x,
                  double  y,
                  double  top,
                  double  bottom)
{
  if (!c->open || floor (x) != c->column)
    return FALSE;
  c->last_x = x;
  c->last_y = y;
  c->low = MIN (c->low, top);
  c->high = MAX (c->high, bottom);
  c->n += WL_CHART_BLOCK;
  return TRUE;
}

static void
column_add (Column *c,
            double  x,
            double  y)
{
  if (c->open && floor (x) == c->column)
    {
      c->last_x = x;
      c->last_y = y;
      c->low = MIN (c->low, y);
      c->high = MAX (c->high, y);
      c->n++;
      return;
    }
  column_flush (c);
  c->column = floor (x);
  c->first_x = c->last_x = x;
  c->first_y = c->last_y = c->low = c->high = y;
  c->n = 1;
  c->open = TRUE;
}

/* Traces @series over the visible x range (and one point beyond each
 * edge, so that the line leaves the plot); returns how many points are
 * visible. */
static guint
trace_series (cairo_t             *cr,
              const WlChartFrame  *frame,
              const WlChartSeries *series)
{
  GArray *points = series->points;
  guint begin = wl_chart_lower_bound (points, frame->x0), n_visible = 0;
  Column column = { .cr = cr };

  for (guint i = begin > 0 ? begin - 1 : 0; i < points->len; i++)
    {
      const WlChartPoint *p = &g_array_index (points, WlChartPoint, i);
      guint end = i + WL_CHART_BLOCK - 1;

      /* A block without gaps inside the open pixel column: its range. */
      if (i % WL_CHART_BLOCK == 0 && end < points->len && p->x >= frame->x0)
        {
          const WlChartBlock *block = &g_array_index (series->blocks, WlChartBlock,
                                                      i / WL_CHART_BLOCK);
          const WlChartPoint *last = &g_array_index (points, WlChartPoint, end);

          if (!block->gap && last->x <= frame->x1 &&
              column_add_block (&column, wl_chart_map_x (frame, last->x),
                                wl_chart_map_y (frame, series->axis, last->y),
                                wl_chart_map_y (frame, series->axis, block->max),
                                wl_chart_map_y (frame, series->axis, block->min)))
            {
              n_visible += WL_CHART_BLOCK;
              i = end;
              continue;
            }
        }
      if (isnan (p->y))
        {
          column_flush (&column);
          column.pen_down = FALSE;
          continue;
        }
      column_add (&column, wl_chart_map_x (frame, p->x),
                  wl_chart_map_y (frame, series->axis, p->y));
      if (p->x > frame->x1)
        break;
      if (p->x >= frame->x0)
        n_visible++;
    }
  column_flush (&column);
  return n_visible;
}

static void
draw_markers (cairo_t             *cr,
              const WlChartFrame  *frame,
              const WlChartSeries *series,
              double               radius)
{
  for (guint i = wl_chart_lower_bound (series->points, frame->x0); i < series->points->len; i++)
    {
      const WlChartPoint *p = &g_array_index (series->points, WlChartPoint, i);

      if (p->x > frame->x1)
        break;
      if (isnan (p->y))
        continue;
      cairo_new_sub_path (cr);
      cairo_arc (cr, wl_chart_map_x (frame, p->x), wl_chart_map_y (frame, series->axis, p->y),
                 radius, 0, 2 * G_PI);
    }
  cairo_fill (cr);
}

static void
draw_curves (WlLineChart        *self,
             GtkSnapshot        *snapshot,
             const WlChartFrame *frame)
{
  static const double dashes[][4] = { { 0 }, { 8, 4 }, { 2, 3 }, { 8, 3, 2, 3 } };
  static const int n_dashes[] = { 0, 2, 2, 4 };
  const graphene_rect_t *plot = &frame->plot;
  double width = frame->colors->high_contrast ? 3 : 2;
  graphene_rect_t bounds;
  cairo_t *cr;

  graphene_rect_inset_r (plot, -4, -4, &bounds);
  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  cairo_rectangle (cr, plot->origin.x - 1, plot->origin.y - 3,
                   plot->size.width + 2, plot->size.height + 6);
  cairo_clip (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_width (cr, width);

  for (guint i = 0; i < self->series->len; i++)
    {
      const WlChartSeries *series = wl_chart_series_at (self, i);
      guint style = frame->colors->high_contrast ? i % G_N_ELEMENTS (n_dashes) : 0;
      guint n_visible;
      GdkRGBA color;

      color = *wl_chart_colors_series (frame->colors, series->palette_index);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_set_dash (cr, dashes[style], n_dashes[style], 0);
      n_visible = trace_series (cr, frame, series);
      cairo_stroke (cr);
      /* Few points (one per epoch): show each. */
      if (n_visible > 0 && n_visible * MARKER_PX < plot->size.width)
        draw_markers (cr, frame, series, width + 1);
    }
  cairo_destroy (cr);
}

static void
draw_y_labels (GtkSnapshot        *snapshot,
               const WlChartFrame *frame,
               GArray             *ticks,
               WlChartAxis         axis,
               int                 height)
{
  const graphene_rect_t *plot = &frame->plot;

  for (guint i = 0; ticks != NULL && i < ticks->len; i++)
    {
      const WlChartTick *tick = &g_array_index (ticks, WlChartTick, i);
      int w, h;
      double x, y;

      pango_layout_get_pixel_size (tick->layout, &w, &h);
      y = CLAMP (wl_chart_map_y (frame, axis, tick->value) - h / 2.0, 0, height - h);
      x = axis == WL_CHART_AXIS_LEFT ? plot->origin.x - CHART_GAP - w
                                     : plot->origin.x + plot->size.width + CHART_GAP;
      wl_chart_text_draw (snapshot, tick->layout, x, y, &frame->colors->dim);
    }
}

static PangoLayout *
caption_layout (WlLineChart *self,
                WlChartAxis  axis)
{
  return wl_chart_text_new (GTK_WIDGET (self), self->captions[axis], WL_CHART_TEXT_SMALL);
}

/* x tick labels under the plot, skipping those that would overlap the
 * previous one or the axis caption at the right end. */
static void
draw_x_labels (WlLineChart        *self,
               GtkSnapshot        *snapshot,
               const WlChartFrame *frame,
               GArray             *ticks,
               int                 width)
{
  const graphene_rect_t *plot = &frame->plot;
  double y = plot->origin.y + plot->size.height + 3;
  double limit = width - CHART_PADDING / 2, previous_end = -INFINITY;

  if (self->captions[WL_CHART_AXIS_X] != NULL)
    {
      g_autoptr(PangoLayout) caption = caption_layout (self, WL_CHART_AXIS_X);

      limit = plot->origin.x + plot->size.width - wl_chart_text_width (caption);
      wl_chart_text_draw (snapshot, caption, limit, y, &frame->colors->dim);
      limit -= 2 * CHART_GAP;
    }
  for (guint i = 0; i < ticks->len; i++)
    {
      const WlChartTick *tick = &g_array_index (ticks, WlChartTick, i);
      int w = wl_chart_text_width (tick->layout);
      double x = MAX (wl_chart_map_x (frame, tick->value) - w / 2.0, CHART_PADDING / 2);

      if (x < previous_end + CHART_GAP || x + w > limit)
        continue;
      wl_chart_text_draw (snapshot, tick->layout, x, y, &frame->colors->dim);
      previous_end = x + w;
    }
}

static void
draw_captions (WlLineChart        *self,
               GtkSnapshot        *snapshot,
               const WlChartFrame *frame,
               int                 width)
{
  if (self->captions[WL_CHART_AXIS_LEFT] != NULL)
    {
      g_autoptr(PangoLayout) left = caption_layout (self, WL_CHART_AXIS_LEFT);

      wl_chart_text_draw (snapshot, left, CHART_PADDING, frame->top, &frame->colors->dim);
    }
  if (self->captions[WL_CHART_AXIS_RIGHT] != NULL && frame->has_axis[WL_CHART_AXIS_RIGHT])
    {
      g_autoptr(PangoLayout) right = caption_layout (self, WL_CHART_AXIS_RIGHT);

      wl_chart_text_draw (snapshot, right,
                          width - CHART_PADDING - wl_chart_text_width (right), frame->top,
                          &frame->colors->dim);
    }
}

/* The point of @series nearest to @x within the visible range, or NULL. */
static const WlChartPoint *
nearest_point (const WlChartSeries *series,
               const WlChartFrame  *frame,
               double               x)
{
  guint i = wl_chart_lower_bound (series->points, x);
  const WlChartPoint *best = NULL;

  for (guint j = i > 0 ? i - 1 : 0; j <= i && j < series->points->len; j++)
    {
      const WlChartPoint *p = &g_array_index (series->points, WlChartPoint, j);

      if (isnan (p->y) || p->x < frame->x0 || p->x > frame->x1)
        continue;
      if (best == NULL || fabs (p->x - x) < fabs (best->x - x))
        best = p;
    }
  return best;
}

/* A crosshair at the pointer, a dot on each series and a box with the
 * values there. */
static void
draw_pointer (WlLineChart        *self,
              GtkSnapshot        *snapshot,
              const WlChartFrame *frame,
              int                 width)
{
  const graphene_rect_t *plot = &frame->plot;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) colors = g_array_new (FALSE, FALSE, sizeof (GdkRGBA));
  g_autofree char *x_text = NULL;
  const char *stage;
  double x, box_width = 0, box_height = 0, box_x, box_y, line_y;
  GdkRGBA background, border = frame->colors->fg;
  GskRoundedRect box;

  if (self->pointer_x < plot->origin.x || self->pointer_x > plot->origin.x + plot->size.width)
    return;
  x = frame->x0 + (self->pointer_x - plot->origin.x) / plot->size.width * (frame->x1 - frame->x0);
  wl_chart_rule (snapshot, &frame->colors->axis, round (self->pointer_x), plot->origin.y, 1,
                 plot->size.height);

  if (self->time_axis)
    x_text = wl_chart_format_time (x, frame->x1 - frame->x0 < 10 ? 0.1 : 1, frame->x1);
  else
    x_text = wl_chart_format_reading (x);
  if ((stage = wl_line_chart_get_span_label (self, x)) != NULL)
    {
      char *both;

      /* Translators: the stage and the time under the pointer in a chart, "Train · 1:05" */
      both = g_strdup_printf (_("%s · %s"), stage, x_text);
      g_free (x_text);
      x_text = both;
    }
  g_ptr_array_add (lines, wl_chart_text_new (GTK_WIDGET (self), x_text,
                                             WL_CHART_TEXT_SMALL | WL_CHART_TEXT_BOLD));
  g_array_append_val (colors, frame->colors->fg);
  for (guint i = 0; i < self->series->len; i++)
    {
      const WlChartSeries *series = wl_chart_series_at (self, i);
      const WlChartPoint *p = nearest_point (series, frame, x);
      g_autofree char *value = NULL, *text = NULL;
      GdkRGBA color;

      if (p == NULL)
        continue;
      color = *wl_chart_colors_series (frame->colors, series->palette_index);
      fill_circle (snapshot, &color, wl_chart_map_x (frame, p->x),
                   wl_chart_map_y (frame, series->axis, p->y), 4);
      value = wl_chart_format_reading (p->y);
      /* Translators: a value under the pointer in a chart, "train loss: 0.341" */
      text = g_strdup_printf (_("%s: %s"), series->name, value);
      g_ptr_array_add (lines, wl_chart_text_new (GTK_WIDGET (self), text, WL_CHART_TEXT_SMALL));
      g_array_append_val (colors, color);
    }
  if (lines->len == 1)
    return;

  for (guint i = 0; i < lines->len; i++)
    {
      box_width = MAX (box_width, wl_chart_text_width (g_ptr_array_index (lines, i)));
      box_height += wl_chart_text_height (g_ptr_array_index (lines, i));
    }
  box_width += SWATCH_WIDTH + 3 * CHART_GAP;
  box_height += 2 * CHART_GAP;
  box_x = self->pointer_x + 12;
  if (box_x + box_width > width - 2)
    box_x = MAX (self->pointer_x - 12 - box_width, 2);
  box_y = plot->origin.y + CHART_GAP;

  background = frame->colors->popover;
  background.alpha = 0.94;
  border.alpha *= frame->colors->high_contrast ? 0.8 : 0.18;
  gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT (box_x, box_y, box_width, box_height),
                                   6);
  gtk_snapshot_push_rounded_clip (snapshot, &box);
  gtk_snapshot_append_color (snapshot, &background, &box.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_border (snapshot, &box, (float[4]) { 1, 1, 1, 1 },
                              (GdkRGBA[4]) { border, border, border, border });

  line_y = box_y + CHART_GAP;
  for (guint i = 0; i < lines->len; i++)
    {
      PangoLayout *line = g_ptr_array_index (lines, i);
      int h = wl_chart_text_height (line);

      if (i > 0)
        wl_chart_rule (snapshot, &g_array_index (colors, GdkRGBA, i),
                       box_x + CHART_GAP, line_y + h / 2.0 - 1.5, SWATCH_WIDTH, 3);
      wl_chart_text_draw (snapshot, line, box_x + 2 * CHART_GAP + SWATCH_WIDTH, line_y,
                          &frame->colors->fg);
      line_y += h;
    }
}

static gboolean
has_points (WlLineChart *self)
{
  for (guint i = 0; i < self->series->len; i++)
    if (wl_chart_series_at (self, i)->points->len > 0)
      return TRUE;
  return FALSE;
}

static void
draw_empty (WlLineChart        *self,
            GtkSnapshot        *snapshot,
            const WlChartFrame *frame)
{
  g_autoptr(PangoLayout) text = wl_chart_text_new (GTK_WIDGET (self), _("No data yet"),
                                                   WL_CHART_TEXT_SMALL);
  int w, h;

  pango_layout_get_pixel_size (text, &w, &h);
  wl_chart_text_draw (snapshot, text,
                      frame->plot.origin.x + (frame->plot.size.width - w) / 2,
                      frame->plot.origin.y + (frame->plot.size.height - h) / 2,
                      &frame->colors->dim);
}

void
wl_line_chart_draw (WlLineChart *self,
                    GtkSnapshot *snapshot,
                    int          width,
                    int          height)
{
  WlChartFrame frame = { 0 };

  wl_chart_frame_init (self, &frame);
  frame.top = draw_header (self, snapshot, &frame, width);
  if (wl_chart_frame_layout (self, &frame, width, height))
    {
      GArray *left = frame.y_ticks[WL_CHART_AXIS_LEFT];
      GArray *right = frame.y_ticks[WL_CHART_AXIS_RIGHT];

      /* The grid follows the left axis, or the right one alone. */
      draw_spans (self, snapshot, &frame);
      draw_grid (snapshot, &frame, frame.x_ticks, left ? left : right,
                 left ? WL_CHART_AXIS_LEFT : WL_CHART_AXIS_RIGHT);
      draw_captions (self, snapshot, &frame, width);
      draw_y_labels (snapshot, &frame, left, WL_CHART_AXIS_LEFT, height);
      draw_y_labels (snapshot, &frame, right, WL_CHART_AXIS_RIGHT, height);
      draw_x_labels (self, snapshot, &frame, frame.x_ticks, width);
      if (has_points (self))
        {
          draw_curves (self, snapshot, &frame);
          draw_pointer (self, snapshot, &frame, width);
        }
      else
        draw_empty (self, snapshot, &frame);
    }
  wl_chart_frame_clear (&frame);
}
