/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-model-export.c: a model that lacks a format's hooks is refused with
 * a message that names it and what to do, and writes nothing. */
#include "config.h"

#include <string.h>

#include "wl-error.h"
#include "models/wl-model-export.h"
#include "models/wl-model-private.h"

static void
fake_free (WlModel *model)
{
  g_free (model);
}

static float bias[2] = { 0.5f, -0.5f };

static void
fake_foreach_tensor (WlModel      *model,
                     WlTensorFunc  func,
                     gpointer      user_data)
{
  WlTensorView view = { "fc.bias", WL_DTYPE_F32, 1, { 2 }, bias, NULL };

  func (&view, user_data);
}

/* Tensors but no graph: safetensors only. */
static const WlModelClass tensors_only = {
  .type = WL_MODEL_LINEAR,
  .name = "tensors-only",
  .free = fake_free,
  .foreach_tensor = fake_foreach_tensor,
};

/* Neither. */
static const WlModelClass opaque = {
  .type = WL_MODEL_LINEAR,
  .name = "opaque",
  .free = fake_free,
};

static WlModel *
fake_new (const WlModelClass *klass)
{
  g_autoptr(WlConfig) config = wl_config_new ();
  WlModel *model = g_new0 (WlModel, 1);

  wl_model_init (model, klass, config, 2);
  return model;
}

static void
test_format_a_model_cannot_take (void)
{
  static const char *const labels[] = { "yes", "no" };
  g_autoptr(WlModel) some = fake_new (&tensors_only);
  g_autoptr(WlModel) none = fake_new (&opaque);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_null (wl_model_to_onnx (some, labels, 2, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "tensors-only"));
  g_assert_nonnull (strstr (error->message, "safetensors"));
  g_clear_error (&error);

  bytes = wl_model_to_safetensors (some, labels, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (bytes), >, 8 + sizeof bias);

  g_assert_null (wl_model_to_safetensors (none, labels, 2, &error));
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "opaque"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model-export/format-a-model-cannot-take", test_format_a_model_cannot_take);
  return g_test_run ();
}
