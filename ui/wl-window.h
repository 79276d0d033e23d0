/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-window.h: the main window: a header bar, six pages and toasts. */
#pragma once

#include <adwaita.h>

#include "wl-application.h"
#include "wl-session.h"

G_BEGIN_DECLS

#define WL_TYPE_WINDOW (wl_window_get_type ())
G_DECLARE_FINAL_TYPE (WlWindow, wl_window, WL, WINDOW, AdwApplicationWindow)

/* @app may be NULL (tests): the window then reads its own GSettings. */
WlWindow  *wl_window_new          (WlApplication *app);
WlSession *wl_window_get_session  (WlWindow      *self);
/* Opens a data file on the Data page (and shows that page). */
void       wl_window_open_file    (WlWindow      *self,
                                   GFile         *file);
/* "data", "clean", "model", "train", "resources", "results" */
void       wl_window_show_page    (WlWindow      *self,
                                   const char    *name);
GtkWidget *wl_window_get_page     (WlWindow      *self,
                                   const char    *name);
void       wl_window_add_toast    (WlWindow      *self,
                                   const char    *message);
/* Shows @toast (takes it): for a toast with a button of its own. */
void       wl_window_add_toast_object (WlWindow   *self,
                                       AdwToast   *toast);
/* A toast with an Open Folder button that shows the folder @folder_uri. */
void       wl_window_add_toast_with_folder (WlWindow   *self,
                                            const char *message,
                                            const char *folder_uri);

G_END_DECLS
