/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-predict-box.c: type a sentence, see what a trained model predicts. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-predict-box.h"

/* Wait for a pause in typing before predicting. */
#define DEBOUNCE_MS 200

struct _WlPredictBox
{
  AdwPreferencesGroup  parent_instance;

  WlRun               *run;
  guint                debounce_id;
  GCancellable        *cancellable;   /* of the prediction going on */
  GtkSizeGroup        *names;         /* the label names line up */

  /* Template children */
  AdwEntryRow         *entry;
  GtkListBox          *probabilities;
};

G_DEFINE_FINAL_TYPE (WlPredictBox, wl_predict_box, ADW_TYPE_PREFERENCES_GROUP)

typedef struct
{
  WlRun *run;
  char  *text;
} Job;

typedef struct
{
  guint  label;
  float  p;
} Score;

static void
job_free (Job *job)
{
  wl_run_unref (job->run);
  g_free (job->text);
  g_free (job);
}

static void
predict_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  const WlClassifier *classifier = wl_run_get_classifier (job->run);
  const char *texts[] = { job->text };
  g_autofree float *probs = g_new (float, wl_classifier_get_n_labels (classifier));
  GError *error = NULL;

  if (!wl_classifier_predict (classifier, texts, 1, 1, probs, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&probs), g_free);
}

/* Showing */

static void
clear_rows (WlPredictBox *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->probabilities))) != NULL)
    gtk_list_box_remove (self->probabilities, row);
}

static GtkWidget *
score_row (WlPredictBox *self,
           const char   *name,
           float         p,
           gboolean      best)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *bar = gtk_progress_bar_new ();
  g_autofree char *text = g_strdup_printf (_("%.1f %%"), 100 * p);
  GtkWidget *percent = gtk_label_new (text);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_width_chars (GTK_LABEL (label), 12);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (label, name);
  gtk_size_group_add_widget (self->names, label);
  if (best)
    gtk_widget_add_css_class (label, "heading");
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), p);
  gtk_widget_set_hexpand (bar, TRUE);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (percent), 1);
  gtk_label_set_width_chars (GTK_LABEL (percent), 7);
  gtk_widget_add_css_class (percent, "numeric");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), percent);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static int
compare_scores (gconstpointer a,
                gconstpointer b)
{
  const Score *sa = a, *sb = b;

  if (sa->p != sb->p)
    return sa->p > sb->p ? -1 : 1;
  return sa->label < sb->label ? -1 : sa->label > sb->label;
}

static void
show_probabilities (WlPredictBox *self,
                    const float  *probs)
{
  const WlClassifier *classifier = wl_run_get_classifier (self->run);
  guint n = wl_classifier_get_n_labels (classifier);
  g_autofree Score *scores = g_new (Score, n);

  for (guint i = 0; i < n; i++)
    scores[i] = (Score) { i, probs[i] };
  qsort (scores, n, sizeof (Score), compare_scores);
  clear_rows (self);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->probabilities,
                         score_row (self, wl_classifier_get_label (classifier, scores[i].label),
                                    scores[i].p, i == 0));
  gtk_widget_set_visible (GTK_WIDGET (self->probabilities), TRUE);
}

static void
show_message (WlPredictBox *self,
              const char   *message)
{
  GtkWidget *label = gtk_label_new (message);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  clear_rows (self);
  gtk_list_box_append (self->probabilities, label);
  gtk_widget_set_visible (GTK_WIDGET (self->probabilities), TRUE);
}

static void
on_predicted (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  WlPredictBox *self = WL_PREDICT_BOX (source);
  g_autoptr(GError) error = NULL;
  g_autofree float *probs = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (probs == NULL)
    show_message (self, error->message);
  else
    show_probabilities (self, probs);
}

/* Predicting */

static void
cancel_prediction (WlPredictBox *self)
{
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static gboolean
predict_now (gpointer data)
{
  WlPredictBox *self = data;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
  g_autoptr(GTask) task = NULL;
  Job *job;

  self->debounce_id = 0;
  if (self->run == NULL || *text == '\0')
    {
      clear_rows (self);
      gtk_widget_set_visible (GTK_WIDGET (self->probabilities), FALSE);
      return G_SOURCE_REMOVE;
    }

  self->cancellable = g_cancellable_new ();
  job = g_new0 (Job, 1);
  job->run = wl_run_ref (self->run);
  job->text = g_steal_pointer (&text);
  task = g_task_new (self, self->cancellable, on_predicted, NULL);
  g_task_set_source_tag (task, predict_now);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, predict_thread);
  return G_SOURCE_REMOVE;
}

static void
on_entry_changed (WlPredictBox *self)
{
  cancel_prediction (self);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, predict_now, self);
}

/* Object */

static void
wl_predict_box_dispose (GObject *object)
{
  WlPredictBox *self = WL_PREDICT_BOX (object);

  cancel_prediction (self);
  g_clear_pointer (&self->run, wl_run_unref);
  g_clear_object (&self->names);
  gtk_widget_dispose_template (GTK_WIDGET (self), WL_TYPE_PREDICT_BOX);
  G_OBJECT_CLASS (wl_predict_box_parent_class)->dispose (object);
}

static void
wl_predict_box_class_init (WlPredictBoxClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = wl_predict_box_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/wordloom/Wordloom/pages/wl-predict-box.ui");
  gtk_widget_class_bind_template_child (widget_class, WlPredictBox, entry);
  gtk_widget_class_bind_template_child (widget_class, WlPredictBox, probabilities);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
}

static void
wl_predict_box_init (WlPredictBox *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->names = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
}

GtkWidget *
wl_predict_box_new (void)
{
  return g_object_new (WL_TYPE_PREDICT_BOX, NULL);
}

void
wl_predict_box_set_run (WlPredictBox *self,
                        WlRun        *run)
{
  g_return_if_fail (WL_IS_PREDICT_BOX (self));
  g_return_if_fail (run == NULL || wl_run_get_classifier (run) != NULL);

  if (run == self->run)
    return;
  cancel_prediction (self);
  g_clear_pointer (&self->run, wl_run_unref);
  self->run = run ? wl_run_ref (run) : NULL;
  predict_now (self);
}
