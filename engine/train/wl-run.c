/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run.c: a training run on its own thread, reporting events. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "exec/wl-parallel.h"
#include "io/wl-split.h"
#include "wl-error.h"
#include "wl-run-private.h"

#define PROGRESS_INTERVAL_US (100 * 1000)  /* at most ten progress events a second */

struct _WlRun
{
  gint            ref_count;
  WlConfig       *config;
  GCancellable   *cancellable;

  /* Event delivery */
  GMutex          mutex;
  GQueue          pending;             /* WlEvent *, under mutex */
  gboolean        dispatch_scheduled;  /* under mutex */
  GMainContext   *context;
  WlRunEventFunc  func;
  gpointer        user_data;
  gboolean        sync;
  gint64          start_time;
  gint64          last_progress;       /* worker thread only */

  /* Results, written by the worker before FINISHED */
  WlDataset      *dataset;
  WlDataset      *test_dataset;        /* NULL: the test part is in dataset */
  GArray         *test_rows;
  WlClassifier   *classifier;
  WlEvaluation   *evaluation;
  WlRunSummary    summary;
  gboolean        started;

  /* Pause: the worker waits in wl_run_wait_while_paused() */
  GMutex          pause_mutex;
  GCond           pause_cond;
  gboolean        paused;              /* under pause_mutex */
  gint64          paused_at;           /* under pause_mutex: since when the worker waits, or 0 */

  /* Checkpoints and resuming */
  WlCheckpointFunc checkpoint_func;
  gpointer        checkpoint_data;
  WlFinalModelFunc final_model_func;
  gpointer        final_model_data;
  WlResumePoint  *resume;
  GPtrArray      *label_names;         /* set by the worker after loading */
  guint64        *label_counts;
};

WlRun *
wl_run_new (const WlConfig *config)
{
  WlRun *run;

  g_return_val_if_fail (config != NULL, NULL);

  run = g_new0 (WlRun, 1);
  run->ref_count = 1;
  run->config = wl_config_copy (config);
  run->cancellable = g_cancellable_new ();
  g_mutex_init (&run->mutex);
  g_queue_init (&run->pending);
  g_mutex_init (&run->pause_mutex);
  g_cond_init (&run->pause_cond);
  return run;
}

WlRun *
wl_run_ref (WlRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);
  g_atomic_int_inc (&run->ref_count);
  return run;
}

void
wl_run_unref (WlRun *run)
{
  if (run == NULL || !g_atomic_int_dec_and_test (&run->ref_count))
    return;

  g_queue_clear_full (&run->pending, (GDestroyNotify) wl_event_free);
  g_mutex_clear (&run->mutex);
  g_mutex_clear (&run->pause_mutex);
  g_cond_clear (&run->pause_cond);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_object_unref (run->cancellable);
  wl_config_free (run->config);
  g_clear_pointer (&run->dataset, wl_dataset_free);
  g_clear_pointer (&run->test_dataset, wl_dataset_free);
  g_clear_pointer (&run->test_rows, g_array_unref);
  g_clear_pointer (&run->classifier, wl_classifier_free);
  g_clear_pointer (&run->evaluation, wl_evaluation_free);
  if (run->resume != NULL)
    {
      g_clear_pointer (&run->resume->model, wl_model_free);
      g_clear_pointer (&run->resume->best, wl_model_free);
      g_clear_pointer (&run->resume->labels, g_ptr_array_unref);
      g_free (run->resume);
    }
  g_clear_pointer (&run->label_names, g_ptr_array_unref);
  g_free (run->label_counts);
  g_free (run);
}

/* Event delivery */

static gboolean
dispatch_events (gpointer data)
{
  WlRun *run = data;
  GQueue events = G_QUEUE_INIT;
  WlEvent *event;

  g_mutex_lock (&run->mutex);
  events = run->pending;
  g_queue_init (&run->pending);
  run->dispatch_scheduled = FALSE;
  g_mutex_unlock (&run->mutex);

  while ((event = g_queue_pop_head (&events)) != NULL)
    {
      if (run->func != NULL)
        run->func (run, event, run->user_data);
      wl_event_free (event);
    }
  return G_SOURCE_REMOVE;
}

/* The clock stands still while the worker waits in a pause, and
 * start_time moves on by the wait when it ends (under pause_mutex): the
 * time paused never counts, the work done until the pause took effect does. */
static double
run_elapsed (WlRun *run)
{
  gint64 now = g_get_monotonic_time ();
  double elapsed;

  g_mutex_lock (&run->pause_mutex);
  if (run->paused_at != 0)
    now = run->paused_at;
  elapsed = (now - run->start_time) / (double) G_USEC_PER_SEC;
  g_mutex_unlock (&run->pause_mutex);
  return elapsed;
}

double
wl_run_get_elapsed (WlRun *run)
{
  g_return_val_if_fail (run != NULL, 0);
  return run->started ? run_elapsed (run) : 0;
}

void
wl_run_emit (WlRun   *run,
             WlEvent *event)
{
  event->elapsed = run_elapsed (run);

  if (run->sync)
    {
      if (run->func != NULL)
        run->func (run, event, run->user_data);
      wl_event_free (event);
      return;
    }

  g_mutex_lock (&run->mutex);
  g_queue_push_tail (&run->pending, event);
  if (!run->dispatch_scheduled)
    {
      GSource *source = g_idle_source_new ();

      run->dispatch_scheduled = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, dispatch_events, wl_run_ref (run),
                             (GDestroyNotify) wl_run_unref);
      g_source_set_static_name (source, "[wordloom] run events");
      g_source_attach (source, run->context);
      g_source_unref (source);
    }
  g_mutex_unlock (&run->mutex);
}

gboolean
wl_run_should_report_progress (WlRun    *run,
                               gboolean  force)
{
  gint64 now = g_get_monotonic_time ();

  if (!force && now - run->last_progress < PROGRESS_INTERVAL_US)
    return FALSE;
  run->last_progress = now;
  return TRUE;
}

void
wl_run_emit_message (WlRun      *run,
                     WlStage     stage,
                     const char *format,
                     ...)
{
  WlEvent *event = wl_event_new (WL_EVENT_MESSAGE);
  va_list args;

  va_start (args, format);
  event->message = g_strdup_vprintf (format, args);
  va_end (args);
  event->stage = stage;
  wl_run_emit (run, event);
}

GCancellable *
wl_run_get_cancellable (WlRun *run)
{
  return run->cancellable;
}

WlConfig *
wl_run_get_config_mutable (WlRun *run)
{
  return run->config;
}

void
wl_run_set_config (WlRun    *run,
                   WlConfig *config)
{
  wl_config_free (run->config);
  run->config = config;
}

WlRunSummary *
wl_run_get_summary_mutable (WlRun *run)
{
  return &run->summary;
}

void
wl_run_set_data (WlRun     *run,
                 WlDataset *dataset,
                 WlDataset *test_dataset,
                 GArray    *test_rows)
{
  run->dataset = dataset;
  run->test_dataset = test_dataset;
  run->test_rows = test_rows;
}

void
wl_run_set_result (WlRun        *run,
                   WlClassifier *classifier,
                   WlEvaluation *evaluation)
{
  run->classifier = classifier;
  run->evaluation = evaluation;
}

/* Checkpoints and resuming */

void
wl_run_set_checkpoint_func (WlRun            *run,
                            WlCheckpointFunc  func,
                            gpointer          user_data)
{
  g_return_if_fail (run != NULL);
  g_return_if_fail (!run->started);

  run->checkpoint_func = func;
  run->checkpoint_data = user_data;
}

void
wl_run_set_final_model_func (WlRun            *run,
                             WlFinalModelFunc  func,
                             gpointer          user_data)
{
  g_return_if_fail (run != NULL);
  g_return_if_fail (!run->started);

  run->final_model_func = func;
  run->final_model_data = user_data;
}

void
wl_run_final_model (WlRun         *run,
                    const WlModel *model)
{
  if (run->final_model_func != NULL)
    run->final_model_func (run, model, (const char * const *) run->label_names->pdata,
                           run->label_names->len, run->final_model_data);
}

void
wl_run_set_resume_point (WlRun         *run,
                         WlResumePoint *point)
{
  g_return_if_fail (run != NULL);
  g_return_if_fail (!run->started && run->resume == NULL);
  g_return_if_fail (point != NULL && point->model != NULL && point->labels != NULL);

  run->resume = g_memdup2 (point, sizeof *point);
  memset (point, 0, sizeof *point);
}

WlResumePoint *
wl_run_get_resume_point (WlRun *run)
{
  return run->resume;
}

static gboolean
same_labels (const GPtrArray *a,
             const GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (!g_str_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  return TRUE;
}

gboolean
wl_run_set_labels (WlRun            *run,
                   const WlDataset  *dataset,
                   GError          **error)
{
  guint n_labels = wl_dataset_get_n_labels (dataset);

  run->label_names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_labels; i++)
    g_ptr_array_add (run->label_names, g_strdup (g_ptr_array_index (dataset->label_names, i)));
  run->label_counts = g_new0 (guint64, n_labels + 1);
  for (gsize i = 0; i < wl_dataset_get_n_rows (dataset); i++)
    run->label_counts[wl_dataset_get_label (dataset, i)]++;

  if (run->resume != NULL && !same_labels (run->resume->labels, run->label_names))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("%s: its labels are not those of the checkpoint (%u labels now, %u then); "
                     "resume with the data the run started with, or start a new run"),
                   run->config->data.input, run->label_names->len, run->resume->labels->len);
      return FALSE;
    }
  return TRUE;
}

gboolean
wl_run_checkpoint (WlRun                  *run,
                   const WlModel          *model,
                   const WlModel          *best,
                   WlEvent                *event,
                   const WlEarlyStopState *stop,
                   GError                **error)
{
  WlCheckpoint checkpoint = {
    .event = event,
    .model = model,
    .best = best,
    .labels = (const char * const *) run->label_names->pdata,
    .n_labels = run->label_names->len,
    .stop = *stop,
  };

  if (run->checkpoint_func == NULL)
    return TRUE;
  event->elapsed = run_elapsed (run);
  return run->checkpoint_func (run, &checkpoint, run->checkpoint_data, error);
}

const GPtrArray *
wl_run_get_label_names (WlRun *run)
{
  return run->label_names;
}

const guint64 *
wl_run_get_label_counts (WlRun *run)
{
  return run->label_counts;
}

/* The worker */

static void
finish (WlRun    *run,
        gboolean  ok,
        GError   *error)
{
  WlEvent *event;

  if (ok)
    event = wl_event_new (WL_EVENT_FINISHED);
  else if (g_error_matches (error, WL_ERROR, WL_ERROR_CANCELLED) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    event = wl_event_new (WL_EVENT_CANCELLED);
  else
    {
      event = wl_event_new (WL_EVENT_FAILED);
      event->error = g_error_copy (error);
    }
  wl_run_emit (run, event);
}

static gpointer
run_thread (gpointer data)
{
  WlRun *run = data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  wl_parallel_enter_work_thread ();
  ok = wl_run_pipeline (run, &error);
  finish (run, ok, error);
  wl_run_unref (run);
  return NULL;
}

void
wl_run_start (WlRun          *run,
              GMainContext   *context,
              WlRunEventFunc  func,
              gpointer        user_data)
{
  GThread *thread;

  g_return_if_fail (run != NULL);
  g_return_if_fail (!run->started);

  run->started = TRUE;
  run->context = context ? g_main_context_ref (context) : g_main_context_ref_thread_default ();
  run->func = func;
  run->user_data = user_data;
  run->start_time = g_get_monotonic_time ();
  thread = g_thread_new (WL_RUN_THREAD_NAME, run_thread, wl_run_ref (run));
  g_thread_unref (thread);
}

gboolean
wl_run_run_sync (WlRun           *run,
                 WlRunEventFunc   func,
                 gpointer         user_data,
                 GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (run != NULL, FALSE);
  g_return_val_if_fail (!run->started, FALSE);

  run->started = TRUE;
  run->sync = TRUE;
  run->func = func;
  run->user_data = user_data;
  run->start_time = g_get_monotonic_time ();
  ok = wl_run_pipeline (run, &local_error);
  finish (run, ok, local_error);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

void
wl_run_cancel (WlRun *run)
{
  g_return_if_fail (run != NULL);
  g_cancellable_cancel (run->cancellable);
  /* A paused worker wakes up and sees the cancel. */
  g_mutex_lock (&run->pause_mutex);
  g_cond_broadcast (&run->pause_cond);
  g_mutex_unlock (&run->pause_mutex);
}

void
wl_run_set_paused (WlRun    *run,
                   gboolean  paused)
{
  g_return_if_fail (run != NULL);
  g_mutex_lock (&run->pause_mutex);
  run->paused = !!paused;
  g_cond_broadcast (&run->pause_cond);
  g_mutex_unlock (&run->pause_mutex);
}

gboolean
wl_run_get_paused (WlRun *run)
{
  gboolean paused;

  g_return_val_if_fail (run != NULL, FALSE);
  g_mutex_lock (&run->pause_mutex);
  paused = run->paused;
  g_mutex_unlock (&run->pause_mutex);
  return paused;
}

gint64
wl_run_wait_while_paused (WlRun *run)
{
  gint64 start = 0, waited = 0;

  g_mutex_lock (&run->pause_mutex);
  if (run->paused)
    start = run->paused_at = g_get_monotonic_time ();
  while (run->paused && !g_cancellable_is_cancelled (run->cancellable))
    g_cond_wait (&run->pause_cond, &run->pause_mutex);
  if (start != 0)
    {
      waited = g_get_monotonic_time () - start;
      run->start_time += waited;
      run->paused_at = 0;
    }
  g_mutex_unlock (&run->pause_mutex);
  return waited;
}

const WlConfig *
wl_run_get_config (WlRun *run)
{
  return run->config;
}

const WlDataset *
wl_run_get_dataset (WlRun *run)
{
  return run->dataset;
}

const WlDataset *
wl_run_get_test_dataset (WlRun *run)
{
  return run->test_dataset ? run->test_dataset : run->dataset;
}

const guint32 *
wl_run_get_test_rows (WlRun *run,
                      gsize *n_rows)
{
  *n_rows = run->test_rows ? run->test_rows->len : 0;
  return run->test_rows ? (const guint32 *) (gpointer) run->test_rows->data : NULL;
}

const WlClassifier *
wl_run_get_classifier (WlRun *run)
{
  return run->classifier;
}

const WlEvaluation *
wl_run_get_evaluation (WlRun *run)
{
  return run->evaluation;
}

const WlRunSummary *
wl_run_get_summary (WlRun *run)
{
  return &run->summary;
}
