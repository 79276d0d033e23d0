/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-application.c: app actions, shortcuts, style preference, opening files. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-application.h"
#include "wl-window.h"

struct _WlApplication
{
  AdwApplication  parent_instance;
  GSettings      *settings;
  char           *config_json;   /* --config FILE: settings for new windows */
};

G_DEFINE_FINAL_TYPE (WlApplication, wl_application, ADW_TYPE_APPLICATION)

static WlWindow *
get_window (WlApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (wl_window_new (self));
      if (self->config_json != NULL)
        {
          WlSession *session = wl_window_get_session (WL_WINDOW (window));

          /* Checked when it was read (handle_local_options). */
          wl_config_merge_json (wl_session_get_config (session), self->config_json, -1, NULL);
          wl_session_config_changed (session);
        }
    }
  return WL_WINDOW (window);
}

static void
wl_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (get_window (WL_APPLICATION (app))));
}

static void
wl_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  WlWindow *window = get_window (WL_APPLICATION (app));

  /* One data file per window: the last one given wins. */
  if (n_files > 0)
    wl_window_open_file (window, files[n_files - 1]);
  gtk_window_present (GTK_WINDOW (window));
}

static void
apply_style (WlApplication *self)
{
  g_autofree char *style = g_settings_get_string (self->settings, "style-variant");
  AdwColorScheme scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_strcmp0 (style, "light") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (style, "dark") == 0)
    scheme = ADW_COLOR_SCHEME_FORCE_DARK;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *developers[] = { "The Wordloom developers", NULL };
  WlApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", _("Wordloom"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Wordloom developers"),
                        "developers", developers,
                        "comments", _("Train text classifiers on your own data and watch your machine while it learns"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* Closing each window stops its run and saves its size. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static void
wl_application_startup (GApplication *app)
{
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.quit",               { "<Control>q", NULL } },
    { "win.open",               { "<Control>o", NULL } },
    { "win.save-model",         { "<Control>s", NULL } },
    { "win.train",              { "<Control>Return", "F5", NULL } },
    { "win.pause",              { "<Control>p", NULL } },
    { "win.stop",               { "<Control>period", NULL } },
    { "win.show-page('data')",      { "<Alt>1", NULL } },
    { "win.show-page('clean')",     { "<Alt>2", NULL } },
    { "win.show-page('model')",     { "<Alt>3", NULL } },
    { "win.show-page('train')",     { "<Alt>4", NULL } },
    { "win.show-page('resources')", { "<Alt>5", NULL } },
    { "win.show-page('results')",   { "<Alt>6", NULL } },
    { "win.show-page('runs')",      { "<Alt>7", NULL } },
    { "window.close",           { "<Control>w", NULL } },
  };
  static const GActionEntry entries[] = {
    { .name = "about", .activate = about_action },
    { .name = "quit", .activate = quit_action },
  };
  WlApplication *self = WL_APPLICATION (app);
  g_autoptr(GAction) style = NULL;

  G_APPLICATION_CLASS (wl_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  /* app.style-variant: "default" (follow the system), "light" or "dark". */
  style = g_settings_create_action (self->settings, "style-variant");
  g_action_map_add_action (G_ACTION_MAP (app), style);
  g_signal_connect_object (self->settings, "changed::style-variant",
                           G_CALLBACK (apply_style), self, G_CONNECT_SWAPPED);
  apply_style (self);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);
}

/* --config FILE: read and checked here, in the process that was started,
 * so that a mistake is reported on its terminal. */
static int
wl_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  WlApplication *self = WL_APPLICATION (app);
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;

  if (!g_variant_dict_lookup (options, "config", "^ay", &path))
    return -1;
  if (!g_file_get_contents (path, &json, NULL, &error) ||
      !wl_config_merge_json (config, json, -1, &error))
    {
      g_printerr ("wordloom: %s: %s\n", path, error->message);
      return 2;
    }
  g_free (self->config_json);
  self->config_json = g_steal_pointer (&json);
  return -1;
}

static void
wl_application_finalize (GObject *object)
{
  WlApplication *self = WL_APPLICATION (object);

  g_clear_object (&self->settings);
  g_free (self->config_json);
  G_OBJECT_CLASS (wl_application_parent_class)->finalize (object);
}

static void
wl_application_class_init (WlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = wl_application_finalize;
  app_class->activate = wl_application_activate;
  app_class->open = wl_application_open;
  app_class->handle_local_options = wl_application_handle_local_options;
  app_class->startup = wl_application_startup;
}

static void
wl_application_init (WlApplication *self)
{
  static const GOptionEntry options[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Start with the settings of this run config (JSON, as for wordloom-cli --config)"),
      N_("FILE") },
    { NULL }
  };

  self->settings = g_settings_new (APP_ID);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

WlApplication *
wl_application_new (void)
{
  return g_object_new (WL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/wordloom/Wordloom",
                       NULL);
}

GSettings *
wl_application_get_settings (WlApplication *self)
{
  g_return_val_if_fail (WL_IS_APPLICATION (self), NULL);
  return self->settings;
}
