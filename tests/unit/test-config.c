/* test-config.c: the run config's defaults and JSON form. */
#include <glib/gstdio.h>
#include <string.h>
#include "wl-config.h"
#include "wl-error.h"

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

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/config/defaults", test_config_defaults);
  g_test_add_func ("/config/round-trip", test_config_round_trip);
  g_test_add_func ("/config/partial-merge", test_config_partial_merge);
  g_test_add_func ("/config/errors", test_config_errors);
  g_test_add_func ("/config/file", test_config_file);
  g_test_add_func ("/config/enum-strings", test_config_enum_strings);
  return g_test_run ();
}
