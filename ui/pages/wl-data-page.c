/* wl-data-page.c: the Data page (placeholder until written). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-data-page.h"

struct _WlDataPage
{
  AdwBin     parent_instance;
  WlSession *session;
};

G_DEFINE_FINAL_TYPE (WlDataPage, wl_data_page, ADW_TYPE_BIN)

static void
wl_data_page_dispose (GObject *object)
{
  WlDataPage *self = WL_DATA_PAGE (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (wl_data_page_parent_class)->dispose (object);
}

static void
wl_data_page_class_init (WlDataPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wl_data_page_dispose;
}

static void
wl_data_page_init (WlDataPage *self)
{
  adw_bin_set_child (ADW_BIN (self), adw_status_page_new ());
}

GtkWidget *
wl_data_page_new (WlSession *session)
{
  WlDataPage *self = g_object_new (WL_TYPE_DATA_PAGE, NULL);

  self->session = g_object_ref (session);
  return GTK_WIDGET (self);
}
