/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-proc-threads.c: Wordloom's CPU time by kind of thread, on fake and real /proc. */
#include <stdatomic.h>
#include <string.h>
#include <glib/gstdio.h>

#include "exec/wl-parallel.h"
#include "monitor/wl-proc-threads.h"
#include "wl-error.h"

/* A fake ROOT/self with the process id 100 and the threads @names, whose
 * utime and stime are @ticks each. */
static void
write_threads (const char  *root,
               const char **names,
               const gint64 *tids,
               const guint64 *ticks,
               guint        n)
{
  g_autofree char *self = g_build_filename (root, "self", NULL);
  g_autofree char *task = g_build_filename (self, "task", NULL);
  g_autofree char *self_stat = g_build_filename (self, "stat", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  g_assert_cmpint (g_mkdir_with_parents (task, 0700), ==, 0);
  /* Threads of the last call are gone. */
  dir = g_dir_open (task, 0, NULL);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *thread = g_build_filename (task, entry, NULL);
      g_autofree char *stat = g_build_filename (thread, "stat", NULL);

      g_assert_no_errno (g_remove (stat));
      g_assert_no_errno (g_rmdir (thread));
    }
  g_assert_true (g_file_set_contents (self_stat, "100 (wordloom) S 1 100 100 0 -1 0 0 0 0 0 "
                                      "30 20 0 0 20 0 3 0 1 0 0\n", -1, NULL));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *dir_name = g_strdup_printf ("%" G_GINT64_FORMAT, tids[i]);
      g_autofree char *thread = g_build_filename (task, dir_name, NULL);
      g_autofree char *stat = g_build_filename (thread, "stat", NULL);
      g_autofree char *line = g_strdup_printf ("%" G_GINT64_FORMAT " (%s) R 1 100 100 0 -1 "
                                               "4194368 12 0 0 0 %" G_GUINT64_FORMAT " %"
                                               G_GUINT64_FORMAT " 0 0 20 0 3 0 1 0 0\n",
                                               tids[i], names[i], ticks[i], ticks[i]);

      g_assert_cmpint (g_mkdir (thread, 0700), ==, 0);
      g_assert_true (g_file_set_contents (stat, line, -1, NULL));
    }
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *entry;

      while ((entry = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, entry, NULL);

          remove_tree (child);
        }
      g_assert_no_errno (g_rmdir (path));
    }
  else
    g_assert_no_errno (g_remove (path));
}

static double
kind_of (const WlThreadTimes *times,
           gint64               tid)
{
  for (guint i = 0; i < times->n_threads; i++)
    if (times->tids[i] == tid)
      return times->kinds[i];
  return -1;
}

/* Each kind's share of the machine, threads that start and end between
 * readings, and a name with spaces and parentheses. */
static void
test_fake (void)
{
  g_autofree char *root = g_dir_make_tmp ("wl-threads-XXXXXX", NULL);
  const char *names[] = { "wordloom", "wordloom-run", "wordloom-work", "gdbus", "my (odd) one",
                          "llvmpipe-0" };
  gint64 tids[] = { 100, 101, 102, 103, 104, 106 };
  guint64 before_ticks[] = { 10, 50, 40, 5, 0, 20 };
  const char *later_names[] = { "wordloom", "wordloom-run", "wordloom-work", "wordloom-work",
                                "my (odd) one", "llvmpipe-0" };
  gint64 later_tids[] = { 100, 101, 102, 105, 104, 106 };
  guint64 after_ticks[] = { 15, 100, 90, 25, 5, 25 };
  WlThreadTimes before = { 0 }, after = { 0 };
  double busy[WL_N_THREAD_KINDS];
  g_autoptr(GError) error = NULL;

  write_threads (root, names, tids, before_ticks, G_N_ELEMENTS (names));
  g_assert_true (wl_thread_times_read (&before, root, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (before.n_threads, ==, 6);
  g_assert_cmpint (kind_of (&before, 100), ==, WL_THREAD_WINDOW);
  g_assert_cmpint (kind_of (&before, 101), ==, WL_THREAD_WORK);
  g_assert_cmpint (kind_of (&before, 102), ==, WL_THREAD_WORK);
  g_assert_cmpint (kind_of (&before, 103), ==, WL_THREAD_OTHER);
  g_assert_cmpint (kind_of (&before, 104), ==, WL_THREAD_OTHER);
  g_assert_cmpint (kind_of (&before, 106), ==, WL_THREAD_WINDOW);

  /* gdbus ended; a second worker started. */
  write_threads (root, later_names, later_tids, after_ticks, G_N_ELEMENTS (later_names));
  g_assert_true (wl_thread_times_read (&after, root, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (after.n_threads, ==, 6);

  /* 1000 ticks of all cores between the readings: the window used
   * 2 × (5 + 5), the work 2 × (50 + 50 + 25), the odd one 2 × 5. */
  wl_thread_times_busy (&before, &after, 1000, busy);
  g_assert_cmpfloat_with_epsilon (busy[WL_THREAD_WINDOW], 2.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (busy[WL_THREAD_WORK], 25.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (busy[WL_THREAD_OTHER], 1.0, 1e-9);

  /* Nothing elapsed: nothing busy. */
  wl_thread_times_busy (&before, &after, 0, busy);
  g_assert_cmpfloat (busy[WL_THREAD_WORK], ==, 0);

  wl_thread_times_clear (&before);
  wl_thread_times_clear (&after);
  remove_tree (root);
}

/* A folder that is no /proc says which file it lacks. */
static void
test_missing (void)
{
  g_autofree char *root = g_dir_make_tmp ("wl-threads-XXXXXX", NULL);
  WlThreadTimes times = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_false (wl_thread_times_read (&times, root, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, root));
  wl_thread_times_clear (&times);
  remove_tree (root);
}

static atomic_bool stop_spinning;
static atomic_uint n_spinning;

static void
spin (gsize    begin,
      gsize    end,
      gpointer user_data,
      guint    worker)
{
  WlThreadTimes *times = user_data;

  atomic_fetch_add (&n_spinning, 1);
  /* Worker 0 is this test's thread: it reads /proc while the pool's
   * worker spins. */
  if (worker == 0)
    {
      while (atomic_load (&n_spinning) < 2)
        g_usleep (1000);
      g_assert_true (wl_thread_times_read (times, NULL, NULL));
      atomic_store (&stop_spinning, TRUE);
    }
  while (!atomic_load (&stop_spinning))
    g_usleep (1000);
}

/* On the real /proc: this thread is the main one, and the pool's workers
 * carry the engine's name. */
static void
test_real (void)
{
  WlThreadTimes times = { 0 };
  guint n_window = 0, n_work = 0;

  g_assert_true (wl_parallel_for (2, 1, 2, spin, &times, NULL, NULL));
  for (guint i = 0; i < times.n_threads; i++)
    {
      n_window += times.kinds[i] == WL_THREAD_WINDOW;
      n_work += times.kinds[i] == WL_THREAD_WORK;
    }
  g_assert_cmpuint (n_window, ==, 1);
  g_assert_cmpuint (n_work, >=, 1);
  wl_thread_times_clear (&times);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/monitor/threads/fake", test_fake);
  g_test_add_func ("/monitor/threads/missing", test_missing);
  g_test_add_func ("/monitor/threads/real", test_real);
  return g_test_run ();
}
