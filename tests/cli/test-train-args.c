/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-train-args.c: a config written as `wordloom-cli train` arguments
 * (engine/wl-train-args.c) reads back, through the CLI's own option parser
 * (`train … --print-config`), as the same config. */
#include <string.h>

#include "wl-config.h"
#include "wl-error.h"
#include "wl-settings.h"
#include "wl-train-args.h"

static const char *cli_path;

/* What `wordloom-cli train ARGV --print-config` prints, read back. */
static WlConfig *
parse_with_cli (const char * const *args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WlConfig) config = wl_config_new ();
  int status;

  g_strv_builder_add_many (builder, cli_path, "train", NULL);
  g_strv_builder_addv (builder, (const char **) args);
  g_strv_builder_add (builder, "--print-config");
  argv = g_strv_builder_end (builder);
  g_assert_true (g_spawn_sync (NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("wordloom-cli train failed: %s", err);
  g_assert_true (wl_config_merge_json (config, out, -1, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&config);
}

/* @config's arguments, through a shell's quoting and the CLI, give it back. */
static void
assert_round_trip (const WlConfig *config)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = wl_train_args_from_config (config, "/models/out put.wlm", &error);
  g_autofree char *line = NULL;
  g_auto(GStrv) parsed = NULL;
  g_autoptr(WlConfig) expected = wl_config_copy (config);
  g_autoptr(WlConfig) back = NULL;
  g_autofree char *expected_json = NULL;
  g_autofree char *back_json = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (args);
  /* The shell reads the line back as the same arguments. */
  line = wl_train_args_to_shell ((const char * const *) args);
  g_test_message ("wordloom-cli train %s", line);
  g_assert_true (g_shell_parse_argv (line, NULL, &parsed, &error));
  g_assert_no_error (error);
  g_assert_cmpstrv (parsed, args);
  g_assert_cmpstr (args[0], ==, "--input");
  g_assert_cmpstr (args[2], ==, "--output");
  g_assert_cmpstr (args[3], ==, "/models/out put.wlm");

  back = parse_with_cli ((const char * const *) parsed);
  /* A run keeps the settings its model uses. */
  wl_config_drop_unused (expected);
  expected_json = wl_config_to_json (expected, TRUE);
  back_json = wl_config_to_json (back, TRUE);
  g_assert_cmpstr (back_json, ==, expected_json);
}

static void
test_defaults (void)
{
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;

  config->data.input = g_strdup ("data.csv");
  args = wl_train_args_from_config (config, "m.wlm", &error);
  g_assert_no_error (error);
  /* Only what differs from the defaults. */
  g_assert_cmpstrv (args, ((const char *[]) { "--input", "data.csv", "--output", "m.wlm", NULL }));
  assert_round_trip (config);
}

static void
test_data_and_cleaning (void)
{
  const char *columns[] = { "title", "2", NULL };
  const char *stop[] = { "en", "zh", NULL };
  g_autoptr(WlConfig) config = wl_config_new ();

  config->data.input = g_strdup ("/data/it's here.csv");
  config->data.test_input = g_strdup ("/data/test set.tsv");
  config->data.text_columns = g_strdupv ((char **) columns);
  config->data.label_column = g_strdup ("sentiment");
  config->data.header = WL_HEADER_NO;
  config->data.separator = '\t';
  config->data.quotes = WL_QUOTES_NONE;
  config->data.encoding = g_strdup ("windows-1252");
  config->data.skip_bad_rows = TRUE;
  config->data.valid_fraction = 0.15;
  config->data.seed = 7;
  config->clean.nfkc = FALSE;
  config->clean.casefold = FALSE;
  config->clean.strip_urls = FALSE;
  config->clean.strip_emails = FALSE;
  config->clean.strip_html = FALSE;
  config->clean.strip_punct = TRUE;
  config->clean.collapse_whitespace = FALSE;
  config->clean.digits = WL_DIGITS_ZERO;
  config->clean.stopwords = g_strdupv ((char **) stop);
  config->clean.stopwords_file = g_strdup ("/data/stop words.txt");
  config->clean.stem = g_strdup ("english");
  config->tokens.kind = WL_TOKENIZER_CHAR_NGRAMS;
  config->tokens.char_ngram_min = 3;
  config->tokens.char_ngram_max = 5;
  config->threads = 3;
  assert_round_trip (config);
}

static void
test_models (void)
{
  /* textcnn, with a setting of linear's that the run would drop. */
  {
    g_autoptr(WlConfig) config = wl_config_new ();
    g_autoptr(GError) error = NULL;
    g_auto(GStrv) args = NULL;

    config->data.input = g_strdup ("d.csv");
    config->model.type = WL_MODEL_TEXTCNN;
    config->model.lr = 0.0005;
    config->model.epochs = 7;
    config->model.dim = 64;
    config->model.filters = 50;
    config->model.filter_widths = g_strdup ("2,3");
    config->model.dropout = 0.25;
    config->model.batch_size = 16;
    config->model.optimizer = WL_OPTIMIZER_SGD;
    config->model.momentum = 0.9;
    config->model.precision = WL_PRECISION_BF16;
    config->model.l2 = 0.5;
    g_free (config->model.device);
    config->model.device = g_strdup ("opencl:0:1");
    args = wl_train_args_from_config (config, "m.wlm", &error);
    g_assert_no_error (error);
    g_assert_false (g_strv_contains ((const char * const *) args, "--l2"));
    g_assert_true (g_strv_contains ((const char * const *) args, "0.0005"));
    assert_round_trip (config);
  }
  /* linear, "auto" threads, and a hidden row's value left out. */
  {
    g_autoptr(WlConfig) config = wl_config_new ();

    config->data.input = g_strdup ("d.csv");
    config->model.l2 = 0.01;
    config->model.word_ngrams = 3;
    config->model.min_count = 2;
    config->model.hidden = 100;
    config->model.patience = 0;
    config->model.early_stop_metric = WL_METRIC_MACRO_F1;
    config->threads = WL_SETTING_AUTO;
    assert_round_trip (config);
  }
  /* lstm: a switch, and the device chosen by measuring. */
  {
    g_autoptr(WlConfig) config = wl_config_new ();

    config->data.input = g_strdup ("d.csv");
    config->model.type = WL_MODEL_LSTM;
    config->model.bidirectional = TRUE;
    config->model.layers = 2;
    config->model.hidden = 64;
    config->model.precision = WL_PRECISION_FP16;
    config->model.schedule = WL_SCHEDULE_COSINE;
    config->model.warmup = 0.1;
    g_free (config->model.device);
    config->model.device = g_strdup ("auto");
    assert_round_trip (config);
  }
}

static void
test_no_flag (void)
{
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;

  config->data.input = g_strdup ("d.csv");
  config->model.sublinear_tf = FALSE;
  args = wl_train_args_from_config (config, "m.wlm", &error);
  g_assert_null (args);
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "model.sublinear_tf"));
}

static void
test_mpirun_and_hostfile (void)
{
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  g_autofree char *hostfile = NULL;
  const char *hosts[] = { "node1", "node2", "node3", NULL };

  config->data.input = g_strdup ("/shared/data.csv");
  config->model.type = WL_MODEL_EMBEDDING_BAG;
  config->model.dim = 50;
  command = wl_train_mpirun_command (config, "/shared/m.wlm", 8, "hosts", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (command, ==, "mpirun -n 8 --hostfile hosts wordloom-cli train --input "
                               "/shared/data.csv --output /shared/m.wlm --model embedding-bag "
                               "--dim 50");

  hostfile = wl_train_hostfile (hosts, 8);
  g_assert_nonnull (strstr (hostfile, "\nnode1 slots=3\nnode2 slots=3\nnode3 slots=2\n"));
  g_clear_pointer (&hostfile, g_free);
  /* A machine left with no process is left out. */
  hostfile = wl_train_hostfile (hosts, 2);
  g_assert_null (strstr (hostfile, "node3"));
}

int
main (int    argc,
      char **argv)
{
  /* The CLI's path comes first, before g_test_init()'s options. */
  g_assert (argc >= 2);
  cli_path = argv[1];
  argv[1] = argv[0];
  argc--;
  argv++;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/train-args/defaults", test_defaults);
  g_test_add_func ("/train-args/data-and-cleaning", test_data_and_cleaning);
  g_test_add_func ("/train-args/models", test_models);
  g_test_add_func ("/train-args/no-flag", test_no_flag);
  g_test_add_func ("/train-args/mpirun-and-hostfile", test_mpirun_and_hostfile);
  return g_test_run ();
}
