/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-model-file.c: the model-io primitives and the native model file. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "wl-error.h"
#include "models/wl-model-file.h"
#include "export/wl-model-io.h"
#include "models-test-util.h"

/* Primitives */

static GBytes *
write_sample (void)
{
  WlModelWriter *writer = wl_model_writer_new ();
  const float fs[] = { 1.5f, -0.f, INFINITY };
  const guint32 us[] = { 7, G_MAXUINT32 };

  wl_model_writer_put_u32 (writer, 0xdeadbeef);
  wl_model_writer_put_u64 (writer, G_GUINT64_CONSTANT (0x0123456789abcdef));
  wl_model_writer_put_f32 (writer, NAN);
  wl_model_writer_put_f64 (writer, -2.25);
  wl_model_writer_put_string (writer, "héllo 世界");
  wl_model_writer_put_string (writer, "");
  wl_model_writer_put_bytes (writer, "xyz", 3);
  wl_model_writer_put_f32s (writer, fs, 3);
  wl_model_writer_put_u32s (writer, us, 2);
  wl_model_writer_put_u64 (writer, 3);
  memcpy (wl_model_writer_put_raw (writer, 2), "ok", 2);
  wl_model_writer_put_string (writer, "文字");
  g_assert_cmpuint (wl_model_writer_get_size (writer),
                    ==, 4 + 8 + 4 + 8 + 4 + 13 + 4 + 3 + 12 + 8 + 8 + 2 + 4 + 6);
  return wl_model_writer_steal (writer);
}

/* Reads back what write_sample() wrote; FALSE at the first failure. */
static gboolean
read_sample (WlModelReader  *reader,
             GError        **error)
{
  guint32 u32, us[2];
  guint64 u64, count;
  float f32, fs[3];
  double f64;
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;
  char bytes[3];
  const guint8 *raw;
  const char *text;
  guint32 text_len;

  if (!wl_model_reader_get_u32 (reader, &u32, error) ||
      !wl_model_reader_get_u64 (reader, &u64, error) ||
      !wl_model_reader_get_f32 (reader, &f32, error) ||
      !wl_model_reader_get_f64 (reader, &f64, error) ||
      !wl_model_reader_get_string (reader, &s1, error) ||
      !wl_model_reader_get_string (reader, &s2, error) ||
      !wl_model_reader_get_bytes (reader, bytes, 3, error) ||
      !wl_model_reader_get_f32s (reader, fs, 3, error) ||
      !wl_model_reader_get_u32s (reader, us, 2, error) ||
      !wl_model_reader_get_count (reader, 3, &count, error) ||
      !(raw = wl_model_reader_get_raw (reader, 2, error)) ||
      !wl_model_reader_get_text (reader, &text, &text_len, error))
    return FALSE;

  g_assert_cmphex (u32, ==, 0xdeadbeef);
  g_assert_cmphex (u64, ==, G_GUINT64_CONSTANT (0x0123456789abcdef));
  g_assert_true (isnan (f32));
  g_assert_cmpfloat (f64, ==, -2.25);
  g_assert_cmpstr (s1, ==, "héllo 世界");
  g_assert_cmpstr (s2, ==, "");
  g_assert_cmpmem (bytes, 3, "xyz", 3);
  g_assert_cmpfloat (fs[0], ==, 1.5f);
  g_assert_true (fs[1] == 0.f && signbit (fs[1]));
  g_assert_true (isinf (fs[2]));
  g_assert_cmpuint (us[0], ==, 7);
  g_assert_cmpuint (us[1], ==, G_MAXUINT32);
  g_assert_cmpuint (count, ==, 3);
  g_assert_cmpmem (raw, 2, "ok", 2);
  g_assert_cmpmem (text, text_len, "文字", 6);
  return TRUE;
}

static void
test_io_round_trip (void)
{
  g_autoptr(GBytes) bytes = write_sample ();
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autoptr(WlModelReader) reader = wl_model_reader_new (data, len, "x.wlm");
  g_autoptr(GError) error = NULL;

  /* Little-endian on every host. */
  g_assert_cmphex (data[0], ==, 0xef);
  g_assert_cmphex (data[4], ==, 0xef);

  g_assert_true (read_sample (reader, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wl_model_reader_remaining (reader), ==, 0);
  g_assert_cmpuint (wl_model_reader_get_offset (reader), ==, len);
}

/* Weights are numbers: a NaN or an infinity among them is refused, where
 * plain f32s (the round trip above) may hold anything. */
static void
test_io_weights_finite (void)
{
  const float bad[][3] = { { 1.f, NAN, 2.f }, { INFINITY, 0.f, 0.f }, { 0.f, 0.f, -INFINITY } };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      WlModelWriter *writer = wl_model_writer_new ();   /* steal frees it */
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(WlModelReader) reader = NULL;
      g_autoptr(GError) error = NULL;
      float back[3];
      gsize len;
      const guint8 *data;

      wl_model_writer_put_f32s (writer, bad[i], 3);
      bytes = wl_model_writer_steal (writer);
      data = g_bytes_get_data (bytes, &len);
      reader = wl_model_reader_new (data, len, "x.wlm");
      g_assert_false (wl_model_reader_get_weights (reader, back, 3, &error));
      g_assert_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
      g_assert_nonnull (strstr (error->message, "not all finite numbers"));
      g_assert_nonnull (strstr (error->message, "diverged"));
    }
  {
    const float good[3] = { 1.f, -0.f, 3e38f };
    WlModelWriter *writer = wl_model_writer_new ();
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(WlModelReader) reader = NULL;
    float back[3];
    gsize len;
    const guint8 *data;

    wl_model_writer_put_f32s (writer, good, 3);
    bytes = wl_model_writer_steal (writer);
    data = g_bytes_get_data (bytes, &len);
    reader = wl_model_reader_new (data, len, "x.wlm");
    g_assert_true (wl_model_reader_get_weights (reader, back, 3, NULL));
    g_assert_cmpmem (back, sizeof back, good, sizeof good);
  }
}

static void
test_io_truncated (void)
{
  g_autoptr(GBytes) bytes = write_sample ();
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(WlModelReader) reader = wl_model_reader_new (data, cut, "x.wlm");
      g_autoptr(GError) error = NULL;

      g_assert_false (read_sample (reader, &error));
      g_assert_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
      g_assert_cmpstr (error->message, ==, "x.wlm: the file is truncated");
    }
}

static void
test_io_guards (void)
{
  WlModelWriter *writer = wl_model_writer_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WlModelReader) reader = NULL;
  const guint8 *data;
  gsize len;
  guint64 count;
  char *s = NULL;
  float f;

  wl_model_writer_put_u64 (writer, G_GUINT64_CONSTANT (1) << 40);
  wl_model_writer_put_u32 (writer, 2);
  wl_model_writer_put_bytes (writer, "\xff\xfe", 2);
  wl_model_writer_put_u32 (writer, 2);
  wl_model_writer_put_bytes (writer, "a\0", 2);
  bytes = wl_model_writer_steal (writer);
  data = g_bytes_get_data (bytes, &len);
  reader = wl_model_reader_new (data, len, "m.wlm");

  /* A count over its bound. */
  g_assert_false (wl_model_reader_get_count (reader, 1000, &count, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
  g_assert_nonnull (strstr (error->message, "corrupted"));
  g_clear_error (&error);

  /* Invalid UTF-8, then an embedded NUL. */
  g_assert_false (wl_model_reader_get_string (reader, &s, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
  g_clear_error (&error);
  g_assert_false (wl_model_reader_get_string (reader, &s, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
  g_clear_error (&error);
  g_assert_null (s);

  /* Arrays larger than what is left fail before anything is read. */
  g_assert_false (wl_model_reader_expect (reader, G_MAXUINT64 / 2, 4, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
  g_clear_error (&error);
  g_assert_false (wl_model_reader_get_f32 (reader, &f, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
}

/* Model files */

typedef struct
{
  TestData  train;
  TestData  test;
  char     *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  test_data_generate (&fx->train, 150, 1);
  test_data_generate (&fx->test, 40, 2);
  fx->dir = g_dir_make_tmp ("wl-model-file-XXXXXX", NULL);
  g_assert_nonnull (fx->dir);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fx->dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fx->dir, name, NULL);

      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fx->dir), ==, 0);
  g_free (fx->dir);
  test_data_clear (&fx->train);
  test_data_clear (&fx->test);
}

/* Every probability of @a and @b on @data, bit for bit. */
static void
assert_same_predictions (const WlModel  *a,
                         const WlModel  *b,
                         const TestData *data)
{
  WlFeatures *fa = wl_model_featurize (a, data->docs, data->n, 1);
  WlFeatures *fb = wl_model_featurize (b, data->docs, data->n, 2);

  for (gsize i = 0; i < data->n; i++)
    {
      float pa[N_CLASSES], pb[N_CLASSES];

      wl_model_predict (a, fa, i, pa);
      wl_model_predict (b, fb, i, pb);
      g_assert_cmpmem (pa, sizeof pa, pb, sizeof pb);
    }
  wl_model_features_free (a, fa);
  wl_model_features_free (b, fb);
}

static void
test_file_round_trip (Fixture       *fx,
                      gconstpointer  data)
{
  WlModelType type = GPOINTER_TO_INT (data);
  g_autoptr(WlModel) model = test_model_train (type, &fx->train, 2);
  g_autofree char *path = g_build_filename (fx->dir, "model.wlm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(WlModel) loaded = NULL;
  g_autoptr(WlModelFileInfo) info = NULL;
  g_autofree char *json = NULL;
  g_autofree char *loaded_json = NULL;

  g_assert_true (wl_model_file_save (path, model, test_label_names, N_CLASSES, &error));
  g_assert_no_error (error);
  /* Saving again replaces the file, through a temporary name. */
  g_assert_true (wl_model_file_save (path, model, test_label_names, N_CLASSES, &error));
  g_assert_no_error (error);

  loaded = wl_model_file_load (path, &labels, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_true (loaded->klass == model->klass);
  g_assert_cmpuint (loaded->n_labels, ==, N_CLASSES);
  g_assert_cmpuint (labels->len, ==, N_CLASSES);
  for (guint k = 0; k < N_CLASSES; k++)
    g_assert_cmpstr (g_ptr_array_index (labels, k), ==, test_label_names[k]);
  json = wl_config_to_json (model->config, FALSE);
  loaded_json = wl_config_to_json (loaded->config, FALSE);
  g_assert_cmpstr (json, ==, loaded_json);
  g_assert_cmpuint (wl_model_n_parameters (loaded), ==, wl_model_n_parameters (model));
  assert_same_predictions (model, loaded, &fx->test);

  info = wl_model_file_info_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->format_version, ==, WL_MODEL_FILE_VERSION);
  g_assert_cmpstr (info->config_json, ==, json);
  g_assert_cmpuint (info->labels->len, ==, N_CLASSES);
  g_assert_cmpstr (g_ptr_array_index (info->labels, 2), ==, "科技");
  g_assert_cmpuint (info->n_parameters, ==, wl_model_n_parameters (model));
  g_assert_cmpuint (info->n_parameters, >, 0);
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpuint (info->file_size, ==, st.st_size);
  }
}

static GBytes *
model_bytes (Fixture     *fx,
             WlModelType  type)
{
  g_autoptr(WlModel) model = test_model_train (type, &fx->train, 1);
  g_autoptr(GError) error = NULL;
  GBytes *bytes = wl_model_file_to_bytes (model, test_label_names, N_CLASSES, &error);

  g_assert_no_error (error);
  return bytes;
}

static void
assert_refused (const guint8 *data,
                gsize         len,
                const char   *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  WlModel *model = wl_model_file_from_bytes (data, len, "m.wlm", &labels, &error);

  g_assert_null (model);
  g_assert_null (labels);
  g_assert_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not say “%s” (%" G_GSIZE_FORMAT " bytes)", error->message, message_part, len);
}

static void
test_file_truncated (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GBytes) bytes = model_bytes (fx, GPOINTER_TO_INT (data));
  gsize len;
  const guint8 *file = g_bytes_get_data (bytes, &len);
  g_autofree char *path = g_build_filename (fx->dir, "cut.wlm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WlModel) model = NULL;

  for (gsize cut = 0; cut < len; cut++)
    assert_refused (file, cut, "the file is truncated");

  /* The same from a file on disk. */
  g_assert_true (g_file_set_contents (path, (const char *) file, len / 2, NULL));
  model = wl_model_file_load (path, NULL, &error);
  g_assert_null (model);
  g_assert_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_null (wl_model_file_info_load (path, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
}

/* Each model's own reader refuses its payload cut anywhere (the model file
 * itself refuses a cut file from its size alone). */
static void
test_payload_truncated (Fixture       *fx,
                        gconstpointer  data)
{
  TestData few;
  g_autoptr(WlModel) model = NULL;
  WlModelWriter *writer = wl_model_writer_new ();
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *payload;
  gsize len;

  test_data_generate (&few, 12, 3);
  model = test_model_train (GPOINTER_TO_INT (data), &few, 1);
  test_data_clear (&few);
  model->klass->write (model, writer);
  bytes = wl_model_writer_steal (writer);
  payload = g_bytes_get_data (bytes, &len);
  for (gsize cut = 0; cut <= len; cut++)
    {
      g_autoptr(WlModelReader) reader = wl_model_reader_new (payload, cut, "p");
      g_autoptr(GError) error = NULL;
      g_autoptr(WlModel) read = NULL;

      /* Read as the current format, whose payload was written. */
      wl_model_reader_set_version (reader, WL_MODEL_FILE_VERSION);
      read = model->klass->read (model->config, N_CLASSES, reader, &error);

      if (cut < len)
        {
          g_assert_null (read);
          g_assert_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_nonnull (read);
          g_assert_cmpuint (wl_model_reader_remaining (reader), ==, 0);
        }
    }
}

static void
test_file_corrupted (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GBytes) bytes = model_bytes (fx, GPOINTER_TO_INT (data));
  gsize len;
  const guint8 *file = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *copy = g_memdup2 (file, len + 1);
  g_autoptr(WlModel) model = NULL;
  g_autoptr(GError) error = NULL;

  /* Flipped bytes anywhere after the size field, checksum included. */
  for (gsize i = 24; i < len; i += 1 + i / 16)
    {
      copy[i] ^= 0x20;
      assert_refused (copy, len, "corrupted (its checksum does not match)");
      copy[i] ^= 0x20;
    }

  /* Bytes after the end. */
  copy[len] = '\n';
  assert_refused (copy, len + 1, "corrupted (1 unexpected byte at its end)");

  /* The copy itself is fine. */
  model = wl_model_file_from_bytes (copy, len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (model);
}

static void
test_file_bad_magic (Fixture       *fx,
                     gconstpointer  data)
{
  g_autoptr(GBytes) bytes = model_bytes (fx, WL_MODEL_LINEAR);
  gsize len;
  g_autofree guint8 *copy = NULL;
  const char *csv = "label,text\nham,hello there\n";
  g_autofree char *path = g_build_filename (fx->dir, "data.csv", NULL);
  g_autoptr(GError) error = NULL;

  g_bytes_get_data (bytes, &len);
  copy = g_memdup2 (g_bytes_get_data (bytes, NULL), len);
  copy[0] = 'X';
  assert_refused (copy, len, "m.wlm: not a Wordloom model file");
  assert_refused ((const guint8 *) csv, strlen (csv), "not a Wordloom model file");
  assert_refused ((const guint8 *) "WL", 2, "the file is truncated");

  g_assert_true (g_file_set_contents (path, csv, -1, NULL));
  g_assert_null (wl_model_file_load (path, NULL, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT);
  g_assert_nonnull (strstr (error->message, "not a Wordloom model file"));
}

/* Format 1 had no training-state section: its files still load, with
 * the same predictions. */
static void
test_file_format_1 (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(WlModel) model = test_model_train (WL_MODEL_MLP, &fx->train, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = wl_model_file_to_bytes (model, test_label_names, N_CLASSES, &error);
  g_autoptr(WlModel) loaded = NULL;
  gsize len, old_len;
  const guint8 *file = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *old = NULL;
  guint32 version = GUINT32_TO_LE (1);
  guint64 size, sum;

  g_assert_no_error (error);
  /* Drop the empty state section (u64 0) before the checksum, which goes
   * in its place. */
  old_len = len - 8;
  old = g_memdup2 (file, old_len);
  for (guint i = 0; i < 8; i++)
    g_assert_cmpuint (old[old_len - 8 + i], ==, 0);
  memcpy (old + 8, &version, 4);
  size = GUINT64_TO_LE (old_len);
  memcpy (old + 16, &size, 8);
  sum = GUINT64_TO_LE (wl_model_file_checksum (old, old_len - 8));
  memcpy (old + old_len - 8, &sum, 8);

  loaded = wl_model_file_from_bytes (old, old_len, "old.wlm", NULL, &error);
  g_assert_no_error (error);
  assert_same_predictions (model, loaded, &fx->test);
}

/* Format 5 added split contractions and the TextCNN's wide padding, on by
 * default: an older file is read as it ran, with both off. */
/* @model's file as if an older Wordloom of format @version wrote it. */
static WlModel *
read_as_version (const WlModel *model,
                 guint32        version)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = wl_model_file_to_bytes (model, test_label_names, N_CLASSES, &error);
  gsize len;
  const guint8 *file = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *copy = g_memdup2 (file, len);
  guint32 le = GUINT32_TO_LE (version);
  guint64 sum;
  WlModel *old;

  g_assert_no_error (error);
  memcpy (copy + 8, &le, 4);
  sum = GUINT64_TO_LE (wl_model_file_checksum (copy, len - 8));
  memcpy (copy + len - 8, &sum, 8);
  old = wl_model_file_from_bytes (copy, len, "old.wlm", NULL, &error);
  g_assert_no_error (error);
  return old;
}

static void
test_file_format_4 (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(WlModel) model = test_model_train (WL_MODEL_TEXTCNN, &fx->train, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = wl_model_file_to_bytes (model, test_label_names, N_CLASSES, &error);
  g_autoptr(WlModel) same = NULL, old = NULL;
  gsize len;
  const guint8 *file = g_bytes_get_data (bytes, &len);

  g_assert_no_error (error);
  g_assert_cmpint (model->config->model.padding, ==, WL_PADDING_WIDE);
  g_assert_true (model->config->tokens.split_contractions);
  same = wl_model_file_from_bytes (file, len, "new.wlm", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (same->config->model.padding, ==, WL_PADDING_WIDE);
  g_assert_true (same->config->tokens.split_contractions);
  assert_same_predictions (model, same, &fx->test);

  old = read_as_version (model, 4);
  g_assert_cmpint (old->config->model.padding, ==, WL_PADDING_NONE);
  g_assert_false (old->config->tokens.split_contractions);
}

/* Format 6 added model.refit, on by default: files before it never refit.
 * Format 7 added clean.mark_links, on by default: files before it removed
 * links without a word in their place. */
static void
test_file_formats_5_and_6 (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(WlModel) model = test_model_train (WL_MODEL_EMBEDDING_BAG, &fx->train, 1);
  g_autoptr(WlModel) same = read_as_version (model, WL_MODEL_FILE_VERSION);
  g_autoptr(WlModel) v6 = read_as_version (model, 6);
  g_autoptr(WlModel) v5 = read_as_version (model, 5);
  const struct { const WlModel *model; gboolean refit, mark_links; } read[] = {
    { model, TRUE, TRUE }, { same, TRUE, TRUE }, { v6, TRUE, FALSE }, { v5, FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (read); i++)
    {
      g_assert_cmpint (read[i].model->config->model.refit, ==, read[i].refit);
      g_assert_cmpint (read[i].model->config->clean.mark_links, ==, read[i].mark_links);
    }
  assert_same_predictions (model, v5, &fx->test);
}

/* A checkpoint's training state travels in the file and back into the
 * model; a model that keeps none refuses one. */
static void
test_file_training_state (Fixture       *fx,
                          gconstpointer  data)
{
  g_autoptr(WlModel) model = test_model_train (WL_MODEL_MLP, &fx->train, 1);
  g_autoptr(WlModel) linear = test_model_train (WL_MODEL_LINEAR, &fx->train, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) state = wl_model_save_state (model, &error);
  g_autoptr(GBytes) plain = NULL, checkpoint = NULL, again = NULL, wrong = NULL;
  g_autoptr(WlModel) loaded = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (state);
  /* Adam: two moments of every weight, and more. */
  g_assert_cmpuint (g_bytes_get_size (state), >, 2 * 4 * wl_model_n_parameters (model));
  g_assert_null (wl_model_save_state (linear, &error));
  g_assert_no_error (error);

  plain = wl_model_file_to_bytes (model, test_label_names, N_CLASSES, &error);
  checkpoint = wl_model_file_to_bytes_with_state (model, state, test_label_names, N_CLASSES,
                                                  &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (checkpoint), ==,
                    g_bytes_get_size (plain) + g_bytes_get_size (state));
  loaded = wl_model_file_from_bytes (g_bytes_get_data (checkpoint, NULL),
                                     g_bytes_get_size (checkpoint), "c.wlm", NULL, &error);
  g_assert_no_error (error);
  assert_same_predictions (model, loaded, &fx->test);
  /* Kept until it trains: a checkpoint of it holds the same state. */
  again = wl_model_save_state (loaded, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (again, state));

  wrong = wl_model_file_to_bytes_with_state (linear, state, test_label_names, N_CLASSES, &error);
  g_assert_no_error (error);
  assert_refused (g_bytes_get_data (wrong, NULL), g_bytes_get_size (wrong),
                  "training state for a linear model");
}

static void
test_file_newer (Fixture       *fx,
                 gconstpointer  data)
{
  g_autoptr(GBytes) bytes = model_bytes (fx, WL_MODEL_LINEAR);
  gsize len;
  const guint8 *file = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *copy = g_memdup2 (file, len);

  g_autofree char *message = g_strdup_printf ("m.wlm was written by a newer Wordloom "
                                             "(format %u); this one reads up to %u: "
                                             "upgrade Wordloom", WL_MODEL_FILE_VERSION + 1,
                                             WL_MODEL_FILE_VERSION);

  copy[8] = WL_MODEL_FILE_VERSION + 1;
  assert_refused (copy, len, message);
  /* Refused on the version alone: even cut short. */
  assert_refused (copy, 40, "newer Wordloom");

  copy[8] = WL_MODEL_FILE_VERSION;
  copy[12] = 0x80;   /* a storage flag this version does not know */
  assert_refused (copy, len, "newer Wordloom");
}

static void
test_file_missing (Fixture       *fx,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->dir, "none.wlm", NULL);
  g_autofree char *bad_dir = g_build_filename (fx->dir, "no", "such", "x.wlm", NULL);
  g_autoptr(WlModel) model = test_model_train (WL_MODEL_LINEAR, &fx->train, 1);
  g_autoptr(GError) error = NULL;

  g_assert_null (wl_model_file_load (path, NULL, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_IO);
  g_clear_error (&error);
  g_assert_false (wl_model_file_save (bad_dir, model, test_label_names, N_CLASSES, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_IO);
}

static void
add_typed (const char    *name,
           WlModelType    type,
           void         (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strdup_printf ("/model-file/%s/%s", name,
                                           wl_model_type_to_string (type));

  g_test_add (path, Fixture, GINT_TO_POINTER (type), fixture_set_up, func, fixture_tear_down);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model-io/round-trip", test_io_round_trip);
  g_test_add_func ("/model-io/truncated", test_io_truncated);
  g_test_add_func ("/model-io/weights-finite", test_io_weights_finite);
  g_test_add_func ("/model-io/guards", test_io_guards);

  for (WlModelType type = 0; type < WL_N_MODELS; type++)
    {
      add_typed ("round-trip", type, test_file_round_trip);
      add_typed ("truncated", type, test_file_truncated);
      add_typed ("payload-truncated", type, test_payload_truncated);
      add_typed ("corrupted", type, test_file_corrupted);
    }
  g_test_add ("/model-file/bad-magic", Fixture, NULL, fixture_set_up, test_file_bad_magic, fixture_tear_down);
  g_test_add ("/model-file/format-1", Fixture, NULL, fixture_set_up, test_file_format_1, fixture_tear_down);
  g_test_add ("/model-file/format-4", Fixture, NULL, fixture_set_up, test_file_format_4, fixture_tear_down);
  g_test_add ("/model-file/formats-5-and-6", Fixture, NULL, fixture_set_up, test_file_formats_5_and_6,
              fixture_tear_down);
  g_test_add ("/model-file/training-state", Fixture, NULL, fixture_set_up, test_file_training_state, fixture_tear_down);
  g_test_add ("/model-file/newer", Fixture, NULL, fixture_set_up, test_file_newer, fixture_tear_down);
  g_test_add ("/model-file/missing", Fixture, NULL, fixture_set_up, test_file_missing, fixture_tear_down);

  return g_test_run ();
}
