/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui-test-util.c: what the UI tests share. */
#include <glib/gstdio.h>

#include "ui-test-util.h"

void
ui_test_init (int    *argc,
              char ***argv)
{
  g_test_init (argc, argv, NULL);
  gtk_init ();
  adw_init ();
}

WlWindow *
ui_test_window_new (void)
{
  WlWindow *window = wl_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  ui_test_run_for (50);
  return window;
}

typedef struct
{
  gboolean timed_out;
} Timeout;

static gboolean
on_timeout (gpointer data)
{
  ((Timeout *) data)->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
ui_test_wait_until (gboolean (*cond) (gpointer data),
                    gpointer   data,
                    guint      timeout_ms)
{
  Timeout t = { FALSE };
  guint id = g_timeout_add (timeout_ms, on_timeout, &t);
  gboolean ok;

  while (!(ok = cond (data)) && !t.timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!t.timed_out)
    g_source_remove (id);
  return ok;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
ui_test_run_for (guint ms)
{
  ui_test_wait_until (never, NULL, ms);
}

char *
ui_test_write_csv (guint n_rows)
{
  static const char *words[3][6] = {
    { "goal", "team", "coach", "match", "league", "score" },
    { "recipe", "spicy", "dinner", "sauce", "bread", "kitchen" },
    { "laptop", "battery", "screen", "update", "chip", "cloud" },
  };
  static const char *labels[3] = { "sport", "food", "tech" };
  g_autofree char *dir = g_dir_make_tmp ("wl-ui-XXXXXX", NULL);
  g_autoptr(GString) csv = g_string_new ("label,title,text\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  char *path = g_build_filename (dir, "data.csv", NULL);

  for (guint i = 0; i < n_rows; i++)
    {
      guint c = i % 3;

      g_string_append_printf (csv, "%s,Item %u,\"", labels[c], i + 1);
      for (guint w = 0; w < 10; w++)
        {
          guint from = g_rand_int_range (rand, 0, 10) < 7 ? c : (guint) g_rand_int_range (rand, 0, 3);

          g_string_append_printf (csv, "%s%s ", words[from][g_rand_int_range (rand, 0, 6)],
                                  w == 0 ? "," : "");
        }
      g_string_append (csv, "https://example.com/x \"\"QUOTED\"\" 42\"\n");
    }
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
  return path;
}

void
ui_test_remove (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

void
ui_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        ui_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

GtkWidget *
ui_test_find_widget (GtkWidget  *root,
                     GType       type,
                     const char *name)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (name == NULL || g_strcmp0 (gtk_widget_get_name (root), name) == 0 ||
       g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (root)), name) == 0))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find_widget (child, type, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
on_paint (GdkFrameClock *clock,
          guint         *count)
{
  (*count)++;
}

void
ui_test_count_notify (GObject    *object,
                      GParamSpec *pspec,
                      guint      *count)
{
  (*count)++;
}

void
ui_test_count_frames (GtkWidget *widget,
                      guint     *count)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint painted = 1;

  g_assert_nonnull (clock);
  /* Quiet: no frame painted for 300 ms (a loaded machine paints late). */
  g_signal_connect (clock, "paint", G_CALLBACK (on_paint), &painted);
  for (guint tries = 0; painted > 0 && tries < 20; tries++)
    {
      painted = 0;
      ui_test_run_for (300);
    }
  g_signal_handlers_disconnect_by_data (clock, &painted);
  g_assert_cmpuint (painted, ==, 0);
  *count = 0;
  g_signal_connect (clock, "paint", G_CALLBACK (on_paint), count);
}

void
ui_test_stop_counting_frames (GtkWidget *widget,
                              guint     *count)
{
  g_signal_handlers_disconnect_by_data (gtk_widget_get_frame_clock (widget), count);
}

GdkTexture *
ui_test_render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  ui_test_run_for (200);   /* let layout and drawing settle */
  paintable = gtk_widget_paintable_new (widget);
  /* A widget with a redraw queued has no render node until the next frame
   * is painted: wait for one (a live chart queues redraws all the time; a
   * loaded machine may take seconds to paint). */
  for (guint tries = 0; node == NULL && tries < 1000; tries++)
    {
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      if (node == NULL)
        ui_test_run_for (10);
    }
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

void
ui_test_shot (GtkWidget  *widget,
              const char *name)
{
  const char *dir = g_getenv ("WL_UI_SHOTS");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;

  if (dir == NULL)
    return;
  texture = ui_test_render (widget);
  file = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, file));
  g_test_message ("screenshot: %s", file);
}
