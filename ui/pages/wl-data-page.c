/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-data-page.c: the Data page: indexing a file on a thread with
 * progress, the format overrides and what the reader found; opening is in
 * wl-data-page-open.c, the columns in wl-data-page-columns.c. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-error.h"
#include "wl-format.h"
#include "wl-data-page-private.h"
#include "wl-error-advice.h"

#define PROGRESS_DELAY_MS 100   /* progress reaches the main loop at most this often */

G_DEFINE_FINAL_TYPE (WlDataPage, wl_data_page, ADW_TYPE_BIN)

/* The combo rows' items, in the order of the template's string lists. */
static const gunichar separators[] = { 0, ',', '\t', ';', '|' };
static const WlHeaderMode header_modes[] = { WL_HEADER_AUTO, WL_HEADER_YES, WL_HEADER_NO };
static const WlQuoteMode quote_modes[] = { WL_QUOTES_AUTO, WL_QUOTES_RFC4180, WL_QUOTES_NONE };
static const char * const encodings[] = { NULL, "UTF-8", "UTF-16LE", "UTF-16BE", "UTF-32LE",
                                          "UTF-32BE", "GB18030", "Big5", "Shift_JIS", "EUC-KR",
                                          "windows-1252" };

/* The Encoding row's item for @name: 0 for "auto", G_MAXUINT for a name
 * the list does not hold (set in a config file). */
static guint
find_encoding (const char *name)
{
  if (name == NULL || g_ascii_strcasecmp (name, "auto") == 0)
    return 0;
  for (guint i = 1; i < G_N_ELEMENTS (encodings); i++)
    if (g_ascii_strcasecmp (encodings[i], name) == 0)
      return i;
  return G_MAXUINT;
}

/* One indexing: shared by the page (main thread) and its worker thread. */
struct _WlDataLoad
{
  gatomicrefcount  ref_count;
  WlDataPage      *page;          /* NULL once cancelled or superseded (main thread) */
  GCancellable    *cancellable;
  char            *path;
  char            *encoding;      /* options.encoding's */
  WlCsvOptions     options;
  gboolean         keep_picks;    /* the same file again: keep the picked columns */
  gint64           started;

  GMutex           lock;          /* guards what follows */
  guint64          rows;
  guint64          done;
  guint64          total;
  gboolean         scheduled;     /* a progress update is on its way */
};

static WlDataLoad *
load_ref (WlDataLoad *load)
{
  g_atomic_ref_count_inc (&load->ref_count);
  return load;
}

static void
load_unref (WlDataLoad *load)
{
  if (!g_atomic_ref_count_dec (&load->ref_count))
    return;
  g_object_unref (load->cancellable);
  g_free (load->path);
  g_free (load->encoding);
  g_mutex_clear (&load->lock);
  g_free (load);
}

char *
wl_data_page_format_count (guint64 count)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, count);
}

/* Checks: what the reader found and repaired */

/* Shows @row when @count is not 0, with @format (a plural form with one
 * %s) filled with the count as its subtitle. */
static void
set_count_row (gpointer     row,
               guint64      count,
               const char  *format)
{
  g_autofree char *number = wl_data_page_format_count (count);
  g_autofree char *text = g_strdup_printf (format, number);

  gtk_widget_set_visible (GTK_WIDGET (row), count > 0);
  if (ADW_IS_EXPANDER_ROW (row))
    adw_expander_row_set_subtitle (row, text);
  else
    adw_action_row_set_subtitle (row, text);
}

static void
add_bad_line_row (WlDataPage *self,
                  const char *format,
                  guint64     number,
                  gboolean    dim)
{
  g_autofree char *count = wl_data_page_format_count (number);
  g_autofree char *title = g_strdup_printf (format, count);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (dim)
    gtk_widget_add_css_class (row, "dim-label");
  adw_expander_row_add_row (self->bad_rows_row, row);
  g_ptr_array_add (self->bad_line_rows, row);
}

/* Rows whose quotes do not follow CSV rules, read as written: how many,
 * and their first lines. */
static void
set_quote_text_row (WlDataPage        *self,
                    const WlCsvCounts *counts)
{
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *format = NULL;

  for (guint i = 0; i < counts->n_quote_text_lines; i++)
    g_string_append_printf (lines, "%s%" G_GUINT64_FORMAT, i ? ", " : "",
                            counts->quote_text_lines[i]);
  if (counts->quote_text_rows > counts->n_quote_text_lines)
    g_string_append (lines, ", …");
  /* %%s: the count, filled in by set_count_row() */
  format = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%%s row whose quotes do not follow CSV rules, read as written (line %s)",
                                         "%%s rows whose quotes do not follow CSV rules, read as written (lines %s)",
                                         (gulong) counts->quote_text_rows),
                            lines->str);
  set_count_row (self->loose_row, counts->quote_text_rows, format);
}

static void
update_checks (WlDataPage *self)
{
  const WlCsvCounts *counts = wl_csv_index_get_counts (self->index);
  gboolean bom = wl_csv_index_get_had_bom (self->index);

  for (guint i = 0; i < self->bad_line_rows->len; i++)
    adw_expander_row_remove (self->bad_rows_row, g_ptr_array_index (self->bad_line_rows, i));
  g_ptr_array_set_size (self->bad_line_rows, 0);

  gtk_widget_set_visible (GTK_WIDGET (self->bom_row), bom);
  set_count_row (self->utf8_row, counts->repaired_utf8,
                 g_dngettext (GETTEXT_PACKAGE, "%s invalid byte sequence replaced by �",
                              "%s invalid byte sequences replaced by �",
                              (gulong) counts->repaired_utf8));
  set_count_row (self->blank_row, counts->blank_lines,
                 g_dngettext (GETTEXT_PACKAGE, "%s empty line left out",
                              "%s empty lines left out", (gulong) counts->blank_lines));
  set_quote_text_row (self, counts);
  set_count_row (self->bad_rows_row, counts->bad_rows,
                 g_dngettext (GETTEXT_PACKAGE, "%s malformed row skipped",
                              "%s malformed rows skipped", (gulong) counts->bad_rows));
  for (guint i = 0; i < counts->n_bad_row_lines; i++)
    /* Translators: a skipped row, by the line it starts on */
    add_bad_line_row (self, _("Line %s"), counts->bad_row_lines[i], FALSE);
  if (counts->bad_rows > counts->n_bad_row_lines)
    /* Translators: after the first skipped rows' lines */
    add_bad_line_row (self, _("and %s more"), counts->bad_rows - counts->n_bad_row_lines, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->ok_row),
                          !bom && counts->repaired_utf8 == 0 && counts->blank_lines == 0 &&
                          counts->quote_text_rows == 0 && counts->bad_rows == 0);
}

/* Format: the overrides, and what was detected */

static const char *
separator_name (gunichar separator)
{
  switch (separator)
    {
    case ',':  return _("comma");
    case '\t': return _("tab");
    case ';':  return _("semicolon");
    case '|':  return _("pipe");
    case ' ':  return _("space");
    default:   return _("another character");
    }
}

static void
set_detected (AdwComboRow *row,
              const char  *found)
{
  g_autofree char *text = NULL;

  if (found != NULL && adw_combo_row_get_selected (row) == 0)
    /* Translators: under an "Automatic" setting: what the file turned out to use */
    text = g_strdup_printf (_("Found: %s"), found);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text ? text : "");
}

static void
update_detected (WlDataPage *self)
{
  WlCsvIndex *index = self->index;

  set_detected (self->separator_row,
                index ? separator_name (wl_csv_index_get_separator (index)) : NULL);
  /* Translators: whether the file turned out to have a header row */
  set_detected (self->header_row,
                index ? (wl_csv_index_get_has_header (index) ? C_("header", "yes")
                                                             : C_("header", "no")) : NULL);
  /* Translators: the quoting the file turned out to use */
  set_detected (self->quotes_row,
                index ? (wl_csv_index_get_quotes (index) == WL_QUOTES_NONE
                         ? C_("quotes", "none") : C_("quotes", "RFC 4180")) : NULL);
  if (index != NULL)
    {
      /* Translators: the encoding found and how sure detection was: "GB18030, 100% sure" */
      g_autofree char *found = g_strdup_printf (_("%s, %d%% sure"),
                                                wl_csv_index_get_encoding (index),
                                                wl_csv_index_get_encoding_confidence (index));

      set_detected (self->encoding_row, found);
    }
  else
    set_detected (self->encoding_row, NULL);
}

static void
sync_format_rows (WlDataPage *self)
{
  const WlDataConfig *data = &wl_session_get_config (self->session)->data;
  guint separator = 0, header = 0, quotes = 0, encoding = 0;

  for (guint i = 0; i < G_N_ELEMENTS (separators); i++)
    if (separators[i] == data->separator)
      separator = i;
  for (guint i = 0; i < G_N_ELEMENTS (header_modes); i++)
    if (header_modes[i] == data->header)
      header = i;
  for (guint i = 0; i < G_N_ELEMENTS (quote_modes); i++)
    if (quote_modes[i] == data->quotes)
      quotes = i;
  encoding = find_encoding (data->encoding);
  if (encoding == G_MAXUINT)
    encoding = 0;
  self->updating = TRUE;
  adw_combo_row_set_selected (self->separator_row, separator);
  adw_combo_row_set_selected (self->header_row, header);
  adw_combo_row_set_selected (self->quotes_row, quotes);
  adw_combo_row_set_selected (self->encoding_row, encoding);
  gtk_switch_set_active (self->skip_switch, data->skip_bad_rows);
  self->updating = FALSE;
}

/* Showing a file */

static void
show_file_row (WlDataPage *self,
               const char *path)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->file_row), name);
  if (self->index != NULL && g_strcmp0 (wl_csv_index_get_path (self->index), path) == 0)
    {
      guint64 n_rows = wl_csv_index_get_n_rows (self->index);
      g_autofree char *rows = wl_data_page_format_count (n_rows);
      g_autofree char *size = wl_format_size (wl_csv_index_get_size (self->index));
      g_autofree char *rows_text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row", "%s rows",
                                      (gulong) MIN (n_rows, G_MAXULONG)), rows);

      /* Translators: under the file name: "1,000 rows · 2.1 MB" */
      subtitle = g_strdup_printf (_("%s · %s"), rows_text, size);
    }
  else
    {
      g_autofree char *folder = g_path_get_dirname (path);

      subtitle = wl_data_page_display_folder (folder);
    }
  adw_action_row_set_subtitle (self->file_row, subtitle);
}

/* Shows what the page holds: the index, or the empty page. */
static void
show_index (WlDataPage *self)
{
  gboolean have = self->index != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->checks_group), have);
  gtk_widget_set_visible (GTK_WIDGET (self->columns_group), have);
  gtk_widget_set_visible (GTK_WIDGET (self->labels_group), have);
  gtk_widget_set_sensitive (GTK_WIDGET (self->columns_group), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->labels_group), TRUE);
  update_detected (self);
  if (!have)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  show_file_row (self, wl_csv_index_get_path (self->index));
  update_checks (self);
  gtk_stack_set_visible_child_name (self->content_stack, "preview");
  gtk_stack_set_visible_child_name (self->stack, "file");
}

static void
show_error (WlDataPage   *self,
            const GError *error)
{
  gboolean parse = g_error_matches (error, WL_ERROR, WL_ERROR_PARSE);
  gboolean encoding = g_error_matches (error, WL_ERROR, WL_ERROR_ENCODING);
  g_autofree char *text = wl_error_with_advice (error);
  g_autofree char *markup = g_markup_escape_text (text, -1);

  adw_status_page_set_title (self->error_page, parse ? _("A Row Is Malformed")
                                               : encoding ? _("The Encoding Is Unclear")
                                                          : _("The File Cannot Be Read"));
  adw_status_page_set_description (self->error_page, markup);
  gtk_widget_set_visible (GTK_WIDGET (self->skip_button),
                          parse && !gtk_switch_get_active (self->skip_switch));
  gtk_stack_set_visible_child_name (self->content_stack, "error");
}

/* Indexing */

static gboolean
on_load_progress_idle (gpointer data)
{
  WlDataLoad *load = data;
  WlDataPage *self = load->page;
  guint64 rows, done, total;
  double seconds;
  g_autofree char *rows_text = NULL, *rate_text = NULL, *done_text = NULL, *total_text = NULL;
  g_autofree char *text = NULL;

  g_mutex_lock (&load->lock);
  rows = load->rows;
  done = load->done;
  total = load->total;
  load->scheduled = FALSE;
  g_mutex_unlock (&load->lock);
  if (self == NULL)
    return G_SOURCE_REMOVE;

  seconds = MAX (1e-3, (g_get_monotonic_time () - load->started) / 1e6);
  rows_text = wl_data_page_format_count (rows);
  rate_text = wl_data_page_format_count ((guint64) (rows / seconds));
  done_text = wl_format_size (done);
  total_text = wl_format_size (total);
  /* Translators: while a file is read: "120,000 rows · 12.0 MB of 80.0 MB · 400,000 rows/s" */
  text = g_strdup_printf (_("%s rows · %s of %s · %s rows/s"), rows_text, done_text, total_text,
                          rate_text);
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, total ? (double) done / total : 0.0);
  return G_SOURCE_REMOVE;
}

/* From the worker thread: one coalesced update every PROGRESS_DELAY_MS. */
static void
on_load_progress (guint64  rows,
                  guint64  done,
                  guint64  total,
                  gpointer data)
{
  WlDataLoad *load = data;

  g_mutex_lock (&load->lock);
  load->rows = rows;
  load->done = done;
  load->total = total;
  if (!load->scheduled)
    {
      GSource *source = g_timeout_source_new (PROGRESS_DELAY_MS);

      load->scheduled = TRUE;
      g_source_set_callback (source, on_load_progress_idle, load_ref (load),
                             (GDestroyNotify) load_unref);
      g_source_attach (source, g_main_context_default ());
      g_source_unref (source);
    }
  g_mutex_unlock (&load->lock);
}

static void
index_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WlDataLoad *load = task_data;
  GError *error = NULL;
  WlCsvIndex *index = wl_csv_index_build (load->path, &load->options, on_load_progress, load,
                                          cancellable, &error);

  if (index == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, index, (GDestroyNotify) wl_csv_index_unref);
}

static void
set_session_file (WlDataPage *self,
                  const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GFile *current = wl_session_get_file (self->session);

  if (current == NULL || !g_file_equal (current, file))
    wl_session_set_file (self->session, file);
}

static void
on_index_ready (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  WlDataPage *self = WL_DATA_PAGE (object);
  WlDataLoad *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(WlCsvIndex) index = NULL;
  g_autoptr(GError) error = NULL;

  index = g_task_propagate_pointer (G_TASK (result), &error);
  if (load->page == NULL)
    return;   /* cancelled, superseded or disposed */
  load->page = NULL;
  g_clear_pointer (&self->load, load_unref);

  if (index == NULL)
    {
      WlDataConfig *data = &wl_session_get_config (self->session)->data;

      g_clear_pointer (&self->index, wl_csv_index_unref);
      wl_data_page_columns_clear (self);
      update_detected (self);
      show_error (self, error);
      if (!load->keep_picks)
        {
          /* The columns picked in another file mean nothing here. */
          g_clear_pointer (&data->text_columns, g_strfreev);
          g_clear_pointer (&data->label_column, g_free);
        }
      set_session_file (self, load->path);
      wl_session_config_changed (self->session);
      wl_session_set_sample (self->session, NULL, 0);
      wl_session_report_error (self->session, error);
      return;
    }

  g_clear_pointer (&self->index, wl_csv_index_unref);
  self->index = g_steal_pointer (&index);
  wl_data_page_remember_file (self, load->path);
  show_index (self);
  set_session_file (self, load->path);
  wl_data_page_columns_reset (self, load->keep_picks);
}

static void
cancel_load (WlDataPage *self)
{
  if (self->load == NULL)
    return;
  g_cancellable_cancel (self->load->cancellable);
  self->load->page = NULL;
  g_clear_pointer (&self->load, load_unref);
}

static void
start_load (WlDataPage *self,
            const char *path)
{
  const WlDataConfig *data = &wl_session_get_config (self->session)->data;
  g_autoptr(GTask) task = NULL;
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *title = g_strdup_printf (_("Reading “%s”…"), name);
  WlDataLoad *load;
  gboolean keep;

  cancel_load (self);
  load = g_new0 (WlDataLoad, 1);
  g_atomic_ref_count_init (&load->ref_count);
  g_mutex_init (&load->lock);
  load->page = self;
  load->cancellable = g_cancellable_new ();
  load->path = g_strdup (path);
  load->encoding = g_strdup (data->encoding);
  load->options = (WlCsvOptions) {
    .separator = data->separator,
    .quotes = data->quotes,
    .encoding = load->encoding,
    .header = data->header,
    .skip_bad_rows = data->skip_bad_rows,
  };
  load->keep_picks = g_strcmp0 (self->path, path) == 0;
  load->started = g_get_monotonic_time ();
  self->load = load;
  if (path != self->path)
    {
      g_free (self->path);
      self->path = g_strdup (path);
    }
  keep = load->keep_picks && self->index != NULL;

  /* A new file hides what described the old one; the same file again
   * (another separator...) keeps it, greyed out, until the new index. */
  gtk_widget_set_visible (GTK_WIDGET (self->checks_group), keep);
  gtk_widget_set_visible (GTK_WIDGET (self->columns_group), keep);
  gtk_widget_set_visible (GTK_WIDGET (self->labels_group), keep);
  gtk_widget_set_sensitive (GTK_WIDGET (self->columns_group), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->labels_group), FALSE);
  show_file_row (self, path);
  gtk_label_set_text (self->loading_title, title);
  gtk_label_set_text (self->progress_label, "");
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_stack_set_visible_child_name (self->content_stack, "loading");
  gtk_stack_set_visible_child_name (self->stack, "file");

  task = g_task_new (self, load->cancellable, on_index_ready, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, load_ref (load), (GDestroyNotify) load_unref);
  g_task_run_in_thread (task, index_thread);
}

/* Reads the current file again with the changed format settings. */
static void
reload (WlDataPage *self)
{
  g_autofree char *path = g_strdup (self->path);

  wl_session_config_changed (self->session);
  if (path != NULL)
    start_load (self, path);
}

static void
on_format_changed (WlDataPage *self)
{
  WlDataConfig *data;
  guint encoding;

  if (self->updating || self->session == NULL)
    return;
  data = &wl_session_get_config (self->session)->data;
  data->separator = separators[MIN (adw_combo_row_get_selected (self->separator_row),
                                    G_N_ELEMENTS (separators) - 1)];
  data->header = header_modes[MIN (adw_combo_row_get_selected (self->header_row),
                                   G_N_ELEMENTS (header_modes) - 1)];
  data->quotes = quote_modes[MIN (adw_combo_row_get_selected (self->quotes_row),
                                  G_N_ELEMENTS (quote_modes) - 1)];
  data->skip_bad_rows = gtk_switch_get_active (self->skip_switch);
  encoding = MIN (adw_combo_row_get_selected (self->encoding_row), G_N_ELEMENTS (encodings) - 1);
  /* A name from a config file that the list lacks stays until another is picked. */
  if (encoding != 0 || find_encoding (data->encoding) != G_MAXUINT)
    {
      g_free (data->encoding);
      data->encoding = g_strdup (encodings[encoding]);
    }
  reload (self);
}

static void
on_skip_clicked (WlDataPage *self)
{
  gtk_switch_set_active (self->skip_switch, TRUE);
}

/* Actions */

static void
load_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WlDataPage *self = WL_DATA_PAGE (widget);

  g_return_if_fail (self->session != NULL);
  start_load (self, g_variant_get_string (parameter, NULL));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WlDataPage *self = WL_DATA_PAGE (widget);

  if (self->load == NULL)
    return;
  cancel_load (self);
  g_free (self->path);
  self->path = self->index ? g_strdup (wl_csv_index_get_path (self->index)) : NULL;
  show_index (self);
}

/* The page */

static void
wl_data_page_dispose (GObject *object)
{
  WlDataPage *self = WL_DATA_PAGE (object);

  cancel_load (self);
  g_cancellable_cancel (self->sample_cancellable);
  wl_data_page_open_dispose (self);
  g_clear_pointer (&self->index, wl_csv_index_unref);
  g_clear_object (&self->sample_cancellable);
  g_clear_object (&self->session);
  /* The bin's child is the bound stack: drop it through the bin first, or
   * dispose_template() unparents it behind the bin's back. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WL_TYPE_DATA_PAGE);
  G_OBJECT_CLASS (wl_data_page_parent_class)->dispose (object);
}

static void
wl_data_page_finalize (GObject *object)
{
  WlDataPage *self = WL_DATA_PAGE (object);

  g_free (self->path);
  g_array_unref (self->text_columns);
  g_ptr_array_unref (self->text_checks);
  g_ptr_array_unref (self->text_rows);
  g_ptr_array_unref (self->bad_line_rows);
  G_OBJECT_CLASS (wl_data_page_parent_class)->finalize (object);
}

static void
wl_data_page_class_init (WlDataPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wl_data_page_dispose;
  object_class->finalize = wl_data_page_finalize;

  g_type_ensure (WL_TYPE_BAR_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/wordloom/Wordloom/pages/wl-data-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, stack);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, recent_list);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, file_row);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, separator_row);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, header_row);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, quotes_row);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, skip_switch);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, checks_group);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, ok_row);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, bom_row);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, utf8_row);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, blank_row);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, loose_row);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, bad_rows_row);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, columns_group);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, label_row);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, text_row);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, labels_group);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, chart);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, chart_note);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, loading_title);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, skip_button);
  gtk_widget_class_bind_template_child (widget_class, WlDataPage, preview);
  gtk_widget_class_bind_template_callback (widget_class, on_format_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_skip_clicked);
  wl_data_page_columns_class_init (widget_class);

  wl_data_page_open_class_init (widget_class);
  /* data.load("path"): read that file (the window's win.open-path and the
   * command line come here); data.cancel: stop reading. */
  gtk_widget_class_install_action (widget_class, "data.load", "s", load_action);
  gtk_widget_class_install_action (widget_class, "data.cancel", NULL, cancel_action);
}

static void
wl_data_page_init (WlDataPage *self)
{
  self->text_columns = g_array_new (FALSE, FALSE, sizeof (guint));
  self->label_column = -1;
  self->text_checks = g_ptr_array_new ();
  self->text_rows = g_ptr_array_new ();
  self->bad_line_rows = g_ptr_array_new ();
  self->sample_cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  wl_data_page_open_init (self);
}

/* A file set on the session by someone else (Re-run or Resume on the Runs
 * page) is read here too, so that the page shows what the run uses. */
static void
on_session_file (WlDataPage *self)
{
  GFile *file = wl_session_get_file (self->session);
  g_autofree char *path = file ? g_file_get_path (file) : NULL;

  if (path == NULL)
    return;
  if (self->load != NULL ? g_strcmp0 (self->load->path, path) == 0
                         : g_strcmp0 (self->path, path) == 0)
    return;
  start_load (self, path);
}

GtkWidget *
wl_data_page_new (WlSession *session)
{
  WlDataPage *self;

  g_return_val_if_fail (WL_IS_SESSION (session), NULL);

  self = g_object_new (WL_TYPE_DATA_PAGE, NULL);
  self->session = g_object_ref (session);
  sync_format_rows (self);
  g_signal_connect_object (session, "notify::file", G_CALLBACK (on_session_file), self,
                           G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}
