/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-application.h: the Wordloom application (AdwApplication). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WL_TYPE_APPLICATION (wl_application_get_type ())
G_DECLARE_FINAL_TYPE (WlApplication, wl_application, WL, APPLICATION, AdwApplication)

WlApplication *wl_application_new          (void);
/* The app's preferences (org.wordloom.Wordloom). */
GSettings     *wl_application_get_settings (WlApplication *self);

G_END_DECLS
