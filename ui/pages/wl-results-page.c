/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-results-page.c: the Results page: scores, confusion matrix, try and save the model. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "eval/wl-confusion-view.h"
#include "pages/wl-cell-texts-window.h"
#include "pages/wl-export-window.h"
#include "pages/wl-predict-box.h"
#include "pages/wl-predict-file-bar.h"
#include "pages/wl-run-format.h"
#include "widgets/wl-heatmap.h"
#include "wl-error.h"
#include "wl-results-page.h"
#include "wl-window.h"

struct _WlResultsPage
{
  AdwBin         parent_instance;

  WlSession     *session;
  WlRun         *run;            /* the last finished run shown; NULL before */
  WlConfusionView *view;         /* the heat map's labels, for its cells */

  /* Template children */
  GtkStack      *stack;
  AdwStatusPage *status_page;
  GtkWidget     *status_button;
  GtkLabel      *title_label;
  GtkLabel      *subtitle_label;
  GtkWidget     *no_test_label;
  GtkWidget     *metrics_box;
  GtkLabel      *unseen_label;
  GtkLabel      *accuracy_label;
  GtkLabel      *macro_f1_label;
  GtkLabel      *test_rows_label;
  GtkLabel      *best_epoch_label;
  GtkGrid       *class_grid;
  WlHeatmap     *heatmap;
  WlPredictBox  *predict_box;
  WlPredictFileBar *predict_file_bar;
};

G_DEFINE_FINAL_TYPE (WlResultsPage, wl_results_page, ADW_TYPE_BIN)

static void
set_label_take (GtkLabel *label,
                char     *text)
{
  gtk_label_set_text (label, text);
  g_free (text);
}

/* Showing a run */

static void
attach_class_row (WlResultsPage *self,
                  guint          row,
                  const char    *name,
                  char          *precision,
                  char          *recall,
                  char          *f1,
                  guint64        support)
{
  g_autofree char *support_text = g_strdup_printf ("%" G_GUINT64_FORMAT, support);
  GtkWidget *label = wl_run_grid_label (name, FALSE, FALSE);

  gtk_widget_set_hexpand (label, TRUE);
  gtk_grid_attach (self->class_grid, label, 0, row, 1, 1);
  gtk_grid_attach (self->class_grid, wl_run_grid_label (precision, TRUE, FALSE), 1, row, 1, 1);
  gtk_grid_attach (self->class_grid, wl_run_grid_label (recall, TRUE, FALSE), 2, row, 1, 1);
  gtk_grid_attach (self->class_grid, wl_run_grid_label (f1, TRUE, FALSE), 3, row, 1, 1);
  gtk_grid_attach (self->class_grid, wl_run_grid_label (support_text, TRUE, FALSE), 4, row, 1, 1);
  g_free (precision);
  g_free (recall);
  g_free (f1);
}

/* The labels of the heat map, then one row for the labels it sums up. */
static void
fill_class_grid (WlResultsPage      *self,
                 const WlEvaluation *evaluation)
{
  const WlMetrics *m = evaluation->metrics;
  const char *headers[] = { _("Label"), C_("metric", "Precision"), _("Recall"), _("F1"), _("Support") };
  guint64 other_support = 0;

  wl_run_grid_clear (self->class_grid);
  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    gtk_grid_attach (self->class_grid, wl_run_grid_label (headers[c], c > 0, TRUE), c, 0, 1, 1);
  for (guint i = 0; i < self->view->n_shown; i++)
    {
      guint32 k = self->view->label_ids[i];

      attach_class_row (self, i + 1, g_ptr_array_index (evaluation->label_names, k),
                        wl_run_format_percent (m->precision[k]), wl_run_format_percent (m->recall[k]),
                        wl_run_format_percent (m->f1[k]), m->support[k]);
    }
  if (self->view->n_others == 0)
    return;
  for (guint k = 0; k < m->n_labels; k++)
    other_support += m->support[k];
  for (guint i = 0; i < self->view->n_shown; i++)
    other_support -= m->support[self->view->label_ids[i]];
  attach_class_row (self, self->view->n_shown + 1, wl_run_format_other_labels (self->view->n_others),
                    g_strdup ("—"), g_strdup ("—"), g_strdup ("—"), other_support);
}

static void
show_evaluation (WlResultsPage      *self,
                 const WlEvaluation *evaluation,
                 const WlRunSummary *summary)
{
  const WlMetrics *m = evaluation->metrics;
  g_autofree char *unseen = wl_evaluation_describe_unseen (evaluation);
  g_autofree const char **names = NULL;
  g_autofree char *others = NULL;

  set_label_take (self->accuracy_label, wl_run_format_percent (m->accuracy));
  set_label_take (self->macro_f1_label, wl_run_format_percent (m->macro_f1));
  set_label_take (self->test_rows_label, g_strdup_printf ("%" G_GUINT64_FORMAT, m->n));
  if (summary->best_epoch > 0)
    /* Translators: the best epoch of those run, "4 of 10" */
    set_label_take (self->best_epoch_label, g_strdup_printf (_("%u of %u"), summary->best_epoch,
                                                             summary->epochs_run));
  else
    gtk_label_set_text (self->best_epoch_label, "—");
  gtk_label_set_text (self->unseen_label, unseen);
  gtk_widget_set_visible (GTK_WIDGET (self->unseen_label), unseen != NULL);

  g_clear_pointer (&self->view, wl_confusion_view_free);
  self->view = wl_confusion_view_new (m, WL_CONFUSION_VIEW_MAX_LABELS);
  fill_class_grid (self, evaluation);
  names = g_new0 (const char *, self->view->n + 1);
  for (guint i = 0; i < self->view->n_shown; i++)
    names[i] = g_ptr_array_index (evaluation->label_names, self->view->label_ids[i]);
  if (self->view->n_others > 0)
    names[self->view->n_shown] = others = wl_run_format_other_labels (self->view->n_others);
  wl_heatmap_set_data (self->heatmap, self->view->n, names, self->view->cells);
}

static void
show_run (WlResultsPage *self,
          WlRun         *run)
{
  const WlConfig *config = wl_run_get_config (run);
  const WlRunSummary *summary = wl_run_get_summary (run);
  const WlEvaluation *evaluation = wl_run_get_evaluation (run);
  g_autofree char *file = g_path_get_basename (config->data.input);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = wl_run_format_clock (now);
  g_autofree char *n_train = g_strdup_printf ("%" G_GSIZE_FORMAT, summary->n_train);
  g_autofree char *duration = NULL;
  g_autofree char *labels = NULL;
  guint n_labels = wl_classifier_get_n_labels (wl_run_get_classifier (run));
  double seconds = 0;

  g_clear_pointer (&self->run, wl_run_unref);
  self->run = wl_run_ref (run);

  for (guint i = 0; i < WL_N_STAGES; i++)
    seconds += summary->stage_seconds[i];
  duration = g_strdup_printf ("%.*f", seconds < 1 ? 2 : 1, seconds);
  /* Translators: the results' title, "linear model on reviews.csv" */
  set_label_take (self->title_label, g_strdup_printf (_("%s model on %s"),
                                                      wl_model_type_to_string (config->model.type),
                                                      file));
  labels = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u label", "%u labels", n_labels), n_labels);
  /* Translators: under the results' title: "3 labels", training rows, seconds taken, when it ended */
  set_label_take (self->subtitle_label,
                  g_strdup_printf (_("%s · trained on %s rows in %s s · finished at %s"),
                                   labels, n_train, duration, time));

  gtk_widget_set_visible (self->metrics_box, evaluation != NULL);
  gtk_widget_set_visible (self->no_test_label, evaluation == NULL);
  if (evaluation != NULL)
    show_evaluation (self, evaluation, summary);
  wl_predict_box_set_run (self->predict_box, run);
}

static void
on_state_changed (WlResultsPage *self)
{
  WlSessionState state = wl_session_get_state (self->session);
  WlRun *run = wl_session_get_run (self->session);
  const char *title, *description;

  if (state == WL_SESSION_FINISHED && run != NULL && run != self->run)
    show_run (self, run);
  /* A run that failed or was stopped leaves the earlier results standing. */
  if (self->run != NULL && !wl_session_is_busy (self->session))
    {
      gtk_stack_set_visible_child_name (self->stack, "results");
      return;
    }

  switch (state)
    {
    case WL_SESSION_RUNNING:
    case WL_SESSION_PAUSED:
      title = _("Training…");
      description = _("The scores, the confusion matrix and a box to try the model appear here when the run finishes.");
      break;
    case WL_SESSION_FAILED:
      title = _("Training Failed");
      description = _("Check the data and the model settings, then press Train again.");
      break;
    case WL_SESSION_CANCELLED:
      title = _("Training Stopped");
      description = _("Press Train to start again. Results appear here when a run finishes.");
      break;
    case WL_SESSION_IDLE:
    case WL_SESSION_FINISHED:
    default:
      title = _("No Results Yet");
      description = _("Open a data file, choose a model and press Train. When the run finishes, its scores, its confusion matrix and a box to try the model appear here.");
      break;
    }
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_widget_set_visible (self->status_button, wl_session_is_busy (self->session));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* Saving */

typedef struct
{
  WlRun *run;
  char  *path;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  wl_run_unref (job->run);
  g_free (job->path);
  g_free (job);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SaveJob *job = task_data;
  GError *error = NULL;

  if (wl_classifier_save (wl_run_get_classifier (job->run), job->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  WlResultsPage *self = WL_RESULTS_PAGE (source);
  SaveJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (self->session != NULL)
        wl_session_report_error (self->session, error);
    }
  else if (WL_IS_WINDOW (root))
    {
      g_autofree char *name = g_path_get_basename (job->path);
      g_autofree char *message = g_strdup_printf (_("Model saved as %s"), name);

      wl_window_add_toast (WL_WINDOW (root), message);
    }
}

static void
save_to (WlResultsPage *self,
         WlRun         *run,
         const char    *path)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_saved, NULL);
  SaveJob *job = g_new0 (SaveJob, 1);

  job->run = wl_run_ref (run);
  job->path = g_strdup (path);
  g_task_set_source_tag (task, save_to);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
}

static gboolean
check_has_model (WlResultsPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->run != NULL)
    return TRUE;
  g_set_error_literal (&error, WL_ERROR, WL_ERROR_INVALID,
                       _("There is no trained model to save yet; press Train first"));
  wl_session_report_error (self->session, error);
  return FALSE;
}

static void
on_save_response (GtkNativeDialog *chooser,
                  int              response,
                  WlResultsPage   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      path = file ? g_file_get_path (file) : NULL;
      if (path != NULL)
        save_to (self, g_object_get_data (G_OBJECT (chooser), "run"), path);
    }
  g_object_unref (chooser);
}

/* "<data file stem>-<model>.wlm", as the command line would name it. */
static char *
suggest_name (WlRun *run)
{
  const WlConfig *config = wl_run_get_config (run);
  g_autofree char *base = g_path_get_basename (config->data.input);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_strdup_printf ("%s-%s.wlm", base, wl_model_type_to_string (config->model.type));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WlResultsPage *self = WL_RESULTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) models = gtk_file_filter_new ();
  g_autoptr(GFile) data = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *name = NULL;

  if (!check_has_model (self))
    return;
  chooser = gtk_file_chooser_native_new (_("Save Model"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (models, _("Wordloom Models"));
  gtk_file_filter_add_pattern (models, "*.wlm");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), models);
  data = g_file_new_for_path (wl_run_get_config (self->run)->data.input);
  folder = g_file_get_parent (data);
  if (folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  name = suggest_name (self->run);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  /* Save the model that was shown when the dialog opened. */
  g_object_set_data_full (G_OBJECT (chooser), "run", wl_run_ref (self->run),
                          (GDestroyNotify) wl_run_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WlResultsPage *self = WL_RESULTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (check_has_model (self))
    gtk_window_present (GTK_WINDOW (wl_export_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                          self->run)));
}

static void
predict_file_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WlResultsPage *self = WL_RESULTS_PAGE (widget);

  if (check_has_model (self))
    wl_predict_file_bar_choose (self->predict_file_bar, self->run);
}

static void
predict_file_to_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  WlResultsPage *self = WL_RESULTS_PAGE (widget);
  const char *input, *output;

  g_variant_get (parameter, "(&s&s)", &input, &output);
  if (check_has_model (self))
    wl_predict_file_bar_start (self->predict_file_bar, self->run, input, output);
}

static void
save_to_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  WlResultsPage *self = WL_RESULTS_PAGE (widget);

  if (check_has_model (self))
    save_to (self, self->run, g_variant_get_string (parameter, NULL));
}

/* Cells */

static void
show_cell_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  WlResultsPage *self = WL_RESULTS_PAGE (widget);
  const WlEvaluation *evaluation = self->run ? wl_run_get_evaluation (self->run) : NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *window;
  guint truth, predicted;

  g_variant_get (parameter, "(uu)", &truth, &predicted);
  if (evaluation == NULL || truth >= evaluation->label_names->len ||
      predicted >= evaluation->label_names->len)
    return;
  window = wl_cell_texts_window_new (self->run, truth, predicted);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_cell_activated (WlResultsPage *self,
                   guint          truth,
                   guint          predicted)
{
  /* The heat map's rows are the view's; the "other labels" row opens nothing. */
  if (self->view == NULL || truth >= self->view->n_shown || predicted >= self->view->n_shown)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "results.show-cell", "(uu)",
                              self->view->label_ids[truth], self->view->label_ids[predicted]);
}

/* Object */

static void
wl_results_page_dispose (GObject *object)
{
  WlResultsPage *self = WL_RESULTS_PAGE (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  /* The stack is AdwBin's child: let go of it before the template does. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WL_TYPE_RESULTS_PAGE);
  g_clear_pointer (&self->run, wl_run_unref);
  g_clear_pointer (&self->view, wl_confusion_view_free);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (wl_results_page_parent_class)->dispose (object);
}

static void
wl_results_page_class_init (WlResultsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = wl_results_page_dispose;

  g_type_ensure (WL_TYPE_HEATMAP);
  g_type_ensure (WL_TYPE_PREDICT_BOX);
  g_type_ensure (WL_TYPE_PREDICT_FILE_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/wordloom/Wordloom/pages/wl-results-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, unseen_label);
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, status_button);
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, no_test_label);
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, metrics_box);
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, accuracy_label);
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, macro_f1_label);
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, test_rows_label);
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, best_epoch_label);
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, class_grid);
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, heatmap);
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, predict_box);
  gtk_widget_class_bind_template_child (widget_class, WlResultsPage, predict_file_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_cell_activated);

  gtk_widget_class_install_action (widget_class, "results.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "results.save-to", "s", save_to_action);
  gtk_widget_class_install_action (widget_class, "results.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "results.predict-file", NULL, predict_file_action);
  gtk_widget_class_install_action (widget_class, "results.predict-file-to", "(ss)", predict_file_to_action);
  gtk_widget_class_install_action (widget_class, "results.show-cell", "(uu)", show_cell_action);
}

static void
wl_results_page_init (WlResultsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
wl_results_page_new (WlSession *session)
{
  WlResultsPage *self;

  g_return_val_if_fail (WL_IS_SESSION (session), NULL);

  self = g_object_new (WL_TYPE_RESULTS_PAGE, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_swapped (session, "notify::state", G_CALLBACK (on_state_changed), self);
  on_state_changed (self);
  return GTK_WIDGET (self);
}
