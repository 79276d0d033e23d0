/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-train-page.c: the Train page: the run's state, figures and live charts.
 *
 * Everything here comes from the session's run events: the page keeps the
 * run it shows, and when the session starts another one (or the page comes
 * late) it clears the charts and replays wl_session_get_events().  Every
 * chart's x axis is the seconds since the run started (event->elapsed), as
 * on the Resources page, with the run's stages as shaded spans.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "eval/wl-chart-ticks.h"
#include "widgets/wl-line-chart.h"
#include "widgets/wl-verdict-view.h"
#include "wl-error-advice.h"
#include "wl-format.h"
#include "wl-stage-label.h"
#include "wl-train-page.h"

#define N_CHARTS 4

struct _WlTrainPage
{
  AdwBin               parent_instance;

  WlSession           *session;
  WlRun               *run;            /* the run shown; a reference, so a new one differs */
  guint                clock_id;       /* ticks the elapsed time while a run goes */
  WlMetric             metric;         /* the run's early-stop metric */

  /* What the events said so far */
  WlStage              stage;
  double               stage_fraction;
  double               elapsed;
  guint                epoch;
  guint                n_epochs;       /* the most the run may train */
  guint                stop_epoch;     /* where early stopping likely ends it; 0: unknown */
  double               eta;            /* seconds left until stop_epoch; < 0: unknown */
  double               eta_max;        /* until n_epochs */
  double               tokens_per_s;
  guint                best_epoch;
  double               best_value;
  char                *error;

  /* Series */
  guint                train_loss, valid_loss, valid_accuracy, valid_f1, lr, speed;

  /* Template children */
  GtkStack            *stack;
  GtkLabel            *state_label;
  GtkLabel            *stage_label;
  GtkProgressBar      *stage_bar;
  GtkWidget           *start_button;
  GtkWidget           *pause_button;
  GtkWidget           *stop_button;
  GtkLabel            *epoch_label;
  GtkLabel            *elapsed_label;
  GtkLabel            *eta_label;
  GtkLabel            *speed_label;
  GtkLabel            *best_label;
  GtkLabel            *best_detail_label;
  WlLineChart         *loss_chart;
  WlLineChart         *accuracy_chart;
  WlLineChart         *lr_chart;
  WlLineChart         *speed_chart;
  WlVerdictView       *verdict_view;
  AdwPreferencesGroup *messages_group;
  GtkListBox          *messages_list;
};

G_DEFINE_FINAL_TYPE (WlTrainPage, wl_train_page, ADW_TYPE_BIN)

static void
get_charts (WlTrainPage *self,
            WlLineChart *charts[N_CHARTS])
{
  charts[0] = self->loss_chart;
  charts[1] = self->accuracy_chart;
  charts[2] = self->lr_chart;
  charts[3] = self->speed_chart;
}

/* Text */

static const char *
stage_doing (WlStage stage)
{
  switch (stage)
    {
    case WL_STAGE_LOAD:      return _("Reading the data file");
    case WL_STAGE_CLEAN:     return _("Cleaning and tokenising the texts");
    case WL_STAGE_FEATURIZE: return _("Building the features");
    case WL_STAGE_TRAIN:     return _("Training the model");
    case WL_STAGE_EVALUATE:  return _("Evaluating on the test part");
    case WL_N_STAGES:
    default:                 g_return_val_if_reached (NULL);
    }
}

static char *
format_metric (WlMetric metric,
               double   value)
{
  switch (metric)
    {
    /* Translators: the validation metric of the best epoch */
    case WL_METRIC_ACCURACY: return g_strdup_printf (_("accuracy %.1f %%"), value * 100);
    case WL_METRIC_MACRO_F1: return g_strdup_printf (_("macro-F1 %.1f %%"), value * 100);
    case WL_METRIC_LOSS:     return g_strdup_printf (_("loss %.4f"), value);
    default:                 g_return_val_if_reached (NULL);
    }
}

/* Figures */

static gboolean
is_busy (WlTrainPage *self)
{
  return wl_session_is_busy (self->session);
}

/* The state, what the run does now, and its progress bar. */
static void
update_status (WlTrainPage *self)
{
  WlSessionState state = wl_session_get_state (self->session);
  g_autofree char *elapsed = wl_format_duration (self->elapsed);
  g_autofree char *text = NULL;

  gtk_label_set_text (self->state_label, wl_session_state_to_string (state));
  switch (state)
    {
    case WL_SESSION_RUNNING:
    case WL_SESSION_PAUSED:
      if (self->stage == WL_STAGE_TRAIN && self->n_epochs > 0)
        /* Translators: "Training the model · 42 %" */
        text = g_strdup_printf (_("%s · %.0f %%"), stage_doing (self->stage),
                                self->stage_fraction * 100);
      else
        text = g_strdup (stage_doing (self->stage));
      break;
    case WL_SESSION_FINISHED:
      text = g_strdup_printf (_("Trained and evaluated in %s"), elapsed);
      break;
    case WL_SESSION_CANCELLED:
      /* Translators: "Stopped after 1:05, at the Train stage" */
      text = g_strdup_printf (_("Stopped after %s, at the %s stage"), elapsed,
                              wl_stage_label (self->stage));
      break;
    case WL_SESSION_FAILED:
      text = g_strdup (self->error ? self->error : "");
      break;
    case WL_SESSION_IDLE:
    default:
      text = g_strdup ("");
      break;
    }
  gtk_label_set_text (self->stage_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->stage_bar), is_busy (self));
  gtk_progress_bar_set_fraction (self->stage_bar, CLAMP (self->stage_fraction, 0, 1));
}

static void
update_figures (WlTrainPage *self)
{
  g_autofree char *elapsed = wl_format_duration (self->elapsed);
  g_autofree char *text = NULL;

  update_status (self);
  if (self->n_epochs > 0 && self->stop_epoch > 0 && self->stop_epoch < self->n_epochs)
    /* Translators: the epoch under way when early stopping may end training
     * before the maximum, "4 (at most 50)" */
    text = g_strdup_printf (_("%u (at most %u)"), self->epoch, self->n_epochs);
  else if (self->n_epochs > 0)
    /* Translators: the epoch under way, "3 of 10" */
    text = g_strdup_printf (_("%u of %u"), self->epoch, self->n_epochs);
  gtk_label_set_text (self->epoch_label, text ? text : "—");
  gtk_label_set_text (self->elapsed_label, elapsed);

  g_clear_pointer (&text, g_free);
  if (is_busy (self) && self->stage == WL_STAGE_TRAIN && self->eta >= 0)
    {
      g_autofree char *soonest = wl_format_duration (self->eta);
      g_autofree char *most = self->eta_max > self->eta ? wl_format_duration (self->eta_max) : NULL;

      /* Translators: the time left in training, from when early stopping
       * ends it if validation does not improve again to the most epochs */
      text = most != NULL ? g_strdup_printf (_("%s to %s"), soonest, most) : g_steal_pointer (&soonest);
    }
  gtk_label_set_text (self->eta_label, text ? text : "—");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->eta_label),
                               text != NULL && self->eta_max > self->eta
                               ? _("Training ends after the first time if validation does not "
                                   "improve again (early stopping); each better epoch moves that "
                                   "end later, up to the most epochs")
                               : NULL);

  g_clear_pointer (&text, g_free);
  if (self->tokens_per_s > 0)
    text = wl_chart_format_reading (self->tokens_per_s);
  gtk_label_set_text (self->speed_label, text ? text : "—");

  g_clear_pointer (&text, g_free);
  if (self->best_epoch > 0)
    {
      g_autofree char *detail = isfinite (self->best_value)
                                ? format_metric (self->metric, self->best_value)
                                : g_strdup (_("no validation part"));

      text = g_strdup_printf ("%u", self->best_epoch);
      gtk_label_set_text (self->best_detail_label, detail);
    }
  else
    gtk_label_set_text (self->best_detail_label, "");
  gtk_label_set_text (self->best_label, text ? text : "—");
}

static void
set_now (WlTrainPage *self,
         double       elapsed)
{
  WlLineChart *list[N_CHARTS];

  self->elapsed = MAX (self->elapsed, elapsed);
  get_charts (self, list);
  for (guint i = 0; i < N_CHARTS; i++)
    wl_line_chart_set_now (list[i], self->elapsed);
}

/* Messages */

static void
add_message (WlTrainPage *self,
             const char  *message,
             WlStage      stage,
             double       elapsed,
             gboolean     is_error)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *at = wl_format_duration (elapsed);
  g_autofree char *subtitle = NULL;

  /* Translators: where a message of the run came from, "Clean · 0:12" */
  subtitle = g_strdup_printf (_("%s · %s"), wl_stage_label (stage), at);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), message);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), is_error ? "dialog-error-symbolic"
                                                               : "dialog-information-symbolic");
  gtk_list_box_append (self->messages_list, row);
  gtk_widget_set_visible (GTK_WIDGET (self->messages_group), TRUE);
}

/* Events */

static void
add_training_point (WlTrainPage   *self,
                    const WlEvent *event)
{
  self->epoch = event->epoch;
  self->n_epochs = event->n_epochs;
  self->stop_epoch = event->stop_epoch;
  self->eta = event->eta;
  self->eta_max = event->eta_max;
  if (isfinite (event->train_loss))
    wl_line_chart_append (self->loss_chart, self->train_loss, event->elapsed, event->train_loss);
  if (isfinite (event->lr))
    wl_line_chart_append (self->lr_chart, self->lr, event->elapsed, event->lr);
  if (event->tokens_per_s > 0)
    {
      self->tokens_per_s = event->tokens_per_s;
      wl_line_chart_append (self->speed_chart, self->speed, event->elapsed, event->tokens_per_s);
    }
}

static void
add_epoch (WlTrainPage   *self,
           const WlEvent *event)
{
  add_training_point (self, event);
  self->stage_fraction = event->fraction;
  if (isfinite (event->valid_loss))
    wl_line_chart_append (self->loss_chart, self->valid_loss, event->elapsed, event->valid_loss);
  if (isfinite (event->valid_accuracy))
    wl_line_chart_append (self->accuracy_chart, self->valid_accuracy, event->elapsed,
                          event->valid_accuracy * 100);
  if (isfinite (event->valid_macro_f1))
    wl_line_chart_append (self->accuracy_chart, self->valid_f1, event->elapsed,
                          event->valid_macro_f1 * 100);
  if (event->is_best)
    {
      self->best_epoch = event->epoch;
      self->best_value = self->metric == WL_METRIC_LOSS ? event->valid_loss
                         : self->metric == WL_METRIC_MACRO_F1 ? event->valid_macro_f1
                         : event->valid_accuracy;
    }
}

static void
apply_event (WlTrainPage   *self,
             const WlEvent *event)
{
  WlLineChart *list[N_CHARTS];

  get_charts (self, list);
  set_now (self, event->elapsed);
  switch (event->type)
    {
    case WL_EVENT_STAGE_STARTED:
      self->stage = event->stage;
      self->stage_fraction = 0;
      for (guint i = 0; i < N_CHARTS; i++)
        wl_line_chart_add_span (list[i], event->elapsed, -1, wl_stage_label (event->stage));
      break;
    case WL_EVENT_STAGE_FINISHED:
      self->stage_fraction = 1;
      for (guint i = 0; i < N_CHARTS; i++)
        wl_line_chart_close_span (list[i], event->elapsed);
      break;
    case WL_EVENT_PROGRESS:
      self->stage = event->stage;
      self->stage_fraction = event->fraction;
      if (event->stage == WL_STAGE_TRAIN)
        add_training_point (self, event);
      break;
    case WL_EVENT_EPOCH:
      add_epoch (self, event);
      break;
    case WL_EVENT_MESSAGE:
      add_message (self, event->message, event->stage, event->elapsed, FALSE);
      break;
    case WL_EVENT_VERDICT:
      wl_verdict_view_set (self->verdict_view, &event->verdict);
      break;
    case WL_EVENT_FAILED:
      g_free (self->error);
      self->error = event->error ? wl_error_with_advice (event->error) : g_strdup (_("The run failed"));
      add_message (self, self->error, self->stage, event->elapsed, TRUE);
      G_GNUC_FALLTHROUGH;
    case WL_EVENT_FINISHED:
    case WL_EVENT_CANCELLED:
    default:
      for (guint i = 0; i < N_CHARTS; i++)
        wl_line_chart_close_span (list[i], event->elapsed);
      break;
    }
}

/* Forgets the run shown and shows the session's current one from its
 * first event. */
static void
reset (WlTrainPage *self)
{
  WlRun *run = wl_session_get_run (self->session);
  GPtrArray *events = wl_session_get_events (self->session);
  WlLineChart *list[N_CHARTS];
  GtkWidget *row;

  g_clear_pointer (&self->run, wl_run_unref);
  self->run = run ? wl_run_ref (run) : NULL;
  self->metric = wl_session_get_config (self->session)->model.early_stop_metric;
  self->stage = WL_STAGE_LOAD;
  self->stage_fraction = 0;
  self->elapsed = 0;
  self->epoch = self->n_epochs = self->stop_epoch = 0;
  self->eta = self->eta_max = -1;
  self->tokens_per_s = 0;
  self->best_epoch = 0;
  self->best_value = NAN;
  g_clear_pointer (&self->error, g_free);

  get_charts (self, list);
  for (guint i = 0; i < N_CHARTS; i++)
    wl_line_chart_clear (list[i]);
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->messages_list))) != NULL)
    gtk_list_box_remove (self->messages_list, row);
  gtk_widget_set_visible (GTK_WIDGET (self->messages_group), FALSE);
  wl_verdict_view_set (self->verdict_view, NULL);

  for (guint i = 0; i < events->len; i++)
    apply_event (self, g_ptr_array_index (events, i));
}

static gboolean
on_clock (gpointer data)
{
  WlTrainPage *self = data;

  set_now (self, wl_session_get_elapsed (self->session));
  update_figures (self);
  return G_SOURCE_CONTINUE;
}

static void
on_state_changed (WlTrainPage *self)
{
  WlSessionState state = wl_session_get_state (self->session);
  gboolean busy = is_busy (self);

  if (wl_session_get_run (self->session) != self->run)
    reset (self);

  gtk_stack_set_visible_child_name (self->stack, state == WL_SESSION_IDLE ? "empty" : "run");
  gtk_widget_set_visible (self->start_button, !busy);
  gtk_widget_set_visible (self->pause_button, busy);
  gtk_widget_set_visible (self->stop_button, busy);
  gtk_button_set_label (GTK_BUTTON (self->pause_button),
                        state == WL_SESSION_PAUSED ? _("_Resume") : _("_Pause"));
  gtk_widget_set_tooltip_text (self->pause_button,
                               state == WL_SESSION_PAUSED
                               ? _("Go on training (Ctrl+P)")
                               : _("Pause training; the time paused does not count in the speed (Ctrl+P)"));
  gtk_button_set_label (GTK_BUTTON (self->start_button),
                        state == WL_SESSION_IDLE ? _("_Train") : _("_Train Again"));

  if (busy && self->clock_id == 0)
    self->clock_id = g_timeout_add_seconds (1, on_clock, self);
  else if (!busy)
    g_clear_handle_id (&self->clock_id, g_source_remove);
  update_figures (self);
}

static void
on_run_event (WlTrainPage   *self,
              const WlEvent *event)
{
  /* The session has added @event to its events already. */
  if (wl_session_get_run (self->session) != self->run)
    reset (self);
  else
    apply_event (self, event);
  update_figures (self);
}

/* Object */

/* The series; the titles, captions and time axes are the template's. */
static void
setup_charts (WlTrainPage *self)
{
  self->train_loss = wl_line_chart_add_series (self->loss_chart, _("training"),
                                               WL_CHART_AXIS_LEFT, 0);
  self->valid_loss = wl_line_chart_add_series (self->loss_chart, _("validation"),
                                               WL_CHART_AXIS_LEFT, 1);

  wl_line_chart_set_axis_limits (self->accuracy_chart, WL_CHART_AXIS_LEFT, 0, 100);
  self->valid_accuracy = wl_line_chart_add_series (self->accuracy_chart, _("accuracy"),
                                                   WL_CHART_AXIS_LEFT, 2);
  self->valid_f1 = wl_line_chart_add_series (self->accuracy_chart, _("macro-F1"),
                                             WL_CHART_AXIS_LEFT, 3);

  self->lr = wl_line_chart_add_series (self->lr_chart, _("learning rate"),
                                       WL_CHART_AXIS_LEFT, 4);

  self->speed = wl_line_chart_add_series (self->speed_chart, _("tokens per second"),
                                          WL_CHART_AXIS_LEFT, 0);
}

static void
wl_train_page_dispose (GObject *object)
{
  WlTrainPage *self = WL_TRAIN_PAGE (object);

  g_clear_handle_id (&self->clock_id, g_source_remove);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_pointer (&self->run, wl_run_unref);
  /* The stack is AdwBin's child: let go of it before the template does. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WL_TYPE_TRAIN_PAGE);
  G_OBJECT_CLASS (wl_train_page_parent_class)->dispose (object);
}

static void
wl_train_page_finalize (GObject *object)
{
  WlTrainPage *self = WL_TRAIN_PAGE (object);

  g_free (self->error);
  G_OBJECT_CLASS (wl_train_page_parent_class)->finalize (object);
}

static void
wl_train_page_class_init (WlTrainPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wl_train_page_dispose;
  object_class->finalize = wl_train_page_finalize;

  g_type_ensure (WL_TYPE_LINE_CHART);
  g_type_ensure (WL_TYPE_VERDICT_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/wordloom/Wordloom/pages/wl-train-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, stack);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, verdict_view);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, stage_label);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, stage_bar);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, epoch_label);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, eta_label);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, speed_label);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, best_label);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, best_detail_label);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, loss_chart);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, accuracy_chart);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, lr_chart);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, speed_chart);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, messages_group);
  gtk_widget_class_bind_template_child (widget_class, WlTrainPage, messages_list);
}

static void
wl_train_page_init (WlTrainPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_charts (self);
}

GtkWidget *
wl_train_page_new (WlSession *session)
{
  WlTrainPage *self;

  g_return_val_if_fail (WL_IS_SESSION (session), NULL);

  self = g_object_new (WL_TYPE_TRAIN_PAGE, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_swapped (session, "notify::state", G_CALLBACK (on_state_changed), self);
  g_signal_connect_swapped (session, "run-event", G_CALLBACK (on_run_event), self);
  reset (self);
  on_state_changed (self);
  return GTK_WIDGET (self);
}
