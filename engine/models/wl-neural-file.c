/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-neural-file.c: the neural models' checkpoints (copies, clones) and
 * their part of the model file. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wl-error.h"
#include "models/wl-compress.h"
#include "models/wl-neural-private.h"

/* A new model of @model's class with its vocabulary and weights. */
static WlNeural *
new_like (const WlNeural  *model,
          GError         **error)
{
  g_autoptr(WlModel) copy = wl_neural_create (model->nclass, model->parent.klass,
                                              model->parent.config, model->parent.n_labels);
  WlNeural *self = (WlNeural *) copy;

  if (model->vocab != NULL)
    {
      self->vocab = wl_vocab_ref (model->vocab);
      self->n_rows = model->n_rows;
      self->pruned = model->pruned;
      if (!wl_neural_alloc_params (self, error))
        return NULL;
    }
  return (WlNeural *) g_steal_pointer (&copy);
}

static void
copy_host (WlNeural       *dst,
           const WlNeural *src)
{
  for (guint p = 0; p < src->n_params; p++)
    {
      const WlParam *s = &src->params[p];
      WlParam *d = &dst->params[p];

      if (s->host != NULL)
        memcpy (d->host, s->host, wl_param_size (s) * sizeof (float));
      if (s->q == NULL)
        continue;
      g_clear_pointer (&d->host, g_free);
      g_free (d->q);
      g_free (d->q_scale);
      d->q = g_memdup2 (s->q, wl_param_size (s));
      d->q_scale = g_memdup2 (s->q_scale, (s->kind == WL_PARAM_ROWS ? s->rows : s->cols) *
                                          sizeof (float));
    }
  dst->state->device_stale = TRUE;
  dst->state->host_stale = FALSE;
  dst->state->generation++;
}

void
wl_neural_copy_weights (WlModel       *dst,
                        const WlModel *src)
{
  WlNeural *d = (WlNeural *) dst;
  WlNeural *s = (WlNeural *) src;

  g_return_if_fail (d->n_params == s->n_params && d->n_rows == s->n_rows);

  g_mutex_lock (&s->state->lock);
  wl_neural_sync_host_or_warn (s);
  g_mutex_lock (&d->state->lock);
  copy_host (d, s);
  g_mutex_unlock (&d->state->lock);
  g_mutex_unlock (&s->state->lock);
}

WlModel *
wl_neural_clone (const WlModel *model)
{
  WlNeural *self = (WlNeural *) model;
  g_autoptr(GError) error = NULL;
  WlNeural *copy;

  g_mutex_lock (&self->state->lock);
  wl_neural_sync_host_or_warn (self);
  copy = new_like (self, &error);
  if (copy == NULL)
    g_error ("%s", error->message);   /* as g_new() does when memory runs out */
  copy_host (copy, self);
  g_mutex_unlock (&self->state->lock);
  return &copy->parent;
}

/* Payload: vocabulary, u32 number of weight matrices, then each one's
 * u32 rows, u32 cols and floats. */
void
wl_neural_write (const WlModel *model,
                 WlModelWriter *writer)
{
  WlNeural *self = (WlNeural *) model;

  g_return_if_fail (self->vocab != NULL);

  g_mutex_lock (&self->state->lock);
  wl_neural_sync_host_or_warn (self);
  if (wl_neural_storage (model) != 0)
    wl_vocab_write_packed (self->vocab, writer, NULL, NULL);
  else
    wl_vocab_write (self->vocab, writer);
  wl_model_writer_put_u32 (writer, self->n_params);
  for (guint p = 0; p < self->n_params; p++)
    {
      const WlParam *param = &self->params[p];

      wl_model_writer_put_u32 (writer, param->rows);
      wl_model_writer_put_u32 (writer, param->cols);
      wl_neural_write_param (param, writer);
    }
  g_mutex_unlock (&self->state->lock);
}

WlModel *
wl_neural_read (const WlNeuralClass *nclass,
                const WlModelClass  *klass,
                const WlConfig      *config,
                guint                n_labels,
                WlModelReader       *reader,
                GError             **error)
{
  g_autoptr(WlModel) model = wl_neural_create (nclass, klass, config, n_labels);
  WlNeural *self = (WlNeural *) model;
  guint32 n_params;

  self->vocab = wl_compress_packs_vocab (reader) ? wl_vocab_read_packed (reader, NULL, NULL, error)
                                                 : wl_vocab_read (reader, error);
  if (self->vocab == NULL)
    return NULL;
  self->n_rows = wl_vocab_size (self->vocab) + 1;
  self->pruned = (wl_model_reader_get_flags (reader) & WL_MODEL_STORAGE_PRUNED) != 0;
  if (!wl_neural_alloc_params (self, error) || !wl_model_reader_get_u32 (reader, &n_params, error))
    return NULL;
  if (n_params != self->n_params)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("the model file is corrupted (%u weight matrices where its settings "
                     "make %u)"), n_params, self->n_params);
      return NULL;
    }
  for (guint p = 0; p < self->n_params; p++)
    {
      WlParam *param = &self->params[p];
      guint32 rows, cols;

      if (!wl_model_reader_get_u32 (reader, &rows, error) ||
          !wl_model_reader_get_u32 (reader, &cols, error))
        return NULL;
      if (rows != param->rows || cols != param->cols)
        {
          g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                       _("the model file is corrupted (weights “%s” of %u × %u where its "
                         "settings make %u × %u)"), param->name, rows, cols, param->rows,
                       param->cols);
          return NULL;
        }
      if (!wl_neural_read_param (param, reader, error))
        return NULL;
    }
  self->state->device_stale = TRUE;
  return g_steal_pointer (&model);
}

/* Training state: the optimiser's (wl_optimizer_write_state) then the
 * loss scaler's.  Nothing before the first step. */
gboolean
wl_neural_write_state (const WlModel  *model,
                       WlModelWriter  *writer,
                       GError        **error)
{
  WlNeural *self = (WlNeural *) model;
  WlNeuralState *state = self->state;
  gboolean ok = TRUE;

  g_mutex_lock (&state->lock);
  if (state->optimizer != NULL)
    {
      ok = wl_optimizer_write_state (state->optimizer, writer, error);
      wl_loss_scaler_write (&state->scaler, writer);
    }
  else if (state->saved_state != NULL)
    {
      /* Restored and not trained since: the same state again. */
      gsize len;
      const void *data = g_bytes_get_data (state->saved_state, &len);

      wl_model_writer_put_bytes (writer, data, len);
    }
  g_mutex_unlock (&state->lock);
  return ok;
}

/* Kept as it is until the optimiser exists (on the device, at the next
 * epoch), where wl_neural_apply_saved_state() checks and uses it. */
gboolean
wl_neural_read_state (WlModel        *model,
                      WlModelReader  *reader,
                      GError        **error)
{
  WlNeural *self = (WlNeural *) model;
  WlNeuralState *state = self->state;
  gsize len = wl_model_reader_remaining (reader);
  const guint8 *data = wl_model_reader_get_raw (reader, len, error);

  if (data == NULL)
    return FALSE;
  g_mutex_lock (&state->lock);
  g_clear_pointer (&state->optimizer, wl_optimizer_free);
  g_clear_pointer (&state->saved_state, g_bytes_unref);
  state->saved_state = g_bytes_new (data, len);
  g_mutex_unlock (&state->lock);
  return TRUE;
}

gboolean
wl_neural_apply_saved_state (WlNeural  *self,
                             GError   **error)
{
  WlNeuralState *state = self->state;
  g_autoptr(GBytes) saved = g_steal_pointer (&state->saved_state);
  g_autoptr(WlModelReader) reader = NULL;
  gsize len;
  const guint8 *data;

  if (saved == NULL)
    return TRUE;
  data = g_bytes_get_data (saved, &len);
  reader = wl_model_reader_new (data, len, _("checkpoint"));
  if (!wl_optimizer_read_state (state->optimizer, reader, error) ||
      !wl_loss_scaler_read (&state->scaler, reader, error))
    return FALSE;
  if (wl_model_reader_remaining (reader) != 0)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_MODEL_FORMAT,
                   _("the checkpoint's optimiser state does not match the model's settings; "
                     "start a new run"));
      return FALSE;
    }
  return TRUE;
}

guint64
wl_neural_n_parameters (const WlModel *model)
{
  const WlNeural *self = (const WlNeural *) model;
  guint64 n = 0;

  for (guint p = 0; p < self->n_params; p++)
    n += wl_param_size (&self->params[p]);
  return n;
}
