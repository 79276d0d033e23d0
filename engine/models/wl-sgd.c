/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-sgd.c: one epoch of lock-free (Hogwild) SGD, shared by the models.
 *
 * Each thread takes a slice of the shuffled examples and updates the shared
 * weights without locks, as fastText does: on sparse text features two
 * threads rarely touch the same weights at once, and a lost update now and
 * then does not hurt SGD.  Every few hundred examples a thread looks at the
 * cancellable, publishes its counts and may report progress.
 *
 * The learning rate falls as lr / (1 + t), t the epochs done so far
 * (fractions included): it needs no planned number of epochs, so early
 * stopping can end training after any epoch with weights that were already
 * trained at a falling rate (a linear decay to zero over the maximum of
 * epochs would leave them noisy when training stops long before it).
 * A pass whose number of epochs is known beforehand (ctx->lr_to_zero: the
 * refit, wl-run-refit.c) lets the rate fall linearly to 0 at the end of
 * the last, as fastText's does: its last steps are small, so the weights
 * it ends with are not the noise of a still-large rate.
 * In a distributed run (ctx->n_ranks > 1) each rank takes its share of the
 * epoch's seeded order (the same order everywhere), and the trainer then
 * averages the ranks' weights (wl-model-dist.c); with the sync_every
 * setting, the share goes in rounds of that many examples, and the ranks
 * average their weights after each round too (every rank runs the same
 * number of rounds: the shares differ by one example at most).  Each rank
 * steps at n_ranks × the rate: the average of N models that each stepped
 * through 1/N of the pass at the plain rate moves the weights 1/N as far as
 * one process stepping through all of it (measured: embedding-bag lost 10
 * points of accuracy on chnsenticorp in 3 epochs), while summing the
 * ranks' changes instead moves the weights they all learn N times as far
 * (it overshoots: mr lost 19 points).  Averaging at N × the rate moves a
 * weight that one rank learns as far as one process would, and one that
 * every rank learns no further than each did.  The rate's t counts the
 * pass as a whole (a rank a fraction f through its share is f into the
 * epoch, as every rank is), so it falls as it does for one process.
 * Features on disk are read back a window of the thread's slice at a time,
 * in the same shuffled order, so the steps are the ones the features in
 * memory give.  Each thread reads its next window on a prefetch thread
 * (exec/wl-prefetch.h) while it steps on the current one: two windows a
 * thread are held, and the time a thread still waits for its next window
 * goes to the run's step clock (ctx->clock), with the time it trained.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdatomic.h>

#include "wl-error.h"
#include "exec/wl-parallel.h"
#include "exec/wl-prefetch.h"
#include "models/wl-model-private.h"

/* A thread looks at the cancellable after this many examples or this many
 * features, whichever comes first (long documents take longer). */
#define CHECK_EVERY 256
#define CHECK_WORK  32768
#define REPORT_INTERVAL_US (50 * 1000)

typedef struct
{
  WlModel              *model;
  const WlFeatures     *features;
  const guint32        *labels;
  const WlTrainContext *ctx;
  const guint32        *order;
  gsize                 n;
  gsize                 round_start;   /* examples of the rank's share before this round */
  gsize                 share;         /* the rank's share of the epoch */
  guint                 n_slices;
  double                lr;
  _Atomic double       *lr_now;
  WlSgdStepFunc         step;
  gsize                 scratch_size;

  atomic_bool           stop;
  atomic_bool           diverged;
  GMutex                error_mutex;
  GError               *read_error;    /* the first failed read of on-disk features */
  atomic_uint_fast64_t  done;
  atomic_uint_fast64_t  tokens;
  _Atomic double        loss;
  atomic_int_fast64_t   next_report;   /* monotonic time, µs */
} SgdJob;

static void
add_loss (SgdJob *job,
          double  loss)
{
  double old = atomic_load (&job->loss);

  while (!atomic_compare_exchange_weak (&job->loss, &old, old + loss))
    ;
}

/* Publishes a thread's counts since its last call and its learning rate,
 * then reports progress if no thread did so lately, or when the epoch is
 * done. */
static void
publish (SgdJob  *job,
         guint64  done,
         guint64  tokens,
         double   loss,
         float    lr)
{
  gint64 now, due;
  guint64 total_done, before;
  gboolean last;

  add_loss (job, loss);
  atomic_fetch_add (&job->tokens, tokens);
  atomic_store_explicit (job->lr_now, lr, memory_order_relaxed);
  before = atomic_fetch_add (&job->done, done);
  last = before < job->share && before + done >= job->share;   /* this call finished the epoch */

  if (job->ctx->progress == NULL)
    return;
  now = g_get_monotonic_time ();
  due = atomic_load (&job->next_report);
  if (!last &&
      (now < due ||
       !atomic_compare_exchange_strong (&job->next_report, &due, now + REPORT_INTERVAL_US)))
    return;
  total_done = atomic_load (&job->done);
  job->ctx->progress (total_done, job->share, atomic_load (&job->tokens),
                      atomic_load (&job->loss) / MAX (total_done, 1),
                      job->ctx->progress_data);
}

/* One window of a thread's slice: the rows of positions @from .. @to - 1
 * of the order, read into @rows. */
typedef struct
{
  WlFeatures *rows;
  gsize       from;
  gsize       to;
} Window;

static gboolean
read_window (gpointer   piece,
             gpointer   user_data,
             GError   **error)
{
  Window *window = piece;
  SgdJob *job = user_data;
  gulong delay = wl_model_test_input_delay_us ();

  if (delay > 0)
    g_usleep (delay);
  return wl_features_read_rows (job->features, job->order + window->from, 0,
                                window->to - window->from, window->rows, error);
}

/* Starts reading the window of @from .. MIN (@from + window, @last) - 1
 * into @window, if there is one. */
static void
start_window (SgdJob     *job,
              WlPrefetch *prefetch,
              Window     *window,
              gsize       from,
              gsize       last)
{
  if (from >= last)
    return;
  window->from = from;
  window->to = MIN (from + job->features->window, last);
  wl_prefetch_start (prefetch, window);
}

/* Waits for the window started last; on failure keeps the error and stops
 * every thread. */
static gboolean
wait_window (SgdJob     *job,
             WlPrefetch *prefetch,
             gint64     *waited_us)
{
  g_autoptr(GError) error = NULL;

  if (wl_prefetch_wait (prefetch, waited_us, &error))
    return TRUE;
  g_mutex_lock (&job->error_mutex);
  if (job->read_error == NULL)
    job->read_error = g_steal_pointer (&error);
  g_mutex_unlock (&job->error_mutex);
  atomic_store (&job->stop, TRUE);
  return FALSE;
}

static void
run_slice (gsize    begin,
           gsize    end,
           gpointer user_data,
           guint    worker)
{
  SgdJob *job = user_data;
  const WlTrainContext *ctx = job->ctx;
  g_autofree gpointer scratch = g_malloc0 (MAX (job->scratch_size, 1));
  /* On disk: the rows of the slice are read a window at a time, in the
   * slice's order, the next one while the steps run on the current one. */
  gboolean on_disk = job->features->on_disk;
  g_autoptr(WlFeatures) rows_a = on_disk ? g_new0 (WlFeatures, 1) : NULL;
  g_autoptr(WlFeatures) rows_b = on_disk ? g_new0 (WlFeatures, 1) : NULL;
  Window windows[2] = { { rows_a }, { rows_b } };
  /* Declared last, so freed first: it waits for a window in flight. */
  g_autoptr(WlPrefetch) prefetch = on_disk ? wl_prefetch_new (read_window, job) : NULL;
  guint current = 0;
  gint64 mark = g_get_monotonic_time (), waited = 0, waits = 0;

  for (gsize slice = begin; slice < end; slice++)
    {
      gsize first = job->n * slice / job->n_slices;
      gsize last = job->n * (slice + 1) / job->n_slices;
      gsize len = MAX (last - first, 1);
      guint64 done = 0, tokens = 0, work = 0;
      double loss = 0.0;
      float lr = (float) job->lr;

      if (on_disk)
        start_window (job, prefetch, &windows[current], first, last);
      for (gsize j = first; j < last; j++)
        {
          gsize i = job->order[j];
          double fraction = (double) (j - first) / len;
          double epochs_done = ctx->epoch + (job->n == job->share ? fraction :
                                             (job->round_start + fraction * job->n) / job->share);
          /* The row in memory: in the window when the features are on disk. */
          const WlFeatures *rows = on_disk ? windows[current].rows : job->features;
          gsize r = on_disk ? j - windows[current].from : i;
          double l;

          if (on_disk && j == windows[current].to)
            {
              current ^= 1;
              rows = windows[current].rows;
              r = 0;
            }
          if (on_disk && j == windows[current].from)
            {
              if (!wait_window (job, prefetch, &waited))
                return;
              waits++;
              start_window (job, prefetch, &windows[current ^ 1], windows[current].to, last);
            }
          lr = (float) (ctx->lr_to_zero ? job->lr * MAX (1.0 - epochs_done / ctx->n_epochs, 0.0)
                                        : job->lr / (1.0 + epochs_done));
          l = job->step (job->model, rows, r, job->labels[i], lr, scratch);

          if (!isfinite (l))
            {
              atomic_store (&job->diverged, TRUE);
              atomic_store (&job->stop, TRUE);
              return;
            }
          loss += l;
          done++;
          tokens += rows->n_tokens[r];
          work += rows->offsets[r + 1] - rows->offsets[r];

          if (done == CHECK_EVERY || work >= CHECK_WORK)
            {
              gint64 now = g_get_monotonic_time ();

              wl_step_clock_add (ctx->clock, waited, waits, now - mark);
              mark = now;
              waited = waits = 0;
              publish (job, done, tokens, loss, lr);
              done = tokens = work = 0;
              loss = 0.0;
              if (atomic_load (&job->stop))
                return;
              if (g_cancellable_is_cancelled (ctx->cancellable))
                {
                  atomic_store (&job->stop, TRUE);
                  return;
                }
            }
        }
      publish (job, done, tokens, loss, lr);
    }
  wl_step_clock_add (ctx->clock, waited, waits, g_get_monotonic_time () - mark);
}

static guint32 *
shuffled_order (gsize   n,
                guint64 seed)
{
  guint32 *order = g_try_new (guint32, n);
  guint64 state = seed;

  if (order == NULL)
    return NULL;
  for (gsize i = 0; i < n; i++)
    order[i] = (guint32) i;
  for (gsize i = n; i > 1; i--)
    {
      gsize j = wl_rng_next (&state) % i;
      guint32 t = order[i - 1];

      order[i - 1] = order[j];
      order[j] = t;
    }
  return order;
}

gboolean
wl_sgd_epoch (WlModel              *model,
              const WlFeatures     *features,
              const guint32        *labels,
              const WlTrainContext *ctx,
              double                lr,
              _Atomic double       *lr_now,
              WlSgdStepFunc         step,
              gsize                 scratch_size,
              double               *loss,
              GError              **error)
{
  g_autofree guint32 *order = NULL;
  guint n_ranks = MAX (ctx->n_ranks, 1);
  gsize first = features->n_docs * ctx->rank / n_ranks;
  gsize last = features->n_docs * (ctx->rank + 1) / n_ranks;
  /* Rounds of sync_every examples in a distributed run; one round else. */
  gsize largest = (features->n_docs + n_ranks - 1) / n_ranks;
  guint sync_every = model->config->model.sync_every;
  gsize round = n_ranks > 1 && sync_every > 0 ? sync_every : MAX (largest, 1);
  gsize n_rounds = (largest + round - 1) / round;
  guint n_threads = wl_parallel_resolve_threads (ctx->n_threads);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) sync_error = NULL;
  SgdJob job = {
    .model = model,
    .features = features,
    .labels = labels,
    .ctx = ctx,
    .lr = lr * n_ranks,
    .lr_now = lr_now,
    .step = step,
    .scratch_size = scratch_size,
  };

  if (features->n_docs == 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_NO_DATA, _("there are no examples to train on"));
      return FALSE;
    }
  if (features->n_docs > G_MAXUINT32)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("too many examples (%zu); the most is %u"),
                   features->n_docs, G_MAXUINT32);
      return FALSE;
    }
  order = shuffled_order (features->n_docs, ctx->seed + ctx->epoch);
  if (order == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory to shuffle %zu examples"),
                   features->n_docs);
      return FALSE;
    }
  job.share = last - first;
  atomic_init (&job.stop, FALSE);
  atomic_init (&job.diverged, FALSE);
  atomic_init (&job.done, 0);
  atomic_init (&job.tokens, 0);
  atomic_init (&job.loss, 0.0);
  atomic_init (&job.next_report, g_get_monotonic_time ());   /* report early once */

  g_mutex_init (&job.error_mutex);
  for (gsize r = 0; r < n_rounds && local_error == NULL && job.read_error == NULL &&
                    !atomic_load (&job.stop); r++)
    {
      job.round_start = MIN (r * round, job.share);
      job.n = MIN (round, job.share - job.round_start);
      job.order = order + first + job.round_start;
      /* Few examples per thread make Hogwild pointless. */
      job.n_slices = (guint) MIN ((gsize) n_threads, MAX (job.n / 64, 1));
      if (job.n > 0)
        wl_parallel_for (job.n_slices, 1, job.n_slices, run_slice, &job, ctx->cancellable,
                         &local_error);
      /* The last round's average is the trainer's, after the pass. */
      if (r + 1 < n_rounds && !atomic_load (&job.stop) && local_error == NULL &&
          job.read_error == NULL && !wl_model_average_weights (model, &sync_error))
        break;
    }
  g_mutex_clear (&job.error_mutex);

  if (sync_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&sync_error));
      return FALSE;
    }

  if (job.read_error != NULL)
    {
      g_propagate_error (error, job.read_error);
      return FALSE;
    }

  if (atomic_load (&job.diverged) || !isfinite (atomic_load (&job.loss)))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_DIVERGED,
                   _("training diverged at epoch %u: lower the learning rate"), ctx->epoch + 1);
      return FALSE;
    }
  if (local_error != NULL || g_cancellable_is_cancelled (ctx->cancellable))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_CANCELLED, _("training was cancelled"));
      return FALSE;
    }
  if (loss != NULL)
    *loss = atomic_load (&job.loss) / MAX (job.share, 1);
  return TRUE;
}
