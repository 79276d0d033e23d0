/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-resume.c: a run stopped after some epochs and resumed from its
 * checkpoint ends with the weights of the run that was never stopped, to
 * the bit, for every model (one thread: training is deterministic). */
#include <string.h>

#include "models/wl-model-file.h"
#include "store-test-util.h"
#include "train/wl-classifier.h"

#define EPOCHS     5
#define STOP_AFTER 2

typedef struct
{
  char    *dir;
  char    *data;
  WlStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  f->dir = g_dir_make_tmp ("wl-resume-XXXXXX", NULL);
  f->data = test_write_dataset (f->dir, 600, 23);
  db = g_build_filename (f->dir, "store", "runs.sqlite", NULL);
  f->store = wl_store_open (db, &error);
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
}

/* Small, and with everything that carries state from one epoch to the
 * next: Adam's moments and step count, a learning-rate schedule with
 * warmup, dropout, and early stopping's count of epochs since the best. */
static WlConfig *
model_config (const char  *input,
              WlModelType  type,
              guint        epochs,
              guint        patience)
{
  WlConfig *config = test_config (input, epochs);

  config->model.type = type;
  config->model.patience = patience;
  if (type >= WL_MODEL_MLP)
    {
      config->model.dim = 12;
      /* Only the settings each model uses: others are refused. */
      if (type == WL_MODEL_TEXTCNN)
        config->model.filters = 6;
      else
        config->model.hidden = 10;
      config->model.batch_size = 16;
      config->model.dropout = 0.2;
      config->model.warmup = 0.1;
      config->model.schedule = WL_SCHEDULE_COSINE;
      config->model.lr = 0.02;
    }
  return config;
}

/* The final model as a model file (settings, labels, weights). */
static GBytes *
final_model (WlRun *run)
{
  const WlClassifier *classifier = wl_run_get_classifier (run);
  const GPtrArray *labels = wl_run_get_label_names (run);
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  g_assert_nonnull (classifier);
  bytes = wl_model_file_to_bytes (wl_classifier_get_model (classifier),
                                  (const char * const *) labels->pdata, labels->len, &error);
  g_assert_no_error (error);
  return bytes;
}

/* The same run whole, and cancelled after STOP_AFTER epochs (as the Stop
 * button and Ctrl-C do) then resumed from its last checkpoint. */
static void
check_resume (Fixture     *f,
              WlConfig    *config)
{
  WlModelType type = config->model.type;
  g_autoptr(WlRun) whole = wl_run_new (config);
  g_autoptr(WlRun) first = wl_run_new (config);
  g_autoptr(WlRun) resumed = NULL;
  g_autoptr(GBytes) expected = NULL, got = NULL;
  g_autoptr(WlCheckpointRecord) last = NULL;
  g_autoptr(WlModel) checkpoint = NULL;
  g_autoptr(GError) error = NULL;
  TestRecording t_whole = { 0 };
  TestRecording t_first = { .cancel_after = STOP_AFTER };
  TestRecording t_resumed = { 0 };
  gint64 id;

  test_record (NULL, whole, 0, &t_whole);
  g_assert_cmpint (t_whole.end, ==, WL_EVENT_FINISHED);
  expected = final_model (whole);

  id = test_record (f->store, first, 0, &t_first);
  g_assert_no_error (t_first.error);
  g_assert_cmpint (t_first.end, ==, WL_EVENT_CANCELLED);
  last = wl_store_get_checkpoint (f->store, id, WL_CHECKPOINT_LAST, &error);
  g_assert_no_error (error);
  g_assert_nonnull (last);
  g_assert_cmpuint (last->epoch, ==, STOP_AFTER);
  /* The checkpoint file reads as a model on its own too. */
  checkpoint = wl_model_file_load (last->path, NULL, &error);
  g_assert_no_error (error);

  resumed = wl_store_resume_run (f->store, id, &error);
  g_assert_no_error (error);
  test_record (f->store, resumed, id, &t_resumed);
  g_assert_no_error (t_resumed.error);
  g_assert_cmpint (t_resumed.end, ==, WL_EVENT_FINISHED);
  got = final_model (resumed);

  g_test_message ("%s: test accuracy %.6f uninterrupted, %.6f resumed after epoch %u; "
                  "weights %s", wl_model_type_to_string (type), t_whole.test_accuracy,
                  t_resumed.test_accuracy, STOP_AFTER,
                  g_bytes_equal (expected, got) ? "bit-identical" : "DIFFERENT");
  g_assert_cmpfloat (t_resumed.test_accuracy, ==, t_whole.test_accuracy);
  g_assert_cmpuint (g_bytes_get_size (got), ==, g_bytes_get_size (expected));
  g_assert_true (g_bytes_equal (expected, got));
  g_assert_cmpuint (wl_run_get_summary (resumed)->epochs_run, ==,
                    wl_run_get_summary (whole)->epochs_run);
  g_assert_cmpuint (wl_run_get_summary (resumed)->best_epoch, ==,
                    wl_run_get_summary (whole)->best_epoch);
  g_assert_cmpint (wl_run_get_summary (resumed)->stopped_early, ==,
                   wl_run_get_summary (whole)->stopped_early);
}

/* A patience longer than the run: every epoch runs, and the count of
 * epochs since the best goes on across the stop. */
static void
test_resume_model (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(WlConfig) config = model_config (f->data, GPOINTER_TO_INT (data), EPOCHS,
                                             EPOCHS + 1);

  check_resume (f, config);
}

/* Kim's recipe on the textcnn: Adadelta's two averages (lazy on the
 * embedding table's rows) and the max-norm constraint, at the learning
 * rate "auto" resolves to. */
static void
test_resume_adadelta (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WlConfig) config = model_config (f->data, WL_MODEL_TEXTCNN, EPOCHS, EPOCHS + 1);

  config->model.optimizer = WL_OPTIMIZER_ADADELTA;
  config->model.lr = 0;
  config->model.max_norm = 3;
  check_resume (f, config);
}

/* Early stopping that ends the run after the resume, where the
 * uninterrupted run ends: the epochs without improvement before the stop
 * count. */
static void
test_resume_early_stop (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WlConfig) config = model_config (f->data, WL_MODEL_MLP, 40, 2);
  g_autoptr(WlRun) whole = wl_run_new (config);
  TestRecording t_whole = { 0 };

  test_record (NULL, whole, 0, &t_whole);
  /* The data makes it stop early, late enough to stop it before. */
  g_assert_true (wl_run_get_summary (whole)->stopped_early);
  g_assert_cmpuint (wl_run_get_summary (whole)->epochs_run, >, STOP_AFTER + 1);
  check_resume (f, config);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (WlModelType type = WL_MODEL_LINEAR; type <= WL_MODEL_GRU; type++)
    {
      g_autofree char *path = g_strdup_printf ("/resume/exact/%s", wl_model_type_to_string (type));

      g_test_add (path, Fixture, GINT_TO_POINTER (type), fixture_set_up, test_resume_model,
                  fixture_tear_down);
    }
  g_test_add ("/resume/exact/textcnn-adadelta", Fixture, NULL, fixture_set_up,
              test_resume_adadelta, fixture_tear_down);
  g_test_add ("/resume/early-stop", Fixture, NULL, fixture_set_up, test_resume_early_stop,
              fixture_tear_down);
  return g_test_run ();
}
