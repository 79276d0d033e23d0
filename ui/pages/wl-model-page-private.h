/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model-page-private.h: what the Model page's files share. */
#pragma once

#include "train/wl-advise.h"
#include "wl-model-page.h"

G_BEGIN_DECLS

struct _WlModelPage
{
  AdwBin          parent_instance;

  WlSession      *session;
  WlConfig       *defaults;        /* a new config: the defaults that are not the model's */
  GPtrArray      *rows;            /* GtkWidget *, one per setting (wl-model-page.c) */
  GPtrArray      *device_ids;      /* char *, in device_list order */
  GPtrArray      *device_captions; /* char * */
  char           *device_notes;    /* why a backend has no devices, or NULL */
  gboolean        listing;         /* the devices are not known yet */
  GCancellable   *cancellable;
  gboolean        updating;        /* the rows change because the config did */
  gboolean        writing;         /* the config changes because of us */

  /* Template children */
  AdwComboRow    *model_row;
  GtkStringList  *model_list;
  AdwActionRow   *filter_widths;
  GtkEditable    *filter_widths_entry;
  AdwComboRow    *device_row;
  GtkStringList  *device_list;
  GtkWidget      *device_spinner;
  GtkWidget      *test_fraction;
  AdwActionRow   *test_file_row;

  /* Which Is Faster? (wl-model-page-advise.c) */
  GCancellable   *advise_cancellable;  /* the measuring in flight, or NULL */
  WlAdvice       *advice;              /* the last one, or NULL */
  GtkWidget      *advise_button;   /* "Measuring…" while it does */
  GtkWidget      *advise_box;
  GtkWidget      *advise_chart;
  GtkWidget      *advise_summary;
};

/* wl-model-page.c */
void wl_model_page_refresh         (WlModelPage *self);
void wl_model_page_commit          (WlModelPage *self);

/* wl-model-page-devices.c: the device row, filled from a thread. */
void wl_model_page_init_devices    (WlModelPage *self);
void wl_model_page_list_devices    (WlModelPage *self);
void wl_model_page_refresh_device  (WlModelPage *self,
                                    gboolean     neural);
/* wl-model-page-test-file.c: the Test File row; it also makes the test
 * share row insensitive while a test file is set. */
void wl_model_page_test_file_class_init (GtkWidgetClass *widget_class);
void wl_model_page_refresh_test_file    (WlModelPage    *self);
/* wl-model-page-advise.c: "Which Is Faster?", measured on a worker;
 * "Use This" sets the device, threads and precision it picked. */
void wl_model_page_advise_class_init (GtkWidgetClass *widget_class);
void wl_model_page_advise_dispose    (WlModelPage    *self);

/* Shows @row's choices with a caption under each (@captions[position]). */
void wl_model_page_set_factories   (AdwComboRow *row,
                                    GPtrArray   *captions);

G_END_DECLS
