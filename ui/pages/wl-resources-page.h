/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-resources-page.h: the Resources page. */
#pragma once

#include <adwaita.h>

#include "wl-session.h"

G_BEGIN_DECLS

#define WL_TYPE_RESOURCES_PAGE (wl_resources_page_get_type ())
G_DECLARE_FINAL_TYPE (WlResourcesPage, wl_resources_page, WL, RESOURCES_PAGE, AdwBin)

GtkWidget  *wl_resources_page_new       (WlSession       *session);
/* The time the charts show: "run", "recent" (the last five minutes) or
 * "all"; the "range" property and the resources.range action. */
void        wl_resources_page_set_range (WlResourcesPage *self,
                                         const char      *range);
const char *wl_resources_page_get_range (WlResourcesPage *self);

G_END_DECLS
