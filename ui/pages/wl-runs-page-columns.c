/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-runs-page-columns.c: the columns of the Runs page's list: what each
 * cell shows of a run, and how each column sorts.  A cell shows its run
 * again when the run's item changes (notify::record), so that a run read
 * again keeps its row's widgets. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pages/wl-run-format.h"
#include "pages/wl-run-item.h"
#include "pages/wl-runs-page-private.h"
#include "widgets/wl-sparkline.h"

static const struct
{
  WlRunColumn  column;
  const char  *title;
  gboolean     expand;
} columns[] = {
  /* Translators: column headers of the list of runs; "Run": the run's
   * state, its name and when it started */
  { WL_RUN_COLUMN_STARTED,       N_("Run"),         TRUE },
  { WL_RUN_COLUMN_MODEL,         N_("Model"),       FALSE },
  { WL_RUN_COLUMN_DATASET,       N_("Data"),        FALSE },
  { WL_RUN_COLUMN_EPOCHS,        N_("Epochs"),      FALSE },
  /* Translators: a column header over the best epoch's validation score and
   * the validation accuracy per epoch */
  { WL_RUN_COLUMN_BEST,          N_("Validation"),  FALSE },
  /* Translators: a column header: the accuracy on the test part */
  { WL_RUN_COLUMN_TEST_ACCURACY, N_("Test Acc."),   FALSE },
  { WL_RUN_COLUMN_MACRO_F1,      N_("Macro-F1"),    FALSE },
};

/* Cells */

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  data)
{
  WlRunColumn column = GPOINTER_TO_INT (data);
  GtkWidget *child, *box, *label;

  switch (column)
    {
    case WL_RUN_COLUMN_BEST:
      /* The best score, and the curve that led there: one column, so that
       * the names have the room */
      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_label_set_width_chars (GTK_LABEL (label), 6);
      gtk_widget_add_css_class (label, "numeric");
      gtk_box_append (GTK_BOX (child), label);
      box = wl_sparkline_new ();
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (child), box);
      break;
    case WL_RUN_COLUMN_STARTED:
      /* The run's state, its name, and when it started with its tags (the
       * state has no column of its own: the names have the room) */
      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      gtk_box_append (GTK_BOX (child), gtk_image_new ());
      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_box_append (GTK_BOX (child), box);
      label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 8);
      gtk_box_append (GTK_BOX (box), label);
      label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      /* A date and time ("12/7/26, 13:40") whole */
      gtk_label_set_width_chars (GTK_LABEL (label), 15);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
      break;
    case WL_RUN_COLUMN_MODEL:
      /* Never cut: the longest, "embedding-bag", is short. */
      child = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (child), 0);
      break;
    case WL_RUN_COLUMN_DATASET:
      /* Whole when there is room; else cut in the middle, keeping the
       * extension, never narrower than a usual name. */
      child = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (child), 0);
      gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_width_chars (GTK_LABEL (child), 20);
      break;
    case WL_RUN_COLUMN_STATE:
    case WL_RUN_COLUMN_CURVE:
    case WL_RUN_COLUMN_NAME:
    case WL_RUN_COLUMN_EPOCHS:
    case WL_RUN_COLUMN_TEST_ACCURACY:
    case WL_RUN_COLUMN_MACRO_F1:
    case WL_N_RUN_COLUMNS:
    default:
      child = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (child), 1);
      gtk_widget_add_css_class (child, "numeric");
      break;
    }
  g_object_set_data (G_OBJECT (list_item), "column", data);
  gtk_list_item_set_child (list_item, child);
}

static char *
started_caption (const WlRunRecord *record)
{
  g_autofree char *started = wl_run_format_time (record->started);

  if (record->tags == NULL || record->tags[0] == NULL)
    return g_steal_pointer (&started);
  {
    g_autofree char *tags = g_strjoinv (", ", record->tags);

    /* Translators: under a run's name: when it started, its tags */
    return g_strdup_printf (_("%s · %s"), started, tags);
  }
}

static char *
cell_text (WlRunItem   *item,
           WlRunColumn  column)
{
  const WlRunRecord *r = wl_run_item_get_record (item);

  switch (column)
    {
    case WL_RUN_COLUMN_MODEL:         return g_strdup (r->model);
    case WL_RUN_COLUMN_DATASET:       return wl_run_format_dataset (r);
    case WL_RUN_COLUMN_EPOCHS:        return g_strdup_printf ("%u", r->epochs_run);
    case WL_RUN_COLUMN_BEST:          return wl_run_format_best (r);
    case WL_RUN_COLUMN_TEST_ACCURACY: return wl_run_format_percent (r->test_accuracy);
    case WL_RUN_COLUMN_MACRO_F1:      return wl_run_format_percent (r->test_macro_f1);
    case WL_RUN_COLUMN_STATE:
    case WL_RUN_COLUMN_NAME:
    case WL_RUN_COLUMN_STARTED:
    case WL_RUN_COLUMN_CURVE:
    case WL_N_RUN_COLUMNS:
    default:                          g_return_val_if_reached (NULL);
    }
}

static void
show_cell (GtkListItem *list_item)
{
  WlRunColumn column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (list_item), "column"));
  WlRunItem *item = gtk_list_item_get_item (list_item);
  const WlRunRecord *r = wl_run_item_get_record (item);
  GtkWidget *child = gtk_list_item_get_child (list_item), *box;
  g_autofree char *text = NULL, *tooltip = NULL;
  const double *values;
  guint n;

  switch (column)
    {
    case WL_RUN_COLUMN_STARTED:
      text = started_caption (r);
      gtk_image_set_from_icon_name (GTK_IMAGE (gtk_widget_get_first_child (child)),
                                    wl_run_state_icon_name (r->state));
      gtk_widget_set_tooltip_text (gtk_widget_get_first_child (child), wl_run_format_state (r->state));
      box = gtk_widget_get_last_child (child);
      gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), wl_run_item_get_name (item));
      gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (box)), text);
      gtk_widget_set_tooltip_text (box, r->notes != NULL && *r->notes ? r->notes
                                                                       : wl_run_item_get_name (item));
      break;
    case WL_RUN_COLUMN_DATASET:
      text = cell_text (item, column);
      gtk_label_set_text (GTK_LABEL (child), text);
      gtk_widget_set_tooltip_text (child, r->dataset);
      break;
    case WL_RUN_COLUMN_BEST:
      text = cell_text (item, column);
      gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (child)), text);
      /* Translators: the tooltip of a run's validation column, "Best accuracy, and accuracy per epoch" */
      tooltip = g_strdup_printf (_("Best %s, and accuracy per epoch"), wl_run_format_metric (r->metric));
      gtk_widget_set_tooltip_text (child, tooltip);
      values = wl_run_item_get_accuracy (item, &n);
      wl_sparkline_set_values (WL_SPARKLINE (gtk_widget_get_last_child (child)), values, n);
      break;
    case WL_RUN_COLUMN_STATE:
    case WL_RUN_COLUMN_CURVE:
    case WL_RUN_COLUMN_NAME:
    case WL_RUN_COLUMN_MODEL:
    case WL_RUN_COLUMN_EPOCHS:
    case WL_RUN_COLUMN_TEST_ACCURACY:
    case WL_RUN_COLUMN_MACRO_F1:
    case WL_N_RUN_COLUMNS:
    default:
      text = cell_text (item, column);
      gtk_label_set_text (GTK_LABEL (child), text);
      break;
    }
}

static void
on_item_changed (WlRunItem   *item,
                 GParamSpec  *pspec,
                 GtkListItem *list_item)
{
  show_cell (list_item);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  data)
{
  show_cell (list_item);
  g_signal_connect_object (gtk_list_item_get_item (list_item), "notify::record",
                           G_CALLBACK (on_item_changed), list_item, 0);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  data)
{
  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (list_item), on_item_changed,
                                        list_item);
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  return wl_run_item_compare ((WlRunItem *) a, (WlRunItem *) b, GPOINTER_TO_INT (data));
}

void
wl_runs_page_setup_columns (WlRunsPage *self)
{
  GtkColumnViewColumn *newest = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      gpointer column = GINT_TO_POINTER (columns[i].column);
      GtkColumnViewColumn *view_column;
      GtkSorter *sorter;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), column);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), column);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), column);
      view_column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (view_column, columns[i].expand);
      gtk_column_view_column_set_resizable (view_column, TRUE);
      sorter = GTK_SORTER (gtk_custom_sorter_new (compare_items, column, NULL));
      gtk_column_view_column_set_sorter (view_column, sorter);
      g_object_unref (sorter);
      if (columns[i].column == WL_RUN_COLUMN_STARTED)
        newest = view_column;
      gtk_column_view_append_column (self->column_view, view_column);
      g_object_unref (view_column);
    }
  gtk_column_view_sort_by_column (self->column_view, newest, GTK_SORT_DESCENDING);
}
