/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-runs-page.c: the Runs page: the list of recorded runs.
 *
 * The list is read from the run store on a thread (a connection of its
 * own: the store runs in WAL mode, so reading never blocks the recorder
 * of a run going on) when the page is made or shown, when the session's
 * run gets its row and when its end is written, and on Refresh, and merged
 * into the list: a run already listed keeps its item (and so its row's
 * widgets), updated in place; only new runs are added.  It sorts
 * by any column's header and filters on the search text.  Selecting a run
 * shows its details (wl-runs-page-details.c); selecting several lets them
 * be compared (wl-runs-compare.c).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "pages/wl-run-format.h"
#include "pages/wl-run-item.h"
#include "pages/wl-runs-page-private.h"
#include "pages/wl-store-job.h"
#include "wl-window.h"

G_DEFINE_FINAL_TYPE (WlRunsPage, wl_runs_page, ADW_TYPE_BIN)

/* Shared with the other files */

void
wl_runs_page_toast (WlRunsPage *self,
                    const char *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (WL_IS_WINDOW (root))
    wl_window_add_toast (WL_WINDOW (root), message);
}

gboolean
wl_runs_page_job_failed (WlRunsPage *self,
                         GError     *error)
{
  if (error == NULL)
    return FALSE;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->session != NULL)
    wl_session_report_error (self->session, error);
  return TRUE;
}

/* Filtering and selection */

static gboolean
filter_item (gpointer item,
             gpointer data)
{
  WlRunsPage *self = data;

  return wl_run_item_matches (item, self->query);
}

static void
on_search_changed (WlRunsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->query, g_free);
  if (*stripped != '\0')
    self->query = g_utf8_casefold (stripped, -1);
  gtk_filter_changed (self->filter, GTK_FILTER_CHANGE_DIFFERENT);
}

GArray *
wl_runs_page_get_selected_ids (WlRunsPage *self)
{
  GtkSelectionModel *model = GTK_SELECTION_MODEL (self->selection);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (model);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkBitsetIter iter;
  guint position;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(WlRunItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);
      gint64 id = wl_run_item_get_id (item);

      g_array_append_val (ids, id);
    }
  return ids;
}

static void
update_count (WlRunsPage *self)
{
  guint n_all = g_list_model_get_n_items (G_LIST_MODEL (self->runs));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  g_autoptr(GArray) ids = wl_runs_page_get_selected_ids (self);
  g_autofree char *count = NULL;

  if (n_shown == n_all)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u run", "%u runs", n_all), n_all);
  else
    /* Translators: how many runs the filter shows, "2 of 5 runs" */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u run", "%u of %u runs", n_all),
                             n_shown, n_all);
  if (ids->len > 1)
    {
      g_autofree char *selected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u selected",
                                                                "%u selected", ids->len), ids->len);
      /* Translators: "5 runs · 2 selected" */
      g_autofree char *text = g_strdup_printf (_("%s · %s"), count, selected);

      gtk_label_set_text (self->count_label, text);
    }
  else
    gtk_label_set_text (self->count_label, count);
  gtk_widget_set_sensitive (self->compare_button, ids->len > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runs.export-report", ids->len > 0);
}

static void
on_selection_changed (WlRunsPage *self)
{
  g_autoptr(GArray) ids = NULL;

  if (self->restoring)
    return;
  ids = wl_runs_page_get_selected_ids (self);
  update_count (self);
  if (ids->len == 1)
    {
      wl_runs_page_show_details (self, g_array_index (ids, gint64, 0));
      /* Narrow, the details take the place of the list. */
      if (adw_leaflet_get_folded (self->leaflet))
        adw_leaflet_set_visible_child_name (self->leaflet, "details");
    }
  else if (ids->len == 0)
    wl_runs_page_show_details (self, 0);
}

static void
on_items_changed (WlRunsPage *self)
{
  update_count (self);
}

/* The position of run @id in the list as shown, or G_MAXUINT. */
static guint
find_run (WlRunsPage *self,
          gint64      id)
{
  GListModel *model = G_LIST_MODEL (self->selection);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(WlRunItem) item = g_list_model_get_item (model, i);

      if (wl_run_item_get_id (item) == id)
        return i;
    }
  return G_MAXUINT;
}

static void
on_row_activated (WlRunsPage *self,
                  guint       position)
{
  g_autoptr(WlRunItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (item == NULL)
    return;
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  adw_leaflet_set_visible_child_name (self->leaflet, "details");
}

static void
on_back_clicked (WlRunsPage *self)
{
  adw_leaflet_set_visible_child_name (self->leaflet, "list");
}

static void
on_folded_changed (WlRunsPage *self)
{
  gtk_widget_set_visible (self->back_button, adw_leaflet_get_folded (self->leaflet));
}

/* Loading */

static gpointer
list_job (WlStore  *store,
          gpointer  data,
          GError  **error)
{
  g_autoptr(GPtrArray) records = wl_store_list_runs (store, error);
  g_autoptr(GPtrArray) items = NULL;

  if (records == NULL)
    return NULL;
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < records->len; i++)
    {
      WlRunRecord *record = g_ptr_array_index (records, i);
      GArray *epochs = wl_store_get_epochs (store, record->id, error);

      if (epochs == NULL)
        return NULL;
      g_ptr_array_index (records, i) = NULL;   /* the item takes it */
      g_ptr_array_add (items, wl_run_item_new (record, epochs));
    }
  return g_steal_pointer (&items);
}

static void
restore_selection (WlRunsPage *self,
                   GArray     *ids)
{
  GtkSelectionModel *model = GTK_SELECTION_MODEL (self->selection);

  for (guint i = 0; i < ids->len; i++)
    {
      guint position = find_run (self, g_array_index (ids, gint64, i));

      if (position != G_MAXUINT)
        gtk_selection_model_select_item (model, position, FALSE);
    }
}

/* Whether @item, changed in place, may now belong elsewhere in the list
 * as shown: the filter or the sort model only look at an item when it is
 * added.  @matched: whether the filter took it before the change. */
static gboolean
misplaced (WlRunsPage *self,
           WlRunItem  *item,
           gboolean    matched)
{
  GListModel *shown = G_LIST_MODEL (self->selection);
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
  guint position, n = g_list_model_get_n_items (shown);

  if (wl_run_item_matches (item, self->query) != matched)
    return TRUE;
  if (!matched)
    return FALSE;
  for (position = 0; position < n; position++)
    {
      g_autoptr(WlRunItem) other = g_list_model_get_item (shown, position);

      if (other == item)
        break;
    }
  if (position == n)
    return TRUE;
  if (position > 0)
    {
      g_autoptr(WlRunItem) before = g_list_model_get_item (shown, position - 1);

      if (gtk_sorter_compare (sorter, before, item) == GTK_ORDERING_LARGER)
        return TRUE;
    }
  if (position + 1 < n)
    {
      g_autoptr(WlRunItem) after = g_list_model_get_item (shown, position + 1);

      if (gtk_sorter_compare (sorter, item, after) == GTK_ORDERING_LARGER)
        return TRUE;
    }
  return FALSE;
}

/* Brings the list to @items (WlRunItem, as the store listed them): a run
 * already listed keeps its item, updated in place (its cells show it
 * again); runs gone are removed and new ones added.  Replacing every item
 * made the view build every row again on the main thread. */
static void
merge_runs (WlRunsPage *self,
            GPtrArray  *items)
{
  g_autoptr(GHashTable) fresh = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) added = g_ptr_array_new ();

  for (guint i = 0; i < items->len; i++)
    {
      WlRunItem *item = g_ptr_array_index (items, i);

      g_hash_table_insert (fresh, (gpointer) &wl_run_item_get_record (item)->id, item);
    }
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->runs)); i-- > 0; )
    {
      g_autoptr(WlRunItem) item = g_list_model_get_item (G_LIST_MODEL (self->runs), i);
      gint64 id = wl_run_item_get_id (item);
      WlRunItem *again = g_hash_table_lookup (fresh, &id);
      gboolean matched = wl_run_item_matches (item, self->query);

      if (again == NULL)
        g_list_store_remove (self->runs, i);
      else
        {
          g_hash_table_remove (fresh, &id);
          /* Added again, it is filtered and sorted again. */
          if (wl_run_item_update (item, again) && misplaced (self, item, matched))
            g_list_store_splice (self->runs, i, 1, (gpointer *) &item, 1);
        }
    }
  for (guint i = 0; i < items->len; i++)
    {
      WlRunItem *item = g_ptr_array_index (items, i);

      if (g_hash_table_contains (fresh, &wl_run_item_get_record (item)->id))
        g_ptr_array_add (added, item);
    }
  if (added->len > 0)
    g_list_store_splice (self->runs, g_list_model_get_n_items (G_LIST_MODEL (self->runs)), 0,
                         added->pdata, added->len);
}

static void
on_list_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  WlRunsPage *self = WL_RUNS_PAGE (object);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  gboolean shown_is_gone;

  items = wl_store_job_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  if (!wl_runs_page_job_failed (self, error))
    {
      ids = wl_runs_page_get_selected_ids (self);
      self->restoring = TRUE;
      merge_runs (self, items);
      restore_selection (self, ids);
      self->restoring = FALSE;
      update_count (self);

      if (!g_str_equal (gtk_stack_get_visible_child_name (self->stack), "compare"))
        gtk_stack_set_visible_child_name (self->stack, items->len > 0 ? "runs" : "empty");
      /* The shown run's state, notes or tags may have changed. */
      shown_is_gone = self->shown_id != 0 && find_run (self, self->shown_id) == G_MAXUINT;
      wl_runs_page_show_details (self, shown_is_gone ? 0 : self->shown_id);
    }
  if (self->load_again)
    {
      self->load_again = FALSE;
      wl_runs_page_refresh (self);
    }
}

void
wl_runs_page_refresh (WlRunsPage *self)
{
  if (self->loading)
    {
      self->load_again = TRUE;
      return;
    }
  self->loading = TRUE;
  wl_store_job_run (self, self->cancellable, list_job, NULL, NULL,
                    (GDestroyNotify) g_ptr_array_unref, on_list_loaded, NULL);
}

/* Actions on the list */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  wl_runs_page_refresh (WL_RUNS_PAGE (widget));
}

static void
select_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WlRunsPage *self = WL_RUNS_PAGE (widget);
  guint position = find_run (self, g_variant_get_int64 (parameter));

  if (position == G_MAXUINT)
    return;
  gtk_stack_set_visible_child_name (self->stack, "runs");
  on_row_activated (self, position);
}

static gpointer
compare_job (WlStore  *store,
             gpointer  data,
             GError  **error)
{
  GArray *ids = data;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) wl_compare_run_free);

  for (guint i = 0; i < ids->len; i++)
    {
      WlCompareRun *run = wl_store_get_compare_run (store, g_array_index (ids, gint64, i), error);

      if (run == NULL)
        return NULL;
      g_ptr_array_add (runs, run);
    }
  return g_steal_pointer (&runs);
}

static void
on_compare_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  WlRunsPage *self = WL_RUNS_PAGE (object);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;

  runs = wl_store_job_finish (result, &error);
  if (wl_runs_page_job_failed (self, error))
    return;
  wl_runs_compare_set_runs (self->compare, runs);
  gtk_stack_set_visible_child_name (self->stack, "compare");
}

/* "3,7,12": the runs to compare, in that order. */
static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  WlRunsPage *self = WL_RUNS_PAGE (widget);
  g_auto(GStrv) parts = g_strsplit (g_variant_get_string (parameter, NULL), ",", -1);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 id = g_ascii_strtoll (g_strstrip (parts[i]), NULL, 10);

      if (id > 0)
        g_array_append_val (ids, id);
    }
  if (ids->len == 0)
    {
      g_array_unref (ids);
      return;
    }
  wl_store_job_run (self, self->cancellable, compare_job, ids, (GDestroyNotify) g_array_unref,
                    (GDestroyNotify) g_ptr_array_unref, on_compare_loaded, NULL);
}

static void
on_compare_clicked (WlRunsPage *self)
{
  g_autoptr(GArray) ids = wl_runs_page_get_selected_ids (self);
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (ids, gint64, i));
  gtk_widget_activate_action (GTK_WIDGET (self), "runs.compare", "s", list->str);
}

static void
close_compare_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WlRunsPage *self = WL_RUNS_PAGE (widget);

  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->runs)) > 0
                                    ? "runs" : "empty");
}

/* The session */

static void
on_session_state (WlRunsPage *self)
{
  wl_runs_page_update_buttons (self);
}

/* A run got its row in the store: list it, and show a resumed run's
 * curves going on. */
static void
on_run_id (WlRunsPage *self)
{
  gint64 id = wl_session_get_run_id (self->session);

  if (id != 0 && id == self->resume_id)
    {
      self->resume_id = 0;
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "train");
    }
  if (id != 0)
    wl_runs_page_refresh (self);
}

/* A resume that could not start: its button works again. */
static void
on_session_error (WlRunsPage *self)
{
  if (self->resume_id == 0 || wl_session_is_busy (self->session))
    return;
  self->resume_id = 0;
  wl_runs_page_update_buttons (self);
}

/* Object */

static void
wl_runs_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (wl_runs_page_parent_class)->map (widget);
  /* Runs trained from the command line meanwhile show up. */
  wl_runs_page_refresh (WL_RUNS_PAGE (widget));
}

static void
wl_runs_page_dispose (GObject *object)
{
  WlRunsPage *self = WL_RUNS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  /* Taking the columns away re-sorts the list: nothing to show it in. */
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->leaflet != NULL)
    g_signal_handlers_disconnect_by_data (self->leaflet, self);
  /* The stack is AdwBin's child: let go of it before the template does. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), WL_TYPE_RUNS_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->runs);
  g_clear_object (&self->filter);
  G_OBJECT_CLASS (wl_runs_page_parent_class)->dispose (object);
}

static void
wl_runs_page_finalize (GObject *object)
{
  WlRunsPage *self = WL_RUNS_PAGE (object);

  g_object_unref (self->cancellable);
  g_free (self->query);
  g_clear_pointer (&self->shown, wl_run_record_free);
  g_ptr_array_unref (self->detail_rows);
  G_OBJECT_CLASS (wl_runs_page_parent_class)->finalize (object);
}

static void
wl_runs_page_class_init (WlRunsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wl_runs_page_dispose;
  object_class->finalize = wl_runs_page_finalize;
  widget_class->map = wl_runs_page_map;

  g_type_ensure (WL_TYPE_RUNS_COMPARE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/wordloom/Wordloom/pages/wl-runs-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, compare_button);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, details_stack);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, WlRunsPage, compare);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_compare_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);

  gtk_widget_class_install_action (widget_class, "runs.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "runs.select", "x", select_action);
  gtk_widget_class_install_action (widget_class, "runs.compare", "s", compare_action);
  gtk_widget_class_install_action (widget_class, "runs.close-compare", NULL, close_compare_action);
  wl_runs_page_details_class_init (widget_class);
  wl_runs_page_actions_class_init (widget_class);
  wl_runs_page_report_class_init (widget_class);
}

static void
wl_runs_page_init (WlRunsPage *self)
{
  GtkFilterListModel *filtered;
  GtkSortListModel *sorted;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->detail_rows = g_ptr_array_new ();

  wl_runs_page_setup_columns (self);
  self->runs = g_list_store_new (WL_TYPE_RUN_ITEM);
  self->filter = GTK_FILTER (gtk_custom_filter_new (filter_item, self, NULL));
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->runs)),
                                        g_object_ref (self->filter));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (filtered),
                                    g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "selection-changed",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->selection, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (on_folded_changed), self);
  on_folded_changed (self);
  update_count (self);
}

GtkWidget *
wl_runs_page_new (WlSession *session)
{
  WlRunsPage *self;

  g_return_val_if_fail (WL_IS_SESSION (session), NULL);

  self = g_object_new (WL_TYPE_RUNS_PAGE, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_swapped (session, "notify::state", G_CALLBACK (on_session_state), self);
  g_signal_connect_swapped (session, "notify::run-id", G_CALLBACK (on_run_id), self);
  g_signal_connect_swapped (session, "run-stored", G_CALLBACK (wl_runs_page_refresh), self);
  g_signal_connect_swapped (session, "error", G_CALLBACK (on_session_error), self);
  wl_runs_page_refresh (self);
  wl_runs_page_update_buttons (self);
  return GTK_WIDGET (self);
}
