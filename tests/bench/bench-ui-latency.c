/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-ui-latency: how long the window's main loop stalls while a large
 * file loads and a model trains, with a user switching pages, scrolling and
 * resizing meanwhile.
 *
 *   bench-ui-latency [ROWS]      (under X: tests/ui/xvfb-test.sh runs it)
 *
 * The run is recorded in the store WORDLOOM_STORE names (else the user's):
 * the Runs page, among the pages switched to, lists what that store holds.
 *
 * Two probes on the main loop: a 5 ms timer (the gap between its calls is
 * how long anything else held the loop) and the frame clock of a window that
 * animates continuously (the interval between painted frames).  The goal is
 * a worst gap under 50 ms.
 */
#include <glib/gstdio.h>
#include <math.h>
#include <time.h>

#include "wl-window.h"

#define TIMER_MS 5

typedef struct
{
  const char *name;
  GArray     *gaps;       /* double, ms between timer calls */
  GArray     *busy;       /* double, ms of the main thread's CPU time in each gap */
  GArray     *frames;     /* double, ms between painted frames */
  double      seconds;
} Phase;

typedef struct
{
  WlWindow  *window;
  Phase     *phase;
  gint64     last_timer;
  gint64     last_cpu;
  gint64     last_frame;
  guint      step;
} Bench;

/* The main thread's CPU time: a long gap with little of it was the
 * machine's other work (the training threads) taking the CPU; a long gap
 * full of it was the main loop busy with something of ours. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
on_timer (gpointer data)
{
  Bench *b = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (b->phase != NULL && b->last_timer != 0)
    {
      double gap = (now - b->last_timer) / 1000.0;
      double busy = (cpu - b->last_cpu) / 1000.0;

      g_array_append_val (b->phase->gaps, gap);
      g_array_append_val (b->phase->busy, busy);
    }
  b->last_timer = now;
  b->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  Bench *b = data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (b->phase != NULL && b->last_frame != 0)
    {
      double gap = (now - b->last_frame) / 1000.0;
      g_array_append_val (b->phase->frames, gap);
    }
  b->last_frame = now;
  /* Something changes every frame, so that every frame paints. */
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

/* What a restless user does: switch pages, scroll whatever scrolls on the
 * page, resize the window. */
static gboolean
on_user (gpointer data)
{
  static const char *pages[] = { "data", "clean", "model", "train", "resources", "results", "runs" };
  Bench *b = data;
  GtkWidget *page;

  b->step++;
  if (b->step % 3 == 0)
    wl_window_show_page (b->window, pages[(b->step / 3) % G_N_ELEMENTS (pages)]);
  if (b->step % 10 == 0)
    gtk_window_set_default_size (GTK_WINDOW (b->window), b->step % 20 ? 1000 : 1300,
                                 b->step % 20 ? 700 : 850);
  page = wl_window_get_page (b->window, "data");
  for (GtkWidget *w = page; w != NULL; )
    {
      if (GTK_IS_SCROLLED_WINDOW (w))
        {
          GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (w));
          double v = gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj);

          if (v > gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj))
            v = 0;
          gtk_adjustment_set_value (adj, v);
        }
      /* depth-first walk */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != page && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w == page ? NULL : gtk_widget_get_next_sibling (w);
        }
    }
  return G_SOURCE_CONTINUE;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
report (const Phase *p)
{
  GArray *arrays[3] = { p->gaps, p->frames, p->busy };
  double worst[3] = { 0 }, p99[3] = { 0 }, mean[3] = { 0 };

  for (guint k = 0; k < 3; k++)
    {
      GArray *a = arrays[k];

      if (a->len == 0)
        continue;
      g_array_sort (a, compare_double);
      worst[k] = g_array_index (a, double, a->len - 1);
      p99[k] = g_array_index (a, double, (guint) floor (0.99 * (a->len - 1)));
      for (guint i = 0; i < a->len; i++)
        mean[k] += g_array_index (a, double, i) / a->len;
    }
  g_print ("%-36s %5.1f s | gaps: worst %6.1f ms, p99 %5.1f ms; main thread busy in a gap: "
           "worst %5.1f ms | frames: %4u, worst %6.1f ms, p99 %5.1f ms, mean %5.1f ms\n",
           p->name, p->seconds, worst[0], p99[0], worst[2], p->frames->len,
           worst[1], p99[1], mean[1]);
}

static gboolean
done_waiting (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the loop until @until returns TRUE or @max_s pass, measuring. */
static void
measure (Bench       *b,
         const char  *name,
         double       max_s,
         gboolean   (*until) (Bench *b))
{
  Phase p = { name, g_array_new (FALSE, FALSE, sizeof (double)),
              g_array_new (FALSE, FALSE, sizeof (double)),
              g_array_new (FALSE, FALSE, sizeof (double)), 0 };
  gint64 start = g_get_monotonic_time ();
  gboolean timed_out = FALSE;
  guint id = g_timeout_add ((guint) (max_s * 1000), done_waiting, &timed_out);

  b->phase = &p;
  b->last_timer = b->last_frame = 0;
  while (!timed_out && (until == NULL || !until (b)))
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  b->phase = NULL;
  p.seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  report (&p);
  g_array_unref (p.gaps);
  g_array_unref (p.busy);
  g_array_unref (p.frames);
}

static gboolean
sample_ready (Bench *b)
{
  return wl_session_get_n_rows (wl_window_get_session (b->window)) > 0;
}

static gboolean
run_ended (Bench *b)
{
  WlSession *session = wl_window_get_session (b->window);

  return !wl_session_is_busy (session) && wl_session_get_state (session) != WL_SESSION_IDLE;
}

static char *
write_csv (const char *dir,
           guint       n_rows)
{
  static const char *words[] = { "parcel", "refund", "crash", "password", "thanks", "late",
                                 "charged", "update", "login", "great", "broken", "invoice",
                                 "screen", "delivery", "account", "support" };
  static const char *labels[] = { "shipping", "billing", "technical", "account", "praise" };
  char *path = g_build_filename (dir, "bench.csv", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  FILE *f = fopen (path, "w");

  g_assert_nonnull (f);
  fputs ("label,text\n", f);
  for (guint i = 0; i < n_rows; i++)
    {
      guint c = g_rand_int_range (rand, 0, G_N_ELEMENTS (labels));

      fprintf (f, "%s,\"", labels[c]);
      for (guint w = 0; w < 24; w++)
        fprintf (f, "%s%u ", words[(c * 3 + g_rand_int_range (rand, 0, 6)) % G_N_ELEMENTS (words)],
                 g_rand_int_range (rand, 0, 100));
      fputs ("\"\n", f);
    }
  fclose (f);
  return path;
}

int
main (int   argc,
      char *argv[])
{
  guint n_rows = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 400000;
  g_autofree char *dir = g_dir_make_tmp ("wl-bench-ui-XXXXXX", NULL);
  g_autofree char *path = write_csv (dir, n_rows);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GStatBuf st;
  Bench b = { 0 };
  WlConfig *config;

  gtk_init ();
  adw_init ();
  g_stat (path, &st);
  g_print ("bench-ui-latency: %u rows, %.0f MB; timer every %d ms, a page switch every "
           "150 ms, a scroll every 50 ms, a resize every 500 ms\n",
           n_rows, st.st_size / 1e6, TIMER_MS);

  b.window = wl_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (b.window), 1200, 800);
  gtk_window_present (GTK_WINDOW (b.window));
  g_timeout_add (TIMER_MS, on_timer, &b);
  gtk_widget_add_tick_callback (GTK_WIDGET (b.window), on_tick, &b, NULL);
  g_timeout_add (50, on_user, &b);

  measure (&b, "idle", 2, NULL);

  wl_window_open_file (b.window, file);
  measure (&b, "loading the file (Data page)", 120, sample_ready);

  config = wl_session_get_config (wl_window_get_session (b.window));
  config->model.type = WL_MODEL_EMBEDDING_BAG;
  config->model.epochs = 3;
  gtk_widget_activate_action (GTK_WIDGET (b.window), "win.train", NULL);
  measure (&b, "training (load, clean, train, eval)", 300, run_ended);
  measure (&b, "after the run (results drawn)", 2, NULL);

  gtk_window_destroy (GTK_WINDOW (b.window));
  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
