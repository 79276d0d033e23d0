/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store.c: opening the store (where, WAL, errors a user can act on),
 * notes and tags, and runs whose process died. */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store-test-util.h"
#include "store/wl-store-private.h"

static gint64
insert_run (WlStore *store)
{
  g_autoptr(GError) error = NULL;
  WlRunStart start = { .model = "linear", .config = "{}", .dataset = "/d.csv" };
  gint64 id = wl_store_insert_run (store, &start, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_default_path (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-store-XXXXXX", NULL);
  g_autofree char *data = g_build_filename (dir, "xdg", NULL);
  g_autofree char *expected = g_build_filename (data, "wordloom", "runs.sqlite", NULL);
  g_autofree char *path = NULL;
  g_autoptr(WlStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  /* Before GLib caches the user folders. */
  g_assert_true (g_setenv ("XDG_DATA_HOME", data, TRUE));
  g_unsetenv ("WORDLOOM_STORE");
  path = wl_store_get_default_path ();
  g_assert_cmpstr (path, ==, expected);
  store = wl_store_open (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wl_store_get_path (store), ==, expected);

  /* WAL, seen from another connection. */
  g_assert_cmpint (sqlite3_open (expected, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_true (g_setenv ("WORDLOOM_STORE", "/elsewhere/runs.sqlite", TRUE));
  g_free (path);
  path = wl_store_get_default_path ();
  g_assert_cmpstr (path, ==, "/elsewhere/runs.sqlite");
  g_unsetenv ("WORDLOOM_STORE");
  g_clear_pointer (&store, wl_store_close);
  test_remove_tree (dir);
}

static void
test_not_a_store (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "runs.sqlite", NULL);
  g_autoptr(WlStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (path, "label,text\nsport,goal goal goal\n", -1, NULL));
  store = wl_store_open (path, &error);
  g_assert_error (error, WL_ERROR, WL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "not a Wordloom run store"));
  g_assert_null (store);
  /* Left as it was. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "label,text\nsport,goal goal goal\n");
  test_remove_tree (dir);
}

/* A read-only folder: root writes anywhere, so the check runs as nobody. */
static void
test_read_only_folder (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *ro = NULL;
  g_autofree char *path = NULL;
  g_autofree char *below = NULL;

  if (g_test_subprocess ())
    {
      const char *paths[] = { g_getenv ("WL_TEST_STORE"), g_getenv ("WL_TEST_STORE_BELOW") };

      if (geteuid () == 0)
        g_assert_true (setgid (65534) == 0 && setuid (65534) == 0);
      for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(WlStore) store = wl_store_open (paths[i], &error);

          g_assert_null (store);
          g_assert_error (error, WL_ERROR, WL_ERROR_IO);
          g_printerr ("%s\n", error->message);
        }
      return;
    }

  dir = g_dir_make_tmp ("wl-store-XXXXXX", NULL);
  ro = g_build_filename (dir, "ro", NULL);
  path = g_build_filename (ro, "runs.sqlite", NULL);
  below = g_build_filename (ro, "deeper", "runs.sqlite", NULL);
  g_assert_cmpint (g_mkdir (ro, 0555), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_setenv ("WL_TEST_STORE", path, TRUE);
  g_setenv ("WL_TEST_STORE_BELOW", below, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* Both name the path and say what to do. */
  g_test_trap_assert_stderr ("*ro/runs.sqlite: cannot write the run store there (*); make the folder "
                             "writable, or keep the runs elsewhere with --store FILE or WORDLOOM_STORE*"
                             "Cannot create the folder *deeper for the run store: Permission denied*");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  test_remove_tree (dir);
}

static void
test_notes_and_tags (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "runs.sqlite", NULL);
  g_autoptr(WlStore) store = NULL;
  g_autoptr(WlRunRecord) record = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  gint64 a, b;

  store = wl_store_open (path, &error);
  g_assert_no_error (error);
  a = insert_run (store);
  b = insert_run (store);
  g_assert_true (wl_store_set_notes (store, a, "lr too high?", &error));
  g_assert_true (wl_store_add_tag (store, a, "baseline", &error));
  g_assert_true (wl_store_add_tag (store, a, "ablation", &error));
  g_assert_true (wl_store_add_tag (store, a, "baseline", &error));
  g_assert_true (wl_store_add_tag (store, b, "中文", &error));
  g_assert_no_error (error);
  g_assert_false (wl_store_add_tag (store, a, "", &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (wl_store_set_notes (store, 99, "x", &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no run 99"));
  g_clear_error (&error);

  record = wl_store_get_run (store, a, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->notes, ==, "lr too high?");
  g_assert_cmpuint (g_strv_length (record->tags), ==, 2);
  g_assert_cmpstr (record->tags[0], ==, "ablation");
  g_assert_true (wl_store_remove_tag (store, a, "ablation", &error));

  runs = wl_store_list_runs (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 2);
  /* Newest first, each with its own tags. */
  g_assert_cmpint (((WlRunRecord *) runs->pdata[0])->id, ==, b);
  g_assert_cmpstr (((WlRunRecord *) runs->pdata[0])->tags[0], ==, "中文");
  g_assert_cmpstr (((WlRunRecord *) runs->pdata[1])->tags[0], ==, "baseline");
  g_assert_null (((WlRunRecord *) runs->pdata[1])->tags[1]);

  /* Ids are never reused, even for the newest run after a delete. */
  g_assert_true (wl_store_end_run (store, b, &(WlRunEnd) { .state = WL_RUN_STATE_FAILED,
                                                          .test_accuracy = NAN,
                                                          .test_macro_f1 = NAN,
                                                          .best_metric = NAN }, &error));
  g_assert_true (wl_store_delete_run (store, b, &error));
  g_assert_no_error (error);
  g_assert_cmpint (insert_run (store), >, b);
  g_clear_pointer (&store, wl_store_close);
  test_remove_tree (dir);
}

/* A run left "running" by a process that is gone was interrupted. */
static void
test_interrupted (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "runs.sqlite", NULL);
  g_autoptr(WlStore) store = NULL;
  g_autoptr(WlRunRecord) mine = NULL;
  g_autoptr(WlRunRecord) gone = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  gint64 alive_id, gone_id;
  pid_t child;

  store = wl_store_open (path, &error);
  g_assert_no_error (error);
  alive_id = insert_run (store);     /* ours: this process lives */
  gone_id = insert_run (store);
  child = fork ();
  if (child == 0)
    _exit (0);
  g_assert_cmpint (waitpid (child, NULL, 0), ==, child);
  stmt = wl_store_prepare (store, "UPDATE runs SET pid = ? WHERE id = ?", &error);
  sqlite3_bind_int64 (stmt, 1, child);
  sqlite3_bind_int64 (stmt, 2, gone_id);
  g_assert_true (wl_store_run (store, stmt, &error));
  g_clear_pointer (&store, wl_store_close);

  store = wl_store_open (path, &error);
  g_assert_no_error (error);
  mine = wl_store_get_run (store, alive_id, &error);
  gone = wl_store_get_run (store, gone_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mine->state, ==, WL_RUN_STATE_RUNNING);
  g_assert_cmpint (gone->state, ==, WL_RUN_STATE_INTERRUPTED);

  /* A live run is not deleted under its recorder. */
  g_assert_false (wl_store_delete_run (store, alive_id, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "still being trained"));
  g_clear_pointer (&store, wl_store_close);
  test_remove_tree (dir);
}

static void
check_history_event (GPtrArray   *events,
                     guint        i,
                     WlEventType  type,
                     WlStage      stage,
                     double       elapsed)
{
  const WlEvent *event = g_ptr_array_index (events, i);

  g_assert_cmpint (event->type, ==, type);
  g_assert_cmpint (event->stage, ==, stage);
  g_assert_cmpfloat (event->elapsed, ==, elapsed);
}

/* What a resume keeps (the rows wl_store_restart_run() leaves) is what
 * wl_store_get_history() replays, before and after the restart. */
static void
test_history (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "runs.sqlite", NULL);
  g_autoptr(WlStore) store = NULL;
  g_autoptr(GPtrArray) none = NULL, before = NULL, after = NULL;
  g_autoptr(GError) error = NULL;
  WlCheckpointRecord last = { .kind = WL_CHECKPOINT_LAST, .epoch = 2, .elapsed = 6 };
  WlStageRecord stages[] = { { WL_STAGE_LOAD, 0, 1 }, { WL_STAGE_CLEAN, 1, 1 },
                             { WL_STAGE_FEATURIZE, 2, 1 } };
  WlProgressRecord progress[] = { { .elapsed = 3.5, .stage = WL_STAGE_TRAIN, .epoch = 1 },
                                  { .elapsed = 5.5, .stage = WL_STAGE_TRAIN, .epoch = 2 },
                                  { .elapsed = 8, .stage = WL_STAGE_TRAIN, .epoch = 3 } };
  WlEpochRecord epochs[] = { { .epoch = 1, .elapsed = 4 }, { .epoch = 2, .elapsed = 6 },
                             { .epoch = 3, .elapsed = 9 } };
  WlMessageRecord messages[] = { { 0.5, WL_STAGE_LOAD, (char *) "loaded" }, { 7, WL_STAGE_TRAIN, (char *) "lost" } };
  sqlite3_stmt *stmt;
  gint64 id;

  store = wl_store_open (path, &error);
  g_assert_no_error (error);
  id = insert_run (store);
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    g_assert_true (wl_store_insert_stage (store, id, &stages[i], &error));
  for (guint i = 0; i < G_N_ELEMENTS (progress); i++)
    g_assert_true (wl_store_insert_progress (store, id, &progress[i], &error));
  for (guint i = 0; i < G_N_ELEMENTS (epochs); i++)
    g_assert_true (wl_store_insert_epoch (store, id, &epochs[i], 5, &error));
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    g_assert_true (wl_store_insert_message (store, id, &messages[i], &error));
  stmt = wl_store_prepare (store, "UPDATE runs SET state = 'interrupted' WHERE id = ?", &error);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_true (wl_store_run (store, stmt, &error));
  g_assert_no_error (error);

  /* Without a checkpoint the run starts over: nothing is kept. */
  none = wl_store_get_history (store, id, 5, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);

  before = wl_store_get_history (store, id, 5, &last, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, ==, 13);
  check_history_event (before, 0, WL_EVENT_STAGE_STARTED, WL_STAGE_LOAD, 0);
  check_history_event (before, 1, WL_EVENT_MESSAGE, WL_STAGE_LOAD, 0.5);
  g_assert_cmpstr (((WlEvent *) before->pdata[1])->message, ==, "loaded");
  /* At equal times a stage ends before the next one starts, as the run
   * reported them: a chart that closes its open span at an end would
   * otherwise close the new stage's and leave the old one open. */
  check_history_event (before, 2, WL_EVENT_STAGE_FINISHED, WL_STAGE_LOAD, 1);
  check_history_event (before, 3, WL_EVENT_STAGE_STARTED, WL_STAGE_CLEAN, 1);
  check_history_event (before, 4, WL_EVENT_STAGE_FINISHED, WL_STAGE_CLEAN, 2);
  check_history_event (before, 5, WL_EVENT_STAGE_STARTED, WL_STAGE_FEATURIZE, 2);
  /* Training was under way: its span ends at the checkpoint. */
  check_history_event (before, 6, WL_EVENT_STAGE_FINISHED, WL_STAGE_FEATURIZE, 3);
  check_history_event (before, 7, WL_EVENT_STAGE_STARTED, WL_STAGE_TRAIN, 3);
  check_history_event (before, 8, WL_EVENT_PROGRESS, WL_STAGE_TRAIN, 3.5);
  check_history_event (before, 9, WL_EVENT_EPOCH, WL_STAGE_TRAIN, 4);
  check_history_event (before, 10, WL_EVENT_PROGRESS, WL_STAGE_TRAIN, 5.5);
  check_history_event (before, 11, WL_EVENT_EPOCH, WL_STAGE_TRAIN, 6);
  g_assert_cmpuint (((WlEvent *) before->pdata[11])->epoch, ==, 2);
  g_assert_cmpuint (((WlEvent *) before->pdata[11])->n_epochs, ==, 5);
  check_history_event (before, 12, WL_EVENT_STAGE_FINISHED, WL_STAGE_TRAIN, 6);
  g_assert_cmpfloat (((WlEvent *) before->pdata[12])->seconds, ==, 3);

  /* The restart drops exactly what the history left out. */
  g_assert_true (wl_store_restart_run (store, id, &last, &error));
  g_assert_no_error (error);
  after = wl_store_get_history (store, id, 5, &last, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    {
      const WlEvent *a = after->pdata[i], *b = before->pdata[i];

      check_history_event (after, i, b->type, b->stage, b->elapsed);
      g_assert_cmpfloat (a->seconds, ==, b->seconds);
    }
  g_clear_pointer (&store, wl_store_close);
  test_remove_tree (dir);
}

/* A distributed run's record names its processes and hosts; one process
 * (no ranks in its machine JSON, or one) has nothing to say. */
static void
test_describe_ranks (void)
{
  g_autofree char *one = wl_store_describe_machine ();
  g_autofree char *two = wl_run_describe_ranks ("{\"host\":\"a\",\"ranks\":3,"
                                                "\"hosts\":[\"a\",\"b\",\"a\"]}");

  g_assert_null (wl_run_describe_ranks (one));
  g_assert_null (wl_run_describe_ranks (NULL));
  g_assert_null (wl_run_describe_ranks ("{\"ranks\":1,\"hosts\":[\"a\"]}"));
  g_assert_null (wl_run_describe_ranks ("not json"));
  g_assert_cmpstr (two, ==, "3 processes: a × 2, b × 1");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/default-path", test_default_path);
  g_test_add_func ("/store/not-a-store", test_not_a_store);
  g_test_add_func ("/store/read-only-folder", test_read_only_folder);
  g_test_add_func ("/store/notes-and-tags", test_notes_and_tags);
  g_test_add_func ("/store/interrupted", test_interrupted);
  g_test_add_func ("/store/history", test_history);
  g_test_add_func ("/store/describe-ranks", test_describe_ranks);
  return g_test_run ();
}
