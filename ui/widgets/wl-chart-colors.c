/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-chart-colors.c: the chart stylesheet and the colours looked up from
 * it (see the header). */
#include "config.h"

#include <adwaita.h>

#include "wl-chart-colors.h"

#define RESOURCE_DIR "/org/wordloom/Wordloom/widgets/"

/* The stylesheet of the style now: chart-colors[-hc][-dark].css. */
static void
load_stylesheet (GtkCssProvider  *provider,
                 AdwStyleManager *manager)
{
  g_autofree char *path = g_strconcat (RESOURCE_DIR "chart-colors",
                                       adw_style_manager_get_high_contrast (manager) ? "-hc" : "",
                                       adw_style_manager_get_dark (manager) ? "-dark" : "",
                                       ".css", NULL);

  gtk_css_provider_load_from_resource (provider, path);
}

static void
on_style_changed (AdwStyleManager *manager,
                  GParamSpec      *pspec,
                  GtkCssProvider  *provider)
{
  load_stylesheet (provider, manager);
}

void
wl_chart_colors_install (GtkWidget *widget)
{
  GdkDisplay *display;
  AdwStyleManager *manager;
  GtkCssProvider *provider;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  display = gtk_widget_get_display (widget);
  if (g_object_get_data (G_OBJECT (display), "wl-chart-colors") != NULL)
    return;
  manager = adw_style_manager_get_for_display (display);
  provider = gtk_css_provider_new ();
  load_stylesheet (provider, manager);
  /* Above libadwaita's own, below the user's. */
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_signal_connect_object (manager, "notify::dark", G_CALLBACK (on_style_changed), provider, 0);
  g_signal_connect_object (manager, "notify::high-contrast", G_CALLBACK (on_style_changed),
                           provider, 0);
  g_object_set_data_full (G_OBJECT (display), "wl-chart-colors", provider, g_object_unref);
}

static GdkRGBA
with_alpha (const GdkRGBA *color,
            float          alpha)
{
  GdkRGBA c = *color;

  c.alpha *= alpha;
  return c;
}

void
wl_chart_colors_lookup (GtkWidget     *widget,
                        WlChartColors *colors)
{
  GtkStyleContext *style;
  gboolean hc;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (colors != NULL);

  style = gtk_widget_get_style_context (widget);
  hc = adw_style_manager_get_high_contrast (adw_style_manager_get_for_display (
                                              gtk_widget_get_display (widget)));
  colors->high_contrast = hc;
  gtk_style_context_get_color (style, &colors->fg);
  colors->dim = with_alpha (&colors->fg, hc ? 0.85f : 0.6f);
  colors->grid = with_alpha (&colors->fg, hc ? 0.3f : 0.1f);
  colors->axis = with_alpha (&colors->fg, hc ? 0.7f : 0.35f);
  colors->shade = with_alpha (&colors->fg, hc ? 0.14f : 0.06f);
  /* libadwaita names these in every style; a bare GTK theme may not. */
  if (!gtk_style_context_lookup_color (style, "accent_color", &colors->accent))
    colors->accent = colors->fg;
  if (!gtk_style_context_lookup_color (style, "popover_bg_color", &colors->popover))
    colors->popover = (GdkRGBA) { 1 - colors->fg.red, 1 - colors->fg.green, 1 - colors->fg.blue, 1 };
  for (guint i = 0; i < WL_CHART_N_SERIES_COLORS; i++)
    {
      char name[16];

      g_snprintf (name, sizeof name, "chart_%u", i + 1);
      if (!gtk_style_context_lookup_color (style, name, &colors->series[i]))
        colors->series[i] = colors->accent;
    }
  if (!gtk_style_context_lookup_color (style, "accent_bg_color", &colors->accent_bg))
    colors->accent_bg = colors->accent;
  if (!gtk_style_context_lookup_color (style, "accent_fg_color", &colors->accent_fg))
    colors->accent_fg = colors->popover;
  if (!gtk_style_context_lookup_color (style, "error_bg_color", &colors->error_bg))
    colors->error_bg = colors->series[4];   /* chart_5, red */
  if (!gtk_style_context_lookup_color (style, "error_fg_color", &colors->error_fg))
    colors->error_fg = colors->popover;
}

const GdkRGBA *
wl_chart_colors_series (const WlChartColors *colors,
                        guint                index)
{
  return &colors->series[index % WL_CHART_N_SERIES_COLORS];
}
