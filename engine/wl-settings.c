/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-settings.c: the table of settings, and the checks that read it.
 *
 * A new setting is one row here: the JSON form, the flag, --help, the
 * Model page's rows and the checks all follow from it.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "wl-error.h"
#include "wl-settings.h"

/* Enum names, in enum order. */
static const char * const header_names[] = { "auto", "yes", "no", NULL };
static const char * const quote_names[] = { "auto", "rfc4180", "none", NULL };
static const char * const digits_names[] = { "keep", "drop", "zero", NULL };
static const char * const tokenizer_names[] = { "auto", "words", "cjk-chars", "cjk-bigrams", "char-ngrams", NULL };
static const char * const model_names[] = { "linear", "embedding-bag", "mlp", "textcnn", "lstm", "gru", NULL };
static const char * const metric_names[] = { "accuracy", "macro-f1", "loss", NULL };
static const char * const optimizer_names[] = { "auto", "sgd", "adam", "adamw", "adadelta", NULL };
static const char * const schedule_names[] = { "auto", "constant", "linear", "cosine", NULL };
static const char * const padding_names[] = { "wide", "none", NULL };
static const char * const precision_names[] = { "fp32", "fp16", "bf16", NULL };

#define ALL      WL_MODELS_ALL
#define NEURAL   WL_MODELS_NEURAL
#define LINEAR   WL_MODEL_BIT (WL_MODEL_LINEAR)
#define BAG      WL_MODEL_BIT (WL_MODEL_EMBEDDING_BAG)
#define MLP      WL_MODEL_BIT (WL_MODEL_MLP)
#define TEXTCNN  WL_MODEL_BIT (WL_MODEL_TEXTCNN)
#define RNN      (WL_MODEL_BIT (WL_MODEL_LSTM) | WL_MODEL_BIT (WL_MODEL_GRU))
#define AT(member) offsetof (WlConfig, member)
#define NO_RANGE  .min = NAN, .max = NAN, .unset = NAN

/* A setting read from files and the window only. */
#define PLAIN(sec, k, t, member, l) \
  { .section = sec, .key = k, .type = t, .offset = AT (member), NO_RANGE, .models = ALL, .label = l }
#define CHOICE(sec, k, member, names, m, fl, a, h, l) \
  { .section = sec, .key = k, .type = WL_SETTING_ENUM, .offset = AT (member), .choices = names, \
    NO_RANGE, .models = m, .flag = fl, .arg = a, .help = h, .label = l }
#define NUMBER(sec, k, t, member, lo, hi, u, means, m, fl, a, h, l) \
  { .section = sec, .key = k, .type = t, .offset = AT (member), .min = lo, .max = hi, \
    .unset = u, .unset_means = means, .models = m, .flag = fl, .arg = a, .help = h, .label = l }

static const WlSetting settings[] = {
  PLAIN ("data", "input", WL_SETTING_STRING, data.input, N_("Data file")),
  PLAIN ("data", "test_input", WL_SETTING_STRING, data.test_input, N_("Test file")),
  PLAIN ("data", "text_columns", WL_SETTING_STRV, data.text_columns, N_("Text")),
  PLAIN ("data", "label_column", WL_SETTING_STRING, data.label_column, N_("Label")),
  CHOICE ("data", "header", data.header, header_names, ALL, NULL, NULL, NULL, N_("Header Row")),
  PLAIN ("data", "separator", WL_SETTING_UNICHAR, data.separator, N_("Separator")),
  CHOICE ("data", "quotes", data.quotes, quote_names, ALL, NULL, NULL, NULL, N_("Quotes")),
  PLAIN ("data", "encoding", WL_SETTING_STRING, data.encoding, N_("Encoding")),
  PLAIN ("data", "skip_bad_rows", WL_SETTING_BOOL, data.skip_bad_rows, N_("Skip Bad Rows")),
  NUMBER ("data", "test_fraction", WL_SETTING_DOUBLE, data.test_fraction, 0, 0.9, NAN, NULL, ALL,
          "test-fraction", N_("F"), N_("Part of the input kept for testing, without --test (0: none)"),
          N_("Test share")),
  NUMBER ("data", "valid_fraction", WL_SETTING_DOUBLE, data.valid_fraction, 0, 0.9, NAN, NULL, ALL,
          "valid-fraction", N_("F"), N_("Part of the rest used for validation (0: none)"),
          N_("Validation share")),
  NUMBER ("data", "seed", WL_SETTING_UINT64, data.seed, 0, (double) G_MAXUINT64, NAN, NULL, ALL,
          "seed", N_("N"), N_("Seed for the split and the training"), N_("Seed")),

  PLAIN ("clean", "nfkc", WL_SETTING_BOOL, clean.nfkc, N_("Normalize Unicode")),
  PLAIN ("clean", "casefold", WL_SETTING_BOOL, clean.casefold, N_("Fold Case")),
  PLAIN ("clean", "strip_urls", WL_SETTING_BOOL, clean.strip_urls, N_("Remove Links")),
  PLAIN ("clean", "mark_links", WL_SETTING_BOOL, clean.mark_links, N_("Mark Removed Links")),
  PLAIN ("clean", "strip_emails", WL_SETTING_BOOL, clean.strip_emails, N_("Remove E-mail Addresses")),
  PLAIN ("clean", "strip_html", WL_SETTING_BOOL, clean.strip_html, N_("Remove HTML")),
  PLAIN ("clean", "strip_punct", WL_SETTING_BOOL, clean.strip_punct, N_("Remove Punctuation")),
  CHOICE ("clean", "digits", clean.digits, digits_names, ALL,
          "digits", N_("MODE"), N_("Digits: keep, drop, or zero (map every digit to 0)"), N_("Digits")),
  PLAIN ("clean", "stopwords", WL_SETTING_STRV, clean.stopwords, N_("Stopwords")),
  PLAIN ("clean", "stopwords_file", WL_SETTING_STRING, clean.stopwords_file, N_("Stopword File")),
  PLAIN ("clean", "collapse_whitespace", WL_SETTING_BOOL, clean.collapse_whitespace, N_("Collapse White Space")),
  PLAIN ("clean", "stem", WL_SETTING_STRING, clean.stem, N_("Stemming")),

  CHOICE ("tokens", "tokenizer", tokens.kind, tokenizer_names, ALL,
          "tokenizer", N_("KIND"), N_("Tokenizer (auto: by the script of the text)"), N_("Tokenizer")),
  NUMBER ("tokens", "char_ngram_min", WL_SETTING_UINT, tokens.char_ngram_min, 1, 10, NAN, NULL, ALL,
          NULL, NULL, NULL, N_("Shortest n-gram")),
  NUMBER ("tokens", "char_ngram_max", WL_SETTING_UINT, tokens.char_ngram_max, 1, 10, NAN, NULL, ALL,
          NULL, NULL, NULL, N_("Longest n-gram")),
  PLAIN ("tokens", "split_contractions", WL_SETTING_BOOL, tokens.split_contractions, N_("Split Contractions")),

  { .section = "model", .key = "type", .type = WL_SETTING_ENUM, .offset = AT (model.type),
    .choices = model_names, NO_RANGE, .models = ALL, .flag = "model", .short_flag = 'm', .arg = N_("TYPE"),
    .help = N_("linear (TF-IDF + logistic regression), embedding-bag (fastText-style), "
               "mlp, textcnn, lstm or gru"),
    .label = N_("Model type") },
  NUMBER ("model", "epochs", WL_SETTING_UINT, model.epochs, 0, 100000, 0, N_("0: the model's default"), ALL,
          "epochs", N_("N"), N_("Most passes over the training data; early stopping usually ends training sooner"),
          N_("Epochs")),
  NUMBER ("model", "lr", WL_SETTING_DOUBLE, model.lr, 0, 100, 0, N_("0: the model's default"), ALL,
          "lr", N_("RATE"), N_("Learning rate"), N_("Learning rate")),
  NUMBER ("model", "dim", WL_SETTING_UINT, model.dim, 0, 4096, 0, N_("0: the model's default"), BAG | NEURAL,
          "dim", N_("N"), N_("Embedding size"), N_("Embedding size")),
  NUMBER ("model", "word_ngrams", WL_SETTING_UINT, model.word_ngrams, 0, 16, 0, N_("0: the model's default"),
          LINEAR | BAG, "ngrams", N_("N"), N_("Longest word n-gram used as a feature"), N_("Word n-grams")),
  NUMBER ("model", "buckets", WL_SETTING_UINT, model.buckets, 0, 100000000, 0, N_("0: sized from the data"),
          BAG, "buckets", N_("N"), N_("Hash buckets for word n-grams"), N_("Hash buckets")),
  NUMBER ("model", "batch_size", WL_SETTING_UINT, model.batch_size, 0, 65536, 0, N_("0: the model's default"),
          NEURAL, "batch-size", N_("N"), N_("Examples per update"), N_("Batch size")),
  NUMBER ("model", "min_count", WL_SETTING_UINT, model.min_count, 0, 1000000, 0, N_("0: the model's default"),
          ALL, "min-count", N_("N"), N_("Ignore features seen in fewer documents"), N_("Minimum count")),
  NUMBER ("model", "l2", WL_SETTING_DOUBLE, model.l2, 0, 1, -1, N_("−1: the model's default"), LINEAR,
          "l2", N_("W"), N_("L2 regularisation weight"), N_("L2 penalty")),
  { .section = "model", .key = "sublinear_tf", .type = WL_SETTING_BOOL, .offset = AT (model.sublinear_tf),
    NO_RANGE, .models = LINEAR,
    .label = N_("Sublinear term frequency") },
  { .section = "model", .key = "char_ngrams", .type = WL_SETTING_BOOL, .offset = AT (model.char_ngrams),
    NO_RANGE, .models = LINEAR,
    .label = N_("Character n-grams") },
  CHOICE ("model", "early_stop_metric", model.early_stop_metric, metric_names, ALL,
          "early-stop-metric", N_("METRIC"), N_("What validation measures to keep the best epoch: "
                                                "accuracy, macro-f1 or loss"), N_("Early-stopping metric")),
  NUMBER ("model", "patience", WL_SETTING_UINT, model.patience, 0, 1000, 0, N_("0: never stop early"), ALL,
          "patience", N_("N"), N_("Stop after N epochs without improvement"), N_("Patience")),
  { .section = "model", .key = "refit", .type = WL_SETTING_BOOL, .offset = AT (model.refit),
    NO_RANGE, .models = LINEAR | BAG,
    .label = N_("Refit on all rows") },
  NUMBER ("model", "sync_every", WL_SETTING_UINT, model.sync_every, 0, 1000000000, 0,
          N_("0: after each pass"), LINEAR | BAG, "sync-every", N_("N"),
          N_("Under mpirun: average the processes' weights every N examples of each, besides after each pass"),
          N_("Averaging interval")),
  { .section = "model", .key = "device", .type = WL_SETTING_STRING, .offset = AT (model.device),
    NO_RANGE, .models = NEURAL, .flag = "device", .arg = N_("DEVICE"), .takes_auto = TRUE,
    .help = N_("Where the model trains: cpu, opencl or opencl:P:D (see “devices”), or auto: "
               "the fastest, measured (see “advise”)"),
    .label = N_("Device") },
  /* Written by the run (the device that trained, by name); no flag: what
   * a config file gives is replaced by the device that runs. */
  { .section = "model", .key = "device_name", .type = WL_SETTING_STRING, .offset = AT (model.device_name),
    NO_RANGE, .models = NEURAL,
    .label = N_("Device name") },
  NUMBER ("model", "hidden", WL_SETTING_UINT, model.hidden, 0, 65536, 0, N_("0: the model's default"),
          MLP | RNN, "hidden", N_("N"), N_("Hidden units"), N_("Hidden units")),
  NUMBER ("model", "layers", WL_SETTING_UINT, model.layers, 0, 8, 0, N_("0: the model's default"),
          MLP | RNN, "layers", N_("N"), N_("Hidden layers (mlp) or stacked recurrent layers"), N_("Layers")),
  { .section = "model", .key = "bidirectional", .type = WL_SETTING_BOOL, .offset = AT (model.bidirectional),
    NO_RANGE, .models = RNN, .flag = "bidirectional", .help = N_("Also read each text backwards"),
    .label = N_("Bidirectional") },
  { .section = "model", .key = "filter_widths", .type = WL_SETTING_STRING, .offset = AT (model.filter_widths),
    NO_RANGE, .unset_means = N_("none: the model's default"), .models = TEXTCNN, .flag = "filter-widths",
    .arg = N_("W,W,…"), .help = N_("Convolution widths, up to 8 from 1 to 64"),
    .label = N_("Filter widths") },
  NUMBER ("model", "filters", WL_SETTING_UINT, model.filters, 0, 4096, 0, N_("0: the model's default"),
          TEXTCNN, "filters", N_("N"), N_("Filters per width"), N_("Filters")),
  CHOICE ("model", "padding", model.padding, padding_names, TEXTCNN,
          "padding", N_("MODE"), N_("wide: zero steps around each text, so that the filters also see its "
                                    "first and last words in windows of their own (Kim 2014); none: "
                                    "windows inside the text only"), N_("Padding")),
  NUMBER ("model", "dropout", WL_SETTING_DOUBLE, model.dropout, 0, 0.95, -1, N_("−1: the model's default"),
          NEURAL, "dropout", N_("P"), N_("Dropout probability"), N_("Dropout")),
  CHOICE ("model", "optimizer", model.optimizer, optimizer_names, NEURAL,
          "optimizer", N_("KIND"), N_("sgd (with momentum), adam, adamw or adadelta (auto: adam)"), N_("Optimiser")),
  NUMBER ("model", "momentum", WL_SETTING_DOUBLE, model.momentum, 0, 0.999, -1, N_("−1: the model's default"),
          NEURAL, "momentum", N_("M"), N_("Momentum of sgd"), N_("Momentum")),
  NUMBER ("model", "weight_decay", WL_SETTING_DOUBLE, model.weight_decay, 0, 1, -1,
          N_("−1: the model's default"), NEURAL, "weight-decay", N_("W"), N_("Weight decay"),
          N_("Weight decay")),
  CHOICE ("model", "schedule", model.schedule, schedule_names, NEURAL,
          "schedule", N_("KIND"), N_("Learning-rate schedule: constant, linear or cosine (auto: constant)"),
          N_("Learning rate schedule")),
  NUMBER ("model", "warmup", WL_SETTING_DOUBLE, model.warmup, 0, 1, -1, N_("−1: the model's default"),
          NEURAL, "warmup", N_("F"), N_("Fraction of the steps with a rising learning rate"), N_("Warm-up")),
  NUMBER ("model", "clip", WL_SETTING_DOUBLE, model.clip, 0, 1000, -1,
          N_("0: no clipping; −1: the model's default"), NEURAL,
          "clip", N_("NORM"), N_("Clip the gradients to this global norm"), N_("Gradient clipping")),
  NUMBER ("model", "max_norm", WL_SETTING_DOUBLE, model.max_norm, 0, 1000, -1,
          N_("0: no constraint; −1: the model's default"), NEURAL,
          "max-norm", N_("NORM"), N_("After every step, scale each label's output weights down to this norm"),
          N_("Output weight limit")),
  NUMBER ("model", "max_length", WL_SETTING_UINT, model.max_length, 0, 100000, 0, N_("0: the model's default"),
          NEURAL, "max-length", N_("N"), N_("Tokens kept from the start of each text"), N_("Maximum length")),
  CHOICE ("model", "precision", model.precision, precision_names, NEURAL,
          "precision", N_("P"), N_("fp32, fp16 or bf16 (mixed precision, on devices that have it)"),
          N_("Precision")),

  { .section = NULL, .key = "threads", .type = WL_SETTING_UINT, .offset = AT (threads),
    .min = 0, .max = WL_MAX_THREADS, .unset = 0, .unset_means = N_("0: all cores"), .models = ALL,
    .flag = "threads", .short_flag = 't', .arg = N_("N"), .takes_auto = TRUE,
    .help = N_("Threads for preprocessing and training, or auto: the fastest, measured (see “advise”)"),
    .label = N_("Threads") },
};

#undef PLAIN
#undef CHOICE
#undef NUMBER

#define SETTING_PTR(config, s) ((guint8 *) (config) + (s)->offset)

const WlSetting *
wl_settings_get (guint *n_settings)
{
  *n_settings = G_N_ELEMENTS (settings);
  return settings;
}

const WlSetting *
wl_settings_find (const char *section,
                  const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (g_strcmp0 (settings[i].section, section) == 0 && strcmp (settings[i].key, key) == 0)
      return &settings[i];
  return NULL;
}

const WlSetting *
wl_settings_find_path (const char *path)
{
  const char *dot;
  g_autofree char *section = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if ((dot = strchr (path, '.')) == NULL)
    return wl_settings_find (NULL, path);
  section = g_strndup (path, dot - path);
  return wl_settings_find (section, dot + 1);
}

const char *
wl_setting_get_label (const WlSetting *setting)
{
  g_return_val_if_fail (setting != NULL && setting->label != NULL, NULL);
  return _(setting->label);
}

const WlSetting *
wl_settings_find_flag (const char *flag)
{
  g_return_val_if_fail (flag != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (g_strcmp0 (settings[i].flag, flag) == 0)
      return &settings[i];
  return NULL;
}

/* Enums as strings */

static gboolean
enum_from_string (const char * const *names,
                  const char         *str,
                  int                *value)
{
  for (int i = 0; str != NULL && names[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (names[i], str) == 0)
        {
          *value = i;
          return TRUE;
        }
    }
  return FALSE;
}

static const char *
enum_to_string (const char * const *names,
                int                 value)
{
  g_return_val_if_fail (value >= 0 && value < (int) g_strv_length ((char **) names), NULL);
  return names[value];
}

#define ENUM_STRING_FUNCS(prefix, Type, names)                               \
  const char *prefix##_to_string (Type v) { return enum_to_string (names, (int) v); } \
  gboolean prefix##_from_string (const char *str, Type *v)                   \
  {                                                                          \
    int i;                                                                   \
    if (!enum_from_string (names, str, &i))                                  \
      return FALSE;                                                          \
    *v = (Type) i;                                                           \
    return TRUE;                                                             \
  }

ENUM_STRING_FUNCS (wl_model_type, WlModelType, model_names)
ENUM_STRING_FUNCS (wl_tokenizer_kind, WlTokenizerKind, tokenizer_names)
ENUM_STRING_FUNCS (wl_metric, WlMetric, metric_names)
ENUM_STRING_FUNCS (wl_digits_mode, WlDigitsMode, digits_names)
ENUM_STRING_FUNCS (wl_quote_mode, WlQuoteMode, quote_names)
ENUM_STRING_FUNCS (wl_optimizer_kind, WlOptimizerKind, optimizer_names)
ENUM_STRING_FUNCS (wl_schedule_kind, WlScheduleKind, schedule_names)
ENUM_STRING_FUNCS (wl_precision, WlPrecision, precision_names)

/* Describing a setting */

char *
wl_setting_get_name (const WlSetting *setting,
                     WlSettingName    name)
{
  g_autofree char *key = setting->section ? g_strdup_printf ("%s.%s", setting->section, setting->key)
                                          : g_strdup (setting->key);

  if (name == WL_SETTING_NAME_FLAG && setting->flag != NULL)
    return g_strdup_printf ("--%s (%s)", setting->flag, key);
  return g_steal_pointer (&key);
}

gboolean
wl_setting_applies_to (const WlSetting *setting,
                       WlModelType      type)
{
  return (setting->models & WL_MODEL_BIT (type)) != 0;
}

char *
wl_setting_get_models (const WlSetting *setting)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = 0, i = 0;

  for (guint t = 0; t < WL_N_MODELS; t++)
    n += wl_setting_applies_to (setting, t);
  for (guint t = 0; t < WL_N_MODELS; t++)
    {
      if (!wl_setting_applies_to (setting, t))
        continue;
      if (i > 0)
        /* Translators: between the names of models in a list: "mlp, textcnn and gru" */
        g_string_append (text, i + 1 == n ? _(" and ") : ", ");
      g_string_append (text, model_names[t]);
      i++;
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const WlConfig *
default_config (void)
{
  static WlConfig *defaults;

  if (g_once_init_enter (&defaults))
    g_once_init_leave (&defaults, wl_config_new ());
  return defaults;
}

static char *
format_value (const WlSetting *setting,
              const WlConfig  *config)
{
  gconstpointer p = SETTING_PTR (config, setting);

  switch (setting->type)
    {
    case WL_SETTING_STRING:
      return g_strdup (*(char * const *) p);
    case WL_SETTING_ENUM:
      return g_strdup (setting->choices[*(const int *) p]);
    case WL_SETTING_BOOL:
      return g_strdup (*(const gboolean *) p ? "true" : "false");
    case WL_SETTING_UINT64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, *(const guint64 *) p);
    case WL_SETTING_UINT:
    case WL_SETTING_DOUBLE:
      return g_strdup_printf ("%.10g", wl_setting_get_number (setting, config));
    default:
      return NULL;
    }
}

char *
wl_setting_get_help (const WlSetting *setting)
{
  GString *help = g_string_new (_(setting->help));
  g_autofree char *def = format_value (setting, default_config ());
  g_autofree char *models = wl_setting_get_models (setting);

  if (setting->models != WL_MODELS_ALL)
    g_string_append_printf (help, _("; %s only"), models);
  if (setting->choices != NULL)
    {
      g_autofree char *choices = g_strjoinv ("|", (char **) setting->choices);
      g_string_append_printf (help, " [%s]", choices);
    }
  else if (!isnan (setting->min) && setting->type != WL_SETTING_UINT64)
    g_string_append_printf (help, _("; %.10g to %.10g"), setting->min, setting->max);
  if (setting->unset_means != NULL)
    g_string_append_printf (help, " (%s)", _(setting->unset_means));
  else if (def != NULL && setting->type != WL_SETTING_BOOL)
    g_string_append_printf (help, _(" (default %s)"), def);
  return g_string_free (help, FALSE);
}

/* Values as numbers */

double
wl_setting_get_number (const WlSetting *setting,
                       const WlConfig  *config)
{
  gconstpointer p = SETTING_PTR (config, setting);

  switch (setting->type)
    {
    case WL_SETTING_BOOL:
      return *(const gboolean *) p ? 1.0 : 0.0;
    case WL_SETTING_UINT:
      return *(const guint *) p;
    case WL_SETTING_UINT64:
      return (double) *(const guint64 *) p;
    case WL_SETTING_DOUBLE:
      return *(const double *) p;
    case WL_SETTING_ENUM:
      return *(const int *) p;
    default:
      g_return_val_if_reached (NAN);
    }
}

void
wl_setting_set_number (const WlSetting *setting,
                       WlConfig        *config,
                       double           value)
{
  gpointer p = SETTING_PTR (config, setting);

  switch (setting->type)
    {
    case WL_SETTING_BOOL:
      *(gboolean *) p = value != 0.0;
      break;
    case WL_SETTING_UINT:
      *(guint *) p = (guint) CLAMP (round (value), 0.0, (double) G_MAXUINT);
      break;
    case WL_SETTING_UINT64:
      *(guint64 *) p = (guint64) MAX (round (value), 0.0);
      break;
    case WL_SETTING_DOUBLE:
      *(double *) p = value;
      break;
    case WL_SETTING_ENUM:
      *(int *) p = (int) value;
      break;
    default:
      g_return_if_reached ();
    }
}

gboolean
wl_setting_is_default (const WlSetting *setting,
                       const WlConfig  *config)
{
  gconstpointer p = SETTING_PTR (config, setting);
  gconstpointer d = SETTING_PTR (default_config (), setting);

  switch (setting->type)
    {
    case WL_SETTING_STRING:
      return g_strcmp0 (*(char * const *) p, *(char * const *) d) == 0;
    case WL_SETTING_STRV:
      {
        char * const *a = *(char ** const *) p, * const *b = *(char ** const *) d;
        return a == b || (a != NULL && b != NULL && g_strv_equal ((const char * const *) a,
                                                                   (const char * const *) b));
      }
    case WL_SETTING_UNICHAR:
      return *(const gunichar *) p == *(const gunichar *) d;
    default:
      return wl_setting_get_number (setting, config) == wl_setting_get_number (setting, default_config ());
    }
}

/* Checks */

guint
wl_filter_widths_parse (const char *text,
                        guint      *widths)
{
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "", ",", -1);
  guint n = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 width;

      if (n == WL_MAX_FILTER_WIDTHS ||
          !g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 1, 64, &width, NULL))
        return 0;
      widths[n++] = (guint) width;
    }
  return n;
}

static gboolean
range_error (const WlSetting  *setting,
             const char       *value,
             WlSettingName     name,
             GError          **error)
{
  g_autofree char *setting_name = wl_setting_get_name (setting, name);

  if (setting->unset_means != NULL)
    g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                 /* Translators: “model.lr” must be from 0 to 100 (0: the model's default), not -1 */
                 _("“%s” must be from %.10g to %.10g (%s), not %s"), setting_name, setting->min, setting->max,
                 _(setting->unset_means), value);
  else
    g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("“%s” must be from %.10g to %.10g, not %s"),
                 setting_name, setting->min, setting->max, value);
  return FALSE;
}

gboolean
wl_setting_check (const WlSetting  *setting,
                  const WlConfig   *config,
                  WlSettingName     name,
                  GError          **error)
{
  gconstpointer p = SETTING_PTR (config, setting);

  switch (setting->type)
    {
    case WL_SETTING_UINT:
    case WL_SETTING_DOUBLE:
      {
        double v = wl_setting_get_number (setting, config);
        char text[G_ASCII_DTOSTR_BUF_SIZE];

        if (wl_setting_is_auto (setting, config))
          return TRUE;
        if (isnan (setting->min) || v == setting->unset || (v >= setting->min && v <= setting->max))
          return TRUE;
        g_snprintf (text, sizeof text, "%.10g", v);
        return range_error (setting, text, name, error);
      }
    case WL_SETTING_ENUM:
      {
        int v = *(const int *) p;

        if (v >= 0 && v < (int) g_strv_length ((char **) setting->choices))
          return TRUE;
        g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("“%s” is not a known choice"),
                     setting->key);
        return FALSE;
      }
    case WL_SETTING_UNICHAR:
      {
        gunichar c = *(const gunichar *) p;
        g_autofree char *setting_name = wl_setting_get_name (setting, name);

        if (c != '"' && c != '\n' && c != '\r' && (c == 0 || g_unichar_validate (c)))
          return TRUE;
        g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                     _("“%s” cannot be a double quote or a line break"), setting_name);
        return FALSE;
      }
    case WL_SETTING_STRING:
      {
        const char *s = *(char * const *) p;
        guint widths[WL_MAX_FILTER_WIDTHS];
        g_autofree char *setting_name = NULL;

        if (setting->offset != offsetof (WlConfig, model.filter_widths) || s == NULL ||
            wl_filter_widths_parse (s, widths) > 0)
          return TRUE;
        setting_name = wl_setting_get_name (setting, name);
        g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                     _("“%s” must look like 3,4,5 (up to %u widths from 1 to 64), not “%s”"),
                     setting_name, WL_MAX_FILTER_WIDTHS, s);
        return FALSE;
      }
    default:
      return TRUE;
    }
}

gboolean
wl_setting_parse (const WlSetting  *setting,
                  WlConfig         *config,
                  const char       *text,
                  GError          **error)
{
  gpointer p = SETTING_PTR (config, setting);
  g_autofree char *setting_name = wl_setting_get_name (setting, WL_SETTING_NAME_FLAG);

  switch (setting->type)
    {
    case WL_SETTING_BOOL:
      *(gboolean *) p = TRUE;   /* a switch: given means on */
      return TRUE;
    case WL_SETTING_UINT:
    case WL_SETTING_DOUBLE:
      {
        char *end = NULL;
        double v = g_ascii_strtod (text, &end);

        if (setting->takes_auto && setting->type == WL_SETTING_UINT &&
            g_ascii_strcasecmp (text, "auto") == 0)
          {
            *(guint *) p = WL_SETTING_AUTO;
            return TRUE;
          }
        if (end == text || *end != '\0' || !isfinite (v) ||
            (setting->type == WL_SETTING_UINT && v != floor (v)))
          {
            if (setting->type == WL_SETTING_UINT)
              g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("“%s” must be a whole number, not “%s”"),
                           setting_name, text);
            else
              g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("“%s” must be a finite number, not “%s”"),
                           setting_name, text);
            return FALSE;
          }
        if (!(v == setting->unset || (v >= setting->min && v <= setting->max)))
          return range_error (setting, text, WL_SETTING_NAME_FLAG, error);
        wl_setting_set_number (setting, config, v);
        return TRUE;
      }
    case WL_SETTING_UINT64:
      if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, (guint64 *) p, NULL))
        {
          g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("“%s” must be a whole number of zero or more, not “%s”"),
                       setting_name, text);
          return FALSE;
        }
      return TRUE;
    case WL_SETTING_ENUM:
      {
        int v;

        if (!enum_from_string (setting->choices, text, &v))
          {
            g_autofree char *choices = g_strjoinv (", ", (char **) setting->choices);
            g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("“%s” must be one of %s, not “%s”"),
                         setting_name, choices, text);
            return FALSE;
          }
        *(int *) p = v;
        return TRUE;
      }
    case WL_SETTING_STRING:
      g_free (*(char **) p);
      *(char **) p = g_strdup (text);
      return wl_setting_check (setting, config, WL_SETTING_NAME_FLAG, error);
    default:
      g_return_val_if_reached (FALSE);
    }
}

gboolean
wl_config_validate (const WlConfig  *config,
                    WlSettingName    name,
                    GError         **error)
{
  WlModelType type = config->model.type;

  g_return_val_if_fail (config != NULL, FALSE);

  if ((guint) type >= WL_N_MODELS)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("“model.type” is not a known model"));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      const WlSetting *s = &settings[i];

      if (!wl_setting_check (s, config, name, error))
        return FALSE;
      if (!wl_setting_applies_to (s, type) && !wl_setting_is_default (s, config))
        {
          g_autofree char *setting_name = wl_setting_get_name (s, name);
          g_autofree char *models = wl_setting_get_models (s);

          g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                       /* Translators: “--l2 (model.l2)” is for linear only, not for mlp: leave it out */
                       _("“%s” is for %s only, not for %s: leave it out"),
                       setting_name, models, model_names[type]);
          return FALSE;
        }
    }
  if (config->tokens.char_ngram_min > config->tokens.char_ngram_max)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("“tokens.char_ngram_min” (%u) must not be above “tokens.char_ngram_max” (%u)"),
                   config->tokens.char_ngram_min, config->tokens.char_ngram_max);
      return FALSE;
    }
  if (config->model.momentum >= 0 && config->model.optimizer != WL_OPTIMIZER_SGD &&
      (config->model.type >= WL_MODEL_MLP))
    {
      const WlSetting *s = wl_settings_find ("model", "momentum");
      g_autofree char *setting_name = wl_setting_get_name (s, name);

      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("“%s” is for the sgd optimizer only: choose sgd, or leave it out"), setting_name);
      return FALSE;
    }
  return TRUE;
}

gboolean
wl_setting_is_auto (const WlSetting *setting,
                    const WlConfig  *config)
{
  gconstpointer p = SETTING_PTR (config, setting);

  if (!setting->takes_auto)
    return FALSE;
  if (setting->type == WL_SETTING_UINT)
    return *(const guint *) p == WL_SETTING_AUTO;
  if (setting->type == WL_SETTING_STRING)
    return g_strcmp0 (*(char * const *) p, "auto") == 0;
  return FALSE;
}

gboolean
wl_config_check_resolved (const WlConfig  *config,
                          WlSettingName    name,
                          GError         **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (wl_setting_is_auto (&settings[i], config))
      {
        g_autofree char *setting_name = wl_setting_get_name (&settings[i], name);

        g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                     _("“%s” is “auto”, which is chosen by measuring before a run starts: "
                       "measure with “Which Is Faster?” (advise), or choose a value"),
                     setting_name);
        return FALSE;
      }
  return TRUE;
}

void
wl_config_drop_unused (WlConfig *config)
{
  g_return_if_fail (config != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      const WlSetting *s = &settings[i];
      gpointer p = SETTING_PTR (config, s);
      gconstpointer d = SETTING_PTR (default_config (), s);

      if (wl_setting_applies_to (s, config->model.type))
        continue;
      if (s->type == WL_SETTING_STRING)
        {
          g_free (*(char **) p);
          *(char **) p = g_strdup (*(char * const *) d);
        }
      else if (s->type != WL_SETTING_STRV && s->type != WL_SETTING_UNICHAR)
        wl_setting_set_number (s, config, wl_setting_get_number (s, default_config ()));
    }
  if (config->model.optimizer != WL_OPTIMIZER_SGD)
    config->model.momentum = default_config ()->model.momentum;
}
