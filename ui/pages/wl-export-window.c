/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-export-window.c: Export a model: a run's just trained (the Results
 * page) or a stored run's best checkpoint (the Runs page).
 *
 * The formats come from the engine (wl_export_formats), the variant is
 * made and written by the engine (wl_classifier_new_variant, then
 * wl_export_save) and the deployment card is the engine's, measured on
 * the run's test part on a worker with progress and cancel.  A stored
 * run's test part is derived again by the engine from the run's input
 * file (wl_store_load_test_part_async) when Measure is first pressed;
 * when it cannot be (the file is gone or changed), the message says why
 * and a test file can be chosen instead, read as the model's data was
 * (wl_classifier_load_texts).  The workers read the classifier, the
 * record and the test part, which the window frees only in finalize: each
 * worker's task holds a reference to the window.  Actions: export.measure,
 * export.choose-test (a file chooser), export.test-file (a path; for
 * tests), export.save (a file chooser), export.save-to (a path; for
 * tests), export.cancel.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "store/wl-store-test-part.h"
#include "train/wl-deploy-card.h"
#include "train/wl-export-formats.h"
#include "train/wl-predict-file.h"
#include "train/wl-worker-job.h"
#include "wl-error.h"
#include "wl-export-window.h"
#include "wl-format.h"
#include "widgets/wl-size-chart.h"
#include "wl-window.h"

struct _WlExportWindow
{
  AdwWindow       parent_instance;

  WlRun          *run;           /* the classifier's owner, from the Results page */
  WlClassifier   *own;           /* or the classifier itself, from the Runs page */
  const WlClassifier *classifier;
  WlConfig       *config;        /* as the model's run ran */
  WlRunRecord    *record;        /* a stored run's row: its test part is derived again */
  WlDataset      *test;          /* what the card is measured on; NULL until there is one */
  char           *described;     /* what test_label says when nothing is being read */
  char           *test_path;     /* the test file being read (export.choose-test) */
  char           *save_path;     /* the file being written (export.save-to) */
  char           *no_card;       /* why there is no card without one (NULL: derive it) */
  GtkWindow      *parent;        /* weak: where the toast goes */
  GCancellable   *cancellable;   /* of the card or the save in progress */

  AdwComboRow    *format_row;
  AdwComboRow    *precision_row;
  GtkSpinButton  *prune_spin;
  GtkProgressBar *progress;
  GtkLabel       *test_label;    /* what the card is measured on */
  GtkGrid        *card_grid;
  WlSizeChart    *size_chart;
  GtkLabel       *message_label;
};

G_DEFINE_FINAL_TYPE (WlExportWindow, wl_export_window, ADW_TYPE_WINDOW)

static const WlExportFormatInfo *
chosen_format (WlExportWindow *self)
{
  guint n;
  const WlExportFormatInfo *formats = wl_export_formats (&n);

  return &formats[MIN (adw_combo_row_get_selected (self->format_row), n - 1)];
}

static void
show_message (WlExportWindow *self,
              const char     *message)
{
  gtk_label_set_text (self->message_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static void
set_busy (WlExportWindow *self,
          gboolean        busy)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.measure", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.choose-test", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.test-file", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.save", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.save-to", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.cancel", busy);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), busy);
  if (busy)
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      gtk_progress_bar_set_fraction (self->progress, 0.0);
      show_message (self, NULL);
    }
}

/* The card */

static void
grid_add (GtkGrid    *grid,
          int         column,
          int         row,
          const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0.f : 1.f);
  if (row == 0)
    gtk_widget_add_css_class (label, "heading");
  else if (column > 0)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (grid, label, column, row, 1, 1);
}

static void
show_card (WlExportWindow *self,
           GArray         *rows)
{
  const char *headings[] = { _("Variant"), _("Size"), _("Smaller"), _("ms per text"),
                             _("Texts/s"), _("Memory"), _("Accuracy"), _("Change"),
                             _("Macro-F1"), _("Change") };
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint64 *sizes = g_new (guint64, rows->len);
  g_autofree double *accuracies = g_new (double, rows->len);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->card_grid))) != NULL)
    gtk_grid_remove (self->card_grid, child);
  for (guint c = 0; c < G_N_ELEMENTS (headings); c++)
    grid_add (self->card_grid, c, 0, headings[c]);
  for (guint i = 0; i < rows->len; i++)
    {
      const WlDeployCardRow *row = &g_array_index (rows, WlDeployCardRow, i);
      const WlDeployCardRow *fp32 = &g_array_index (rows, WlDeployCardRow, 0);
      char *cells[G_N_ELEMENTS (headings)] = {
        wl_variant_describe (&row->variant),
        g_format_size (row->file_size),
        g_strdup_printf ("%.1f×", (double) fp32->file_size / MAX (row->file_size, 1)),
        g_strdup_printf ("%.3f", row->latency_ms),
        g_strdup_printf ("%.0f", row->texts_per_second),
        g_format_size (row->peak_bytes),
        g_strdup_printf ("%.2f %%", 100.0 * row->accuracy),
        g_strdup_printf ("%+.2f", row->accuracy_change),
        g_strdup_printf ("%.4f", row->macro_f1),
        g_strdup_printf ("%+.2f", row->macro_f1_change),
      };

      for (guint c = 0; c < G_N_ELEMENTS (headings); c++)
        {
          grid_add (self->card_grid, c, i + 1, cells[c]);
          g_free (cells[c]);
        }
      sizes[i] = row->file_size;
      accuracies[i] = row->accuracy;
      g_ptr_array_add (names, wl_variant_describe (&row->variant));
    }
  wl_size_chart_set_points (self->size_chart, sizes, accuracies,
                            (const char * const *) names->pdata, rows->len);
  gtk_widget_set_visible (GTK_WIDGET (self->size_chart), rows->len > 0);
}

static void
on_card_progress (guint64  index,
                  guint64  n_variants,
                  gpointer data)
{
  WlExportWindow *self = data;

  gtk_progress_bar_set_fraction (self->progress, (double) index / MAX (n_variants, 1u));
}

static void
on_card (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(WlExportWindow) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = wl_deploy_card_compute_finish (result, &error);

  set_busy (self, FALSE);
  if (rows != NULL)
    show_card (self, rows);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           !g_error_matches (error, WL_ERROR, WL_ERROR_CANCELLED))
    show_message (self, error->message);
}

static void
start_card (WlExportWindow *self)
{
  set_busy (self, TRUE);
  /* The progress callback's window is kept alive by the callback's ref. */
  wl_deploy_card_compute_async (self->classifier, self->test, NULL, 0, 0,
                                on_card_progress, self, self->cancellable, on_card,
                                g_object_ref (self));
}

/* The test part: a stored run's made again, or a chosen file */

/* What the card is measured on, or what is being read; hidden when empty. */
static void
show_test_label (WlExportWindow *self,
                 const char     *text)
{
  gtk_label_set_text (self->test_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->test_label), text != NULL);
}

static void
set_test (WlExportWindow *self,
          WlDataset      *test,
          const char     *description)
{
  g_clear_pointer (&self->test, wl_dataset_free);
  self->test = test;
  g_free (self->described);
  self->described = g_strdup (description);
  show_test_label (self, description);
}

static void
on_load_progress (guint64  done,
                  guint64  total,
                  gpointer data)
{
  WlExportWindow *self = data;

  gtk_progress_bar_set_fraction (self->progress, total > 0 ? (double) done / total : 0.0);
}

/* The test part is read: measure on it at once. */
static void
on_test_loaded (WlExportWindow *self,
                WlDataset      *test,
                const char     *description,
                GError         *error)
{
  set_busy (self, FALSE);
  if (test == NULL)
    {
      show_test_label (self, self->described);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_error_matches (error, WL_ERROR, WL_ERROR_CANCELLED))
        {
          /* Translators: an error, then the window's way out */
          g_autofree char *message = g_strdup_printf (_("%s. Choose Test File… measures the card on "
                                                        "another labelled file."), error->message);

          show_message (self, message);
        }
      return;
    }
  set_test (self, test, description);
  start_card (self);
}

static void
on_test_part (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(WlExportWindow) self = data;
  g_autoptr(GError) error = NULL;
  WlDataset *test = wl_store_load_test_part_finish (result, &error);
  g_autofree char *name = g_path_get_basename (self->record->dataset);
  /* Translators: what the deployment card is measured on, "Test part of run 12, made again from sms.csv" */
  g_autofree char *description = g_strdup_printf (_("Test part of run %lld, made again from %s"),
                                                  (long long) self->record->id, name);

  on_test_loaded (self, test, description, error);
}

static void
measure_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  WlExportWindow *self = WL_EXPORT_WINDOW (widget);

  if (self->test != NULL)
    start_card (self);
  else if (self->record != NULL)
    {
      set_busy (self, TRUE);
      show_test_label (self, _("Reading the run's input file to make its test part again…"));
      wl_store_load_test_part_async (self->record, on_load_progress, self, self->cancellable,
                                     on_test_part, g_object_ref (self));
    }
  else
    show_message (self, self->no_card);
}

static gpointer
load_test_file_job (gpointer         job,
                    WlProgressFunc   progress,
                    gpointer         progress_data,
                    GCancellable    *cancellable,
                    GError         **error)
{
  WlExportWindow *self = job;

  return wl_classifier_load_texts (self->classifier, self->test_path, NULL, TRUE, cancellable, error);
}

static void
on_test_file (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(WlExportWindow) self = data;
  g_autoptr(GError) error = NULL;
  WlDataset *test = wl_worker_job_finish (result, load_test_file_job, &error);
  g_autofree char *name = g_path_get_basename (self->test_path);
  /* Translators: what the deployment card is measured on, "Test file: reviews.csv" */
  g_autofree char *description = g_strdup_printf (_("Test file: %s"), name);

  on_test_loaded (self, test, description, error);
}

/* Reads @path as the model's data was read, then measures on it. */
static void
use_test_file (WlExportWindow *self,
               const char     *path)
{
  set_busy (self, TRUE);
  g_free (self->test_path);
  self->test_path = g_strdup (path);
  show_test_label (self, _("Reading the test file…"));
  /* The window (the job) is kept alive by the callback's ref. */
  wl_worker_job_run (load_test_file_job, load_test_file_job, self, NULL,
                     (GDestroyNotify) wl_dataset_free, NULL, NULL, self->cancellable,
                     on_test_file, g_object_ref (self));
}

static void
test_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  use_test_file (WL_EXPORT_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* The local path the user accepted in @chooser, or NULL; releases the
 * chooser. */
static char *
take_chosen_path (GtkNativeDialog *chooser,
                  int              response)
{
  g_autoptr(GFile) file = response == GTK_RESPONSE_ACCEPT
                          ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)) : NULL;

  g_object_unref (chooser);
  return file != NULL ? g_file_get_path (file) : NULL;
}

static void
on_test_chooser_response (GtkNativeDialog *chooser,
                          int              response,
                          WlExportWindow  *self)
{
  g_autofree char *path = take_chosen_path (chooser, response);

  if (path != NULL)
    use_test_file (self, path);
}

static void
choose_test_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WlExportWindow *self = WL_EXPORT_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Choose a Labelled Test File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CSV and TSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "tsv");
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_test_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Saving */

typedef struct
{
  const WlClassifier *classifier;   /* the window's: the callback holds the window */
  WlVariant  variant;
  char      *format;
  char      *path;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_free (job->format);
  g_free (job->path);
  g_free (job);
}

/* Makes the variant and writes it; the result is the file's size. */
static gpointer
save_job (gpointer         data,
          WlProgressFunc   progress,
          gpointer         progress_data,
          GCancellable    *cancellable,
          GError         **error)
{
  SaveJob *job = data;
  g_autoptr(WlClassifier) variant = wl_classifier_new_variant (job->classifier, &job->variant,
                                                               NULL, cancellable, error);
  GStatBuf st;

  if (variant == NULL || !wl_export_save (variant, job->format, job->path, error))
    return NULL;
  return g_memdup2 (&(guint64) { g_stat (job->path, &st) == 0 ? (guint64) st.st_size : 0 },
                    sizeof (guint64));
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(WlExportWindow) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree guint64 *size = wl_worker_job_finish (result, save_job, &error);

  set_busy (self, FALSE);
  if (size == NULL)
    {
      show_message (self, error->message);
      return;
    }
  if (WL_IS_WINDOW (self->parent))
    {
      g_autofree char *name = g_path_get_basename (self->save_path);
      g_autofree char *size_text = wl_format_size (*size);
      g_autofree char *message = g_strdup_printf (_("Exported %s (%s)"), name, size_text);
      g_autoptr(GFile) file = g_file_new_for_path (self->save_path);
      g_autoptr(GFile) folder = g_file_get_parent (file);
      g_autofree char *uri = g_file_get_uri (folder);

      wl_window_add_toast_with_folder (WL_WINDOW (self->parent), message, uri);
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_to (WlExportWindow *self,
         const char     *path)
{
  SaveJob *job = g_new0 (SaveJob, 1);

  set_busy (self, TRUE);
  g_free (self->save_path);
  self->save_path = g_strdup (path);
  job->classifier = self->classifier;
  job->variant.int8 = adw_combo_row_get_selected (self->precision_row) == 1;
  job->variant.sparsity = gtk_spin_button_get_value (self->prune_spin);
  job->format = g_strdup (chosen_format (self)->id);
  job->path = g_strdup (path);
  /* Not cancelled with the window's measuring: a started save finishes. */
  wl_worker_job_run (save_job, save_job, job, (GDestroyNotify) save_job_free, g_free, NULL, NULL,
                     NULL, on_saved, g_object_ref (self));
}

static void
save_to_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  save_to (WL_EXPORT_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     WlExportWindow  *self)
{
  g_autofree char *path = take_chosen_path (chooser, response);

  if (path != NULL)
    save_to (self, path);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WlExportWindow *self = WL_EXPORT_WINDOW (widget);
  const WlExportFormatInfo *format = chosen_format (self);
  const WlConfig *config = self->config;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *pattern = g_strdup_printf ("*.%s", format->extension);
  g_autofree char *base = g_path_get_basename (config->data.input);
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  name = g_strdup_printf ("%s-%s%s.%s", base, wl_model_type_to_string (config->model.type),
                          adw_combo_row_get_selected (self->precision_row) == 1 ? "-int8" : "",
                          format->extension);
  chooser = gtk_file_chooser_native_new (_("Export Model"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _(format->name));
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_cancellable_cancel (WL_EXPORT_WINDOW (widget)->cancellable);
}

/* Building */

static void
wl_export_window_dispose (GObject *object)
{
  WlExportWindow *self = WL_EXPORT_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->parent != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->parent), (gpointer *) &self->parent);
  self->parent = NULL;
  G_OBJECT_CLASS (wl_export_window_parent_class)->dispose (object);
}

static void
wl_export_window_finalize (GObject *object)
{
  WlExportWindow *self = WL_EXPORT_WINDOW (object);

  g_clear_pointer (&self->test, wl_dataset_free);
  g_clear_pointer (&self->record, wl_run_record_free);
  g_clear_pointer (&self->run, wl_run_unref);
  g_clear_pointer (&self->own, wl_classifier_free);
  g_clear_pointer (&self->config, wl_config_free);
  g_free (self->described);
  g_free (self->test_path);
  g_free (self->save_path);
  g_free (self->no_card);
  G_OBJECT_CLASS (wl_export_window_parent_class)->finalize (object);
}

static void
wl_export_window_class_init (WlExportWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wl_export_window_dispose;
  object_class->finalize = wl_export_window_finalize;
  gtk_widget_class_install_action (widget_class, "export.measure", NULL, measure_action);
  gtk_widget_class_install_action (widget_class, "export.choose-test", NULL, choose_test_action);
  gtk_widget_class_install_action (widget_class, "export.test-file", "s", test_file_action);
  gtk_widget_class_install_action (widget_class, "export.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "export.save-to", "s", save_to_action);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wl_export_window_init (WlExportWindow *self)
{
}

static GtkWidget *
button (const char *label,
        const char *action,
        const char *css_class)
{
  GtkWidget *widget = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (widget), action);
  if (css_class != NULL)
    gtk_widget_add_css_class (widget, css_class);
  return widget;
}

static void
build (WlExportWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *settings = adw_preferences_group_new ();
  GtkWidget *card = adw_preferences_group_new ();
  GtkWidget *prune_row = adw_action_row_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *card_buttons;
  g_autoptr(GtkStringList) format_names = gtk_string_list_new (NULL);
  const char *precisions[] = { _("fp32 (as trained)"), _("int8 (weight rows in 8 bits: the card shows the size)"), NULL };
  g_autoptr(GtkStringList) precision_names = gtk_string_list_new (precisions);
  guint n;
  const WlExportFormatInfo *formats = wl_export_formats (&n);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (format_names, _(formats[i].name));
  gtk_window_set_title (GTK_WINDOW (self), _("Export Model"));
  gtk_window_set_default_size (GTK_WINDOW (self), 1000, 600);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (settings), _("File"));
  self->format_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->format_row), _("_Format"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->format_row), TRUE);
  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (format_names));
  self->precision_row = ADW_COMBO_ROW (adw_combo_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->precision_row), "precision_row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->precision_row), _("_Precision"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->precision_row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->precision_row),
                               _("int8 stores each weight in one byte; the model predicts from them"));
  adw_combo_row_set_model (self->precision_row, G_LIST_MODEL (precision_names));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (prune_row), _("P_runing"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (prune_row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (prune_row),
                               _("The fraction of vocabulary and feature rows with the smallest norms left out of the file"));
  self->prune_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0.0, WL_MODEL_MAX_SPARSITY, 0.05));
  gtk_widget_set_name (GTK_WIDGET (self->prune_spin), "prune_spin");
  gtk_spin_button_set_digits (self->prune_spin, 2);
  gtk_widget_set_valign (GTK_WIDGET (self->prune_spin), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (prune_row), GTK_WIDGET (self->prune_spin));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (prune_row), GTK_WIDGET (self->prune_spin));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (settings), GTK_WIDGET (self->format_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (settings), GTK_WIDGET (self->precision_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (settings), prune_row);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (card), _("Deployment Card"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (card),
                                         _("Each variant saved, loaded and measured on the test part below, on this machine"));
  card_buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (card_buttons), button (_("Choose _Test File…"), "export.choose-test", NULL));
  gtk_box_append (GTK_BOX (card_buttons), button (_("_Measure"), "export.measure", NULL));
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (card), card_buttons);
  self->test_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->test_label), "test_label");
  gtk_label_set_wrap (self->test_label, TRUE);
  gtk_label_set_xalign (self->test_label, 0.f);
  gtk_widget_add_css_class (GTK_WIDGET (self->test_label), "dim-label");
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->test_label), 6);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (card), GTK_WIDGET (self->test_label));
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  self->card_grid = GTK_GRID (gtk_grid_new ());
  gtk_widget_set_name (GTK_WIDGET (self->card_grid), "card_grid");
  gtk_grid_set_column_spacing (self->card_grid, 18);
  gtk_grid_set_row_spacing (self->card_grid, 6);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (card), GTK_WIDGET (self->progress));
  self->size_chart = WL_SIZE_CHART (wl_size_chart_new ());
  gtk_widget_set_name (GTK_WIDGET (self->size_chart), "size_chart");
  wl_size_chart_set_title (self->size_chart, _("File size against accuracy"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->size_chart),
                               _("Each variant's file size (across, on a log scale) against its test accuracy"));
  gtk_widget_set_margin_top (GTK_WIDGET (self->size_chart), 12);
  gtk_widget_set_visible (GTK_WIDGET (self->size_chart), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (card), GTK_WIDGET (self->card_grid));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (card), GTK_WIDGET (self->size_chart));

  self->message_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->message_label), "message_label");
  gtk_label_set_wrap (self->message_label, TRUE);
  gtk_label_set_xalign (self->message_label, 0.f);
  gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), button (_("_Stop"), "export.cancel", NULL));
  gtk_box_append (GTK_BOX (buttons), button (_("_Export…"), "export.save", "suggested-action"));

  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_box_append (GTK_BOX (box), settings);
  gtk_box_append (GTK_BOX (box), card);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->message_label));
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (outer), header);
  gtk_box_append (GTK_BOX (outer), scrolled);
  adw_window_set_content (ADW_WINDOW (self), outer);
}

/* Takes @test (described by @test_description); @no_card: why the card
 * cannot be measured without it. */
static WlExportWindow *
export_window_new (GtkWindow          *parent,
                   const WlClassifier *classifier,
                   const WlConfig     *config,
                   WlDataset          *test,
                   const char         *test_description,
                   const char         *no_card)
{
  WlExportWindow *self = g_object_new (WL_TYPE_EXPORT_WINDOW, NULL);

  self->classifier = classifier;
  self->config = wl_config_copy (config);
  self->no_card = g_strdup (no_card);
  self->parent = parent;
  if (parent != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (parent), (gpointer *) &self->parent);
      gtk_window_set_transient_for (GTK_WINDOW (self), parent);
    }
  build (self);
  set_test (self, test, test_description);
  set_busy (self, FALSE);
  return self;
}

WlExportWindow *
wl_export_window_new (GtkWindow *parent,
                      WlRun     *run)
{
  WlExportWindow *self;
  const guint32 *rows;
  gsize n_rows;
  WlDataset *test = NULL;

  g_return_val_if_fail (run != NULL && wl_run_get_classifier (run) != NULL, NULL);

  rows = wl_run_get_test_rows (run, &n_rows);
  if (n_rows > 0)
    test = wl_dataset_new_subset (wl_run_get_test_dataset (run), rows, n_rows);
  self = export_window_new (parent, wl_run_get_classifier (run), wl_run_get_config (run), test,
                            test != NULL ? _("This run's test part") : NULL,
                            _("This run kept no rows for testing, so the variants cannot be "
                              "compared: choose a labelled test file (Choose Test File…), or keep "
                              "a test part on the Model page and train again."));
  self->run = wl_run_ref (run);
  return self;
}

WlExportWindow *
wl_export_window_new_for_stored (GtkWindow      *parent,
                                 WlClassifier   *classifier,
                                 const WlConfig *config,
                                 WlRunRecord    *record)
{
  WlExportWindow *self;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;

  g_return_val_if_fail (classifier != NULL && config != NULL && record != NULL, NULL);

  name = record->dataset != NULL ? g_path_get_basename (record->dataset) : g_strdup ("—");
  /* Translators: before Measure, "The test part of run 12 is made again from sms.csv when you measure" */
  description = g_strdup_printf (_("The test part of run %lld is made again from %s when you measure"),
                                 (long long) record->id, name);
  self = export_window_new (parent, classifier, config, NULL, description, NULL);
  self->own = classifier;
  self->record = record;
  return self;
}
