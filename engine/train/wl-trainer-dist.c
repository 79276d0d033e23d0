/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-trainer-dist.c: the epoch loop's part of a distributed run.
 *
 * Every rank trains (its share of each pass: see the models), then the
 * ranks agree: the linear and embedding-bag models average their weights
 * (wl_model_average_weights()), the neural ones already summed their
 * gradients at every step.  Only rank 0 validates, keeps the checkpoints
 * and decides on early stopping; its verdict is broadcast, so every rank
 * keeps the same best weights and stops after the same epoch.  At the end
 * the ranks compare a digest of their weights. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "dist/wl-dist.h"
#include "train/wl-run-private.h"
#include "train/wl-trainer-dist.h"
#include "wl-error.h"

void
wl_trainer_dist_describe (WlRun         *run,
                          const WlModel *model)
{
  guint n = wl_dist_size ();

  if (n <= 1 || wl_dist_rank () != 0)
    return;
  if (wl_model_averages_weights (model))
    wl_run_emit_message (run, WL_STAGE_TRAIN,
                         _("Training on %u processes: each trains on its share of every pass "
                           "at %u × the learning rate, then their weights are averaged"), n, n);
  else
    wl_run_emit_message (run, WL_STAGE_TRAIN,
                         _("Training on %u processes: each step sums the gradients of %u × %u "
                           "examples (an effective batch of %u)"),
                         n, n, model->config->model.batch_size,
                         n * model->config->model.batch_size);
}

gboolean
wl_trainer_dist_after_pass (WlModel  *model,
                            double   *loss,
                            GError  **error)
{
  guint n = wl_dist_size ();

  if (n <= 1)
    return TRUE;
  if (wl_model_averages_weights (model) && !wl_model_average_weights (model, error))
    return FALSE;
  if (!wl_dist_allreduce_double (loss, 1, error))
    return FALSE;
  *loss /= n;
  return TRUE;
}

gboolean
wl_trainer_dist_share (WlEpochVerdict  *verdict,
                       GError         **error)
{
  return wl_dist_broadcast (verdict, sizeof *verdict, 0, error);
}

static void
hash_tensor (const WlTensorView *tensor,
             gpointer            user_data)
{
  gsize n = 1;

  for (guint d = 0; d < tensor->n_dims; d++)
    n *= (gsize) tensor->shape[d];
  g_checksum_update (user_data, (const guchar *) tensor->name, strlen (tensor->name));
  g_checksum_update (user_data, tensor->data, n * wl_dtype_size (tensor->dtype));
}

gboolean
wl_trainer_dist_check_same (WlRun    *run,
                            WlModel  *model,
                            GError  **error)
{
  guint n = wl_dist_size ();
  g_autoptr(GChecksum) checksum = NULL;
  g_autofree guint64 *digests = NULL;
  g_autoptr(GString) differ = NULL;
  guint8 bytes[32];
  gsize length = sizeof bytes;
  guint64 digest = 0;

  if (n <= 1)
    return TRUE;
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  wl_model_foreach_tensor (model, hash_tensor, checksum);
  g_checksum_get_digest (checksum, bytes, &length);
  for (guint i = 0; i < 8; i++)
    digest = digest << 8 | bytes[i];
  digests = g_new (guint64, n);
  if (!wl_dist_allgather (&digest, sizeof digest, digests, error))
    return FALSE;
  for (guint r = 1; r < n; r++)
    if (digests[r] != digests[0])
      {
        if (differ == NULL)
          differ = g_string_new (NULL);
        g_string_append_printf (differ, "%s%u", differ->len ? ", " : "", r);
      }
  if (differ != NULL)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("After training, the weights of rank %s differ from rank 0’s: the processes "
                     "did not train the same model; report this with the mpirun command"),
                   differ->str);
      return FALSE;
    }
  if (wl_dist_rank () == 0)
    wl_run_emit_message (run, WL_STAGE_TRAIN,
                         _("All %u processes hold the same weights (digest %016" PRIx64 ")"),
                         n, digest);
  return TRUE;
}

void
wl_trainer_dist_report_cost (WlRun   *run,
                             double   seconds,
                             guint64  calls,
                             guint    passes)
{
  if (wl_dist_size () <= 1 || wl_dist_rank () != 0 || passes == 0 || calls == 0)
    return;
  wl_run_emit_message (run, WL_STAGE_TRAIN,
                       _("Communication: %.3f s in %" PRIu64 " collective calls over %u "
                         "passes (%.3f s a pass, %.3f ms a call, waits for the slowest rank included)"),
                       seconds, calls, passes, seconds / passes, 1000 * seconds / calls);
}
