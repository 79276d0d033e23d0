/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-compress.h: what linear, the embedding bag and the neural models
 * share to be shipped small.
 *
 * int8 tensors: int8 values with one scale per row (wl_quantize_row())
 * or per column, stored in the model file as the scales in bfloat16 then
 * the values, and loaded as they are (never turned back into fp32).
 *
 * Pruned rows: the rows of a table whose L2 norms are the largest
 * (wl_keep_largest_rows()), compacted in their order, with the vocabulary
 * of the entries that stay.
 */
#pragma once

#include <glib.h>

#include "export/wl-model-io.h"
#include "models/wl-vocab.h"

G_BEGIN_DECLS

/* @v (@rows x @cols, row-major) in int8 into new arrays @q and @scale:
 * one scale per row, or with @by_column one per column.  FALSE with
 * @error set when memory runs out. */
gboolean wl_int8_quantize (const float  *v,
                           gsize         rows,
                           gsize         cols,
                           gboolean      by_column,
                           gint8       **q,
                           float       **scale,
                           GError      **error);
/* Writes the @n_scales scales then the @n_values values. */
void     wl_int8_write    (WlModelWriter *writer,
                           const gint8   *q,
                           const float   *scale,
                           gsize          n_scales,
                           gsize          n_values);
/* Reads what wl_int8_write() wrote into new arrays @q and @scale. */
gboolean wl_int8_read     (WlModelReader  *reader,
                           gsize           n_scales,
                           gsize           n_values,
                           gint8         **q,
                           float         **scale,
                           GError        **error);

/* Whether the file @reader reads packs its vocabulary: the int8 and
 * pruned files of format 3 on (wl_vocab_write_packed()). */
gboolean wl_compress_packs_vocab (const WlModelReader *reader);

typedef struct
{
  guint8  *keep;   /* n_rows - n_fixed: the rows after the fixed ones kept */
  float   *rows;   /* the fixed rows, then the kept ones in their order */
  gsize    n_rows; /* in rows, the fixed ones included */
  WlVocab *vocab;  /* the entries of @keep's first wl_vocab_size() rows */
} WlPrunedRows;

/* Keeps the first @n_fixed rows of @rows (@n_rows x @width) and, of the
 * others, all but floor (@sparsity x their number) (at least one), those
 * with the largest L2 norms.  Row @n_fixed + i is @vocab's entry i as far
 * as @vocab goes.  FALSE with @error set when memory runs out. */
gboolean wl_pruned_rows_init  (WlPrunedRows   *self,
                               const float    *rows,
                               gsize           n_fixed,
                               gsize           n_rows,
                               gsize           width,
                               double          sparsity,
                               const WlVocab  *vocab,
                               GError        **error);
void     wl_pruned_rows_clear (WlPrunedRows   *self);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WlPrunedRows, wl_pruned_rows_clear)

G_END_DECLS
