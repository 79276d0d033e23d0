/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-split.h: the split a run makes of its input file, and its test
 * part made again from a run's config.
 *
 * The split is seeded and stratified (wl_split_stratified), so the same
 * file read the same way with the same fractions and seed gives the same
 * parts: a stored run's test part is derived again from its config. */
#pragma once

#include <gio/gio.h>

#include "io/wl-dataset.h"
#include "io/wl-split.h"
#include "wl-config.h"

G_BEGIN_DECLS

/* The train, validation and test rows of @dataset, the input file of a
 * run with @data; no test rows when the run has a separate test file. */
WlSplit   *wl_run_split_dataset   (const WlDataset     *dataset,
                                   const WlDataConfig  *data);
/* The test part of a run of @config (resolved, as a run stores it): its
 * input file read as the run read it and split so; a separate test file,
 * when it had one, read whole.  @progress reports the reading. */
WlDataset *wl_run_load_test_part  (const WlConfig      *config,
                                   WlProgressFunc       progress,
                                   gpointer             progress_data,
                                   GCancellable        *cancellable,
                                   GError             **error);

G_END_DECLS
