/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-gpu-amd.c: AMD GPU counters from the amdgpu driver's sysfs files. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#include "monitor/wl-gpu-private.h"

struct _WlAmdGpu
{
  guint  card;            /* N of cardN, for the order */
  char  *name;
  char  *busy_path;       /* gpu_busy_percent */
  char  *used_path;       /* mem_info_vram_used (may be missing) */
  char  *total_path;      /* mem_info_vram_total (may be missing) */
};

static void
amd_gpu_free (WlAmdGpu *gpu)
{
  g_free (gpu->name);
  g_free (gpu->busy_path);
  g_free (gpu->used_path);
  g_free (gpu->total_path);
  g_free (gpu);
}

/* Reads a small sysfs file (one line) into @buffer, without the newline. */
static gboolean
read_line (const char *path,
           char       *buffer,
           gsize       size)
{
  gssize n;
  int fd;

  do
    fd = open (path, O_RDONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    return FALSE;
  do
    n = read (fd, buffer, size - 1);
  while (n < 0 && errno == EINTR);
  close (fd);
  if (n <= 0)
    return FALSE;
  buffer[n] = '\0';
  buffer[strcspn (buffer, "\n")] = '\0';
  return TRUE;
}

static gboolean
read_u64 (const char *path,
          guint64    *value)
{
  char buffer[32];
  char *end;

  if (!read_line (path, buffer, sizeof buffer))
    return FALSE;
  *value = g_ascii_strtoull (buffer, &end, 10);
  return end != buffer;
}

/* "card0" → 0; connectors ("card0-DP-1") and render nodes are not cards. */
static gboolean
parse_card (const char *name,
            guint      *card)
{
  guint64 n;

  if (!g_str_has_prefix (name, "card") || name[4] == '\0')
    return FALSE;
  if (!g_ascii_string_to_unsigned (name + 4, 10, 0, G_MAXUINT, &n, NULL))
    return FALSE;
  *card = n;
  return TRUE;
}

static int
compare_cards (gconstpointer a,
               gconstpointer b)
{
  const WlAmdGpu *x = *(WlAmdGpu * const *) a, *y = *(WlAmdGpu * const *) b;

  return x->card < y->card ? -1 : x->card > y->card;
}

GPtrArray *
wl_amd_gpus_find (const char *sysfs_root)
{
  GPtrArray *gpus = g_ptr_array_new_with_free_func ((GDestroyNotify) amd_gpu_free);
  g_autofree char *drm = g_build_filename (sysfs_root, "class", "drm", NULL);
  g_autoptr(GDir) dir = g_dir_open (drm, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *device = NULL, *product_path = NULL;
      char product[128];
      WlAmdGpu *gpu;
      guint card;

      if (!parse_card (entry, &card))
        continue;
      device = g_build_filename (drm, entry, "device", NULL);
      gpu = g_new0 (WlAmdGpu, 1);
      gpu->card = card;
      gpu->busy_path = g_build_filename (device, "gpu_busy_percent", NULL);
      if (!g_file_test (gpu->busy_path, G_FILE_TEST_EXISTS))
        {
          amd_gpu_free (gpu);
          continue;
        }
      gpu->used_path = g_build_filename (device, "mem_info_vram_used", NULL);
      gpu->total_path = g_build_filename (device, "mem_info_vram_total", NULL);
      product_path = g_build_filename (device, "product_name", NULL);
      if (read_line (product_path, product, sizeof product) && g_strstrip (product)[0] != '\0')
        gpu->name = g_strdup (product);
      else
        /* Translators: %s is a device name such as card0 */
        gpu->name = g_strdup_printf (_("AMD GPU (%s)"), entry);
      g_ptr_array_add (gpus, gpu);
    }
  g_ptr_array_sort (gpus, compare_cards);
  return gpus;
}

void
wl_amd_gpu_sample (WlAmdGpu    *gpu,
                   WlGpuSample *sample)
{
  guint64 busy;

  g_return_if_fail (gpu != NULL);

  sample->name = gpu->name;
  sample->vendor = WL_GPU_VENDOR_AMD;
  sample->busy_percent = read_u64 (gpu->busy_path, &busy) ? MIN (busy, 100) : -1.0;
  if (!read_u64 (gpu->used_path, &sample->memory_used))
    sample->memory_used = 0;
  if (!read_u64 (gpu->total_path, &sample->memory_total))
    sample->memory_total = 0;
}
