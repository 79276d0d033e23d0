/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-error-advice.c: what to do about an engine error, in the window's own
 * words. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-error.h"
#include "wl-error-advice.h"

const char *
wl_error_advice (const GError *error)
{
  if (g_error_matches (error, WL_ERROR, WL_ERROR_PARSE))
    return _("On the Data page, turn on Skip Bad Rows to leave such rows out, or set Quotes "
             "to None to read every quote as ordinary text.");
  if (g_error_matches (error, WL_ERROR, WL_ERROR_ENCODING))
    return _("Choose the file’s encoding in the Encoding row of the Data page.");
  return NULL;
}

char *
wl_error_with_advice (const GError *error)
{
  const char *advice = wl_error_advice (error);

  if (advice == NULL)
    return g_strdup (error->message);
  return g_strdup_printf ("%s\n\n%s", error->message, advice);
}
