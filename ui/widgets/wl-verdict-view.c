/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-verdict-view.c: the engine's verdict on a run, in words. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-verdict-view.h"

struct _WlVerdictView
{
  AdwBin        parent_instance;

  AdwActionRow *row;
};

G_DEFINE_FINAL_TYPE (WlVerdictView, wl_verdict_view, ADW_TYPE_BIN)

static const char *
icon_name (WlVerdictKind kind)
{
  switch (kind)
    {
    case WL_VERDICT_COMPUTE_BOUND: return "emblem-ok-symbolic";
    case WL_VERDICT_UNKNOWN:       return "content-loading-symbolic";
    case WL_VERDICT_INPUT_BOUND:
    case WL_VERDICT_LAUNCH_BOUND:
    case WL_VERDICT_MEMORY_BOUND:
    case WL_N_VERDICTS:
    default:                       return "dialog-warning-symbolic";
    }
}

void
wl_verdict_view_set (WlVerdictView   *self,
                     const WlVerdict *verdict)
{
  /* The rows that the advice names: the Model page's, and the Clean page's
   * Preprocessing Threads (the same setting as Threads). */
  WlVerdictControls controls = { _("Threads"), _("Batch size"), _("Preprocessing Threads") };
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (WL_IS_VERDICT_VIEW (self));

  gtk_widget_set_visible (GTK_WIDGET (self), verdict != NULL);
  if (verdict == NULL)
    return;
  text = wl_verdict_describe (verdict, &controls);
  /* The sentence starts with the grade ("Compute-bound: …"): the title says
   * only when it was measured. */
  title = g_strdup (verdict->whole ? _("Over the Whole Training")
                                   : _("What Holds Training Back Now"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->row), title);
  adw_action_row_set_subtitle (self->row, text);
  adw_action_row_set_icon_name (self->row, icon_name (verdict->kind));
}

static void
wl_verdict_view_class_init (WlVerdictViewClass *klass)
{
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
wl_verdict_view_init (WlVerdictView *self)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  self->row = ADW_ACTION_ROW (adw_action_row_new ());
  /* The sentence is the point: show it whole. */
  adw_action_row_set_subtitle_lines (self->row, 0);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->row));
  adw_bin_set_child (ADW_BIN (self), list);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
wl_verdict_view_new (void)
{
  return g_object_new (WL_TYPE_VERDICT_VIEW, NULL);
}
