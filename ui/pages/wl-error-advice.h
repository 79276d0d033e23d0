/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-error-advice.h: what to do about an engine error, in the window's own
 * words (its controls, never the CLI's flags). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The advice for @error (translated, static), or NULL when there is none. */
const char *wl_error_advice (const GError *error);

/* @error's message followed by its advice, if any. */
char       *wl_error_with_advice (const GError *error);

G_END_DECLS
