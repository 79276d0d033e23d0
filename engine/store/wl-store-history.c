/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-history.c: what a resumed run keeps of itself, as the events it
 * reported then, so that a front end's charts replay them and go on. */
#include "config.h"

#include "store/wl-store-private.h"

static WlEvent *
history_event (GPtrArray   *events,
               WlEventType  type,
               WlStage      stage,
               double       elapsed)
{
  WlEvent *event = wl_event_new (type);

  event->stage = stage;
  event->elapsed = elapsed;
  g_ptr_array_add (events, event);
  return event;
}

/* At equal times, what happened then comes first, then the stage that
 * ends, then the one that starts: in the order a run reports them, for a
 * front end that closes the open span when a stage ends. */
static int
event_rank (const WlEvent *event)
{
  switch (event->type)
    {
    case WL_EVENT_STAGE_FINISHED: return 1;
    case WL_EVENT_STAGE_STARTED:  return 2;
    default:                      return 0;
    }
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const WlEvent *x = *(WlEvent * const *) a, *y = *(WlEvent * const *) b;

  if (x->elapsed != y->elapsed)
    return x->elapsed < y->elapsed ? -1 : 1;
  return event_rank (x) - event_rank (y);
}

/* A stage that was under way has no row yet: its span ends at the
 * checkpoint. */
GPtrArray *
wl_store_get_history (WlStore                   *store,
                      gint64                     id,
                      guint                      n_epochs,
                      const WlCheckpointRecord  *last,
                      GError                   **error)
{
  double offset = wl_store_kept_until (last);
  guint last_epoch = wl_store_kept_epoch (last);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) wl_event_free);
  g_autoptr(GArray) stages = NULL, progress = NULL, epochs = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  double stages_end = 0;
  WlStage open_stage = WL_N_STAGES;
  double open_start = 0;

  if ((stages = wl_store_get_stages (store, id, error)) == NULL ||
      (progress = wl_store_get_progress (store, id, error)) == NULL ||
      (epochs = wl_store_get_epochs (store, id, error)) == NULL ||
      (messages = wl_store_get_messages (store, id, error)) == NULL)
    return NULL;

  for (guint i = 0; i < stages->len; i++)
    {
      const WlStageRecord *r = &g_array_index (stages, WlStageRecord, i);
      double end = MIN (r->started + r->seconds, offset);
      WlEvent *event;

      if (r->started > offset)
        continue;
      history_event (events, WL_EVENT_STAGE_STARTED, r->stage, r->started);
      event = history_event (events, WL_EVENT_STAGE_FINISHED, r->stage, end);
      event->seconds = end - r->started;
      stages_end = MAX (stages_end, end);
    }
  for (guint i = 0; i < progress->len; i++)
    {
      const WlProgressRecord *r = &g_array_index (progress, WlProgressRecord, i);
      WlEvent *event;

      if (r->elapsed > offset)
        continue;
      event = history_event (events, WL_EVENT_PROGRESS, r->stage, r->elapsed);
      event->fraction = r->fraction;
      event->epoch = r->epoch;
      event->n_epochs = n_epochs;
      event->train_loss = r->train_loss;
      event->tokens_per_s = r->tokens_per_s;
      event->lr = r->lr;
      if (r->elapsed >= stages_end && open_stage == WL_N_STAGES)
        {
          open_stage = r->stage;
          open_start = stages_end;
        }
    }
  for (guint i = 0; i < epochs->len; i++)
    {
      const WlEpochRecord *r = &g_array_index (epochs, WlEpochRecord, i);
      WlEvent *event;

      if (r->epoch > last_epoch)
        continue;
      event = history_event (events, WL_EVENT_EPOCH, WL_STAGE_TRAIN, r->elapsed);
      event->epoch = r->epoch;
      event->n_epochs = n_epochs;
      event->fraction = n_epochs > 0 ? (double) r->epoch / n_epochs : 0;
      event->train_loss = r->train_loss;
      event->valid_loss = r->valid_loss;
      event->valid_accuracy = r->valid_accuracy;
      event->valid_macro_f1 = r->valid_macro_f1;
      event->tokens_per_s = r->tokens_per_s;
      event->lr = r->lr;
      event->is_best = r->is_best;
      if (r->elapsed >= stages_end && open_stage == WL_N_STAGES)
        {
          open_stage = WL_STAGE_TRAIN;
          open_start = stages_end;
        }
    }
  for (guint i = 0; i < messages->len; i++)
    {
      const WlMessageRecord *r = g_ptr_array_index (messages, i);

      if (r->elapsed > offset)
        continue;
      history_event (events, WL_EVENT_MESSAGE, r->stage, r->elapsed)->message = g_strdup (r->text);
    }
  if (open_stage != WL_N_STAGES && offset > open_start)
    {
      history_event (events, WL_EVENT_STAGE_STARTED, open_stage, open_start);
      history_event (events, WL_EVENT_STAGE_FINISHED, open_stage, offset)->seconds = offset - open_start;
    }
  g_ptr_array_sort (events, compare_events);
  return g_steal_pointer (&events);
}

