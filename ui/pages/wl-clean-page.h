/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-clean-page.h: the Clean page. */
#pragma once

#include <adwaita.h>

#include "wl-session.h"

G_BEGIN_DECLS

#define WL_TYPE_CLEAN_PAGE (wl_clean_page_get_type ())
G_DECLARE_FINAL_TYPE (WlCleanPage, wl_clean_page, WL, CLEAN_PAGE, AdwBin)

GtkWidget *wl_clean_page_new (WlSession *session);

G_END_DECLS
