/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-dataset-private.h: the loader's steps, shared by the whole-file load
 * (wl-dataset.c) and the load of one shard (wl-dataset-shard.c). */
#pragma once

#include "io/wl-csv-reader.h"
#include "io/wl-dataset.h"

G_BEGIN_DECLS

typedef struct
{
  WlDataset *dataset;
  gsize      lines_alloc;
  GString   *joined;
  GString   *label;
} WlDatasetLoader;

WlDataset *wl_dataset_new_empty         (void);
/* An empty dataset with @reader's columns and the text and label columns
 * @options pick among them. */
WlDataset *wl_dataset_new_for_reader    (const WlCsvReader    *reader,
                                         const WlLoadOptions  *options,
                                         GError              **error);
gboolean   wl_dataset_pick_columns      (WlDataset            *dataset,
                                         const WlCsvReader    *reader,
                                         const WlLoadOptions  *options,
                                         GError              **error);
/* The id of label @name, a new one for a name not seen before. */
guint32    wl_dataset_label_id          (WlDataset            *dataset,
                                         const char           *name);
/* Keeps @row (or counts it in empty_texts or empty_labels). */
gboolean   wl_dataset_add_row           (WlDatasetLoader      *loader,
                                         const WlCsvRow       *row,
                                         GError              **error);
gboolean   wl_dataset_check_label_bytes (const WlDataset      *dataset,
                                         const WlCsvReader    *reader,
                                         const WlCsvRow       *row,
                                         const WlLoadOptions  *options,
                                         GError              **error);
/* No row was kept: says why, from the counts. */
void       wl_dataset_set_no_rows_error (const WlDataset      *dataset,
                                         const char           *display_name,
                                         GError              **error);
void       wl_dataset_copy_reader_stats (WlDataset            *dataset,
                                         const WlCsvReader    *reader);

G_END_DECLS
