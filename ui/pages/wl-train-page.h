/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-train-page.h: the Train page. */
#pragma once

#include <adwaita.h>

#include "wl-session.h"

G_BEGIN_DECLS

#define WL_TYPE_TRAIN_PAGE (wl_train_page_get_type ())
G_DECLARE_FINAL_TYPE (WlTrainPage, wl_train_page, WL, TRAIN_PAGE, AdwBin)

GtkWidget *wl_train_page_new (WlSession *session);

G_END_DECLS
