/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-session.c: the window's data file, config and current run. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "exec/wl-parallel.h"
#include "store/wl-resource-sample.h"
#include "wl-error.h"
#include "wl-settings.h"
#include "wl-session-private.h"

struct _WlSession
{
  GObject         parent_instance;

  GFile          *file;
  WlConfig       *config;
  GPtrArray      *sample;       /* char *, NULL-terminated */
  guint64         n_rows;

  WlRun          *run;
  GPtrArray      *events;       /* WlEvent * */
  WlSessionState  state;
  gint64          run_start;
  double          time_offset;  /* a resumed run's time where it went on */
  gboolean        preparing;    /* a resume is being prepared */
  WlRunRecorder  *recorder;     /* the run's, while it goes */
  gint64          run_id;
};

G_DEFINE_FINAL_TYPE (WlSession, wl_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_STATE,
  PROP_BUSY,
  PROP_SAMPLE,
  PROP_RUN_ID,
  N_PROPS
};

enum {
  CONFIG_CHANGED,
  RUN_EVENT,
  ERROR,
  RUN_STORED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_state (WlSession      *self,
           WlSessionState  state)
{
  gboolean was_busy = wl_session_is_busy (self);

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (was_busy != wl_session_is_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
wl_session_dispose (GObject *object)
{
  WlSession *self = WL_SESSION (object);

  g_clear_pointer (&self->run, wl_run_unref);
  g_clear_object (&self->file);
  G_OBJECT_CLASS (wl_session_parent_class)->dispose (object);
}

static void
wl_session_finalize (GObject *object)
{
  WlSession *self = WL_SESSION (object);

  wl_config_free (self->config);
  g_ptr_array_unref (self->sample);
  g_ptr_array_unref (self->events);
  G_OBJECT_CLASS (wl_session_parent_class)->finalize (object);
}

static void
wl_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  WlSession *self = WL_SESSION (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, wl_session_is_busy (self));
      break;
    case PROP_SAMPLE:
      g_value_set_boxed (value, self->sample->pdata);
      break;
    case PROP_RUN_ID:
      g_value_set_int64 (value, self->run_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  WlSession *self = WL_SESSION (object);

  switch (prop_id)
    {
    case PROP_FILE:
      wl_session_set_file (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wl_session_class_init (WlSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  /* This process has a window: the engine's work threads give way to the
   * main loop (see wl_parallel_set_background()). */
  wl_parallel_set_background (TRUE);

  object_class->dispose = wl_session_dispose;
  object_class->finalize = wl_session_finalize;
  object_class->get_property = wl_session_get_property;
  object_class->set_property = wl_session_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, WL_SESSION_IDLE, WL_SESSION_CANCELLED, WL_SESSION_IDLE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAMPLE] =
    g_param_spec_boxed ("sample", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUN_ID] =
    g_param_spec_int64 ("run-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* ::config-changed: a page changed wl_session_get_config(). */
  signals[CONFIG_CHANGED] =
    g_signal_new ("config-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* ::run-event (const WlEvent *event): every event of the current run. */
  signals[RUN_EVENT] =
    g_signal_new ("run-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /* ::error (const GError *error): something for a toast. */
  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /* ::run-stored (gint64 id): the store holds the end of run @id. */
  signals[RUN_STORED] =
    g_signal_new ("run-stored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
wl_session_init (WlSession *self)
{
  self->config = wl_config_new ();
  self->sample = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) wl_event_free);
}

WlSession *
wl_session_new (void)
{
  return g_object_new (WL_TYPE_SESSION, NULL);
}

GFile *
wl_session_get_file (WlSession *self)
{
  g_return_val_if_fail (WL_IS_SESSION (self), NULL);
  return self->file;
}

void
wl_session_set_file (WlSession *self,
                     GFile     *file)
{
  g_return_if_fail (WL_IS_SESSION (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  if (!g_set_object (&self->file, file))
    return;
  g_free (self->config->data.input);
  self->config->data.input = file ? g_file_get_path (file) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  wl_session_config_changed (self);
}

WlConfig *
wl_session_get_config (WlSession *self)
{
  g_return_val_if_fail (WL_IS_SESSION (self), NULL);
  return self->config;
}

void
wl_session_config_changed (WlSession *self)
{
  g_return_if_fail (WL_IS_SESSION (self));
  g_signal_emit (self, signals[CONFIG_CHANGED], 0);
}

void
wl_session_set_sample (WlSession *self,
                       GPtrArray *texts,
                       guint64    n_rows)
{
  g_return_if_fail (WL_IS_SESSION (self));

  g_ptr_array_set_size (self->sample, 0);
  for (guint i = 0; texts != NULL && i < texts->len; i++)
    g_ptr_array_add (self->sample, g_strdup (g_ptr_array_index (texts, i)));
  self->n_rows = n_rows;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE]);
}

const char * const *
wl_session_get_sample (WlSession *self,
                       guint     *n_texts)
{
  g_return_val_if_fail (WL_IS_SESSION (self), NULL);
  if (n_texts != NULL)
    *n_texts = self->sample->len;
  return (const char * const *) self->sample->pdata;
}

guint64
wl_session_get_n_rows (WlSession *self)
{
  g_return_val_if_fail (WL_IS_SESSION (self), 0);
  return self->n_rows;
}

/* Recording */

static void
set_run_id (WlSession *self,
            gint64     id)
{
  if (self->run_id == id)
    return;
  self->run_id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN_ID]);
}

static void
on_recorder_closed (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  WlSession *self = WL_SESSION (object);
  gint64 id = GPOINTER_TO_SIZE (user_data);
  g_autoptr(GError) error = NULL;
  GApplication *app = g_application_get_default ();

  if (!wl_session_close_recorder_finish (self, result, &error))
    wl_session_report_error (self, error);
  g_signal_emit (self, signals[RUN_STORED], 0, id);
  if (app != NULL)
    g_application_release (app);
}

/* The last rows go on a thread; the application waits for them. */
static void
close_recorder (WlSession *self)
{
  G_STATIC_ASSERT (sizeof (gint64) <= sizeof (gsize));

  if (self->recorder == NULL)
    return;
  wl_session_close_recorder_async (self, g_steal_pointer (&self->recorder), on_recorder_closed,
                                   GSIZE_TO_POINTER ((gsize) self->run_id));
}

static void
on_run_event (WlRun         *run,
              const WlEvent *event,
              gpointer       user_data)
{
  WlSession *self = user_data;
  WlEvent *copy = wl_event_copy (event);

  /* A resumed run's own time starts at 0: it goes on from the store's. */
  copy->elapsed += self->time_offset;
  g_ptr_array_add (self->events, copy);
  if (self->recorder != NULL)
    wl_run_recorder_handle_event (self->recorder, event);
  g_signal_emit (self, signals[RUN_EVENT], 0, copy);

  switch (event->type)
    {
    case WL_EVENT_FINISHED:
      close_recorder (self);
      set_state (self, WL_SESSION_FINISHED);
      g_object_unref (self);
      break;
    case WL_EVENT_FAILED:
      close_recorder (self);
      set_state (self, WL_SESSION_FAILED);
      wl_session_report_error (self, event->error);
      g_object_unref (self);
      break;
    case WL_EVENT_CANCELLED:
      close_recorder (self);
      set_state (self, WL_SESSION_CANCELLED);
      g_object_unref (self);
      break;
    default:
      break;
    }
}

/* Starts self->run, recorded by @launch's recorder when it has one. */
static void
launch_run (WlSession       *self,
            WlSessionLaunch *launch)
{
  GApplication *app = g_application_get_default ();

  if (launch->recorder != NULL)
    {
      self->recorder = g_steal_pointer (&launch->recorder);
      set_run_id (self, wl_run_recorder_get_id (self->recorder));
      /* Closing the window stops the run: its end is still written. */
      if (app != NULL)
        g_application_hold (app);
    }
  /* The session lives until the run's last event (FINISHED, FAILED or
   * CANCELLED), which drops this reference. */
  wl_run_start (self->run, NULL, on_run_event, g_object_ref (self));
}

static void
on_recorder_ready (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  WlSession *self = WL_SESSION (object);
  g_autoptr(WlSessionLaunch) launch = wl_session_record_finish (self, result);

  if (launch->record_error != NULL)
    {
      g_autoptr(GError) error = NULL;

      g_set_error (&error, WL_ERROR, WL_ERROR_IO, _("This run is not recorded in the run store: %s"),
                   launch->record_error->message);
      wl_session_report_error (self, error);
    }
  launch_run (self, launch);
}

static gboolean
check_idle (WlSession  *self,
            GError    **error)
{
  if (self->preparing)
    g_set_error_literal (error, WL_ERROR, WL_ERROR_INVALID,
                         _("A run is being resumed; wait until it goes, or stop it then"));
  else if (wl_session_is_busy (self))
    g_set_error_literal (error, WL_ERROR, WL_ERROR_INVALID,
                         _("A run is already going; stop it first"));
  return !self->preparing && !wl_session_is_busy (self);
}

/* @run (new or resumed, not started) becomes the current run. */
static void
replace_run (WlSession *self,
             WlRun     *run,
             double     time_offset)
{
  g_clear_pointer (&self->run, wl_run_unref);
  self->run = run;
  self->time_offset = time_offset;
  self->run_start = g_get_monotonic_time () - (gint64) (time_offset * G_USEC_PER_SEC);
  set_run_id (self, 0);
}

gboolean
wl_session_start_run (WlSession  *self,
                      GError    **error)
{
  g_autoptr(WlConfig) config = NULL;

  g_return_val_if_fail (WL_IS_SESSION (self), FALSE);

  if (!check_idle (self, error))
    return FALSE;
  if (self->config->data.input == NULL)
    {
      g_set_error_literal (error, WL_ERROR, WL_ERROR_INVALID,
                           _("Open a CSV or TSV file on the Data page first"));
      return FALSE;
    }

  /* The Model page hides the rows of the settings that the model does not
   * use, but keeps their values for when that model is picked again: the
   * run gets them back at their defaults.  What is left must be valid. */
  config = wl_config_copy (self->config);
  wl_config_drop_unused (config);
  if (!wl_config_validate (config, WL_SETTING_NAME_KEY, error))
    return FALSE;

  g_ptr_array_set_size (self->events, 0);
  replace_run (self, wl_run_new (config), 0);
  set_state (self, WL_SESSION_RUNNING);
  /* The run starts once its recorder is ready (opening the store is
   * file work); a stop or a pause meanwhile takes effect then. */
  wl_session_record_async (self, self->run, on_recorder_ready, NULL);
  return TRUE;
}

static void
on_resume_ready (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WlSession *self = WL_SESSION (object);
  g_autoptr(WlSessionLaunch) launch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  const char *input;

  self->preparing = FALSE;
  if ((launch = wl_session_prepare_resume_finish (self, result, &error)) == NULL)
    {
      wl_session_report_error (self, error);
      return;
    }

  /* Its settings and data become the session's, for every page. */
  if (launch->config != NULL && !wl_config_merge_json (self->config, launch->config, -1, &error))
    g_debug ("Resumed run's settings not shown: %s", error->message);
  input = wl_run_get_config (launch->run)->data.input;
  file = input != NULL ? g_file_new_for_path (input) : NULL;
  if (file != NULL && (self->file == NULL || !g_file_equal (self->file, file)))
    wl_session_set_file (self, file);
  else
    wl_session_config_changed (self);

  g_ptr_array_unref (self->events);
  self->events = g_steal_pointer (&launch->events);
  replace_run (self, g_steal_pointer (&launch->run), launch->offset);
  set_state (self, WL_SESSION_RUNNING);
  launch_run (self, launch);
}

gboolean
wl_session_resume_run (WlSession  *self,
                       gint64      id,
                       GError    **error)
{
  g_return_val_if_fail (WL_IS_SESSION (self), FALSE);
  g_return_val_if_fail (id > 0, FALSE);

  if (!check_idle (self, error))
    return FALSE;
  self->preparing = TRUE;
  wl_session_prepare_resume_async (self, id, on_resume_ready, NULL);
  return TRUE;
}

gint64
wl_session_get_run_id (WlSession *self)
{
  g_return_val_if_fail (WL_IS_SESSION (self), 0);
  return self->run_id;
}

void
wl_session_set_paused (WlSession *self,
                       gboolean   paused)
{
  g_return_if_fail (WL_IS_SESSION (self));

  if (!wl_session_is_busy (self))
    return;
  wl_run_set_paused (self->run, paused);
  /* The run's clock left the pause out: the charts' origin follows it. */
  self->run_start = g_get_monotonic_time () -
                    (gint64) (wl_session_get_elapsed (self) * G_USEC_PER_SEC);
  set_state (self, paused ? WL_SESSION_PAUSED : WL_SESSION_RUNNING);
}

void
wl_session_stop_run (WlSession *self)
{
  g_return_if_fail (WL_IS_SESSION (self));

  if (wl_session_is_busy (self))
    wl_run_cancel (self->run);
}

WlSessionState
wl_session_get_state (WlSession *self)
{
  g_return_val_if_fail (WL_IS_SESSION (self), WL_SESSION_IDLE);
  return self->state;
}

gboolean
wl_session_is_busy (WlSession *self)
{
  g_return_val_if_fail (WL_IS_SESSION (self), FALSE);
  return self->state == WL_SESSION_RUNNING || self->state == WL_SESSION_PAUSED;
}

WlRun *
wl_session_get_run (WlSession *self)
{
  g_return_val_if_fail (WL_IS_SESSION (self), NULL);
  return self->run;
}

GPtrArray *
wl_session_get_events (WlSession *self)
{
  g_return_val_if_fail (WL_IS_SESSION (self), NULL);
  return self->events;
}

gint64
wl_session_get_run_start (WlSession *self)
{
  g_return_val_if_fail (WL_IS_SESSION (self), 0);
  return self->run_start;
}

double
wl_session_get_elapsed (WlSession *self)
{
  g_return_val_if_fail (WL_IS_SESSION (self), 0);
  return self->run != NULL ? self->time_offset + wl_run_get_elapsed (self->run) : 0;
}

void
wl_session_add_resource_sample (WlSession             *self,
                                const WlMonitorSample *sample)
{
  WlResourceSample row;

  g_return_if_fail (WL_IS_SESSION (self));
  g_return_if_fail (sample != NULL);

  if (self->recorder == NULL)
    return;
  wl_resource_sample_from_monitor (&row, sample);
  wl_run_recorder_add_sample (self->recorder, &row);
}

void
wl_session_report_error (WlSession    *self,
                         const GError *error)
{
  g_return_if_fail (WL_IS_SESSION (self));
  g_return_if_fail (error != NULL);
  g_signal_emit (self, signals[ERROR], 0, error);
}

const char *
wl_session_state_to_string (WlSessionState state)
{
  switch (state)
    {
    case WL_SESSION_IDLE:      return _("Ready");
    case WL_SESSION_RUNNING:   return _("Training");
    case WL_SESSION_PAUSED:    return _("Paused");
    case WL_SESSION_FINISHED:  return _("Finished");
    case WL_SESSION_FAILED:    return _("Failed");
    case WL_SESSION_CANCELLED: return _("Stopped");
    default:                   g_return_val_if_reached (NULL);
    }
}
