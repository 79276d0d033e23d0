/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model-page.c: the Model page: model type, hyper-parameters, device,
 * validation and early stopping.
 *
 * Every row edits one setting of the session's config.  The engine's table
 * of settings (wl-settings.h) says which models use it, its range and its
 * unset value; a model setting left unset takes the model's default, which
 * the page asks the engine for (wl_model_resolve_config() on a copy), so
 * what the page shows is what the trainer will use.  The table below only
 * says which rows the page has and how it shows them.  Devices are listed
 * on a thread.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stddef.h>

#include "models/wl-model.h"
#include "wl-settings.h"
#include "widgets/wl-number-row.h"
#include "wl-dist-window.h"
#include "wl-model-page-private.h"

/* A row of the page: the engine's setting it edits (which gives its type,
 * range and the models that use it), and how the page shows it. */
typedef struct
{
  const char      *section;
  const char      *id;               /* the setting's key, and the row in the .ui */
  /* Replaces the setting's unset value with its default; NULL when the
   * default is simply a new config's value. */
  void           (*resolve) (WlConfig *config);
  double           scale;            /* shown = stored × scale */
  const WlSetting *setting;          /* looked up in class_init */
} Setting;

static void
resolve_threads (WlConfig *config)
{
  config->threads = wl_config_get_threads (config);
}

#define MODEL(id)              { "model", id, wl_model_resolve_config, 1.0, NULL }
#define PLAIN(section, id, scale) { section, id, NULL, scale, NULL }

static Setting settings[] = {
  MODEL ("epochs"),
  MODEL ("lr"),
  MODEL ("dim"),
  MODEL ("hidden"),
  MODEL ("layers"),
  PLAIN ("model", "bidirectional", 1.0),
  MODEL ("filters"),
  MODEL ("word_ngrams"),
  MODEL ("batch_size"),
  MODEL ("dropout"),
  MODEL ("max_length"),
  /* Advanced */
  MODEL ("min_count"),
  MODEL ("buckets"),
  MODEL ("l2"),
  PLAIN ("model", "sublinear_tf", 1.0),
  PLAIN ("model", "char_ngrams", 1.0),
  MODEL ("optimizer"),
  MODEL ("momentum"),   /* and only with SGD */
  MODEL ("weight_decay"),
  MODEL ("schedule"),
  MODEL ("warmup"),
  MODEL ("clip"),
  MODEL ("max_norm"),
  PLAIN ("model", "precision", 1.0),
  /* Device */
  { NULL, "threads", resolve_threads, 1.0, NULL },
  /* Validation and stopping */
  PLAIN ("data", "valid_fraction", 100.0),
  PLAIN ("data", "test_fraction", 100.0),
  PLAIN ("model", "early_stop_metric", 1.0),
  PLAIN ("model", "patience", 1.0),
  PLAIN ("model", "refit", 1.0),
  PLAIN ("data", "seed", 1.0),
};

#define M(type)  WL_MODEL_BIT (type)

/* In WlModelType order. */
static const struct
{
  const char *name;
  const char *description;
} models[] = {
  { N_("Linear"),
    N_("TF-IDF and logistic regression: trains in seconds, hard to beat on small data. Start here.") },
  { N_("Embedding bag"),
    N_("Averaged word and phrase vectors, as in fastText: about as fast as linear, compact on large data.") },
  { N_("MLP"),
    N_("Word vectors through hidden layers: slower, sometimes more accurate than a bag.") },
  { N_("TextCNN"),
    N_("Convolutions spot telling phrases anywhere in a text: slower, good with plenty of data.") },
  { N_("LSTM"),
    N_("A recurrent network that reads the words in order: the slowest; when order matters and data is plentiful.") },
  { N_("GRU"),
    N_("Like the LSTM with fewer weights: a little faster, usually as accurate.") },
};
G_STATIC_ASSERT (G_N_ELEMENTS (models) == WL_N_MODELS);


G_DEFINE_FINAL_TYPE (WlModelPage, wl_model_page, ADW_TYPE_BIN)

/* Fields */

static double
read_field (const WlConfig *config,
            const Setting  *s)
{
  return wl_setting_get_number (s->setting, config);
}

static void
write_field (WlConfig      *config,
             const Setting *s,
             double         value)
{
  wl_setting_set_number (s->setting, config, value);
}

/* Whether @value leaves the setting at its default (a new config's value;
 * for the doubles whose default is −1, any negative value). */
static gboolean
is_unset (WlModelPage   *self,
          const Setting *s,
          double         value)
{
  double unset = read_field (self->defaults, s);

  return value == unset || (unset < 0.0 && value < 0.0);
}

/* The value the trainer will use when the setting is left unset. */
static double
setting_default (WlModelPage   *self,
                 const Setting *s)
{
  g_autoptr(WlConfig) copy = NULL;

  if (s->resolve == NULL)
    return read_field (self->defaults, s);
  copy = wl_config_copy (wl_session_get_config (self->session));
  write_field (copy, s, read_field (self->defaults, s));
  s->resolve (copy);
  return read_field (copy, s);
}

static const Setting *
row_setting (gpointer row)
{
  return g_object_get_data (G_OBJECT (row), "wl-setting");
}

/* Refreshing the rows from the config */

static void
refresh_number (WlModelPage   *self,
                const Setting *s,
                WlNumberRow   *row)
{
  double value = read_field (wl_session_get_config (self->session), s);
  double def = setting_default (self, s);
  /* What the model sizes from the data stays unset after resolving. */
  gboolean from_data = s->resolve != NULL && is_unset (self, s, def);

  wl_number_row_set_default (row, def * s->scale, from_data ? _("sized from the data") : NULL);
  if (is_unset (self, s, value))
    wl_number_row_set_automatic (row, TRUE);
  else
    wl_number_row_set_value (row, value * s->scale);
}

/* Names a model-default choice after what it resolves to: "Default (Adam)". */
static void
refresh_choice_label (WlModelPage   *self,
                      const Setting *s,
                      AdwComboRow   *row)
{
  GtkStringList *list = GTK_STRING_LIST (adw_combo_row_get_model (row));
  guint unset = (guint) read_field (self->defaults, s);
  guint def = (guint) setting_default (self, s);
  g_autofree char *label = NULL;

  if (s->resolve == NULL || def == unset || def >= g_list_model_get_n_items (G_LIST_MODEL (list)))
    return;
  /* Translators: the first choice of a setting, with what it stands for:
   * "Default (Adam)" */
  label = g_strdup_printf (_("Default (%s)"), gtk_string_list_get_string (list, def));
  if (g_strcmp0 (gtk_string_list_get_string (list, unset), label) != 0)
    gtk_string_list_splice (list, unset, 1, (const char * const[]) { label, NULL });
}

static void
refresh_filter_widths (WlModelPage *self)
{
  const WlConfig *config = wl_session_get_config (self->session);
  g_autoptr(WlConfig) copy = wl_config_copy (config);
  const char *text = config->model.filter_widths ? config->model.filter_widths : "";

  g_clear_pointer (&copy->model.filter_widths, g_free);
  wl_model_resolve_config (copy);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->filter_widths_entry),
                                  copy->model.filter_widths);
  if (g_strcmp0 (gtk_editable_get_text (self->filter_widths_entry), text) != 0)
    gtk_editable_set_text (self->filter_widths_entry, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->filter_widths_entry), "error");
}

void
wl_model_page_refresh (WlModelPage *self)
{
  WlConfig *config = wl_session_get_config (self->session);
  g_autoptr(WlConfig) resolved = wl_config_copy (config);
  guint type = M (config->model.type);

  wl_model_resolve_config (resolved);
  self->updating = TRUE;

  adw_combo_row_set_selected (self->model_row, config->model.type);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->model_row),
                               _(models[config->model.type].description));
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      const Setting *s = &settings[i];
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      gboolean visible = (s->setting->models & type) != 0;

      if (g_str_equal (s->id, "momentum"))
        visible = visible && resolved->model.optimizer == WL_OPTIMIZER_SGD;
      gtk_widget_set_visible (row, visible);

      if (WL_IS_NUMBER_ROW (row))
        refresh_number (self, s, WL_NUMBER_ROW (row));
      else if (ADW_IS_COMBO_ROW (row))
        {
          refresh_choice_label (self, s, ADW_COMBO_ROW (row));
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), (guint) read_field (config, s));
        }
      else
        gtk_switch_set_active (GTK_SWITCH (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))),
                               read_field (config, s) != 0.0);
    }
  wl_model_page_refresh_test_file (self);

  gtk_widget_set_visible (GTK_WIDGET (self->filter_widths), config->model.type == WL_MODEL_TEXTCNN);
  refresh_filter_widths (self);
  wl_model_page_refresh_device (self, (wl_settings_find ("model", "device")->models & type) != 0);

  self->updating = FALSE;
}

/* Changes the user makes */

/* Tells the other pages, and shows the defaults that depend on the change. */
void
wl_model_page_commit (WlModelPage *self)
{
  wl_model_page_refresh (self);
  self->writing = TRUE;
  wl_session_config_changed (self->session);
  self->writing = FALSE;
}

static void
on_number_changed (WlNumberRow *row,
                   WlModelPage *self)
{
  const Setting *s = row_setting (row);
  WlConfig *config = wl_session_get_config (self->session);

  if (wl_number_row_get_automatic (row))
    write_field (config, s, read_field (self->defaults, s));
  else
    write_field (config, s, wl_number_row_get_value (row) / s->scale);
  wl_model_page_commit (self);
}

static void
on_choice_changed (AdwComboRow *row,
                   GParamSpec  *pspec,
                   WlModelPage *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->updating || selected == GTK_INVALID_LIST_POSITION)
    return;
  write_field (wl_session_get_config (self->session), row_setting (row), selected);
  wl_model_page_commit (self);
}

static void
on_switch_changed (GtkSwitch   *toggle,
                   GParamSpec  *pspec,
                   WlModelPage *self)
{
  if (self->updating)
    return;
  write_field (wl_session_get_config (self->session), row_setting (toggle),
               gtk_switch_get_active (toggle));
  wl_model_page_commit (self);
}

static void
on_model_selected (WlModelPage *self)
{
  guint selected = adw_combo_row_get_selected (self->model_row);

  if (self->updating || selected >= WL_N_MODELS)
    return;
  wl_session_get_config (self->session)->model.type = (WlModelType) selected;
  wl_model_page_commit (self);
}

static void
on_filter_widths_changed (WlModelPage *self)
{
  const char *text = gtk_editable_get_text (self->filter_widths_entry);
  WlConfig *config = wl_session_get_config (self->session);

  if (self->updating)
    return;
  if (*text != '\0' && wl_filter_widths_parse (text, (guint[WL_MAX_FILTER_WIDTHS]) { 0 }) == 0)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->filter_widths_entry), "error");
      return;
    }
  g_free (config->model.filter_widths);
  config->model.filter_widths = *text != '\0' ? g_strdup (text) : NULL;
  wl_model_page_commit (self);
}

static void
on_config_changed (WlModelPage *self)
{
  if (!self->writing)
    wl_model_page_refresh (self);
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  WlModelPage *self = WL_MODEL_PAGE (widget);
  WlConfig *config = wl_session_get_config (self->session);

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    write_field (config, &settings[i], read_field (self->defaults, &settings[i]));
  g_free (config->model.device);
  config->model.device = g_strdup (self->defaults->model.device);
  g_clear_pointer (&config->model.filter_widths, g_free);
  wl_model_page_commit (self);
}

/* "Train on Several Machines…": the mpirun command of the settings on
 * this page and the others (data, cleaning), as the run would have them. */
static void
several_machines_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  WlModelPage *self = WL_MODEL_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  WlDistWindow *window = wl_dist_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                             wl_session_get_config (self->session));

  gtk_window_present (GTK_WINDOW (window));
}

/* Life cycle */

static void
wl_model_page_dispose (GObject *object)
{
  WlModelPage *self = WL_MODEL_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  wl_model_page_advise_dispose (self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WL_TYPE_MODEL_PAGE);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (wl_model_page_parent_class)->dispose (object);
}

static void
wl_model_page_finalize (GObject *object)
{
  WlModelPage *self = WL_MODEL_PAGE (object);

  g_clear_object (&self->cancellable);
  wl_config_free (self->defaults);
  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->device_ids);
  g_ptr_array_unref (self->device_captions);
  g_free (self->device_notes);
  G_OBJECT_CLASS (wl_model_page_parent_class)->finalize (object);
}

static void
wl_model_page_class_init (WlModelPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wl_model_page_dispose;
  object_class->finalize = wl_model_page_finalize;

  g_type_ensure (WL_TYPE_NUMBER_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/wordloom/Wordloom/pages/wl-model-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WlModelPage, model_row);
  gtk_widget_class_bind_template_child (widget_class, WlModelPage, model_list);
  gtk_widget_class_bind_template_child (widget_class, WlModelPage, filter_widths);
  gtk_widget_class_bind_template_child (widget_class, WlModelPage, filter_widths_entry);
  gtk_widget_class_bind_template_child (widget_class, WlModelPage, device_row);
  gtk_widget_class_bind_template_child (widget_class, WlModelPage, device_list);
  gtk_widget_class_bind_template_child (widget_class, WlModelPage, device_spinner);
  /* The settings' rows, for gtk_widget_get_template_child() (the table
   * names each row once: a name bound twice breaks dispose_template) */
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      settings[i].setting = wl_settings_find (settings[i].section, settings[i].id);
      g_assert (settings[i].setting != NULL);
      gtk_widget_class_bind_template_child_full (widget_class, settings[i].id, FALSE, 0);
    }

  gtk_widget_class_install_action (widget_class, "model.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "model.several-machines", NULL,
                                   several_machines_action);
  wl_model_page_test_file_class_init (widget_class);
  wl_model_page_advise_class_init (widget_class);
}

static void
wl_model_page_init (WlModelPage *self)
{
  static GPtrArray *model_captions;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Nothing to use before measuring */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "model.use-advice", FALSE);
  self->defaults = wl_config_new ();
  self->rows = g_ptr_array_new ();
  self->device_ids = g_ptr_array_new_with_free_func (g_free);
  self->device_captions = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->listing = TRUE;

  if (g_once_init_enter (&model_captions))
    {
      GPtrArray *captions = g_ptr_array_new ();

      for (guint i = 0; i < WL_N_MODELS; i++)
        g_ptr_array_add (captions, (gpointer) _(models[i].description));
      g_once_init_leave (&model_captions, captions);
    }
  for (guint i = 0; i < WL_N_MODELS; i++)
    gtk_string_list_append (self->model_list, _(models[i].name));
  wl_model_page_set_factories (self->model_row, model_captions);
  wl_model_page_init_devices (self);

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      GtkWidget *row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                                  WL_TYPE_MODEL_PAGE,
                                                                  settings[i].id));
      GObject *target = G_OBJECT (row);

      g_assert (ADW_IS_ACTION_ROW (row));
      g_ptr_array_add (self->rows, row);
      if (WL_IS_NUMBER_ROW (row))
        {
          GtkAdjustment *adjustment =
            gtk_spin_button_get_adjustment (wl_number_row_get_spin_button (WL_NUMBER_ROW (row)));

          /* The engine's range, so that the page offers nothing it refuses. */
          gtk_adjustment_set_lower (adjustment, settings[i].setting->min * settings[i].scale);
          gtk_adjustment_set_upper (adjustment, settings[i].setting->max * settings[i].scale);
          g_signal_connect (row, "changed", G_CALLBACK (on_number_changed), self);
        }
      else if (ADW_IS_COMBO_ROW (row))
        g_signal_connect (row, "notify::selected", G_CALLBACK (on_choice_changed), self);
      else
        {
          target = G_OBJECT (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)));
          g_signal_connect (target, "notify::active", G_CALLBACK (on_switch_changed), self);
        }
      g_object_set_data (target, "wl-setting", (gpointer) &settings[i]);
    }
  self->test_fraction = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                                   WL_TYPE_MODEL_PAGE,
                                                                   "test_fraction"));
  g_signal_connect_swapped (self->model_row, "notify::selected",
                            G_CALLBACK (on_model_selected), self);
  g_signal_connect_swapped (self->filter_widths_entry, "changed",
                            G_CALLBACK (on_filter_widths_changed), self);
}

GtkWidget *
wl_model_page_new (WlSession *session)
{
  WlModelPage *self;

  g_return_val_if_fail (WL_IS_SESSION (session), NULL);

  self = g_object_new (WL_TYPE_MODEL_PAGE, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_swapped (session, "config-changed", G_CALLBACK (on_config_changed), self);
  wl_model_page_refresh (self);
  wl_model_page_list_devices (self);
  return GTK_WIDGET (self);
}
