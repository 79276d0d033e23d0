/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-runs-compare.c: stored runs side by side: curves, scores, what each
 * took, the settings that differ. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "eval/wl-chart-ticks.h"
#include "widgets/wl-line-chart.h"
#include "wl-format.h"
#include "wl-settings.h"
#include "wl-run-format.h"
#include "wl-runs-compare.h"

struct _WlRunsCompare
{
  AdwBin      parent_instance;

  guint       n_differences;

  /* Template children */
  GtkLabel   *title_label;
  GtkBox     *charts_box;
  GtkGrid    *scores_grid;
  GtkLabel   *same_label;
  GtkWidget  *settings_scroller;
  GtkGrid    *settings_grid;
};

G_DEFINE_FINAL_TYPE (WlRunsCompare, wl_runs_compare, ADW_TYPE_BIN)

static WlCompareRun *
run_at (GPtrArray *runs,
        guint      i)
{
  return g_ptr_array_index (runs, i);
}

/* Curves */

typedef enum
{
  CURVE_ACCURACY,
  CURVE_LOSS,
} Curve;

static GtkWidget *
make_chart (GPtrArray  *runs,
            Curve       curve,
            const char *name)
{
  GtkWidget *widget = wl_line_chart_new ();
  WlLineChart *chart = WL_LINE_CHART (widget);

  gtk_widget_set_name (widget, name);
  /* Translators: the x axis of the charts that compare runs */
  wl_line_chart_set_axis_label (chart, WL_CHART_AXIS_X, _("epoch"));
  if (curve == CURVE_ACCURACY)
    {
      wl_line_chart_set_title (chart, _("Validation Accuracy"));
      wl_line_chart_set_axis_label (chart, WL_CHART_AXIS_LEFT, "%");
      wl_line_chart_set_axis_limits (chart, WL_CHART_AXIS_LEFT, 0, 100);
    }
  else
    {
      wl_line_chart_set_title (chart, _("Validation Loss"));
      wl_line_chart_set_axis_label (chart, WL_CHART_AXIS_LEFT, _("cross-entropy"));
    }
  for (guint i = 0; i < runs->len; i++)
    {
      WlCompareRun *run = run_at (runs, i);
      g_autofree char *title = wl_run_format_name (run->record);
      guint series = wl_line_chart_add_series (chart, title, WL_CHART_AXIS_LEFT, i);

      for (guint e = 0; run->epochs != NULL && e < run->epochs->len; e++)
        {
          const WlEpochRecord *epoch = &g_array_index (run->epochs, WlEpochRecord, e);
          double y = curve == CURVE_ACCURACY ? epoch->valid_accuracy * 100 : epoch->valid_loss;

          if (isfinite (y))
            wl_line_chart_append (chart, series, epoch->epoch, y);
        }
    }
  return widget;
}

static void
show_charts (WlRunsCompare *self,
             GPtrArray     *runs)
{
  GtkWidget *child;

  /* New charts: a chart's series cannot be taken away. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->charts_box))) != NULL)
    gtk_box_remove (self->charts_box, child);
  gtk_box_append (self->charts_box, make_chart (runs, CURVE_ACCURACY, "accuracy_chart"));
  gtk_box_append (self->charts_box, make_chart (runs, CURVE_LOSS, "loss_chart"));
}

/* Tables */

static void
attach_headers (GtkGrid   *grid,
                GPtrArray *runs)
{
  for (guint i = 0; i < runs->len; i++)
    {
      g_autofree char *name = wl_run_format_name (run_at (runs, i)->record);

      gtk_grid_attach (grid, wl_run_grid_label (name, FALSE, TRUE), i + 1, 0, 1, 1);
    }
}

typedef enum
{
  SCORE_STATE,
  SCORE_MODEL,
  SCORE_DATA,
  SCORE_EPOCHS,
  SCORE_BEST_EPOCH,
  SCORE_BEST_VALID,
  SCORE_TEST_ACCURACY,
  SCORE_TEST_MACRO_F1,
  SCORE_TRAIN_TIME,
  SCORE_THROUGHPUT,
  SCORE_DEVICE,
  SCORE_STARTED,
  N_SCORES
} Score;

static const char *
score_title (Score score)
{
  switch (score)
    {
    case SCORE_STATE:         return _("State");
    case SCORE_MODEL:         return _("Model");
    case SCORE_DATA:          return _("Data file");
    case SCORE_EPOCHS:        return _("Epochs run");
    case SCORE_BEST_EPOCH:    return _("Best epoch");
    case SCORE_BEST_VALID:    return _("Best validation score");
    case SCORE_TEST_ACCURACY: return _("Test accuracy");
    case SCORE_TEST_MACRO_F1: return _("Test macro-F1");
    /* Translators: the time a compared run spent in its Train stage */
    case SCORE_TRAIN_TIME:    return _("Training time");
    case SCORE_THROUGHPUT:    return _("Tokens per second");
    case SCORE_DEVICE:        return _("Device");
    case SCORE_STARTED:       return _("Started");
    case N_SCORES:
    default:                  g_return_val_if_reached (NULL);
    }
}

static char *
score_text (const WlCompareRun *run,
            Score               score)
{
  const WlRunRecord *r = run->record;

  switch (score)
    {
    case SCORE_STATE:         return g_strdup (wl_run_format_state (r->state));
    case SCORE_MODEL:         return g_strdup (r->model);
    case SCORE_DATA:          return wl_run_format_dataset (r);
    case SCORE_EPOCHS:        return g_strdup_printf ("%u", r->epochs_run);
    case SCORE_BEST_EPOCH:    return r->best_epoch > 0 ? g_strdup_printf ("%u", r->best_epoch)
                                                       : g_strdup ("—");
    case SCORE_BEST_VALID:
      {
        g_autofree char *value = wl_run_format_best (r);

        if (!isfinite (r->best_metric))
          return g_steal_pointer (&value);
        /* Translators: a best validation score and its metric, "92.4 % accuracy" */
        return g_strdup_printf (_("%s %s"), value, wl_run_format_metric (r->metric));
      }
    case SCORE_TEST_ACCURACY: return wl_run_format_percent (r->test_accuracy);
    case SCORE_TEST_MACRO_F1: return wl_run_format_percent (r->test_macro_f1);
    case SCORE_TRAIN_TIME:    return wl_format_duration (run->train_seconds);
    case SCORE_THROUGHPUT:    return isfinite (run->tokens_per_s) ? wl_chart_format_reading (run->tokens_per_s)
                                                                  : g_strdup ("—");
    case SCORE_DEVICE:        return g_strdup (r->device != NULL ? r->device : "—");
    case SCORE_STARTED:       return wl_run_format_time (r->started);
    case N_SCORES:
    default:                  g_return_val_if_reached (NULL);
    }
}

static void
show_scores (WlRunsCompare *self,
             GPtrArray     *runs)
{
  wl_run_grid_clear (self->scores_grid);
  attach_headers (self->scores_grid, runs);
  for (Score s = 0; s < N_SCORES; s++)
    {
      gboolean number = s >= SCORE_EPOCHS && s <= SCORE_THROUGHPUT;

      gtk_grid_attach (self->scores_grid, wl_run_grid_label (score_title (s), FALSE, TRUE),
                       0, s + 1, 1, 1);
      for (guint i = 0; i < runs->len; i++)
        {
          g_autofree char *text = score_text (run_at (runs, i), s);

          gtk_grid_attach (self->scores_grid, wl_run_grid_label (text, number, FALSE),
                           i + 1, s + 1, 1, 1);
        }
    }
}

/* The setting's cell: its value, "—" where the run's model does not use
 * it, "(none)" where the run does not have it. */
static GtkWidget *
setting_cell (const WlCompareRun *run,
              const char         *key)
{
  g_autofree char *value = NULL;

  if (!wl_config_json_applies (run->config, key))
    {
      GtkWidget *label = wl_run_grid_label ("—", FALSE, FALSE);
      /* Translators: the tooltip of a setting's cell in a compared run, "Not used by lstm" */
      g_autofree char *tooltip = g_strdup_printf (_("Not used by %s"), run->record->model);

      gtk_widget_set_tooltip_text (label, tooltip);
      return label;
    }
  value = wl_run_format_setting (run->config, key);
  /* Translators: a setting one of the compared runs does not have */
  return wl_run_grid_label (value != NULL ? value : _("(none)"), FALSE, FALSE);
}

/* The setting's name in the window ("Learning rate"), its key in the
 * run's config ("model.lr") as the tooltip; a key the table does not know
 * (an older run's) as it is. */
static GtkWidget *
setting_title (const char *key)
{
  const WlSetting *setting = wl_settings_find_path (key);
  GtkWidget *label;

  if (setting == NULL)
    return wl_run_grid_label (key, FALSE, TRUE);
  label = wl_run_grid_label (wl_setting_get_label (setting), FALSE, TRUE);
  gtk_widget_set_tooltip_text (label, key);
  return label;
}

static void
show_settings (WlRunsCompare *self,
               GPtrArray     *runs)
{
  g_autofree GHashTable **configs = g_new0 (GHashTable *, runs->len);
  g_autoptr(GPtrArray) keys = NULL;
  guint row = 1;

  for (guint i = 0; i < runs->len; i++)
    configs[i] = run_at (runs, i)->config;
  keys = wl_config_json_keys (configs, runs->len, TRUE);

  wl_run_grid_clear (self->settings_grid);
  attach_headers (self->settings_grid, runs);
  for (guint k = 0; k < keys->len; k++, row++)
    {
      const char *key = g_ptr_array_index (keys, k);

      gtk_grid_attach (self->settings_grid, setting_title (key), 0, row, 1, 1);
      for (guint i = 0; i < runs->len; i++)
        gtk_grid_attach (self->settings_grid, setting_cell (run_at (runs, i), key), i + 1, row, 1, 1);
    }
  self->n_differences = row - 1;
  gtk_widget_set_visible (self->settings_scroller, self->n_differences > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->same_label), self->n_differences == 0);
}

void
wl_runs_compare_set_runs (WlRunsCompare *self,
                          GPtrArray     *runs)
{
  g_autofree char *title = NULL;

  g_return_if_fail (WL_IS_RUNS_COMPARE (self));
  g_return_if_fail (runs != NULL);

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Comparing %u Run", "Comparing %u Runs",
                                        runs->len), runs->len);
  gtk_label_set_text (self->title_label, title);
  show_charts (self, runs);
  show_scores (self, runs);
  show_settings (self, runs);
}

guint
wl_runs_compare_get_n_differences (WlRunsCompare *self)
{
  g_return_val_if_fail (WL_IS_RUNS_COMPARE (self), 0);
  return self->n_differences;
}

static void
wl_runs_compare_dispose (GObject *object)
{
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), WL_TYPE_RUNS_COMPARE);
  G_OBJECT_CLASS (wl_runs_compare_parent_class)->dispose (object);
}

static void
wl_runs_compare_class_init (WlRunsCompareClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = wl_runs_compare_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/wordloom/Wordloom/pages/wl-runs-compare.ui");
  gtk_widget_class_bind_template_child (widget_class, WlRunsCompare, title_label);
  gtk_widget_class_bind_template_child (widget_class, WlRunsCompare, charts_box);
  gtk_widget_class_bind_template_child (widget_class, WlRunsCompare, scores_grid);
  gtk_widget_class_bind_template_child (widget_class, WlRunsCompare, same_label);
  gtk_widget_class_bind_template_child (widget_class, WlRunsCompare, settings_scroller);
  gtk_widget_class_bind_template_child (widget_class, WlRunsCompare, settings_grid);
}

static void
wl_runs_compare_init (WlRunsCompare *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
