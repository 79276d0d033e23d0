/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-csv-decode.c: encoding detection and streaming decoding to UTF-8 with
 * ICU, for the reader. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#include "wl-error.h"
#include "io/wl-csv-decode.h"

#define RAW_CHUNK (32u << 10)
/* The most UTF-8 one raw chunk can give: a UTF-16 unit per byte (with the
 * bytes pending from the chunk before) and 3 bytes per unit. */
#define OUT_MARGIN (3 * (RAW_CHUNK + 16))

typedef struct
{
  guint64 decoded;
  guint64 raw;
} Restart;

struct _WlCsvDecoder
{
  UConverter   *cnv;
  GInputStream *raw;
  char         *raw_buf;
  UChar        *ubuf;
  guint64       raw_next;       /* file offset of the next raw chunk */
  guint64       decoded;        /* decoded offset of the next byte out */
  guint64       counted_until;  /* repairs are counted once, past this */
  guint64       repaired;
  guint64       chunk_repaired;
  GArray       *restarts;       /* Restart, ascending */
  guint         unit;           /* bytes of a line break, or 0: no raw offsets kept */
  GArray       *exact;          /* Restart: offsets that match in the last output */
  int32_t      *offsets;        /* of each unit of ubuf in the raw chunk */
  gboolean      eof;
  GBytes       *prefix;         /* bytes from raw_next already read, or NULL */
  gsize         prefix_used;
  guint64       bytes_read;     /* from the stream */
  gboolean      has_carry;      /* a lead surrogate waits for its trail */
  UChar         carry;
};

static const struct
{
  const char *bom;
  gsize       length;
  const char *encoding;
} boms[] = {
  { "\xEF\xBB\xBF", 3, "UTF-8" },
  { "\xFF\xFE\x00\x00", 4, "UTF-32LE" },   /* before UTF-16LE, whose mark starts it */
  { "\x00\x00\xFE\xFF", 4, "UTF-32BE" },
  { "\xFF\xFE", 2, "UTF-16LE" },
  { "\xFE\xFF", 2, "UTF-16BE" },
};

gboolean
wl_csv_encoding_is_utf8 (const char *name)
{
  return name == NULL || ucnv_compareNames (name, "UTF-8") == 0;
}

gsize
wl_csv_bom_length (const char *encoding,
                   const char *sample,
                   gsize       length)
{
  for (guint i = 0; i < G_N_ELEMENTS (boms); i++)
    if (length >= boms[i].length && memcmp (sample, boms[i].bom, boms[i].length) == 0)
      return ucnv_compareNames (encoding, boms[i].encoding) == 0 ? boms[i].length : 0;
  return 0;
}

gboolean
wl_csv_encoding_line_breaks (const char      *encoding,
                             WlCsvLineBreaks *breaks)
{
  /* Multi-byte encodings whose bytes after the first of a character are
   * never 0x0A or 0x0D. */
  static const char *const multi_byte[] = {
    "GBK", "GB18030", "Big5", "Big5-HKSCS", "Shift_JIS", "windows-31j", "EUC-KR",
    "windows-949", "EUC-JP",
  };
  static const UChar lf = '\n', cr = '\r';
  UErrorCode err = U_ZERO_ERROR;
  UConverter *cnv = ucnv_open (encoding, &err);
  gboolean found = FALSE;
  int32_t n_lf = 0, n_cr = 0;

  if (U_FAILURE (err))
    return FALSE;
  switch (ucnv_getType (cnv))
    {
    case UCNV_SBCS:
    case UCNV_LATIN_1:
    case UCNV_US_ASCII:
    case UCNV_UTF16_BigEndian:
    case UCNV_UTF16_LittleEndian:
    case UCNV_UTF32_BigEndian:
    case UCNV_UTF32_LittleEndian:
      found = TRUE;
      break;
    case UCNV_MBCS:
      for (guint i = 0; !found && i < G_N_ELEMENTS (multi_byte); i++)
        {
          UErrorCode other_err = U_ZERO_ERROR;
          UConverter *other = ucnv_open (multi_byte[i], &other_err);

          found = U_SUCCESS (other_err) &&
                  g_str_equal (ucnv_getName (cnv, &err), ucnv_getName (other, &other_err));
          if (other != NULL)
            ucnv_close (other);
        }
      break;
    default:
      break;
    }
  if (found)
    {
      n_lf = ucnv_fromUChars (cnv, breaks->lf, sizeof breaks->lf, &lf, 1, &err);
      n_cr = ucnv_fromUChars (cnv, breaks->cr, sizeof breaks->cr, &cr, 1, &err);
    }
  ucnv_close (cnv);
  if (!found || U_FAILURE (err) || n_lf != n_cr || (n_lf != 1 && n_lf != 2 && n_lf != 4))
    return FALSE;
  breaks->unit = n_lf;
  return TRUE;
}

/* Valid UTF-8, but for a character cut by the end of a sample that is not
 * the whole file. */
static gboolean
sample_is_utf8 (const char *sample,
                gsize       length,
                gboolean    at_eof)
{
  const char *end;

  if (g_utf8_validate_len (sample, length, &end) && memchr (sample, '\0', length) == NULL)
    return TRUE;
  if (at_eof || memchr (sample, '\0', length) != NULL || length - (end - sample) >= 4)
    return FALSE;
  return g_utf8_get_char_validated (end, length - (end - sample)) == (gunichar) -2;
}

/* UTF-16/32 without a byte order mark: the line feeds are 16- or 32-bit
 * units, in one byte order. */
static const char *
wide_line_breaks (const char *sample,
                  gsize       length)
{
  static const struct { const char *unit; guint size; const char *encoding; } layouts[] = {
    { "\n\0\0\0", 4, "UTF-32LE" }, { "\0\0\0\n", 4, "UTF-32BE" },
    { "\n\0", 2, "UTF-16LE" }, { "\0\n", 2, "UTF-16BE" },
  };
  guint64 newlines = 0;

  for (gsize i = 0; i < length; i++)
    newlines += sample[i] == '\n';
  if (newlines == 0)
    return NULL;
  for (guint k = 0; k < G_N_ELEMENTS (layouts); k++)
    {
      guint size = layouts[k].size;
      guint64 found = 0;

      for (gsize i = 0; i + size <= length; i += size)
        found += memcmp (sample + i, layouts[k].unit, size) == 0;
      if (found == newlines)
        return layouts[k].encoding;
    }
  return NULL;
}

/* ICU's best guess that is not UTF-16/32 (it cannot tell those without a
 * mark), and its confidence. */
static char *
detect_legacy (const char *bytes,
               gsize       length,
               int        *confidence)
{
  UErrorCode err = U_ZERO_ERROR;
  UCharsetDetector *detector = ucsdet_open (&err);
  const UCharsetMatch **matches;
  int32_t n_matches = 0;
  char *found = NULL;

  *confidence = 0;
  ucsdet_setText (detector, bytes, (int32_t) MIN (length, G_MAXINT32), &err);
  matches = ucsdet_detectAll (detector, &n_matches, &err);
  for (int32_t i = 0; U_SUCCESS (err) && i < n_matches; i++)
    {
      const char *name = ucsdet_getName (matches[i], &err);

      if (U_FAILURE (err) || g_str_has_prefix (name, "UTF-"))
        continue;
      *confidence = ucsdet_getConfidence (matches[i], &err);
      found = g_strdup (g_str_equal (name, "ISO-8859-1") ? "windows-1252" : name);
      break;
    }
  ucsdet_close (detector);
  return found;
}

char *
wl_csv_guess_encoding (const char *bytes,
                       gsize       length)
{
  int confidence;
  char *name = detect_legacy (bytes, length, &confidence);

  if (confidence < WL_CSV_MIN_CONFIDENCE)
    g_clear_pointer (&name, g_free);
  return name;
}

char *
wl_csv_detect_encoding (const char  *sample,
                        gsize        length,
                        gboolean     at_eof,
                        const char  *display_name,
                        int         *confidence,
                        gsize       *bom_length,
                        GError     **error)
{
  const char *wide;
  char *name;

  *bom_length = 0;
  *confidence = 100;
  for (guint i = 0; i < G_N_ELEMENTS (boms); i++)
    if (length >= boms[i].length && memcmp (sample, boms[i].bom, boms[i].length) == 0)
      {
        *bom_length = boms[i].length;
        return g_strdup (boms[i].encoding);
      }
  if (sample_is_utf8 (sample, length, at_eof))
    return g_strdup ("UTF-8");
  if ((wide = wide_line_breaks (sample, length)) != NULL)
    return g_strdup (wide);

  name = detect_legacy (sample, length, confidence);
  if (*confidence >= WL_CSV_MIN_CONFIDENCE)
    return name;
  g_set_error (error, WL_ERROR, WL_ERROR_ENCODING,
               _("%s: cannot tell the text encoding (it is not UTF-8, and the best guess, %s, "
                 "is only %d%% sure); name the encoding"),
               display_name, name ? name : _("none"), *confidence);
  g_free (name);
  return NULL;
}

char *
wl_csv_encoding_canonical (const char  *name,
                           GError     **error)
{
  UErrorCode err = U_ZERO_ERROR;
  UConverter *cnv = ucnv_open (name, &err);
  const char *standard;
  char *canonical;

  if (U_FAILURE (err) || name[0] == '\0')
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("Encoding “%s” is unknown: use “auto” or a name such as UTF-8, UTF-16LE, "
                     "GB18030, Big5, Shift_JIS, EUC-KR or windows-1252"), name);
      if (cnv != NULL)
        ucnv_close (cnv);
      return NULL;
    }
  standard = ucnv_getStandardName (ucnv_getName (cnv, &err), "IANA", &err);
  if (standard == NULL || U_FAILURE (err))
    {
      err = U_ZERO_ERROR;
      standard = ucnv_getStandardName (ucnv_getName (cnv, &err), "MIME", &err);
    }
  canonical = g_strdup (standard != NULL && U_SUCCESS (err) ? standard : name);
  ucnv_close (cnv);
  return canonical;
}

/* Invalid or unmapped bytes become U+FFFD, counted. */
static void
to_u_replace (const void             *context,
              UConverterToUnicodeArgs *args,
              const char             *units,
              int32_t                 length,
              UConverterCallbackReason reason,
              UErrorCode             *err)
{
  static const UChar replacement = 0xFFFD;
  WlCsvDecoder *self = (WlCsvDecoder *) context;

  if (reason > UCNV_IRREGULAR)
    return;
  *err = U_ZERO_ERROR;
  self->chunk_repaired++;
  ucnv_cbToUWriteUChars (args, &replacement, 1, 0, err);
}

WlCsvDecoder *
wl_csv_decoder_new (const char    *encoding,
                    GInputStream  *raw,
                    guint64        raw_start,
                    guint64        decoded_start,
                    gboolean       raw_positions,
                    GError       **error)
{
  g_autoptr(WlCsvDecoder) self = g_new0 (WlCsvDecoder, 1);
  UErrorCode err = U_ZERO_ERROR;
  Restart start = { decoded_start, raw_start };
  WlCsvLineBreaks breaks;

  self->cnv = ucnv_open (encoding, &err);
  if (U_FAILURE (err))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("Encoding “%s” is unknown: use “auto” or a name such as UTF-8, UTF-16LE, "
                     "GB18030, Big5, Shift_JIS, EUC-KR or windows-1252"), encoding);
      return NULL;
    }
  ucnv_setToUCallBack (self->cnv, to_u_replace, self, NULL, NULL, &err);
  self->raw = g_object_ref (raw);
  self->raw_buf = g_malloc (RAW_CHUNK);
  self->ubuf = g_new (UChar, 2 * RAW_CHUNK + 64);
  self->restarts = g_array_new (FALSE, FALSE, sizeof (Restart));
  self->exact = g_array_new (FALSE, FALSE, sizeof (Restart));
  if (raw_positions && wl_csv_encoding_line_breaks (encoding, &breaks))
    {
      self->unit = breaks.unit;
      self->offsets = g_new (int32_t, 2 * RAW_CHUNK + 64);
      g_array_append_val (self->exact, start);
    }
  if (decoded_start > 0)
    g_array_append_val (self->restarts, ((Restart) { 0, 0 }));   /* the ASCII before */
  g_array_append_val (self->restarts, start);
  self->raw_next = raw_start;
  self->decoded = self->counted_until = decoded_start;
  return g_steal_pointer (&self);
}

void
wl_csv_decoder_free (WlCsvDecoder *self)
{
  if (self == NULL)
    return;
  if (self->cnv != NULL)
    ucnv_close (self->cnv);
  g_clear_object (&self->raw);
  g_free (self->raw_buf);
  g_free (self->ubuf);
  g_clear_pointer (&self->restarts, g_array_unref);
  g_clear_pointer (&self->exact, g_array_unref);
  g_clear_pointer (&self->prefix, g_bytes_unref);
  g_free (self->offsets);
  g_free (self);
}

static void
note_restart (WlCsvDecoder *self)
{
  Restart *last = &g_array_index (self->restarts, Restart, self->restarts->len - 1);
  Restart here = { self->decoded, self->raw_next };

  if (self->has_carry || ucnv_toUCountPending (self->cnv, &(UErrorCode) { U_ZERO_ERROR }) != 0)
    return;
  if (self->unit > 0)
    g_array_append_val (self->exact, here);
  if (here.decoded > last->decoded)
    g_array_append_val (self->restarts, here);
}

/* The next raw chunk: from the prefix first, then from the stream. */
static gboolean
read_chunk (WlCsvDecoder  *self,
            gsize         *got,
            GCancellable  *cancellable,
            GError       **error)
{
  gsize taken = 0, n = 0;

  if (self->prefix != NULL)
    {
      gsize length;
      const char *bytes = g_bytes_get_data (self->prefix, &length);

      taken = MIN (RAW_CHUNK, length - self->prefix_used);
      memcpy (self->raw_buf, bytes + self->prefix_used, taken);
      self->prefix_used += taken;
      if (self->prefix_used == length)
        g_clear_pointer (&self->prefix, g_bytes_unref);
    }
  if (taken < RAW_CHUNK &&
      !g_input_stream_read_all (self->raw, self->raw_buf + taken, RAW_CHUNK - taken, &n,
                                cancellable, error))
    return FALSE;
  self->bytes_read += n;
  *got = taken + n;
  return TRUE;
}

/* Notes the offsets after each line break of a chunk decoded from raw
 * offset @raw_start: its @n_units units in ubuf, @utf8 its @length bytes
 * out (the k-th CR or LF of one is the k-th of the other). */
static void
note_line_breaks (WlCsvDecoder *self,
                  guint64       raw_start,
                  gsize         n_units,
                  const char   *utf8,
                  gsize         length)
{
  gsize k = 0;

  for (gsize i = 0; i < n_units; i++)
    {
      const char *found;
      Restart after;

      if (self->ubuf[i] > '\r' || (self->ubuf[i] != '\n' && self->ubuf[i] != '\r'))
        continue;
      if ((found = memchr (utf8 + k, self->ubuf[i], length - k)) == NULL)
        break;
      k = found - utf8 + 1;
      /* A break right after bytes pending from the chunk before: the
       * first unit of this one. */
      after.raw = raw_start + MAX (self->offsets[i], 0) + self->unit;
      after.decoded = self->decoded + k;
      g_array_append_val (self->exact, after);
    }
}

gboolean
wl_csv_decoder_read (WlCsvDecoder  *self,
                     char          *out,
                     gsize          size,
                     gsize         *n_read,
                     GCancellable  *cancellable,
                     GError       **error)
{
  gsize n = 0;

  g_return_val_if_fail (size > OUT_MARGIN, FALSE);

  if (self->exact->len > 0)
    {
      /* The end of the last output stays exact for this one's start. */
      Restart last = g_array_index (self->exact, Restart, self->exact->len - 1);

      g_array_set_size (self->exact, 0);
      if (last.decoded == self->decoded)
        g_array_append_val (self->exact, last);
    }
  while (!self->eof && size - n >= OUT_MARGIN)
    {
      UErrorCode err = U_ZERO_ERROR;
      gsize got = 0;
      const char *src = self->raw_buf;
      UChar *target = self->ubuf;
      int32_t *offsets = self->offsets;
      int32_t written = 0;
      guint64 raw_start = self->raw_next;
      gboolean flush;

      note_restart (self);
      if (!read_chunk (self, &got, cancellable, error))
        return FALSE;
      self->raw_next += got;
      flush = got < RAW_CHUNK;
      if (self->has_carry)
        *target++ = self->carry;
      if (offsets != NULL)
        offsets += target - self->ubuf;
      self->has_carry = FALSE;
      self->chunk_repaired = 0;
      ucnv_toUnicode (self->cnv, &target, self->ubuf + 2 * RAW_CHUNK + 64, &src,
                      self->raw_buf + got, offsets, flush, &err);
      if (!flush && target > self->ubuf && U16_IS_LEAD (target[-1]))
        {
          self->carry = *--target;
          self->has_carry = TRUE;
        }
      if (U_SUCCESS (err))
        u_strToUTF8WithSub (out + n, (int32_t) (size - n), &written, self->ubuf,
                            (int32_t) (target - self->ubuf), 0xFFFD, NULL, &err);
      if (U_FAILURE (err))
        {
          g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                       _("Cannot decode the file: %s"), u_errorName (err));
          return FALSE;
        }
      if (self->unit > 0)
        note_line_breaks (self, raw_start, target - self->ubuf, out + n, written);
      if (self->decoded >= self->counted_until)
        {
          self->repaired += self->chunk_repaired;
          self->counted_until = self->decoded + written;
        }
      self->decoded += written;
      n += written;
      self->eof = flush;
      if (flush && self->unit > 0)
        g_array_append_val (self->exact, ((Restart) { self->decoded, self->raw_next }));
    }
  *n_read = n;
  return TRUE;
}

gboolean
wl_csv_decoder_seek (WlCsvDecoder  *self,
                     guint64        offset,
                     guint64       *restart,
                     GCancellable  *cancellable,
                     GError       **error)
{
  guint lo = 0, hi = self->restarts->len;
  const Restart *r;

  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (self->restarts, Restart, mid).decoded <= offset)
        lo = mid;
      else
        hi = mid;
    }
  r = &g_array_index (self->restarts, Restart, lo);
  if (!g_seekable_seek (G_SEEKABLE (self->raw), r->raw, G_SEEK_SET, cancellable, error))
    return FALSE;
  ucnv_resetToUnicode (self->cnv);
  g_clear_pointer (&self->prefix, g_bytes_unref);
  self->has_carry = FALSE;
  self->eof = FALSE;
  self->raw_next = r->raw;
  self->decoded = *restart = r->decoded;
  g_array_set_size (self->exact, 0);
  if (self->unit > 0)
    g_array_append_val (self->exact, *r);
  return TRUE;
}

guint64
wl_csv_decoder_get_raw_offset (const WlCsvDecoder *self)
{
  return self->raw_next;
}

guint64
wl_csv_decoder_get_repaired (const WlCsvDecoder *self)
{
  return self->repaired;
}

gboolean
wl_csv_decoder_get_raw_offset_at (const WlCsvDecoder *self,
                                  guint64             offset,
                                  guint64            *raw)
{
  guint lo = 0, hi = self->exact->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      const Restart *r = &g_array_index (self->exact, Restart, mid);

      if (r->decoded == offset)
        {
          *raw = r->raw;
          return TRUE;
        }
      if (r->decoded < offset)
        lo = mid + 1;
      else
        hi = mid;
    }
  return FALSE;
}

void
wl_csv_decoder_set_prefix (WlCsvDecoder *self,
                           const char   *bytes,
                           gsize         length)
{
  g_clear_pointer (&self->prefix, g_bytes_unref);
  self->prefix_used = 0;
  if (length > 0)
    self->prefix = g_bytes_new (bytes, length);
}

guint64
wl_csv_decoder_get_bytes_read (const WlCsvDecoder *self)
{
  return self->bytes_read;
}
