/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-backend.c: the dispatcher (device ids, errors, buffers on every
 * device, argument checks) and the cpu reference's known values and
 * half-precision rounding. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "compute/wl-backend-private.h"
#include "compute/wl-host.h"
#include "compute/wl-host-math.h"
#include "compute/wl-ops.h"
#include "wl-error.h"

static WlBackend *
open_cpu (void)
{
  g_autoptr(GError) error = NULL;
  WlBackend *backend = wl_backend_open ("cpu", 1, &error);

  g_assert_no_error (error);
  return backend;
}

static WlBuffer *
upload (WlBackend   *backend,
        WlDtype      dtype,
        const void  *values,
        gsize        n)
{
  g_autoptr(GError) error = NULL;
  WlBuffer *buffer = wl_buffer_new (backend, dtype, n, &error);

  g_assert_no_error (error);
  wl_buffer_write (buffer, 0, values, n, &error);
  g_assert_no_error (error);
  return buffer;
}

static float *
download (const WlBuffer *buffer)
{
  g_autoptr(GError) error = NULL;
  float *values = g_new (float, buffer->n);

  wl_buffer_read (buffer, 0, values, buffer->n, &error);
  g_assert_no_error (error);
  return values;
}

static void
test_half_conversion (void)
{
  g_assert_cmphex (wl_half_from_float (1.0f), ==, 0x3c00);
  g_assert_cmphex (wl_half_from_float (-2.0f), ==, 0xc000);
  g_assert_cmphex (wl_half_from_float (65504.0f), ==, 0x7bff);
  g_assert_cmphex (wl_half_from_float (65520.0f), ==, 0x7c00);      /* rounds to inf */
  g_assert_cmphex (wl_half_from_float (ldexpf (1.0f, -24)), ==, 0x0001);
  g_assert_cmphex (wl_half_from_float (ldexpf (1.0f, -26)), ==, 0x0000);
  g_assert_cmphex (wl_half_from_float (1.0f + ldexpf (1.0f, -11)), ==, 0x3c00);  /* tie to even */
  g_assert_cmphex (wl_half_from_float (1.0f + 3 * ldexpf (1.0f, -11)), ==, 0x3c02);
  g_assert_cmphex (wl_half_from_float (INFINITY), ==, 0x7c00);
  g_assert_true (isnan (wl_half_to_float (wl_half_from_float (NAN))));
  g_assert_cmpfloat (wl_half_to_float (0x0001), ==, ldexpf (1.0f, -24));
  g_assert_cmpfloat (wl_half_to_float (0x7bff), ==, 65504.0f);
  for (guint bits = 0; bits < 0x7c00; bits++)   /* every finite half survives the round trip */
    g_assert_cmphex (wl_half_from_float (wl_half_to_float (bits)), ==, bits);

  g_assert_cmphex (wl_bf16_from_float (1.0f), ==, 0x3f80);
  g_assert_cmphex (wl_bf16_from_float (1.0f + ldexpf (1.0f, -8)), ==, 0x3f80);   /* tie to even */
  g_assert_cmphex (wl_bf16_from_float (1.0f + 3 * ldexpf (1.0f, -8)), ==, 0x3f82);
  g_assert_cmpfloat (wl_bf16_to_float (0xc040), ==, -3.0f);
  g_assert_true (isnan (wl_bf16_to_float (wl_bf16_from_float (NAN))));
}

/* NaN and ±inf never reach undefined behaviour (the sanitizer build of
 * ./run test checks that part) and give what they should: NaN stays NaN,
 * infinities saturate.  Both the scalar functions and the cpu backend's
 * vectorised loops (17 values: whole vectors and a tail). */
static void
check_non_finite (float x,
                  float e,
                  float s,
                  float t)
{
  if (isnan (x))
    {
      g_assert_true (isnan (e) && isnan (s) && isnan (t));
      return;
    }
  g_assert_true (isfinite (e) && e >= 0.0f);
  g_assert_cmpfloat_with_epsilon (s, x > 0.0f ? 1.0f : 0.0f, 1e-6);
  g_assert_cmpfloat_with_epsilon (t, x > 0.0f ? 1.0f : -1.0f, 1e-6);
}

static void
test_non_finite (void)
{
  const float special[] = { NAN, -NAN, INFINITY, -INFINITY, FLT_MAX, -FLT_MAX, 1e30f, -1e30f };
  g_autoptr(WlBackend) backend = open_cpu ();
  float xs[17];
  g_autoptr(WlBuffer) x = NULL;
  g_autoptr(WlBuffer) y_sigmoid = NULL;
  g_autoptr(WlBuffer) y_tanh = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *sigmoids = NULL;
  g_autofree float *tanhs = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (xs); i++)
    xs[i] = special[i % G_N_ELEMENTS (special)];
  for (gsize i = 0; i < G_N_ELEMENTS (xs); i++)
    check_non_finite (xs[i], wl_exp_approx (xs[i]), wl_sigmoid_approx (xs[i]),
                      wl_tanh_approx (xs[i]));

  x = upload (backend, WL_DTYPE_F32, xs, G_N_ELEMENTS (xs));
  y_sigmoid = wl_buffer_new (backend, WL_DTYPE_F32, G_N_ELEMENTS (xs), &error);
  g_assert_no_error (error);
  y_tanh = wl_buffer_new (backend, WL_DTYPE_F32, G_N_ELEMENTS (xs), &error);
  g_assert_no_error (error);
  wl_op_unary (backend, WL_UNARY_SIGMOID, G_N_ELEMENTS (xs), x, y_sigmoid);
  wl_op_unary (backend, WL_UNARY_TANH, G_N_ELEMENTS (xs), x, y_tanh);
  sigmoids = download (y_sigmoid);
  tanhs = download (y_tanh);
  for (gsize i = 0; i < G_N_ELEMENTS (xs); i++)
    check_non_finite (xs[i], wl_exp_approx (xs[i]), sigmoids[i], tanhs[i]);
}

static void
test_open_errors (void)
{
  g_autoptr(GError) error = NULL;
  WlBackend *backend;

  backend = wl_backend_open ("tpu", 1, &error);
  g_assert_null (backend);
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“tpu”"));
  g_assert_nonnull (strstr (error->message, "cpu"));
  g_assert_nonnull (strstr (error->message, "blas"));
  g_clear_error (&error);

  backend = wl_backend_open ("opencl:99:99", 1, &error);
  g_assert_null (backend);
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_clear_error (&error);

  backend = wl_backend_open ("cpux", 1, &error);
  g_assert_error (error, WL_ERROR, WL_ERROR_INVALID);
  g_clear_error (&error);

  backend = wl_backend_open ("blas", 3, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (backend->device->id, ==, "blas");
  g_assert_cmpstr (backend->device->backend, ==, "blas");
  g_assert_cmpuint (backend->n_threads, ==, 3);
  g_assert_cmpint (backend->device->kind, ==, WL_DEVICE_CPU);
  g_assert_cmpuint (backend->device->compute_units, >=, 1);
  g_assert_cmpfloat (wl_backend_take_busy_seconds (backend), ==, 0.0);
  wl_backend_close (backend);
}

static void
test_list_devices (void)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) devices = wl_backend_list_devices (&notes);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (devices->len, >=, 2);
  g_assert_cmpstr (((WlDeviceInfo *) devices->pdata[0])->id, ==, "cpu");
  g_assert_cmpstr (((WlDeviceInfo *) devices->pdata[1])->id, ==, "blas");
  for (guint i = 0; i < devices->len; i++)
    {
      const WlDeviceInfo *info = devices->pdata[i];

      g_assert_true (g_hash_table_add (ids, info->id));   /* ids are unique */
      g_assert_true (g_str_has_prefix (info->id, info->backend));
      g_assert_nonnull (info->name);
      g_assert_nonnull (info->vendor);
      g_assert_nonnull (info->version);
    }
  g_assert_nonnull (notes);

  /* A backend's name opens its first GPU, else its first device. */
  for (guint i = 0; i < devices->len; i++)
    {
      const WlDeviceInfo *info = devices->pdata[i];
      const WlDeviceInfo *expected = info;
      g_autoptr(GError) error = NULL;
      g_autoptr(WlBackend) backend = NULL;

      if (i > 0 && g_str_equal (info->backend, ((WlDeviceInfo *) devices->pdata[i - 1])->backend))
        continue;
      for (guint j = i; j < devices->len && expected->kind != WL_DEVICE_GPU; j++)
        if (g_str_equal (((WlDeviceInfo *) devices->pdata[j])->backend, info->backend) &&
            ((WlDeviceInfo *) devices->pdata[j])->kind == WL_DEVICE_GPU)
          expected = devices->pdata[j];
      backend = wl_backend_open (info->backend, 1, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (backend->device->id, ==, expected->id);
    }
}

/* What a user picks from: the CPU once, by the id configs use, with its
 * hardware threads and its half precision marked emulated. */
static void
test_list_training_devices (void)
{
  g_autoptr(GPtrArray) devices = wl_backend_list_training_devices (NULL);
  const WlDeviceInfo *cpu = devices->pdata[0];
  guint n_cpus = 0;

  g_assert_cmpstr (cpu->id, ==, "cpu");
  g_assert_cmpstr (cpu->backend, ==, "blas");
  g_assert_cmpuint (cpu->compute_units, ==, g_get_num_processors ());
  g_assert_true (cpu->half_emulated);
  for (guint i = 0; i < devices->len; i++)
    {
      const WlDeviceInfo *info = devices->pdata[i];

      n_cpus += info->kind == WL_DEVICE_CPU && !g_str_equal (info->backend, "opencl");
      g_assert_cmpstr (info->id, !=, "blas");
      if (g_str_equal (info->backend, "opencl"))
        g_assert_false (info->half_emulated);
    }
  g_assert_cmpuint (n_cpus, ==, 1);
}

/* New buffers hold zeros; what is written at an offset reads back. */
static void
test_buffers (void)
{
  static const WlDtype dtypes[] = { WL_DTYPE_F32, WL_DTYPE_F16, WL_DTYPE_BF16, WL_DTYPE_I32 };
  g_autoptr(GPtrArray) devices = wl_backend_list_devices (NULL);

  for (guint d = 0; d < devices->len; d++)
    {
      const WlDeviceInfo *info = devices->pdata[d];
      g_autoptr(GError) error = NULL;
      WlBackend *backend = wl_backend_open (info->id, 1, &error);

      g_assert_no_error (error);
      for (guint t = 0; t < G_N_ELEMENTS (dtypes); t++)
        {
          gsize size = wl_dtype_size (dtypes[t]), n = 1001;
          g_autoptr(WlBuffer) buffer = wl_buffer_new (backend, dtypes[t], n, &error);
          g_autofree guint8 *zeros = g_malloc0 (n * size);
          g_autofree guint8 *pattern = g_malloc (300 * size);
          g_autofree guint8 *back = g_malloc (n * size);

          g_assert_no_error (error);
          g_assert_cmpuint (buffer->n, ==, n);
          g_assert_cmpint (buffer->dtype, ==, dtypes[t]);
          wl_buffer_read (buffer, 0, back, n, &error);
          g_assert_no_error (error);
          g_assert_cmpmem (back, n * size, zeros, n * size);

          for (gsize i = 0; i < 300 * size; i++)
            pattern[i] = (guint8) (i * 7 + t);
          wl_buffer_write (buffer, 700, pattern, 300, &error);
          g_assert_no_error (error);
          wl_buffer_read (buffer, 700, back, 300, &error);
          g_assert_no_error (error);
          g_assert_cmpmem (back, 300 * size, pattern, 300 * size);
          wl_buffer_read (buffer, 0, back, 700, &error);
          g_assert_no_error (error);
          g_assert_cmpmem (back, 700 * size, zeros, 700 * size);
        }
      wl_backend_finish (backend, &error);
      g_assert_no_error (error);
      wl_backend_close (backend);
    }
}

/* wl_buffer_host_f32() is the buffer's own memory on the host backends
 * (what is written there is what reads and ops see) and NULL on OpenCL. */
static void
test_buffer_host_view (void)
{
  g_autoptr(GPtrArray) devices = wl_backend_list_devices (NULL);

  for (guint d = 0; d < devices->len; d++)
    {
      const WlDeviceInfo *info = devices->pdata[d];
      g_autoptr(GError) error = NULL;
      g_autoptr(WlBackend) backend = wl_backend_open (info->id, 1, &error);
      g_autoptr(WlBuffer) buffer = wl_buffer_new (backend, WL_DTYPE_F32, 10, &error);
      g_autoptr(WlBuffer) doubled = wl_buffer_new (backend, WL_DTYPE_F32, 4, &error);
      float *view, back[4];

      g_assert_no_error (error);
      view = wl_buffer_host_f32 (buffer, 6, 4);
      if (g_str_equal (info->backend, "opencl"))
        {
          g_assert_null (view);
          continue;
        }
      g_assert_nonnull (view);
      for (guint i = 0; i < 4; i++)
        view[i] = (float) i + 0.5f;
      g_assert_true (wl_buffer_read (buffer, 6, back, 4, &error));
      g_assert_cmpfloat (back[3], ==, 3.5f);
      wl_op_fill (backend, doubled, 0, 4, 0.f);
      wl_op_copy (backend, buffer, 6, doubled, 0, 4);
      wl_op_axpby (backend, 4, 2.f, doubled, 0.f, doubled);
      g_assert_true (wl_buffer_read (doubled, 0, back, 4, &error));
      g_assert_cmpfloat (back[1], ==, 3.f);
    }
}

/* An op given a buffer too small is a programming error, caught. */
static void
test_bad_arguments (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(WlBackend) backend = open_cpu ();
      g_autoptr(GError) error = NULL;
      g_autoptr(WlBuffer) a = wl_buffer_new (backend, WL_DTYPE_F32, 6, &error);
      g_autoptr(WlBuffer) c = wl_buffer_new (backend, WL_DTYPE_F32, 4, &error);

      /* A is 2×3 but B would have to be 3×2 from offset 1: one short. */
      wl_op_gemm (backend, FALSE, FALSE, 2, 2, 3, 1.0f, a, 0, 3, a, 1, 2, 0.0f, c, 0, 2);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*holds_matrices*");
}

/* An i32 buffer filled with NaN would cast NaN to an integer: refused. */
static void
test_fill_i32_nan (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(WlBackend) backend = open_cpu ();
      g_autoptr(WlBuffer) ids = wl_buffer_new (backend, WL_DTYPE_I32, 4, NULL);

      wl_op_fill (backend, ids, 0, 4, NAN);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*2147483648*");
}

static void
test_known_values (void)
{
  WlBackend *backend = open_cpu ();
  const float a_values[] = { 1, 2, 3, 4, 5, 6 };            /* 2×3 */
  const float b_values[] = { 1, 0, 0, 1, 2, -1 };           /* 3×2 */
  const float logits_values[] = { 0, 0, 1000, 1000 };
  const gint32 label_values[] = { 1, 0 };
  const float x_values[] = { 1, 9, 4, 2, 7, 8 };            /* 3 steps × 2 channels */
  const gint32 length_values[] = { 2 };
  WlBuffer *a = upload (backend, WL_DTYPE_F32, a_values, 6);
  WlBuffer *b = upload (backend, WL_DTYPE_F32, b_values, 6);
  WlBuffer *c = upload (backend, WL_DTYPE_F32, a_values, 4);
  WlBuffer *logits = upload (backend, WL_DTYPE_F32, logits_values, 4);
  WlBuffer *labels = upload (backend, WL_DTYPE_I32, label_values, 2);
  WlBuffer *probs = wl_buffer_new (backend, WL_DTYPE_F32, 4, NULL);
  WlBuffer *d_logits = wl_buffer_new (backend, WL_DTYPE_F32, 4, NULL);
  WlBuffer *loss = wl_buffer_new (backend, WL_DTYPE_F32, 2, NULL);
  WlBuffer *x = upload (backend, WL_DTYPE_F32, x_values, 6);
  WlBuffer *lengths = upload (backend, WL_DTYPE_I32, length_values, 1);
  WlBuffer *y = wl_buffer_new (backend, WL_DTYPE_F32, 2, NULL);
  WlBuffer *argmax = wl_buffer_new (backend, WL_DTYPE_I32, 2, NULL);
  g_autofree float *got = NULL;
  gint32 got_argmax[2];

  /* C = 2·A·B + 1·C = 2·[[7, -1], [16, -1]] + [[1, 2], [3, 4]] */
  wl_op_gemm (backend, FALSE, FALSE, 2, 2, 3, 2.0f, a, 0, 3, b, 0, 2, 1.0f, c, 0, 2);
  got = download (c);
  g_assert_cmpfloat (got[0], ==, 15.0f);
  g_assert_cmpfloat (got[1], ==, 0.0f);
  g_assert_cmpfloat (got[2], ==, 35.0f);
  g_assert_cmpfloat (got[3], ==, 2.0f);
  g_free (got);

  wl_op_softmax_xent (backend, 2, 2, logits, labels, 0.5f, probs, d_logits, loss);
  got = download (probs);
  g_assert_cmpfloat_with_epsilon (got[0], 0.5, 1e-7);
  g_assert_cmpfloat_with_epsilon (got[3], 0.5, 1e-7);
  g_free (got);
  got = download (d_logits);
  g_assert_cmpfloat_with_epsilon (got[0], 0.25, 1e-7);
  g_assert_cmpfloat_with_epsilon (got[1], -0.25, 1e-7);
  g_free (got);
  got = download (loss);
  g_assert_cmpfloat_with_epsilon (got[0], G_LN2, 1e-6);
  g_assert_cmpfloat_with_epsilon (got[1], G_LN2, 1e-6);
  g_free (got);

  /* Only the first two steps count: channel 0 peaks at t 1, channel 1 at t 0. */
  wl_op_max_over_time (backend, 1, 3, 2, x, lengths, y, argmax);
  got = download (y);
  g_assert_cmpfloat (got[0], ==, 4.0f);
  g_assert_cmpfloat (got[1], ==, 9.0f);
  wl_buffer_read (argmax, 0, got_argmax, 2, NULL);
  g_assert_cmpint (got_argmax[0], ==, 1);
  g_assert_cmpint (got_argmax[1], ==, 0);

  {
    WlBuffer *buffers[] = { a, b, c, logits, labels, probs, d_logits, loss, x, lengths, y, argmax };

    for (guint i = 0; i < G_N_ELEMENTS (buffers); i++)
      wl_buffer_free (buffers[i]);
  }
  wl_backend_close (backend);
}

static void
test_optimiser_values (void)
{
  g_autoptr(WlBackend) backend = open_cpu ();
  const float w0[] = { 1.0f, -2.0f };
  const float g0[] = { 0.5f, -4.0f };
  g_autoptr(WlBuffer) w = upload (backend, WL_DTYPE_F32, w0, 2);
  g_autoptr(WlBuffer) g = upload (backend, WL_DTYPE_F32, g0, 2);
  g_autoptr(WlBuffer) velocity = wl_buffer_new (backend, WL_DTYPE_F32, 2, NULL);
  g_autoptr(WlBuffer) m = wl_buffer_new (backend, WL_DTYPE_F32, 2, NULL);
  g_autoptr(WlBuffer) v = wl_buffer_new (backend, WL_DTYPE_F32, 2, NULL);
  g_autofree float *got = NULL;

  /* SGD with momentum, twice: v = g, then v = 0.9·g + g; w −= 0.1·v each time. */
  wl_op_sgd_step (backend, 2, w, g, velocity, 0.1f, 0.9f, 0.0f);
  wl_op_sgd_step (backend, 2, w, g, velocity, 0.1f, 0.9f, 0.0f);
  got = download (w);
  g_assert_cmpfloat_with_epsilon (got[0], 1.0 - 0.1 * 0.5 * 2.9, 1e-6);
  g_assert_cmpfloat_with_epsilon (got[1], -2.0 + 0.1 * 4.0 * 2.9, 1e-6);
  g_free (got);

  /* Adam's first step moves each weight by lr against the gradient's sign. */
  wl_buffer_write (w, 0, w0, 2, NULL);
  wl_op_adam_step (backend, 2, w, g, m, v, 0.01f, 0.9f, 0.999f, 1e-8f, 0.0f, FALSE, 1);
  got = download (w);
  g_assert_cmpfloat_with_epsilon (got[0], 0.99, 1e-6);
  g_assert_cmpfloat_with_epsilon (got[1], -1.99, 1e-6);
  g_free (got);

  /* AdamW shrinks the weight by lr·decay before that step. */
  wl_buffer_write (w, 0, w0, 2, NULL);
  wl_op_fill (backend, m, 0, 2, 0.0f);
  wl_op_fill (backend, v, 0, 2, 0.0f);
  wl_op_adam_step (backend, 2, w, g, m, v, 0.01f, 0.9f, 0.999f, 1e-8f, 0.5f, TRUE, 1);
  got = download (w);
  g_assert_cmpfloat_with_epsilon (got[0], 1.0 * (1 - 0.005) - 0.01, 1e-6);
  g_assert_cmpfloat_with_epsilon (got[1], -2.0 * (1 - 0.005) + 0.01, 1e-6);
}

/* The dispatcher's defaults for the optional members (a gemm loop, the
 * LSTM cell and conversion through the host) give the cpu backend's
 * results: run both on a cpu handle whose class lacks those members. */
static WlBuffer *
filled (WlBackend   *backend,
        WlDtype      dtype,
        const float *values,
        gsize        n)
{
  g_autofree void *raw = g_malloc (n * 4);

  wl_dtype_from_f32 (dtype, values, raw, n);
  return upload (backend, dtype, raw, n);
}

static void
run_optional_ops (WlBackend   *backend,
                  const float *values,
                  float       *out)
{
  const gsize batch = 3, hidden = 5, n_state = batch * hidden;
  g_autoptr(WlBuffer) gates = filled (backend, WL_DTYPE_F32, values, 4 * n_state);
  g_autoptr(WlBuffer) states = filled (backend, WL_DTYPE_F32, values + 7, 4 * n_state);
  g_autoptr(WlBuffer) d_gates = wl_buffer_new (backend, WL_DTYPE_F32, 4 * n_state, NULL);
  g_autoptr(WlBuffer) matrices = filled (backend, WL_DTYPE_F16, values, 60);
  g_autoptr(WlBuffer) products = wl_buffer_new (backend, WL_DTYPE_BF16, 3 * 16, NULL);
  g_autoptr(WlBuffer) converted = wl_buffer_new (backend, WL_DTYPE_F32, 3 * 16, NULL);

  /* c_prev, c, h and dc are blocks of one buffer; the backward pass
   * takes h's block as dh and writes dc_prev over dc. */
  wl_op_lstm_cell (backend, batch, hidden, gates, states, 0, states, n_state, states, 2 * n_state);
  wl_op_lstm_cell_backward (backend, batch, hidden, gates, states, 0, states, n_state,
                            states, 2 * n_state, states, 3 * n_state, d_gates, states, 3 * n_state);
  /* three 4×4 products of 4×5 and (5×4)ᵀ blocks, half in, bfloat16 out */
  wl_op_gemm_batched (backend, FALSE, TRUE, 4, 4, 5, 1.0f, matrices, 20, 5, matrices, 20, 5,
                      0.0f, products, 16, 4, 3);
  wl_op_convert (backend, 3 * 16, products, converted);

  wl_buffer_read (gates, 0, out, 4 * n_state, NULL);
  wl_buffer_read (d_gates, 0, out + 4 * n_state, 4 * n_state, NULL);
  wl_buffer_read (states, 0, out + 8 * n_state, 4 * n_state, NULL);
  wl_buffer_read (converted, 0, out + 12 * n_state, 3 * 16, NULL);
}

static void
test_defaults (void)
{
  const gsize n_out = 12 * 15 + 3 * 16;
  WlBackendClass bare_class = wl_backend_cpu_class;
  g_autoptr(WlBackend) cpu = open_cpu ();
  g_autoptr(WlBackend) bare = open_cpu ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autofree float *values = g_new (float, 100);
  g_autofree float *expected = g_new0 (float, n_out);
  g_autofree float *got = g_new0 (float, n_out);

  bare_class.gemm_batched = NULL;
  bare_class.lstm_cell = NULL;
  bare_class.lstm_cell_backward = NULL;
  bare_class.convert = NULL;
  bare_class.take_busy_seconds = NULL;
  bare->klass = &bare_class;

  for (gsize i = 0; i < 100; i++)
    values[i] = (float) g_rand_double_range (rand, -2, 2);
  run_optional_ops (cpu, values, expected);
  run_optional_ops (bare, values, got);
  wl_backend_finish (bare, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (got, n_out * sizeof (float), expected, n_out * sizeof (float));
  g_assert_cmpfloat (wl_backend_take_busy_seconds (bare), ==, 0.0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/backend/half-conversion", test_half_conversion);
  g_test_add_func ("/backend/open-errors", test_open_errors);
  g_test_add_func ("/backend/list-devices", test_list_devices);
  g_test_add_func ("/backend/list-training-devices", test_list_training_devices);
  g_test_add_func ("/backend/buffers", test_buffers);
  g_test_add_func ("/backend/buffer-host-view", test_buffer_host_view);
  g_test_add_func ("/backend/bad-arguments", test_bad_arguments);
  g_test_add_func ("/backend/fill-i32-nan", test_fill_i32_nan);
  g_test_add_func ("/backend/defaults", test_defaults);
  g_test_add_func ("/reference/known-values", test_known_values);
  g_test_add_func ("/reference/non-finite", test_non_finite);
  g_test_add_func ("/reference/optimisers", test_optimiser_values);
  return g_test_run ();
}
