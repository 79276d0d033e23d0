/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-clean-page.c: the Clean page: the cleaning options and their config. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "text/wl-clean-preview.h"
#include "text/wl-stopwords.h"
#include "wl-clean-page-private.h"

/* The switches, in the order of the page, and the option each one sets. */
static const struct
{
  const char *id;
  gsize       offset;   /* of a gboolean in WlConfig */
} switch_options[WL_CLEAN_PAGE_N_SWITCHES] = {
  { "html_switch",         G_STRUCT_OFFSET (WlConfig, clean.strip_html) },
  { "nfkc_switch",         G_STRUCT_OFFSET (WlConfig, clean.nfkc) },
  { "casefold_switch",     G_STRUCT_OFFSET (WlConfig, clean.casefold) },
  { "urls_switch",         G_STRUCT_OFFSET (WlConfig, clean.strip_urls) },
  { "link_word_switch",    G_STRUCT_OFFSET (WlConfig, clean.mark_links) },
  { "emails_switch",       G_STRUCT_OFFSET (WlConfig, clean.strip_emails) },
  { "punct_switch",        G_STRUCT_OFFSET (WlConfig, clean.strip_punct) },
  { "whitespace_switch",   G_STRUCT_OFFSET (WlConfig, clean.collapse_whitespace) },
  { "contractions_switch", G_STRUCT_OFFSET (WlConfig, tokens.split_contractions) },
};

/* The first entries of the stopword and stemmer lists; languages follow. */
enum
{
  CHOICE_NONE,
  CHOICE_AUTO,
  N_FIXED_CHOICES
};

static const char *const auto_stopwords[] = { "auto", NULL };

G_DEFINE_FINAL_TYPE (WlCleanPage, wl_clean_page, ADW_TYPE_BIN)

static WlConfig *
get_config (WlCleanPage *self)
{
  return wl_session_get_config (self->session);
}

static void
config_changed (WlCleanPage *self)
{
  wl_session_config_changed (self->session);
}

/* Names for the user */

static const char *
stopwords_language_name (const char *code)
{
  if (g_str_equal (code, "en"))
    return _("English");
  if (g_str_equal (code, "zh"))
    return _("Chinese");
  return code;
}

/* "english" -> "English" (libstemmer's names, not translated). */
static char *
stemmer_name (const char *language)
{
  g_autofree char *first = g_utf8_strup (language, 1);

  return g_strconcat (first, language + 1, NULL);
}

static GListModel *
language_model (const char * const *codes,
                gboolean            stemmers)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _("None"));
  gtk_string_list_append (list, _("Automatic"));
  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_autofree char *name = stemmers ? stemmer_name (codes[i])
                                       : g_strdup (stopwords_language_name (codes[i]));
      gtk_string_list_append (list, name);
    }
  return G_LIST_MODEL (list);
}

/* The index of @value in the combo row of @codes: none, auto, languages. */
static guint
choice_index (const char * const *codes,
              const char         *value)
{
  if (value == NULL || *value == '\0' || g_str_equal (value, "none"))
    return CHOICE_NONE;
  if (g_str_equal (value, "auto"))
    return CHOICE_AUTO;
  for (guint i = 0; codes[i] != NULL; i++)
    if (g_str_equal (codes[i], value))
      return N_FIXED_CHOICES + i;
  return CHOICE_NONE;
}

/* Subtitles: what each choice does, and what "Automatic" picked. */

static char *
tokenizer_subtitle (WlCleanPage *self)
{
  const WlCleanPreview *preview = self->preview;

  switch (get_config (self)->tokens.kind)
    {
    case WL_TOKENIZER_WORDS:
      return g_strdup (_("Word boundaries, also in Chinese"));
    case WL_TOKENIZER_CJK_CHARS:
      return g_strdup (_("Each Han, kana or Hangul letter"));
    case WL_TOKENIZER_CJK_BIGRAMS:
      return g_strdup (_("CJK letters and neighbor pairs"));
    case WL_TOKENIZER_CHAR_NGRAMS:
      return g_strdup (_("Words and their n-grams"));
    case WL_TOKENIZER_AUTO:
    default:
      if (preview != NULL && preview->tokens.kind == WL_TOKENIZER_WORDS)
        return g_strdup (_("Words, for this sample"));
      if (preview != NULL)
        return g_strdup (_("CJK bigrams, for this sample"));
      return g_strdup (_("From the script of the text"));
    }
}

static char *
stopwords_subtitle (WlCleanPage *self)
{
  const WlCleanConfig *clean = &get_config (self)->clean;
  const WlCleanPreview *preview = self->preview;

  if (choice_index (wl_stopwords_languages (),
                    clean->stopwords ? clean->stopwords[0] : NULL) != CHOICE_AUTO)
    return g_strdup (_("Common words, left out"));
  if (preview == NULL)
    return g_strdup (_("From the language of the text"));
  if (preview->clean.stopwords == NULL || preview->clean.stopwords[0] == NULL)
    return g_strdup (_("None for this language"));
  /* Translators: %s is a language, "English" */
  return g_strdup_printf (_("%s, for this sample"),
                          stopwords_language_name (preview->clean.stopwords[0]));
}

static char *
stemmer_subtitle (WlCleanPage *self)
{
  const char *stem = get_config (self)->clean.stem;
  const WlCleanPreview *preview = self->preview;
  g_autofree char *name = NULL;

  if (g_strcmp0 (stem, "auto") != 0)
    return g_strdup (_("“running” becomes “run”"));
  if (preview == NULL)
    return g_strdup (_("From the language of the text"));
  if (preview->clean.stem == NULL)
    return g_strdup (_("None for this language"));
  name = stemmer_name (preview->clean.stem);
  /* Translators: %s is a stemmer, "English" */
  return g_strdup_printf (_("%s, for this sample"), name);
}

static void
set_subtitle (AdwActionRow *row,
              char         *subtitle)
{
  adw_action_row_set_subtitle (row, subtitle);
  g_free (subtitle);
}

void
wl_clean_page_update_subtitles (WlCleanPage *self)
{
  const char *file = get_config (self)->clean.stopwords_file;
  g_autofree char *basename = file != NULL ? g_filename_display_basename (file) : NULL;

  set_subtitle (ADW_ACTION_ROW (self->tokenizer_row), tokenizer_subtitle (self));
  set_subtitle (ADW_ACTION_ROW (self->stopwords_row), stopwords_subtitle (self));
  set_subtitle (ADW_ACTION_ROW (self->stemmer_row), stemmer_subtitle (self));
  /* Row subtitles are markup. */
  set_subtitle (self->stopwords_file_row,
                basename != NULL ? g_markup_escape_text (basename, -1)
                                 : g_strdup (_("One word per line, left out too")));
}

/* Config -> widgets */

static void
sync_from_config (WlCleanPage *self)
{
  const WlConfig *config = get_config (self);
  const WlCleanConfig *clean = &config->clean;
  g_autofree char *threads = NULL;

  self->syncing = TRUE;

  for (guint i = 0; i < WL_CLEAN_PAGE_N_SWITCHES; i++)
    gtk_switch_set_active (self->switches[i],
                           G_STRUCT_MEMBER (gboolean, config, switch_options[i].offset));
  adw_combo_row_set_selected (self->digits_row, clean->digits);
  adw_combo_row_set_selected (self->tokenizer_row, config->tokens.kind);
  gtk_spin_button_set_value (self->ngram_min_spin, config->tokens.char_ngram_min);
  gtk_spin_button_set_value (self->ngram_max_spin, config->tokens.char_ngram_max);
  gtk_widget_set_visible (GTK_WIDGET (self->ngram_min_row),
                          config->tokens.kind == WL_TOKENIZER_CHAR_NGRAMS);
  gtk_widget_set_visible (GTK_WIDGET (self->ngram_max_row),
                          config->tokens.kind == WL_TOKENIZER_CHAR_NGRAMS);
  adw_combo_row_set_selected (self->stopwords_row,
                              choice_index (wl_stopwords_languages (),
                                            clean->stopwords ? clean->stopwords[0] : NULL));
  gtk_widget_set_visible (GTK_WIDGET (self->stopwords_clear_button),
                          clean->stopwords_file != NULL);
  adw_combo_row_set_selected (self->stemmer_row,
                              choice_index (wl_clean_stemmer_languages (), clean->stem));
  gtk_spin_button_set_value (self->threads_spin, config->threads);

  threads = g_strdup_printf (_("0 uses every core (%u on this computer)"),
                             g_get_num_processors ());
  adw_action_row_set_subtitle (self->threads_row, threads);
  wl_clean_page_update_subtitles (self);

  self->syncing = FALSE;
}

/* Widgets -> config */

static void
on_switch_active (GtkSwitch   *widget,
                  GParamSpec  *pspec,
                  WlCleanPage *self)
{
  WlConfig *config = get_config (self);

  if (self->syncing)
    return;
  for (guint i = 0; i < WL_CLEAN_PAGE_N_SWITCHES; i++)
    if (self->switches[i] == widget)
      G_STRUCT_MEMBER (gboolean, config, switch_options[i].offset) = gtk_switch_get_active (widget);
  config_changed (self);
}

static void
on_digits_selected (WlCleanPage *self)
{
  if (self->syncing)
    return;
  get_config (self)->clean.digits = adw_combo_row_get_selected (self->digits_row);
  config_changed (self);
}

static void
on_tokenizer_selected (WlCleanPage *self)
{
  if (self->syncing)
    return;
  get_config (self)->tokens.kind = adw_combo_row_get_selected (self->tokenizer_row);
  config_changed (self);
}

static void
on_ngram_changed (GtkSpinButton *spin,
                  WlCleanPage   *self)
{
  WlTokenConfig *tokens = &get_config (self)->tokens;

  if (self->syncing)
    return;
  tokens->char_ngram_min = gtk_spin_button_get_value_as_int (self->ngram_min_spin);
  tokens->char_ngram_max = gtk_spin_button_get_value_as_int (self->ngram_max_spin);
  /* Keep min <= max by moving the other one. */
  if (tokens->char_ngram_min > tokens->char_ngram_max)
    {
      if (spin == self->ngram_min_spin)
        tokens->char_ngram_max = tokens->char_ngram_min;
      else
        tokens->char_ngram_min = tokens->char_ngram_max;
    }
  config_changed (self);
}

static void
on_stopwords_selected (WlCleanPage *self)
{
  WlCleanConfig *clean = &get_config (self)->clean;
  guint selected = adw_combo_row_get_selected (self->stopwords_row);
  const char *language[] = { NULL, NULL };

  if (self->syncing)
    return;
  g_clear_pointer (&clean->stopwords, g_strfreev);
  if (selected == CHOICE_AUTO)
    clean->stopwords = g_strdupv ((char **) auto_stopwords);
  else if (selected >= N_FIXED_CHOICES)
    {
      language[0] = wl_stopwords_languages ()[selected - N_FIXED_CHOICES];
      clean->stopwords = g_strdupv ((char **) language);
    }
  config_changed (self);
}

static void
on_stemmer_selected (WlCleanPage *self)
{
  WlCleanConfig *clean = &get_config (self)->clean;
  guint selected = adw_combo_row_get_selected (self->stemmer_row);

  if (self->syncing)
    return;
  g_free (clean->stem);
  if (selected == CHOICE_NONE)
    clean->stem = NULL;
  else if (selected == CHOICE_AUTO)
    clean->stem = g_strdup ("auto");
  else
    clean->stem = g_strdup (wl_clean_stemmer_languages ()[selected - N_FIXED_CHOICES]);
  config_changed (self);
}

static void
on_threads_changed (WlCleanPage *self)
{
  guint threads = gtk_spin_button_get_value_as_int (self->threads_spin);

  if (self->syncing)
    return;
  get_config (self)->threads = threads;
  g_settings_set_uint (self->settings, "threads", threads);
  config_changed (self);
}

static void
set_stopwords_file (WlCleanPage *self,
                    char        *path)
{
  WlCleanConfig *clean = &get_config (self)->clean;

  g_free (clean->stopwords_file);
  clean->stopwords_file = path;
  config_changed (self);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     WlCleanPage     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      set_stopwords_file (self, g_file_get_path (file));
    }
  g_clear_object (&self->chooser);
}

static void
on_stopwords_choose (WlCleanPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Choose a Stopword File"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_stopwords_clear (WlCleanPage *self)
{
  set_stopwords_file (self, NULL);
}

static void
on_reset (WlCleanPage *self)
{
  WlConfig *config = get_config (self);
  g_autoptr(WlConfig) defaults = wl_config_new ();

  g_strfreev (config->clean.stopwords);
  g_free (config->clean.stopwords_file);
  g_free (config->clean.stem);
  config->clean = defaults->clean;
  config->tokens = defaults->tokens;
  config->threads = defaults->threads;
  /* The strings now belong to the session's config. */
  defaults->clean.stopwords = NULL;
  defaults->clean.stopwords_file = NULL;
  defaults->clean.stem = NULL;
  g_settings_reset (self->settings, "threads");
  config_changed (self);
}

/* The session */

static void
on_config_changed (WlCleanPage *self)
{
  sync_from_config (self);
  wl_clean_page_preview_config_changed (self);
}

static void
wl_clean_page_dispose (GObject *object)
{
  WlCleanPage *self = WL_CLEAN_PAGE (object);

  wl_clean_page_dispose_preview (self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), WL_TYPE_CLEAN_PAGE);
  G_OBJECT_CLASS (wl_clean_page_parent_class)->dispose (object);
}

static void
wl_clean_page_class_init (WlCleanPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wl_clean_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/wordloom/Wordloom/pages/wl-clean-page.ui");
  for (guint i = 0; i < WL_CLEAN_PAGE_N_SWITCHES; i++)
    gtk_widget_class_bind_template_child_full (widget_class, switch_options[i].id, FALSE,
                                               G_STRUCT_OFFSET (WlCleanPage, switches) +
                                               i * sizeof (GtkSwitch *));
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, digits_row);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, tokenizer_row);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, ngram_min_row);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, ngram_max_row);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, ngram_min_spin);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, ngram_max_spin);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, stopwords_row);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, stopwords_file_row);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, stopwords_clear_button);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, stopwords_choose_button);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, stemmer_row);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, threads_row);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, threads_spin);
  gtk_widget_class_bind_template_child (widget_class, WlCleanPage, reset_button);
  wl_clean_page_class_init_preview (widget_class);
}

static void
wl_clean_page_init (WlCleanPage *self)
{
  g_autoptr(GListModel) stopwords = language_model (wl_stopwords_languages (), FALSE);
  g_autoptr(GListModel) stemmers = language_model (wl_clean_stemmer_languages (), TRUE);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
  adw_combo_row_set_model (self->stopwords_row, stopwords);
  adw_combo_row_set_model (self->stemmer_row, stemmers);
  wl_clean_page_init_preview (self);
}

static void
connect_widgets (WlCleanPage *self)
{
  for (guint i = 0; i < WL_CLEAN_PAGE_N_SWITCHES; i++)
    g_signal_connect (self->switches[i], "notify::active", G_CALLBACK (on_switch_active), self);
  g_signal_connect_swapped (self->digits_row, "notify::selected",
                            G_CALLBACK (on_digits_selected), self);
  g_signal_connect_swapped (self->tokenizer_row, "notify::selected",
                            G_CALLBACK (on_tokenizer_selected), self);
  g_signal_connect (self->ngram_min_spin, "value-changed", G_CALLBACK (on_ngram_changed), self);
  g_signal_connect (self->ngram_max_spin, "value-changed", G_CALLBACK (on_ngram_changed), self);
  g_signal_connect_swapped (self->stopwords_row, "notify::selected",
                            G_CALLBACK (on_stopwords_selected), self);
  g_signal_connect_swapped (self->stemmer_row, "notify::selected",
                            G_CALLBACK (on_stemmer_selected), self);
  g_signal_connect_swapped (self->threads_spin, "value-changed",
                            G_CALLBACK (on_threads_changed), self);
  g_signal_connect_swapped (self->stopwords_choose_button, "clicked",
                            G_CALLBACK (on_stopwords_choose), self);
  g_signal_connect_swapped (self->stopwords_clear_button, "clicked",
                            G_CALLBACK (on_stopwords_clear), self);
  g_signal_connect_swapped (self->reset_button, "clicked", G_CALLBACK (on_reset), self);
}

GtkWidget *
wl_clean_page_new (WlSession *session)
{
  WlCleanPage *self;
  WlConfig *config;

  g_return_val_if_fail (WL_IS_SESSION (session), NULL);

  self = g_object_new (WL_TYPE_CLEAN_PAGE, NULL);
  self->session = g_object_ref (session);
  config = get_config (self);

  /* The thread count is a preference of this computer, not of a run. */
  config->threads = g_settings_get_uint (self->settings, "threads");
  sync_from_config (self);
  connect_widgets (self);

  g_signal_connect_swapped (session, "config-changed", G_CALLBACK (on_config_changed), self);
  g_signal_connect_swapped (session, "notify::sample",
                            G_CALLBACK (wl_clean_page_schedule_preview), self);
  wl_clean_page_schedule_preview (self);
  return GTK_WIDGET (self);
}
