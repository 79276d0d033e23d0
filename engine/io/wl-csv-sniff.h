/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-csv-sniff.h: guesses a CSV file's separator and header from its first
 * bytes (private to engine/io).
 *
 * Separator: of comma, tab, semicolon and pipe, the one that splits the most
 * sampled records into the same number (two or more) of fields, each read
 * with the quote mode it would get; ties go to the file extension's
 * separator (.tsv, .tab: tab), then to that order.  Comma when none splits
 * anything.
 *
 * Quotes (WL_QUOTES_AUTO): RFC 4180 for every separator but tab.  With tab,
 * RFC 4180 when every field that starts with a quote in the sample is a
 * clean quoted field: closed within @length (which may reach past the
 * sample) and followed by the separator or a line end; else none.
 *
 * Header: the first record is a header when its fields are non-numeric and
 * distinct and either one of them is a usual column name ("text", "label",
 * "class", ...), or a column is numeric below it, or (no first-row value
 * repeating below it) a column holds much longer values below a one-word
 * first value.
 */
#pragma once

#include <glib.h>

#include "wl-config.h"

G_BEGIN_DECLS

#define WL_CSV_SNIFF_BYTES (64u << 10)

typedef struct
{
  char         separator;     /* given or guessed */
  WlQuoteMode  quotes;        /* given or guessed; never WL_QUOTES_AUTO */
  gboolean     has_header;    /* given or guessed */
  guint        n_fields;      /* header's field count, else the most common one; 0 if no record */
  GArray      *mean_lengths;  /* double per column, over the sample's data rows */
} WlCsvSniff;

/* @sample is the start of the file (after any byte order mark), of which
 * the first WL_CSV_SNIFF_BYTES are looked at; @at_eof says whether @length
 * reaches the end of the file.  @separator 0 means guess. */
void wl_csv_sniff       (WlCsvSniff   *sniff,
                         const char   *sample,
                         gsize         length,
                         gboolean      at_eof,
                         char          separator,
                         WlQuoteMode   quotes,
                         WlHeaderMode  header,
                         const char   *path);
void wl_csv_sniff_clear (WlCsvSniff   *sniff);

G_END_DECLS
