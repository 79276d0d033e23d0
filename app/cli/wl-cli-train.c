/* wl-cli-train.c: `wordloom-cli train`: a CSV in, a model file out. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "models/wl-neural.h"
#include "train/wl-run.h"
#include "wl-cli.h"
#include "wl-error.h"

typedef struct
{
  GMainLoop  *loop;
  WlRun      *run;
  WlRunRecorder *recorder;   /* NULL with --no-record */
  gboolean    json;
  gboolean    tty;
  gboolean    line_open;     /* a progress line is on the terminal */
  int         status;
} TrainState;

/* Options given on the command line; unset ones keep the config's value. */
typedef struct
{
  char    *config_file;
  char    *output;
  char    *input;
  char    *test_input;
  double   test_fraction;
  double   valid_fraction;
  gint64   seed;
  char    *model;
  int      epochs;
  double   lr;
  int      dim;
  int      ngrams;
  int      buckets;
  int      batch_size;
  int      min_count;
  double   l2;
  int      patience;
  char    *metric;
  char    *device;
  int      hidden;
  int      layers;
  gboolean bidirectional;
  char    *filter_widths;
  int      filters;
  double   dropout;
  char    *optimizer;
  double   momentum;
  double   weight_decay;
  char    *schedule;
  double   warmup;
  double   clip;
  int      max_length;
  char    *precision;
  int      threads;
  char    *tokenizer;
  char    *char_ngrams;
  gboolean no_nfkc;
  gboolean no_casefold;
  gboolean keep_urls;
  gboolean keep_emails;
  gboolean keep_html;
  gboolean strip_punct;
  char    *digits;
  char    *stopwords;
  char    *stopwords_file;
  char    *stem;
  gboolean json;
  gboolean print_config;
  char    *store;
  gboolean no_record;
  gint64   resume;
  double   checkpoint_interval;
} TrainOptions;

#define UNSET_INT   (-1)
#define UNSET_INT64 G_MININT64

static void
train_options_clear (TrainOptions *o)
{
  g_free (o->config_file);
  g_free (o->output);
  g_free (o->input);
  g_free (o->test_input);
  g_free (o->model);
  g_free (o->metric);
  g_free (o->device);
  g_free (o->filter_widths);
  g_free (o->optimizer);
  g_free (o->schedule);
  g_free (o->precision);
  g_free (o->tokenizer);
  g_free (o->char_ngrams);
  g_free (o->digits);
  g_free (o->stopwords);
  g_free (o->stopwords_file);
  g_free (o->stem);
  g_free (o->store);
}

static void
set_string (char       **dst,
            const char  *value)
{
  if (value == NULL)
    return;
  g_free (*dst);
  *dst = g_strdup (value);
}

static gboolean
set_uint (guint       *dst,
          int          value,
          const char  *flag,
          GError     **error)
{
  if (value == UNSET_INT)
    return TRUE;
  if (value < 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("%s must be zero or more"), flag);
      return FALSE;
    }
  *dst = (guint) value;
  return TRUE;
}

/* A number in [@lo, @hi) (@hi = INFINITY: no upper bound); NAN: not given. */
static gboolean
set_double (double      *dst,
            double       value,
            double       lo,
            double       hi,
            const char  *flag,
            GError     **error)
{
  if (isnan (value))
    return TRUE;
  if (!(value >= lo && value < hi))
    {
      if (isinf (hi))
        g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("%s must be %g or more"), flag, lo);
      else
        g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("%s must be at least %g and below %g"), flag, lo, hi);
      return FALSE;
    }
  *dst = value;
  return TRUE;
}

#define BAD_CHOICE(flag, value, choices) \
  (g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("%s: “%s” is not one of %s"), flag, value, choices), FALSE)

/* Applies the command-line options over @config (defaults < --config < flags). */
static gboolean
apply_options (TrainOptions  *o,
               WlConfig      *config,
               GError       **error)
{
  set_string (&config->data.input, o->input);
  set_string (&config->data.test_input, o->test_input);
  if (!set_double (&config->data.test_fraction, o->test_fraction, 0, 1, "--test-fraction", error) ||
      !set_double (&config->data.valid_fraction, o->valid_fraction, 0, 1, "--valid-fraction", error))
    return FALSE;
  if (o->seed != UNSET_INT64)
    config->data.seed = (guint64) o->seed;

  if (o->model != NULL && !wl_model_type_from_string (o->model, &config->model.type))
    return BAD_CHOICE ("--model", o->model, "linear, embedding-bag, mlp, textcnn, lstm, gru");
  if (!set_uint (&config->model.epochs, o->epochs, "--epochs", error) ||
      !set_uint (&config->model.dim, o->dim, "--dim", error) ||
      !set_uint (&config->model.word_ngrams, o->ngrams, "--ngrams", error) ||
      !set_uint (&config->model.buckets, o->buckets, "--buckets", error) ||
      !set_uint (&config->model.batch_size, o->batch_size, "--batch-size", error) ||
      !set_uint (&config->model.min_count, o->min_count, "--min-count", error) ||
      !set_uint (&config->model.patience, o->patience, "--patience", error) ||
      !set_uint (&config->model.hidden, o->hidden, "--hidden", error) ||
      !set_uint (&config->model.layers, o->layers, "--layers", error) ||
      !set_uint (&config->model.filters, o->filters, "--filters", error) ||
      !set_uint (&config->model.max_length, o->max_length, "--max-length", error) ||
      !set_uint (&config->threads, o->threads, "--threads", error))
    return FALSE;
  if (!isnan (o->lr))
    {
      if (!(o->lr > 0))
        {
          g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("--lr must be above 0"));
          return FALSE;
        }
      config->model.lr = o->lr;
    }
  if (!isnan (o->l2))
    config->model.l2 = o->l2;
  if (o->metric != NULL && !wl_metric_from_string (o->metric, &config->model.early_stop_metric))
    return BAD_CHOICE ("--early-stop-metric", o->metric, "accuracy, macro-f1, loss");
  set_string (&config->model.device, o->device);
  if (o->bidirectional)
    config->model.bidirectional = TRUE;
  if (o->filter_widths != NULL)
    {
      guint widths[8];

      if (wl_neural_parse_widths (o->filter_widths, widths, G_N_ELEMENTS (widths)) == 0)
        {
          g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                       _("--filter-widths must look like 3,4,5 (up to 8 widths from 1 to 64), not “%s”"),
                       o->filter_widths);
          return FALSE;
        }
      set_string (&config->model.filter_widths, o->filter_widths);
    }
  if (!isnan (o->dropout))
    {
      if (!(o->dropout >= 0 && o->dropout < 1))
        {
          g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("--dropout must be at least 0 and below 1"));
          return FALSE;
        }
      config->model.dropout = o->dropout;
    }
  if (!set_double (&config->model.momentum, o->momentum, 0, INFINITY, "--momentum", error) ||
      !set_double (&config->model.weight_decay, o->weight_decay, 0, INFINITY, "--weight-decay", error) ||
      !set_double (&config->model.clip, o->clip, 0, INFINITY, "--clip", error))
    return FALSE;
  if (!isnan (o->warmup))
    {
      if (!(o->warmup >= 0 && o->warmup <= 1))
        {
          g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("--warmup must be from 0 to 1 (a fraction of the steps)"));
          return FALSE;
        }
      config->model.warmup = o->warmup;
    }
  if (o->optimizer != NULL && !wl_optimizer_kind_from_string (o->optimizer, &config->model.optimizer))
    return BAD_CHOICE ("--optimizer", o->optimizer, "auto, sgd, adam, adamw");
  if (o->schedule != NULL && !wl_schedule_kind_from_string (o->schedule, &config->model.schedule))
    return BAD_CHOICE ("--schedule", o->schedule, "auto, constant, linear, cosine");
  if (o->precision != NULL && !wl_precision_from_string (o->precision, &config->model.precision))
    return BAD_CHOICE ("--precision", o->precision, "fp32, fp16, bf16");

  if (o->tokenizer != NULL && !wl_tokenizer_kind_from_string (o->tokenizer, &config->tokens.kind))
    return BAD_CHOICE ("--tokenizer", o->tokenizer, "auto, words, cjk-chars, cjk-bigrams, char-ngrams");
  if (o->char_ngrams != NULL)
    {
      guint lo, hi;

      if (sscanf (o->char_ngrams, "%u-%u", &lo, &hi) != 2 || lo < 1 || hi < lo || hi > 10)
        {
          g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                       _("--char-ngrams must look like 2-4 (from 1 to 10), not “%s”"), o->char_ngrams);
          return FALSE;
        }
      config->tokens.char_ngram_min = lo;
      config->tokens.char_ngram_max = hi;
    }
  if (o->no_nfkc)
    config->clean.nfkc = FALSE;
  if (o->no_casefold)
    config->clean.casefold = FALSE;
  if (o->keep_urls)
    config->clean.strip_urls = FALSE;
  if (o->keep_emails)
    config->clean.strip_emails = FALSE;
  if (o->keep_html)
    config->clean.strip_html = FALSE;
  if (o->strip_punct)
    config->clean.strip_punct = TRUE;
  if (o->digits != NULL && !wl_digits_mode_from_string (o->digits, &config->clean.digits))
    return BAD_CHOICE ("--digits", o->digits, "keep, drop, zero");
  if (o->stopwords != NULL)
    {
      g_strfreev (config->clean.stopwords);
      config->clean.stopwords = g_str_equal (o->stopwords, "none") ? NULL
                                : g_strsplit (o->stopwords, ",", -1);
    }
  set_string (&config->clean.stopwords_file, o->stopwords_file);
  if (o->stem != NULL)
    {
      g_free (config->clean.stem);
      config->clean.stem = g_str_equal (o->stem, "none") ? NULL : g_strdup (o->stem);
    }
  return TRUE;
}

/* Output */

static void
end_progress_line (TrainState *state)
{
  if (state->line_open)
    {
      g_printerr ("\n");
      state->line_open = FALSE;
    }
}

static char *
format_duration (double seconds)
{
  guint s = (guint) MAX (0, seconds + 0.5);

  if (s >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%u:%02u", s / 60, s % 60);
}

static void
print_progress (TrainState    *state,
                const WlEvent *event)
{
  g_autofree char *eta = event->eta >= 0 ? format_duration (event->eta) : g_strdup ("?");
  g_autoptr(GString) line = g_string_new (NULL);

  if (event->stage != WL_STAGE_TRAIN)
    g_string_printf (line, "%-9s %5.1f %%", wl_stage_to_string (event->stage), 100 * event->fraction);
  else
    {
      g_string_printf (line, _("epoch %u/%u  %5.1f %%  loss %.4f"), event->epoch, event->n_epochs,
                       100 * event->fraction, event->train_loss);
      if (!isnan (event->valid_accuracy))
        g_string_append_printf (line, _("  valid acc %.4f"), event->valid_accuracy);
      g_string_append_printf (line, _("  %.0fk tokens/s  ETA %s"), event->tokens_per_s / 1000, eta);
    }
  g_printerr ("\r%-78s", line->str);
  state->line_open = TRUE;
}

static void
print_summary_text (WlRun *run)
{
  const WlRunSummary *summary = wl_run_get_summary (run);
  const WlEvaluation *evaluation = wl_run_get_evaluation (run);
  const WlConfig *config = wl_run_get_config (run);

  g_print (_("Model: %s, trained on %zu rows (%zu for validation), best epoch %u of %u%s\n"),
           wl_model_type_to_string (config->model.type), summary->n_train, summary->n_valid,
           summary->best_epoch, summary->epochs_run,
           summary->stopped_early ? _(" (stopped early)") : "");
  g_print (_("Time: load %.2f s, clean %.2f s, featurize %.2f s, train %.2f s, evaluate %.2f s\n"),
           summary->stage_seconds[WL_STAGE_LOAD], summary->stage_seconds[WL_STAGE_CLEAN],
           summary->stage_seconds[WL_STAGE_FEATURIZE], summary->stage_seconds[WL_STAGE_TRAIN],
           summary->stage_seconds[WL_STAGE_EVALUATE]);
  if (evaluation != NULL)
    g_print (_("Test: accuracy %.4f, macro-F1 %.4f on %zu rows\n"),
             evaluation->metrics->accuracy, evaluation->metrics->macro_f1, summary->n_test);
}

static void
print_summary_json (WlRun      *run,
                    const char *output)
{
  const WlRunSummary *summary = wl_run_get_summary (run);
  const WlEvaluation *evaluation = wl_run_get_evaluation (run);
  g_autofree char *config = wl_config_to_json (wl_run_get_config (run), FALSE);
  g_autofree char *test = evaluation ? wl_evaluation_to_json (evaluation, FALSE) : g_strdup ("null");
  g_autoptr(GString) stages = g_string_new ("{");

  for (guint s = 0; s < WL_N_STAGES; s++)
    g_string_append_printf (stages, "%s\"%s\":%.6f", s ? "," : "", wl_stage_to_string (s),
                            summary->stage_seconds[s]);
  g_string_append_c (stages, '}');

  g_autofree char *output_json = wl_cli_json_string (output);

  g_print ("{\"event\":\"summary\",\"output\":%s,\"n_train\":%zu,\"n_valid\":%zu,"
           "\"n_test\":%zu,\"epochs_run\":%u,\"best_epoch\":%u,\"stopped_early\":%s,"
           "\"stage_seconds\":%s,\"test\":%s,\"config\":%s}\n",
           output_json, summary->n_train, summary->n_valid, summary->n_test, summary->epochs_run,
           summary->best_epoch, summary->stopped_early ? "true" : "false", stages->str, test, config);
}

static void
on_event (WlRun         *run,
          const WlEvent *event,
          gpointer       data)
{
  TrainState *state = data;

  if (state->recorder != NULL)
    wl_run_recorder_handle_event (state->recorder, event);
  if (state->json)
    {
      g_autofree char *line = wl_event_to_json (event);
      g_print ("%s\n", line);
      fflush (stdout);
    }

  switch (event->type)
    {
    case WL_EVENT_PROGRESS:
      if (state->tty && !state->json)
        print_progress (state, event);
      break;
    case WL_EVENT_EPOCH:
      if (!state->json)
        {
          if (state->tty)
            print_progress (state, event);
          end_progress_line (state);
          if (!state->tty)
            g_printerr (_("epoch %u/%u: loss %.4f, valid accuracy %.4f, %.0fk tokens/s%s\n"),
                        event->epoch, event->n_epochs, event->train_loss, event->valid_accuracy,
                        event->tokens_per_s / 1000, event->is_best ? _(" (best)") : "");
        }
      break;
    case WL_EVENT_MESSAGE:
      if (!state->json)
        {
          end_progress_line (state);
          g_printerr ("%s\n", event->message);
        }
      break;
    case WL_EVENT_STAGE_FINISHED:
      if (state->tty && !state->json && event->stage != WL_STAGE_TRAIN)
        end_progress_line (state);
      break;
    case WL_EVENT_FINISHED:
      end_progress_line (state);
      state->status = WL_CLI_EXIT_OK;
      g_main_loop_quit (state->loop);
      break;
    case WL_EVENT_FAILED:
      end_progress_line (state);
      state->status = wl_cli_fail (event->error);
      g_main_loop_quit (state->loop);
      break;
    case WL_EVENT_CANCELLED:
      end_progress_line (state);
      g_printerr (_("Cancelled\n"));
      state->status = WL_CLI_EXIT_CANCELLED;
      g_main_loop_quit (state->loop);
      break;
    case WL_EVENT_STAGE_STARTED:
    default:
      break;
    }
}

static gboolean
on_signal (gpointer data)
{
  TrainState *state = data;

  wl_run_cancel (state->run);
  return G_SOURCE_CONTINUE;
}

/* Looks for --config before parsing, so that flags override the file. */
static const char *
find_config_arg (int    argc,
                 char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--config="))
        return argv[i] + strlen ("--config=");
      if (g_str_equal (argv[i], "--config") && i + 1 < argc)
        return argv[i + 1];
    }
  return NULL;
}

int
wl_cli_train (int    argc,
              char **argv)
{
  TrainOptions o = {
    .test_fraction = NAN, .valid_fraction = NAN, .seed = UNSET_INT64,
    .epochs = UNSET_INT, .lr = NAN, .dim = UNSET_INT, .ngrams = UNSET_INT,
    .buckets = UNSET_INT, .batch_size = UNSET_INT, .min_count = UNSET_INT, .l2 = NAN,
    .patience = UNSET_INT, .threads = UNSET_INT, .hidden = UNSET_INT, .layers = UNSET_INT,
    .filters = UNSET_INT, .max_length = UNSET_INT, .dropout = NAN, .momentum = NAN,
    .weight_decay = NAN, .warmup = NAN, .clip = NAN, .checkpoint_interval = -1,
  };
  const GOptionEntry entries[] = {
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &o.input, N_("Labelled CSV/TSV file to train on"), N_("FILE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output, N_("Where to save the model"), N_("MODEL.wlm") },
    { "test", 0, 0, G_OPTION_ARG_FILENAME, &o.test_input, N_("Separate labelled file to test on"), N_("FILE") },
    { "test-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &o.test_fraction, N_("Part of the input kept for testing (default 0.2; 0: none)"), N_("F") },
    { "valid-fraction", 0, 0, G_OPTION_ARG_DOUBLE, &o.valid_fraction, N_("Part of the rest used for validation (default 0.1)"), N_("F") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o.seed, N_("Seed for the split and the training (default 42)"), N_("N") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &o.config_file, N_("Settings as JSON; flags override them"), N_("FILE.json") },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &o.model, N_("linear (TF-IDF + logistic regression), embedding-bag (fastText-style), mlp, textcnn, lstm or gru"), N_("TYPE") },
    { "epochs", 0, 0, G_OPTION_ARG_INT, &o.epochs, N_("Most passes over the training data; early stopping usually ends training sooner (default: the model's)"), N_("N") },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &o.lr, N_("Learning rate (default: the model's)"), N_("RATE") },
    { "dim", 0, 0, G_OPTION_ARG_INT, &o.dim, N_("Embedding size (embedding-bag and the neural models)"), N_("N") },
    { "ngrams", 0, 0, G_OPTION_ARG_INT, &o.ngrams, N_("Longest word n-gram used as a feature"), N_("N") },
    { "buckets", 0, 0, G_OPTION_ARG_INT, &o.buckets, N_("Hash buckets for n-grams (default: sized from the data)"), N_("N") },
    { "batch-size", 0, 0, G_OPTION_ARG_INT, &o.batch_size, N_("Examples per update (default: the model's)"), N_("N") },
    { "min-count", 0, 0, G_OPTION_ARG_INT, &o.min_count, N_("Ignore features seen in fewer documents"), N_("N") },
    { "l2", 0, 0, G_OPTION_ARG_DOUBLE, &o.l2, N_("L2 regularisation weight"), N_("W") },
    { "patience", 0, 0, G_OPTION_ARG_INT, &o.patience, N_("Stop after N epochs without improvement (0: never; default 3)"), N_("N") },
    { "early-stop-metric", 0, 0, G_OPTION_ARG_STRING, &o.metric, N_("accuracy, macro-f1 or loss (default accuracy)"), N_("METRIC") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &o.device, N_("Where the neural models train: cpu, blas, opencl or opencl:P:D (see “devices”; default cpu)"), N_("DEVICE") },
    { "hidden", 0, 0, G_OPTION_ARG_INT, &o.hidden, N_("Hidden units (mlp, lstm, gru)"), N_("N") },
    { "layers", 0, 0, G_OPTION_ARG_INT, &o.layers, N_("Hidden layers (mlp) or stacked recurrent layers (lstm, gru)"), N_("N") },
    { "bidirectional", 0, 0, G_OPTION_ARG_NONE, &o.bidirectional, N_("Also read each text backwards (lstm, gru)"), NULL },
    { "filter-widths", 0, 0, G_OPTION_ARG_STRING, &o.filter_widths, N_("Convolution widths (textcnn; default 3,4,5)"), N_("W,W,…") },
    { "filters", 0, 0, G_OPTION_ARG_INT, &o.filters, N_("Filters per width (textcnn; default 100)"), N_("N") },
    { "dropout", 0, 0, G_OPTION_ARG_DOUBLE, &o.dropout, N_("Dropout probability (neural models)"), N_("P") },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &o.optimizer, N_("sgd (with momentum), adam or adamw (neural models; default adam)"), N_("KIND") },
    { "momentum", 0, 0, G_OPTION_ARG_DOUBLE, &o.momentum, N_("Momentum of sgd (default 0.9)"), N_("M") },
    { "weight-decay", 0, 0, G_OPTION_ARG_DOUBLE, &o.weight_decay, N_("Weight decay (default 0; adamw 0.01)"), N_("W") },
    { "schedule", 0, 0, G_OPTION_ARG_STRING, &o.schedule, N_("Learning-rate schedule: constant, linear or cosine"), N_("KIND") },
    { "warmup", 0, 0, G_OPTION_ARG_DOUBLE, &o.warmup, N_("Fraction of the steps with a rising learning rate"), N_("F") },
    { "clip", 0, 0, G_OPTION_ARG_DOUBLE, &o.clip, N_("Clip the gradients to this global norm (0: no clipping)"), N_("NORM") },
    { "max-length", 0, 0, G_OPTION_ARG_INT, &o.max_length, N_("Tokens kept from the start of each text (neural models)"), N_("N") },
    { "precision", 0, 0, G_OPTION_ARG_STRING, &o.precision, N_("fp32, fp16 or bf16 (mixed precision, on devices that have it)"), N_("P") },
    { "threads", 't', 0, G_OPTION_ARG_INT, &o.threads, N_("Threads for preprocessing and training (default: all cores)"), N_("N") },
    { "tokenizer", 0, 0, G_OPTION_ARG_STRING, &o.tokenizer, N_("auto, words, cjk-chars, cjk-bigrams or char-ngrams (default auto)"), N_("KIND") },
    { "char-ngrams", 0, 0, G_OPTION_ARG_STRING, &o.char_ngrams, N_("Character n-gram lengths for the char-ngrams tokenizer"), N_("MIN-MAX") },
    { "no-nfkc", 0, 0, G_OPTION_ARG_NONE, &o.no_nfkc, N_("Do not normalise Unicode (NFKC)"), NULL },
    { "no-casefold", 0, 0, G_OPTION_ARG_NONE, &o.no_casefold, N_("Keep upper and lower case apart"), NULL },
    { "keep-urls", 0, 0, G_OPTION_ARG_NONE, &o.keep_urls, N_("Keep URLs"), NULL },
    { "keep-emails", 0, 0, G_OPTION_ARG_NONE, &o.keep_emails, N_("Keep e-mail addresses"), NULL },
    { "keep-html", 0, 0, G_OPTION_ARG_NONE, &o.keep_html, N_("Keep HTML tags and entities"), NULL },
    { "strip-punct", 0, 0, G_OPTION_ARG_NONE, &o.strip_punct, N_("Remove punctuation and symbols"), NULL },
    { "digits", 0, 0, G_OPTION_ARG_STRING, &o.digits, N_("keep, drop or zero (map every digit to 0)"), N_("MODE") },
    { "stopwords", 0, 0, G_OPTION_ARG_STRING, &o.stopwords, N_("Remove stopwords: auto, none, or languages such as en,zh"), N_("LANGS") },
    { "stopwords-file", 0, 0, G_OPTION_ARG_FILENAME, &o.stopwords_file, N_("Also remove the words of this file (one per line)"), N_("FILE") },
    { "stem", 0, 0, G_OPTION_ARG_STRING, &o.stem, N_("Stem words: auto, none, or a language such as english"), N_("LANG") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, N_("Print one JSON event per line and a JSON summary"), NULL },
    { "print-config", 0, 0, G_OPTION_ARG_NONE, &o.print_config, N_("Print the settings as JSON and exit"), NULL },
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &o.store, N_("Run store to record the run in (default: $WORDLOOM_STORE, else runs.sqlite in the user data folder)"), N_("FILE") },
    { "no-record", 0, 0, G_OPTION_ARG_NONE, &o.no_record, N_("Do not record the run in the run store"), NULL },
    { "checkpoint-interval", 0, 0, G_OPTION_ARG_DOUBLE, &o.checkpoint_interval, N_("Seconds between checkpoints of a recorded run (0: every epoch; default: keep their cost under a hundredth of the training time)"), N_("S") },
    { "resume", 0, 0, G_OPTION_ARG_INT64, &o.resume, N_("Go on with an interrupted run from its last checkpoint, with its own settings and data (see “runs”)"), N_("ID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(WlRun) run = NULL;
  g_autoptr(WlStore) store = NULL;
  g_autoptr(WlRunRecorder) recorder = NULL;
  g_autoptr(WlMonitor) monitor = NULL;
  WlCliDataOptions data_options = { 0 };
  TrainState state = { 0 };
  const char *config_file;
  guint sigint, sigterm;
  int status;

  g_option_context_set_summary (context, _("Train a text classifier on a labelled CSV/TSV file."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, wl_cli_data_options_group (&data_options));

  if ((config_file = find_config_arg (argc, argv)) != NULL &&
      !wl_config_merge_json_file (config, config_file, &error))
    return wl_cli_fail (error);

  if (!wl_cli_parse (context, "train", &argc, &argv))
    {
      status = WL_CLI_EXIT_USAGE;
      goto out;
    }
  if (argc > 1)
    {
      status = wl_cli_usage_error ("train", _("unexpected argument “%s”"), argv[1]);
      goto out;
    }
  if (!apply_options (&o, config, &error) ||
      !wl_cli_data_options_apply (&data_options, &config->data, &error))
    {
      status = wl_cli_usage_error ("train", "%s", error->message);
      goto out;
    }
  if (o.print_config)
    {
      g_autofree char *json = wl_config_to_json (config, TRUE);
      g_print ("%s\n", json);
      status = WL_CLI_EXIT_OK;
      goto out;
    }
  if (o.resume != 0 && (o.resume < 0 || o.no_record || config->data.input != NULL))
    {
      status = wl_cli_usage_error ("train", _("--resume takes a run id, and the run's own settings and "
                                              "data: leave out --input, --config and --no-record"));
      goto out;
    }
  if (o.resume == 0 && (config->data.input == NULL || o.output == NULL))
    {
      status = wl_cli_usage_error ("train", _("--input and --output are required"));
      goto out;
    }

  if (!o.no_record && (store = wl_store_open (o.store, &error)) == NULL)
    {
      status = wl_cli_fail (error);
      if (o.resume == 0)
        g_printerr (_("Pass --no-record to train without recording the run\n"));
      goto out;
    }
  if (o.resume > 0)
    run = wl_cli_train_resume (store, o.resume, &o.output, &error);
  else
    run = wl_run_new (config);
  if (run == NULL || (store != NULL &&
                      (recorder = wl_cli_train_record (store, run, o.resume, o.output,
                                                       o.checkpoint_interval, o.json, &error)) == NULL))
    {
      status = wl_cli_fail (error);
      goto out;
    }

  loop = g_main_loop_new (NULL, FALSE);
  state.loop = loop;
  state.run = run;
  state.recorder = recorder;
  state.json = o.json;
  state.tty = wl_cli_stderr_is_tty ();
  sigint = g_unix_signal_add (SIGINT, on_signal, &state);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, &state);
  if (recorder != NULL)
    monitor = wl_cli_train_record_monitor (recorder);
  wl_run_start (run, NULL, on_event, &state);
  g_main_loop_run (loop);
  /* The run has ended: no samples after its end. */
  g_clear_pointer (&monitor, wl_monitor_free);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  status = state.status;

  if (status == WL_CLI_EXIT_OK)
    {
      if (!wl_classifier_save (wl_run_get_classifier (run), o.output, &error))
        status = wl_cli_fail (error);
      else if (o.json)
        print_summary_json (run, o.output);
      else
        {
          print_summary_text (run);
          g_print (_("Saved %s\n"), o.output);
        }
    }
  if (recorder != NULL)
    status = wl_cli_train_record_end (recorder, status, o.json);

out:
  train_options_clear (&o);
  wl_cli_data_options_clear (&data_options);
  return status;
}
