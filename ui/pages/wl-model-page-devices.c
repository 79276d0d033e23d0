/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wl-model-page-devices.c: the Model page's device row: the devices are
 * listed on a thread (probing OpenCL can take a while); each choice shows
 * its id, kind and memory under its name.  The model type row shows its
 * choices the same way. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "compute/wl-backend.h"
#include "wl-model-page-private.h"

static guint
add_device_item (WlModelPage *self,
                 const char  *id,
                 const char  *title,
                 const char  *caption)
{
  g_ptr_array_add (self->device_ids, g_strdup (id));
  g_ptr_array_add (self->device_captions, g_strdup (caption));
  gtk_string_list_append (self->device_list, title);
  return self->device_ids->len - 1;
}

void
wl_model_page_refresh_device (WlModelPage *self,
                              gboolean     neural)
{
  const WlConfig *config = wl_session_get_config (self->session);
  const char *id = neural && config->model.device ? config->model.device : "cpu";
  guint pos;
  g_autofree char *subtitle = NULL;

  if (!g_ptr_array_find_with_equal_func (self->device_ids, id, g_str_equal, &pos))
    {
      /* Translators: a device the config names that this computer lacks */
      g_autofree char *title = self->listing ? g_strdup (id)
                                             : g_strdup_printf (_("%s (not found)"), id);

      pos = add_device_item (self, id, title, "");
    }
  adw_combo_row_set_selected (self->device_row, pos);
  gtk_widget_set_sensitive (GTK_WIDGET (self->device_row), neural && !self->listing);

  if (!neural)
    subtitle = g_strdup (_("This model runs on the CPU only, with the threads below."));
  else if (self->device_notes != NULL)
    subtitle = g_strdup_printf ("%s\n%s", _("Where the network’s products run; on the CPU they run on OpenBLAS with the threads below."),
                                self->device_notes);
  else
    subtitle = g_strdup (_("Where the network’s products run; on the CPU they run on OpenBLAS with the threads below."));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->device_row), subtitle);
}

static void
on_device_selected (WlModelPage *self)
{
  guint selected = adw_combo_row_get_selected (self->device_row);
  WlConfig *config = wl_session_get_config (self->session);

  if (self->updating || selected >= self->device_ids->len)
    return;
  g_free (config->model.device);
  config->model.device = g_strdup (g_ptr_array_index (self->device_ids, selected));
  wl_model_page_commit (self);
}

typedef struct
{
  GPtrArray *devices;   /* WlDeviceInfo * */
  GPtrArray *notes;     /* char * */
} DeviceList;

static void
device_list_free (DeviceList *list)
{
  g_ptr_array_unref (list->devices);
  g_ptr_array_unref (list->notes);
  g_free (list);
}

static void
list_devices_thread (GTask        *task,
                     gpointer      source,
                     gpointer      data,
                     GCancellable *cancellable)
{
  DeviceList *list = g_new0 (DeviceList, 1);

  list->devices = wl_backend_list_training_devices (&list->notes);
  g_task_return_pointer (task, list, (GDestroyNotify) device_list_free);
}

static char *
device_title (const WlDeviceInfo *info)
{
  if (info->kind == WL_DEVICE_CPU && g_str_equal (info->id, "cpu"))
    /* Translators: the host CPU and its hardware threads */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "CPU, %u thread", "CPU, %u threads",
                                         info->compute_units), info->compute_units);
  /* Translators: a device and its backend: "GeForce RTX 3060 (OpenCL)" */
  return g_strdup_printf (_("%s (%s)"), info->name,
                          g_str_equal (info->backend, "opencl") ? "OpenCL" : info->backend);
}

static char *
device_caption (const WlDeviceInfo *info)
{
  static const char *kinds[] = { N_("CPU"), N_("GPU"), N_("accelerator"), N_("device") };
  g_autofree char *memory = info->memory ? g_format_size_full (info->memory, G_FORMAT_SIZE_IEC_UNITS)
                                         : g_strdup (_("unknown memory"));

  /* Translators: id, kind, name and memory of a device:
   * "opencl:0:0 · GPU · GeForce RTX 3060 · 12.0 GiB" */
  g_autofree char *caption = g_strdup_printf (_("%s · %s · %s · %s"), info->id,
                                              _(kinds[MIN (info->kind, WL_DEVICE_OTHER)]),
                                              info->name, memory);

  if (info->half_emulated)
    return g_strdup_printf ("%s\n%s", caption,
                            _("fp16 and bf16 are emulated here (computed in fp32): slower than fp32"));
  return g_steal_pointer (&caption);
}

static void
on_devices_listed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  WlModelPage *self = WL_MODEL_PAGE (source);
  g_autoptr(GError) error = NULL;
  DeviceList *list = g_task_propagate_pointer (G_TASK (result), &error);

  if (list == NULL)
    return;   /* cancelled: the page is going away */

  self->updating = TRUE;
  g_ptr_array_set_size (self->device_ids, 0);
  g_ptr_array_set_size (self->device_captions, 0);
  gtk_string_list_splice (self->device_list, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->device_list)), NULL);
  for (guint i = 0; i < list->devices->len; i++)
    {
      const WlDeviceInfo *info = g_ptr_array_index (list->devices, i);
      g_autofree char *title = device_title (info);
      g_autofree char *caption = device_caption (info);

      add_device_item (self, info->id, title, caption);
    }
  g_ptr_array_add (list->notes, NULL);
  g_free (self->device_notes);
  self->device_notes = list->notes->len > 1 ? g_strjoinv ("\n", (char **) list->notes->pdata) : NULL;
  self->listing = FALSE;
  gtk_widget_set_visible (self->device_spinner, FALSE);
  self->updating = FALSE;

  wl_model_page_refresh (self);
  device_list_free (list);
}

/* The chosen value of a combo row: shown whole up to a few words, so that
 * a long subtitle beside it cannot squeeze it to "…". */

static void
value_setup (GtkSignalListItemFactory *factory,
             GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
  gtk_list_item_set_child (item, label);
}

static void
value_bind (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  const char *text = gtk_string_object_get_string (gtk_list_item_get_item (item));

  gtk_label_set_text (label, text);
  gtk_label_set_width_chars (label, MIN ((int) g_utf8_strlen (text, -1), 28));
}

/* A choice with an explanation under it, as in the model list */

static void
item_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *caption = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (title), 0.0f);
  gtk_label_set_xalign (GTK_LABEL (caption), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (caption), 42);
  gtk_label_set_width_chars (GTK_LABEL (caption), 30);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), caption);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), check);
  gtk_expression_bind (gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL, "selected"),
                       check, "visible", item);
  gtk_list_item_set_child (item, box);
}

static void
item_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           GPtrArray                *captions)
{
  GtkWidget *labels = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *title = gtk_widget_get_first_child (labels);
  guint position = gtk_list_item_get_position (item);

  gtk_label_set_text (GTK_LABEL (title),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_next_sibling (title)),
                      position < captions->len ? g_ptr_array_index (captions, position) : "");
}

void
wl_model_page_set_factories (AdwComboRow *row,
                             GPtrArray   *captions)
{
  g_autoptr(GtkListItemFactory) value = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) list = gtk_signal_list_item_factory_new ();

  g_signal_connect (value, "setup", G_CALLBACK (value_setup), NULL);
  g_signal_connect (value, "bind", G_CALLBACK (value_bind), NULL);
  adw_combo_row_set_factory (row, value);
  g_signal_connect (list, "setup", G_CALLBACK (item_setup), NULL);
  g_signal_connect (list, "bind", G_CALLBACK (item_bind), captions);
  adw_combo_row_set_list_factory (row, list);
}

void
wl_model_page_init_devices (WlModelPage *self)
{
  wl_model_page_set_factories (self->device_row, self->device_captions);
  g_signal_connect_swapped (self->device_row, "notify::selected",
                            G_CALLBACK (on_device_selected), self);
}

void
wl_model_page_list_devices (WlModelPage *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_devices_listed, NULL);

  g_task_set_source_tag (task, wl_model_page_list_devices);
  g_task_run_in_thread (task, list_devices_thread);
}
