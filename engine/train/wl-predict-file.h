/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-predict-file.h: a whole file of texts predicted into a CSV file.
 *
 * The CSV has a header row (text, predicted, then "p(LABEL)" for each of
 * the model's labels, in the model's order) and one row per text, quoted
 * as RFC 4180 says.  It is written to a temporary name and renamed, so a
 * failure (a full disk, a cancel) leaves nothing under @output.  The
 * CLI's `predict --output` and the window's Predict a File use it.
 */
#pragma once

#include <gio/gio.h>

#include "io/wl-dataset.h"
#include "train/wl-classifier.h"

G_BEGIN_DECLS

/* How a new file of texts for @classifier is read: the data settings of
 * its model (columns, encoding) with the file's own separator, header
 * and quoting, to be sniffed.  The CLI changes it with its options. */
WlConfig  *wl_classifier_new_input_config (const WlClassifier *classifier);
/* A file of texts for @classifier, read with @data (NULL: the data
 * settings of wl_classifier_new_input_config(); a front end passes them
 * changed by its own options).  Labels, when the file has them, are read;
 * with @need_labels a file without them is refused.  The CLI's predict,
 * tokenize, eval and export and the window's Predict a File read new files
 * so.  Blocks: call it on a worker. */
WlDataset *wl_classifier_load_texts       (const WlClassifier *classifier,
                                           const char         *path,
                                           const WlDataConfig *data,
                                           gboolean            need_labels,
                                           GCancellable       *cancellable,
                                           GError            **error);

/* @progress (may be NULL) is called on the calling thread with the texts
 * done so far. */
gboolean wl_classifier_predict_file        (const WlClassifier  *classifier,
                                            const WlDataset     *texts,
                                            const char          *output,
                                            guint                n_threads,
                                            WlProgressFunc       progress,
                                            gpointer             progress_data,
                                            GCancellable        *cancellable,
                                            GError             **error);

/* The same on a worker thread, @progress called on the caller's main
 * context.  @classifier and @texts must stay alive until @callback. */
void     wl_classifier_predict_file_async  (const WlClassifier  *classifier,
                                            const WlDataset     *texts,
                                            const char          *output,
                                            guint                n_threads,
                                            WlProgressFunc       progress,
                                            gpointer             progress_data,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean wl_classifier_predict_file_finish (GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
