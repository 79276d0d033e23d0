/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-neural.c: the neural models' settings, life cycle, weights on the
 * host and on the device, and the products they share. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "wl-error.h"
#include "models/wl-neural-private.h"

#define DEFAULT_BATCH_SIZE  32
#define DEFAULT_DIM         128
#define DEFAULT_MIN_COUNT   1
#define DEFAULT_ADAM_LR     1e-3
#define DEFAULT_SGD_LR      0.1
#define DEFAULT_ADADELTA_LR 1.0   /* Zeiler's and Kim's: Adadelta's steps are sized by its own state */
#define DEFAULT_MOMENTUM    0.9
#define DEFAULT_ADAMW_DECAY 0.01
#define EMBEDDING_STD       0.1f

/* Settings */

void
wl_neural_resolve_config (WlConfig               *config,
                          const WlNeuralDefaults *defaults)
{
  WlModelConfig *m = &config->model;

  if (m->hidden == 0)
    m->hidden = defaults->hidden;
  if (defaults->layers > 0)
    {
      if (m->layers == 0)
        m->layers = defaults->layers;
    }
  if (m->dropout < 0.0)
    m->dropout = defaults->dropout;
  if (m->max_length == 0)
    m->max_length = defaults->max_length;
  if (m->optimizer == WL_OPTIMIZER_AUTO)
    m->optimizer = WL_OPTIMIZER_ADAM;
  if (m->schedule == WL_SCHEDULE_AUTO)
    m->schedule = WL_SCHEDULE_CONSTANT;
  if (m->lr == 0.0)
    m->lr = m->optimizer == WL_OPTIMIZER_SGD ? DEFAULT_SGD_LR
            : m->optimizer == WL_OPTIMIZER_ADADELTA ? DEFAULT_ADADELTA_LR
            : DEFAULT_ADAM_LR;
  if (m->epochs == 0)
    m->epochs = WL_MODEL_DEFAULT_MAX_EPOCHS;
  if (m->batch_size == 0)
    m->batch_size = defaults->batch_size > 0 ? defaults->batch_size : DEFAULT_BATCH_SIZE;
  if (m->dim == 0)
    m->dim = defaults->dim > 0 ? defaults->dim : DEFAULT_DIM;
  if (m->min_count == 0)
    m->min_count = DEFAULT_MIN_COUNT;
  /* Only sgd has momentum. */
  if (m->momentum < 0.0 && m->optimizer == WL_OPTIMIZER_SGD)
    m->momentum = DEFAULT_MOMENTUM;
  if (m->weight_decay < 0.0)
    m->weight_decay = m->optimizer == WL_OPTIMIZER_ADAMW ? DEFAULT_ADAMW_DECAY : 0.0;
  if (m->warmup < 0.0)
    m->warmup = 0.0;
  if (m->clip < 0.0)
    m->clip = 0.0;
  if (m->max_norm < 0.0)
    m->max_norm = 0.0;
  /* The host CPU: OpenBLAS does the products. */
  if (m->device == NULL || g_str_equal (m->device, "cpu"))
    {
      g_free (m->device);
      m->device = g_strdup ("blas");
    }
}

/* Life cycle */

WlModel *
wl_neural_create (const WlNeuralClass *nclass,
                  const WlModelClass  *klass,
                  const WlConfig      *config,
                  guint                n_labels)
{
  WlNeural *self = g_malloc0 (nclass->size);

  wl_model_init (&self->parent, klass, config, n_labels);
  self->nclass = nclass;
  self->state = g_new0 (WlNeuralState, 1);
  g_mutex_init (&self->state->lock);
  self->state->lr = NAN;
  self->state->low_dtype = config->model.precision == WL_PRECISION_FP16 ? WL_DTYPE_F16
                           : config->model.precision == WL_PRECISION_BF16 ? WL_DTYPE_BF16
                           : WL_DTYPE_F32;
  if (nclass->init != NULL)
    nclass->init (self);
  return &self->parent;
}

void
wl_neural_release_device (WlNeural *self)
{
  WlNeuralState *state = self->state;

  if (self->backend == NULL)
    return;
  if (self->nclass->release != NULL)
    self->nclass->release (self);
  for (guint p = 0; p < self->n_params; p++)
    {
      g_clear_pointer (&self->params[p].w, wl_buffer_free);
      g_clear_pointer (&self->params[p].g, wl_buffer_free);
      g_clear_pointer (&self->params[p].low, wl_buffer_free);
    }
  g_clear_pointer (&state->optimizer, wl_optimizer_free);
  g_clear_pointer (&state->batch.labels, wl_buffer_free);
  g_clear_pointer (&state->batch.logits, wl_buffer_free);
  g_clear_pointer (&state->batch.d_logits, wl_buffer_free);
  g_clear_pointer (&state->probs, wl_buffer_free);
  g_clear_pointer (&state->loss, wl_buffer_free);
  g_clear_pointer (&state->loss_sum, wl_buffer_free);
  g_clear_pointer (&state->low_a, wl_buffer_free);
  g_clear_pointer (&state->low_b, wl_buffer_free);
  g_clear_pointer (&state->tile, wl_buffer_free);
  g_clear_pointer (&state->host_f32, g_free);
  state->host_f32_len = 0;
  g_clear_pointer (&state->rows, wl_buffer_free);
  g_clear_pointer (&state->dist_rows, wl_buffer_free);
  state->rows_clean = FALSE;
  if (!state->borrowed)
    wl_backend_close (self->backend);
  self->backend = NULL;
  state->borrowed = FALSE;
  state->host_stale = FALSE;
  state->device_stale = TRUE;
}

void
wl_neural_free (WlModel *model)
{
  WlNeural *self = (WlNeural *) model;
  WlNeuralState *state = self->state;

  wl_neural_release_device (self);
  for (guint p = 0; p < self->n_params; p++)
    {
      g_free (self->params[p].host);
      g_free (self->params[p].q);
      g_free (self->params[p].q_scale);
    }
  g_clear_pointer (&self->vocab, wl_vocab_unref);
  wl_batch_host_clear (&state->host);
  wl_batch_host_clear (&state->ahead);
  g_free (state->dist_host);
  g_free (state->dist_ids);
  g_free (state->stamps);
  g_free (state->host_ids);
  g_free (state->cache_probs);
  g_free (state->cache_done);
  g_clear_pointer (&state->saved_state, g_bytes_unref);
  g_mutex_clear (&state->lock);
  g_free (state);
  g_free (self);
}

/* Weights */

guint
wl_neural_add_param (WlNeural   *self,
                     const char *name,
                     guint32     rows,
                     guint32     cols,
                     WlInit      init,
                     float       scale,
                     WlParamKind kind)
{
  WlParam *param;

  g_return_val_if_fail (self->n_params < WL_NEURAL_MAX_PARAMS, 0);

  param = &self->params[self->n_params];
  *param = (WlParam) {
    .name = name, .rows = rows, .cols = cols, .init = init, .scale = scale, .kind = kind,
  };
  return self->n_params++;
}

const char *
wl_neural_param_name (const char *format,
                      ...)
{
  g_autofree char *name = NULL;
  va_list args;

  va_start (args, format);
  name = g_strdup_vprintf (format, args);
  va_end (args);
  return g_intern_string (name);
}

guint
wl_neural_add_embedding (WlNeural *self,
                         guint32   dim)
{
  self->embedding = wl_neural_add_param (self, "embedding", self->n_rows, dim, WL_INIT_NORMAL,
                                         EMBEDDING_STD, WL_PARAM_ROWS);
  return self->embedding;
}

gsize
wl_param_size (const WlParam *param)
{
  return (gsize) param->rows * param->cols;
}

gboolean
wl_neural_alloc_params (WlNeural  *self,
                        GError   **error)
{
  g_return_val_if_fail (self->n_params == 0, FALSE);

  self->nclass->add_params (self);
  for (guint p = 0; p < self->n_params; p++)
    {
      WlParam *param = &self->params[p];

      param->host = g_try_new0 (float, MAX (wl_param_size (param), 1));
      if (param->host == NULL)
        {
          g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                       _("not enough memory for the %u × %u weights “%s”: lower dim or raise "
                         "min_count"), param->rows, param->cols, param->name);
          return FALSE;
        }
    }
  return TRUE;
}

/* A standard normal draw (Box–Muller). */
static float
rng_normal (guint64 *state)
{
  double u = ((wl_rng_next (state) >> 11) + 0.5) / 9007199254740992.0;
  double v = (wl_rng_next (state) >> 11) / 9007199254740992.0;

  return (float) (sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v));
}

void
wl_neural_init_params (WlNeural *self)
{
  guint64 state = self->parent.config->data.seed ^ G_GUINT64_CONSTANT (0x6e657572616c);

  for (guint p = 0; p < self->n_params; p++)
    {
      WlParam *param = &self->params[p];

      for (gsize i = 0; i < wl_param_size (param); i++)
        param->host[i] = param->init == WL_INIT_UNIFORM ? param->scale * wl_rng_symmetric (&state)
                         : param->init == WL_INIT_NORMAL ? param->scale * rng_normal (&state)
                         : 0.f;
    }
  if (self->nclass->init_weights != NULL)
    self->nclass->init_weights (self);
}

gboolean
wl_neural_reserve (WlNeural  *self,
                   WlBuffer **buffer,
                   WlDtype    dtype,
                   gsize      n,
                   GError   **error)
{
  gsize size;

  if (*buffer != NULL && (*buffer)->n >= n && (*buffer)->dtype == dtype)
    return TRUE;
  size = MAX (n, 1);
  if (*buffer != NULL)
    size = MAX (size, (*buffer)->n + (*buffer)->n / 2);
  g_clear_pointer (buffer, wl_buffer_free);
  *buffer = wl_buffer_new (self->backend, dtype, size, error);
  return *buffer != NULL;
}

gint32 *
wl_neural_host_ids (WlNeural *self,
                    gsize     n)
{
  WlNeuralState *state = self->state;

  if (state->host_ids_size < n)
    {
      state->host_ids_size = MAX (n, state->host_ids_size * 2);
      state->host_ids = g_renew (gint32, state->host_ids, state->host_ids_size);
    }
  return state->host_ids;
}

gboolean
wl_neural_upload_ids (WlNeural      *self,
                      WlBuffer     **ids,
                      const gint32  *host,
                      gsize          n,
                      GError       **error)
{
  return wl_neural_reserve (self, ids, WL_DTYPE_I32, n, error) &&
         wl_buffer_write (*ids, 0, host, n, error);
}

void
wl_neural_convert_low (WlNeural *self)
{
  for (guint p = 0; p < self->n_params; p++)
    if (self->params[p].low != NULL)
      wl_op_convert (self->backend, self->params[p].w->n, self->params[p].w, self->params[p].low);
}

gboolean
wl_neural_sync_device (WlNeural  *self,
                       GError   **error)
{
  WlNeuralState *state = self->state;

  if (!state->device_stale)
    return TRUE;
  for (guint p = 0; p < self->n_params; p++)
    if (self->params[p].host != NULL &&    /* an int8 table stays on the host */
        !wl_buffer_write (self->params[p].w, 0, self->params[p].host,
                          wl_param_size (&self->params[p]), error))
      return FALSE;
  wl_neural_convert_low (self);
  state->device_stale = FALSE;
  return TRUE;
}

gboolean
wl_neural_sync_host (WlNeural  *self,
                     GError   **error)
{
  WlNeuralState *state = self->state;

  if (!state->host_stale)
    return TRUE;
  for (guint p = 0; p < self->n_params; p++)
    if (self->params[p].host != NULL &&
        !wl_buffer_read (self->params[p].w, 0, self->params[p].host,
                         wl_param_size (&self->params[p]), error))
      return FALSE;
  state->host_stale = FALSE;
  return TRUE;
}

gboolean
wl_neural_open_device (WlNeural  *self,
                       guint      n_threads,
                       GError   **error)
{
  WlNeuralState *state = self->state;

  if (self->backend == NULL)
    {
      self->backend = wl_backend_open (self->parent.config->model.device, n_threads, error);
      if (self->backend == NULL)
        return FALSE;
      state->device_stale = TRUE;
    }
  for (guint p = 0; p < self->n_params; p++)
    {
      WlParam *param = &self->params[p];
      gsize n = MAX (wl_param_size (param), 1);

      if (param->w != NULL || param->host == NULL)   /* NULL: int8 weights */
        continue;
      if (!(param->w = wl_buffer_new (self->backend, WL_DTYPE_F32, n, error)) ||
          !(param->g = wl_buffer_new (self->backend, WL_DTYPE_F32, n, error)))
        return FALSE;
      state->device_stale = TRUE;
    }
  return wl_neural_sync_device (self, error);
}

gboolean
wl_neural_enable_low (WlNeural  *self,
                      GError   **error)
{
  WlNeuralState *state = self->state;
  const WlDeviceInfo *device = self->backend->device;

  if (state->low_dtype == WL_DTYPE_F32)
    return TRUE;
  if ((state->low_dtype == WL_DTYPE_F16 && !device->fp16) ||
      (state->low_dtype == WL_DTYPE_BF16 && !device->bf16))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("the device “%s” (%s) has no %s arithmetic: train with precision fp32 "
                     "or on another device (see “wordloom-cli devices”)"),
                   device->id, device->name,
                   wl_precision_to_string (self->parent.config->model.precision));
      return FALSE;
    }
  for (guint p = 0; p < self->n_params; p++)
    {
      WlParam *param = &self->params[p];

      if (param->kind != WL_PARAM_MATRIX || param->low != NULL || param->w == NULL)
        continue;
      if (!(param->low = wl_buffer_new (self->backend, state->low_dtype, param->w->n, error)))
        return FALSE;
      wl_op_convert (self->backend, param->w->n, param->w, param->low);
    }
  return TRUE;
}

/* Products */

/* The operand to use for @x in mixed precision. */
static const WlBuffer *
low_operand (WlNeural        *self,
             const WlBuffer  *x,
             gsize            offset,
             gsize            extent,
             WlBuffer       **scratch)
{
  WlNeuralState *state = self->state;

  if (!state->mixed || x->dtype != WL_DTYPE_F32)
    return x;
  for (guint p = 0; p < self->n_params; p++)
    if (x == self->params[p].w)
      return self->params[p].low != NULL ? self->params[p].low : x;
  if (offset != 0 || !wl_neural_reserve (self, scratch, state->low_dtype, extent, NULL))
    return x;
  wl_op_convert (self->backend, extent, x, *scratch);
  return *scratch;
}

void
wl_neural_gemm (WlNeural       *self,
                gboolean        trans_a,
                gboolean        trans_b,
                gsize           m,
                gsize           n,
                gsize           k,
                float           alpha,
                const WlBuffer *a,
                gsize           a_offset,
                gsize           lda,
                const WlBuffer *b,
                gsize           b_offset,
                gsize           ldb,
                float           beta,
                WlBuffer       *c,
                gsize           c_offset,
                gsize           ldc)
{
  WlNeuralState *state = self->state;

  if (state->mixed && m > 0 && n > 0 && k > 0)
    {
      a = low_operand (self, a, a_offset, wl_gemm_extent (trans_a, m, k, lda), &state->low_a);
      b = low_operand (self, b, b_offset, wl_gemm_extent (trans_b, k, n, ldb), &state->low_b);
    }
  wl_op_gemm (self->backend, trans_a, trans_b, m, n, k, alpha, a, a_offset, lda,
              b, b_offset, ldb, beta, c, c_offset, ldc);
}

gboolean
wl_neural_linear (WlNeural        *self,
                  gsize            rows,
                  const WlBuffer  *x,
                  guint            weight,
                  guint            bias,
                  WlBuffer        *y,
                  GError         **error)
{
  const WlParam *w = &self->params[weight];

  if (!wl_neural_weight_gemm (self, rows, w->rows, x, 0, w->rows, weight, 0, 0.f, y, 0, w->cols,
                              error))
    return FALSE;
  wl_op_add_bias (self->backend, rows, w->cols, y, self->params[bias].w);
  return TRUE;
}

void
wl_neural_linear_backward (WlNeural       *self,
                           gsize           rows,
                           const WlBuffer *x,
                           guint           weight,
                           guint           bias,
                           const WlBuffer *dy,
                           WlBuffer       *dx,
                           gboolean        accumulate)
{
  const WlParam *w = &self->params[weight];

  wl_neural_gemm (self, TRUE, FALSE, w->rows, w->cols, rows, 1.f, x, 0, w->rows,
                  dy, 0, w->cols, 1.f, w->g, 0, w->cols);
  wl_op_sum_rows (self->backend, rows, w->cols, dy, self->params[bias].g, TRUE);
  if (dx != NULL)
    wl_neural_gemm (self, FALSE, TRUE, rows, w->rows, w->cols, 1.f, dy, 0, w->cols,
                    w->w, 0, w->cols, accumulate ? 1.f : 0.f, dx, 0, w->rows);
}

float
wl_neural_dropout (const WlNeural *self,
                   const WlBatch  *batch)
{
  return batch->train ? (float) self->parent.config->model.dropout : 0.f;
}

guint64
wl_neural_dropout_seed (const WlBatch *batch,
                        guint          n)
{
  guint64 state = batch->seed + n * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  return wl_rng_next (&state);
}

/* Brings @self's host weights up to date; warns when the device fails
 * (the calls that need this cannot report errors). */
void
wl_neural_sync_host_or_warn (WlNeural *self)
{
  g_autoptr(GError) error = NULL;

  if (!wl_neural_sync_host (self, &error))
    g_warning ("%s: %s", self->parent.klass->name, error->message);
}

/* For tests */

void
wl_neural_set_backend (WlModel   *model,
                       WlBackend *backend)
{
  WlNeural *self = (WlNeural *) model;

  g_mutex_lock (&self->state->lock);
  wl_neural_sync_host_or_warn (self);
  wl_neural_release_device (self);
  self->backend = backend;
  self->state->borrowed = TRUE;
  self->state->device_stale = TRUE;
  self->state->generation++;
  g_mutex_unlock (&self->state->lock);
}

WlParam *
wl_neural_get_params (WlModel *model,
                      guint   *n_params)
{
  WlNeural *self = (WlNeural *) model;

  g_mutex_lock (&self->state->lock);
  wl_neural_sync_host_or_warn (self);
  g_mutex_unlock (&self->state->lock);
  *n_params = self->n_params;
  return self->params;
}

void
wl_neural_host_changed (WlModel *model)
{
  WlNeural *self = (WlNeural *) model;

  g_mutex_lock (&self->state->lock);
  self->state->device_stale = TRUE;
  self->state->host_stale = FALSE;
  self->state->generation++;
  g_mutex_unlock (&self->state->lock);
}
