/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-error.h: the engine's error domain.
 *
 * Every fallible engine call takes a GError ** and fills it with a message a
 * user can act on: which file, line and column, what is wrong, what to do.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WL_ERROR (wl_error_quark ())

typedef enum
{
  WL_ERROR_FAILED,        /* anything not covered below */
  WL_ERROR_IO,            /* a file could not be read or written */
  WL_ERROR_PARSE,         /* malformed input (CSV row, JSON config) */
  WL_ERROR_INVALID,       /* a setting or an argument is out of range */
  WL_ERROR_NO_DATA,       /* nothing left to train or evaluate on */
  WL_ERROR_MODEL_FORMAT,  /* a model file is truncated, corrupt or too new */
  WL_ERROR_DIVERGED,      /* training produced NaN or infinity */
  WL_ERROR_CANCELLED,     /* the user cancelled */
  WL_ERROR_ENCODING,      /* a file's text encoding is unknown or wrong */
} WlErrorCode;

GQuark wl_error_quark (void);

G_END_DECLS
