/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-window-progress.c: the current run's progress in the header bar. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-window-progress.h"

struct _WlWindowProgress
{
  GtkButton      *button;
  GtkLabel       *label;
  GtkProgressBar *bar;
  WlSession      *session;
  WlStage         stage;
  double          fraction;   /* of the stage */
  guint           epoch;      /* the one under way; 0 before training */
};

static void
update (WlWindowProgress *self)
{
  g_autofree char *text = NULL, *tooltip = NULL;

  if (self->stage == WL_STAGE_TRAIN && self->epoch > 0)
    /* Translators: the run's progress in the header bar, "Epoch 3 · 42 %" */
    text = g_strdup_printf (_("Epoch %u · %.0f %%"), self->epoch, self->fraction * 100);
  else
    /* Translators: the run's progress in the header bar before training, "42 %" */
    text = g_strdup_printf (_("%.0f %%"), self->fraction * 100);
  gtk_label_set_text (self->label, text);
  gtk_progress_bar_set_fraction (self->bar, CLAMP (self->fraction, 0, 1));
  /* Translators: the tooltip of the run's progress in the header bar, "Training: show the Train page" */
  tooltip = g_strdup_printf (_("%s: show the Train page"),
                             wl_session_state_to_string (wl_session_get_state (self->session)));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
}

static void
on_run_event (WlWindowProgress *self,
              const WlEvent    *event)
{
  switch (event->type)
    {
    case WL_EVENT_STAGE_STARTED:
      if (event->stage == WL_STAGE_LOAD)
        self->epoch = 0;
      self->stage = event->stage;
      self->fraction = 0;
      break;
    case WL_EVENT_PROGRESS:
    case WL_EVENT_EPOCH:
      self->stage = event->stage;
      self->fraction = event->fraction;
      if (event->stage == WL_STAGE_TRAIN && event->epoch > 0)
        self->epoch = event->epoch;
      break;
    case WL_EVENT_STAGE_FINISHED:
    case WL_EVENT_MESSAGE:
    case WL_EVENT_FINISHED:
    case WL_EVENT_FAILED:
    case WL_EVENT_CANCELLED:
    default:
      return;
    }
  update (self);
}

WlWindowProgress *
wl_window_progress_new (GtkButton *button,
                        WlSession *session)
{
  WlWindowProgress *self = g_new0 (WlWindowProgress, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  self->button = button;
  self->session = g_object_ref (session);
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "numeric");
  self->bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->bar));
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (button), "header-progress");
  gtk_button_set_child (button, box);
  g_signal_connect_swapped (session, "run-event", G_CALLBACK (on_run_event), self);
  g_signal_connect_swapped (session, "notify::state", G_CALLBACK (update), self);
  update (self);
  return self;
}

void
wl_window_progress_free (WlWindowProgress *self)
{
  g_signal_handlers_disconnect_by_data (self->session, self);
  g_object_unref (self->session);
  g_free (self);
}
