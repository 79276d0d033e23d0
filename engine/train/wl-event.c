/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-event.c: run events and their JSON lines. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "wl-event.h"

static const char *stage_names[] = { "load", "clean", "featurize", "train", "evaluate" };
static const char *type_names[] = {
  "stage-started", "stage-finished", "progress", "epoch", "message",
  "finished", "failed", "cancelled", "verdict",
};

G_STATIC_ASSERT (G_N_ELEMENTS (stage_names) == WL_N_STAGES);

WlEvent *
wl_event_new (WlEventType type)
{
  WlEvent *event = g_new0 (WlEvent, 1);

  event->type = type;
  event->valid_loss = NAN;
  event->valid_accuracy = NAN;
  event->valid_macro_f1 = NAN;
  event->train_loss = NAN;
  event->eta = -1;
  event->eta_max = -1;
  event->lr = NAN;
  event->verdict.device_busy = NAN;
  return event;
}

WlEvent *
wl_event_copy (const WlEvent *event)
{
  WlEvent *copy = g_memdup2 (event, sizeof *event);

  copy->message = g_strdup (event->message);
  copy->error = event->error ? g_error_copy (event->error) : NULL;
  return copy;
}

void
wl_event_free (WlEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->message);
  g_clear_error (&event->error);
  g_free (event);
}

const char *
wl_stage_to_string (WlStage stage)
{
  g_return_val_if_fail (stage < WL_N_STAGES, NULL);
  return stage_names[stage];
}

const char *
wl_event_type_to_string (WlEventType type)
{
  g_return_val_if_fail (type < G_N_ELEMENTS (type_names), NULL);
  return type_names[type];
}

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  /* JSON has no NaN: leave unknown values out. */
  if (!isfinite (value))
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

char *
wl_event_to_json (const WlEvent *event)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean in_training = event->type == WL_EVENT_EPOCH ||
                         (event->type == WL_EVENT_PROGRESS && event->stage == WL_STAGE_TRAIN);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, wl_event_type_to_string (event->type));
  json_builder_set_member_name (builder, "stage");
  json_builder_add_string_value (builder, wl_stage_to_string (event->stage));
  add_number (builder, "elapsed", event->elapsed);

  switch (event->type)
    {
    case WL_EVENT_STAGE_FINISHED:
      add_number (builder, "seconds", event->seconds);
      break;
    case WL_EVENT_PROGRESS:
      add_number (builder, "fraction", event->fraction);
      break;
    case WL_EVENT_MESSAGE:
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, event->message);
      break;
    case WL_EVENT_FAILED:
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, event->error ? event->error->message : "");
      break;
    case WL_EVENT_VERDICT:
      wl_verdict_add_json (&event->verdict, builder);
      break;
    default:
      break;
    }

  if (in_training)
    {
      json_builder_set_member_name (builder, "epoch");
      json_builder_add_int_value (builder, event->epoch);
      json_builder_set_member_name (builder, "epochs");
      json_builder_add_int_value (builder, event->n_epochs);
      if (event->stop_epoch > 0)
        {
          json_builder_set_member_name (builder, "stop_epoch");
          json_builder_add_int_value (builder, event->stop_epoch);
        }
      add_number (builder, "train_loss", event->train_loss);
      add_number (builder, "valid_loss", event->valid_loss);
      add_number (builder, "valid_accuracy", event->valid_accuracy);
      add_number (builder, "valid_macro_f1", event->valid_macro_f1);
      add_number (builder, "tokens_per_s", event->tokens_per_s);
      if (event->eta >= 0)
        add_number (builder, "eta", event->eta);
      if (event->eta_max >= 0)
        add_number (builder, "eta_max", event->eta_max);
      add_number (builder, "lr", event->lr);
      if (event->type == WL_EVENT_EPOCH)
        {
          json_builder_set_member_name (builder, "best");
          json_builder_add_boolean_value (builder, event->is_best);
        }
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
