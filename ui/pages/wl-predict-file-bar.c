/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-predict-file-bar.c: Predict a File: the engine reads the file the
 * way the model's data was read (wl_classifier_load_texts, on a GTask
 * worker) and writes the CSV (wl_classifier_predict_file_async, on its
 * worker, progress on the main loop).  Stop cancels either at once; the
 * engine then leaves no output file.  Action: predict-file.cancel. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "train/wl-predict-file.h"
#include "wl-error.h"
#include "wl-predict-file-bar.h"
#include "wl-window.h"

struct _WlPredictFileBar
{
  GtkBox          parent_instance;

  GCancellable   *cancellable;   /* of the file going; NULL when idle */
  GtkLabel       *label;         /* references: a job may end after dispose */
  GtkProgressBar *progress;
};

G_DEFINE_FINAL_TYPE (WlPredictFileBar, wl_predict_file_bar, GTK_TYPE_BOX)

typedef struct
{
  WlPredictFileBar *self;    /* a reference */
  WlRun            *run;     /* keeps the classifier */
  WlDataset        *texts;
  char             *input;
  char             *output;
} Job;

static void
job_free (Job *job)
{
  g_object_unref (job->self);
  wl_run_unref (job->run);
  g_clear_pointer (&job->texts, wl_dataset_free);
  g_free (job->input);
  g_free (job->output);
  g_free (job);
}

static void
toast (WlPredictFileBar *self,
       const char       *message,
       const char       *folder_uri)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!WL_IS_WINDOW (root))
    return;
  if (folder_uri != NULL)
    wl_window_add_toast_with_folder (WL_WINDOW (root), message, folder_uri);
  else
    wl_window_add_toast (WL_WINDOW (root), message);
}

/* Ends the job with a toast: the output's folder, the stop, or the error. */
static void
finish (Job    *job,
        GError *error)
{
  WlPredictFileBar *self = job->self;
  g_autofree char *input = g_path_get_basename (job->input);
  g_autofree char *output = g_path_get_basename (job->output);
  g_autofree char *message = NULL;

  g_clear_object (&self->cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  if (error == NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (job->output);
      g_autoptr(GFile) folder = g_file_get_parent (file);
      g_autofree char *uri = g_file_get_uri (folder);
      guint n = wl_dataset_get_n_rows (job->texts);

      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Predicted %u text into %s",
                                              "Predicted %u texts into %s", n), n, output);
      toast (self, message, uri);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
           g_error_matches (error, WL_ERROR, WL_ERROR_CANCELLED))
    {
      message = g_strdup_printf (_("Stopped predicting %s; nothing was written"), input);
      toast (self, message, NULL);
    }
  else
    {
      message = g_strdup_printf (_("Could not predict %s: %s. Choose another file with Predict a File…"),
                                 input, error->message);
      toast (self, message, NULL);
    }
  job_free (job);
}

static void
on_progress (guint64  done,
             guint64  total,
             gpointer data)
{
  WlPredictFileBar *self = data;

  gtk_progress_bar_set_fraction (self->progress, total > 0 ? (double) done / total : 0.0);
}

static void
on_predicted (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GError) error = NULL;

  wl_classifier_predict_file_finish (result, &error);
  finish (data, error);
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;

  job->texts = wl_classifier_load_texts (wl_run_get_classifier (job->run), job->input,
                                         NULL, FALSE, cancellable, &error);
  if (job->texts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  WlPredictFileBar *self = WL_PREDICT_FILE_BAR (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_path_get_basename (job->input);
  g_autofree char *text = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error) ||
      g_cancellable_set_error_if_cancelled (self->cancellable, &error))
    {
      finish (job, error);
      return;
    }
  text = g_strdup_printf (_("Predicting %s…"), input);
  gtk_label_set_text (self->label, text);
  gtk_progress_bar_set_fraction (self->progress, 0.0);
  wl_classifier_predict_file_async (wl_run_get_classifier (job->run), job->texts, job->output, 0,
                                    on_progress, self, self->cancellable, on_predicted, job);
}

void
wl_predict_file_bar_start (WlPredictFileBar *self,
                           WlRun            *run,
                           const char       *input,
                           const char       *output)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *name = NULL, *text = NULL;
  Job *job;

  g_return_if_fail (WL_IS_PREDICT_FILE_BAR (self));
  g_return_if_fail (run != NULL && wl_run_get_classifier (run) != NULL);
  g_return_if_fail (input != NULL && output != NULL);

  if (self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  job = g_new0 (Job, 1);
  *job = (Job) { g_object_ref (self), wl_run_ref (run), NULL, g_strdup (input), g_strdup (output) };
  name = g_path_get_basename (input);
  text = g_strdup_printf (_("Reading %s…"), name);
  gtk_label_set_text (self->label, text);
  gtk_progress_bar_pulse (self->progress);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);

  task = g_task_new (self, self->cancellable, on_loaded, NULL);
  g_task_set_source_tag (task, wl_predict_file_bar_start);
  /* Not the task's to free: finish() frees it, here or after the prediction. */
  g_task_set_task_data (task, job, NULL);
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, load_thread);
}

/* The choosers: the texts, then where the CSV goes (beside them) */

static GtkWindow *
parent_window (WlPredictFileBar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
on_output_response (GtkNativeDialog  *chooser,
                    int               response,
                    WlPredictFileBar *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL &&
      (path = g_file_get_path (file)) != NULL)
    wl_predict_file_bar_start (self, g_object_get_data (G_OBJECT (chooser), "run"),
                               g_object_get_data (G_OBJECT (chooser), "input"), path);
  g_object_unref (chooser);
}

static void
on_input_response (GtkNativeDialog  *chooser,
                   int               response,
                   WlPredictFileBar *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *input = NULL, *name = NULL;
  GtkFileChooserNative *output;
  char *dot;

  if (response != GTK_RESPONSE_ACCEPT ||
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) == NULL ||
      (input = g_file_get_path (file)) == NULL)
    {
      g_object_unref (chooser);
      return;
    }
  output = gtk_file_chooser_native_new (_("Write the Predictions"), parent_window (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Predict"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (output), TRUE);
  /* "<texts stem>-predicted.csv", beside the texts */
  name = g_file_get_basename (file);
  if ((dot = strrchr (name, '.')) != NULL && dot != name)
    *dot = '\0';
  {
    g_autofree char *csv = g_strdup_printf ("%s-predicted.csv", name);

    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (output), csv);
  }
  if ((folder = g_file_get_parent (file)) != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (output), folder, NULL);
  g_object_set_data_full (G_OBJECT (output), "run",
                          wl_run_ref (g_object_get_data (G_OBJECT (chooser), "run")),
                          (GDestroyNotify) wl_run_unref);
  g_object_set_data_full (G_OBJECT (output), "input", g_steal_pointer (&input), g_free);
  g_signal_connect_object (output, "response", G_CALLBACK (on_output_response), self, 0);
  g_object_unref (chooser);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (output));
}

void
wl_predict_file_bar_choose (WlPredictFileBar *self,
                            WlRun            *run)
{
  g_autoptr(GtkFileFilter) tables = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  g_return_if_fail (WL_IS_PREDICT_FILE_BAR (self));
  g_return_if_fail (run != NULL);

  chooser = gtk_file_chooser_native_new (_("Predict a File"), parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (tables, _("CSV and TSV Files"));
  gtk_file_filter_add_pattern (tables, "*.csv");
  gtk_file_filter_add_pattern (tables, "*.tsv");
  gtk_file_filter_add_pattern (tables, "*.txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), tables);
  /* Predict with the model shown when the dialog opened. */
  g_object_set_data_full (G_OBJECT (chooser), "run", wl_run_ref (run), (GDestroyNotify) wl_run_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_input_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

gboolean
wl_predict_file_bar_is_busy (WlPredictFileBar *self)
{
  g_return_val_if_fail (WL_IS_PREDICT_FILE_BAR (self), FALSE);
  return self->cancellable != NULL;
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_cancellable_cancel (WL_PREDICT_FILE_BAR (widget)->cancellable);
}

static void
wl_predict_file_bar_dispose (GObject *object)
{
  g_cancellable_cancel (WL_PREDICT_FILE_BAR (object)->cancellable);
  G_OBJECT_CLASS (wl_predict_file_bar_parent_class)->dispose (object);
}

static void
wl_predict_file_bar_finalize (GObject *object)
{
  WlPredictFileBar *self = WL_PREDICT_FILE_BAR (object);

  g_object_unref (self->label);
  g_object_unref (self->progress);
  G_OBJECT_CLASS (wl_predict_file_bar_parent_class)->finalize (object);
}

static void
wl_predict_file_bar_class_init (WlPredictFileBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = wl_predict_file_bar_dispose;
  G_OBJECT_CLASS (klass)->finalize = wl_predict_file_bar_finalize;
  gtk_widget_class_install_action (widget_class, "predict-file.cancel", NULL, cancel_action);
}

static void
wl_predict_file_bar_init (WlPredictFileBar *self)
{
  GtkWidget *stop = gtk_button_new_with_mnemonic (_("S_top"));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_MIDDLE);
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_name (GTK_WIDGET (self->progress), "predict_file_progress");
  gtk_widget_set_hexpand (GTK_WIDGET (self->progress), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->progress), GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (stop), "predict-file.cancel");
  gtk_widget_set_tooltip_text (stop, _("Stop predicting the file; nothing is written"));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (g_object_ref (self->label)));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (g_object_ref (self->progress)));
  gtk_box_append (GTK_BOX (self), stop);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
wl_predict_file_bar_new (void)
{
  return g_object_new (WL_TYPE_PREDICT_FILE_BAR, NULL);
}
