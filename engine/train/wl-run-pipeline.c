/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-pipeline.c: the stages of a run, from the file to the evaluation. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <string.h>

#include "compute/wl-backend.h"
#include "dist/wl-dist.h"
#include "io/wl-label-column.h"
#include "text/wl-preprocess.h"
#include "train/wl-run-private.h"
#include "train/wl-run-shards.h"
#include "train/wl-run-split.h"
#include "train/wl-run-windows.h"
#include "train/wl-trainer.h"
#include "wl-error.h"
#include "wl-settings.h"

#define RESOLVE_SAMPLE 2000   /* texts looked at to pick tokenizer, stopwords, stemmer */

typedef struct
{
  WlRun   *run;
  WlStage  stage;
  gint64   start;
} StageTimer;

static StageTimer
stage_begin (WlRun   *run,
             WlStage  stage)
{
  WlEvent *event;

  wl_run_wait_while_paused (run);
  event = wl_event_new (WL_EVENT_STAGE_STARTED);
  event->stage = stage;
  wl_run_emit (run, event);
  return (StageTimer) { run, stage, g_get_monotonic_time () };
}

static void
stage_end (StageTimer *timer)
{
  WlEvent *event = wl_event_new (WL_EVENT_STAGE_FINISHED);

  event->stage = timer->stage;
  event->seconds = (g_get_monotonic_time () - timer->start) / (double) G_USEC_PER_SEC;
  wl_run_get_summary_mutable (timer->run)->stage_seconds[timer->stage] = event->seconds;
  wl_run_emit (timer->run, event);
}

static void
on_load_progress (guint64  done,
                  guint64  total,
                  gpointer data)
{
  WlRun *run = data;
  WlEvent *event;

  if (!wl_run_should_report_progress (run, done >= total))
    return;
  event = wl_event_new (WL_EVENT_PROGRESS);
  event->stage = WL_STAGE_LOAD;
  event->fraction = total ? (double) done / total : 1.0;
  wl_run_emit (run, event);
}

/* "3, 7, 12, …": the first line numbers of @total rows. */
static char *
format_lines (const guint64 *lines,
              guint          n_lines,
              guint64        total)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_lines; i++)
    g_string_append_printf (text, "%s%" G_GUINT64_FORMAT, i ? ", " : "", lines[i]);
  if (total > n_lines)
    g_string_append (text, ", …");
  return g_string_free (text, FALSE);
}

/* Tells the user about every row that did not make it into the dataset. */
static void
report_load (WlRun           *run,
             const char      *path,
             const WlDataset *dataset)
{
  const WlLoadStats *stats = &dataset->stats;
  g_autofree char *basename = g_path_get_basename (path);

  wl_run_emit_message (run, WL_STAGE_LOAD,
                       g_dngettext (GETTEXT_PACKAGE, "%s: %" PRIu64 " row kept of %" PRIu64 " read, %u label",
                                    "%s: %" PRIu64 " rows kept of %" PRIu64 " read, %u labels",
                                    stats->rows_kept),
                       basename, stats->rows_kept, stats->rows_read,
                       wl_dataset_get_n_labels (dataset));
  if (stats->bad_rows > 0)
    {
      g_autofree char *lines = format_lines (stats->bad_row_lines, stats->n_bad_row_lines,
                                             stats->bad_rows);

      wl_run_emit_message (run, WL_STAGE_LOAD,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "%s: skipped %" PRIu64 " malformed row (line %s)",
                                        "%s: skipped %" PRIu64 " malformed rows (lines %s)",
                                        stats->bad_rows),
                           basename, stats->bad_rows, lines);
    }
  if (stats->empty_texts > 0)
    wl_run_emit_message (run, WL_STAGE_LOAD,
                         g_dngettext (GETTEXT_PACKAGE, "%s: dropped %" PRIu64 " row with an empty text",
                                      "%s: dropped %" PRIu64 " rows with an empty text", stats->empty_texts),
                         basename, stats->empty_texts);
  if (stats->empty_labels > 0)
    wl_run_emit_message (run, WL_STAGE_LOAD,
                         g_dngettext (GETTEXT_PACKAGE, "%s: dropped %" PRIu64 " row with an empty label",
                                      "%s: dropped %" PRIu64 " rows with an empty label", stats->empty_labels),
                         basename, stats->empty_labels);
  if (stats->quotes == WL_QUOTES_NONE && wl_run_get_config (run)->data.quotes == WL_QUOTES_AUTO)
    wl_run_emit_message (run, WL_STAGE_LOAD,
                         _("%s: read without quoting (its quotes do not follow CSV rules, so they are kept as ordinary characters); choose RFC 4180 quoting to read them as CSV quotes"),
                         basename);
  if (stats->loose_quotes > 0)
    wl_run_emit_message (run, WL_STAGE_LOAD,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "%s: kept %" PRIu64 " field as written: it starts with a quoted part followed by more text",
                                      "%s: kept %" PRIu64 " fields as written: they start with a quoted part followed by more text",
                                      stats->loose_quotes),
                         basename, stats->loose_quotes);
  if (stats->quote_text_rows > 0)
    {
      g_autofree char *lines = format_lines (stats->quote_text_lines, stats->n_quote_text_lines,
                                             stats->quote_text_rows);

      wl_run_emit_message (run, WL_STAGE_LOAD,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "%s: read %" PRIu64 " row with its quotes as ordinary text, as they do not follow CSV rules (line %s)",
                                        "%s: read %" PRIu64 " rows with their quotes as ordinary text, as they do not follow CSV rules (lines %s)",
                                        stats->quote_text_rows),
                           basename, stats->quote_text_rows, lines);
    }
  if (g_ascii_strcasecmp (stats->encoding, "UTF-8") != 0)
    wl_run_emit_message (run, WL_STAGE_LOAD, _("%s: read as %s (%d%% sure)"),
                         basename, stats->encoding, stats->encoding_confidence);
  if (stats->repaired_utf8 > 0)
    wl_run_emit_message (run, WL_STAGE_LOAD,
                         _("%s: replaced %" PRIu64 " invalid UTF-8 sequences with “\xef\xbf\xbd”"),
                         basename, stats->repaired_utf8);
}

/* Loads @path, its texts on disk when @texts_on_disk; in byte ranges, one
 * a process, when @in_ranges and the run has several (wl-run-shards.c). */
static WlDataset *
load (WlRun       *run,
      const char  *path,
      gboolean     texts_on_disk,
      gboolean     in_ranges,
      GError     **error)
{
  const WlConfig *config = wl_run_get_config (run);
  WlLoadOptions options;
  WlDataset *dataset = NULL;
  gboolean whole = TRUE;

  wl_load_options_init_from_config (&options, &config->data);
  options.texts_on_disk = texts_on_disk;
  if (in_ranges && !texts_on_disk && wl_dist_size () > 1 &&
      !(dataset = wl_run_load_shards (run, path, &options, &whole, error)) && !whole)
    return NULL;
  if (dataset == NULL)
    dataset = wl_dataset_load (path, &options, on_load_progress, run,
                               wl_run_get_cancellable (run), error);
  if (dataset != NULL)
    report_load (run, path, dataset);
  return dataset;
}

/* Maps a separate test file's labels onto the training labels; labels only
 * the test file has are appended to @label_names (they are always wrong). */
static GArray *
map_test_labels (const WlDataset *train,
                 const WlDataset *test,
                 GPtrArray       *label_names)
{
  GArray *truth = g_array_sized_new (FALSE, FALSE, sizeof (guint32), wl_dataset_get_n_rows (test));

  for (gsize i = 0; i < wl_dataset_get_n_rows (test); i++)
    {
      const char *name = g_ptr_array_index (test->label_names, wl_dataset_get_label (test, i));
      int id = wl_dataset_find_label (train, name);
      guint32 mapped;

      if (id < 0)
        {
          guint index;

          if (!g_ptr_array_find_with_equal_func (label_names, name, g_str_equal, &index))
            {
              index = label_names->len;
              g_ptr_array_add (label_names, g_strdup (name));
            }
          id = (int) index;
        }
      mapped = (guint32) id;
      g_array_append_val (truth, mapped);
    }
  return truth;
}

static void
report_unseen_labels (WlRun              *run,
                      const WlEvaluation *evaluation)
{
  g_autofree char *unseen = wl_evaluation_describe_unseen (evaluation);

  if (unseen != NULL)
    /* Translators: %s is a sentence such as "12 of 300 rows have labels the model never saw…" */
    wl_run_emit_message (run, WL_STAGE_EVALUATE, _("Test part: %s"), unseen);
}

static GPtrArray *
copy_label_names (const WlDataset *dataset)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < dataset->label_names->len; i++)
    g_ptr_array_add (names, g_strdup (g_ptr_array_index (dataset->label_names, i)));
  return names;
}

/* What is stored is what ran: "opencl" becomes the id of the device that
 * trains ("opencl:0:1"), and its name is kept beside it. */
static gboolean
resolve_device (WlConfig  *config,
                GError   **error)
{
  g_autoptr(WlDeviceInfo) device = NULL;

  if (!wl_setting_applies_to (wl_settings_find ("model", "device"), config->model.type))
    return TRUE;
  if ((device = wl_backend_find_device (config->model.device, error)) == NULL)
    return FALSE;
  g_free (config->model.device);
  config->model.device = g_strdup (device->id);
  g_free (config->model.device_name);
  config->model.device_name = g_strdup (device->name);
  return TRUE;
}

static void
part_clear (WlRunPart *part,
            WlModel *model)
{
  g_free (part->texts);
  g_free (part->labels);
  if (part->tokens != NULL)
    wl_token_lists_free (part->tokens, part->n);
  if (part->features != NULL)
    wl_model_features_free (model, part->features);
}

/* The rows @rows of @dataset and their labels; with @with_texts, their
 * texts too (the in-memory path; in windows they are read as needed). */
static void
gather (WlRunPart       *part,
        const WlDataset *dataset,
        const GArray    *rows,
        gboolean         with_texts)
{
  part->dataset = dataset;
  part->rows = (const guint32 *) (gpointer) rows->data;
  part->n = rows->len;
  part->labels = g_new (guint32, part->n + 1);
  for (gsize i = 0; i < part->n; i++)
    part->labels[i] = dataset->labels->len ? wl_dataset_get_label (dataset, part->rows[i]) : 0;
  if (!with_texts)
    return;
  part->texts = g_new (const char *, part->n + 1);
  wl_dataset_read_texts (dataset, part->rows, part->n, NULL, part->texts, NULL);
}

/* See WlRunSummary.parts_digest. */
static void
digest_parts (const WlRunPart *parts,
              guint       n_parts,
              char       *digest)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 bytes[32];
  gsize length = sizeof bytes;

  for (guint p = 0; p < n_parts; p++)
    {
      const WlRunPart *part = &parts[p];

      g_checksum_update (checksum, (const guchar *) &part->n, sizeof part->n);
      for (gsize i = 0; i < part->n; i++)
        {
          const char *label = part->dataset->labels->len > 0
            ? g_ptr_array_index (part->dataset->label_names, part->labels[i]) : "";

          g_checksum_update (checksum, (const guchar *) label, strlen (label) + 1);
          if (part->texts == NULL)
            continue;
          g_checksum_update (checksum, (const guchar *) &part->dataset->lines[part->rows[i]],
                             sizeof (guint64));
          g_checksum_update (checksum, (const guchar *) part->texts[i], strlen (part->texts[i]) + 1);
        }
    }
  g_checksum_get_digest (checksum, bytes, &length);
  for (guint i = 0; i < 8; i++)
    g_snprintf (digest + 2 * i, 3, "%02x", bytes[i]);
}

gboolean
wl_run_part_tokenize (WlRun                *run,
                      const WlPreprocessor *pp,
                      WlRunPart            *part,
                      GError              **error)
{
  part->tokens = g_new0 (WlTokenList, part->n + 1);
  if (!wl_preprocess_all (pp, part->texts, part->n,
                          wl_config_get_threads (wl_run_get_config (run)),
                          part->tokens, wl_run_get_cancellable (run), error))
    return FALSE;
  part->n_tokens = wl_run_count_tokens (part->tokens, part->n,
                                        wl_run_get_config (run)->model.max_length);
  return TRUE;
}

gboolean
wl_run_part_build (WlRun                *run,
                   const WlPreprocessor *pp,
                   WlModel              *model,
                   const WlRunPart      *part,
                   gsize                 window,
                   GError              **error)
{
  if (window > 0)
    return wl_run_build_in_windows (run, pp, model, part->dataset, part->rows, part->labels,
                                    part->n, window, error);
  return wl_model_build (model, part->tokens, part->labels, part->n,
                         wl_config_get_threads (wl_run_get_config (run)), error);
}

gboolean
wl_run_part_featurize (WlRun                *run,
                       const WlPreprocessor *pp,
                       const WlModel        *model,
                       WlRunPart            *part,
                       gsize                 window,
                       GError              **error)
{
  if (window > 0)
    {
      part->n_tokens = 0;
      part->features = wl_run_featurize_in_windows (run, pp, model, part->dataset, part->rows,
                                                    part->n, window, &part->n_tokens, error);
      return part->features != NULL;
    }
  if (part->tokens == NULL && !wl_run_part_tokenize (run, pp, part, error))
    return FALSE;
  part->features = wl_model_featurize (model, part->tokens, part->n,
                                       wl_config_get_threads (wl_run_get_config (run)));
  /* The tokens are not needed any more. */
  wl_token_lists_free (part->tokens, part->n);
  part->tokens = NULL;
  return TRUE;
}

gboolean
wl_run_pipeline (WlRun   *run,
                 GError **error)
{
  WlConfig *config = wl_run_get_config_mutable (run);
  WlRunSummary *summary = wl_run_get_summary_mutable (run);
  GCancellable *cancellable = wl_run_get_cancellable (run);
  guint n_threads = wl_config_get_threads (config);
  g_autoptr(WlDataset) dataset = NULL;
  g_autoptr(WlDataset) test_dataset = NULL;
  g_autoptr(WlSplit) split = NULL;
  g_autoptr(WlPreprocessor) pp = NULL;
  g_autoptr(GPtrArray) eval_labels = NULL;
  g_autoptr(GArray) test_truth = NULL;
  g_autoptr(GArray) test_rows = NULL;
  g_autoptr(WlModel) model = NULL;
  g_autoptr(WlEvaluation) evaluation = NULL;
  WlClassifier *classifier;
  WlRunPart parts[3] = { { 0 } };
  WlRunPart *train = &parts[0], *valid = &parts[1], *test = &parts[2];
  gboolean ok = FALSE;
  g_autoptr(GStringChunk) sample_chunk = NULL;
  g_autofree const char **sample = NULL;
  StageTimer timer;
  guint n_labels;
  GStatBuf st;
  gsize window;

  if (config->data.input == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("No input file given"));
      return FALSE;
    }
  if (!wl_config_validate (config, WL_SETTING_NAME_KEY, error) ||
      !wl_config_check_resolved (config, WL_SETTING_NAME_KEY, error))
    return FALSE;

  /* Load: a large file in windows keeps its texts on disk (an unreadable
   * file is reported by the load). */
  window = wl_run_window_rows (config, g_stat (config->data.input, &st) == 0 ? st.st_size : 0);
  timer = stage_begin (run, WL_STAGE_LOAD);
  if (!(dataset = load (run, config->data.input, window > 0, TRUE, error)))
    return FALSE;
  if (config->data.test_input != NULL &&
      !(test_dataset = load (run, config->data.test_input, window > 0, FALSE, error)))
    return FALSE;
  /* What is stored is what ran: the encoding read, not "auto". */
  g_free (config->data.encoding);
  config->data.encoding = g_strdup (dataset->stats.encoding);
  n_labels = wl_dataset_get_n_labels (dataset);
  if (n_labels < 2)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA,
                   _("%s: a classifier needs at least two labels, but the label column has %u; pick another label column"),
                   config->data.input, n_labels);
      return FALSE;
    }
  if (!wl_label_column_check (dataset, config->data.input, cancellable, error) ||
      !wl_run_set_labels (run, dataset, error))
    return FALSE;

  split = wl_run_split_dataset (dataset, &config->data);
  eval_labels = copy_label_names (dataset);
  if (test_dataset != NULL)
    {
      test_truth = map_test_labels (dataset, test_dataset, eval_labels);
      test_rows = g_array_sized_new (FALSE, FALSE, sizeof (guint32), test_truth->len);
      for (guint32 i = 0; i < test_truth->len; i++)
        g_array_append_val (test_rows, i);
    }
  else
    test_rows = g_array_ref (split->test);

  gather (train, dataset, split->train, window == 0);
  gather (valid, dataset, split->valid, window == 0);
  gather (test, test_dataset ? test_dataset : dataset, test_rows, window == 0);
  if (test_truth != NULL)
    memcpy (test->labels, test_truth->data, test->n * sizeof (guint32));
  summary->n_train = train->n;
  summary->n_valid = valid->n;
  summary->n_test = test->n;
  digest_parts (parts, test_truth != NULL ? 2 : 3, summary->parts_digest);
  stage_end (&timer);

  if (train->n == 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA, _("%s: no rows left to train on"), config->data.input);
      goto out;
    }

  /* Clean and tokenise */
  timer = stage_begin (run, WL_STAGE_CLEAN);
  sample_chunk = g_string_chunk_new (1u << 16);
  sample = g_new (const char *, MIN (train->n, RESOLVE_SAMPLE));
  if (!wl_dataset_read_texts (dataset, train->rows, MIN (train->n, RESOLVE_SAMPLE),
                              sample_chunk, sample, error))
    goto out;
  wl_model_resolve_text_config (config, sample, MIN (train->n, RESOLVE_SAMPLE));
  g_clear_pointer (&sample, g_free);
  g_clear_pointer (&sample_chunk, g_string_chunk_free);
  if (!resolve_device (config, error))
    goto out;
  if (!(pp = wl_preprocessor_new (&config->clean, &config->tokens, error)))
    goto out;
  /* In windows, each part is tokenised while it is featurized below. */
  for (guint i = 0; window == 0 && i < G_N_ELEMENTS (parts); i++)
    if (!wl_run_part_tokenize (run, pp, &parts[i], error))
      goto out;
  if (window == 0)
    summary->max_rows_tokenized = train->n + valid->n + test->n;
  stage_end (&timer);

  /* Featurise */
  timer = stage_begin (run, WL_STAGE_FEATURIZE);
  if (wl_run_get_resume_point (run) != NULL)
    /* Resuming: the checkpoint's features, built on the same split. */
    model = g_steal_pointer (&wl_run_get_resume_point (run)->model);
  else
    {
      model = wl_model_new (config, n_labels);
      if (!wl_run_part_build (run, pp, model, train, window, error))
        goto out;
    }
  /* Building settles what depends on the data (epochs, hash buckets): the
   * run's config says what really runs. */
  wl_run_set_config (run, wl_config_copy (model->config));
  config = wl_run_get_config_mutable (run);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !wl_run_part_featurize (run, pp, model, &parts[i], window, error))
        goto out;
    }
  summary->n_tokens = train->n_tokens;
  stage_end (&timer);

  /* Train */
  timer = stage_begin (run, WL_STAGE_TRAIN);
  {
    WlTrainPart train_part = { train->features, train->labels, train->n, train->n_tokens };
    WlTrainPart valid_part = { valid->features, valid->labels, valid->n, valid->n_tokens };

    if (!wl_trainer_fit (run, model, &train_part, &valid_part, error) ||
        !wl_run_refit (run, pp, &model, train, valid, test, window, error))
      goto out;
    wl_run_final_model (run, model);
  }
  stage_end (&timer);

  /* Evaluate the test part with the best weights */
  timer = stage_begin (run, WL_STAGE_EVALUATE);
  /* In a distributed run, rank 0 evaluates (the ranks' weights are the same). */
  if (test->n > 0 && wl_dist_rank () == 0)
    {
      g_autofree float *probs = g_try_new (float, test->n * n_labels);

      if (probs == NULL)
        {
          g_set_error (error, WL_ERROR, WL_ERROR_FAILED, _("Not enough memory to score the test part"));
          goto out;
        }
      if (!wl_model_predict_all (model, test->features, test->n, n_threads, probs, cancellable, error))
        goto out;
      evaluation = wl_evaluation_new (eval_labels, n_labels, probs, test->labels,
                                      (const guint32 *) (gpointer) test_rows->data, test->n);
      report_unseen_labels (run, evaluation);
    }
  stage_end (&timer);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      wl_model_features_free (model, parts[i].features);
      parts[i].features = NULL;
    }
  classifier = wl_classifier_new (g_steal_pointer (&model), copy_label_names (dataset), error);
  if (classifier == NULL)
    goto out;
  wl_run_set_data (run, g_steal_pointer (&dataset), g_steal_pointer (&test_dataset),
                   g_steal_pointer (&test_rows));
  wl_run_set_result (run, classifier, g_steal_pointer (&evaluation));
  ok = TRUE;

out:
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    part_clear (&parts[i], model);
  return ok;
}
