/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-parallel.c: the ordered parallel loop of engine/exec. */
#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "config.h"

#include <stdatomic.h>

#include "wl-error.h"
#include "exec/wl-parallel.h"

typedef struct
{
  guint        *hits;        /* how often each item was handled */
  guint         n_threads;
  atomic_uint   busy;        /* bit w set while worker w runs a chunk */
  atomic_uint   overlaps;    /* a worker index used twice at once */
  atomic_uint   bad_worker;
  atomic_size_t calls;
} Count;

static void
count_range (gsize    begin,
             gsize    end,
             gpointer user_data,
             guint    worker)
{
  Count *c = user_data;
  guint bit = 1u << MIN (worker, 31);

  if (worker >= c->n_threads)
    atomic_fetch_add (&c->bad_worker, 1);
  if (atomic_fetch_or (&c->busy, bit) & bit)
    atomic_fetch_add (&c->overlaps, 1);
  for (gsize i = begin; i < end; i++)
    c->hits[i]++;
  atomic_fetch_add (&c->calls, 1);
  atomic_fetch_and (&c->busy, ~bit);
}

static void
check_loop (gsize n,
            gsize chunk,
            guint n_threads)
{
  g_autoptr(GError) error = NULL;
  Count c = { g_new0 (guint, MAX (n, 1)), wl_parallel_resolve_threads (n_threads) };

  atomic_init (&c.busy, 0);
  atomic_init (&c.overlaps, 0);
  atomic_init (&c.bad_worker, 0);
  atomic_init (&c.calls, 0);

  g_assert_true (wl_parallel_for (n, chunk, n_threads, count_range, &c, NULL, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpuint (c.hits[i], ==, 1);
  g_assert_cmpuint (atomic_load (&c.overlaps), ==, 0);
  g_assert_cmpuint (atomic_load (&c.bad_worker), ==, 0);
  if (chunk > 0)
    g_assert_cmpuint (atomic_load (&c.calls), ==, (n + chunk - 1) / chunk);
  g_free (c.hits);
}

static void
test_every_item_once (void)
{
  const gsize sizes[] = { 0, 1, 2, 7, 1000, 100003 };
  const gsize chunks[] = { 0, 1, 3, 5000 };
  const guint threads[] = { 0, 1, 2, 3, 8 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint k = 0; k < G_N_ELEMENTS (chunks); k++)
      for (guint t = 0; t < G_N_ELEMENTS (threads); t++)
        check_loop (sizes[s], chunks[k], threads[t]);
}

static void
squares (gsize    begin,
         gsize    end,
         gpointer user_data,
         guint    worker)
{
  guint64 *out = user_data;

  for (gsize i = begin; i < end; i++)
    out[i] = (guint64) i * i;
}

static void
nested_range (gsize    begin,
              gsize    end,
              gpointer user_data,
              guint    worker)
{
  guint64 **rows = user_data;

  for (gsize r = begin; r < end; r++)
    g_assert_true (wl_parallel_for (500, 7, 4, squares, rows[r], NULL, NULL));
}

/* A callback may itself run a parallel loop on the same pool. */
static void
test_nested (void)
{
  guint64 *rows[16];

  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    rows[r] = g_new0 (guint64, 500);

  g_assert_true (wl_parallel_for (G_N_ELEMENTS (rows), 1, 4, nested_range, rows, NULL, NULL));

  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      for (gsize i = 0; i < 500; i++)
        g_assert_cmpuint (rows[r][i], ==, (guint64) i * i);
      g_free (rows[r]);
    }
}

static void
slow_range (gsize    begin,
            gsize    end,
            gpointer user_data,
            guint    worker)
{
  atomic_size_t *done = user_data;

  g_usleep (1000);
  atomic_fetch_add (done, end - begin);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (30 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  atomic_size_t done;
  GThread *canceller;
  gint64 start;

  /* Already cancelled: nothing runs. */
  atomic_init (&done, 0);
  g_cancellable_cancel (cancellable);
  g_assert_false (wl_parallel_for (100, 1, 2, slow_range, &done, cancellable, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_CANCELLED);
  g_assert_cmpuint (atomic_load (&done), ==, 0);
  g_clear_error (&error);

  /* Cancelled while running: stops within a chunk (1 ms) of the cancel. */
  g_cancellable_reset (cancellable);
  canceller = g_thread_new ("cancel", cancel_later, cancellable);
  start = g_get_monotonic_time ();
  g_assert_false (wl_parallel_for (100000, 1, 3, slow_range, &done, cancellable, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_cmpuint (atomic_load (&done), <, 100000);
  g_thread_join (canceller);
}

/* In background mode the pool's workers run niced, the caller does not
 * change unless it asks. */
static void
record_nice (gsize    begin,
             gsize    end,
             gpointer user_data,
             guint    worker)
{
  int *nices = user_data;

  g_usleep (2000);    /* long enough that both workers take items */
  errno = 0;
  nices[worker] = getpriority (PRIO_PROCESS, (pid_t) syscall (SYS_gettid));
  g_assert_cmpint (errno, ==, 0);
}

static void
test_background (void)
{
  int nices[2] = { -100, -100 };
  int main_nice = getpriority (PRIO_PROCESS, (pid_t) syscall (SYS_gettid));

  wl_parallel_set_background (TRUE);
  g_assert_true (wl_parallel_for (64, 1, 2, record_nice, nices, NULL, NULL));
  wl_parallel_set_background (FALSE);

  g_assert_cmpint (nices[0], ==, main_nice);     /* the caller: not a work thread */
  g_assert_cmpint (nices[1], ==, MIN (main_nice + WL_BACKGROUND_NICE, 19));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/parallel/background", test_background);
  g_test_add_func ("/parallel/every-item-once", test_every_item_once);
  g_test_add_func ("/parallel/nested", test_nested);
  g_test_add_func ("/parallel/cancel", test_cancel);

  return g_test_run ();
}
