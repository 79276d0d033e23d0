/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-cli.h: what the wordloom-cli commands share. */
#pragma once

#include <gio/gio.h>

#include "monitor/wl-monitor.h"
#include "store/wl-run-recorder.h"
#include "train/wl-classifier.h"
#include "train/wl-verdict.h"
#include "wl-config.h"

G_BEGIN_DECLS

/* Exit codes, as documented in the README. */
enum
{
  WL_CLI_EXIT_OK = 0,
  WL_CLI_EXIT_BAD_INPUT = 1,
  WL_CLI_EXIT_USAGE = 2,
  WL_CLI_EXIT_CANCELLED = 130,
};

/* Options that say how to read a CSV/TSV file; shared by train, eval and
 * predict.  Parsed into a WlDataConfig with wl_cli_data_options_apply(). */
typedef struct
{
  char    **text_columns;   /* repeatable, each may be a comma-separated list */
  char     *label_column;
  char     *separator;
  char     *quotes;
  char     *encoding;
  gboolean  no_header;
  gboolean  header;
  gboolean  skip_bad_rows;
} WlCliDataOptions;

GOptionGroup *wl_cli_data_options_group (WlCliDataOptions  *options);
gboolean      wl_cli_data_options_apply (WlCliDataOptions  *options,
                                         WlDataConfig      *data,
                                         GError           **error);
void          wl_cli_data_options_clear (WlCliDataOptions  *options);
/* Loads @path with the columns the model was trained on, the file's own
 * format detected, and @options on top.  On failure *@usage_error says
 * whether an option (not the file) was wrong. */
WlDataset    *wl_cli_load_for_model     (const WlClassifier *classifier,
                                         WlCliDataOptions  *options,
                                         const char        *path,
                                         gboolean           label_optional,
                                         gboolean          *usage_error,
                                         GError           **error);

/* Standard input, one text a line, handed to @func @batch lines at a
 * time (the last batch may be shorter or empty), so that output streams:
 * stdout is flushed after each full batch.  predict and tokenize. */
typedef gboolean (*WlCliBatchFunc) (const char * const  *texts,
                                    gsize                n,
                                    gpointer             data,
                                    GError             **error);
gboolean      wl_cli_read_stdin         (guint              batch,
                                         WlCliBatchFunc     func,
                                         gpointer           data,
                                         GError           **error);

/* Parses @argv with @context; on a usage error prints it with a hint and
 * returns FALSE. */
gboolean      wl_cli_parse              (GOptionContext    *context,
                                         const char        *command,
                                         int               *argc,
                                         char            ***argv);
int           wl_cli_usage_error        (const char        *command,
                                         const char        *format,
                                         ...) G_GNUC_PRINTF (2, 3);
int           wl_cli_fail               (const GError      *error);
gboolean      wl_cli_stderr_is_tty      (void);
/* The flags that the verdict's advice names (train/wl-verdict.h). */
extern const WlVerdictControls wl_cli_verdict_controls;
/* @str as a JSON string literal, quotes included. */
char         *wl_cli_json_string        (const char        *str);

/* train's flags for the engine's table of settings (wl-cli-settings.c).
 * The group is the context's main group; add the entries to it. */
typedef struct
{
  GPtrArray *given;     /* the flags given, in order */
  GPtrArray *help;
  GArray    *entries;   /* GOptionEntry, zero-terminated */
} WlCliSettingFlags;

GOptionGroup *wl_cli_setting_flags_init  (WlCliSettingFlags *flags);
const GOptionEntry *wl_cli_setting_flags_get_entries (WlCliSettingFlags *flags);
guint         wl_cli_setting_flags_count (WlCliSettingFlags *flags);
/* Sets each given flag's setting in @config, checked against the table. */
gboolean      wl_cli_setting_flags_apply (WlCliSettingFlags *flags,
                                          WlConfig          *config,
                                          GError           **error);
void          wl_cli_setting_flags_clear (WlCliSettingFlags *flags);

/* The run store (wl-cli-train-record.c).
 * train --resume ID: the run that goes on from its last checkpoint; when
 * *@output is NULL it gets the path the run was started with. */
WlRun        *wl_cli_train_resume       (WlStore           *store,
                                         gint64             id,
                                         char             **output,
                                         GError           **error);
/* Starts recording @run (@interval: seconds between checkpoints, < 0
 * automatic); with --json, says so in a first JSON line. */
WlRunRecorder *wl_cli_train_record      (WlStore           *store,
                                         WlRun             *run,
                                         gint64             resume_id,
                                         const char        *output,
                                         double             interval,
                                         gboolean           json,
                                         GError           **error);
/* A monitor that adds a resource sample to @recorder twice a second, on
 * the caller's main context, from now until it is freed. */
WlMonitor    *wl_cli_train_record_monitor (WlRunRecorder    *recorder);
/* After the run: the last writes; tells where the run is kept and how
 * to resume it.  Returns @status, or a failure of the store. */
int           wl_cli_train_record_end   (WlStore           *store,
                                         WlRunRecorder     *recorder,
                                         int                status,
                                         gboolean           json);

int           wl_cli_train              (int argc, char **argv);
int           wl_cli_eval               (int argc, char **argv);
int           wl_cli_predict            (int argc, char **argv);
int           wl_cli_inspect            (int argc, char **argv);
int           wl_cli_export             (int argc, char **argv);
int           wl_cli_tokenize           (int argc, char **argv);
int           wl_cli_devices            (int argc, char **argv);
int           wl_cli_advise             (int argc, char **argv);
/* train's --device auto and --threads auto: measures (wisdom in @store,
 * which may be NULL), sets what was chosen in @config and says why. */
gboolean      wl_cli_advise_resolve     (WlConfig          *config,
                                         WlStore           *store,
                                         gboolean           json,
                                         GError           **error);
int           wl_cli_runs               (int argc, char **argv);

G_END_DECLS
