/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wordloom.c: the desktop application's entry point. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "wl-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(WlApplication) app = NULL;
  const char *localedir = g_getenv ("WORDLOOM_LOCALEDIR");

  /* WORDLOOM_LOCALEDIR: catalogues of an uninstalled build (./run sets it). */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Wordloom"));
  app = wl_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
