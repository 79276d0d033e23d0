/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-verdict.c: judging what holds a training run back, and saying so. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "monitor/wl-proc-stat.h"
#include "train/wl-verdict.h"
#include "wl-format.h"

static const char *kind_names[] = {
  "unknown", "compute-bound", "input-bound", "launch-bound", "memory-bound",
};
static const char *input_names[] = { "memory", "windows", "batches" };

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == WL_N_VERDICTS);
G_STATIC_ASSERT (G_N_ELEMENTS (input_names) == WL_N_VERDICT_INPUTS);

const char *
wl_verdict_kind_to_string (WlVerdictKind kind)
{
  g_return_val_if_fail (kind < WL_N_VERDICTS, NULL);
  return kind_names[kind];
}

const char *
wl_verdict_title (const WlVerdict *v)
{
  static const char *titles[] = {
    N_("Not measured yet"), N_("Compute-bound"), N_("Input-bound"),
    N_("Launch- or transfer-bound"), N_("Memory-bound"),
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (titles) == WL_N_VERDICTS);
  g_return_val_if_fail (v != NULL && v->kind < WL_N_VERDICTS, NULL);

  if (v->kind == WL_VERDICT_INPUT_BOUND && v->moderately)
    return _("Moderately input-bound");
  return _(titles[v->kind]);
}

void
wl_verdict_judge (WlVerdict *v)
{
  g_return_if_fail (v != NULL);

  v->moderately = FALSE;
  if (v->seconds <= 0)
    v->kind = WL_VERDICT_UNKNOWN;
  else if ((v->memory_bytes > 0 &&
            v->rss_bytes >= WL_VERDICT_MEMORY_SHARE * v->memory_bytes) ||
           v->swap_growth >= WL_VERDICT_SWAP_GROWTH_BYTES)
    v->kind = WL_VERDICT_MEMORY_BOUND;
  else if (v->input_share >= WL_VERDICT_INPUT_BOUND_SHARE)
    v->kind = WL_VERDICT_INPUT_BOUND;
  else if (!isnan (v->device_busy) && v->device_busy < WL_VERDICT_DEVICE_BUSY_SHARE)
    v->kind = WL_VERDICT_LAUNCH_BOUND;
  else if (v->input_share >= WL_VERDICT_INPUT_MODERATELY_SHARE)
    {
      v->kind = WL_VERDICT_INPUT_BOUND;
      v->moderately = TRUE;
    }
  else
    v->kind = WL_VERDICT_COMPUTE_BOUND;
}

static int
percent (double share)
{
  return (int) lround (CLAMP (share, 0.0, 1.0) * 100);
}

static char *
describe_memory (const WlVerdict *v)
{
  g_autofree char *rss = wl_format_size (v->rss_bytes);
  g_autofree char *total = wl_format_size (v->memory_bytes);

  if (v->swap_growth >= WL_VERDICT_SWAP_GROWTH_BYTES)
    {
      g_autofree char *swap = wl_format_size (v->swap_growth);

      /* Translators: "Memory-bound: the machine is swapping (1.2 GB more swap in use); Wordloom holds 7.4 GB of 8.0 GB. …" */
      return g_strdup_printf (_("Memory-bound: the machine is swapping (%s more swap in use); "
                                "Wordloom holds %s of %s. Close other programs, or train on "
                                "fewer rows."), swap, rss, total);
    }
  return g_strdup_printf (_("Memory-bound: Wordloom holds %s of this machine’s %s. Close other "
                            "programs, or train on fewer rows."), rss, total);
}

static char *
describe_input (const WlVerdict         *v,
                const WlVerdictControls *controls)
{
  int share = percent (v->input_share);

  if (v->input == WL_VERDICT_INPUT_BATCHES)
    return g_strdup_printf (v->moderately
                            ? _("Moderately input-bound: assembling batches takes %d %% of each "
                                "step. Raise %s: fewer, larger batches cost less to assemble.")
                            : _("Input-bound: assembling batches takes %d %% of each step. Raise "
                                "%s: fewer, larger batches cost less to assemble."),
                            share, controls->batch_size);
  if (v->threads >= v->cores)
    return g_strdup_printf (v->moderately
                            ? _("Moderately input-bound: the training threads wait %d %% of their "
                                "time for features read back from disk, on all %u cores. Keep the "
                                "cache folder on a faster disk.")
                            : _("Input-bound: the training threads wait %d %% of their time for "
                                "features read back from disk, on all %u cores. Keep the cache "
                                "folder on a faster disk."),
                            share, v->cores);
  return g_strdup_printf (v->moderately
                          ? _("Moderately input-bound: the training threads wait %d %% of their "
                              "time for features read back from disk, on %u of %u cores. Raise "
                              "%s to read more windows at once.")
                          : _("Input-bound: the training threads wait %d %% of their time for "
                              "features read back from disk, on %u of %u cores. Raise %s to read "
                              "more windows at once."),
                          share, v->threads, v->cores, controls->threads);
}

static char *
describe_compute (const WlVerdict         *v,
                  const WlVerdictControls *controls)
{
  int share = 100 - percent (v->input_share);

  if (!isnan (v->device_busy))
    return g_strdup_printf (_("Compute-bound: the device is busy %d %% of the time; its "
                              "arithmetic sets the pace."), percent (v->device_busy));
  if (v->threads < v->cores)
    return g_strdup_printf (_("Compute-bound: the model’s arithmetic takes %d %% of the time, "
                              "on %u of %u cores. Raise %s."),
                            share, v->threads, v->cores, controls->threads);
  if (v->cpu_only)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Compute-bound: the model’s arithmetic takes %d %% of the "
                                         "time, on the machine’s one core; this model runs on the "
                                         "CPU only, so only a faster CPU would train it faster.",
                                         "Compute-bound: the model’s arithmetic takes %d %% of the "
                                         "time, on all %u cores; this model runs on the CPU only, "
                                         "so only a faster CPU would train it faster.",
                                         v->cores),
                            share, v->cores);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Compute-bound: the model’s arithmetic takes %d %% of the "
                                       "time, on the machine’s one core; a faster device would "
                                       "train faster.",
                                       "Compute-bound: the model’s arithmetic takes %d %% of the "
                                       "time, on all %u cores; a faster device (an OpenCL GPU) "
                                       "would train faster.",
                                       v->cores),
                          share, v->cores);
}

static char *
describe_training (const WlVerdict         *v,
                   const WlVerdictControls *controls)
{
  switch (v->kind)
    {
    case WL_VERDICT_MEMORY_BOUND:
      return describe_memory (v);
    case WL_VERDICT_INPUT_BOUND:
      return describe_input (v, controls);
    case WL_VERDICT_LAUNCH_BOUND:
      return g_strdup_printf (_("Launch- or transfer-bound: the device is busy only %d %% of the "
                                "time; launches and copies set the pace. Raise %s so that each "
                                "launch does more work, or train on the CPU."),
                              percent (v->device_busy), controls->batch_size);
    case WL_VERDICT_COMPUTE_BOUND:
      return describe_compute (v, controls);
    case WL_VERDICT_UNKNOWN:
    default:
      return g_strdup (_("Not measured yet."));
    }
}

/* The preprocessing's part, when it is a large share of the run. */
static char *
describe_preprocessing (const WlVerdict         *v,
                        const WlVerdictControls *controls)
{
  int share = percent (v->preprocess_share);

  if (v->threads < v->cores)
    return g_strdup_printf (_("Cleaning and featurizing took %d %% of the run so far, on %u of "
                              "%u cores: raise %s."),
                            share, v->threads, v->cores, controls->preprocess_threads);
  return g_strdup_printf (_("Cleaning and featurizing took %d %% of the run so far, on all %u "
                            "cores."), share, v->cores);
}

char *
wl_verdict_describe (const WlVerdict         *v,
                     const WlVerdictControls *controls)
{
  g_autofree char *training = NULL;
  g_autofree char *preprocessing = NULL;

  g_return_val_if_fail (v != NULL && controls != NULL, NULL);

  training = describe_training (v, controls);
  if (v->preprocess_share < WL_VERDICT_INPUT_BOUND_SHARE)
    return g_steal_pointer (&training);
  preprocessing = describe_preprocessing (v, controls);
  /* Translators: what holds training back, then what preprocessing took */
  return g_strdup_printf (C_("verdict", "%s %s"), training, preprocessing);
}

void
wl_verdict_add_json (const WlVerdict *v,
                     JsonBuilder     *builder)
{
  json_builder_set_member_name (builder, "verdict");
  json_builder_add_string_value (builder, wl_verdict_kind_to_string (v->kind));
  json_builder_set_member_name (builder, "moderately");
  json_builder_add_boolean_value (builder, v->moderately);
  json_builder_set_member_name (builder, "whole");
  json_builder_add_boolean_value (builder, v->whole);
  json_builder_set_member_name (builder, "input");
  json_builder_add_string_value (builder, input_names[v->input]);
  json_builder_set_member_name (builder, "seconds");
  json_builder_add_double_value (builder, v->seconds);
  json_builder_set_member_name (builder, "input_share");
  json_builder_add_double_value (builder, v->input_share);
  json_builder_set_member_name (builder, "input_wait_ms");
  json_builder_add_double_value (builder, v->input_wait_ms);
  /* JSON has no NaN: not measured is left out. */
  if (!isnan (v->device_busy))
    {
      json_builder_set_member_name (builder, "device_busy");
      json_builder_add_double_value (builder, v->device_busy);
    }
  json_builder_set_member_name (builder, "threads");
  json_builder_add_int_value (builder, v->threads);
  json_builder_set_member_name (builder, "cores");
  json_builder_add_int_value (builder, v->cores);
  json_builder_set_member_name (builder, "cpu_only");
  json_builder_add_boolean_value (builder, v->cpu_only);
  json_builder_set_member_name (builder, "rss_bytes");
  json_builder_add_int_value (builder, (gint64) v->rss_bytes);
  json_builder_set_member_name (builder, "memory_bytes");
  json_builder_add_int_value (builder, (gint64) v->memory_bytes);
  json_builder_set_member_name (builder, "swap_growth");
  json_builder_add_int_value (builder, (gint64) v->swap_growth);
  json_builder_set_member_name (builder, "preprocess_share");
  json_builder_add_double_value (builder, v->preprocess_share);
}

static int
find_name (const char  *name,
           const char **names,
           guint        n)
{
  for (guint i = 0; name != NULL && i < n; i++)
    if (g_strcmp0 (name, names[i]) == 0)
      return (int) i;
  return -1;
}

gboolean
wl_verdict_from_json (const char *json,
                      WlVerdict  *v)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  int kind, input;

  g_return_val_if_fail (v != NULL, FALSE);

  if (json == NULL || (node = json_from_string (json, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  kind = find_name (json_object_get_string_member_with_default (object, "verdict", NULL),
                    kind_names, WL_N_VERDICTS);
  input = find_name (json_object_get_string_member_with_default (object, "input", NULL),
                     input_names, WL_N_VERDICT_INPUTS);
  if (kind < 0 || input < 0)
    return FALSE;
  *v = (WlVerdict) {
    .kind = kind,
    .moderately = json_object_get_boolean_member_with_default (object, "moderately", FALSE),
    .whole = json_object_get_boolean_member_with_default (object, "whole", FALSE),
    .input = input,
    .seconds = json_object_get_double_member_with_default (object, "seconds", 0),
    .input_share = json_object_get_double_member_with_default (object, "input_share", 0),
    .input_wait_ms = json_object_get_double_member_with_default (object, "input_wait_ms", 0),
    .device_busy = json_object_get_double_member_with_default (object, "device_busy", NAN),
    .threads = (guint) json_object_get_int_member_with_default (object, "threads", 0),
    .cores = (guint) json_object_get_int_member_with_default (object, "cores", 0),
    .cpu_only = json_object_get_boolean_member_with_default (object, "cpu_only", FALSE),
    .rss_bytes = (guint64) json_object_get_int_member_with_default (object, "rss_bytes", 0),
    .memory_bytes = (guint64) json_object_get_int_member_with_default (object, "memory_bytes", 0),
    .swap_growth = (guint64) json_object_get_int_member_with_default (object, "swap_growth", 0),
    .preprocess_share = json_object_get_double_member_with_default (object, "preprocess_share", 0),
  };
  return TRUE;
}

/* The meter */

typedef struct
{
  gint64  time;
  gint64  input_wait_us;
  gint64  inputs;
  gint64  thread_us;
  gint64  device_busy_us;
  guint64 swap_used;
} Reading;

struct _WlVerdictMeter
{
  WlStepClock    *clock;
  WlVerdictInput  input;
  guint           threads;
  gboolean        on_device;
  gboolean        cpu_only;
  WlProcReader   *proc;
  Reading         start;
  Reading         last;
};

static void
read_clock (WlVerdictMeter *self,
            Reading        *reading,
            WlMemory       *memory)
{
  reading->time = g_get_monotonic_time ();
  reading->input_wait_us = atomic_load (&self->clock->input_wait_us);
  reading->inputs = atomic_load (&self->clock->inputs);
  reading->thread_us = atomic_load (&self->clock->thread_us);
  reading->device_busy_us = atomic_load (&self->clock->device_busy_us);
  /* Unreadable memory figures (not Linux) leave the memory verdict out. */
  if (!wl_proc_reader_read_memory (self->proc, memory, NULL))
    *memory = (WlMemory) { 0 };
  reading->swap_used = memory->swap_used;
}

WlVerdictMeter *
wl_verdict_meter_new (WlStepClock    *clock,
                      WlVerdictInput  input,
                      guint           threads,
                      gboolean        on_device,
                      gboolean        cpu_only)
{
  WlVerdictMeter *self = g_new0 (WlVerdictMeter, 1);
  WlMemory memory;

  g_return_val_if_fail (clock != NULL, NULL);

  self->clock = clock;
  self->input = input;
  self->threads = threads;
  self->on_device = on_device;
  self->cpu_only = cpu_only;
  self->proc = wl_proc_reader_new (NULL);
  read_clock (self, &self->start, &memory);
  self->last = self->start;
  return self;
}

void
wl_verdict_meter_free (WlVerdictMeter *self)
{
  if (self == NULL)
    return;
  wl_proc_reader_free (self->proc);
  g_free (self);
}

gboolean
wl_verdict_meter_take (WlVerdictMeter *self,
                       gboolean        whole,
                       WlVerdict      *v)
{
  const Reading *from = whole ? &self->start : &self->last;
  gint64 thread_us, wall_us, inputs;
  Reading now;
  WlMemory memory;

  g_return_val_if_fail (self != NULL && v != NULL, FALSE);

  read_clock (self, &now, &memory);
  thread_us = now.thread_us - from->thread_us;
  inputs = now.inputs - from->inputs;
  wall_us = now.time - from->time;
  *v = (WlVerdict) {
    .whole = whole,
    .input = self->input,
    .seconds = wall_us / (double) G_USEC_PER_SEC,
    .input_share = thread_us > 0 ? (double) (now.input_wait_us - from->input_wait_us) / thread_us : 0,
    .input_wait_ms = inputs > 0 ? (now.input_wait_us - from->input_wait_us) / 1000.0 / inputs : 0,
    .device_busy = NAN,
    .threads = self->threads,
    .cores = g_get_num_processors (),
    .cpu_only = self->cpu_only,
    .rss_bytes = memory.process_rss,
    .memory_bytes = memory.system_total,
    .swap_growth = now.swap_used > from->swap_used ? now.swap_used - from->swap_used : 0,
  };
  if (self->on_device && atomic_load (&self->clock->device_measured) && wall_us > 0)
    v->device_busy = (double) (now.device_busy_us - from->device_busy_us) / wall_us;
  self->last = now;
  if (thread_us <= 0)
    return FALSE;
  wl_verdict_judge (v);
  return TRUE;
}
