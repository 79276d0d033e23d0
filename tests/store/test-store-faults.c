/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-faults.c: a full disk and failing syncs at every write of a
 * recorded run (as SQLite's own fault tests do): a clear error, a store
 * that passes integrity_check, checkpoints that are whole, and a run that
 * resumes from the last one to the same model. */
#include <math.h>
#include <string.h>

#include "models/wl-model-file.h"
#include "store-test-util.h"
#include "store/wl-store-fault.h"

#define MAX_FAULTS 400

typedef struct
{
  char   *dir;
  char   *data;
  double  reference;   /* test accuracy of the run without faults */
} Setup;

static void
assert_no_temp_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_assert_false (g_str_has_suffix (name, ".tmp"));
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        assert_no_temp_files (path);
    }
}

/* The store as the next process finds it: whole, every checkpoint a
 * valid model file, and the run resumable to the same model. */
static void
check_after_fault (const Setup *setup,
                   const char  *db)
{
  g_autoptr(WlStore) store = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checkpoints = g_build_filename (setup->dir, "store", "checkpoints", NULL);
  sqlite3 *raw = NULL;

  test_assert_integrity (db);
  assert_no_temp_files (checkpoints);

  /* The process that recorded it is gone. */
  g_assert_cmpint (sqlite3_open (db, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "UPDATE runs SET state = 'interrupted' WHERE state = 'running'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  store = wl_store_open (db, &error);
  g_assert_no_error (error);
  runs = wl_store_list_runs (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, <=, 1);
  if (runs->len == 0)
    return;   /* the fault hit the run's first row */

  for (WlCheckpointKind kind = WL_CHECKPOINT_LAST; kind <= WL_CHECKPOINT_BEST; kind++)
    {
      g_autoptr(WlCheckpointRecord) checkpoint = NULL;
      g_autoptr(WlModelFileInfo) info = NULL;

      checkpoint = wl_store_get_checkpoint (store, ((WlRunRecord *) runs->pdata[0])->id, kind, &error);
      g_assert_no_error (error);
      if (checkpoint == NULL)
        continue;
      info = wl_model_file_info_load (checkpoint->path, &error);   /* size and checksum */
      g_assert_no_error (error);
    }

  if (((WlRunRecord *) runs->pdata[0])->state != WL_RUN_STATE_FINISHED)
    {
      gint64 id = ((WlRunRecord *) runs->pdata[0])->id;
      g_autoptr(WlRun) run = wl_store_resume_run (store, id, &error);
      TestRecording t = { 0 };

      g_assert_no_error (error);
      test_record (store, run, id, &t);
      g_assert_no_error (t.error);
      g_assert_cmpint (t.end, ==, WL_EVENT_FINISHED);
      g_assert_cmpfloat (t.test_accuracy, ==, setup->reference);
    }
}

/* One recorded run with the @nth write (or sync) failing; returns whether
 * the fault fired (FALSE: the run needs fewer than @nth). */
static gboolean
run_with_fault (const Setup  *setup,
                WlStoreFault  fault,
                guint         nth,
                gboolean      persistent)
{
  g_autofree char *db = g_build_filename (setup->dir, "store", "runs.sqlite", NULL);
  g_autofree char *store_dir = g_path_get_dirname (db);
  g_autoptr(WlConfig) config = test_config (setup->data, 3);
  g_autoptr(WlRun) run = wl_run_new (config);
  g_autoptr(WlStore) store = NULL;
  g_autoptr(WlRunRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  TestRecording t = { 0 };
  gboolean fired;

  store = wl_store_open (db, &error);
  g_assert_no_error (error);
  wl_store_fault_arm (fault, nth, persistent);
  recorder = wl_run_recorder_new (store, run, 0, NULL, &error);
  if (recorder != NULL)
    {
      wl_run_recorder_set_checkpoint_interval (recorder, 0);   /* every epoch */
      t.recorder = g_steal_pointer (&recorder);
      wl_run_run_sync (run, test_on_event, &t, NULL);
      wl_run_recorder_finish (t.recorder, &error);
      g_clear_pointer (&t.recorder, wl_run_recorder_free);
    }
  fired = wl_store_fault_fired ();
  wl_store_fault_disarm ();
  g_clear_pointer (&store, wl_store_close);

  if (error != NULL)
    g_test_message ("fault %u: %s", nth, error->message);
  if (fired && persistent)
    {
      /* Said clearly: what, where, and what to do. */
      g_assert_nonnull (error);
      g_assert_true (strstr (error->message, "the disk is full; free some space") != NULL ||
                     strstr (error->message, "input/output error") != NULL ||
                     strstr (error->message, "Input/output error; check the disk") != NULL);
      g_assert_true (strstr (error->message, db) != NULL ||
                     strstr (error->message, "checkpoints/run-") != NULL);
    }
  else if (!fired)
    {
      g_assert_no_error (error);
      g_assert_cmpint (t.end, ==, WL_EVENT_FINISHED);
    }
  check_after_fault (setup, db);
  test_remove_tree (store_dir);
  return fired;
}

static void
faults_at_every_write (WlStoreFault fault,
                       gboolean     persistent)
{
  g_autoptr(WlConfig) config = NULL;
  g_autoptr(WlRun) run = NULL;
  TestRecording t = { 0 };
  Setup setup;
  guint nth;

  setup.dir = g_dir_make_tmp ("wl-faults-XXXXXX", NULL);
  setup.data = test_write_dataset (setup.dir, 300, 5);
  config = test_config (setup.data, 3);
  run = wl_run_new (config);
  test_record (NULL, run, 0, &t);
  setup.reference = t.test_accuracy;

  for (nth = 1; nth < MAX_FAULTS; nth++)
    if (!run_with_fault (&setup, fault, nth, persistent))
      break;
  g_test_message ("%u %s points", nth - 1, fault == WL_STORE_FAULT_WRITE ? "write" : "sync");
  g_assert_cmpuint (nth, <, MAX_FAULTS);
  g_assert_cmpuint (nth, >, 5);
  test_remove_tree (setup.dir);
  g_free (setup.dir);
  g_free (setup.data);
}

static void
test_disk_full (void)
{
  faults_at_every_write (WL_STORE_FAULT_WRITE, TRUE);
}

static void
test_disk_full_once (void)
{
  faults_at_every_write (WL_STORE_FAULT_WRITE, FALSE);
}

static void
test_sync_fails (void)
{
  faults_at_every_write (WL_STORE_FAULT_SYNC, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store-faults/disk-full", test_disk_full);
  g_test_add_func ("/store-faults/disk-full-once", test_disk_full_once);
  g_test_add_func ("/store-faults/sync-fails", test_sync_fails);
  return g_test_run ();
}
