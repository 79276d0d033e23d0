/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-resources-page.c: the Resources page: CPU, memory, GPU and the run's
 * stages and loss, live, on one time axis.
 *
 * A WlMonitor samples on its own thread for as long as the page exists and
 * hands samples to the main loop; the page appends them to charts and hands
 * them to the session, which records them with the run.
 * x is seconds since the session's run started (before the first run: since
 * the page was made), the same x as the Train page's loss chart, so a new
 * run clears the charts.  The run's stages come from the session's
 * ::run-event and are drawn as spans on every chart.
 *
 * The "range" property (the resources.range action, the buttons above the
 * charts) picks the time the charts show: "run" from the run's start to
 * its end once it ended (everything before that), "recent" the last five
 * minutes, "all" everything sampled since the run started.  Sampling goes
 * on after a run, so the cards stay live.
 *
 * Wordloom's own CPU time is drawn by kind of work beside the machine's:
 * the window (the main thread), the run's work threads split by the stage
 * that was running (reading and cleaning, or training), and the rest.
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "monitor/wl-monitor.h"
#include "widgets/wl-line-chart.h"
#include "widgets/wl-stage-table.h"
#include "widgets/wl-verdict-view.h"
#include "wl-resources-page.h"
#include "wl-stage-label.h"

#define GIB (1024.0 * 1024.0 * 1024.0)
#define RECENT_SECONDS (5 * 60.0)

/* The series of the process chart. */
enum
{
  PROCESS_SYSTEM,
  PROCESS_WINDOW,
  PROCESS_CLEANING,
  PROCESS_TRAINING,
  PROCESS_OTHER,
};

enum
{
  PROP_0,
  PROP_RANGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A stage of the run as a span on the time axis. */
typedef struct
{
  WlStage stage;
  double  x0, x1;                  /* x1 < x0: still going */
} StageSpan;

struct _WlResourcesPage
{
  AdwBin               parent_instance;

  WlSession           *session;
  WlMonitor           *monitor;
  gint64               origin;     /* monotonic µs at x = 0 */
  double               run_end;    /* x where the run ended; < 0 before */
  gboolean             end_sample; /* run_end moves to the sample asked for at the end */
  char                *range;      /* "run", "recent", "all" */
  GPtrArray           *charts;     /* WlLineChart *: every chart that shows the stages */
  GArray              *spans;      /* StageSpan, in order */
  guint                n_core_series;
  guint                n_gpus;
  gboolean             have_sample;
  guint                train_loss_series;
  guint                valid_loss_series;

  /* Template children */
  GtkLabel            *cpu_label;
  GtkLabel            *cpu_caption;
  GtkLabel            *rss_label;
  GtkLabel            *used_label;
  GtkLabel            *used_caption;
  GtkLabel            *gpu_label;
  GtkLabel            *gpu_caption;
  GtkLabel            *cost_label;
  GtkLabel            *problem_label;
  WlLineChart         *cpu_chart;
  WlLineChart         *process_chart;
  WlLineChart         *loss_chart;
  WlLineChart         *memory_chart;
  WlStageTable        *stage_table;
  WlVerdictView       *verdict_view;
  GtkBox              *gpu_box;
  GtkLabel            *gpu_status_label;
};

G_DEFINE_FINAL_TYPE (WlResourcesPage, wl_resources_page, ADW_TYPE_BIN)

static double
x_of (WlResourcesPage *self,
      gint64           time)
{
  return (double) (time - self->origin) / G_USEC_PER_SEC;
}

static void
set_text (GtkLabel *label,
          char     *text)
{
  gtk_label_set_text (label, text);
  g_free (text);
}

/* Stages as spans */

static void
add_spans_to_chart (WlResourcesPage *self,
                    WlLineChart     *chart)
{
  for (guint i = 0; i < self->spans->len; i++)
    {
      const StageSpan *span = &g_array_index (self->spans, StageSpan, i);

      wl_line_chart_add_span (chart, span->x0, span->x1,
                              wl_stage_label (span->stage));
    }
}

static const char *
time_caption (WlResourcesPage *self)
{
  /* Translators: captions of the time axis, before the first run and after */
  return self->origin == wl_session_get_run_start (self->session)
    ? _("time since the run started") : _("time since Wordloom started");
}

static void
apply_range (WlResourcesPage *self,
             WlLineChart     *chart)
{
  gboolean whole_run = g_str_equal (self->range, "run") && self->run_end > 0;

  wl_line_chart_set_axis_range (chart, WL_CHART_AXIS_X, 0, whole_run ? self->run_end : 0);
  wl_line_chart_set_x_window (chart, g_str_equal (self->range, "recent") ? RECENT_SECONDS : 0);
}

static void
apply_range_to_all (WlResourcesPage *self)
{
  for (guint i = 0; i < self->charts->len; i++)
    apply_range (self, g_ptr_array_index (self->charts, i));
}

static void
track_chart (WlResourcesPage *self,
             WlLineChart     *chart)
{
  wl_line_chart_set_time_axis (chart, TRUE);
  wl_line_chart_set_axis_label (chart, WL_CHART_AXIS_X, time_caption (self));
  add_spans_to_chart (self, chart);
  apply_range (self, chart);
  g_ptr_array_add (self->charts, chart);
}

static StageSpan *
open_span (WlResourcesPage *self)
{
  StageSpan *last;

  if (self->spans->len == 0)
    return NULL;
  last = &g_array_index (self->spans, StageSpan, self->spans->len - 1);
  return last->x1 < last->x0 ? last : NULL;
}

static void
close_span (WlResourcesPage *self,
            double           x)
{
  StageSpan *span = open_span (self);

  if (span == NULL)
    return;
  span->x1 = MAX (x, span->x0);
  for (guint i = 0; i < self->charts->len; i++)
    wl_line_chart_close_span (g_ptr_array_index (self->charts, i), span->x1);
}

static void
on_run_event (WlResourcesPage *self,
              const WlEvent   *event)
{
  StageSpan span;

  /* Samples at each stage's edges: a run shorter than the sampling
   * interval still has some (not while events are replayed at creation). */
  if (self->monitor != NULL &&
      (event->type == WL_EVENT_STAGE_STARTED || event->type == WL_EVENT_FINISHED ||
       event->type == WL_EVENT_FAILED || event->type == WL_EVENT_CANCELLED))
    wl_monitor_request_sample (self->monitor);

  switch (event->type)
    {
    case WL_EVENT_STAGE_STARTED:
      close_span (self, event->elapsed);
      span = (StageSpan) { event->stage, event->elapsed, -1.0 };
      g_array_append_val (self->spans, span);
      for (guint i = 0; i < self->charts->len; i++)
        wl_line_chart_add_span (g_ptr_array_index (self->charts, i), span.x0, span.x1,
                                wl_stage_label (span.stage));
      break;
    case WL_EVENT_STAGE_FINISHED:
      close_span (self, event->elapsed);
      wl_stage_table_set_seconds (self->stage_table, event->stage, event->seconds);
      break;
    case WL_EVENT_PROGRESS:
      if (event->stage == WL_STAGE_TRAIN && isfinite (event->train_loss))
        wl_line_chart_append (self->loss_chart, self->train_loss_series,
                              event->elapsed, event->train_loss);
      break;
    case WL_EVENT_EPOCH:
      if (isfinite (event->train_loss))
        wl_line_chart_append (self->loss_chart, self->train_loss_series,
                              event->elapsed, event->train_loss);
      if (isfinite (event->valid_loss))
        wl_line_chart_append (self->loss_chart, self->valid_loss_series,
                              event->elapsed, event->valid_loss);
      break;
    case WL_EVENT_FINISHED:
    case WL_EVENT_FAILED:
    case WL_EVENT_CANCELLED:
      close_span (self, event->elapsed);
      self->run_end = event->elapsed;
      self->end_sample = self->monitor != NULL;
      apply_range_to_all (self);
      break;
    case WL_EVENT_VERDICT:
      wl_verdict_view_set (self->verdict_view, &event->verdict);
      break;
    case WL_EVENT_MESSAGE:
    default:
      break;
    }
}

/* The running stage's seconds grow with every sample. */
static void
update_running_stage (WlResourcesPage *self,
                      gint64           now)
{
  StageSpan *span = open_span (self);

  if (span == NULL || !wl_session_is_busy (self->session))
    return;
  wl_stage_table_set_seconds (self->stage_table, span->stage, x_of (self, now) - span->x0);
}

/* A new run moves x = 0 to its start: the old curves would not line up. */
static void
on_state_changed (WlResourcesPage *self)
{
  gint64 run_start = wl_session_get_run_start (self->session);

  if (run_start == 0 || run_start == self->origin)
    return;
  self->origin = run_start;
  self->run_end = -1;
  self->end_sample = FALSE;
  g_array_set_size (self->spans, 0);
  for (guint i = 0; i < self->charts->len; i++)
    {
      wl_line_chart_clear (g_ptr_array_index (self->charts, i));
      wl_line_chart_set_axis_label (g_ptr_array_index (self->charts, i), WL_CHART_AXIS_X,
                                    time_caption (self));
    }
  wl_stage_table_reset (self->stage_table);
  wl_verdict_view_set (self->verdict_view, NULL);
  apply_range_to_all (self);
}

/* Samples */

static void
ensure_core_series (WlResourcesPage *self,
                    guint            n_cores)
{
  for (; self->n_core_series < n_cores; self->n_core_series++)
    {
      /* Translators: a processor core in the chart's legend; cores count from 1.
       * Machines with many cores get just the number, to keep the legend short. */
      g_autofree char *name = n_cores <= 8 ? g_strdup_printf (_("Core %u"), self->n_core_series + 1)
                                           : g_strdup_printf ("%u", self->n_core_series + 1);

      /* Colour 0 is the total's. */
      wl_line_chart_add_series (self->cpu_chart, name, WL_CHART_AXIS_LEFT,
                                1 + self->n_core_series % 6);
    }
}

/* The OpenCL device the session's run computes on, or NULL. */
static const char *
run_device (WlResourcesPage *self)
{
  WlRun *run = wl_session_get_run (self->session);
  const char *device = run != NULL ? wl_run_get_config (run)->model.device : NULL;

  return device != NULL && g_str_has_prefix (device, "opencl") ? device : NULL;
}

/* With no GPU counters: why, and what is known of the run's device. */
static void
show_gpu_status (WlResourcesPage       *self,
                 const WlMonitorSample *sample)
{
  const char *device = run_device (self);

  if (device == NULL)
    {
      gtk_label_set_text (self->gpu_label, "—");
      gtk_label_set_text (self->gpu_caption, _("No GPU counters"));
      gtk_label_set_text (self->gpu_status_label, sample->gpu_status);
      return;
    }
  /* Translators: the GPU card while a run computes on an OpenCL device
   * that reports no counters */
  gtk_label_set_text (self->gpu_label, _("OpenCL"));
  /* Translators: %s is a device id, "opencl:0:0" */
  set_text (self->gpu_caption, g_strdup_printf (wl_session_is_busy (self->session)
                                                ? _("Training on %s") : _("The run used %s"),
                                                device));
  /* Translators: %s is a device id, "opencl:0:0"; the last %s says why
   * no counters could be read */
  set_text (self->gpu_status_label,
            g_strdup_printf (_("The run computes on the OpenCL device %s (the Device row of the "
                               "Model page names it). Its driver gives no utilisation or memory "
                               "counters that Wordloom can read, so the stages and Wordloom's "
                               "processor time above show where the run's time went. %s"),
                             device, sample->gpu_status));
}

static void
build_gpu_charts (WlResourcesPage       *self,
                  const WlMonitorSample *sample)
{
  self->n_gpus = sample->n_gpus;
  gtk_widget_set_visible (GTK_WIDGET (self->gpu_status_label), sample->n_gpus == 0);
  if (sample->n_gpus == 0)
    return;
  for (guint i = 0; i < sample->n_gpus; i++)
    {
      const WlGpuSample *gpu = &sample->gpus[i];
      WlLineChart *chart = WL_LINE_CHART (wl_line_chart_new ());

      gtk_widget_set_size_request (GTK_WIDGET (chart), -1, 180);
      wl_line_chart_set_title (chart, gpu->name);
      wl_line_chart_set_axis_label (chart, WL_CHART_AXIS_LEFT, "%");
      wl_line_chart_set_axis_range (chart, WL_CHART_AXIS_LEFT, 0, 100);
      wl_line_chart_set_axis_label (chart, WL_CHART_AXIS_RIGHT, _("GiB"));
      if (gpu->memory_total > 0)
        wl_line_chart_set_axis_range (chart, WL_CHART_AXIS_RIGHT, 0, gpu->memory_total / GIB);
      wl_line_chart_add_series (chart, _("Busy"), WL_CHART_AXIS_LEFT, 0);
      wl_line_chart_add_series (chart, _("Memory used"), WL_CHART_AXIS_RIGHT, 1);
      gtk_box_append (self->gpu_box, GTK_WIDGET (chart));
      track_chart (self, chart);
    }
}

static WlLineChart *
gpu_chart (WlResourcesPage *self,
           guint            i)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->gpu_box));

  while (i-- > 0)
    child = gtk_widget_get_next_sibling (child);
  return WL_LINE_CHART (child);
}

static void
show_gpus (WlResourcesPage       *self,
           const WlMonitorSample *sample,
           double                 x)
{
  double busy_sum = 0;
  guint n_busy = 0;

  for (guint i = 0; i < MIN (sample->n_gpus, self->n_gpus); i++)
    {
      const WlGpuSample *gpu = &sample->gpus[i];
      WlLineChart *chart = gpu_chart (self, i);

      wl_line_chart_append (chart, 0, x, gpu->busy_percent >= 0 ? gpu->busy_percent : NAN);
      wl_line_chart_append (chart, 1, x, gpu->memory_total > 0 ? gpu->memory_used / GIB : NAN);
      if (gpu->busy_percent >= 0)
        {
          busy_sum += gpu->busy_percent;
          n_busy++;
        }
    }
  if (self->n_gpus == 0)
    {
      show_gpu_status (self, sample);
      return;
    }
  if (n_busy > 0)
    set_text (self->gpu_label, g_strdup_printf ("%.0f %%", busy_sum / n_busy));
  if (self->n_gpus == 1)
    gtk_label_set_text (self->gpu_caption, sample->gpus[0].name);
  else
    /* Translators: the caption of the average utilisation of all GPUs */
    set_text (self->gpu_caption, g_strdup_printf (ngettext ("%u GPU, average", "%u GPUs, average",
                                                            self->n_gpus), self->n_gpus));
}

static void
show_cost (WlResourcesPage       *self,
           const WlMonitorSample *sample)
{
  /* Translators: "Sampled every 0.5 s; sampling costs 0.03 % of a core." */
  set_text (self->cost_label,
            g_strdup_printf (_("Sampled every %.1f s; sampling costs %.2f %% of a core."),
                             WL_MONITOR_DEFAULT_INTERVAL_MS / 1000.0, sample->cost_percent));
}

/* Wordloom's CPU time by kind, beside the machine's; the work threads'
 * time goes to the series of the stage that was running. */
static void
show_process (WlResourcesPage       *self,
              const WlMonitorSample *sample,
              double                 x)
{
  const StageSpan *span = open_span (self);
  double work = sample->process_busy[WL_THREAD_WORK];
  gboolean cleaning = span != NULL && span->stage <= WL_STAGE_CLEAN;
  gboolean training = span != NULL && span->stage > WL_STAGE_CLEAN;

  wl_line_chart_append (self->process_chart, PROCESS_SYSTEM, x, sample->cpu_busy);
  if (!sample->have_process)
    return;
  wl_line_chart_append (self->process_chart, PROCESS_WINDOW, x,
                        sample->process_busy[WL_THREAD_WINDOW]);
  wl_line_chart_append (self->process_chart, PROCESS_CLEANING, x, cleaning ? work : NAN);
  wl_line_chart_append (self->process_chart, PROCESS_TRAINING, x, training ? work : NAN);
  wl_line_chart_append (self->process_chart, PROCESS_OTHER, x,
                        sample->process_busy[WL_THREAD_OTHER]);
}

static void
on_sample (const WlMonitorSample *sample,
           gpointer               user_data)
{
  WlResourcesPage *self = user_data;
  double x = x_of (self, sample->time);
  g_autofree char *total = NULL;

  /* The page's monitor is the window's only one: the run records its samples. */
  wl_session_add_resource_sample (self->session, sample);
  if (x < 0)
    return;   /* read before the run started */

  if (!self->have_sample)
    {
      build_gpu_charts (self, sample);
      self->have_sample = TRUE;
    }

  ensure_core_series (self, sample->n_cores);
  if (sample->n_cores > 0)
    {
      wl_line_chart_append (self->cpu_chart, 0, x, sample->cpu_busy);
      for (guint i = 0; i < sample->n_cores; i++)
        wl_line_chart_append (self->cpu_chart, 1 + i, x, sample->core_busy[i]);
      set_text (self->cpu_label, g_strdup_printf ("%.0f %%", sample->cpu_busy));
      set_text (self->cpu_caption, g_strdup_printf (ngettext ("Processor, %u core",
                                                              "Processor, %u cores",
                                                              sample->n_cores),
                                                    sample->n_cores));
      show_process (self, sample, x);
    }

  if (sample->memory.system_total > 0)
    {
      /* One axis, one unit: Wordloom's memory is part of the system's. */
      wl_line_chart_set_axis_limits (self->memory_chart, WL_CHART_AXIS_LEFT,
                                     0, sample->memory.system_total / GIB);
      wl_line_chart_append (self->memory_chart, 0, x, sample->memory.system_used / GIB);
      wl_line_chart_append (self->memory_chart, 1, x, sample->memory.process_rss / GIB);
      set_text (self->rss_label, g_format_size_full (sample->memory.process_rss,
                                                     G_FORMAT_SIZE_IEC_UNITS));
      set_text (self->used_label, g_format_size_full (sample->memory.system_used,
                                                      G_FORMAT_SIZE_IEC_UNITS));
      total = g_format_size_full (sample->memory.system_total, G_FORMAT_SIZE_IEC_UNITS);
      /* Translators: %s is the machine's memory ("15.6 GiB") */
      set_text (self->used_caption, g_strdup_printf (_("System, of %s"), total));
    }

  /* "This run" takes in the sample read as the run ended. */
  if (self->end_sample && x >= self->run_end)
    {
      self->end_sample = FALSE;
      self->run_end = x;
      apply_range_to_all (self);
    }

  show_gpus (self, sample, x);
  /* Every chart reaches now, also those fed by the run's events. */
  for (guint i = 0; i < self->charts->len; i++)
    wl_line_chart_set_now (g_ptr_array_index (self->charts, i), x);
  show_cost (self, sample);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), sample->problem != NULL);
  if (sample->problem != NULL)
    gtk_label_set_text (self->problem_label, sample->problem);
  update_running_stage (self, sample->time);
}

/* GObject */

static void
wl_resources_page_dispose (GObject *object)
{
  WlResourcesPage *self = WL_RESOURCES_PAGE (object);

  g_clear_pointer (&self->monitor, wl_monitor_free);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  if (self->charts != NULL)
    g_ptr_array_set_size (self->charts, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), WL_TYPE_RESOURCES_PAGE);
  G_OBJECT_CLASS (wl_resources_page_parent_class)->dispose (object);
}

static void
wl_resources_page_finalize (GObject *object)
{
  WlResourcesPage *self = WL_RESOURCES_PAGE (object);

  g_free (self->range);
  g_ptr_array_unref (self->charts);
  g_array_unref (self->spans);
  G_OBJECT_CLASS (wl_resources_page_parent_class)->finalize (object);
}

static void
wl_resources_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WlResourcesPage *self = WL_RESOURCES_PAGE (object);

  switch (prop_id)
    {
    case PROP_RANGE:
      g_value_set_string (value, self->range);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_resources_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  WlResourcesPage *self = WL_RESOURCES_PAGE (object);

  switch (prop_id)
    {
    case PROP_RANGE:
      wl_resources_page_set_range (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_resources_page_class_init (WlResourcesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wl_resources_page_dispose;
  object_class->finalize = wl_resources_page_finalize;
  object_class->get_property = wl_resources_page_get_property;
  object_class->set_property = wl_resources_page_set_property;

  /* "run", "recent" or "all": see the top of this file. */
  properties[PROP_RANGE] =
    g_param_spec_string ("range", NULL, NULL, "run",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_install_property_action (widget_class, "resources.range", "range");

  g_type_ensure (WL_TYPE_LINE_CHART);
  g_type_ensure (WL_TYPE_STAGE_TABLE);
  g_type_ensure (WL_TYPE_VERDICT_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/wordloom/Wordloom/pages/wl-resources-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, cpu_label);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, cpu_caption);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, rss_label);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, used_label);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, used_caption);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, gpu_label);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, gpu_caption);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, cost_label);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, cpu_chart);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, process_chart);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, loss_chart);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, memory_chart);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, stage_table);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, verdict_view);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, gpu_box);
  gtk_widget_class_bind_template_child (widget_class, WlResourcesPage, gpu_status_label);
}

static void
wl_resources_page_init (WlResourcesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->charts = g_ptr_array_new ();
  self->spans = g_array_new (FALSE, FALSE, sizeof (StageSpan));
  self->range = g_strdup ("run");
  self->run_end = -1;
}

/* Once the session and the origin are known. */
static void
set_up_charts (WlResourcesPage *self)
{
  wl_line_chart_set_axis_label (self->cpu_chart, WL_CHART_AXIS_LEFT, "%");
  wl_line_chart_set_axis_range (self->cpu_chart, WL_CHART_AXIS_LEFT, 0, 100);
  wl_line_chart_add_series (self->cpu_chart, _("All cores"), WL_CHART_AXIS_LEFT, 0);
  track_chart (self, self->cpu_chart);

  /* In % of every core, as "All cores" above; the axis fits the data. */
  wl_line_chart_set_axis_label (self->process_chart, WL_CHART_AXIS_LEFT, "%");
  wl_line_chart_set_axis_limits (self->process_chart, WL_CHART_AXIS_LEFT, 0, 100);
  /* Translators: legend of Wordloom's processor time: every program together */
  wl_line_chart_add_series (self->process_chart, _("All programs"), WL_CHART_AXIS_LEFT, 0);
  /* Translators: legend: Wordloom's main thread, which draws the window */
  wl_line_chart_add_series (self->process_chart, _("The window"), WL_CHART_AXIS_LEFT, 1);
  wl_line_chart_add_series (self->process_chart, _("Reading and cleaning"), WL_CHART_AXIS_LEFT, 2);
  wl_line_chart_add_series (self->process_chart, _("Training"), WL_CHART_AXIS_LEFT, 3);
  /* Translators: legend: Wordloom's other threads (sampling, saving runs, previews) */
  wl_line_chart_add_series (self->process_chart, _("Other threads"), WL_CHART_AXIS_LEFT, 4);
  track_chart (self, self->process_chart);

  wl_line_chart_set_axis_label (self->loss_chart, WL_CHART_AXIS_LEFT, _("loss"));
  self->train_loss_series = wl_line_chart_add_series (self->loss_chart, _("Training loss"),
                                                      WL_CHART_AXIS_LEFT, 0);
  self->valid_loss_series = wl_line_chart_add_series (self->loss_chart, _("Validation loss"),
                                                      WL_CHART_AXIS_LEFT, 1);
  track_chart (self, self->loss_chart);

  wl_line_chart_set_axis_label (self->memory_chart, WL_CHART_AXIS_LEFT, _("GiB"));
  /* Translators: chart legend: memory in use by all programs */
  wl_line_chart_add_series (self->memory_chart, _("System"), WL_CHART_AXIS_LEFT, 0);
  wl_line_chart_add_series (self->memory_chart, _("Wordloom"), WL_CHART_AXIS_LEFT, 1);
  track_chart (self, self->memory_chart);
}

void
wl_resources_page_set_range (WlResourcesPage *self,
                             const char      *range)
{
  g_return_if_fail (WL_IS_RESOURCES_PAGE (self));
  g_return_if_fail (g_strcmp0 (range, "run") == 0 || g_strcmp0 (range, "recent") == 0 ||
                    g_strcmp0 (range, "all") == 0);

  if (g_str_equal (self->range, range))
    return;
  g_free (self->range);
  self->range = g_strdup (range);
  apply_range_to_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RANGE]);
}

const char *
wl_resources_page_get_range (WlResourcesPage *self)
{
  g_return_val_if_fail (WL_IS_RESOURCES_PAGE (self), NULL);
  return self->range;
}

GtkWidget *
wl_resources_page_new (WlSession *session)
{
  WlResourcesPage *self;
  GPtrArray *events;

  g_return_val_if_fail (WL_IS_SESSION (session), NULL);

  self = g_object_new (WL_TYPE_RESOURCES_PAGE, NULL);
  self->session = g_object_ref (session);
  self->origin = wl_session_get_run_start (session);
  if (self->origin == 0)
    self->origin = g_get_monotonic_time ();
  set_up_charts (self);
  events = wl_session_get_events (session);
  for (guint i = 0; i < events->len; i++)
    on_run_event (self, g_ptr_array_index (events, i));
  g_signal_connect_swapped (session, "run-event", G_CALLBACK (on_run_event), self);
  g_signal_connect_swapped (session, "notify::state", G_CALLBACK (on_state_changed), self);

  /* Samples are read on the monitor's thread, never here. */
  self->monitor = wl_monitor_new (NULL);
  wl_monitor_start (self->monitor, NULL, on_sample, self);
  return GTK_WIDGET (self);
}
