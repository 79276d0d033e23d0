/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-run.c: a whole run through the engine API, its events and its cancel. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "models/wl-model.h"
#include "text/wl-clean-preview.h"
#include "train/wl-classifier.h"
#include "train/wl-run.h"
#include "wl-error.h"
#include "wl-settings.h"

static const char *words[3][6] = {
  { "goal", "team", "coach", "match", "league", "score" },
  { "recipe", "spicy", "dinner", "sauce", "bread", "kitchen" },
  { "laptop", "battery", "screen", "update", "chip", "cloud" },
};
static const char *labels[3] = { "sport", "food", "tech" };

/* A labelled CSV of @n_rows rows; each text mixes its class's words with
 * noise so that training has something to learn. */
static char *
write_dataset (const char *dir,
               guint       n_rows)
{
  g_autoptr(GString) csv = g_string_new ("label,text\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  char *path = g_build_filename (dir, "data.csv", NULL);

  for (guint i = 0; i < n_rows; i++)
    {
      guint c = i % 3;

      g_string_append_printf (csv, "%s,", labels[c]);
      for (guint w = 0; w < 12; w++)
        {
          guint from = g_rand_int_range (rand, 0, 10) < 7 ? c : (guint) g_rand_int_range (rand, 0, 3);
          g_string_append_printf (csv, "%s%s%u ", words[from][g_rand_int_range (rand, 0, 6)],
                                  w % 4 == 0 ? "x" : "", g_rand_int_range (rand, 0, 50));
        }
      g_string_append_c (csv, '\n');
    }
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
  return path;
}

typedef struct
{
  GMainLoop *loop;
  GArray    *types;        /* WlEventType, in order */
  GArray    *stages;       /* WlStage of STAGE_FINISHED, in order */
  guint      n_progress;
  guint      n_epochs;
  WlEvent   *last;
  /* Cancel when this stage starts (or WL_N_STAGES: never). */
  WlStage    cancel_at;
  guint      cancel_after_progress;
  gint64     cancelled_at;
  gint64     ended_at;
  GThread   *main_thread;
  gboolean   wrong_thread;
} Watch;

static void
watch_init (Watch *w)
{
  memset (w, 0, sizeof *w);
  w->loop = g_main_loop_new (NULL, FALSE);
  w->types = g_array_new (FALSE, FALSE, sizeof (WlEventType));
  w->stages = g_array_new (FALSE, FALSE, sizeof (WlStage));
  w->cancel_at = WL_N_STAGES;
  w->main_thread = g_thread_self ();
}

static void
watch_clear (Watch *w)
{
  g_main_loop_unref (w->loop);
  g_array_unref (w->types);
  g_array_unref (w->stages);
  g_clear_pointer (&w->last, wl_event_free);
}

static void
on_event (WlRun         *run,
          const WlEvent *event,
          gpointer       data)
{
  Watch *w = data;

  if (g_thread_self () != w->main_thread)
    w->wrong_thread = TRUE;
  g_array_append_val (w->types, event->type);
  if (event->type == WL_EVENT_STAGE_FINISHED)
    g_array_append_val (w->stages, event->stage);
  if (event->type == WL_EVENT_PROGRESS)
    w->n_progress++;
  if (event->type == WL_EVENT_EPOCH)
    w->n_epochs++;

  if (w->cancelled_at == 0 && event->stage == w->cancel_at &&
      (event->type == WL_EVENT_PROGRESS || w->cancel_after_progress == 0) &&
      w->n_progress >= w->cancel_after_progress)
    {
      w->cancelled_at = g_get_monotonic_time ();
      wl_run_cancel (run);
    }

  if (event->type == WL_EVENT_FINISHED || event->type == WL_EVENT_FAILED ||
      event->type == WL_EVENT_CANCELLED)
    {
      g_clear_pointer (&w->last, wl_event_free);
      w->last = wl_event_copy (event);
      w->ended_at = g_get_monotonic_time ();
      g_main_loop_quit (w->loop);
    }
}

static WlConfig *
config_for (const char  *input,
            WlModelType  type)
{
  WlConfig *config = wl_config_new ();

  config->data.input = g_strdup (input);
  config->model.type = type;
  config->threads = 2;
  return config;
}

/* What the checkpoint and final model hooks saw. */
typedef struct
{
  WlModel *best;   /* clones, as the checkpoint hook saw them after the last epoch */
  WlModel *last;
  WlModel *final;  /* as the final model hook saw it */
  guint    n_final;
  gboolean final_on_main;
} KeptModels;

static void
keep_final_model (WlRun              *run,
                  const WlModel      *model,
                  const char * const *labels,
                  guint               n_labels,
                  gpointer            data)
{
  KeptModels *kept = data;

  g_assert_cmpuint (n_labels, ==, wl_run_get_label_names (run)->len);
  g_clear_pointer (&kept->final, wl_model_free);
  kept->final = wl_model_clone (model);
  kept->n_final++;
  kept->final_on_main = g_main_context_is_owner (g_main_context_default ());
}

static void
test_run_events (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-run-XXXXXX", NULL);
  g_autofree char *path = write_dataset (dir, 1500);

  for (WlModelType type = 0; type < WL_N_MODELS; type++)
    {
      g_autoptr(WlConfig) config = config_for (path, type);
      g_autoptr(WlRun) run = wl_run_new (config);
      const WlRunSummary *summary;
      const WlEvaluation *evaluation;
      KeptModels kept = { NULL, NULL };
      Watch w;

      watch_init (&w);
      wl_run_set_final_model_func (run, keep_final_model, &kept);
      wl_run_start (run, NULL, on_event, &w);
      g_main_loop_run (w.loop);

      g_assert_false (w.wrong_thread);
      /* The model the run ends with, once, on the run's thread. */
      g_assert_cmpuint (kept.n_final, ==, 1);
      g_assert_false (kept.final_on_main);
      g_clear_pointer (&kept.final, wl_model_free);
      g_assert_cmpint (w.last->type, ==, WL_EVENT_FINISHED);
      g_assert_cmpint (g_array_index (w.types, WlEventType, 0), ==, WL_EVENT_STAGE_STARTED);
      /* Every stage finishes once, in order. */
      g_assert_cmpuint (w.stages->len, ==, WL_N_STAGES);
      for (guint s = 0; s < WL_N_STAGES; s++)
        g_assert_cmpint (g_array_index (w.stages, WlStage, s), ==, s);

      summary = wl_run_get_summary (run);
      g_assert_cmpuint (w.n_epochs, ==, summary->epochs_run);
      g_assert_cmpuint (summary->best_epoch, >=, 1);
      g_assert_cmpuint (summary->best_epoch, <=, summary->epochs_run);
      g_assert_cmpuint (summary->n_train + summary->n_valid + summary->n_test, ==, 1500);
      g_assert_cmpuint (summary->n_test, ==, 300);
      g_assert_cmpuint (summary->n_tokens, >, summary->n_train * 10);

      /* The config as it ran has nothing left to decide. */
      g_assert_cmpint (wl_run_get_config (run)->tokens.kind, !=, WL_TOKENIZER_AUTO);
      g_assert_cmpuint (wl_run_get_config (run)->model.epochs, >, 0);

      evaluation = wl_run_get_evaluation (run);
      g_assert_nonnull (evaluation);
      g_assert_cmpuint (evaluation->metrics->n, ==, 300);
      g_assert_cmpfloat (evaluation->metrics->accuracy, >, 0.85);
      g_assert_nonnull (wl_run_get_classifier (run));
      watch_clear (&w);
    }

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_run_sync_matches_async (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-run-XXXXXX", NULL);
  g_autofree char *path = write_dataset (dir, 900);
  g_autoptr(WlConfig) config = config_for (path, WL_MODEL_LINEAR);
  g_autoptr(WlRun) a = NULL;
  g_autoptr(WlRun) b = NULL;
  g_autoptr(GError) error = NULL;
  Watch w;

  /* One thread for both: the same seed must give the same result. */
  config->threads = 1;
  a = wl_run_new (config);
  b = wl_run_new (config);

  watch_init (&w);
  g_assert_true (wl_run_run_sync (a, on_event, &w, &error));
  g_assert_no_error (error);
  g_assert_false (w.wrong_thread);
  g_assert_cmpint (w.last->type, ==, WL_EVENT_FINISHED);
  watch_clear (&w);

  watch_init (&w);
  wl_run_start (b, NULL, on_event, &w);
  g_main_loop_run (w.loop);
  watch_clear (&w);

  g_assert_cmpfloat (wl_run_get_evaluation (a)->metrics->accuracy, ==,
                     wl_run_get_evaluation (b)->metrics->accuracy);
  g_assert_cmpfloat (wl_run_get_evaluation (a)->metrics->loss, ==,
                     wl_run_get_evaluation (b)->metrics->loss);
  g_unlink (path);
  g_rmdir (dir);
}

/* Cancels in each stage: the run ends with CANCELLED, quickly, and the
 * stages after it never start. */
static void
test_run_cancel (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-run-XXXXXX", NULL);
  g_autofree char *path = write_dataset (dir, 60000);
  WlStage stages[] = { WL_STAGE_LOAD, WL_STAGE_CLEAN, WL_STAGE_TRAIN };

  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      g_autoptr(WlConfig) config = config_for (path, WL_MODEL_EMBEDDING_BAG);
      g_autoptr(WlRun) run = NULL;
      double latency_ms;
      Watch w;

      config->model.epochs = 50;
      config->model.patience = 0;
      run = wl_run_new (config);
      watch_init (&w);
      w.cancel_at = stages[i];
      /* In training, wait until it is really under way. */
      w.cancel_after_progress = stages[i] == WL_STAGE_TRAIN ? 2 : 0;
      wl_run_start (run, NULL, on_event, &w);
      g_main_loop_run (w.loop);

      g_assert_cmpint (w.last->type, ==, WL_EVENT_CANCELLED);
      g_assert_cmpint (w.cancelled_at, >, 0);
      latency_ms = (w.ended_at - w.cancelled_at) / 1000.0;
      g_test_message ("cancel in %s took %.1f ms", wl_stage_to_string (stages[i]), latency_ms);
      /* The goal is 200 ms; leave room for a loaded test machine. */
      g_assert_cmpfloat (latency_ms, <, 1000);
      for (guint s = 0; s < w.stages->len; s++)
        g_assert_cmpint (g_array_index (w.stages, WlStage, s), <, stages[i]);
      g_assert_null (wl_run_get_classifier (run));
      watch_clear (&w);
    }

  g_unlink (path);
  g_rmdir (dir);
}

/* Pause in training: no progress while paused and the run's clock stands
 * still, then the run finishes; a cancel while paused ends the run at once. */
typedef struct
{
  WlRun   *run;
  Watch   *watch;
  guint    progress_at_pause;
  guint    epochs_at_pause;
  double   last_elapsed;       /* of the last event */
  gboolean cancel_instead;
} PauseCheck;

static gboolean
check_paused (gpointer data)
{
  PauseCheck *check = data;
  Watch *w = check->watch;

  /* Events already queued when the pause began may still arrive: allow the
   * one batch in flight, nothing more. */
  g_assert_true (wl_run_get_paused (check->run));
  g_assert_cmpuint (w->n_progress, <=, check->progress_at_pause + 1);
  g_assert_cmpuint (w->n_epochs, <=, check->epochs_at_pause + 1);
  {
    double elapsed = wl_run_get_elapsed (check->run);

    g_usleep (100000);
    g_assert_cmpfloat (wl_run_get_elapsed (check->run), ==, elapsed);
    g_assert_cmpfloat (check->last_elapsed, <=, elapsed);
  }
  if (check->cancel_instead)
    {
      w->cancelled_at = g_get_monotonic_time ();
      wl_run_cancel (check->run);
    }
  else
    wl_run_set_paused (check->run, FALSE);
  return G_SOURCE_REMOVE;
}

static void
on_pause_event (WlRun         *run,
                const WlEvent *event,
                gpointer       data)
{
  PauseCheck *check = data;

  on_event (run, event, check->watch);
  check->last_elapsed = event->elapsed;
  if (event->type == WL_EVENT_PROGRESS && event->stage == WL_STAGE_TRAIN &&
      check->progress_at_pause == 0 && check->watch->n_progress >= 2)
    {
      wl_run_set_paused (run, TRUE);
      check->progress_at_pause = check->watch->n_progress;
      check->epochs_at_pause = check->watch->n_epochs;
      g_timeout_add (600, check_paused, check);
    }
}

static void
test_run_pause (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-run-XXXXXX", NULL);
  g_autofree char *path = write_dataset (dir, 30000);

  for (guint cancel = 0; cancel < 2; cancel++)
    {
      g_autoptr(WlConfig) config = config_for (path, WL_MODEL_EMBEDDING_BAG);
      g_autoptr(WlRun) run = NULL;
      PauseCheck check = { 0 };
      Watch w;

      config->model.epochs = 6;
      config->model.patience = 0;
      run = wl_run_new (config);
      watch_init (&w);
      check.run = run;
      check.watch = &w;
      check.cancel_instead = cancel;
      wl_run_start (run, NULL, on_pause_event, &check);
      g_main_loop_run (w.loop);

      g_assert_cmpuint (check.progress_at_pause, >, 0);
      if (cancel)
        {
          g_assert_cmpint (w.last->type, ==, WL_EVENT_CANCELLED);
          g_assert_cmpfloat ((w.ended_at - w.cancelled_at) / 1000.0, <, 1000);
        }
      else
        {
          g_assert_cmpint (w.last->type, ==, WL_EVENT_FINISHED);
          g_assert_cmpuint (w.n_epochs, ==, 6);
          g_assert_false (wl_run_get_paused (run));
        }
      watch_clear (&w);
    }

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_run_failures (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-run-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);
  g_autofree char *one = g_build_filename (dir, "one.csv", NULL);
  struct { const char *path; int code; } cases[] = {
    { missing, WL_ERROR_IO },
    { one, WL_ERROR_NO_DATA },
  };

  g_assert_true (g_file_set_contents (one, "label,text\na,x\na,y\na,z\n", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WlConfig) config = config_for (cases[i].path, WL_MODEL_LINEAR);
      g_autoptr(WlRun) run = wl_run_new (config);
      g_autoptr(GError) error = NULL;
      Watch w;

      watch_init (&w);
      g_assert_false (wl_run_run_sync (run, on_event, &w, &error));
      g_assert_error (error, WL_ERROR, cases[i].code);
      g_assert_cmpint (w.last->type, ==, WL_EVENT_FAILED);
      g_assert_error (w.last->error, WL_ERROR, cases[i].code);
      watch_clear (&w);
    }
  g_unlink (one);
  g_rmdir (dir);
}

/* Progress while training: at most ten a second (plus the one forced at
 * the end of each epoch), and at least one a second, counted over two
 * seconds of training (the run is cancelled then, however fast the
 * machine), by the run's own clock (the events' elapsed times). */
typedef struct
{
  GMainLoop *loop;
  double     train_started;   /* elapsed, s; < 0 before */
  double     ended;
  guint      n_progress;      /* in training */
  guint      n_epochs;
  WlEventType end;
} RateWatch;

static gboolean
cancel_run (gpointer run)
{
  wl_run_cancel (run);
  return G_SOURCE_REMOVE;
}

static void
on_rate_event (WlRun         *run,
               const WlEvent *event,
               gpointer       data)
{
  RateWatch *w = data;

  if (event->type == WL_EVENT_STAGE_STARTED && event->stage == WL_STAGE_TRAIN)
    {
      w->train_started = event->elapsed;
      g_timeout_add_full (G_PRIORITY_DEFAULT, 2000, cancel_run, wl_run_ref (run),
                          (GDestroyNotify) wl_run_unref);
    }
  if (event->type == WL_EVENT_PROGRESS && event->stage == WL_STAGE_TRAIN)
    w->n_progress++;
  if (event->type == WL_EVENT_EPOCH)
    w->n_epochs++;
  if (event->type == WL_EVENT_FINISHED || event->type == WL_EVENT_FAILED ||
      event->type == WL_EVENT_CANCELLED)
    {
      w->end = event->type;
      w->ended = event->elapsed;
      g_main_loop_quit (w->loop);
    }
}

static void
test_run_progress_rate (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-run-XXXXXX", NULL);
  g_autofree char *path = write_dataset (dir, 20000);
  g_autoptr(WlConfig) config = config_for (path, WL_MODEL_EMBEDDING_BAG);
  g_autoptr(WlRun) run = NULL;
  RateWatch w = { g_main_loop_new (NULL, FALSE), -1, 0, 0, 0, 0 };
  double seconds;

  /* More epochs than two seconds hold on any machine. */
  config->model.epochs = 1000;
  config->model.patience = 0;
  run = wl_run_new (config);
  wl_run_start (run, NULL, on_rate_event, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_cmpint (w.end, ==, WL_EVENT_CANCELLED);
  g_assert_cmpfloat (w.train_started, >=, 0);
  seconds = w.ended - w.train_started;
  g_test_message ("%u progress events and %u epochs in %.2f s of training",
                  w.n_progress, w.n_epochs, seconds);
  g_assert_cmpfloat (seconds, >=, 2.0);
  g_assert_cmpuint (w.n_progress, <=, 10 * seconds + 1 + w.n_epochs);
  g_assert_cmpuint (w.n_progress, >=, (guint) seconds);
  g_unlink (path);
  g_rmdir (dir);
}

/* The learning rate in training events: known, positive, and following
 * the schedule (SGD models: a linear decay; neural models: constant by
 * default, or the schedule asked for). */
typedef struct
{
  GArray *progress_lr;   /* double, of PROGRESS events in training */
  GArray *epoch_lr;      /* double, of EPOCH events */
  char   *epoch_json;    /* the first EPOCH event as JSON */
} LrWatch;

static void
on_lr_event (WlRun         *run,
             const WlEvent *event,
             gpointer       data)
{
  LrWatch *w = data;

  if (event->type == WL_EVENT_PROGRESS && event->stage == WL_STAGE_TRAIN)
    g_array_append_val (w->progress_lr, event->lr);
  else if (event->type == WL_EVENT_EPOCH)
    {
      g_array_append_val (w->epoch_lr, event->lr);
      if (w->epoch_json == NULL)
        w->epoch_json = wl_event_to_json (event);
    }
  else if (event->type == WL_EVENT_PROGRESS || event->type == WL_EVENT_STAGE_FINISHED)
    g_assert_true (isnan (event->lr));
}

static void
test_run_learning_rate (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-run-XXXXXX", NULL);
  g_autofree char *path = write_dataset (dir, 1200);
  struct { WlModelType type; WlScheduleKind schedule; gboolean decays; } cases[] = {
    { WL_MODEL_LINEAR, WL_SCHEDULE_AUTO, TRUE },
    { WL_MODEL_EMBEDDING_BAG, WL_SCHEDULE_AUTO, TRUE },
    { WL_MODEL_MLP, WL_SCHEDULE_AUTO, FALSE },
    { WL_MODEL_MLP, WL_SCHEDULE_LINEAR, TRUE },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(WlConfig) config = config_for (path, cases[c].type);
      g_autoptr(WlRun) run = NULL;
      g_autoptr(GError) error = NULL;
      LrWatch w = { g_array_new (FALSE, FALSE, sizeof (double)),
                    g_array_new (FALSE, FALSE, sizeof (double)), NULL };
      double base;

      config->model.epochs = 4;
      config->model.patience = 0;
      config->model.schedule = cases[c].schedule;
      run = wl_run_new (config);
      g_assert_true (wl_run_run_sync (run, on_lr_event, &w, &error));
      g_assert_no_error (error);
      base = wl_run_get_config (run)->model.lr;

      g_assert_cmpuint (w.epoch_lr->len, ==, 4);
      g_assert_cmpuint (w.progress_lr->len, >=, 4);
      for (guint i = 0; i < w.progress_lr->len; i++)
        {
          double lr = g_array_index (w.progress_lr, double, i);

          g_assert_true (isfinite (lr));
          g_assert_cmpfloat (lr, >, 0);
          g_assert_cmpfloat (lr, <=, base * 1.000001);
        }
      for (guint i = 0; i < w.epoch_lr->len; i++)
        {
          double lr = g_array_index (w.epoch_lr, double, i);

          g_assert_true (isfinite (lr));
          g_assert_cmpfloat (lr, >, 0);
          if (!cases[c].decays)
            g_assert_cmpfloat_with_epsilon (lr, base, base * 1e-6);
          else if (i > 0)
            g_assert_cmpfloat (lr, <, g_array_index (w.epoch_lr, double, i - 1));
          /* The SGD models' rate after i + 1 epochs is base / (1 + i + 1),
           * whatever the number of epochs: early stopping may end at any. */
          if (cases[c].type == WL_MODEL_LINEAR || cases[c].type == WL_MODEL_EMBEDDING_BAG)
            g_assert_cmpfloat_with_epsilon (lr, base / (i + 2), base / (i + 2) * 0.02);
        }
      if (cases[c].decays)
        g_assert_cmpfloat (g_array_index (w.epoch_lr, double, 3), <, base / 4);
      g_assert_nonnull (strstr (w.epoch_json, "\"lr\":"));

      g_array_unref (w.progress_lr);
      g_array_unref (w.epoch_lr);
      g_free (w.epoch_json);
    }

  g_unlink (path);
  g_rmdir (dir);
}

/* Early stopping, with every model's default number of epochs (a generous
 * maximum): on an easy set, training ends once the validation accuracy has
 * not improved for `patience` epochs, long before the maximum, and the
 * model that comes out has the best epoch's weights, not the last one's. */
static gboolean
keep_models (WlRun              *run,
             const WlCheckpoint *checkpoint,
             gpointer            data,
             GError            **error)
{
  KeptModels *kept = data;

  g_clear_pointer (&kept->best, wl_model_free);
  g_clear_pointer (&kept->last, wl_model_free);
  g_assert_nonnull (checkpoint->best);
  kept->best = wl_model_clone (checkpoint->best);
  kept->last = wl_model_clone (checkpoint->model);
  return TRUE;
}

/* The probabilities of @model (wrapped in a classifier with @like's labels)
 * for a few texts of the generated vocabulary. */
static float *
predict_with (WlModel            *model,
              const WlClassifier *like)
{
  static const char *texts[] = {
    "goal3 team coach12 match", "spicy sauce7 bread", "laptop battery41 cloud",
    "goal bread chip9 coach", "recipe x7 update screen", "league dinner cloud score2",
  };
  guint n_labels = wl_classifier_get_n_labels (like);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(WlClassifier) classifier = NULL;
  g_autoptr(GError) error = NULL;
  float *probs = g_new (float, G_N_ELEMENTS (texts) * n_labels);

  for (guint k = 0; k < n_labels; k++)
    g_ptr_array_add (names, g_strdup (wl_classifier_get_label (like, k)));
  classifier = wl_classifier_new (model, names, &error);
  g_assert_no_error (error);
  g_assert_true (wl_classifier_predict (classifier, texts, G_N_ELEMENTS (texts), 1, probs,
                                        NULL, &error));
  g_assert_no_error (error);
  return probs;
}

/* The outlook the events give while early stopping may end training
 * before the maximum: checked event by event against the run's own
 * record of its best epochs. */
typedef struct
{
  guint    patience;
  guint    best;          /* the best epoch so far, from the EPOCH events */
  guint    last_epoch;    /* the last EPOCH event's */
  guint    last_stop;
  double   last_eta, last_eta_max;
  guint    n_progress;
  gboolean ranged;        /* an epoch's time left was a range */
} Outlook;

static void
on_outlook_event (WlRun         *run,
                  const WlEvent *event,
                  gpointer       data)
{
  Outlook *o = data;
  guint n_epochs = wl_run_get_config (run)->model.epochs;

  if (event->stage != WL_STAGE_TRAIN ||
      (event->type != WL_EVENT_PROGRESS && event->type != WL_EVENT_EPOCH))
    return;
  g_assert_cmpuint (event->n_epochs, ==, n_epochs);
  g_assert_cmpfloat (event->fraction, <=, 1.0);
  if (event->type == WL_EVENT_PROGRESS)
    {
      /* The soonest end does not count the epoch under way out. */
      g_assert_cmpuint (event->stop_epoch, ==, MIN (o->best > 0 ? o->best + o->patience
                                                    : 1 + o->patience, n_epochs));
      g_assert_cmpuint (event->stop_epoch, >=, event->epoch);
      if (event->eta >= 0)
        g_assert_cmpfloat (event->eta, <=, event->eta_max);
      o->n_progress++;
      return;
    }
  if (event->is_best)
    o->best = event->epoch;
  /* After each epoch: patience epochs after the best, at most the maximum. */
  g_assert_cmpuint (event->stop_epoch, ==, MIN (o->best + o->patience, n_epochs));
  g_assert_cmpfloat (event->eta, >=, 0.0);
  g_assert_cmpfloat (event->eta, <=, event->eta_max);
  if (event->stop_epoch > event->epoch)
    {
      /* Not over yet: what is left reaches to at least one more epoch, and
       * the maximum lies further. */
      g_assert_cmpfloat (event->eta, >, 0.0);
      g_assert_cmpfloat (event->eta_max, >, event->eta);
      o->ranged = TRUE;
    }
  o->last_epoch = event->epoch;
  o->last_stop = event->stop_epoch;
  o->last_eta = event->eta;
  o->last_eta_max = event->eta_max;
}

static void
test_early_stop_last_epoch (void)
{
  WlEarlyStopState fresh = { .best_metric = NAN };
  WlEarlyStopState improving = { .epochs_done = 4, .best_epoch = 4, .since_best = 0 };
  WlEarlyStopState stalling = { .epochs_done = 6, .best_epoch = 4, .since_best = 2 };
  WlEarlyStopState stopped = { .epochs_done = 7, .best_epoch = 4, .since_best = 3 };

  /* The first epoch is always the best so far: patience runs after it. */
  g_assert_cmpuint (wl_early_stop_last_epoch (&fresh, 3, 50, TRUE), ==, 4);
  g_assert_cmpuint (wl_early_stop_last_epoch (&improving, 3, 50, TRUE), ==, 7);
  g_assert_cmpuint (wl_early_stop_last_epoch (&stalling, 3, 50, TRUE), ==, 7);
  g_assert_cmpuint (wl_early_stop_last_epoch (&stopped, 3, 50, TRUE), ==, 7);
  /* The maximum bounds it; without patience or validation it is the end. */
  g_assert_cmpuint (wl_early_stop_last_epoch (&improving, 3, 5, TRUE), ==, 5);
  g_assert_cmpuint (wl_early_stop_last_epoch (&improving, 0, 50, TRUE), ==, 50);
  g_assert_cmpuint (wl_early_stop_last_epoch (&improving, 3, 50, FALSE), ==, 50);
}

static void
test_run_early_stopping (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-run-XXXXXX", NULL);
  g_autofree char *path = write_dataset (dir, 1500);

  for (WlModelType type = 0; type < WL_N_MODELS; type++)
    {
      g_autoptr(WlConfig) config = config_for (path, type);
      g_autoptr(WlRun) run = NULL;
      g_autoptr(GError) error = NULL;
      const WlRunSummary *summary;
      const WlClassifier *classifier;
      const WlConfig *ran;
      KeptModels kept = { NULL, NULL };
      g_autofree float *got = NULL, *best = NULL, *last = NULL;
      gsize size;

      Outlook outlook = { .patience = config->model.patience };
      gboolean refits = wl_setting_applies_to (wl_settings_find ("model", "refit"), type);

      config->threads = 1;
      /* The best epoch's model, not a refit's (test_run_refit). */
      if (refits)
        config->model.refit = FALSE;
      run = wl_run_new (config);
      wl_run_set_checkpoint_func (run, keep_models, &kept);
      g_assert_true (wl_run_run_sync (run, on_outlook_event, &outlook, &error));
      g_assert_no_error (error);
      summary = wl_run_get_summary (run);
      ran = wl_run_get_config (run);
      g_test_message ("%s: best epoch %u of %u run, at most %u", wl_model_type_to_string (type),
                      summary->best_epoch, summary->epochs_run, ran->model.epochs);

      /* Training was ended by early stopping, not by the epoch count. */
      g_assert_cmpuint (ran->model.epochs, >=, 20);
      g_assert_cmpuint (ran->model.patience, >, 0);
      g_assert_true (summary->stopped_early);
      g_assert_cmpuint (summary->epochs_run, <, ran->model.epochs);
      g_assert_cmpuint (summary->epochs_run, ==, summary->best_epoch + ran->model.patience);

      /* The events said where it would end: patience epochs after the best,
       * a range of time left until then, and nothing left at the end. */
      g_assert_cmpuint (outlook.n_progress, >, 0);
      g_assert_true (outlook.ranged);
      g_assert_cmpuint (outlook.last_epoch, ==, summary->epochs_run);
      g_assert_cmpuint (outlook.last_stop, ==, summary->epochs_run);
      g_assert_cmpfloat (outlook.last_eta, ==, 0.0);
      g_assert_cmpfloat (outlook.last_eta_max, ==, 0.0);

      /* The model kept is the best epoch's, and that differs from the last. */
      classifier = wl_run_get_classifier (run);
      size = 6 * wl_classifier_get_n_labels (classifier) * sizeof (float);
      got = predict_with (wl_model_clone (wl_classifier_get_model (classifier)), classifier);
      best = predict_with (g_steal_pointer (&kept.best), classifier);
      last = predict_with (g_steal_pointer (&kept.last), classifier);
      g_assert_cmpmem (got, size, best, size);
      g_assert_true (memcmp (got, last, size) != 0);
      g_assert_cmpuint (summary->refit_epochs, ==, 0);
    }

  g_unlink (path);
  g_rmdir (dir);
}

/* linear and embedding-bag, by default: after early stopping, a new model
 * trained on the training and validation rows for the best epoch count is
 * the run's model; its epochs are not the run's. */
static void
test_run_refit (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-run-XXXXXX", NULL);
  g_autofree char *path = write_dataset (dir, 1500);
  const WlModelType types[] = { WL_MODEL_LINEAR, WL_MODEL_EMBEDDING_BAG };

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr(WlConfig) config = config_for (path, types[t]);
      g_autoptr(WlRun) run = NULL;
      g_autoptr(GError) error = NULL;
      const WlRunSummary *summary;
      const WlClassifier *classifier;
      KeptModels kept = { NULL, NULL };
      g_autofree float *got = NULL, *best = NULL;
      gsize size;
      Outlook outlook = { .patience = config->model.patience };

      g_assert_true (config->model.refit);
      config->threads = 1;
      run = wl_run_new (config);
      wl_run_set_checkpoint_func (run, keep_models, &kept);
      wl_run_set_final_model_func (run, keep_final_model, &kept);
      g_assert_true (wl_run_run_sync (run, on_outlook_event, &outlook, &error));
      g_assert_no_error (error);
      summary = wl_run_get_summary (run);
      g_assert_cmpuint (summary->best_epoch, >, 0);
      /* The best epoch count, and at least 4. */
      g_assert_cmpuint (summary->refit_epochs, ==, MAX (summary->best_epoch, 4));
      g_assert_cmpuint (summary->n_refit, ==, summary->n_train + summary->n_valid);
      /* The outlook and the epochs are the validated training's. */
      g_assert_cmpuint (outlook.last_epoch, ==, summary->epochs_run);

      classifier = wl_run_get_classifier (run);
      size = 6 * wl_classifier_get_n_labels (classifier) * sizeof (float);
      got = predict_with (wl_model_clone (wl_classifier_get_model (classifier)), classifier);
      best = predict_with (g_steal_pointer (&kept.best), classifier);
      g_assert_true (memcmp (got, best, size) != 0);
      /* The final model hook was given the refit model, once. */
      g_assert_cmpuint (kept.n_final, ==, 1);
      g_free (best);
      best = predict_with (g_steal_pointer (&kept.final), classifier);
      g_assert_true (memcmp (got, best, size) == 0);
      g_clear_pointer (&kept.last, wl_model_free);
      g_assert_nonnull (wl_run_get_evaluation (run));
      g_assert_cmpfloat (wl_run_get_evaluation (run)->metrics->accuracy, >, 0.8);
    }

  g_unlink (path);
  g_rmdir (dir);
}

/* A model still improving is not cut off at a small fixed count: with a
 * learning rate so low that the validation loss falls at every epoch, the
 * default maximum lets training go on well past five epochs. */
static void
test_run_trains_while_improving (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-run-XXXXXX", NULL);
  g_autofree char *path = write_dataset (dir, 600);
  struct { WlModelType type; double lr; } cases[] = {
    { WL_MODEL_LINEAR, 0.002 },
    { WL_MODEL_EMBEDDING_BAG, 0.002 },
    { WL_MODEL_MLP, 1e-5 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(WlConfig) config = config_for (path, cases[c].type);
      g_autoptr(WlRun) run = NULL;
      g_autoptr(GError) error = NULL;
      const WlRunSummary *summary;

      config->threads = 1;
      config->model.lr = cases[c].lr;
      config->model.early_stop_metric = WL_METRIC_LOSS;
      run = wl_run_new (config);
      g_assert_true (wl_run_run_sync (run, NULL, NULL, &error));
      g_assert_no_error (error);
      summary = wl_run_get_summary (run);
      g_test_message ("%s: best epoch %u of %u run", wl_model_type_to_string (cases[c].type),
                      summary->best_epoch, summary->epochs_run);
      g_assert_cmpuint (summary->epochs_run, >, 10);
      g_assert_cmpuint (summary->best_epoch, >, 10);
    }

  g_unlink (path);
  g_rmdir (dir);
}

static const char *cjk_phrases[2][4] = {
  { "酒店服务很好", "房间干净", "早餐好吃", "位置方便" },
  { "房间太脏了", "服务很差", "隔音不好", "价格太贵" },
};

/* The Clean page's preview shows the tokens the run uses, for each model:
 * the preview resolves the config as the trainer does, so a recurrent
 * model's ICU words are previewed rather than CJK bigrams. */
static void
test_run_preview_tokens (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-run-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "data.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("label,text\n");
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);

  for (guint i = 0; i < 120; i++)
    {
      guint c = i % 2;
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint w = 0; w < 4; w++)
        g_string_append (text, cjk_phrases[g_rand_int_range (rand, 0, 10) < 8 ? c : 1 - c]
                                          [g_rand_int_range (rand, 0, 4)]);
      g_string_append_printf (csv, "%s,%s\n", c ? "bad" : "good", text->str);
      g_ptr_array_add (texts, g_string_free (g_steal_pointer (&text), FALSE));
    }
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));

  for (WlModelType type = 0; type < WL_N_MODELS; type++)
    {
      g_autoptr(WlConfig) config = config_for (path, type);
      g_autoptr(WlConfig) previewed = NULL;
      g_autoptr(WlCleanPreview) preview = NULL;
      g_autoptr(WlRun) run = NULL;
      g_autoptr(GError) error = NULL;
      const WlPreprocessor *pp;
      WlTokenList tokens = { 0 };

      config->threads = 1;
      config->model.epochs = 1;
      previewed = wl_config_copy (config);
      wl_model_resolve_text_config (previewed, (const char * const *) texts->pdata, texts->len);
      preview = wl_clean_preview_compute (&previewed->clean, &previewed->tokens,
                                          (const char * const *) texts->pdata, texts->len,
                                          NULL, &error);
      g_assert_no_error (error);

      run = wl_run_new (config);
      g_assert_true (wl_run_run_sync (run, NULL, NULL, &error));
      g_assert_no_error (error);
      g_test_message ("%s: %s", wl_model_type_to_string (type),
                      wl_tokenizer_kind_to_string (wl_run_get_config (run)->tokens.kind));
      g_assert_cmpint (preview->tokens.kind, ==, wl_run_get_config (run)->tokens.kind);

      pp = wl_classifier_get_preprocessor (wl_run_get_classifier (run));
      for (guint i = 0; i < texts->len; i++)
        {
          const WlTokenList *shown = &preview->rows[i].tokens;

          wl_preprocessor_tokenize (pp, texts->pdata[i], &tokens);
          g_assert_cmpuint (shown->n_tokens, ==, tokens.n_tokens);
          for (guint t = 0; t < tokens.n_tokens; t++)
            g_assert_cmpstr (wl_token_list_get (shown, t), ==, wl_token_list_get (&tokens, t));
        }
      wl_token_list_clear (&tokens);
    }

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/run/events", test_run_events);
  g_test_add_func ("/run/sync-matches-async", test_run_sync_matches_async);
  g_test_add_func ("/run/cancel", test_run_cancel);
  g_test_add_func ("/run/pause", test_run_pause);
  g_test_add_func ("/run/failures", test_run_failures);
  g_test_add_func ("/run/progress-rate", test_run_progress_rate);
  g_test_add_func ("/run/learning-rate", test_run_learning_rate);
  g_test_add_func ("/run/early-stop-last-epoch", test_early_stop_last_epoch);
  g_test_add_func ("/run/early-stopping", test_run_early_stopping);
  g_test_add_func ("/run/refit", test_run_refit);
  g_test_add_func ("/run/trains-while-improving", test_run_trains_while_improving);
  g_test_add_func ("/run/preview-tokens", test_run_preview_tokens);
  return g_test_run ();
}
