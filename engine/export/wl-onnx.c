/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-onnx.c: ONNX graphs, built op by op and written as an ONNX file.
 *
 * Field numbers from onnx.proto (ONNX 1.12).  The GraphProto is written
 * as it is built (fields may come in any order), so a weight is copied
 * once into it and once into the ModelProto.
 */
#include "config.h"

#include <string.h>

#include "export/wl-onnx.h"
#include "export/wl-protobuf.h"

/* ModelProto */
#define MODEL_IR_VERSION        1
#define MODEL_PRODUCER_NAME     2
#define MODEL_PRODUCER_VERSION  3
#define MODEL_GRAPH             7
#define MODEL_OPSET_IMPORT      8
#define MODEL_METADATA_PROPS    14
/* OperatorSetIdProto */
#define OPSET_VERSION           2
/* StringStringEntryProto */
#define ENTRY_KEY               1
#define ENTRY_VALUE             2
/* GraphProto */
#define GRAPH_NODE              1
#define GRAPH_NAME              2
#define GRAPH_INITIALIZER       5
#define GRAPH_INPUT             11
#define GRAPH_OUTPUT            12
/* NodeProto */
#define NODE_INPUT              1
#define NODE_OUTPUT             2
#define NODE_NAME               3
#define NODE_OP_TYPE            4
#define NODE_ATTRIBUTE          5
/* AttributeProto */
#define ATTR_NAME               1
#define ATTR_F                  2
#define ATTR_I                  3
#define ATTR_S                  4
#define ATTR_INTS               8
#define ATTR_TYPE               20
/* TensorProto */
#define TENSOR_DIMS             1
#define TENSOR_DATA_TYPE        2
#define TENSOR_NAME             8
#define TENSOR_RAW_DATA         9
/* ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto */
#define VALUE_NAME              1
#define VALUE_TYPE              2
#define TYPE_TENSOR             1
#define TENSOR_TYPE_ELEM        1
#define TENSOR_TYPE_SHAPE       2
#define SHAPE_DIM               1
#define DIM_VALUE               1
#define DIM_PARAM               2

struct _WlOnnxGraph
{
  WlProto    *graph;       /* the GraphProto, written as it grows */
  WlProto    *metadata;    /* the ModelProto's metadata_props, written */
  GHashTable *values;      /* every value name in use (owned keys) */
  GStringChunk *names;     /* the names handed out */
  guint       serial;
};

WlOnnxGraph *
wl_onnx_graph_new (const char *name)
{
  WlOnnxGraph *graph = g_new0 (WlOnnxGraph, 1);

  graph->graph = wl_proto_new ();
  graph->metadata = wl_proto_new ();
  graph->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  graph->names = g_string_chunk_new (1024);
  wl_proto_put_string (graph->graph, GRAPH_NAME, name);
  return graph;
}

void
wl_onnx_graph_free (WlOnnxGraph *graph)
{
  if (graph == NULL)
    return;
  wl_proto_free (graph->graph);
  wl_proto_free (graph->metadata);
  g_hash_table_unref (graph->values);
  g_string_chunk_free (graph->names);
  g_free (graph);
}

gboolean
wl_onnx_graph_has_value (const WlOnnxGraph *graph,
                         const char        *name)
{
  return g_hash_table_contains (graph->values, name);
}

/* Claims @name for a value; FALSE when it is taken. */
static gboolean
claim (WlOnnxGraph *graph,
       const char  *name)
{
  if (g_hash_table_contains (graph->values, name))
    return FALSE;
  g_hash_table_add (graph->values, g_strdup (name));
  return TRUE;
}

/* A new value name starting with @stem. */
static const char *
fresh_name (WlOnnxGraph *graph,
            const char  *stem)
{
  g_autofree char *name = NULL;

  do
    {
      g_free (name);
      name = g_strdup_printf ("%s_%u", stem, graph->serial++);
    }
  while (!claim (graph, name));
  return g_string_chunk_insert (graph->names, name);
}

static gsize
type_size (WlOnnxType type)
{
  switch (type)
    {
    case WL_ONNX_INT8:
    case WL_ONNX_BOOL:
      return 1;
    case WL_ONNX_FLOAT16:
      return 2;
    case WL_ONNX_FLOAT:
    case WL_ONNX_INT32:
      return 4;
    case WL_ONNX_INT64:
      return 8;
    default:
      g_return_val_if_reached (0);
    }
}

/* A TensorProto, its data little-endian as raw_data says. */
static void
put_tensor (WlOnnxGraph  *graph,
            const char   *name,
            WlOnnxType    type,
            guint         n_dims,
            const gint64 *dims,
            const void   *data)
{
  WlProto *tensor = wl_proto_new ();
  gsize n = 1;

  for (guint i = 0; i < n_dims; i++)
    {
      wl_proto_put_int (tensor, TENSOR_DIMS, dims[i]);
      n *= dims[i];
    }
  wl_proto_put_int (tensor, TENSOR_DATA_TYPE, type);
  wl_proto_put_string (tensor, TENSOR_NAME, name);
  G_STATIC_ASSERT (G_BYTE_ORDER == G_LITTLE_ENDIAN);
  wl_proto_put_bytes (tensor, TENSOR_RAW_DATA, data, n * type_size (type));
  wl_proto_put_message (graph->graph, GRAPH_INITIALIZER, tensor);
}

static void
put_value_info (WlOnnxGraph        *graph,
                guint               field,
                const char         *name,
                WlOnnxType          type,
                guint               n_dims,
                const gint64       *dims,
                const char * const *dim_names)
{
  WlProto *info = wl_proto_new ();
  WlProto *type_proto = wl_proto_new ();
  WlProto *tensor_type = wl_proto_new ();
  WlProto *shape = wl_proto_new ();

  for (guint i = 0; i < n_dims; i++)
    {
      WlProto *dim = wl_proto_new ();

      if (dims[i] >= 0)
        wl_proto_put_int (dim, DIM_VALUE, dims[i]);
      else
        wl_proto_put_string (dim, DIM_PARAM, dim_names[i]);
      wl_proto_put_message (shape, SHAPE_DIM, dim);
    }
  wl_proto_put_int (tensor_type, TENSOR_TYPE_ELEM, type);
  wl_proto_put_message (tensor_type, TENSOR_TYPE_SHAPE, shape);
  wl_proto_put_message (type_proto, TYPE_TENSOR, tensor_type);
  wl_proto_put_string (info, VALUE_NAME, name);
  wl_proto_put_message (info, VALUE_TYPE, type_proto);
  wl_proto_put_message (graph->graph, field, info);
}

void
wl_onnx_graph_add_input (WlOnnxGraph        *graph,
                         const char         *name,
                         WlOnnxType          type,
                         guint               n_dims,
                         const gint64       *dims,
                         const char * const *dim_names)
{
  g_return_if_fail (claim (graph, name));

  put_value_info (graph, GRAPH_INPUT, name, type, n_dims, dims, dim_names);
}

void
wl_onnx_graph_add_output (WlOnnxGraph        *graph,
                          const char         *value,
                          const char         *name,
                          WlOnnxType          type,
                          guint               n_dims,
                          const gint64       *dims,
                          const char * const *dim_names)
{
  WlProto *node = wl_proto_new ();

  g_return_if_fail (claim (graph, name));

  wl_proto_put_string (node, NODE_INPUT, value);
  wl_proto_put_string (node, NODE_OUTPUT, name);
  wl_proto_put_string (node, NODE_OP_TYPE, "Identity");
  wl_proto_put_message (graph->graph, GRAPH_NODE, node);
  put_value_info (graph, GRAPH_OUTPUT, name, type, n_dims, dims, dim_names);
}

gboolean
wl_onnx_graph_add_weight (WlOnnxGraph  *graph,
                          const char   *name,
                          WlOnnxType    type,
                          guint         n_dims,
                          const gint64 *dims,
                          const void   *data,
                          const float  *scales,
                          guint         scale_axis)
{
  g_autofree char *stored = NULL;

  g_return_val_if_fail (n_dims > 0 || type == WL_ONNX_FLOAT, FALSE);
  g_return_val_if_fail (type != WL_ONNX_INT8 || (scales != NULL && scale_axis < n_dims), FALSE);

  if (type != WL_ONNX_FLOAT && type != WL_ONNX_FLOAT16 && type != WL_ONNX_INT8)
    return FALSE;
  if (!claim (graph, name))
    return FALSE;
  if (type == WL_ONNX_FLOAT)
    {
      put_tensor (graph, name, type, n_dims, dims, data);
      return TRUE;
    }

  stored = g_strconcat (name, type == WL_ONNX_FLOAT16 ? ".fp16" : ".quantized", NULL);
  if (!claim (graph, stored))
    return FALSE;
  put_tensor (graph, stored, type, n_dims, dims, data);
  if (type == WL_ONNX_FLOAT16)
    {
      WlProto *node = wl_proto_new ();
      WlProto *attr = wl_proto_new ();

      wl_proto_put_string (attr, ATTR_NAME, "to");
      wl_proto_put_int (attr, ATTR_I, WL_ONNX_FLOAT);
      wl_proto_put_int (attr, ATTR_TYPE, WL_ONNX_ATTR_INT);
      wl_proto_put_string (node, NODE_INPUT, stored);
      wl_proto_put_string (node, NODE_OUTPUT, name);
      wl_proto_put_string (node, NODE_OP_TYPE, "Cast");
      wl_proto_put_message (node, NODE_ATTRIBUTE, attr);
      wl_proto_put_message (graph->graph, GRAPH_NODE, node);
    }
  else
    {
      g_autofree char *scale = g_strconcat (name, ".scale", NULL);
      g_autofree char *zero = g_strconcat (name, ".zero_point", NULL);
      g_autofree gint8 *zeros = g_new0 (gint8, dims[scale_axis]);
      WlProto *node = wl_proto_new ();
      WlProto *attr = wl_proto_new ();

      if (!claim (graph, scale) || !claim (graph, zero))
        return FALSE;
      put_tensor (graph, scale, WL_ONNX_FLOAT, 1, dims + scale_axis, scales);
      put_tensor (graph, zero, WL_ONNX_INT8, 1, dims + scale_axis, zeros);
      wl_proto_put_string (attr, ATTR_NAME, "axis");
      wl_proto_put_int (attr, ATTR_I, scale_axis);
      wl_proto_put_int (attr, ATTR_TYPE, WL_ONNX_ATTR_INT);
      wl_proto_put_string (node, NODE_INPUT, stored);
      wl_proto_put_string (node, NODE_INPUT, scale);
      wl_proto_put_string (node, NODE_INPUT, zero);
      wl_proto_put_string (node, NODE_OUTPUT, name);
      wl_proto_put_string (node, NODE_OP_TYPE, "DequantizeLinear");
      wl_proto_put_message (node, NODE_ATTRIBUTE, attr);
      wl_proto_put_message (graph->graph, GRAPH_NODE, node);
    }
  return TRUE;
}

const char *
wl_onnx_graph_constant (WlOnnxGraph  *graph,
                        WlOnnxType    type,
                        guint         n_dims,
                        const gint64 *dims,
                        const void   *data)
{
  const char *name = fresh_name (graph, "const");

  put_tensor (graph, name, type, n_dims, dims, data);
  return name;
}

const char *
wl_onnx_graph_ints (WlOnnxGraph  *graph,
                    guint         n,
                    const gint64 *values)
{
  gint64 dims[1] = { n };

  return wl_onnx_graph_constant (graph, WL_ONNX_INT64, 1, dims, values);
}

const char *
wl_onnx_graph_int_scalar (WlOnnxGraph *graph,
                          gint64       value)
{
  return wl_onnx_graph_constant (graph, WL_ONNX_INT64, 0, NULL, &value);
}

const char *
wl_onnx_graph_float_scalar (WlOnnxGraph *graph,
                            float        value)
{
  return wl_onnx_graph_constant (graph, WL_ONNX_FLOAT, 0, NULL, &value);
}

static void
put_attribute (WlProto          *node,
               const WlOnnxAttr *a)
{
  WlProto *attr = wl_proto_new ();

  wl_proto_put_string (attr, ATTR_NAME, a->name);
  switch (a->type)
    {
    case WL_ONNX_ATTR_FLOAT:
      wl_proto_put_float (attr, ATTR_F, a->f);
      break;
    case WL_ONNX_ATTR_INT:
      wl_proto_put_int (attr, ATTR_I, a->i);
      break;
    case WL_ONNX_ATTR_STRING:
      wl_proto_put_string (attr, ATTR_S, a->s);
      break;
    case WL_ONNX_ATTR_INTS:
      for (guint j = 0; j < a->n_ints; j++)
        wl_proto_put_int (attr, ATTR_INTS, a->ints[j]);
      break;
    default:
      g_return_if_reached ();
    }
  wl_proto_put_int (attr, ATTR_TYPE, a->type);
  wl_proto_put_message (node, NODE_ATTRIBUTE, attr);
}

void
wl_onnx_graph_op_outputs (WlOnnxGraph        *graph,
                          const char         *op,
                          const char * const *inputs,
                          guint               n_inputs,
                          const WlOnnxAttr   *attrs,
                          guint               n_attrs,
                          guint               n_outputs,
                          const char        **outputs)
{
  WlProto *node = wl_proto_new ();

  for (guint i = 0; i < n_inputs; i++)
    {
      g_warn_if_fail (inputs[i][0] == '\0' || wl_onnx_graph_has_value (graph, inputs[i]));
      wl_proto_put_string (node, NODE_INPUT, inputs[i]);
    }
  for (guint i = 0; i < n_outputs; i++)
    {
      outputs[i] = fresh_name (graph, op);
      wl_proto_put_string (node, NODE_OUTPUT, outputs[i]);
    }
  wl_proto_put_string (node, NODE_NAME, outputs[0]);
  wl_proto_put_string (node, NODE_OP_TYPE, op);
  for (guint i = 0; i < n_attrs; i++)
    put_attribute (node, &attrs[i]);
  wl_proto_put_message (graph->graph, GRAPH_NODE, node);
}

const char *
wl_onnx_graph_op (WlOnnxGraph        *graph,
                  const char         *op,
                  const char * const *inputs,
                  guint               n_inputs,
                  const WlOnnxAttr   *attrs,
                  guint               n_attrs)
{
  const char *output;

  wl_onnx_graph_op_outputs (graph, op, inputs, n_inputs, attrs, n_attrs, 1, &output);
  return output;
}

void
wl_onnx_graph_set_metadata (WlOnnxGraph *graph,
                            const char  *key,
                            const char  *value)
{
  WlProto *entry = wl_proto_new ();

  wl_proto_put_string (entry, ENTRY_KEY, key);
  wl_proto_put_string (entry, ENTRY_VALUE, value);
  wl_proto_put_message (graph->metadata, MODEL_METADATA_PROPS, entry);
}

GBytes *
wl_onnx_graph_to_bytes (WlOnnxGraph *graph,
                        const char  *producer_version)
{
  g_autoptr(WlProto) model = wl_proto_new ();
  WlProto *opset = wl_proto_new ();
  g_autoptr(GBytes) metadata = NULL;
  gsize len;
  const void *data;

  wl_proto_put_int (model, MODEL_IR_VERSION, WL_ONNX_IR_VERSION);
  wl_proto_put_string (model, MODEL_PRODUCER_NAME, "Wordloom");
  wl_proto_put_string (model, MODEL_PRODUCER_VERSION, producer_version);
  wl_proto_put_message (model, MODEL_GRAPH, g_steal_pointer (&graph->graph));
  wl_proto_put_int (opset, OPSET_VERSION, WL_ONNX_OPSET);
  wl_proto_put_message (model, MODEL_OPSET_IMPORT, opset);
  /* metadata_props entries are already fields of the ModelProto. */
  metadata = wl_proto_steal (g_steal_pointer (&graph->metadata));
  data = g_bytes_get_data (metadata, &len);
  wl_proto_put_fields (model, data, len);
  graph->graph = wl_proto_new ();
  graph->metadata = wl_proto_new ();
  return wl_proto_steal (g_steal_pointer (&model));
}
