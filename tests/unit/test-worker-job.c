/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-worker-job.c: the engine's _async/_finish helper (wl-worker-job.c):
 * the job runs on a worker, its progress arrives in order on the caller's
 * main context, results, errors and cancellation come back through
 * _finish, and the job's data and an unclaimed result are freed. */
#include "config.h"

#include <gio/gio.h>

#include "train/wl-worker-job.h"
#include "wl-error.h"

typedef struct
{
  GThread    *main_thread;
  GThread    *job_thread;
  GArray     *progress;     /* guint64 done values, as delivered */
  gint        n_job_frees;      /* atomic: the last reference may be the worker's */
  gint        n_result_frees;
  gboolean    fail;
  gboolean    done;
  char       *result;
  GError     *error;
} Fixture;

static Fixture *fixture;   /* for the GDestroyNotify callbacks */

static gpointer
job_func (gpointer         job,
          WlProgressFunc   progress,
          gpointer         progress_data,
          GCancellable    *cancellable,
          GError         **error)
{
  Fixture *fx = job;

  fx->job_thread = g_thread_self ();
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (fx->fail)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID, "the job failed");
      return NULL;
    }
  for (guint64 i = 1; i <= 3; i++)
    if (progress != NULL)
      progress (i, 3, progress_data);
  return g_strdup ("the result");
}

static void
job_free (gpointer job)
{
  g_atomic_int_inc (&((Fixture *) job)->n_job_frees);
}

static void
result_free (gpointer result)
{
  g_atomic_int_inc (&fixture->n_result_frees);
  g_free (result);
}

static void
on_progress (guint64  done,
             guint64  total,
             gpointer data)
{
  Fixture *fx = data;

  g_assert_true (g_thread_self () == fx->main_thread);
  g_assert_cmpuint (total, ==, 3);
  g_array_append_val (fx->progress, done);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Fixture *fx = data;

  g_assert_true (g_thread_self () == fx->main_thread);
  fx->result = wl_worker_job_finish (result, job_func, &fx->error);
  fx->done = TRUE;
}

static void
on_done_unclaimed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  ((Fixture *) data)->done = TRUE;
}

static void
run (Fixture             *fx,
     GCancellable        *cancellable,
     GAsyncReadyCallback  callback)
{
  wl_worker_job_run (job_func, job_func, fx, job_free, result_free, on_progress, fx,
                     cancellable, callback, fx);
  while (!fx->done)
    g_main_context_iteration (NULL, TRUE);
  /* The task and its data go once the callback has returned and the
   * worker has let go of it. */
  while (g_atomic_int_get (&fx->n_job_frees) == 0)
    {
      g_main_context_iteration (NULL, FALSE);
      g_thread_yield ();
    }
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  fx->main_thread = g_thread_self ();
  fx->progress = g_array_new (FALSE, FALSE, sizeof (guint64));
  fixture = fx;
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_array_unref (fx->progress);
  g_free (fx->result);
  g_clear_error (&fx->error);
  fixture = NULL;
}

static void
test_result (Fixture       *fx,
             gconstpointer  data)
{
  run (fx, NULL, on_done);
  g_assert_no_error (fx->error);
  g_assert_cmpstr (fx->result, ==, "the result");
  g_assert_true (fx->job_thread != NULL && fx->job_thread != fx->main_thread);
  g_assert_cmpuint (fx->progress->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (g_array_index (fx->progress, guint64, i), ==, i + 1);
  g_assert_cmpuint (fx->n_job_frees, ==, 1);
  g_assert_cmpuint (fx->n_result_frees, ==, 0);   /* the caller owns it */
}

static void
test_error (Fixture       *fx,
            gconstpointer  data)
{
  fx->fail = TRUE;
  run (fx, NULL, on_done);
  g_assert_error (fx->error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_null (fx->result);
  g_assert_cmpuint (fx->progress->len, ==, 0);
  g_assert_cmpuint (fx->n_job_frees, ==, 1);
}

static void
test_cancelled (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);
  run (fx, cancellable, on_done);
  g_assert_error (fx->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (fx->result);
  g_assert_cmpuint (fx->n_job_frees, ==, 1);
}

static void
test_unclaimed (Fixture       *fx,
                gconstpointer  data)
{
  run (fx, NULL, on_done_unclaimed);
  g_assert_cmpuint (fx->n_result_frees, ==, 1);
  g_assert_cmpuint (fx->n_job_frees, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/worker-job/result", Fixture, NULL, fixture_set_up, test_result, fixture_tear_down);
  g_test_add ("/worker-job/error", Fixture, NULL, fixture_set_up, test_error, fixture_tear_down);
  g_test_add ("/worker-job/cancelled", Fixture, NULL, fixture_set_up, test_cancelled, fixture_tear_down);
  g_test_add ("/worker-job/unclaimed", Fixture, NULL, fixture_set_up, test_unclaimed, fixture_tear_down);
  return g_test_run ();
}
