/* wl-session.c: the window's data file, config and current run. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "exec/wl-parallel.h"
#include "wl-error.h"
#include "wl-session.h"

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
};

G_DEFINE_FINAL_TYPE (WlSession, wl_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_STATE,
  PROP_BUSY,
  PROP_SAMPLE,
  N_PROPS
};

enum {
  CONFIG_CHANGED,
  RUN_EVENT,
  ERROR,
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

static void
on_run_event (WlRun         *run,
              const WlEvent *event,
              gpointer       user_data)
{
  WlSession *self = user_data;

  g_ptr_array_add (self->events, wl_event_copy (event));
  g_signal_emit (self, signals[RUN_EVENT], 0, event);

  switch (event->type)
    {
    case WL_EVENT_FINISHED:
      set_state (self, WL_SESSION_FINISHED);
      g_object_unref (self);
      break;
    case WL_EVENT_FAILED:
      set_state (self, WL_SESSION_FAILED);
      wl_session_report_error (self, event->error);
      g_object_unref (self);
      break;
    case WL_EVENT_CANCELLED:
      set_state (self, WL_SESSION_CANCELLED);
      g_object_unref (self);
      break;
    default:
      break;
    }
}

gboolean
wl_session_start_run (WlSession  *self,
                      GError    **error)
{
  g_return_val_if_fail (WL_IS_SESSION (self), FALSE);

  if (wl_session_is_busy (self))
    {
      g_set_error_literal (error, WL_ERROR, WL_ERROR_INVALID,
                           _("A run is already going; stop it first"));
      return FALSE;
    }
  if (self->config->data.input == NULL)
    {
      g_set_error_literal (error, WL_ERROR, WL_ERROR_INVALID,
                           _("Open a CSV or TSV file on the Data page first"));
      return FALSE;
    }

  g_clear_pointer (&self->run, wl_run_unref);
  g_ptr_array_set_size (self->events, 0);
  self->run = wl_run_new (self->config);
  self->run_start = g_get_monotonic_time ();
  set_state (self, WL_SESSION_RUNNING);
  /* The session lives until the run's last event (FINISHED, FAILED or
   * CANCELLED), which drops this reference. */
  wl_run_start (self->run, NULL, on_run_event, g_object_ref (self));
  return TRUE;
}

void
wl_session_set_paused (WlSession *self,
                       gboolean   paused)
{
  g_return_if_fail (WL_IS_SESSION (self));

  if (!wl_session_is_busy (self))
    return;
  wl_run_set_paused (self->run, paused);
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
