/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-train-record.c: `train` and the run store: recording (with
 * resource samples), --resume. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "store/wl-resource-sample.h"
#include "wl-cli.h"
#include "wl-error.h"

WlRun *
wl_cli_train_resume (WlStore  *store,
                     gint64    id,
                     char    **output,
                     GError  **error)
{
  g_autoptr(WlRunRecord) record = wl_store_get_run (store, id, error);

  if (record == NULL)
    return NULL;
  if (*output == NULL)
    {
      if (record->output == NULL)
        {
          g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                       _("Run %lld was not started with a model path; pass --output"), (long long) id);
          return NULL;
        }
      *output = g_strdup (record->output);
    }
  return wl_store_resume_run (store, id, error);
}

WlRunRecorder *
wl_cli_train_record (WlStore     *store,
                     WlRun       *run,
                     gint64       resume_id,
                     const char  *output,
                     double       interval,
                     gboolean     json,
                     GError     **error)
{
  WlRunRecorder *recorder = wl_run_recorder_new (store, run, resume_id, output, error);

  if (recorder != NULL)
    wl_run_recorder_set_checkpoint_interval (recorder, interval);
  if (recorder != NULL && json)
    {
      g_autofree char *path = wl_cli_json_string (wl_store_get_path (store));

      g_print ("{\"event\":\"recording\",\"run\":%" G_GINT64_FORMAT ",\"store\":%s,\"resumed\":%s}\n",
               wl_run_recorder_get_id (recorder), path, resume_id > 0 ? "true" : "false");
      fflush (stdout);
    }
  return recorder;
}

static void
on_sample (const WlMonitorSample *sample,
           gpointer               user_data)
{
  WlResourceSample row;

  wl_resource_sample_from_monitor (&row, sample);
  wl_run_recorder_add_sample (user_data, &row);
}

WlMonitor *
wl_cli_train_record_monitor (WlRunRecorder *recorder)
{
  WlMonitor *monitor = wl_monitor_new (NULL);

  wl_monitor_start (monitor, NULL, on_sample, recorder);
  return monitor;
}

/* How to go on with run @id, or why it cannot. */
static void
print_resume_hint (WlStore *store,
                   gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WlRunRecord) record = wl_store_get_run (store, id, &error);
  g_autoptr(WlCheckpointRecord) last = NULL;

  if (record != NULL)
    last = wl_store_get_checkpoint (store, id, WL_CHECKPOINT_LAST, &error);
  if (error != NULL)
    g_printerr ("%s\n", error->message);
  else if (wl_store_run_can_resume (record, last != NULL, &error))
    g_printerr (_("Run %lld is kept; continue it with: wordloom-cli train --resume %lld\n"),
                (long long) id, (long long) id);
  else
    g_printerr (_("Run %lld is kept in the history (wordloom-cli runs show %lld) but cannot be "
                  "resumed: %s\n"), (long long) id, (long long) id, error->message);
}

int
wl_cli_train_record_end (WlStore       *store,
                         WlRunRecorder *recorder,
                         int            status,
                         gboolean       json)
{
  g_autoptr(GError) error = NULL;
  gint64 id = wl_run_recorder_get_id (recorder);

  /* A run that failed for the store has said so already. */
  if (!wl_run_recorder_finish (recorder, &error) && status == WL_CLI_EXIT_OK)
    status = wl_cli_fail (error);
  if (json)
    return status;
  if (status == WL_CLI_EXIT_OK)
    g_print (_("Recorded as run %lld (wordloom-cli runs show %lld)\n"), (long long) id, (long long) id);
  else
    print_resume_hint (store, id);
  return status;
}
