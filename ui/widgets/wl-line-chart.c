/* wl-line-chart.c: placeholder until the chart is written. */
#include "wl-line-chart.h"

struct _WlLineChart
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (WlLineChart, wl_line_chart, GTK_TYPE_WIDGET)

static void wl_line_chart_class_init (WlLineChartClass *klass) { }
static void wl_line_chart_init (WlLineChart *self) { }
GtkWidget *wl_line_chart_new (void) { return g_object_new (WL_TYPE_LINE_CHART, NULL); }
