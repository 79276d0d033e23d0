/* wl-clean-page.c: the Clean page (placeholder until written). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-clean-page.h"

struct _WlCleanPage
{
  AdwBin     parent_instance;
  WlSession *session;
};

G_DEFINE_FINAL_TYPE (WlCleanPage, wl_clean_page, ADW_TYPE_BIN)

static void
wl_clean_page_dispose (GObject *object)
{
  WlCleanPage *self = WL_CLEAN_PAGE (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (wl_clean_page_parent_class)->dispose (object);
}

static void
wl_clean_page_class_init (WlCleanPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wl_clean_page_dispose;
}

static void
wl_clean_page_init (WlCleanPage *self)
{
  adw_bin_set_child (ADW_BIN (self), adw_status_page_new ());
}

GtkWidget *
wl_clean_page_new (WlSession *session)
{
  WlCleanPage *self = g_object_new (WL_TYPE_CLEAN_PAGE, NULL);

  self->session = g_object_ref (session);
  return GTK_WIDGET (self);
}
