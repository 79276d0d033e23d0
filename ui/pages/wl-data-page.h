/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-data-page.h: the Data page. */
#pragma once

#include <adwaita.h>

#include "wl-session.h"

G_BEGIN_DECLS

#define WL_TYPE_DATA_PAGE (wl_data_page_get_type ())
G_DECLARE_FINAL_TYPE (WlDataPage, wl_data_page, WL, DATA_PAGE, AdwBin)

GtkWidget *wl_data_page_new (WlSession *session);

G_END_DECLS
