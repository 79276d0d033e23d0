/* wl-model-file.h: the native model file (.wlm).
 *
 * Layout, little-endian:
 *
 *   "WLMODEL\0"         magic, 8 bytes
 *   u32 version         WL_MODEL_FILE_VERSION; newer files are refused
 *   u32 flags           0; a set bit is a feature this version lacks
 *   u64 file size       in bytes, checksum included (tells truncation apart)
 *   string config       the resolved run config as JSON
 *   u64 n, n strings    label names, by label id
 *   u64 parameters      the model's parameter count (for inspect)
 *   payload             the model's own part (WlModelClass.write)
 *   u64 checksum        of every byte before it (a 64-bit hash)
 *
 * Files are written to a temporary name, synced, then renamed, so a crash
 * never leaves half a model under the real name.
 *
 * The model file sits above the models (it reads any of them), so its
 * source lives here with the other file formats but is built into the
 * models library; see engine/export/meson.build.
 */
#pragma once

#include <gio/gio.h>

#include "models/wl-model.h"

G_BEGIN_DECLS

#define WL_MODEL_FILE_VERSION 1
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
/* @labels_out (may be NULL) gets the label names, by label id. */
WlModel         *wl_model_file_load        (const char          *path,
                                            GPtrArray          **labels_out,
                                            GError             **error);

/* The same on memory; @name is used in messages. */
GBytes          *wl_model_file_to_bytes    (const WlModel       *model,
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
