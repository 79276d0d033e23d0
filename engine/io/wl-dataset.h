/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-dataset.h: labelled texts loaded from a CSV/TSV file.
 *
 * The loader streams the file through WlCsvReader and keeps only the picked
 * columns: memory grows with the text kept, not with the file.  Several
 * text columns are joined with a newline.  Label names are kept in
 * first-seen order; their index is the label id.
 */
#pragma once

#include <gio/gio.h>

#include "wl-config.h"

G_BEGIN_DECLS

#define WL_DATASET_MAX_REPORTED_LINES 10

typedef struct
{
  guint64     bytes;              /* size of the file */
  guint64     rows_read;          /* data rows, header and blank lines excluded */
  guint64     rows_kept;
  guint64     blank_lines;
  guint64     bad_rows;           /* malformed rows skipped (--skip-bad-rows) */
  guint64     bad_row_lines[WL_DATASET_MAX_REPORTED_LINES];
  guint       n_bad_row_lines;    /* how many of bad_row_lines are set */
  guint64     empty_texts;        /* rows dropped because every text column was empty */
  guint64     empty_labels;       /* rows dropped because the label was empty */
  guint64     repaired_utf8;      /* invalid UTF-8 sequences replaced by U+FFFD */
  guint64     loose_quotes;       /* fields like `"a" b` kept as written */
  guint64     quote_text_rows;    /* rows whose quotes were read as text (quotes auto) */
  guint64     quote_text_lines[WL_DATASET_MAX_REPORTED_LINES];
  guint       n_quote_text_lines;
  char        encoding[48];       /* the one used (detected or given), never "auto" */
  int         encoding_confidence; /* 0–100 */
  gunichar    separator;          /* the one used (detected or given) */
  WlQuoteMode quotes;             /* the one used: never WL_QUOTES_AUTO */
  gboolean    has_header;         /* the one used (detected or given) */
  gboolean    had_bom;
} WlLoadStats;

typedef struct
{
  WlHeaderMode        header;
  gunichar            separator;      /* 0 = detect */
  WlQuoteMode         quotes;         /* WL_QUOTES_AUTO (0) = decide per file */
  const char         *encoding;       /* NULL or "auto" = detect; a label that needs
                                       * repair is then an error */
  gboolean            skip_bad_rows;
  const char * const *text_columns;   /* NULL = "text", else the longest column */
  const char         *label_column;   /* NULL = "label" */
  gboolean            label_optional; /* for predict: no label column is fine */
  gboolean            texts_on_disk;  /* texts to a scratch file, not memory (a file
                                       * larger than memory: wl_dataset_read_texts) */
} WlLoadOptions;

typedef struct _WlTextSpill WlTextSpill;

typedef struct
{
  GStringChunk *chunk;        /* owns the text bytes */
  GPtrArray    *texts;        /* const char *, into chunk, valid UTF-8; empty with spill */
  WlTextSpill  *spill;        /* the texts, when loaded with texts_on_disk, else NULL */
  gsize         n_rows;
  GArray       *labels;       /* guint32 label ids; empty when unlabelled */
  GPtrArray    *label_names;  /* char *, first-seen order */
  GHashTable   *label_ids;    /* name -> id + 1 (GUINT_TO_POINTER) */
  GPtrArray    *columns;      /* char *, every column's name ("column 3" without header) */
  GArray       *text_column_indexes; /* guint, 0-based */
  int           label_column_index;  /* 0-based, -1 when unlabelled */
  guint64      *lines;        /* first line number of each kept row (for messages);
                               * NULL with spill: wl_dataset_get_line() */
  WlLoadStats   stats;
  GMutex        read_back_lock;
  GHashTable   *read_back;    /* row + 1 -> text read back from spill, into chunk */
} WlDataset;

/* Progress in bytes of the file; called from the loading thread. */
typedef void (*WlProgressFunc) (guint64 done, guint64 total, gpointer user_data);

void           wl_load_options_init_from_config (WlLoadOptions       *options,
                                                 const WlDataConfig  *data);

WlDataset     *wl_dataset_load         (const char           *path,
                                        const WlLoadOptions  *options,
                                        WlProgressFunc        progress,
                                        gpointer              progress_data,
                                        GCancellable         *cancellable,
                                        GError              **error);
void           wl_dataset_free         (WlDataset            *dataset);
/* A copy of rows @rows[0 .. @n_rows - 1] of @dataset, in that order, with
 * the same labels and columns (e.g. a run's test part). */
WlDataset     *wl_dataset_new_subset   (const WlDataset      *dataset,
                                        const guint32        *rows,
                                        gsize                 n_rows);

gsize          wl_dataset_get_n_rows   (const WlDataset      *dataset);
guint          wl_dataset_get_n_labels (const WlDataset      *dataset);
/* The text of @row.  A text kept on disk is read back (a pread) and kept
 * in memory from then on: for the few rows a person looks at. */
const char    *wl_dataset_get_text     (const WlDataset      *dataset,
                                        gsize                 row);
/* Points @texts[k] at the text of row @rows[k], for k < @n: into the
 * dataset when its texts are in memory, else read back from disk into
 * @chunk (which the caller clears when done with them). */
gboolean       wl_dataset_read_texts   (const WlDataset      *dataset,
                                        const guint32        *rows,
                                        gsize                 n,
                                        GStringChunk         *chunk,
                                        const char          **texts,
                                        GError              **error);
guint32        wl_dataset_get_label    (const WlDataset      *dataset,
                                        gsize                 row);
/* The line where @row starts in the file (read back when on disk). */
guint64        wl_dataset_get_line     (const WlDataset      *dataset,
                                        gsize                 row);
/* Returns the id of @name, or -1. */
int            wl_dataset_find_label   (const WlDataset      *dataset,
                                        const char           *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlDataset, wl_dataset_free)

G_END_DECLS
