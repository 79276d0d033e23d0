/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-backend.c: the backend registry, devices, opening by id, buffers. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "compute/wl-backend-private.h"
#include "compute/wl-ops.h"
#include "wl-error.h"

static const WlBackendClass *const backend_classes[] = {
  &wl_backend_cpu_class,
  &wl_backend_blas_class,
#ifdef WL_HAVE_OPENCL
  &wl_backend_opencl_class,
#endif
};

#ifndef WL_HAVE_OPENCL
/* A build made with -Dopencl=disabled (or without the OpenCL headers) says
 * so wherever devices are listed, and refuses an OpenCL device by name. */
static const char no_opencl_note[] =
  N_("opencl: this build of Wordloom has no OpenCL support, so only the cpu and blas "
     "devices are available (build Wordloom with OpenCL to train on a GPU)");

static gboolean
names_opencl (const char *device_id)
{
  return g_str_has_prefix (device_id, "opencl") &&
         (device_id[6] == '\0' || device_id[6] == ':');
}
#endif

gsize
wl_dtype_size (WlDtype dtype)
{
  switch (dtype)
    {
    case WL_DTYPE_F32:
    case WL_DTYPE_I32:
      return 4;
    case WL_DTYPE_F16:
    case WL_DTYPE_BF16:
      return 2;
    case WL_DTYPE_I8:
      return 1;
    default:
      g_return_val_if_reached (0);
    }
}

const char *
wl_dtype_to_string (WlDtype dtype)
{
  switch (dtype)
    {
    case WL_DTYPE_F32:
      return "f32";
    case WL_DTYPE_F16:
      return "f16";
    case WL_DTYPE_BF16:
      return "bf16";
    case WL_DTYPE_I32:
      return "i32";
    case WL_DTYPE_I8:
      return "i8";
    default:
      g_return_val_if_reached (NULL);
    }
}

void
wl_device_info_free (WlDeviceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->backend);
  g_free (info->name);
  g_free (info->vendor);
  g_free (info->version);
  g_free (info);
}

WlDeviceInfo *
wl_device_info_copy (const WlDeviceInfo *info)
{
  WlDeviceInfo *copy = g_memdup2 (info, sizeof *info);

  copy->id = g_strdup (info->id);
  copy->backend = g_strdup (info->backend);
  copy->name = g_strdup (info->name);
  copy->vendor = g_strdup (info->vendor);
  copy->version = g_strdup (info->version);
  return copy;
}

/* Moves @klass's devices into @devices, or its failure into @notes. */
static void
list_class_devices (const WlBackendClass *klass,
                    GPtrArray            *devices,
                    GPtrArray            *notes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = klass->list_devices (&error);

  if (found == NULL)
    {
      if (notes != NULL)
        g_ptr_array_add (notes, g_strdup_printf ("%s: %s", klass->name, error->message));
      return;
    }
  while (found->len > 0)
    g_ptr_array_add (devices, g_ptr_array_steal_index (found, 0));
}

GPtrArray *
wl_backend_list_devices (GPtrArray **notes)
{
  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) wl_device_info_free);

  if (notes != NULL)
    *notes = g_ptr_array_new_with_free_func (g_free);
  for (gsize i = 0; i < G_N_ELEMENTS (backend_classes); i++)
    list_class_devices (backend_classes[i], devices, notes ? *notes : NULL);
#ifndef WL_HAVE_OPENCL
  if (notes != NULL)
    g_ptr_array_add (*notes, g_strdup (_(no_opencl_note)));
#endif
  return devices;
}

GPtrArray *
wl_backend_list_training_devices (GPtrArray **notes)
{
  GPtrArray *devices = wl_backend_list_devices (notes);
  WlDeviceInfo *reference = g_ptr_array_index (devices, 0);
  WlDeviceInfo *blas = devices->len > 1 ? g_ptr_array_index (devices, 1) : NULL;

  g_assert (g_str_equal (reference->backend, "cpu"));
  /* "cpu" and "blas" run the same code in training (the neural models
   * resolve "cpu" to "blas"): one entry, by the id the config uses. */
  if (blas != NULL && g_str_equal (blas->backend, "blas"))
    {
      g_free (blas->id);
      blas->id = g_strdup ("cpu");
      g_ptr_array_remove_index (devices, 0);
    }
  return devices;
}

/* The class a device id names: "cpu", "blas", "opencl", "opencl:P:D". */
static const WlBackendClass *
class_for_id (const char *device_id)
{
  for (gsize i = 0; i < G_N_ELEMENTS (backend_classes); i++)
    {
      const char *name = backend_classes[i]->name;
      gsize len = strlen (name);

      if (strncmp (device_id, name, len) == 0 && (device_id[len] == '\0' || device_id[len] == ':'))
        return backend_classes[i];
    }
  return NULL;
}

/* @device_id's device in @devices: an exact id, or a backend's name for
 * its first GPU, else its first device. */
static const WlDeviceInfo *
find_device (GPtrArray  *devices,
             const char *device_id)
{
  const WlDeviceInfo *first = NULL;

  for (guint i = 0; i < devices->len; i++)
    {
      const WlDeviceInfo *info = g_ptr_array_index (devices, i);

      if (g_str_equal (info->id, device_id))
        return info;
      if (g_str_equal (info->backend, device_id))
        {
          if (info->kind == WL_DEVICE_GPU)
            return info;
          if (first == NULL)
            first = info;
        }
    }
  return first;
}

static void
set_unknown_device_error (const char  *device_id,
                          GError     **error)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) devices = wl_backend_list_devices (&notes);
  g_autoptr(GString) message = g_string_new (NULL);

  g_string_printf (message, _("Unknown device “%s”; the devices here are"), device_id);
  for (guint i = 0; i < devices->len; i++)
    g_string_append_printf (message, "%s %s", i ? "," : "",
                            ((WlDeviceInfo *) g_ptr_array_index (devices, i))->id);
  g_string_append (message, _(" (see “wordloom-cli devices”)"));
  for (guint i = 0; i < notes->len; i++)
    g_string_append_printf (message, "; %s", (const char *) g_ptr_array_index (notes, i));
  g_set_error_literal (error, WL_ERROR, WL_ERROR_INVALID, message->str);
}

/* Lists only the backend the id names: finding the CPU must not wait for
 * OpenCL drivers to load.  Returns the list; *@device points into it. */
static GPtrArray *
find_in_class (const char            *device_id,
               const WlBackendClass **klass,
               const WlDeviceInfo   **device,
               GError               **error)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) notes = NULL;

#ifndef WL_HAVE_OPENCL
  if (names_opencl (device_id))
    {
      g_set_error (error, WL_ERROR, WL_ERROR_INVALID,
                   _("The device “%s” is an OpenCL device, but this build of Wordloom has no "
                     "OpenCL support: pick the cpu or blas device"), device_id);
      return NULL;
    }
#endif
  if ((*klass = class_for_id (device_id)) == NULL)
    {
      set_unknown_device_error (device_id, error);
      return NULL;
    }
  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) wl_device_info_free);
  notes = g_ptr_array_new_with_free_func (g_free);
  list_class_devices (*klass, devices, notes);
  if ((*device = find_device (devices, device_id)) == NULL)
    {
      set_unknown_device_error (device_id, error);
      return NULL;
    }
  return g_steal_pointer (&devices);
}

WlDeviceInfo *
wl_backend_find_device (const char  *device_id,
                        GError     **error)
{
  const WlBackendClass *klass;
  const WlDeviceInfo *device;
  g_autoptr(GPtrArray) devices = NULL;

  g_return_val_if_fail (device_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  devices = find_in_class (device_id, &klass, &device, error);
  return devices != NULL ? wl_device_info_copy (device) : NULL;
}

WlBackend *
wl_backend_open (const char  *device_id,
                 guint        n_threads,
                 GError     **error)
{
  const WlBackendClass *klass;
  g_autoptr(GPtrArray) devices = NULL;
  const WlDeviceInfo *device;
  WlBackend *backend;

  g_return_val_if_fail (device_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((devices = find_in_class (device_id, &klass, &device, error)) == NULL)
    return NULL;
  if ((backend = klass->open (device, n_threads, error)) == NULL)
    return NULL;
  backend->klass = klass;
  backend->device = wl_device_info_copy (device);
  backend->n_threads = n_threads;
  backend->error = NULL;
  return backend;
}

void
wl_backend_close (WlBackend *backend)
{
  WlDeviceInfo *device;
  GError *error;

  if (backend == NULL)
    return;
  device = backend->device;
  error = backend->error;
  backend->klass->close (backend);
  wl_device_info_free (device);
  g_clear_error (&error);
}

void
wl_backend_take_error (WlBackend *backend,
                       GError    *error)
{
  if (backend->error == NULL)
    backend->error = error;
  else
    g_error_free (error);
}

/* Reports (once) the sticky failure of a host-side default. */
static gboolean
propagate_sticky_error (WlBackend  *backend,
                        GError    **error)
{
  if (backend->error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&backend->error));
  return FALSE;
}

gboolean
wl_backend_finish (WlBackend  *backend,
                   GError    **error)
{
  g_return_val_if_fail (backend != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!backend->klass->finish (backend, error))
    return FALSE;
  return propagate_sticky_error (backend, error);
}

double
wl_backend_take_busy_seconds (WlBackend *backend)
{
  g_return_val_if_fail (backend != NULL, 0.0);

  if (backend->klass->take_busy_seconds == NULL)
    return 0.0;
  return backend->klass->take_busy_seconds (backend);
}

gboolean
wl_backend_measures_busy (WlBackend *backend)
{
  g_return_val_if_fail (backend != NULL, FALSE);

  return backend->klass->take_busy_seconds != NULL;
}

WlBuffer *
wl_buffer_new (WlBackend  *backend,
               WlDtype     dtype,
               gsize       n,
               GError    **error)
{
  g_autofree WlBuffer *buffer = NULL;

  g_return_val_if_fail (backend != NULL, NULL);
  g_return_val_if_fail (dtype <= WL_DTYPE_I32, NULL);
  g_return_val_if_fail (n > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  buffer = g_new0 (WlBuffer, 1);
  buffer->backend = backend;
  buffer->dtype = dtype;
  buffer->n = n;
  if (!backend->klass->buffer_init (backend, buffer, error))
    return NULL;
  /* New buffers hold zeros on every backend. */
  backend->klass->fill (backend, buffer, 0, n, 0.0f);
  return g_steal_pointer (&buffer);
}

void
wl_buffer_free (WlBuffer *buffer)
{
  if (buffer == NULL)
    return;
  buffer->backend->klass->buffer_clear (buffer->backend, buffer);
  g_free (buffer);
}

gboolean
wl_buffer_write (WlBuffer    *dst,
                 gsize        offset,
                 const void  *src,
                 gsize        n,
                 GError     **error)
{
  g_return_val_if_fail (dst != NULL, FALSE);
  g_return_val_if_fail (src != NULL || n == 0, FALSE);
  g_return_val_if_fail (offset <= dst->n && n <= dst->n - offset, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n == 0)
    return TRUE;
  return dst->backend->klass->write (dst->backend, dst, offset, src, n, error);
}

float *
wl_buffer_host_f32 (WlBuffer *buffer,
                    gsize     offset,
                    gsize     n)
{
  g_return_val_if_fail (buffer != NULL && buffer->dtype == WL_DTYPE_F32, NULL);
  g_return_val_if_fail (offset <= buffer->n && n <= buffer->n - offset, NULL);

  return buffer->backend->klass->host_memory ? (float *) buffer->data + offset : NULL;
}

gboolean
wl_buffer_read (const WlBuffer  *src,
                gsize            offset,
                void            *dst,
                gsize            n,
                GError         **error)
{
  g_return_val_if_fail (src != NULL, FALSE);
  g_return_val_if_fail (dst != NULL || n == 0, FALSE);
  g_return_val_if_fail (offset <= src->n && n <= src->n - offset, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n > 0 && !src->backend->klass->read (src->backend, src, offset, dst, n, error))
    return FALSE;
  return propagate_sticky_error (src->backend, error);
}
