/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-config.h: one object that describes a training run.
 *
 * The same settings are filled by the CLI flags, read from a --config JSON
 * file, stored with every run and saved inside every model file.  Zero or
 * NULL in a model setting means "the model's default"; the trainer replaces
 * those (and the "auto" text settings) with concrete values before training,
 * so a stored config always says exactly what ran.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  WL_HEADER_AUTO,
  WL_HEADER_YES,
  WL_HEADER_NO,
} WlHeaderMode;

/* How double quotes are read in a CSV/TSV file (see io/wl-csv-reader.h). */
typedef enum
{
  WL_QUOTES_AUTO,      /* RFC 4180, except for a TSV whose quotes are not RFC 4180 */
  WL_QUOTES_RFC4180,   /* a field may be quoted: separators, line breaks, "" inside */
  WL_QUOTES_NONE,      /* quotes are ordinary characters (IANA text/tab-separated-values) */
} WlQuoteMode;

typedef enum
{
  WL_DIGITS_KEEP,
  WL_DIGITS_DROP,
  WL_DIGITS_ZERO,     /* map every digit to 0: "2024" -> "0000" */
} WlDigitsMode;

typedef enum
{
  WL_TOKENIZER_AUTO,        /* by detected script: words, or CJK characters + bigrams */
  WL_TOKENIZER_WORDS,       /* ICU word break (also segments Chinese and Japanese) */
  WL_TOKENIZER_CJK_CHARS,   /* words, but every Han/Kana/Hangul character is a token */
  WL_TOKENIZER_CJK_BIGRAMS, /* CJK characters and their adjacent pairs */
  WL_TOKENIZER_CHAR_NGRAMS, /* character n-grams of each word, min..max */
} WlTokenizerKind;

typedef enum
{
  WL_MODEL_LINEAR,
  WL_MODEL_EMBEDDING_BAG,
  WL_MODEL_MLP,
  WL_MODEL_TEXTCNN,
  WL_MODEL_LSTM,
  WL_MODEL_GRU,
  WL_N_MODELS
} WlModelType;

/* Optimiser, learning-rate schedule and number format of the neural models
 * (mlp, textcnn, lstm, gru); "auto" is the model's default. */
typedef enum
{
  WL_OPTIMIZER_AUTO,
  WL_OPTIMIZER_SGD,         /* with momentum */
  WL_OPTIMIZER_ADAM,
  WL_OPTIMIZER_ADAMW,       /* Adam with decoupled weight decay */
  WL_OPTIMIZER_ADADELTA,    /* Zeiler's (2012), rho 0.95, eps 1e-6; Kim's (2014) */
} WlOptimizerKind;

/* textcnn: the zero steps around each text.  Wide is Kim's (2014): widest
 * filter − 1 at both ends, so that every filter also sees the first and
 * the last words in windows of their own. */
typedef enum
{
  WL_PADDING_WIDE,
  WL_PADDING_NONE,          /* windows inside the text only (model files before format 5) */
} WlPadding;

typedef enum
{
  WL_SCHEDULE_AUTO,
  WL_SCHEDULE_CONSTANT,
  WL_SCHEDULE_LINEAR,       /* linear decay to 0 */
  WL_SCHEDULE_COSINE,       /* cosine decay to 0 */
} WlScheduleKind;

typedef enum
{
  WL_PRECISION_FP32,
  WL_PRECISION_FP16,        /* fp16 copies for the products, fp32 master weights */
  WL_PRECISION_BF16,
} WlPrecision;

typedef enum
{
  WL_METRIC_ACCURACY,
  WL_METRIC_MACRO_F1,
  WL_METRIC_LOSS,
} WlMetric;

typedef struct
{
  char          *input;          /* CSV/TSV path */
  char          *test_input;     /* optional separate test file */
  char         **text_columns;   /* names or 1-based indexes; NULL = "text", else the longest */
  char          *label_column;   /* name or 1-based index; NULL = "label" */
  WlHeaderMode   header;
  gunichar       separator;      /* 0 = detect */
  WlQuoteMode    quotes;
  char          *encoding;       /* NULL or "auto" = detect; else a name ICU knows */
  gboolean       skip_bad_rows;
  double         test_fraction;  /* of input, when there is no test_input */
  double         valid_fraction; /* of what remains for training */
  guint64        seed;
} WlDataConfig;

typedef struct
{
  gboolean       nfkc;            /* Unicode NFKC normalisation */
  gboolean       casefold;
  gboolean       strip_urls;
  gboolean       mark_links;      /* a removed link leaves WL_CLEAN_LINK_WORD */
  gboolean       strip_emails;
  gboolean       strip_html;
  gboolean       strip_punct;
  WlDigitsMode   digits;
  char         **stopwords;       /* built-in lists by language code ("en", "zh"), or "auto" */
  char          *stopwords_file;  /* one word per line, UTF-8 */
  gboolean       collapse_whitespace;
  char          *stem;            /* libstemmer language ("english"), "auto", or NULL */
} WlCleanConfig;

typedef struct
{
  WlTokenizerKind kind;
  guint           char_ngram_min;
  guint           char_ngram_max;
  gboolean        split_contractions;   /* "does n't", "it 's" (wl-tokenize.h) */
} WlTokenConfig;

typedef struct
{
  WlModelType  type;
  guint        epochs;        /* 0 = model default */
  double       lr;            /* 0 = model default */
  guint        dim;           /* embedding size (embedding-bag); 0 = default */
  guint        word_ngrams;   /* longest word n-gram; 0 = default */
  guint        buckets;       /* hash buckets for n-grams; 0 = sized from the data */
  guint        batch_size;    /* 0 = default */
  guint        min_count;     /* min document frequency of a feature; 0 = default */
  double       l2;            /* L2 weight; < 0 = default */
  gboolean     sublinear_tf;  /* linear: 1 + log(tf) */
  gboolean     char_ngrams;   /* linear: add character n-grams as features */
  WlMetric     early_stop_metric;
  gboolean     refit;         /* linear, embedding-bag: after early stopping, train again on the
                               * training and validation rows for the best epoch count */
  guint        patience;      /* epochs without improvement before stopping; 0 = never */
  guint        sync_every;    /* distributed linear, embedding-bag: average the ranks' weights
                               * every N examples of each rank; 0 = after each pass */
  char        *device;        /* "cpu", "blas", "opencl", "opencl:P:D" (neural models: cpu = blas);
                               * a run resolves it to the id of the device that trains */
  char        *device_name;   /* set by the run: that device's name; NULL before */
  /* Neural models; 0, NULL, auto or < 0 (the doubles) = the model's default */
  guint        hidden;        /* hidden units (mlp layers, lstm/gru state) */
  guint        layers;        /* hidden layers (mlp) or stacked recurrent layers */
  gboolean     bidirectional; /* lstm, gru: also read each text backwards */
  char        *filter_widths; /* textcnn: convolution widths, "3,4,5" */
  guint        filters;       /* textcnn: filters per width */
  WlPadding    padding;       /* textcnn */
  double       dropout;       /* probability of dropping a unit while training */
  WlOptimizerKind optimizer;
  double       momentum;      /* sgd */
  double       weight_decay;
  WlScheduleKind schedule;
  double       warmup;        /* fraction of the steps with a rising learning rate */
  double       clip;          /* largest global gradient norm; 0 = no clipping */
  double       max_norm;      /* largest norm of each output weight vector; 0 = none */
  guint        max_length;    /* tokens kept from the start of each text */
  WlPrecision  precision;
} WlModelConfig;

typedef struct
{
  WlDataConfig  data;
  WlCleanConfig clean;
  WlTokenConfig tokens;
  WlModelConfig model;
  guint         threads;      /* 0 = number of cores */
} WlConfig;

WlConfig   *wl_config_new               (void);
WlConfig   *wl_config_copy              (const WlConfig  *config);
void        wl_config_free              (WlConfig        *config);

guint       wl_config_get_threads       (const WlConfig  *config);

char       *wl_config_to_json           (const WlConfig  *config,
                                         gboolean         pretty);
gboolean    wl_config_merge_json        (WlConfig        *config,
                                         const char      *json,
                                         gssize           length,
                                         GError         **error);
gboolean    wl_config_merge_json_file   (WlConfig        *config,
                                         const char      *path,
                                         GError         **error);

const char *wl_model_type_to_string     (WlModelType      type);
gboolean    wl_model_type_from_string   (const char      *str,
                                         WlModelType     *type);
const char *wl_tokenizer_kind_to_string (WlTokenizerKind  kind);
gboolean    wl_tokenizer_kind_from_string (const char    *str,
                                         WlTokenizerKind *kind);
const char *wl_metric_to_string         (WlMetric         metric);
gboolean    wl_metric_from_string       (const char      *str,
                                         WlMetric        *metric);
const char *wl_digits_mode_to_string    (WlDigitsMode     mode);
gboolean    wl_digits_mode_from_string  (const char      *str,
                                         WlDigitsMode    *mode);
const char *wl_quote_mode_to_string     (WlQuoteMode      mode);
gboolean    wl_quote_mode_from_string   (const char      *str,
                                         WlQuoteMode     *mode);
const char *wl_optimizer_kind_to_string (WlOptimizerKind  kind);
gboolean    wl_optimizer_kind_from_string (const char    *str,
                                         WlOptimizerKind *kind);
const char *wl_schedule_kind_to_string  (WlScheduleKind   kind);
gboolean    wl_schedule_kind_from_string (const char     *str,
                                         WlScheduleKind  *kind);
const char *wl_precision_to_string      (WlPrecision      precision);
gboolean    wl_precision_from_string    (const char      *str,
                                         WlPrecision     *precision);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlConfig, wl_config_free)

G_END_DECLS
