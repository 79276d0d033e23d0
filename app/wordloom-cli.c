/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wordloom-cli.c: the command-line entry point; each command is in cli/. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cli/wl-cli.h"

static const struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "train", wl_cli_train, N_("Train a model on a labelled CSV/TSV file") },
  { "eval", wl_cli_eval, N_("Evaluate a model on a labelled file") },
  { "predict", wl_cli_predict, N_("Predict labels for new text") },
  { "inspect", wl_cli_inspect, N_("Show what a model file holds") },
  { "export", wl_cli_export, N_("Export a model as ONNX, safetensors or a model file; pruned, int8, compared") },
  { "tokenize", wl_cli_tokenize, N_("Print the ids an exported model takes for each text") },
  { "devices", wl_cli_devices, N_("List the devices a model can train on") },
  { "advise", wl_cli_advise, N_("Measure which device and threads train a model fastest") },
  { "runs", wl_cli_runs, N_("List, show, compare, export and delete recorded runs") },
};

static int
usage (int status)
{
  g_printerr (_("Usage: wordloom-cli COMMAND [OPTION…]\n\nCommands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_printerr ("  %-10s %s\n", commands[i].name, _(commands[i].summary));
  g_printerr (_("\n“wordloom-cli COMMAND --help” shows a command’s options.\n"));
  return status;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  /* WORDLOOM_LOCALEDIR: the catalogues of an uninstalled build. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("WORDLOOM_LOCALEDIR") ? g_getenv ("WORDLOOM_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("wordloom-cli");

  if (argc < 2)
    return usage (WL_CLI_EXIT_USAGE);
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    return usage (WL_CLI_EXIT_OK);
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("wordloom-cli %s\n", PACKAGE_VERSION);
      return WL_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  g_printerr (_("wordloom-cli: unknown command “%s”\n\n"), argv[1]);
  return usage (WL_CLI_EXIT_USAGE);
}
