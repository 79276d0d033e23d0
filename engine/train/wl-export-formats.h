/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-export-formats.h: the file formats a classifier can be exported to.
 *
 * One list for the CLI and the window, so neither holds a rule of its own:
 * each format's id (as `export --format` takes it), its name for people
 * and the extension its files take.  The writing itself is
 * wl_classifier_export() (wl-classifier-export.h).
 */
#pragma once

#include <gio/gio.h>

#include "train/wl-classifier.h"

G_BEGIN_DECLS

typedef enum
{
  WL_EXPORT_WLM,           /* the native model file */
  WL_EXPORT_ONNX,
  WL_EXPORT_SAFETENSORS,
} WlExportFormat;

typedef struct
{
  WlExportFormat format;
  const char    *id;         /* "onnx" */
  const char    *name;       /* N_() marked: "ONNX model" */
  const char    *extension;  /* without the dot: "onnx" */
} WlExportFormatInfo;

/* The formats, @n_out of them; the first is the default. */
const WlExportFormatInfo *wl_export_formats            (guint              *n_out);
/* NULL when @id names no format. */
const WlExportFormatInfo *wl_export_format_find        (const char         *id);
gboolean                  wl_export_format_from_string (const char         *str,
                                                        WlExportFormat     *format);
const char               *wl_export_format_to_string   (WlExportFormat      format);
/* Writes @classifier to @path in the format @id, atomically (with the
 * preprocessing description where the format needs one). */
gboolean                  wl_export_save               (const WlClassifier *classifier,
                                                        const char         *id,
                                                        const char         *path,
                                                        GError            **error);

G_END_DECLS
