/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-set-str.h: the compare-and-set step of a widget's string property
 * setter (GLib 2.74 has none): FALSE, and nothing done, when @field holds
 * @value already, so that the setter neither notifies nor redraws. */
#pragma once

#include <glib.h>

static inline gboolean
wl_set_str (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}
