/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-advice-chart.c: one row per candidate: its name, then a bar whose
 * first part (dim) is preprocessing and second part (accent) training
 * and evaluation, then the total.  Names and text are snapshot nodes
 * (wl-chart-text.h), the bars Cairo; the lengths are normalised to 0..1 when
 * set, the colours looked up when the style changes. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "wl-advice-chart.h"
#include "wl-chart-colors.h"
#include "wl-chart-text.h"
#include "wl-set-str.h"

#define ROW      24      /* height of a row */
#define BAR      14      /* height of a bar */
#define NAME_W   190     /* room for the names */
#define TOTAL_W  96      /* room for the totals */
#define PAD      6

typedef struct
{
  char   *name;
  char   *total;       /* "41 s" */
  double  preprocess;  /* 0..1 of the longest bar */
  double  train;
} Bar;

struct _WlAdviceChart
{
  GtkWidget  parent_instance;

  GArray        *bars;     /* Bar */
  guint          pick;
  char          *title;
  WlChartColors  colors;   /* of the style now */
};

G_DEFINE_FINAL_TYPE (WlAdviceChart, wl_advice_chart, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TITLE,
  PROP_PICK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
bar_clear (Bar *bar)
{
  g_free (bar->name);
  g_free (bar->total);
}

/* A name or a total, ellipsized to the names' room, centred on @y. */
static void
draw_text (WlAdviceChart *self,
           GtkSnapshot   *snapshot,
           const char    *string,
           double         x,
           double         y,
           gboolean       bold,
           const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = wl_chart_text_new (GTK_WIDGET (self), string,
                                                     bold ? WL_CHART_TEXT_BOLD : WL_CHART_TEXT_NORMAL);

  pango_layout_set_width (layout, NAME_W * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  wl_chart_text_draw_at (snapshot, layout, x, y, 0.0, color);
}

static void
wl_advice_chart_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  WlAdviceChart *self = WL_ADVICE_CHART (widget);
  const WlChartColors *c = &self->colors;
  double plot_w = gtk_widget_get_width (widget) - NAME_W - TOTAL_W - 2 * PAD;
  cairo_t *cr;

  if (self->bars->len == 0 || plot_w <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                                   gtk_widget_get_height (widget)));
  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *b = &g_array_index (self->bars, Bar, i);
      double y = i * ROW + (ROW - BAR) / 2.0, x = NAME_W + PAD;

      gdk_cairo_set_source_rgba (cr, &c->axis);
      cairo_rectangle (cr, x, y, MAX (b->preprocess * plot_w, 1.0), BAR);
      cairo_fill (cr);
      gdk_cairo_set_source_rgba (cr, i == self->pick ? &c->accent : &c->dim);
      cairo_rectangle (cr, x + b->preprocess * plot_w, y, MAX (b->train * plot_w, 1.0), BAR);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  for (guint i = 0; i < self->bars->len; i++)
    {
      const Bar *b = &g_array_index (self->bars, Bar, i);
      double mid = i * ROW + ROW / 2.0;
      g_autofree char *name = i == self->pick ? g_strdup_printf ("★ %s", b->name) : g_strdup (b->name);

      draw_text (self, snapshot, name, 0, mid, i == self->pick, i == self->pick ? &c->fg : &c->dim);
      draw_text (self, snapshot, b->total, NAME_W + 2 * PAD + (b->preprocess + b->train) * plot_w,
                 mid, i == self->pick, i == self->pick ? &c->fg : &c->dim);
    }
}

static void
wl_advice_chart_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  WlAdviceChart *self = WL_ADVICE_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = NAME_W + TOTAL_W + 2 * PAD + 80;
      *natural = NAME_W + TOTAL_W + 2 * PAD + 320;
    }
  else
    *minimum = *natural = ROW * self->bars->len;
}

static void
wl_advice_chart_css_changed (GtkWidget         *widget,
                             GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (wl_advice_chart_parent_class)->css_changed (widget, change);
  wl_chart_colors_lookup (widget, &WL_ADVICE_CHART (widget)->colors);
  gtk_widget_queue_draw (widget);
}

static void
wl_advice_chart_finalize (GObject *object)
{
  WlAdviceChart *self = WL_ADVICE_CHART (object);

  g_array_unref (self->bars);
  g_free (self->title);
  G_OBJECT_CLASS (wl_advice_chart_parent_class)->finalize (object);
}

static void
wl_advice_chart_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  WlAdviceChart *self = WL_ADVICE_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_PICK:
      g_value_set_uint (value, self->pick);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_advice_chart_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  WlAdviceChart *self = WL_ADVICE_CHART (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      wl_advice_chart_set_title (self, g_value_get_string (value));
      break;
    case PROP_PICK:
      wl_advice_chart_set_pick (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_advice_chart_class_init (WlAdviceChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = wl_advice_chart_get_property;
  object_class->set_property = wl_advice_chart_set_property;
  object_class->finalize = wl_advice_chart_finalize;
  widget_class->measure = wl_advice_chart_measure;
  widget_class->snapshot = wl_advice_chart_snapshot;
  widget_class->css_changed = wl_advice_chart_css_changed;
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PICK] =
    g_param_spec_uint ("pick", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_css_name (widget_class, "advicechart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wl_advice_chart_init (WlAdviceChart *self)
{
  self->bars = g_array_new (FALSE, FALSE, sizeof (Bar));
  g_array_set_clear_func (self->bars, (GDestroyNotify) bar_clear);
  wl_chart_colors_install (GTK_WIDGET (self));
}

GtkWidget *
wl_advice_chart_new (void)
{
  return g_object_new (WL_TYPE_ADVICE_CHART, NULL);
}

/* "41 s", "3 min 10 s" */
static char *
format_seconds (double s)
{
  if (s < 9.95)
    return g_strdup_printf (_("%.1f s"), s);
  if (s < 59.5)
    return g_strdup_printf (_("%.0f s"), s);
  return g_strdup_printf (_("%d min %02d s"), (int) (s + 0.5) / 60, (int) (s + 0.5) % 60);
}

void
wl_advice_chart_set_bars (WlAdviceChart      *self,
                          const char * const *names,
                          const double       *preprocess,
                          const double       *train,
                          guint               n_bars,
                          guint               pick)
{
  double longest = 0.0;

  g_return_if_fail (WL_IS_ADVICE_CHART (self));
  g_return_if_fail (n_bars == 0 || (names != NULL && preprocess != NULL && train != NULL));

  g_array_set_size (self->bars, 0);
  for (guint i = 0; i < n_bars; i++)
    longest = MAX (longest, preprocess[i] + train[i]);
  for (guint i = 0; i < n_bars; i++)
    {
      Bar bar = {
        .name = g_strdup (names[i]),
        .total = format_seconds (preprocess[i] + train[i]),
        .preprocess = longest > 0 ? preprocess[i] / longest : 0.0,
        .train = longest > 0 ? train[i] / longest : 0.0,
      };

      g_array_append_val (self->bars, bar);
    }
  wl_advice_chart_set_pick (self, pick);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
wl_advice_chart_get_n_bars (WlAdviceChart *self)
{
  g_return_val_if_fail (WL_IS_ADVICE_CHART (self), 0);
  return self->bars->len;
}

void
wl_advice_chart_set_pick (WlAdviceChart *self,
                          guint          pick)
{
  g_return_if_fail (WL_IS_ADVICE_CHART (self));

  if (self->pick == pick)
    return;
  self->pick = pick;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PICK]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
wl_advice_chart_get_pick (WlAdviceChart *self)
{
  g_return_val_if_fail (WL_IS_ADVICE_CHART (self), 0);
  return self->pick;
}

void
wl_advice_chart_set_title (WlAdviceChart *self,
                           const char    *title)
{
  g_return_if_fail (WL_IS_ADVICE_CHART (self));

  if (!wl_set_str (&self->title, title))
    return;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
wl_advice_chart_get_title (WlAdviceChart *self)
{
  g_return_val_if_fail (WL_IS_ADVICE_CHART (self), NULL);
  return self->title;
}
