/* wl-model-page.c: the Model page (placeholder until written). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "wl-model-page.h"

struct _WlModelPage
{
  AdwBin     parent_instance;
  WlSession *session;
};

G_DEFINE_FINAL_TYPE (WlModelPage, wl_model_page, ADW_TYPE_BIN)

static void
wl_model_page_dispose (GObject *object)
{
  WlModelPage *self = WL_MODEL_PAGE (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (wl_model_page_parent_class)->dispose (object);
}

static void
wl_model_page_class_init (WlModelPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wl_model_page_dispose;
}

static void
wl_model_page_init (WlModelPage *self)
{
  adw_bin_set_child (ADW_BIN (self), adw_status_page_new ());
}

GtkWidget *
wl_model_page_new (WlSession *session)
{
  WlModelPage *self = g_object_new (WL_TYPE_MODEL_PAGE, NULL);

  self->session = g_object_ref (session);
  return GTK_WIDGET (self);
}
