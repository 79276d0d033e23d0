/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-heatmap.c: a confusion matrix drawn as a heat map. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-chart-colors.h"
#include "wl-heatmap.h"
#include "wl-set-str.h"

#define PAD            6.0
#define MIN_CELL       28.0   /* smaller only when many labels would not fit */
#define TINY_CELL      8.0
#define MIN_GRID       480.0
#define MAX_CELL       84.0
#define MAX_ROW_LABEL  160.0
#define MAX_COL_LABEL  140.0
#define CELL_GAP       2.0
#define CELL_RADIUS    4.0

struct _WlHeatmap
{
  GtkWidget   parent_instance;

  guint       n_labels;
  char      **labels;         /* NULL-terminated */
  guint64    *counts;         /* n × n, row = truth */
  guint64     max_mistakes;   /* the largest count off the diagonal */
  guint64    *row_totals;

  /* Text sizes, measured lazily (-1: not yet) */
  double      label_width;    /* the widest label, unclipped */
  double      line_height;
  char       *font;           /* what they were measured in */

  char       *row_title;      /* the axis captions */
  char       *column_title;
  WlChartColors colors;       /* of the style now */

  int         hover_row;      /* -1: none */
  int         hover_col;
  guint       focus_row;
  guint       focus_col;
};

G_DEFINE_FINAL_TYPE (WlHeatmap, wl_heatmap, GTK_TYPE_WIDGET)

enum {
  CELL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_ROW_TITLE,
  PROP_COLUMN_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  double   x0;          /* top left corner of the grid */
  double   y0;
  double   cell;
  double   row_label;   /* width of the row labels */
  double   col_label;   /* height of the column labels */
  gboolean rotated;     /* column labels drawn upwards */
} Geometry;

/* Measuring */

static PangoLayout *
make_layout (WlHeatmap  *self,
             const char *text,
             double      width,
             gboolean    numeric)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  if (numeric)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum 1"));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return layout;
}

static void
ensure_text_sizes (WlHeatmap *self)
{
  int w, h;

  if (self->label_width >= 0)
    return;
  self->label_width = 0;
  self->line_height = 0;
  for (guint i = 0; i < self->n_labels; i++)
    {
      g_autoptr(PangoLayout) layout = make_layout (self, self->labels[i], -1, FALSE);

      pango_layout_get_pixel_size (layout, &w, &h);
      self->label_width = MAX (self->label_width, w);
      self->line_height = MAX (self->line_height, h);
    }
  if (self->line_height == 0)
    {
      g_autoptr(PangoLayout) layout = make_layout (self, "0", -1, FALSE);

      pango_layout_get_pixel_size (layout, &w, &h);
      self->line_height = h;
    }
}

/* Left of the grid: the rotated axis title and the row labels. */
static double
left_width (WlHeatmap *self)
{
  ensure_text_sizes (self);
  return self->line_height + PAD + MIN (self->label_width, MAX_ROW_LABEL) + PAD;
}

/* Many labels make smaller cells rather than a window wider than the screen. */
static double
min_cell (WlHeatmap *self)
{
  return CLAMP (floor (MIN_GRID / MAX (self->n_labels, 1)), TINY_CELL, MIN_CELL);
}

static double
cell_for_width (WlHeatmap *self,
                double     width)
{
  if (self->n_labels == 0)
    return MIN_CELL;
  return floor (CLAMP ((width - left_width (self)) / self->n_labels, min_cell (self), MAX_CELL));
}

/* With cells smaller than a line of text, label every few rows only. */
static guint
label_stride (WlHeatmap      *self,
              const Geometry *g)
{
  return MAX (1, (guint) ceil (self->line_height / g->cell));
}

static void
compute_geometry (WlHeatmap *self,
                  double     width,
                  Geometry  *g)
{
  double left = left_width (self);

  g->cell = cell_for_width (self, width);
  g->row_label = MIN (self->label_width, MAX_ROW_LABEL);
  g->rotated = self->label_width > g->cell - 2 * CELL_GAP;
  g->col_label = g->rotated ? MIN (self->label_width, MAX_COL_LABEL) : self->line_height;
  g->x0 = left + MAX (0.0, floor ((width - left - self->n_labels * g->cell) / 2));
  g->y0 = self->line_height + PAD + g->col_label + PAD;
}

static GtkSizeRequestMode
wl_heatmap_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
wl_heatmap_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  WlHeatmap *self = WL_HEATMAP (widget);
  Geometry g;

  if (self->n_labels == 0)
    {
      *minimum = *natural = 0;
      return;
    }
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) ceil (left_width (self) + self->n_labels * min_cell (self));
      *natural = (int) ceil (left_width (self) + self->n_labels * MAX_CELL);
      return;
    }
  compute_geometry (self, for_size < 0 ? left_width (self) + self->n_labels * MAX_CELL : for_size, &g);
  *minimum = *natural = (int) ceil (g.y0 + self->n_labels * g.cell);
}

/* Hit testing */

static gboolean
cell_at (WlHeatmap *self,
         double     x,
         double     y,
         guint     *row,
         guint     *col)
{
  Geometry g;
  double c, r;

  if (self->n_labels == 0)
    return FALSE;
  compute_geometry (self, gtk_widget_get_width (GTK_WIDGET (self)), &g);
  c = floor ((x - g.x0) / g.cell);
  r = floor ((y - g.y0) / g.cell);
  if (c < 0 || r < 0 || c >= self->n_labels || r >= self->n_labels)
    return FALSE;
  *row = (guint) r;
  *col = (guint) c;
  return TRUE;
}

static double
row_share (WlHeatmap *self,
           guint      row,
           guint      col)
{
  guint64 total = self->row_totals[row];

  return total ? (double) self->counts[row * self->n_labels + col] / total : 0.0;
}

double
wl_heatmap_get_strength (WlHeatmap *self,
                         guint      truth,
                         guint      predicted)
{
  g_return_val_if_fail (WL_IS_HEATMAP (self), 0);
  g_return_val_if_fail (truth < self->n_labels && predicted < self->n_labels, 0);

  if (truth == predicted)
    return row_share (self, truth, predicted);
  return self->max_mistakes
         ? (double) self->counts[truth * self->n_labels + predicted] / self->max_mistakes : 0.0;
}

/* Drawing */

static GdkRGBA
with_alpha (const GdkRGBA *color,
            double         alpha)
{
  GdkRGBA c = *color;

  c.alpha *= alpha;
  return c;
}

static void
draw_layout (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             double         x,
             double         y,
             double         angle,
             const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  if (angle != 0)
    gtk_snapshot_rotate (snapshot, angle);
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
draw_outline (GtkSnapshot           *snapshot,
              const graphene_rect_t *rect,
              double                 width,
              const GdkRGBA         *color)
{
  GskRoundedRect outline;
  GdkRGBA colors[4] = { *color, *color, *color, *color };
  float widths[4] = { width, width, width, width };

  gsk_rounded_rect_init_from_rect (&outline, rect, CELL_RADIUS);
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);
}

static void
draw_axes (WlHeatmap      *self,
           GtkSnapshot    *snapshot,
           const Geometry *g,
           const WlChartColors *c)
{
  double grid = self->n_labels * g->cell;
  g_autoptr(PangoLayout) predicted = make_layout (self, self->column_title, grid, FALSE);
  g_autoptr(PangoLayout) truth = make_layout (self, self->row_title, grid, FALSE);
  GdkRGBA dim = with_alpha (&c->fg, 0.55);

  pango_layout_set_alignment (predicted, PANGO_ALIGN_CENTER);
  pango_layout_set_alignment (truth, PANGO_ALIGN_CENTER);
  draw_layout (snapshot, predicted, g->x0, 0, 0, &dim);
  draw_layout (snapshot, truth, g->x0 - g->row_label - PAD - self->line_height - PAD,
               g->y0 + grid, -90, &dim);

  for (guint i = 0; i < self->n_labels; i += label_stride (self, g))
    {
      g_autoptr(PangoLayout) row = make_layout (self, self->labels[i], g->row_label, FALSE);
      g_autoptr(PangoLayout) col = NULL;
      GdkRGBA row_color = with_alpha (&c->fg, (int) i == self->hover_row ? 1.0 : 0.75);
      GdkRGBA col_color = with_alpha (&c->fg, (int) i == self->hover_col ? 1.0 : 0.75);
      double mid = g->cell * (i + 0.5);

      pango_layout_set_alignment (row, PANGO_ALIGN_RIGHT);
      draw_layout (snapshot, row, g->x0 - PAD - g->row_label,
                   g->y0 + mid - self->line_height / 2, 0, &row_color);
      if (g->rotated)
        {
          col = make_layout (self, self->labels[i], g->col_label, FALSE);
          draw_layout (snapshot, col, g->x0 + mid - self->line_height / 2, g->y0 - PAD,
                       -90, &col_color);
        }
      else
        {
          col = make_layout (self, self->labels[i], g->cell, FALSE);
          pango_layout_set_alignment (col, PANGO_ALIGN_CENTER);
          draw_layout (snapshot, col, g->x0 + g->cell * i, g->y0 - PAD - g->col_label,
                       0, &col_color);
        }
    }
}

/* A cell's fill and text colours: the accent on the diagonal, the error
 * colour off it, as strong as the cell (wl_heatmap_get_strength()); an
 * empty cell is a faint shade of the text colour. */
static void
cell_colors (WlHeatmap *self,
             guint      row,
             guint      col,
             GdkRGBA   *fill,
             GdkRGBA   *text)
{
  const WlChartColors *c = &self->colors;
  guint64 count = self->counts[row * self->n_labels + col];
  double alpha = count ? 0.15 + 0.85 * wl_heatmap_get_strength (self, row, col) : 0.05;
  gboolean diagonal = row == col;
  const GdkRGBA *bg = count == 0 ? &c->fg : diagonal ? &c->accent_bg : &c->error_bg;

  *fill = with_alpha (bg, alpha);
  *text = alpha >= 0.6 ? (diagonal ? c->accent_fg : c->error_fg) : c->fg;
}

static void
draw_cell (WlHeatmap      *self,
           GtkSnapshot    *snapshot,
           const Geometry *g,
           const WlChartColors *c,
           guint           row,
           guint           col)
{
  guint64 count = self->counts[row * self->n_labels + col];
  GdkRGBA fill, text;
  graphene_rect_t rect = GRAPHENE_RECT_INIT (g->x0 + col * g->cell + CELL_GAP / 2,
                                             g->y0 + row * g->cell + CELL_GAP / 2,
                                             g->cell - CELL_GAP, g->cell - CELL_GAP);
  GskRoundedRect clip;
  g_autofree char *label = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  g_autoptr(PangoLayout) layout = make_layout (self, label, -1, TRUE);
  int w, h;

  cell_colors (self, row, col, &fill, &text);
  gsk_rounded_rect_init_from_rect (&clip, &rect, CELL_RADIUS);
  gtk_snapshot_push_rounded_clip (snapshot, &clip);
  gtk_snapshot_append_color (snapshot, &fill, &rect);
  gtk_snapshot_pop (snapshot);

  pango_layout_get_pixel_size (layout, &w, &h);
  if (w <= rect.size.width - 2 * CELL_GAP && h <= rect.size.height)
    {
      if (count == 0)
        text.alpha *= 0.5;
      draw_layout (snapshot, layout, rect.origin.x + (rect.size.width - w) / 2,
                   rect.origin.y + (rect.size.height - h) / 2, 0, &text);
    }

  if ((int) row == self->hover_row && (int) col == self->hover_col)
    {
      GdkRGBA border = with_alpha (&c->fg, 0.8);

      draw_outline (snapshot, &rect, 2, &border);
    }
  if (row == self->focus_row && col == self->focus_col &&
      gtk_widget_has_visible_focus (GTK_WIDGET (self)))
    {
      graphene_rect_t ring;

      graphene_rect_inset_r (&rect, -1, -1, &ring);
      draw_outline (snapshot, &ring, 2, &c->accent);
    }
}

static void
wl_heatmap_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  WlHeatmap *self = WL_HEATMAP (widget);
  Geometry g;

  if (self->n_labels == 0)
    return;
  compute_geometry (self, gtk_widget_get_width (widget), &g);
  draw_axes (self, snapshot, &g, &self->colors);
  for (guint row = 0; row < self->n_labels; row++)
    for (guint col = 0; col < self->n_labels; col++)
      draw_cell (self, snapshot, &g, &self->colors, row, col);
}

static void
wl_heatmap_css_changed (GtkWidget         *widget,
                        GtkCssStyleChange *change)
{
  WlHeatmap *self = WL_HEATMAP (widget);
  PangoFontDescription *font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  g_autofree char *name = pango_font_description_to_string (font);

  GTK_WIDGET_CLASS (wl_heatmap_parent_class)->css_changed (widget, change);
  /* Colours once per style change, not per snapshot; a new font needs new
   * sizes. */
  wl_chart_colors_lookup (widget, &self->colors);
  if (g_strcmp0 (name, self->font) != 0)
    {
      g_free (self->font);
      self->font = g_steal_pointer (&name);
      self->label_width = -1;
      gtk_widget_queue_resize (widget);
    }
  gtk_widget_queue_draw (widget);
}

/* Tooltips */

static gboolean
wl_heatmap_query_tooltip (GtkWidget  *widget,
                          int         x,
                          int         y,
                          gboolean    keyboard,
                          GtkTooltip *tooltip)
{
  WlHeatmap *self = WL_HEATMAP (widget);
  g_autofree char *text = NULL;
  g_autofree char *number = NULL;
  guint64 count;
  guint row, col;
  Geometry g;

  if (self->n_labels == 0)
    return FALSE;
  if (keyboard)
    {
      row = self->focus_row;
      col = self->focus_col;
    }
  else if (!cell_at (self, x, y, &row, &col))
    {
      /* Over an axis label: its full name. */
      compute_geometry (self, gtk_widget_get_width (widget), &g);
      if (x < g.x0 && y >= g.y0 && y < g.y0 + self->n_labels * g.cell)
        text = g_strdup (self->labels[(guint) ((y - g.y0) / g.cell)]);
      else if (y < g.y0 && x >= g.x0 && x < g.x0 + self->n_labels * g.cell)
        text = g_strdup (self->labels[(guint) ((x - g.x0) / g.cell)]);
      if (text == NULL)
        return FALSE;
      gtk_tooltip_set_text (tooltip, text);
      return TRUE;
    }

  count = self->counts[row * self->n_labels + col];
  number = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  /* Translators: a confusion matrix cell, "sport → food: 12 texts (4.1 % of sport)";
   * the first %s is the true label, the second the predicted one. */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s → %s: %s text (%.1f %% of %s)",
                                       "%s → %s: %s texts (%.1f %% of %s)", count),
                          self->labels[row], self->labels[col], number,
                          100 * row_share (self, row, col), self->labels[row]);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* Input */

static void
set_hover (WlHeatmap *self,
           int        row,
           int        col)
{
  if (row == self->hover_row && col == self->hover_col)
    return;
  self->hover_row = row;
  self->hover_col = col;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), row >= 0 ? "pointer" : NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           WlHeatmap                *self)
{
  guint row, col;

  if (cell_at (self, x, y, &row, &col))
    set_hover (self, row, col);
  else
    set_hover (self, -1, -1);
}

static void
on_leave (GtkEventControllerMotion *motion,
          WlHeatmap                *self)
{
  set_hover (self, -1, -1);
}

static void
activate_cell (WlHeatmap *self,
               guint      row,
               guint      col)
{
  self->focus_row = row;
  self->focus_col = col;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[CELL_ACTIVATED], 0, row, col);
}

static void
on_released (GtkGestureClick *click,
             int              n_press,
             double           x,
             double           y,
             WlHeatmap       *self)
{
  guint row, col;

  if (!cell_at (self, x, y, &row, &col))
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self));
  activate_cell (self, row, col);
}

static gboolean
on_key_pressed (GtkEventControllerKey *key,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                WlHeatmap             *self)
{
  int row = self->focus_row, col = self->focus_col;

  if (self->n_labels == 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left: case GDK_KEY_KP_Left:   col--; break;
    case GDK_KEY_Right: case GDK_KEY_KP_Right: col++; break;
    case GDK_KEY_Up: case GDK_KEY_KP_Up:       row--; break;
    case GDK_KEY_Down: case GDK_KEY_KP_Down:   row++; break;
    case GDK_KEY_Return: case GDK_KEY_KP_Enter: case GDK_KEY_ISO_Enter:
    case GDK_KEY_space: case GDK_KEY_KP_Space:
      activate_cell (self, row, col);
      return TRUE;
    default:
      return FALSE;
    }
  /* At an edge the key goes on to move the focus out of the map. */
  if (row < 0 || col < 0 || row >= (int) self->n_labels || col >= (int) self->n_labels)
    return FALSE;
  self->focus_row = row;
  self->focus_col = col;
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

/* Object */

static void
wl_heatmap_finalize (GObject *object)
{
  WlHeatmap *self = WL_HEATMAP (object);

  g_strfreev (self->labels);
  g_free (self->counts);
  g_free (self->row_totals);
  g_free (self->font);
  g_free (self->row_title);
  g_free (self->column_title);
  G_OBJECT_CLASS (wl_heatmap_parent_class)->finalize (object);
}

static void
wl_heatmap_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  WlHeatmap *self = WL_HEATMAP (object);

  switch (prop_id)
    {
    case PROP_ROW_TITLE:
      g_value_set_string (value, self->row_title);
      break;
    case PROP_COLUMN_TITLE:
      g_value_set_string (value, self->column_title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_heatmap_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  WlHeatmap *self = WL_HEATMAP (object);

  switch (prop_id)
    {
    case PROP_ROW_TITLE:
      wl_heatmap_set_row_title (self, g_value_get_string (value));
      break;
    case PROP_COLUMN_TITLE:
      wl_heatmap_set_column_title (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_heatmap_class_init (WlHeatmapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = wl_heatmap_get_property;
  object_class->set_property = wl_heatmap_set_property;
  object_class->finalize = wl_heatmap_finalize;
  widget_class->get_request_mode = wl_heatmap_get_request_mode;
  widget_class->measure = wl_heatmap_measure;
  widget_class->snapshot = wl_heatmap_snapshot;
  widget_class->css_changed = wl_heatmap_css_changed;
  widget_class->query_tooltip = wl_heatmap_query_tooltip;

  /* ::cell-activated (guint truth, guint predicted): a cell was clicked,
   * or Enter or Space pressed on the focus cell. */
  signals[CELL_ACTIVATED] =
    g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  /* The captions of the rows' axis (the true labels) and the columns'
   * (the predictions). */
  properties[PROP_ROW_TITLE] =
    g_param_spec_string ("row-title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLUMN_TITLE] =
    g_param_spec_string ("column-title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "heatmap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wl_heatmap_init (WlHeatmap *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->labels = g_new0 (char *, 1);
  self->row_title = g_strdup (_("True Label"));
  self->column_title = g_strdup (_("Predicted"));
  self->label_width = -1;
  self->hover_row = self->hover_col = -1;

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (click, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  wl_chart_colors_install (GTK_WIDGET (self));
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Confusion matrix"), -1);
}

GtkWidget *
wl_heatmap_new (void)
{
  return g_object_new (WL_TYPE_HEATMAP, NULL);
}

void
wl_heatmap_set_data (WlHeatmap          *self,
                     guint               n_labels,
                     const char * const *labels,
                     const guint64      *counts)
{
  g_return_if_fail (WL_IS_HEATMAP (self));
  g_return_if_fail (n_labels == 0 || (labels != NULL && counts != NULL));

  g_strfreev (self->labels);
  g_free (self->counts);
  g_free (self->row_totals);
  self->n_labels = n_labels;
  self->labels = g_new0 (char *, n_labels + 1);
  for (guint i = 0; i < n_labels; i++)
    self->labels[i] = g_strdup (labels[i]);
  self->counts = g_memdup2 (counts, sizeof (guint64) * n_labels * n_labels);
  self->row_totals = g_new0 (guint64, n_labels);
  self->max_mistakes = 0;
  for (guint i = 0; i < n_labels * n_labels; i++)
    {
      self->row_totals[i / n_labels] += counts[i];
      if (i / n_labels != i % n_labels)
        self->max_mistakes = MAX (self->max_mistakes, counts[i]);
    }
  self->label_width = -1;
  self->hover_row = self->hover_col = -1;
  self->focus_row = self->focus_col = 0;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
wl_heatmap_set_row_title (WlHeatmap  *self,
                          const char *title)
{
  g_return_if_fail (WL_IS_HEATMAP (self));

  if (!wl_set_str (&self->row_title, title))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROW_TITLE]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wl_heatmap_set_column_title (WlHeatmap  *self,
                             const char *title)
{
  g_return_if_fail (WL_IS_HEATMAP (self));

  if (!wl_set_str (&self->column_title, title))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLUMN_TITLE]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
wl_heatmap_get_cell_color (WlHeatmap *self,
                           guint      truth,
                           guint      predicted,
                           GdkRGBA   *fill)
{
  GdkRGBA text;

  g_return_if_fail (WL_IS_HEATMAP (self));
  g_return_if_fail (truth < self->n_labels && predicted < self->n_labels);
  g_return_if_fail (fill != NULL);

  cell_colors (self, truth, predicted, fill, &text);
}

guint
wl_heatmap_get_n_labels (WlHeatmap *self)
{
  g_return_val_if_fail (WL_IS_HEATMAP (self), 0);
  return self->n_labels;
}

guint64
wl_heatmap_get_count (WlHeatmap *self,
                      guint      truth,
                      guint      predicted)
{
  g_return_val_if_fail (WL_IS_HEATMAP (self), 0);
  g_return_val_if_fail (truth < self->n_labels && predicted < self->n_labels, 0);
  return self->counts[truth * self->n_labels + predicted];
}
