/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model-page.h: the Model page. */
#pragma once

#include <adwaita.h>

#include "wl-session.h"

G_BEGIN_DECLS

#define WL_TYPE_MODEL_PAGE (wl_model_page_get_type ())
G_DECLARE_FINAL_TYPE (WlModelPage, wl_model_page, WL, MODEL_PAGE, AdwBin)

GtkWidget *wl_model_page_new (WlSession *session);

G_END_DECLS
