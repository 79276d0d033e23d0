/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-monitor.c: the sampler thread and the delivery of its samples. */
#include "config.h"

#include <string.h>
#include <time.h>
#include <glib/gi18n-lib.h>

#include "monitor/wl-monitor.h"

/* A sample on its way to the main context; owns what the sample points to. */
typedef struct
{
  WlMonitorSample  sample;
  double          *core_busy;
  WlGpuSample     *gpus;        /* names copied: the probe lives on the thread */
  char            *gpu_status;
  char            *problem;
} Pending;

/* What the thread keeps between readings. */
typedef struct
{
  WlProcReader *reader;
  WlGpuProbe   *gpu;
  const char   *proc_root;      /* the monitor's */
  WlCpuTimes    times[2];
  WlThreadTimes threads[2];     /* read with times[] */
  guint         last;           /* index of the last good reading in times */
  gboolean      have_last;
  gboolean      have_threads;   /* threads[last] was read with times[last] */
  double        setup_seconds;
  double        start_cpu;      /* thread CPU seconds when sampling began */
  gint64        start_time;
} Sampler;

struct _WlMonitor
{
  guint          interval_ms;
  char          *proc_root;
  char          *sysfs_root;
  char          *nvml_library;

  /* Owner thread only */
  GThread       *thread;        /* NULL when stopped */
  GMainContext  *context;
  WlMonitorFunc  func;
  gpointer       user_data;
  guint          generation;    /* bumped by stop: drops a batch being delivered */

  /* Shared with the thread, under mutex */
  GMutex         mutex;
  GCond          cond;
  gboolean       stopping;
  gboolean       sample_now;    /* wl_monitor_request_sample() */
  GQueue         pending;       /* Pending * */
  GSource       *idle;          /* attached while pending is not empty */
};

static double
thread_cpu_seconds (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0.0;
  return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

static void
pending_free (gpointer data)
{
  Pending *p = data;

  for (guint i = 0; i < p->sample.n_gpus; i++)
    g_free (p->gpus[i].name);
  g_free (p->gpus);
  g_free (p->core_busy);
  g_free (p->gpu_status);
  g_free (p->problem);
  g_free (p);
}

/* Sampler (monitor thread) */

static void
sampler_init (Sampler         *s,
              const WlMonitor *self)
{
  double begin = thread_cpu_seconds ();

  memset (s, 0, sizeof *s);
  s->reader = wl_proc_reader_new (self->proc_root);
  s->gpu = wl_gpu_probe_new (self->sysfs_root, self->nvml_library);
  s->proc_root = self->proc_root;
  s->have_last = wl_proc_reader_read_cpu (s->reader, &s->times[0], NULL);
  s->have_threads = s->have_last && wl_thread_times_read (&s->threads[0], s->proc_root, NULL);
  s->start_cpu = thread_cpu_seconds ();
  s->setup_seconds = s->start_cpu - begin;
  s->start_time = g_get_monotonic_time ();
}

static void
sampler_clear (Sampler *s)
{
  wl_proc_reader_free (s->reader);
  wl_gpu_probe_free (s->gpu);
  wl_cpu_times_clear (&s->times[0]);
  wl_cpu_times_clear (&s->times[1]);
  wl_thread_times_clear (&s->threads[0]);
  wl_thread_times_clear (&s->threads[1]);
}

static void
add_problem (GString      *problems,
             const GError *error)
{
  if (problems->len > 0)
    g_string_append (problems, " ");
  g_string_append (problems, error->message);
}

static Pending *
sampler_read (Sampler *s)
{
  Pending *p = g_new0 (Pending, 1);
  WlMonitorSample *sample = &p->sample;
  WlCpuTimes *now = &s->times[1 - s->last];
  WlThreadTimes *threads = &s->threads[1 - s->last];
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  double elapsed;

  sample->time = g_get_monotonic_time ();
  if (wl_proc_reader_read_cpu (s->reader, now, &error))
    {
      const WlCpuTimes *before = &s->times[s->last];
      gboolean have_threads = wl_thread_times_read (threads, s->proc_root, &error);

      if (s->have_last)
        {
          sample->n_cores = now->n_cores;
          p->core_busy = g_new0 (double, MAX (now->n_cores, 1));
          wl_cpu_times_busy (before, now, p->core_busy, &sample->cpu_busy);
          sample->have_process = have_threads && s->have_threads;
          if (sample->have_process)
            wl_thread_times_busy (&s->threads[s->last], threads,
                                  now->total[0] > before->total[0]
                                  ? now->total[0] - before->total[0] : 0,
                                  sample->process_busy);
        }
      if (!have_threads)
        {
          add_problem (problems, error);
          g_clear_error (&error);
        }
      s->last = 1 - s->last;
      s->have_last = TRUE;
      s->have_threads = have_threads;
    }
  else
    {
      add_problem (problems, error);
      g_clear_error (&error);
      s->have_last = FALSE;
    }

  if (!wl_proc_reader_read_memory (s->reader, &sample->memory, &error))
    {
      add_problem (problems, error);
      memset (&sample->memory, 0, sizeof sample->memory);
    }

  sample->n_gpus = wl_gpu_probe_get_n_gpus (s->gpu);
  p->gpus = g_new0 (WlGpuSample, MAX (sample->n_gpus, 1));
  wl_gpu_probe_sample (s->gpu, p->gpus);
  for (guint i = 0; i < sample->n_gpus; i++)
    p->gpus[i].name = g_strdup (p->gpus[i].name);
  p->gpu_status = g_strdup (wl_gpu_probe_get_status (s->gpu));
  p->problem = problems->len > 0 ? g_strdup (problems->str) : NULL;

  sample->core_busy = p->core_busy;
  sample->gpus = p->gpus;
  sample->gpu_status = p->gpu_status;
  sample->problem = p->problem;
  sample->setup_seconds = s->setup_seconds;
  elapsed = (double) (g_get_monotonic_time () - s->start_time) * 1e-6;
  if (elapsed > 0)
    sample->cost_percent = 100.0 * (thread_cpu_seconds () - s->start_cpu) / elapsed;
  return p;
}

/* Delivery (owner thread) */

static gboolean
deliver_samples (gpointer data)
{
  WlMonitor *self = data;
  guint generation = self->generation;
  GQueue batch;
  Pending *p;

  g_mutex_lock (&self->mutex);
  batch = self->pending;
  g_queue_init (&self->pending);
  g_clear_pointer (&self->idle, g_source_unref);   /* it is removed on return */
  g_mutex_unlock (&self->mutex);

  /* The callback may stop the monitor: deliver nothing after that. */
  while ((p = g_queue_pop_head (&batch)) != NULL)
    {
      if (self->generation == generation)
        self->func (&p->sample, self->user_data);
      pending_free (p);
    }
  return G_SOURCE_REMOVE;
}

/* Called with the mutex held. */
static void
push_sample (WlMonitor *self,
             Pending   *p)
{
  g_queue_push_tail (&self->pending, p);
  if (self->idle != NULL)
    return;
  self->idle = g_idle_source_new ();
  g_source_set_priority (self->idle, G_PRIORITY_DEFAULT);
  g_source_set_name (self->idle, "[wordloom] monitor samples");
  g_source_set_callback (self->idle, deliver_samples, self, NULL);
  g_source_attach (self->idle, self->context);
}

static gpointer
monitor_thread (gpointer data)
{
  WlMonitor *self = data;
  gint64 interval = (gint64) self->interval_ms * G_TIME_SPAN_MILLISECOND;
  Sampler sampler;
  gint64 next;

  sampler_init (&sampler, self);
  next = sampler.start_time + interval;

  g_mutex_lock (&self->mutex);
  for (;;)
    {
      Pending *p;
      gint64 now;

      gboolean asked;

      /* A fixed rate: wake at start + k * interval, at once on stop, and
       * for a sample asked for in between (which keeps the rate). */
      while (!self->stopping && !self->sample_now && g_get_monotonic_time () < next)
        g_cond_wait_until (&self->cond, &self->mutex, next);
      if (self->stopping)
        break;
      asked = self->sample_now && g_get_monotonic_time () < next;
      self->sample_now = FALSE;
      g_mutex_unlock (&self->mutex);

      p = sampler_read (&sampler);

      g_mutex_lock (&self->mutex);
      push_sample (self, p);
      if (asked)
        continue;
      now = g_get_monotonic_time ();
      next += interval;
      if (next <= now)   /* the machine stalled: skip, do not catch up */
        next = now + interval;
    }
  g_mutex_unlock (&self->mutex);

  sampler_clear (&sampler);
  return NULL;
}

/* Public */

void
wl_monitor_options_init (WlMonitorOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->interval_ms = WL_MONITOR_DEFAULT_INTERVAL_MS;
  options->nvml_library = g_getenv ("WORDLOOM_NVML_LIBRARY");
}

WlMonitor *
wl_monitor_new (const WlMonitorOptions *options)
{
  WlMonitorOptions defaults;
  WlMonitor *self;

  if (options == NULL)
    {
      wl_monitor_options_init (&defaults);
      options = &defaults;
    }
  g_return_val_if_fail (options->interval_ms > 0, NULL);

  self = g_new0 (WlMonitor, 1);
  self->interval_ms = options->interval_ms;
  self->proc_root = g_strdup (options->proc_root);
  self->sysfs_root = g_strdup (options->sysfs_root);
  self->nvml_library = g_strdup (options->nvml_library);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->pending);
  return self;
}

void
wl_monitor_free (WlMonitor *self)
{
  if (self == NULL)
    return;
  wl_monitor_stop (self);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self->proc_root);
  g_free (self->sysfs_root);
  g_free (self->nvml_library);
  g_free (self);
}

void
wl_monitor_start (WlMonitor     *self,
                  GMainContext  *context,
                  WlMonitorFunc  func,
                  gpointer       user_data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (func != NULL);

  if (self->thread != NULL)
    return;
  self->context = context != NULL ? g_main_context_ref (context)
                                  : g_main_context_ref_thread_default ();
  self->func = func;
  self->user_data = user_data;
  self->stopping = FALSE;
  self->sample_now = FALSE;
  self->thread = g_thread_new ("wl-monitor", monitor_thread, self);
}

void
wl_monitor_stop (WlMonitor *self)
{
  g_return_if_fail (self != NULL);

  if (self->thread == NULL)
    return;
  g_mutex_lock (&self->mutex);
  self->stopping = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
  g_thread_join (self->thread);
  self->thread = NULL;
  self->generation++;

  /* The thread is gone: what it queued is ours to drop. */
  if (self->idle != NULL)
    {
      g_source_destroy (self->idle);
      g_clear_pointer (&self->idle, g_source_unref);
    }
  g_queue_clear_full (&self->pending, pending_free);
  g_clear_pointer (&self->context, g_main_context_unref);
}

void
wl_monitor_request_sample (WlMonitor *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->sample_now = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}

gboolean
wl_monitor_is_running (WlMonitor *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->thread != NULL;
}
