/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-dist-private.h: what wl-dist-common.c gives the two implementations. */
#pragma once

#include "dist/wl-dist.h"

G_BEGIN_DECLS

/* Gathers every rank's host name for wl_dist_hosts(); a collective. */
gboolean wl_dist_gather_hosts (GError **error);

G_END_DECLS
