/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-format.c: durations and sizes as every front end writes them. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "wl-format.h"

char *
wl_format_duration (double seconds)
{
  gint64 s;

  if (!isfinite (seconds) || seconds < 0)
    return g_strdup ("—");
  s = (gint64) round (seconds);
  if (seconds < 59.95)
    /* Translators: a short time in seconds, "0.42 s", "12.5 s" */
    return g_strdup_printf (_("%.*f s"), seconds < 1 ? 2 : 1, seconds);
  if (s < 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT, s / 60, s % 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                          s / 3600, s / 60 % 60, s % 60);
}

char *
wl_format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}
