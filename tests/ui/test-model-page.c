/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-model-page.c: the Model page edits the session's config. */
#include <string.h>

#include "ui-test-util.h"

#include "compute/wl-backend.h"
#include "models/wl-model.h"
#include "widgets/wl-advice-chart.h"
#include "pages/wl-dist-window.h"
#include "widgets/wl-number-row.h"
#include "wl-settings.h"

typedef struct
{
  WlWindow  *window;
  WlSession *session;
  WlConfig  *config;
  GtkWidget *page;
  guint      n_changes;   /* ::config-changed emissions */
} Fixture;

static void
on_config_changed (Fixture *f)
{
  f->n_changes++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->window = ui_test_window_new ();
  f->session = wl_window_get_session (f->window);
  f->config = wl_session_get_config (f->session);
  f->page = wl_window_get_page (f->window, "model");
  g_assert_nonnull (f->page);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-page", "s", "model"));
  g_signal_connect_swapped (f->session, "config-changed", G_CALLBACK (on_config_changed), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->session, f);
  gtk_window_destroy (GTK_WINDOW (f->window));
}

static GtkWidget *
find (Fixture    *f,
      GType       type,
      const char *id)
{
  GtkWidget *widget = ui_test_find_widget (f->page, type, id);

  g_assert_nonnull (widget);
  return widget;
}

static WlNumberRow *
number_row (Fixture    *f,
            const char *id)
{
  return WL_NUMBER_ROW (find (f, WL_TYPE_NUMBER_ROW, id));
}

static gboolean
visible (Fixture    *f,
         const char *id)
{
  return gtk_widget_get_visible (find (f, GTK_TYPE_WIDGET, id));
}

/* The engine's default of a model setting, as the trainer would fill it. */
static WlConfig *
resolved (Fixture *f)
{
  WlConfig *copy = wl_config_copy (f->config);

  wl_model_resolve_config (copy);
  return copy;
}

static void
select_model (Fixture     *f,
              WlModelType  type)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (f, ADW_TYPE_COMBO_ROW, "model_row")), type);
  g_assert_cmpint (f->config->model.type, ==, type);
}

static void
test_model_type (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(WlConfig) linear = NULL;
  g_autoptr(WlConfig) textcnn = NULL;
  g_autofree char *expected = NULL;

  /* A new config trains the linear model: its own rows, its own defaults. */
  g_assert_cmpint (f->config->model.type, ==, WL_MODEL_LINEAR);
  linear = resolved (f);
  g_assert_true (visible (f, "l2"));
  g_assert_true (visible (f, "word_ngrams"));
  g_assert_false (visible (f, "filters"));
  g_assert_false (visible (f, "hidden"));
  g_assert_false (visible (f, "batch_size"));
  g_assert_true (wl_number_row_get_automatic (number_row (f, "epochs")));
  g_assert_cmpfloat (wl_number_row_get_value (number_row (f, "epochs")), ==, linear->model.epochs);
  g_assert_cmpfloat (wl_number_row_get_value (number_row (f, "lr")), ==, linear->model.lr);
  expected = g_strdup_printf ("Default: %u.", linear->model.epochs);
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (number_row (f, "epochs"))),
                                   expected));
  ui_test_shot (GTK_WIDGET (f->window), "model-linear");

  select_model (f, WL_MODEL_TEXTCNN);
  g_assert_cmpuint (f->n_changes, ==, 1);
  textcnn = resolved (f);
  g_assert_true (visible (f, "filters"));
  g_assert_true (visible (f, "filter_widths"));
  g_assert_true (visible (f, "dropout"));
  g_assert_false (visible (f, "l2"));
  g_assert_false (visible (f, "hidden"));
  g_assert_false (visible (f, "bidirectional"));
  /* Adam by default: no momentum */
  g_assert_false (visible (f, "momentum"));
  g_assert_cmpfloat (wl_number_row_get_value (number_row (f, "filters")), ==, textcnn->model.filters);
  g_assert_cmpfloat (wl_number_row_get_value (number_row (f, "lr")), ==, textcnn->model.lr);
  g_assert_cmpstr (gtk_entry_get_placeholder_text (GTK_ENTRY (find (f, GTK_TYPE_ENTRY,
                                                                    "filter_widths_entry"))),
                   ==, textcnn->model.filter_widths);

  select_model (f, WL_MODEL_GRU);
  g_assert_true (visible (f, "bidirectional"));
  g_assert_true (visible (f, "hidden"));
  g_assert_false (visible (f, "filters"));

  /* The embedding bag sizes its hash buckets from the data; its epochs
   * are a maximum like every model's. */
  select_model (f, WL_MODEL_EMBEDDING_BAG);
  g_assert_true (visible (f, "buckets"));
  g_assert_true (visible (f, "dim"));
  g_assert_cmpfloat (wl_number_row_get_value (number_row (f, "buckets")), ==, 0.0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (wl_number_row_get_spin_button (number_row (f, "buckets")))),
                   ==, "Auto");
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (number_row (f, "buckets"))),
                                   "Default: sized from the data."));
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (number_row (f, "epochs"))),
                                   "Default: 50."));
}

/* The page holds no table of its own: each row is shown for the models that
 * the engine's table says use its setting, and offers the engine's range. */
static void
test_rows_from_engine_table (Fixture       *f,
                             gconstpointer  data)
{
  guint n, n_rows = 0;
  const WlSetting *settings = wl_settings_get (&n);

  for (guint t = 0; t < WL_N_MODELS; t++)
    {
      select_model (f, t);
      /* Momentum is sgd's: show it too. */
      if (wl_setting_applies_to (wl_settings_find ("model", "momentum"), t))
        {
          f->config->model.optimizer = WL_OPTIMIZER_SGD;
          wl_session_config_changed (f->session);
        }
      for (guint i = 0; i < n; i++)
        {
          const WlSetting *s = &settings[i];
          GtkWidget *row = ui_test_find_widget (f->page, ADW_TYPE_PREFERENCES_ROW, s->key);

          if (row == NULL)
            continue;
          n_rows++;
          if (gtk_widget_get_visible (row) != wl_setting_applies_to (s, t))
            g_error ("%s: the row of “%s” is %s", wl_model_type_to_string (t), s->key,
                     gtk_widget_get_visible (row) ? "shown" : "hidden");
          if (WL_IS_NUMBER_ROW (row))
            {
              GtkAdjustment *adjustment =
                gtk_spin_button_get_adjustment (wl_number_row_get_spin_button (WL_NUMBER_ROW (row)));
              double scale = g_str_has_suffix (s->key, "_fraction") ? 100.0 : 1.0;

              g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), ==, s->max * scale);
              g_assert_cmpfloat (gtk_adjustment_get_lower (adjustment), ==, s->min * scale);
            }
        }
    }
  /* Every row the page has was checked, for every model. */
  g_assert_cmpuint (n_rows, ==, WL_N_MODELS * 32);
}

static void
test_number_lands_in_config (Fixture       *f,
                             gconstpointer  data)
{
  WlNumberRow *epochs = number_row (f, "epochs");
  WlNumberRow *valid = number_row (f, "valid_fraction");
  GtkSpinButton *spin = wl_number_row_get_spin_button (epochs);
  GtkWidget *reset, *entry;

  gtk_spin_button_set_value (spin, 7);
  g_assert_cmpuint (f->config->model.epochs, ==, 7);
  g_assert_false (wl_number_row_get_automatic (epochs));
  g_assert_cmpuint (f->n_changes, ==, 1);

  /* Typed text goes through the row's parser. */
  gtk_editable_set_text (GTK_EDITABLE (spin), "12");
  gtk_spin_button_update (spin);
  g_assert_cmpuint (f->config->model.epochs, ==, 12);

  /* The row's undo button brings the model's default back. */
  reset = gtk_widget_get_prev_sibling (GTK_WIDGET (spin));
  g_assert_true (GTK_IS_BUTTON (reset));
  g_assert_true (gtk_widget_get_visible (reset));
  g_signal_emit_by_name (reset, "clicked");
  g_assert_cmpuint (f->config->model.epochs, ==, 0);
  g_assert_true (wl_number_row_get_automatic (epochs));
  g_assert_false (gtk_widget_get_visible (reset));

  /* Shares are shown in percent and stored as fractions. */
  g_assert_cmpfloat (wl_number_row_get_value (valid), ==, f->config->data.valid_fraction * 100);
  gtk_spin_button_set_value (wl_number_row_get_spin_button (valid), 25);
  g_assert_cmpfloat_with_epsilon (f->config->data.valid_fraction, 0.25, 1e-12);

  /* A double whose default is "unset" (−1) takes an explicit 0. */
  select_model (f, WL_MODEL_MLP);
  gtk_spin_button_set_value (wl_number_row_get_spin_button (number_row (f, "dropout")), 0.0);
  g_assert_cmpfloat (f->config->model.dropout, ==, 0.0);

  /* Choices and switches land too; SGD shows its momentum. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (f, ADW_TYPE_COMBO_ROW, "optimizer")),
                              WL_OPTIMIZER_SGD);
  g_assert_cmpint (f->config->model.optimizer, ==, WL_OPTIMIZER_SGD);
  g_assert_true (visible (f, "momentum"));
  /* Adadelta has no momentum, and a default learning rate of its own. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (f, ADW_TYPE_COMBO_ROW, "optimizer")),
                              WL_OPTIMIZER_ADADELTA);
  g_assert_cmpint (f->config->model.optimizer, ==, WL_OPTIMIZER_ADADELTA);
  g_assert_false (visible (f, "momentum"));
  g_assert_true (wl_number_row_get_automatic (number_row (f, "lr")));
  g_assert_cmpfloat (wl_number_row_get_value (number_row (f, "lr")), ==, 1.0);
  select_model (f, WL_MODEL_LSTM);
  gtk_switch_set_active (GTK_SWITCH (find (f, GTK_TYPE_SWITCH, "bidirectional_switch")), TRUE);
  g_assert_true (f->config->model.bidirectional);

  /* Filter widths: a valid list lands, a broken one is marked and kept out. */
  entry = find (f, GTK_TYPE_ENTRY, "filter_widths_entry");
  gtk_editable_set_text (GTK_EDITABLE (entry), "2,3");
  g_assert_cmpstr (f->config->model.filter_widths, ==, "2,3");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  gtk_editable_insert_text (GTK_EDITABLE (entry), ",x", -1, &(int) { 3 });
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "2,3,x");
  g_assert_cmpstr (f->config->model.filter_widths, ==, "2,3");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
}

static gboolean
devices_listed (gpointer data)
{
  Fixture *f = data;
  GtkWidget *row = find (f, ADW_TYPE_COMBO_ROW, "device_row");

  return !gtk_widget_get_visible (find (f, GTK_TYPE_SPINNER, "device_spinner")) &&
         g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (row))) > 0;
}

static void
test_devices (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) devices = wl_backend_list_training_devices (&notes);
  AdwComboRow *row = ADW_COMBO_ROW (find (f, ADW_TYPE_COMBO_ROW, "device_row"));
  GListModel *items;
  guint last = devices->len - 1;

  g_assert_true (ui_test_wait_until (devices_listed, f, 5000));
  items = adw_combo_row_get_model (row);
  /* The CPU once, and whatever OpenCL has */
  g_assert_cmpuint (devices->len, >=, 1);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, devices->len);
  {
    g_autoptr(GtkStringObject) first = g_list_model_get_item (items, 0);
    g_autofree char *cpu = g_strdup_printf ("CPU, %u thread%s", g_get_num_processors (),
                                            g_get_num_processors () == 1 ? "" : "s");

    g_assert_cmpstr (gtk_string_object_get_string (first), ==, cpu);
  }

  /* The linear model runs on the CPU only. */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (row)));
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);

  select_model (f, WL_MODEL_MLP);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (row)));
  adw_combo_row_set_selected (row, last);
  g_assert_cmpstr (f->config->model.device, ==,
                   ((WlDeviceInfo *) g_ptr_array_index (devices, last))->id);
  ui_test_shot (GTK_WIDGET (f->window), "model-mlp");

  /* Threads: 0 is every core, shown as their number. */
  g_assert_cmpfloat (wl_number_row_get_value (number_row (f, "threads")), ==,
                     wl_config_get_threads (f->config));
  gtk_spin_button_set_value (wl_number_row_get_spin_button (number_row (f, "threads")), 1);
  g_assert_cmpuint (f->config->threads, ==, 1);
}

static void
test_reset (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(WlConfig) fresh = wl_config_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  select_model (f, WL_MODEL_TEXTCNN);
  before = wl_config_to_json (f->config, FALSE);
  gtk_spin_button_set_value (wl_number_row_get_spin_button (number_row (f, "epochs")), 9);
  gtk_spin_button_set_value (wl_number_row_get_spin_button (number_row (f, "filters")), 50);
  gtk_spin_button_set_value (wl_number_row_get_spin_button (number_row (f, "patience")), 0);
  gtk_spin_button_set_value (wl_number_row_get_spin_button (number_row (f, "seed")), 7);
  gtk_spin_button_set_value (wl_number_row_get_spin_button (number_row (f, "test_fraction")), 30);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (f, ADW_TYPE_COMBO_ROW, "precision")),
                              WL_PRECISION_BF16);
  gtk_editable_set_text (GTK_EDITABLE (find (f, GTK_TYPE_ENTRY, "filter_widths_entry")), "2");
  g_assert_cmpuint (f->config->model.filters, ==, 50);
  g_assert_cmpuint (f->config->data.seed, ==, 7);

  g_assert_true (gtk_widget_activate_action (f->page, "model.reset", NULL));
  /* Everything is back, and the model type stays. */
  after = wl_config_to_json (f->config, FALSE);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (f->config->model.type, ==, WL_MODEL_TEXTCNN);
  g_assert_cmpuint (f->config->model.filters, ==, fresh->model.filters);
  g_assert_cmpuint (f->config->model.patience, ==, fresh->model.patience);
  g_assert_null (f->config->model.filter_widths);
  g_assert_true (wl_number_row_get_automatic (number_row (f, "epochs")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (f, GTK_TYPE_ENTRY,
                                                              "filter_widths_entry"))), ==, "");
}

static void
test_config_from_elsewhere (Fixture       *f,
                            gconstpointer  data)
{
  /* Another page (or a loaded config) changes the config: the page follows
   * without writing back. */
  f->config->model.type = WL_MODEL_LSTM;
  f->config->model.hidden = 96;
  f->config->data.valid_fraction = 0.3;
  wl_session_config_changed (f->session);
  g_assert_cmpuint (f->n_changes, ==, 1);

  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find (f, ADW_TYPE_COMBO_ROW,
                                                                     "model_row"))),
                    ==, WL_MODEL_LSTM);
  g_assert_true (visible (f, "bidirectional"));
  g_assert_cmpfloat (wl_number_row_get_value (number_row (f, "hidden")), ==, 96);
  g_assert_false (wl_number_row_get_automatic (number_row (f, "hidden")));
  g_assert_cmpfloat_with_epsilon (wl_number_row_get_value (number_row (f, "valid_fraction")),
                                  30, 1e-9);
  g_assert_cmpuint (f->config->model.hidden, ==, 96);
}

typedef struct
{
  GtkWidget *window;
  int        width;
  int        height;
} Size;

static gboolean
has_size (gpointer data)
{
  Size *size = data;

  /* the default size counts the decorations' shadow, the widget does not */
  return ABS (gtk_widget_get_width (size->window) - size->width) <= 20 &&
         ABS (gtk_widget_get_height (size->window) - size->height) <= 20;
}

static void
resize (Fixture *f,
        int      width,
        int      height)
{
  Size size = { GTK_WIDGET (f->window), width, height };

  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  g_assert_true (ui_test_wait_until (has_size, &size, 5000));
}

/* The end of the page, for looking at it. */
static void
scroll_shot (Fixture    *f,
             const char *name)
{
  GtkAdjustment *adjustment =
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (find (f, GTK_TYPE_SCROLLED_WINDOW, NULL)));

  if (g_getenv ("WL_UI_SHOTS") == NULL)
    return;
  ui_test_run_for (100);   /* let the page take its new size */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  ui_test_shot (GTK_WIDGET (f->window), name);
  gtk_adjustment_set_value (adjustment, 0);
}

static void
test_small_window (Fixture       *f,
                   gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  int minimum;

  /* Every model's rows fit the window's smallest width (640). */
  for (WlModelType type = 0; type < WL_N_MODELS; type++)
    {
      select_model (f, type);
      gtk_widget_measure (f->page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      g_assert_cmpint (minimum, <=, 640);
    }

  /* For looking at the page with WL_UI_SHOTS=DIR: 800×600 and large,
   * light and dark, top and bottom, with the advanced settings open. */
  select_model (f, WL_MODEL_LSTM);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find (f, ADW_TYPE_EXPANDER_ROW, "advanced_row")),
                                 TRUE);
  resize (f, 800, 600);
  ui_test_shot (GTK_WIDGET (f->window), "model-800x600-light");
  scroll_shot (f, "model-800x600-light-end");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_shot (GTK_WIDGET (f->window), "model-800x600-dark");
  resize (f, 1400, 900);
  ui_test_shot (GTK_WIDGET (f->window), "model-1400x900-dark");
  scroll_shot (f, "model-1400x900-dark-end");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static WlDistWindow *
find_dist_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (WL_IS_DIST_WINDOW (window))
        return WL_DIST_WINDOW (window);
    }
  return NULL;
}

typedef struct
{
  GtkLabel   *label;
  const char *text;
} LabelHas;

static gboolean
label_has (gpointer data)
{
  LabelHas *has = data;

  return strstr (gtk_label_get_label (has->label), has->text) != NULL;
}

/* "Train on Several Machines…" opens a window with the engine's mpirun
 * command for the session's settings, and a hostfile that follows the
 * processes and machines asked for. */
static void
test_several_machines (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("wl-dist-XXXXXX", NULL);
  g_autofree char *saved = g_build_filename (dir, "my hosts", NULL);
  g_autofree char *contents = NULL;
  WlDistWindow *window;
  GtkLabel *command, *hostfile;
  LabelHas has;

  g_free (f->config->data.input);
  f->config->data.input = g_strdup ("/shared/data set.csv");
  select_model (f, WL_MODEL_MLP);
  g_assert_null (find_dist_window ());
  g_assert_true (gtk_widget_activate_action (f->page, "model.several-machines", NULL));
  window = find_dist_window ();
  g_assert_nonnull (window);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (window)) == GTK_WINDOW (f->window));
  command = GTK_LABEL (ui_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LABEL, "command_label"));
  hostfile = GTK_LABEL (ui_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LABEL, "hostfile_label"));

  /* The model and the input, quoted for a shell. */
  g_assert_cmpstr (gtk_label_get_label (command), ==,
                   "mpirun -n 2 --hostfile hostfile wordloom-cli train --input '/shared/data set.csv' "
                   "--output '/shared/data set.wlm' --model mlp");
  g_assert_nonnull (strstr (gtk_label_get_label (hostfile), "\nnode1 slots=1\nnode2 slots=1\n"));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ui_test_find_widget (GTK_WIDGET (window),
                                                                   GTK_TYPE_SPIN_BUTTON,
                                                                   "processes_spin")), 3);
  g_assert_nonnull (strstr (gtk_label_get_label (command), "mpirun -n 3 "));
  g_assert_nonnull (strstr (gtk_label_get_label (hostfile), "node1 slots=2\nnode2 slots=1\n"));

  /* Saved, the hostfile is named by its path. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "dist.save-hostfile-to", "s", saved));
  has = (LabelHas) { command, saved };
  g_assert_true (ui_test_wait_until (label_has, &has, 5000));
  g_assert_true (g_file_get_contents (saved, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, gtk_label_get_label (hostfile));

  if (g_getenv ("WL_UI_SHOTS") != NULL)
    ui_test_run_for (500);   /* drawn once */
  ui_test_shot (GTK_WIDGET (window), "dist-window-light");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  ui_test_shot (GTK_WIDGET (window), "dist-window-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* No machines: every process on this computer, no hostfile. */
  gtk_editable_set_text (GTK_EDITABLE (ui_test_find_widget (GTK_WIDGET (window), GTK_TYPE_ENTRY,
                                                            "hosts_entry")), "");
  g_assert_null (strstr (gtk_label_get_label (command), "--hostfile"));
  g_assert_null (strstr (gtk_label_get_label (hostfile), "slots="));

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_remove (saved);
}

/* The Test File row sets data.test_input, which the stored config
 * (its JSON) carries; the test share row is insensitive meanwhile, and
 * the clear button takes the file away again. */
static void
test_test_file (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = ui_test_write_csv (30);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *json = NULL;
  AdwActionRow *row = ADW_ACTION_ROW (find (f, ADW_TYPE_ACTION_ROW, "test_file_row"));
  GtkWidget *share = find (f, WL_TYPE_NUMBER_ROW, "test_fraction");
  GtkWidget *clear = find (f, GTK_TYPE_BUTTON, "test_file_clear");
  guint n_changes = f->n_changes;

  g_assert_null (f->config->data.test_input);
  g_assert_true (gtk_widget_get_sensitive (share));
  g_assert_false (gtk_widget_get_sensitive (clear));

  g_assert_true (gtk_widget_activate_action (f->page, "model.set-test-file", "s", path));
  g_assert_cmpstr (f->config->data.test_input, ==, path);
  g_assert_cmpuint (f->n_changes, ==, n_changes + 1);
  g_assert_false (gtk_widget_get_sensitive (share));
  g_assert_true (gtk_widget_get_sensitive (clear));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, name);
  json = wl_config_to_json (f->config, FALSE);
  g_assert_nonnull (strstr (json, "\"test_input\""));
  g_assert_nonnull (strstr (json, name));
  if (g_getenv ("WL_UI_SHOTS") != NULL)
    {
      ui_test_run_for (300);
      ui_test_shot (gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_PREFERENCES_GROUP),
                    "model-test-file");
    }

  g_assert_true (gtk_widget_activate_action (f->page, "model.clear-test-file", NULL));
  g_assert_null (f->config->data.test_input);
  g_assert_true (gtk_widget_get_sensitive (share));
  g_assert_false (gtk_widget_get_sensitive (clear));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), !=, name);
  ui_test_remove (path);
}

static gboolean
device_has_id (gconstpointer info,
               gconstpointer id)
{
  return g_str_equal (((const WlDeviceInfo *) info)->id, id);
}

static gboolean
advised (gpointer data)
{
  Fixture *f = data;

  return g_str_equal (gtk_button_get_label (GTK_BUTTON (find (f, GTK_TYPE_BUTTON, "advise_button"))),
                      "Measure") &&
         wl_advice_chart_get_n_bars (WL_ADVICE_CHART (find (f, WL_TYPE_ADVICE_CHART,
                                                           "advise_chart"))) > 0;
}

/* "Which Is Faster?" asks for a data file first; with one, it measures on
 * a worker, draws a bar for every candidate the engine measured (the
 * larger batch sizes among them), and "Use This" sets the device, threads
 * and batch size it picked. */
static void
test_which_is_faster (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = ui_test_write_csv (300);
  g_autoptr(GPtrArray) devices = wl_backend_list_training_devices (NULL);
  GtkWidget *summary = find (f, GTK_TYPE_LABEL, "advise_summary");
  WlAdviceChart *chart = WL_ADVICE_CHART (find (f, WL_TYPE_ADVICE_CHART, "advise_chart"));
  guint n_threads = 0, found;

  select_model (f, WL_MODEL_MLP);
  g_assert_false (gtk_widget_activate_action (f->page, "model.use-advice", NULL) &&
                  f->config->threads != 0);
  g_assert_true (gtk_widget_activate_action (f->page, "model.advise", NULL));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (summary)), "Open a data file first"));

  f->config->data.input = g_strdup (path);
  wl_session_config_changed (f->session);
  g_assert_true (gtk_widget_activate_action (f->page, "model.advise", NULL));
  g_assert_true (ui_test_wait_until (advised, f, 120000));
  /* The CPU at 1, 2, 4 … and all threads, the other devices, and the
   * fastest at twice and four times the batch size. */
  for (guint t = 1; t < g_get_num_processors (); t *= 2)
    n_threads++;
  g_assert_cmpuint (wl_advice_chart_get_n_bars (chart), >=, n_threads + 1 + 2);
  g_assert_cmpuint (wl_advice_chart_get_n_bars (chart), <=, n_threads + devices->len * 3 + 2);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (summary)), "about"));
  ui_test_shot (GTK_WIDGET (f->window), "model-which-is-faster");

  g_assert_true (gtk_widget_activate_action (f->page, "model.use-advice", NULL));
  g_assert_cmpuint (f->config->threads, >=, 1);
  g_assert_cmpuint (f->config->threads, <=, g_get_num_processors ());
  g_assert_true (g_ptr_array_find_with_equal_func (devices, f->config->model.device,
                                                   device_has_id, &found));
  /* The mlp's own batch size (the default, 0), or one twice or four times it. */
  g_assert_true (f->config->model.batch_size == 0 || f->config->model.batch_size == 64 ||
                 f->config->model.batch_size == 128);
  ui_test_remove (path);
}

/* "title" and "pick" notify when they change, and only then: setting the
 * same value again, through the setter or g_object_set(), neither notifies
 * nor paints; another pick notifies once and is drawn. */
static void
test_advice_chart_properties (void)
{
  GtkWidget *window = gtk_window_new ();
  WlAdviceChart *chart = WL_ADVICE_CHART (wl_advice_chart_new ());
  const char *names[3] = { "CPU, 1 thread", "CPU, 2 threads", "CPU, 4 threads" };
  double preprocess[3] = { 2, 1.5, 1 }, train[3] = { 20, 11, 7 };
  guint title = 0, pick = 0, frames;
  g_autofree char *got = NULL;

  wl_advice_chart_set_bars (chart, names, preprocess, train, 3, 2);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (chart, "notify::title", G_CALLBACK (ui_test_count_notify), &title);
  g_signal_connect (chart, "notify::pick", G_CALLBACK (ui_test_count_notify), &pick);
  /* New bars with the same pick: the pick is not "changed". */
  wl_advice_chart_set_bars (chart, names, preprocess, train, 3, 2);
  g_assert_cmpuint (pick, ==, 0);
  ui_test_count_frames (GTK_WIDGET (chart), &frames);

  wl_advice_chart_set_title (chart, "Projected time");
  wl_advice_chart_set_title (chart, "Projected time");
  g_object_set (chart, "title", "Projected time", NULL);
  g_assert_cmpuint (title, ==, 1);
  g_object_get (chart, "title", &got, NULL);
  g_assert_cmpstr (got, ==, "Projected time");

  wl_advice_chart_set_pick (chart, 2);
  wl_advice_chart_set_pick (chart, 2);
  g_object_set (chart, "pick", 2u, NULL);
  g_assert_cmpuint (pick, ==, 0);
  ui_test_run_for (300);
  g_assert_cmpuint (frames, ==, 0);

  g_object_set (chart, "pick", 1u, NULL);
  g_assert_cmpuint (pick, ==, 1);
  g_assert_cmpuint (wl_advice_chart_get_pick (chart), ==, 1);
  ui_test_run_for (300);
  g_assert_cmpuint (frames, >=, 1);
  g_assert_cmpuint (title, ==, 1);
  ui_test_stop_counting_frames (GTK_WIDGET (chart), &frames);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  ui_test_init (&argc, &argv);
  g_test_add_func ("/advice-chart/properties", test_advice_chart_properties);
  g_test_add ("/model-page/model-type", Fixture, NULL, fixture_set_up, test_model_type,
              fixture_tear_down);
  g_test_add ("/model-page/rows-from-engine-table", Fixture, NULL, fixture_set_up,
              test_rows_from_engine_table, fixture_tear_down);
  g_test_add ("/model-page/number", Fixture, NULL, fixture_set_up, test_number_lands_in_config,
              fixture_tear_down);
  g_test_add ("/model-page/devices", Fixture, NULL, fixture_set_up, test_devices,
              fixture_tear_down);
  g_test_add ("/model-page/which-is-faster", Fixture, NULL, fixture_set_up, test_which_is_faster,
              fixture_tear_down);
  g_test_add ("/model-page/reset", Fixture, NULL, fixture_set_up, test_reset, fixture_tear_down);
  g_test_add ("/model-page/test-file", Fixture, NULL, fixture_set_up, test_test_file,
              fixture_tear_down);
  g_test_add ("/model-page/config-from-elsewhere", Fixture, NULL, fixture_set_up,
              test_config_from_elsewhere, fixture_tear_down);
  g_test_add ("/model-page/small-window", Fixture, NULL, fixture_set_up, test_small_window,
              fixture_tear_down);
  g_test_add ("/model-page/several-machines", Fixture, NULL, fixture_set_up, test_several_machines,
              fixture_tear_down);
  return g_test_run ();
}
