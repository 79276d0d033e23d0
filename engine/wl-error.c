/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-error.c */
#include "wl-error.h"

G_DEFINE_QUARK (wl-error-quark, wl_error)
