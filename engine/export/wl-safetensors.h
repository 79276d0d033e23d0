/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-safetensors.h: the safetensors file format, writing only.
 *
 * As https://huggingface.co/docs/safetensors says: an 8-byte little-endian
 * header length N, N bytes of JSON (padded with spaces to a multiple of 8
 * so that the data starts aligned), then the tensors' bytes, contiguous, in
 * the order they were added.  The JSON maps each tensor's name to its
 * dtype, shape and data_offsets (begin, end) within the data, and
 * "__metadata__" to a map of strings.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  WL_SAFETENSORS_F32,
  WL_SAFETENSORS_F16,
  WL_SAFETENSORS_I8,
} WlSafetensorsType;

typedef struct _WlSafetensors WlSafetensors;

WlSafetensors *wl_safetensors_new          (void);
void           wl_safetensors_free         (WlSafetensors      *file);
void           wl_safetensors_set_metadata (WlSafetensors      *file,
                                            const char         *key,
                                            const char         *value);
/* Copies @data (row-major, little-endian).  FALSE when @name is taken. */
gboolean       wl_safetensors_add          (WlSafetensors      *file,
                                            const char         *name,
                                            WlSafetensorsType   type,
                                            guint               n_dims,
                                            const gint64       *dims,
                                            const void         *data);
/* An int8 tensor with one fp32 scale per index along dims[@scale_axis]
 * (a row's with 0) of value = int8 × scale: @name (I8) and "<name>.scale"
 * (F32, shape [dims[@scale_axis]]).  FALSE when a name is taken. */
gboolean       wl_safetensors_add_quantized (WlSafetensors     *file,
                                            const char         *name,
                                            guint               n_dims,
                                            const gint64       *dims,
                                            const gint8        *data,
                                            const float        *scales,
                                            guint               scale_axis);
GBytes        *wl_safetensors_to_bytes     (WlSafetensors      *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlSafetensors, wl_safetensors_free)

G_END_DECLS
