/* wl-resources-page.c: the Resources page (placeholder until written). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-resources-page.h"

struct _WlResourcesPage
{
  AdwBin     parent_instance;
  WlSession *session;
};

G_DEFINE_FINAL_TYPE (WlResourcesPage, wl_resources_page, ADW_TYPE_BIN)

static void
wl_resources_page_dispose (GObject *object)
{
  WlResourcesPage *self = WL_RESOURCES_PAGE (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (wl_resources_page_parent_class)->dispose (object);
}

static void
wl_resources_page_class_init (WlResourcesPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wl_resources_page_dispose;
}

static void
wl_resources_page_init (WlResourcesPage *self)
{
  adw_bin_set_child (ADW_BIN (self), adw_status_page_new ());
}

GtkWidget *
wl_resources_page_new (WlSession *session)
{
  WlResourcesPage *self = g_object_new (WL_TYPE_RESOURCES_PAGE, NULL);

  self->session = g_object_ref (session);
  return GTK_WIDGET (self);
}
