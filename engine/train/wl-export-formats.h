/* wl-export-formats.h: the file formats a classifier can be exported to.
 *
 * One list for the CLI and the window, so neither holds a rule of its own:
 * each format's id (as `export --format` takes it), its name for people
 * and the extension its files take.
 */
#pragma once

#include <gio/gio.h>

#include "train/wl-classifier.h"

G_BEGIN_DECLS

typedef struct
{
  const char *id;         /* "wlm" */
  const char *name;       /* translated: "Wordloom model" */
  const char *extension;  /* without the dot: "wlm" */
} WlExportFormat;

/* The formats, @n_out of them; the first is the default. */
const WlExportFormat *wl_export_formats      (guint               *n_out);
const WlExportFormat *wl_export_format_find  (const char          *id);
/* Writes @classifier to @path in format @id, atomically. */
gboolean              wl_export_save         (const WlClassifier  *classifier,
                                              const char          *id,
                                              const char          *path,
                                              GError             **error);

G_END_DECLS
