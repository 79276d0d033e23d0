/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-split.h: seeded, stratified train/validation/test split. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GArray *train;  /* guint32 row indexes, in a seeded shuffled order */
  GArray *valid;
  GArray *test;
} WlSplit;

/* Every label is split on its own so that each part keeps the label
 * proportions; a label with a single row goes to train.  The same labels,
 * fractions and seed always give the same split. */
WlSplit *wl_split_stratified (const guint32 *labels,
                              gsize          n_rows,
                              guint          n_labels,
                              double         test_fraction,
                              double         valid_fraction,
                              guint64        seed);
void     wl_split_free       (WlSplit       *split);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlSplit, wl_split_free)

G_END_DECLS
