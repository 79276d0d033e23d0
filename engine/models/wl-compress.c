/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-compress.c: int8 tensors and pruned rows, for every model that ships
 * small (see wl-compress.h). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "wl-error.h"
#include "compute/wl-host.h"
#include "models/wl-compress.h"

/* int8 tensors */

static gboolean
no_memory (gsize    n,
           GError **error)
{
  g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
               _("not enough memory for %zu int8 weights: close other programs or "
                 "prune the model first"), n);
  return FALSE;
}

gboolean
wl_int8_quantize (const float  *v,
                  gsize         rows,
                  gsize         cols,
                  gboolean      by_column,
                  gint8       **q,
                  float       **scale,
                  GError      **error)
{
  gsize n_scales = by_column ? cols : rows;

  *q = g_try_malloc (MAX (rows * cols, 1));
  *scale = g_try_new (float, MAX (n_scales, 1));
  if (*q == NULL || *scale == NULL)
    {
      g_clear_pointer (q, g_free);
      g_clear_pointer (scale, g_free);
      return no_memory (rows * cols, error);
    }
  for (gsize i = 0; i < n_scales; i++)
    if (by_column)
      wl_quantize_row (v + i, rows, cols, *q + i, &(*scale)[i]);
    else
      wl_quantize_row (v + i * cols, cols, 1, *q + i * cols, &(*scale)[i]);
  return TRUE;
}

void
wl_int8_write (WlModelWriter *writer,
               const gint8   *q,
               const float   *scale,
               gsize          n_scales,
               gsize          n_values)
{
  guint8 *p = wl_model_writer_put_raw (writer, n_scales * 2);

  for (gsize i = 0; p != NULL && i < n_scales; i++)
    {
      guint16 bf16 = GUINT16_TO_LE (wl_bf16_from_float (scale[i]));

      memcpy (p + 2 * i, &bf16, 2);
    }
  wl_model_writer_put_bytes (writer, q, n_values);
}

gboolean
wl_int8_read (WlModelReader  *reader,
              gsize           n_scales,
              gsize           n_values,
              gint8         **q,
              float         **scale,
              GError        **error)
{
  const guint8 *scales;

  if (!wl_model_reader_expect (reader, (guint64) n_scales * 2 + n_values, 1, error))
    return FALSE;
  scales = wl_model_reader_get_raw (reader, n_scales * 2, error);
  g_clear_pointer (q, g_free);
  g_clear_pointer (scale, g_free);
  *scale = g_try_new (float, MAX (n_scales, 1));
  *q = g_try_malloc (MAX (n_values, 1));
  if (*scale == NULL || *q == NULL)
    return no_memory (n_values, error);
  for (gsize i = 0; i < n_scales; i++)
    {
      guint16 bf16;

      memcpy (&bf16, scales + 2 * i, 2);
      (*scale)[i] = wl_bf16_to_float (GUINT16_FROM_LE (bf16));
    }
  return wl_model_reader_get_bytes (reader, *q, n_values, error);
}

gboolean
wl_compress_packs_vocab (const WlModelReader *reader)
{
  return wl_model_reader_get_version (reader) >= 3 && wl_model_reader_get_flags (reader) != 0;
}

/* Pruned rows */

gboolean
wl_pruned_rows_init (WlPrunedRows   *self,
                     const float    *rows,
                     gsize           n_fixed,
                     gsize           n_rows,
                     gsize           width,
                     double          sparsity,
                     const WlVocab  *vocab,
                     GError        **error)
{
  gsize n = n_rows - n_fixed;
  gsize kept = MAX (n - (gsize) floor (sparsity * n), MIN (n, 1));
  gsize m = n_fixed;

  memset (self, 0, sizeof *self);
  self->keep = g_try_malloc0 (MAX (n, 1));
  self->rows = g_try_new (float, MAX ((n_fixed + kept) * width, 1));
  if (self->keep == NULL || self->rows == NULL ||
      !wl_keep_largest_rows (rows + n_fixed * width, n, width, kept, self->keep))
    {
      wl_pruned_rows_clear (self);
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory to prune %zu rows"), n);
      return FALSE;
    }
  self->vocab = wl_vocab_subset (vocab, self->keep);
  if (self->vocab == NULL)
    {
      wl_pruned_rows_clear (self);
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("not enough memory to prune the vocabulary"));
      return FALSE;
    }
  memcpy (self->rows, rows, n_fixed * width * sizeof (float));
  for (gsize r = 0; r < n; r++)
    if (self->keep[r])
      memcpy (self->rows + m++ * width, rows + (n_fixed + r) * width, width * sizeof (float));
  self->n_rows = m;
  return TRUE;
}

void
wl_pruned_rows_clear (WlPrunedRows *self)
{
  g_clear_pointer (&self->keep, g_free);
  g_clear_pointer (&self->rows, g_free);
  g_clear_pointer (&self->vocab, wl_vocab_unref);
}
