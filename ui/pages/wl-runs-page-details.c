/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-runs-page-details.c: the Runs page's selected run: its settings, data,
 * machine, timings and scores, read from the store on a thread, and the
 * buttons that act on it (wl-runs-page-actions.c). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "pages/wl-run-format.h"
#include "pages/wl-runs-page-private.h"
#include "pages/wl-store-job.h"
#include "store/wl-run-recorder.h"
#include "wl-format.h"
#include "wl-settings.h"
#include "wl-stage-label.h"

/* What the details show besides the record. */
typedef struct
{
  WlRunRecord        *record;
  WlCheckpointRecord *best;
  WlCheckpointRecord *last;
  GArray             *stages;    /* WlStageRecord */
} Details;

static void
details_free (Details *details)
{
  g_clear_pointer (&details->record, wl_run_record_free);
  g_clear_pointer (&details->best, wl_checkpoint_record_free);
  g_clear_pointer (&details->last, wl_checkpoint_record_free);
  g_clear_pointer (&details->stages, g_array_unref);
  g_free (details);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Details, details_free)

static gpointer
details_job (WlStore  *store,
             gpointer  data,
             GError  **error)
{
  gint64 id = *(gint64 *) data;
  g_autoptr(Details) details = g_new0 (Details, 1);
  GError *local_error = NULL;

  if ((details->record = wl_store_get_run (store, id, error)) == NULL ||
      (details->stages = wl_store_get_stages (store, id, error)) == NULL)
    return NULL;
  details->best = wl_store_get_checkpoint (store, id, WL_CHECKPOINT_BEST, &local_error);
  if (local_error == NULL)
    details->last = wl_store_get_checkpoint (store, id, WL_CHECKPOINT_LAST, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&details);
}

/* Rows */

static void
clear_rows (WlRunsPage *self)
{
  for (guint i = 0; i < self->detail_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->detail_rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->detail_rows, 0);
}

#define SHORT_VALUE 20   /* characters: a longer value goes under its title */

/* A row that shows one value: a short one at its end, a long one (a
 * path, a hash) under its title, where it can wrap.  The value can be
 * selected and copied. */
static GtkWidget *
value_row (const char *title,
           const char *value)
{
  GtkWidget *label = gtk_label_new (value != NULL && *value ? value : "—");
  GtkWidget *row, *box;

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (g_utf8_strlen (gtk_label_get_text (GTK_LABEL (label)), -1) <= SHORT_VALUE)
    {
      row = adw_action_row_new ();
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  else
    {
      row = adw_preferences_row_new ();
      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
      gtk_widget_set_margin_top (box, 9);
      gtk_widget_set_margin_bottom (box, 9);
      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_box_append (GTK_BOX (box), gtk_label_new (title));
      gtk_label_set_xalign (GTK_LABEL (gtk_widget_get_first_child (box)), 0);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  return row;
}

static void
add_row (WlRunsPage          *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *value)
{
  GtkWidget *row = value_row (title, value);

  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->detail_rows, row);
}

static void
add_row_take (WlRunsPage          *self,
              AdwPreferencesGroup *group,
              const char          *title,
              char                *value)
{
  add_row (self, group, title, value);
  g_free (value);
}

static void
add_tag_rows (WlRunsPage        *self,
              const WlRunRecord *record)
{
  for (guint i = 0; record->tags != NULL && record->tags[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), record->tags[i]);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("bookmark-new-symbolic"));
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove this tag"));
      /* The target first: the action checks it when it is named. */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "(xs)", record->id, record->tags[i]);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "runs.remove-tag");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (self->name_group, row);
      g_ptr_array_add (self->detail_rows, row);
    }
}

/* "ham 4,825 · spam 747" from the labels' JSON object. */
static char *
format_labels (const char *json)
{
  g_autoptr(JsonNode) root = json != NULL ? json_from_string (json, NULL) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    g_string_append_printf (text, "%s%s %'" G_GINT64_FORMAT, text->len > 0 ? " · " : "",
                            (const char *) l->data, json_object_get_int_member (object, l->data));
  return g_strdup (text->str);
}

/* "myhost · Debian 12 · AMD EPYC · 16 cores · 64 GB" */
static char *
format_machine (const char *json)
{
  g_autoptr(JsonNode) root = json != NULL ? json_from_string (json, NULL) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  static const char *fields[] = { "host", "os", "cpu" };
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (json_object_has_member (object, fields[i]) &&
        JSON_NODE_HOLDS_VALUE (json_object_get_member (object, fields[i])))
      g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "",
                              json_object_get_string_member (object, fields[i]));
  if (json_object_has_member (object, "cores"))
    {
      gint64 cores = json_object_get_int_member (object, "cores");

      g_string_append_printf (text, " · ");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u core", "%u cores", cores),
                              (guint) cores);
    }
  if (json_object_has_member (object, "memory_bytes"))
    {
      g_autofree char *memory = wl_format_size (json_object_get_int_member (object, "memory_bytes"));

      g_string_append_printf (text, " · %s", memory);
    }
  return g_strdup (text->str);
}

static char *
format_stages (GArray *stages)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < stages->len; i++)
    {
      const WlStageRecord *r = &g_array_index (stages, WlStageRecord, i);
      g_autofree char *seconds = wl_format_duration (r->seconds);

      g_string_append_printf (text, "%s%s %s", text->len > 0 ? " · " : "",
                              wl_stage_label (r->stage), seconds);
    }
  return g_strdup (text->str);
}

static char *
format_checkpoint (const WlCheckpointRecord *checkpoint)
{
  g_autofree char *size = NULL;

  if (checkpoint == NULL)
    return NULL;
  size = wl_format_size (checkpoint->size);
  /* Translators: a checkpoint: its epoch and the size of its file */
  return g_strdup_printf (_("epoch %u · %s"), checkpoint->epoch, size);
}

static void
fill_scores (WlRunsPage    *self,
             const Details *details)
{
  const WlRunRecord *r = details->record;
  g_autofree char *best_title = NULL;

  if (r->error != NULL)
    add_row (self, self->scores_group, _("Error"), r->error);
  add_row_take (self, self->scores_group, _("Test accuracy"), wl_run_format_percent (r->test_accuracy));
  add_row_take (self, self->scores_group, _("Test macro-F1"), wl_run_format_percent (r->test_macro_f1));
  /* Translators: "Best validation accuracy" (or macro-F1, loss) */
  best_title = g_strdup_printf (_("Best validation %s"), wl_run_format_metric (r->metric));
  add_row_take (self, self->scores_group, best_title, wl_run_format_best (r));
  add_row_take (self, self->scores_group, _("Best epoch"),
                r->best_epoch > 0 ? g_strdup_printf (_("%u of %u"), r->best_epoch, r->epochs_run)
                                  : NULL);
}

static void
fill_data (WlRunsPage    *self,
           const Details *details)
{
  const WlRunRecord *r = details->record;

  add_row (self, self->data_group, _("File"), r->dataset);
  add_row_take (self, self->data_group, _("Size"),
                r->dataset_size > 0 ? wl_format_size (r->dataset_size) : NULL);
  add_row (self, self->data_group, _("Content hash"), r->dataset_hash);
  if (r->n_train + r->n_valid + r->n_test > 0)
    {
      g_autofree char *train = g_strdup_printf ("%'" G_GUINT64_FORMAT, r->n_train);
      g_autofree char *valid = g_strdup_printf ("%'" G_GUINT64_FORMAT, r->n_valid);
      g_autofree char *test = g_strdup_printf ("%'" G_GUINT64_FORMAT, r->n_test);

      /* Translators: how the rows were split, "648 training · 72 validation · 180 test" */
      add_row_take (self, self->data_group, _("Rows"),
                    g_strdup_printf (_("%s training · %s validation · %s test"), train, valid, test));
    }
  add_row_take (self, self->data_group, _("Labels"), format_labels (r->labels));
}

static void
fill_settings (WlRunsPage    *self,
               const Details *details)
{
  static const struct { const char *key; const char *title; } shown[] = {
    { "model.type",              N_("Model") },
    { "model.epochs",            N_("Epochs") },
    { "model.lr",                N_("Learning rate") },
    { "model.early_stop_metric", N_("Early stopping on") },
    { "model.patience",          N_("Patience") },
    { "tokens.tokenizer",        N_("Tokenizer") },
  };
  g_autoptr(GHashTable) config = wl_config_json_flatten (details->record->config);
  g_autoptr(GPtrArray) keys = NULL;
  GtkWidget *expander;

  if (config == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    add_row_take (self, self->settings_group, _(shown[i].title),
                  wl_run_format_setting (config, shown[i].key));

  expander = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _("All Settings"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander),
                                 _("As the run used them, defaults resolved"));
  keys = wl_config_json_keys (&config, 1, FALSE);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      const WlSetting *setting = wl_settings_find_path (key);
      g_autofree char *value = NULL;

      /* By their names; none the run's model does not use. */
      if (!wl_config_json_applies (config, key))
        continue;
      value = wl_run_format_setting (config, key);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                value_row (setting != NULL ? wl_setting_get_label (setting) : key, value));
    }
  adw_preferences_group_add (self->settings_group, expander);
  g_ptr_array_add (self->detail_rows, expander);
}

static void
fill_machine (WlRunsPage    *self,
              const Details *details)
{
  const WlRunRecord *r = details->record;
  g_autofree char *ranks = wl_run_describe_ranks (r->machine);
  double seconds = 0;

  for (guint i = 0; i < details->stages->len; i++)
    seconds += g_array_index (details->stages, WlStageRecord, i).seconds;
  add_row_take (self, self->machine_group, _("Started"), wl_run_format_time (r->started));
  if (ranks != NULL)
    add_row (self, self->machine_group, _("Processes"), ranks);
  add_row_take (self, self->machine_group, _("Ended"), wl_run_format_time (r->finished));
  add_row_take (self, self->machine_group, _("Time per stage"), format_stages (details->stages));
  if (seconds > 0)
    add_row_take (self, self->machine_group, _("Time in all"), wl_format_duration (seconds));
  if (r->attempts > 1)
    add_row_take (self, self->machine_group, _("Resumed"),
                  g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u time", "%u times",
                                                r->attempts - 1), r->attempts - 1));
  add_row_take (self, self->machine_group, _("Best checkpoint"), format_checkpoint (details->best));
  if (details->last != NULL)
    add_row_take (self, self->machine_group, _("Last checkpoint"), format_checkpoint (details->last));
  add_row_take (self, self->machine_group, _("Machine"), format_machine (r->machine));
  add_row (self, self->machine_group, _("Device"), r->device);
  add_row (self, self->machine_group, _("Wordloom version"), r->version);
}

static gboolean
focus_in (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
fill (WlRunsPage *self,
      Details    *details)
{
  const WlRunRecord *r = details->record;
  g_autofree char *name = wl_run_format_name (r);
  g_autofree char *started = wl_run_format_time (r->started);
  g_autofree char *subtitle = NULL;
  gboolean same_run = self->shown != NULL && self->shown->id == r->id;

  if (r->notes != NULL && *r->notes != '\0')
    /* Translators: under a run's name: its number, state and start, "Run 12 · Finished · 2024-03-14 09:05" */
    subtitle = g_strdup_printf (_("Run %lld · %s · %s"), (long long) r->id,
                                wl_run_format_state (r->state), started);
  else
    /* Translators: under a run's name: its state and start, "Finished · 2024-03-14 09:05" */
    subtitle = g_strdup_printf (_("%s · %s"), wl_run_format_state (r->state), started);
  gtk_label_set_text (self->run_title_label, name);
  gtk_label_set_text (self->run_subtitle_label, subtitle);
  /* What is being typed stays. */
  if (!same_run || !focus_in (GTK_WIDGET (self->name_row)))
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), r->notes ? r->notes : "");
  if (!same_run)
    gtk_editable_set_text (GTK_EDITABLE (self->tag_row), "");

  clear_rows (self);
  add_tag_rows (self, r);
  fill_scores (self, details);
  fill_data (self, details);
  fill_settings (self, details);
  fill_machine (self, details);

  g_clear_pointer (&self->shown, wl_run_record_free);
  self->shown = g_steal_pointer (&details->record);
  self->shown_has_last = details->last != NULL;
  self->shown_has_model = details->best != NULL || details->last != NULL;
  wl_runs_page_update_buttons (self);
  gtk_stack_set_visible_child_name (self->details_stack, "details");
}

static void
on_details_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  WlRunsPage *self = WL_RUNS_PAGE (object);
  g_autoptr(Details) details = NULL;
  g_autoptr(GError) error = NULL;

  details = wl_store_job_finish (result, &error);
  if (wl_runs_page_job_failed (self, error))
    return;
  /* Another run was picked meanwhile: its own job shows it. */
  if (details->record->id == self->shown_id)
    fill (self, details);
}

void
wl_runs_page_show_details (WlRunsPage *self,
                           gint64      id)
{
  self->shown_id = id;
  if (id == 0)
    {
      g_clear_pointer (&self->shown, wl_run_record_free);
      gtk_stack_set_visible_child_name (self->details_stack, "none");
      return;
    }
  wl_store_job_run (self, self->cancellable, details_job, g_memdup2 (&id, sizeof id), g_free,
                    (GDestroyNotify) details_free, on_details_loaded, NULL);
}

/* Buttons */

void
wl_runs_page_update_buttons (WlRunsPage *self)
{
  const WlRunRecord *r = self->shown;
  gboolean busy = self->session != NULL && wl_session_is_busy (self->session);
  const struct { GtkWidget *button; const char *action; } buttons[] = {
    { self->resume_button,  "runs.resume" },
    { self->results_button, "runs.show-results" },
    { self->save_button,    "runs.save-model" },
    { self->export_button,  "runs.export" },
    { self->rerun_button,   "runs.rerun" },
    { self->delete_button,  "runs.delete" },
  };

  if (r == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      /* The target first: the action checks it when it is named. */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (buttons[i].button), "x", r->id);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (buttons[i].button), buttons[i].action);
    }
  /* A run that did not finish shows Resume; the engine says whether it
   * can go on, and the tooltip why not. */
  {
    g_autoptr(GError) reason = NULL;
    gboolean can = wl_store_run_can_resume (r, self->shown_has_last, &reason);

    gtk_widget_set_visible (self->resume_button, r->state != WL_RUN_STATE_FINISHED &&
                                                 r->state != WL_RUN_STATE_RUNNING);
    gtk_widget_set_sensitive (self->resume_button, can && !busy);
    gtk_widget_set_tooltip_text (self->resume_button,
                                 reason != NULL ? reason->message
                                 : busy ? _("A run is going: wait for it, or press Stop, to resume this one")
                                 : _("Go on from the last checkpoint with the run's own settings and data; its curves continue where they stopped"));
  }
  gtk_widget_set_sensitive (self->rerun_button, !busy && r->config != NULL);
  gtk_widget_set_sensitive (self->results_button, r->evaluation != NULL);
  gtk_widget_set_sensitive (self->save_button, self->shown_has_model);
  gtk_widget_set_sensitive (self->export_button, self->shown_has_model);
  gtk_widget_set_sensitive (self->delete_button, r->state != WL_RUN_STATE_RUNNING);
}

/* Name and tags */

static void
on_name_applied (WlRunsPage *self)
{
  if (self->shown != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "runs.rename", "(xs)", self->shown->id,
                                gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
}

static void
on_tag_applied (WlRunsPage *self)
{
  g_autofree char *tag = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tag_row))));

  if (self->shown == NULL || *tag == '\0')
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "runs.add-tag", "(xs)", self->shown->id, tag);
  gtk_editable_set_text (GTK_EDITABLE (self->tag_row), "");
}

void
wl_runs_page_details_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, run_title_label);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, run_subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, results_button);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, rerun_button);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, delete_button);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, name_group);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, tag_row);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, scores_group);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, data_group);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, settings_group);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, machine_group);
  gtk_widget_class_bind_template_callback (widget_class, on_name_applied);
  gtk_widget_class_bind_template_callback (widget_class, on_tag_applied);
}
