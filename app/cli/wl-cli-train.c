/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli-train.c: `wordloom-cli train`: a CSV in, a model file out. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "dist/wl-dist.h"
#include "train/wl-run.h"
#include "wl-cli.h"
#include "wl-error.h"
#include "wl-format.h"
#include "wl-settings.h"

typedef struct
{
  GMainLoop  *loop;
  WlRun      *run;
  WlRunRecorder *recorder;   /* NULL with --no-record */
  gboolean    json;
  gboolean    tty;
  gboolean    line_open;     /* a progress line is on the terminal */
  gboolean    quiet;         /* a rank other than 0 of a distributed run: errors only */
  int         status;
  WlVerdict   verdict;       /* the latest; kind UNKNOWN before the first */
} TrainState;


/* Options given on the command line that are not in the engine's table of
 * settings (those are WlCliSettingFlags); unset ones keep the config's value. */
typedef struct
{
  char    *config_file;
  char    *output;
  char    *input;
  char    *test_input;
  char    *char_ngrams;
  gboolean no_nfkc;
  gboolean no_casefold;
  gboolean keep_urls;
  gboolean no_link_word;
  gboolean keep_emails;
  gboolean keep_html;
  gboolean strip_punct;
  gboolean keep_whitespace;
  gboolean keep_contractions;
  gboolean no_refit;
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

static void
train_options_clear (TrainOptions *o)
{
  g_free (o->config_file);
  g_free (o->output);
  g_free (o->input);
  g_free (o->test_input);
  g_free (o->char_ngrams);
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

/* Applies the command-line options over @config (defaults < --config < flags). */
static gboolean
apply_options (TrainOptions       *o,
               WlCliSettingFlags  *flags,
               WlConfig           *config,
               GError            **error)
{
  set_string (&config->data.input, o->input);
  set_string (&config->data.test_input, o->test_input);
  if (!wl_cli_setting_flags_apply (flags, config, error))
    return FALSE;

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
  if (o->no_link_word)
    config->clean.mark_links = FALSE;
  if (o->keep_emails)
    config->clean.strip_emails = FALSE;
  if (o->keep_html)
    config->clean.strip_html = FALSE;
  if (o->strip_punct)
    config->clean.strip_punct = TRUE;
  if (o->keep_whitespace)
    config->clean.collapse_whitespace = FALSE;
  if (o->keep_contractions)
    config->tokens.split_contractions = FALSE;
  if (o->no_refit)
    config->model.refit = FALSE;
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

/* "4 (at most 50)" while early stopping may end training before the
 * maximum, else "4/50". */
static char *
describe_epoch (const WlEvent *event)
{
  if (event->stop_epoch > 0 && event->stop_epoch < event->n_epochs)
    return g_strdup_printf (_("%u (at most %u)"), event->epoch, event->n_epochs);
  return g_strdup_printf ("%u/%u", event->epoch, event->n_epochs);
}

/* The time left: until early stopping ends training if validation does
 * not improve again, and until the maximum, when they differ. */
static char *
describe_time_left (const WlEvent *event)
{
  g_autofree char *soonest = NULL;
  g_autofree char *most = NULL;

  if (event->eta < 0)
    return g_strdup ("?");
  soonest = wl_format_duration (event->eta);
  if (event->eta_max <= event->eta)
    return g_steal_pointer (&soonest);
  most = wl_format_duration (event->eta_max);
  /* Translators: the time left in training, from the soonest (early
   * stopping) to the most (every epoch up to the maximum). */
  return g_strdup_printf (_("%s to %s"), soonest, most);
}

static void
print_progress (TrainState    *state,
                const WlEvent *event)
{
  g_autoptr(GString) line = g_string_new (NULL);

  if (event->stage != WL_STAGE_TRAIN)
    g_string_printf (line, "%-9s %5.1f %%", wl_stage_to_string (event->stage), 100 * event->fraction);
  else
    {
      g_autofree char *epoch = describe_epoch (event);
      g_autofree char *left = describe_time_left (event);

      g_string_printf (line, _("epoch %s  %5.1f %%  loss %.4f"), epoch, 100 * event->fraction,
                       event->train_loss);
      if (!isnan (event->valid_accuracy))
        g_string_append_printf (line, _("  valid acc %.4f"), event->valid_accuracy);
      g_string_append_printf (line, _("  %.0fk tokens/s  ETA %s"), event->tokens_per_s / 1000, left);
      if (state->verdict.kind != WL_VERDICT_UNKNOWN)
        g_string_append_printf (line, "  %s", wl_verdict_title (&state->verdict));
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
  if (summary->refit_epochs > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "Then trained again on %zu rows (training and validation) for %u epoch\n",
                          "Then trained again on %zu rows (training and validation) for %u epochs\n",
                          summary->refit_epochs),
             summary->n_refit, summary->refit_epochs);
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
           "\"refit_epochs\":%u,\"n_refit\":%zu,\"parts_digest\":\"%s\",\"stage_seconds\":%s,\"test\":%s,\"config\":%s}\n",
           output_json, summary->n_train, summary->n_valid, summary->n_test, summary->epochs_run,
           summary->best_epoch, summary->stopped_early ? "true" : "false",
           summary->refit_epochs, summary->n_refit, summary->parts_digest,
           stages->str, test, config);
}

static void
on_event (WlRun         *run,
          const WlEvent *event,
          gpointer       data)
{
  TrainState *state = data;

  if (state->recorder != NULL)
    wl_run_recorder_handle_event (state->recorder, event);
  if (state->quiet && event->type != WL_EVENT_FAILED && event->type != WL_EVENT_FINISHED &&
      event->type != WL_EVENT_CANCELLED)
    return;
  /* A quiet rank's end is rank 0's to say: two ranks writing lines at once
   * could interleave them in mpirun's output. */
  if (state->json && !(state->quiet && event->type == WL_EVENT_FINISHED))
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
            {
              g_autofree char *epoch = describe_epoch (event);
              g_autofree char *left = describe_time_left (event);

              g_printerr (_("epoch %s: loss %.4f, valid accuracy %.4f, %.0fk tokens/s%s, time left %s\n"),
                          epoch, event->train_loss, event->valid_accuracy,
                          event->tokens_per_s / 1000, event->is_best ? _(" (best)") : "", left);
            }
        }
      break;
    case WL_EVENT_MESSAGE:
      if (!state->json)
        {
          end_progress_line (state);
          g_printerr ("%s\n", event->message);
        }
      break;
    case WL_EVENT_VERDICT:
      /* On a terminal the progress line shows it; else a line when it
       * changes, and the one over the whole training at its end. */
      if (!state->json &&
          (event->verdict.whole || (!state->tty && (event->verdict.kind != state->verdict.kind ||
                                                    event->verdict.moderately != state->verdict.moderately))))
        {
          g_autofree char *text = wl_verdict_describe (&event->verdict, &wl_cli_verdict_controls);

          end_progress_line (state);
          if (event->verdict.whole)
            /* Translators: the verdict over the whole training, "Input-bound: …" */
            g_printerr (_("Over the whole training: %s\n"), text);
          else
            g_printerr ("%s\n", text);
        }
      state->verdict = event->verdict;
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

int
wl_cli_train (int    argc,
              char **argv)
{
  TrainOptions o = { .checkpoint_interval = -1 };
  const GOptionEntry head[] = {
    { "input", 'i', 0, G_OPTION_ARG_FILENAME, &o.input, N_("Labelled CSV/TSV file to train on"), N_("FILE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output, N_("Where to save the model"), N_("MODEL.wlm") },
    { "test", 0, 0, G_OPTION_ARG_FILENAME, &o.test_input, N_("Separate labelled file to test on"), N_("FILE") },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &o.config_file, N_("Settings as JSON; flags override them"), N_("FILE.json") },
    { NULL }
  };
  const GOptionEntry tail[] = {
    { "char-ngrams", 0, 0, G_OPTION_ARG_STRING, &o.char_ngrams, N_("Character n-gram lengths for the char-ngrams tokenizer"), N_("MIN-MAX") },
    { "no-nfkc", 0, 0, G_OPTION_ARG_NONE, &o.no_nfkc, N_("Do not normalise Unicode (NFKC)"), NULL },
    { "no-casefold", 0, 0, G_OPTION_ARG_NONE, &o.no_casefold, N_("Keep upper and lower case apart"), NULL },
    { "keep-urls", 0, 0, G_OPTION_ARG_NONE, &o.keep_urls, N_("Keep URLs"), NULL },
    { "no-link-word", 0, 0, G_OPTION_ARG_NONE, &o.no_link_word,
      N_("Remove links without leaving the word _link_ in their place"), NULL },
    { "keep-emails", 0, 0, G_OPTION_ARG_NONE, &o.keep_emails, N_("Keep e-mail addresses"), NULL },
    { "keep-html", 0, 0, G_OPTION_ARG_NONE, &o.keep_html, N_("Keep HTML tags and entities"), NULL },
    { "strip-punct", 0, 0, G_OPTION_ARG_NONE, &o.strip_punct, N_("Remove punctuation and symbols"), NULL },
    { "keep-whitespace", 0, 0, G_OPTION_ARG_NONE, &o.keep_whitespace, N_("Keep runs of white space as they are instead of collapsing them"), NULL },
    { "keep-contractions", 0, 0, G_OPTION_ARG_NONE, &o.keep_contractions, N_("Keep English contractions whole (“doesn’t”) instead of splitting off their clitic (“does” “n’t”)"), NULL },
    { "stopwords", 0, 0, G_OPTION_ARG_STRING, &o.stopwords, N_("Remove stopwords: auto, none, or languages such as en,zh"), N_("LANGS") },
    { "stopwords-file", 0, 0, G_OPTION_ARG_FILENAME, &o.stopwords_file, N_("Also remove the words of this file (one per line)"), N_("FILE") },
    { "stem", 0, 0, G_OPTION_ARG_STRING, &o.stem, N_("Stem words: auto, none, or a language such as english"), N_("LANG") },
    { "no-refit", 0, 0, G_OPTION_ARG_NONE, &o.no_refit, N_("Linear and embedding-bag: keep the best epoch's model instead of training again on the training and validation rows for that many epochs"), NULL },
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
  WlCliSettingFlags flags = { 0 };
  TrainState state = { 0 };
  guint sigint, sigterm;
  int status;

  /* Under mpirun: MPI before any thread; in a build without it, a refusal. */
  if (!wl_dist_init (&error))
    {
      status = wl_cli_fail (error);
      goto out;
    }
  g_option_context_set_summary (context, _("Train a text classifier on a labelled CSV/TSV file."));
  g_option_context_set_description (context,
                                    _("Under mpirun (a build with MPI), the processes train one model "
                                      "together: each its share of the data, on its own threads and "
                                      "device; rank 0 validates, records the run and saves the model."));
  g_option_context_set_main_group (context, wl_cli_setting_flags_init (&flags));
  g_option_context_add_main_entries (context, head, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, wl_cli_setting_flags_get_entries (&flags), GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, tail, GETTEXT_PACKAGE);
  g_option_context_add_group (context, wl_cli_data_options_group (&data_options));

  if (!wl_cli_parse (context, "train", &argc, &argv))
    {
      status = WL_CLI_EXIT_USAGE;
      goto out;
    }
  if (o.config_file != NULL && !wl_config_merge_json_file (config, o.config_file, &error))
    {
      status = wl_cli_fail (error);
      goto out;
    }
  if (argc > 1)
    {
      status = wl_cli_usage_error ("train", _("unexpected argument “%s”"), argv[1]);
      goto out;
    }
  if (o.resume != 0 && wl_cli_setting_flags_count (&flags) > 0)
    {
      status = wl_cli_usage_error ("train", _("--resume goes on with the run's own settings: "
                                              "leave out the settings' flags"));
      goto out;
    }
  if (!apply_options (&o, &flags, config, &error) ||
      !wl_cli_data_options_apply (&data_options, &config->data, &error) ||
      !wl_config_validate (config, WL_SETTING_NAME_FLAG, &error))
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

  /* In a distributed run, rank 0 records; the others read the store only to resume. */
  if (!o.no_record && (o.resume > 0 || wl_dist_rank () == 0) &&
      (store = wl_store_open (o.store, &error)) == NULL)
    {
      status = wl_cli_fail (error);
      if (o.resume == 0)
        g_printerr (_("Pass --no-record to train without recording the run\n"));
      goto out;
    }
  /* --device auto, --threads auto: measured now; the run stores what was chosen. */
  if (o.resume == 0 && !wl_cli_advise_resolve (config, store, o.json, &error))
    {
      status = wl_cli_fail (error);
      goto out;
    }
  if (o.resume > 0)
    run = wl_cli_train_resume (store, o.resume, &o.output, &error);
  else
    run = wl_run_new (config);
  /* Every rank reads the run to resume before rank 0 marks it running
   * again (a rank that read it after would see it taken). */
  if (run != NULL && o.resume > 0 && wl_dist_size () > 1 && !wl_dist_barrier (&error))
    g_clear_pointer (&run, wl_run_unref);
  /* The other ranks of a distributed run leave recording and saving to rank 0. */
  state.quiet = wl_dist_rank () != 0;
  if (run == NULL || (store != NULL && !state.quiet &&
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

  if (status == WL_CLI_EXIT_OK && !state.quiet)
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
    status = wl_cli_train_record_end (store, recorder, status, o.json);

out:
  /* One rank's failure ends them all (the others may wait in a collective). */
  if (status != WL_CLI_EXIT_OK && wl_dist_size () > 1)
    wl_dist_abort (status);
  wl_dist_finalize ();
  train_options_clear (&o);
  wl_cli_data_options_clear (&data_options);
  wl_cli_setting_flags_clear (&flags);
  return status;
}
