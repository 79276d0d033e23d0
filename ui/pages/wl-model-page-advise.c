/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model-page-advise.c: the Model page's "Which Is Faster?": the engine's
 * advisor (train/wl-advise.h) on a worker with its own run store
 * connection (the wisdom), the candidates drawn as bars of projected time
 * (widgets/wl-advice-chart.c), and "Use This", which sets the device,
 * threads, precision and batch size the advisor picked.  The page only asks and
 * draws; every number comes from the engine. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pages/wl-store-job.h"
#include "store/wl-store-wisdom.h"
#include "widgets/wl-advice-chart.h"
#include "wl-model-page-private.h"

typedef struct
{
  WlConfig     *config;
  GCancellable *cancellable;
} AdviseJob;

static void
advise_job_free (AdviseJob *job)
{
  wl_config_free (job->config);
  g_object_unref (job->cancellable);
  g_free (job);
}

/* On the worker, with the job's store connection. */
static gpointer
advise_in_store (WlStore   *store,
                 gpointer   data,
                 GError   **error)
{
  AdviseJob *job = data;
  WlAdviseOptions options = { 0.0, FALSE, wl_store_get_wisdom (), store };

  return wl_advise_run (job->config, &options, job->cancellable, error);
}

static char *
candidate_name (const WlAdviseCandidate *c)
{
  g_autofree char *where = NULL;

  if (g_str_equal (c->device, "cpu"))
    where = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "CPU, %u thread", "CPU, %u threads",
                                          c->threads), c->threads);
  else
    /* Translators: an OpenCL device and a precision: "GeForce RTX 3060, fp16" */
    where = g_strdup_printf (_("%s, %s"), c->device_name, wl_precision_to_string (c->precision));
  if (c->batch_size == 0)
    return g_steal_pointer (&where);
  /* Translators: a candidate and its batch size: "CPU, 2 threads, batch 64" */
  return g_strdup_printf (_("%s, batch %u"), where, c->batch_size);
}

static void
show_advice (WlModelPage *self)
{
  const WlAdvice *a = self->advice;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) prep = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) train = g_array_new (FALSE, FALSE, sizeof (double));
  guint pick = 0;

  for (guint i = 0; i < a->candidates->len; i++)
    {
      const WlAdviseCandidate *c = g_ptr_array_index (a->candidates, i);
      double p = c->load + c->preprocess, t = c->train + c->evaluate;

      if (c->failure != NULL)
        continue;
      if (i == a->pick)
        pick = names->len;
      g_ptr_array_add (names, candidate_name (c));
      g_array_append_val (prep, p);
      g_array_append_val (train, t);
    }
  wl_advice_chart_set_bars (WL_ADVICE_CHART (self->advise_chart),
                            (const char * const *) names->pdata, (double *) (gpointer) prep->data,
                            (double *) (gpointer) train->data, names->len, pick);
  gtk_label_set_text (GTK_LABEL (self->advise_summary), a->summary);
  gtk_widget_set_visible (self->advise_box, TRUE);
}

static void
on_advised (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  g_autoptr(GError) error = NULL;
  WlAdvice *advice = wl_store_job_finish (result, &error);
  WlModelPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* the page went away, or measures again */
  self = WL_MODEL_PAGE (source);
  g_clear_object (&self->advise_cancellable);
  gtk_button_set_label (GTK_BUTTON (self->advise_button), _("Measure"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "model.advise", TRUE);
  if (advice == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->advise_summary), error->message);
      gtk_widget_set_visible (self->advise_box, TRUE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "model.use-advice", FALSE);
      return;
    }
  g_clear_pointer (&self->advice, wl_advice_free);
  self->advice = advice;
  show_advice (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "model.use-advice", TRUE);
}

static void
advise_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WlModelPage *self = WL_MODEL_PAGE (widget);
  const WlConfig *config = wl_session_get_config (self->session);
  AdviseJob *job;

  if (config->data.input == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->advise_summary),
                          _("Open a data file first (Open, in the header bar): the measuring "
                            "trains on a sample of it."));
      gtk_widget_set_visible (self->advise_box, TRUE);
      return;
    }
  job = g_new0 (AdviseJob, 1);
  job->config = wl_config_copy (config);
  self->advise_cancellable = g_cancellable_new ();
  job->cancellable = g_object_ref (self->advise_cancellable);
  gtk_widget_action_set_enabled (widget, "model.advise", FALSE);
  gtk_widget_action_set_enabled (widget, "model.use-advice", FALSE);
  gtk_button_set_label (GTK_BUTTON (self->advise_button), _("Measuring…"));
  wl_store_job_run (self, self->advise_cancellable, advise_in_store, job,
                    (GDestroyNotify) advise_job_free, (GDestroyNotify) wl_advice_free,
                    on_advised, NULL);
}

static void
use_advice_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  WlModelPage *self = WL_MODEL_PAGE (widget);

  if (self->advice == NULL)
    return;
  wl_advise_apply (wl_advice_get_pick (self->advice), wl_session_get_config (self->session));
  wl_model_page_commit (self);
}

void
wl_model_page_advise_dispose (WlModelPage *self)
{
  if (self->advise_cancellable != NULL)
    g_cancellable_cancel (self->advise_cancellable);
  g_clear_object (&self->advise_cancellable);
  g_clear_pointer (&self->advice, wl_advice_free);
}

void
wl_model_page_advise_class_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (WL_TYPE_ADVICE_CHART);
  gtk_widget_class_bind_template_child (widget_class, WlModelPage, advise_button);
  gtk_widget_class_bind_template_child (widget_class, WlModelPage, advise_box);
  gtk_widget_class_bind_template_child (widget_class, WlModelPage, advise_chart);
  gtk_widget_class_bind_template_child (widget_class, WlModelPage, advise_summary);
  gtk_widget_class_install_action (widget_class, "model.advise", NULL, advise_action);
  gtk_widget_class_install_action (widget_class, "model.use-advice", NULL, use_advice_action);
}
