/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-clean-page-private.h: what the Clean page's options and preview share. */
#pragma once

#include "text/wl-clean-preview.h"
#include "text/wl-preprocess-timing.h"
#include "wl-clean-page.h"

G_BEGIN_DECLS

#define WL_CLEAN_PAGE_N_SWITCHES 9

struct _WlCleanPage
{
  AdwBin                parent_instance;

  WlSession            *session;
  GSettings            *settings;
  GtkFileChooserNative *chooser;
  gboolean              syncing;        /* widgets are being set from the config */

  /* The preview (wl-clean-page-preview.c) */
  WlCleanPreview       *preview;        /* the last one computed, or NULL */
  WlConfig             *computed_config; /* the settings it was computed with */
  GCancellable         *cancellable;    /* of the one being computed */
  guint                 debounce_id;
  GPtrArray            *cost_rows;      /* CostRow *, one per WlCleanStep */
  /* The pipeline timed at 1, 2, 4 … threads, after the preview, for the
   * projection; NULL while it is measured. */
  WlPreprocessTiming   *timing;
  GCancellable         *timing_cancellable;

  /* Options */
  GtkSwitch            *switches[WL_CLEAN_PAGE_N_SWITCHES];
  AdwComboRow          *digits_row;
  AdwComboRow          *tokenizer_row;
  AdwActionRow         *ngram_min_row;
  AdwActionRow         *ngram_max_row;
  GtkSpinButton        *ngram_min_spin;
  GtkSpinButton        *ngram_max_spin;
  AdwComboRow          *stopwords_row;
  AdwActionRow         *stopwords_file_row;
  GtkButton            *stopwords_clear_button;
  GtkButton            *stopwords_choose_button;
  AdwComboRow          *stemmer_row;
  AdwActionRow         *threads_row;
  GtkSpinButton        *threads_spin;
  GtkButton            *reset_button;

  /* Preview */
  GtkStack             *preview_stack;
  AdwStatusPage        *error_status;
  GtkLabel             *tokens_value;
  GtkLabel             *vocabulary_value;
  GtkLabel             *per_row_value;
  GtkLabel             *projection_value;
  GtkLabel             *projection_caption;
  AdwPreferencesGroup  *rows_group;
  GtkSpinner           *spinner;
  GtkListBox           *rows_list;
  GtkGrid              *cost_grid;
  GtkLabel             *projection_label;
};

/* wl-clean-page.c */
void wl_clean_page_update_subtitles    (WlCleanPage    *self);

/* wl-clean-page-preview.c */
void wl_clean_page_class_init_preview  (GtkWidgetClass *widget_class);
void wl_clean_page_init_preview        (WlCleanPage    *self);
/* Recomputes the preview once changes stop for a moment. */
void wl_clean_page_schedule_preview    (WlCleanPage    *self);
/* Recomputes the preview when the config changed how texts are cleaned;
 * updates the projection otherwise. */
void wl_clean_page_preview_config_changed (WlCleanPage *self);
/* Cancels what is pending or running; frees what the preview holds. */
void wl_clean_page_dispose_preview     (WlCleanPage    *self);

G_END_DECLS
