/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-onnx.h: ONNX graphs, built op by op and written as an ONNX file.
 *
 * The graph builder a model describes its forward pass with: named
 * inputs and outputs, weights, constants, and nodes of standard ONNX ops
 * (default domain).  The file is a ModelProto of IR version
 * WL_ONNX_IR_VERSION importing opset WL_ONNX_OPSET, what the ONNX 1.12
 * checker of Debian 12 accepts, written with wl-protobuf.  Nothing here
 * knows any model.
 *
 * Weights are added under their own name and always read as float: an
 * fp16 weight is stored as "<name>.fp16" and Cast, an int8 one is stored as
 * "<name>.quantized" with one scale per row in "<name>.scale" and
 * dequantised in the graph (DequantizeLinear on axis 0).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WL_ONNX_IR_VERSION 8
#define WL_ONNX_OPSET      17

/* Element types, numbered as ONNX's TensorProto.DataType. */
typedef enum
{
  WL_ONNX_FLOAT   = 1,
  WL_ONNX_INT8    = 3,
  WL_ONNX_INT32   = 6,
  WL_ONNX_INT64   = 7,
  WL_ONNX_BOOL    = 9,
  WL_ONNX_FLOAT16 = 10,
} WlOnnxType;

/* Attribute types, numbered as ONNX's AttributeProto.AttributeType. */
typedef enum
{
  WL_ONNX_ATTR_FLOAT  = 1,
  WL_ONNX_ATTR_INT    = 2,
  WL_ONNX_ATTR_STRING = 3,
  WL_ONNX_ATTR_INTS   = 7,
} WlOnnxAttrType;

typedef struct
{
  const char     *name;
  WlOnnxAttrType  type;
  gint64          i;
  float           f;
  const char     *s;
  const gint64   *ints;
  guint           n_ints;
} WlOnnxAttr;

#define WL_ONNX_INT(n, v)    ((WlOnnxAttr) { .name = (n), .type = WL_ONNX_ATTR_INT, .i = (v) })
#define WL_ONNX_FLOATV(n, v) ((WlOnnxAttr) { .name = (n), .type = WL_ONNX_ATTR_FLOAT, .f = (v) })
#define WL_ONNX_STRING(n, v) ((WlOnnxAttr) { .name = (n), .type = WL_ONNX_ATTR_STRING, .s = (v) })
#define WL_ONNX_INTS(n, ...) \
  ((WlOnnxAttr) { .name = (n), .type = WL_ONNX_ATTR_INTS, .ints = (const gint64[]) { __VA_ARGS__ }, \
                  .n_ints = sizeof ((gint64[]) { __VA_ARGS__ }) / sizeof (gint64) })
/* The inputs and the attributes of wl_onnx_graph_op(), as lists. */
#define WL_ONNX_IN(...) \
  (const char *const[]) { __VA_ARGS__ }, G_N_ELEMENTS (((const char *const[]) { __VA_ARGS__ }))
#define WL_ONNX_ATTRS(...) \
  (const WlOnnxAttr[]) { __VA_ARGS__ }, G_N_ELEMENTS (((const WlOnnxAttr[]) { __VA_ARGS__ }))
#define WL_ONNX_NO_ATTRS NULL, 0

typedef struct _WlOnnxGraph WlOnnxGraph;

WlOnnxGraph *wl_onnx_graph_new          (const char          *name);
void         wl_onnx_graph_free         (WlOnnxGraph         *graph);

/* A graph input or output; a dimension < 0 is symbolic, named by
 * @dim_names[i].  An output reads value @value. */
void         wl_onnx_graph_add_input    (WlOnnxGraph         *graph,
                                         const char          *name,
                                         WlOnnxType           type,
                                         guint                n_dims,
                                         const gint64        *dims,
                                         const char * const  *dim_names);
void         wl_onnx_graph_add_output   (WlOnnxGraph         *graph,
                                         const char          *value,
                                         const char          *name,
                                         WlOnnxType           type,
                                         guint                n_dims,
                                         const gint64        *dims,
                                         const char * const  *dim_names);

/* A weight (FLOAT, FLOAT16, or INT8 with @scales: one per index along
 * dims[@scale_axis], read through DequantizeLinear with that axis), read
 * in the graph as the float value @name.  The data is
 * copied.  FALSE when @name is taken or the type is not a weight's. */
gboolean     wl_onnx_graph_add_weight   (WlOnnxGraph         *graph,
                                         const char          *name,
                                         WlOnnxType           type,
                                         guint                n_dims,
                                         const gint64        *dims,
                                         const void          *data,
                                         const float         *scales,
                                         guint                scale_axis);
gboolean     wl_onnx_graph_has_value    (const WlOnnxGraph   *graph,
                                         const char          *name);

/* Constants; the names returned belong to the graph. */
const char  *wl_onnx_graph_constant     (WlOnnxGraph         *graph,
                                         WlOnnxType           type,
                                         guint                n_dims,
                                         const gint64        *dims,
                                         const void          *data);
const char  *wl_onnx_graph_ints         (WlOnnxGraph         *graph,
                                         guint                n,
                                         const gint64        *values);
const char  *wl_onnx_graph_int_scalar   (WlOnnxGraph         *graph,
                                         gint64               value);
const char  *wl_onnx_graph_float_scalar (WlOnnxGraph         *graph,
                                         float                value);

/* A node of op @op; returns the name of its (first) output, or fills
 * @outputs with the names of @n_outputs outputs.  An input "" is an
 * optional input left out. */
const char  *wl_onnx_graph_op           (WlOnnxGraph         *graph,
                                         const char          *op,
                                         const char * const  *inputs,
                                         guint                n_inputs,
                                         const WlOnnxAttr    *attrs,
                                         guint                n_attrs);
void         wl_onnx_graph_op_outputs   (WlOnnxGraph         *graph,
                                         const char          *op,
                                         const char * const  *inputs,
                                         guint                n_inputs,
                                         const WlOnnxAttr    *attrs,
                                         guint                n_attrs,
                                         guint                n_outputs,
                                         const char         **outputs);

/* A metadata_props entry of the model. */
void         wl_onnx_graph_set_metadata (WlOnnxGraph         *graph,
                                         const char          *key,
                                         const char          *value);

/* The ModelProto; the graph is emptied.  @producer_version goes in the
 * file with producer name "Wordloom". */
GBytes      *wl_onnx_graph_to_bytes     (WlOnnxGraph         *graph,
                                         const char          *producer_version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WlOnnxGraph, wl_onnx_graph_free)

G_END_DECLS
