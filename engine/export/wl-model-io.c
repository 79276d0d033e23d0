/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model-io.c: typed, bounds-checked reading and writing of model files. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "wl-error.h"
#include "export/wl-model-io.h"

struct _WlModelWriter
{
  guint8   *data;
  gsize     len;
  gsize     allocated;
  gboolean  failed;    /* out of memory: later puts are dropped */
};

struct _WlModelReader
{
  const guint8 *data;
  gsize         len;
  gsize         pos;
  char         *path;   /* for messages */
  guint32       flags;  /* the file's header flags */
  guint32       version;/* the file's format version */
};

/* Writer */

WlModelWriter *
wl_model_writer_new (void)
{
  return g_new0 (WlModelWriter, 1);
}

void
wl_model_writer_free (WlModelWriter *writer)
{
  if (writer == NULL)
    return;

  g_free (writer->data);
  g_free (writer);
}

/* Returns NULL when memory ran out while writing. */
GBytes *
wl_model_writer_steal (WlModelWriter *writer)
{
  GBytes *bytes = NULL;

  g_return_val_if_fail (writer != NULL, NULL);

  if (!writer->failed)
    {
      bytes = g_bytes_new_take (writer->data, writer->len);
      writer->data = NULL;
    }
  wl_model_writer_free (writer);
  return bytes;
}

gsize
wl_model_writer_get_size (const WlModelWriter *writer)
{
  g_return_val_if_fail (writer != NULL, 0);

  return writer->len;
}

guint8 *
wl_model_writer_put_raw (WlModelWriter *writer,
                         gsize          len)
{
  guint8 *p;

  g_return_val_if_fail (writer != NULL, NULL);

  if (writer->failed)
    return NULL;
  if (len > writer->allocated - writer->len)
    {
      gsize want = MAX (MAX (writer->allocated * 2, 4096), writer->len + len);
      guint8 *grown = want >= writer->len ? g_try_realloc (writer->data, want) : NULL;

      if (grown == NULL)
        {
          writer->failed = TRUE;
          return NULL;
        }
      writer->data = grown;
      writer->allocated = want;
    }
  p = writer->data + writer->len;
  writer->len += len;
  return p;
}

void
wl_model_writer_put_bytes (WlModelWriter *writer,
                           const void    *data,
                           gsize          len)
{
  guint8 *p;

  g_return_if_fail (writer != NULL);
  g_return_if_fail (data != NULL || len == 0);

  if (len == 0)
    return;
  p = wl_model_writer_put_raw (writer, len);
  if (p != NULL)
    memcpy (p, data, len);
}

void
wl_model_writer_put_u32 (WlModelWriter *writer,
                         guint32        v)
{
  guint32 le = GUINT32_TO_LE (v);

  wl_model_writer_put_bytes (writer, &le, sizeof le);
}

void
wl_model_writer_put_u64 (WlModelWriter *writer,
                         guint64        v)
{
  guint64 le = GUINT64_TO_LE (v);

  wl_model_writer_put_bytes (writer, &le, sizeof le);
}

void
wl_model_writer_put_f32 (WlModelWriter *writer,
                         float          v)
{
  guint32 bits;

  G_STATIC_ASSERT (sizeof (float) == sizeof (guint32));
  memcpy (&bits, &v, sizeof bits);
  wl_model_writer_put_u32 (writer, bits);
}

void
wl_model_writer_put_f64 (WlModelWriter *writer,
                         double         v)
{
  guint64 bits;

  G_STATIC_ASSERT (sizeof (double) == sizeof (guint64));
  memcpy (&bits, &v, sizeof bits);
  wl_model_writer_put_u64 (writer, bits);
}

/* A u32 byte length, then the bytes (no NUL). */
void
wl_model_writer_put_string (WlModelWriter *writer,
                            const char    *s)
{
  gsize len;

  g_return_if_fail (s != NULL);

  len = strlen (s);
  g_return_if_fail (len <= G_MAXUINT32);
  wl_model_writer_put_u32 (writer, (guint32) len);
  wl_model_writer_put_bytes (writer, s, len);
}

void
wl_model_writer_put_f32s (WlModelWriter *writer,
                          const float   *v,
                          gsize          n)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  wl_model_writer_put_bytes (writer, v, n * sizeof (float));
#else
  for (gsize i = 0; i < n; i++)
    wl_model_writer_put_f32 (writer, v[i]);
#endif
}

void
wl_model_writer_put_u32s (WlModelWriter *writer,
                          const guint32 *v,
                          gsize          n)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  wl_model_writer_put_bytes (writer, v, n * sizeof (guint32));
#else
  for (gsize i = 0; i < n; i++)
    wl_model_writer_put_u32 (writer, v[i]);
#endif
}

const guint8 *
wl_model_writer_peek (const WlModelWriter *writer)
{
  g_return_val_if_fail (writer != NULL, NULL);

  return writer->failed ? NULL : writer->data;
}

void
wl_model_writer_set_u64 (WlModelWriter *writer,
                         gsize          offset,
                         guint64        v)
{
  guint64 le = GUINT64_TO_LE (v);

  g_return_if_fail (writer != NULL);
  g_return_if_fail (offset <= writer->len && sizeof le <= writer->len - offset);

  memcpy (writer->data + offset, &le, sizeof le);
}

/* Reader */

WlModelReader *
wl_model_reader_new (const guint8 *data,
                     gsize         len,
                     const char   *path)
{
  WlModelReader *reader;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  reader = g_new0 (WlModelReader, 1);
  reader->data = data;
  reader->len = len;
  reader->path = g_strdup (path != NULL ? path : _("model file"));
  return reader;
}

void
wl_model_reader_free (WlModelReader *reader)
{
  if (reader == NULL)
    return;

  g_free (reader->path);
  g_free (reader);
}

gsize
wl_model_reader_get_offset (const WlModelReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->pos;
}

gsize
wl_model_reader_remaining (const WlModelReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->len - reader->pos;
}

/* Returns a pointer to the next @len bytes and moves past them, or NULL
 * with an error when the file ends before. */
static const guint8 *
take (WlModelReader  *reader,
      gsize           len,
      GError        **error)
{
  const guint8 *p;

  if (len > reader->len - reader->pos)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("%s: the file is truncated"), reader->path);
      return NULL;
    }
  p = reader->data + reader->pos;
  reader->pos += len;
  return p;
}

const guint8 *
wl_model_reader_get_raw (WlModelReader  *reader,
                         gsize           len,
                         GError        **error)
{
  g_return_val_if_fail (reader != NULL, NULL);

  return take (reader, len, error);
}

gboolean
wl_model_reader_get_bytes (WlModelReader  *reader,
                           void           *data,
                           gsize           len,
                           GError        **error)
{
  const guint8 *p;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  p = take (reader, len, error);
  if (p == NULL)
    return FALSE;
  if (len > 0)
    memcpy (data, p, len);
  return TRUE;
}

gboolean
wl_model_reader_get_u32 (WlModelReader  *reader,
                         guint32        *v,
                         GError        **error)
{
  guint32 le;

  if (!wl_model_reader_get_bytes (reader, &le, sizeof le, error))
    return FALSE;
  *v = GUINT32_FROM_LE (le);
  return TRUE;
}

gboolean
wl_model_reader_get_u64 (WlModelReader  *reader,
                         guint64        *v,
                         GError        **error)
{
  guint64 le;

  if (!wl_model_reader_get_bytes (reader, &le, sizeof le, error))
    return FALSE;
  *v = GUINT64_FROM_LE (le);
  return TRUE;
}

gboolean
wl_model_reader_get_f32 (WlModelReader  *reader,
                         float          *v,
                         GError        **error)
{
  guint32 bits;

  if (!wl_model_reader_get_u32 (reader, &bits, error))
    return FALSE;
  memcpy (v, &bits, sizeof bits);
  return TRUE;
}

gboolean
wl_model_reader_get_f64 (WlModelReader  *reader,
                         double         *v,
                         GError        **error)
{
  guint64 bits;

  if (!wl_model_reader_get_u64 (reader, &bits, error))
    return FALSE;
  memcpy (v, &bits, sizeof bits);
  return TRUE;
}

gboolean
wl_model_reader_get_text (WlModelReader  *reader,
                          const char    **s,
                          guint32        *len,
                          GError        **error)
{
  const guint8 *p;
  gsize start;

  g_return_val_if_fail (s != NULL && len != NULL, FALSE);

  if (!wl_model_reader_get_u32 (reader, len, error))
    return FALSE;
  start = reader->pos;
  p = take (reader, *len, error);
  if (p == NULL)
    return FALSE;
  /* With a length, g_utf8_validate() refuses NUL bytes too. */
  if (!g_utf8_validate ((const char *) p, *len, NULL))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("%s: the file is corrupted (bad text at byte %zu)"),
                   reader->path, start);
      return FALSE;
    }
  *s = (const char *) p;
  return TRUE;
}

gboolean
wl_model_reader_get_string (WlModelReader  *reader,
                            char          **s,
                            GError        **error)
{
  const char *text;
  guint32 len;

  g_return_val_if_fail (s != NULL, FALSE);

  if (!wl_model_reader_get_text (reader, &text, &len, error))
    return FALSE;
  *s = g_strndup (text, len);
  return TRUE;
}

gboolean
wl_model_reader_expect (WlModelReader  *reader,
                        guint64         n,
                        gsize           size,
                        GError        **error)
{
  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (size > 0, FALSE);

  if (n > wl_model_reader_remaining (reader) / size)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("%s: the file is truncated"), reader->path);
      return FALSE;
    }
  return TRUE;
}

gboolean
wl_model_reader_get_f32s (WlModelReader  *reader,
                          float          *v,
                          gsize           n,
                          GError        **error)
{
  g_return_val_if_fail (reader != NULL, FALSE);

  if (!wl_model_reader_expect (reader, n, sizeof (float), error))
    return FALSE;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return wl_model_reader_get_bytes (reader, v, n * sizeof (float), error);
#else
  for (gsize i = 0; i < n; i++)
    wl_model_reader_get_f32 (reader, &v[i], NULL);
  return TRUE;
#endif
}

gboolean
wl_model_reader_get_weights (WlModelReader  *reader,
                             float          *v,
                             gsize           n,
                             GError        **error)
{
  if (!wl_model_reader_get_f32s (reader, v, n, error))
    return FALSE;
  /* A file saved from a training that diverged (or damaged with a valid
   * checksum) would predict "-nan" for every text. */
  for (gsize i = 0; i < n; i++)
    if (!isfinite (v[i]))
      {
        g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                     _("the model's weights are not all finite numbers (weight %zu is %g): it comes "
                       "from a training that diverged; train it again with a lower learning rate"),
                     i, (double) v[i]);
        return FALSE;
      }
  return TRUE;
}

gboolean
wl_model_reader_get_u32s (WlModelReader  *reader,
                          guint32        *v,
                          gsize           n,
                          GError        **error)
{
  g_return_val_if_fail (reader != NULL, FALSE);

  if (!wl_model_reader_expect (reader, n, sizeof (guint32), error))
    return FALSE;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return wl_model_reader_get_bytes (reader, v, n * sizeof (guint32), error);
#else
  for (gsize i = 0; i < n; i++)
    wl_model_reader_get_u32 (reader, &v[i], NULL);
  return TRUE;
#endif
}

gboolean
wl_model_reader_get_count (WlModelReader  *reader,
                           guint64         max,
                           guint64        *v,
                           GError        **error)
{
  gsize start;
  guint64 count;

  g_return_val_if_fail (reader != NULL, FALSE);

  start = reader->pos;
  if (!wl_model_reader_get_u64 (reader, &count, error))
    return FALSE;
  if (count > max)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("%s: the file is corrupted (a count of %" PRIu64
                     " at byte %zu is over %" PRIu64 ")"),
                   reader->path, count, start, max);
      return FALSE;
    }
  *v = count;
  return TRUE;
}

void
wl_model_reader_set_flags (WlModelReader *reader,
                           guint32        flags)
{
  reader->flags = flags;
}

void
wl_model_reader_set_version (WlModelReader *reader,
                             guint32        version)
{
  reader->version = version;
}

guint32
wl_model_reader_get_version (const WlModelReader *reader)
{
  return reader->version;
}

guint32
wl_model_reader_get_flags (const WlModelReader *reader)
{
  return reader->flags;
}
