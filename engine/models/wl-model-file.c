/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model-file.c: the native model file; layout in wl-model-file.h. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "wl-error.h"
#include "wl-settings.h"
#include "export/wl-save.h"
#include "models/wl-model-file.h"

#define MAGIC        "WLMODEL\0"
#define MAGIC_LEN    8
#define SIZE_OFFSET  WL_MODEL_FILE_SIZE_OFFSET
#define HEADER_LEN   (SIZE_OFFSET + 8)
#define CHECKSUM_LEN WL_MODEL_FILE_CHECKSUM_LEN
#define MAX_LABELS   G_MAXUINT32

/* Checksum: four independent lanes over 8-byte words (fast on large
 * weights), then the tail byte by byte, then a final mix.  Each step is a
 * bijection of the lane, so any one changed word changes the result. */

#define PRIME1 G_GUINT64_CONSTANT (0x9E3779B185EBCA87)
#define PRIME2 G_GUINT64_CONSTANT (0xC2B2AE3D27D4EB4F)

static inline guint64
rotl64 (guint64 x,
        guint   r)
{
  return (x << r) | (x >> (64 - r));
}

guint64
wl_model_file_checksum (const guint8 *data,
                        gsize         len)
{
  guint64 lanes[4] = { PRIME1, PRIME2, ~PRIME1, ~PRIME2 };
  guint64 h = len;
  gsize i = 0;

  for (; len - i >= 32; i += 32)
    for (guint l = 0; l < 4; l++)
      {
        guint64 w;

        memcpy (&w, data + i + 8 * l, 8);
        lanes[l] = rotl64 (lanes[l] + GUINT64_FROM_LE (w) * PRIME2, 31) * PRIME1;
      }
  for (guint l = 0; l < 4; l++)
    h = rotl64 (h ^ lanes[l], 27) * PRIME1 + PRIME2;
  for (; i < len; i++)
    h = rotl64 (h ^ data[i], 11) * PRIME1;

  h ^= h >> 33;
  h *= PRIME2;
  h ^= h >> 29;
  h *= PRIME1;
  return h ^ (h >> 32);
}

/* Writing */

GBytes *
wl_model_file_to_bytes (const WlModel       *model,
                        const char * const  *labels,
                        guint                n_labels,
                        GError             **error)
{
  return wl_model_file_to_bytes_with_state (model, NULL, labels, n_labels, error);
}

GBytes *
wl_model_file_to_bytes_with_state (const WlModel       *model,
                                   GBytes              *state,
                                   const char * const  *labels,
                                   guint                n_labels,
                                   GError             **error)
{
  g_autoptr(WlModelWriter) writer = NULL;
  g_autofree char *json = NULL;
  const guint8 *data;
  GBytes *bytes;
  gsize size;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (labels != NULL, NULL);
  g_return_val_if_fail (n_labels == model->n_labels, NULL);

  json = wl_config_to_json (model->config, FALSE);
  writer = wl_model_writer_new ();
  wl_model_writer_put_bytes (writer, MAGIC, MAGIC_LEN);
  wl_model_writer_put_u32 (writer, WL_MODEL_FILE_VERSION);
  wl_model_writer_put_u32 (writer, wl_model_get_storage (model));
  wl_model_writer_put_u64 (writer, 0);   /* the size, set below */
  wl_model_writer_put_string (writer, json);
  wl_model_writer_put_u64 (writer, n_labels);
  for (guint i = 0; i < n_labels; i++)
    wl_model_writer_put_string (writer, labels[i]);
  wl_model_writer_put_u64 (writer, wl_model_n_parameters (model));
  model->klass->write (model, writer);
  if (state != NULL)
    {
      gsize len;
      const void *data = g_bytes_get_data (state, &len);

      wl_model_writer_put_u64 (writer, len);
      wl_model_writer_put_bytes (writer, data, len);
    }
  else
    wl_model_writer_put_u64 (writer, 0);

  size = wl_model_writer_get_size (writer);
  wl_model_writer_set_u64 (writer, SIZE_OFFSET, size + CHECKSUM_LEN);
  data = wl_model_writer_peek (writer);
  if (data != NULL)
    wl_model_writer_put_u64 (writer, wl_model_file_checksum (data, size));

  bytes = wl_model_writer_steal (g_steal_pointer (&writer));
  if (bytes == NULL)
    g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                 _("not enough memory to save the model (%zu bytes)"), size);
  return bytes;
}

gboolean
wl_model_file_save (const char          *path,
                    const WlModel       *model,
                    const char * const  *labels,
                    guint                n_labels,
                    GError             **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes = wl_model_file_to_bytes (model, labels, n_labels, error);
  if (bytes == NULL)
    return FALSE;
  return wl_save_file (path, bytes, _("the model"), error);
}

/* Reading */

typedef struct
{
  WlModelReader *reader;       /* over the bytes before the checksum */
  guint32        version;
  char          *config_json;
  GPtrArray     *labels;
  guint64        n_parameters;
} Header;

static void
header_clear (Header *header)
{
  g_clear_pointer (&header->reader, wl_model_reader_free);
  g_clear_pointer (&header->config_json, g_free);
  g_clear_pointer (&header->labels, g_ptr_array_unref);
}

static gboolean
truncated (const char  *name,
           GError     **error)
{
  g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT, _("%s: the file is truncated"), name);
  return FALSE;
}

/* Checks magic, version, size and checksum, then reads the header up to
 * the payload. */
static gboolean
read_header (const guint8  *data,
             gsize          len,
             const char    *name,
             Header        *header,
             GError       **error)
{
  guint32 version, flags;
  guint64 size, stored_sum, n_labels;
  guint8 skip[HEADER_LEN];

  if (len < MAGIC_LEN && (len == 0 || memcmp (data, MAGIC, len) == 0))
    return truncated (name, error);
  if (len < MAGIC_LEN || memcmp (data, MAGIC, MAGIC_LEN) != 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("%s: not a Wordloom model file"), name);
      return FALSE;
    }
  if (len < HEADER_LEN + CHECKSUM_LEN)
    return truncated (name, error);

  memcpy (&version, data + MAGIC_LEN, 4);
  memcpy (&flags, data + MAGIC_LEN + 4, 4);
  memcpy (&size, data + SIZE_OFFSET, 8);
  memcpy (&stored_sum, data + len - CHECKSUM_LEN, 8);
  version = GUINT32_FROM_LE (version);
  flags = GUINT32_FROM_LE (flags);
  size = GUINT64_FROM_LE (size);
  stored_sum = GUINT64_FROM_LE (stored_sum);

  if (version > WL_MODEL_FILE_VERSION)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("%s was written by a newer Wordloom (format %u); this one reads up to %u: "
                     "upgrade Wordloom"), name, version, WL_MODEL_FILE_VERSION);
      return FALSE;
    }
  if ((flags & ~(guint32) WL_MODEL_STORAGE_ALL) != 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("%s uses features of a newer Wordloom (flags 0x%x): upgrade Wordloom"),
                   name, flags);
      return FALSE;
    }
  if (version == 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("%s: the file is corrupted (format version 0)"), name);
      return FALSE;
    }
  if (size > len)
    return truncated (name, error);
  if (size < len)
    {
      guint64 extra = len - size;

      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s: the file is corrupted (%" PRIu64 " unexpected byte at its end)",
                                "%s: the file is corrupted (%" PRIu64 " unexpected bytes at its end)",
                                extra),
                   name, extra);
      return FALSE;
    }
  if (wl_model_file_checksum (data, len - CHECKSUM_LEN) != stored_sum)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("%s: the file is corrupted (its checksum does not match)"), name);
      return FALSE;
    }

  header->version = version;
  header->reader = wl_model_reader_new (data, len - CHECKSUM_LEN, name);
  wl_model_reader_set_flags (header->reader, flags);
  wl_model_reader_set_version (header->reader, version);
  header->labels = g_ptr_array_new_with_free_func (g_free);
  /* Already checked above; the length guarantees these bytes. */
  wl_model_reader_get_bytes (header->reader, skip, HEADER_LEN, NULL);
  if (!wl_model_reader_get_string (header->reader, &header->config_json, error) ||
      !wl_model_reader_get_count (header->reader,
                                  MIN (MAX_LABELS, wl_model_reader_remaining (header->reader) / 4),
                                  &n_labels, error))
    return FALSE;
  for (guint64 i = 0; i < n_labels; i++)
    {
      char *label;

      if (!wl_model_reader_get_string (header->reader, &label, error))
        return FALSE;
      g_ptr_array_add (header->labels, label);
    }
  if (!wl_model_reader_get_u64 (header->reader, &header->n_parameters, error))
    return FALSE;
  if (n_labels < 2)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("%s: the file is corrupted (%" PRIu64 " labels)"), name, n_labels);
      return FALSE;
    }
  return TRUE;
}

/* The optional training-state section (format 2 on). */
static gboolean
read_state (WlModelReader  *reader,
            WlModel        *model,
            const char     *name,
            GError        **error)
{
  g_autoptr(GBytes) state = NULL;
  const guint8 *data;
  guint64 len;

  if (!wl_model_reader_get_count (reader, wl_model_reader_remaining (reader), &len, error))
    return FALSE;
  if (len == 0)
    return TRUE;
  if ((data = wl_model_reader_get_raw (reader, len, error)) == NULL)
    return FALSE;
  state = g_bytes_new (data, len);
  return wl_model_restore_state (model, state, name, error);
}

static WlModel *
read_model (Header      *header,
            const char  *name,
            GError     **error)
{
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autoptr(WlModel) model = NULL;
  g_autoptr(GError) local_error = NULL;
  const WlModelClass *klass;
  guint n_labels = header->labels->len;

  if (!wl_config_merge_json (config, header->config_json, -1, &local_error))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("%s: the file is corrupted (its settings: %s)"), name, local_error->message);
      return NULL;
    }
  /* Settings added since, whose default is not what older files ran. */
  if (header->version < 5)
    {
      config->tokens.split_contractions = FALSE;
      if (config->model.type == WL_MODEL_TEXTCNN)
        config->model.padding = WL_PADDING_NONE;
    }
  if (header->version < 6)
    config->model.refit = FALSE;
  if (header->version < 7)
    config->clean.mark_links = FALSE;
  /* Files from before the settings were checked may name a setting their
   * model did not use (linear's batch size of 1): it never ran. */
  wl_config_drop_unused (config);
  wl_model_resolve_config (config);
  klass = wl_model_class_for_type (config->model.type);

  model = klass->read (config, n_labels, header->reader, error);
  if (model == NULL)
    {
      g_prefix_error (error, "%s: ", name);
      return NULL;
    }
  if (header->version >= 2 && !read_state (header->reader, model, name, error))
    return NULL;
  if (wl_model_reader_remaining (header->reader) != 0 ||
      wl_model_n_parameters (model) != header->n_parameters)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("%s: the file is corrupted (its weights do not match its settings)"), name);
      return NULL;
    }
  return g_steal_pointer (&model);
}

WlModel *
wl_model_file_from_bytes (const guint8  *data,
                          gsize          len,
                          const char    *name,
                          GPtrArray    **labels_out,
                          GError       **error)
{
  Header header = { 0 };
  WlModel *model = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (name == NULL)
    name = _("model file");
  if (read_header (data, len, name, &header, error))
    model = read_model (&header, name, error);
  if (model != NULL && labels_out != NULL)
    *labels_out = g_steal_pointer (&header.labels);
  header_clear (&header);
  return model;
}

static GMappedFile *
map_file (const char  *path,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GMappedFile *file = g_mapped_file_new (path, FALSE, &local_error);

  if (file == NULL)
    g_set_error_literal (error, WL_ERROR, WL_ERROR_IO, local_error->message);
  return file;
}

WlModel *
wl_model_file_load (const char  *path,
                    GPtrArray  **labels_out,
                    GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  file = map_file (path, error);
  if (file == NULL)
    return NULL;
  return wl_model_file_from_bytes ((const guint8 *) g_mapped_file_get_contents (file),
                                   g_mapped_file_get_length (file), path, labels_out, error);
}

WlModelFileInfo *
wl_model_file_info_load (const char  *path,
                         GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  WlModelFileInfo *info;
  Header header = { 0 };
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  file = map_file (path, error);
  if (file == NULL)
    return NULL;
  len = g_mapped_file_get_length (file);
  if (!read_header ((const guint8 *) g_mapped_file_get_contents (file), len, path, &header, error))
    {
      header_clear (&header);
      return NULL;
    }

  info = g_new0 (WlModelFileInfo, 1);
  info->format_version = header.version;
  info->config_json = g_steal_pointer (&header.config_json);
  info->labels = g_steal_pointer (&header.labels);
  info->n_parameters = header.n_parameters;
  info->file_size = len;
  header_clear (&header);
  return info;
}

void
wl_model_file_info_free (WlModelFileInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->config_json);
  g_clear_pointer (&info->labels, g_ptr_array_unref);
  g_free (info);
}
