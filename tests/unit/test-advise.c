/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-advise.c: the advisor: every candidate measured and projected (the
 * larger batch sizes among them), early stopping's epochs measured, the
 * pick one of them, the budget kept, the wisdom reused and measured again
 * when the model's shape changes, and cancel within 200 ms. */
#include <glib/gstdio.h>
#include <math.h>

#include "models/wl-neural.h"
#include "store/wl-store-wisdom.h"
#include "train/wl-advise.h"
#include "wl-error.h"
#include "wl-settings.h"

static const char *words[2][6] = {
  { "goal", "team", "coach", "match", "league", "score" },
  { "recipe", "spicy", "dinner", "sauce", "bread", "kitchen" },
};

typedef struct
{
  char     *dir;
  char     *data;
  WlConfig *config;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  user_data)
{
  g_autoptr(GString) csv = g_string_new ("label,text\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);

  f->dir = g_dir_make_tmp ("advise-XXXXXX", NULL);
  f->data = g_build_filename (f->dir, "data.csv", NULL);
  for (guint i = 0; i < 3000; i++)
    {
      guint c = i % 2;

      g_string_append_printf (csv, "%s,", c ? "food" : "sport");
      for (guint w = 0; w < 16; w++)
        g_string_append_printf (csv, "%s%u ", words[g_rand_int_range (rand, 0, 10) < 8 ? c : 1 - c]
                                                   [g_rand_int_range (rand, 0, 6)],
                                g_rand_int_range (rand, 0, 40));
      g_string_append_c (csv, '\n');
    }
  g_assert_true (g_file_set_contents (f->data, csv->str, csv->len, NULL));
  f->config = wl_config_new ();
  f->config->data.input = g_strdup (f->data);
  f->config->model.type = WL_MODEL_MLP;
  f->config->model.epochs = 4;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  user_data)
{
  g_autofree char *store = g_build_filename (f->dir, "runs.sqlite", NULL);
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  wl_config_free (f->config);
  g_free (f->data);
  g_free (f->dir);
}

/* Every CPU thread count is a candidate at the model's batch size, and
 * the fastest of those at twice and four times it; each measured and
 * projected as the sum of its parts, training as the steps its batches
 * take; the pick is the fastest of them, and what a candidate sets is
 * what a run can use. */
static void
test_candidates (Fixture       *f,
                 gconstpointer  user_data)
{
  WlAdviseOptions options = { 2.0, FALSE, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlAdvice) advice = wl_advise_run (f->config, &options, NULL, &error);
  g_autoptr(WlConfig) chosen = wl_config_copy (f->config);
  const WlAdviseCandidate *pick, *larger = NULL;
  guint n_cpu = 0, n_larger = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (advice->batch_size, ==, 32);   /* the mlp's default */
  g_assert_cmpuint (advice->n_sample, >, 0);
  g_assert_cmpuint (advice->n_rows, ==, 3000);
  g_assert_cmpuint (advice->max_epochs, ==, 4);
  g_assert_cmpuint (advice->preprocess_threads->len, ==, advice->preprocess_seconds->len);
  g_assert_cmpuint (g_array_index (advice->preprocess_threads, guint, 0), ==, 1);
  g_assert_cmpuint (advice->pick, <, advice->candidates->len);
  pick = wl_advice_get_pick (advice);
  for (guint i = 0; i < advice->candidates->len; i++)
    {
      const WlAdviseCandidate *c = g_ptr_array_index (advice->candidates, i);

      if (c->batch_size != advice->batch_size)
        {
          /* After every candidate at the batch size set, on one of them. */
          g_assert_cmpuint (c->batch_size, ==, advice->batch_size * (n_larger == 0 ? 2 : 4));
          g_assert_true (larger == NULL || (g_str_equal (c->device, larger->device) &&
                                            c->threads == larger->threads &&
                                            c->precision == larger->precision));
          g_assert_cmpuint (i, >=, n_cpu);
          larger = c;
          n_larger++;
        }
      else
        g_assert_cmpuint (c->epochs, ==, advice->expected_epochs);
      if (c->batch_size == advice->batch_size && g_str_equal (c->device, "cpu"))
        {
          g_assert_cmpuint (c->threads, ==,
                            g_array_index (advice->preprocess_threads, guint, n_cpu));
          n_cpu++;
          g_assert_null (c->failure);
        }
      if (c->failure != NULL)
        continue;
      g_assert_cmpint (c->precision, ==, WL_PRECISION_FP32);   /* nothing emulated */
      g_assert_false (c->reused);
      g_assert_cmpfloat (c->measure.train_seconds, >, 0.0);
      g_assert_cmpfloat (c->measure.predict_seconds, >, 0.0);
      g_assert_cmpfloat (fabs (c->total - (c->load + c->preprocess + c->train + c->evaluate)), <,
                         1e-9 * c->total);
      /* Its steps an epoch, each as long as the burst's were. */
      g_assert_cmpfloat (fabs (c->train - c->measure.startup_seconds -
                               c->epochs *
                               wl_neural_count_batches (advice->n_train, c->batch_size) *
                               c->measure.train_seconds * advice->n_sample /
                               wl_neural_count_batches (advice->n_sample, c->batch_size)), <,
                         1e-9 * c->train);
      g_assert_cmpfloat (c->total_low, <=, c->total);
      g_assert_cmpfloat (c->total, <=, c->total_high);
      g_assert_cmpfloat (pick->total, <=, c->total);
    }
  g_assert_cmpuint (n_cpu, ==, advice->preprocess_threads->len);
  g_assert_cmpuint (n_larger, ==, 2);
  g_assert_nonnull (strstr (advice->summary, "about"));
  /* A pick in larger batches says what that may cost. */
  g_assert_true ((pick->batch_size != advice->batch_size) ==
                 (strstr (advice->summary, "accuracy") != NULL));

  wl_advise_apply (pick, chosen);
  g_assert_cmpuint (chosen->threads, ==, pick->threads);
  g_assert_cmpstr (chosen->model.device, ==, pick->device);
  g_assert_true (wl_config_validate (chosen, WL_SETTING_NAME_KEY, &error));
  g_assert_true (wl_config_check_resolved (chosen, WL_SETTING_NAME_KEY, &error));
  g_assert_no_error (error);
  /* A larger batch is set; the model's own stays its default. */
  wl_advise_apply (larger, chosen);
  g_assert_cmpuint (chosen->model.batch_size, ==, 4 * advice->batch_size);
  g_assert_true (wl_config_validate (chosen, WL_SETTING_NAME_KEY, &error));
  g_assert_no_error (error);
  g_clear_pointer (&chosen, wl_config_free);
  chosen = wl_config_copy (f->config);
  wl_advise_apply (g_ptr_array_index (advice->candidates, 0), chosen);
  g_assert_cmpuint (chosen->model.batch_size, ==, 0);
}

/* The measurements stay within the budget (give or take a batch, and a
 * loaded machine's slack); the file's loading and a device's first
 * startup are apart. */
static void
test_budget (Fixture       *f,
             gconstpointer  user_data)
{
  static const double budgets[] = { 1.0, 3.0 };

  f->config->model.type = WL_MODEL_LSTM;
  for (guint i = 0; i < G_N_ELEMENTS (budgets); i++)
    {
      WlAdviseOptions options = { budgets[i], FALSE, NULL, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(WlAdvice) advice = wl_advise_run (f->config, &options, NULL, &error);

      double startups = 0.0;

      g_assert_no_error (error);
      g_assert_cmpfloat (advice->budget, ==, budgets[i]);
      /* However little time is left for it, every CPU candidate is measured. */
      for (guint c = 0; c < advice->candidates->len; c++)
        {
          const WlAdviseCandidate *candidate = g_ptr_array_index (advice->candidates, c);

          if (g_str_equal (candidate->device, "cpu"))
            g_assert_null (candidate->failure);
        }
      /* A device's one-time startup (an OpenCL driver building its
       * kernels the first time) cannot be cut short; it is reported. */
      for (guint c = 0; c < advice->candidates->len; c++)
        startups += ((WlAdviseCandidate *) g_ptr_array_index (advice->candidates, c))->measure.startup_seconds;
      g_assert_cmpfloat (advice->measured_seconds, <=, budgets[i] * 1.5 + 0.5 + startups);
    }
}

/* The wisdom: a second advice on the same data and model reuses every
 * measure (the larger batch sizes too, each kept under its own shape); a
 * model of another shape is measured again; --remeasure measures again
 * and replaces what was kept. */
static void
test_wisdom (Fixture       *f,
             gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (f->dir, "runs.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WlStore) store = wl_store_open (path, &error);
  WlAdviseOptions options = { 1.0, FALSE, wl_store_get_wisdom (), NULL };
  g_autoptr(WlAdvice) first = NULL, again = NULL, other = NULL, remeasured = NULL;
  gint64 kept;

  g_assert_no_error (error);
  options.wisdom_data = store;
  first = wl_advise_run (f->config, &options, NULL, &error);
  g_assert_no_error (error);
  kept = wl_store_count_wisdom (store, &error);
  g_assert_cmpint (kept, ==, first->candidates->len);

  again = wl_advise_run (f->config, &options, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < again->candidates->len; i++)
    {
      const WlAdviseCandidate *a = g_ptr_array_index (again->candidates, i);
      const WlAdviseCandidate *b = g_ptr_array_index (first->candidates, i);

      g_assert_true (a->reused);
      g_assert_cmpuint (a->batch_size, ==, b->batch_size);
      g_assert_cmpfloat (a->measure.train_seconds, ==, b->measure.train_seconds);
    }
  /* Reused measures take no burst: far below the budget. */
  g_assert_cmpfloat (again->measured_seconds, <, first->measured_seconds);

  f->config->model.hidden = 64;
  other = wl_advise_run (f->config, &options, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < other->candidates->len; i++)
    g_assert_false (((WlAdviseCandidate *) g_ptr_array_index (other->candidates, i))->reused);
  g_assert_cmpint (wl_store_count_wisdom (store, &error), ==, kept + other->candidates->len);

  options.remeasure = TRUE;
  remeasured = wl_advise_run (f->config, &options, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < remeasured->candidates->len; i++)
    g_assert_false (((WlAdviseCandidate *) g_ptr_array_index (remeasured->candidates, i))->reused);
  /* Replaced, not added; but the two larger batch sizes go on the
   * candidate measured fastest, which may now be another thread count. */
  g_assert_cmpint (wl_store_count_wisdom (store, &error), >=, kept + other->candidates->len);
  g_assert_cmpint (wl_store_count_wisdom (store, &error), <=, kept + other->candidates->len + 2);
}

/* Early stopping's epochs are measured on the sample: an embedding-bag
 * model on these easy data stops long before its 50 epochs, and the
 * projection expects what was measured, scaled to the training part; without patience nothing is
 * measured and every epoch is expected. */
static void
test_epochs (Fixture       *f,
             gconstpointer  user_data)
{
  WlAdviseOptions options = { 2.0, FALSE, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(WlAdvice) stops = NULL, runs_all = NULL;

  f->config->model.type = WL_MODEL_EMBEDDING_BAG;
  f->config->model.epochs = 50;
  f->config->model.patience = 2;
  stops = wl_advise_run (f->config, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stops->measured_epochs, >=, 3);   /* the first, then two without gain */
  g_assert_cmpuint (stops->measured_epochs, <, 50);
  /* Scaled from the rows it trained on to the training part's. */
  g_assert_cmpuint (stops->expected_epochs, ==,
                    CLAMP ((guint) lround (stops->measured_epochs *
                                           sqrt ((double) (stops->n_sample * 4 / 5) /
                                                 stops->n_train)), 3, 50));

  f->config->model.patience = 0;
  runs_all = wl_advise_run (f->config, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs_all->measured_epochs, ==, 0);
  g_assert_cmpuint (runs_all->expected_epochs, ==, 50);
}

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  gint64        cancelled_at;
  gint64        ended_at;
  GError       *error;
} CancelWatch;

static void
on_advised (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  CancelWatch *watch = data;
  g_autoptr(WlAdvice) advice = wl_advise_finish (result, &watch->error);

  watch->ended_at = g_get_monotonic_time ();
  g_main_loop_quit (watch->loop);
}

static gboolean
cancel_now (gpointer data)
{
  CancelWatch *watch = data;

  watch->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (watch->cancellable);
  return G_SOURCE_REMOVE;
}

/* Cancelled in the middle of the bursts (a large LSTM, whose batches are
 * the slowest), the advice ends within 200 ms (with slack for a loaded
 * machine: a behaviour, not a speed goal) with a cancelled error. */
static void
test_cancel (Fixture       *f,
             gconstpointer  user_data)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  WlAdviseOptions options = { 60.0, FALSE, NULL, NULL };
  CancelWatch watch = { loop, cancellable, 0, 0, NULL };

  f->config->model.type = WL_MODEL_LSTM;
  f->config->model.hidden = 128;
  wl_advise_async (f->config, &options, cancellable, on_advised, &watch);
  g_timeout_add (1500, cancel_now, &watch);
  g_main_loop_run (loop);
  g_assert_error (watch.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&watch.error);
  g_assert_cmpint (watch.ended_at - watch.cancelled_at, <, 200 * 1000 * 2);
}

/* "auto" is a value of device and threads, which a run refuses. */
static void
test_auto_setting (void)
{
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(GError) error = NULL;

  config->model.type = WL_MODEL_MLP;
  g_assert_true (wl_setting_parse (wl_settings_find (NULL, "threads"), config, "auto", &error));
  g_assert_true (wl_setting_parse (wl_settings_find ("model", "device"), config, "auto", &error));
  g_assert_no_error (error);
  g_assert_true (wl_config_validate (config, WL_SETTING_NAME_FLAG, &error));
  g_assert_false (wl_config_check_resolved (config, WL_SETTING_NAME_FLAG, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "auto"));
  g_clear_error (&error);
  g_assert_false (wl_setting_parse (wl_settings_find ("model", "epochs"), config, "auto", &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/advise/auto-setting", test_auto_setting);
  g_test_add ("/advise/candidates", Fixture, NULL, fixture_set_up, test_candidates, fixture_tear_down);
  g_test_add ("/advise/budget", Fixture, NULL, fixture_set_up, test_budget, fixture_tear_down);
  g_test_add ("/advise/wisdom", Fixture, NULL, fixture_set_up, test_wisdom, fixture_tear_down);
  g_test_add ("/advise/epochs", Fixture, NULL, fixture_set_up, test_epochs, fixture_tear_down);
  g_test_add ("/advise/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  return g_test_run ();
}
