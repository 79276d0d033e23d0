/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-results-window.c: a stored run's test results in a window of their
 * own, read from the evaluation JSON the store kept
 * (wl_evaluation_to_json()). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "pages/wl-run-format.h"
#include "pages/wl-run-results-window.h"
#include "widgets/wl-heatmap.h"
#include "wl-error.h"

struct _WlRunResultsWindow
{
  AdwWindow       parent_instance;

  /* Template children */
  AdwWindowTitle *window_title;
  GtkLabel       *accuracy_label;
  GtkLabel       *macro_f1_label;
  GtkLabel       *test_rows_label;
  GtkGrid        *class_grid;
  WlHeatmap      *heatmap;
};

G_DEFINE_FINAL_TYPE (WlRunResultsWindow, wl_run_results_window, ADW_TYPE_WINDOW)

/* Reading the JSON */

static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* NAN when missing or null (a score that was not defined). */
static double
double_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_double (node) : NAN;
}

static void
set_label_take (GtkLabel *label,
                char     *text)
{
  gtk_label_set_text (label, text);
  g_free (text);
}

static void
fill_class_grid (WlRunResultsWindow *self,
                 JsonArray          *per_class,
                 JsonObject         *object)
{
  JsonArray *shown = array_member (object, "confusion_labels");
  g_autoptr(GHashTable) keep = NULL;
  guint row_index = 0;
  const char *headers[] = { _("Label"), C_("metric", "Precision"), _("Recall"), _("F1"), _("Support") };
  static const char *scores[] = { "precision", "recall", "f1" };

  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    gtk_grid_attach (self->class_grid, wl_run_grid_label (headers[c], c > 0, TRUE), c, 0, 1, 1);
  /* With more labels than the heat map shows, the table shows the same ones. */
  if (shown != NULL && json_object_get_int_member_with_default (object, "confusion_others", 0) > 0)
    {
      keep = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < json_array_get_length (shown); i++)
        g_hash_table_add (keep, (gpointer) json_array_get_string_element (shown, i));
    }
  for (guint i = 0; i < json_array_get_length (per_class); i++)
    {
      JsonNode *node = json_array_get_element (per_class, i);
      JsonObject *row;
      GtkWidget *name;
      g_autofree char *support = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      row = json_node_get_object (node);
      if (keep != NULL &&
          !g_hash_table_contains (keep, json_object_get_string_member_with_default (row, "label", "")))
        continue;
      row_index++;
      name = wl_run_grid_label (json_object_get_string_member_with_default (row, "label", ""),
                                FALSE, FALSE);
      gtk_widget_set_hexpand (name, TRUE);
      gtk_grid_attach (self->class_grid, name, 0, row_index, 1, 1);
      for (guint s = 0; s < G_N_ELEMENTS (scores); s++)
        {
          g_autofree char *text = wl_run_format_percent (double_member (row, scores[s]));

          gtk_grid_attach (self->class_grid, wl_run_grid_label (text, TRUE, FALSE), s + 1, row_index, 1, 1);
        }
      support = g_strdup_printf ("%" G_GINT64_FORMAT,
                                 json_object_get_int_member_with_default (row, "support", 0));
      gtk_grid_attach (self->class_grid, wl_run_grid_label (support, TRUE, FALSE), 4, row_index, 1, 1);
    }
}

/* The confusion view: its labels ("confusion_labels", or "labels" in runs
 * stored before views), the "other labels" row when "confusion_others" is
 * set, and the square matrix. */
static gboolean
fill_heatmap (WlRunResultsWindow *self,
              JsonObject         *object)
{
  JsonArray *labels = array_member (object, "confusion_labels");
  JsonArray *confusion = array_member (object, "confusion");
  guint n_others = (guint) MAX (json_object_get_int_member_with_default (object, "confusion_others", 0), 0);
  g_autofree char *others = NULL;
  g_autofree const char **names = NULL;
  g_autofree guint64 *counts = NULL;
  guint n_shown, n;

  if (labels == NULL)
    labels = array_member (object, "labels");
  if (labels == NULL || confusion == NULL)
    return FALSE;
  n_shown = json_array_get_length (labels);
  n = n_shown + (n_others > 0);
  if (json_array_get_length (confusion) != n)
    return FALSE;
  names = g_new0 (const char *, n + 1);
  counts = g_new0 (guint64, (gsize) n * n);
  if (n_others > 0)
    names[n_shown] = others = wl_run_format_other_labels (n_others);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *row = json_array_get_element (confusion, i);
      JsonArray *cells;

      if (i < n_shown)
        {
          JsonNode *name = json_array_get_element (labels, i);

          if (json_node_get_value_type (name) != G_TYPE_STRING)
            return FALSE;
          names[i] = json_node_get_string (name);
        }
      if (!JSON_NODE_HOLDS_ARRAY (row) || json_array_get_length (cells = json_node_get_array (row)) != n)
        return FALSE;
      for (guint j = 0; j < n; j++)
        counts[(gsize) i * n + j] = (guint64) MAX (json_array_get_int_element (cells, j), 0);
    }
  wl_heatmap_set_data (self->heatmap, n, names, counts);
  return TRUE;
}

static gboolean
show_evaluation (WlRunResultsWindow *self,
                 const char         *json)
{
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  JsonObject *object;
  JsonArray *per_class;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);
  if ((per_class = array_member (object, "per_class")) == NULL ||
      !fill_heatmap (self, object))
    return FALSE;
  set_label_take (self->accuracy_label, wl_run_format_percent (double_member (object, "accuracy")));
  set_label_take (self->macro_f1_label, wl_run_format_percent (double_member (object, "macro_f1")));
  set_label_take (self->test_rows_label,
                  g_strdup_printf ("%" G_GINT64_FORMAT,
                                   json_object_get_int_member_with_default (object, "n", 0)));
  fill_class_grid (self, per_class, object);
  return TRUE;
}

/* Object */

static void
wl_run_results_window_class_init (WlRunResultsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (WL_TYPE_HEATMAP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/wordloom/Wordloom/pages/wl-run-results-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WlRunResultsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, WlRunResultsWindow, accuracy_label);
  gtk_widget_class_bind_template_child (widget_class, WlRunResultsWindow, macro_f1_label);
  gtk_widget_class_bind_template_child (widget_class, WlRunResultsWindow, test_rows_label);
  gtk_widget_class_bind_template_child (widget_class, WlRunResultsWindow, class_grid);
  gtk_widget_class_bind_template_child (widget_class, WlRunResultsWindow, heatmap);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wl_run_results_window_init (WlRunResultsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
wl_run_results_window_new (const WlRunRecord  *record,
                           GError            **error)
{
  WlRunResultsWindow *self;
  g_autofree char *name = NULL;
  g_autofree char *dataset = NULL;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (record != NULL, NULL);

  if (record->evaluation == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("Run %lld has no test results: it did not finish, or kept no test part"),
                   (long long) record->id);
      return NULL;
    }
  self = g_object_new (WL_TYPE_RUN_RESULTS_WINDOW, NULL);
  if (!show_evaluation (self, record->evaluation))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_PARSE,
                   _("The test results of run %lld do not read; the run store may be damaged"),
                   (long long) record->id);
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  name = wl_run_format_name (record);
  dataset = wl_run_format_dataset (record);
  /* Translators: the results window's subtitle, "linear model on reviews.csv" */
  subtitle = g_strdup_printf (_("%s model on %s"), record->model, dataset);
  adw_window_title_set_title (self->window_title, name);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), name);
  return GTK_WIDGET (self);
}
