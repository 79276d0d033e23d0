/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-clean-page-preview.c: the Clean page's live preview, computed on a thread. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-error.h"
#include "exec/wl-parallel.h"
#include "models/wl-model.h"
#include "wl-format.h"
#include "wl-clean-page-private.h"

/* Changes wait this long for the next one before the preview restarts. */
#define DEBOUNCE_MS   150
/* Sample rows shown; all of them count in the totals. */
#define SHOWN_ROWS    25
#define SHOWN_TOKENS  60

static const char *const step_titles[WL_N_CLEAN_STEPS] = {
  [WL_CLEAN_STEP_HTML]       = N_("Remove HTML"),
  [WL_CLEAN_STEP_NFKC]       = N_("Normalize Unicode"),
  [WL_CLEAN_STEP_CASEFOLD]   = N_("Fold case"),
  [WL_CLEAN_STEP_URLS]       = N_("Remove links"),
  [WL_CLEAN_STEP_EMAILS]     = N_("Remove e-mail addresses"),
  [WL_CLEAN_STEP_PUNCT]      = N_("Remove punctuation"),
  [WL_CLEAN_STEP_DIGITS]     = N_("Digits"),
  [WL_CLEAN_STEP_WHITESPACE] = N_("Collapse white space"),
  [WL_CLEAN_STEP_TOKENIZE]   = N_("Read and tokenize"),
  [WL_CLEAN_STEP_STOPWORDS]  = N_("Stopwords"),
  [WL_CLEAN_STEP_STEM]       = N_("Stemming"),
};

/* One line of the cost table; the last one is the whole pipeline. */
typedef struct
{
  GtkLabel    *name;
  GtkLevelBar *bar;
  GtkLabel    *value;
} CostRow;

typedef struct
{
  WlConfig  *config;
  char     **texts;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  wl_config_free (job->config);
  g_strfreev (job->texts);
  g_free (job);
}

/* Formatting */

static char *
format_ms (double ms)
{
  if (ms < 0.005)
    return g_strdup (_("0 ms"));
  /* Translators: milliseconds */
  return g_strdup_printf (_("%.*f ms"), ms < 10 ? 2 : ms < 100 ? 1 : 0, ms);
}

static void
set_label_take (GtkLabel *label,
                char     *text)
{
  gtk_label_set_label (label, text);
  g_free (text);
}

/* Sample rows */

static GtkWidget *
sample_row_new (void)
{
  static const char *names[] = { "before", "after", "tokens" };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *row = gtk_list_box_row_new ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_widget_set_name (label, names[i]);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_lines (GTK_LABEL (label), i == 0 ? 2 : 4);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (box), label);
    }
  gtk_widget_add_css_class (gtk_widget_get_first_child (box), "dim-label");
  gtk_widget_add_css_class (gtk_widget_get_first_child (box), "caption");
  gtk_widget_add_css_class (gtk_widget_get_last_child (box), "preview-text");
  gtk_widget_add_css_class (gtk_widget_get_last_child (box), "caption");
  gtk_label_set_use_markup (GTK_LABEL (gtk_widget_get_last_child (box)), TRUE);

  g_object_set (box, "margin-top", 12, "margin-bottom", 12,
                "margin-start", 12, "margin-end", 12, NULL);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static char *
tokens_markup (const WlTokenList *tokens)
{
  GString *markup = g_string_new (NULL);
  guint shown = MIN (tokens->n_tokens, SHOWN_TOKENS);

  if (tokens->n_tokens == 0)
    {
      g_autofree char *none = g_markup_escape_text (_("no tokens"), -1);

      g_string_append_printf (markup, "<i>%s</i>", none);
    }
  for (guint i = 0; i < shown; i++)
    {
      g_autofree char *token = g_markup_escape_text (wl_token_list_get (tokens, i), -1);

      if (i > 0)
        g_string_append (markup, "<span alpha=\"40%\"> · </span>");
      g_string_append (markup, token);
    }
  if (shown < tokens->n_tokens)
    g_string_append_printf (markup, "<span alpha=\"40%%\"> … +%u</span>",
                            tokens->n_tokens - shown);
  return g_string_free (markup, FALSE);
}

static void
sample_row_set (GtkWidget               *row,
                const WlCleanPreviewRow *sample)
{
  GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
  GtkLabel *before = GTK_LABEL (gtk_widget_get_first_child (box));
  GtkLabel *after = GTK_LABEL (gtk_widget_get_next_sibling (GTK_WIDGET (before)));
  GtkLabel *tokens = GTK_LABEL (gtk_widget_get_last_child (box));

  gboolean empty = sample->after[0] == '\0';

  gtk_label_set_text (before, sample->before);
  gtk_label_set_use_markup (after, empty);
  set_label_take (after, empty ? g_markup_printf_escaped ("<i>%s</i>", _("empty after cleaning"))
                               : g_strdup (sample->after));
  set_label_take (tokens, tokens_markup (&sample->tokens));
}

static void
show_rows (WlCleanPage          *self,
           const WlCleanPreview *preview)
{
  guint shown = MIN (preview->n_rows, SHOWN_ROWS);
  GtkListBoxRow *extra;
  g_autofree char *description = NULL;

  /* Rows are reused, so the list keeps its scroll position. */
  while ((extra = gtk_list_box_get_row_at_index (self->rows_list, shown)) != NULL)
    gtk_list_box_remove (self->rows_list, GTK_WIDGET (extra));
  for (guint i = 0; i < shown; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->rows_list, i);

      if (row == NULL)
        {
          row = GTK_LIST_BOX_ROW (sample_row_new ());
          gtk_list_box_append (self->rows_list, GTK_WIDGET (row));
        }
      sample_row_set (GTK_WIDGET (row), &preview->rows[i]);
    }

  description = g_strdup_printf (ngettext ("Each row before cleaning, after it, and its tokens; "
                                           "the first %u of %u sample row",
                                           "Each row before cleaning, after it, and its tokens; "
                                           "the first %u of %u sample rows", preview->n_rows),
                                 shown, (guint) preview->n_rows);
  adw_preferences_group_set_description (self->rows_group, description);
}

/* Totals and costs */

/* "1, 2, 4" */
static char *
thread_counts_text (const WlPreprocessTiming *timing)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < timing->rates->len; i++)
    g_string_append_printf (text, "%s%u", i > 0 ? ", " : "",
                            g_array_index (timing->rates, WlPreprocessRate, i).threads);
  return g_string_free (text, FALSE);
}

/* The whole file on the config's threads, from the pipeline measured at
 * each thread count (the engine's projection). */
static void
show_projection (WlCleanPage *self,
                 const char  *rows,
                 guint        threads)
{
  const WlConfig *config = wl_session_get_config (self->session);
  guint64 n_rows = wl_session_get_n_rows (self->session);
  double seconds, low, high;
  g_autofree char *counts = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (self->timing == NULL)
    {
      gtk_label_set_label (self->projection_value, "…");
      gtk_label_set_label (self->projection_label,
                           _("Measuring the pipeline on the sample rows at each number of threads…"));
      return;
    }
  if (n_rows == 0)
    n_rows = self->timing->n_texts;
  seconds = wl_preprocess_timing_project (self->timing, n_rows, config->threads, &low, &high);
  counts = thread_counts_text (self->timing);
  duration = wl_format_duration (seconds);
  from = wl_format_duration (low);
  to = wl_format_duration (high);
  gtk_label_set_label (self->projection_value, duration);
  set_label_take (self->projection_label,
                  /* Translators: "Measured on the 200 sample rows at 1, 2, 4 threads. For the
                   * 120,000 rows of the file on 4 threads: 2.5 s (from 2.1 s to 3.0 s), …" */
                  g_strdup_printf (ngettext ("Measured on the %u sample rows at %s threads. For the "
                                             "%s rows of the file on %u thread: %s (from %s to %s), "
                                             "not counting reading the file.",
                                             "Measured on the %u sample rows at %s threads. For the "
                                             "%s rows of the file on %u threads: %s (from %s to %s), "
                                             "not counting reading the file.", threads),
                                   (guint) self->timing->n_texts, counts, rows, threads, duration,
                                   from, to));
}

static void
show_totals (WlCleanPage          *self,
             const WlCleanPreview *preview)
{
  const WlConfig *config = wl_session_get_config (self->session);
  guint64 n_rows = wl_session_get_n_rows (self->session);
  guint threads = wl_parallel_resolve_threads (config->threads);
  g_autofree char *rows = NULL;

  if (n_rows == 0)
    n_rows = preview->n_rows;
  rows = g_strdup_printf ("%'" G_GUINT64_FORMAT, n_rows);

  set_label_take (self->tokens_value, g_strdup_printf ("%'" G_GUINT64_FORMAT, preview->n_tokens));
  set_label_take (self->vocabulary_value,
                  g_strdup_printf ("%'" G_GUINT64_FORMAT, preview->n_distinct));
  set_label_take (self->per_row_value, g_strdup_printf ("%.1f", preview->tokens_per_row));
  set_label_take (self->projection_caption,
                  /* Translators: "120,000 rows on 4 threads" */
                  g_strdup_printf (ngettext ("%s rows on %u thread", "%s rows on %u threads",
                                             threads), rows, threads));
  show_projection (self, rows, threads);
}

static void
show_costs (WlCleanPage          *self,
            const WlCleanPreview *preview)
{
  double most = MAX (preview->total_ms_per_1000, 1e-6);

  for (guint s = 0; s < WL_N_CLEAN_STEPS; s++)
    most = MAX (most, preview->steps[s].ms_per_1000);

  for (guint s = 0; s <= WL_N_CLEAN_STEPS; s++)
    {
      CostRow *row = g_ptr_array_index (self->cost_rows, s);
      gboolean whole = s == WL_N_CLEAN_STEPS;
      gboolean on = whole || preview->steps[s].enabled;
      double ms = whole ? preview->total_ms_per_1000 : preview->steps[s].ms_per_1000;

      if (!whole)
        set_label_take (row->name, on ? g_strdup (_(step_titles[s]))
                                      /* Translators: a cleaning step that is off */
                                      : g_strdup_printf (_("%s (off)"), _(step_titles[s])));
      gtk_level_bar_set_max_value (row->bar, most);
      gtk_level_bar_set_value (row->bar, MIN (ms, most));
      gtk_widget_set_opacity (GTK_WIDGET (row->bar), on ? 1.0 : 0.4);
      set_label_take (row->value, format_ms (ms));
      if (on)
        {
          gtk_widget_remove_css_class (GTK_WIDGET (row->name), "dim-label");
          gtk_widget_remove_css_class (GTK_WIDGET (row->value), "dim-label");
        }
      else
        {
          gtk_widget_add_css_class (GTK_WIDGET (row->name), "dim-label");
          gtk_widget_add_css_class (GTK_WIDGET (row->value), "dim-label");
        }
    }
}

static void
show_preview (WlCleanPage *self)
{
  show_totals (self, self->preview);
  show_rows (self, self->preview);
  show_costs (self, self->preview);
  gtk_stack_set_visible_child_name (self->preview_stack, "preview");
}

/* Computing */

static void
compute_in_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  Job *job = data;
  GError *error = NULL;
  WlCleanPreview *preview;
  guint n_texts = g_strv_length (job->texts);

  /* The run's own resolver: the tokens shown are the tokens it will use. */
  wl_model_resolve_text_config (job->config, (const char * const *) job->texts, n_texts);
  preview = wl_clean_preview_compute (&job->config->clean, &job->config->tokens,
                                      (const char * const *) job->texts,
                                      n_texts, cancellable, &error);
  if (preview == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, preview, (GDestroyNotify) wl_clean_preview_free);
}

static void
on_timed (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(WlCleanPage) self = user_data;
  g_autoptr(GError) error = NULL;
  WlPreprocessTiming *timing = wl_preprocess_timing_measure_finish (result, &error);

  /* Settings changed since, or the page went away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, WL_ERROR, WL_ERROR_CANCELLED) || self->preview_stack == NULL)
    {
      wl_preprocess_timing_free (timing);
      return;
    }
  g_clear_object (&self->timing_cancellable);
  if (timing == NULL)
    {
      gtk_label_set_label (self->projection_label, error->message);
      return;
    }
  self->timing = timing;
  if (self->preview != NULL)
    show_totals (self, self->preview);
}

/* Times the pipeline of @resolved at each thread count, on a worker. */
static void
start_timing (WlCleanPage    *self,
              const WlConfig *resolved)
{
  guint n_texts;
  const char * const *texts = wl_session_get_sample (self->session, &n_texts);

  if (self->timing_cancellable != NULL)
    g_cancellable_cancel (self->timing_cancellable);
  g_clear_object (&self->timing_cancellable);
  g_clear_pointer (&self->timing, wl_preprocess_timing_free);
  if (n_texts == 0)
    return;
  self->timing_cancellable = g_cancellable_new ();
  wl_preprocess_timing_measure_async (resolved, texts, n_texts, self->timing_cancellable,
                                      on_timed, g_object_ref (self));
}

static void
on_computed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  WlCleanPage *self = WL_CLEAN_PAGE (source);
  g_autoptr(GError) error = NULL;
  WlCleanPreview *preview = g_task_propagate_pointer (G_TASK (result), &error);

  /* A newer computation replaced this one, or the page went away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, WL_ERROR, WL_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);
  g_clear_pointer (&self->preview, wl_clean_preview_free);
  if (preview == NULL)
    {
      adw_status_page_set_description (self->error_status, error->message);
      gtk_stack_set_visible_child_name (self->preview_stack, "error");
    }
  else
    {
      Job *job = g_task_get_task_data (G_TASK (result));

      self->preview = preview;
      /* The worker resolved the job's config: what the run would clean with. */
      start_timing (self, job->config);
      show_preview (self);
    }
  wl_clean_page_update_subtitles (self);
}

static void
start_computing (WlCleanPage *self)
{
  guint n_texts;
  const char * const *texts = wl_session_get_sample (self->session, &n_texts);
  g_autoptr(GTask) task = NULL;
  Job *job = g_new0 (Job, 1);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* Measured again once the preview is back, with its settings. */
  if (self->timing_cancellable != NULL)
    g_cancellable_cancel (self->timing_cancellable);
  g_clear_object (&self->timing_cancellable);
  g_clear_pointer (&self->timing, wl_preprocess_timing_free);

  job->config = wl_config_copy (wl_session_get_config (self->session));
  g_clear_pointer (&self->computed_config, wl_config_free);
  self->computed_config = wl_config_copy (job->config);
  job->texts = g_strdupv ((char **) texts);

  task = g_task_new (self, self->cancellable, on_computed, NULL);
  g_task_set_source_tag (task, start_computing);
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, compute_in_thread);
}

static void
stop_computing (WlCleanPage *self)
{
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->preview, wl_clean_preview_free);
  g_clear_pointer (&self->computed_config, wl_config_free);
  if (self->timing_cancellable != NULL)
    g_cancellable_cancel (self->timing_cancellable);
  g_clear_object (&self->timing_cancellable);
  g_clear_pointer (&self->timing, wl_preprocess_timing_free);
  /* NULL when disposed a second time. */
  if (self->spinner != NULL)
    gtk_spinner_stop (self->spinner);
}

static gboolean
strv_equal (char **a,
            char **b)
{
  if (a == NULL || b == NULL)
    return (a == NULL || a[0] == NULL) && (b == NULL || b[0] == NULL);
  return g_strv_equal ((const char * const *) a, (const char * const *) b);
}

/* Whether @a and @b clean and tokenise alike. */
static gboolean
same_settings (const WlConfig *a,
               const WlConfig *b)
{
  const WlCleanConfig *x = &a->clean;
  const WlCleanConfig *y = &b->clean;

  return x->nfkc == y->nfkc && x->casefold == y->casefold &&
         x->strip_urls == y->strip_urls && x->mark_links == y->mark_links &&
         x->strip_emails == y->strip_emails &&
         x->strip_html == y->strip_html && x->strip_punct == y->strip_punct &&
         x->digits == y->digits && x->collapse_whitespace == y->collapse_whitespace &&
         strv_equal (x->stopwords, y->stopwords) &&
         g_strcmp0 (x->stopwords_file, y->stopwords_file) == 0 &&
         g_strcmp0 (x->stem, y->stem) == 0 &&
         a->tokens.kind == b->tokens.kind &&
         /* The model decides the tokenizer left on "auto". */
         a->model.type == b->model.type &&
         a->tokens.char_ngram_min == b->tokens.char_ngram_min &&
         a->tokens.char_ngram_max == b->tokens.char_ngram_max &&
         a->tokens.split_contractions == b->tokens.split_contractions;
}

void
wl_clean_page_preview_config_changed (WlCleanPage *self)
{
  const WlConfig *config = wl_session_get_config (self->session);

  /* Other pages change the model settings: no need to clean again, unless
   * the model type changes the tokenizer. */
  if (self->debounce_id != 0 || self->computed_config == NULL ||
      !same_settings (self->computed_config, config))
    wl_clean_page_schedule_preview (self);
  else if (self->preview != NULL)
    show_totals (self, self->preview);
}

void
wl_clean_page_dispose_preview (WlCleanPage *self)
{
  stop_computing (self);
  g_clear_pointer (&self->cost_rows, g_ptr_array_unref);
}

static gboolean
on_debounced (gpointer data)
{
  WlCleanPage *self = data;

  self->debounce_id = 0;
  start_computing (self);
  return G_SOURCE_REMOVE;
}

void
wl_clean_page_schedule_preview (WlCleanPage *self)
{
  guint n_texts = 0;

  wl_session_get_sample (self->session, &n_texts);
  if (n_texts == 0)
    {
      stop_computing (self);
      wl_clean_page_update_subtitles (self);
      gtk_stack_set_visible_child_name (self->preview_stack, "empty");
      return;
    }

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, on_debounced, self);
  gtk_spinner_start (self->spinner);
}

/* Setting up */

static GtkLabel *
cost_label (GtkGrid *grid,
            int      column,
            int      row,
            float    xalign)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_grid_attach (grid, label, column, row, 1, 1);
  return GTK_LABEL (label);
}

static void
add_cost_rows (WlCleanPage *self)
{
  CostRow *total;

  self->cost_rows = g_ptr_array_new_with_free_func (g_free);

  for (guint s = 0; s <= WL_N_CLEAN_STEPS; s++)
    {
      CostRow *row = g_new0 (CostRow, 1);

      row->name = cost_label (self->cost_grid, 0, s, 0);
      row->bar = GTK_LEVEL_BAR (gtk_level_bar_new ());
      gtk_level_bar_remove_offset_value (row->bar, GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (row->bar, GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_level_bar_remove_offset_value (row->bar, GTK_LEVEL_BAR_OFFSET_FULL);
      gtk_widget_set_hexpand (GTK_WIDGET (row->bar), TRUE);
      gtk_widget_set_valign (GTK_WIDGET (row->bar), GTK_ALIGN_CENTER);
      gtk_grid_attach (self->cost_grid, GTK_WIDGET (row->bar), 1, s, 1, 1);
      row->value = cost_label (self->cost_grid, 2, s, 1);
      gtk_label_set_width_chars (row->value, 9);
      gtk_widget_add_css_class (GTK_WIDGET (row->value), "numeric");
      g_ptr_array_add (self->cost_rows, row);
    }

  /* The last line is the whole pipeline, in bold. */
  total = g_ptr_array_index (self->cost_rows, WL_N_CLEAN_STEPS);
  gtk_label_set_label (total->name, _("Whole pipeline"));
  gtk_widget_add_css_class (GTK_WIDGET (total->name), "heading");
  gtk_widget_add_css_class (GTK_WIDGET (total->value), "heading");
}

void
wl_clean_page_init_preview (WlCleanPage *self)
{
  add_cost_rows (self);
}

void
wl_clean_page_class_init_preview (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, tokens_value);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, vocabulary_value);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, per_row_value);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, projection_value);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, projection_caption);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, rows_group);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, rows_list);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, cost_grid);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, projection_label);
}
