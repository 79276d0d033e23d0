/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-runs-page-private.h: what the Runs page's files share: the list
 * (wl-runs-page.c) and its columns (wl-runs-page-columns.c), the selected
 * run's details (wl-runs-page-details.c), the actions on a run
 * (wl-runs-page-actions.c) and the selected runs' reports
 * (wl-runs-page-report.c). */
#pragma once

#include "pages/wl-runs-compare.h"
#include "pages/wl-runs-page.h"
#include "store/wl-store.h"

G_BEGIN_DECLS

struct _WlRunsPage
{
  AdwBin               parent_instance;

  WlSession           *session;
  GCancellable        *cancellable;    /* every store job of the page */
  GListStore          *runs;           /* WlRunItem, as the store listed them */
  GtkFilter           *filter;
  GtkMultiSelection   *selection;      /* over the filtered, sorted runs */
  char                *query;          /* case-folded filter text; NULL: none */
  gboolean             loading;
  gboolean             load_again;     /* a refresh came while loading */
  gboolean             restoring;      /* the selection changes for a reload */
  gint64               shown_id;       /* the run in the details; 0: none */
  WlRunRecord         *shown;          /* its full record, once loaded */
  gboolean             shown_has_last; /* it has a checkpoint to resume from */
  gboolean             shown_has_model; /* it has a checkpoint to save */
  gint64               resume_id;      /* a resume asked for, until it starts */
  GPtrArray           *detail_rows;    /* rows the details added to the groups */

  /* Template children */
  GtkStack            *stack;
  AdwLeaflet          *leaflet;
  GtkSearchEntry      *search_entry;
  GtkWidget           *compare_button;
  GtkColumnView       *column_view;
  GtkLabel            *count_label;
  GtkStack            *details_stack;
  GtkWidget           *back_button;
  GtkLabel            *run_title_label;
  GtkLabel            *run_subtitle_label;
  GtkWidget           *resume_button;
  GtkWidget           *results_button;
  GtkWidget           *save_button;
  GtkWidget           *export_button;
  GtkWidget           *rerun_button;
  GtkWidget           *delete_button;
  AdwPreferencesGroup *name_group;
  AdwEntryRow         *name_row;
  AdwEntryRow         *tag_row;
  AdwPreferencesGroup *scores_group;
  AdwPreferencesGroup *data_group;
  AdwPreferencesGroup *settings_group;
  AdwPreferencesGroup *machine_group;
  WlRunsCompare       *compare;
};

/* wl-runs-page.c */
/* Reads the list again (and the shown run's details). */
void     wl_runs_page_refresh          (WlRunsPage     *self);
void     wl_runs_page_toast            (WlRunsPage     *self,
                                        const char     *message);
/* A job's error, unless it was cancelled (the page has gone). */
gboolean wl_runs_page_job_failed       (WlRunsPage     *self,
                                        GError         *error);
/* The ids of the selected runs (gint64), in the list's order. */
GArray  *wl_runs_page_get_selected_ids (WlRunsPage     *self);

/* wl-runs-page-columns.c */
/* The list's columns; sorted by the newest run first. */
void     wl_runs_page_setup_columns    (WlRunsPage     *self);

/* wl-runs-page-details.c */
/* Shows run @id in the details (0: none), read on a thread. */
void     wl_runs_page_show_details     (WlRunsPage     *self,
                                        gint64          id);
/* The buttons' state: they depend on the run and on the session. */
void     wl_runs_page_update_buttons   (WlRunsPage     *self);
void     wl_runs_page_details_class_init (GtkWidgetClass *widget_class);

/* wl-runs-page-actions.c: runs.delete, rerun, resume, save-model,
 * save-to, export, show-results, rename, add-tag, remove-tag. */
void     wl_runs_page_actions_class_init (GtkWidgetClass *widget_class);

/* wl-runs-page-report.c: runs.export-report (the selected runs, into a
 * folder chosen), runs.export-report-to (([ids], folder)). */
void     wl_runs_page_report_class_init (GtkWidgetClass *widget_class);

G_END_DECLS
