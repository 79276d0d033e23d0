/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-test-part.c: a stored run's test part, derived again from
 * its config (wl-store-test-part.c): the very rows the run was tested on
 * while its input file is unchanged; refused, naming the file, when the
 * file is gone or changed or the run had a separate test file. */
#include <string.h>

#include "store-test-util.h"
#include "store/wl-store-test-part.h"

typedef struct
{
  char    *dir;
  char    *data;
  char    *db;
  WlStore *store;
  WlRun   *run;
  gint64   id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WlConfig) config = NULL;
  TestRecording t = { 0 };

  f->dir = g_dir_make_tmp ("wl-test-part-XXXXXX", NULL);
  f->data = test_write_dataset (f->dir, 900, 5);
  f->db = g_build_filename (f->dir, "store", "runs.sqlite", NULL);
  f->store = wl_store_open (f->db, &error);
  g_assert_no_error (error);
  config = test_config (f->data, 2);
  config->data.test_fraction = 0.25;
  config->data.seed = 77;
  f->run = wl_run_new (config);
  f->id = test_record (f->store, f->run, 0, &t);
  g_assert_no_error (t.error);
  g_assert_cmpint (t.end, ==, WL_EVENT_FINISHED);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  wl_run_unref (f->run);
  wl_store_close (f->store);
  test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data);
  g_free (f->db);
}

static WlRunRecord *
get_record (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  WlRunRecord *record = wl_store_get_run (f->store, f->id, &error);

  g_assert_no_error (error);
  return record;
}

static void
test_same_rows (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WlRunRecord) record = get_record (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(WlDataset) test = wl_store_load_test_part (record, NULL, NULL, NULL, &error);
  const WlDataset *source = wl_run_get_test_dataset (f->run);
  const guint32 *rows;
  gsize n;

  g_assert_no_error (error);
  rows = wl_run_get_test_rows (f->run, &n);
  g_assert_cmpuint (n, ==, record->n_test);
  g_assert_cmpuint (n, >, 200);
  g_assert_cmpuint (wl_dataset_get_n_rows (test), ==, n);
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpstr (wl_dataset_get_text (test, i), ==, wl_dataset_get_text (source, rows[i]));
      g_assert_cmpstr (g_ptr_array_index (test->label_names, wl_dataset_get_label (test, i)), ==,
                       g_ptr_array_index (source->label_names, wl_dataset_get_label (source, rows[i])));
    }
}

typedef struct
{
  GMainLoop *loop;
  WlDataset *test;
  GError    *error;
  guint      n_progress;
} AsyncWait;

static void
on_progress (guint64  done,
             guint64  total,
             gpointer data)
{
  ((AsyncWait *) data)->n_progress++;
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  AsyncWait *wait = data;

  wait->test = wl_store_load_test_part_finish (result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(WlRunRecord) record = get_record (f);
  AsyncWait wait = { g_main_loop_new (NULL, FALSE) };

  wl_store_load_test_part_async (record, on_progress, &wait, NULL, on_loaded, &wait);
  g_main_loop_run (wait.loop);
  g_assert_no_error (wait.error);
  g_assert_cmpuint (wl_dataset_get_n_rows (wait.test), ==, record->n_test);
  g_assert_cmpuint (wait.n_progress, >, 0);
  wl_dataset_free (wait.test);
  g_main_loop_unref (wait.loop);
}

static void
test_changed (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(WlRunRecord) record = get_record (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  /* The same size, other bytes: the hash tells. */
  g_assert_true (g_file_get_contents (f->data, &contents, &length, NULL));
  contents[strlen ("label,text\n")] = contents[strlen ("label,text\n")] == 's' ? 't' : 's';
  g_assert_true (g_file_set_contents (f->data, contents, length, NULL));
  g_assert_null (wl_store_load_test_part (record, NULL, NULL, NULL, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, f->data));
  g_assert_nonnull (strstr (error->message, "changed"));
  g_clear_error (&error);

  /* Gone. */
  g_assert_cmpint (g_unlink (f->data), ==, 0);
  g_assert_null (wl_store_load_test_part (record, NULL, NULL, NULL, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, f->data));
  g_assert_nonnull (strstr (error->message, "gone"));
}

static void
test_separate_test_file (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WlRunRecord) record = get_record (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(WlConfig) config = wl_config_new ();
  g_autofree char *test_file = g_build_filename (f->dir, "held-out.csv", NULL);

  g_assert_true (wl_config_merge_json (config, record->config, -1, &error));
  config->data.test_input = g_strdup (test_file);
  g_free (record->config);
  record->config = wl_config_to_json (config, FALSE);
  g_assert_null (wl_store_load_test_part (record, NULL, NULL, NULL, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, test_file));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store-test-part/same-rows", Fixture, NULL, fixture_set_up, test_same_rows, fixture_tear_down);
  g_test_add ("/store-test-part/async", Fixture, NULL, fixture_set_up, test_async, fixture_tear_down);
  g_test_add ("/store-test-part/changed", Fixture, NULL, fixture_set_up, test_changed, fixture_tear_down);
  g_test_add ("/store-test-part/separate-test-file", Fixture, NULL, fixture_set_up,
              test_separate_test_file, fixture_tear_down);
  return g_test_run ();
}
