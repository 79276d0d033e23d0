/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-test-part.h: a stored run's test part, derived again.
 *
 * The store keeps a run's config (input file, columns, encoding, test
 * fraction, seed) and its input file's size and XXH64, not its rows.  The
 * split is seeded, so while the input file is unchanged the test part is
 * the run's own: the window's Export dialog measures the deployment card
 * of a stored run on it. */
#pragma once

#include <gio/gio.h>

#include "io/wl-dataset.h"
#include "store/wl-store.h"

G_BEGIN_DECLS

/* @record's test part: its input file read as the run read it and split
 * with its seed.  Fails, naming the file, when the file is
 * gone (WL_ERROR_IO) or differs from what the run trained on, or the run
 * had a separate test file, which the store does not identify
 * (WL_ERROR_INVALID), or kept no test rows (WL_ERROR_NO_DATA); front ends
 * add their way to give a test file instead.  @progress reports the
 * reading. */
WlDataset *wl_store_load_test_part        (const WlRunRecord    *record,
                                           WlProgressFunc        progress,
                                           gpointer              progress_data,
                                           GCancellable         *cancellable,
                                           GError              **error);
/* The same on a worker; @progress is called on the caller's main context.
 * @record must stay alive until @callback. */
void       wl_store_load_test_part_async  (const WlRunRecord    *record,
                                           WlProgressFunc        progress,
                                           gpointer              progress_data,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
WlDataset *wl_store_load_test_part_finish (GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
