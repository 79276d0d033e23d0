/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-export-formats.c: the file formats a classifier can be exported to. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "train/wl-classifier-export.h"
#include "train/wl-export-formats.h"
#include "wl-error.h"

static const WlExportFormatInfo formats[] = {
  { WL_EXPORT_WLM, "wlm", N_("Wordloom model"), "wlm" },
  { WL_EXPORT_ONNX, "onnx", N_("ONNX model"), "onnx" },
  { WL_EXPORT_SAFETENSORS, "safetensors", N_("safetensors weights"), "safetensors" },
};

const WlExportFormatInfo *
wl_export_formats (guint *n_out)
{
  *n_out = G_N_ELEMENTS (formats);
  return formats;
}

const WlExportFormatInfo *
wl_export_format_find (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (formats); i++)
    if (g_str_equal (formats[i].id, id))
      return &formats[i];
  return NULL;
}

gboolean
wl_export_format_from_string (const char     *str,
                              WlExportFormat *format)
{
  const WlExportFormatInfo *info = wl_export_format_find (str);

  if (info == NULL)
    return FALSE;
  *format = info->format;
  return TRUE;
}

const char *
wl_export_format_to_string (WlExportFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (formats[i].format == format)
      return formats[i].id;
  g_return_val_if_reached (NULL);
}

gboolean
wl_export_save (const WlClassifier  *classifier,
                const char          *id,
                const char          *path,
                GError             **error)
{
  const WlExportFormatInfo *info = wl_export_format_find (id);

  if (info == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("“%s” is not a format Wordloom writes: choose wlm, onnx or safetensors"), id);
      return FALSE;
    }
  return wl_classifier_export (classifier, info->format, path, error);
}
