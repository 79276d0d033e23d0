/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-text-spill.h: the texts of a dataset kept in a scratch file.
 *
 * A file too large for memory is loaded with its texts appended, as the
 * loader keeps them, to a scratch file (wl-cache-file.h) instead of
 * memory, each after the number of the line where its row starts: 4 bytes
 * a row stay in memory (where its text starts, wl-packed.h).  Any rows
 * are read back with one pread() each, in any order, so that a run cleans
 * and featurizes a window of rows at a time in its own order; the texts
 * read back are the bytes the in-memory load holds.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _WlTextSpill WlTextSpill;

WlTextSpill *wl_text_spill_new    (GError            **error);
void         wl_text_spill_free   (WlTextSpill        *spill);
/* Appends the next row: the @line it starts on and its @text (@length
 * bytes, no NUL needed). */
gboolean     wl_text_spill_append (WlTextSpill        *spill,
                                   guint64             line,
                                   const char         *text,
                                   gsize               length,
                                   GError            **error);
/* Writes what is still buffered, after the last append: the rows can be
 * read from then on. */
gboolean     wl_text_spill_finish (WlTextSpill        *spill,
                                   GError            **error);
gsize        wl_text_spill_get_n_rows (const WlTextSpill *spill);
/* Reads the texts of rows @rows[0 .. @n - 1] into @chunk and points
 * @texts[k] at row @rows[k]'s text (NUL-terminated), and sets @lines[k]
 * to its line unless @lines is NULL.  Safe from several threads at once
 * (each with its own @chunk). */
gboolean     wl_text_spill_read   (const WlTextSpill  *spill,
                                   const guint32      *rows,
                                   gsize               n,
                                   GStringChunk       *chunk,
                                   const char        **texts,
                                   guint64            *lines,
                                   GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlTextSpill, wl_text_spill_free)

G_END_DECLS
