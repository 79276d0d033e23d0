/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-results-page.h: the Results page. */
#pragma once

#include <adwaita.h>

#include "wl-session.h"

G_BEGIN_DECLS

#define WL_TYPE_RESULTS_PAGE (wl_results_page_get_type ())
G_DECLARE_FINAL_TYPE (WlResultsPage, wl_results_page, WL, RESULTS_PAGE, AdwBin)

GtkWidget *wl_results_page_new (WlSession *session);

G_END_DECLS
