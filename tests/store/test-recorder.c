/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-recorder.c: runs recorded into the store, checkpoints, resuming, and
 * a reader that works while the recorder writes. */
#include <math.h>
#include <string.h>

#include "models/wl-model-file.h"
#include "store-test-util.h"
#include "train/wl-classifier.h"

typedef struct
{
  char    *dir;
  char    *data;
  char    *db;
  WlStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("wl-recorder-XXXXXX", NULL);
  f->data = test_write_dataset (f->dir, 1200, 11);
  f->db = g_build_filename (f->dir, "store", "runs.sqlite", NULL);
  f->store = wl_store_open (f->db, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  wl_store_close (f->store);
  test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data);
  g_free (f->db);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (handle != NULL && g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

static void
test_record_finished (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WlConfig) config = test_config (f->data, 6);
  g_autoptr(WlRun) run = wl_run_new (config);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(WlRunRecord) record = NULL;
  g_autoptr(GArray) epochs = NULL;
  g_autoptr(GArray) progress = NULL;
  g_autoptr(GArray) stages = NULL;
  g_autoptr(WlCheckpointRecord) best = NULL;
  g_autoptr(WlCheckpointRecord) last = NULL;
  g_autoptr(WlClassifier) classifier = NULL;
  g_autofree char *run_dir = NULL;
  TestRecording t = { 0 };
  gint64 id;
  guint n_best = 0;

  id = test_record (f->store, run, 0, &t);
  g_assert_no_error (t.error);
  g_assert_cmpint (t.end, ==, WL_EVENT_FINISHED);

  runs = wl_store_list_runs (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  record = wl_store_get_run (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->state, ==, WL_RUN_STATE_FINISHED);
  g_assert_cmpstr (record->model, ==, "linear");
  g_assert_cmpstr (record->metric, ==, "accuracy");
  g_assert_true (g_str_has_suffix (record->dataset, "data.csv"));
  g_assert_true (g_str_has_prefix (record->dataset_hash, "xxh64:"));
  g_assert_cmpint (record->dataset_size, >, 0);
  g_assert_cmpuint (record->n_train + record->n_valid + record->n_test, ==, 1200);
  g_assert_nonnull (strstr (record->labels, "\"sport\":400"));
  g_assert_nonnull (strstr (record->machine, "\"cores\""));
  g_assert_nonnull (strstr (record->config, "\"tokenizer\":\"words\""));
  g_assert_nonnull (strstr (record->evaluation, "\"confusion\""));
  g_assert_cmpfloat_with_epsilon (record->test_accuracy, t.test_accuracy, 1e-12);
  g_assert_cmpuint (record->epochs_run, ==, 6);
  g_assert_cmpuint (record->n_epochs, ==, 6);
  g_assert_true (isfinite (record->best_metric));
  g_assert_cmpint (record->finished, >=, record->started);
  g_assert_cmpuint (record->attempts, ==, 1);

  epochs = wl_store_get_epochs (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (epochs->len, ==, 6);
  for (guint i = 0; i < epochs->len; i++)
    {
      const WlEpochRecord *e = &g_array_index (epochs, WlEpochRecord, i);

      g_assert_cmpuint (e->epoch, ==, i + 1);
      g_assert_true (isfinite (e->train_loss) && isfinite (e->valid_accuracy));
      if (i > 0)
        g_assert_cmpfloat (e->elapsed, >, g_array_index (epochs, WlEpochRecord, i - 1).elapsed);
      n_best += e->is_best;
      if (e->is_best)
        g_assert_cmpfloat (e->valid_accuracy, <=, record->best_metric);
    }
  g_assert_cmpuint (n_best, >=, 1);
  g_assert_cmpfloat (g_array_index (epochs, WlEpochRecord, record->best_epoch - 1).valid_accuracy,
                     ==, record->best_metric);

  progress = wl_store_get_progress (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (progress->len, >, 0);
  stages = wl_store_get_stages (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stages->len, ==, WL_N_STAGES);
  for (guint s = 0; s < WL_N_STAGES; s++)
    g_assert_cmpint (g_array_index (stages, WlStageRecord, s).stage, ==, s);

  /* The best checkpoint is a model file; the last one went with the end. */
  best = wl_store_get_checkpoint (f->store, id, WL_CHECKPOINT_BEST, &error);
  g_assert_no_error (error);
  g_assert_nonnull (best);
  g_assert_cmpuint (best->epoch, ==, record->best_epoch);
  last = wl_store_get_checkpoint (f->store, id, WL_CHECKPOINT_LAST, &error);
  g_assert_no_error (error);
  g_assert_null (last);
  classifier = wl_classifier_load (best->path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wl_classifier_get_n_labels (classifier), ==, 3);
  run_dir = g_path_get_dirname (best->path);
  g_assert_cmpuint (count_files (run_dir), ==, 1);

  /* What a crash between a commit and its deletes leaves goes at the next
   * open: files no row points at, folders of deleted runs. */
  {
    g_autofree char *stray = g_build_filename (run_dir, "epoch-99.wlm", NULL);
    g_autofree char *temp = g_build_filename (run_dir, "epoch-98.wlm.tmp", NULL);
    g_autofree char *gone_dir = g_build_filename (run_dir, "..", "run-999", NULL);
    g_autofree char *gone = g_build_filename (gone_dir, "epoch-1.wlm", NULL);
    g_autoptr(WlStore) again = NULL;

    g_assert_true (g_file_set_contents (stray, "x", 1, NULL));
    g_assert_true (g_file_set_contents (temp, "x", 1, NULL));
    g_assert_cmpint (g_mkdir (gone_dir, 0700), ==, 0);
    g_assert_true (g_file_set_contents (gone, "x", 1, NULL));
    again = wl_store_open (f->db, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (count_files (run_dir), ==, 1);
    g_assert_true (g_file_test (best->path, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (gone_dir, G_FILE_TEST_EXISTS));
  }

  /* Deleting takes the rows and the files. */
  g_assert_true (wl_store_delete_run (f->store, id, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (run_dir, G_FILE_TEST_EXISTS));
  g_clear_pointer (&epochs, g_array_unref);
  epochs = wl_store_get_epochs (f->store, id, &error);
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_null (epochs);
}

/* Cancelled after epoch @stop, then resumed: the same model as a run that
 * was never stopped, and curves that go on where they stopped. */
static void
test_record_resume (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(WlConfig) config = test_config (f->data, 6);
  g_autoptr(WlRun) whole = wl_run_new (config);
  g_autoptr(WlRun) first = wl_run_new (config);
  g_autoptr(WlRun) resumed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WlRunRecord) record = NULL;
  g_autoptr(WlCheckpointRecord) last = NULL;
  g_autoptr(GArray) reference = NULL;
  g_autoptr(GArray) epochs = NULL;
  TestRecording t_whole = { 0 }, t_first = { .cancel_after = 3 }, t_resumed = { 0 };
  gint64 whole_id, id;

  whole_id = test_record (f->store, whole, 0, &t_whole);
  id = test_record (f->store, first, 0, &t_first);
  g_assert_cmpint (t_first.end, ==, WL_EVENT_CANCELLED);
  g_assert_no_error (t_first.error);

  record = wl_store_get_run (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->state, ==, WL_RUN_STATE_CANCELLED);
  last = wl_store_get_checkpoint (f->store, id, WL_CHECKPOINT_LAST, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (last->epoch, ==, 3);
  g_assert_cmpuint (last->best_epoch, ==, record->best_epoch);

  resumed = wl_store_resume_run (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (test_record (f->store, resumed, id, &t_resumed), ==, id);
  g_assert_no_error (t_resumed.error);
  g_assert_cmpint (t_resumed.end, ==, WL_EVENT_FINISHED);
  /* One thread, a seeded split and per-epoch shuffles: exactly the same. */
  g_assert_cmpfloat (t_resumed.test_accuracy, ==, t_whole.test_accuracy);

  g_clear_pointer (&record, wl_run_record_free);
  record = wl_store_get_run (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (record->state, ==, WL_RUN_STATE_FINISHED);
  g_assert_cmpuint (record->attempts, ==, 2);
  g_assert_cmpuint (record->epochs_run, ==, 6);

  reference = wl_store_get_epochs (f->store, whole_id, &error);
  epochs = wl_store_get_epochs (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (epochs->len, ==, 6);
  for (guint i = 0; i < epochs->len; i++)
    {
      const WlEpochRecord *e = &g_array_index (epochs, WlEpochRecord, i);
      const WlEpochRecord *r = &g_array_index (reference, WlEpochRecord, i);

      g_assert_cmpuint (e->epoch, ==, i + 1);
      g_assert_cmpfloat (e->valid_accuracy, ==, r->valid_accuracy);
      g_assert_cmpfloat (e->train_loss, ==, r->train_loss);
      g_assert_cmpint (e->is_best, ==, r->is_best);
      if (i > 0)
        g_assert_cmpfloat (e->elapsed, >, g_array_index (epochs, WlEpochRecord, i - 1).elapsed);
    }
}

/* The automatic interval: short epochs are not all checkpointed, yet the
 * best checkpoint of a finished run is its final model, and a run stopped
 * midway resumes to the same model. */
static void
test_record_automatic_interval (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(WlConfig) config = test_config (f->data, 40);
  g_autoptr(WlRun) whole = wl_run_new (config);
  g_autoptr(WlRun) first = wl_run_new (config);
  g_autoptr(WlRun) resumed = NULL;
  g_autoptr(WlRunRecord) record = NULL;
  g_autoptr(WlCheckpointRecord) best = NULL;
  g_autoptr(GArray) epochs = NULL;
  g_autoptr(GBytes) final = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  gsize saved_len;
  TestRecording t_whole = { .interval = -1 }, t_first = { .interval = -1, .cancel_after = 25 };
  TestRecording t_resumed = { .interval = -1 };
  gint64 id;

  id = test_record (f->store, whole, 0, &t_whole);
  g_assert_no_error (t_whole.error);
  g_test_message ("%u checkpoints for 40 epochs, %.2f ms on the run's thread",
                  t_whole.stats.checkpoints, 1000 * t_whole.stats.run_seconds);
  g_assert_cmpuint (t_whole.stats.checkpoints, <, 40);
  g_assert_cmpuint (t_whole.stats.checkpoints, >=, 1);

  /* Every epoch has its row; the best checkpoint is the model as it ended. */
  epochs = wl_store_get_epochs (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (epochs->len, ==, 40);
  record = wl_store_get_run (f->store, id, &error);
  best = wl_store_get_checkpoint (f->store, id, WL_CHECKPOINT_BEST, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (best->epoch, ==, record->best_epoch);
  g_assert_true (g_file_get_contents (best->path, &saved, &saved_len, NULL));
  {
    const WlClassifier *classifier = wl_run_get_classifier (whole);
    const WlModel *model = wl_classifier_get_model (classifier);
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();

    for (guint i = 0; i < wl_classifier_get_n_labels (classifier); i++)
      g_ptr_array_add (labels, (gpointer) wl_classifier_get_label (classifier, i));
    final = wl_model_file_to_bytes (model, (const char * const *) labels->pdata, labels->len, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpmem (saved, saved_len, g_bytes_get_data (final, NULL), g_bytes_get_size (final));

  id = test_record (f->store, first, 0, &t_first);
  g_assert_cmpint (t_first.end, ==, WL_EVENT_CANCELLED);
  resumed = wl_store_resume_run (f->store, id, &error);
  g_assert_no_error (error);
  test_record (f->store, resumed, id, &t_resumed);
  g_assert_no_error (t_resumed.error);
  g_assert_cmpfloat (t_resumed.test_accuracy, ==, t_whole.test_accuracy);
  g_clear_pointer (&epochs, g_array_unref);
  epochs = wl_store_get_epochs (f->store, id, &error);
  g_assert_cmpuint (epochs->len, ==, 40);
}

static void
test_resume_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WlConfig) config = test_config (f->data, 3);
  g_autoptr(WlRun) done = wl_run_new (config);
  g_autoptr(WlRun) stopped = wl_run_new (config);
  g_autoptr(WlRun) run = NULL;
  g_autoptr(GError) error = NULL;
  TestRecording t_done = { 0 }, t_stopped = { .cancel_after = 1 };
  gint64 done_id, stopped_id;

  done_id = test_record (f->store, done, 0, &t_done);
  stopped_id = test_record (f->store, stopped, 0, &t_stopped);
  g_assert_cmpint (t_stopped.end, ==, WL_EVENT_CANCELLED);

  run = wl_store_resume_run (f->store, done_id, &error);
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nothing to resume"));
  g_assert_null (run);
  g_clear_error (&error);

  run = wl_store_resume_run (f->store, 999, &error);
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no run 999"));
  g_clear_error (&error);

  /* Failed on its input before any checkpoint: it would fail again. */
  {
    g_autofree char *bad = g_build_filename (f->dir, "bad.csv", NULL);
    g_autoptr(WlConfig) bad_config = test_config (bad, 3);
    g_autoptr(WlRun) failed = wl_run_new (bad_config);
    g_autoptr(WlRunRecord) record = NULL;
    TestRecording t_failed = { 0 };
    gint64 failed_id;

    g_assert_true (g_file_set_contents (bad, "label,text\nsport,a,b,c\n", -1, NULL));
    failed_id = test_record (f->store, failed, 0, &t_failed);
    g_assert_cmpint (t_failed.end, ==, WL_EVENT_FAILED);
    record = wl_store_get_run (f->store, failed_id, &error);
    g_assert_no_error (error);
    g_assert_false (wl_store_run_can_resume (record, FALSE, &error));
    g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "failed before its first epoch ended"));
    g_assert_nonnull (strstr (error->message, "bad.csv:2"));
    g_clear_error (&error);
    run = wl_store_resume_run (f->store, failed_id, &error);
    g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "fix the cause and start a new run"));
    g_assert_null (run);
    g_clear_error (&error);
  }
  /* A stopped one can, with or without a checkpoint (without: from the start). */
  {
    g_autoptr(WlRunRecord) record = wl_store_get_run (f->store, stopped_id, &error);

    g_assert_no_error (error);
    g_assert_true (wl_store_run_can_resume (record, TRUE, &error));
    g_assert_true (wl_store_run_can_resume (record, FALSE, &error));
    g_assert_no_error (error);
  }

  /* Other data under the same name. */
  g_free (test_write_dataset (f->dir, 1200, 12));
  run = wl_store_resume_run (f->store, stopped_id, &error);
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "changed since run"));
  g_assert_null (run);
}

static gpointer
add_samples (gpointer data)
{
  WlRunRecorder *recorder = data;

  for (guint i = 0; i < 20; i++)
    {
      WlResourceSample sample = { .cpu_percent = 50 + i, .rss_bytes = 1000 * i,
                                  .gpu_percent = NAN };

      wl_run_recorder_add_sample (recorder, &sample);
    }
  return NULL;
}

static void
test_record_samples (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WlConfig) config = test_config (f->data, 2);
  g_autoptr(WlRun) run = wl_run_new (config);
  g_autoptr(WlRunRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) samples = NULL;
  gint64 id;

  recorder = wl_run_recorder_new (f->store, run, 0, NULL, &error);
  g_assert_no_error (error);
  id = wl_run_recorder_get_id (recorder);
  g_thread_join (g_thread_new ("samples", add_samples, recorder));
  g_assert_true (wl_run_recorder_finish (recorder, &error));

  samples = wl_store_get_samples (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (samples->len, ==, 20);
  g_assert_cmpfloat (g_array_index (samples, WlResourceSample, 19).cpu_percent, ==, 69);
  g_assert_cmpuint (g_array_index (samples, WlResourceSample, 19).rss_bytes, ==, 19000);
  g_assert_true (isnan (g_array_index (samples, WlResourceSample, 0).gpu_percent));
}

/* A reader on its own connection while a run is recorded: it never waits
 * for the writer nor fails, and it sees the run grow. */
typedef struct
{
  Fixture       *f;
  WlRun         *run;
  TestRecording  t;
  gint           done;
} Background;

static gpointer
record_in_background (gpointer data)
{
  Background *b = data;

  test_record (b->f->store, b->run, 0, &b->t);
  g_atomic_int_set (&b->done, TRUE);
  return NULL;
}

static void
test_concurrent_reader (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *big = test_write_dataset (f->dir, 40000, 13);
  g_autoptr(WlConfig) config = test_config (big, 20);
  g_autoptr(WlStore) reader = NULL;
  g_autoptr(GError) error = NULL;
  Background b = { .f = f };
  GThread *thread;
  guint reads = 0, last_count = 0, distinct = 0;
  gint64 slowest = 0;

  b.run = wl_run_new (config);
  thread = g_thread_new ("recording", record_in_background, &b);
  reader = wl_store_open (f->db, &error);
  g_assert_no_error (error);
  while (!g_atomic_int_get (&b.done))
    {
      g_autoptr(GPtrArray) runs = NULL;
      g_autoptr(GArray) progress = NULL;
      gint64 start = g_get_monotonic_time ();

      runs = wl_store_list_runs (reader, &error);
      g_assert_no_error (error);
      if (runs->len > 0)
        {
          progress = wl_store_get_progress (reader, ((WlRunRecord *) runs->pdata[0])->id, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (progress->len, >=, last_count);
          distinct += progress->len != last_count;
          last_count = progress->len;
        }
      slowest = MAX (slowest, g_get_monotonic_time () - start);
      reads++;
      g_usleep (2000);
    }
  g_thread_join (thread);
  g_assert_no_error (b.t.error);
  g_assert_cmpint (b.t.end, ==, WL_EVENT_FINISHED);
  g_test_message ("%u reads, %u saw new rows, slowest %.1f ms", reads, distinct, slowest / 1000.0);
  g_assert_cmpuint (reads, >, 10);
  g_assert_cmpuint (distinct, >=, 2);
  /* WAL: a read never waits for a commit (generous for a loaded CI). */
  g_assert_cmpint (slowest, <, G_USEC_PER_SEC / 2);
  wl_run_unref (b.run);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/recorder/finished", Fixture, NULL, fixture_set_up, test_record_finished, fixture_tear_down);
  g_test_add ("/recorder/resume", Fixture, NULL, fixture_set_up, test_record_resume, fixture_tear_down);
  g_test_add ("/recorder/automatic-interval", Fixture, NULL, fixture_set_up, test_record_automatic_interval, fixture_tear_down);
  g_test_add ("/recorder/resume-refused", Fixture, NULL, fixture_set_up, test_resume_refused, fixture_tear_down);
  g_test_add ("/recorder/samples", Fixture, NULL, fixture_set_up, test_record_samples, fixture_tear_down);
  g_test_add ("/recorder/concurrent-reader", Fixture, NULL, fixture_set_up, test_concurrent_reader, fixture_tear_down);
  return g_test_run ();
}
