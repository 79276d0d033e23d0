/* SPDX-License-Identifier: GPL-3.0-or-later */
/* io-test-util.h: a temporary folder fixture shared by the io tests. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

typedef struct
{
  char *dir;
} TmpDir;

static inline void
tmp_dir_setup (TmpDir        *fixture,
               gconstpointer  data)
{
  GError *error = NULL;

  fixture->dir = g_dir_make_tmp ("wl-test-io-XXXXXX", &error);
  g_assert_no_error (error);
}

static inline void
tmp_dir_teardown (TmpDir        *fixture,
                  gconstpointer  data)
{
  GDir *dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_dir_close (dir);
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
}

/* Writes @length bytes (-1: a string) to @name in the folder; returns the path. */
static inline char *
tmp_dir_write (TmpDir     *fixture,
               const char *name,
               const char *content,
               gssize      length)
{
  char *path = g_build_filename (fixture->dir, name, NULL);
  GError *error = NULL;

  g_file_set_contents (path, content, length, &error);
  g_assert_no_error (error);
  return path;
}

#define TMP_TEST(path, func) \
  g_test_add (path, TmpDir, NULL, tmp_dir_setup, func, tmp_dir_teardown)
