/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-data-page-private.h: the Data page's state, shared by the page
 * (wl-data-page.c: indexing, format and checks), its opening part
 * (wl-data-page-open.c: chooser, drop, recent files) and its column part
 * (wl-data-page-columns.c: pickers, label chart, the session's columns
 * and sample) and its preview (wl-data-page-preview.c). */
#pragma once

#include "io/wl-csv-index.h"
#include "widgets/wl-bar-chart.h"
#include "wl-data-page.h"

G_BEGIN_DECLS

typedef struct _WlDataLoad WlDataLoad;

struct _WlDataPage
{
  AdwBin               parent_instance;

  WlSession           *session;
  GSettings           *settings;
  char                *path;           /* the file shown or being read, or NULL */
  WlCsvIndex          *index;          /* the file shown; NULL before one is read */
  WlDataLoad          *load;           /* the indexing going on, or NULL */
  GCancellable        *sample_cancellable;
  GtkFileChooserNative *chooser;
  GArray              *text_columns;   /* guint, picked, in column order */
  int                  label_column;   /* -1: none */
  gboolean             updating;       /* widgets set from code: ignore their signals */
  GPtrArray           *text_checks;    /* GtkCheckButton per column */
  GPtrArray           *text_rows;      /* rows added to text_row */
  GPtrArray           *bad_line_rows;  /* rows added to bad_rows_row */

  /* Template children */
  GtkStack            *stack;
  AdwPreferencesGroup *recent_group;
  GtkListBox          *recent_list;
  AdwActionRow        *file_row;
  AdwComboRow         *separator_row;
  AdwComboRow         *header_row;
  AdwComboRow         *quotes_row;
  AdwComboRow         *encoding_row;
  GtkSwitch           *skip_switch;
  AdwPreferencesGroup *checks_group;
  AdwActionRow        *ok_row;
  AdwActionRow        *bom_row;
  AdwActionRow        *utf8_row;
  AdwActionRow        *blank_row;
  AdwActionRow        *loose_row;
  AdwExpanderRow      *bad_rows_row;
  AdwPreferencesGroup *columns_group;
  AdwComboRow         *label_row;
  AdwExpanderRow      *text_row;
  AdwPreferencesGroup *labels_group;
  WlBarChart          *chart;
  GtkLabel            *chart_note;
  GtkStack            *content_stack;
  GtkLabel            *loading_title;
  GtkProgressBar      *progress_bar;
  GtkLabel            *progress_label;
  AdwStatusPage       *error_page;
  GtkButton           *skip_button;
  GtkColumnView       *preview;
};

/* The name shown for @column: the header's, else "Column N". */
char *wl_data_page_column_title    (WlCsvIndex *index,
                                    guint       column);
/* A count with thousands separators. */
char *wl_data_page_format_count    (guint64     count);

/* @folder as shown: the home folder as ~. */
char *wl_data_page_display_folder  (const char *folder);
/* Puts @path first in the recent files; its folder is where the file
 * chooser starts next time. */
void  wl_data_page_remember_file   (WlDataPage *self,
                                    const char *path);
/* The settings, the recent files list and the drop target. */
void  wl_data_page_open_init       (WlDataPage *self);
void  wl_data_page_open_dispose    (WlDataPage *self);
/* data.open */
void  wl_data_page_open_class_init (GtkWidgetClass *widget_class);

/* Whether @column is a picked text column. */
gboolean wl_data_page_is_text_column (WlDataPage *self,
                                      guint       column);

/* The preview's columns for the index (built once per file), their titles
 * and cells after a change of picks, none. */
void  wl_data_page_preview_build   (WlDataPage *self);
void  wl_data_page_preview_restyle (WlDataPage *self);
void  wl_data_page_preview_clear   (WlDataPage *self);

/* After a new index: the pickers, the preview's columns, the chart; picks
 * the suggested columns unless @keep_picks and the config's columns are
 * in the file.  Writes the picks to the session and samples texts. */
void  wl_data_page_columns_reset   (WlDataPage *self,
                                    gboolean    keep_picks);
/* Without an index: empties the pickers and the preview. */
void  wl_data_page_columns_clear   (WlDataPage *self);
/* The column part's signal handlers, for the template. */
void  wl_data_page_columns_class_init (GtkWidgetClass *widget_class);

G_END_DECLS
