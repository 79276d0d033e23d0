/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-vocab-packed.c: the vocabulary of the int8 and pruned model files,
 * packed.
 *
 * In a plain model file each entry takes a 64-bit key, a count, a length
 * and its text: for the linear model that is more than its int8 weights.
 * Packed, the entries go column by column (the texts, each ended by a
 * NUL; the counts as LEB128 varints; one byte per entry naming the
 * model's rule that turns its text into its key, 255 when none does; the
 * keys of those entries), and the whole is compressed with zlib (GIO's
 * GZlibCompressor, raw deflate).  The file holds
 *
 *   u64 n   u64 raw size   u64 packed size   packed bytes
 *
 * and reading refuses anything that does not unpack to exactly that.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "wl-error.h"
#include "models/wl-vocab.h"

#define KEY_STORED 255
/* deflate's best ratio is about 1032 to 1. */
#define MAX_RATIO  1032

static gboolean
hash_rule (const char *text,
           gsize       len,
           guint       rule,
           guint64    *key,
           gpointer    user_data)
{
  guint32 h32;

  if (rule > 0)
    return FALSE;
  wl_hash_token (text, &h32, key);
  return TRUE;
}

/* @data through @converter, at most @max_out bytes out; NULL with @error
 * set when it fails or gives more. */
static GByteArray *
convert (GConverter    *converter,
         const guint8  *data,
         gsize          len,
         gsize          max_out,
         GError       **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize in = 0, used = 0, chunk = MAX (len, 4096);

  for (;;)
    {
      GConverterResult result;
      gsize read, written;

      g_byte_array_set_size (out, used + chunk);
      result = g_converter_convert (converter, data + in, len - in, out->data + used, chunk,
                                    G_CONVERTER_INPUT_AT_END, &read, &written, error);
      if (result == G_CONVERTER_ERROR)
        return NULL;
      in += read;
      used += written;
      if (used > max_out)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "more than %zu bytes", max_out);
          return NULL;
        }
      if (result == G_CONVERTER_FINISHED)
        break;
    }
  g_byte_array_set_size (out, used);
  return g_steal_pointer (&out);
}

static void
put_varint (GByteArray *raw,
            guint32     v)
{
  do
    {
      guint8 b = (v & 0x7f) | (v >= 0x80 ? 0x80 : 0);

      g_byte_array_append (raw, &b, 1);
      v >>= 7;
    }
  while (v != 0);
}

void
wl_vocab_write_packed (const WlVocab  *vocab,
                       WlModelWriter  *writer,
                       WlVocabKeyFunc  key_func,
                       gpointer        user_data)
{
  guint32 n = wl_vocab_size (vocab);
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(GByteArray) stored = g_byte_array_new ();
  g_autoptr(GByteArray) packed = NULL;
  g_autoptr(GConverter) compressor = NULL;
  g_autoptr(GError) error = NULL;

  if (key_func == NULL)
    key_func = hash_rule;
  for (guint32 id = 0; id < n; id++)
    {
      const char *text = wl_vocab_get_text (vocab, id);

      g_byte_array_append (raw, (const guint8 *) text, strlen (text) + 1);
    }
  for (guint32 id = 0; id < n; id++)
    put_varint (raw, wl_vocab_get_count (vocab, id));
  for (guint32 id = 0; id < n; id++)
    {
      const char *text = wl_vocab_get_text (vocab, id);
      guint64 want = wl_vocab_get_key (vocab, id), key;
      guint8 rule = 0;

      while (rule < KEY_STORED && key_func (text, strlen (text), rule, &key, user_data) && key != want)
        rule++;
      if (rule == KEY_STORED || !key_func (text, strlen (text), rule, &key, user_data))
        {
          guint64 le = GUINT64_TO_LE (want);

          rule = KEY_STORED;
          g_byte_array_append (stored, (const guint8 *) &le, 8);
        }
      g_byte_array_append (raw, &rule, 1);
    }
  g_byte_array_append (raw, stored->data, stored->len);

  compressor = G_CONVERTER (g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 9));
  packed = convert (compressor, raw->data, raw->len, G_MAXSIZE, &error);
  /* Compressing in memory fails only when memory runs out. */
  g_return_if_fail (packed != NULL);
  wl_model_writer_put_u64 (writer, n);
  wl_model_writer_put_u64 (writer, raw->len);
  wl_model_writer_put_u64 (writer, packed->len);
  wl_model_writer_put_bytes (writer, packed->data, packed->len);
}

static WlVocab *
corrupted (const char  *what,
           GError     **error)
{
  g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
               _("the model file is corrupted (its packed vocabulary: %s)"), what);
  return NULL;
}

static GByteArray *
unpack (WlModelReader  *reader,
        GError        **error)
{
  g_autoptr(GConverter) decompressor = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GByteArray) raw = NULL;
  guint64 raw_len, packed_len;
  const guint8 *packed;

  if (!wl_model_reader_get_u64 (reader, &raw_len, error) ||
      !wl_model_reader_get_count (reader, wl_model_reader_remaining (reader), &packed_len, error))
    return NULL;
  if (raw_len > packed_len * MAX_RATIO)
    return (GByteArray *) corrupted (_("its size"), error);
  packed = wl_model_reader_get_raw (reader, packed_len, error);
  if (packed == NULL)
    return NULL;
  decompressor = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW));
  raw = convert (decompressor, packed, packed_len, raw_len, &local_error);
  if (raw == NULL || raw->len != raw_len)
    return (GByteArray *) corrupted (_("it does not unpack"), error);
  return g_steal_pointer (&raw);
}

WlVocab *
wl_vocab_read_packed (WlModelReader  *reader,
                      WlVocabKeyFunc  key_func,
                      gpointer        user_data,
                      GError        **error)
{
  g_autoptr(WlVocab) vocab = wl_vocab_new ();
  g_autoptr(GByteArray) raw = NULL;
  g_autofree guint32 *counts = NULL;
  const guint8 *p, *end, *rules, *texts;
  guint64 n;

  if (key_func == NULL)
    key_func = hash_rule;
  /* Each entry takes at least 3 bytes unpacked. */
  if (!wl_model_reader_get_count (reader, WL_VOCAB_MAX_SIZE, &n, error) ||
      (raw = unpack (reader, error)) == NULL)
    return NULL;
  if (n > raw->len / 3)
    return corrupted (_("its size"), error);
  counts = g_new (guint32, MAX (n, 1));
  p = texts = raw->data;
  end = raw->data + raw->len;
  for (guint64 i = 0; i < n; i++)
    {
      const guint8 *nul = memchr (p, '\0', end - p);

      if (nul == NULL || !g_utf8_validate ((const char *) p, nul - p, NULL))
        return corrupted (_("a text"), error);
      p = nul + 1;
    }
  for (guint64 i = 0; i < n; i++)
    {
      guint64 v = 0;
      guint shift = 0;

      do
        {
          if (p == end || shift > 28)
            return corrupted (_("a count"), error);
          v |= (guint64) (*p & 0x7f) << shift;
          shift += 7;
        }
      while (*p++ & 0x80);
      if (v > G_MAXUINT32)
        return corrupted (_("a count"), error);
      counts[i] = (guint32) v;
    }
  if ((gsize) (end - p) < n)
    return corrupted (_("its keys"), error);
  rules = p;
  p += n;
  for (guint64 i = 0; i < n; i++)
    {
      const char *text = (const char *) texts;
      gsize len = strlen (text);
      guint64 key;
      guint32 id;

      texts += len + 1;
      if (rules[i] == KEY_STORED)
        {
          if (end - p < 8)
            return corrupted (_("its keys"), error);
          memcpy (&key, p, 8);
          key = GUINT64_FROM_LE (key);
          p += 8;
        }
      else if (!key_func (text, len, rules[i], &key, user_data))
        return corrupted (_("its keys"), error);
      if (wl_vocab_lookup (vocab, key) != WL_VOCAB_NONE)
        {
          g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                       _("the model file is corrupted (the vocabulary has “%s” twice)"), text);
          return NULL;
        }
      id = wl_vocab_insert (vocab, key, text, len);
      if (id == WL_VOCAB_NONE)
        return corrupted (_("its size"), error);
      wl_vocab_set_count (vocab, id, counts[i]);
    }
  if (p != end)
    return corrupted (_("its size"), error);
  return g_steal_pointer (&vocab);
}
