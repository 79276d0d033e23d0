/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-wisdom.h: the advisor's measurements kept in the run store,
 * keyed by this machine and the WlAdviseKey (FFTW's "wisdom"). */
#pragma once

#include "store/wl-store.h"
#include "train/wl-advise.h"

G_BEGIN_DECLS

/* Pass it as WlAdviseOptions.wisdom with the store as wisdom_data. */
const WlAdviseWisdom *wl_store_get_wisdom   (void);

/* How many measurements the store keeps for this machine. */
gint64                wl_store_count_wisdom (WlStore  *store,
                                             GError  **error);

G_END_DECLS
