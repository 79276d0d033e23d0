/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-report.c: a stored run told whole in a folder: settings and run as
 * JSON, every series as CSV, the curves as SVG (written by hand: no Cairo
 * in the engine) and a report.html that shows them.  `runs export` and the
 * window's Export Report write it through here. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>

#include "eval/wl-chart-ticks.h"
#include "store/wl-run-report.h"
#include "store/wl-store-json.h"
#include "train/wl-worker-job.h"
#include "wl-error.h"

#define PANEL_W 440.0
#define PANEL_H 260.0
#define MARGIN  56.0
#define N_TICKS 5

/* CSV */

static void
append_number (GString *csv,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isfinite (value))
    g_string_append (csv, g_ascii_formatd (buffer, sizeof buffer, "%.6g", value));
}

/* Appends @values as one CSV row (NAN: an empty field). */
static void
append_row (GString      *csv,
            const double *values,
            guint         n)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (csv, ',');
      append_number (csv, values[i]);
    }
  g_string_append_c (csv, '\n');
}

static GString *
epochs_csv (GArray *epochs)
{
  GString *csv = g_string_new ("epoch,elapsed,train_loss,valid_loss,valid_accuracy,valid_macro_f1,"
                               "tokens_per_s,lr,best\n");

  for (guint i = 0; i < epochs->len; i++)
    {
      const WlEpochRecord *e = &g_array_index (epochs, WlEpochRecord, i);
      double row[] = { e->epoch, e->elapsed, e->train_loss, e->valid_loss, e->valid_accuracy,
                       e->valid_macro_f1, e->tokens_per_s, e->lr, e->is_best };

      append_row (csv, row, G_N_ELEMENTS (row));
    }
  return csv;
}

static GString *
progress_csv (GArray *progress)
{
  GString *csv = g_string_new ("elapsed,stage,fraction,epoch,train_loss,tokens_per_s,lr\n");

  for (guint i = 0; i < progress->len; i++)
    {
      const WlProgressRecord *p = &g_array_index (progress, WlProgressRecord, i);
      double rest[] = { p->fraction, p->stage == WL_STAGE_TRAIN ? p->epoch : NAN, p->train_loss,
                        p->tokens_per_s, p->lr };

      append_number (csv, p->elapsed);
      g_string_append_printf (csv, ",%s,", wl_stage_to_string (p->stage));
      append_row (csv, rest, G_N_ELEMENTS (rest));
    }
  return csv;
}

static GString *
samples_csv (GArray *samples)
{
  GString *csv = g_string_new ("elapsed,cpu_percent,rss_bytes,gpu_percent,gpu_memory_bytes\n");

  for (guint i = 0; i < samples->len; i++)
    {
      const WlResourceSample *s = &g_array_index (samples, WlResourceSample, i);
      double row[] = { s->elapsed, s->cpu_percent, s->rss_bytes, s->gpu_percent, s->gpu_memory_bytes };

      append_row (csv, row, G_N_ELEMENTS (row));
    }
  return csv;
}

static GString *
stages_csv (GArray *stages)
{
  GString *csv = g_string_new ("stage,started,seconds\n");

  for (guint i = 0; i < stages->len; i++)
    {
      const WlStageRecord *s = &g_array_index (stages, WlStageRecord, i);
      double row[] = { s->started, s->seconds };

      g_string_append_printf (csv, "%s,", wl_stage_to_string (s->stage));
      append_row (csv, row, G_N_ELEMENTS (row));
    }
  return csv;
}

/* SVG */

typedef struct
{
  double x, y;               /* top left of the plot area */
  double xmin, xmax, ymin, ymax;
  double ystep;              /* between the value axis' ticks */
} Panel;

static double
map_x (const Panel *p,
       double       x)
{
  return p->x + (x - p->xmin) / (p->xmax - p->xmin) * PANEL_W;
}

static double
map_y (const Panel *p,
       double       y)
{
  return p->y + PANEL_H - (y - p->ymin) / (p->ymax - p->ymin) * PANEL_H;
}

static void
draw_axes (GString     *svg,
           const Panel *p,
           const char  *title)
{
  g_string_append_printf (svg, "<text x=\"%.1f\" y=\"%.1f\" class=\"title\">%s</text>\n",
                          p->x, p->y - 12, title);
  g_string_append_printf (svg, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"frame\"/>\n",
                          p->x, p->y, PANEL_W, PANEL_H);
  double magnitude = MAX (fabs (p->ymin), fabs (p->ymax));
  double xstep = MAX (1, wl_chart_nice_step (p->xmax - p->xmin, N_TICKS, FALSE));

  for (double value = p->ymin; value <= p->ymax + p->ystep / 2; value += p->ystep)
    {
      double y = map_y (p, value);
      g_autofree char *tick = wl_chart_format_tick (value, p->ystep, magnitude);

      g_string_append_printf (svg, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>\n"
                                   "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>\n",
                              p->x, y, p->x + PANEL_W, y, p->x - 6, y + 4, tick);
    }
  /* Whole epochs. */
  for (double value = p->xmin; value <= p->xmax; value += xstep)
    {
      g_autofree char *tick = wl_chart_format_tick (value, xstep, p->xmax);

      g_string_append_printf (svg, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%s</text>\n",
                              map_x (p, value), p->y + PANEL_H + 16, tick);
    }
  g_string_append_printf (svg, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%s</text>\n",
                          p->x + PANEL_W / 2, p->y + PANEL_H + 34, _("epoch"));
}

/* A line through the finite points (@xs, @ys), and its legend entry. */
static void
draw_series (GString      *svg,
             const Panel  *p,
             const double *xs,
             const double *ys,
             guint         n,
             const char   *color,
             const char   *label,
             guint         legend_row)
{
  g_string_append_printf (svg, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\" points=\"", color);
  for (guint i = 0; i < n; i++)
    if (isfinite (xs[i]) && isfinite (ys[i]))
      g_string_append_printf (svg, "%.1f,%.1f ", map_x (p, xs[i]), map_y (p, ys[i]));
  g_string_append (svg, "\"/>\n");
  g_string_append_printf (svg, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"3\" fill=\"%s\"/>"
                               "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\">%s</text>\n",
                          p->x + PANEL_W - 150, p->y + 12 + 16.0 * legend_row, color,
                          p->x + PANEL_W - 130, p->y + 17 + 16.0 * legend_row, label);
}

typedef struct
{
  const char *label;
  const char *color;
  GArray     *xs;      /* double */
  GArray     *ys;
} Series;

static void
draw_panel (GString    *svg,
            double      left,
            const char *title,
            double      xmax,
            Series     *series,
            guint       n_series,
            double      best_epoch)
{
  Panel p = { left + MARGIN, 40, 0, MAX (xmax, 1), INFINITY, -INFINITY };

  for (guint s = 0; s < n_series; s++)
    for (guint i = 0; i < series[s].ys->len; i++)
      {
        double y = g_array_index (series[s].ys, double, i);

        if (isfinite (y))
          p.ymin = MIN (p.ymin, y), p.ymax = MAX (p.ymax, y);
      }
  if (!isfinite (p.ymin))
    p.ymin = 0, p.ymax = 1;
  p.ystep = wl_chart_nice_range (&p.ymin, &p.ymax, N_TICKS);
  draw_axes (svg, &p, title);
  if (best_epoch > 0)
    g_string_append_printf (svg, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"best\"/>\n",
                            map_x (&p, best_epoch), p.y, map_x (&p, best_epoch), p.y + PANEL_H);
  for (guint s = 0; s < n_series; s++)
    draw_series (svg, &p, (double *) (gpointer) series[s].xs->data, (double *) (gpointer) series[s].ys->data,
                 series[s].xs->len, series[s].color, series[s].label, s);
}

static void
series_add (Series *series,
            double  x,
            double  y)
{
  g_array_append_val (series->xs, x);
  g_array_append_val (series->ys, y);
}

/* Loss (per step and per epoch) and validation metrics against epochs. */
static GString *
curves_svg (const WlRunRecord *record,
            GArray            *epochs,
            GArray            *progress)
{
  GString *svg = g_string_new (NULL);
  Series loss[] = { { _("train loss (steps)"), "#99c1f1" }, { _("train loss"), "#1c71d8" },
                    { _("validation loss"), "#e66100" } };
  Series valid[] = { { _("validation accuracy"), "#26a269" }, { _("validation macro-F1"), "#813d9c" } };
  double xmax = MAX (record->n_epochs, epochs->len);

  for (guint s = 0; s < G_N_ELEMENTS (loss) + G_N_ELEMENTS (valid); s++)
    {
      Series *series = s < G_N_ELEMENTS (loss) ? &loss[s] : &valid[s - G_N_ELEMENTS (loss)];

      series->xs = g_array_new (FALSE, FALSE, sizeof (double));
      series->ys = g_array_new (FALSE, FALSE, sizeof (double));
    }
  for (guint i = 0; i < progress->len; i++)
    {
      const WlProgressRecord *p = &g_array_index (progress, WlProgressRecord, i);

      if (p->stage == WL_STAGE_TRAIN)
        series_add (&loss[0], p->fraction * MAX (xmax, 1), p->train_loss);
    }
  for (guint i = 0; i < epochs->len; i++)
    {
      const WlEpochRecord *e = &g_array_index (epochs, WlEpochRecord, i);

      series_add (&loss[1], e->epoch, e->train_loss);
      series_add (&loss[2], e->epoch, e->valid_loss);
      series_add (&valid[0], e->epoch, e->valid_accuracy);
      series_add (&valid[1], e->epoch, e->valid_macro_f1);
    }

  g_string_append_printf (svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                               "viewBox=\"0 0 %.0f %.0f\">\n",
                          2 * (PANEL_W + 2 * MARGIN), PANEL_H + 100, 2 * (PANEL_W + 2 * MARGIN), PANEL_H + 100);
  g_string_append (svg, "<style>text{font-family:sans-serif;fill:#3d3846}.title{font-size:15px;font-weight:bold}"
                        ".tick{font-size:11px}.frame{fill:none;stroke:#9a9996}.grid{stroke:#deddda}"
                        ".best{stroke:#9a9996;stroke-dasharray:4 3}</style>\n"
                        "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
  draw_panel (svg, 0, _("Loss"), xmax, loss, G_N_ELEMENTS (loss), record->best_epoch);
  draw_panel (svg, PANEL_W + 2 * MARGIN, _("Validation"), xmax, valid, G_N_ELEMENTS (valid),
              record->best_epoch);
  g_string_append (svg, "</svg>\n");

  for (guint s = 0; s < G_N_ELEMENTS (loss) + G_N_ELEMENTS (valid); s++)
    {
      Series *series = s < G_N_ELEMENTS (loss) ? &loss[s] : &valid[s - G_N_ELEMENTS (loss)];

      g_array_unref (series->xs);
      g_array_unref (series->ys);
    }
  return svg;
}

/* The report */

static GString *
report_html (const WlRunRecord *r,
             const char        *svg)
{
  g_autofree char *model = g_markup_escape_text (r->model ? r->model : "", -1);
  g_autofree char *dataset = g_markup_escape_text (r->dataset ? r->dataset : "", -1);
  g_autofree char *config = g_markup_escape_text (r->config ? r->config : "", -1);
  g_autofree char *notes = g_markup_escape_text (r->notes, -1);
  g_autofree char *started = wl_store_format_time (r->started, FALSE);
  GString *html = g_string_new ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">");

  g_string_append_printf (html, "<title>Run %" G_GINT64_FORMAT "</title>"
                                "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
                                "td{padding:2px 12px}pre{white-space:pre-wrap}</style></head><body>\n",
                          r->id);
  g_string_append_printf (html, "<h1>Run %" G_GINT64_FORMAT ": %s on %s</h1>\n<table>\n", r->id, model, dataset);
  g_string_append_printf (html, "<tr><td>State</td><td>%s</td></tr>\n", wl_run_state_to_string (r->state));
  g_string_append_printf (html, "<tr><td>Started</td><td>%s</td></tr>\n", started ? started : "");
  g_string_append_printf (html, "<tr><td>Epochs</td><td>%u of %u, best %u</td></tr>\n",
                          r->epochs_run, r->n_epochs, r->best_epoch);
  g_string_append_printf (html, "<tr><td>Best validation %s</td><td>%.4f</td></tr>\n",
                          r->metric ? r->metric : "", r->best_metric);
  g_string_append_printf (html, "<tr><td>Test accuracy</td><td>%.4f</td></tr>\n", r->test_accuracy);
  g_string_append_printf (html, "<tr><td>Test macro-F1</td><td>%.4f</td></tr>\n", r->test_macro_f1);
  g_string_append_printf (html, "<tr><td>Notes</td><td>%s</td></tr>\n</table>\n", notes);
  g_string_append_printf (html, "%s\n", svg);
  g_string_append (html, "<p>Data: <a href=\"epochs.csv\">epochs.csv</a>, <a href=\"progress.csv\">progress.csv</a>, "
                         "<a href=\"stages.csv\">stages.csv</a>, <a href=\"samples.csv\">samples.csv</a>, "
                         "<a href=\"run.json\">run.json</a> (everything, evaluation included).</p>\n");
  g_string_append_printf (html, "<h2>Settings</h2><pre>%s</pre>\n</body></html>\n", config);
  return html;
}

static gboolean
write_file (const char  *dir,
            const char  *name,
            GString     *contents,
            GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) local_error = NULL;

  if (g_file_set_contents (path, contents->str, (gssize) contents->len, &local_error))
    return TRUE;
  g_set_error (error, WL_ERROR, WL_ERROR_IO, _("Cannot write the report: %s"), local_error->message);
  return FALSE;
}

gboolean
wl_run_report_write (WlStore     *store,
                     gint64       id,
                     const char  *dir,
                     GError     **error)
{
  g_autoptr(WlRunRecord) record = NULL;
  g_autoptr(JsonNode) run = NULL;
  g_autoptr(GArray) epochs = NULL;
  g_autoptr(GArray) progress = NULL;
  g_autoptr(GArray) samples = NULL;
  g_autoptr(GArray) stages = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  const char *names[] = { "run.json", "epochs.csv", "progress.csv", "samples.csv", "stages.csv", "curves.svg" };
  GString *files[G_N_ELEMENTS (names)];
  gboolean ok = TRUE;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);

  if ((record = wl_store_get_run (store, id, error)) == NULL ||
      (run = wl_store_run_to_json (store, record, TRUE, error)) == NULL ||
      (epochs = wl_store_get_epochs (store, id, error)) == NULL ||
      (progress = wl_store_get_progress (store, id, error)) == NULL ||
      (samples = wl_store_get_samples (store, id, error)) == NULL ||
      (stages = wl_store_get_stages (store, id, error)) == NULL)
    return FALSE;
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, WL_ERROR, WL_ERROR_IO, _("Cannot create the folder %s: %s"), dir,
                   g_strerror (saved));
      return FALSE;
    }

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, run);
  files[0] = g_string_new (NULL);
  json_generator_to_gstring (generator, files[0]);
  files[1] = epochs_csv (epochs);
  files[2] = progress_csv (progress);
  files[3] = samples_csv (samples);
  files[4] = stages_csv (stages);
  files[5] = curves_svg (record, epochs, progress);
  for (guint i = 0; i < G_N_ELEMENTS (files) && ok; i++)
    ok = write_file (dir, names[i], files[i], error);
  if (ok)
    {
      g_autoptr(GString) html = report_html (record, files[5]->str);

      ok = write_file (dir, "report.html", html, error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    g_string_free (files[i], TRUE);
  return ok;
}

char *
wl_run_report_folder (const char *parent,
                      gint64      id)
{
  g_autofree char *name = g_strdup_printf ("run-%" G_GINT64_FORMAT, id);

  return parent != NULL ? g_build_filename (parent, name, NULL) : g_steal_pointer (&name);
}

/* Several runs on a worker */

typedef struct
{
  char   *store_path;
  GArray *ids;          /* gint64 */
  char   *parent;
} ReportJob;

static void
report_job_free (ReportJob *job)
{
  g_free (job->store_path);
  g_array_unref (job->ids);
  g_free (job->parent);
  g_free (job);
}

static gpointer
report_job (gpointer         data,
            WlProgressFunc   progress,
            gpointer         progress_data,
            GCancellable    *cancellable,
            GError         **error)
{
  ReportJob *job = data;
  g_autoptr(WlStore) store = wl_store_open (job->store_path, error);
  g_autoptr(GStrvBuilder) folders = g_strv_builder_new ();

  if (store == NULL)
    return NULL;
  for (guint i = 0; i < job->ids->len; i++)
    {
      gint64 id = g_array_index (job->ids, gint64, i);
      g_autofree char *dir = wl_run_report_folder (job->parent, id);

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !wl_run_report_write (store, id, dir, error))
        return NULL;
      g_strv_builder_add (folders, dir);
      if (progress != NULL)
        progress (i + 1, job->ids->len, progress_data);
    }
  return g_strv_builder_end (folders);
}

void
wl_run_report_write_async (const char          *store_path,
                           const gint64        *ids,
                           guint                n_ids,
                           const char          *parent,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  ReportJob *job;

  g_return_if_fail (ids != NULL && n_ids > 0);
  g_return_if_fail (parent != NULL);

  job = g_new0 (ReportJob, 1);
  job->store_path = g_strdup (store_path);
  job->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
  g_array_append_vals (job->ids, ids, n_ids);
  job->parent = g_strdup (parent);
  wl_worker_job_run (wl_run_report_write_async, report_job, job, (GDestroyNotify) report_job_free,
                     (GDestroyNotify) g_strfreev, NULL, NULL, cancellable, callback, user_data);
}

char **
wl_run_report_write_finish (GAsyncResult  *result,
                            GError       **error)
{
  return wl_worker_job_finish (result, wl_run_report_write_async, error);
}
