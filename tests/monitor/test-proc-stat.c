/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-proc-stat.c: /proc/stat, statm and meminfo parsing on fake and real files. */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "monitor/wl-proc-stat.h"
#include "wl-error.h"

typedef struct
{
  char *root;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *self = NULL;

  f->root = g_dir_make_tmp ("wl-proc-XXXXXX", NULL);
  g_assert_nonnull (f->root);
  self = g_build_filename (f->root, "self", NULL);
  g_assert_cmpint (g_mkdir (self, 0700), ==, 0);
}

static void
write_file (Fixture    *f,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (f->root, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  const char *names[] = { "stat", "meminfo", "self/statm", "self", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (f->root, names[i], NULL);

      g_remove (path);
    }
  g_assert_cmpint (g_rmdir (f->root), ==, 0);
  g_free (f->root);
}

/* Jiffies: user nice system idle iowait irq softirq steal guest guest_nice */
static const char stat_before[] =
  "cpu  100 0 100 800 0 0 0 0 0 0\n"
  "cpu0 50 0 50 400 0 0 0 0 0 0\n"
  "cpu1 50 0 50 400 0 0 0 0 0 0\n"
  "cpu2 0 0 0 0 0 0 0 0 0 0\n"
  "intr 12345 0 0\n"
  "ctxt 999\n"
  "cpu-like line that is not one 1 2 3 4\n";

static const char stat_after[] =
  "cpu  400 0 200 1400 0 0 0 0 0 0\n"
  "cpu0 300 0 100 600 0 0 0 0 0 0\n"      /* busy 300 of 500: 60 % */
  "cpu1 100 0 100 800 0 0 0 0 0 0\n"      /* busy 100 of 500: 20 % */
  /* busy = user + nice + system + irq + softirq + steal = 30, idle + iowait = 70;
   * guest (10) is already inside user: 30 % */
  "cpu2 10 5 5 50 20 3 2 5 10 0\n"
  "intr 12345 0 0\n";

static void
test_cpu_percentages (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WlProcReader) reader = wl_proc_reader_new (f->root);
  WlCpuTimes before = { 0 }, after = { 0 };
  double per_core[3], all;

  write_file (f, "stat", stat_before);
  g_assert_true (wl_proc_reader_read_cpu (reader, &before, NULL));
  g_assert_cmpuint (before.n_cores, ==, 3);
  g_assert_cmpuint (before.busy[0], ==, 200);
  g_assert_cmpuint (before.total[0], ==, 1000);

  write_file (f, "stat", stat_after);
  g_assert_true (wl_proc_reader_read_cpu (reader, &after, NULL));
  g_assert_true (wl_cpu_times_busy (&before, &after, per_core, &all));
  g_assert_cmpfloat_with_epsilon (all, 40.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (per_core[0], 60.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (per_core[1], 20.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (per_core[2], 30.0, 1e-9);

  /* No time passed: 0 %, not a division by zero. */
  g_assert_true (wl_cpu_times_busy (&after, &after, per_core, &all));
  g_assert_cmpfloat (all, ==, 0.0);
  g_assert_cmpfloat (per_core[2], ==, 0.0);

  wl_cpu_times_clear (&before);
  wl_cpu_times_clear (&after);
}

static void
test_cpu_core_offline (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WlProcReader) reader = wl_proc_reader_new (f->root);
  WlCpuTimes before = { 0 }, after = { 0 };
  double per_core[2] = { -1, -1 }, all;

  write_file (f, "stat", stat_before);
  g_assert_true (wl_proc_reader_read_cpu (reader, &before, NULL));
  /* cpu2 went offline, and the total stepped back on one counter. */
  write_file (f, "stat",
              "cpu  400 0 50 1400\n"
              "cpu0 300 0 100 600\n"
              "cpu1 100 0 100 800\n");
  g_assert_true (wl_proc_reader_read_cpu (reader, &after, NULL));
  g_assert_cmpuint (after.n_cores, ==, 2);
  g_assert_false (wl_cpu_times_busy (&before, &after, per_core, &all));
  g_assert_cmpfloat (per_core[0], ==, 0.0);
  g_assert_cmpfloat (per_core[1], ==, 0.0);
  /* busy 450 - 200 = 250 of 1850 - 1000 = 850 */
  g_assert_cmpfloat_with_epsilon (all, 100.0 * 250 / 850, 1e-9);

  /* The same reader and arrays keep working when cores come back. */
  write_file (f, "stat", stat_after);
  g_assert_true (wl_proc_reader_read_cpu (reader, &before, NULL));
  g_assert_cmpuint (before.n_cores, ==, 3);
  wl_cpu_times_clear (&before);
  wl_cpu_times_clear (&after);
}

static void
test_cpu_errors (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(WlProcReader) reader = wl_proc_reader_new (f->root);
  g_autoptr(GError) error = NULL;
  WlCpuTimes times = { 0 };

  g_assert_false (wl_proc_reader_read_cpu (reader, &times, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "stat"));
  g_clear_error (&error);

  write_file (f, "stat", "intr 1 2 3\nctxt 4\n");
  g_assert_false (wl_proc_reader_read_cpu (reader, &times, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_PARSE);
  g_clear_error (&error);

  write_file (f, "stat", "cpu  1 2\n");
  g_assert_false (wl_proc_reader_read_cpu (reader, &times, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_PARSE);
  wl_cpu_times_clear (&times);
}

/* A /proc/stat longer than the reader's first buffer (a big machine). */
static void
test_cpu_many_cores (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WlProcReader) reader = wl_proc_reader_new (f->root);
  g_autoptr(GString) text = g_string_new ("cpu  1000 0 1000 8000 0 0 0 0 0 0\n");
  WlCpuTimes times = { 0 };

  for (guint i = 0; i < 1024; i++)
    g_string_append_printf (text, "cpu%u %u 0 10 100 5 0 0 0 0 0\n", i, i);
  write_file (f, "stat", text->str);
  g_assert_true (wl_proc_reader_read_cpu (reader, &times, NULL));
  g_assert_cmpuint (times.n_cores, ==, 1024);
  g_assert_cmpuint (times.busy[1 + 1023], ==, 1023 + 10);
  g_assert_cmpuint (times.total[1 + 1023], ==, 1023 + 10 + 105);
  wl_cpu_times_clear (&times);
}

static void
test_memory (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(WlProcReader) reader = wl_proc_reader_new (f->root);
  g_autoptr(GError) error = NULL;
  WlMemory memory;
  long page = sysconf (_SC_PAGESIZE);

  write_file (f, "self/statm", "1000 250 30 12 0 400 0\n");
  write_file (f, "meminfo",
              "MemTotal:       16000000 kB\n"
              "MemFree:         1000000 kB\n"
              "MemAvailable:    6000000 kB\n"
              "Buffers:          500000 kB\n"
              "Cached:          4000000 kB\n");
  g_assert_true (wl_proc_reader_read_memory (reader, &memory, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (memory.process_rss, ==, 250 * (guint64) page);
  g_assert_cmpuint (memory.system_total, ==, 16000000ull * 1024);
  g_assert_cmpuint (memory.system_used, ==, 10000000ull * 1024);

  /* An old kernel without MemAvailable: free + buffers + cached. */
  write_file (f, "meminfo",
              "MemTotal:       16000000 kB\n"
              "MemFree:         1000000 kB\n"
              "Buffers:          500000 kB\n"
              "Cached:          4000000 kB\n");
  g_assert_true (wl_proc_reader_read_memory (reader, &memory, NULL));
  g_assert_cmpuint (memory.system_used, ==, 10500000ull * 1024);

  write_file (f, "meminfo", "MemFree: 12 kB\n");
  g_assert_false (wl_proc_reader_read_memory (reader, &memory, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "MemTotal"));
  g_clear_error (&error);

  write_file (f, "self/statm", "garbage\n");
  g_assert_false (wl_proc_reader_read_memory (reader, &memory, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_PARSE);
}

/* The machine's own /proc gives plausible figures. */
static void
test_real_proc (void)
{
  g_autoptr(WlProcReader) reader = wl_proc_reader_new (NULL);
  g_autoptr(GError) error = NULL;
  WlCpuTimes before = { 0 }, after = { 0 };
  g_autofree double *per_core = NULL;
  WlMemory memory;
  double all;

  g_assert_true (wl_proc_reader_read_cpu (reader, &before, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (before.n_cores, >=, 1);
  g_usleep (20000);
  g_assert_true (wl_proc_reader_read_cpu (reader, &after, &error));
  per_core = g_new (double, after.n_cores);
  wl_cpu_times_busy (&before, &after, per_core, &all);
  g_assert_cmpfloat (all, >=, 0.0);
  g_assert_cmpfloat (all, <=, 100.0);

  g_assert_true (wl_proc_reader_read_memory (reader, &memory, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (memory.process_rss, >, 0);
  g_assert_cmpuint (memory.process_rss, <, memory.system_total);
  g_assert_cmpuint (memory.system_used, <=, memory.system_total);
  wl_cpu_times_clear (&before);
  wl_cpu_times_clear (&after);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/monitor/proc/cpu-percentages", Fixture, NULL,
              fixture_set_up, test_cpu_percentages, fixture_tear_down);
  g_test_add ("/monitor/proc/cpu-core-offline", Fixture, NULL,
              fixture_set_up, test_cpu_core_offline, fixture_tear_down);
  g_test_add ("/monitor/proc/cpu-errors", Fixture, NULL,
              fixture_set_up, test_cpu_errors, fixture_tear_down);
  g_test_add ("/monitor/proc/cpu-many-cores", Fixture, NULL,
              fixture_set_up, test_cpu_many_cores, fixture_tear_down);
  g_test_add ("/monitor/proc/memory", Fixture, NULL,
              fixture_set_up, test_memory, fixture_tear_down);
  g_test_add_func ("/monitor/proc/real", test_real_proc);
  return g_test_run ();
}
