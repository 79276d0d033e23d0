/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store-test-util.h: generated datasets and recorded runs for the store's tests. */
#pragma once

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "store/wl-run-recorder.h"
#include "wl-error.h"

static const char *test_words[3][6] = {
  { "goal", "team", "coach", "match", "league", "score" },
  { "recipe", "spicy", "dinner", "sauce", "bread", "kitchen" },
  { "laptop", "battery", "screen", "update", "chip", "cloud" },
};
static const char *test_labels[3] = { "sport", "food", "tech" };

/* A labelled CSV of @n_rows rows in @dir; noisy enough that accuracy keeps
 * moving over the epochs. */
static inline char *
test_write_dataset (const char *dir,
                    guint       n_rows,
                    guint32     seed)
{
  g_autoptr(GString) csv = g_string_new ("label,text\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  char *path = g_build_filename (dir, "data.csv", NULL);

  for (guint i = 0; i < n_rows; i++)
    {
      guint c = i % 3;

      g_string_append_printf (csv, "%s,", test_labels[c]);
      for (guint w = 0; w < 10; w++)
        {
          guint from = g_rand_int_range (rand, 0, 10) < 6 ? c : (guint) g_rand_int_range (rand, 0, 3);

          g_string_append_printf (csv, "%s%u ", test_words[from][g_rand_int_range (rand, 0, 6)],
                                  g_rand_int_range (rand, 0, 40));
        }
      g_string_append_c (csv, '\n');
    }
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
  return path;
}

/* Removes @dir and everything under it. */
static inline void
test_remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    {
      g_unlink (dir);
      return;
    }
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        test_remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static inline WlConfig *
test_config (const char *input,
             guint       epochs)
{
  WlConfig *config = wl_config_new ();

  config->data.input = g_strdup (input);
  config->model.type = WL_MODEL_LINEAR;
  config->model.epochs = epochs;
  config->model.patience = 0;
  /* One thread: the same seed gives the same model, resumed or not. */
  config->threads = 1;
  return config;
}

typedef struct
{
  WlRunRecorder *recorder;
  double         interval;       /* between checkpoints: 0 every epoch, < 0 automatic */
  guint          cancel_after;   /* epoch; 0: never */
  WlEventType    end;
  GError        *error;
  double         test_accuracy;
  WlRecorderStats stats;
} TestRecording;

static inline void
test_on_event (WlRun         *run,
               const WlEvent *event,
               gpointer       data)
{
  TestRecording *t = data;

  if (t->recorder != NULL)
    wl_run_recorder_handle_event (t->recorder, event);
  if (event->type == WL_EVENT_EPOCH && event->epoch == t->cancel_after)
    wl_run_cancel (run);
  if (event->type == WL_EVENT_FINISHED || event->type == WL_EVENT_FAILED ||
      event->type == WL_EVENT_CANCELLED)
    t->end = event->type;
  if (event->type == WL_EVENT_FINISHED)
    t->test_accuracy = wl_run_get_evaluation (run)->metrics->accuracy;
}

/* Runs @run on this thread, recorded into @store unless it is NULL (as run
 * @resume_id when > 0); returns the run's id and fills @t.  The store's
 * error, if any, is in t->error. */
static inline gint64
test_record (WlStore       *store,
             WlRun         *run,
             gint64         resume_id,
             TestRecording *t)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;

  if (store != NULL)
    {
      t->recorder = wl_run_recorder_new (store, run, resume_id, NULL, &error);
      g_assert_no_error (error);
      wl_run_recorder_set_checkpoint_interval (t->recorder, t->interval);
      id = wl_run_recorder_get_id (t->recorder);
    }
  wl_run_run_sync (run, test_on_event, t, NULL);
  if (t->recorder != NULL)
    {
      wl_run_recorder_finish (t->recorder, &t->error);
      wl_run_recorder_get_stats (t->recorder, &t->stats);
      g_clear_pointer (&t->recorder, wl_run_recorder_free);
    }
  return id;
}

/* PRAGMA integrity_check of the database at @path, through a connection
 * of its own. */
static inline void
test_assert_integrity (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}
