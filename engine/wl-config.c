/* wl-config.c: the run config, its defaults and its JSON form.
 *
 * One table describes every setting (section, key, type, offset); writing
 * and reading JSON both walk it, so a new setting is one line here.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stddef.h>
#include <string.h>

#include "wl-config.h"
#include "wl-error.h"

typedef enum
{
  FIELD_BOOL,
  FIELD_UINT,
  FIELD_UINT64,
  FIELD_DOUBLE,
  FIELD_STRING,
  FIELD_STRV,
  FIELD_UNICHAR,
  FIELD_HEADER,
  FIELD_QUOTES,
  FIELD_DIGITS,
  FIELD_TOKENIZER,
  FIELD_MODEL,
  FIELD_METRIC,
  FIELD_OPTIMIZER,
  FIELD_SCHEDULE,
  FIELD_PRECISION,
} FieldType;

typedef struct
{
  const char *section;   /* NULL for top-level settings */
  const char *key;
  FieldType   type;
  gsize       offset;
} Field;

#define F(sec, key, type, member) { sec, key, type, offsetof (WlConfig, member) }

static const Field fields[] = {
  F ("data", "input", FIELD_STRING, data.input),
  F ("data", "test_input", FIELD_STRING, data.test_input),
  F ("data", "text_columns", FIELD_STRV, data.text_columns),
  F ("data", "label_column", FIELD_STRING, data.label_column),
  F ("data", "header", FIELD_HEADER, data.header),
  F ("data", "separator", FIELD_UNICHAR, data.separator),
  F ("data", "quotes", FIELD_QUOTES, data.quotes),
  F ("data", "encoding", FIELD_STRING, data.encoding),
  F ("data", "skip_bad_rows", FIELD_BOOL, data.skip_bad_rows),
  F ("data", "test_fraction", FIELD_DOUBLE, data.test_fraction),
  F ("data", "valid_fraction", FIELD_DOUBLE, data.valid_fraction),
  F ("data", "seed", FIELD_UINT64, data.seed),

  F ("clean", "nfkc", FIELD_BOOL, clean.nfkc),
  F ("clean", "casefold", FIELD_BOOL, clean.casefold),
  F ("clean", "strip_urls", FIELD_BOOL, clean.strip_urls),
  F ("clean", "strip_emails", FIELD_BOOL, clean.strip_emails),
  F ("clean", "strip_html", FIELD_BOOL, clean.strip_html),
  F ("clean", "strip_punct", FIELD_BOOL, clean.strip_punct),
  F ("clean", "digits", FIELD_DIGITS, clean.digits),
  F ("clean", "stopwords", FIELD_STRV, clean.stopwords),
  F ("clean", "stopwords_file", FIELD_STRING, clean.stopwords_file),
  F ("clean", "collapse_whitespace", FIELD_BOOL, clean.collapse_whitespace),
  F ("clean", "stem", FIELD_STRING, clean.stem),

  F ("tokens", "tokenizer", FIELD_TOKENIZER, tokens.kind),
  F ("tokens", "char_ngram_min", FIELD_UINT, tokens.char_ngram_min),
  F ("tokens", "char_ngram_max", FIELD_UINT, tokens.char_ngram_max),

  F ("model", "type", FIELD_MODEL, model.type),
  F ("model", "epochs", FIELD_UINT, model.epochs),
  F ("model", "lr", FIELD_DOUBLE, model.lr),
  F ("model", "dim", FIELD_UINT, model.dim),
  F ("model", "word_ngrams", FIELD_UINT, model.word_ngrams),
  F ("model", "buckets", FIELD_UINT, model.buckets),
  F ("model", "batch_size", FIELD_UINT, model.batch_size),
  F ("model", "min_count", FIELD_UINT, model.min_count),
  F ("model", "l2", FIELD_DOUBLE, model.l2),
  F ("model", "sublinear_tf", FIELD_BOOL, model.sublinear_tf),
  F ("model", "char_ngrams", FIELD_BOOL, model.char_ngrams),
  F ("model", "early_stop_metric", FIELD_METRIC, model.early_stop_metric),
  F ("model", "patience", FIELD_UINT, model.patience),
  F ("model", "device", FIELD_STRING, model.device),
  F ("model", "hidden", FIELD_UINT, model.hidden),
  F ("model", "layers", FIELD_UINT, model.layers),
  F ("model", "bidirectional", FIELD_BOOL, model.bidirectional),
  F ("model", "filter_widths", FIELD_STRING, model.filter_widths),
  F ("model", "filters", FIELD_UINT, model.filters),
  F ("model", "dropout", FIELD_DOUBLE, model.dropout),
  F ("model", "optimizer", FIELD_OPTIMIZER, model.optimizer),
  F ("model", "momentum", FIELD_DOUBLE, model.momentum),
  F ("model", "weight_decay", FIELD_DOUBLE, model.weight_decay),
  F ("model", "schedule", FIELD_SCHEDULE, model.schedule),
  F ("model", "warmup", FIELD_DOUBLE, model.warmup),
  F ("model", "clip", FIELD_DOUBLE, model.clip),
  F ("model", "max_length", FIELD_UINT, model.max_length),
  F ("model", "precision", FIELD_PRECISION, model.precision),

  F (NULL, "threads", FIELD_UINT, threads),
};

#undef F

#define FIELD_PTR(config, field) ((guint8 *) (config) + (field)->offset)

/* Enum names, in enum order. */
static const char *header_names[] = { "auto", "yes", "no", NULL };
static const char *quote_names[] = { "auto", "rfc4180", "none", NULL };
static const char *digits_names[] = { "keep", "drop", "zero", NULL };
static const char *tokenizer_names[] = { "auto", "words", "cjk-chars", "cjk-bigrams", "char-ngrams", NULL };
static const char *model_names[] = { "linear", "embedding-bag", "mlp", "textcnn", "lstm", "gru", NULL };
static const char *metric_names[] = { "accuracy", "macro-f1", "loss", NULL };
static const char *optimizer_names[] = { "auto", "sgd", "adam", "adamw", NULL };
static const char *schedule_names[] = { "auto", "constant", "linear", "cosine", NULL };
static const char *precision_names[] = { "fp32", "fp16", "bf16", NULL };

static const char * const *
enum_names (FieldType type)
{
  switch (type)
    {
    case FIELD_HEADER: return header_names;
    case FIELD_QUOTES: return quote_names;
    case FIELD_DIGITS: return digits_names;
    case FIELD_TOKENIZER: return tokenizer_names;
    case FIELD_MODEL: return model_names;
    case FIELD_METRIC: return metric_names;
    case FIELD_OPTIMIZER: return optimizer_names;
    case FIELD_SCHEDULE: return schedule_names;
    case FIELD_PRECISION: return precision_names;
    default: return NULL;
    }
}

static gboolean
enum_from_string (const char * const *names,
                  const char         *str,
                  int                *value)
{
  for (int i = 0; names[i] != NULL; i++)
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
    if (str == NULL || !enum_from_string (names, str, &i))                   \
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

WlConfig *
wl_config_new (void)
{
  WlConfig *config = g_new0 (WlConfig, 1);

  config->data.header = WL_HEADER_AUTO;
  config->data.quotes = WL_QUOTES_AUTO;
  config->data.test_fraction = 0.2;
  config->data.valid_fraction = 0.1;
  config->data.seed = 42;

  config->clean.nfkc = TRUE;
  config->clean.casefold = TRUE;
  config->clean.strip_urls = TRUE;
  config->clean.strip_emails = TRUE;
  config->clean.strip_html = TRUE;
  config->clean.strip_punct = FALSE;
  config->clean.digits = WL_DIGITS_KEEP;
  config->clean.collapse_whitespace = TRUE;

  config->tokens.kind = WL_TOKENIZER_AUTO;
  config->tokens.char_ngram_min = 2;
  config->tokens.char_ngram_max = 4;

  config->model.type = WL_MODEL_LINEAR;
  config->model.l2 = -1.0;
  config->model.sublinear_tf = TRUE;
  config->model.early_stop_metric = WL_METRIC_ACCURACY;
  config->model.patience = 3;
  config->model.device = g_strdup ("cpu");
  config->model.dropout = -1.0;
  config->model.momentum = -1.0;
  config->model.weight_decay = -1.0;
  config->model.warmup = -1.0;
  config->model.clip = -1.0;

  return config;
}

WlConfig *
wl_config_copy (const WlConfig *config)
{
  WlConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_memdup2 (config, sizeof *config);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gpointer *p = (gpointer *) FIELD_PTR (copy, &fields[i]);

      if (fields[i].type == FIELD_STRING)
        *p = g_strdup (*p);
      else if (fields[i].type == FIELD_STRV)
        *p = g_strdupv (*p);
    }
  return copy;
}

void
wl_config_free (WlConfig *config)
{
  if (config == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gpointer *p = (gpointer *) FIELD_PTR (config, &fields[i]);

      if (fields[i].type == FIELD_STRING)
        g_free (*p);
      else if (fields[i].type == FIELD_STRV)
        g_strfreev (*p);
    }
  g_free (config);
}

guint
wl_config_get_threads (const WlConfig *config)
{
  g_return_val_if_fail (config != NULL, 1);

  return config->threads > 0 ? config->threads : MAX (1, g_get_num_processors ());
}

/* Writing */

static void
add_field (JsonBuilder    *builder,
           const WlConfig *config,
           const Field    *field)
{
  gconstpointer p = FIELD_PTR (config, field);

  json_builder_set_member_name (builder, field->key);
  switch (field->type)
    {
    case FIELD_BOOL:
      json_builder_add_boolean_value (builder, *(const gboolean *) p);
      break;
    case FIELD_UINT:
      json_builder_add_int_value (builder, *(const guint *) p);
      break;
    case FIELD_UINT64:
      json_builder_add_int_value (builder, (gint64) *(const guint64 *) p);
      break;
    case FIELD_DOUBLE:
      json_builder_add_double_value (builder, *(const double *) p);
      break;
    case FIELD_STRING:
      if (*(char * const *) p != NULL)
        json_builder_add_string_value (builder, *(char * const *) p);
      else
        json_builder_add_null_value (builder);
      break;
    case FIELD_STRV:
      if (*(char ** const *) p == NULL)
        {
          json_builder_add_null_value (builder);
          break;
        }
      json_builder_begin_array (builder);
      for (char * const *s = *(char ** const *) p; *s != NULL; s++)
        json_builder_add_string_value (builder, *s);
      json_builder_end_array (builder);
      break;
    case FIELD_UNICHAR:
      {
        gunichar c = *(const gunichar *) p;
        char buf[8] = { 0 };

        if (c == 0)
          {
            json_builder_add_null_value (builder);
            break;
          }
        g_unichar_to_utf8 (c, buf);
        json_builder_add_string_value (builder, buf);
      }
      break;
    case FIELD_HEADER:
    case FIELD_QUOTES:
    case FIELD_DIGITS:
    case FIELD_TOKENIZER:
    case FIELD_MODEL:
    case FIELD_METRIC:
    case FIELD_OPTIMIZER:
    case FIELD_SCHEDULE:
    case FIELD_PRECISION:
      json_builder_add_string_value (builder, enum_to_string (enum_names (field->type), *(const int *) p));
      break;
    default:
      g_assert_not_reached ();
    }
}

char *
wl_config_to_json (const WlConfig *config,
                   gboolean        pretty)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *section = NULL;

  g_return_val_if_fail (config != NULL, NULL);

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (g_strcmp0 (section, fields[i].section) != 0)
        {
          if (section != NULL)
            json_builder_end_object (builder);
          section = fields[i].section;
          if (section != NULL)
            {
              json_builder_set_member_name (builder, section);
              json_builder_begin_object (builder);
            }
        }
      add_field (builder, config, &fields[i]);
    }
  if (section != NULL)
    json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, pretty);
  return json_generator_to_data (generator, NULL);
}

/* Reading */

static const Field *
find_field (const char *section,
            const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (fields[i].section, section) == 0 && strcmp (fields[i].key, key) == 0)
      return &fields[i];
  return NULL;
}

static char *
field_path (const Field *field)
{
  return field->section ? g_strdup_printf ("%s.%s", field->section, field->key)
                        : g_strdup (field->key);
}

static gboolean
type_error (const Field  *field,
            const char   *expected,
            GError      **error)
{
  g_autofree char *path = field_path (field);

  g_set_error (error, WL_ERROR, WL_ERROR_PARSE,
               _("setting “%s” must be %s"), path, expected);
  return FALSE;
}

static gboolean
read_field (WlConfig     *config,
            const Field  *field,
            JsonNode     *node,
            GError      **error)
{
  gpointer p = FIELD_PTR (config, field);
  GType vtype = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  gboolean is_null = JSON_NODE_HOLDS_NULL (node);

  switch (field->type)
    {
    case FIELD_BOOL:
      if (vtype != G_TYPE_BOOLEAN)
        return type_error (field, _("true or false"), error);
      *(gboolean *) p = json_node_get_boolean (node);
      return TRUE;

    case FIELD_UINT:
    case FIELD_UINT64:
      if (vtype != G_TYPE_INT64 || json_node_get_int (node) < 0 ||
          (field->type == FIELD_UINT && json_node_get_int (node) > G_MAXUINT))
        return type_error (field, _("a whole number of zero or more"), error);
      if (field->type == FIELD_UINT)
        *(guint *) p = (guint) json_node_get_int (node);
      else
        *(guint64 *) p = (guint64) json_node_get_int (node);
      return TRUE;

    case FIELD_DOUBLE:
      if (vtype != G_TYPE_INT64 && vtype != G_TYPE_DOUBLE)
        return type_error (field, _("a number"), error);
      *(double *) p = json_node_get_double (node);
      return TRUE;

    case FIELD_STRING:
      if (!is_null && vtype != G_TYPE_STRING)
        return type_error (field, _("a string or null"), error);
      g_free (*(char **) p);
      *(char **) p = is_null ? NULL : g_strdup (json_node_get_string (node));
      return TRUE;

    case FIELD_STRV:
      if (is_null)
        {
          g_clear_pointer ((char ***) p, g_strfreev);
          return TRUE;
        }
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return type_error (field, _("a list of strings or null"), error);
      else
        {
          JsonArray *array = json_node_get_array (node);
          guint n = json_array_get_length (array);
          g_auto(GStrv) strv = g_new0 (char *, n + 1);

          for (guint i = 0; i < n; i++)
            {
              JsonNode *item = json_array_get_element (array, i);

              if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
                return type_error (field, _("a list of strings or null"), error);
              strv[i] = g_strdup (json_node_get_string (item));
            }
          g_strfreev (*(char ***) p);
          *(char ***) p = g_steal_pointer (&strv);
        }
      return TRUE;

    case FIELD_UNICHAR:
      if (is_null)
        {
          *(gunichar *) p = 0;
          return TRUE;
        }
      if (vtype != G_TYPE_STRING || g_utf8_strlen (json_node_get_string (node), -1) != 1)
        return type_error (field, _("a single character or null"), error);
      *(gunichar *) p = g_utf8_get_char (json_node_get_string (node));
      return TRUE;

    case FIELD_HEADER:
    case FIELD_QUOTES:
    case FIELD_DIGITS:
    case FIELD_TOKENIZER:
    case FIELD_MODEL:
    case FIELD_METRIC:
    case FIELD_OPTIMIZER:
    case FIELD_SCHEDULE:
    case FIELD_PRECISION:
      {
        const char * const *names = enum_names (field->type);
        int value;

        if (vtype != G_TYPE_STRING || !enum_from_string (names, json_node_get_string (node), &value))
          {
            g_autofree char *choices = g_strjoinv (", ", (char **) names);
            g_autofree char *expected = g_strdup_printf (_("one of %s"), choices);
            return type_error (field, expected, error);
          }
        *(int *) p = value;
      }
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
merge_object (WlConfig    *config,
              const char  *section,
              JsonObject  *object,
              GError     **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (object, key);
      const Field *field = find_field (section, key);

      if (field == NULL && section == NULL && JSON_NODE_HOLDS_OBJECT (node) &&
          (g_str_equal (key, "data") || g_str_equal (key, "clean") ||
           g_str_equal (key, "tokens") || g_str_equal (key, "model")))
        {
          if (!merge_object (config, key, json_node_get_object (node), error))
            return FALSE;
          continue;
        }

      if (field == NULL)
        {
          g_set_error (error, WL_ERROR, WL_ERROR_PARSE,
                       _("unknown setting “%s%s%s”; see “wordloom-cli train --help” for the settings"),
                       section ? section : "", section ? "." : "", key);
          return FALSE;
        }
      if (!read_field (config, field, node, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
wl_config_merge_json (WlConfig    *config,
                      const char  *json,
                      gssize       length,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(WlConfig) merged = NULL;
  JsonNode *root;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  if (!json_parser_load_from_data (parser, json, length, &local_error))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_PARSE, "%s", local_error->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_PARSE, _("a config must be a JSON object"));
      return FALSE;
    }

  /* Merge into a copy so that a bad file leaves @config untouched. */
  merged = wl_config_copy (config);
  if (!merge_object (merged, NULL, json_node_get_object (root), error))
    return FALSE;

  /* Swap: @config takes the merged settings, @merged the old ones (freed). */
  {
    WlConfig old = *config;

    *config = *merged;
    *merged = old;
  }
  return TRUE;
}

gboolean
wl_config_merge_json_file (WlConfig    *config,
                           const char  *path,
                           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_IO, "%s", local_error->message);
      return FALSE;
    }
  if (!wl_config_merge_json (config, contents, length, &local_error))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_PARSE, "%s: %s", path, local_error->message);
      return FALSE;
    }
  return TRUE;
}
