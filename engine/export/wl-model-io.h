/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model-io.h: typed, bounds-checked reading and writing of model files.
 *
 * Everything is little-endian.  The writer collects bytes in memory; the
 * reader works on a complete buffer and fails with WL_ERROR_MODEL_FORMAT
 * ("the file is truncated") instead of reading past its end.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _WlModelWriter WlModelWriter;
typedef struct _WlModelReader WlModelReader;

WlModelWriter *wl_model_writer_new        (void);
void           wl_model_writer_free       (WlModelWriter *writer);
/* Hands over the bytes written so far; the writer is freed.  NULL when
 * memory ran out while writing. */
GBytes        *wl_model_writer_steal      (WlModelWriter *writer);
gsize          wl_model_writer_get_size   (const WlModelWriter *writer);
void           wl_model_writer_put_u32    (WlModelWriter *writer, guint32 v);
void           wl_model_writer_put_u64    (WlModelWriter *writer, guint64 v);
void           wl_model_writer_put_f32    (WlModelWriter *writer, float v);
void           wl_model_writer_put_f64    (WlModelWriter *writer, double v);
void           wl_model_writer_put_string (WlModelWriter *writer, const char *s);
void           wl_model_writer_put_bytes  (WlModelWriter *writer, const void *data, gsize len);
/* Appends @len bytes for the caller to fill (valid until the next put):
 * for writing many small fields at once.  NULL when memory ran out. */
guint8        *wl_model_writer_put_raw    (WlModelWriter *writer, gsize len);
void           wl_model_writer_put_f32s   (WlModelWriter *writer, const float *v, gsize n);
void           wl_model_writer_put_u32s   (WlModelWriter *writer, const guint32 *v, gsize n);
/* The bytes written so far (valid until the next put), e.g. for a checksum;
 * NULL when memory ran out. */
const guint8  *wl_model_writer_peek       (const WlModelWriter *writer);
/* Overwrites a u64 put earlier at @offset (a size known only at the end). */
void           wl_model_writer_set_u64    (WlModelWriter *writer, gsize offset, guint64 v);

WlModelReader *wl_model_reader_new        (const guint8 *data, gsize len, const char *path);
void           wl_model_reader_free       (WlModelReader *reader);
gsize          wl_model_reader_get_offset (const WlModelReader *reader);
gsize          wl_model_reader_remaining  (const WlModelReader *reader);
gboolean       wl_model_reader_get_u32    (WlModelReader *reader, guint32 *v, GError **error);
gboolean       wl_model_reader_get_u64    (WlModelReader *reader, guint64 *v, GError **error);
gboolean       wl_model_reader_get_f32    (WlModelReader *reader, float *v, GError **error);
gboolean       wl_model_reader_get_f64    (WlModelReader *reader, double *v, GError **error);
/* A length-prefixed UTF-8 string; validated. */
gboolean       wl_model_reader_get_string (WlModelReader *reader, char **s, GError **error);
/* The same without a copy: @s points into the buffer and is not
 * NUL-terminated (it holds no NUL byte). */
gboolean       wl_model_reader_get_text   (WlModelReader *reader, const char **s, guint32 *len,
                                           GError **error);
gboolean       wl_model_reader_get_bytes  (WlModelReader *reader, void *data, gsize len, GError **error);
/* The next @len bytes where they are, without a copy (NULL when the file
 * ends before): for reading many small fields at once. */
const guint8  *wl_model_reader_get_raw    (WlModelReader *reader, gsize len, GError **error);
gboolean       wl_model_reader_get_f32s   (WlModelReader *reader, float *v, gsize n, GError **error);
/* f32s that must all be finite: a model's weights. */
gboolean       wl_model_reader_get_weights (WlModelReader *reader, float *v, gsize n, GError **error);
gboolean       wl_model_reader_get_u32s   (WlModelReader *reader, guint32 *v, gsize n, GError **error);
/* Fails with "the file is truncated" unless @n items of @size bytes are
 * left: check before allocating room for them. */
gboolean       wl_model_reader_expect     (WlModelReader *reader, guint64 n, gsize size, GError **error);
/* A count that must be at most @max (guards allocations against corrupt files). */
gboolean       wl_model_reader_get_count  (WlModelReader *reader, guint64 max, guint64 *v, GError **error);

/* The model file's header flags (how the weights are stored) and format
 * version (0 for a reader not made from a file's header), for the models
 * to read their payload by. */
void           wl_model_reader_set_flags  (WlModelReader *reader, guint32 flags);
guint32        wl_model_reader_get_flags  (const WlModelReader *reader);
void           wl_model_reader_set_version (WlModelReader *reader, guint32 version);
guint32        wl_model_reader_get_version (const WlModelReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlModelWriter, wl_model_writer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlModelReader, wl_model_reader_free)

G_END_DECLS
