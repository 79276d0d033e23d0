/* wl-neural-file.c: the neural models' checkpoints (copies, clones) and
 * their part of the model file. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wl-error.h"
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
    memcpy (dst->params[p].host, src->params[p].host,
            wl_param_size (&src->params[p]) * sizeof (float));
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
  wl_vocab_write (self->vocab, writer);
  wl_model_writer_put_u32 (writer, self->n_params);
  for (guint p = 0; p < self->n_params; p++)
    {
      const WlParam *param = &self->params[p];

      wl_model_writer_put_u32 (writer, param->rows);
      wl_model_writer_put_u32 (writer, param->cols);
      wl_model_writer_put_f32s (writer, param->host, wl_param_size (param));
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

  if (!(self->vocab = wl_vocab_read (reader, error)))
    return NULL;
  self->n_rows = wl_vocab_size (self->vocab) + 1;
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
      if (!wl_model_reader_get_weights (reader, param->host, wl_param_size (param), error))
        return NULL;
    }
  self->state->device_stale = TRUE;
  return g_steal_pointer (&model);
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
