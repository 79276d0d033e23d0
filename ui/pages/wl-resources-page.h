/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-resources-page.h: the Resources page. */
#pragma once

#include <adwaita.h>

#include "wl-session.h"

G_BEGIN_DECLS

#define WL_TYPE_RESOURCES_PAGE (wl_resources_page_get_type ())
G_DECLARE_FINAL_TYPE (WlResourcesPage, wl_resources_page, WL, RESOURCES_PAGE, AdwBin)

GtkWidget *wl_resources_page_new (WlSession *session);

G_END_DECLS
