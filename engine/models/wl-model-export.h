/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model-export.h: a model in the formats that leave Wordloom.
 *
 * A model shows its tensors (wl_model_foreach_tensor()) and describes its
 * forward pass to an ONNX graph (WlModelClass.onnx_graph); the formats
 * themselves (engine/export) know no model.  See docs/export.md for the
 * files and the tensor names.
 *
 * ONNX: inputs "ids" [batch, length] and "lengths" [batch] (int64), ids
 * past a row's length are ignored; output "probabilities" [batch,
 * n_labels].  metadata_props: "labels" (a JSON array), "config" (the
 * resolved run config), "wordloom_version", "model".
 *
 * safetensors: every tensor under its name (an int8 one with
 * "<name>.scale", fp32, one per row, but for linear's fc.weight one per
 * column: per label); __metadata__: "format" ("wordloom"),
 * "format_version", "model", "labels", "config", "wordloom_version".
 */
#pragma once

#include "models/wl-model.h"

G_BEGIN_DECLS

/* 2: tokens.split_contractions and textcnn's model.padding (false and
 * "none" where a description of version 1 lacks them).  3:
 * clean.mark_links (false where a description before 3 lacks it). */
#define WL_EXPORT_FORMAT_VERSION 3

GBytes   *wl_model_to_onnx            (WlModel             *model,
                                       const char * const  *labels,
                                       guint                n_labels,
                                       GError             **error);
GBytes   *wl_model_to_safetensors     (WlModel             *model,
                                       const char * const  *labels,
                                       guint                n_labels,
                                       GError             **error);

/* The ids the exported model takes for each of @docs: a GArray of gint64
 * per document. */
GPtrArray *wl_model_export_ids        (const WlModel       *model,
                                       const WlTokenList   *docs,
                                       gsize                n_docs,
                                       guint                n_threads);
/* The members of the preprocessing description that the model decides
 * (how tokens become ids), into an open JSON object. */
void       wl_model_describe_ids      (const WlModel       *model,
                                       JsonBuilder         *builder);

G_END_DECLS
