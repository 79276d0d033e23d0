/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-store.c: what recording a run into the store costs its training.
 *
 * Usage: bench-store [ROWS] [EPOCHS] [REPEATS] [INTERVAL]
 *        (default 200000, 5, 5, -1: seconds between checkpoints, as
 *        train --checkpoint-interval; 0: every epoch, < 0: automatic)
 *
 * Writes a labelled CSV of ROWS rows to the temporary folder, then trains
 * a linear and an embedding-bag model on it REPEATS times each with the
 * recorder (every event, a checkpoint per epoch) and without, alternately.
 * Prints, as medians: the training stage's wall time both ways ("wall +":
 * how much longer recorded), the CPU time of the whole run both ways
 * ("CPU +": the extra work recording is, hashing the dataset included),
 * and what the recorder measured of itself as a share of the training
 * stage: the time it took from the run's thread (copying the model,
 * waiting for the previous checkpoint) and the CPU time of its writer's
 * batches until training ended (the final best checkpoint comes after).  The wall times move with whatever else the machine runs; the
 * other figures hardly do.  BENCH_STORE_VERBOSE=1 prints every run.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "store/wl-run-recorder.h"

static const char * const words[3][8] = {
  { "goal", "team", "coach", "match", "league", "score", "season", "player" },
  { "recipe", "spicy", "dinner", "sauce", "bread", "kitchen", "taste", "lunch" },
  { "laptop", "battery", "screen", "update", "chip", "cloud", "phone", "server" },
};

static char *
write_dataset (const char *dir,
               guint       n_rows)
{
  char *path = g_build_filename (dir, "bench.csv", NULL);
  FILE *file = fopen (path, "w");
  GRand *rand = g_rand_new_with_seed (3);

  if (file == NULL)
    g_error ("cannot write %s", path);
  fprintf (file, "label,text\n");
  for (guint i = 0; i < n_rows; i++)
    {
      guint c = i % 3;

      fprintf (file, "c%u,", c);
      for (guint w = 0; w < 20; w++)
        {
          guint from = g_rand_int_range (rand, 0, 10) < 5 ? c : (guint) g_rand_int_range (rand, 0, 3);
          fprintf (file, "%s%d ", words[from][g_rand_int_range (rand, 0, 8)], g_rand_int_range (rand, 0, 500));
        }
      fprintf (file, "\n");
    }
  fclose (file);
  g_rand_free (rand);
  return path;
}

typedef struct
{
  WlRunRecorder *recorder;
} Recording;

static void
on_event (WlRun         *run,
          const WlEvent *event,
          gpointer       data)
{
  Recording *recording = data;

  if (recording->recorder != NULL)
    wl_run_recorder_handle_event (recording->recorder, event);
}

static double
process_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* Seconds of the training stage, and in *@cpu the CPU seconds of the whole
 * run; @store NULL: not recorded. */
static double
train_once (const WlConfig  *config,
            WlStore         *store,
            double           interval,
            WlRecorderStats *stats,
            double          *cpu)
{
  g_autoptr(WlRun) run = wl_run_new (config);
  g_autoptr(GError) error = NULL;
  Recording recording = { NULL };
  double cpu_start = process_cpu_seconds ();

  if (store != NULL)
    {
      if ((recording.recorder = wl_run_recorder_new (store, run, 0, NULL, &error)) == NULL)
        g_error ("%s", error->message);
      wl_run_recorder_set_checkpoint_interval (recording.recorder, interval);
    }
  if (!wl_run_run_sync (run, on_event, &recording, &error))
    g_error ("%s", error->message);
  if (recording.recorder != NULL)
    {
      if (!wl_run_recorder_finish (recording.recorder, &error))
        g_error ("%s", error->message);
      wl_run_recorder_get_stats (recording.recorder, stats);
      /* The run and its files go, so that every run starts alike. */
      if (!wl_store_delete_run (store, wl_run_recorder_get_id (recording.recorder), &error))
        g_error ("%s", error->message);
      wl_run_recorder_free (recording.recorder);
    }
  *cpu = process_cpu_seconds () - cpu_start;
  return wl_run_get_summary (run)->stage_seconds[WL_STAGE_TRAIN];
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int
main (int    argc,
      char **argv)
{
  guint n_rows = argc > 1 ? (guint) atoi (argv[1]) : 200000;
  guint epochs = argc > 2 ? (guint) atoi (argv[2]) : 5;
  guint repeats = argc > 3 ? (guint) atoi (argv[3]) : 5;
  double interval = argc > 4 ? g_ascii_strtod (argv[4], NULL) : -1;
  g_autofree char *dir = g_dir_make_tmp ("bench-store-XXXXXX", NULL);
  g_autofree char *data = write_dataset (dir, n_rows);
  g_autofree char *db = g_build_filename (dir, "store", "runs.sqlite", NULL);
  const WlModelType types[] = { WL_MODEL_LINEAR, WL_MODEL_EMBEDDING_BAG };
  g_autoptr(WlStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if ((store = wl_store_open (db, &error)) == NULL)
    g_error ("%s", error->message);
  printf ("%u rows, %u epochs, %u repeats, %u threads, checkpoint interval %g s; medians\n",
          n_rows, epochs, repeats, g_get_num_processors (), interval);
  printf ("%-14s %9s %9s %9s %9s %11s %11s %8s %12s\n", "model", "train s", "recorded", "wall +",
          "CPU +", "run thread", "writer CPU", "commits", "checkpoints");
  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr(WlConfig) config = wl_config_new ();
      g_autofree double *off = g_new (double, repeats);
      g_autofree double *on = g_new (double, repeats);
      g_autofree double *cpu_off = g_new (double, repeats);
      g_autofree double *cpu_on = g_new (double, repeats);
      g_autofree double *run_share = g_new (double, repeats);
      g_autofree double *writer_share = g_new (double, repeats);
      WlRecorderStats stats = { 0 };
      double m_off, m_on;

      config->data.input = g_strdup (data);
      config->model.type = types[t];
      config->model.epochs = epochs;
      config->model.patience = 0;
      for (guint r = 0; r < repeats; r++)
        {
          off[r] = train_once (config, NULL, interval, NULL, &cpu_off[r]);
          on[r] = train_once (config, store, interval, &stats, &cpu_on[r]);
          if (g_getenv ("BENCH_STORE_VERBOSE"))
            printf ("  %s: training %.3f s not recorded, %.3f s recorded; run CPU %.3f s, %.3f s\n",
                    wl_model_type_to_string (types[t]), off[r], on[r], cpu_off[r], cpu_on[r]);
          run_share[r] = stats.run_seconds / on[r];
          writer_share[r] = stats.writer_cpu_training / on[r];
        }
      m_off = median (off, repeats);
      m_on = median (on, repeats);
      printf ("%-14s %9.3f %9.3f %8.1f%% %8.1f%% %10.2f%% %10.2f%% %8u %4u × %.1f MB\n",
              wl_model_type_to_string (types[t]), m_off, m_on, 100 * (m_on - m_off) / m_off,
              100 * (median (cpu_on, repeats) - median (cpu_off, repeats)) / median (cpu_off, repeats),
              100 * median (run_share, repeats), 100 * median (writer_share, repeats),
              stats.commits, stats.checkpoints,
              stats.checkpoint_bytes / 1e6 / MAX (stats.checkpoints, 1));
    }

  g_clear_pointer (&store, wl_store_close);
  g_unlink (data);
  for (const char *const *suffix = (const char *const[]) { "", "-wal", "-shm", NULL }; *suffix; suffix++)
    {
      g_autofree char *path = g_strconcat (db, *suffix, NULL);
      g_unlink (path);
    }
  {
    g_autofree char *checkpoints = g_build_filename (dir, "store", "checkpoints", NULL);
    g_autofree char *store_dir = g_path_get_dirname (db);

    g_rmdir (checkpoints);
    g_rmdir (store_dir);
    g_rmdir (dir);
  }
  return 0;
}
