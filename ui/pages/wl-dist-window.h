/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-dist-window.h: "Train on Several Machines": the mpirun command that
 * trains the current settings across processes and machines, written by
 * the engine (wl-train-args.h), and a hostfile to go with it. */
#pragma once

#include <adwaita.h>

#include "wl-config.h"

G_BEGIN_DECLS

#define WL_TYPE_DIST_WINDOW (wl_dist_window_get_type ())
G_DECLARE_FINAL_TYPE (WlDistWindow, wl_dist_window, WL, DIST_WINDOW, AdwWindow)

/* A copy of @config is taken: the window shows the settings of the moment
 * it opened. */
WlDistWindow *wl_dist_window_new (GtkWindow      *parent,
                                  const WlConfig *config);

G_END_DECLS
