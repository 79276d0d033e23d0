/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-csv-reader-private.h: the reader's state, shared by its public API
 * (wl-csv-reader.c) and its record parser (wl-csv-record.c). */
#pragma once

#include "io/wl-csv-reader.h"
#include "io/wl-csv-decode.h"

G_BEGIN_DECLS

#define WL_CSV_BUFFER_SIZE (256u << 10)

typedef struct
{
  gsize    start;     /* in row, or in repair when repaired */
  gsize    length;
  gboolean repaired;
  gboolean bad_bytes;  /* had bytes not valid in the encoding (repaired) */
} WlCsvField;

/* The distinct values a column has held, while they are few (labels). */
#define WL_CSV_KNOWN_VALUES      8
#define WL_CSV_KNOWN_VALUE_BYTES 32

typedef struct
{
  char     values[WL_CSV_KNOWN_VALUES][WL_CSV_KNOWN_VALUE_BYTES];
  guint8   lengths[WL_CSV_KNOWN_VALUES];
  guint    n;
  gboolean overflow;      /* more than WL_CSV_KNOWN_VALUES, or a long one */
} WlCsvKnownValues;

typedef enum
{
  WL_CSV_RECORD_OK,
  WL_CSV_RECORD_EOF,
  WL_CSV_RECORD_BAD,      /* quote problem or too long; error set; skipping resumes on
                           * the line after the record's first line */
  WL_CSV_RECORD_RAGGED,   /* wrong field count; error set; the record was consumed whole */
  WL_CSV_RECORD_ERROR,    /* I/O error, cancelled, out of memory: fatal */
} WlCsvRecordResult;

struct _WlCsvReader
{
  char          *display_name;
  GInputStream  *stream;
  GCancellable  *cancellable;
  guint64        size;

  char          *buf;
  gsize          buf_len;
  gsize          pos;
  guint64        buf_offset;        /* file offset of buf[0] */

  char           separator;
  WlQuoteMode    quotes;            /* WL_QUOTES_RFC4180 or WL_QUOTES_NONE */
  gboolean       has_header;
  gboolean       had_bom;
  char          *encoding;
  int            encoding_confidence;
  gboolean       encoding_given;    /* named by the user, not detected */
  WlCsvDecoder  *decoder;           /* NULL for UTF-8 */
  gboolean       raw_positions;     /* the decoder notes raw offsets (for ranges) */
  gboolean       ascii_so_far;      /* auto, and every byte so far ASCII */
  char          *likely_encoding;   /* of the first repaired row */
  gboolean       skip_bad_rows;
  gboolean       in_header;         /* reading the header row */
  gboolean       quote_repair;      /* quotes "auto": a row whose quotes are not RFC 4180
                                     * is read with its quotes as text */
  gboolean       plain_record;      /* reading this record with quotes as text */
  WlCsvKnownValues *known;          /* per column, with quote_repair */
  gsize          max_row_bytes;
  guint          n_columns;
  char         **header;
  GArray        *mean_lengths;
  guint8         stop[256];         /* bytes that end an unquoted field */
  gsize          next_stop[3];      /* WL_QUOTES_NONE: next separator, LF and CR in buf */
  gboolean       next_stop_valid;   /* next_stop holds for this buffer and pos */

  guint64        line;              /* current physical line, 1-based */
  guint64        line_start;        /* its file offset */
  gboolean       skip_lf;           /* a line ended with CR: a LF next belongs to it */
  gboolean       quoted_prev_cr;    /* the quoted text read so far ends with CR */

  /* The current record. */
  char          *row;
  gsize          row_len;
  gsize          row_alloc;
  WlCsvField    *fields;
  const char   **pointers;          /* published fields, for WlCsvRow */
  gsize         *lengths;
  guint          n_fields;
  guint          fields_alloc;
  GString       *repair;
  gboolean       any_quoted;
  guint64        rec_line;
  guint64        rec_offset;        /* file offset where the record starts */
  gboolean       rec_multiline;
  gboolean       rec_quotes_as_text; /* some of its quotes were read as text */
  guint64        rec_next_line;     /* file offset of the record's second line */
  gboolean       rec_next_after_cr;
  guint64        extra_line, extra_column;  /* where field n_columns + 1 starts */
  guint64        end_line, end_column;      /* where the record ends */
  guint64        quote_line, quote_column;  /* the last opening quote */

  WlCsvCounts    counts;
  guint64        bytes_read;        /* from the file (raw), seeks and re-reads included */
  guint64        quote_decisions;   /* quote_repair: records whose reading depended on the
                                     * values seen before (multi-line, or stray quotes) */
};

void              wl_csv_set_parse_error      (const WlCsvReader  *self,
                                               GError            **error,
                                               guint64             line,
                                               guint64             column,
                                               const char         *what);
gboolean          wl_csv_propagate_read_error (const WlCsvReader  *self,
                                               GError             *local,
                                               GError            **error);
/* Opens @path as self->stream and takes its size (0 when unknown). */
gboolean          wl_csv_open_stream          (WlCsvReader        *self,
                                               const char         *path,
                                               GCancellable       *cancellable,
                                               GError            **error);
/* Reads the next chunk; buf_len is 0 at the end of the file. */
gboolean          wl_csv_refill               (WlCsvReader        *self,
                                               GError            **error);
void              wl_csv_fields_grow          (WlCsvReader        *self);
/* Goes on decoding @encoding from raw offset @raw_start, which is decoded
 * offset @decoded_start (equal unless 0: an ASCII prefix reads the same;
 * a reader of a range never goes before its start). */
gboolean          wl_csv_start_decoder        (WlCsvReader        *self,
                                               const char         *encoding,
                                               guint64             raw_start,
                                               guint64             decoded_start,
                                               GError            **error);
/* The index of the first byte of @text that is not ASCII, else @length. */
gsize             wl_csv_first_non_ascii      (const char         *text,
                                               gsize               length);
/* Reads one record (after any blank lines) into the row, as written
 * (wl-csv-record.c)... */
WlCsvRecordResult wl_csv_read_record_as_written (WlCsvReader      *self,
                                               GError            **error);
/* ...or, with quote_repair, with the quotes of a record that does not
 * follow RFC 4180 read as text (wl-csv-quotes.c). */
WlCsvRecordResult wl_csv_read_record          (WlCsvReader        *self,
                                               GError            **error);
/* Remembers the row's values in the columns that hold few distinct ones. */
void              wl_csv_note_values          (WlCsvReader        *self);
/* Moves the read position to @offset (in the buffer when it is there). */
gboolean          wl_csv_seek                 (WlCsvReader        *self,
                                               guint64             offset,
                                               GError            **error);
/* After WL_CSV_RECORD_BAD: goes on with the line after the bad row's first line. */
gboolean          wl_csv_recover              (WlCsvReader        *self,
                                               GError            **error);

G_END_DECLS
