/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-neural-export.c: what the neural models show of themselves for
 * export: their params as tensors, and how their ids are made. */
#include "config.h"

#include "models/wl-neural-private.h"

void
wl_neural_foreach_tensor (WlModel      *model,
                          WlTensorFunc  func,
                          gpointer      user_data)
{
  WlNeural *self = (WlNeural *) model;

  wl_neural_sync_host_or_warn (self);
  for (guint i = 0; i < self->n_params; i++)
    {
      const WlParam *param = &self->params[i];
      WlTensorView view = { param->name, WL_DTYPE_F32, 2, { param->rows, param->cols }, param->host, NULL, 0 };

      if (param->q != NULL)    /* int8: a scale per row of a table, per column of a matrix */
        view = (WlTensorView) { param->name, WL_DTYPE_I8, 2, { param->rows, param->cols },
                                param->q, param->q_scale, param->kind == WL_PARAM_MATRIX ? 1 : 0 };
      else if (param->kind == WL_PARAM_VECTOR)
        view = (WlTensorView) { param->name, WL_DTYPE_F32, 1, { param->cols }, param->host, NULL, 0 };
      func (&view, user_data);
    }
}

void
wl_neural_describe_ids (const WlModel *model,
                        JsonBuilder   *builder)
{
  const WlNeural *self = (const WlNeural *) model;

  json_builder_set_member_name (builder, "ids");
  json_builder_add_string_value (builder, "tokens");
  json_builder_set_member_name (builder, "unknown_id");
  json_builder_add_int_value (builder, WL_NEURAL_UNK);
  json_builder_set_member_name (builder, "max_length");
  json_builder_add_int_value (builder, model->config->model.max_length);
  wl_model_describe_vocab (self->vocab, WL_NEURAL_UNK + 1, builder);
}
