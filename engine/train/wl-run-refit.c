/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-refit.c: model.refit, training again on every row the run may
 * learn from.
 *
 * Early stopping holds a tenth of the training file out to decide how many
 * epochs to train; the best epoch's model never learnt from those rows.
 * With refit (linear and embedding-bag, on by default), a new model is
 * built on the training and validation rows together, as the first was on
 * the training rows (its vocabulary, n-grams and IDF from all of them; the
 * resolved settings, hash buckets included, the same) and trained for the
 * best epoch count, and at least 4 (within the most epochs), with
 * no validation: scikit-learn's refit after a search, and what fastText
 * does with a number of epochs it is given.  Since that number is known,
 * the learning rate falls linearly to 0 over them, as fastText's does over
 * its epochs (the validated run's falls as lr / (1 + epochs done): it may
 * stop after any epoch; wl-sgd.c).  On 10-fold cross-validation of the
 * three datasets the linear fall scored embedding-bag 0.4 points higher on
 * chnsenticorp and scattered less from seed to seed (DESIGN.md).
 *
 * Why at least 4 (wl_trainer_refit_epochs()): after one or two epochs a falling-rate SGD's
 * weights are still where its first large steps left them, and the
 * validated run chose that epoch because it happened to score well; a refit
 * cannot choose.  linear on mr trained for 2 epochs on every row scored
 * 63.7 to 76.0 % over six seeds, and refit at the best count (often 2) fell
 * to 69.4 % in 3 of 20 runs; at least 4, 75.4 to 77.1 % (DESIGN.md,
 * "Refit on all rows", has the figures).  Training longer costs little:
 * at that rate mr scores the same after 5, 10 or 25 epochs.
 *
 * The run's epoch history, its best epoch and validation figures stay
 * those of the validated run; the summary says how many epochs were
 * trained again on how many rows.  The refit is not checkpointed: a run
 * resumed after a crash during it trains it again from the start.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dist/wl-dist.h"
#include "train/wl-run-private.h"
#include "train/wl-trainer.h"


/* @train's rows, then @valid's, into @all (its arrays its own but the
 * texts, which stay the dataset's). */
static void
join_parts (const WlRunPart *train,
            const WlRunPart *valid,
            WlRunPart       *all,
            guint32        **rows)
{
  gsize n = train->n + valid->n;

  *all = (WlRunPart) { .dataset = train->dataset, .n = n };
  *rows = g_new (guint32, n + 1);
  memcpy (*rows, train->rows, train->n * sizeof (guint32));
  memcpy (*rows + train->n, valid->rows, valid->n * sizeof (guint32));
  all->rows = *rows;
  all->labels = g_new (guint32, n + 1);
  memcpy (all->labels, train->labels, train->n * sizeof (guint32));
  memcpy (all->labels + train->n, valid->labels, valid->n * sizeof (guint32));
  if (train->texts == NULL)
    return;
  all->texts = g_new (const char *, n + 1);
  memcpy (all->texts, train->texts, train->n * sizeof (const char *));
  memcpy (all->texts + train->n, valid->texts, valid->n * sizeof (const char *));
}

gboolean
wl_run_refit (WlRun                *run,
              const WlPreprocessor *pp,
              WlModel             **model,
              WlRunPart            *train,
              WlRunPart            *valid,
              WlRunPart            *test,
              gsize                 window,
              GError              **error)
{
  const WlConfig *config = wl_run_get_config (run);
  WlRunSummary *summary = wl_run_get_summary_mutable (run);
  guint n_epochs = wl_trainer_refit_epochs (config, summary->n_valid, summary->best_epoch);
  g_autoptr(WlModel) again = NULL;
  g_autofree guint32 *rows = NULL;
  WlRunPart all;
  gboolean ok = FALSE;

  if (n_epochs == 0)
    return TRUE;

  wl_run_emit_message (run, WL_STAGE_TRAIN,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "Training again on the training and validation rows together (%zu rows) for %u epoch: the best epoch count, and at least 4",
                                    "Training again on the training and validation rows together (%zu rows) for %u epochs: the best epoch count, and at least 4",
                                    n_epochs),
                       train->n + valid->n, n_epochs);
  /* The parts' own features are done with: memory (or disk) for the
   * refit's. */
  for (WlRunPart **part = (WlRunPart *[]) { train, valid, NULL }; *part != NULL; part++)
    {
      wl_model_features_free (*model, (*part)->features);
      (*part)->features = NULL;
    }
  join_parts (train, valid, &all, &rows);
  again = wl_model_new (config, (*model)->n_labels);
  if ((window == 0 && !wl_run_part_tokenize (run, pp, &all, error)) ||
      !wl_run_part_build (run, pp, again, &all, window, error) ||
      !wl_run_part_featurize (run, pp, again, &all, window, error))
    goto out;

  {
    WlTrainPart part = { all.features, all.labels, all.n, all.n_tokens };

    if (!wl_trainer_refit (run, again, &part, n_epochs, error))
      goto out;
  }

  /* The test part, as the new model sees it. */
  wl_model_features_free (*model, test->features);
  test->features = NULL;
  if (!wl_run_part_featurize (run, pp, again, test, window, error))
    goto out;
  wl_model_free (*model);
  *model = g_steal_pointer (&again);
  summary->refit_epochs = n_epochs;
  summary->n_refit = all.n;
  ok = TRUE;

out:
  if (all.features != NULL)
    wl_model_features_free (again != NULL ? again : *model, all.features);
  if (all.tokens != NULL)
    wl_token_lists_free (all.tokens, all.n);
  g_free (all.texts);
  g_free (all.labels);
  return ok;
}
