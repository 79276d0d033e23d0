/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-translation.c: the window speaks Simplified and Traditional Chinese when LANG says so. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "pages/wl-run-format.h"
#include "ui-test-util.h"

/* What the window must show in one language: the exact strings of
 * po/<lang>.po (or the English source strings for C). */
typedef struct
{
  const char *locale;                 /* the value of LANG */
  const char *page_titles[7];         /* data, clean, model, train, resources, results, runs */
  const char *train_label;            /* the header bar's Train button */
  const char *menu_tooltip;           /* the primary menu button */
  const char *shortcuts_item;         /* an item of the primary menu */
  const char *labels_3;               /* a plural: ngettext ("%u label", "%u labels", 3) */
  const char *clock;                  /* 05:39:37 as a time of day, in part */
} Language;

static const char *page_names[] = { "data", "clean", "model", "train", "resources", "results",
                                     "runs" };

static const Language languages[] = {
  {
    "zh_CN.UTF-8",
    { "数据", "清洗", "模型", "训练", "资源", "结果", "运行记录" },
    "训练(_T)", "主菜单", "键盘快捷键(_K)", "3 个标签", "05:39:37",
  },
  {
    "zh_TW.UTF-8",
    { "資料", "清洗", "模型", "訓練", "資源", "結果", "執行記錄" },
    "訓練(_T)", "主選單", "鍵盤快捷鍵(_K)", "3 個標籤", "5:39:37",
  },
  {
    "C.UTF-8",
    { "Data", "Clean", "Model", "Train", "Resources", "Results", "Runs" },
    "_Train", "Main Menu", "_Keyboard Shortcuts", "3 labels", "5:39:37",
  },
};

/* The label of the item of @model (searching its sections) whose action is @action. */
static char *
menu_item_label (GMenuModel *model,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *item_action = NULL;
      g_autofree char *label = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (section != NULL)
        {
          char *found = menu_item_label (section, action);

          if (found != NULL)
            return found;
          continue;
        }
      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action) &&
          g_strcmp0 (item_action, action) == 0 &&
          g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        return g_steal_pointer (&label);
    }
  return NULL;
}

/* Runs in the subprocess, whose locale main() took from LANG. */
static void
check_window (const Language *language)
{
  const char *messages = setlocale (LC_MESSAGES, NULL);
  g_autofree char *labels = NULL;
  g_autofree char *shortcuts = NULL;
  WlWindow *window;
  AdwViewStack *stack;
  GtkStack *run_buttons;
  GtkWidget *train_button;
  GtkWidget *menu_button;

  if (g_strcmp0 (messages, language->locale) != 0)
    g_error ("LANG=%s gave the locale “%s”: is the locale installed? "
             "Generate it with: localedef -i %.5s -c -f UTF-8 %s",
             language->locale, messages, language->locale, language->locale);

  labels = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u label", "%u labels", 3), 3);
  g_assert_cmpstr (labels, ==, language->labels_3);

  window = ui_test_window_new ();
  stack = ADW_VIEW_STACK (ui_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, "stack"));
  g_assert_nonnull (stack);
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      GtkWidget *page = wl_window_get_page (window, page_names[i]);

      g_assert_nonnull (page);
      g_assert_cmpstr (adw_view_stack_page_get_title (adw_view_stack_get_page (stack, page)), ==,
                       language->page_titles[i]);
    }

  run_buttons = GTK_STACK (ui_test_find_widget (GTK_WIDGET (window), GTK_TYPE_STACK, "run_buttons"));
  g_assert_nonnull (run_buttons);
  train_button = gtk_stack_get_child_by_name (run_buttons, "idle");
  g_assert_true (GTK_IS_BUTTON (train_button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (train_button)), ==, language->train_label);

  menu_button = ui_test_find_widget (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, NULL);
  g_assert_nonnull (menu_button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (menu_button), ==, language->menu_tooltip);
  shortcuts = menu_item_label (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button)),
                               "win.show-help-overlay");
  g_assert_cmpstr (shortcuts, ==, language->shortcuts_item);

  ui_test_shot (GTK_WIDGET (window), language->locale);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Times read as the language writes them: digits and colons, not the C
 * library's "05时39分37秒" for zh_CN. */
static void
check_times (const Language *language)
{
  g_autoptr(GDateTime) time = g_date_time_new_local (2024, 3, 14, 5, 39, 37);
  g_autofree char *clock = wl_run_format_clock (time);
  g_autofree char *date_time = wl_run_format_time (g_date_time_to_unix (time));

  g_test_message ("%s: %s; %s", language->locale, clock, date_time);
  g_assert_nonnull (strstr (clock, language->clock));
  g_assert_null (strstr (clock, "时"));
  g_assert_nonnull (strstr (date_time, "24"));
  g_assert_nonnull (strstr (date_time, "5:39"));
  g_assert_null (strstr (date_time, "时"));
}

/* setlocale() must come before gtk_init(), so each language runs in a
 * subprocess of its own, started with LANG set and nothing overriding it. */
static void
test_language (gconstpointer data)
{
  const Language *language = data;
  g_autofree char *lang = g_strdup (g_getenv ("LANG"));
  g_autofree char *lc_all = g_strdup (g_getenv ("LC_ALL"));

  if (g_test_subprocess ())
    {
      check_window (language);
      check_times (language);
      return;
    }

  g_setenv ("LANG", language->locale, TRUE);
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_unsetenv ("LANGUAGE");
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (lang != NULL)
    g_setenv ("LANG", lang, TRUE);
  if (lc_all != NULL)
    g_setenv ("LC_ALL", lc_all, TRUE);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("WORDLOOM_LOCALEDIR");

  /* As app/wordloom.c does; WORDLOOM_LOCALEDIR points at the build tree's
   * catalogues (tests/ui/meson.build sets it). */
  g_assert_nonnull (localedir);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  ui_test_init (&argc, &argv);
  g_test_add_data_func ("/translation/zh_CN", &languages[0], test_language);
  g_test_add_data_func ("/translation/zh_TW", &languages[1], test_language);
  g_test_add_data_func ("/translation/C", &languages[2], test_language);
  return g_test_run ();
}
