/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-classifier-export.c: a classifier as ONNX, safetensors or .wlm, its
 * preprocessing description, and the ids of new texts. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wl-error.h"
#include "export/wl-save.h"
#include "models/wl-model-export.h"
#include "train/wl-classifier-export.h"

char *
wl_export_preprocessing_path (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');
  g_autofree char *name = NULL;

  if (dot != NULL && dot != base)
    *dot = '\0';
  name = g_strconcat (base, ".preprocessing.json", NULL);
  if (strchr (path, G_DIR_SEPARATOR) == NULL)
    return g_steal_pointer (&name);
  return g_build_filename (dir, name, NULL);
}

/* A section of the config ("clean", "tokens") as a JSON node. */
static JsonNode *
config_section (const WlConfig *config,
                const char     *section)
{
  g_autofree char *json = wl_config_to_json (config, FALSE);
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  JsonObject *object = root != NULL ? json_node_get_object (root) : NULL;

  if (object == NULL || !json_object_has_member (object, section))
    return json_node_new (JSON_NODE_NULL);
  return json_node_copy (json_object_get_member (object, section));
}

char *
wl_classifier_describe_preprocessing (const WlClassifier *classifier)
{
  const WlModel *model = wl_classifier_get_model (classifier);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, "wordloom-preprocessing");
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, WL_EXPORT_FORMAT_VERSION);
  json_builder_set_member_name (builder, "wordloom_version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model->klass->name);
  json_builder_set_member_name (builder, "labels");
  json_builder_begin_array (builder);
  for (guint i = 0; i < wl_classifier_get_n_labels (classifier); i++)
    json_builder_add_string_value (builder, wl_classifier_get_label (classifier, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "clean");
  json_builder_add_value (builder, config_section (model->config, "clean"));
  json_builder_set_member_name (builder, "tokens");
  json_builder_add_value (builder, config_section (model->config, "tokens"));
  wl_model_describe_ids (model, builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

gboolean
wl_classifier_export (const WlClassifier  *classifier,
                      WlExportFormat       format,
                      const char          *path,
                      GError             **error)
{
  /* Neural models copy their weights to the host when shown: not a change
   * anyone sees, so the classifier stays const to its callers. */
  WlModel *model = (WlModel *) wl_classifier_get_model (classifier);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *description = NULL;
  g_autofree char *description_path = NULL;
  g_autoptr(GBytes) description_bytes = NULL;
  const char *what;

  g_return_val_if_fail (path != NULL, FALSE);

  if (format == WL_EXPORT_WLM)
    return wl_classifier_save (classifier, path, error);

  for (guint i = 0; i < wl_classifier_get_n_labels (classifier); i++)
    g_ptr_array_add (labels, (gpointer) wl_classifier_get_label (classifier, i));
  if (format == WL_EXPORT_ONNX)
    {
      bytes = wl_model_to_onnx (model, (const char * const *) labels->pdata, labels->len, error);
      what = _("the ONNX model");
    }
  else
    {
      bytes = wl_model_to_safetensors (model, (const char * const *) labels->pdata, labels->len, error);
      what = _("the safetensors file");
    }
  if (bytes == NULL)
    return FALSE;

  description = wl_classifier_describe_preprocessing (classifier);
  description_path = wl_export_preprocessing_path (path);
  description_bytes = g_bytes_new (description, strlen (description));
  if (!wl_save_file (description_path, description_bytes, _("the preprocessing description"), error))
    return FALSE;
  if (!wl_save_file (path, bytes, what, error))
    {
      /* No description without its model. */
      g_unlink (description_path);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
wl_classifier_tokenize (const WlClassifier  *classifier,
                        const char * const  *texts,
                        gsize                n_texts,
                        guint                n_threads,
                        GCancellable        *cancellable,
                        GError             **error)
{
  const WlModel *model = wl_classifier_get_model (classifier);
  WlTokenList *tokens = g_new0 (WlTokenList, MAX (n_texts, 1));
  GPtrArray *ids;

  if (!wl_preprocess_all (wl_classifier_get_preprocessor (classifier), texts, n_texts, n_threads,
                          tokens, cancellable, error))
    {
      wl_token_lists_free (tokens, n_texts);
      return NULL;
    }
  ids = wl_model_export_ids (model, tokens, n_texts, n_threads);
  wl_token_lists_free (tokens, n_texts);
  return ids;
}
