/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-store-hash.c: what identifies a run's data and machine: XXH64 of the
 * dataset's bytes, and the CPU, cores, memory and system. */
#include "config.h"

#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/utsname.h>

#include "dist/wl-dist.h"
#include "store/wl-store-private.h"
#include "wl-error.h"

#define READ_CHUNK (1 << 20)   /* a multiple of 32 */

#define P1 G_GUINT64_CONSTANT (0x9E3779B185EBCA87)
#define P2 G_GUINT64_CONSTANT (0xC2B2AE3D27D4EB4F)
#define P3 G_GUINT64_CONSTANT (0x165667B19E3779F9)
#define P4 G_GUINT64_CONSTANT (0x85EBCA77C2B2AE63)
#define P5 G_GUINT64_CONSTANT (0x27D4EB2F165667C5)

typedef struct
{
  guint64 v[4];
  guint64 total;
} Xxh64;

static inline guint64
rotl (guint64 x,
      int     r)
{
  return (x << r) | (x >> (64 - r));
}

static inline guint64
read64 (const guint8 *p)
{
  guint64 v;

  memcpy (&v, p, 8);
  return GUINT64_FROM_LE (v);
}

static inline guint64
xxh_round (guint64 acc,
           guint64 input)
{
  return rotl (acc + input * P2, 31) * P1;
}

static void
xxh64_init (Xxh64 *h)
{
  h->v[0] = P1 + P2;
  h->v[1] = P2;
  h->v[2] = 0;
  h->v[3] = 0 - P1;
  h->total = 0;
}

/* @len is a multiple of 32 except in the last call, which also finishes. */
static guint64
xxh64_update (Xxh64        *h,
              const guint8 *p,
              gsize         len,
              gboolean      last)
{
  const guint8 *end = p + len;
  guint64 acc;

  h->total += len;
  for (; end - p >= 32; p += 32)
    for (int i = 0; i < 4; i++)
      h->v[i] = xxh_round (h->v[i], read64 (p + 8 * i));
  if (!last)
    return 0;

  if (h->total >= 32)
    {
      acc = rotl (h->v[0], 1) + rotl (h->v[1], 7) + rotl (h->v[2], 12) + rotl (h->v[3], 18);
      for (int i = 0; i < 4; i++)
        acc = (acc ^ xxh_round (0, h->v[i])) * P1 + P4;
    }
  else
    acc = P5;
  acc += h->total;
  for (; end - p >= 8; p += 8)
    acc = rotl (acc ^ xxh_round (0, read64 (p)), 27) * P1 + P4;
  if (end - p >= 4)
    {
      guint32 v;

      memcpy (&v, p, 4);
      acc = rotl (acc ^ (GUINT32_FROM_LE (v) * P1), 23) * P2 + P3;
      p += 4;
    }
  for (; p < end; p++)
    acc = rotl (acc ^ (*p * P5), 11) * P1;
  acc ^= acc >> 33;
  acc *= P2;
  acc ^= acc >> 29;
  acc *= P3;
  acc ^= acc >> 32;
  return acc;
}

char *
wl_store_hash_file (const char    *path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree guint8 *buffer = g_malloc (READ_CHUNK);
  Xxh64 h;
  guint64 hash = 0;

  if ((stream = g_file_read (file, cancellable, error)) == NULL)
    return NULL;
  xxh64_init (&h);
  for (;;)
    {
      gsize n;

      if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, READ_CHUNK, &n,
                                    cancellable, error))
        return NULL;
      if (n < READ_CHUNK)
        {
          hash = xxh64_update (&h, buffer, n, TRUE);
          break;
        }
      xxh64_update (&h, buffer, n, FALSE);
    }
  return g_strdup_printf ("xxh64:%016" G_GINT64_MODIFIER "x", hash);
}

/* The first "model name" of /proc/cpuinfo (Linux). */
static char *
cpu_model (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "model name") && strchr (lines[i], ':') != NULL)
      return g_strstrip (g_strdup (strchr (lines[i], ':') + 1));
  return NULL;
}

static guint64
memory_bytes (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/meminfo", &text, NULL, NULL) ||
      (line = strstr (text, "MemTotal:")) == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen ("MemTotal:"), NULL, 10) * 1024;
}

char *
wl_store_describe_machine (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *cpu = cpu_model ();
  struct utsname names;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "host");
  json_builder_add_string_value (builder, g_get_host_name ());
  if (uname (&names) == 0)
    {
      g_autofree char *os = g_strdup_printf ("%s %s %s", names.sysname, names.release, names.machine);

      json_builder_set_member_name (builder, "os");
      json_builder_add_string_value (builder, os);
    }
  json_builder_set_member_name (builder, "cpu");
  json_builder_add_string_value (builder, cpu != NULL ? cpu : "");
  json_builder_set_member_name (builder, "cores");
  json_builder_add_int_value (builder, g_get_num_processors ());
  json_builder_set_member_name (builder, "memory_bytes");
  json_builder_add_int_value (builder, (gint64) memory_bytes ());
  /* A distributed run: its processes and the host of each, by rank. */
  if (wl_dist_size () > 1)
    {
      const char * const *hosts = wl_dist_hosts ();

      json_builder_set_member_name (builder, "ranks");
      json_builder_add_int_value (builder, wl_dist_size ());
      json_builder_set_member_name (builder, "hosts");
      json_builder_begin_array (builder);
      for (guint r = 0; r < wl_dist_size (); r++)
        json_builder_add_string_value (builder, hosts[r]);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

gboolean
wl_store_check_dataset (const WlRunRecord  *record,
                        WlDatasetCheck     *check,
                        GCancellable       *cancellable,
                        GError            **error)
{
  g_autofree char *hash = NULL;
  GStatBuf st;

  *check = WL_DATASET_SAME;
  if (record->dataset == NULL)
    return TRUE;
  if (g_stat (record->dataset, &st) != 0)
    *check = WL_DATASET_GONE;
  else if (record->dataset_size >= 0 && (gint64) st.st_size != record->dataset_size)
    *check = WL_DATASET_CHANGED;
  else if (record->dataset_hash != NULL)
    {
      if ((hash = wl_store_hash_file (record->dataset, cancellable, error)) == NULL)
        return FALSE;
      if (!g_str_equal (hash, record->dataset_hash))
        *check = WL_DATASET_CHANGED;
    }
  return TRUE;
}

char *
wl_run_describe_ranks (const char *machine_json)
{
  g_autoptr(JsonNode) root = machine_json != NULL ? json_from_string (machine_json, NULL) : NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GArray) counts = g_array_new (FALSE, TRUE, sizeof (guint));
  JsonObject *object;
  JsonArray *hosts;
  gint64 ranks;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  ranks = json_object_get_int_member_with_default (object, "ranks", 1);
  if (ranks <= 1 || !json_object_has_member (object, "hosts") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "hosts")))
    return NULL;
  hosts = json_object_get_array_member (object, "hosts");
  /* Each host once, in rank order, with how many ranks it ran. */
  for (guint r = 0; r < json_array_get_length (hosts); r++)
    {
      const char *host = json_array_get_string_element (hosts, r);
      guint index;

      if (host == NULL)
        continue;
      if (!g_ptr_array_find_with_equal_func (names, host, g_str_equal, &index))
        {
          guint zero = 0;

          index = names->len;
          g_ptr_array_add (names, (gpointer) host);
          g_array_append_val (counts, zero);
        }
      g_array_index (counts, guint, index)++;
    }
  text = g_string_new (NULL);
  g_string_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u process:", "%u processes:", (gulong) ranks),
                   (guint) ranks);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (text, "%s %s × %u", i ? "," : "", (const char *) names->pdata[i],
                            g_array_index (counts, guint, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}
