/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-runs-page.h: the Runs page: every recorded run, to sort, filter,
 * compare, reopen, resume, train again, rename, tag and delete. */
#pragma once

#include <adwaita.h>

#include "wl-session.h"

G_BEGIN_DECLS

#define WL_TYPE_RUNS_PAGE (wl_runs_page_get_type ())
G_DECLARE_FINAL_TYPE (WlRunsPage, wl_runs_page, WL, RUNS_PAGE, AdwBin)

GtkWidget *wl_runs_page_new (WlSession *session);

G_END_DECLS
