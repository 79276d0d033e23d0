/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-verdict.c: the verdict on what holds a run back (its grades, its
 * words, its JSON), on contrived runs (input slowed down on purpose reads
 * input-bound, a large LSTM on little data compute-bound), and the
 * prefetching of windows and batches, which must not change the model. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "train/wl-classifier.h"
#include "train/wl-run.h"
#include "train/wl-verdict.h"
#include "wl-error.h"

static const char *words[3][6] = {
  { "goal", "team", "coach", "match", "league", "score" },
  { "recipe", "spicy", "dinner", "sauce", "bread", "kitchen" },
  { "laptop", "battery", "screen", "update", "chip", "cloud" },
};
static const char *labels[3] = { "sport", "food", "tech" };

static char *
write_dataset (const char *dir,
               guint       n_rows)
{
  g_autoptr(GString) csv = g_string_new ("label,text\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  char *path = g_build_filename (dir, "data.csv", NULL);

  for (guint i = 0; i < n_rows; i++)
    {
      guint c = g_rand_int_range (rand, 0, 3);

      g_string_append_printf (csv, "%s,", labels[c]);
      for (guint w = 0; w < 12; w++)
        {
          guint from = g_rand_int_range (rand, 0, 10) < 6 ? c : (guint) g_rand_int_range (rand, 0, 3);

          g_string_append_printf (csv, "%s%u ", words[from][g_rand_int_range (rand, 0, 6)],
                                  g_rand_int_range (rand, 0, 30));
        }
      g_string_append_c (csv, '\n');
    }
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
  return path;
}

/* The grades */

static WlVerdict
measured (double input_share,
          double device_busy)
{
  WlVerdict v = {
    .input = WL_VERDICT_INPUT_WINDOWS, .seconds = 3, .input_share = input_share,
    .device_busy = device_busy, .threads = 2, .cores = 16,
    .rss_bytes = G_GUINT64_CONSTANT (1) << 30, .memory_bytes = G_GUINT64_CONSTANT (16) << 30,
  };

  wl_verdict_judge (&v);
  return v;
}

static void
test_grades (void)
{
  WlVerdict v;

  v = measured (0.25, NAN);
  g_assert_cmpint (v.kind, ==, WL_VERDICT_INPUT_BOUND);
  g_assert_false (v.moderately);
  v = measured (0.10, NAN);
  g_assert_cmpint (v.kind, ==, WL_VERDICT_INPUT_BOUND);
  g_assert_true (v.moderately);
  v = measured (0.01, NAN);
  g_assert_cmpint (v.kind, ==, WL_VERDICT_COMPUTE_BOUND);
  /* On a device busy under half the time, launches set the pace; 20 %
   * waiting for input still comes first. */
  v = measured (0.10, 0.3);
  g_assert_cmpint (v.kind, ==, WL_VERDICT_LAUNCH_BOUND);
  v = measured (0.25, 0.3);
  g_assert_cmpint (v.kind, ==, WL_VERDICT_INPUT_BOUND);
  v = measured (0.01, 0.9);
  g_assert_cmpint (v.kind, ==, WL_VERDICT_COMPUTE_BOUND);

  /* Memory comes before everything: near the machine's, or swapping. */
  v = measured (0.5, NAN);
  v.rss_bytes = v.memory_bytes / 100 * 95;
  wl_verdict_judge (&v);
  g_assert_cmpint (v.kind, ==, WL_VERDICT_MEMORY_BOUND);
  v = measured (0.01, NAN);
  v.swap_growth = WL_VERDICT_SWAP_GROWTH_BYTES;
  wl_verdict_judge (&v);
  g_assert_cmpint (v.kind, ==, WL_VERDICT_MEMORY_BOUND);

  v = measured (0.5, NAN);
  v.seconds = 0;
  wl_verdict_judge (&v);
  g_assert_cmpint (v.kind, ==, WL_VERDICT_UNKNOWN);
}

/* The words name the front end's controls and the figures. */
static void
test_words (void)
{
  WlVerdictControls flags = { "--threads", "--batch-size", "Preprocessing Threads" };
  WlVerdict v = measured (0.34, NAN);
  g_autofree char *windows = wl_verdict_describe (&v, &flags);
  g_autofree char *batches = NULL;
  g_autofree char *compute = NULL;
  g_autofree char *launch = NULL;
  g_autofree char *preprocessing = NULL;

  g_assert_nonnull (strstr (windows, "34 %"));
  g_assert_nonnull (strstr (windows, "--threads"));
  g_assert_nonnull (strstr (windows, "disk"));
  g_assert_nonnull (strstr (windows, "2 of 16 cores"));
  /* Every core trains already: more threads would not read faster. */
  v.threads = 16;
  g_clear_pointer (&windows, g_free);
  windows = wl_verdict_describe (&v, &flags);
  g_assert_null (strstr (windows, "--threads"));
  g_assert_nonnull (strstr (windows, "all 16 cores"));
  v.threads = 2;
  v.input = WL_VERDICT_INPUT_BATCHES;
  batches = wl_verdict_describe (&v, &flags);
  g_assert_nonnull (strstr (batches, "--batch-size"));
  v = measured (0.01, NAN);
  compute = wl_verdict_describe (&v, &flags);
  g_assert_nonnull (strstr (compute, "2 of 16 cores"));
  g_assert_nonnull (strstr (compute, "--threads"));
  /* Every core computes: a GPU helps only a model that can run on one. */
  v.threads = 16;
  g_clear_pointer (&compute, g_free);
  compute = wl_verdict_describe (&v, &flags);
  g_assert_nonnull (strstr (compute, "OpenCL"));
  v.cpu_only = TRUE;
  g_clear_pointer (&compute, g_free);
  compute = wl_verdict_describe (&v, &flags);
  g_assert_null (strstr (compute, "OpenCL"));
  g_assert_nonnull (strstr (compute, "CPU only"));
  v = measured (0.01, 0.2);
  launch = wl_verdict_describe (&v, &flags);
  g_assert_nonnull (strstr (launch, "20 %"));
  g_assert_cmpstr (wl_verdict_title (&v), ==, "Launch- or transfer-bound");
  g_assert_null (strstr (launch, "Preprocessing Threads"));

  /* Cleaning and featurizing that took much of the run are said too,
   * naming where their threads are set. */
  v.preprocess_share = 0.45;
  preprocessing = wl_verdict_describe (&v, &flags);
  g_assert_true (g_str_has_prefix (preprocessing, launch));
  g_assert_nonnull (strstr (preprocessing, "45 %"));
  g_assert_nonnull (strstr (preprocessing, "2 of 16 cores: raise Preprocessing Threads"));
}

static void
test_json (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  WlVerdict v = measured (0.10, 0.3), back;

  v.whole = TRUE;
  v.swap_growth = 12345;
  v.preprocess_share = 0.375;
  v.cpu_only = TRUE;
  json_builder_begin_object (builder);
  wl_verdict_add_json (&v, builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  g_assert_true (wl_verdict_from_json (json, &back));
  g_assert_cmpint (back.kind, ==, v.kind);
  g_assert_cmpint (back.input, ==, v.input);
  g_assert_true (back.whole);
  g_assert_cmpfloat (back.input_share, ==, v.input_share);
  g_assert_cmpfloat (back.device_busy, ==, v.device_busy);
  g_assert_cmpuint (back.swap_growth, ==, 12345);
  g_assert_cmpuint (back.cores, ==, 16);
  g_assert_cmpfloat (back.preprocess_share, ==, 0.375);
  g_assert_true (back.cpu_only);
  g_assert_false (wl_verdict_from_json ("{\"verdict\":\"slow\"}", &back));
  g_assert_false (wl_verdict_from_json ("[]", &back));
}

/* Runs */

typedef struct
{
  guint     n_verdicts;
  WlVerdict whole;
  gboolean  have_whole;
} Verdicts;

static void
on_event (WlRun         *run,
          const WlEvent *event,
          gpointer       data)
{
  Verdicts *seen = data;

  if (event->type != WL_EVENT_VERDICT)
    return;
  seen->n_verdicts++;
  g_assert_cmpint (event->stage, ==, WL_STAGE_TRAIN);
  if (event->verdict.whole)
    {
      g_assert_false (seen->have_whole);   /* one, at the end of training */
      seen->whole = event->verdict;
      seen->have_whole = TRUE;
    }
}

static WlRun *
train (WlConfig *config,
       Verdicts *seen)
{
  g_autoptr(GError) error = NULL;
  WlRun *run = wl_run_new (config);

  g_assert_true (wl_run_run_sync (run, on_event, seen, &error));
  g_assert_no_error (error);
  return run;
}

static WlConfig *
windows_config (const char *path)
{
  WlConfig *config = wl_config_new ();

  config->data.input = g_strdup (path);
  config->model.type = WL_MODEL_LINEAR;
  config->model.epochs = 2;
  config->threads = 1;
  return config;
}

/* Windows of 64 rows, each read back 20 ms late: the linear model's
 * steps on 64 rows take far less, so training waits for its input, and
 * the verdict says so, naming the windows read back from disk. */
static void
test_slow_input_reads_input_bound (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-verdict-XXXXXX", NULL);
  g_autofree char *path = write_dataset (dir, 1500);
  g_autoptr(WlConfig) config = windows_config (path);
  g_autoptr(WlRun) run = NULL;
  Verdicts seen = { 0 };

  g_assert_true (g_setenv ("WORDLOOM_WINDOW_ROWS", "64", TRUE));
  g_assert_true (g_setenv ("WORDLOOM_TEST_INPUT_DELAY_US", "20000", TRUE));
  run = train (config, &seen);
  g_unsetenv ("WORDLOOM_TEST_INPUT_DELAY_US");
  g_unsetenv ("WORDLOOM_WINDOW_ROWS");

  g_assert_true (seen.have_whole);
  g_assert_cmpint (seen.whole.kind, ==, WL_VERDICT_INPUT_BOUND);
  g_assert_false (seen.whole.moderately);
  g_assert_cmpint (seen.whole.input, ==, WL_VERDICT_INPUT_WINDOWS);
  g_assert_cmpfloat (seen.whole.input_share, >=, WL_VERDICT_INPUT_BOUND_SHARE);
  /* Each window waited for took the delay, less what prefetching hid. */
  g_assert_cmpfloat (seen.whole.input_wait_ms, >, 0);
  g_assert_cmpfloat (seen.whole.input_wait_ms, <, 1000);
  g_assert_cmpuint (seen.whole.threads, ==, 1);
  g_assert_true (isnan (seen.whole.device_busy));   /* the CPU: not measured */
  /* From the stage timings: cleaning and featurizing took some of the run. */
  g_assert_cmpfloat (seen.whole.preprocess_share, >, 0);
  g_assert_cmpfloat (seen.whole.preprocess_share, <, 1);
  g_unlink (path);
  g_rmdir (dir);
}

/* An LSTM of 512 hidden units on 300 short texts: each batch is assembled
 * in microseconds and computed in milliseconds. */
static void
test_large_lstm_reads_compute_bound (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-verdict-XXXXXX", NULL);
  g_autofree char *path = write_dataset (dir, 300);
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(WlRun) run = NULL;
  Verdicts seen = { 0 };

  config->data.input = g_strdup (path);
  config->model.type = WL_MODEL_LSTM;
  config->model.epochs = 1;
  config->model.dim = 128;
  config->model.hidden = 512;
  config->threads = 1;
  run = train (config, &seen);

  g_assert_true (seen.have_whole);
  g_assert_cmpint (seen.whole.kind, ==, WL_VERDICT_COMPUTE_BOUND);
  g_assert_cmpint (seen.whole.input, ==, WL_VERDICT_INPUT_BATCHES);
  g_assert_cmpfloat (seen.whole.input_share, <, WL_VERDICT_INPUT_MODERATELY_SHARE);
  g_unlink (path);
  g_rmdir (dir);
}

static void
cancel_in_training (WlRun         *run,
                    const WlEvent *event,
                    gpointer       data)
{
  guint *n_progress = data;

  if (event->type == WL_EVENT_PROGRESS && event->stage == WL_STAGE_TRAIN && ++*n_progress == 1)
    wl_run_cancel (run);
}

/* A cancel while windows are read (or batches assembled) ahead ends the
 * run as cancelled; the piece in flight is waited for before its buffer
 * goes (the sanitizer builds would see it written after being freed). */
static void
test_prefetch_cancel (gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-verdict-XXXXXX", NULL);
  g_autofree char *path = write_dataset (dir, 1500);
  g_autoptr(WlConfig) config = windows_config (path);
  g_autoptr(WlRun) run = NULL;
  g_autoptr(GError) error = NULL;
  guint n_progress = 0;

  config->model.type = GPOINTER_TO_INT (data);
  config->model.epochs = 50;
  config->threads = 2;
  g_assert_true (g_setenv ("WORDLOOM_WINDOW_ROWS", "32", TRUE));
  g_assert_true (g_setenv ("WORDLOOM_TEST_INPUT_DELAY_US", "5000", TRUE));
  run = wl_run_new (config);
  g_assert_false (wl_run_run_sync (run, cancel_in_training, &n_progress, &error));
  g_unsetenv ("WORDLOOM_TEST_INPUT_DELAY_US");
  g_unsetenv ("WORDLOOM_WINDOW_ROWS");
  g_assert_error (error, WL_ERROR, WL_ERROR_CANCELLED);
  g_assert_cmpuint (n_progress, >=, 1);
  g_unlink (path);
  g_rmdir (dir);
}

static void
assert_same_predictions (const WlClassifier *a,
                         const WlClassifier *b)
{
  static const char *texts[] = { "goal3 team7 coach1", "spicy2 sauce9 chip4", "cloud1", "nothing" };
  guint K = wl_classifier_get_n_labels (a);
  g_autofree float *pa = g_new (float, G_N_ELEMENTS (texts) * K);
  g_autofree float *pb = g_new (float, G_N_ELEMENTS (texts) * K);

  g_assert_true (wl_classifier_predict (a, texts, G_N_ELEMENTS (texts), 1, pa, NULL, NULL));
  g_assert_true (wl_classifier_predict (b, texts, G_N_ELEMENTS (texts), 1, pb, NULL, NULL));
  g_assert_cmpmem (pa, G_N_ELEMENTS (texts) * K * sizeof (float),
                   pb, G_N_ELEMENTS (texts) * K * sizeof (float));
}

/* With one thread, the windows read ahead (the linear models) or the
 * batches assembled ahead (the neural ones) give the very model that
 * reading or assembling each when it is needed gives. */
static void
test_prefetch_keeps_the_model (gconstpointer data)
{
  WlModelType type = GPOINTER_TO_INT (data);
  g_autofree char *dir = g_dir_make_tmp ("wl-verdict-XXXXXX", NULL);
  g_autofree char *path = write_dataset (dir, 2000);
  g_autoptr(WlConfig) config = windows_config (path);
  g_autoptr(WlRun) ahead = NULL;
  g_autoptr(WlRun) plain = NULL;
  Verdicts seen_ahead = { 0 }, seen_plain = { 0 };

  config->model.type = type;
  config->model.epochs = 3;
  g_assert_true (g_setenv ("WORDLOOM_WINDOW_ROWS", "100", TRUE));
  ahead = train (config, &seen_ahead);
  g_assert_true (g_setenv ("WORDLOOM_PREFETCH", "0", TRUE));
  plain = train (config, &seen_plain);
  g_unsetenv ("WORDLOOM_PREFETCH");
  g_unsetenv ("WORDLOOM_WINDOW_ROWS");

  g_assert_cmpint (seen_ahead.whole.input, ==,
                   type >= WL_MODEL_MLP ? WL_VERDICT_INPUT_BATCHES : WL_VERDICT_INPUT_WINDOWS);
  g_assert_cmpint (seen_plain.whole.input, ==, seen_ahead.whole.input);
  g_assert_cmpfloat (wl_run_get_evaluation (ahead)->metrics->accuracy, >, 0.8);
  g_assert_cmpfloat (wl_run_get_evaluation (ahead)->metrics->loss, ==,
                     wl_run_get_evaluation (plain)->metrics->loss);
  assert_same_predictions (wl_run_get_classifier (ahead), wl_run_get_classifier (plain));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_autofree char *cache = g_build_filename (g_get_tmp_dir (), "wl-verdict-cache-XXXXXX", NULL);
  int status;

  g_test_init (&argc, &argv, NULL);
  /* A cache folder of the test's own for the windows' files. */
  g_assert_nonnull (g_mkdtemp (cache));
  g_assert_true (g_setenv ("XDG_CACHE_HOME", cache, TRUE));
  g_test_add_func ("/verdict/grades", test_grades);
  g_test_add_func ("/verdict/words", test_words);
  g_test_add_func ("/verdict/json", test_json);
  g_test_add_func ("/verdict/slow-input-reads-input-bound", test_slow_input_reads_input_bound);
  g_test_add_func ("/verdict/large-lstm-reads-compute-bound", test_large_lstm_reads_compute_bound);
  g_test_add_data_func ("/verdict/prefetch-keeps-the-model/linear",
                        GINT_TO_POINTER (WL_MODEL_LINEAR), test_prefetch_keeps_the_model);
  g_test_add_data_func ("/verdict/prefetch-keeps-the-model/embedding-bag",
                        GINT_TO_POINTER (WL_MODEL_EMBEDDING_BAG), test_prefetch_keeps_the_model);
  g_test_add_data_func ("/verdict/prefetch-keeps-the-model/mlp",
                        GINT_TO_POINTER (WL_MODEL_MLP), test_prefetch_keeps_the_model);
  g_test_add_data_func ("/verdict/prefetch-keeps-the-model/textcnn",
                        GINT_TO_POINTER (WL_MODEL_TEXTCNN), test_prefetch_keeps_the_model);
  g_test_add_data_func ("/verdict/prefetch-cancel/linear",
                        GINT_TO_POINTER (WL_MODEL_LINEAR), test_prefetch_cancel);
  g_test_add_data_func ("/verdict/prefetch-cancel/mlp",
                        GINT_TO_POINTER (WL_MODEL_MLP), test_prefetch_cancel);
  status = g_test_run ();
  {
    g_autofree char *files = g_build_filename (cache, "wordloom", NULL);

    g_rmdir (files);   /* empty: the windows' files are unlinked once open */
    g_rmdir (cache);
  }
  return status;
}
