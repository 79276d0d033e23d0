/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-data-page-columns.c: the Data page's columns: the label and text
 * pickers, the label chart, and what the session gets from them (the
 * config's columns, a sample of texts). */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "wl-error.h"
#include "wl-data-page-private.h"

#define SAMPLE_TEXTS 200   /* texts for the session's sample */
#define MAX_BARS     15    /* classes drawn; the rest are counted in a note */

char *
wl_data_page_column_title (WlCsvIndex *index,
                           guint       column)
{
  const char * const *header = wl_csv_index_get_header (index);

  if (header != NULL && header[column][0] != '\0')
    return g_strdup (header[column]);
  /* Translators: a column of a file without a header row */
  return g_strdup_printf (_("Column %u"), column + 1);
}

gboolean
wl_data_page_is_text_column (WlDataPage *self,
                             guint       column)
{
  for (guint i = 0; i < self->text_columns->len; i++)
    if (g_array_index (self->text_columns, guint, i) == column)
      return TRUE;
  return FALSE;
}

/* The session: columns in the config, a sample of texts */

/* How the config names @column: its header name when that names it alone
 * (the loader matches names ignoring case), else its number from 1 (see
 * wl-dataset.h). */
static char *
column_spec (WlCsvIndex *index,
             guint       column)
{
  const char * const *header = wl_csv_index_get_header (index);
  g_autofree char *key = NULL;
  guint64 number;

  if (header == NULL || header[column][0] == '\0' ||
      g_ascii_string_to_unsigned (header[column], 10, 0, G_MAXUINT64, &number, NULL))
    return g_strdup_printf ("%u", column + 1);
  key = g_utf8_casefold (header[column], -1);
  for (guint c = 0; header[c] != NULL; c++)
    {
      g_autofree char *other = g_utf8_casefold (header[c], -1);

      if (c != column && strcmp (key, other) == 0)
        return g_strdup_printf ("%u", column + 1);
    }
  return g_strdup (header[column]);
}

/* The column the config's @spec names, or -1: the inverse of column_spec(). */
static int
resolve_spec (WlCsvIndex *index,
              const char *spec)
{
  guint n_columns = wl_csv_index_get_n_columns (index);
  guint64 number;

  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *own = column_spec (index, c);

      if (strcmp (own, spec) == 0)
        return (int) c;
    }
  if (g_ascii_string_to_unsigned (spec, 10, 1, n_columns, &number, NULL))
    return (int) number - 1;
  return -1;
}

static void
on_sample_ready (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WlDataPage *self = WL_DATA_PAGE (object);
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GError) error = NULL;

  texts = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->session == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, WL_ERROR, WL_ERROR_CANCELLED))
    return;   /* a newer sample was asked for, or the page is gone */
  if (texts == NULL)
    {
      wl_session_report_error (self->session, error);
      return;
    }
  wl_session_set_sample (self->session, texts, GPOINTER_TO_SIZE (user_data));
}

typedef struct
{
  WlCsvIndex *index;
  GArray     *columns;    /* guint: the text columns */
} SampleJob;

static void
sample_job_free (gpointer data)
{
  SampleJob *job = data;

  wl_csv_index_unref (job->index);
  g_array_unref (job->columns);
  g_free (job);
}

static void
sample_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SampleJob *job = task_data;
  GError *error = NULL;
  GPtrArray *texts = wl_csv_index_sample_texts (job->index, (const guint *) job->columns->data,
                                                job->columns->len, SAMPLE_TEXTS, cancellable,
                                                &error);

  if (texts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texts, (GDestroyNotify) g_ptr_array_unref);
}

/* Reads a new sample of the picked text columns on a thread. */
static void
start_sample (WlDataPage *self)
{
  g_autoptr(GTask) task = NULL;
  SampleJob *job = g_new (SampleJob, 1);
  guint64 n_rows = wl_csv_index_get_n_rows (self->index);

  g_cancellable_cancel (self->sample_cancellable);
  g_object_unref (self->sample_cancellable);
  self->sample_cancellable = g_cancellable_new ();

  job->index = wl_csv_index_ref (self->index);
  job->columns = g_array_copy (self->text_columns);
  task = g_task_new (self, self->sample_cancellable, on_sample_ready,
                     GSIZE_TO_POINTER ((gsize) MIN (n_rows, G_MAXSIZE)));
  g_task_set_source_tag (task, start_sample);
  g_task_set_task_data (task, job, sample_job_free);
  g_task_run_in_thread (task, sample_thread);
}

static void
write_config (WlDataPage *self)
{
  WlDataConfig *data = &wl_session_get_config (self->session)->data;
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();

  for (guint i = 0; i < self->text_columns->len; i++)
    {
      g_autofree char *spec = column_spec (self->index, g_array_index (self->text_columns, guint, i));

      g_strv_builder_add (texts, spec);
    }
  g_strfreev (data->text_columns);
  data->text_columns = g_strv_builder_end (texts);
  g_free (data->label_column);
  data->label_column = self->label_column >= 0 ? column_spec (self->index, self->label_column)
                                               : NULL;
  wl_session_config_changed (self->session);
}

/* The label chart */

static void
update_labels (WlDataPage *self)
{
  guint64 n_rows = wl_csv_index_get_n_rows (self->index);
  g_autofree char *rows = wl_data_page_format_count (n_rows);
  g_autofree char *note = NULL;
  g_autofree char *description = NULL;
  const WlCsvColumnStats *stats = NULL;
  guint64 empty_texts = 0, empty_labels = 0;
  guint n_bars = 0;

  if (self->label_column >= 0)
    stats = wl_csv_index_get_column (self->index, self->label_column);

  if (stats != NULL && stats->countable)
    {
      g_autofree const char **names = g_new0 (const char *, MIN (stats->n_values, MAX_BARS) + 1);
      g_autofree guint64 *counts = g_new0 (guint64, MIN (stats->n_values, MAX_BARS) + 1);

      n_bars = MIN (stats->n_values, MAX_BARS);
      for (guint i = 0; i < n_bars; i++)
        {
          names[i] = stats->values[i].value;
          counts[i] = stats->values[i].count;
        }
      wl_bar_chart_set_bars (self->chart, names, counts, n_bars, n_rows - stats->empty);
      description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s rows · %u class",
                                                  "%s rows · %u classes", stats->n_values),
                                     rows, stats->n_values);
      if (stats->n_values > n_bars)
        note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u more class not shown",
                                             "%u more classes not shown",
                                             stats->n_values - n_bars),
                                stats->n_values - n_bars);
    }
  else
    {
      wl_bar_chart_set_bars (self->chart, NULL, NULL, 0, 0);
      description = g_strdup_printf (_("%s rows"), rows);
      if (stats != NULL)
        {
          g_autofree char *name = wl_data_page_column_title (self->index, self->label_column);

          note = g_strdup_printf (_("“%s” has more than %u different values: it does not look "
                                    "like a column of labels"), name, WL_CSV_INDEX_MAX_VALUES);
        }
      else
        note = g_strdup (_("Pick the column of labels"));
    }

  if (wl_csv_index_count_empty (self->index, (const guint *) self->text_columns->data,
                                self->text_columns->len, self->label_column,
                                &empty_texts, &empty_labels) &&
      (empty_texts > 0 || empty_labels > 0))
    {
      g_autofree char *texts = wl_data_page_format_count (empty_texts);
      g_autofree char *labels = wl_data_page_format_count (empty_labels);
      g_autofree char *left_out = NULL;

      /* Translators: under the label chart: rows that training will leave out */
      left_out = g_strdup_printf (_("Left out: %s rows with an empty text, %s with an empty label"),
                                  texts, labels);
      if (note != NULL)
        {
          char *both = g_strconcat (note, "\n", left_out, NULL);

          g_free (note);
          note = both;
        }
      else
        note = g_steal_pointer (&left_out);
    }

  adw_preferences_group_set_description (self->labels_group, description);
  gtk_widget_set_visible (GTK_WIDGET (self->chart), n_bars > 0);
  gtk_label_set_text (self->chart_note, note ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->chart_note), note != NULL);
}

/* The pickers */

/* The picks as widgets: the label in its combo row, the texts checked; a
 * column cannot be both, and the last text column cannot be unchecked. */
static void
sync_pickers (WlDataPage *self)
{
  g_autoptr(GString) names = g_string_new (NULL);

  self->updating = TRUE;
  adw_combo_row_set_selected (self->label_row, self->label_column >= 0 ? (guint) self->label_column
                                                                      : GTK_INVALID_LIST_POSITION);
  for (guint c = 0; c < self->text_checks->len; c++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->text_checks, c);
      gboolean picked = wl_data_page_is_text_column (self, c);

      gtk_check_button_set_active (check, picked);
      gtk_widget_set_sensitive (GTK_WIDGET (check),
                                (int) c != self->label_column &&
                                !(picked && self->text_columns->len == 1));
      if (picked)
        {
          g_autofree char *name = wl_data_page_column_title (self->index, c);

          if (names->len > 0)
            g_string_append (names, ", ");
          g_string_append (names, name);
        }
    }
  adw_expander_row_set_subtitle (self->text_row, names->str);
  self->updating = FALSE;
}

/* The picks changed: everything that shows them, and the session. */
static void
picks_changed (WlDataPage *self,
               gboolean    texts_changed)
{
  sync_pickers (self);
  wl_data_page_preview_restyle (self);
  update_labels (self);
  write_config (self);
  if (texts_changed)
    start_sample (self);
}

static void
on_text_toggled (WlDataPage *self)
{
  if (self->updating)
    return;
  g_array_set_size (self->text_columns, 0);
  for (guint c = 0; c < self->text_checks->len; c++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->text_checks, c)))
      g_array_append_val (self->text_columns, c);
  picks_changed (self, TRUE);
}

static void
on_label_selected (WlDataPage *self)
{
  guint selected = adw_combo_row_get_selected (self->label_row);
  gboolean texts_changed = FALSE;

  if (self->updating || self->index == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  self->label_column = (int) selected;
  for (guint i = 0; i < self->text_columns->len; i++)
    if (g_array_index (self->text_columns, guint, i) == selected)
      {
        g_array_remove_index (self->text_columns, i);
        texts_changed = TRUE;
        break;
      }
  if (self->text_columns->len == 0)
    {
      int text = wl_csv_index_suggest_text_column (self->index, self->label_column);
      guint column = (guint) text;

      if (text >= 0)
        g_array_append_val (self->text_columns, column);
    }
  picks_changed (self, texts_changed);
}

/* The config's columns, when they all name columns of this file. */
static gboolean
picks_from_config (WlDataPage *self)
{
  const WlDataConfig *data = &wl_session_get_config (self->session)->data;
  int label;

  if (data->label_column == NULL || data->text_columns == NULL || data->text_columns[0] == NULL ||
      (label = resolve_spec (self->index, data->label_column)) < 0)
    return FALSE;
  g_array_set_size (self->text_columns, 0);
  for (guint i = 0; data->text_columns[i] != NULL; i++)
    {
      int column = resolve_spec (self->index, data->text_columns[i]);
      guint picked = (guint) column;

      if (column < 0 || column == label)
        return FALSE;
      if (!wl_data_page_is_text_column (self, picked))
        g_array_append_val (self->text_columns, picked);
    }
  self->label_column = label;
  return TRUE;
}

static void
pick_suggestions (WlDataPage *self)
{
  int text;
  guint column;

  self->label_column = wl_csv_index_suggest_label_column (self->index);
  text = wl_csv_index_suggest_text_column (self->index, self->label_column);
  column = (guint) text;
  g_array_set_size (self->text_columns, 0);
  if (text >= 0)
    g_array_append_val (self->text_columns, column);
  /* Like the loader: without a likely label, the first column that is not the text. */
  for (guint c = 0; self->label_column < 0 && c < wl_csv_index_get_n_columns (self->index); c++)
    if ((int) c != text)
      self->label_column = (int) c;
}

void
wl_data_page_columns_clear (WlDataPage *self)
{
  self->updating = TRUE;
  for (guint i = 0; i < self->text_rows->len; i++)
    adw_expander_row_remove (self->text_row, g_ptr_array_index (self->text_rows, i));
  g_ptr_array_set_size (self->text_rows, 0);
  g_ptr_array_set_size (self->text_checks, 0);
  adw_combo_row_set_model (self->label_row, NULL);
  wl_data_page_preview_clear (self);
  g_array_set_size (self->text_columns, 0);
  self->label_column = -1;
  self->updating = FALSE;
}

void
wl_data_page_columns_reset (WlDataPage *self,
                            gboolean    keep_picks)
{
  guint n_columns = wl_csv_index_get_n_columns (self->index);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  wl_data_page_columns_clear (self);
  if (!keep_picks || !picks_from_config (self))
    pick_suggestions (self);

  self->updating = TRUE;
  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *name = wl_data_page_column_title (self->index, c);
      const WlCsvColumnStats *stats = wl_csv_index_get_column (self->index, c);
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      gtk_string_list_append (names, name);
      /* Translators: the mean length of a column's values */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%.0f byte on average",
                                               "%.0f bytes on average",
                                               (gulong) round (stats->mean_length)),
                                  stats->mean_length);
      if (stats->countable)
        {
          g_autofree char *length = g_steal_pointer (&subtitle);

          /* Translators: "3 different values, 5 bytes on average" */
          subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u different value, %s",
                                                   "%u different values, %s", stats->n_values),
                                      stats->n_values, length);
        }
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_text_toggled), self,
                               G_CONNECT_SWAPPED);
      adw_expander_row_add_row (self->text_row, row);
      g_ptr_array_add (self->text_rows, row);
      g_ptr_array_add (self->text_checks, check);
    }
  adw_combo_row_set_model (self->label_row, G_LIST_MODEL (names));
  wl_data_page_preview_build (self);
  self->updating = FALSE;

  picks_changed (self, TRUE);
}

void
wl_data_page_columns_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_label_selected);
}
