/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-run-windows.c: a run that cleans, builds and featurizes in windows
 * of rows, with its texts and features in files, gives the model of the
 * in-memory run, holding one window's texts and tokens at a time and
 * leaving no file behind. */
#include <glib/gstdio.h>
#include <string.h>

#include "train/wl-classifier.h"
#include "train/wl-run.h"

#define N_ROWS 3000
#define WINDOW 256      /* train, valid and test take several windows each */

static const char *words[3][6] = {
  { "goal", "team", "coach", "match", "league", "score" },
  { "recipe", "spicy", "dinner", "sauce", "bread", "kitchen" },
  { "laptop", "battery", "screen", "update", "chip", "cloud" },
};
static const char *labels[3] = { "sport", "food", "tech" };

/* Texts whose class words are mixed with noise and with words that occur
 * once or twice in the file, so that min_count prunes across windows. */
static char *
write_dataset (const char *dir)
{
  g_autoptr(GString) csv = g_string_new ("label,text\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  char *path = g_build_filename (dir, "data.csv", NULL);

  for (guint i = 0; i < N_ROWS; i++)
    {
      guint c = g_rand_int_range (rand, 0, 3);

      g_string_append_printf (csv, "%s,", labels[c]);
      for (guint w = 0; w < 10; w++)
        {
          guint from = g_rand_int_range (rand, 0, 10) < 6 ? c : (guint) g_rand_int_range (rand, 0, 3);

          g_string_append_printf (csv, "%s%u ", words[from][g_rand_int_range (rand, 0, 6)],
                                  g_rand_int_range (rand, 0, 40));
        }
      g_string_append_printf (csv, "rare%u\n", g_rand_int_range (rand, 0, N_ROWS));
    }
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
  return path;
}

static WlRun *
run_with_window (const char  *path,
                 WlModelType  type,
                 const char  *window)
{
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(GError) error = NULL;
  WlRun *run;

  config->data.input = g_strdup (path);
  config->model.type = type;
  config->model.min_count = 2;
  config->model.epochs = 3;
  /* One thread: Hogwild with several would make two runs differ. */
  config->threads = 1;
  g_assert_true (g_setenv ("WORDLOOM_WINDOW_ROWS", window, TRUE));
  run = wl_run_new (config);
  g_assert_true (wl_run_run_sync (run, NULL, NULL, &error));
  g_assert_no_error (error);
  g_unsetenv ("WORDLOOM_WINDOW_ROWS");
  return run;
}

static void
assert_same_predictions (const WlClassifier *a,
                         const WlClassifier *b)
{
  static const char *texts[] = { "goal3 team7 coach1", "spicy2 sauce9 chip4", "cloud1 rare17", "nothing" };
  guint K = wl_classifier_get_n_labels (a);
  g_autofree float *pa = g_new (float, G_N_ELEMENTS (texts) * K);
  g_autofree float *pb = g_new (float, G_N_ELEMENTS (texts) * K);

  g_assert_cmpuint (wl_classifier_get_n_labels (b), ==, K);
  g_assert_true (wl_classifier_predict (a, texts, G_N_ELEMENTS (texts), 1, pa, NULL, NULL));
  g_assert_true (wl_classifier_predict (b, texts, G_N_ELEMENTS (texts), 1, pb, NULL, NULL));
  g_assert_cmpmem (pa, G_N_ELEMENTS (texts) * K * sizeof (float),
                   pb, G_N_ELEMENTS (texts) * K * sizeof (float));
}

static void
test_windows_match_memory (gconstpointer data)
{
  WlModelType type = GPOINTER_TO_INT (data);
  g_autofree char *dir = g_dir_make_tmp ("wl-windows-XXXXXX", NULL);
  g_autofree char *path = write_dataset (dir);
  g_autofree char *features_dir = g_build_filename (g_get_user_cache_dir (), "wordloom", NULL);
  g_autoptr(WlRun) memory = NULL;
  g_autoptr(WlRun) windows = NULL;
  g_autoptr(GDir) listing = NULL;
  const WlRunSummary *ms, *ws;
  const WlEvaluation *me, *we;
  const WlDataset *md, *wd;

  memory = run_with_window (path, type, "0");
  g_assert_false (g_file_test (features_dir, G_FILE_TEST_EXISTS));
  windows = run_with_window (path, type, G_STRINGIFY (WINDOW));
  /* The features went to a file there, unlinked once open. */
  g_assert_true (g_file_test (features_dir, G_FILE_TEST_IS_DIR));
  listing = g_dir_open (features_dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));
  ms = wl_run_get_summary (memory);
  ws = wl_run_get_summary (windows);
  me = wl_run_get_evaluation (memory);
  we = wl_run_get_evaluation (windows);

  /* The in-memory run holds every row's tokens; the windowed one a window's. */
  g_assert_cmpuint (ms->max_rows_tokenized, ==, N_ROWS);
  g_assert_cmpuint (ws->max_rows_tokenized, ==, WINDOW);
  /* ...and no texts: they are read back from disk, as they were loaded. */
  md = wl_run_get_dataset (memory);
  wd = wl_run_get_dataset (windows);
  g_assert_null (md->spill);
  g_assert_nonnull (wd->spill);
  g_assert_cmpuint (wd->texts->len, ==, 0);
  g_assert_cmpuint (wl_dataset_get_n_rows (wd), ==, N_ROWS);
  for (gsize i = 0; i < N_ROWS; i += 97)
    g_assert_cmpstr (wl_dataset_get_text (wd, i), ==, wl_dataset_get_text (md, i));

  /* The same split, tokens, epochs and results. */
  g_assert_cmpuint (ws->n_train, ==, ms->n_train);
  g_assert_cmpuint (ws->n_valid, ==, ms->n_valid);
  g_assert_cmpuint (ws->n_test, ==, ms->n_test);
  g_assert_cmpuint (ws->n_tokens, ==, ms->n_tokens);
  g_assert_cmpuint (ws->epochs_run, ==, ms->epochs_run);
  g_assert_cmpfloat (we->metrics->accuracy, >, 0.8);
  g_assert_cmpfloat (we->metrics->accuracy, ==, me->metrics->accuracy);
  g_assert_cmpfloat (we->metrics->loss, ==, me->metrics->loss);
  g_assert_cmpuint (wl_model_n_parameters (wl_classifier_get_model (wl_run_get_classifier (windows))), ==,
                    wl_model_n_parameters (wl_classifier_get_model (wl_run_get_classifier (memory))));
  assert_same_predictions (wl_run_get_classifier (memory), wl_run_get_classifier (windows));

  g_rmdir (features_dir);
  g_unlink (path);
  g_rmdir (dir);
}

/* A model that cannot build in windows runs in memory whatever is asked. */
static void
test_windows_neural_in_memory (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-windows-XXXXXX", NULL);
  g_autofree char *path = write_dataset (dir);
  g_autoptr(WlRun) run = run_with_window (path, WL_MODEL_MLP, G_STRINGIFY (WINDOW));

  g_assert_cmpuint (wl_run_get_summary (run)->max_rows_tokenized, ==, N_ROWS);
  g_assert_cmpfloat (wl_run_get_evaluation (run)->metrics->accuracy, >, 0.8);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_autofree char *cache = g_build_filename (g_get_tmp_dir (), "wl-windows-cache-XXXXXX", NULL);
  int status;

  g_test_init (&argc, &argv, NULL);
  /* A cache folder of the test's own (GLib reads it once, here). */
  g_assert_nonnull (g_mkdtemp (cache));
  g_assert_true (g_setenv ("XDG_CACHE_HOME", cache, TRUE));
  g_assert_cmpstr (g_get_user_cache_dir (), ==, cache);
  g_test_add_data_func ("/run-windows/linear", GINT_TO_POINTER (WL_MODEL_LINEAR),
                        test_windows_match_memory);
  g_test_add_data_func ("/run-windows/embedding-bag", GINT_TO_POINTER (WL_MODEL_EMBEDDING_BAG),
                        test_windows_match_memory);
  g_test_add_func ("/run-windows/neural-in-memory", test_windows_neural_in_memory);
  status = g_test_run ();
  g_rmdir (cache);
  return status;
}
