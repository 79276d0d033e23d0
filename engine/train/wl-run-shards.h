/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-shards.h: the input file of a distributed run, each process
 * reading its byte range (io/wl-dataset-shard.h), joined so that every
 * process holds the dataset one process reads. */
#pragma once

#include "io/wl-dataset.h"
#include "train/wl-run.h"

G_BEGIN_DECLS

/* Every rank calls it.  Returns the dataset of @path, or NULL: with
 * @error set, or with *@whole TRUE when the file is not read in ranges (it
 * is not UTF-8), for the caller to load it whole on every rank. */
WlDataset *wl_run_load_shards (WlRun                *run,
                               const char           *path,
                               const WlLoadOptions  *options,
                               gboolean             *whole,
                               GError              **error);

G_END_DECLS
