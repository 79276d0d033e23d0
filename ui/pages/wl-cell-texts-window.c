/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cell-texts-window.c: the test texts behind one confusion-matrix cell. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-cell-texts-window.h"

/* A cell on the diagonal can hold most of the test part: list a few. */
#define MAX_CORRECT     100
/* Show the start of very long texts only. */
#define MAX_TEXT_CHARS  2000

/* One listed text (the strings belong to the run's datasets) */

#define WL_TYPE_CELL_TEXT (wl_cell_text_get_type ())
G_DECLARE_FINAL_TYPE (WlCellText, wl_cell_text, WL, CELL_TEXT, GObject)

struct _WlCellText
{
  GObject     parent_instance;
  const char *text;
  guint64     line;           /* in the data file; 0: unknown */
  gboolean    scored;         /* mistakes carry their probabilities */
  float       p_predicted;
  float       p_truth;
};

G_DEFINE_FINAL_TYPE (WlCellText, wl_cell_text, G_TYPE_OBJECT)

static void
wl_cell_text_class_init (WlCellTextClass *klass)
{
}

static void
wl_cell_text_init (WlCellText *self)
{
}

/* The window */

struct _WlCellTextsWindow
{
  AdwWindow       parent_instance;

  WlRun          *run;
  GListStore     *texts;

  /* Template children */
  AdwWindowTitle *title;
  GtkStack       *stack;
  GtkLabel       *description;
  GtkListView    *list_view;
  AdwStatusPage  *empty_page;
};

G_DEFINE_FINAL_TYPE (WlCellTextsWindow, wl_cell_texts_window, ADW_TYPE_WINDOW)

static void
add_text (WlCellTextsWindow     *self,
          const WlDataset       *dataset,
          gsize                  row,
          const WlMisclassified *mistake)
{
  g_autoptr(WlCellText) item = g_object_new (WL_TYPE_CELL_TEXT, NULL);

  item->text = wl_dataset_get_text (dataset, row);
  item->line = wl_dataset_get_line (dataset, row);
  if (mistake != NULL)
    {
      item->scored = TRUE;
      item->p_predicted = mistake->p_predicted;
      item->p_truth = mistake->p_truth;
    }
  g_list_store_append (self->texts, item);
}

static void
collect_mistakes (WlCellTextsWindow *self,
                  guint              truth,
                  guint              predicted)
{
  const WlEvaluation *evaluation = wl_run_get_evaluation (self->run);
  const WlDataset *dataset = wl_run_get_test_dataset (self->run);

  for (guint i = 0; i < evaluation->misclassified->len; i++)
    {
      const WlMisclassified *m = &g_array_index (evaluation->misclassified, WlMisclassified, i);

      if (m->truth == truth && m->predicted == predicted)
        add_text (self, dataset, m->row, m);
    }
}

/* The first test rows of @label that the model got right: those of the
 * label that are not among the mistakes. */
static void
collect_correct (WlCellTextsWindow *self,
                 guint              label)
{
  const WlEvaluation *evaluation = wl_run_get_evaluation (self->run);
  const WlDataset *dataset = wl_run_get_test_dataset (self->run);
  g_autoptr(GHashTable) wrong = g_hash_table_new (NULL, NULL);
  int id = wl_dataset_find_label (dataset, g_ptr_array_index (evaluation->label_names, label));
  const guint32 *rows;
  gsize n_rows;

  if (id < 0)
    return;
  for (guint i = 0; i < evaluation->misclassified->len; i++)
    {
      const WlMisclassified *m = &g_array_index (evaluation->misclassified, WlMisclassified, i);

      if (m->truth == label)
        g_hash_table_add (wrong, GSIZE_TO_POINTER (m->row + 1));
    }
  rows = wl_run_get_test_rows (self->run, &n_rows);
  for (gsize i = 0; i < n_rows && g_list_model_get_n_items (G_LIST_MODEL (self->texts)) < MAX_CORRECT; i++)
    if (wl_dataset_get_label (dataset, rows[i]) == (guint32) id &&
        !g_hash_table_contains (wrong, GSIZE_TO_POINTER ((gsize) rows[i] + 1)))
      add_text (self, dataset, rows[i], NULL);
}

static void
describe (WlCellTextsWindow *self,
          guint              truth,
          guint              predicted)
{
  const WlEvaluation *evaluation = wl_run_get_evaluation (self->run);
  const char *truth_name = g_ptr_array_index (evaluation->label_names, truth);
  const char *predicted_name = g_ptr_array_index (evaluation->label_names, predicted);
  guint64 count = wl_metrics_get_cell (evaluation->metrics, truth, predicted);
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->texts));
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *text = NULL;
  g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, count);

  /* Translators: the title of a confusion-matrix cell, true label → predicted label */
  title = g_strdup_printf (_("%s → %s"), truth_name, predicted_name);
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s test text", "%s test texts", count),
                              number);
  adw_window_title_set_title (self->title, title);
  adw_window_title_set_subtitle (self->title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);

  if (shown == 0)
    {
      text = g_strdup_printf (_("No test text is labelled “%s” and predicted “%s”."),
                              truth_name, predicted_name);
      adw_status_page_set_description (self->empty_page, text);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  if (truth != predicted)
    text = g_strdup_printf (_("Labelled “%s” in the data, predicted “%s” by the model. The most "
                              "confident mistakes come first, with the probability the model "
                              "gave to each label. Ctrl+C copies the selected text."),
                            truth_name, predicted_name);
  else if (shown < count)
    text = g_strdup_printf (_("Labelled “%s” and predicted “%s”: the model got these right. "
                              "Here are the first %u of %s. Ctrl+C copies the selected text."), truth_name, predicted_name,
                            shown, number);
  else
    text = g_strdup_printf (_("Labelled “%s” and predicted “%s”: the model got these right. "
                              "Ctrl+C copies the selected text."),
                            truth_name, predicted_name);
  gtk_label_set_text (self->description, text);
  gtk_stack_set_visible_child_name (self->stack, "list");
}

/* Rows */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *meta = gtk_label_new (NULL);
  GtkWidget *text = gtk_label_new (NULL);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_widget_add_css_class (meta, "caption");
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_widget_add_css_class (meta, "numeric");
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (box), meta);
  gtk_box_append (GTK_BOX (box), text);
  gtk_list_item_set_child (list_item, box);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          WlCellTextsWindow        *self)
{
  WlCellText *item = gtk_list_item_get_item (list_item);
  GtkWidget *meta = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  GtkWidget *text = gtk_widget_get_next_sibling (meta);
  g_autofree char *line = NULL;
  g_autofree char *probabilities = NULL;
  g_autofree char *shown = NULL;

  if (item->line != 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, item->line);

      /* Translators: the line of a text in the data file */
      line = g_strdup_printf (_("Line %s"), number);
    }
  else
    line = g_strdup ("");
  if (item->scored)
    {
      /* Translators: before it, the line of the text in the data file; then
       * the model's probability for the predicted and for the true label. */
      probabilities = g_strdup_printf (_("%s · predicted %.1f %% · true label %.1f %%"), line,
                                       100 * item->p_predicted, 100 * item->p_truth);
      gtk_label_set_text (GTK_LABEL (meta), probabilities);
    }
  else
    gtk_label_set_text (GTK_LABEL (meta), line);

  if (g_utf8_strlen (item->text, MAX_TEXT_CHARS + 1) > MAX_TEXT_CHARS)
    {
      g_autofree char *start = g_utf8_substring (item->text, 0, MAX_TEXT_CHARS);

      shown = g_strconcat (start, "…", NULL);
      gtk_label_set_text (GTK_LABEL (text), shown);
    }
  else
    gtk_label_set_text (GTK_LABEL (text), item->text);
}

/* Copies the whole text of the selected row. */
static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WlCellTextsWindow *self = WL_CELL_TEXTS_WINDOW (widget);
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (self->list_view));
  WlCellText *item = gtk_single_selection_get_selected_item (selection);

  if (item != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), item->text);
}

/* Object */

static void
wl_cell_texts_window_dispose (GObject *object)
{
  WlCellTextsWindow *self = WL_CELL_TEXTS_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), WL_TYPE_CELL_TEXTS_WINDOW);
  g_clear_object (&self->texts);
  g_clear_pointer (&self->run, wl_run_unref);
  G_OBJECT_CLASS (wl_cell_texts_window_parent_class)->dispose (object);
}

static void
wl_cell_texts_window_class_init (WlCellTextsWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = wl_cell_texts_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/wordloom/Wordloom/pages/wl-cell-texts-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WlCellTextsWindow, title);
  gtk_widget_class_bind_template_child (widget_class, WlCellTextsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, WlCellTextsWindow, description);
  gtk_widget_class_bind_template_child (widget_class, WlCellTextsWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, WlCellTextsWindow, empty_page);
  gtk_widget_class_install_action (widget_class, "cell.copy", NULL, copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "cell.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
wl_cell_texts_window_init (WlCellTextsWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSingleSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->texts = g_list_store_new (WL_TYPE_CELL_TEXT);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->texts)));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
}

GtkWidget *
wl_cell_texts_window_new (WlRun *run,
                          guint  truth,
                          guint  predicted)
{
  WlCellTextsWindow *self;
  const WlEvaluation *evaluation;

  g_return_val_if_fail (run != NULL, NULL);
  evaluation = wl_run_get_evaluation (run);
  g_return_val_if_fail (evaluation != NULL, NULL);
  g_return_val_if_fail (truth < evaluation->label_names->len, NULL);
  g_return_val_if_fail (predicted < evaluation->label_names->len, NULL);

  self = g_object_new (WL_TYPE_CELL_TEXTS_WINDOW, NULL);
  self->run = wl_run_ref (run);
  if (truth == predicted)
    collect_correct (self, truth);
  else
    collect_mistakes (self, truth, predicted);
  describe (self, truth, predicted);
  return GTK_WIDGET (self);
}

guint
wl_cell_texts_window_get_n_texts (WlCellTextsWindow *self)
{
  g_return_val_if_fail (WL_IS_CELL_TEXTS_WINDOW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->texts));
}
