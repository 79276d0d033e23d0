/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model-file.h: the native model file (.wlm).
 *
 * Layout, little-endian:
 *
 *   "WLMODEL\0"         magic, 8 bytes
 *   u32 version         WL_MODEL_FILE_VERSION; newer files are refused
 *   u32 flags           how the weights are stored (WlModelStorage: int8,
 *                       pruned; 0 for plain fp32); a set bit this version
 *                       does not know is refused
 *   u64 file size       in bytes, checksum included (tells truncation apart)
 *   string config       the resolved run config as JSON
 *   u64 n, n strings    label names, by label id
 *   u64 parameters      the model's parameter count (for inspect)
 *   payload             the model's own part (WlModelClass.write)
 *   u64 n, n bytes      format 2 on: the training state of a checkpoint
 *                       (WlModelClass.write_state), n = 0 in a plain model
 *   u64 checksum        of every byte before it (a 64-bit hash)
 *
 * Format 1 files (no training-state section) still load.  Format 3
 * packs the vocabulary of int8 and pruned models (wl_vocab_write_packed)
 * and gives the linear model's int8 weights a scale per label and its
 * IDF as document counts; format 2's int8 and pruned files still load.
 * From format 4 an embedding-bag payload ends with a u32 that says
 * whether its texts end with "</s>" (wl-embedding-bag.c); those of older
 * files are read without it.  Format 5 added two settings whose older
 * behaviour is not their default: files before it are read with
 * tokens.split_contractions off and, for textcnn, model.padding "none".
 * Format 6 added model.refit (on by default): older files never refit.
 *
 * Files are written to a temporary name, synced, then renamed, so a crash
 * never leaves half a model under the real name.
 *
 * The model file reads and writes any model, so it lives with the models;
 * its primitives (wl-model-io, wl-save) are in engine/export.
 */
#pragma once

#include <gio/gio.h>

#include "models/wl-model.h"

G_BEGIN_DECLS

#define WL_MODEL_FILE_VERSION 7
#define WL_MODEL_FILE_SIZE_OFFSET 16    /* where the u64 file size is */
#define WL_MODEL_FILE_CHECKSUM_LEN 8    /* the u64 checksum at the end */

typedef struct
{
  guint32    format_version;
  char      *config_json;
  GPtrArray *labels;          /* char * */
  guint64    n_parameters;
  guint64    file_size;
} WlModelFileInfo;

gboolean         wl_model_file_save        (const char          *path,
                                            const WlModel       *model,
                                            const char * const  *labels,
                                            guint                n_labels,
                                            GError             **error);
/* @labels_out (may be NULL) gets the label names, by label id.  A
 * checkpoint's training state goes back into the model
 * (wl_model_restore_state()), so that training it goes on exactly. */
WlModel         *wl_model_file_load        (const char          *path,
                                            GPtrArray          **labels_out,
                                            GError             **error);

/* The same on memory; @name is used in messages. */
GBytes          *wl_model_file_to_bytes    (const WlModel       *model,
                                            const char * const  *labels,
                                            guint                n_labels,
                                            GError             **error);
/* A checkpoint: the model and @state (wl_model_save_state(); NULL: none). */
GBytes          *wl_model_file_to_bytes_with_state (const WlModel *model,
                                            GBytes              *state,
                                            const char * const  *labels,
                                            guint                n_labels,
                                            GError             **error);
WlModel         *wl_model_file_from_bytes  (const guint8        *data,
                                            gsize                len,
                                            const char          *name,
                                            GPtrArray          **labels_out,
                                            GError             **error);

/* The checksum a file of @len + 8 bytes ends with, over its first @len
 * bytes.  tests/fuzz re-seals mutated files with it, so that they reach
 * the parser behind the check. */
guint64          wl_model_file_checksum    (const guint8        *data,
                                            gsize                len);

/* Checks the file whole (size, checksum) but reads only its header. */
WlModelFileInfo *wl_model_file_info_load   (const char          *path,
                                            GError             **error);
void             wl_model_file_info_free   (WlModelFileInfo     *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlModelFileInfo, wl_model_file_info_free)

G_END_DECLS
