/* SPDX-License-Identifier: GPL-3.0-or-later */
/* write-quantized DIR: the export formats' int8 path, with a matrix this
 * program quantises itself (as the int8 models do: one scale per row,
 * max |w| / 127).  Writes DIR/quantized.onnx (probabilities = softmax of
 * the sum of the dequantised rows of "ids") and DIR/quantized.safetensors,
 * and prints the fp32 matrix and its int8 values and scales as JSON for
 * test-export.py to check both files against. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "export/wl-onnx.h"
#include "export/wl-safetensors.h"
#include "export/wl-save.h"

#define ROWS 7
#define COLS 3

int
main (int    argc,
      char **argv)
{
  static const char *const dim_names[] = { "batch", "length" };
  static const gint64 ids_dims[] = { -1, -1 };
  gint64 dims[2] = { ROWS, COLS }, out_dims[2] = { -1, COLS };
  float w[ROWS * COLS], scales[ROWS];
  gint8 q[ROWS * COLS];
  g_autoptr(WlOnnxGraph) graph = wl_onnx_graph_new ("quantized");
  g_autoptr(WlSafetensors) file = wl_safetensors_new ();
  g_autoptr(GBytes) onnx = NULL;
  g_autoptr(GBytes) safetensors = NULL;
  g_autofree char *onnx_path = NULL;
  g_autofree char *st_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const char *sum;

  g_return_val_if_fail (argc == 2, 2);

  for (guint r = 0; r < ROWS; r++)
    {
      float most = 0.f;

      for (guint c = 0; c < COLS; c++)
        {
          w[r * COLS + c] = (float) g_rand_double_range (rand, -2.0, 2.0);
          most = MAX (most, fabsf (w[r * COLS + c]));
        }
      scales[r] = most / 127.f;
      for (guint c = 0; c < COLS; c++)
        q[r * COLS + c] = (gint8) lrintf (w[r * COLS + c] / scales[r]);
    }

  wl_onnx_graph_add_input (graph, "ids", WL_ONNX_INT64, 2, ids_dims, dim_names);
  wl_onnx_graph_add_input (graph, "lengths", WL_ONNX_INT64, 1, ids_dims, dim_names);
  if (!wl_onnx_graph_add_weight (graph, "embedding", WL_ONNX_INT8, 2, dims, q, scales, 0))
    return 1;
  sum = wl_onnx_graph_op (graph, "Gather", WL_ONNX_IN ("embedding", "ids"),
                          WL_ONNX_ATTRS (WL_ONNX_INT ("axis", 0)));
  sum = wl_onnx_graph_op (graph, "ReduceSum", WL_ONNX_IN (sum, wl_onnx_graph_ints (graph, 1, (gint64[]) { 1 })),
                          WL_ONNX_ATTRS (WL_ONNX_INT ("keepdims", 0)));
  sum = wl_onnx_graph_op (graph, "Softmax", WL_ONNX_IN (sum), WL_ONNX_ATTRS (WL_ONNX_INT ("axis", -1)));
  wl_onnx_graph_add_output (graph, sum, "probabilities", WL_ONNX_FLOAT, 2, out_dims, dim_names);
  onnx = wl_onnx_graph_to_bytes (graph, PACKAGE_VERSION);

  wl_safetensors_set_metadata (file, "format", "wordloom");
  if (!wl_safetensors_add_quantized (file, "embedding", 2, dims, q, scales, 0))
    return 1;
  safetensors = wl_safetensors_to_bytes (file);

  onnx_path = g_build_filename (argv[1], "quantized.onnx", NULL);
  st_path = g_build_filename (argv[1], "quantized.safetensors", NULL);
  if (!wl_save_file (onnx_path, onnx, "the ONNX file", &error) ||
      !wl_save_file (st_path, safetensors, "the safetensors file", &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  printf ("{\"weights\":[");
  for (guint i = 0; i < ROWS * COLS; i++)
    printf ("%s%.9g", i ? "," : "", w[i]);
  printf ("],\"int8\":[");
  for (guint i = 0; i < ROWS * COLS; i++)
    printf ("%s%d", i ? "," : "", q[i]);
  printf ("],\"scales\":[");
  for (guint i = 0; i < ROWS; i++)
    printf ("%s%.9g", i ? "," : "", scales[i]);
  printf ("],\"rows\":%d,\"cols\":%d}\n", ROWS, COLS);
  return 0;
}
