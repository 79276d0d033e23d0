/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-clean-page.c: the Clean page: options write the config, the preview follows. */
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text/wl-clean-preview.h"
#include "ui-test-util.h"

#define WAIT_MS 10000

static const char *sample_texts[] = {
  "Visit https://example.com/OFFER for <b>FREE</b> Tickets",
  "Write to Sales@Example.org about the 2024 PRICES",
  "The café's ｆｕｌｌｗｉｄｔｈ menu, RUNNING late again",
  "Another plain row about football and the league",
};

typedef struct
{
  WlWindow  *window;
  WlSession *session;
  GtkWidget *page;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = ui_test_window_new ();
  fixture->session = wl_window_get_session (fixture->window);
  fixture->page = wl_window_get_page (fixture->window, "clean");
  wl_window_show_page (fixture->window, "clean");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  ui_test_run_for (50);
}

static void
set_sample (Fixture *fixture)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();

  for (guint i = 0; i < 200; i++)
    g_ptr_array_add (texts, (gpointer) sample_texts[i % G_N_ELEMENTS (sample_texts)]);
  wl_session_set_sample (fixture->session, texts, 120000);
}

static GtkWidget *
find (Fixture    *fixture,
      GType       type,
      const char *name)
{
  GtkWidget *widget = ui_test_find_widget (fixture->page, type, name);

  g_assert_nonnull (widget);
  return widget;
}

/* The text of a label of sample row @i: "before", "after" or "tokens". */
static const char *
row_label (Fixture    *fixture,
           guint       i,
           const char *name)
{
  GtkListBox *list = GTK_LIST_BOX (find (fixture, GTK_TYPE_LIST_BOX, "rows_list"));
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);
  GtkWidget *label;

  if (row == NULL)
    return NULL;
  label = ui_test_find_widget (GTK_WIDGET (row), GTK_TYPE_LABEL, name);
  return gtk_label_get_text (GTK_LABEL (label));
}

typedef struct
{
  Fixture    *fixture;
  GtkLabel   *label;       /* or NULL: a label of sample row @row */
  guint       row;
  const char *name;
  const char *text;
  gboolean    present;
} Expect;

static gboolean
label_matches (gpointer data)
{
  Expect *expect = data;
  const char *text = expect->label != NULL ? gtk_label_get_text (expect->label)
                                           : row_label (expect->fixture, expect->row, expect->name);

  return text != NULL && (strstr (text, expect->text) != NULL) == expect->present;
}

/* Waits until the label @name of sample row @row holds @text, or not. */
static void
wait_row (Fixture    *fixture,
          guint       row,
          const char *name,
          const char *text,
          gboolean    present)
{
  Expect expect = { fixture, NULL, row, name, text, present };

  g_assert_true (ui_test_wait_until (label_matches, &expect, WAIT_MS));
}

static void
wait_label (GtkWidget  *label,
            const char *text,
            gboolean    present)
{
  Expect expect = { NULL, GTK_LABEL (label), 0, NULL, text, present };

  g_assert_true (ui_test_wait_until (label_matches, &expect, WAIT_MS));
}

static void
toggle (Fixture    *fixture,
        const char *switch_id)
{
  GtkSwitch *sw = GTK_SWITCH (find (fixture, GTK_TYPE_SWITCH, switch_id));

  gtk_switch_set_active (sw, !gtk_switch_get_active (sw));
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  GtkStack *stack = GTK_STACK (find (fixture, GTK_TYPE_STACK, "preview_stack"));

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  ui_test_shot (GTK_WIDGET (fixture->window), "clean-empty");
}

static void
test_preview_follows_options (Fixture       *fixture,
                              gconstpointer  data)
{
  WlConfig *config = wl_session_get_config (fixture->session);
  GtkStack *stack = GTK_STACK (find (fixture, GTK_TYPE_STACK, "preview_stack"));

  set_sample (fixture);
  wait_row (fixture, 0, "after", "visit _link_ for free tickets", TRUE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "preview");
  g_assert_cmpstr (row_label (fixture, 0, "before"), ==, sample_texts[0]);
  g_assert_nonnull (strstr (row_label (fixture, 0, "tokens"), "tickets"));
  g_assert_nonnull (strstr (row_label (fixture, 0, "tokens"), "_link_"));

  /* A removed link leaves no word when "Mark removed links" is off. */
  toggle (fixture, "link_word_switch");
  g_assert_false (config->clean.mark_links);
  wait_row (fixture, 0, "after", "visit for free tickets", TRUE);

  /* Links stay when "Remove links" is off. */
  toggle (fixture, "urls_switch");
  g_assert_false (config->clean.strip_urls);
  wait_row (fixture, 0, "after", "https://example.com/offer", TRUE);

  /* And the case, when "Fold case" is off. */
  toggle (fixture, "casefold_switch");
  g_assert_false (config->clean.casefold);
  wait_row (fixture, 0, "after", "https://example.com/OFFER for FREE Tickets", TRUE);

  /* And the tags, when "Remove HTML" is off. */
  toggle (fixture, "html_switch");
  g_assert_false (config->clean.strip_html);
  wait_row (fixture, 0, "after", "<b>", TRUE);

  /* Character n-grams: the n-gram lengths appear, and the tokens follow. */
  g_assert_false (gtk_widget_get_visible (find (fixture, ADW_TYPE_ACTION_ROW, "ngram_min_row")));
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (fixture, ADW_TYPE_COMBO_ROW, "tokenizer_row")),
                              WL_TOKENIZER_CHAR_NGRAMS);
  g_assert_cmpint (config->tokens.kind, ==, WL_TOKENIZER_CHAR_NGRAMS);
  g_assert_true (gtk_widget_get_visible (find (fixture, ADW_TYPE_ACTION_ROW, "ngram_min_row")));
  g_assert_true (gtk_widget_get_visible (find (fixture, ADW_TYPE_ACTION_ROW, "ngram_max_row")));
  wait_row (fixture, 0, "tokens", "<Vi", TRUE);

  /* The minimum pushes the maximum up. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (fixture, GTK_TYPE_SPIN_BUTTON,
                                                    "ngram_min_spin")), 6);
  g_assert_cmpuint (config->tokens.char_ngram_min, ==, 6);
  g_assert_cmpuint (config->tokens.char_ngram_max, ==, 6);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (
    find (fixture, GTK_TYPE_SPIN_BUTTON, "ngram_max_spin"))), ==, 6);
}

/* "1:02:03", "5:43", "12.5 s", "0.42 s" in seconds. */
static double
parse_duration (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  double seconds = 0;

  for (guint i = 0; parts[i] != NULL; i++)
    seconds = seconds * 60 + g_ascii_strtod (parts[i], NULL);
  return seconds;
}

static gboolean
projection_measured (gpointer data)
{
  const char *text = gtk_label_get_text (GTK_LABEL (data));

  return g_ascii_isdigit (text[0]);
}

static void
test_totals_and_costs (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkGrid *grid = GTK_GRID (find (fixture, GTK_TYPE_GRID, "cost_grid"));
  GtkWidget *vocabulary = find (fixture, GTK_TYPE_LABEL, "vocabulary_value");
  GtkWidget *caption = find (fixture, GTK_TYPE_LABEL, "projection_caption");
  g_autoptr(GSettings) settings = g_settings_new ("org.wordloom.Wordloom");

  set_sample (fixture);
  wait_label (find (fixture, GTK_TYPE_LABEL, "tokens_value"), "–", FALSE);

  /* 4 distinct texts, 50 times each: a small vocabulary. */
  g_assert_cmpint (atoi (gtk_label_get_text (GTK_LABEL (vocabulary))), >, 10);
  g_assert_cmpint (atoi (gtk_label_get_text (GTK_LABEL (vocabulary))), <, 40);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (caption)), "120"));
  /* The projection follows once the pipeline is measured at each thread count. */
  g_assert_true (ui_test_wait_until (projection_measured,
                                     find (fixture, GTK_TYPE_LABEL, "projection_value"), WAIT_MS));

  /* Every step has a cost; tokenising and the whole pipeline more than 0. */
  for (guint s = 0; s <= WL_N_CLEAN_STEPS; s++)
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 2, s))),
                              "ms"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 2,
                                                                          WL_CLEAN_STEP_TOKENIZE))),
                   !=, "0 ms");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 2,
                                                                          WL_N_CLEAN_STEPS))),
                   !=, "0 ms");
  /* The steps that are on add up to the whole pipeline, within the
   * rounding of what is shown (half a unit of each figure's last digit). */
  {
    double sum = 0, slack = 0, whole;

    for (guint s = 0; s <= WL_N_CLEAN_STEPS; s++)
      {
        GtkWidget *name = gtk_grid_get_child_at (grid, 0, s);
        const char *text = gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 2, s)));
        const char *dot = strchr (text, '.');
        int decimals = dot != NULL ? (int) strspn (dot + 1, "0123456789") : 0;
        double value = g_ascii_strtod (text, NULL);

        slack += 0.5 * pow (10, -decimals);
        if (s == WL_N_CLEAN_STEPS)
          whole = value;
        else if (strstr (gtk_label_get_text (GTK_LABEL (name)), "(off)") == NULL)
          sum += value;
      }
    g_test_message ("steps on: %.2f ms, whole pipeline: %.2f ms", sum, whole);
    g_assert_cmpfloat (fabs (sum - whole), <=, slack);
  }

  /* Stemming is off by default, and says so. */
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (grid, 0,
                                                                                  WL_CLEAN_STEP_STEM))),
                            "(off)"));

  /* The thread count goes to the config, to GSettings and to the projection. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (fixture, GTK_TYPE_SPIN_BUTTON,
                                                    "threads_spin")), 1);
  g_assert_cmpuint (wl_session_get_config (fixture->session)->threads, ==, 1);
  g_assert_cmpuint (g_settings_get_uint (settings, "threads"), ==, 1);
  wait_label (caption, "rows on 1 thread", TRUE);
}

/* The projection for the whole file comes from the pipeline measured at
 * each thread count.  With the engine's test hook, every text takes
 * DELAY_US more, one at a time whatever the threads: 120,000 rows then
 * take at least 120,000 × DELAY_US on any number of threads, which the
 * one-thread cost divided by the threads would not say. */
#define DELAY_US 1000
static void
test_measured_projection (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *value;
  GtkWidget *label;

  if (!g_test_subprocess ())
    {
      /* The hook is read once a process: a new one, with it set. */
      g_setenv ("WORDLOOM_PREPROCESS_DELAY_US", G_STRINGIFY (DELAY_US), TRUE);
      g_test_trap_subprocess (NULL, 100 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_unsetenv ("WORDLOOM_PREPROCESS_DELAY_US");
      g_test_trap_assert_passed ();
      return;
    }

  value = find (fixture, GTK_TYPE_LABEL, "projection_value");
  label = find (fixture, GTK_TYPE_LABEL, "projection_label");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (fixture, GTK_TYPE_SPIN_BUTTON,
                                                    "threads_spin")), 2);
  set_sample (fixture);
  g_assert_true (ui_test_wait_until (projection_measured, value, 90000));
  g_test_message ("projected: %s; %s", gtk_label_get_text (GTK_LABEL (value)),
                  gtk_label_get_text (GTK_LABEL (label)));
  g_assert_cmpfloat (parse_duration (gtk_label_get_text (GTK_LABEL (value))), >=,
                     120000 * DELAY_US * 1e-6);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)),
                            "Measured on the 200 sample rows at 1"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "on 2 threads"));
}

static void
test_auto_settings (Fixture       *fixture,
                    gconstpointer  data)
{
  WlConfig *config = wl_session_get_config (fixture->session);
  AdwActionRow *stemmer = ADW_ACTION_ROW (find (fixture, ADW_TYPE_COMBO_ROW, "stemmer_row"));
  AdwActionRow *stopwords = ADW_ACTION_ROW (find (fixture, ADW_TYPE_COMBO_ROW, "stopwords_row"));

  set_sample (fixture);
  wait_row (fixture, 2, "tokens", "running", TRUE);

  /* "Automatic" stemming and stopwords resolve to English for this sample. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (stemmer), 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (stopwords), 1);
  g_assert_cmpstr (config->clean.stem, ==, "auto");
  g_assert_cmpstrv (config->clean.stopwords, ((const char *[]) { "auto", NULL }));
  wait_row (fixture, 2, "tokens", "running", FALSE);
  g_assert_nonnull (strstr (row_label (fixture, 2, "tokens"), "run"));
  /* "for" is an English stopword: cleaning keeps it, the tokens do not. */
  g_assert_nonnull (strstr (row_label (fixture, 0, "after"), "visit _link_ for free tickets"));
  g_assert_null (strstr (row_label (fixture, 0, "tokens"), "for"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (stemmer), "English"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (stopwords), "English"));

  /* No stemmer. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (stemmer), 0);
  g_assert_null (config->clean.stem);
  wait_row (fixture, 2, "tokens", "running", TRUE);
}

static void
test_reset (Fixture       *fixture,
            gconstpointer  data)
{
  WlConfig *config = wl_session_get_config (fixture->session);
  g_autoptr(WlConfig) defaults = wl_config_new ();
  g_autoptr(GSettings) settings = g_settings_new ("org.wordloom.Wordloom");
  GtkSwitch *urls = GTK_SWITCH (find (fixture, GTK_TYPE_SWITCH, "urls_switch"));

  toggle (fixture, "urls_switch");
  toggle (fixture, "punct_switch");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (fixture, ADW_TYPE_COMBO_ROW, "digits_row")),
                              WL_DIGITS_ZERO);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (fixture, ADW_TYPE_COMBO_ROW, "stemmer_row")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (fixture, GTK_TYPE_SPIN_BUTTON,
                                                    "threads_spin")), 3);
  g_assert_cmpint (config->clean.strip_urls, !=, defaults->clean.strip_urls);
  g_assert_cmpint (config->clean.strip_punct, !=, defaults->clean.strip_punct);
  g_assert_cmpint (config->clean.digits, ==, WL_DIGITS_ZERO);
  g_assert_cmpuint (config->threads, ==, 3);

  g_signal_emit_by_name (find (fixture, GTK_TYPE_BUTTON, "reset_button"), "clicked");

  g_assert_cmpint (config->clean.strip_urls, ==, defaults->clean.strip_urls);
  g_assert_cmpint (config->clean.strip_punct, ==, defaults->clean.strip_punct);
  g_assert_cmpint (config->clean.digits, ==, defaults->clean.digits);
  g_assert_null (config->clean.stem);
  g_assert_cmpint (config->tokens.kind, ==, defaults->tokens.kind);
  g_assert_cmpuint (config->threads, ==, 0);
  g_assert_cmpuint (g_settings_get_uint (settings, "threads"), ==, 0);
  /* The widgets show the defaults. */
  g_assert_true (gtk_switch_get_active (urls) == defaults->clean.strip_urls);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find (fixture, ADW_TYPE_COMBO_ROW,
                                                                     "stemmer_row"))), ==, 0);
}

/* Another page changing the config: the widgets follow. */
static void
test_follows_session (Fixture       *fixture,
                      gconstpointer  data)
{
  WlConfig *config = wl_session_get_config (fixture->session);

  config->clean.strip_emails = FALSE;
  config->tokens.kind = WL_TOKENIZER_CJK_BIGRAMS;
  wl_session_config_changed (fixture->session);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (find (fixture, GTK_TYPE_SWITCH,
                                                           "emails_switch"))));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find (fixture, ADW_TYPE_COMBO_ROW,
                                                                     "tokenizer_row"))),
                    ==, WL_TOKENIZER_CJK_BIGRAMS);
}

/* A recurrent model reads ICU words, not CJK letters and their bigrams:
 * choosing one on the Model page, the preview shows the words it will
 * train on. */
static void
test_model_tokens (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char *cjk = "酒店服务很好";
  GtkWidget *model_page = wl_window_get_page (fixture->window, "model");
  AdwComboRow *model_row = ADW_COMBO_ROW (ui_test_find_widget (model_page, ADW_TYPE_COMBO_ROW,
                                                               "model_row"));
  AdwActionRow *tokenizer = ADW_ACTION_ROW (find (fixture, ADW_TYPE_COMBO_ROW, "tokenizer_row"));
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();

  for (guint i = 0; i < 50; i++)
    g_ptr_array_add (texts, (gpointer) cjk);
  wl_session_set_sample (fixture->session, texts, 1000);

  /* Linear: CJK letters and bigrams, across the word "酒店" and "服务". */
  adw_combo_row_set_selected (model_row, WL_MODEL_LINEAR);
  wait_row (fixture, 0, "tokens", "店服", TRUE);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (tokenizer), "CJK"));

  for (WlModelType type = WL_MODEL_LSTM; type <= WL_MODEL_GRU; type++)
    {
      adw_combo_row_set_selected (model_row, type);
      g_assert_cmpint (wl_session_get_config (fixture->session)->model.type, ==, type);
      wait_row (fixture, 0, "tokens", "店服", FALSE);
      g_assert_nonnull (strstr (row_label (fixture, 0, "tokens"), "酒店 · 服务"));
      g_assert_null (strstr (adw_action_row_get_subtitle (tokenizer), "CJK"));
      ui_test_shot (GTK_WIDGET (fixture->window), "clean-gru-words");

      adw_combo_row_set_selected (model_row, WL_MODEL_LINEAR);
      wait_row (fixture, 0, "tokens", "店服", TRUE);
    }
}

static gboolean
stack_shows_error (gpointer data)
{
  GtkStack *stack = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "error") == 0;
}

/* A stopword file leaves its words out; one that cannot be read says why. */
static void
test_stopword_file (Fixture       *fixture,
                    gconstpointer  data)
{
  WlConfig *config = wl_session_get_config (fixture->session);
  g_autofree char *dir = g_dir_make_tmp ("wl-clean-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "my-stopwords.txt", NULL);
  AdwActionRow *row = ADW_ACTION_ROW (find (fixture, ADW_TYPE_ACTION_ROW, "stopwords_file_row"));
  GtkWidget *clear = find (fixture, GTK_TYPE_BUTTON, "stopwords_clear_button");
  GtkStack *stack = GTK_STACK (find (fixture, GTK_TYPE_STACK, "preview_stack"));

  g_assert_true (g_file_set_contents (path, "# mine\ntickets\nvisit\n", -1, NULL));
  set_sample (fixture);
  wait_row (fixture, 0, "tokens", "tickets", TRUE);
  g_assert_false (gtk_widget_get_visible (clear));

  config->clean.stopwords_file = g_strdup (path);
  wl_session_config_changed (fixture->session);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "my-stopwords.txt");
  g_assert_true (gtk_widget_get_visible (clear));
  wait_row (fixture, 0, "tokens", "tickets", FALSE);
  g_assert_cmpstr (row_label (fixture, 0, "tokens"), ==, "_link_ · for · free");

  g_assert_no_errno (g_unlink (path));
  g_assert_no_errno (g_rmdir (dir));
  toggle (fixture, "urls_switch");
  g_assert_true (ui_test_wait_until (stack_shows_error, stack, WAIT_MS));
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (
    find (fixture, ADW_TYPE_STATUS_PAGE, "error_status"))), "my-stopwords.txt"));

  g_signal_emit_by_name (clear, "clicked");
  g_assert_null (config->clean.stopwords_file);
  g_assert_false (gtk_widget_get_visible (clear));
  wait_row (fixture, 0, "tokens", "tickets", TRUE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "preview");
}

static void
set_color_scheme (AdwColorScheme scheme)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
}

/* Scrolls the first scrolled window in @name to its start or end. */
static void
scroll (Fixture    *fixture,
        const char *name,
        gboolean    to_end)
{
  GtkWidget *area = find (fixture, GTK_TYPE_WIDGET, name);
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (ui_test_find_widget (area,
                                                     GTK_TYPE_SCROLLED_WINDOW, NULL));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);

  gtk_adjustment_set_value (adjustment, to_end ? gtk_adjustment_get_upper (adjustment) : 0);
}

/* The mean brightness of the window as drawn, 0 (black) to 255 (white). */
static double
brightness (GtkWidget *window)
{
  g_autoptr(GdkTexture) texture = ui_test_render (window);
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guchar *pixels = g_malloc ((gsize) width * height * 4);
  double sum = 0;

  /* Cairo's ARGB32: one native-endian 32-bit word per pixel. */
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      guint32 argb = ((guint32 *) pixels)[i];

      sum += (((argb >> 16) & 0xff) + ((argb >> 8) & 0xff) + (argb & 0xff)) / 3.0;
    }
  return sum / ((double) width * height);
}

/* The page at the default and the smallest size, light and dark: both
 * panes keep a usable width, the long parts scroll, and the colours follow
 * the style (screenshots of each state with WL_UI_SHOTS=DIR). */
static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *options = find (fixture, ADW_TYPE_PREFERENCES_PAGE, "options_page");
  GtkWidget *preview = find (fixture, GTK_TYPE_STACK, "preview_stack");
  double light, dark;

  set_sample (fixture);
  wait_label (find (fixture, GTK_TYPE_LABEL, "tokens_value"), "–", FALSE);

  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  ui_test_run_for (300);
  g_assert_cmpint (gtk_widget_get_width (preview), >, gtk_widget_get_width (options));
  light = brightness (window);
  ui_test_shot (window, "clean-large-light");
  scroll (fixture, "preview_scroller", TRUE);
  ui_test_shot (window, "clean-large-light-costs");
  set_color_scheme (ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_shot (window, "clean-large-dark-costs");
  scroll (fixture, "preview_scroller", FALSE);
  dark = brightness (window);
  ui_test_shot (window, "clean-large-dark");
  g_test_message ("brightness: light %.0f, dark %.0f", light, dark);
  g_assert_cmpfloat (light, >, 180);
  g_assert_cmpfloat (dark, <, 90);

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  ui_test_run_for (300);
  g_assert_cmpint (gtk_widget_get_width (window), <=, 800);
  g_assert_cmpint (gtk_widget_get_width (options), >=, 300);
  g_assert_cmpint (gtk_widget_get_width (preview), >=, 300);
  ui_test_shot (window, "clean-small-dark");
  set_color_scheme (ADW_COLOR_SCHEME_FORCE_LIGHT);
  ui_test_shot (window, "clean-small-light");
  scroll (fixture, "options_page", TRUE);
  scroll (fixture, "preview_scroller", TRUE);
  /* At 800×600 the options and the preview scroll to their ends. */
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (ui_test_find_widget (options, GTK_TYPE_SCROLLED_WINDOW, NULL)))), >, 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (find (fixture, GTK_TYPE_SCROLLED_WINDOW, "preview_scroller")))), >, 0);
  ui_test_shot (window, "clean-small-light-end");
  set_color_scheme (ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int argc, char *argv[])
{
  ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/clean-page/empty", test_empty);
  ADD ("/clean-page/preview-follows-options", test_preview_follows_options);
  ADD ("/clean-page/totals-and-costs", test_totals_and_costs);
  ADD ("/clean-page/measured-projection", test_measured_projection);
  ADD ("/clean-page/auto-settings", test_auto_settings);
  ADD ("/clean-page/reset", test_reset);
  ADD ("/clean-page/follows-session", test_follows_session);
  ADD ("/clean-page/model-tokens", test_model_tokens);
  ADD ("/clean-page/stopword-file", test_stopword_file);
  ADD ("/clean-page/screenshots", test_screenshots);
#undef ADD

  return g_test_run ();
}
