/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-json.c: a stored run and its series as JSON, for `runs --json`,
 * `runs show --json` and the report's run.json. */
#include "config.h"

#include <math.h>

#include "store/wl-run-recorder.h"
#include "store/wl-store-json.h"

char *
wl_store_format_time (gint64   unix_seconds,
                      gboolean iso)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_seconds <= 0)
    return NULL;
  if (iso)
    {
      time = g_date_time_new_from_unix_utc (unix_seconds);
      return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
    }
  time = g_date_time_new_from_unix_local (unix_seconds);
  return g_date_time_format (time, "%Y-%m-%d %H:%M");
}

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_stored (JsonBuilder *builder,
            const char  *name,
            const char  *json)
{
  JsonNode *node = json != NULL ? json_from_string (json, NULL) : NULL;

  json_builder_set_member_name (builder, name);
  if (node != NULL)
    json_builder_add_value (builder, node);
  else
    json_builder_add_null_value (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       unix_seconds)
{
  g_autofree char *text = wl_store_format_time (unix_seconds, TRUE);

  add_string (builder, name, text);
}

static gboolean
add_series (JsonBuilder  *builder,
            WlStore      *store,
            gint64        id,
            GError      **error)
{
  g_autoptr(GArray) epochs = wl_store_get_epochs (store, id, error);
  g_autoptr(GArray) stages = epochs ? wl_store_get_stages (store, id, error) : NULL;
  g_autoptr(GPtrArray) messages = stages ? wl_store_get_messages (store, id, error) : NULL;

  if (messages == NULL)
    return FALSE;

  json_builder_set_member_name (builder, "epochs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < epochs->len; i++)
    {
      const WlEpochRecord *e = &g_array_index (epochs, WlEpochRecord, i);

      json_builder_begin_object (builder);
      add_int (builder, "epoch", e->epoch);
      add_number (builder, "elapsed", e->elapsed);
      add_number (builder, "train_loss", e->train_loss);
      add_number (builder, "valid_loss", e->valid_loss);
      add_number (builder, "valid_accuracy", e->valid_accuracy);
      add_number (builder, "valid_macro_f1", e->valid_macro_f1);
      add_number (builder, "tokens_per_s", e->tokens_per_s);
      add_number (builder, "lr", e->lr);
      json_builder_set_member_name (builder, "best");
      json_builder_add_boolean_value (builder, e->is_best);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "stages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < stages->len; i++)
    {
      const WlStageRecord *s = &g_array_index (stages, WlStageRecord, i);

      json_builder_begin_object (builder);
      add_string (builder, "stage", wl_stage_to_string (s->stage));
      add_number (builder, "started", s->started);
      add_number (builder, "seconds", s->seconds);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < messages->len; i++)
    json_builder_add_string_value (builder, ((WlMessageRecord *) messages->pdata[i])->text);
  json_builder_end_array (builder);
  return TRUE;
}

/* "checkpoints": last and best; "resumable" and, when not, "not_resumable"
 * (why). */
static gboolean
add_checkpoints (JsonBuilder        *builder,
                 WlStore            *store,
                 const WlRunRecord  *r,
                 GError            **error)
{
  g_autoptr(GError) reason = NULL;
  gboolean has_last = FALSE;
  gint64 id = r->id;

  json_builder_set_member_name (builder, "checkpoints");
  json_builder_begin_object (builder);
  for (WlCheckpointKind kind = WL_CHECKPOINT_LAST; kind <= WL_CHECKPOINT_BEST; kind++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(WlCheckpointRecord) c = wl_store_get_checkpoint (store, id, kind, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      has_last |= kind == WL_CHECKPOINT_LAST && c != NULL;
      json_builder_set_member_name (builder, wl_checkpoint_kind_to_string (kind));
      if (c == NULL)
        {
          json_builder_add_null_value (builder);
          continue;
        }
      json_builder_begin_object (builder);
      add_int (builder, "epoch", c->epoch);
      add_string (builder, "path", c->path);
      add_int (builder, "size", (gint64) c->size);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "resumable");
  json_builder_add_boolean_value (builder, wl_store_run_can_resume (r, has_last, &reason));
  if (reason != NULL)
    add_string (builder, "not_resumable", reason->message);
  return TRUE;
}

JsonNode *
wl_store_run_to_json (WlStore            *store,
                      const WlRunRecord  *r,
                      gboolean            details,
                      GError            **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_int (builder, "id", r->id);
  add_string (builder, "state", wl_run_state_to_string (r->state));
  add_string (builder, "model", r->model);
  add_string (builder, "dataset", r->dataset);
  add_time (builder, "started", r->started);
  add_time (builder, "finished", r->finished);
  add_int (builder, "epochs_run", r->epochs_run);
  add_int (builder, "n_epochs", r->n_epochs);
  json_builder_set_member_name (builder, "best_epoch");
  if (r->best_epoch > 0)
    json_builder_add_int_value (builder, r->best_epoch);
  else
    json_builder_add_null_value (builder);
  add_string (builder, "metric", r->metric);
  add_number (builder, "best_metric", r->best_metric);
  add_number (builder, "test_accuracy", r->test_accuracy);
  add_number (builder, "test_macro_f1", r->test_macro_f1);
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (char **tag = r->tags; tag != NULL && *tag != NULL; tag++)
    json_builder_add_string_value (builder, *tag);
  json_builder_end_array (builder);
  add_string (builder, "notes", r->notes);

  if (details)
    {
      add_stored (builder, "config", r->config);
      add_string (builder, "output", r->output);
      json_builder_set_member_name (builder, "data");
      json_builder_begin_object (builder);
      add_string (builder, "path", r->dataset);
      add_int (builder, "size", r->dataset_size);
      add_string (builder, "hash", r->dataset_hash);
      add_int (builder, "n_train", (gint64) r->n_train);
      add_int (builder, "n_valid", (gint64) r->n_valid);
      add_int (builder, "n_test", (gint64) r->n_test);
      add_stored (builder, "labels", r->labels);
      json_builder_end_object (builder);
      add_stored (builder, "machine", r->machine);
      add_string (builder, "device", r->device);
      add_string (builder, "version", r->version);
      add_int (builder, "attempts", r->attempts);
      add_string (builder, "error", r->error);
      add_stored (builder, "evaluation", r->evaluation);
      add_stored (builder, "verdict", r->verdict);
      if (!add_series (builder, store, r->id, error) ||
          !add_checkpoints (builder, store, r, error))
        return NULL;
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
