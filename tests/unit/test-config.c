/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-config.c: the run config's defaults and JSON form, and the table of
 * settings that checks them. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include "models/wl-model.h"
#include "wl-config.h"
#include "wl-error.h"
#include "wl-settings.h"

static void
test_config_defaults (void)
{
  g_autoptr(WlConfig) config = wl_config_new ();

  g_assert_cmpint (config->model.type, ==, WL_MODEL_LINEAR);
  g_assert_cmpfloat (config->data.test_fraction, ==, 0.2);
  g_assert_cmpuint (config->data.seed, ==, 42);
  g_assert_cmpint (config->tokens.kind, ==, WL_TOKENIZER_AUTO);
  g_assert_cmpint (config->data.quotes, ==, WL_QUOTES_AUTO);
  g_assert_cmpstr (config->model.device, ==, "cpu");
  g_assert_cmpuint (wl_config_get_threads (config), ==, g_get_num_processors ());
  config->threads = 3;
  g_assert_cmpuint (wl_config_get_threads (config), ==, 3);
}

static void
test_config_round_trip (void)
{
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(WlConfig) back = wl_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  const char *columns[] = { "title", "2", NULL };
  const char *stop[] = { "en", "zh", NULL };

  config->data.input = g_strdup ("/tmp/x.csv");
  config->data.text_columns = g_strdupv ((char **) columns);
  config->data.separator = '\t';
  config->data.header = WL_HEADER_NO;
  config->data.quotes = WL_QUOTES_NONE;
  config->data.seed = G_GUINT64_CONSTANT (1) << 40;
  config->clean.stopwords = g_strdupv ((char **) stop);
  config->clean.digits = WL_DIGITS_ZERO;
  config->clean.stem = g_strdup ("english");
  config->tokens.kind = WL_TOKENIZER_CJK_BIGRAMS;
  config->model.type = WL_MODEL_EMBEDDING_BAG;
  config->model.lr = 0.25;
  config->model.epochs = 7;
  config->model.early_stop_metric = WL_METRIC_MACRO_F1;
  config->threads = 2;

  json = wl_config_to_json (config, TRUE);
  g_assert_true (wl_config_merge_json (back, json, -1, &error));
  g_assert_no_error (error);
  json2 = wl_config_to_json (back, TRUE);
  g_assert_cmpstr (json, ==, json2);
  g_assert_cmpstr (back->data.text_columns[1], ==, "2");
  g_assert_cmpuint (back->data.separator, ==, '\t');
  g_assert_cmpint (back->data.quotes, ==, WL_QUOTES_NONE);
  g_assert_nonnull (strstr (json, "\"quotes\" : \"none\""));
  g_assert_cmpuint (back->data.seed, ==, G_GUINT64_CONSTANT (1) << 40);
  g_assert_cmpint (back->model.type, ==, WL_MODEL_EMBEDDING_BAG);
  g_assert_cmpfloat (back->model.lr, ==, 0.25);
  g_assert_cmpstr (back->clean.stem, ==, "english");

  {
    g_autoptr(WlConfig) copy = wl_config_copy (back);
    g_autofree char *json3 = wl_config_to_json (copy, TRUE);
    g_assert_cmpstr (json, ==, json3);
    g_assert_true (copy->clean.stem != back->clean.stem);
  }
}

/* "auto" is written as "auto", and read back as it. */
static void
test_config_threads_auto (void)
{
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(WlConfig) back = wl_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  config->threads = WL_SETTING_AUTO;
  json = wl_config_to_json (config, FALSE);
  g_assert_nonnull (strstr (json, "\"threads\":\"auto\""));
  g_assert_null (strstr (json, "4294967295"));
  g_assert_true (wl_config_merge_json (back, json, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (back->threads, ==, WL_SETTING_AUTO);
  /* Only a setting that takes "auto" reads it. */
  g_assert_false (wl_config_merge_json (back, "{\"model\": {\"epochs\": \"auto\"}}", -1, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_PARSE);
}

static void
test_config_partial_merge (void)
{
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (wl_config_merge_json (config, "{\"model\": {\"epochs\": 9, \"lr\": 1}, \"threads\": 1}", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (config->model.epochs, ==, 9);
  g_assert_cmpfloat (config->model.lr, ==, 1.0);
  g_assert_cmpuint (config->threads, ==, 1);
  g_assert_true (wl_config_merge_json (config, "{\"data\": {\"quotes\": \"rfc4180\"}}", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (config->data.quotes, ==, WL_QUOTES_RFC4180);
  /* Untouched settings keep their values. */
  g_assert_cmpfloat (config->data.test_fraction, ==, 0.2);
  g_assert_true (config->clean.nfkc);
}

static void
test_config_errors (void)
{
  static const struct { const char *json; const char *needle; } cases[] = {
    { "{\"model\": {\"epoch\": 3}}", "model.epoch" },
    { "{\"model\": {\"epochs\": -1}}", "model.epochs" },
    { "{\"model\": {\"type\": \"forest\"}}", "linear, embedding-bag" },
    { "{\"data\": {\"separator\": \"ab\"}}", "data.separator" },
    { "{\"data\": {\"quotes\": \"csv\"}}", "auto, rfc4180, none" },
    { "{\"clean\": {\"nfkc\": 1}}", "clean.nfkc" },
    { "{\"clean\": {\"stopwords\": [1]}}", "clean.stopwords" },
    { "[1, 2]", "JSON object" },
    { "{\"model\": {", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WlConfig) config = wl_config_new ();
      g_autoptr(GError) error = NULL;

      /* A bad setting after a good one: nothing may be applied. */
      g_autofree char *json = g_strdup (cases[i].json);
      g_assert_false (wl_config_merge_json (config, json, -1, &error));
      g_assert_error (error, WL_ERROR, WL_ERROR_PARSE);
      if (cases[i].needle != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].needle));
      g_assert_cmpuint (config->model.epochs, ==, 0);
    }

  {
    g_autoptr(WlConfig) config = wl_config_new ();
    g_autoptr(GError) error = NULL;

    g_assert_false (wl_config_merge_json (config, "{\"threads\": 4, \"model\": {\"lr\": \"x\"}}", -1, &error));
    g_assert_cmpuint (config->threads, ==, 0);
  }
}

static void
test_config_file (void)
{
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wl-config-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "c.json", NULL);

  g_assert_false (wl_config_merge_json_file (config, path, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_IO);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "{\n  \"model\": {\n    \"dim\": oops\n  }\n}\n", -1, NULL));
  g_assert_false (wl_config_merge_json_file (config, path, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_PARSE);
  /* The message names the file and the line. */
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, ":3:"));

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_config_enum_strings (void)
{
  WlModelType type;
  WlTokenizerKind kind;
  WlQuoteMode quotes;

  g_assert_true (wl_model_type_from_string ("embedding-bag", &type));
  g_assert_cmpint (type, ==, WL_MODEL_EMBEDDING_BAG);
  g_assert_false (wl_model_type_from_string ("svm", &type));
  g_assert_cmpstr (wl_model_type_to_string (WL_MODEL_LINEAR), ==, "linear");
  g_assert_true (wl_tokenizer_kind_from_string ("CJK-Bigrams", &kind));
  g_assert_cmpint (kind, ==, WL_TOKENIZER_CJK_BIGRAMS);
  g_assert_true (wl_quote_mode_from_string ("RFC4180", &quotes));
  g_assert_cmpint (quotes, ==, WL_QUOTES_RFC4180);
  g_assert_false (wl_quote_mode_from_string ("double", &quotes));
  g_assert_cmpstr (wl_quote_mode_to_string (WL_QUOTES_NONE), ==, "none");
}

/* The table describes each setting once, and consistently. */
static void
test_settings_table (void)
{
  guint n;
  const WlSetting *settings = wl_settings_get (&n);
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autofree char *json = wl_config_to_json (config, FALSE);
  g_autoptr(GHashTable) flags = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (n, >, 40);
  for (guint i = 0; i < n; i++)
    {
      const WlSetting *s = &settings[i];
      g_autofree char *quoted = g_strdup_printf ("\"%s\":", s->key);

      g_assert_true (wl_settings_find (s->section, s->key) == s);
      /* Its name in the window, and found by its key path. */
      g_assert_nonnull (s->label);
      g_assert_cmpstr (wl_setting_get_label (s), !=, "");
      {
        g_autofree char *path = s->section != NULL ? g_strdup_printf ("%s.%s", s->section, s->key)
                                                   : g_strdup (s->key);

        g_assert_true (wl_settings_find_path (path) == s);
      }
      /* The JSON form is written from the table. */
      g_assert_nonnull (strstr (json, quoted));
      g_assert_cmpuint (s->models & ~WL_MODELS_ALL, ==, 0);
      g_assert_cmpuint (s->models, !=, 0);
      /* A new config is valid: the defaults are in range. */
      g_assert_true (wl_setting_check (s, config, WL_SETTING_NAME_KEY, NULL));
      g_assert_true (wl_setting_is_default (s, config));
      if (s->type == WL_SETTING_UINT || (s->type == WL_SETTING_DOUBLE && !isnan (s->min)))
        g_assert_cmpfloat (s->min, <=, s->max);
      if (s->flag != NULL)
        {
          g_autofree char *help = wl_setting_get_help (s);

          g_assert_false (g_hash_table_contains (flags, s->flag));
          g_hash_table_add (flags, (gpointer) s->flag);
          g_assert_true (wl_settings_find_flag (s->flag) == s);
          g_assert_nonnull (s->help);
          /* --help says what 0 (or −1) means, and which models use it. */
          if (s->unset_means != NULL)
            g_assert_nonnull (strstr (help, s->unset_means));
          if (s->models != WL_MODELS_ALL)
            g_assert_nonnull (strstr (help, "only"));
        }
    }
  g_assert_null (wl_settings_find ("model", "nonsense"));
  g_assert_null (wl_settings_find_path ("model.nonsense"));
  g_assert_cmpstr (wl_setting_get_label (wl_settings_find_path ("model.lr")), ==, "Learning rate");

  /* What 0 means is in --help for the settings the issue named. */
  {
    static const char *zero[] = { "epochs", "dim", "threads", "batch-size", "max-length" };

    for (guint i = 0; i < G_N_ELEMENTS (zero); i++)
      {
        g_autofree char *help = wl_setting_get_help (wl_settings_find_flag (zero[i]));
        g_assert_true (g_str_has_suffix (help, ")"));
        g_assert_nonnull (strstr (help, "(0: "));
      }
  }
  /* Applicability as the models use them. */
  g_assert_true (wl_setting_applies_to (wl_settings_find ("model", "l2"), WL_MODEL_LINEAR));
  g_assert_false (wl_setting_applies_to (wl_settings_find ("model", "l2"), WL_MODEL_EMBEDDING_BAG));
  g_assert_false (wl_setting_applies_to (wl_settings_find ("model", "batch_size"), WL_MODEL_LINEAR));
  g_assert_false (wl_setting_applies_to (wl_settings_find ("model", "device"), WL_MODEL_EMBEDDING_BAG));
  g_assert_true (wl_setting_applies_to (wl_settings_find ("model", "device"), WL_MODEL_GRU));
  {
    g_autofree char *models = wl_setting_get_models (wl_settings_find ("model", "hidden"));
    g_assert_cmpstr (models, ==, "mlp, lstm and gru");
  }
}

/* Out of range, infinite or NaN: refused from JSON, naming the setting and
 * its range, and nothing of the file is applied. */
static void
test_settings_json_ranges (void)
{
  static const struct { const char *json; const char *needle; } cases[] = {
    { "{\"data\": {\"test_fraction\": 1.5}}", "“data.test_fraction” must be from 0 to 0.9" },
    { "{\"data\": {\"valid_fraction\": 1.0}}", "“data.valid_fraction” must be from 0 to 0.9" },
    { "{\"model\": {\"type\": \"linear\", \"lr\": -1}}", "“model.lr” must be from 0 to 100 (0: the model's default)" },
    { "{\"model\": {\"lr\": 1e999}}", "“model.lr” must be a finite number" },
    { "{\"model\": {\"clip\": 1e999}}", "“model.clip” must be a finite number" },
    { "{\"model\": {\"dim\": 100000000}}", "“model.dim” must be from 0 to 4096" },
    { "{\"model\": {\"layers\": 100000}}", "“model.layers” must be from 0 to 8" },
    { "{\"model\": {\"dropout\": 3.0}}", "“model.dropout” must be from 0 to 0.95" },
    { "{\"model\": {\"warmup\": 7}}", "“model.warmup” must be from 0 to 1" },
    { "{\"model\": {\"l2\": -0.5}}", "−1: the model's default" },
    { "{\"model\": {\"filter_widths\": \"3,x\"}}", "“model.filter_widths” must look like 3,4,5" },
    { "{\"threads\": 100000}", "“threads” must be from 0 to 1024" },
    { "{\"data\": {\"separator\": \"\\n\"}}", "“data.separator”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WlConfig) config = wl_config_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *json = g_strdup_printf ("{\"model\": {\"epochs\": 3}, %s", cases[i].json + 1);

      g_assert_false (wl_config_merge_json (config, json, -1, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == WL_ERROR);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("%s: “%s” does not say “%s”", cases[i].json, error->message, cases[i].needle);
      g_assert_cmpuint (config->model.epochs, ==, 0);
    }

  /* The unset values and the ends of the ranges are accepted. */
  {
    g_autoptr(WlConfig) config = wl_config_new ();
    g_autoptr(GError) error = NULL;

    g_assert_true (wl_config_merge_json (config, "{\"model\": {\"lr\": 0, \"l2\": -1, \"dropout\": 0.95,"
                                         " \"dim\": 4096}, \"threads\": 1024}", -1, &error));
    g_assert_no_error (error);
  }
}

/* The same ranges from a flag's text. */
static void
test_settings_parse (void)
{
  static const struct { const char *flag; const char *text; const char *needle; } bad[] = {
    { "lr", "-1", "“--lr (model.lr)” must be from 0 to 100" },
    { "lr", "inf", "finite" },
    { "lr", "nan", "finite" },
    { "clip", "1e999", "finite" },
    { "dim", "100000000", "from 0 to 4096" },
    { "epochs", "2.5", "whole number" },
    { "threads", "100000", "“--threads (threads)” must be from 0 to 1024 (0: all cores)" },
    { "optimizer", "rmsprop", "auto, sgd, adam, adamw" },
    { "filter-widths", "", "must look like 3,4,5" },
    { "test-fraction", "1", "from 0 to 0.9" },
  };
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (wl_setting_parse (wl_settings_find_flag (bad[i].flag), config, bad[i].text, &error));
      g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
      if (strstr (error->message, bad[i].needle) == NULL)
        g_error ("--%s %s: “%s” does not say “%s”", bad[i].flag, bad[i].text, error->message, bad[i].needle);
      g_clear_error (&error);
    }
  g_assert_true (wl_setting_parse (wl_settings_find_flag ("lr"), config, "0.5", &error));
  g_assert_cmpfloat (config->model.lr, ==, 0.5);
  g_assert_true (wl_setting_parse (wl_settings_find_flag ("model"), config, "gru", &error));
  g_assert_cmpint (config->model.type, ==, WL_MODEL_GRU);
  g_assert_true (wl_setting_parse (wl_settings_find_flag ("bidirectional"), config, NULL, &error));
  g_assert_true (config->model.bidirectional);
  g_assert_true (wl_setting_parse (wl_settings_find_flag ("seed"), config, "18446744073709551615", &error));
  g_assert_cmpuint (config->data.seed, ==, G_MAXUINT64);
  g_assert_no_error (error);
}

/* A setting given to a model that does not use it is refused, naming the
 * models that do; left at its default, it is not given. */
static void
test_settings_applicability (void)
{
  static const struct { WlModelType type; const char *flag; const char *text; const char *needle; } cases[] = {
    { WL_MODEL_LINEAR, "device", "opencl:0:0", "is for mlp, textcnn, lstm and gru only, not for linear" },
    { WL_MODEL_LINEAR, "precision", "bf16", "“--precision (model.precision)” is for mlp" },
    { WL_MODEL_EMBEDDING_BAG, "l2", "0.1", "is for linear only, not for embedding-bag" },
    { WL_MODEL_MLP, "l2", "0.1", "is for linear only, not for mlp" },
    { WL_MODEL_LINEAR, "batch-size", "8", "not for linear" },
    { WL_MODEL_EMBEDDING_BAG, "batch-size", "8", "not for embedding-bag" },
    { WL_MODEL_GRU, "buckets", "100", "is for embedding-bag only" },
    { WL_MODEL_TEXTCNN, "ngrams", "2", "is for linear and embedding-bag only" },
    { WL_MODEL_LINEAR, "hidden", "64", "is for mlp, lstm and gru only" },
    { WL_MODEL_MLP, "momentum", "0.5", "sgd" },
    { WL_MODEL_LINEAR, "optimizer", "adadelta", "is for mlp, textcnn, lstm and gru only, not for linear" },
    { WL_MODEL_EMBEDDING_BAG, "optimizer", "adadelta", "not for embedding-bag" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WlConfig) config = wl_config_new ();
      g_autoptr(GError) error = NULL;

      config->model.type = cases[i].type;
      g_assert_true (wl_config_validate (config, WL_SETTING_NAME_FLAG, NULL));
      g_assert_true (wl_setting_parse (wl_settings_find_flag (cases[i].flag), config, cases[i].text, NULL));
      g_assert_false (wl_config_validate (config, WL_SETTING_NAME_FLAG, &error));
      g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("--%s: “%s” does not say “%s”", cases[i].flag, error->message, cases[i].needle);
      g_clear_error (&error);
      /* The window drops what its hidden rows hold. */
      wl_config_drop_unused (config);
      g_assert_true (wl_config_validate (config, WL_SETTING_NAME_KEY, &error));
      g_assert_no_error (error);
    }

  /* The defaults are not "given": the CPU and fp32 for linear. */
  {
    g_autoptr(WlConfig) config = wl_config_new ();

    g_assert_true (wl_setting_parse (wl_settings_find_flag ("device"), config, "cpu", NULL));
    g_assert_true (wl_setting_parse (wl_settings_find_flag ("precision"), config, "fp32", NULL));
    g_assert_true (wl_config_validate (config, WL_SETTING_NAME_FLAG, NULL));
    /* Momentum with sgd. */
    config->model.type = WL_MODEL_MLP;
    config->model.optimizer = WL_OPTIMIZER_SGD;
    config->model.momentum = 0.5;
    g_assert_true (wl_config_validate (config, WL_SETTING_NAME_FLAG, NULL));
  }
}

/* Adadelta is a choice of every neural model; momentum is not its
 * setting; "auto" lr resolves to its own 1 (Zeiler's and Kim's), which is
 * what the run stores and reads back. */
static void
test_settings_adadelta (void)
{
  for (WlModelType t = WL_MODEL_MLP; t < WL_N_MODELS; t++)
    {
      g_autoptr(WlConfig) config = wl_config_new ();
      g_autoptr(WlConfig) back = wl_config_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *json = NULL;

      config->model.type = t;
      g_assert_true (wl_setting_parse (wl_settings_find_flag ("optimizer"), config, "adadelta",
                                       &error));
      g_assert_no_error (error);
      g_assert_cmpint (config->model.optimizer, ==, WL_OPTIMIZER_ADADELTA);
      g_assert_true (wl_config_validate (config, WL_SETTING_NAME_FLAG, &error));
      g_assert_no_error (error);

      config->model.momentum = 0.5;
      g_assert_false (wl_config_validate (config, WL_SETTING_NAME_FLAG, &error));
      g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "sgd"));
      g_clear_error (&error);
      config->model.momentum = -1;

      wl_model_resolve_config (config);
      g_assert_cmpint (config->model.optimizer, ==, WL_OPTIMIZER_ADADELTA);
      g_assert_cmpfloat (config->model.lr, ==, 1.0);
      g_assert_cmpfloat (config->model.weight_decay, ==, 0.0);
      json = wl_config_to_json (config, FALSE);
      g_assert_nonnull (strstr (json, "\"adadelta\""));
      g_assert_true (wl_config_merge_json (back, json, -1, &error));
      g_assert_no_error (error);
      g_assert_cmpint (back->model.optimizer, ==, WL_OPTIMIZER_ADADELTA);
      g_assert_cmpfloat (back->model.lr, ==, 1.0);
      g_assert_true (wl_config_validate (back, WL_SETTING_NAME_KEY, &error));
      g_assert_no_error (error);
    }
}

/* Every model's resolved config (what a run stores) is valid again, so a
 * stored run re-runs and resumes; resolving clamps nothing. */
static void
test_settings_resolved_valid (void)
{
  for (guint t = 0; t < WL_N_MODELS; t++)
    {
      g_autoptr(WlConfig) config = wl_config_new ();
      g_autoptr(WlConfig) back = wl_config_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *json = NULL;

      config->model.type = t;
      wl_model_resolve_config (config);
      g_assert_true (wl_config_validate (config, WL_SETTING_NAME_KEY, &error));
      g_assert_no_error (error);
      json = wl_config_to_json (config, FALSE);
      g_assert_true (wl_config_merge_json (back, json, -1, &error));
      g_assert_true (wl_config_validate (back, WL_SETTING_NAME_KEY, &error));
      g_assert_no_error (error);
    }
}

/* The writer never writes a number that is not JSON. */
static void
test_settings_writer_finite (void)
{
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(WlConfig) back = wl_config_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  config->model.lr = INFINITY;
  config->model.clip = NAN;
  json = wl_config_to_json (config, FALSE);
  g_assert_null (strstr (json, "inf"));
  g_assert_null (strstr (json, "nan"));
  g_assert_nonnull (strstr (json, "\"lr\":null"));
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  /* ... and the reader refuses what it wrote instead. */
  g_assert_false (wl_config_merge_json (back, json, -1, &error));
  g_assert_nonnull (strstr (error->message, "model.lr"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/config/defaults", test_config_defaults);
  g_test_add_func ("/config/round-trip", test_config_round_trip);
  g_test_add_func ("/config/threads-auto", test_config_threads_auto);
  g_test_add_func ("/config/partial-merge", test_config_partial_merge);
  g_test_add_func ("/config/errors", test_config_errors);
  g_test_add_func ("/config/file", test_config_file);
  g_test_add_func ("/config/enum-strings", test_config_enum_strings);
  g_test_add_func ("/settings/table", test_settings_table);
  g_test_add_func ("/settings/json-ranges", test_settings_json_ranges);
  g_test_add_func ("/settings/parse", test_settings_parse);
  g_test_add_func ("/settings/applicability", test_settings_applicability);
  g_test_add_func ("/settings/adadelta", test_settings_adadelta);
  g_test_add_func ("/settings/resolved-valid", test_settings_resolved_valid);
  g_test_add_func ("/settings/writer-finite", test_settings_writer_finite);
  return g_test_run ();
}
