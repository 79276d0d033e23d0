/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-safetensors.c: the safetensors file format, writing only. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "export/wl-safetensors.h"

typedef struct
{
  char              *name;
  WlSafetensorsType  type;
  guint              n_dims;
  gint64             dims[8];
  gsize              begin;
  gsize              end;
} Entry;

struct _WlSafetensors
{
  GArray     *entries;    /* Entry */
  GHashTable *names;
  GByteArray *data;
  GPtrArray  *metadata;   /* key, value, key, value… */
};

static const struct
{
  const char *name;
  gsize       size;
} types[] = {
  [WL_SAFETENSORS_F32] = { "F32", 4 },
  [WL_SAFETENSORS_F16] = { "F16", 2 },
  [WL_SAFETENSORS_I8] = { "I8", 1 },
};

static void
entry_clear (gpointer data)
{
  g_free (((Entry *) data)->name);
}

WlSafetensors *
wl_safetensors_new (void)
{
  WlSafetensors *file = g_new0 (WlSafetensors, 1);

  file->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (file->entries, entry_clear);
  file->names = g_hash_table_new (g_str_hash, g_str_equal);
  file->data = g_byte_array_new ();
  file->metadata = g_ptr_array_new_with_free_func (g_free);
  return file;
}

void
wl_safetensors_free (WlSafetensors *file)
{
  if (file == NULL)
    return;
  g_hash_table_unref (file->names);
  g_array_unref (file->entries);
  g_byte_array_unref (file->data);
  g_ptr_array_unref (file->metadata);
  g_free (file);
}

void
wl_safetensors_set_metadata (WlSafetensors *file,
                             const char    *key,
                             const char    *value)
{
  g_ptr_array_add (file->metadata, g_strdup (key));
  g_ptr_array_add (file->metadata, g_strdup (value));
}

gboolean
wl_safetensors_add (WlSafetensors     *file,
                    const char        *name,
                    WlSafetensorsType  type,
                    guint              n_dims,
                    const gint64      *dims,
                    const void        *data)
{
  Entry entry = { 0 };
  gsize n = 1;

  g_return_val_if_fail (type < G_N_ELEMENTS (types), FALSE);
  g_return_val_if_fail (n_dims <= G_N_ELEMENTS (entry.dims), FALSE);

  if (g_str_equal (name, "__metadata__") || g_hash_table_contains (file->names, name))
    return FALSE;
  entry.name = g_strdup (name);
  entry.type = type;
  entry.n_dims = n_dims;
  for (guint i = 0; i < n_dims; i++)
    {
      entry.dims[i] = dims[i];
      n *= dims[i];
    }
  entry.begin = file->data->len;
  G_STATIC_ASSERT (G_BYTE_ORDER == G_LITTLE_ENDIAN);
  g_byte_array_append (file->data, data, n * types[type].size);
  entry.end = file->data->len;
  g_array_append_val (file->entries, entry);
  g_hash_table_add (file->names, g_array_index (file->entries, Entry, file->entries->len - 1).name);
  return TRUE;
}

gboolean
wl_safetensors_add_quantized (WlSafetensors *file,
                              const char    *name,
                              guint          n_dims,
                              const gint64  *dims,
                              const gint8   *data,
                              const float   *scales,
                              guint          scale_axis)
{
  g_autofree char *scale = g_strconcat (name, ".scale", NULL);

  g_return_val_if_fail (scale_axis < n_dims, FALSE);

  return wl_safetensors_add (file, name, WL_SAFETENSORS_I8, n_dims, dims, data) &&
         wl_safetensors_add (file, scale, WL_SAFETENSORS_F32, 1, dims + scale_axis, scales);
}

static char *
header_json (const WlSafetensors *file)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (file->metadata->len > 0)
    {
      json_builder_set_member_name (builder, "__metadata__");
      json_builder_begin_object (builder);
      for (guint i = 0; i < file->metadata->len; i += 2)
        {
          json_builder_set_member_name (builder, file->metadata->pdata[i]);
          json_builder_add_string_value (builder, file->metadata->pdata[i + 1]);
        }
      json_builder_end_object (builder);
    }
  for (guint i = 0; i < file->entries->len; i++)
    {
      const Entry *entry = &g_array_index (file->entries, Entry, i);

      json_builder_set_member_name (builder, entry->name);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "dtype");
      json_builder_add_string_value (builder, types[entry->type].name);
      json_builder_set_member_name (builder, "shape");
      json_builder_begin_array (builder);
      for (guint d = 0; d < entry->n_dims; d++)
        json_builder_add_int_value (builder, entry->dims[d]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "data_offsets");
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, entry->begin);
      json_builder_add_int_value (builder, entry->end);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

GBytes *
wl_safetensors_to_bytes (WlSafetensors *file)
{
  g_autofree char *json = header_json (file);
  gsize len = strlen (json), padded = (len + 7) / 8 * 8;
  guint64 size = GUINT64_TO_LE (padded);
  GByteArray *out = g_byte_array_sized_new (8 + padded + file->data->len);

  g_byte_array_append (out, (const guint8 *) &size, 8);
  g_byte_array_append (out, (const guint8 *) json, len);
  for (gsize i = len; i < padded; i++)
    g_byte_array_append (out, (const guint8 *) " ", 1);
  g_byte_array_append (out, file->data->data, file->data->len);
  return g_byte_array_free_to_bytes (out);
}
