/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-run-windows.h: cleaning, building and featurizing a part of the data
 * one window of rows at a time.
 *
 * The in-memory path tokenises every part at once, builds the model on all
 * the training tokens, then featurizes each part: the texts and tokens of
 * every row are held together, which is what takes most of a large file's
 * memory.  In windows, the dataset keeps its texts on disk
 * (io/wl-text-spill.h); the training rows' texts are read back and
 * tokenised a window at a time and counted into the model
 * (wl_model_build_add), then each part's are read back and tokenised again
 * a window at a time and featurized into a file; only one window's texts,
 * tokens and features are ever held.  The windows follow the part's
 * order, so the model and its features are the ones the in-memory path
 * gives.
 */
#pragma once

#include "io/wl-dataset.h"
#include "models/wl-model.h"
#include "text/wl-preprocess.h"
#include "train/wl-run.h"

G_BEGIN_DECLS

/* Rows per window for a run on @config whose input has @file_bytes bytes,
 * or 0 for the in-memory path: windows for the models that build in
 * windows and a file of WL_WINDOWS_MIN_BYTES or more.  The environment
 * variable WORDLOOM_WINDOW_ROWS (a number of rows; 0 = in memory) forces
 * the choice, for tests and benchmarks. */
#define WL_WINDOWS_MIN_BYTES (G_GUINT64_CONSTANT (256) << 20)
gsize        wl_run_window_rows        (const WlConfig        *config,
                                        guint64                file_bytes);

/* The tokens of @docs the model will see: those past a model's
 * max_length (the neural models cut texts there; 0 = no cut) are never
 * trained on. */
guint64      wl_run_count_tokens       (const WlTokenList     *docs,
                                        gsize                  n,
                                        guint                  max_length);

/* Builds @model on the @n training rows @rows of @dataset, whose labels
 * are @labels, @window rows at a time. */
gboolean     wl_run_build_in_windows   (WlRun                 *run,
                                        const WlPreprocessor  *pp,
                                        WlModel               *model,
                                        const WlDataset       *dataset,
                                        const guint32         *rows,
                                        const guint32         *labels,
                                        gsize                  n,
                                        gsize                  window,
                                        GError               **error);
/* The features of the @n rows @rows of @dataset, featurized @window rows
 * at a time into a file (see wl_model_features_new_on_disk()); adds the
 * tokens the model will see to *@n_tokens. */
WlFeatures  *wl_run_featurize_in_windows (WlRun               *run,
                                        const WlPreprocessor  *pp,
                                        const WlModel         *model,
                                        const WlDataset       *dataset,
                                        const guint32         *rows,
                                        gsize                  n,
                                        gsize                  window,
                                        guint64               *n_tokens,
                                        GError               **error);

G_END_DECLS
