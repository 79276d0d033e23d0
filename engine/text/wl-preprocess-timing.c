/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-preprocess-timing.c: preprocessing timed at each thread count, and
 * the projection for a file (see the header). */
#include "config.h"

#include <stdlib.h>

#include "exec/wl-parallel.h"
#include "text/wl-preprocess-timing.h"
#include "wl-error.h"

#define ASYNC_ROUNDS         5
#define ASYNC_ROUND_SECONDS  0.02
/* A round repeats the sample at most this many times. */
#define MAX_REPEAT           64

GArray *
wl_preprocess_thread_counts (void)
{
  GArray *counts = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n = MAX (1, g_get_num_processors ());

  for (guint t = 1; t < n; t *= 2)
    g_array_append_val (counts, t);
  g_array_append_val (counts, n);
  return counts;
}

void
wl_preprocess_timing_free (WlPreprocessTiming *timing)
{
  if (timing == NULL)
    return;
  g_array_unref (timing->rates);
  g_free (timing);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* One pass over @texts at @threads (each of @tokens is cleared first);
 * its seconds, or < 0 when cancelled. */
static double
time_pass (const WlPreprocessor *pp,
           const char * const   *texts,
           gsize                 n,
           guint                 threads,
           WlTokenList          *tokens,
           GCancellable         *cancellable,
           GError              **error)
{
  gint64 start = g_get_monotonic_time ();

  if (!wl_preprocess_all (pp, texts, n, threads, tokens, cancellable, error))
    return -1;
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

WlPreprocessTiming *
wl_preprocess_timing_measure (const WlPreprocessor *pp,
                              const char * const   *texts,
                              gsize                 n_texts,
                              guint                 rounds,
                              double                round_seconds,
                              WlTokenList          *tokens,
                              GCancellable         *cancellable,
                              GError              **error)
{
  g_autoptr(WlPreprocessTiming) timing = g_new0 (WlPreprocessTiming, 1);
  g_autoptr(GArray) counts = wl_preprocess_thread_counts ();
  g_autoptr(GPtrArray) repeated = g_ptr_array_new ();
  g_autofree double *seconds = NULL;
  WlTokenList *scratch;
  guint repeat = 1;
  gsize n;

  g_return_val_if_fail (pp != NULL && texts != NULL && n_texts > 0, NULL);
  g_return_val_if_fail (rounds > 0, NULL);

  timing->rates = g_array_new (FALSE, TRUE, sizeof (WlPreprocessRate));
  timing->n_texts = n_texts;

  /* A round lasts about @round_seconds on one thread: the sample, repeated. */
  if (round_seconds > 0)
    {
      WlTokenList *probe = g_new0 (WlTokenList, n_texts);
      double once = time_pass (pp, texts, n_texts, 1, probe, cancellable, error);

      wl_token_lists_free (probe, n_texts);
      if (once < 0)
        return NULL;
      repeat = (guint) CLAMP (round_seconds / MAX (once, 1e-6) + 0.999, 1, MAX_REPEAT);
    }
  for (guint r = 0; r < repeat; r++)
    for (gsize i = 0; i < n_texts; i++)
      g_ptr_array_add (repeated, (gpointer) texts[i]);
  n = repeated->len;
  scratch = g_new0 (WlTokenList, n);
  seconds = g_new (double, (gsize) counts->len * rounds);

  /* Rounds take turns over the counts, so that each sees the same load. */
  for (guint r = 0; r < rounds; r++)
    for (guint c = 0; c < counts->len; c++)
      {
        double s = time_pass (pp, (const char * const *) repeated->pdata, n,
                              g_array_index (counts, guint, c), scratch, cancellable, error);

        if (s < 0)
          {
            wl_token_lists_free (scratch, n);
            return NULL;
          }
        seconds[c * rounds + r] = s / n;
      }
  wl_token_lists_free (scratch, n);
  for (guint c = 0; c < counts->len; c++)
    {
      double *round = seconds + c * rounds;
      WlPreprocessRate rate = { .threads = g_array_index (counts, guint, c) };

      qsort (round, rounds, sizeof (double), compare_doubles);
      rate.seconds = rounds % 2 ? round[rounds / 2] : (round[rounds / 2 - 1] + round[rounds / 2]) / 2;
      rate.seconds_low = round[0];
      rate.seconds_high = round[rounds - 1];
      g_array_append_val (timing->rates, rate);
    }
  /* The tokens, once more at the most threads, for the caller. */
  if (tokens != NULL &&
      !wl_preprocess_all (pp, texts, n_texts, g_array_index (counts, guint, counts->len - 1),
                          tokens, cancellable, error))
    return NULL;
  return g_steal_pointer (&timing);
}

WlPreprocessRate
wl_preprocess_timing_rate (const WlPreprocessTiming *timing,
                           guint                     threads)
{
  const WlPreprocessRate *rates;
  guint n;

  g_return_val_if_fail (timing != NULL && timing->rates->len > 0, (WlPreprocessRate) { 0 });

  rates = (const WlPreprocessRate *) (gpointer) timing->rates->data;
  n = timing->rates->len;
  threads = wl_parallel_resolve_threads (threads);
  if (threads >= rates[n - 1].threads)
    return rates[n - 1];
  for (guint i = 1; i < n; i++)
    if (threads <= rates[i].threads)
      {
        const WlPreprocessRate *a = &rates[i - 1], *b = &rates[i];
        double f = (double) (threads - a->threads) / (b->threads - a->threads);

        return (WlPreprocessRate) {
          .threads = threads,
          .seconds = a->seconds + f * (b->seconds - a->seconds),
          .seconds_low = a->seconds_low + f * (b->seconds_low - a->seconds_low),
          .seconds_high = a->seconds_high + f * (b->seconds_high - a->seconds_high),
        };
      }
  return rates[0];
}

double
wl_preprocess_timing_project (const WlPreprocessTiming *timing,
                              guint64                   n_rows,
                              guint                     threads,
                              double                   *low,
                              double                   *high)
{
  WlPreprocessRate rate = wl_preprocess_timing_rate (timing, threads);

  if (low != NULL)
    *low = rate.seconds_low * (double) n_rows;
  if (high != NULL)
    *high = rate.seconds_high * (double) n_rows;
  return rate.seconds * (double) n_rows;
}

/* Async */

typedef struct
{
  WlConfig *config;
  GStrv     texts;
} AsyncData;

static void
async_data_free (gpointer data)
{
  AsyncData *d = data;

  wl_config_free (d->config);
  g_strfreev (d->texts);
  g_free (d);
}

static void
measure_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  AsyncData *d = task_data;
  GError *error = NULL;
  g_autoptr(WlPreprocessor) pp = wl_preprocessor_new (&d->config->clean, &d->config->tokens, &error);
  WlPreprocessTiming *timing = NULL;

  if (pp != NULL)
    timing = wl_preprocess_timing_measure (pp, (const char * const *) d->texts,
                                           g_strv_length (d->texts), ASYNC_ROUNDS,
                                           ASYNC_ROUND_SECONDS, NULL, cancellable, &error);
  if (timing == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, timing, (GDestroyNotify) wl_preprocess_timing_free);
}

void
wl_preprocess_timing_measure_async (const WlConfig      *config,
                                    const char * const  *texts,
                                    gsize                n_texts,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  AsyncData *d = g_new0 (AsyncData, 1);

  g_return_if_fail (config != NULL && texts != NULL && n_texts > 0);

  d->config = wl_config_copy (config);
  d->texts = g_new0 (char *, n_texts + 1);
  for (gsize i = 0; i < n_texts; i++)
    d->texts[i] = g_strdup (texts[i] != NULL ? texts[i] : "");
  g_task_set_source_tag (task, wl_preprocess_timing_measure_async);
  g_task_set_task_data (task, d, async_data_free);
  g_task_run_in_thread (task, measure_thread);
}

WlPreprocessTiming *
wl_preprocess_timing_measure_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
