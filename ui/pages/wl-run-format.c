/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-format.c: a stored run as text for the Runs page and its views. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <unicode/udat.h>
#include <unicode/uloc.h>

#include "wl-run-format.h"

char *
wl_run_format_name (const WlRunRecord *record)
{
  g_autofree char *notes = NULL;

  g_return_val_if_fail (record != NULL, NULL);

  notes = g_strstrip (g_strdup (record->notes ? record->notes : ""));
  if (*notes != '\0')
    {
      char *newline = strchr (notes, '\n');

      if (newline != NULL)
        *newline = '\0';
      return g_steal_pointer (&notes);
    }
  /* Translators: the name of a run that has no notes, "Run 12" */
  return g_strdup_printf (_("Run %lld"), (long long) record->id);
}

const char *
wl_run_format_state (WlRunState state)
{
  switch (state)
    {
    /* Translators: the state of a stored run */
    case WL_RUN_STATE_RUNNING:     return C_("run state", "Running");
    case WL_RUN_STATE_FINISHED:    return C_("run state", "Finished");
    case WL_RUN_STATE_FAILED:      return C_("run state", "Failed");
    case WL_RUN_STATE_CANCELLED:   return C_("run state", "Stopped");
    case WL_RUN_STATE_INTERRUPTED: return C_("run state", "Interrupted");
    default:                       g_return_val_if_reached (NULL);
    }
}

const char *
wl_run_state_icon_name (WlRunState state)
{
  switch (state)
    {
    case WL_RUN_STATE_RUNNING:     return "media-playback-start-symbolic";
    case WL_RUN_STATE_FINISHED:    return "emblem-ok-symbolic";
    case WL_RUN_STATE_FAILED:      return "dialog-error-symbolic";
    case WL_RUN_STATE_CANCELLED:   return "media-playback-stop-symbolic";
    case WL_RUN_STATE_INTERRUPTED: return "dialog-warning-symbolic";
    default:                       g_return_val_if_reached (NULL);
    }
}

char *
wl_run_format_other_labels (guint n_others)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u other label", "%u other labels", n_others),
                          n_others);
}

char *
wl_run_format_percent (double value)
{
  if (!isfinite (value))
    return g_strdup ("—");
  /* Translators: a score in percent, "92.4 %" */
  return g_strdup_printf (_("%.1f %%"), 100 * value);
}

char *
wl_run_format_best (const WlRunRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);

  if (!isfinite (record->best_metric))
    return g_strdup ("—");
  if (g_strcmp0 (record->metric, "loss") == 0)
    return g_strdup_printf ("%.4f", record->best_metric);
  return wl_run_format_percent (record->best_metric);
}

const char *
wl_run_format_metric (const char *metric)
{
  /* Translators: the validation metric that picks a run's best epoch */
  if (g_strcmp0 (metric, "loss") == 0)
    return C_("metric", "loss");
  if (g_strcmp0 (metric, "macro-f1") == 0)
    return C_("metric", "macro-F1");
  return C_("metric", "accuracy");
}

/* An ICU formatter kept for the styles and locale it was opened with:
 * opening one builds ICU's pattern generator (milliseconds), and the Runs
 * list writes a time for each of its rows.  The window formats on its
 * main thread only. */
typedef struct
{
  char         locale[ULOC_FULLNAME_CAPACITY];
  UDateFormat *format;
} Formatter;

/* @time in the styles of the LC_TIME locale, from ICU's CLDR data: what a
 * reader of that language expects ("05:39:37" in zh_CN, where the C
 * library's %X spells "05时39分37秒"); NULL if ICU cannot.  @kept: the
 * formatter of these styles, opened again when the locale changed. */
static char *
format_local (GDateTime         *time,
              UDateFormatStyle   time_style,
              UDateFormatStyle   date_style,
              Formatter         *kept)
{
  char locale[ULOC_FULLNAME_CAPACITY];
  UErrorCode status = U_ZERO_ERROR;
  UChar text[128];
  int32_t len;

  uloc_canonicalize (setlocale (LC_TIME, NULL), locale, sizeof locale, &status);
  if (U_FAILURE (status))
    {
      locale[0] = '\0';
      status = U_ZERO_ERROR;
    }
  if (kept->format == NULL || strcmp (kept->locale, locale) != 0)
    {
      g_clear_pointer (&kept->format, udat_close);
      kept->format = udat_open (time_style, date_style, locale[0] != '\0' ? locale : NULL,
                                NULL, -1, NULL, -1, &status);
      if (U_FAILURE (status))
        {
          kept->format = NULL;
          return NULL;
        }
      g_strlcpy (kept->locale, locale, sizeof kept->locale);
    }
  len = udat_format (kept->format, (UDate) g_date_time_to_unix (time) * 1000.0 +
                                   g_date_time_get_microsecond (time) / 1000.0,
                     text, G_N_ELEMENTS (text), NULL, &status);
  if (U_FAILURE (status))
    return NULL;
  return g_utf16_to_utf8 ((const gunichar2 *) text, len, NULL, NULL, NULL);
}

char *
wl_run_format_time (gint64 unix_time)
{
  static Formatter kept;
  g_autoptr(GDateTime) time = NULL;
  char *text;

  if (unix_time <= 0 || (time = g_date_time_new_from_unix_local (unix_time)) == NULL)
    return g_strdup ("—");
  text = format_local (time, UDAT_SHORT, UDAT_SHORT, &kept);
  return text != NULL ? text : g_date_time_format (time, "%x %X");
}

char *
wl_run_format_clock (GDateTime *time)
{
  static Formatter kept;
  char *text;

  g_return_val_if_fail (time != NULL, NULL);

  text = format_local (time, UDAT_MEDIUM, UDAT_NONE, &kept);
  return text != NULL ? text : g_date_time_format (time, "%X");
}

char *
wl_run_format_dataset (const WlRunRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->dataset != NULL ? g_path_get_basename (record->dataset) : g_strdup ("—");
}

/* Settings */

static char *
leaf_text (JsonNode *node)
{
  GType type;

  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *item = leaf_text (json_array_get_element (array, i));

          g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", item);
        }
      return g_strdup (text->str);
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return json_to_string (node, FALSE);
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (type == G_TYPE_DOUBLE)
    return g_strdup_printf ("%g", json_node_get_double (node));
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  return json_to_string (node, FALSE);
}

char *
wl_run_format_setting (GHashTable *config,
                       const char *key)
{
  JsonNode *node = config != NULL ? g_hash_table_lookup (config, key) : NULL;

  return node != NULL ? leaf_text (node) : NULL;
}

/* Grids */

GtkWidget *
wl_run_grid_label (const char *text,
                   gboolean    number,
                   gboolean    header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), number ? 1 : 0);
  if (number)
    gtk_widget_add_css_class (label, "numeric");
  else
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
      gtk_widget_set_tooltip_text (label, text);
    }
  if (header)
    {
      gtk_widget_add_css_class (label, "heading");
      gtk_widget_add_css_class (label, "dim-label");
    }
  return label;
}

void
wl_run_grid_clear (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}
