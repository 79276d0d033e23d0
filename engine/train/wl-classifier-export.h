/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-classifier-export.h: a classifier in the formats that leave Wordloom,
 * with the description of its preprocessing, and the ids its exported
 * model takes.  See docs/export.md. */
#pragma once

#include "train/wl-classifier.h"
#include "train/wl-export-formats.h"

G_BEGIN_DECLS

/* Where the preprocessing description of an export to @path goes: @path
 * with its extension replaced by ".preprocessing.json". */
char       *wl_export_preprocessing_path          (const char          *path);

/* Writes @classifier to @path in @format, atomically; ONNX and safetensors
 * also write the preprocessing description (first, so that a model file
 * never stands without it; removed again when the model cannot be
 * written). */
gboolean    wl_classifier_export                  (const WlClassifier  *classifier,
                                                   WlExportFormat       format,
                                                   const char          *path,
                                                   GError             **error);

/* The preprocessing description, JSON. */
char       *wl_classifier_describe_preprocessing  (const WlClassifier  *classifier);

/* The ids the exported model takes for each of @texts, cleaned and
 * tokenised as in training: a GArray of gint64 per text.  NULL only when
 * cancelled. */
GPtrArray  *wl_classifier_tokenize                (const WlClassifier  *classifier,
                                                   const char * const  *texts,
                                                   gsize                n_texts,
                                                   guint                n_threads,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

G_END_DECLS
