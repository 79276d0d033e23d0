/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-csv-decode.h: the reader's text encodings (private to engine/io).
 *
 * Detection (wl_csv_detect_encoding): a byte order mark names UTF-8,
 * UTF-16 or UTF-32; else a sample that is valid UTF-8 is UTF-8; else line
 * breaks written as 16- or 32-bit units name UTF-16/32 without a mark;
 * else ICU's charset detector, ignoring its UTF-16/32 guesses, must be
 * sure enough (WL_CSV_MIN_CONFIDENCE).  ISO-8859-1 is read as its superset
 * windows-1252, as browsers do.
 *
 * Decoding (WlCsvDecoder): an ICU converter turns the raw bytes into UTF-8
 * chunk by chunk, invalid sequences becoming U+FFFD (counted).  Offsets
 * are in the decoded text; the decoder remembers where each raw chunk
 * starts (when no character straddles it), so seeking back goes to the
 * nearest such point and decodes forward from there.  UTF-8 files never
 * go through a decoder.
 *
 * Ranges (the shards of a distributed run): in an encoding whose line
 * breaks can be found among its raw bytes (wl_csv_encoding_line_breaks()),
 * a decoder made with @raw_positions also knows, for its last output, the
 * raw offset after each line break, so that a record end is a byte offset
 * of the file (wl_csv_decoder_get_raw_offset_at(); reading a
 * windows-1252 file then takes about 1.6 times as long).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WL_CSV_MIN_CONFIDENCE 50

typedef struct _WlCsvDecoder WlCsvDecoder;

/* The encoding of @sample (the file's first bytes; @at_eof when that is the
 * whole file): its name ("UTF-8", "UTF-16LE", "GB18030", "windows-1252"…),
 * the detector's confidence (0–100; 100 for a byte order mark or valid
 * UTF-8) and the length of the byte order mark.  NULL when it cannot be
 * decided; the error names @display_name. */
char         *wl_csv_detect_encoding     (const char    *sample,
                                          gsize          length,
                                          gboolean       at_eof,
                                          const char    *display_name,
                                          int           *confidence,
                                          gsize         *bom_length,
                                          GError       **error);
/* The guess of ICU's detector alone for bytes that are not UTF-8 (a row
 * that needed repair), or NULL. */
char         *wl_csv_guess_encoding      (const char    *bytes,
                                          gsize          length);
/* The standard name of @name when ICU knows it ("utf8" -> "UTF-8"); NULL
 * and an error naming the setting if it does not. */
char         *wl_csv_encoding_canonical  (const char    *name,
                                          GError       **error);
gboolean      wl_csv_encoding_is_utf8    (const char    *name);
/* The length of the byte order mark of @encoding at the start of @sample. */
gsize         wl_csv_bom_length          (const char    *encoding,
                                          const char    *sample,
                                          gsize          length);

/* How LF and CR are written in an encoding whose line starts can be found
 * among the raw bytes: each one unit of @unit bytes that no other
 * character holds at a unit boundary. */
typedef struct
{
  guint unit;
  char  lf[4];
  char  cr[4];
} WlCsvLineBreaks;

/* Fills @breaks and returns TRUE for single-byte encodings, for GBK,
 * GB18030, Big5, Shift_JIS, EUC-KR and EUC-JP (whose trail bytes are never
 * those of a line break) and for UTF-16/32 of a named byte order; FALSE
 * for the others (stateful ones such as ISO-2022-JP, UTF-16 of either
 * order), which are read from their start. */
gboolean      wl_csv_encoding_line_breaks (const char      *encoding,
                                           WlCsvLineBreaks *breaks);

WlCsvDecoder *wl_csv_decoder_new         (const char    *encoding,
                                          GInputStream  *raw,
                                          guint64        raw_start,
                                          guint64        decoded_start,
                                          gboolean       raw_positions,
                                          GError       **error);
void          wl_csv_decoder_free        (WlCsvDecoder  *decoder);
/* Fills @out with up to @size bytes of UTF-8 (at least 4 KiB less, so
 * that no character is cut); *n_read 0 at the end of the file. */
gboolean      wl_csv_decoder_read        (WlCsvDecoder  *decoder,
                                          char          *out,
                                          gsize          size,
                                          gsize         *n_read,
                                          GCancellable  *cancellable,
                                          GError       **error);
/* The next @length raw bytes, from where the decoder starts, were read
 * already (the stream is past them): they are decoded from a copy. */
void          wl_csv_decoder_set_prefix  (WlCsvDecoder  *decoder,
                                          const char    *bytes,
                                          gsize          length);
/* Goes back or forward to a restart point at or before decoded offset
 * @offset; returns its decoded offset. */
gboolean      wl_csv_decoder_seek        (WlCsvDecoder  *decoder,
                                          guint64        offset,
                                          guint64       *restart,
                                          GCancellable  *cancellable,
                                          GError       **error);
/* Raw bytes of the file consumed, and invalid sequences replaced so far. */
guint64       wl_csv_decoder_get_raw_offset (const WlCsvDecoder *decoder);
/* Bytes read from the stream (the prefix not counted, re-reads counted). */
guint64       wl_csv_decoder_get_bytes_read (const WlCsvDecoder *decoder);
/* The raw offset of decoded offset @offset, when it is the start of the
 * decoder (or of a seek), the end of the file or just after a line break
 * in the last output of wl_csv_decoder_read(), for a decoder made with
 * @raw_positions in an encoding of wl_csv_encoding_line_breaks(); FALSE
 * for any other offset. */
gboolean      wl_csv_decoder_get_raw_offset_at (const WlCsvDecoder *decoder,
                                                guint64             offset,
                                                guint64            *raw);
guint64       wl_csv_decoder_get_repaired   (const WlCsvDecoder *decoder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlCsvDecoder, wl_csv_decoder_free)

G_END_DECLS
