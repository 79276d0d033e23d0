/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-advise.c: the candidates, the preprocessing measured at each thread
 * count, the projection of the whole run and the pick (see wl-advise.h).
 *
 * The projection of one candidate, for n rows split into train, valid and
 * test parts, E epochs at most and patience p:
 *   load        measured once (the file is read whole)
 *   preprocess  n × (clean + tokenise per text at its threads, + featurize)
 *               + n_train × building the model per example
 *   train       the startup (device, kernels, first steps) + epochs × the
 *               steps an epoch of n_train takes in its batches × a step's time
 *               (the burst's time per example × the examples its steps held
 *               on average; without batches, n_train × the time per example)
 *   evaluate    (epochs × n_valid + n_test) × scoring time per example
 *   refit       with model.refit (wl-run-refit.c): the training and
 *               validation rows preprocessed and built again, the test
 *               rows featurized again, and the best epoch count (epochs − p
 *               when it stopped early; at least 4) trained on n_train + n_valid
 * where epochs is what early stopping is expected to leave: with a
 * validation part and p > 0, the epochs after which it stopped training
 * on four fifths of the sample with the rest validated (measured first,
 * on the CPU with all its threads, in a share of the budget, and again
 * for each larger batch size, which takes more epochs), times
 * √(rows it trained on / n_train) (a larger part stops in fewer epochs:
 * between the same epochs and the same examples seen), or when it did
 * not stop in that time, min (E, ⌈E/2⌉ + p); between min (E, p + 1) (the
 * soonest it can stop) and E.  Without, E.  The range also moves the step
 * time by one standard error each way. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "compute/wl-backend.h"
#include "io/wl-dataset.h"
#include "io/wl-split.h"
#include "models/wl-neural.h"
#include "text/wl-preprocess.h"
#include "text/wl-preprocess-timing.h"
#include "train/wl-advise-private.h"
#include "train/wl-trainer.h"
#include "wl-error.h"
#include "wl-settings.h"

#define SAMPLE_ROWS   2000   /* training rows the measurements run on */
#define PREPROCESS_SHARE 0.15   /* of the budget, at most, for preprocessing */
#define EPOCHS_SHARE     0.15   /* of the rest, for early stopping's epochs */
/* The batch sizes measured besides the config's, as its multiples. */
static const guint batch_factors[] = { 2, 4 };

static void
candidate_free (WlAdviseCandidate *c)
{
  g_free (c->device);
  g_free (c->device_name);
  g_free (c->driver);
  g_free (c->failure);
  g_free (c);
}

void
wl_advice_free (WlAdvice *advice)
{
  if (advice == NULL)
    return;
  g_ptr_array_unref (advice->candidates);
  g_array_unref (advice->preprocess_threads);
  g_array_unref (advice->preprocess_seconds);
  g_free (advice->summary);
  g_free (advice);
}

const WlAdviseCandidate *
wl_advice_get_pick (const WlAdvice *advice)
{
  g_return_val_if_fail (advice != NULL, NULL);
  return g_ptr_array_index (advice->candidates, advice->pick);
}

char *
wl_advise_model_shape (const WlConfig *config,
                       guint           n_labels)
{
  const WlModelConfig *m = &config->model;

  return g_strdup_printf ("%s labels=%u dim=%u hidden=%u layers=%u bidirectional=%d "
                          "filters=%u widths=%s max_length=%u batch=%u ngrams=%u buckets=%u "
                          "optimizer=%s",
                          wl_model_type_to_string (m->type), n_labels, m->dim, m->hidden,
                          m->layers, m->bidirectional ? 1 : 0, m->filters,
                          m->filter_widths ? m->filter_widths : "-", m->max_length,
                          m->batch_size, m->word_ngrams, m->buckets,
                          wl_optimizer_kind_to_string (m->optimizer));
}

void
wl_advise_apply (const WlAdviseCandidate *candidate,
                 WlConfig                *config)
{
  g_return_if_fail (candidate != NULL && config != NULL);

  config->threads = candidate->threads;
  if (config->model.type >= WL_MODEL_MLP)
    {
      g_free (config->model.device);
      config->model.device = g_strdup (candidate->device);
      config->model.precision = candidate->precision;
      /* The model's default batch size stays the default. */
      if (candidate->batch_size > 0 && candidate->batch_size != config->model.batch_size)
        {
          g_autoptr(WlConfig) resolved = wl_config_copy (config);

          wl_model_resolve_config (resolved);
          if (candidate->batch_size != resolved->model.batch_size)
            config->model.batch_size = candidate->batch_size;
        }
    }
}

gboolean
wl_advise_check_budget (double       budget,
                        const char  *name,
                        GError     **error)
{
  if (isfinite (budget) && budget >= WL_ADVISE_MIN_BUDGET && budget <= WL_ADVISE_MAX_BUDGET)
    return TRUE;
  g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
               _("“%s” must be from %g to %g seconds, not %g"), name, WL_ADVISE_MIN_BUDGET,
               WL_ADVISE_MAX_BUDGET, budget);
  return FALSE;
}

static WlAdviseCandidate *
candidate_new (const WlDeviceInfo *device,
               guint               threads,
               WlPrecision         precision,
               guint               batch_size)
{
  WlAdviseCandidate *c = g_new0 (WlAdviseCandidate, 1);

  c->device = g_strdup (device->id);
  c->device_name = device->kind == WL_DEVICE_CPU && g_str_equal (device->id, "cpu")
                   ? g_strdup (_("CPU")) : g_strdup (device->name);
  c->driver = g_strdup (device->version);
  c->threads = threads;
  c->precision = precision;
  c->batch_size = batch_size;
  c->gpu = device->kind == WL_DEVICE_GPU || device->kind == WL_DEVICE_ACCELERATOR;
  return c;
}

/* Every candidate at the config's batch size: the CPU at each thread
 * count; for the neural models, every other device with all the cores for
 * the host's share, in each precision it runs natively (emulated ones are
 * never candidates). */
static GPtrArray *
list_candidates (const WlConfig *config,
                 const GArray   *threads)
{
  GPtrArray *candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  g_autoptr(GPtrArray) devices = wl_backend_list_training_devices (NULL);
  guint n_cores = g_array_index (threads, guint, threads->len - 1);
  guint batch = config->model.batch_size;

  for (guint i = 0; i < devices->len; i++)
    {
      const WlDeviceInfo *device = g_ptr_array_index (devices, i);

      if (g_str_equal (device->id, "cpu"))
        {
          for (guint t = 0; t < threads->len; t++)
            g_ptr_array_add (candidates,
                             candidate_new (device, g_array_index (threads, guint, t),
                                            WL_PRECISION_FP32, batch));
          continue;
        }
      if (config->model.type < WL_MODEL_MLP)
        continue;
      g_ptr_array_add (candidates, candidate_new (device, n_cores, WL_PRECISION_FP32, batch));
      if (device->fp16 && !device->half_emulated)
        g_ptr_array_add (candidates, candidate_new (device, n_cores, WL_PRECISION_FP16, batch));
      if (device->bf16 && !device->half_emulated)
        g_ptr_array_add (candidates, candidate_new (device, n_cores, WL_PRECISION_BF16, batch));
    }
  return candidates;
}

/* @best at the larger batch sizes (those of at most the sample's rows, and
 * within the setting's range): a larger batch takes fewer, larger steps. */
static void
add_batch_sizes (WlAdvice                *a,
                 const WlAdviseCandidate *best)
{
  const WlSetting *setting = wl_settings_find ("model", "batch_size");

  for (guint i = 0; i < G_N_ELEMENTS (batch_factors); i++)
    {
      guint batch = a->batch_size * batch_factors[i];
      WlAdviseCandidate *c;

      if (batch > a->n_sample || batch > setting->max)
        break;
      c = g_new0 (WlAdviseCandidate, 1);
      c->device = g_strdup (best->device);
      c->device_name = g_strdup (best->device_name);
      c->driver = g_strdup (best->driver);
      c->threads = best->threads;
      c->precision = best->precision;
      c->batch_size = batch;
      c->gpu = best->gpu;
      g_ptr_array_add (a->candidates, c);
    }
}

/* "labels=2 tokens/text=19": the data statistics the cost of a step
 * follows, the mean rounded to a quarter of a power of two. */
static char *
describe_data (const WlAdviseSample *sample)
{
  guint64 tokens = 0;
  double mean;

  for (gsize i = 0; i < sample->n; i++)
    tokens += sample->tokens[i].n_tokens;
  mean = MAX ((double) tokens / MAX (sample->n, 1), 1.0);
  return g_strdup_printf ("labels=%u tokens/text=%.3g", sample->n_labels,
                          exp2 (round (log2 (mean) * 4.0) / 4.0));
}

/* Seconds of training steps an epoch of @n examples takes on @c: its
 * steps, each as long as the burst's were (whose steps held n_sample /
 * their number examples on average). */
static double
epoch_seconds (const WlAdviseCandidate *c,
               const WlAdvice          *a,
               gsize                    n)
{
  double per_step;

  if (c->batch_size == 0)
    return (double) n * c->measure.train_seconds;
  per_step = c->measure.train_seconds * (double) a->n_sample /
             (double) wl_neural_count_batches (a->n_sample, c->batch_size);
  return (double) wl_neural_count_batches (n, c->batch_size) * per_step;
}

static void
project (WlAdviseCandidate *c,
         const WlAdvice    *a,
         const WlConfig    *config,
         double             preprocess_per_text,
         guint              low_epochs)
{
  const WlAdviseMeasure *m = &c->measure;
  double scoring = ((double) c->epochs * a->n_valid + a->n_test) * m->predict_seconds;
  double step = epoch_seconds (c, a, a->n_train);

  c->load = a->load_seconds;
  c->preprocess = (double) a->n_rows * (preprocess_per_text + m->featurize_seconds) +
                  (double) a->n_train * m->build_seconds;
  c->train = m->startup_seconds + c->epochs * step;
  c->evaluate = scoring;
  c->total = c->load + c->preprocess + c->train + c->evaluate;
  c->total_low = c->load + c->preprocess + m->startup_seconds +
                 low_epochs * step * MAX (1.0 - m->train_rel_error, 0.0) +
                 ((double) low_epochs * a->n_valid + a->n_test) * m->predict_seconds;
  c->total_high = c->load + c->preprocess + m->startup_seconds +
                 a->max_epochs * step * (1.0 + m->train_rel_error) +
                  ((double) a->max_epochs * a->n_valid + a->n_test) * m->predict_seconds;
  if (a->refit)
    {
      gsize n_all = a->n_train + a->n_valid;
      double again = (double) (n_all + a->n_test) * (preprocess_per_text + m->featurize_seconds) +
                     (double) n_all * m->build_seconds;
      double all_step = epoch_seconds (c, a, n_all);
      guint best = wl_trainer_refit_epochs (config, a->n_valid,
                                            c->epochs > a->patience && c->epochs < a->max_epochs
                                            ? c->epochs - a->patience : c->epochs);

      c->preprocess += again;
      c->train += best * all_step;
      c->total += again + best * all_step;
      c->total_low += again + wl_trainer_refit_epochs (config, a->n_valid, 1) * all_step *
                      MAX (1.0 - m->train_rel_error, 0.0);
      c->total_high += again + a->max_epochs * all_step * (1.0 + m->train_rel_error);
    }
}

/* Clean and tokenise @texts at each thread count (one pass each, the
 * measurement the Clean page also uses), keeping the tokens; the advice
 * gets the time per text at each. */
static WlTokenList *
time_preprocessing (WlAdvice             *a,
                    const WlPreprocessor *pp,
                    const char * const   *texts,
                    gsize                 n,
                    GCancellable         *cancellable,
                    GError              **error)
{
  WlTokenList *tokens = g_new0 (WlTokenList, n + 1);
  g_autoptr(WlPreprocessTiming) timing = wl_preprocess_timing_measure (pp, texts, n, 1, 0, tokens,
                                                                       cancellable, error);

  if (timing == NULL)
    {
      wl_token_lists_free (tokens, n);
      return NULL;
    }
  for (guint i = 0; i < timing->rates->len; i++)
    g_array_append_val (a->preprocess_seconds,
                        g_array_index (timing->rates, WlPreprocessRate, i).seconds);
  return tokens;
}

static double
preprocess_at (const WlAdvice *a,
               guint           threads)
{
  for (guint i = 0; i < a->preprocess_threads->len; i++)
    if (g_array_index (a->preprocess_threads, guint, i) == threads)
      return g_array_index (a->preprocess_seconds, double, i);
  g_return_val_if_reached (0.0);
}

/* The epochs a run of @config goes to at most (embedding-bag sizes them
 * from the data when building). */
static gboolean
resolve_epochs (WlConfig             *config,
                const WlAdviseSample *sample,
                GError              **error)
{
  g_autoptr(WlModel) model = NULL;
  g_autoptr(WlConfig) cpu = NULL;

  if (config->model.epochs > 0)
    return TRUE;
  cpu = wl_config_copy (config);
  g_free (cpu->model.device);
  cpu->model.device = g_strdup ("cpu");
  model = wl_model_new (cpu, sample->n_labels);
  if (!wl_model_build (model, sample->tokens, sample->labels, sample->n,
                       wl_config_get_threads (cpu), error))
    return FALSE;
  config->model.epochs = model->config->model.epochs;
  return TRUE;
}

/* Measures candidates @first … the last, sharing the time to @deadline;
 * the model's shape the wisdom keys is each one's (its batch size). */
static gboolean
measure_candidates (WlAdvice              *a,
                    guint                  first,
                    const WlConfig        *config,
                    const WlAdviseSample  *sample,
                    const WlAdviseOptions *options,
                    gint64                 deadline,
                    GCancellable          *cancellable,
                    GError               **error)
{
  g_autofree char *data = describe_data (sample);
  guint to_measure = a->candidates->len - first;

  for (guint i = first; i < a->candidates->len; i++)
    {
      WlAdviseCandidate *c = g_ptr_array_index (a->candidates, i);
      g_autoptr(WlConfig) trial = wl_config_copy (config);
      g_autofree char *shape = NULL;
      WlAdviseKey key;
      g_autoptr(GError) local_error = NULL;
      double left;

      wl_advise_apply (c, trial);
      shape = wl_advise_model_shape (trial, sample->n_labels);
      key = (WlAdviseKey) { c->device, c->driver, shape, data, c->threads,
                            wl_precision_to_string (c->precision) };
      if (!options->remeasure && options->wisdom != NULL &&
          options->wisdom->lookup (options->wisdom_data, &key, &c->measure))
        {
          c->reused = TRUE;
          to_measure--;
          continue;
        }
      left = MAX ((deadline - g_get_monotonic_time ()) / (double) G_USEC_PER_SEC, 0.0);
      if (wl_advise_measure (trial, sample, left / to_measure, cancellable, &c->measure,
                             &local_error))
        {
          if (options->wisdom != NULL)
            options->wisdom->save (options->wisdom_data, &key, &c->measure);
        }
      else if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      else
        c->failure = g_strdup (local_error->message);
      to_measure--;
    }
  return TRUE;
}

/* The epochs early stopping is expected to leave a run of @config in
 * batches of @batch_size (0: the config's), measured in about @seconds;
 * *@measured is where it stopped on the sample, 0 when it did not. */
static gboolean
expect_epochs (const WlAdvice        *a,
               const WlConfig        *config,
               const WlAdviseSample  *sample,
               guint                  batch_size,
               double                 seconds,
               GCancellable          *cancellable,
               guint                 *expected,
               guint                 *measured,
               GError               **error)
{
  g_autoptr(WlConfig) probe = wl_config_copy (config);
  guint low = MIN (a->max_epochs, config->model.patience + 1);

  probe->threads = g_array_index (a->preprocess_threads, guint, a->preprocess_threads->len - 1);
  if (batch_size > 0)
    probe->model.batch_size = batch_size;
  if (!wl_advise_measure_epochs (probe, sample, seconds, cancellable, measured, error))
    return FALSE;
  if (*measured == 0)
    *expected = MIN (a->max_epochs, (a->max_epochs + 1) / 2 + config->model.patience);
  else
    {
      /* More rows an epoch stop sooner: between the same epochs and the
       * same examples seen, the geometric mean of the two. */
      double scaled = *measured * sqrt ((double) (sample->n * 4 / 5) / MAX (a->n_train, 1));

      *expected = CLAMP ((guint) lround (scaled), low, a->max_epochs);
    }
  return TRUE;
}

/* Projects every measured candidate and picks the fastest (G_MAXUINT when
 * none was measured). */
static void
pick_fastest (WlAdvice       *a,
              const WlConfig *config,
              guint           low_epochs)
{
  a->pick = G_MAXUINT;
  for (guint i = 0; i < a->candidates->len; i++)
    {
      WlAdviseCandidate *c = g_ptr_array_index (a->candidates, i);

      if (c->failure != NULL)
        continue;
      project (c, a, config, preprocess_at (a, c->threads), low_epochs);
      if (a->pick == G_MAXUINT ||
          c->total < ((WlAdviseCandidate *) g_ptr_array_index (a->candidates, a->pick))->total)
        a->pick = i;
    }
}

/* The measured candidate whose training and scoring project fastest: what
 * a batch size changes, from the measures alone (so the same wisdom
 * gives the same one, whatever preprocessing measured this time). */
static const WlAdviseCandidate *
fastest_training (const WlAdvice *a)
{
  const WlAdviseCandidate *best = NULL;

  for (guint i = 0; i < a->candidates->len; i++)
    {
      const WlAdviseCandidate *c = g_ptr_array_index (a->candidates, i);

      if (c->failure == NULL &&
          (best == NULL || c->train + c->evaluate < best->train + best->evaluate))
        best = c;
    }
  return best;
}

/* The sample: up to SAMPLE_ROWS training rows, spread over the part. */
static void
take_sample (const WlDataset  *dataset,
             const GArray     *train,
             const char     ***texts,
             guint32         **labels,
             gsize            *n)
{
  *n = MIN (train->len, SAMPLE_ROWS);
  *texts = g_new (const char *, *n + 1);
  *labels = g_new (guint32, *n + 1);
  for (gsize i = 0; i < *n; i++)
    {
      guint32 row = g_array_index (train, guint32, (gsize) ((double) i * train->len / *n));

      (*texts)[i] = wl_dataset_get_text (dataset, row);
      (*labels)[i] = wl_dataset_get_label (dataset, row);
    }
}

WlAdvice *
wl_advise_run (const WlConfig        *config_in,
               const WlAdviseOptions *options,
               GCancellable          *cancellable,
               GError               **error)
{
  g_autoptr(WlConfig) config = wl_config_copy (config_in);
  g_autoptr(WlAdvice) a = g_new0 (WlAdvice, 1);
  g_autoptr(WlDataset) dataset = NULL;
  g_autoptr(WlSplit) split = NULL;
  g_autoptr(WlPreprocessor) pp = NULL;
  g_autofree const char **texts = NULL;
  g_autofree guint32 *labels = NULL;
  WlAdviseSample sample = { 0 };
  WlLoadOptions load_options;
  gint64 start, deadline;
  guint low_epochs;
  gboolean ok = FALSE;

  g_return_val_if_fail (config_in != NULL && options != NULL, NULL);

  a->budget = options->budget > 0 ? options->budget : WL_ADVISE_DEFAULT_BUDGET;
  a->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  a->preprocess_threads = wl_preprocess_thread_counts ();
  a->preprocess_seconds = g_array_new (FALSE, FALSE, sizeof (double));
  if (!wl_advise_check_budget (a->budget, "budget", error))
    return NULL;
  if (config->data.input == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID, _("No input file given"));
      return NULL;
    }
  /* What is measured is each candidate's device, threads and precision. */
  g_free (config->model.device);
  config->model.device = g_strdup ("cpu");
  config->threads = 0;
  config->model.precision = WL_PRECISION_FP32;
  if (!wl_config_validate (config, WL_SETTING_NAME_KEY, error))
    return NULL;

  start = g_get_monotonic_time ();
  wl_load_options_init_from_config (&load_options, &config->data);
  if (!(dataset = wl_dataset_load (config->data.input, &load_options, NULL, NULL, cancellable, error)))
    return NULL;
  if (wl_dataset_get_n_labels (dataset) < 2)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA,
                   _("%s: a classifier needs at least two labels; pick another label column"),
                   config->data.input);
      return NULL;
    }
  split = wl_split_stratified ((const guint32 *) (gpointer) dataset->labels->data,
                               wl_dataset_get_n_rows (dataset), wl_dataset_get_n_labels (dataset),
                               config->data.test_input ? 0.0 : config->data.test_fraction,
                               config->data.valid_fraction, config->data.seed);
  a->n_train = split->train->len;
  a->n_valid = split->valid->len;
  a->n_test = split->test->len;
  a->n_rows = a->n_train + a->n_valid + a->n_test;
  if (a->n_train == 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA, _("%s: no rows left to train on"),
                   config->data.input);
      return NULL;
    }
  a->load_seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  /* From here on, the budget. */
  start = g_get_monotonic_time ();
  deadline = start + (gint64) (a->budget * G_USEC_PER_SEC);
  take_sample (dataset, split->train, &texts, &labels, &sample.n);
  sample.labels = labels;
  sample.n_labels = wl_dataset_get_n_labels (dataset);
  wl_model_resolve_config (config);
  wl_preprocess_resolve_config (&config->clean, &config->tokens, texts, sample.n);
  if (!(pp = wl_preprocessor_new (&config->clean, &config->tokens, error)))
    return NULL;
  /* Fewer texts when the budget is small: a first timing on a tenth. */
  {
    gint64 t = g_get_monotonic_time ();
    WlTokenList *probe = g_new0 (WlTokenList, sample.n / 10 + 2);
    gsize n_probe = MAX (sample.n / 10, 1);
    double per_text, fits;

    if (!wl_preprocess_all (pp, texts, n_probe, 1, probe, cancellable, error))
      {
        wl_token_lists_free (probe, n_probe);
        return NULL;
      }
    wl_token_lists_free (probe, n_probe);
    per_text = (g_get_monotonic_time () - t) / (double) G_USEC_PER_SEC / n_probe;
    /* the thread counts together cost at most twice the one-thread time */
    fits = a->budget * PREPROCESS_SHARE / 2.0 / MAX (per_text, 1e-9);
    sample.n = (gsize) CLAMP (fits, MIN (sample.n, 100), sample.n);
  }
  if (!(sample.tokens = time_preprocessing (a, pp, texts, sample.n, cancellable, error)))
    return NULL;
  if (!resolve_epochs (config, &sample, error))
    goto out;

  a->max_epochs = config->model.epochs;
  a->patience = config->model.patience;
  a->refit = wl_trainer_refit_epochs (config, a->n_valid, 1) > 0;
  low_epochs = a->max_epochs;
  a->expected_epochs = a->max_epochs;
  if (a->n_valid > 0 && config->model.patience > 0)
    {
      low_epochs = MIN (a->max_epochs, config->model.patience + 1);
      if (!expect_epochs (a, config, &sample, 0,
                          (deadline - g_get_monotonic_time ()) * EPOCHS_SHARE / G_USEC_PER_SEC,
                          cancellable, &a->expected_epochs, &a->measured_epochs, error))
        goto out;
    }

  a->n_sample = sample.n;
  a->batch_size = config->model.batch_size;
  g_ptr_array_extend_and_steal (a->candidates, list_candidates (config, a->preprocess_threads));
  for (guint i = 0; i < a->candidates->len; i++)
    ((WlAdviseCandidate *) g_ptr_array_index (a->candidates, i))->epochs = a->expected_epochs;
  /* The larger batch sizes on the fastest of those, afterwards: their
   * share of the time is kept for them. */
  {
    guint n_first = a->candidates->len;
    guint n_more = a->batch_size > 0 ? G_N_ELEMENTS (batch_factors) : 0;
    gint64 now = g_get_monotonic_time ();

    if (!measure_candidates (a, 0, config, &sample, options,
                             now + (deadline - now) * n_first / (n_first + n_more),
                             cancellable, error))
      goto out;
    pick_fastest (a, config, low_epochs);
    if (n_more > 0 && a->pick != G_MAXUINT)
      {
        add_batch_sizes (a, fastest_training (a));
        for (guint i = n_first; i < a->candidates->len; i++)
          {
            WlAdviseCandidate *c = g_ptr_array_index (a->candidates, i);
            guint measured = 0;

            c->epochs = a->expected_epochs;
            if (a->measured_epochs > 0 &&
                !expect_epochs (a, config, &sample, c->batch_size,
                                (deadline - g_get_monotonic_time ()) * EPOCHS_SHARE /
                                G_USEC_PER_SEC, cancellable, &c->epochs, &measured, error))
              goto out;
            if (measured == 0)   /* did not stop in its time: as the batch size set */
              c->epochs = a->expected_epochs;
          }
        if (!measure_candidates (a, n_first, config, &sample, options, deadline, cancellable,
                                 error))
          goto out;
        pick_fastest (a, config, low_epochs);
      }
  }
  a->measured_seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  if (a->pick == G_MAXUINT)
    {
      const WlAdviseCandidate *first = g_ptr_array_index (a->candidates, 0);

      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("No device could train this model: %s"), first->failure);
      goto out;
    }
  a->summary = wl_advise_summarize (a);
  ok = TRUE;

out:
  wl_token_lists_free (sample.tokens, sample.n);
  return ok ? g_steal_pointer (&a) : NULL;
}

/* Async */

typedef struct
{
  WlConfig        *config;
  WlAdviseOptions  options;
} AsyncData;

static void
async_data_free (AsyncData *data)
{
  wl_config_free (data->config);
  g_free (data);
}

static void
advise_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncData *data = task_data;
  GError *error = NULL;
  WlAdvice *advice = wl_advise_run (data->config, &data->options, cancellable, &error);

  if (advice == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, advice, (GDestroyNotify) wl_advice_free);
}

void
wl_advise_async (const WlConfig        *config,
                 const WlAdviseOptions *options,
                 GCancellable          *cancellable,
                 GAsyncReadyCallback    callback,
                 gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  AsyncData *data = g_new0 (AsyncData, 1);

  data->config = wl_config_copy (config);
  data->options = *options;
  g_task_set_source_tag (task, wl_advise_async);
  g_task_set_task_data (task, data, (GDestroyNotify) async_data_free);
  g_task_run_in_thread (task, advise_thread);
}

WlAdvice *
wl_advise_finish (GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
