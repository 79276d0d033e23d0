/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-stage-table.c: a run's time per stage, and waiting for data vs computing. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-format.h"
#include "wl-stage-label.h"
#include "wl-stage-table.h"

/* The two sums, after the stages. */
enum { SUM_WAITING, SUM_COMPUTING, N_SUMS };
#define N_ROWS (WL_N_STAGES + N_SUMS)

struct _WlStageTable
{
  AdwBin    parent_instance;

  double    seconds[WL_N_STAGES];
  GtkLabel *time[N_ROWS];        /* stages, then the sums */
  GtkLabel *share[N_ROWS];
};

G_DEFINE_FINAL_TYPE (WlStageTable, wl_stage_table, ADW_TYPE_BIN)

static gboolean
stage_is_waiting (WlStage stage)
{
  return stage == WL_STAGE_LOAD || stage == WL_STAGE_CLEAN || stage == WL_STAGE_FEATURIZE;
}

static void
update (WlStageTable *self)
{
  double row_seconds[N_ROWS] = { 0 }, all = 0;

  for (guint s = 0; s < WL_N_STAGES; s++)
    {
      row_seconds[s] = self->seconds[s];
      row_seconds[WL_N_STAGES + (stage_is_waiting (s) ? SUM_WAITING : SUM_COMPUTING)] += self->seconds[s];
      all += self->seconds[s];
    }
  for (guint row = 0; row < N_ROWS; row++)
    {
      g_autofree char *time = NULL, *share = NULL;

      if (row_seconds[row] > 0 && all > 0)
        {
          time = wl_format_duration (row_seconds[row]);
          share = g_strdup_printf ("%.0f %%", 100.0 * row_seconds[row] / all);
        }
      gtk_label_set_text (self->time[row], time != NULL ? time : "—");
      gtk_label_set_text (self->share[row], share != NULL ? share : "");
    }
}

static GtkLabel *
add_label (GtkGrid    *grid,
           const char *text,
           int         column,
           int         row,
           gboolean    bold)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0.0f : 1.0f);
  gtk_widget_set_hexpand (label, column == 0);
  if (column == 0)
    gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  else
    gtk_widget_add_css_class (label, "numeric");
  if (bold)
    gtk_widget_add_css_class (label, "heading");
  gtk_grid_attach (grid, label, column, row, 1, 1);
  return GTK_LABEL (label);
}

static void
wl_stage_table_class_init (WlStageTableClass *klass)
{
}

static void
wl_stage_table_init (WlStageTable *self)
{
  static const char *sum_names[N_SUMS] = {
    N_("Waiting for data (reading, cleaning, features)"),
    N_("Computing (training, evaluation)"),
  };
  /* Widget names, for tests: the stage's name, then the sums'. */
  static const char *sum_ids[N_SUMS] = { "waiting", "computing" };
  GtkGrid *grid = GTK_GRID (gtk_grid_new ());
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  int line = 0;

  gtk_grid_set_column_spacing (grid, 24);
  gtk_grid_set_row_spacing (grid, 6);
  gtk_widget_set_margin_top (GTK_WIDGET (grid), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (grid), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (grid), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (grid), 12);
  for (guint row = 0; row < N_ROWS; row++, line++)
    {
      gboolean is_sum = row >= WL_N_STAGES;

      if (row == WL_N_STAGES)
        gtk_grid_attach (grid, gtk_separator_new (GTK_ORIENTATION_HORIZONTAL), 0, line++, 3, 1);
      add_label (grid, is_sum ? _(sum_names[row - WL_N_STAGES]) : wl_stage_label (row),
                 0, line, is_sum);
      self->time[row] = add_label (grid, NULL, 1, line, is_sum);
      self->share[row] = add_label (grid, NULL, 2, line, is_sum);
      gtk_widget_set_name (GTK_WIDGET (self->time[row]),
                           is_sum ? sum_ids[row - WL_N_STAGES] : wl_stage_to_string (row));
    }

  gtk_widget_add_css_class (card, "card");
  gtk_box_append (GTK_BOX (card), GTK_WIDGET (grid));
  adw_bin_set_child (ADW_BIN (self), card);
  update (self);
}

GtkWidget *
wl_stage_table_new (void)
{
  return g_object_new (WL_TYPE_STAGE_TABLE, NULL);
}

void
wl_stage_table_set_seconds (WlStageTable *self,
                            WlStage       stage,
                            double        seconds)
{
  g_return_if_fail (WL_IS_STAGE_TABLE (self));
  g_return_if_fail (stage < WL_N_STAGES);

  self->seconds[stage] = MAX (seconds, 0);
  update (self);
}

void
wl_stage_table_reset (WlStageTable *self)
{
  g_return_if_fail (WL_IS_STAGE_TABLE (self));

  for (guint s = 0; s < WL_N_STAGES; s++)
    self->seconds[s] = 0;
  update (self);
}
