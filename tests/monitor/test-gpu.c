/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-gpu.c: the GPU probe on a fake sysfs (AMD) and a fake NVML library. */
#include <string.h>
#include <glib/gstdio.h>

#include "monitor/wl-gpu.h"

#define ABSENT_NVML "/nonexistent/libnvidia-ml.so.1"

typedef struct
{
  char *root;       /* a fake /sys */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->root = g_dir_make_tmp ("wl-sysfs-XXXXXX", NULL);
  g_assert_nonnull (f->root);
}

/* Writes ROOT/class/drm/@card/@file (making the folders). */
static void
write_card_file (Fixture    *f,
                 const char *card,
                 const char *file,
                 const char *text)
{
  g_autofree char *path = g_build_filename (f->root, "class", "drm", card, file, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_assert_cmpint (g_unlink (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->root);
  g_free (f->root);
}

static void
test_no_gpu (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(WlGpuProbe) probe = wl_gpu_probe_new (f->root, ABSENT_NVML);
  const char *status;

  g_assert_cmpuint (wl_gpu_probe_get_n_gpus (probe), ==, 0);
  status = wl_gpu_probe_get_status (probe);
  g_assert_nonnull (status);
  /* It says what was looked for, so the user knows what is missing. */
  g_assert_nonnull (strstr (status, ABSENT_NVML));
  g_assert_nonnull (strstr (status, "gpu_busy_percent"));
  wl_gpu_probe_sample (probe, NULL);
}

static void
test_amd_sysfs (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WlGpuProbe) probe = NULL;
  WlGpuSample samples[2];

  write_card_file (f, "card10/device", "gpu_busy_percent", "42\n");
  write_card_file (f, "card10/device", "mem_info_vram_used", "1073741824\n");
  write_card_file (f, "card10/device", "mem_info_vram_total", "17163091968\n");
  write_card_file (f, "card10/device", "product_name", "AMD Radeon RX 7900 XT\n");
  /* A connector and a card without the counter (another vendor). */
  write_card_file (f, "card10-DP-1", "status", "connected\n");
  write_card_file (f, "card1/device", "vendor", "0x8086\n");
  /* An older card: no memory counters, no product name. */
  write_card_file (f, "card2/device", "gpu_busy_percent", "7\n");

  probe = wl_gpu_probe_new (f->root, ABSENT_NVML);
  g_assert_cmpuint (wl_gpu_probe_get_n_gpus (probe), ==, 2);
  g_assert_null (wl_gpu_probe_get_status (probe));

  wl_gpu_probe_sample (probe, samples);
  /* In card order: card2 before card10. */
  g_assert_cmpstr (samples[0].name, ==, "AMD GPU (card2)");
  g_assert_cmpint (samples[0].vendor, ==, WL_GPU_VENDOR_AMD);
  g_assert_cmpfloat (samples[0].busy_percent, ==, 7.0);
  g_assert_cmpuint (samples[0].memory_total, ==, 0);
  g_assert_cmpstr (samples[1].name, ==, "AMD Radeon RX 7900 XT");
  g_assert_cmpfloat (samples[1].busy_percent, ==, 42.0);
  g_assert_cmpuint (samples[1].memory_used, ==, 1073741824);
  g_assert_cmpuint (samples[1].memory_total, ==, 17163091968);

  /* Each sample reads the files again. */
  write_card_file (f, "card10/device", "gpu_busy_percent", "99\n");
  wl_gpu_probe_sample (probe, samples);
  g_assert_cmpfloat (samples[1].busy_percent, ==, 99.0);
}

static void
test_nvml (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(WlGpuProbe) probe = NULL;
  WlGpuSample samples[3];

  write_card_file (f, "card0/device", "gpu_busy_percent", "5\n");
  probe = wl_gpu_probe_new (f->root, FAKE_NVML_PATH);
  g_assert_cmpuint (wl_gpu_probe_get_n_gpus (probe), ==, 3);

  wl_gpu_probe_sample (probe, samples);
  /* NVIDIA first, in NVML's order, then AMD. */
  g_assert_cmpstr (samples[0].name, ==, "Fake GPU 0");
  g_assert_cmpint (samples[0].vendor, ==, WL_GPU_VENDOR_NVIDIA);
  g_assert_cmpfloat (samples[0].busy_percent, ==, 37.0);
  g_assert_cmpuint (samples[0].memory_used, ==, 1ull << 30);
  g_assert_cmpuint (samples[0].memory_total, ==, 8ull << 30);
  /* The fake's second GPU cannot report its utilisation. */
  g_assert_cmpstr (samples[1].name, ==, "Fake GPU 1");
  g_assert_cmpfloat (samples[1].busy_percent, <, 0.0);
  g_assert_cmpuint (samples[1].memory_used, ==, 2ull << 30);
  g_assert_cmpint (samples[2].vendor, ==, WL_GPU_VENDOR_AMD);
  g_assert_cmpfloat (samples[2].busy_percent, ==, 5.0);
}

/* A library that is there but is not NVML. */
static void
test_nvml_wrong_library (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WlGpuProbe) probe = wl_gpu_probe_new (f->root, "libc.so.6");

  g_assert_cmpuint (wl_gpu_probe_get_n_gpus (probe), ==, 0);
  g_assert_nonnull (strstr (wl_gpu_probe_get_status (probe), "nvmlInit_v2"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/monitor/gpu/none", Fixture, NULL, fixture_set_up, test_no_gpu, fixture_tear_down);
  g_test_add ("/monitor/gpu/amd-sysfs", Fixture, NULL,
              fixture_set_up, test_amd_sysfs, fixture_tear_down);
  g_test_add ("/monitor/gpu/nvml", Fixture, NULL, fixture_set_up, test_nvml, fixture_tear_down);
  g_test_add ("/monitor/gpu/nvml-wrong-library", Fixture, NULL,
              fixture_set_up, test_nvml_wrong_library, fixture_tear_down);
  return g_test_run ();
}
