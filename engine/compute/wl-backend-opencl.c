/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-opencl.c: the OpenCL backend class: open, close and the vtable. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "compute/wl-backend-opencl-private.h"
#include "wl-error.h"

static void
release_kernel (gpointer kernel)
{
  clReleaseKernel (kernel);
}

static void
release_event (gpointer event)
{
  clReleaseEvent (event);
}

static void
opencl_close (WlBackend *backend)
{
  WlOpenclBackend *self = WL_OPENCL_BACKEND (backend);

  if (self->queue != NULL)
    clFinish (self->queue);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_pointer (&self->kernels, g_hash_table_unref);
  g_clear_pointer (&self->partials, clReleaseMemObject);
  g_clear_pointer (&self->queue, clReleaseCommandQueue);
  g_clear_error (&self->error);
  g_free (self);
}

static WlBackend *
opencl_open (const WlDeviceInfo  *info,
             guint                n_threads,
             GError             **error)
{
  WlOpenclBackend *self = g_new0 (WlOpenclBackend, 1);
  cl_int status;

  self->events = g_ptr_array_new_with_free_func (release_event);
  self->kernels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, release_kernel);
  if ((self->device = wl_opencl_device_get (info->id, error)) == NULL)
    goto fail;
  self->queue = clCreateCommandQueue (self->device->context, self->device->id,
                                      CL_QUEUE_PROFILING_ENABLE, &status);
  if (status == CL_SUCCESS)
    self->partials = clCreateBuffer (self->device->context, CL_MEM_READ_WRITE,
                                     self->device->tuning->reduce_groups * sizeof (float),
                                     NULL, &status);
  if (status != CL_SUCCESS)
    {
      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("Could not start work on the OpenCL device %s (%s): %s; choose another "
                     "device or train on the CPU"),
                   info->id, self->device->name, wl_opencl_error_name (status));
      goto fail;
    }
  return &self->parent;

fail:
  opencl_close (&self->parent);
  return NULL;
}

const WlBackendClass wl_backend_opencl_class = {
  .name = "opencl",
  .list_devices = wl_opencl_list_devices,
  .open = opencl_open,
  .close = opencl_close,
  .buffer_init = wl_opencl_buffer_init,
  .buffer_clear = wl_opencl_buffer_clear,
  .write = wl_opencl_write,
  .read = wl_opencl_read,
  .finish = wl_opencl_finish,
  .gemm = wl_opencl_gemm,
  .gemm_batched = wl_opencl_gemm_batched,
  .fill = wl_opencl_fill,
  .copy = wl_opencl_copy,
  .axpby = wl_opencl_axpby,
  .mul = wl_opencl_mul,
  .unary = wl_opencl_unary,
  .unary_backward = wl_opencl_unary_backward,
  .add_bias = wl_opencl_add_bias,
  .sum_rows = wl_opencl_sum_rows,
  .gather = wl_opencl_gather,
  .scatter_add = wl_opencl_scatter_add,
  .softmax_xent = wl_opencl_softmax_xent,
  .dropout = wl_opencl_dropout,
  .im2col = wl_opencl_im2col,
  .col2im = wl_opencl_col2im,
  .max_over_time = wl_opencl_max_over_time,
  .max_over_time_backward = wl_opencl_max_over_time_backward,
  .conv_max_backward = wl_opencl_conv_max_backward,
  .sgd_step = wl_opencl_sgd_step,
  .adam_step = wl_opencl_adam_step,
  .sgd_rows = wl_opencl_sgd_rows,
  .adam_rows = wl_opencl_adam_rows,
  .adadelta_step = wl_opencl_adadelta_step,
  .adadelta_rows = wl_opencl_adadelta_rows,
  .sum_squares = wl_opencl_sum_squares,
  .lstm_cell = wl_opencl_lstm_cell,
  .lstm_cell_backward = wl_opencl_lstm_cell_backward,
  .convert = wl_opencl_convert,
  .take_busy_seconds = wl_opencl_take_busy_seconds,
};
