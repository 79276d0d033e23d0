/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-load.c: speed and memory of wl_dataset_load on a generated CSV.
 *
 * Usage: bench-load [MB]   (default 200)
 *
 * Writes a CSV of about MB megabytes to the temporary folder (labels, texts
 * of 5 to 120 words, some quoted with commas, doubled quotes and line
 * breaks), loads it, prints the speed and the peak resident memory next to
 * the bytes the dataset keeps, then deletes the file.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "io/wl-dataset.h"

#define MB (1024.0 * 1024.0)

static const char * const words[] = {
  "the", "movie", "was", "great", "terrible", "plot", "acting", "and", "a", "very",
  "boring", "funny", "scene", "with", "music", "director", "story", "of", "not", "really",
  "characters", "beautiful", "photography", "ending", "I", "loved", "hated", "it", "this",
  "film", "is", "one", "best", "worst", "year", "performance", "script", "dialogue",
  "slow", "fast", "paced", "emotional", "visual", "effects", "cast", "excellent", "poor",
  "recommend", "watching", "again",
};

static guint64
next_random (guint64 *state)
{
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return *state;
}

static void
generate (const char *path,
          guint64     target)
{
  FILE *file = fopen (path, "w");
  guint64 state = 88172645463325252ull;
  guint64 written;
  guint64 row = 0;

  if (file == NULL)
    g_error ("cannot write %s", path);
  setvbuf (file, NULL, _IOFBF, 1 << 20);
  written = fprintf (file, "label,text\n");
  while (written < target)
    {
      guint n_words = 5 + next_random (&state) % 116;
      gboolean quoted = row % 10 == 0;

      written += fprintf (file, "class%02u,%s", (guint) (next_random (&state) % 20),
                          quoted ? "\"" : "");
      for (guint w = 0; w < n_words; w++)
        {
          const char *word = words[next_random (&state) % G_N_ELEMENTS (words)];

          written += fprintf (file, "%s%s", w ? " " : "", word);
          if (quoted && w % 17 == 3)
            written += fprintf (file, ", \"\"quoted\"\"%s", row % 50 == 0 ? "\n" : "");
        }
      written += fprintf (file, "%s\n", quoted ? "\"" : "");
      row++;
    }
  /* Written back before timing: the load should not compete with it. */
  if (fflush (file) != 0 || g_fsync (fileno (file)) != 0 || fclose (file) != 0)
    g_error ("cannot write %s", path);
}

static double
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss * 1024.0 / MB;   /* KiB on Linux */
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int
main (int argc, char **argv)
{
  double size_mb = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 200.0;
  g_autoptr(GError) error = NULL;
  g_autoptr(WlDataset) dataset = NULL;
  g_autofree char *path = NULL;
  double rss_before, rss_after, seconds, cpu, kept_mb;
  gint64 start;
  guint64 kept = 0;
  int fd;

  if (size_mb <= 0)
    {
      g_printerr ("usage: %s [MB]\n", argv[0]);
      return 2;
    }

  fd = g_file_open_tmp ("wl-bench-load-XXXXXX.csv", &path, &error);
  if (fd < 0)
    g_error ("%s", error->message);
  g_close (fd, NULL);
  g_print ("generating %.0f MB in %s\n", size_mb, path);
  generate (path, (guint64) (size_mb * MB));

  rss_before = peak_rss_mb ();
  cpu = cpu_seconds ();
  start = g_get_monotonic_time ();
  dataset = wl_dataset_load (path, NULL, NULL, NULL, NULL, &error);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  cpu = cpu_seconds () - cpu;
  rss_after = peak_rss_mb ();
  g_unlink (path);
  if (dataset == NULL)
    g_error ("%s", error->message);

  for (gsize i = 0; i < wl_dataset_get_n_rows (dataset); i++)
    kept += strlen (wl_dataset_get_text (dataset, i)) + 1;
  kept_mb = kept / MB;

  g_print ("file        %.1f MB, %" G_GUINT64_FORMAT " rows, %u labels\n",
           dataset->stats.bytes / MB, dataset->stats.rows_kept, wl_dataset_get_n_labels (dataset));
  g_print ("load        %.2f s, %.0f MB/s, %.2f M rows/s (CPU time %.2f s)\n",
           seconds, dataset->stats.bytes / MB / seconds,
           dataset->stats.rows_kept / 1e6 / seconds, cpu);
  g_print ("kept text   %.1f MB\n", kept_mb);
  g_print ("peak RSS    %.1f MB (%.1f MB before loading)\n", rss_after, rss_before);
  g_print ("overhead    %.1f MB over the kept text, %.1f bytes per row\n",
           rss_after - rss_before - kept_mb,
           (rss_after - rss_before - kept_mb) * MB / MAX (dataset->stats.rows_kept, 1));
  return 0;
}
