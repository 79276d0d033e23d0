/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model-export.c: a model in ONNX and safetensors, through its tensors
 * and its graph; the graph pieces the models share. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-error.h"
#include "export/wl-safetensors.h"
#include "models/wl-model-export.h"
#include "models/wl-model-private.h"

void
wl_model_foreach_tensor (WlModel      *model,
                         WlTensorFunc  func,
                         gpointer      user_data)
{
  g_return_if_fail (model != NULL && func != NULL);

  if (model->klass->foreach_tensor != NULL)
    model->klass->foreach_tensor (model, func, user_data);
}

static char *
labels_json (const char * const *labels,
             guint               n_labels)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < n_labels; i++)
    json_builder_add_string_value (builder, labels[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* ONNX */

typedef struct
{
  WlOnnxGraph *graph;
  gboolean     ok;
} GraphJob;

static void
add_weight (const WlTensorView *t,
            gpointer            data)
{
  GraphJob *job = data;
  WlOnnxType type = t->dtype == WL_DTYPE_F16 ? WL_ONNX_FLOAT16
                  : t->dtype == WL_DTYPE_I8 ? WL_ONNX_INT8 : WL_ONNX_FLOAT;

  if (t->dtype != WL_DTYPE_F32 && t->dtype != WL_DTYPE_F16 && t->dtype != WL_DTYPE_I8)
    job->ok = FALSE;
  else if (!wl_onnx_graph_add_weight (job->graph, t->name, type, t->n_dims, t->shape, t->data,
                                      t->scales, t->scale_axis))
    job->ok = FALSE;
}

GBytes *
wl_model_to_onnx (WlModel             *model,
                  const char * const  *labels,
                  guint                n_labels,
                  GError             **error)
{
  static const char *const dim_names[] = { "batch", "length" };
  static const gint64 ids_dims[] = { -1, -1 };
  g_autoptr(WlOnnxGraph) graph = wl_onnx_graph_new (model->klass->name);
  g_autofree char *config = wl_config_to_json (model->config, FALSE);
  g_autofree char *labels_text = labels_json (labels, n_labels);
  GraphJob job = { graph, TRUE };
  gint64 out_dims[] = { -1, n_labels };
  const char *probs;

  g_return_val_if_fail (n_labels == model->n_labels, NULL);

  if (model->klass->onnx_graph == NULL || model->klass->foreach_tensor == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("the %s model cannot be exported to ONNX; export it as safetensors or wlm"),
                   model->klass->name);
      return NULL;
    }
  wl_onnx_graph_add_input (graph, "ids", WL_ONNX_INT64, 2, ids_dims, dim_names);
  wl_onnx_graph_add_input (graph, "lengths", WL_ONNX_INT64, 1, ids_dims, dim_names);
  wl_model_foreach_tensor (model, add_weight, &job);
  if (!job.ok)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("the %s model has a tensor that ONNX cannot hold"), model->klass->name);
      return NULL;
    }
  probs = model->klass->onnx_graph (model, graph);
  wl_onnx_graph_add_output (graph, probs, "probabilities", WL_ONNX_FLOAT, 2, out_dims, dim_names);
  wl_onnx_graph_set_metadata (graph, "model", model->klass->name);
  wl_onnx_graph_set_metadata (graph, "labels", labels_text);
  wl_onnx_graph_set_metadata (graph, "config", config);
  wl_onnx_graph_set_metadata (graph, "wordloom_version", PACKAGE_VERSION);
  return wl_onnx_graph_to_bytes (graph, PACKAGE_VERSION);
}

/* safetensors */

typedef struct
{
  WlSafetensors *file;
  gboolean       ok;
} SafetensorsJob;

static void
add_safetensor (const WlTensorView *t,
                gpointer            data)
{
  SafetensorsJob *job = data;

  switch (t->dtype)
    {
    case WL_DTYPE_F32:
      job->ok &= wl_safetensors_add (job->file, t->name, WL_SAFETENSORS_F32, t->n_dims, t->shape,
                                     t->data);
      break;
    case WL_DTYPE_F16:
      job->ok &= wl_safetensors_add (job->file, t->name, WL_SAFETENSORS_F16, t->n_dims, t->shape,
                                     t->data);
      break;
    case WL_DTYPE_I8:
      job->ok &= wl_safetensors_add_quantized (job->file, t->name, t->n_dims, t->shape, t->data,
                                               t->scales, t->scale_axis);
      break;
    default:
      job->ok = FALSE;
    }
}

GBytes *
wl_model_to_safetensors (WlModel             *model,
                         const char * const  *labels,
                         guint                n_labels,
                         GError             **error)
{
  g_autoptr(WlSafetensors) file = wl_safetensors_new ();
  g_autofree char *config = wl_config_to_json (model->config, FALSE);
  g_autofree char *labels_text = labels_json (labels, n_labels);
  g_autofree char *version = g_strdup_printf ("%d", WL_EXPORT_FORMAT_VERSION);
  SafetensorsJob job = { file, TRUE };

  if (model->klass->foreach_tensor == NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("the %s model cannot be exported to safetensors; export it as wlm"),
                   model->klass->name);
      return NULL;
    }
  wl_safetensors_set_metadata (file, "format", "wordloom");
  wl_safetensors_set_metadata (file, "format_version", version);
  wl_safetensors_set_metadata (file, "model", model->klass->name);
  wl_safetensors_set_metadata (file, "labels", labels_text);
  wl_safetensors_set_metadata (file, "config", config);
  wl_safetensors_set_metadata (file, "wordloom_version", PACKAGE_VERSION);
  wl_model_foreach_tensor (model, add_safetensor, &job);
  if (!job.ok)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("the %s model has a tensor that safetensors cannot hold"),
                   model->klass->name);
      return NULL;
    }
  return wl_safetensors_to_bytes (file);
}

/* Ids */

GPtrArray *
wl_model_export_ids (const WlModel     *model,
                     const WlTokenList *docs,
                     gsize              n_docs,
                     guint              n_threads)
{
  GPtrArray *out = g_ptr_array_new_full (n_docs, (GDestroyNotify) g_array_unref);
  WlFeatures *features;

  if (model->klass->export_ids != NULL)
    {
      for (gsize d = 0; d < n_docs; d++)
        {
          GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

          model->klass->export_ids (model, &docs[d], ids);
          g_ptr_array_add (out, ids);
        }
      return out;
    }
  features = wl_model_featurize (model, docs, n_docs, n_threads);
  for (gsize d = 0; d < n_docs; d++)
    {
      const guint32 *row;
      gsize n = wl_features_row (features, d, &row, NULL);
      GArray *ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);

      for (gsize j = 0; j < n; j++)
        {
          gint64 id = row[j];

          g_array_append_val (ids, id);
        }
      g_ptr_array_add (out, ids);
    }
  wl_model_features_free (model, features);
  return out;
}

void
wl_model_describe_ids (const WlModel *model,
                       JsonBuilder   *builder)
{
  g_return_if_fail (model->klass->describe_ids != NULL);

  model->klass->describe_ids (model, builder);
}

/* Graph pieces */

const char *
wl_model_onnx_mask (WlOnnxGraph *graph)
{
  const char *shape = wl_onnx_graph_op (graph, "Shape", WL_ONNX_IN ("ids"), WL_ONNX_NO_ATTRS);
  const char *length = wl_onnx_graph_op (graph, "Gather",
                                         WL_ONNX_IN (shape, wl_onnx_graph_int_scalar (graph, 1)),
                                         WL_ONNX_ATTRS (WL_ONNX_INT ("axis", 0)));
  const char *steps = wl_onnx_graph_op (graph, "Range",
                                        WL_ONNX_IN (wl_onnx_graph_int_scalar (graph, 0), length,
                                                    wl_onnx_graph_int_scalar (graph, 1)),
                                        WL_ONNX_NO_ATTRS);

  return wl_model_onnx_steps_mask (graph, steps, "lengths");
}

const char *
wl_model_onnx_steps_mask (WlOnnxGraph *graph,
                          const char  *steps,
                          const char  *lengths)
{
  const char *column = wl_onnx_graph_op (graph, "Unsqueeze",
                                         WL_ONNX_IN (lengths, wl_onnx_graph_ints (graph, 1, (gint64[]) { 1 })),
                                         WL_ONNX_NO_ATTRS);

  return wl_onnx_graph_op (graph, "Less", WL_ONNX_IN (steps, column), WL_ONNX_NO_ATTRS);
}

const char *
wl_model_onnx_safe_ids (WlOnnxGraph *graph,
                        const char  *mask)
{
  return wl_onnx_graph_op (graph, "Where",
                           WL_ONNX_IN (mask, "ids", wl_onnx_graph_int_scalar (graph, 0)),
                           WL_ONNX_NO_ATTRS);
}

const char *
wl_model_onnx_embed (WlOnnxGraph *graph,
                     const char  *table,
                     const char  *mask)
{
  const char *rows = wl_onnx_graph_op (graph, "Gather",
                                       WL_ONNX_IN (table, wl_model_onnx_safe_ids (graph, mask)),
                                       WL_ONNX_ATTRS (WL_ONNX_INT ("axis", 0)));
  const char *weights = wl_onnx_graph_op (graph, "Cast", WL_ONNX_IN (mask),
                                          WL_ONNX_ATTRS (WL_ONNX_INT ("to", WL_ONNX_FLOAT)));
  const char *column = wl_onnx_graph_op (graph, "Unsqueeze",
                                         WL_ONNX_IN (weights, wl_onnx_graph_ints (graph, 1, (gint64[]) { 2 })),
                                         WL_ONNX_NO_ATTRS);

  return wl_onnx_graph_op (graph, "Mul", WL_ONNX_IN (rows, column), WL_ONNX_NO_ATTRS);
}

const char *
wl_model_onnx_mean (WlOnnxGraph *graph,
                    const char  *rows)
{
  const char *sum = wl_onnx_graph_op (graph, "ReduceSum",
                                      WL_ONNX_IN (rows, wl_onnx_graph_ints (graph, 1, (gint64[]) { 1 })),
                                      WL_ONNX_ATTRS (WL_ONNX_INT ("keepdims", 0)));
  const char *n = wl_onnx_graph_op (graph, "Cast", WL_ONNX_IN ("lengths"),
                                    WL_ONNX_ATTRS (WL_ONNX_INT ("to", WL_ONNX_FLOAT)));
  const char *at_least_one = wl_onnx_graph_op (graph, "Max",
                                               WL_ONNX_IN (n, wl_onnx_graph_float_scalar (graph, 1.f)),
                                               WL_ONNX_NO_ATTRS);
  const char *column = wl_onnx_graph_op (graph, "Unsqueeze",
                                         WL_ONNX_IN (at_least_one, wl_onnx_graph_ints (graph, 1, (gint64[]) { 1 })),
                                         WL_ONNX_NO_ATTRS);

  return wl_onnx_graph_op (graph, "Div", WL_ONNX_IN (sum, column), WL_ONNX_NO_ATTRS);
}

const char *
wl_model_onnx_affine (WlOnnxGraph *graph,
                      const char  *x,
                      const char  *weight,
                      const char  *bias)
{
  const char *product = wl_onnx_graph_op (graph, "MatMul", WL_ONNX_IN (x, weight), WL_ONNX_NO_ATTRS);

  return wl_onnx_graph_op (graph, "Add", WL_ONNX_IN (product, bias), WL_ONNX_NO_ATTRS);
}

const char *
wl_model_onnx_softmax (WlOnnxGraph *graph,
                       const char  *scores)
{
  return wl_onnx_graph_op (graph, "Softmax", WL_ONNX_IN (scores),
                           WL_ONNX_ATTRS (WL_ONNX_INT ("axis", -1)));
}

void
wl_model_describe_vocab (const WlVocab *vocab,
                         guint32        first_id,
                         JsonBuilder   *builder)
{
  guint32 n = wl_vocab_size (vocab);

  json_builder_set_member_name (builder, "vocabulary_first_id");
  json_builder_add_int_value (builder, first_id);
  json_builder_set_member_name (builder, "vocabulary");
  json_builder_begin_array (builder);
  for (guint32 i = 0; i < n; i++)
    json_builder_add_string_value (builder, wl_vocab_get_text (vocab, i));
  json_builder_end_array (builder);
}
