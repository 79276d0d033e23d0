/* wl-export-formats.c: the file formats a classifier can be exported to. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "train/wl-export-formats.h"
#include "wl-error.h"

static const WlExportFormat formats[] = {
  { "wlm", N_("Wordloom model"), "wlm" },
};

const WlExportFormat *
wl_export_formats (guint *n_out)
{
  *n_out = G_N_ELEMENTS (formats);
  return formats;
}

const WlExportFormat *
wl_export_format_find (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_str_equal (formats[i].id, id))
      return &formats[i];
  return NULL;
}

gboolean
wl_export_save (const WlClassifier  *classifier,
                const char          *id,
                const char          *path,
                GError             **error)
{
  if (wl_export_format_find (id) == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("“%s” is not a format Wordloom writes: choose wlm"), id);
      return FALSE;
    }
  return wl_classifier_save (classifier, path, error);
}
