/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-csv-reader.h: a streaming CSV/TSV reader.
 *
 * The reader reads the file in fixed-size chunks and never holds more than
 * the current row: memory stays flat whatever the file size.  It follows
 * RFC 4180 quoting (separators, doubled quotes and line breaks inside quoted
 * fields), accepts LF, CRLF and CR line endings, skips a UTF-8 byte order
 * mark and blank lines, and replaces invalid UTF-8 with U+FFFD.  The
 * separator and the header are guessed from the first 64 KiB unless given.
 *
 * Encodings: a file that is not UTF-8 is decoded to UTF-8 below the
 * tokenizer as it is read (io/wl-csv-decode.h says how the encoding is
 * found); offsets are then in the decoded text.  A UTF-8 file is read as
 * it is.  A file that starts in plain ASCII is taken for UTF-8 until its
 * first other byte: if the bytes from there are not UTF-8, the encoding is
 * detected there and the rest is decoded.
 *
 * Quotes (WlQuoteMode):
 * - WL_QUOTES_RFC4180: a field that starts with a quote is quoted; inside,
 *   "" is a quote and separators and line breaks are text.  A field like
 *   "Wen u miss" gdeve.. (a quoted part, then more text on the same line)
 *   is kept as written and counted in loose_quotes.
 * - WL_QUOTES_NONE: quotes are ordinary characters; a field ends only at
 *   the separator or a line end (IANA text/tab-separated-values).
 * - WL_QUOTES_AUTO: as RFC 4180, but a row whose quotes do not follow it is
 *   read with its quotes as text (io/wl-csv-quotes.c), counted in
 *   quote_text_rows.  RFC 4180 for comma, semicolon and pipe.  For a tab,
 *   RFC 4180 only if every field that starts with a quote in the first
 *   64 KiB is a clean quoted field: its closing quote is followed by the
 *   separator or a line end, and it closes within the first chunk read
 *   (256 KiB).  One field that is not (text after the closing quote, or a
 *   quote that never closes) makes the whole file NONE, as TSV writers that
 *   never quote produce such fields.  Separator guessing reads each
 *   candidate with the quote mode it would get.
 *
 * A malformed row (unterminated quote, text after a closing quote, wrong
 * number of fields) is a WL_ERROR_PARSE naming file:line:column, or, with
 * skip_bad_rows, is skipped and counted.  After a quote problem the reader
 * resumes on the physical line after the bad row's first line, so a stray
 * quote costs one line, not the rest of the file.
 */
#pragma once

#include <gio/gio.h>

#include "wl-config.h"

G_BEGIN_DECLS

#define WL_CSV_MAX_REPORTED_LINES 10
#define WL_CSV_DEFAULT_MAX_ROW_BYTES (64u << 20)

typedef struct _WlCsvReader WlCsvReader;

typedef struct
{
  gunichar     separator;      /* 0 = detect; else an ASCII character */
  WlQuoteMode  quotes;
  WlHeaderMode header;
  gboolean     skip_bad_rows;
  gsize        max_row_bytes;  /* a longer row is malformed; 0 = 64 MiB */
  const char  *encoding;       /* NULL or "auto" = detect; else a name ICU knows */
  gboolean     raw_positions;  /* decoded from another encoding: positions in bytes of
                                * the file (wl_csv_reader_get_position(), for ranges) */
} WlCsvOptions;

/* One data row.  The fields are NUL-terminated, valid UTF-8 and borrowed:
 * they stay valid until the next call on the reader. */
typedef struct
{
  const char * const *fields;
  const gsize        *lengths;
  guint               n_fields;
  guint64             line;     /* physical line where the row starts, 1-based */
} WlCsvRow;

typedef struct
{
  guint64 rows;                 /* data rows returned */
  guint64 blank_lines;          /* empty or whitespace-only lines */
  guint64 bad_rows;             /* malformed rows skipped */
  guint64 bad_row_lines[WL_CSV_MAX_REPORTED_LINES];
  guint   n_bad_row_lines;
  guint64 repaired_utf8;        /* invalid UTF-8 sequences replaced by U+FFFD */
  guint64 loose_quotes;         /* fields kept as written: "quoted" part, then more text */
  guint64 quote_text_rows;      /* rows whose quotes were read as text (loose or stray) */
  guint64 quote_text_lines[WL_CSV_MAX_REPORTED_LINES];
  guint   n_quote_text_lines;
} WlCsvCounts;

WlCsvReader        *wl_csv_reader_new              (const char          *path,
                                                    const WlCsvOptions  *options,
                                                    GCancellable        *cancellable,
                                                    GError             **error);
void                wl_csv_reader_free             (WlCsvReader         *reader);

/* Returns FALSE at the end of the file (error unset) or on error. */
gboolean            wl_csv_reader_next_row         (WlCsvReader         *reader,
                                                    WlCsvRow            *row,
                                                    GError             **error);

/* Where the row last returned starts: its file offset, for
 * wl_csv_reader_seek(). */
guint64             wl_csv_reader_get_row_offset   (const WlCsvReader   *reader);
/* Goes on reading at @offset, the start of a row found earlier with
 * wl_csv_reader_get_row_offset(), which starts on physical line @line
 * (used in messages).  Cheap when @offset is in the chunk in memory. */
gboolean            wl_csv_reader_seek             (WlCsvReader         *reader,
                                                    guint64              offset,
                                                    guint64              line,
                                                    GError             **error);

gunichar            wl_csv_reader_get_separator    (const WlCsvReader   *reader);
/* The quote mode in use: never WL_QUOTES_AUTO. */
WlQuoteMode         wl_csv_reader_get_quotes       (const WlCsvReader   *reader);
gboolean            wl_csv_reader_get_has_header   (const WlCsvReader   *reader);
gboolean            wl_csv_reader_get_had_bom      (const WlCsvReader   *reader);
/* The encoding read ("UTF-8", "GB18030"…: never "auto") and how sure the
 * detection was (0–100; 100 when given, by a byte order mark, or UTF-8). */
const char         *wl_csv_reader_get_encoding     (const WlCsvReader   *reader);
int                 wl_csv_reader_get_encoding_confidence (const WlCsvReader *reader);
/* Whether field @i of the row last returned needed repair (bytes that were
 * not valid in the encoding read). */
gboolean            wl_csv_reader_field_repaired   (const WlCsvReader   *reader,
                                                    guint                i);
/* The encoding the first repaired row's bytes look like, or NULL. */
const char         *wl_csv_reader_get_likely_encoding (const WlCsvReader *reader);
/* The number of fields every row must have (the header's, else the most
 * common count in the first 64 KiB). */
guint               wl_csv_reader_get_n_columns    (const WlCsvReader   *reader);
/* The header's names, stripped of surrounding spaces; NULL without header. */
const char * const *wl_csv_reader_get_header       (const WlCsvReader   *reader);
/* Mean length in bytes of @column over the data rows of the first 64 KiB. */
double              wl_csv_reader_get_sample_mean_length (const WlCsvReader *reader,
                                                    guint                column);
/* Bytes of the file consumed so far, and the file size. */
guint64             wl_csv_reader_get_offset       (const WlCsvReader   *reader);
guint64             wl_csv_reader_get_size         (const WlCsvReader   *reader);
const WlCsvCounts  *wl_csv_reader_get_counts       (const WlCsvReader   *reader);
/* The path as shown in messages. */
const char         *wl_csv_reader_get_display_name (const WlCsvReader   *reader);

/* Reading a file from the middle (wl-csv-reader-range.c), for the shards
 * of a distributed run.  The layout: what the first reader of the file
 * found at its start (separator, quotes, header, encoding…), to read the
 * rest alike. */
GVariant           *wl_csv_reader_get_layout       (const WlCsvReader   *reader);
/* Whether a file of @layout is read in byte ranges: UTF-8, or an encoding
 * whose line starts are found among its bytes (single-byte encodings,
 * GBK, GB18030, Big5, Shift_JIS, EUC-KR, EUC-JP, UTF-16/32 of a named byte
 * order); a file in another encoding is read from its start. */
gboolean            wl_csv_reader_layout_reads_in_ranges (GVariant      *layout);
/* The encoding of @layout (as wl_csv_reader_get_encoding() said then). */
const char         *wl_csv_reader_layout_get_encoding (GVariant         *layout);
/* A reader of @path that parses as the one that gave @layout did, without
 * reading the start of the file; place it with one of the two below. */
WlCsvReader        *wl_csv_reader_new_like         (const char          *path,
                                                    GVariant            *layout,
                                                    gboolean             skip_bad_rows,
                                                    GCancellable        *cancellable,
                                                    GError             **error);
/* Offsets here are bytes of the file, also for a file decoded from another
 * encoding than UTF-8 (the line breaks are where the raw bytes and the
 * decoded text meet).
 *
 * Goes to the first line start at or after @offset (> 0); lines are
 * counted from 2 there (the caller shifts them when it learns the truth). */
gboolean            wl_csv_reader_start_after      (WlCsvReader         *reader,
                                                    guint64              offset,
                                                    GError             **error);
/* Goes on after a record that ended at @offset (a position given by
 * wl_csv_reader_get_position()), the next line being @line. */
gboolean            wl_csv_reader_resume           (WlCsvReader         *reader,
                                                    guint64              offset,
                                                    guint64              line,
                                                    GError             **error);
/* Where the reader is: after the row last returned (and its line break),
 * a byte offset of the file (for a reader of wl_csv_reader_new_like(), or
 * of wl_csv_reader_new() with raw_positions); an offset of the decoded
 * text only when the file turned out, past its start, to be in an
 * encoding that is not read in ranges (its layout said UTF-8: the caller
 * reads it whole then). */
guint64             wl_csv_reader_get_position     (const WlCsvReader   *reader);
guint64             wl_csv_reader_get_line         (const WlCsvReader   *reader);
/* Bytes read from the file so far, re-reads included (before any decoding). */
guint64             wl_csv_reader_get_bytes_read   (const WlCsvReader   *reader);
/* Records whose reading, with quotes "auto", depended on the values seen
 * before them: they are read alike only after the same known values. */
guint64             wl_csv_reader_get_quote_decisions (const WlCsvReader *reader);
void                wl_csv_reader_set_skip_bad_rows (WlCsvReader        *reader,
                                                    gboolean             skip);
GVariant           *wl_csv_reader_get_known_values (const WlCsvReader   *reader);
void                wl_csv_reader_set_known_values (WlCsvReader         *reader,
                                                    GVariant            *known);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlCsvReader, wl_csv_reader_free)

/* A field without the ASCII whitespace around it (as the dataset and the
 * index read label and text values). */
static inline void
wl_csv_trim (const char  *text,
             gsize        length,
             const char **start,
             gsize       *trimmed)
{
  const char *end = text + length;

  while (text < end && g_ascii_isspace (*text))
    text++;
  while (end > text && g_ascii_isspace (end[-1]))
    end--;
  *start = text;
  *trimmed = end - text;
}

G_END_DECLS
