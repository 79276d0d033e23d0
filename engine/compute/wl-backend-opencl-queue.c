/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend-opencl-queue.c: buffers, kernel launches, sticky errors and profiling.
 *
 * Every command goes into the backend's in-order queue.  Ops report no
 * error: the first failure is kept (wl_opencl_check) and handed to the
 * caller by the next finish() or read().  Each kernel's event is kept
 * until its profiling times can be read without waiting: at finish(), or
 * when many are pending (then only the ones already complete).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "compute/wl-backend-opencl-private.h"
#include "compute/wl-host.h"
#include "wl-error.h"
#include "wl-format.h"

/* Events pending before the finished ones are read, and before the host
 * waits for the oldest (it is then that far ahead of the device). */
#define EVENTS_READ_AT 256
#define EVENTS_WAIT_AT 1024

static void
wl_opencl_take_failure (WlOpenclBackend *backend,
                        GError          *error)
{
  if (backend->error == NULL)
    backend->error = error;
  else
    g_error_free (error);
}

static gboolean
wl_opencl_check (WlOpenclBackend *backend,
                 cl_int           status,
                 const char      *what)
{
  gboolean memory = status == CL_OUT_OF_RESOURCES || status == CL_OUT_OF_HOST_MEMORY
                    || status == CL_MEM_OBJECT_ALLOCATION_FAILURE;
  g_autofree char *what_failed = NULL;

  if (status == CL_SUCCESS)
    return TRUE;
  what_failed = g_strdup_printf (_("OpenCL error %s (%d) in %s on %s"),
                                 wl_opencl_error_name (status), status, what,
                                 backend->device->name);
  wl_opencl_take_failure (backend,
                          g_error_new (WL_ERROR, WL_ERROR_FAILED, "%s; %s", what_failed,
                                       memory ? _("the device ran out of memory: try a smaller "
                                                  "batch or model, another device or the CPU")
                                              : _("the OpenCL driver may be broken: try "
                                                  "another device or the CPU")));
  return FALSE;
}

/* Makes the next kernel launch fail with @status (tests). */
void
wl_opencl_inject_error (WlBackend *backend,
                        cl_int     status)
{
  WL_OPENCL_BACKEND (backend)->injected = status;
}

static gboolean
wl_opencl_report (WlOpenclBackend  *backend,
                  GError          **error)
{
  if (backend->error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&backend->error));
  return FALSE;
}

/* Adds the event's kernel time if it is complete (or @wait); FALSE while
 * it still runs. */
static gboolean
read_event (WlOpenclBackend *backend,
            cl_event         event,
            gboolean         wait)
{
  cl_int state = CL_QUEUED;
  cl_ulong start = 0, end = 0;

  if (wait)
    clWaitForEvents (1, &event);
  clGetEventInfo (event, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof state, &state, NULL);
  if (state > CL_COMPLETE)
    return FALSE;
  if (state < 0)
    wl_opencl_check (backend, state, _("a queued command"));
  else if (clGetEventProfilingInfo (event, CL_PROFILING_COMMAND_START, sizeof start, &start,
                                    NULL) == CL_SUCCESS
           && clGetEventProfilingInfo (event, CL_PROFILING_COMMAND_END, sizeof end, &end,
                                       NULL) == CL_SUCCESS
           && end > start)
    backend->busy_seconds += (end - start) * 1e-9;
  return TRUE;
}

/* Reads the events from the oldest on: all of them (after clFinish), or
 * the ones already complete. */
static void
wl_opencl_read_events (WlOpenclBackend *backend,
                       gboolean         all)
{
  guint done = 0;

  while (done < backend->events->len
         && read_event (backend, g_ptr_array_index (backend->events, done), all))
    done++;
  g_ptr_array_remove_range (backend->events, 0, done);
}

static void
wl_opencl_track_event (WlOpenclBackend *backend,
                       cl_event         event)
{
  g_ptr_array_add (backend->events, event);
  if (backend->events->len >= EVENTS_READ_AT)
    wl_opencl_read_events (backend, FALSE);
  if (backend->events->len >= EVENTS_WAIT_AT)
    {
      read_event (backend, g_ptr_array_index (backend->events, 0), TRUE);
      g_ptr_array_remove_index (backend->events, 0);
    }
}

double
wl_opencl_take_busy_seconds (WlBackend *backend)
{
  WlOpenclBackend *self = WL_OPENCL_BACKEND (backend);
  double seconds;

  wl_opencl_read_events (self, FALSE);
  seconds = self->busy_seconds;
  self->busy_seconds = 0.0;
  return seconds;
}

gboolean
wl_opencl_finish (WlBackend  *backend,
                  GError    **error)
{
  WlOpenclBackend *self = WL_OPENCL_BACKEND (backend);

  wl_opencl_check (self, clFinish (self->queue), "finish");
  wl_opencl_read_events (self, TRUE);
  return wl_opencl_report (self, error);
}

gboolean
wl_opencl_buffer_init (WlBackend  *backend,
                       WlBuffer   *buffer,
                       GError    **error)
{
  WlOpenclBackend *self = WL_OPENCL_BACKEND (backend);
  gsize size = buffer->n * wl_dtype_size (buffer->dtype);
  cl_ulong max_size = 0;
  cl_int status;
  cl_mem mem;

  clGetDeviceInfo (self->device->id, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof max_size, &max_size,
                   NULL);
  if (size / wl_dtype_size (buffer->dtype) != buffer->n || (max_size > 0 && size > max_size))
    {
      g_autofree char *wanted = wl_format_size (buffer->n * (guint64) wl_dtype_size (buffer->dtype));
      g_autofree char *most = wl_format_size (max_size);

      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("A buffer of %s is more than %s can hold at once (%s); use a smaller "
                     "model or batch, or train on the CPU"),
                   wanted, self->device->name, most);
      return FALSE;
    }
  mem = clCreateBuffer (self->device->context, CL_MEM_READ_WRITE, size, NULL, &status);
  if (status != CL_SUCCESS)
    {
      g_autofree char *wanted = wl_format_size (size);

      g_set_error (error, WL_ERROR, WL_ERROR_FAILED,
                   _("Could not allocate %s on %s (%s); use a smaller model or batch, or "
                     "train on the CPU"),
                   wanted, self->device->name, wl_opencl_error_name (status));
      return FALSE;
    }
  buffer->data = mem;
  return TRUE;
}

void
wl_opencl_buffer_clear (WlBackend *backend,
                        WlBuffer  *buffer)
{
  g_clear_pointer ((cl_mem *) &buffer->data, clReleaseMemObject);
}

gboolean
wl_opencl_write (WlBackend   *backend,
                 WlBuffer    *dst,
                 gsize        offset,
                 const void  *src,
                 gsize        n,
                 GError     **error)
{
  WlOpenclBackend *self = WL_OPENCL_BACKEND (backend);
  gsize size = wl_dtype_size (dst->dtype);

  /* Blocking: @src may be gone once this returns. */
  wl_opencl_check (self, clEnqueueWriteBuffer (self->queue, WL_OPENCL_MEM (dst), CL_TRUE,
                                               offset * size, n * size, src, 0, NULL, NULL),
                   "write");
  return wl_opencl_report (self, error);
}

gboolean
wl_opencl_read (WlBackend       *backend,
                const WlBuffer  *src,
                gsize            offset,
                void            *dst,
                gsize            n,
                GError         **error)
{
  WlOpenclBackend *self = WL_OPENCL_BACKEND (backend);
  gsize size = wl_dtype_size (src->dtype);

  wl_opencl_check (self, clEnqueueReadBuffer (self->queue, WL_OPENCL_MEM (src), CL_TRUE,
                                              offset * size, n * size, dst, 0, NULL, NULL),
                   "read");
  return wl_opencl_report (self, error);
}

void
wl_opencl_fill (WlBackend *backend,
                WlBuffer  *x,
                gsize      offset,
                gsize      n,
                float      value)
{
  WlOpenclBackend *self = WL_OPENCL_BACKEND (backend);
  gsize size = wl_dtype_size (x->dtype);
  guint32 pattern = 0;
  cl_event event = NULL;

  switch (x->dtype)
    {
    case WL_DTYPE_F32:
      memcpy (&pattern, &value, sizeof value);
      break;
    case WL_DTYPE_I32:
      pattern = (guint32) (gint32) value;
      break;
    case WL_DTYPE_F16:
    case WL_DTYPE_BF16:
      {
        guint16 half;

        wl_dtype_from_f32 (x->dtype, &value, &half, 1);
        pattern = half;
      }
      break;
    default:
      g_return_if_reached ();
    }
  /* The pattern is the value's bytes: little-endian hosts and devices. */
  if (wl_opencl_check (self, clEnqueueFillBuffer (self->queue, WL_OPENCL_MEM (x), &pattern, size,
                                                  offset * size, n * size, 0, NULL, &event),
                       "fill"))
    wl_opencl_track_event (self, event);
}

void
wl_opencl_copy (WlBackend      *backend,
                const WlBuffer *src,
                gsize           src_offset,
                WlBuffer       *dst,
                gsize           dst_offset,
                gsize           n)
{
  WlOpenclBackend *self = WL_OPENCL_BACKEND (backend);
  gsize size = wl_dtype_size (src->dtype);
  cl_event event = NULL;

  if (wl_opencl_check (self, clEnqueueCopyBuffer (self->queue, WL_OPENCL_MEM (src),
                                                  WL_OPENCL_MEM (dst), src_offset * size,
                                                  dst_offset * size, n * size, 0, NULL,
                                                  &event),
                       "copy"))
    wl_opencl_track_event (self, event);
}

/* The backend's kernel @name of @file, created once per backend (a
 * cl_kernel holds its arguments, so backends on other threads must not
 * share it). */
static cl_kernel
get_kernel (WlOpenclBackend *backend,
            const char      *file,
            const char      *name)
{
  g_autofree char *key = g_strjoin ("\n", file, name, NULL);
  GError *error = NULL;
  cl_program program;
  cl_kernel kernel;
  cl_int status;

  if ((kernel = g_hash_table_lookup (backend->kernels, key)) != NULL)
    return kernel;
  if ((program = wl_opencl_program_get (backend->device, file, &error)) == NULL)
    {
      wl_opencl_take_failure (backend, error);
      return NULL;
    }
  kernel = clCreateKernel (program, name, &status);
  if (!wl_opencl_check (backend, status, name))
    return NULL;
  g_hash_table_insert (backend->kernels, g_steal_pointer (&key), kernel);
  return kernel;
}

/* FALSE (and nothing to do) once the backend has failed: ops after a
 * failure are skipped until the failure is reported. */
gboolean
wl_opencl_call_begin (WlOpenclCall    *call,
                      WlOpenclBackend *backend,
                      const char      *file,
                      const char      *name)
{
  *call = (WlOpenclCall) { .backend = backend, .name = name, .status = CL_SUCCESS };
  if (backend->injected != CL_SUCCESS)
    {
      wl_opencl_check (backend, backend->injected, name);
      backend->injected = CL_SUCCESS;
    }
  if (backend->error != NULL)
    return FALSE;
  call->kernel = get_kernel (backend, file, name);
  return call->kernel != NULL;
}

static void
set_arg (WlOpenclCall *call,
         gsize         size,
         const void   *value)
{
  cl_int status = clSetKernelArg (call->kernel, call->index++, size, value);

  if (call->status == CL_SUCCESS)
    call->status = status;
}

void
wl_opencl_arg_mem (WlOpenclCall *call,
                   cl_mem        mem)
{
  set_arg (call, sizeof mem, mem ? &mem : NULL);
}

/* A NULL buffer is a NULL pointer in the kernel. */
void
wl_opencl_arg_buffer (WlOpenclCall   *call,
                      const WlBuffer *buffer)
{
  wl_opencl_arg_mem (call, buffer ? WL_OPENCL_MEM (buffer) : NULL);
}

void
wl_opencl_arg_u32 (WlOpenclCall *call,
                   gsize         value)
{
  cl_uint v = (cl_uint) value;

  g_warn_if_fail (value <= G_MAXUINT32);
  set_arg (call, sizeof v, &v);
}

void
wl_opencl_arg_u64 (WlOpenclCall *call,
                   guint64       value)
{
  cl_ulong v = value;

  set_arg (call, sizeof v, &v);
}

void
wl_opencl_arg_i32 (WlOpenclCall *call,
                   gint32        value)
{
  cl_int v = value;

  set_arg (call, sizeof v, &v);
}

void
wl_opencl_arg_f32 (WlOpenclCall *call,
                   float         value)
{
  cl_float v = value;

  set_arg (call, sizeof v, &v);
}

/* Runs the kernel on @global work-items (rounded up to whole @local
 * groups; @local NULL lets the driver choose). */
void
wl_opencl_call_run (WlOpenclCall *call,
                    guint         dims,
                    const gsize  *global,
                    const gsize  *local)
{
  WlOpenclBackend *backend = call->backend;
  gsize rounded[3];
  cl_event event = NULL;

  for (guint d = 0; d < dims; d++)
    rounded[d] = local ? (global[d] + local[d] - 1) / local[d] * local[d] : global[d];
  if (!wl_opencl_check (backend, call->status, call->name))
    return;
  if (wl_opencl_check (backend, clEnqueueNDRangeKernel (backend->queue, call->kernel, dims, NULL,
                                                        rounded, local, 0, NULL, &event),
                       call->name))
    wl_opencl_track_event (backend, event);
}

/* One work-item for each of @n elements, in groups of the tuned size. */
void
wl_opencl_call_run_1d (WlOpenclCall *call,
                       gsize         n)
{
  gsize local = call->backend->device->tuning->group_size;

  g_return_if_fail (n <= G_MAXUINT32);
  wl_opencl_call_run (call, 1, &n, &local);
}
