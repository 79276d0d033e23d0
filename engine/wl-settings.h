/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-settings.h: the table of every setting of a run.
 *
 * One row per setting: where it lives in WlConfig, its type, the range a
 * given value must be in, the value that means "the default" (and what that
 * default is), the models that use it, its command-line flag and help.  The
 * JSON reader and writer, the CLI's flags and --help, the run's own check and
 * the Model page all read this table, so a setting is described and checked
 * in one place.
 */
#pragma once

#include "wl-config.h"

G_BEGIN_DECLS

typedef enum
{
  WL_SETTING_BOOL,
  WL_SETTING_UINT,
  WL_SETTING_UINT64,
  WL_SETTING_DOUBLE,
  WL_SETTING_STRING,
  WL_SETTING_STRV,
  WL_SETTING_UNICHAR,
  WL_SETTING_ENUM,      /* an int-sized enum named by @choices, in enum order */
} WlSettingType;

/* How an error names a setting: by its config key ("model.lr"), or by its
 * flag and its key ("--lr (model.lr)") when the command line may have set it. */
typedef enum
{
  WL_SETTING_NAME_KEY,
  WL_SETTING_NAME_FLAG,
} WlSettingName;

#define WL_MODEL_BIT(type)  (1u << (type))
#define WL_MODELS_ALL       (WL_MODEL_BIT (WL_N_MODELS) - 1)
#define WL_MODELS_NEURAL    (WL_MODEL_BIT (WL_MODEL_MLP) | WL_MODEL_BIT (WL_MODEL_TEXTCNN) | \
                             WL_MODEL_BIT (WL_MODEL_LSTM) | WL_MODEL_BIT (WL_MODEL_GRU))

/* The largest --threads: more than any current machine's hardware threads
 * (two 192-core CPUs with SMT have 768), and fixed rather than a multiple of
 * this machine's cores so that a stored run resumes on any machine. */
#define WL_MAX_THREADS 1024
/* textcnn: at most this many convolution widths, each from 1 to 64. */
#define WL_MAX_FILTER_WIDTHS 8

typedef struct
{
  const char          *section;   /* "data", "clean", "tokens", "model"; NULL: top level */
  const char          *key;
  WlSettingType        type;
  gsize                offset;    /* in WlConfig */
  const char * const  *choices;   /* WL_SETTING_ENUM: the names, NULL-terminated */
  /* Numbers: a given value is in [min, max], or is @unset, which stands for
   * the default that @unset_means describes. */
  double               min;
  double               max;
  double               unset;
  const char          *unset_means;  /* N_("0: the model's default"); NULL: no such value */
  guint                models;       /* WL_MODEL_BIT()s of the models that use it */
  const char          *flag;         /* long option of `train` without "--"; NULL: none */
  char                 short_flag;   /* its one-letter form, or 0 */
  const char          *arg;          /* the flag's argument in --help; NULL: a switch */
  const char          *help;         /* N_() */
  const char          *label;        /* N_(): its name in the window, "Learning rate" */
  /* Also takes "auto" (a number: WL_SETTING_AUTO): chosen by measuring
   * before the run (train/wl-advise.h); a run itself refuses it. */
  gboolean             takes_auto;
} WlSetting;

#define WL_SETTING_AUTO G_MAXUINT   /* "auto" in a WL_SETTING_UINT */

const WlSetting *wl_settings_get           (guint              *n_settings);
const WlSetting *wl_settings_find          (const char         *section,
                                            const char         *key);
const WlSetting *wl_settings_find_flag     (const char         *flag);
/* By its key path in the config's JSON: "model.lr", "threads"; NULL when
 * there is no such setting. */
const WlSetting *wl_settings_find_path     (const char         *path);
/* Its name as the window shows it, translated ("Learning rate"). */
const char      *wl_setting_get_label      (const WlSetting    *setting);

/* Whether @setting is "auto" in @config. */
gboolean         wl_setting_is_auto        (const WlSetting    *setting,
                                            const WlConfig     *config);
/* Fails naming the first setting still "auto": a run starts with none. */
gboolean         wl_config_check_resolved  (const WlConfig     *config,
                                            WlSettingName       name,
                                            GError            **error);

char            *wl_setting_get_name       (const WlSetting    *setting,
                                            WlSettingName       name);
gboolean         wl_setting_applies_to     (const WlSetting    *setting,
                                            WlModelType         type);
/* "mlp, textcnn, lstm and gru" */
char            *wl_setting_get_models     (const WlSetting    *setting);
/* The whole --help line: help, range and what the unset value means. */
char            *wl_setting_get_help       (const WlSetting    *setting);

/* A number setting's value as a double (booleans 0/1, enums their index),
 * and setting it (no check: see wl_setting_check()). */
double           wl_setting_get_number     (const WlSetting    *setting,
                                            const WlConfig     *config);
void             wl_setting_set_number     (const WlSetting    *setting,
                                            WlConfig           *config,
                                            double              value);
/* Whether the setting holds the value a new config has. */
gboolean         wl_setting_is_default     (const WlSetting    *setting,
                                            const WlConfig     *config);

/* The setting's value in @config is in range and finite. */
gboolean         wl_setting_check          (const WlSetting    *setting,
                                            const WlConfig     *config,
                                            WlSettingName       name,
                                            GError            **error);
/* Sets the setting from a flag's text ("0.5", "adam", "3,4,5"), checked. */
gboolean         wl_setting_parse          (const WlSetting    *setting,
                                            WlConfig           *config,
                                            const char         *text,
                                            GError            **error);

/* Every setting in range, none given to a model that does not use it (a
 * value equal to the default counts as not given), and the settings that
 * depend on each other agree. */
gboolean         wl_config_validate        (const WlConfig     *config,
                                            WlSettingName       name,
                                            GError            **error);
/* Puts the settings that the config's model does not use back to their
 * default, for a window whose hidden rows keep another model's values. */
void             wl_config_drop_unused     (WlConfig           *config);

/* textcnn's convolution widths, "3,4,5", into @widths (room for
 * WL_MAX_FILTER_WIDTHS); returns how many, 0 when @text is not such a list. */
guint            wl_filter_widths_parse    (const char         *text,
                                            guint              *widths);

G_END_DECLS
