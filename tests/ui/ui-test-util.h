/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui-test-util.h: what the UI tests share: a window, waiting, test data. */
#pragma once

#include <adwaita.h>

#include "wl-window.h"

G_BEGIN_DECLS

/* g_test_init() plus GTK and libadwaita. */
void      ui_test_init          (int          *argc,
                                 char       ***argv);
/* A shown window without an application (no D-Bus needed). */
WlWindow *ui_test_window_new    (void);
/* Runs the main loop until @cond returns TRUE; FALSE after @timeout_ms. */
gboolean  ui_test_wait_until    (gboolean   (*cond) (gpointer data),
                                 gpointer     data,
                                 guint        timeout_ms);
/* Runs the main loop for @ms milliseconds. */
void      ui_test_run_for       (guint        ms);
/* A labelled CSV ("label,title,text") of @n_rows rows in three classes with
 * learnable words, in a new temporary folder; free with ui_test_remove(). */
char     *ui_test_write_csv     (guint        n_rows);
void      ui_test_remove        (const char  *path);
/* Removes the folder @path and everything in it. */
void      ui_test_remove_tree   (const char  *path);
/* The first descendant of @root of type @type (depth first), or NULL;
 * with @name, the first whose gtk_widget_get_name() or buildable ID is
 * @name. */
GtkWidget *ui_test_find_widget  (GtkWidget   *root,
                                 GType        type,
                                 const char  *name);

/* A "notify" handler: adds one to the guint at @count. */
void      ui_test_count_notify  (GObject     *object,
                                 GParamSpec  *pspec,
                                 guint       *count);

/* Counts into @count each frame that @widget's window paints from now on
 * (a redraw queued paints one), once the frames already due are painted;
 * @widget must be shown.  Stop with ui_test_stop_counting_frames(). */
void      ui_test_count_frames  (GtkWidget   *widget,
                                 guint       *count);
void      ui_test_stop_counting_frames (GtkWidget *widget,
                                        guint     *count);

/* @widget as drawn, once layout and drawing have settled. */
GdkTexture *ui_test_render      (GtkWidget   *widget);
/* With WL_UI_SHOTS=DIR in the environment, saves @widget as DIR/@name.png
 * (for looking at a page while writing it); otherwise does nothing. */
void      ui_test_shot          (GtkWidget   *widget,
                                 const char  *name);

G_END_DECLS
