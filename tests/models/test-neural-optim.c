/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-neural-optim.c: the neural models' optimisers (SGD with momentum,
 * Adam, AdamW, Adadelta, lazy row updates), schedules, gradient norm and loss
 * scaling, against values computed by hand. */
#include <math.h>
#include <string.h>

#include "compute/wl-ops.h"
#include "models/wl-optim.h"

#define N_W 3

/* Two steps of @kind from w0 with gradients g1 then g2 (the second
 * scaled by 0.5 through grad_scale) against the formulas, in double. */
static void
check_optimizer (WlOptimizerKind kind)
{
  const double w0[N_W] = { 1.0, -2.0, 0.5 };
  const double grads[2][N_W] = { { 0.1, 0.2, -0.3 }, { -0.4, 0.8, 0.2 } };
  const double scales[2] = { 1.0, 0.5 };
  const double lr = 0.1, momentum = 0.9, wd = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  const double rho = 0.95;
  g_autoptr(GError) error = NULL;
  WlBackend *backend = wl_backend_open ("cpu", 1, &error);
  WlOptimSettings settings = {
    .kind = kind, .lr = lr, .momentum = momentum, .beta1 = b1, .beta2 = b2, .rho = rho,
    .eps = eps, .weight_decay = wd, .schedule = WL_SCHEDULE_CONSTANT,
  };
  WlBuffer *w = wl_buffer_new (backend, WL_DTYPE_F32, N_W, &error);
  WlBuffer *g = wl_buffer_new (backend, WL_DTYPE_F32, N_W, &error);
  g_autoptr(WlOptimizer) optimizer = NULL;
  double expect[N_W], m[N_W] = { 0 }, v[N_W] = { 0 };
  float host[N_W];

  for (guint i = 0; i < N_W; i++)
    host[i] = (float) (expect[i] = w0[i]);
  g_assert_true (wl_buffer_write (w, 0, host, N_W, &error));
  optimizer = wl_optimizer_new (backend, &settings, &w, 1, &error);
  g_assert_no_error (error);

  for (guint s = 0; s < 2; s++)
    {
      for (guint i = 0; i < N_W; i++)
        host[i] = (float) grads[s][i];
      g_assert_true (wl_buffer_write (g, 0, host, N_W, &error));
      wl_optimizer_step (optimizer, &w, &g, lr, scales[s]);
      for (guint i = 0; i < N_W; i++)
        {
          double gi = grads[s][i] * scales[s];

          if (kind == WL_OPTIMIZER_SGD)
            {
              m[i] = momentum * m[i] + gi + wd * expect[i];
              expect[i] -= lr * m[i];
              continue;
            }
          if (kind == WL_OPTIMIZER_ADADELTA)
            {
              double delta;

              gi += wd * expect[i];
              m[i] = rho * m[i] + (1 - rho) * gi * gi;
              delta = sqrt (v[i] + eps) / sqrt (m[i] + eps) * gi;
              v[i] = rho * v[i] + (1 - rho) * delta * delta;
              expect[i] -= lr * delta;
              continue;
            }
          if (kind == WL_OPTIMIZER_ADAMW)
            expect[i] *= 1.0 - lr * wd;
          else
            gi += wd * expect[i];
          m[i] = b1 * m[i] + (1 - b1) * gi;
          v[i] = b2 * v[i] + (1 - b2) * gi * gi;
          expect[i] -= lr * (m[i] / (1 - pow (b1, s + 1))) /
                       (sqrt (v[i] / (1 - pow (b2, s + 1))) + eps);
        }
      g_assert_true (wl_buffer_read (w, 0, host, N_W, &error));
      for (guint i = 0; i < N_W; i++)
        g_assert_cmpfloat_with_epsilon (host[i], expect[i], 1e-5);
      if (s == 0 && (kind == WL_OPTIMIZER_ADAM || kind == WL_OPTIMIZER_ADAMW))
        /* Adam's first step moves every weight by the learning rate. */
        for (guint i = 0; i < N_W; i++)
          g_assert_cmpfloat_with_epsilon (fabs (host[i] - w0[i] * (kind == WL_OPTIMIZER_ADAMW ? 1 - lr * wd : 1)),
                                          lr, 1e-5);
    }
  g_assert_cmpuint (wl_optimizer_get_steps (optimizer), ==, 2);
  g_clear_pointer (&optimizer, wl_optimizer_free);
  wl_buffer_free (w);
  wl_buffer_free (g);
  wl_backend_close (backend);
}

static void
test_optimizers (void)
{
  check_optimizer (WL_OPTIMIZER_SGD);
  check_optimizer (WL_OPTIMIZER_ADAM);
  check_optimizer (WL_OPTIMIZER_ADAMW);
  check_optimizer (WL_OPTIMIZER_ADADELTA);
}

/* Adadelta as Zeiler (2012) and Kim (2014) run it (rho 0.95, eps 1e-6,
 * lr 1), two steps on two weights, against figures worked out by hand:
 * step 1, weight 0: sq = 0.05 · 0.1² = 5e-4, Δ = √1e-6 / √5.01e-4 · 0.1
 * = 0.00446767, acc = 0.05 · Δ² = 9.98004e-7, w = 1 − Δ = 0.99553233;
 * step 2: sq = 0.95 · 5e-4 + 0.05 · 0.2² = 0.002475, Δ = √(acc + 1e-6)
 * / √(0.002475 + 1e-6) · 0.2 = 0.00568137, w = 0.98985096.  Weight 1
 * (gradients −0.3, then 0.4) likewise. */
static void
test_adadelta (void)
{
  const float w0[2] = { 1.0f, -2.0f };
  const float grads[2][2] = { { 0.1f, -0.3f }, { 0.2f, 0.4f } };
  const double expect[2][2] = { { 0.995532329, -1.99552836 }, { 0.989850962, -2.00063367 } };
  g_autoptr(GError) error = NULL;
  WlBackend *backend = wl_backend_open ("cpu", 1, &error);
  WlModelConfig model = {
    .optimizer = WL_OPTIMIZER_ADADELTA, .lr = 1.0, .schedule = WL_SCHEDULE_CONSTANT,
  };
  WlOptimSettings settings;
  WlBuffer *w = wl_buffer_new (backend, WL_DTYPE_F32, 2, &error);
  WlBuffer *g = wl_buffer_new (backend, WL_DTYPE_F32, 2, &error);
  g_autoptr(WlOptimizer) optimizer = NULL;
  float host[2];

  /* Zeiler's constants come with the kind. */
  wl_optim_settings_init (&settings, &model);
  g_assert_cmpfloat (settings.rho, ==, 0.95);
  g_assert_cmpfloat (settings.eps, ==, 1e-6);
  g_assert_true (wl_buffer_write (w, 0, w0, 2, &error));
  optimizer = wl_optimizer_new (backend, &settings, &w, 1, &error);
  g_assert_no_error (error);
  for (guint s = 0; s < 2; s++)
    {
      g_assert_true (wl_buffer_write (g, 0, grads[s], 2, &error));
      wl_optimizer_step (optimizer, &w, &g, settings.lr, 1.0);
      g_assert_true (wl_buffer_read (w, 0, host, 2, &error));
      for (guint i = 0; i < 2; i++)
        g_assert_cmpfloat_with_epsilon (host[i], expect[s][i], 1e-6);
    }
  g_clear_pointer (&optimizer, wl_optimizer_free);
  wl_buffer_free (w);
  wl_buffer_free (g);
  wl_backend_close (backend);
}

/* Lazy updates of a table's rows: only the listed rows move, by Adam's
 * rule with the global step count, and their gradient is cleared. */
static void
test_optimizer_rows (void)
{
  const double lr = 0.1, b1 = 0.9, b2 = 0.999;
  const float w0[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  const float g1[8] = { 0.5f, -1, 0, 0, 2, 0.25f, 0, 0 };      /* rows 0 and 2 */
  const float g2[8] = { 0, 0, -3, 0.5f, 0, 0, 0, 0 };          /* row 1 */
  const gint32 rows1[2] = { 2, 0 }, rows2[1] = { 1 };
  g_autoptr(GError) error = NULL;
  WlBackend *backend = wl_backend_open ("cpu", 1, &error);
  WlOptimSettings settings = {
    .kind = WL_OPTIMIZER_ADAM, .lr = lr, .beta1 = b1, .beta2 = b2, .eps = 1e-8,
    .schedule = WL_SCHEDULE_CONSTANT,
  };
  WlBuffer *w = wl_buffer_new (backend, WL_DTYPE_F32, 8, &error);
  WlBuffer *g = wl_buffer_new (backend, WL_DTYPE_F32, 8, &error);
  WlBuffer *ids = wl_buffer_new (backend, WL_DTYPE_I32, 2, &error);
  g_autoptr(WlOptimizer) optimizer = wl_optimizer_new (backend, &settings, &w, 1, &error);
  float host[8], grad[8];
  double sum_squares;

  g_assert_true (wl_buffer_write (w, 0, w0, 8, &error));
  g_assert_true (wl_buffer_write (g, 0, g1, 8, &error));
  g_assert_true (wl_buffer_write (ids, 0, rows1, 2, &error));
  g_assert_true (wl_optimizer_set_rows (optimizer, 0, ids, 2, 2, &error));
  g_assert_true (wl_optimizer_grad_norm (optimizer, &g, &sum_squares, &error));
  g_assert_cmpfloat_with_epsilon (sum_squares, 0.25 + 1 + 4 + 0.0625, 1e-6);
  wl_optimizer_step (optimizer, &w, &g, lr, 1.0);
  g_assert_true (wl_buffer_read (w, 0, host, 8, &error));
  g_assert_true (wl_buffer_read (g, 0, grad, 8, &error));
  for (guint i = 0; i < 8; i++)
    {
      /* Adam's first step: lr · sign (g) where g is not zero. */
      double expect = w0[i] - (g1[i] > 0 ? lr : g1[i] < 0 ? -lr : 0);

      g_assert_cmpfloat_with_epsilon (host[i], expect, 1e-6);
      g_assert_cmpfloat (grad[i], ==, 0.f);
    }

  /* Row 1 moves for the first time at step 2; rows 0 and 2 keep still. */
  g_assert_true (wl_buffer_write (g, 0, g2, 8, &error));
  g_assert_true (wl_buffer_write (ids, 0, rows2, 1, &error));
  g_assert_true (wl_optimizer_set_rows (optimizer, 0, ids, 1, 2, &error));
  memcpy (grad, host, sizeof host);
  wl_optimizer_step (optimizer, &w, &g, lr, 1.0);
  g_assert_true (wl_buffer_read (w, 0, host, 8, &error));
  for (guint i = 0; i < 8; i++)
    {
      double m = (1 - b1) * g2[i], v = (1 - b2) * g2[i] * g2[i];
      double expect = i / 2 != 1 ? grad[i]
                      : grad[i] - lr * (m / (1 - b1 * b1)) / (sqrt (v / (1 - b2 * b2)) + 1e-8);

      g_assert_cmpfloat_with_epsilon (host[i], expect, 1e-6);
    }
  g_clear_pointer (&optimizer, wl_optimizer_free);
  wl_buffer_free (w);
  wl_buffer_free (g);
  wl_buffer_free (ids);
  wl_backend_close (backend);
}

static void
test_schedules (void)
{
  /* 100 steps, 10 of warm-up. */
  g_assert_cmpfloat_with_epsilon (wl_schedule_factor (WL_SCHEDULE_CONSTANT, 0.1, 0, 100), 0.1, 1e-12);
  g_assert_cmpfloat_with_epsilon (wl_schedule_factor (WL_SCHEDULE_CONSTANT, 0.1, 4, 100), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (wl_schedule_factor (WL_SCHEDULE_CONSTANT, 0.1, 9, 100), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (wl_schedule_factor (WL_SCHEDULE_CONSTANT, 0.1, 99, 100), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (wl_schedule_factor (WL_SCHEDULE_LINEAR, 0.1, 10, 100), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (wl_schedule_factor (WL_SCHEDULE_LINEAR, 0.1, 55, 100), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (wl_schedule_factor (WL_SCHEDULE_LINEAR, 0.1, 99, 100), 1.0 - 89.0 / 90, 1e-12);
  g_assert_cmpfloat_with_epsilon (wl_schedule_factor (WL_SCHEDULE_COSINE, 0.1, 10, 100), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (wl_schedule_factor (WL_SCHEDULE_COSINE, 0.1, 55, 100), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (wl_schedule_factor (WL_SCHEDULE_COSINE, 0.1, 40, 100),
                                  0.5 * (1 + cos (G_PI / 3)), 1e-12);
  /* No warm-up: decay from the first step. */
  g_assert_cmpfloat_with_epsilon (wl_schedule_factor (WL_SCHEDULE_LINEAR, 0.0, 0, 4), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (wl_schedule_factor (WL_SCHEDULE_LINEAR, 0.0, 2, 4), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (wl_schedule_factor (WL_SCHEDULE_COSINE, 0.0, 2, 4), 0.5, 1e-12);
}

static void
test_loss_scaler (void)
{
  WlLossScaler scaler;

  wl_loss_scaler_init (&scaler, FALSE);
  g_assert_cmpfloat (scaler.scale, ==, 1.0);
  g_assert_true (wl_loss_scaler_update (&scaler, TRUE));
  g_assert_false (wl_loss_scaler_update (&scaler, FALSE));
  g_assert_cmpfloat (scaler.scale, ==, 1.0);

  wl_loss_scaler_init (&scaler, TRUE);
  g_assert_cmpfloat (scaler.scale, ==, WL_LOSS_SCALE_INITIAL);
  g_assert_false (wl_loss_scaler_update (&scaler, FALSE));
  g_assert_cmpfloat (scaler.scale, ==, WL_LOSS_SCALE_INITIAL / 2);
  for (guint i = 0; i + 1 < WL_LOSS_SCALE_INTERVAL; i++)
    g_assert_true (wl_loss_scaler_update (&scaler, TRUE));
  g_assert_cmpfloat (scaler.scale, ==, WL_LOSS_SCALE_INITIAL / 2);
  g_assert_true (wl_loss_scaler_update (&scaler, TRUE));
  g_assert_cmpfloat (scaler.scale, ==, WL_LOSS_SCALE_INITIAL);
}

/* The squared global norm over several gradients. */
static void
test_grad_norm (void)
{
  g_autoptr(GError) error = NULL;
  WlBackend *backend = wl_backend_open ("cpu", 1, &error);
  WlOptimSettings settings = { .kind = WL_OPTIMIZER_SGD, .lr = 1.0, .schedule = WL_SCHEDULE_CONSTANT };
  WlBuffer *w[2], *g[2];
  const float g0[2] = { 3.f, 4.f }, g1[1] = { 12.f };
  g_autoptr(WlOptimizer) optimizer = NULL;
  double sum_squares;

  w[0] = wl_buffer_new (backend, WL_DTYPE_F32, 2, &error);
  w[1] = wl_buffer_new (backend, WL_DTYPE_F32, 1, &error);
  g[0] = wl_buffer_new (backend, WL_DTYPE_F32, 2, &error);
  g[1] = wl_buffer_new (backend, WL_DTYPE_F32, 1, &error);
  g_assert_true (wl_buffer_write (g[0], 0, g0, 2, &error));
  g_assert_true (wl_buffer_write (g[1], 0, g1, 1, &error));
  optimizer = wl_optimizer_new (backend, &settings, w, 2, &error);
  g_assert_true (wl_optimizer_grad_norm (optimizer, g, &sum_squares, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (sum_squares, 169.0, 1e-4);
  g_clear_pointer (&optimizer, wl_optimizer_free);
  for (guint i = 0; i < 2; i++)
    {
      wl_buffer_free (w[i]);
      wl_buffer_free (g[i]);
    }
  wl_backend_close (backend);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/neural-optim/optimizers", test_optimizers);
  g_test_add_func ("/neural-optim/adadelta", test_adadelta);
  g_test_add_func ("/neural-optim/rows", test_optimizer_rows);
  g_test_add_func ("/neural-optim/schedules", test_schedules);
  g_test_add_func ("/neural-optim/loss-scaler", test_loss_scaler);
  g_test_add_func ("/neural-optim/grad-norm", test_grad_norm);

  return g_test_run ();
}
