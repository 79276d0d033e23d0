/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-dataset-shard.h: one process's byte range of a file, read into rows
 * that every process of a distributed run then joins into the dataset one
 * process reads (train/wl-run-shards.c does the talking).
 *
 * Of N processes, process r owns the records that begin after a record
 * end (or the header) at a position in [r·S/N, (r+1)·S/N): the first reads
 * from the start of the file, the others from the first line start in
 * their range, a guess that is wrong inside a quoted field that spans
 * lines.  Each reads its range to the end of its last record; then, in
 * rank order, each is told where the previous one's last record ended
 * (its boundary) and keeps its rows from there, reading again from there
 * only when its guess never met that end, or when the rows after it were
 * read in a way that depends on what came before (bad rows, quotes read as
 * text: wl_dataset_shard_needs_exact()); then every range is read again
 * from the exact boundary, in rank order.  The joined rows, labels, lines
 * and counts are those of one process reading the whole file.
 */
#pragma once

#include "io/wl-dataset.h"

G_BEGIN_DECLS

typedef struct _WlDatasetShard WlDatasetShard;

/* The first range, [0, @end): sniffs the start of the file (@options as
 * for wl_dataset_load(); they must outlive the shard). */
WlDatasetShard *wl_dataset_shard_open_first   (const char           *path,
                                               const WlLoadOptions  *options,
                                               guint64               end,
                                               GCancellable         *cancellable,
                                               GError              **error);
/* What the first range found at the start of the file, for the others;
 * NULL when the file is not read in ranges (its encoding is not one whose
 * line starts are found among its bytes: wl_csv_reader_layout_reads_in_ranges()). */
GVariant       *wl_dataset_shard_get_layout   (WlDatasetShard       *shard);
/* Another range, [@start, @end), of a file whose first range gave @layout. */
WlDatasetShard *wl_dataset_shard_open         (const char           *path,
                                               const WlLoadOptions  *options,
                                               GVariant             *layout,
                                               guint64               start,
                                               guint64               end,
                                               GCancellable         *cancellable,
                                               GError              **error);
void            wl_dataset_shard_free         (WlDatasetShard       *shard);

/* Reads the range's rows (from its guessed start for all but the first). */
gboolean        wl_dataset_shard_read         (WlDatasetShard       *shard,
                                               GError              **error);
/* Where this range's last record ends: position, line and the values seen
 * (a boundary for the next range). */
GVariant       *wl_dataset_shard_get_boundary (WlDatasetShard       *shard);
/* Keeps the rows after @boundary, the previous range's: reads again from
 * there when needed.  With @exact, always reads again from there, after
 * the values seen that @boundary carries. */
gboolean        wl_dataset_shard_join         (WlDatasetShard       *shard,
                                               GVariant             *boundary,
                                               gboolean              exact,
                                               GError              **error);
/* Whether the rows kept after wl_dataset_shard_join() may differ from a
 * reading from the start of the file: then every range reads again, with
 * exact boundaries. */
gboolean        wl_dataset_shard_needs_exact  (const WlDatasetShard *shard);
/* Whether the range was read to its end in the encoding of the layout (a
 * file that starts in ASCII, read as UTF-8, may turn out to be in another
 * encoding further on: then it is read whole instead). */
gboolean        wl_dataset_shard_kept_encoding (const WlDatasetShard *shard);
/* Bytes of the file this range read, re-reads included. */
guint64         wl_dataset_shard_get_bytes_read (const WlDatasetShard *shard);

/* The kept rows, labels by name, lines and counts, to send to the others. */
GVariant       *wl_dataset_shard_serialize    (WlDatasetShard       *shard);
/* The dataset of the whole file: every range's serialized rows @parts, in
 * rank order, joined (labels numbered in first-seen order, as one process
 * does), with @shard's columns. */
WlDataset      *wl_dataset_shard_join_all     (WlDatasetShard       *shard,
                                               GVariant * const     *parts,
                                               guint                 n_parts,
                                               GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlDatasetShard, wl_dataset_shard_free)

G_END_DECLS
