/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-recorder-events.c: a run's events as rows of the store. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "store/wl-run-recorder-private.h"

static gboolean
write_progress (WlRunRecorder  *self,
                gpointer        data,
                GError        **error)
{
  return wl_store_insert_progress (self->db, self->id, data, error);
}

static gboolean
write_stage (WlRunRecorder  *self,
             gpointer        data,
             GError        **error)
{
  return wl_store_insert_stage (self->db, self->id, data, error);
}

static gboolean
write_sample (WlRunRecorder  *self,
              gpointer        data,
              GError        **error)
{
  return wl_store_insert_sample (self->db, self->id, data, error);
}

static void
message_free (WlMessageRecord *record)
{
  g_free (record->text);
  g_free (record);
}

static gboolean
write_message (WlRunRecorder  *self,
               gpointer        data,
               GError        **error)
{
  return wl_store_insert_message (self->db, self->id, data, error);
}

typedef struct
{
  guint64  n_train, n_valid, n_test;
  char    *labels;
} Split;

static void
split_free (Split *split)
{
  g_free (split->labels);
  g_free (split);
}

static gboolean
write_verdict (WlRunRecorder  *self,
               gpointer        data,
               GError        **error)
{
  return wl_store_set_verdict (self->db, self->id, data, error);
}

/* The verdict as JSON, the members of its event but the event's own. */
static char *
verdict_to_json (const WlVerdict *verdict)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  wl_verdict_add_json (verdict, builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static gboolean
write_split (WlRunRecorder  *self,
             gpointer        data,
             GError        **error)
{
  Split *s = data;

  return wl_store_set_split (self->db, self->id, s->n_train, s->n_valid, s->n_test, s->labels, error);
}

/* The config as it runs, once training starts (settings resolved), and
 * the device that trains. */
typedef struct
{
  char *config;
  char *device;
} Resolved;

static void
resolved_free (Resolved *resolved)
{
  g_free (resolved->config);
  g_free (resolved->device);
  g_free (resolved);
}

static gboolean
write_config (WlRunRecorder  *self,
              gpointer        data,
              GError        **error)
{
  Resolved *resolved = data;

  return wl_store_set_run_text (self->db, self->id, "config", resolved->config, error) &&
         wl_store_set_run_text (self->db, self->id, "device", resolved->device, error);
}

typedef struct
{
  WlRunEnd  end;
  char     *error;
  char     *evaluation;
} End;

static void
end_free (End *end)
{
  g_free (end->error);
  g_free (end->evaluation);
  g_free (end);
}

static gboolean
write_end (WlRunRecorder  *self,
           gpointer        data,
           GError        **error)
{
  End *end = data;

  end->end.error = end->error;
  end->end.evaluation = end->evaluation;
  if (!wl_store_end_run (self->db, self->id, &end->end, error))
    return FALSE;
  /* A finished run is not resumed: only its best checkpoint stays. */
  return end->end.state != WL_RUN_STATE_FINISHED ||
         wl_store_drop_checkpoint (self->db, self->id, WL_CHECKPOINT_LAST, error);
}

static void
make_absolute (char **path)
{
  char *absolute;

  if (*path == NULL)
    return;
  absolute = g_canonicalize_filename (*path, NULL);
  g_free (*path);
  *path = absolute;
}

char *
wl_run_recorder_describe_device (const WlConfig *config)
{
  const char *id = config->model.device != NULL ? config->model.device : "cpu";

  if (config->model.device_name == NULL)
    return g_strdup (id);
  return g_strdup_printf ("%s (%s)", id, config->model.device_name);
}

char *
wl_run_recorder_config_to_json (const WlConfig *config)
{
  g_autoptr(WlConfig) copy = wl_config_copy (config);

  make_absolute (&copy->data.input);
  make_absolute (&copy->data.test_input);
  make_absolute (&copy->clean.stopwords_file);
  return wl_config_to_json (copy, FALSE);
}

static char *
labels_to_json (WlRun *run)
{
  const GPtrArray *names = wl_run_get_label_names (run);
  const guint64 *counts = wl_run_get_label_counts (run);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  if (names == NULL)
    return NULL;
  json_builder_begin_object (builder);
  for (guint i = 0; i < names->len; i++)
    {
      json_builder_set_member_name (builder, g_ptr_array_index (names, i));
      json_builder_add_int_value (builder, (gint64) counts[i]);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static End *
make_end (WlRunRecorder *self,
          const WlEvent *event)
{
  const WlRunSummary *summary = wl_run_get_summary (self->run);
  const WlEvaluation *evaluation = wl_run_get_evaluation (self->run);
  End *end = g_new0 (End, 1);

  end->end.state = event->type == WL_EVENT_FINISHED ? WL_RUN_STATE_FINISHED
                   : event->type == WL_EVENT_FAILED ? WL_RUN_STATE_FAILED
                   : WL_RUN_STATE_CANCELLED;
  end->error = event->error != NULL ? g_strdup (event->error->message) : NULL;
  end->end.test_accuracy = NAN;
  end->end.test_macro_f1 = NAN;
  if (event->type == WL_EVENT_FINISHED && evaluation != NULL)
    {
      end->evaluation = wl_evaluation_to_json (evaluation, FALSE);
      end->end.test_accuracy = evaluation->metrics->accuracy;
      end->end.test_macro_f1 = evaluation->metrics->macro_f1;
    }
  end->end.epochs_run = summary->epochs_run;
  end->end.best_epoch = summary->best_epoch;
  end->end.best_metric = summary->n_valid > 0 && summary->best_epoch > 0 ? summary->best_metric : NAN;
  return end;
}

void
wl_run_recorder_handle_event (WlRunRecorder *self,
                              const WlEvent *event)
{
  double elapsed;

  g_return_if_fail (self != NULL && event != NULL);

  elapsed = self->offset + event->elapsed;
  switch (event->type)
    {
    case WL_EVENT_PROGRESS:
      {
        WlProgressRecord record = {
          .elapsed = elapsed, .stage = event->stage, .fraction = event->fraction,
          .epoch = event->epoch, .train_loss = event->train_loss,
          .tokens_per_s = event->tokens_per_s, .lr = event->lr,
        };

        wl_run_recorder_push (self, write_progress, g_memdup2 (&record, sizeof record),
                              g_free, FALSE);
      }
      break;
    case WL_EVENT_STAGE_STARTED:
      /* The settings are resolved by now: store them as they run. */
      if (event->stage == WL_STAGE_TRAIN)
        {
          const WlConfig *config = wl_run_get_config (self->run);
          Resolved *resolved = g_new (Resolved, 1);

          resolved->config = wl_run_recorder_config_to_json (config);
          resolved->device = wl_run_recorder_describe_device (config);
          wl_run_recorder_push (self, write_config, resolved, (GDestroyNotify) resolved_free, TRUE);
        }
      break;
    case WL_EVENT_STAGE_FINISHED:
      {
        WlStageRecord record = { event->stage, elapsed - event->seconds, event->seconds };

        wl_run_recorder_push (self, write_stage, g_memdup2 (&record, sizeof record),
                              g_free, TRUE);
        if (event->stage == WL_STAGE_TRAIN)
          {
            g_mutex_lock (&self->mutex);
            self->stats.writer_cpu_training = self->stats.writer_cpu_seconds;
            g_mutex_unlock (&self->mutex);
          }
        if (event->stage == WL_STAGE_LOAD)
          {
            const WlRunSummary *summary = wl_run_get_summary (self->run);
            Split *split = g_new (Split, 1);

            *split = (Split) { summary->n_train, summary->n_valid, summary->n_test,
                               labels_to_json (self->run) };
            wl_run_recorder_push (self, write_split, split, (GDestroyNotify) split_free, TRUE);
          }
      }
      break;
    case WL_EVENT_MESSAGE:
      {
        WlMessageRecord *record = g_new (WlMessageRecord, 1);

        *record = (WlMessageRecord) { elapsed, event->stage, g_strdup (event->message) };
        wl_run_recorder_push (self, write_message, record, (GDestroyNotify) message_free, FALSE);
      }
      break;
    case WL_EVENT_FINISHED:
    case WL_EVENT_FAILED:
    case WL_EVENT_CANCELLED:
      wl_run_recorder_push (self, write_end, make_end (self, event), (GDestroyNotify) end_free,
                            TRUE);
      break;
    case WL_EVENT_VERDICT:
      /* The latest: at the end of training, the one over all of it. */
      wl_run_recorder_push (self, write_verdict, verdict_to_json (&event->verdict), g_free,
                            event->verdict.whole);
      break;
    case WL_EVENT_EPOCH:   /* its row came with the checkpoint */
    default:
      break;
    }
}

void
wl_run_recorder_add_sample (WlRunRecorder          *self,
                            const WlResourceSample *sample)
{
  WlResourceSample *copy;

  g_return_if_fail (self != NULL && sample != NULL);

  copy = g_memdup2 (sample, sizeof *sample);
  copy->elapsed = self->offset +
                  (g_get_monotonic_time () - self->start_time) / (double) G_USEC_PER_SEC;
  wl_run_recorder_push (self, write_sample, copy, g_free, FALSE);
}
